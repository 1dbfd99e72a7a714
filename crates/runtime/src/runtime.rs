//! The runtime a generated client carries: what its `pre`, `exec` and `post` hooks do.
//!
//! - `pre`: checks documented integer query bounds, adds the headers the spec requires with a default,
//!   and authorizes the request (an OAuth2 token is fetched here, so its failure is a clear auth error).
//! - `exec`: sends the request, retrying per [`crate::retry`], re-authorizing every new attempt (fresh
//!   token, fresh signature) and refreshing an OAuth2 token once after a 401; records a tracing span; keeps
//!   the body of an answer that is not a documented success, so the error conversion can read the
//!   vendor's words synchronously.
//!
//! A documented success goes back to the generated code untouched; [`crate::decode`] reads it.

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
    /// Per operation (same order as `api.operations`), the headers `pre` fills, parsed once.
    fill_headers: Vec<Vec<(HeaderName, HeaderValue)>>,
}

/// What `exec` attaches to an answer it hands back, so errors can be read without awaiting.
#[derive(Debug, Clone)]
pub(crate) struct AnswerContext {
    pub(crate) vendor: Vendor,
    pub(crate) operation_id: &'static str,
    pub(crate) body: Bytes,
}

impl Runtime {
    /// Fails when the operation table names a header that is not a valid header name or value.
    pub(crate) fn new(
        api: &ApiInfo,
        auth: Auth,
        retry: RetryPolicy,
        request_timeout: Duration,
    ) -> Result<Self, Error> {
        let fill_headers = api
            .operations
            .iter()
            .map(|op| {
                op.fill_headers
                    .iter()
                    .map(|(name, value)| parse_fill_header(op.operation_id, name, value))
                    .collect::<Result<Vec<_>, Error>>()
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(Self {
            shared: Arc::new(Shared {
                api: *api,
                auth,
                retry,
                request_timeout,
                fill_headers,
            }),
        })
    }

    /// The vendor this runtime serves.
    pub fn vendor(&self) -> Vendor {
        self.shared.api.vendor
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.shared.retry
    }

    /// The table entry of `operation_id` and its position in the table.
    fn meta(&self, operation_id: &str) -> Option<(usize, &'static OperationMeta)> {
        self.shared
            .api
            .operations
            .iter()
            .enumerate()
            .find(|(_, o)| o.operation_id == operation_id)
    }

    /// The `pre` hook: prepares and authorizes `request` for `operation_id`.
    pub async fn pre(
        &self,
        request: &mut reqwest::Request,
        operation_id: &'static str,
    ) -> Result<(), Error> {
        if let Some((index, meta)) = self.meta(operation_id) {
            meta.check_query_bounds(request.url()).map_err(|msg| {
                self.tag(
                    Error::new(
                        ErrorKind::InvalidRequest,
                        format!("request not sent: {msg}"),
                    ),
                    operation_id,
                )
            })?;
            let headers = request.headers_mut();
            for (name, value) in self.shared.fill_headers.get(index).into_iter().flatten() {
                if !headers.contains_key(name) {
                    headers.insert(name.clone(), value.clone());
                }
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
        let mut now = Instant::now();
        let deadline = now + policy.deadline;
        let method = request.method().clone();
        // A request whose body cannot be cloned (a stream) gets exactly one attempt.
        let template = retry_template(&request);
        let mut req = request;
        let mut attempt: u32 = 0;
        let mut refreshed_after_401 = false;
        loop {
            attempt += 1;
            // The reqwest client already applies `request_timeout` to every request; a request-level
            // timeout (which costs reqwest an extensions map per request) is only set when the overall
            // deadline is nearer.
            let remaining = deadline.saturating_duration_since(now);
            if remaining < self.shared.request_timeout {
                *req.timeout_mut() = Some(remaining.max(Duration::from_millis(1)));
            }
            let sent_auth = req.headers().get(AUTHORIZATION).cloned();
            let attempt_started = now;
            let outcome = http.execute(req).await;
            now = Instant::now();
            let latency_ms = now.duration_since(attempt_started).as_millis() as u64;

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
                (Some(wait), Some(template)) => retry_template(template).map(|r| (wait, r)),
                _ => None,
            };
            let Some((wait, mut again)) = retry else {
                return self.finish(outcome, operation_id).await;
            };
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
                now = Instant::now();
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

    /// Hands the last outcome back to the generated code. A documented success goes back untouched (the
    /// generated code reads it through [`crate::decode`]); any other answer is read whole and keeps its
    /// body in an [`AnswerContext`], so the error conversion can read the vendor's error without awaiting.
    async fn finish(
        &self,
        outcome: reqwest::Result<reqwest::Response>,
        operation_id: &'static str,
    ) -> reqwest::Result<reqwest::Response> {
        let resp = outcome?;
        let status = resp.status();
        let documented_success = match self.meta(operation_id) {
            Some((_, meta)) => meta.success_statuses.contains(&status.as_u16()),
            None => status.is_success(),
        };
        if documented_success {
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

    /// Adds what the runtime knows of an answer to an error about it: vendor, operation, status and the
    /// vendor's request id from the headers.
    pub(crate) fn with_context(
        &self,
        err: Error,
        status: u16,
        headers: &reqwest::header::HeaderMap,
        operation_id: &str,
    ) -> Error {
        let mut err = self.tag(err, operation_id).with_status(status);
        if err.inner.request_id.is_none() {
            err.inner.request_id = self.vendor().header_request_id(headers);
        }
        err
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

fn parse_fill_header(
    operation_id: &str,
    name: &str,
    value: &'static str,
) -> Result<(HeaderName, HeaderValue), Error> {
    let invalid = |what: &str| {
        Error::new(
            ErrorKind::InvalidRequest,
            format!(
                "operation {operation_id}: the spec's default header {name:?} has an invalid {what}"
            ),
        )
    };
    let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid("name"))?;
    let value = HeaderValue::from_str(value).map_err(|_| invalid("value"))?;
    Ok((name, value))
}

/// A copy of `request` for a later attempt, or `None` when its body is a stream (one attempt only).
///
/// `reqwest::Request::try_clone` would do, but it always creates the request's extensions map (it sets
/// the timeout through it), an allocation on every call; this copy creates one only if the request has
/// a timeout of its own.
fn retry_template(request: &reqwest::Request) -> Option<reqwest::Request> {
    let body = match request.body() {
        Some(body) => Some(reqwest::Body::from(Bytes::copy_from_slice(
            body.as_bytes()?,
        ))),
        None => None,
    };
    let mut copy = reqwest::Request::new(request.method().clone(), request.url().clone());
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    if let Some(timeout) = request.timeout() {
        *copy.timeout_mut() = Some(*timeout);
    }
    *copy.body_mut() = body;
    Some(copy)
}
