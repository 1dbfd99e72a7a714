//! The loopback server: hyper 1, HTTP/1.1 with keep-alive, on 127.0.0.1 and an ephemeral port.
//!
//! [`Server::start_on`] runs it as tasks of the client's own single-threaded runtime; that is what the
//! benchmarks use. Every request then costs CPU time only (client, kernel loopback, server, one after the
//! other on one thread) and nothing waits for another thread to wake up. On these virtual machines waking an
//! idle vCPU takes tens of microseconds and varies with what other users of the machine run, which would
//! swamp the few microseconds a client adds. [`Server::start`] runs it in a thread of its own instead.
//!
//! It answers the spec examples (see [`crate::examples`]) for:
//!
//! | request | answer |
//! |---|---|
//! | `POST …/token` | `200 {"access_token", "token_type", "expires_in": 3600}` (AVEVA and ISC token endpoints) |
//! | `GET /api/v1/Tenants/{t}/AutomationIdentities/{id}` | `200` AVEVA `AutomationIdentity` example |
//! | `GET /api/v1/Tenants/{t}/AutomationIdentities?skip&count` | `200` a page of generated identities, see below |
//! | `POST /account-requests/v1/machine-account-create` | `202` ISC `AccountRequestAsyncResult` example |
//! | `POST /v1/instances/{i}/permission-sets/{p}/provision` | `200` Huawei provisioning status example, `X-Request-Id` |
//! | `POST /user_identities/enrollment_automations/get` | `200` Seam `EnrollmentAutomationResponse` example, `seam-request-id` |
//! | `GET /workflow_actions?workflow_id=…` | `200` NERM `WorkflowActionList` example |
//! | anything else | `404`, empty |
//!
//! The collection has as many identities as the tenant id says when it is a number (`Tenants/100000/…`),
//! else 2. Identity `i` is the spec's `AutomationIdentity` example with `Id` = the UUID of the number `i`, so
//! pages differ (the pager refuses a repeated page). A page is written on the fly, never stored.
//!
//! Request bodies are read whole before answering, as a real server does. A server started with
//! [`Server::start_recording_on`] also keeps every request it received (method, target, headers, body), for
//! the test that every variant puts the same request on the wire.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::{BufMut, Bytes, BytesMut};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;

use crate::BoxError;
use crate::examples::{Examples, SEAM_REQUEST_ID};

/// The access token the token endpoint hands out.
pub const ACCESS_TOKEN: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJpZHByb3YtYmVuY2giLCJleHAiOjQxMDI0NDQ4MDB9.bench-signature-0123456789abcdef";

/// The Huawei request id the server answers with.
pub const HUAWEI_REQUEST_ID: &str = "a1177591c8c7c49238e60563d34cad92";

/// A request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The method.
    pub method: String,
    /// Path and query.
    pub target: String,
    /// Every header (name lower-case, value), in the order received.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Bytes,
}

/// The bodies, serialized once.
#[derive(Debug)]
struct Canned {
    /// Every request received, when recording.
    received: Option<Mutex<Vec<Received>>>,
    token: Bytes,
    aveva_identity: Bytes,
    isc_accepted: Bytes,
    huawei_provisioned: Bytes,
    seam_enrollment: Bytes,
    nerm_actions: Bytes,
    /// An identity of a page is `item_prefix` + its UUID + `item_suffix`.
    item_prefix: Bytes,
    item_suffix: Bytes,
}

