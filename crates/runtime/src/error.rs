//! The one error type every idprov client returns.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// What kind of failure an [`Error`] is, for a program to match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request was refused before it was sent: a missing required field, a value over its limit, a
    /// base URL the client does not accept. Nothing reached the server.
    InvalidRequest,
    /// The credentials were missing or refused (401, or the token endpoint said no).
    Auth,
    /// The caller is authenticated but not allowed (403).
    Forbidden,
    /// The server rejected the request's content (400, 422).
    Validation,
    /// The resource does not exist (404, 410).
    NotFound,
    /// The request conflicts with the resource's state (409, 412).
    Conflict,
    /// The server is rate limiting the caller (429); see [`Error::retry_after`].
    RateLimited,
    /// The server answered with a redirect (3xx), which the client does not follow: no API it calls
    /// redirects, and following one could turn a POST into a GET or carry credentials elsewhere. See
    /// [`Error::location`].
    Redirected,
    /// The server failed (5xx).
    Server,
    /// Any other 4xx status.
    Client,
    /// The connection failed or broke.
    Transport,
    /// A timeout or the client's overall deadline passed.
    Timeout,
    /// The answer could not be decoded (not JSON, truncated, not of the documented shape).
    Decode,
    /// An asynchronous job the client waited for ended in failure; the message is the vendor's reason.
    JobFailed,
}

impl ErrorKind {
    /// The kind an HTTP error status maps to.
    pub fn from_status(status: u16) -> Self {
        match status {
            401 => Self::Auth,
            403 => Self::Forbidden,
            400 | 422 => Self::Validation,
            404 | 410 => Self::NotFound,
            409 | 412 => Self::Conflict,
            300..=399 => Self::Redirected,
            429 => Self::RateLimited,
            500..=599 => Self::Server,
            _ => Self::Client,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid request",
            Self::Auth => "authentication failed",
            Self::Forbidden => "forbidden",
            Self::Validation => "validation failed",
            Self::NotFound => "not found",
            Self::Conflict => "conflict",
            Self::RateLimited => "rate limited",
            Self::Redirected => "redirected",
            Self::Server => "server error",
            Self::Client => "client error",
            Self::Transport => "transport error",
            Self::Timeout => "timed out",
            Self::Decode => "cannot decode response",
            Self::JobFailed => "job failed",
        }
    }
}

/// An error from any idprov client: what happened, the HTTP status, and the vendor's own words and request id.
///
/// Every generated call's `send()` returns it. `Display` gives the whole story in one line: vendor,
/// operation, kind, status, the vendor's code, message and details, and its request id.
///
/// It never holds a credential: request headers are not kept, and messages are built from the response only.
#[derive(Clone)]
pub struct Error {
    pub(crate) inner: Box<ErrorInner>,
}

/// The fields of an [`Error`], boxed so that `Result<T, Error>` stays one pointer wide.
#[derive(Clone)]
pub(crate) struct ErrorInner {
    pub(crate) kind: ErrorKind,
    pub(crate) vendor: Option<&'static str>,
    pub(crate) operation_id: Option<String>,
    pub(crate) status: Option<u16>,
    pub(crate) code: Option<String>,
    pub(crate) message: String,
    pub(crate) details: Vec<String>,
    pub(crate) request_id: Option<String>,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) body: Option<serde_json::Value>,
    pub(crate) body_prefix: Option<String>,
    /// The error underneath (reqwest's, serde_json's), for [`std::error::Error::source`].
    pub(crate) source: Option<Arc<dyn std::error::Error + Send + Sync>>,
    /// The host the request went to (never its path, query or a credential).
    pub(crate) host: Option<String>,
    /// How many attempts were sent (0: refused before sending, or not known).
    pub(crate) attempts: u32,
    /// Whether the server may have carried out the request; `None` when the runtime did not say.
    pub(crate) acted: Option<bool>,
    /// Whether the request's method is idempotent (sending it again cannot act twice).
    pub(crate) idempotent: bool,
    /// The `Location` of a redirect answer.
    pub(crate) location: Option<String>,
}

/// How many bytes of an undecodable body an [`Error`] keeps.
pub const BODY_PREFIX_LEN: usize = 512;

