//! [`Runtime::exec`]: the attempts of one call, the retries between them, and handing the last answer back
//! (a documented success as it is, anything else as the vendor's [`Error`]).
//!
//! The first attempt is the fast path and its future is kept small (every call's future contains it and
//! is moved as a whole): no loop state, no inline token fetch, no inline body read. Anything past the
//! first answer — a retry, a 401 refresh, reading an error body — runs in boxed futures, paid for only by
//! the calls that need them.

use std::time::{Duration, Instant, SystemTime};

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
#[allow(
    clippy::large_enum_variant,
    reason = "Done is the success path of every call; boxing it would allocate per call, and a Finished is matched at once, never kept"
)]
enum Finished<'a> {
    /// As it is.
    Done(Result<Answer<'a>, Error>),
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
    /// Builds the request again for a later attempt; `None` when no later attempt can happen (one
    /// attempt only, or a body that is a stream).
    pub(crate) rebuild: Option<Rebuild<'a>>,
    /// The request's method.
    pub(crate) method: reqwest::Method,
    /// The operation's position in the table, for its default headers (`None` when it has none).
    pub(crate) fill_index: Option<usize>,
    /// The `Authorization` the first attempt carried, kept only by a client that refreshes its token
    /// after a 401 (it forgets the token that was refused).
    pub(crate) first_auth: Option<HeaderValue>,
}

/// How the generated code builds a call's request again for a later attempt: the same builder chain
/// that built the first one, over the same (borrowed) parameters and body.
///
/// Nothing is copied for a call that is answered at once: the request is built again only when a retry,
/// or a new token after a 401, needs it. The default headers and credentials are put on it afresh.
pub type Rebuild<'a> = &'a (dyn Fn() -> reqwest::Result<reqwest::Request> + Sync + 'a);

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
        rebuild: Rebuild<'a>,
        operation_id: &'static str,
    ) -> impl Future<Output = Result<Answer<'a>, Error>> + 'a {
        let found = self.meta(operation_id);
        let meta = found.map(|(_, meta)| meta);
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
            // Without retries there is no later attempt to build the request again for — except the one
            // new attempt an OAuth2 client makes with a fresh token after a 401. A streaming body cannot
            // be sent twice.
            rebuild: if (self.shared.retry.max_attempts > 1
                || self.shared.auth.refreshes_after_401())
                && req.body().is_none_or(|b| b.as_bytes().is_some())
            {
                Some(rebuild)
            } else {
                None
            },
            method: req.method().clone(),
            fill_index: found
                .map(|(index, _)| index)
                .filter(|&index| self.has_fill_headers(index)),
            first_auth: if self.shared.auth.refreshes_after_401() {
                req.headers().get(AUTHORIZATION).cloned()
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
    pub(crate) async fn retry_from<'a>(
        &self,
        mut call: Call<'a>,
        mut outcome: reqwest::Result<reqwest::Response>,
        mut next: Next,
        mut attempt: u32,
        mut attempt_started: Instant,
    ) -> Result<Answer<'a>, Error> {
        let mut refreshed_after_401 = false;
        // The `Authorization` of the attempt in flight (the first attempt's is in `call`).
        let mut sent_auth: Option<HeaderValue> = None;
        loop {
            let wait = match next {
                Next::Stop => None,
                Next::Wait(wait) => Some(wait),
                Next::Refresh => {
                    refreshed_after_401 = true;
                    let sent = sent_auth.as_ref().or(call.first_auth.as_ref());
                    self.shared
                        .auth
                        .refresh_after_401(sent)
                        .await
                        .then_some(Duration::ZERO)
                }
            };
            let again = wait.and_then(|wait| {
                let again = self.request_again(&call)?;
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

    /// The request of a later attempt, built again by the generated code with the operation's default
    /// headers (credentials are put on by the caller); `None` when there is to be no later attempt.
    fn request_again(&self, call: &Call<'_>) -> Option<reqwest::Request> {
        let mut again = (call.rebuild?)().ok()?;
        if let Some(index) = call.fill_index {
            self.fill_headers(index, again.headers_mut());
        }
        Some(again)
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
        // A call that cannot be made again is not retried.
        let method = call.rebuild.map(|_| &call.method);
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
    async fn finish<'a>(
        &self,
        outcome: reqwest::Result<reqwest::Response>,
        call: &mut Call<'a>,
        attempts: u32,
        attempt_started: Instant,
    ) -> Result<Answer<'a>, Error> {
        match self.finish_now(outcome, call, attempts, attempt_started) {
            Finished::Done(done) => done,
            Finished::ReadError(resp) => Box::pin(self.read_error(resp, call, attempts)).await,
        }
    }

    /// Whether the outcome can be handed back without reading anything: a documented success (the
    /// generated code reads it through [`crate::decode`]) or a transport error can; any other answer's body
    /// is read first ([`Runtime::read_error`]).
    fn finish_now<'a>(
        &self,
        outcome: reqwest::Result<reqwest::Response>,
        call: &mut Call<'a>,
        attempts: u32,
        attempt_started: Instant,
    ) -> Finished<'a> {
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
            call.rebuild.take().map(|rebuild| Again {
                // A broken body is not a 401: the token it carried stands, so none is kept.
                call: Call {
                    span: call.span.clone(),
                    rebuild: Some(rebuild),
                    method: call.method.clone(),
                    first_auth: None,
                    ..*call
                },
                attempt_started,
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
    async fn read_error<'a>(
        &self,
        mut resp: reqwest::Response,
        call: &Call<'_>,
        attempts: u32,
    ) -> Result<Answer<'a>, Error> {
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
