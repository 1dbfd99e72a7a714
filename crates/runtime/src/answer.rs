//! What [`Runtime::exec`](crate::__private::Runtime::exec) hands the generated code for a documented
//! success: the response, how many attempts it took, and — for an idempotent call whose success carries a
//! body — what another attempt is made from should that body break off while [`crate::decode`] reads it.
//!
//! A success is handed back as soon as its status and headers are in, and its body is read by the decoder:
//! reading it inside the attempt would buffer every answer once more. So a `GET` whose body breaks off
//! half-way is retried from the decoder, with the same policy, attempt count and deadline as a failure of
//! the attempt itself ([`Runtime::after_broken_body`]); a non-idempotent call is not (the server acted).

use std::time::Instant;

use crate::Error;
use crate::attempts::{Call, Next};
use crate::runtime::Runtime;

/// A documented success answer of one call (generated code matches on its [`Answer::status`] and hands it
/// to `json_response` / `empty_response` / `unexpected_response`).
pub struct Answer<'a> {
    pub(crate) response: reqwest::Response,
    /// The attempts the call took so far, this one included.
    pub(crate) attempts: u32,
    /// How to try again if the body breaks off; `None` when that must not or cannot happen.
    pub(crate) again: Option<Again<'a>>,
}

impl Answer<'_> {
    /// The answer's status.
    pub fn status(&self) -> reqwest::StatusCode {
        self.response.status()
    }
}

impl std::fmt::Debug for Answer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Answer")
            .field("status", &self.response.status())
            .field("attempts", &self.attempts)
            .field("retryable_body", &self.again.is_some())
            .finish()
    }
}

/// What a call's later attempts need, kept past `exec` for a success whose body is still to be read: the
/// call itself (it borrows what the call's future holds — the client, the generated code's request
/// builder — so keeping it costs no allocation).
pub(crate) struct Again<'a> {
    pub(crate) call: Call<'a>,
    /// When the attempt that gave this answer started.
    pub(crate) attempt_started: Instant,
}

/// What comes of a success body that broke off.
pub(crate) enum AfterBrokenBody<'a> {
    /// Another attempt was made and answered with a documented success: read its body instead.
    Again(Box<Answer<'a>>),
    /// Another attempt was made and the call ended in this error (an error status, no answer).
    Failed(Error),
    /// No other attempt: none left, no time before the deadline. The broken body is the call's outcome.
    Stop(reqwest::Error),
}

impl Runtime {
    /// After the success body of `again`'s call broke off with `broke`, on attempt `attempts`: decides
    /// as for a transport failure of the attempt (attempts left, backoff, deadline) and makes the next
    /// attempt when one fits.
    pub(crate) async fn after_broken_body<'a>(
        &self,
        again: Again<'a>,
        broke: reqwest::Error,
        attempts: u32,
    ) -> AfterBrokenBody<'a> {
        let Again {
            call,
            attempt_started,
        } = again;
        let next = self.wait_before_retry(
            attempts,
            None,
            &call,
            attempt_started,
            "the answer broke off",
            None,
        );
        if let Next::Stop = next {
            return AfterBrokenBody::Stop(broke);
        }
        match self
            .retry_from(call, Err(broke), next, attempts, attempt_started)
            .await
        {
            Ok(answer) => AfterBrokenBody::Again(Box::new(answer)),
            Err(e) => AfterBrokenBody::Failed(e),
        }
    }
}
