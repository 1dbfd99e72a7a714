//! [`Runtime::exec`]: the attempts of one call, the retries between them, and handing the last answer back
//! (a documented success as it is, anything else as the vendor's [`Error`]).
//!
//! The first attempt is the fast path and its future is kept small (every call's future contains it and
//! is moved as a whole): no loop state, no inline token fetch, no inline body read. Anything past the
//! first answer — a retry, a 401 refresh, reading an error body — runs in boxed futures, paid for only by
//! the calls that need them.

use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use tracing::{Instrument, Span};

use crate::Error;
use crate::answer::{Again, Answer};
use crate::body::read_error_body;
use crate::convert::from_reqwest;
use crate::operation::OperationMeta;
use crate::retry::{Decision, decide_status, decide_transport};
use crate::runtime::Runtime;

/// How much of an error answer's body is read; the rest is dropped (an error keeps far less of it).
pub const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// The least time a retry is started with before the deadline (more when the last attempt took longer).
const MIN_ATTEMPT_TIME: Duration = Duration::from_millis(100);

/// What to do after an attempt's outcome.
pub(crate) enum Next {
    /// Hand the outcome back.
    Stop,
    /// Try again after this long.
    Wait(Duration),
    /// A 401: forget the token it carried and try once more with a new one.
    Refresh,
}

/// How the last outcome is handed back.
enum Finished {
    /// As it is.
    Done(Result<Answer, Error>),
    /// As the vendor's error, after reading its body.
    ReadError(reqwest::Response),
}

/// What the attempts of one call share.
pub(crate) struct Call<'a> {
    pub(crate) http: &'a reqwest::Client,
    pub(crate) operation_id: &'static str,
    pub(crate) span: Span,
    /// When the call's time is up; `None` when the deadline is beyond what an `Instant` holds.
    pub(crate) deadline: Option<Instant>,
    /// Whether sending the request twice cannot act twice.
    pub(crate) idempotent: bool,
    /// Whether anyone records latency (a span or a debug event).
    pub(crate) timed: bool,
    /// The operation's table entry (`None` for an operation the table does not have).
    pub(crate) meta: Option<&'static OperationMeta>,
    /// A copy of the request for later attempts; `None` when its body is a stream or no later attempt can
    /// happen (one attempt only).
    pub(crate) template: Option<Template>,
}

/// What later attempts are made from: the request without its body, and the body's bytes (shared with
/// the first attempt, not copied).
pub(crate) struct Template {
    parts: reqwest::Request,
    body: Option<Bytes>,
}

impl Template {
    /// A new attempt: a copy of the parts with the shared body.
    fn attempt(&self) -> reqwest::Request {
        let mut copy = copy_request_parts(&self.parts);
        *copy.body_mut() = self.body.clone().map(reqwest::Body::from);
        copy
    }
}

