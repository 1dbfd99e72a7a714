//! The operation table: what idprov-runtime must know about each operation that the generated code does not
//! carry (documented error statuses, headers to fill, whether a success answer has a JSON body).

use openapiv3::{OpenAPI, Parameter, ReferenceOr, StatusCode};
use proc_macro2::TokenStream;
use quote::quote;

use crate::CodegenError;

/// One operation as the runtime sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationEntry {
    /// The spec's operationId.
    pub operation_id: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template, as in the spec.
    pub path: String,
    /// Documented success statuses.
    pub success: Vec<u16>,
    /// Documented error statuses (`400`, `4XX`, `default`).
    pub errors: Vec<String>,
    /// Whether a success answer carries a JSON body.
    pub json_response: bool,
    /// Required headers with a default, which the runtime sends.
    pub fill_headers: Vec<(String, String)>,
    /// Integer query parameters with documented bounds `(name, minimum, maximum)`, which progenitor does
    /// not check; the runtime refuses a value outside them before sending.
    pub integer_bounds: Vec<(String, Option<i64>, Option<i64>)>,
    /// Groups of request-body members of which at most one may be set (the body schema's
    /// [`MUTUALLY_EXCLUSIVE_EXTENSION`]); idprov-codegen's postprocess checks them in the call's `send()`.
    pub exclusive_members: Vec<Vec<String>>,
}

/// The extension on a request body's schema that lists members the vendor documents as excluding each
/// other: `x-idprov-mutually-exclusive: [a, b]` (one group) or `[[a, b], [c, d]]` (several). A call that
/// sets more than one member of a group (present, and neither null nor `false`) is refused before sending.
pub const MUTUALLY_EXCLUSIVE_EXTENSION: &str = "x-idprov-mutually-exclusive";

/// Reads the table from the spec as written.
pub fn collect(spec_name: &str, spec: &OpenAPI) -> Result<Vec<OperationEntry>, CodegenError> {
    let mut out = Vec::new();
    for (path, item) in spec.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in item.iter() {
            let operation_id =
                op.operation_id
                    .clone()
                    .ok_or_else(|| CodegenError::Unsupported {
                        spec: spec_name.to_string(),
                        pointer: format!("/paths/{}/{method}", escape_pointer(path)),
                        message: "operationId is missing; every operation needs a unique one"
                            .into(),
                    })?;
            let mut success = Vec::new();
            let mut errors = Vec::new();
            let mut json_response = false;
            for (code, resp) in op.responses.responses.iter() {
                if crate::rewrite::is_error_status(code) {
                    errors.push(code.to_string());
                    continue;
                }
                if let StatusCode::Code(c) = code {
                    success.push(*c);
                }
                let has_json = match resp {
                    ReferenceOr::Item(r) => {
                        r.content.keys().any(|k| k.starts_with("application/json"))
                    }
                    ReferenceOr::Reference { reference } => {
                        resolve_response(reference, &spec.components).is_some_and(|r| {
                            r.content.keys().any(|k| k.starts_with("application/json"))
                        })
                    }
                };
                json_response |= has_json && method != "head";
            }
            if op.responses.default.is_some() {
                errors.push("default".into());
            }
            let fill_headers = item
                .parameters
                .iter()
                .chain(op.parameters.iter())
                .filter_map(|p| resolve_parameter(p, &spec.components))
                .filter_map(|p| match p {
                    Parameter::Header { parameter_data, .. } if parameter_data.required => {
                        header_default(&parameter_data, &spec.components)
                            .map(|v| (parameter_data.name.clone(), v))
                    }
                    _ => None,
                })
                .collect();
            let integer_bounds = item
                .parameters
                .iter()
                .chain(op.parameters.iter())
                .filter_map(|p| resolve_parameter(p, &spec.components))
                .filter_map(|p| match p {
                    Parameter::Query { parameter_data, .. } => {
                        integer_bounds(&parameter_data, &spec.components)
                            .map(|(min, max)| (parameter_data.name.clone(), min, max))
                    }
                    _ => None,
                })
                .collect();
            let exclusive_members =
                exclusive_members(spec_name, path, method, op, &spec.components)?;
            out.push(OperationEntry {
                operation_id,
                method: method.to_uppercase(),
                path: path.clone(),
                success,
                errors,
                json_response,
                fill_headers,
                integer_bounds,
                exclusive_members,
            });
        }
    }
    Ok(out)
}