impl Error {
    /// A new error of `kind` with a message; the other fields start empty.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            inner: Box::new(ErrorInner {
                kind,
                vendor: None,
                operation_id: None,
                status: None,
                code: None,
                message: message.into(),
                details: Vec::new(),
                request_id: None,
                retry_after: None,
                body: None,
                body_prefix: None,
                source: None,
                host: None,
                attempts: 0,
                acted: None,
                idempotent: true,
                location: None,
            }),
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }
    /// The name of the vendor whose API was called (`"Seam"`, `"SailPoint ISC"`), when known.
    pub fn vendor(&self) -> Option<&'static str> {
        self.inner.vendor
    }
    /// The operationId of the call that failed, when known.
    pub fn operation_id(&self) -> Option<&str> {
        self.inner.operation_id.as_deref()
    }
    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }
    /// The vendor's own error code (Seam `error.type`, SailPoint ISC `detailCode`, OAuth2 `error`, Huawei
    /// `error_code`); AVEVA and NERM send none (their `Error`/`error` text is the [`message`](Self::message)).
    pub fn code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }
    /// A human-readable message: the vendor's when it gave one.
    pub fn message(&self) -> &str {
        &self.inner.message
    }
    /// Further vendor detail: validation errors, causes, a resolution hint.
    pub fn details(&self) -> &[String] {
        &self.inner.details
    }
    /// The vendor's request id, to quote to its support.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }
    /// How long the server asked the caller to wait (`Retry-After`), when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }
    /// The vendor's error body as JSON, when it was JSON.
    pub fn body(&self) -> Option<&serde_json::Value> {
        self.inner.body.as_ref()
    }
    /// The vendor's error body decoded as `T` (for example a client crate's generated error type), when the
    /// body was JSON of that shape.
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_value(self.inner.body.clone()?).ok()
    }
    /// The first bytes of a body that could not be decoded (lossy UTF-8, at most [`BODY_PREFIX_LEN`] bytes).
    pub fn body_prefix(&self) -> Option<&str> {
        self.inner.body_prefix.as_deref()
    }

    /// The `Location` a redirect answer pointed to (the client does not follow redirects).
    pub fn location(&self) -> Option<&str> {
        self.inner.location.as_deref()
    }
    /// The host the request was sent to (no path, query or credential), when it was sent.
    pub fn host(&self) -> Option<&str> {
        self.inner.host.as_deref()
    }
    /// How many attempts of the request were sent: 0 when it was refused before sending.
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// Whether the server may have carried out the request: `false` when nothing was sent, the connection
    /// was never established, or the server refused it (a 4xx, a 429, a 503 with `Retry-After`); `true`
    /// for a 5xx, a success whose answer could not be read, and a connection that broke or timed out after
    /// the request went out.
    pub fn may_have_acted(&self) -> bool {
        match self.inner.acted {
            Some(acted) => acted,
            None => !matches!(self.inner.kind, ErrorKind::InvalidRequest),
        }
    }

    /// Whether sending the same request again may succeed *and* cannot act twice: rate limiting always;
    /// 502/503/504, transport failures and timeouts when the method is idempotent (GET, HEAD, PUT,
    /// DELETE) or the server cannot have acted ([`may_have_acted`](Self::may_have_acted) is `false`).
    /// A timed-out POST is not retryable: it may have created the resource.
    pub fn is_retryable(&self) -> bool {
        let repeatable = self.inner.idempotent || !self.may_have_acted();
        match self.inner.kind {
            ErrorKind::RateLimited => true,
            ErrorKind::Transport | ErrorKind::Timeout => repeatable,
            ErrorKind::Server => matches!(self.inner.status, Some(502..=504)) && repeatable,
            _ => false,
        }
    }

    /// Replaces every occurrence of each of `secrets` in what the error shows (message, details, code,
    /// request id, body prefix, the strings of the JSON body) by `***`.
    pub(crate) fn redact(mut self, secrets: &[crate::Secret]) -> Self {
        let secrets: Vec<&str> = secrets
            .iter()
            .map(crate::Secret::expose)
            .filter(|s| s.len() >= crate::secret::MIN_REDACTED_LEN)
            .collect();
        if secrets.is_empty() {
            return self;
        }
        let scrub = |text: &mut String| {
            for secret in &secrets {
                if text.contains(secret) {
                    *text = text.replace(secret, "***");
                }
            }
        };
        let inner = &mut *self.inner;
        scrub(&mut inner.message);
        inner.details.iter_mut().for_each(scrub);
        [
            &mut inner.code,
            &mut inner.request_id,
            &mut inner.body_prefix,
            &mut inner.operation_id,
            &mut inner.location,
        ]
        .into_iter()
        .flatten()
        .for_each(scrub);
        if let Some(body) = &mut inner.body {
            redact_json(body, &scrub);
        }
        // A prefix cut off in the middle of a secret still ends with a piece of it.
        if let Some(prefix) = &mut inner.body_prefix {
            for secret in &secrets {
                if let Some(cut) = (4..secret.len())
                    .rev()
                    .filter(|n| secret.is_char_boundary(*n))
                    .find(|n| prefix.ends_with(&secret[..*n]))
                {
                    prefix.truncate(prefix.len() - cut);
                    prefix.push_str("***");
                }
            }
        }
        self
    }

    pub(crate) fn with_vendor(mut self, vendor: &'static str) -> Self {
        self.inner.vendor = Some(vendor);
        self
    }
    pub(crate) fn with_operation(mut self, operation_id: impl Into<String>) -> Self {
        self.inner.operation_id = Some(operation_id.into());
        self
    }
    pub(crate) fn with_status(mut self, status: u16) -> Self {
        self.inner.status = Some(status);
        self
    }
    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        self.inner.source = Some(Arc::new(source));
        self
    }
    pub(crate) fn with_body_prefix(mut self, body: &[u8]) -> Self {
        self.inner.body_prefix = Some(body_prefix(body));
        self
    }
}

