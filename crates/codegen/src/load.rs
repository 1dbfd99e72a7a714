//! Parsing a spec into an `openapiv3::OpenAPI` document.
//!
//! People write YAML (`specs/<api>.yaml`); a client crate's build script reads the spec's JSON form
//! ([`crate::json_form`], `crates/<api>/<api>.json`), so that a user's build compiles no YAML parser. Parsing
//! YAML needs this crate's `yaml` feature (on with `review` and `cli`, and by default); without it
//! [`parse_value`] and [`parse`] take JSON only.

use crate::CodegenError;

/// Parses a spec (YAML with the `yaml` feature, JSON without it) into an OpenAPI document, refusing anything
/// but 3.0.x.
pub fn parse(spec_name: &str, text: &str) -> Result<openapiv3::OpenAPI, CodegenError> {
    document(spec_name, parse_value(spec_name, text)?)
}

/// The OpenAPI document of a parsed spec, refusing anything but 3.0.x.
pub fn document(
    spec_name: &str,
    value: serde_json::Value,
) -> Result<openapiv3::OpenAPI, CodegenError> {
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

/// Parses YAML (or JSON, a subset of YAML) into a JSON value (also used by the spec linter, which walks the
/// raw document).
#[cfg(feature = "yaml")]
pub fn parse_value(spec_name: &str, text: &str) -> Result<serde_json::Value, CodegenError> {
    serde_norway::from_str(text).map_err(|e| CodegenError::Parse {
        spec: spec_name.to_string(),
        message: e.to_string(),
    })
}

/// Parses JSON into a JSON value (this build of idprov-codegen has no `yaml` feature, so no YAML parser).
#[cfg(not(feature = "yaml"))]
pub fn parse_value(spec_name: &str, text: &str) -> Result<serde_json::Value, CodegenError> {
    parse_json(spec_name, text)
}

/// Parses JSON into a JSON value.
pub fn parse_json(spec_name: &str, text: &str) -> Result<serde_json::Value, CodegenError> {
    serde_json::from_str(text).map_err(|e| CodegenError::Parse {
        spec: spec_name.to_string(),
        message: format!(
            "{e}{}",
            if cfg!(feature = "yaml") {
                ""
            } else {
                " (this idprov-codegen reads JSON only: enable its `yaml` feature to read YAML)"
            }
        ),
    })
}