/// The [`MUTUALLY_EXCLUSIVE_EXTENSION`] groups of `op`'s JSON request body schema (following one
/// `#/components/schemas/...` reference); every name must be a property of the schema and every group
/// name two or more.
fn exclusive_members(
    spec_name: &str,
    path: &str,
    method: &str,
    op: &openapiv3::Operation,
    components: &Option<openapiv3::Components>,
) -> Result<Vec<Vec<String>>, CodegenError> {
    let Some(ReferenceOr::Item(body)) = &op.request_body else {
        return Ok(Vec::new());
    };
    let Some(schema) = body
        .content
        .iter()
        .find(|(k, _)| k.starts_with("application/json"))
        .and_then(|(_, media)| media.schema.as_ref())
    else {
        return Ok(Vec::new());
    };
    let (schema, pointer) = match schema {
        ReferenceOr::Item(s) => (
            Some(s),
            format!(
                "/paths/{}/{method}/requestBody/content/application~1json/schema",
                escape_pointer(path)
            ),
        ),
        ReferenceOr::Reference { reference } => {
            let name = reference
                .strip_prefix("#/components/schemas/")
                .unwrap_or(reference);
            (
                components
                    .as_ref()
                    .and_then(|c| c.schemas.get(name))
                    .and_then(ReferenceOr::as_item),
                format!("/components/schemas/{}", escape_pointer(name)),
            )
        }
    };
    let Some(schema) = schema else {
        return Ok(Vec::new());
    };
    let Some(value) = schema
        .schema_data
        .extensions
        .get(MUTUALLY_EXCLUSIVE_EXTENSION)
    else {
        return Ok(Vec::new());
    };
    let unsupported = |message: String| CodegenError::Unsupported {
        spec: spec_name.to_string(),
        pointer: format!("{pointer}/{MUTUALLY_EXCLUSIVE_EXTENSION}"),
        message,
    };
    let names = |v: &serde_json::Value| -> Option<Vec<String>> {
        v.as_array()?
            .iter()
            .map(|n| n.as_str().map(str::to_string))
            .collect()
    };
    let groups: Vec<Vec<String>> = match value.as_array() {
        Some(items) if items.iter().all(serde_json::Value::is_string) => {
            names(value).into_iter().collect()
        }
        Some(items) => items
            .iter()
            .map(names)
            .collect::<Option<_>>()
            .ok_or_else(|| {
                unsupported("expected a list of property names, or a list of such lists".into())
            })?,
        None => {
            return Err(unsupported(
                "expected a list of property names, or a list of such lists".into(),
            ));
        }
    };
    let properties: Vec<&String> = match &schema.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::Object(o)) => o.properties.keys().collect(),
        _ => Vec::new(),
    };
    for group in &groups {
        if group.len() < 2 {
            return Err(unsupported(format!(
                "a group of mutually exclusive members needs two or more names, got {group:?}"
            )));
        }
        if let Some(missing) = group.iter().find(|n| !properties.contains(n)) {
            return Err(unsupported(format!(
                "{missing:?} is not a property of the request body schema"
            )));
        }
    }
    Ok(groups)
}