impl Canned {
    fn new(ex: &Examples) -> Result<Self, BoxError> {
        const MARK: &str = "@@ID@@";
        let mut item = ex.aveva_identity.clone();
        match item.as_object_mut() {
            Some(o) => o.insert("Id".into(), Value::String(MARK.into())),
            None => return Err("the AutomationIdentity example is not an object".into()),
        };
        let item = item.to_string();
        let (prefix, suffix) = item
            .split_once(MARK)
            .ok_or("the identity template has no Id marker")?;
        Ok(Self {
            received: None,
            token: Bytes::from(
                serde_json::json!({"access_token": ACCESS_TOKEN, "token_type": "Bearer", "expires_in": 3600})
                    .to_string(),
            ),
            aveva_identity: Bytes::from(ex.aveva_identity.to_string()),
            isc_accepted: Bytes::from(ex.isc_accepted.to_string()),
            huawei_provisioned: Bytes::from(ex.huawei_provisioned.to_string()),
            seam_enrollment: Bytes::from(ex.seam_enrollment.to_string()),
            nerm_actions: Bytes::from(ex.nerm_actions.to_string()),
            item_prefix: Bytes::from(prefix.to_owned()),
            item_suffix: Bytes::from(suffix.to_owned()),
        })
    }

    fn page(&self, total: u64, skip: u64, count: u64) -> Bytes {
        let end = skip.saturating_add(count).min(total);
        let n = end.saturating_sub(skip) as usize;
        let item_len = self.item_prefix.len() + 36 + self.item_suffix.len() + 1;
        let mut out = BytesMut::with_capacity(2 + n * item_len);
        out.put_u8(b'[');
        let mut uuid = uuid::Uuid::encode_buffer();
        for i in skip..end {
            if i > skip {
                out.put_u8(b',');
            }
            out.put_slice(&self.item_prefix);
            out.put_slice(
                uuid::Uuid::from_u128(u128::from(i) + 1)
                    .hyphenated()
                    .encode_lower(&mut uuid)
                    .as_bytes(),
            );
            out.put_slice(&self.item_suffix);
        }
        out.put_u8(b']');
        out.freeze()
    }
}

