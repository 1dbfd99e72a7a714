//! The rules a request must follow, read from the specs themselves (`specs/*.yaml`, embedded with
//! `include_str!`), and a small validator for the subset of JSON Schema those specs use.
//!
//! Why the specs and not the client crates' generated types: the sandbox is a second, independent reading
//! of the same contract. Decoding into the generated types would accept whatever the client under test
//! sends (a client bug would agree with itself), would not see query-parameter bounds (progenitor does not
//! check integer `minimum`/`maximum`), and serde's errors do not name the field of an unknown enum value.
//! The spec says each rule once, with its field name, so every violation is reported by its path
//! (`workflow_action.workflow_id`, `limit`).
//!
//! Supported: `$ref` (to `#/components/...`), `type` (object, array, string, integer, number, boolean),
//! `nullable`, `enum`, `format` (`uuid`, `date-time`, `int32`), `minimum`, `maximum`, `minLength`, `maxLength`,
//! `required`, `properties`, `additionalProperties` (`false` or a schema), `items`, `oneOf`, `anyOf`, `allOf`.

use std::collections::BTreeMap;
use std::fmt;

use http::Method;
use serde_json::Value;

use crate::Vendor;

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Location {
    Path,
    Query,
    Header,
}

/// One parameter of an operation.
#[derive(Debug, Clone)]
pub(crate) struct Param {
    pub(crate) name: String,
    pub(crate) location: Location,
    pub(crate) required: bool,
    pub(crate) schema: Value,
    /// `x-idprov-credential`: a credential header, checked by the auth step, not here.
    pub(crate) credential: bool,
}

/// One operation of a spec.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    pub(crate) id: String,
    pub(crate) method: Method,
    /// The path template as the spec writes it (`/v1/instances/{instance_id}/...`).
    pub(crate) path: String,
    pub(crate) params: Vec<Param>,
    /// The JSON body schema and whether a body is required.
    pub(crate) body: Option<(bool, Value)>,
}

/// One spec: its operations and the document (for `$ref`).
#[derive(Debug)]
pub(crate) struct ApiSpec {
    pub(crate) root: Value,
    pub(crate) operations: Vec<Operation>,
}

impl ApiSpec {
    /// The operation with this id.
    pub(crate) fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.id == id)
    }
}

/// The spec file of a vendor.
pub(crate) fn source(vendor: Vendor) -> &'static str {
    match vendor {
        Vendor::Seam => include_str!("../specs/seam.yaml"),
        Vendor::Aveva => include_str!("../specs/aveva-connect.yaml"),
        Vendor::Nerm => include_str!("../specs/sailpoint-nerm.yaml"),
        Vendor::Isc => include_str!("../specs/sailpoint-isc.yaml"),
        Vendor::Huawei => include_str!("../specs/huaweicloud-identitycenter.yaml"),
    }
}

/// Why a spec could not be read (only a broken build could cause it: the specs are embedded).
#[derive(Debug)]
pub(crate) struct SpecError(pub(crate) String);

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses a spec and lists its operations.
pub(crate) fn load(vendor: Vendor) -> Result<ApiSpec, SpecError> {
    let root: Value = serde_norway::from_str(source(vendor))
        .map_err(|e| SpecError(format!("the embedded {vendor} spec is not YAML: {e}")))?;
    let mut operations = Vec::new();
    let paths = root
        .get("paths")
        .and_then(Value::as_object)
        .ok_or_else(|| SpecError(format!("the {vendor} spec has no paths")))?;
    for (path, item) in paths {
        let shared = item.get("parameters").and_then(Value::as_array);
        for (key, op) in item.as_object().into_iter().flatten() {
            let method = match key.as_str() {
                "get" => Method::GET,
                "head" => Method::HEAD,
                "post" => Method::POST,
                "put" => Method::PUT,
                "delete" => Method::DELETE,
                "patch" => Method::PATCH,
                _ => continue,
            };
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .ok_or_else(|| SpecError(format!("{key} {path} has no operationId")))?
                .to_string();
            let mut params = Vec::new();
            for raw in shared.into_iter().flatten().chain(
                op.get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            ) {
                let p = resolve(&root, raw);
                let location = match p.get("in").and_then(Value::as_str) {
                    Some("path") => Location::Path,
                    Some("query") => Location::Query,
                    Some("header") => Location::Header,
                    _ => continue,
                };
                params.push(Param {
                    name: p
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                    location,
                    required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                    schema: p.get("schema").cloned().unwrap_or(Value::Null),
                    credential: p
                        .get("x-idprov-credential")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                });
            }
            let body = op.get("requestBody").map(|b| {
                let b = resolve(&root, b);
                let required = b.get("required").and_then(Value::as_bool).unwrap_or(false);
                let schema = b
                    .pointer("/content/application~1json/schema")
                    .cloned()
                    .unwrap_or(Value::Null);
                (required, schema)
            });
            operations.push(Operation {
                id,
                method,
                path: path.clone(),
                params,
                body,
            });
        }
    }
    Ok(ApiSpec { root, operations })
}

