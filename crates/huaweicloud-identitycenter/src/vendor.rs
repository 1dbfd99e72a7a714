//! Huawei Cloud IAM Identity Center as the runtime sees it: its name, its `X-Request-Id` header and how its
//! error body reads.

use idprov_runtime::vendor::{ErrorParts, VendorProfile, text};
use serde_json::Value;

/// Huawei Cloud IAM Identity Center. The official SDK reads the request id from the header, so it wins.
pub(crate) static HUAWEI_CLOUD: VendorProfile = VendorProfile {
    name: "Huawei Cloud IAM Identity Center",
    request_id_headers: &["x-request-id"],
    header_request_id_wins: true,
    read_error_body,
};

/// `{error_code, error_msg, request_id}`, falling back as the official SDK does to `errorCode`/`errorMsg`,
/// then `code`/`message`, then one nested object.
fn read_error_body(v: &Value) -> ErrorParts {
    let flat = |v: &Value| {
        let code = text(v, "error_code")
            .or_else(|| text(v, "errorCode"))
            .or_else(|| text(v, "code"));
        let msg = text(v, "error_msg")
            .or_else(|| text(v, "errorMsg"))
            .or_else(|| text(v, "message"));
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
    if let Some(m) = text(v, "encoded_authorization_message") {
        details.push(format!("encoded authorization message: {m}"));
    }
    ErrorParts {
        code,
        message,
        details,
        request_id: text(v, "request_id"),
    }
}
