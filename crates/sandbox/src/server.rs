//! The listeners: a hyper HTTP/1.1 accept loop per vendor (so a fault can reset a connection), an axum
//! router built from the vendor's spec, and the pipeline every request goes through: log → faults → auth →
//! validation → the vendor's handler.

use std::collections::BTreeMap;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter, on};
use bytes::Bytes;
use http::{HeaderValue, Method, StatusCode};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

use crate::answer::{self, Answer, Failure};
use crate::apis::Call;
use crate::faults::{Action, TOKEN_OPERATION};
use crate::spec::{self, Problem, Received, Violation};
use crate::{LoggedRequest, Shared, Vendor, lock};

/// The largest request body read; a larger one is answered 413.
const MAX_BODY: usize = 4 * 1024 * 1024;

/// How long a connection reset during the answer waits after the part it sends, so that part reaches the
/// client before the reset.
const PARTIAL_ANSWER_PAUSE: Duration = Duration::from_millis(30);

/// What a route is.
#[derive(Clone)]
enum Route {
    /// An operation of the spec, with its path template.
    Api { id: Arc<str>, template: Arc<str> },
    /// The OAuth2 token endpoint.
    Token,
    /// AVEVA's OpenID discovery document.
    Discovery,
    /// A path of the spec with a method it does not have.
    MethodNotAllowed,
    /// Any other path.
    Unknown,
}

fn handler(
    shared: &Arc<Shared>,
    vendor: Vendor,
    route: Route,
) -> impl Fn(Request) -> Pin<Box<dyn Future<Output = Response> + Send>> + Clone + Send + Sync + 'static
{
    let shared = shared.clone();
    move |req: Request| {
        let shared = shared.clone();
        let route = route.clone();
        Box::pin(async move { pipeline(shared, vendor, route, req).await })
    }
}

fn filter(method: &Method) -> MethodFilter {
    match *method {
        Method::HEAD => MethodFilter::HEAD,
        Method::POST => MethodFilter::POST,
        Method::PUT => MethodFilter::PUT,
        Method::DELETE => MethodFilter::DELETE,
        Method::PATCH => MethodFilter::PATCH,
        _ => MethodFilter::GET,
    }
}

/// The router of one vendor's listener: every operation of its spec, its token endpoint, the admin
/// endpoint under `/_sandbox`, and a fallback answering 404 in the vendor's words.
pub(crate) fn router(shared: Arc<Shared>, vendor: Vendor) -> Router {
    let mut paths: BTreeMap<String, MethodRouter> = BTreeMap::new();
    let mut add = |path: String, method: &Method, route: Route| {
        let h = handler(&shared, vendor, route);
        let entry = match paths.remove(&path) {
            Some(existing) => existing.on(filter(method), h),
            None => on(filter(method), h),
        };
        paths.insert(path, entry);
    };
    let operations: Vec<(Method, String, String)> = shared
        .spec(vendor)
        .map(|s| {
            s.operations
                .iter()
                .map(|o| (o.method.clone(), o.path.clone(), o.id.clone()))
                .collect()
        })
        .unwrap_or_default();
    for (method, path, id) in operations {
        let full = format!("{}{path}", vendor.path_prefix());
        add(
            full.clone(),
            &method,
            Route::Api {
                id: id.into(),
                template: full.into(),
            },
        );
    }
    match vendor {
        Vendor::Aveva => {
            add(
                "/identity/connect/token".to_string(),
                &Method::POST,
                Route::Token,
            );
            add(
                "/identity/.well-known/openid-configuration".to_string(),
                &Method::GET,
                Route::Discovery,
            );
        }
        Vendor::Isc => add("/oauth/token".to_string(), &Method::POST, Route::Token),
        _ => {}
    }
    let mut router = Router::new();
    for (path, methods) in paths {
        router = router.route(
            &path,
            methods.fallback(handler(&shared, vendor, Route::MethodNotAllowed)),
        );
    }
    router
        .nest("/_sandbox", crate::admin::router(shared.clone()))
        .fallback(handler(&shared, vendor, Route::Unknown))
}

/// Splits `path` along `template` (`/a/{id}/b`), percent-decoding each parameter.
fn path_params(template: &str, path: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (t, p) in template.split('/').zip(path.split('/')) {
        if let Some(name) = t.strip_prefix('{').and_then(|n| n.strip_suffix('}')) {
            let value = percent_encoding::percent_decode_str(p)
                .decode_utf8_lossy()
                .into_owned();
            out.insert(name.to_string(), value);
        }
    }
    out
}