/// Follows `$ref`s (`#/components/...`) until a node without one. An unresolvable ref gives the node.
pub(crate) fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..32 {
        let Some(r) = node.get("$ref").and_then(Value::as_str) else {
            return node;
        };
        match r.strip_prefix('#').and_then(|p| root.pointer(p)) {
            Some(target) => node = target,
            None => return node,
        }
    }
    node
}

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub(crate) enum Problem {
    /// A required field or parameter is absent.
    Missing,
    /// The value has the wrong JSON type (`expected`, `received`).
    WrongType {
        /// The type the spec gives.
        expected: String,
        /// The type that was sent.
        received: String,
    },
    /// A string is not in the spec's `format` (`uuid`, `date-time`).
    Format(String),
    /// A value is not one of the spec's `enum` values.
    NotInEnum {
        /// The allowed values.
        allowed: Vec<String>,
        /// What was sent.
        received: String,
    },
    /// A number is below `minimum`.
    TooSmall(f64),
    /// A number is above `maximum`.
    TooLarge(f64),
    /// A string is shorter than `minLength`.
    TooShort(u64),
    /// A string is longer than `maxLength`.
    TooLong(u64),
    /// A property the schema does not allow (`additionalProperties: false`).
    NotAllowed,
    /// A rule of the vendor that is not in the spec (a business rule), in words.
    Other(String),
}

/// One broken rule: which field (a dotted path; `body` for the body itself) and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Violation {
    /// The field, as a dotted path from the body's root (`workflow_action.workflow_id`) or the parameter's name.
    pub(crate) field: String,
    /// What is wrong with it.
    pub(crate) problem: Problem,
}

impl Violation {
    pub(crate) fn new(field: impl Into<String>, problem: Problem) -> Self {
        Self {
            field: field.into(),
            problem,
        }
    }

    /// The problem in plain words (`is required`, `must be at most 250`), without the field.
    pub(crate) fn plain(&self) -> String {
        match &self.problem {
            Problem::Missing => "is required".to_string(),
            Problem::WrongType { expected, .. } => format!("must be {}", article(expected)),
            Problem::Format(f) => format!("must be a valid {f}"),
            Problem::NotInEnum { allowed, .. } => format!("must be one of {}", allowed.join(", ")),
            Problem::TooSmall(n) => format!("must be at least {}", number(*n)),
            Problem::TooLarge(n) => format!("must be at most {}", number(*n)),
            Problem::TooShort(n) => format!("must be at least {n} characters long"),
            Problem::TooLong(n) => format!("must be at most {n} characters long"),
            Problem::NotAllowed => "is not allowed".to_string(),
            Problem::Other(why) => why.clone(),
        }
    }