impl Runtime {
    /// Sends `request` with retries per [`crate::retry`], re-authorizing every new attempt; a documented
    /// success comes back as an [`Answer`] whose body is still to be read (by [`crate::decode`], which
    /// retries an idempotent call whose body breaks off), any other answer as the vendor's [`Error`].
    ///
    /// A plain function that prepares the call and returns an `async` block for the first attempt: an
    /// `async fn` would copy its arguments into its own state and add a layer to every call's future.
    pub fn exec<'a>(
        &'a self,
        http: &'a reqwest::Client,
        mut req: reqwest::Request,
        operation_id: &'static str,
    ) -> impl Future<Output = Result<Answer, Error>> + 'a {
        let meta = self.meta(operation_id).map(|(_, meta)| meta);
        // One span per call; its fields never hold a query value or a credential. `status` and
        // `attempts` are recorded once, when the call ends; each attempt is an event of its own.
        let span = tracing::info_span!(
            target: "idprov",
            "idprov.request",
            vendor = self.vendor().name,
            operation_id,
            method = %req.method(),
            host = req.url().host_str().unwrap_or(""),
            path = meta.map_or("", |m| m.path),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        let started = Instant::now();
        // The deadline runs from the start of the call: when `pre` spent time fetching a token first, it
        // left what remains of the deadline as the request's timeout.
        let budget = req.timeout().map_or(self.shared.retry.deadline, |left| {
            (*left).min(self.shared.retry.deadline)
        });
        let timed =
            !span.is_disabled() || tracing::enabled!(target: "idprov", tracing::Level::DEBUG);
        let mut call = Call {
            http,
            operation_id,
            deadline: started.checked_add(budget),
            idempotent: crate::retry::is_idempotent(req.method()),
            timed,
            meta,
            // Without retries there is no later attempt to copy the request for — except the one new
            // attempt an OAuth2 client makes with a fresh token after a 401.
            template: if self.shared.retry.max_attempts > 1
                || self.shared.auth.refreshes_after_401()
            {
                retry_template(&mut req)
            } else {
                None
            },
            span,
        };
        // The reqwest client already applies `request_timeout` to every request; a request-level timeout
        // (which costs reqwest an extensions map per request) is only set when the deadline is shorter.
        self.limit_to_deadline(&mut req, &call, started);
        // `execute` only prepares the exchange (nothing is sent until it is polled); calling it here lets
        // the future below hold its small handle instead of the request.
        let sending = http.execute(req).instrument(call.span.clone());
        async move {
            let outcome = sending.await;
            let next = self.observe(&call, &outcome, 1, started, false);
            if let Next::Stop = next {
                return match self.finish_now(outcome, &mut call, 1, started) {
                    Finished::Done(done) => done,
                    Finished::ReadError(resp) => Box::pin(self.read_error(resp, &call, 1)).await,
                };
            }
            Box::pin(self.retry_from(call, outcome, next, 1, started)).await
        }
    }

    /// The attempts after attempt `attempt` (which started at `attempt_started` and ended in `outcome`,
    /// for which `next` was decided): also called for a success whose body broke off.
    pub(crate) async fn retry_from(
        &self,
        mut call: Call<'_>,
        mut outcome: reqwest::Result<reqwest::Response>,
        mut next: Next,
        mut attempt: u32,
        mut attempt_started: Instant,
    ) -> Result<Answer, Error> {
        let mut refreshed_after_401 = false;
        // The `Authorization` of the attempt in flight: the template holds the first attempt's.
        let mut sent_auth: Option<HeaderValue> = None;
        loop {
            let wait = match next {
                Next::Stop => None,
                Next::Wait(wait) => Some(wait),
                Next::Refresh => {
                    refreshed_after_401 = true;
                    let sent = sent_auth.as_ref().or_else(|| {
                        call.template
                            .as_ref()
                            .and_then(|t| t.parts.headers().get(AUTHORIZATION))
                    });
                    self.shared
                        .auth
                        .refresh_after_401(sent)
                        .await
                        .then_some(Duration::ZERO)
                }
            };
            let again = wait.and_then(|wait| {
                let again = call.template.as_ref().map(Template::attempt)?;
                Some((wait, again))
            });
            let Some((wait, mut again)) = again else {
                return self
                    .finish(outcome, &mut call, attempt, attempt_started)
                    .await;
            };
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            // After the wait, a new attempt gets fresh credentials (a new token after a 401, a new signature
            // and date). If they cannot be had, the last answer stands.
            if self.shared.auth.apply(&mut again).await.is_err() {
                return self
                    .finish(outcome, &mut call, attempt, attempt_started)
                    .await;
            }
            sent_auth = again.headers().get(AUTHORIZATION).cloned();
            attempt += 1;
            attempt_started = Instant::now();
            self.limit_to_deadline(&mut again, &call, attempt_started);
            outcome = call.http.execute(again).instrument(call.span.clone()).await;
            next = self.observe(
                &call,
                &outcome,
                attempt,
                attempt_started,
                refreshed_after_401,
            );
        }
    }

    /// Sets a request-level timeout when the overall deadline is nearer than the client's timeout.
    fn limit_to_deadline(&self, req: &mut reqwest::Request, call: &Call<'_>, now: Instant) {
        let remaining = call
            .deadline
            .map_or(Duration::MAX, |d| d.saturating_duration_since(now));
        // A client the user brought has a timeout the runtime does not know; set ours on every attempt.
        if remaining < self.shared.request_timeout
            || req.timeout().is_some()
            || self.shared.custom_http
        {
            *req.timeout_mut() = Some(
                remaining
                    .min(self.shared.request_timeout)
                    .max(Duration::from_millis(1)),
            );
        }
    }

    /// Records attempt `attempt`'s outcome (span fields, debug event) and decides what comes next.
    fn observe(
        &self,
        call: &Call<'_>,
        outcome: &reqwest::Result<reqwest::Response>,
        attempt: u32,
        started: Instant,
        refreshed_after_401: bool,
    ) -> Next {
        let span = &call.span;
        let latency_ms = if call.timed {
            started.elapsed().as_millis() as u64
        } else {
            0
        };
        let method = call.template.as_ref().map(|t| t.parts.method());
        match outcome {
            Ok(resp) => {
                let status = resp.status().as_u16();
                if tracing::enabled!(target: "idprov", tracing::Level::DEBUG) {
                    let request_id = self.vendor().header_request_id(resp.headers());
                    tracing::debug!(target: "idprov", parent: span, attempt, status, latency_ms, request_id, "answer");
                }
                if status < 400 {
                    // Nothing below 400 is retried (a redirect is not followed: it is an error).
                    return Next::Stop;
                }
                if status == 401 && !refreshed_after_401 {
                    if self.shared.auth.refreshes_after_401() {
                        tracing::info!(target: "idprov", parent: span, attempt, status, "the token was refused (401); retrying once with a new token");
                    }
                    return Next::Refresh;
                }
                match method.map(|m| decide_status(m, status, resp.headers(), SystemTime::now())) {
                    Some(Decision::Retry(after)) => {
                        let why = match (status, after) {
                            (429, Some(_)) => "rate limited (429) with Retry-After",
                            (429, None) => "rate limited (429)",
                            (503, Some(_)) => "unavailable (503) with Retry-After",
                            _ => "gateway or server unavailable",
                        };
                        self.wait_before_retry(attempt, after, call, started, why, Some(status))
                    }
                    Some(Decision::Stop) | None => Next::Stop,
                }
            }
            Err(e) => {
                tracing::debug!(target: "idprov", parent: span, attempt, latency_ms, error = %crate::convert::transport_message(e), "no answer");
                match method.map(|m| decide_transport(m, e)) {
                    Some(Decision::Retry(_)) => {
                        let why = if e.is_timeout() {
                            "no answer in time"
                        } else if e.is_connect() {
                            "cannot connect"
                        } else {
                            "the connection failed"
                        };
                        self.wait_before_retry(attempt, None, call, started, why, None)
                    }
                    Some(Decision::Stop) | None => Next::Stop,
                }
            }
        }
    }

    /// How long to wait before attempt `attempt + 1` (which started at `attempt_started`), or
    /// [`Next::Stop`] when retrying must stop: no attempts left, a `Retry-After` longer than the policy
    /// honours, or too little time before the deadline for another attempt after the wait — as long as the
    /// last one took, and at least [`MIN_ATTEMPT_TIME`] — so that the last answer, not a bare timeout, is
    /// what the caller gets.
    ///
    /// `why` says what went wrong (for the INFO event of a retry and the WARN event of giving up).
    pub(crate) fn wait_before_retry(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        call: &Call<'_>,
        attempt_started: Instant,
        why: &'static str,
        status: Option<u16>,
    ) -> Next {
        let policy = &self.shared.retry;
        let give_up = |because: &'static str| {
            tracing::warn!(target: "idprov", parent: &call.span, attempt, status, because, "giving up: {why}");
            Next::Stop
        };
        if attempt >= policy.max_attempts {
            return give_up("no attempts left");
        }
        let wait = match retry_after {
            Some(after) if after > policy.max_retry_after => {
                return give_up("Retry-After is longer than the policy's max_retry_after");
            }
            Some(after) => after,
            None => policy.backoff(attempt),
        };
        let retry = || {
            tracing::info!(target: "idprov", parent: &call.span, attempt, status, wait_ms = wait.as_millis() as u64, "{why}: retrying in {} ms", wait.as_millis());
            Next::Wait(wait)
        };
        let Some(deadline) = call.deadline else {
            return retry();
        };
        let now = Instant::now();
        let needed = now
            .saturating_duration_since(attempt_started)
            .max(MIN_ATTEMPT_TIME);
        match now.checked_add(wait).and_then(|t| t.checked_add(needed)) {
            Some(done) if done < deadline => retry(),
            _ => give_up("the deadline would pass before another attempt"),
        }
    }

    /// Hands the last outcome back to the generated code (see [`Runtime::finish_now`]).
    async fn finish(
        &self,
        outcome: reqwest::Result<reqwest::Response>,
        call: &mut Call<'_>,
        attempts: u32,
        attempt_started: Instant,
    ) -> Result<Answer, Error> {
        match self.finish_now(outcome, call, attempts, attempt_started) {
            Finished::Done(done) => done,
            Finished::ReadError(resp) => Box::pin(self.read_error(resp, call, attempts)).await,
        }
    }

    /// Whether the outcome can be handed back without reading anything: a documented success (the
    /// generated code reads it through [`crate::decode`]) or a transport error can; any other answer's body
    /// is read first ([`Runtime::read_error`]).
    fn finish_now(
        &self,
        outcome: reqwest::Result<reqwest::Response>,
        call: &mut Call<'_>,
        attempts: u32,
        attempt_started: Instant,
    ) -> Finished {
        // The span's outcome fields are recorded once, when the call ends.
        if !call.span.is_disabled() {
            call.span.record("attempts", attempts);
            if let Ok(resp) = &outcome {
                call.span.record("status", resp.status().as_u16());
                if let Some(id) = self.vendor().header_request_id(resp.headers()) {
                    call.span.record("request_id", id.as_str());
                }
            }
        }
        let resp = match outcome {
            Ok(resp) => resp,
            Err(e) => return Finished::Done(Err(self.transport_error(e, call, attempts))),
        };
        let status = resp.status();
        let documented_success = match call.meta {
            Some(meta) => meta.success_statuses.contains(&status.as_u16()),
            None => status.is_success(),
        };
        if !documented_success {
            return Finished::ReadError(resp);
        }
        // An idempotent call whose success has a body to read keeps what another attempt needs, in case
        // that body breaks off (see crate::answer).
        let again = if call.idempotent && call.meta.is_some_and(|m| m.json_response) {
            call.template.take().map(|template| {
                Box::new(Again {
                    http: call.http.clone(),
                    operation_id: call.operation_id,
                    span: call.span.clone(),
                    deadline: call.deadline,
                    timed: call.timed,
                    template,
                    attempt_started,
                })
            })
        } else {
            None
        };
        Finished::Done(Ok(Answer {
            response: resp,
            attempts,
            again,
        }))
    }

    /// A transport failure or timeout as an [`Error`] saying where (vendor, operation, host, attempts) and
    /// whether the server may have acted: not when the connection was never established.
    fn transport_error(&self, e: reqwest::Error, call: &Call<'_>, attempts: u32) -> Error {
        let host = e.url().and_then(|u| u.host_str()).map(str::to_string);
        let connected = !e.is_connect();
        let mut err = self.tag(from_reqwest(e, "no answer"), call.operation_id);
        err.inner.host = host;
        err.inner.attempts = attempts;
        err.inner.acted = Some(connected);
        err.inner.idempotent = call.idempotent;
        self.scrub(err)
    }

    /// Reads an answer that is not a documented success (at most [`ERROR_BODY_LIMIT`] bytes of its body;
    /// the rest is dropped) into the vendor's [`Error`]. A body that breaks off is read as far as it came.
    /// A redirect is an error with its `Location` (redirects are not followed).
    async fn read_error(
        &self,
        mut resp: reqwest::Response,
        call: &Call<'_>,
        attempts: u32,
    ) -> Result<Answer, Error> {
        let status = resp.status().as_u16();
        let body = read_error_body(&mut resp, ERROR_BODY_LIMIT).await;
        let mut err = self
            .vendor()
            .read_error(status, resp.headers(), &body)
            .with_operation(call.operation_id);
        if (300..400).contains(&status) {
            let location = resp
                .headers()
                .get(reqwest::header::LOCATION)
                .map(|l| String::from_utf8_lossy(l.as_bytes()).into_owned());
            err.inner.kind = crate::ErrorKind::Redirected;
            err.inner.message = match &location {
                Some(to) => format!("redirected to {to}; redirects are not followed"),
                None => "redirected (no Location); redirects are not followed".to_string(),
            };
            err.inner.location = location;
        }
        err.inner.host = resp.url().host_str().map(str::to_string);
        err.inner.attempts = attempts;
        // The server answered: it refused (4xx, a redirect), or said it did not act (429, 503 with
        // Retry-After); any other 5xx may have acted.
        err.inner.acted =
            Some(status >= 500 && !(status == 503 && err.inner.retry_after.is_some()));
        err.inner.idempotent = call.idempotent;
        Err(self.scrub(err))
    }
}

