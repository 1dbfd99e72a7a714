//! The five vendors, and how each one's error answer is read: its error code, message, details and
//! request id. Every reader takes the raw answer, so an HTML gateway page or truncated JSON is read too.

use std::fmt;

use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::error::{Error, ErrorKind};

/// The vendor behind a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Vendor {
    /// Seam Connect.
    Seam,
    /// AVEVA CONNECT data services.
    AvevaConnect,
    /// SailPoint Non-Employee Risk Management.
    SailPointNerm,
    /// SailPoint Identity Security Cloud.
    SailPointIsc,
    /// Huawei Cloud IAM Identity Center.
    HuaweiCloud,
    /// Any other API (a crate made by `cargo xtask new`): its errors are read from common field names
    /// (`code`/`error_code`, `message`/`error`) and the `X-Request-Id` header.
    Other(&'static str),
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Seam => "Seam",
            Self::AvevaConnect => "AVEVA CONNECT",
            Self::SailPointNerm => "SailPoint NERM",
            Self::SailPointIsc => "SailPoint ISC",
            Self::HuaweiCloud => "Huawei Cloud IAM Identity Center",
            Self::Other(name) => name,
        })
    }
}

/// What a vendor's error answer says, as read by [`Vendor::read_error`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VendorErrorParts {
    /// The vendor's error code.
    pub code: Option<String>,
    /// The vendor's message.
    pub message: Option<String>,
    /// Further details (validation errors, causes, a resolution).
    pub details: Vec<String>,
    /// The vendor's request id.
    pub request_id: Option<String>,
}

impl Vendor {
    /// Reads a vendor's error answer (status, headers, raw body) into one [`Error`].
    pub fn read_error(self, status: u16, headers: &HeaderMap, body: &[u8]) -> Error {
        let json: Option<Value> = serde_json::from_slice(body).ok();
        let parts = match &json {
            Some(v) => self.error_parts(headers, v),
            None => VendorErrorParts {
                request_id: self.header_request_id(headers),
                ..Default::default()
            },
        };
        let mut kind = ErrorKind::from_status(status);
        // Huawei and SailPoint answer an expired signature or token with 401 but a refused permission with 403.
        if status == 401 {
            kind = ErrorKind::Auth;
        }
        let mut err = Error::new(
            kind,
            parts
                .message
                .unwrap_or_else(|| reason_phrase(status).to_string()),
        )
        .with_vendor(self)
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

    /// The request id a vendor puts in a response header, if any.
    pub fn header_request_id(self, headers: &HeaderMap) -> Option<String> {
        let names: &[&str] = match self {
            Self::Seam => &["seam-request-id"],
            Self::HuaweiCloud => &["x-request-id"],
            Self::SailPointIsc | Self::SailPointNerm => &["x-request-id", "sailpoint-request-id"],
            Self::AvevaConnect => &["operation-id", "x-request-id"],
            Self::Other(_) => &["x-request-id", "request-id"],
        };
        names.iter().find_map(|n| {
            headers
                .get(*n)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        })
    }

    fn error_parts(self, headers: &HeaderMap, v: &Value) -> VendorErrorParts {
        let mut p = match self {
            Self::Seam => seam_parts(v),
            Self::AvevaConnect => aveva_parts(v),
            Self::SailPointIsc => isc_parts(v),
            Self::SailPointNerm => nerm_parts(v),
            Self::HuaweiCloud | Self::Other(_) => huawei_parts(v),
        };
        // Huawei's SDK reads the request id from the header (and Seam has only the header), so the header
        // wins there; SailPoint's `trackingId` and AVEVA's `OperationId` are the ids their support asks for,
        // so the body wins there and the header only fills a gap.
        let header_wins = matches!(self, Self::HuaweiCloud | Self::Seam | Self::Other(_));
        if (header_wins || p.request_id.is_none())
            && let Some(id) = self.header_request_id(headers)
        {
            p.request_id = Some(id);
        }
        p
    }
}

fn s(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Null | Value::String(_) => None,
        other => Some(other.to_string()),
    }
}

