//! What the runner needs from whoever makes the calls: [`Caller`], and what a call and a lookup return.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures::future::BoxFuture;
use idprov_runtime::ErrorKind;
use serde_json::Value;

use crate::input::Line;

/// Makes one call of the run's operation, and finds out after a crash whether a call went through.
///
/// One `Caller` serves one operation of one API. The runner calls [`Caller::call`] from many tasks at
/// once, so it must be cheap to share (hold clients, which are `Clone + Send + Sync`).
pub trait Caller: Send + Sync + 'static {
    /// Sends the call of `line` once; the runner decides about retries (see [`Failure`]).
    ///
    /// The future is awaited in place by the worker (not boxed by the runner), so a caller whose future
    /// is small need not allocate per call; one that dispatches over many operations may box its own.
    fn call<'a>(
        &'a self,
        line: &'a Line,
    ) -> impl Future<Output = Result<Outcome, Failure>> + Send + 'a;

    /// Whether sending the call twice cannot act twice (GET, HEAD, PUT, DELETE): after a crash an
    /// idempotent line that was sent but not answered is simply sent again; any other is looked up.
    fn idempotent(&self) -> bool;

    /// Finds out whether the call of `line`, sent at `context.sent_at` but never answered (the run
    /// crashed), took effect. The default knows no way to tell and says what to look for.
    fn lookup<'a>(&'a self, line: &'a Line, context: &'a LookupContext) -> BoxFuture<'a, Lookup> {
        let _ = context;
        Box::pin(async move {
            Lookup::Unknown {
                check: format!(
                    "line {} was sent but its answer was not recorded; this operation has no lookup, so check \
                     by hand whether it took effect",
                    line.number
                ),
            }
        })
    }
}

/// A successful call: the vendor's answer as JSON (`null` for an answer without a body), or the id a
/// caller read from its typed answer itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The decoded answer (the runner reads the id from it with [`RunOptions::id_pointer`](crate::RunOptions::id_pointer)).
    pub response: Value,
    /// The id, when the caller read it from its typed answer (then `response` need not be built).
    pub id: Option<String>,
}

impl Outcome {
    /// An outcome with this answer.
    pub fn new(response: Value) -> Self {
        Self { response, id: None }
    }

    /// An outcome whose id the caller read itself (no JSON answer kept).
    pub fn with_id(id: Option<String>) -> Self {
        Self {
            response: Value::Null,
            id,
        }
    }
}

/// What the runner knows of a failed call: enough to decide whether to retry, and to report it.
///
/// Built from the clients' [`idprov_runtime::Error`] with `From`; a test's fake caller builds one with
/// [`Failure::new`] and the `with_*` methods (the runtime's `Error` cannot carry a `Retry-After` unless a
/// server sent one).
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// The error's kind.
    pub kind: ErrorKind,
    /// The HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// The vendor's error code.
    pub code: Option<String>,
    /// The error's one-line description (the runtime's `Display`: secrets are already redacted).
    pub message: String,
    /// The vendor's request id.
    pub request_id: Option<String>,
    /// How long the server asked to wait.
    pub retry_after: Option<Duration>,
    /// Whether the server may have acted on the request.
    pub may_have_acted: bool,
    /// Whether sending it again may succeed and cannot act twice.
    pub retryable: bool,
}

impl Failure {
    /// A failure of `kind`: the server may have acted, and it is not retryable, until said otherwise.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            status: None,
            code: None,
            message: message.into(),
            request_id: None,
            retry_after: None,
            may_have_acted: true,
            retryable: false,
        }
    }

    /// A 429 answer asking to wait `retry_after` (the server did not act; retryable).
    pub fn rate_limited(retry_after: Option<Duration>) -> Self {
        Self {
            status: Some(429),
            retry_after,
            may_have_acted: false,
            retryable: true,
            ..Self::new(ErrorKind::RateLimited, "rate limited (HTTP 429)")
        }
    }

    /// The same failure with this HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// The same failure, saying whether the server may have acted and whether it is retryable.
    pub fn with_safety(mut self, may_have_acted: bool, retryable: bool) -> Self {
        self.may_have_acted = may_have_acted;
        self.retryable = retryable;
        self
    }

    /// Whether this answer pauses every worker: the server said it did not act and asked the caller to
    /// slow down (a 429, or a 503 with `Retry-After`).
    pub fn pauses_everyone(&self) -> bool {
        !self.may_have_acted
            && (self.kind == ErrorKind::RateLimited
                || (self.retry_after.is_some() && self.status == Some(503)))
    }
}

impl From<&idprov_runtime::Error> for Failure {
    fn from(e: &idprov_runtime::Error) -> Self {
        Self {
            kind: e.kind(),
            status: e.status(),
            code: e.code().map(str::to_string),
            message: e.to_string(),
            request_id: e.request_id().map(str::to_string),
            retry_after: e.retry_after(),
            may_have_acted: e.may_have_acted(),
            retryable: e.is_retryable(),
        }
    }
}

impl From<idprov_runtime::Error> for Failure {
    fn from(e: idprov_runtime::Error) -> Self {
        Self::from(&e)
    }
}

/// What a lookup found out about a call that was sent but not answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// It took effect: this is what it created (its id, when the lookup can tell).
    Found {
        /// The created item's id.
        id: Option<String>,
    },
    /// It did not take effect: sending it now cannot make a second one.
    Absent,
    /// It cannot be told; `check` says what to look for by hand.
    Unknown {
        /// What to look for, naming the item.
        check: String,
    },
}

/// What a lookup knows besides the line.
#[derive(Debug, Clone)]
pub struct LookupContext {
    /// When the line was sent (recorded in the journal before sending).
    pub sent_at: SystemTime,
    /// How much earlier than `sent_at` the server's clock may date what it created.
    pub clock_skew: Duration,
    /// The ids already recorded for other lines of the run: what those lines created is not this
    /// line's.
    pub claimed: Arc<HashSet<String>>,
}

impl LookupContext {
    /// The earliest creation time that can belong to this line (`sent_at - clock_skew`).
    pub fn not_before(&self) -> SystemTime {
        self.sent_at
            .checked_sub(self.clock_skew)
            .unwrap_or(SystemTime::UNIX_EPOCH)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_refusals_that_ask_to_wait_pause_everyone() {
        assert!(Failure::rate_limited(None).pauses_everyone());
        let unavailable = Failure {
            retry_after: Some(Duration::from_secs(1)),
            ..Failure::new(ErrorKind::Server, "503")
                .with_status(503)
                .with_safety(false, true)
        };
        assert!(unavailable.pauses_everyone());
        let bad_gateway = Failure::new(ErrorKind::Server, "502").with_status(502);
        assert!(!bad_gateway.pauses_everyone());
        let acted = Failure {
            retry_after: Some(Duration::from_secs(1)),
            ..Failure::new(ErrorKind::Server, "503").with_status(503)
        };
        assert!(
            !acted.pauses_everyone(),
            "a 503 the runtime says may have acted is not a refusal"
        );
    }

    #[test]
    fn a_runtime_error_keeps_its_kind_and_safety() {
        let e = idprov_runtime::Error::new(ErrorKind::InvalidRequest, "Name: required");
        let f = Failure::from(&e);
        assert_eq!(f.kind, ErrorKind::InvalidRequest);
        assert!(!f.may_have_acted, "refused before sending");
        assert!(!f.retryable);
        assert!(f.message.contains("Name: required"));
    }
}