/// Marks a response whose connection must be reset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ResetMark {
    Before,
    During,
}

async fn pipeline(shared: Arc<Shared>, vendor: Vendor, route: Route, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let request_id = match vendor {
        Vendor::Aveva => crate::random_uuid().to_string(),
        _ => crate::random_hex(32),
    };
    let operation: Option<String> = match &route {
        Route::Api { id, .. } => Some(id.to_string()),
        Route::Token => Some(TOKEN_OPERATION.to_string()),
        Route::Discovery => Some("openid_configuration".to_string()),
        Route::MethodNotAllowed | Route::Unknown => None,
    };
    let (bytes, too_large) = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => (b, false),
        Err(_) => (Bytes::new(), true),
    };
    let seq = {
        let mut log = lock(&shared.log);
        log.0 += 1;
        let seq = log.0;
        log.1.push(LoggedRequest {
            seq,
            vendor,
            operation: operation.clone(),
            method: parts.method.to_string(),
            path: parts
                .extensions
                .get::<SentPath>()
                .map_or_else(|| parts.uri.path().to_string(), |sent| sent.0.clone()),
            query: parts.uri.query().map(str::to_string),
            headers: parts
                .headers
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: String::from_utf8_lossy(&bytes).into_owned(),
            status: None,
            faults: Vec::new(),
            request_id: request_id.clone(),
        });
        seq
    };

    let decision =
        lock(&shared.faults).decide(vendor, operation.as_deref(), tokio::time::Instant::now());
    if !decision.delay.is_zero() {
        tokio::time::sleep(decision.delay).await;
    }
    let mut mark = None;
    let answer = match decision.action {
        Some(Action::ResetBefore) => {
            mark = Some(ResetMark::Before);
            Answer::empty(500)
        }
        Some(Action::RateLimited { retry_after_secs }) => {
            Failure::new(429, "", "Too many requests; slow down")
                .with_retry_after(Some(retry_after_secs))
                .render(vendor, &request_id)
        }
        Some(Action::Status {
            status,
            retry_after_secs,
        }) => {
            let mut answer = if matches!(status, 502 | 504) {
                Answer {
                    status,
                    headers: Vec::new(),
                    body: answer::Body::Html(answer::gateway_page(status)),
                }
            } else {
                let message = StatusCode::from_u16(status)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("Error")
                    .to_string();
                Failure::new(status, "", message).render(vendor, &request_id)
            };
            if let Some(secs) = retry_after_secs {
                answer = answer.header("retry-after", secs.to_string());
            }
            answer
        }
        Some(Action::ResetDuring) => {
            mark = Some(ResetMark::During);
            respond(
                &shared,
                vendor,
                &route,
                &parts,
                &bytes,
                too_large,
                &request_id,
            )
        }
        None => respond(
            &shared,
            vendor,
            &route,
            &parts,
            &bytes,
            too_large,
            &request_id,
        ),
    };

    {
        let mut log = lock(&shared.log);
        if let Some(entry) = log.1.iter_mut().rev().find(|e| e.seq == seq) {
            entry.status = (mark != Some(ResetMark::Before)).then_some(answer.status);
            entry.faults = decision.applied;
        }
    }
    let head = parts.method == Method::HEAD;
    into_response(vendor, answer, &request_id, head, mark)
}

/// Authenticates, validates and runs one request (no fault in the way).
fn respond(
    shared: &Shared,
    vendor: Vendor,
    route: &Route,
    parts: &http::request::Parts,
    bytes: &Bytes,
    too_large: bool,
    request_id: &str,
) -> Answer {
    match run(shared, vendor, route, parts, bytes, too_large) {
        Ok(answer) => answer,
        Err(failure) => failure.render(vendor, request_id),
    }
}

