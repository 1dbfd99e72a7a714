//! What the sandbox answers: a success ([`Answer`]), or a failure ([`Failure`]) rendered in the vendor's own
//! error envelope.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::Vendor;
use crate::spec::Violation;

/// The body of an answer.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    Empty,
    Json(Value),
    Html(String),
}

/// An answer, before it becomes an HTTP response.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Body,
}

impl Answer {
    pub(crate) fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Body::Json(body),
        }
    }

    pub(crate) fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Body::Empty,
        }
    }

    pub(crate) fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }
}

/// A refusal, in words the vendor's envelope carries.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub(crate) status: u16,
    /// The vendor's code (Seam `type`, Huawei `error_code`, ISC `detailCode`); empty: the status's default.
    pub(crate) code: String,
    pub(crate) message: String,
    pub(crate) violations: Vec<Violation>,
    pub(crate) retry_after_secs: Option<u64>,
}

impl Failure {
    pub(crate) fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_string(),
            message: message.into(),
            violations: Vec::new(),
            retry_after_secs: None,
        }
    }

    /// 400: the request breaks the spec (or a rule of the vendor); `violations` name the fields.
    pub(crate) fn invalid(violations: Vec<Violation>) -> Self {
        let message = violations
            .first()
            .map(ToString::to_string)
            .unwrap_or_else(|| "the request is invalid".to_string());
        Self {
            violations,
            ..Self::new(400, "", message)
        }
    }

    pub(crate) fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(401, "", message)
    }

    pub(crate) fn not_found(code: &str, message: impl Into<String>) -> Self {
        Self::new(404, code, message)
    }

    pub(crate) fn with_retry_after(mut self, secs: Option<u64>) -> Self {
        self.retry_after_secs = secs;
        self
    }

    /// The failure as `vendor` writes it, for a request whose vendor request id is `request_id`.
    pub(crate) fn render(&self, vendor: Vendor, request_id: &str) -> Answer {
        let body = match vendor {
            Vendor::Seam => self.seam(),
            Vendor::Aveva => self.aveva(request_id),
            Vendor::Nerm => self.nerm(),
            Vendor::Isc => self.isc(request_id),
            Vendor::Huawei => self.huawei(request_id),
        };
        let mut answer = Answer::json(self.status, body);
        if let Some(secs) = self.retry_after_secs {
            answer = answer.header("retry-after", secs.to_string());
        }
        if self.status == 401 && matches!(vendor, Vendor::Aveva | Vendor::Isc | Vendor::Nerm) {
            answer = answer.header("www-authenticate", "Bearer error=\"invalid_token\"");
        }
        answer
    }

    fn code_or(&self, default: &str) -> String {
        if self.code.is_empty() {
            default.to_string()
        } else {
            self.code.clone()
        }
    }

    fn seam(&self) -> Value {
        let default = match self.status {
            400 => "invalid_input",
            401 => "unauthorized",
            403 => "forbidden",
            404 => "not_found",
            409 => "conflict",
            429 => "rate_limited",
            503 => "service_unavailable",
            _ => "internal_server_error",
        };
        let mut error = json!({"type": self.code_or(default), "message": self.message});
        if !self.violations.is_empty() {
            // Zod's error.format(): `_errors` at every level, nested by path.
            let mut tree = serde_json::Map::new();
            tree.insert("_errors".to_string(), json!([]));
            for v in &self.violations {
                let parts: Vec<&str> = if v.field == "body" {
                    Vec::new()
                } else {
                    v.field.split('.').collect()
                };
                zod_insert(&mut tree, &parts, v.zod());
            }
            error["message"] = Value::String("Invalid input".to_string());
            error["validation_errors"] = Value::Object(tree);
        }
        json!({"error": error, "ok": false})
    }

    fn aveva(&self, request_id: &str) -> Value {
        let (reason, resolution) = match self.status {
            400 => (
                "The request is not valid.",
                "Correct the request and try again.",
            ),
            401 => (
                "The access token is missing, invalid or expired.",
                "Get a new access token and try again.",
            ),
            403 => (
                "The caller may not perform this operation.",
                "Ask a tenant administrator for the roles it needs.",
            ),
            404 => (
                "The tenant or the automation identity does not exist.",
                "Check the identifiers and try again.",
            ),
            409 => (
                "An automation identity with this name already exists.",
                "Use another name.",
            ),
            429 => (
                "Too many requests.",
                "Wait for the Retry-After period and try again.",
            ),
            _ => (
                "The service could not complete the request.",
                "Try again later.",
            ),
        };
        let reason = if self.violations.is_empty() {
            reason.to_string()
        } else {
            self.violations
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        };
        let dynamic = if self.violations.is_empty() {
            Value::Null
        } else {
            let fields: BTreeMap<&str, String> = self
                .violations
                .iter()
                .map(|v| (v.field.as_str(), v.plain()))
                .collect();
            json!({ "Errors": fields })
        };
        json!({
            "OperationId": request_id,
            "Error": self.message,
            "Reason": reason,
            "Resolution": resolution,
            "DynamicProperties": dynamic,
        })
    }

    fn nerm(&self) -> Value {
        if self.violations.is_empty() {
            json!({"error": self.message})
        } else {
            let fields: BTreeMap<&str, String> = self
                .violations
                .iter()
                .map(|v| (v.field.as_str(), v.plain()))
                .collect();
            let error = if self.code.is_empty() {
                self.message.clone()
            } else {
                self.code.clone()
            };
            json!({"error": error, "errors": fields})
        }
    }

    fn isc(&self, request_id: &str) -> Value {
        match self.status {
            401 => return json!({"error": self.message}),
            429 => return json!({"message": " Rate Limit Exceeded "}),
            _ => {}
        }
        let default = match self.status {
            400 => "400.1 Bad Request Content",
            403 => "403 Forbidden",
            404 => "404 Not found",
            409 => "409 Conflict",
            503 => "503 Service Unavailable",
            _ => "500.0 Internal Fault",
        };
        let message =
            |text: String| json!({"locale": "en-US", "localeOrigin": "DEFAULT", "text": text});
        let first = match self.violations.first() {
            Some(v) if v.problem == crate::spec::Problem::Missing => {
                format!("Required field \"{}\" was missing or empty.", v.field)
            }
            Some(v) => format!(
                "The value of \"{}\" is not valid: it {}.",
                v.field,
                v.plain()
            ),
            None => self.message.clone(),
        };
        let causes: Vec<Value> = self
            .violations
            .iter()
            .skip(1)
            .map(|v| message(v.to_string()))
            .collect();
        json!({
            "detailCode": self.code_or(default),
            "trackingId": request_id,
            "messages": [message(first)],
            "causes": causes,
        })
    }

    fn huawei(&self, request_id: &str) -> Value {
        let default = match self.status {
            400 => "IdentityCenter.0001",
            401 => "APIGW.0301",
            403 => "IdentityCenter.0003",
            404 => "IdentityCenter.0004",
            429 => "APIGW.0308",
            _ => "IdentityCenter.0500",
        };
        let message = if self.violations.is_empty() {
            self.message.clone()
        } else {
            format!(
                "Invalid parameter: {}",
                self.violations
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        };
        json!({"error_code": self.code_or(default), "error_msg": message, "request_id": request_id})
    }
}

/// Puts `message` at `path` in a Zod `error.format()` tree (`{"_errors": [...], "field": {"_errors": [...]}}`).
fn zod_insert(node: &mut serde_json::Map<String, Value>, path: &[&str], message: String) {
    match path.split_first() {
        None => {
            if let Some(errs) = node.get_mut("_errors").and_then(Value::as_array_mut) {
                errs.push(Value::String(message));
            }
        }
        Some((first, rest)) => {
            let child = node
                .entry((*first).to_string())
                .or_insert_with(|| json!({"_errors": []}));
            if let Some(child) = child.as_object_mut() {
                zod_insert(child, rest, message);
            }
        }
    }
}

/// A gateway's HTML error page (what a load balancer in front of the vendor answers with 502 or 504).
pub(crate) fn gateway_page(status: u16) -> String {
    let title = match status {
        502 => "502 Bad Gateway",
        504 => "504 Gateway Time-out",
        _ => "503 Service Temporarily Unavailable",
    };
    format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
}
