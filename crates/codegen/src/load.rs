//! Parsing a spec file into an `openapiv3::OpenAPI` document.

use crate::CodegenError;

/// Parses YAML (or JSON, a subset of YAML) into an OpenAPI document, refusing anything but 3.0.x.
pub fn parse(spec_name: &str, text: &str) -> Result<openapiv3::OpenAPI, CodegenError> {
    let value: serde_json::Value = parse_value(spec_name, text)?;
    let version = value.get("openapi").and_then(|v| v.as_str()).unwrap_or("");
    if !version.starts_with("3.0.") {
        return Err(CodegenError::Unsupported {
            spec: spec_name.to_string(),
            pointer: "/openapi".to_string(),
            message: format!("expected an OpenAPI 3.0.x document, found openapi: {version:?}"),
        });
    }
    serde_json::from_value(value).map_err(|e| CodegenError::Parse {
        spec: spec_name.to_string(),
        message: e.to_string(),
    })
}

/// Parses YAML into a JSON value (used by the spec linter, which walks the raw document).
pub fn parse_value(spec_name: &str, text: &str) -> Result<serde_json::Value, CodegenError> {
    serde_norway::from_str(text).map_err(|e| CodegenError::Parse {
        spec: spec_name.to_string(),
        message: e.to_string(),
    })
}
