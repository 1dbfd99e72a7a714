//! Seam as the runtime sees it: its name, its `seam-request-id` header and how its error body reads.

use idprov_runtime::vendor::{ErrorParts, VendorProfile, plain, text};
use serde_json::Value;

/// Seam Connect.
pub(crate) static SEAM: VendorProfile = VendorProfile {
    name: "Seam",
    request_id_headers: &["seam-request-id"],
    header_request_id_wins: true,
    read_error_body,
};

/// `{"error": {"type", "message", "validation_errors"?}, "ok": false}`. `validation_errors` is Zod's
/// `format()` output: a top-level `_errors` array (errors of the whole input) next to one `{_errors}` per
/// field.
fn read_error_body(v: &Value) -> ErrorParts {
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
    ErrorParts {
        code: text(e, "type"),
        message: text(e, "message"),
        details,
        request_id: None,
    }
}