    /// The problem as Seam's validator (Zod) words it.
    pub(crate) fn zod(&self) -> String {
        match &self.problem {
            Problem::Missing => "Required".to_string(),
            Problem::WrongType { expected, received } => {
                format!("Expected {expected}, received {received}")
            }
            Problem::Format(f) if f == "uuid" => "Invalid uuid".to_string(),
            Problem::Format(f) => format!("Invalid {f}"),
            Problem::NotInEnum { allowed, received } => format!(
                "Invalid enum value. Expected {}, received '{received}'",
                allowed
                    .iter()
                    .map(|a| format!("'{a}'"))
                    .collect::<Vec<_>>()
                    .join(" | ")
            ),
            Problem::TooSmall(n) => {
                format!("Number must be greater than or equal to {}", number(*n))
            }
            Problem::TooLarge(n) => format!("Number must be less than or equal to {}", number(*n)),
            Problem::TooShort(n) => format!("String must contain at least {n} character(s)"),
            Problem::TooLong(n) => format!("String must contain at most {n} character(s)"),
            Problem::NotAllowed => "Unrecognized key".to_string(),
            Problem::Other(why) => why.clone(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.field, self.plain())
    }
}

fn article(t: &str) -> String {
    match t {
        "integer" | "object" | "array" => format!("an {t}"),
        _ => format!("a {t}"),
    }
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Checks `value` against `schema` (resolved in `root`), adding every violation under `path` to `out`.
pub(crate) fn validate(
    root: &Value,
    schema: &Value,
    value: &Value,
    path: &str,
    out: &mut Vec<Violation>,
) {
    validate_depth(root, schema, value, path, out, 0);
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn validate_depth(
    root: &Value,
    schema: &Value,
    value: &Value,
    path: &str,
    out: &mut Vec<Violation>,
    depth: u32,
) {
    if depth > 32 {
        return;
    }
    let schema = resolve(root, schema);
    let Some(s) = schema.as_object() else {
        return;
    };
    let field = if path.is_empty() { "body" } else { path };

    if value.is_null() {
        let nullable = s.get("nullable").and_then(Value::as_bool).unwrap_or(false)
            || s.get("enum")
                .and_then(Value::as_array)
                .is_some_and(|e| e.iter().any(Value::is_null));
        let typed = s.contains_key("type") || s.contains_key("enum");
        if !nullable && typed {
            out.push(Violation::new(
                field,
                Problem::WrongType {
                    expected: s
                        .get("type")
                        .and_then(Value::as_str)
                        .unwrap_or("a value")
                        .to_string(),
                    received: "null".to_string(),
                },
            ));
        }
        return;
    }

    if let Some(all) = s.get("allOf").and_then(Value::as_array) {
        for sub in all {
            validate_depth(root, sub, value, path, out, depth + 1);
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(any) = s.get(key).and_then(Value::as_array) {
            let mut best: Option<Vec<Violation>> = None;
            for sub in any {
                let mut found = Vec::new();
                validate_depth(root, sub, value, path, &mut found, depth + 1);
                if found.is_empty() {
                    best = None;
                    break;
                }
                if best.as_ref().is_none_or(|b| found.len() < b.len()) {
                    best = Some(found);
                }
            }
            if let Some(b) = best {
                out.extend(b);
                return;
            }
        }
    }

    if let Some(t) = s.get("type").and_then(Value::as_str) {
        let got = json_type(value);
        let ok = match t {
            "number" => matches!(got, "number" | "integer"),
            "integer" => got == "integer" || value.as_f64().is_some_and(|f| f.fract() == 0.0),
            other => got == other,
        };
        if !ok {
            out.push(Violation::new(
                field,
                Problem::WrongType {
                    expected: t.to_string(),
                    received: got.to_string(),
                },
            ));
            return;
        }
    }

    if let Some(allowed) = s.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        out.push(Violation::new(
            field,
            Problem::NotInEnum {
                allowed: allowed.iter().filter(|a| !a.is_null()).map(text).collect(),
                received: text(value),
            },
        ));
        return;
    }

    match value {
        Value::String(text) => {
            if let Some(format) = s.get("format").and_then(Value::as_str) {
                let ok = match format {
                    "uuid" => uuid::Uuid::parse_str(text).is_ok(),
                    "date-time" => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
                    _ => true,
                };
                if !ok {
                    out.push(Violation::new(field, Problem::Format(format.to_string())));
                }
            }
            let len = text.chars().count() as u64;
            if let Some(min) = s.get("minLength").and_then(Value::as_u64)
                && len < min
            {
                out.push(Violation::new(field, Problem::TooShort(min)));
            }
            if let Some(max) = s.get("maxLength").and_then(Value::as_u64)
                && len > max
            {
                out.push(Violation::new(field, Problem::TooLong(max)));
            }
        }
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            let (lo, hi) = match s.get("format").and_then(Value::as_str) {
                Some("int32") => (f64::from(i32::MIN), f64::from(i32::MAX)),
                _ => (f64::MIN, f64::MAX),
            };
            if let Some(min) = s
                .get("minimum")
                .and_then(Value::as_f64)
                .or((lo > f64::MIN).then_some(lo))
                && f < min
            {
                out.push(Violation::new(field, Problem::TooSmall(min)));
            }
            if let Some(max) = s
                .get("maximum")
                .and_then(Value::as_f64)
                .or((hi < f64::MAX).then_some(hi))
                && f > max
            {
                out.push(Violation::new(field, Problem::TooLarge(max)));
            }
        }
        Value::Array(items) => {
            if let Some(item) = s.get("items") {
                for (i, v) in items.iter().enumerate() {
                    validate_depth(root, item, v, &format!("{field}[{i}]"), out, depth + 1);
                }
            }
        }
        Value::Object(members) => {
            let props = s.get("properties").and_then(Value::as_object);
            for name in s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(name) = name.as_str()
                    && !members.contains_key(name)
                {
                    out.push(Violation::new(join(path, name), Problem::Missing));
                }
            }
            for (name, v) in members {
                let sub = join(path, name);
                match props.and_then(|p| p.get(name)) {
                    Some(prop) => validate_depth(root, prop, v, &sub, out, depth + 1),
                    None => match s.get("additionalProperties") {
                        Some(Value::Bool(false)) => {
                            out.push(Violation::new(sub, Problem::NotAllowed));
                        }
                        Some(extra @ Value::Object(_)) => {
                            validate_depth(root, extra, v, &sub, out, depth + 1);
                        }
                        _ => {}
                    },
                }
            }
        }
        Value::Bool(_) | Value::Null => {}
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The request as the validator sees it.
pub(crate) struct Received<'a> {
    pub(crate) path_params: &'a BTreeMap<String, String>,
    /// Every query pair, decoded, in order.
    pub(crate) query: &'a [(String, String)],
    pub(crate) headers: &'a http::HeaderMap,
    /// The body, parsed as JSON (`None`: no body).
    pub(crate) body: Option<&'a Value>,
}

/// Checks a request's parameters and body against `op`; every violation, in the spec's order.
pub(crate) fn check_request(spec: &ApiSpec, op: &Operation, req: &Received<'_>) -> Vec<Violation> {
    let mut out = Vec::new();
    for p in &op.params {
        if p.credential {
            continue;
        }
        let raw: Vec<&str> = match p.location {
            Location::Path => req
                .path_params
                .get(&p.name)
                .map(String::as_str)
                .into_iter()
                .collect(),
            Location::Query => req
                .query
                .iter()
                .filter(|(k, _)| *k == p.name)
                .map(|(_, v)| v.as_str())
                .collect(),
            Location::Header => req
                .headers
                .get_all(p.name.as_str())
                .iter()
                .map(|v| v.to_str().unwrap_or("\u{fffd}"))
                .collect(),
        };
        if raw.is_empty() {
            if p.required {
                out.push(Violation::new(p.name.clone(), Problem::Missing));
            }
            continue;
        }
        let schema = resolve(&spec.root, &p.schema);
        let value = if schema.get("type").and_then(Value::as_str) == Some("array") {
            let item = schema.get("items").map(|i| resolve(&spec.root, i));
            Value::Array(raw.iter().map(|r| typed(&spec.root, item, r)).collect())
        } else {
            match raw.as_slice() {
                [one] => typed(&spec.root, Some(schema), one),
                _ => {
                    out.push(Violation::new(
                        p.name.clone(),
                        Problem::Other("must be given once".to_string()),
                    ));
                    continue;
                }
            }
        };
        validate(&spec.root, schema, &value, &p.name, &mut out);
    }
    match (&op.body, req.body) {
        (Some((true, _)), None) => out.push(Violation::new("body", Problem::Missing)),
        (Some((_, schema)), Some(body)) => validate(&spec.root, schema, body, "", &mut out),
        _ => {}
    }
    out
}

/// A parameter's text as the JSON value its schema types (text that does not parse stays text, so the
/// validator reports the wrong type).
fn typed(root: &Value, schema: Option<&Value>, raw: &str) -> Value {
    let t = schema
        .map(|s| resolve(root, s))
        .and_then(|s| s.get("type"))
        .and_then(Value::as_str);
    match t {
        Some("integer") => raw
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(raw.to_string())),
        Some("number") => raw
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(raw.to_string())),
        Some("boolean") => match raw {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(raw.to_string()),
        },
        _ => Value::String(raw.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body_violations(vendor: Vendor, op: &str, body: Value) -> Vec<Violation> {
        let spec = load(vendor).unwrap();
        let op = spec.operation(op).unwrap();
        let none = BTreeMap::new();
        let headers = http::HeaderMap::new();
        check_request(
            &spec,
            op,
            &Received {
                path_params: &none,
                query: &[],
                headers: &headers,
                body: Some(&body),
            },
        )
        .into_iter()
        .filter(|v| {
            v.field != "X-SailPoint-Experimental"
                && v.field != "instance_id"
                && v.field != "permission_set_id"
        })
        .collect()
    }

    #[test]
    fn every_spec_loads_with_its_operations() {
        let count = |v| load(v).unwrap().operations.len();
        assert_eq!(count(Vendor::Seam), 4);
        assert_eq!(count(Vendor::Aveva), 7);
        assert_eq!(count(Vendor::Nerm), 2);
        assert_eq!(count(Vendor::Isc), 3);
        assert_eq!(count(Vendor::Huawei), 3);
    }

    #[test]
    fn a_missing_nested_required_field_is_named_by_its_path() {
        let v = body_violations(
            Vendor::Nerm,
            "create_username_password_action",
            json!({"workflow_action": {"description": "x"}}),
        );
        assert_eq!(
            v,
            [Violation::new(
                "workflow_action.workflow_id",
                Problem::Missing
            )]
        );
    }

    #[test]
    fn wrong_type_bad_uuid_and_unknown_enum_value_are_named() {
        let v = body_violations(
            Vendor::Seam,
            "launch_enrollment_automation",
            json!({"user_identity_id": "nope", "credential_manager_acs_system_id": 7}),
        );
        let zod = |field: &str| v.iter().find(|x| x.field == field).map(Violation::zod);
        assert_eq!(v.len(), 2);
        assert_eq!(zod("user_identity_id").as_deref(), Some("Invalid uuid"));
        assert_eq!(
            zod("credential_manager_acs_system_id").as_deref(),
            Some("Expected string, received integer")
        );
        let v = body_violations(
            Vendor::Huawei,
            "provision_permission_set",
            json!({"target_type": "EVERYONE"}),
        );
        assert_eq!(v.len(), 1);
        assert_eq!(
            v[0].to_string(),
            "target_type must be one of ACCOUNT, ALL_PROVISIONED_ACCOUNTS"
        );
    }

    #[test]
    fn query_parameters_are_typed_then_bounded() {
        let spec = load(Vendor::Isc).unwrap();
        let op = spec
            .operation("list_machine_account_create_access")
            .unwrap();
        let none = BTreeMap::new();
        let mut headers = http::HeaderMap::new();
        headers.insert(
            "x-sailpoint-experimental",
            http::HeaderValue::from_static("true"),
        );
        let query = [
            ("limit".to_string(), "251".to_string()),
            ("offset".to_string(), "x".to_string()),
        ];
        let v = check_request(
            &spec,
            op,
            &Received {
                path_params: &none,
                query: &query,
                headers: &headers,
                body: None,
            },
        );
        let shown: Vec<String> = v.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            ["offset must be an integer", "limit must be at most 250"]
        );
    }
}