/// Emits the table as `pub const OPERATIONS: &[idprov_runtime::__private::OperationMeta]`.
pub fn to_tokens(table: &[OperationEntry]) -> TokenStream {
    let entries = table.iter().map(|e| {
        let OperationEntry {
            operation_id,
            method,
            path,
            success,
            errors,
            json_response,
            fill_headers,
            integer_bounds,
            exclusive_members: _,
        } = e;
        let names = fill_headers.iter().map(|(n, _)| n);
        let values = fill_headers.iter().map(|(_, v)| v);
        let bound = |b: &Option<i64>| match b {
            Some(v) => quote! { Some(#v) },
            None => quote! { None },
        };
        let bound_names = integer_bounds.iter().map(|(n, _, _)| n);
        let mins = integer_bounds.iter().map(|(_, min, _)| bound(min));
        let maxs = integer_bounds.iter().map(|(_, _, max)| bound(max));
        quote! {
            idprov_runtime::__private::OperationMeta {
                operation_id: #operation_id,
                method: #method,
                path: #path,
                success_statuses: &[#(#success),*],
                error_statuses: &[#(#errors),*],
                json_response: #json_response,
                fill_headers: &[#((#names, #values)),*],
                integer_bounds: &[#((#bound_names, #mins, #maxs)),*],
            }
        }
    });
    quote! {
        /// What idprov-runtime needs to know about each operation of this API (generated from the spec).
        pub const OPERATIONS: &[idprov_runtime::__private::OperationMeta] = &[#(#entries),*];
    }
}

/// Resolves a parameter that may be a `#/components/parameters/...` reference.
pub(crate) fn resolve_parameter(
    p: &ReferenceOr<Parameter>,
    components: &Option<openapiv3::Components>,
) -> Option<Parameter> {
    match p {
        ReferenceOr::Item(p) => Some(p.clone()),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/parameters/")?;
            match components.as_ref()?.parameters.get(name)? {
                ReferenceOr::Item(p) => Some(p.clone()),
                ReferenceOr::Reference { .. } => None,
            }
        }
    }
}

fn resolve_response<'a>(
    reference: &str,
    components: &'a Option<openapiv3::Components>,
) -> Option<&'a openapiv3::Response> {
    let name = reference.strip_prefix("#/components/responses/")?;
    components.as_ref()?.responses.get(name)?.as_item()
}

/// A parameter's schema, following one `#/components/schemas/...` reference.
fn parameter_schema<'a>(
    data: &'a openapiv3::ParameterData,
    components: &'a Option<openapiv3::Components>,
) -> Option<&'a openapiv3::Schema> {
    let openapiv3::ParameterSchemaOrContent::Schema(schema) = &data.format else {
        return None;
    };
    match schema {
        ReferenceOr::Item(s) => Some(s),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/schemas/")?;
            components.as_ref()?.schemas.get(name)?.as_item()
        }
    }
}

/// The string form of a header parameter's schema default, if it has one.
pub(crate) fn header_default(
    data: &openapiv3::ParameterData,
    components: &Option<openapiv3::Components>,
) -> Option<String> {
    let schema = parameter_schema(data, components)?;
    match schema.schema_data.default.clone()? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The `(minimum, maximum)` of an integer parameter's schema, when it has either (exclusive bounds are
/// turned into inclusive ones).
fn integer_bounds(
    data: &openapiv3::ParameterData,
    components: &Option<openapiv3::Components>,
) -> Option<(Option<i64>, Option<i64>)> {
    let schema = parameter_schema(data, components)?;
    let openapiv3::SchemaKind::Type(openapiv3::Type::Integer(int)) = &schema.schema_kind else {
        return None;
    };
    let min = int
        .minimum
        .map(|m| if int.exclusive_minimum { m + 1 } else { m });
    let max = int
        .maximum
        .map(|m| if int.exclusive_maximum { m - 1 } else { m });
    (min.is_some() || max.is_some()).then_some((min, max))
}

/// Escapes a path for use inside a JSON pointer (RFC 6901).
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
#[cfg(feature = "yaml")]
mod tests {
    use super::*;

    fn spec(extension: &str) -> String {
        format!(
            r#"
openapi: 3.0.3
info: {{title: t, version: "1"}}
paths:
  /launch:
    post:
      operationId: launch
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/LaunchRequest'
      responses:
        '200': {{description: ok}}
components:
  schemas:
    LaunchRequest:
      type: object
      {extension}
      properties:
        create_user: {{type: boolean}}
        user_id: {{type: string}}
        other: {{type: string}}
"#
        )
    }

    fn table(extension: &str) -> Result<Vec<OperationEntry>, CodegenError> {
        collect(
            "t.yaml",
            &crate::load::parse("t.yaml", &spec(extension)).unwrap(),
        )
    }

    #[test]
    fn the_body_schemas_exclusive_members_are_read_as_one_group_or_several() {
        let one = table("x-idprov-mutually-exclusive: [create_user, user_id]").unwrap();
        assert_eq!(one[0].exclusive_members, [["create_user", "user_id"]]);
        let several =
            table("x-idprov-mutually-exclusive: [[create_user, user_id], [user_id, other]]")
                .unwrap();
        assert_eq!(
            several[0].exclusive_members,
            [["create_user", "user_id"], ["user_id", "other"]]
        );
        assert!(table("").unwrap()[0].exclusive_members.is_empty());
    }

    #[test]
    fn an_exclusive_member_that_is_not_a_property_or_a_group_of_one_is_an_error_with_a_pointer() {
        for (extension, expected) in [
            (
                "x-idprov-mutually-exclusive: [create_user, user]",
                "\"user\" is not a property",
            ),
            (
                "x-idprov-mutually-exclusive: [create_user]",
                "two or more names",
            ),
            (
                "x-idprov-mutually-exclusive: create_user",
                "expected a list",
            ),
            (
                "x-idprov-mutually-exclusive: [[create_user, user_id], 5]",
                "expected a list",
            ),
        ] {
            let err = table(extension).unwrap_err().to_string();
            assert!(
                err.contains(
                    "t.yaml#/components/schemas/LaunchRequest/x-idprov-mutually-exclusive"
                ) && err.contains(expected),
                "{extension}: {err}"
            );
        }
    }
}