/// What later attempts of `request` are made from, or `None` when its body is a stream (one attempt
/// only).
///
/// The body is not copied: a body of bytes is taken out of `request` as the `Bytes` it holds and put back,
/// so the request and the template share one buffer (a reference count).
fn retry_template(request: &mut reqwest::Request) -> Option<Template> {
    // A streaming body stays where it is: it cannot be sent twice.
    if request.body().is_some_and(|b| b.as_bytes().is_none()) {
        return None;
    }
    let body = match request.body_mut().take() {
        None => None,
        Some(body) => {
            let bytes = body_bytes(body).unwrap_or_default();
            *request.body_mut() = Some(reqwest::Body::from(bytes.clone()));
            Some(bytes)
        }
    };
    Some(Template {
        parts: copy_request_parts(request),
        body,
    })
}

/// The `Bytes` a body of bytes holds, without copying them; `None` for a streaming body.
fn body_bytes(mut body: reqwest::Body) -> Option<Bytes> {
    use http_body::Body as _;
    body.as_bytes()?;
    // A body of bytes yields all of them as its first frame, at once (reqwest's `Body::reusable`).
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match std::pin::Pin::new(&mut body).poll_frame(&mut cx) {
        std::task::Poll::Ready(Some(Ok(frame))) => frame.into_data().ok(),
        std::task::Poll::Ready(None) => Some(Bytes::new()),
        _ => None,
    }
}

