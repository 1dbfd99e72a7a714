//! SailPoint Identity Security Cloud as the runtime sees it: its name, its request-id headers and how its
//! error body reads.

use idprov_runtime::vendor::{ErrorParts, VendorProfile, text};
use serde_json::Value;

/// SailPoint ISC. The body's `trackingId` is the id SailPoint support asks for, so it wins over the headers.
pub(crate) static SAILPOINT_ISC: VendorProfile = VendorProfile {
    name: "SailPoint ISC",
    request_id_headers: &["x-request-id", "sailpoint-request-id"],
    header_request_id_wins: false,
    read_error_body,
};

/// `ErrorResponseDto {detailCode, trackingId, messages[{text}], causes[{text}]}`; 401 `{error}`; 429
/// `{message}`.
fn read_error_body(v: &Value) -> ErrorParts {
    let texts = |key: &str| -> Vec<String> {
        v.get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|m| text(m, "text")).collect())
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
        .or_else(|| text(v, "error"))
        .or_else(|| text(v, "message"));
    ErrorParts {
        code: text(v, "detailCode"),
        message,
        details: messages.into_iter().skip(1).chain(causes).collect(),
        request_id: text(v, "trackingId"),
    }
}
