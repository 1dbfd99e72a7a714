//! The runtime a generated client carries: what its `pre`, `exec` and `post` hooks do.
//!
//! - `pre`: drops progenitor's `api-version` header, adds the headers the spec requires with a default,
//!   and authorizes the request (an OAuth2 token is fetched here, so its failure is a clear auth error).
//! - `exec`: sends the request, retrying per [`crate::retry`], re-authorizing every new attempt (fresh
//!   token, fresh signature) and refreshing an OAuth2 token once after a 401; records a tracing span; keeps
//!   the body of an error answer so the error conversion can read the vendor's words synchronously.
//! - `post`: refuses a success answer whose body cannot be JSON, keeping its status and first bytes.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::ResponseBuilderExt;
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use tracing::Instrument;

use crate::auth::Auth;
use crate::operation::{ApiInfo, OperationMeta};
use crate::retry::{Decision, RetryPolicy, decide_status, decide_transport};
use crate::vendor::Vendor;
use crate::{Error, ErrorKind};

/// The runtime state a generated client carries as its inner value. Cloning shares it (and the token cache).
#[derive(Clone, Debug)]
pub struct Runtime {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    api: ApiInfo,
    auth: Auth,
    retry: RetryPolicy,
    request_timeout: Duration,
}

/// progenitor's `api-version` header, which `pre` drops (a static name: no parsing per call).
const API_VERSION: HeaderName = HeaderName::from_static("api-version");

/// What `exec` attaches to an answer it hands back, so errors can be read without awaiting.
#[derive(Debug, Clone)]
pub(crate) struct AnswerContext {
    pub(crate) vendor: Vendor,
    pub(crate) operation_id: &'static str,
    pub(crate) body: Bytes,
}

impl Runtime {
    pub(crate) fn new(
        api: &ApiInfo,
        auth: Auth,
        retry: RetryPolicy,
        request_timeout: Duration,
    ) -> Self {
        Self {
            shared: Arc::new(Shared {
                api: *api,
                auth,
                retry,
                request_timeout,
            }),
        }
    }

    /// The vendor this runtime serves.
    pub fn vendor(&self) -> Vendor {
        self.shared.api.vendor
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.shared.retry
    }