fn run(
    shared: &Shared,
    vendor: Vendor,
    route: &Route,
    parts: &http::request::Parts,
    bytes: &Bytes,
    too_large: bool,
) -> Result<Answer, Failure> {
    if too_large {
        return Err(Failure::new(
            413,
            "",
            format!("the request body is larger than {MAX_BODY} bytes"),
        ));
    }
    let (id, template) = match route {
        Route::Token => {
            return Ok(crate::auth::token_endpoint(
                &shared.seed,
                &mut lock(&shared.tokens),
                vendor,
                &parts.headers,
                bytes,
            ));
        }
        Route::Discovery => {
            let base = shared.base_url(vendor);
            return Ok(Answer::json(
                200,
                serde_json::json!({
                    "issuer": format!("{base}/identity"),
                    "token_endpoint": format!("{base}/identity/connect/token"),
                    "grant_types_supported": ["client_credentials"],
                    "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
                }),
            ));
        }
        Route::Unknown => {
            return Err(Failure::not_found(
                "",
                format!("No such route: {} {}", parts.method, parts.uri.path()),
            ));
        }
        Route::MethodNotAllowed => {
            return Err(Failure::new(
                405,
                "",
                format!(
                    "The method {} is not allowed on {}",
                    parts.method,
                    parts.uri.path()
                ),
            ));
        }
        Route::Api { id, template } => (id, template),
    };

    let target = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    crate::auth::check(
        &shared.seed,
        &lock(&shared.tokens),
        vendor,
        &crate::auth::Presented {
            method: parts.method.as_str(),
            target,
            headers: &parts.headers,
            body: bytes,
        },
    )?;

    if vendor == Vendor::Isc
        && let Some(v) = parts.headers.get("x-sailpoint-experimental")
        && v.as_bytes() != b"true"
    {
        return Err(Failure::invalid(vec![Violation::new(
            "X-SailPoint-Experimental",
            Problem::Other("must be true to use this experimental API".to_string()),
        )]));
    }

    let body: Option<Value> = if bytes.is_empty() {
        None
    } else {
        match serde_json::from_slice(bytes) {
            Ok(v) => Some(v),
            Err(e) => {
                let mut f = Failure::invalid(vec![Violation::new(
                    "body",
                    Problem::Other(format!("is not valid JSON: {e}")),
                )]);
                if vendor == Vendor::Nerm {
                    f.violations.clear();
                    f.message =
                        "Invalid JSON syntax. Please check your syntax and try again.".to_string();
                }
                return Err(f);
            }
        }
    };
    let query: Vec<(String, String)> = parts
        .uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let params = path_params(template, parts.uri.path());
    let spec = shared
        .spec(vendor)
        .ok_or_else(|| Failure::new(500, "", "the sandbox has no spec for this vendor"))?;
    let op = spec.operation(id).ok_or_else(|| {
        Failure::new(500, "", format!("the sandbox's spec has no operation {id}"))
    })?;
    let violations = spec::check_request(
        spec,
        op,
        &Received {
            path_params: &params,
            query: &query,
            headers: &parts.headers,
            body: body.as_ref(),
        },
    );
    if !violations.is_empty() {
        return Err(Failure::invalid(violations));
    }
    let call = Call {
        op: id,
        params: &params,
        query: &query,
        body: body.as_ref(),
    };
    lock(&shared.state).dispatch(vendor, &call)
}