/// Seam: `{"error": {"type", "message", "validation_errors"?}, "ok": false}`. `validation_errors` is Zod's
/// `format()` output: a top-level `_errors` array (errors of the whole input) next to one `{_errors}` per field.
fn seam_parts(v: &Value) -> VendorErrorParts {
    let e = v.get("error").unwrap_or(v);
    let messages = |node: &Value| -> Vec<String> {
        node.get("_errors")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(plain).collect())
            .unwrap_or_default()
    };
    let mut details = Vec::new();
    if let Some(Value::Object(fields)) = e.get("validation_errors") {
        for (field, errs) in fields {
            if field == "_errors" {
                details.extend(errs.as_array().into_iter().flatten().map(plain));
                continue;
            }
            let msgs = messages(errs);
            if !msgs.is_empty() {
                details.push(format!("{field}: {}", msgs.join(", ")));
            }
        }
    }
    VendorErrorParts {
        code: s(e, "type"),
        message: s(e, "message"),
        details,
        request_id: None,
    }
}

/// A JSON value as text: a string without its quotes, an array as its items joined, anything else as JSON.
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(plain).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// AVEVA: `{"OperationId", "Error", "Reason", "Resolution", "DynamicProperties"?}`.
fn aveva_parts(v: &Value) -> VendorErrorParts {
    let mut details = Vec::new();
    if let Some(r) = s(v, "Reason") {
        details.push(format!("reason: {r}"));
    }
    if let Some(r) = s(v, "Resolution") {
        details.push(format!("resolution: {r}"));
    }
    VendorErrorParts {
        code: None,
        message: s(v, "Error"),
        details,
        request_id: s(v, "OperationId"),
    }
}

/// ISC: `ErrorResponseDto {detailCode, trackingId, messages[{text}], causes[{text}]}`; 401 `{error}`; 429 `{message}`.
fn isc_parts(v: &Value) -> VendorErrorParts {
    let texts = |key: &str| -> Vec<String> {
        v.get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|m| s(m, "text")).collect())
            .unwrap_or_default()
    };
    let messages = texts("messages");
    let causes: Vec<String> = texts("causes")
        .into_iter()
        .map(|c| format!("cause: {c}"))
        .collect();
    let message = messages
        .first()
        .cloned()
        .or_else(|| s(v, "error"))
        .or_else(|| s(v, "message"));
    VendorErrorParts {
        code: s(v, "detailCode"),
        message,
        details: messages.into_iter().skip(1).chain(causes).collect(),
        request_id: s(v, "trackingId"),
    }
}

/// NERM: 400 `{error}` or `{error, errors}`; 500 `{error}`.
fn nerm_parts(v: &Value) -> VendorErrorParts {
    let details = match v.get("errors") {
        Some(Value::Array(a)) => a.iter().map(plain).collect(),
        Some(Value::Object(o)) => o
            .iter()
            .map(|(k, e)| format!("{k}: {}", plain(e)))
            .collect(),
        Some(Value::String(e)) => vec![e.clone()],
        _ => Vec::new(),
    };
    VendorErrorParts {
        code: None,
        message: s(v, "error").or_else(|| s(v, "message")),
        details,
        request_id: None,
    }
}

/// Huawei: `{error_code, error_msg, request_id}`, falling back as the official SDK does to
/// `errorCode`/`errorMsg`, then `code`/`message`, then one nested object.
fn huawei_parts(v: &Value) -> VendorErrorParts {
    let flat = |v: &Value| {
        let code = s(v, "error_code")
            .or_else(|| s(v, "errorCode"))
            .or_else(|| s(v, "code"));
        let msg = s(v, "error_msg")
            .or_else(|| s(v, "errorMsg"))
            .or_else(|| s(v, "message"));
        (code, msg)
    };
    let (mut code, mut message) = flat(v);
    if code.is_none()
        && message.is_none()
        && let Some(nested) = v
            .as_object()
            .and_then(|o| o.values().find(|x| x.is_object()))
    {
        (code, message) = flat(nested);
    }
    let mut details = Vec::new();
    if let Some(m) = s(v, "encoded_authorization_message") {
        details.push(format!("encoded authorization message: {m}"));
    }
    VendorErrorParts {
        code,
        message,
        details,
        request_id: s(v, "request_id"),
    }
}

fn reason_phrase(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("unexpected status")
}
