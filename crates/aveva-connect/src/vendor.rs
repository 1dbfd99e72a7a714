//! AVEVA CONNECT as the runtime sees it: its name, its request-id headers and how its error body reads.

use idprov_runtime::vendor::{ErrorParts, VendorProfile, text};
use serde_json::Value;

/// AVEVA CONNECT data services. The body's `OperationId` is the id AVEVA support asks for, so it wins over
/// the headers.
pub(crate) static AVEVA_CONNECT: VendorProfile = VendorProfile {
    name: "AVEVA CONNECT",
    request_id_headers: &["operation-id", "x-request-id"],
    header_request_id_wins: false,
    read_error_body,
};

/// `{"OperationId", "Error", "Reason", "Resolution", "DynamicProperties"?}`.
fn read_error_body(v: &Value) -> ErrorParts {
    let mut details = Vec::new();
    if let Some(r) = text(v, "Reason") {
        details.push(format!("reason: {r}"));
    }
    if let Some(r) = text(v, "Resolution") {
        details.push(format!("resolution: {r}"));
    }
    ErrorParts {
        code: None,
        message: text(v, "Error"),
        details,
        request_id: text(v, "OperationId"),
    }
}
