//! What a client crate tells the runtime about its vendor: a name for errors and logs, the response headers
//! that carry the vendor's request id, and how the vendor's error body reads. The runtime knows no vendor;
//! each client crate declares one [`VendorProfile`] (a `static`) and hands it to
//! [`client_crate!`](crate::client_crate).
//!
//! ```
//! use idprov_runtime::vendor::{ErrorParts, VendorProfile, text};
//!
//! fn read(body: &serde_json::Value) -> ErrorParts {
//!     ErrorParts { code: text(body, "code"), message: text(body, "message"), ..ErrorParts::default() }
//! }
//!
//! static ACME: VendorProfile = VendorProfile {
//!     name: "Acme",
//!     request_id_headers: &["x-request-id"],
//!     header_request_id_wins: true,
//!     read_error_body: read,
//! };
//!
//! let mut headers = reqwest::header::HeaderMap::new();
//! headers.insert("x-request-id", "r-1".parse().unwrap());
//! let err = ACME.read_error(404, &headers, br#"{"code": "NF", "message": "no such thing"}"#);
//! assert_eq!(err.vendor(), Some("Acme"));
//! assert_eq!(err.code(), Some("NF"));
//! assert_eq!(err.request_id(), Some("r-1"));
//! assert_eq!(err.to_string(), "Acme: not found (HTTP 404) [NF]: no such thing (request id r-1)");
//! ```

use std::fmt;

use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::error::{Error, ErrorKind};

/// A vendor as the runtime sees it. Declared once per client crate, as a `static`.
pub struct VendorProfile {
    /// The vendor's name as errors and logs show it (`Seam`, `Huawei Cloud IAM Identity Center`).
    pub name: &'static str,
    /// Response headers that carry the vendor's request id, lower-case, in order of preference.
    pub request_id_headers: &'static [&'static str],
    /// Whether a request id in the headers wins over one in the error body (`true`), or only fills the gap
    /// when the body has none (`false`, for vendors whose support asks for the id in the body).
    pub header_request_id_wins: bool,
    /// Reads the vendor's JSON error body; a body that is not JSON never reaches it.
    pub read_error_body: fn(&Value) -> ErrorParts,
}

impl fmt::Debug for VendorProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VendorProfile")
            .field("name", &self.name)
            .field("request_id_headers", &self.request_id_headers)
            .finish_non_exhaustive()
    }
}

/// What a vendor's error body says, as its [`VendorProfile::read_error_body`] reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorParts {
    /// The vendor's error code.
    pub code: Option<String>,
    /// The vendor's message.
    pub message: Option<String>,
    /// Further details (validation errors, causes, a resolution).
    pub details: Vec<String>,
    /// The vendor's request id, when the body carries one.
    pub request_id: Option<String>,
}

impl VendorProfile {
    /// Reads an error answer (status, headers, raw body) into one [`Error`]: the kind from the status, the
    /// vendor's code, message, details and request id from its body and headers, `Retry-After`, and the body
    /// itself (as JSON, or its first bytes when it is not JSON).
    pub fn read_error(&'static self, status: u16, headers: &HeaderMap, body: &[u8]) -> Error {
        let json: Option<Value> = serde_json::from_slice(body).ok();
        let mut parts = json
            .as_ref()
            .map(|v| (self.read_error_body)(v))
            .unwrap_or_default();
        if (self.header_request_id_wins || parts.request_id.is_none())
            && let Some(id) = self.header_request_id(headers)
        {
            parts.request_id = Some(id);
        }
        let mut err = Error::new(
            ErrorKind::from_status(status),
            parts
                .message
                .unwrap_or_else(|| reason_phrase(status).to_string()),
        )
        .with_vendor(self.name)
        .with_status(status);
        err.inner.code = parts.code;
        err.inner.details = parts.details;
        err.inner.request_id = parts.request_id;
        err.inner.retry_after = crate::retry::retry_after(headers, std::time::SystemTime::now());
        match json {
            Some(v) => err.inner.body = Some(v),
            None if !body.is_empty() => err = err.with_body_prefix(body),
            None => {}
        }
        err
    }

    /// The request id the vendor put in a response header, if any.
    pub fn header_request_id(&self, headers: &HeaderMap) -> Option<String> {
        self.request_id_headers.iter().find_map(|n| {
            headers
                .get(*n)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        })
    }
}

/// The text of `v[key]`: a non-blank string trimmed, any other non-null value as JSON; `None` when absent,
/// null or blank.
pub fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Null | Value::String(_) => None,
        other => Some(other.to_string()),
    }
}

/// A JSON value as text: a string without its quotes, an array as its items joined, anything else as JSON.
pub fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(plain).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// A reader for APIs without a documented error shape (a crate made by `cargo xtask new` starts with it):
/// the code from `code` or `error_code`, the message from `message`, `error_msg` or `error`, the request id
/// from `request_id`.
pub fn common_error_body(v: &Value) -> ErrorParts {
    ErrorParts {
        code: text(v, "code").or_else(|| text(v, "error_code")),
        message: text(v, "message")
            .or_else(|| text(v, "error_msg"))
            .or_else(|| text(v, "error")),
        details: Vec::new(),
        request_id: text(v, "request_id"),
    }
}

fn reason_phrase(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("unexpected status")
}

#[cfg(test)]
mod tests {
    use super::*;

    static PLAIN: VendorProfile = VendorProfile {
        name: "Plain",
        request_id_headers: &["x-request-id"],
        header_request_id_wins: false,
        read_error_body: common_error_body,
    };

    #[test]
    fn a_body_request_id_wins_unless_the_profile_says_the_header_does() {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", "from-header".parse().unwrap());
        let err = PLAIN.read_error(500, &headers, br#"{"request_id": "from-body"}"#);
        assert_eq!(err.request_id(), Some("from-body"));
        let err = PLAIN.read_error(500, &headers, b"{}");
        assert_eq!(err.request_id(), Some("from-header"));
    }

    #[test]
    fn a_body_that_is_not_json_keeps_its_first_bytes_and_the_status_reason() {
        let err = PLAIN.read_error(502, &HeaderMap::new(), b"<html>Bad Gateway</html>");
        assert_eq!(err.kind(), ErrorKind::Server);
        assert_eq!(err.message(), "Bad Gateway");
        assert_eq!(err.body_prefix(), Some("<html>Bad Gateway</html>"));
        assert_eq!(err.vendor(), Some("Plain"));
    }

    #[test]
    fn text_skips_blank_and_null_values_and_prints_others_as_json() {
        let v = serde_json::json!({"a": " x ", "b": "  ", "c": null, "d": 5});
        assert_eq!(text(&v, "a").as_deref(), Some("x"));
        assert_eq!(text(&v, "b"), None);
        assert_eq!(text(&v, "c"), None);
        assert_eq!(text(&v, "d").as_deref(), Some("5"));
        assert_eq!(text(&v, "missing"), None);
    }
}