    fn meta(&self, operation_id: &str) -> Option<&'static OperationMeta> {
        self.shared.api.operation(operation_id)
    }

    /// The `pre` hook: prepares and authorizes `request` for `operation_id`.
    pub async fn pre(
        &self,
        request: &mut reqwest::Request,
        operation_id: &'static str,
    ) -> Result<(), Error> {
        let meta = self.meta(operation_id);
        if let Some(meta) = meta {
            meta.check_query_bounds(request.url()).map_err(|msg| {
                self.tag(
                    Error::new(
                        ErrorKind::InvalidRequest,
                        format!("request not sent: {msg}"),
                    ),
                    operation_id,
                )
            })?;
        }
        let headers = request.headers_mut();
        headers.remove(API_VERSION);
        for (name, value) in meta.map(|m| m.fill_headers).unwrap_or_default() {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::new(
                    ErrorKind::InvalidRequest,
                    format!("spec header name {name:?} is not a valid header name"),
                )
            })?;
            if !headers.contains_key(&name) {
                headers.insert(name, HeaderValue::from_static(value));
            }
        }
        // `apply` fetches an OAuth2 token when none is cached, so its failure is the same clear auth error.
        self.shared
            .auth
            .apply(request)
            .await
            .map_err(|e| self.tag(e, operation_id))?;
        Ok(())
    }

    /// The `exec` hook: sends `request` with retries; see the [module docs](self).
    pub async fn exec(
        &self,
        http: &reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> reqwest::Result<reqwest::Response> {
        let span = tracing::info_span!(
            "idprov.request",
            vendor = %self.vendor(),
            operation_id,
            method = %request.method(),
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
            request_id = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        self.exec_with_retries(http, request, operation_id)
            .instrument(span)
            .await
    }

    async fn exec_with_retries(
        &self,
        http: &reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> reqwest::Result<reqwest::Response> {
        let policy = &self.shared.retry;
        let started = Instant::now();
        let deadline = started + policy.deadline;
        let method = request.method().clone();
        // A request whose body cannot be cloned (a stream) gets exactly one attempt.
        let template = request.try_clone();
        let mut req = request;
        let mut attempt: u32 = 0;
        let mut refreshed_after_401 = false;
        loop {
            attempt += 1;
            let remaining = deadline.saturating_duration_since(Instant::now());
            *req.timeout_mut() = Some(
                remaining
                    .min(self.shared.request_timeout)
                    .max(Duration::from_millis(1)),
            );
            let sent_auth = req.headers().get(AUTHORIZATION).cloned();
            let attempt_started = Instant::now();
            let outcome = http.execute(req).await;
            let latency_ms = attempt_started.elapsed().as_millis() as u64;

            let span = tracing::Span::current();
            span.record("attempt", attempt);
            span.record("latency_ms", latency_ms);
            let wait = match &outcome {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    if !span.is_disabled() {
                        span.record("status", status);
                        if let Some(id) = self.vendor().header_request_id(resp.headers()) {
                            span.record("request_id", id.as_str());
                        }
                    }
                    tracing::debug!(target: "idprov", attempt, status, latency_ms, "answer");
                    if status == 401 && !refreshed_after_401 {
                        refreshed_after_401 = true;
                        if self.shared.auth.refresh_after_401(sent_auth.as_ref()).await {
                            Some(Duration::ZERO)
                        } else {
                            None
                        }
                    } else {
                        match decide_status(&method, status, resp.headers(), SystemTime::now()) {
                            Decision::Retry(after) => {
                                self.wait_before_retry(attempt, after, deadline)
                            }
                            Decision::Stop => None,
                        }
                    }
                }
                Err(e) => {
                    tracing::debug!(target: "idprov", attempt, latency_ms, error = %crate::convert::transport_message(e), "no answer");
                    match decide_transport(&method, e) {
                        Decision::Retry(_) => self.wait_before_retry(attempt, None, deadline),
                        Decision::Stop => None,
                    }
                }
            };
            let retry = match (wait, template.as_ref()) {
                (Some(wait), Some(template)) => template.try_clone().map(|r| (wait, r)),
                _ => None,
            };
            let Some((wait, mut again)) = retry else {
                return self.finish(outcome, operation_id).await;
            };
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            // After the wait, a new attempt gets fresh credentials (a new token after a 401, a new signature
            // and date). If they cannot be had, the last answer stands.
            if self.shared.auth.apply(&mut again).await.is_err() {
                return self.finish(outcome, operation_id).await;
            }
            req = again;
        }
    }

    /// How long to wait before attempt `attempt + 1`, or `None` when retrying must stop.
    fn wait_before_retry(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        deadline: Instant,
    ) -> Option<Duration> {
        let policy = &self.shared.retry;
        if attempt >= policy.max_attempts {
            return None;
        }
        let wait = match retry_after {
            Some(after) if after > policy.max_retry_after => return None,
            Some(after) => after,
            None => policy.backoff(attempt),
        };
        (Instant::now() + wait < deadline).then_some(wait)
    }

    /// Hands the last outcome back to the generated code. An answer that is not a documented success, or a
    /// success that should be JSON, is read whole and keeps its body in an [`AnswerContext`], so the `post`
    /// hook and the error conversion can read it without awaiting (progenitor then decodes the same bytes).
    async fn finish(
        &self,
        outcome: reqwest::Result<reqwest::Response>,
        operation_id: &'static str,
    ) -> reqwest::Result<reqwest::Response> {
        let resp = outcome?;
        let status = resp.status();
        let meta = self.meta(operation_id);
        let documented_success = meta
            .map(|m| m.success_statuses.contains(&status.as_u16()))
            .unwrap_or(status.is_success());
        let expects_json = meta.is_some_and(|m| m.json_response);
        if documented_success && !expects_json {
            return Ok(resp);
        }
        let mut resp = resp;
        let version = resp.version();
        let headers = std::mem::take(resp.headers_mut());
        let url = resp.url().clone();
        let body = resp.bytes().await?;
        let mut builder = http::Response::builder()
            .status(status)
            .version(version)
            .url(url);
        if let Some(h) = builder.headers_mut() {
            *h = headers;
        }
        let mut rebuilt = match builder.body(body.clone()) {
            Ok(r) => r,
            // The parts came from a valid response, so this cannot fail; keep the body regardless.
            Err(_) => http::Response::new(body.clone()),
        };
        rebuilt.extensions_mut().insert(AnswerContext {
            vendor: self.vendor(),
            operation_id,
            body,
        });
        Ok(reqwest::Response::from(rebuilt))
    }

    /// The `post` hook: a documented success that should carry JSON but plainly does not (an HTML page, a
    /// cut-off body) becomes a decode error that keeps the status and the first bytes. The check looks at
    /// the first and last non-blank bytes only; a body of the wrong JSON shape is reported by the decoder.
    pub fn post(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        operation_id: &'static str,
    ) -> Result<(), Error> {
        let Ok(resp) = result else { return Ok(()) };
        let Some(meta) = self.meta(operation_id) else {
            return Ok(());
        };
        let status = resp.status().as_u16();
        if !meta.json_response || !meta.success_statuses.contains(&status) {
            return Ok(());
        }
        let Some(ctx) = resp.extensions().get::<AnswerContext>() else {
            return Ok(());
        };
        if looks_like_json(&ctx.body) {
            return Ok(());
        }
        let content_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("no content type");
        Err(self.tag(
            Error::new(
                ErrorKind::Decode,
                format!(
                    "expected a JSON body, got {} bytes of {content_type} that cannot be JSON (empty, cut off, or not JSON)",
                    ctx.body.len()
                ),
            )
            .with_status(status)
            .with_body_prefix(&ctx.body),
            operation_id,
        ))
    }

    /// Adds vendor and operation to an error made by the runtime.
    pub(crate) fn tag(&self, err: Error, operation_id: &str) -> Error {
        let err = if err.inner.vendor.is_none() {
            err.with_vendor(self.vendor())
        } else {
            err
        };
        if err.inner.operation_id.is_none() {
            err.with_operation(operation_id)
        } else {
            err
        }
    }
}

/// Whether `body` starts and ends like a JSON object, array or string (cheap: two bytes are looked at).
fn looks_like_json(body: &[u8]) -> bool {
    let trimmed = body.trim_ascii();
    match (trimmed.first(), trimmed.last()) {
        (Some(b'{'), Some(b'}')) | (Some(b'['), Some(b']')) => true,
        (Some(b'"'), Some(b'"')) => trimmed.len() >= 2,
        (Some(first), Some(_)) => {
            first.is_ascii_digit() || matches!(first, b'-' | b't' | b'f' | b'n')
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::looks_like_json;

    #[test]
    fn cut_off_or_html_bodies_do_not_look_like_json() {
        assert!(looks_like_json(br#" {"a": 1} "#));
        assert!(looks_like_json(b"[]"));
        assert!(!looks_like_json(br#"{"a": 1"#));
        assert!(!looks_like_json(
            b"<html><body>502 Bad Gateway</body></html>"
        ));
        assert!(!looks_like_json(b""));
        assert!(!looks_like_json(b"   "));
    }
}