/// A running loopback server; dropping it stops it.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    canned: Arc<Canned>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Starts the server on 127.0.0.1 and an ephemeral port, answering the specs' examples.
    pub fn start() -> Result<Self, BoxError> {
        let canned = Arc::new(Canned::new(&Examples::from_specs()?)?);
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let served = canned.clone();
        let thread = std::thread::Builder::new()
            .name("loopback-server".into())
            .spawn(move || {
                let canned = served;
                rt.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => l,
                        Err(e) => {
                            eprintln!("loopback server: {e}");
                            return;
                        }
                    };
                    tokio::select! {
                        _ = stopped => {}
                        _ = accept_loop(listener, canned) => {}
                    }
                });
            })?;
        Ok(Self {
            addr,
            canned,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Starts the server as tasks of `rt` (it answers while `rt` is driven, e.g. inside `rt.block_on`).
    pub fn start_on(rt: &tokio::runtime::Runtime) -> Result<Self, BoxError> {
        Self::serve_on(rt, Canned::new(&Examples::from_specs()?)?)
    }

    /// [`Server::start_on`], keeping every request received (see [`Server::take_received`]).
    pub fn start_recording_on(rt: &tokio::runtime::Runtime) -> Result<Self, BoxError> {
        let mut canned = Canned::new(&Examples::from_specs()?)?;
        canned.received = Some(Mutex::new(Vec::new()));
        Self::serve_on(rt, canned)
    }

    fn serve_on(rt: &tokio::runtime::Runtime, canned: Canned) -> Result<Self, BoxError> {
        let canned = Arc::new(canned);
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let listener = {
            let _in_runtime = rt.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let served = canned.clone();
        rt.spawn(async move {
            tokio::select! {
                _ = stopped => {}
                _ = accept_loop(listener, served) => {}
            }
        });
        Ok(Self {
            addr,
            canned,
            stop: Some(stop),
            thread: None,
        })
    }

    /// The requests received since the last call (always empty unless started with
    /// [`Server::start_recording_on`]).
    pub fn take_received(&self) -> Vec<Received> {
        self.canned
            .received
            .as_ref()
            .map(|r| std::mem::take(&mut *r.lock().unwrap_or_else(|e| e.into_inner())))
            .unwrap_or_default()
    }

    /// Starts the server as the `IDPROV_BENCH_SERVER` environment variable says: `thread` for a thread of its
    /// own ([`Server::start`]), anything else or nothing for tasks of `rt` ([`Server::start_on`]).
    pub fn start_for_bench(rt: &tokio::runtime::Runtime) -> Result<Self, BoxError> {
        match std::env::var("IDPROV_BENCH_SERVER").as_deref() {
            Ok("thread") => Self::start(),
            _ => Self::start_on(rt),
        }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn accept_loop(listener: tokio::net::TcpListener, canned: Arc<Canned>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let canned = canned.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| answer(req, canned.clone()));
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn json(status: StatusCode, body: Bytes) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(body));
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

async fn answer(
    req: Request<Incoming>,
    canned: Arc<Canned>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = req.into_parts();
    // Read the request body whole, as a real server would.
    let body = body.collect().await;
    if let Some(received) = &canned.received {
        let headers = parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let r = Received {
            method: parts.method.to_string(),
            target: parts
                .uri
                .path_and_query()
                .map(|p| p.to_string())
                .unwrap_or_default(),
            headers,
            body: body.map(|b| b.to_bytes()).unwrap_or_default(),
        };
        received.lock().unwrap_or_else(|e| e.into_inner()).push(r);
    }
    let path = parts.uri.path();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let resp = match (&parts.method, segments.as_slice()) {
        (&Method::POST, [.., "token"]) => json(StatusCode::OK, canned.token.clone()),
        (&Method::GET, ["api", "v1", "Tenants", _, "AutomationIdentities", _]) => {
            json(StatusCode::OK, canned.aveva_identity.clone())
        }
        (&Method::GET, ["api", "v1", "Tenants", tenant, "AutomationIdentities"]) => {
            let total = tenant.parse::<u64>().unwrap_or(2);
            let (mut skip, mut count) = (0u64, 100u64);
            for (k, v) in url::form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes()) {
                match &*k {
                    "skip" => skip = v.parse().unwrap_or(0),
                    "count" => count = v.parse().unwrap_or(100),
                    _ => {}
                }
            }
            json(StatusCode::OK, canned.page(total, skip, count))
        }
        (&Method::POST, ["account-requests", "v1", "machine-account-create"]) => {
            json(StatusCode::ACCEPTED, canned.isc_accepted.clone())
        }
        (&Method::POST, ["v1", "instances", _, "permission-sets", _, "provision"]) => {
            let mut resp = json(StatusCode::OK, canned.huawei_provisioned.clone());
            resp.headers_mut()
                .insert("x-request-id", HeaderValue::from_static(HUAWEI_REQUEST_ID));
            resp
        }
        (&Method::POST, ["user_identities", "enrollment_automations", "get"]) => {
            let mut resp = json(StatusCode::OK, canned.seam_enrollment.clone());
            resp.headers_mut()
                .insert("seam-request-id", HeaderValue::from_static(SEAM_REQUEST_ID));
            resp
        }
        (&Method::GET, ["workflow_actions"]) => json(StatusCode::OK, canned.nerm_actions.clone()),
        _ => {
            let mut resp = Response::new(Full::new(Bytes::new()));
            *resp.status_mut() = StatusCode::NOT_FOUND;
            resp
        }
    };
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_valid_json_with_distinct_ids_and_end_at_the_total() {
        let canned = Canned::new(&Examples::from_specs().unwrap()).unwrap();
        let page: Vec<Value> = serde_json::from_slice(&canned.page(250, 200, 100)).unwrap();
        assert_eq!(page.len(), 50);
        assert_ne!(page[0]["Id"], page[1]["Id"]);
        assert_eq!(page[0]["Name"], "Name");
        let empty: Vec<Value> = serde_json::from_slice(&canned.page(250, 300, 100)).unwrap();
        assert!(empty.is_empty());
    }
}
