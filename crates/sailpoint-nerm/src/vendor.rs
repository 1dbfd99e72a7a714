//! SailPoint NERM as the runtime sees it: its name, its request-id headers and how its error body reads.

use idprov_runtime::vendor::{ErrorParts, VendorProfile, plain, text};
use serde_json::Value;

/// SailPoint Non-Employee Risk Management.
pub(crate) static SAILPOINT_NERM: VendorProfile = VendorProfile {
    name: "SailPoint NERM",
    request_id_headers: &["x-request-id", "sailpoint-request-id"],
    header_request_id_wins: false,
    read_error_body,
};

/// 400 `{error}` or `{error, errors}`; 500 `{error}`.
fn read_error_body(v: &Value) -> ErrorParts {
    let details = match v.get("errors") {
        Some(Value::Array(a)) => a.iter().map(plain).collect(),
        Some(Value::Object(o)) => o
            .iter()
            .map(|(k, e)| format!("{k}: {}", plain(e)))
            .collect(),
        Some(Value::String(e)) => vec![e.clone()],
        _ => Vec::new(),
    };
    ErrorParts {
        code: None,
        message: text(v, "error").or_else(|| text(v, "message")),
        details,
        request_id: None,
    }
}