fn redact_json(v: &mut serde_json::Value, scrub: &impl Fn(&mut String)) {
    match v {
        serde_json::Value::String(s) => scrub(s),
        serde_json::Value::Array(items) => items.iter_mut().for_each(|i| redact_json(i, scrub)),
        serde_json::Value::Object(map) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                let mut new_key = key.clone();
                scrub(&mut new_key);
                if let Some(mut value) = map.remove(&key) {
                    redact_json(&mut value, scrub);
                    map.insert(new_key, value);
                }
            }
        }
        _ => {}
    }
}

/// The first [`BODY_PREFIX_LEN`] bytes of `body` as lossy UTF-8.
pub(crate) fn body_prefix(body: &[u8]) -> String {
    let end = body.len().min(BODY_PREFIX_LEN);
    String::from_utf8_lossy(&body[..end]).into_owned()
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(v) = self.inner.vendor {
            write!(f, "{v}")?;
            if let Some(op) = &self.inner.operation_id {
                write!(f, " {op}")?;
            }
            f.write_str(": ")?;
        } else if let Some(op) = &self.inner.operation_id {
            write!(f, "{op}: ")?;
        }
        f.write_str(self.inner.kind.label())?;
        if let Some(s) = self.inner.status {
            write!(f, " (HTTP {s})")?;
        }
        if let Some(c) = &self.inner.code {
            write!(f, " [{c}]")?;
        }
        if !self.inner.message.is_empty() {
            write!(f, ": {}", self.inner.message)?;
        }
        for d in &self.inner.details {
            write!(f, "; {d}")?;
        }
        if let Some(r) = self.inner.retry_after {
            write!(f, "; retry after {}s", r.as_secs_f64())?;
        }
        if let Some(id) = &self.inner.request_id {
            write!(f, " (request id {id})")?;
        }
        if matches!(self.inner.kind, ErrorKind::Transport | ErrorKind::Timeout)
            && let Some(host) = &self.inner.host
        {
            write!(f, " (host {host})")?;
        }
        if self.inner.attempts > 1 {
            write!(f, " after {} attempts", self.inner.attempts)?;
        }
        if let Some(p) = &self.inner.body_prefix {
            write!(f, "; body starts: {p:?}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    /// `{:?}` is the one-line [`Display`](fmt::Display) text (so an `Error` returned from `main` reads as
    /// it should); `{:#?}` shows every field.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !f.alternate() {
            return write!(f, "Error({self})");
        }
        f.debug_struct("Error")
            .field("kind", &self.inner.kind)
            .field("vendor", &self.inner.vendor)
            .field("operation_id", &self.inner.operation_id)
            .field("status", &self.inner.status)
            .field("code", &self.inner.code)
            .field("message", &self.inner.message)
            .field("details", &self.inner.details)
            .field("request_id", &self.inner.request_id)
            .field("retry_after", &self.inner.retry_after)
            .field("body_prefix", &self.inner.body_prefix)
            .field("host", &self.inner.host)
            .field("attempts", &self.inner.attempts)
            .field("may_have_acted", &self.may_have_acted())
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_the_one_line_description_and_alternate_debug_shows_every_field() {
        let err = Error::new(ErrorKind::NotFound, "no such automation").with_status(404);
        assert_eq!(
            format!("{err:?}"),
            "Error(not found (HTTP 404): no such automation)"
        );
        let all = format!("{err:#?}");
        assert!(
            all.contains("kind: NotFound")
                && all.contains("status: Some(")
                && all.contains("may_have_acted"),
            "{all}"
        );
    }
}
