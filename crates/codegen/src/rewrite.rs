//! In-memory changes that let progenitor 0.15.1 generate a spec that says what the vendor documents.
//!
//! The spec on disk stays the truth for people; these rewrites only touch the copy handed to progenitor,
//! and each one is reported by operation (in the generated header and as a build warning).
//!
//! | progenitor limit | rewrite |
//! |---|---|
//! | one response type per operation for errors, else `assertion failed: response_types.len() <= 1` | error responses (4xx, 5xx, ranges, `default`) are removed; every error reaches the runtime as an unexpected response, which decodes the vendor's error body by status (the documented statuses are kept in the operation table) |
//! | a HEAD response that declares a body fails to decode the empty body | the content of HEAD responses is removed |
//! | a required header's `default` is ignored, so the header is never sent | the parameter is removed and the operation table tells the runtime to send the default |
//! | generated builders derive `Debug`, so a credential passed as a parameter would print | a header parameter marked `x-idprov-credential: true` is removed; the runtime sends it from the credentials |

use std::fmt;

use openapiv3::{OpenAPI, Operation, Parameter, ReferenceOr, StatusCode};

use crate::CodegenError;

/// One in-memory change made to a spec before generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    /// The operation changed.
    pub operation_id: String,
    /// What was changed and why.
    pub what: String,
}

impl fmt::Display for Rewrite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.operation_id, self.what)
    }
}

/// Applies every rewrite to `spec` and returns what was changed.
pub fn apply(spec_name: &str, spec: &mut OpenAPI) -> Result<Vec<Rewrite>, CodegenError> {
    let components = spec.components.clone();
    let mut out = Vec::new();
    for (path, item) in spec.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            return Err(CodegenError::Unsupported {
                spec: spec_name.to_string(),
                pointer: format!("/paths/{}", crate::operations::escape_pointer(path)),
                message: "a path item given as a $ref is not supported; write it inline".into(),
            });
        };
        for (method, op) in operations_mut(item) {
            let id = op
                .operation_id
                .clone()
                .unwrap_or_else(|| format!("{method} {path}"));
            let mut report = |what: String| {
                out.push(Rewrite {
                    operation_id: id.clone(),
                    what,
                })
            };
            if let Some(what) = drop_error_responses(op) {
                report(what);
            }
            if method == "head"
                && let Some(what) = drop_head_bodies(op)
            {
                report(what);
            }
            for what in drop_defaulted_required_headers(op, &components) {
                report(what);
            }
            for what in drop_credential_headers(op, &components) {
                report(what);
            }
        }
    }
    Ok(out)
}

/// The operations of a path item with their lower-case method names.
pub(crate) fn operations_mut(
    item: &mut openapiv3::PathItem,
) -> Vec<(&'static str, &mut Operation)> {
    let openapiv3::PathItem {
        get,
        put,
        post,
        delete,
        options,
        head,
        patch,
        trace,
        ..
    } = item;
    [
        ("get", get),
        ("put", put),
        ("post", post),
        ("delete", delete),
        ("options", options),
        ("head", head),
        ("patch", patch),
        ("trace", trace),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.as_mut().map(|op| (m, op)))
    .collect()
}

pub(crate) fn is_error_status(code: &StatusCode) -> bool {
    match code {
        StatusCode::Code(c) => *c >= 400,
        StatusCode::Range(r) => *r >= 4,
    }
}

fn drop_error_responses(op: &mut Operation) -> Option<String> {
    let mut dropped: Vec<String> = op
        .responses
        .responses
        .keys()
        .filter(|c| is_error_status(c))
        .map(|c| c.to_string())
        .collect();
    if op.responses.default.take().is_some() {
        dropped.push("default".into());
    }
    if dropped.is_empty() {
        return None;
    }
    op.responses.responses.retain(|c, _| !is_error_status(c));
    Some(format!(
        "error responses {} are decoded by idprov-runtime (one error type for every status)",
        dropped.join(", ")
    ))
}

fn drop_head_bodies(op: &mut Operation) -> Option<String> {
    let mut changed = Vec::new();
    for (code, resp) in op.responses.responses.iter_mut() {
        if let ReferenceOr::Item(resp) = resp
            && !resp.content.is_empty()
        {
            resp.content.clear();
            changed.push(code.to_string());
        }
    }
    (!changed.is_empty()).then(|| {
        format!(
            "HEAD response {} keeps its headers only (a HEAD answer has no body to decode)",
            changed.join(", ")
        )
    })
}

fn drop_defaulted_required_headers(
    op: &mut Operation,
    components: &Option<openapiv3::Components>,
) -> Vec<String> {
    let mut out = Vec::new();
    op.parameters.retain(|p| {
        let Some(Parameter::Header { parameter_data, .. }) =
            crate::operations::resolve_parameter(p, components)
        else {
            return true;
        };
        match crate::operations::header_default(&parameter_data, components) {
            Some(value) if parameter_data.required => {
                out.push(format!(
                    "required header {} is sent by idprov-runtime with its default {value:?}",
                    parameter_data.name
                ));
                false
            }
            _ => true,
        }
    });
    out
}

/// The extension that marks a header parameter as a credential the runtime supplies.
pub const CREDENTIAL_EXTENSION: &str = "x-idprov-credential";

fn drop_credential_headers(
    op: &mut Operation,
    components: &Option<openapiv3::Components>,
) -> Vec<String> {
    let mut out = Vec::new();
    op.parameters.retain(|p| {
        let Some(Parameter::Header { parameter_data, .. }) = crate::operations::resolve_parameter(p, components)
        else {
            return true;
        };
        let marked = parameter_data
            .extensions
            .get(CREDENTIAL_EXTENSION)
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false);
        if marked {
            out.push(format!(
                "header {} is a credential: idprov-runtime sends it from the client's credentials, never from a call parameter",
                parameter_data.name
            ));
        }
        !marked
    });
    out
}
