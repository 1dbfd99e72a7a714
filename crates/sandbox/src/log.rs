//! The request log: every request a vendor listener received (the admin endpoint's are not logged), in the
//! order they arrived, with what was answered.

use serde::Serialize;

use crate::Vendor;

/// One request the sandbox received, and what it answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoggedRequest {
    /// Its place in the log (1 for the first request since the start or the last clear).
    pub seq: u64,
    /// The vendor listener that received it.
    pub vendor: Vendor,
    /// The operation it matched (the spec's `operationId`, or `token`); `None` for an unknown route.
    pub operation: Option<String>,
    /// The HTTP method.
    pub method: String,
    /// The path, as sent (still percent-encoded).
    pub path: String,
    /// The query, as sent, without `?`.
    pub query: Option<String>,
    /// Every header, names in lower case, in the order sent (values that are not UTF-8 are shown lossily).
    /// Credentials are kept as sent: the log is for tests to assert what reached the vendor.
    pub headers: Vec<(String, String)>,
    /// The body (UTF-8, lossily).
    pub body: String,
    /// The status answered; `None` when the connection was reset instead.
    pub status: Option<u16>,
    /// The faults injected into this request, in words (`status 503 with Retry-After 1`).
    pub faults: Vec<String>,
    /// The vendor request id the sandbox gave it (`seam-request-id`, `X-Request-Id`, `trackingId`,
    /// `OperationId`).
    pub request_id: String,
}

impl LoggedRequest {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.body).ok()
    }

    /// Whether this request matched `operation`.
    pub fn is(&self, operation: &str) -> bool {
        self.operation.as_deref() == Some(operation)
    }
}