/// Turns an answer into the HTTP response, with the vendor's request-id header.
fn into_response(
    vendor: Vendor,
    answer: Answer,
    request_id: &str,
    head: bool,
    mark: Option<ResetMark>,
) -> Response {
    let (content_type, bytes) = match answer.body {
        answer::Body::Empty => (None, Bytes::new()),
        answer::Body::Json(v) => (
            Some("application/json; charset=utf-8"),
            serde_json::to_vec(&v).map(Bytes::from).unwrap_or_default(),
        ),
        answer::Body::Html(page) => (Some("text/html"), Bytes::from(page)),
    };
    let bytes = if head { Bytes::new() } else { bytes };
    let length = bytes.len();
    let body = match mark {
        Some(ResetMark::During) => axum::body::Body::new(BrokenBody::new(bytes)),
        _ => axum::body::Body::from(bytes),
    };
    let mut response = Response::new(body);
    *response.status_mut() =
        StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    if let Some(ct) = content_type {
        headers.insert(http::header::CONTENT_TYPE, HeaderValue::from_static(ct));
    }
    if mark == Some(ResetMark::During) {
        headers.insert(http::header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    let id_header = match vendor {
        Vendor::Seam => Some("seam-request-id"),
        Vendor::Huawei => Some("x-request-id"),
        _ => None,
    };
    if let (Some(name), Ok(value)) = (id_header, HeaderValue::from_str(request_id)) {
        headers.insert(name, value);
    }
    for (name, value) in &answer.headers {
        if let (Ok(n), Ok(v)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.insert(n, v);
        }
    }
    if let Some(m) = mark {
        response.extensions_mut().insert(m);
    }
    response
}

/// A body that sends its first half, pauses, then fails (so the connection is reset mid-answer).
struct BrokenBody {
    part: Option<Bytes>,
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl BrokenBody {
    fn new(mut full: Bytes) -> Self {
        let half = full.split_to(full.len() / 2);
        Self {
            part: (!half.is_empty()).then_some(half),
            pause: Some(Box::pin(tokio::time::sleep(PARTIAL_ANSWER_PAUSE))),
        }
    }
}

impl http_body::Body for BrokenBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, io::Error>>> {
        if let Some(part) = self.part.take() {
            return Poll::Ready(Some(Ok(http_body::Frame::data(part))));
        }
        if let Some(pause) = self.pause.as_mut() {
            if pause.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            self.pause = None;
        }
        Poll::Ready(Some(Err(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "the sandbox resets this connection (fault: reset during the answer)",
        ))))
    }
}

/// The path a request was sent with, kept for the request log when routing saw a normalized one.
#[derive(Debug, Clone)]
struct SentPath(String);

/// Whether `vendor`'s host treats runs of `/` in a path as one, as a Rails router does: NERM's does
/// (SailPoint's own Python SDK joins `nerm_base_url + '/' + '/workflow_actions...'` and so always sends
/// `/api//workflow_actions...`); the other vendors' paths are routed as sent.
fn squeezes_slashes(vendor: Vendor) -> bool {
    vendor == Vendor::Nerm
}

/// Rewrites the request's path with every run of `/` made one, keeping the path as sent in [`SentPath`].
fn squeeze_slashes<B>(req: &mut hyper::Request<B>) {
    let path = req.uri().path();
    if !path.contains("//") {
        return;
    }
    let mut squeezed = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && squeezed.ends_with('/')) {
            squeezed.push(c);
        }
    }
    let sent = path.to_string();
    let path_and_query = match req.uri().query() {
        Some(q) => format!("{squeezed}?{q}"),
        None => squeezed,
    };
    let mut parts = req.uri().clone().into_parts();
    match path_and_query.parse::<http::uri::PathAndQuery>() {
        Ok(pq) => parts.path_and_query = Some(pq),
        Err(_) => return,
    }
    if let Ok(uri) = http::Uri::from_parts(parts) {
        *req.uri_mut() = uri;
        req.extensions_mut().insert(SentPath(sent));
    }
}

/// Serves `vendor`'s `router` on every connection `listener` accepts, until the task is aborted (which
/// drops the listener and every connection).
pub(crate) async fn serve(listener: TcpListener, router: Router, vendor: Vendor) {
    let squeeze = squeezes_slashes(vendor);
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    connections.spawn(connection(stream, router.clone(), squeeze));
                }
                // Out of file descriptors and the like: wait a little instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// The error that makes hyper drop a connection without answering.
#[derive(Debug)]
struct ResetNow;

impl std::fmt::Display for ResetNow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the sandbox resets this connection (fault: reset before the answer)")
    }
}

impl std::error::Error for ResetNow {}

async fn connection(stream: TcpStream, router: Router, squeeze: bool) {
    let reset = Arc::new(AtomicBool::new(false));
    let io = TokioIo::new(Conn {
        stream,
        reset: reset.clone(),
    });
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        if squeeze {
            squeeze_slashes(&mut req);
        }
        let router = router.clone();
        let reset = reset.clone();
        async move {
            let response = match router.oneshot(req).await {
                Ok(r) => r,
                Err(never) => match never {},
            };
            match response.extensions().get::<ResetMark>().copied() {
                Some(ResetMark::Before) => {
                    reset.store(true, Ordering::SeqCst);
                    Err(ResetNow)
                }
                Some(ResetMark::During) => {
                    reset.store(true, Ordering::SeqCst);
                    Ok(response)
                }
                None => Ok(response),
            }
        }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(io, service)
        .await;
}

/// A connection that, when a fault asks for it, is closed with a TCP RST (`SO_LINGER` 0) instead of a FIN.
struct Conn {
    stream: TcpStream,
    reset: Arc<AtomicBool>,
}

impl Drop for Conn {
    fn drop(&mut self) {
        if self.reset.load(Ordering::SeqCst) {
            let _ = self.stream.set_zero_linger();
        }
    }
}

impl AsyncRead for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.reset.load(Ordering::SeqCst) {
            // Do not send a FIN first: the reset is the point.
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_are_split_along_the_template_and_decoded() {
        let p = path_params(
            "/v1/instances/{instance_id}/permission-sets/provisioning-status/{request_id}",
            "/v1/instances/ins-1/permission-sets/provisioning-status/a%2Fb",
        );
        assert_eq!(p.get("instance_id").map(String::as_str), Some("ins-1"));
        assert_eq!(p.get("request_id").map(String::as_str), Some("a/b"));
    }
}