/// Method, URL, headers, version and timeout of `request`.
///
/// `reqwest::Request::try_clone` would do, but it always creates the request's extensions map (it sets
/// the timeout through it), an allocation on every call; this copy creates one only if the request has
/// a timeout of its own.
fn copy_request_parts(request: &reqwest::Request) -> reqwest::Request {
    let mut copy = reqwest::Request::new(request.method().clone(), request.url().clone());
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    if let Some(timeout) = request.timeout() {
        *copy.timeout_mut() = Some(*timeout);
    }
    copy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_retry_template_shares_the_body_with_the_first_attempt_instead_of_copying_it() {
        let url = reqwest::Url::parse("https://example.test/x").unwrap();
        let mut req = reqwest::Request::new(reqwest::Method::POST, url);
        *req.body_mut() = Some(reqwest::Body::from(b"{\"a\":1}".to_vec()));
        let template = retry_template(&mut req).unwrap();
        let first = req.body().and_then(reqwest::Body::as_bytes).unwrap();
        let kept = template.body.as_ref().unwrap();
        assert_eq!(first, b"{\"a\":1}");
        assert_eq!(first.as_ptr(), kept.as_ptr(), "one buffer, not a copy");
        let again = template.attempt();
        assert_eq!(
            again.body().and_then(reqwest::Body::as_bytes),
            Some(&b"{\"a\":1}"[..])
        );
        assert_eq!(again.method(), reqwest::Method::POST);
    }

    #[test]
    fn a_streaming_body_has_no_template() {
        let url = reqwest::Url::parse("https://example.test/x").unwrap();
        let mut req = reqwest::Request::new(reqwest::Method::POST, url);
        let chunks: Vec<Result<&'static str, std::io::Error>> = vec![Ok("a")];
        *req.body_mut() = Some(reqwest::Body::wrap_stream(futures::stream::iter(chunks)));
        assert!(retry_template(&mut req).is_none());
        assert!(req.body().is_some(), "the request keeps its streaming body");
    }
}
