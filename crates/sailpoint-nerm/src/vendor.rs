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

/// 400 `{error}` or `{error, errors}`; 500 `{error}`. `error` is a string in every documented example, but
/// the vendor leaves it untyped, so any JSON reads as a message (see [`readable`]); when it is an object with
/// a `code`, that is the error's code.
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
    let error = v.get("error");
    ErrorParts {
        code: error.and_then(|e| text(e, "code")),
        message: error.and_then(readable).or_else(|| text(v, "message")),
        details,
        request_id: None,
    }
}

/// Any JSON as a message a person can read, `None` when it says nothing (null, blank, empty): a string
/// trimmed; a list as its readable items joined with `; `; an object as its first readable `message`,
/// `error`, `description` or `detail`, otherwise as its members `key: value` joined with `; `; a number
/// or boolean as written.
fn readable(v: &Value) -> Option<String> {
    let joined = |parts: Vec<String>| (!parts.is_empty()).then(|| parts.join("; "));
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_string),
        Value::Array(items) => joined(items.iter().filter_map(readable).collect()),
        Value::Object(members) => ["message", "error", "description", "detail"]
            .iter()
            .find_map(|key| members.get(*key).and_then(readable))
            .or_else(|| {
                joined(
                    members
                        .iter()
                        .filter_map(|(k, v)| readable(v).map(|text| format!("{k}: {text}")))
                        .collect(),
                )
            }),
        Value::Bool(_) | Value::Number(_) => Some(v.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(body: Value) -> Option<String> {
        read_error_body(&body).message
    }

    #[test]
    fn a_string_error_is_the_message() {
        assert_eq!(
            message(json!({"error": " Sorry something went wrong "})).as_deref(),
            Some("Sorry something went wrong")
        );
    }

    #[test]
    fn an_object_error_reads_as_its_message_and_code() {
        let parts = read_error_body(&json!({
            "error": {"code": "WA-17", "message": "Workflow not found", "trace": [1, 2]}
        }));
        assert_eq!(parts.message.as_deref(), Some("Workflow not found"));
        assert_eq!(parts.code.as_deref(), Some("WA-17"));
        assert_eq!(
            message(json!({"error": {"error": {"description": "nested"}}})).as_deref(),
            Some("nested")
        );
    }

    #[test]
    fn an_object_error_without_a_message_reads_as_its_members() {
        assert_eq!(
            message(json!({"error": {"page_id": ["is missing", "is odd"]}})).as_deref(),
            Some("page_id: is missing; is odd")
        );
        let both =
            message(json!({"error": {"workflow_id": "is invalid", "page_id": "is missing"}}))
                .unwrap();
        assert!(
            both.contains("workflow_id: is invalid") && both.contains("page_id: is missing"),
            "{both}"
        );
    }

    #[test]
    fn a_list_error_reads_as_its_items_and_scalars_as_written() {
        assert_eq!(
            message(json!({"error": ["one", {"message": "two"}, null, 3]})).as_deref(),
            Some("one; two; 3")
        );
        assert_eq!(message(json!({"error": 404})).as_deref(), Some("404"));
        assert_eq!(message(json!({"error": false})).as_deref(), Some("false"));
    }

    #[test]
    fn an_error_that_says_nothing_falls_back_to_message_or_none() {
        for empty in [
            json!(null),
            json!(""),
            json!([]),
            json!({}),
            json!([null, " "]),
        ] {
            assert_eq!(message(json!({"error": empty.clone()})), None, "{empty}");
            assert_eq!(
                message(json!({"error": empty.clone(), "message": "fallback"})).as_deref(),
                Some("fallback"),
                "{empty}"
            );
        }
        assert_eq!(read_error_body(&json!({"error": "x"})).code, None);
    }
}
