//! The `exec` hook: the attempts of one call, the retries between them, and handing the last answer back.
//!
//! The first attempt is the fast path and its future is kept small (every call's future contains it and
//! is moved as a whole): no loop state, no inline token fetch, no inline body read. Anything past the
//! first answer — a retry, a 401 refresh, reading an error body — runs in boxed futures, paid for only by
//! the calls that need them.

use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::ResponseBuilderExt;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use tracing::{Instrument, Span};

use crate::Runtime;
use crate::retry::{Decision, decide_status, decide_transport};
use crate::runtime::AnswerContext;

/// What to do after an attempt's outcome.
enum Next {
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
    Done(reqwest::Result<reqwest::Response>),
    /// After reading and keeping the body of this answer.
    KeepBody(reqwest::Response),
}

/// What the attempts of one call share.
struct Call<'a> {
    http: &'a reqwest::Client,
    operation_id: &'static str,
    span: Span,
    deadline: Instant,
    /// Whether anyone records latency (a span or a debug event).
    timed: bool,
    /// A copy of the request for later attempts; `None` when its body is a stream or no later attempt can
    /// happen (one attempt only).
    template: Option<reqwest::Request>,
}

impl Runtime {
    /// The `exec` hook: sends `request` with retries per [`crate::retry`], re-authorizing every new
    /// attempt; a documented success comes back untouched, any other answer with its body kept.
    ///
    /// A plain function that prepares the call and returns an `async` block for the first attempt: an
    /// `async fn` would copy its arguments into its own state and add a layer to every call's future.
    pub fn exec<'a>(
        &'a self,
        http: &'a reqwest::Client,
        mut req: reqwest::Request,
        operation_id: &'static str,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> + 'a {
        let span = tracing::info_span!(
            "idprov.request",
            vendor = %self.vendor(),
            operation_id,
            method = %req.method(),
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
            request_id = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let timed =
            !span.is_disabled() || tracing::enabled!(target: "idprov", tracing::Level::DEBUG);
        let call = Call {
            http,
            operation_id,
            deadline: started + self.shared.retry.deadline,
            timed,
            // Without retries there is no later attempt to copy the request for — except the one new
            // attempt an OAuth2 client makes with a fresh token after a 401.
            template: if self.shared.retry.max_attempts > 1
                || self.shared.auth.refreshes_after_401()
            {
                retry_template(&req)
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
                return match self.finish_now(outcome, operation_id) {
                    Finished::Done(done) => done,
                    Finished::KeepBody(resp) => {
                        Box::pin(self.keep_error_body(resp, operation_id)).await
                    }
                };
            }
            Box::pin(self.retry(call, outcome, next)).await
        }
    }

    /// Attempts 2 and later.
    async fn retry(
        &self,
        call: Call<'_>,
        mut outcome: reqwest::Result<reqwest::Response>,
        mut next: Next,
    ) -> reqwest::Result<reqwest::Response> {
        let mut attempt: u32 = 1;
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
                            .and_then(|t| t.headers().get(AUTHORIZATION))
                    });
                    self.shared
                        .auth
                        .refresh_after_401(sent)
                        .await
                        .then_some(Duration::ZERO)
                }
            };
            let again = wait.and_then(|wait| {
                let again = call.template.as_ref().and_then(retry_template)?;
                Some((wait, again))
            });
            let Some((wait, mut again)) = again else {
                return self.finish(outcome, call.operation_id).await;
            };
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            // After the wait, a new attempt gets fresh credentials (a new token after a 401, a new signature
            // and date). If they cannot be had, the last answer stands.
            if self.shared.auth.apply(&mut again).await.is_err() {
                return self.finish(outcome, call.operation_id).await;
            }
            sent_auth = again.headers().get(AUTHORIZATION).cloned();
            attempt += 1;
            let started = Instant::now();
            self.limit_to_deadline(&mut again, &call, started);
            outcome = call.http.execute(again).instrument(call.span.clone()).await;
            next = self.observe(&call, &outcome, attempt, started, refreshed_after_401);
        }
    }

    /// Sets a request-level timeout when the overall deadline is nearer than the client's timeout.
    fn limit_to_deadline(&self, req: &mut reqwest::Request, call: &Call<'_>, now: Instant) {
        let remaining = call.deadline.saturating_duration_since(now);
        if remaining < self.shared.request_timeout {
            *req.timeout_mut() = Some(remaining.max(Duration::from_millis(1)));
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
        if !span.is_disabled() {
            span.record("attempt", attempt);
            span.record("latency_ms", latency_ms);
        }
        let method = call.template.as_ref().map(|t| t.method());
        match outcome {
            Ok(resp) => {
                let status = resp.status().as_u16();
                if !span.is_disabled() {
                    span.record("status", status);
                    if let Some(id) = self.vendor().header_request_id(resp.headers()) {
                        span.record("request_id", id.as_str());
                    }
                }
                tracing::debug!(target: "idprov", parent: span, attempt, status, latency_ms, "answer");
                if status < 400 {
                    // Nothing below 400 is retried (reqwest follows redirects itself).
                    return Next::Stop;
                }
                if status == 401 && !refreshed_after_401 {
                    return Next::Refresh;
                }
                match method.map(|m| decide_status(m, status, resp.headers(), SystemTime::now())) {
                    Some(Decision::Retry(after)) => self.wait_before_retry(attempt, after, call),
                    Some(Decision::Stop) | None => Next::Stop,
                }
            }
            Err(e) => {
                tracing::debug!(target: "idprov", parent: span, attempt, latency_ms, error = %crate::convert::transport_message(e), "no answer");
                match method.map(|m| decide_transport(m, e)) {
                    Some(Decision::Retry(_)) => self.wait_before_retry(attempt, None, call),
                    Some(Decision::Stop) | None => Next::Stop,
                }
            }
        }
    }

    /// How long to wait before attempt `attempt + 1`, or [`Next::Stop`] when retrying must stop.
    fn wait_before_retry(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        call: &Call<'_>,
    ) -> Next {
        let policy = &self.shared.retry;
        if attempt >= policy.max_attempts {
            return Next::Stop;
        }
        let wait = match retry_after {
            Some(after) if after > policy.max_retry_after => return Next::Stop,
            Some(after) => after,
            None => policy.backoff(attempt),
        };
        if Instant::now() + wait < call.deadline {
            Next::Wait(wait)
        } else {
            Next::Stop
        }
    }

    /// Hands the last outcome back to the generated code (see [`Runtime::finish_now`]).
    async fn finish(
        &self,
        outcome: reqwest::Result<reqwest::Response>,
        operation_id: &'static str,
    ) -> reqwest::Result<reqwest::Response> {
        match self.finish_now(outcome, operation_id) {
            Finished::Done(done) => done,
            Finished::KeepBody(resp) => Box::pin(self.keep_error_body(resp, operation_id)).await,
        }
    }

    /// Whether the outcome can be handed back without reading anything: a documented success (the
    /// generated code reads it through [`crate::decode`]) or a transport error can; any other answer's body
    /// is kept first ([`Runtime::keep_error_body`]).
    fn finish_now(
        &self,
        outcome: reqwest::Result<reqwest::Response>,
        operation_id: &'static str,
    ) -> Finished {
        let resp = match outcome {
            Ok(resp) => resp,
            Err(e) => return Finished::Done(Err(e)),
        };
        let status = resp.status();
        let documented_success = match self.meta(operation_id) {
            Some((_, meta)) => meta.success_statuses.contains(&status.as_u16()),
            None => status.is_success(),
        };
        if documented_success {
            Finished::Done(Ok(resp))
        } else {
            Finished::KeepBody(resp)
        }
    }

    /// Reads an answer that is not a documented success whole, and rebuilds it with its body kept in an
    /// [`AnswerContext`], so the error conversion can read the vendor's error without awaiting.
    async fn keep_error_body(
        &self,
        mut resp: reqwest::Response,
        operation_id: &'static str,
    ) -> reqwest::Result<reqwest::Response> {
        let status = resp.status();
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
