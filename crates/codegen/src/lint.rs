//! The spec linter: what every idprov spec must say before a client is generated from it.
//!
//! Each finding names the spec file and a JSON pointer (RFC 6901) to the offending place, so
//! `seam.yaml#/paths/~1user_identities~1enrollment_automations~1launch/post/responses` can be found with any
//! YAML-aware editor. The rules:
//!
//! | rule | severity | what it checks |
//! |---|---|---|
//! | `parse` | error | the file is YAML |
//! | `openapi-version` | error | `openapi` is `3.0.x` |
//! | `unresolved-ref` | error | every `$ref` is local (`#/...`) and resolves |
//! | `operation-id` | error | every operation has an `operationId`, unique in the document |
//! | `error-responses` | error | every operation documents an error response (4xx, 5xx, a range or `default`) |
//! | `example` | error | every `example` (and `examples/*/value`) validates against its schema |
//! | `servers` | error | `servers` is declared, each with a `url` whose `{variables}` have defaults |
//! | `security` | error | security schemes are declared, every operation has a security requirement (its own or the document's), and requirements name declared schemes |
//! | `required-header-default` | warning | a required header parameter has a `default`: progenitor ignores it, idprov-runtime sends it |
//!
//! Examples are checked by a small validator of the JSON-schema subset the specs use: `type`, `nullable`,
//! `enum`, `properties`, `required`, `additionalProperties`, `items`, `minItems`/`maxItems`,
//! `minLength`/`maxLength`, `minimum`/`maximum` (with 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum`),
//! `format` (`uuid`, `date-time` and `date`, loosely), `$ref`, `allOf`, and `oneOf`/`anyOf` (at least one
//! branch must match).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde_json::Value;

use crate::CodegenError;
use crate::operations::escape_pointer;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The spec must be fixed; `cargo xtask codegen` fails.
    Error,
    /// Worth knowing; nothing fails.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Error => "error",
            Self::Warning => "warning",
        })
    }
}

/// The lint rules (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// The file is not YAML.
    Parse,
    /// The document is not OpenAPI 3.0.x.
    OpenapiVersion,
    /// A `$ref` is external or does not resolve.
    UnresolvedRef,
    /// An `operationId` is missing or used twice.
    OperationId,
    /// An operation documents no error response.
    ErrorResponses,
    /// An example does not validate against its schema.
    Example,
    /// `servers` is missing or incomplete.
    Servers,
    /// Security schemes or requirements are missing or name undeclared schemes.
    Security,
    /// A required header parameter has a default (a warning: the runtime sends it).
    RequiredHeaderDefault,
}

impl Rule {
    /// The rule's name, as printed in findings.
    pub fn name(self) -> &'static str {
        match self {
            Self::Parse => "parse",
            Self::OpenapiVersion => "openapi-version",
            Self::UnresolvedRef => "unresolved-ref",
            Self::OperationId => "operation-id",
            Self::ErrorResponses => "error-responses",
            Self::Example => "example",
            Self::Servers => "servers",
            Self::Security => "security",
            Self::RequiredHeaderDefault => "required-header-default",
        }
    }

    /// How bad a finding of this rule is.
    pub fn severity(self) -> Severity {
        match self {
            Self::RequiredHeaderDefault => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One thing the linter found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule that found it.
    pub rule: Rule,
    /// The spec file, as given to the linter.
    pub file: String,
    /// A JSON pointer to the offending place (empty for the whole document).
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl Finding {
    /// How bad it is.
    pub fn severity(&self) -> Severity {
        self.rule.severity()
    }

    /// Whether it is an error (as opposed to a warning).
    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}]: {}#{}: {}",
            self.severity(),
            self.rule,
            self.file,
            self.pointer,
            self.message
        )
    }
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(Finding::is_error)
}

/// Lints the spec at `path`; findings name the file as `path` is written.
pub fn lint_file(path: &Path) -> Result<Vec<Finding>, CodegenError> {
    let text = std::fs::read_to_string(path).map_err(|source| CodegenError::Read {
        path: path.display().to_string(),
        source,
    })?;
    Ok(lint_str(&path.display().to_string(), &text))
}

/// Lints the text of a spec; `file` names it in the findings. Findings come in document order, rule by rule.
pub fn lint_str(file: &str, text: &str) -> Vec<Finding> {
    let doc: Value = match serde_norway::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return vec![Finding {
                rule: Rule::Parse,
                file: file.to_string(),
                pointer: String::new(),
                message: format!("not valid YAML: {e}"),
            }];
        }
    };
    let mut linter = Linter {
        file,
        doc: &doc,
        out: Vec::new(),
    };
    linter.run();
    linter.out
}

/// Keys whose values map user-chosen names to objects (so a child named `example` is not example data).
const NAME_MAPS: [&str; 13] = [
    "properties",
    "schemas",
    "parameters",
    "responses",
    "headers",
    "examples",
    "requestBodies",
    "securitySchemes",
    "paths",
    "content",
    "variables",
    "links",
    "callbacks",
];

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Appends `segment`, escaped, to a JSON pointer.
fn join(pointer: &str, segment: &str) -> String {
    format!("{pointer}/{}", escape_pointer(segment))
}

struct Linter<'a> {
    file: &'a str,
    doc: &'a Value,
    out: Vec<Finding>,
}

/// One operation of the document, with the pointer to it.
struct Op<'a> {
    pointer: String,
    op: &'a Value,
    path_item: &'a Value,
    path_pointer: String,
}

impl<'a> Linter<'a> {
    fn report(&mut self, rule: Rule, pointer: impl Into<String>, message: impl Into<String>) {
        self.out.push(Finding {
            rule,
            file: self.file.to_string(),
            pointer: pointer.into(),
            message: message.into(),
        });
    }

    fn run(&mut self) {
        if !self.doc.is_object() {
            self.report(
                Rule::OpenapiVersion,
                "",
                "the document is not a mapping; expected an OpenAPI 3.0.x document",
            );
            return;
        }
        self.check_version();
        self.check_refs(self.doc, String::new(), None);
        let ops = self.operations();
        self.check_operation_ids(&ops);
        self.check_error_responses(&ops);
        self.check_servers();
        self.check_security(&ops);
        self.check_required_header_defaults(&ops);
        self.check_examples(&ops);
    }

    // ---- openapi-version -------------------------------------------------------------------------------

    fn check_version(&mut self) {
        match self.doc.get("openapi") {
            Some(Value::String(v)) if v.starts_with("3.0.") => {}
            Some(Value::String(v)) => {
                self.report(
                    Rule::OpenapiVersion,
                    "/openapi",
                    format!("expected OpenAPI 3.0.x, found {v:?}"),
                );
            }
            Some(other) => self.report(
                Rule::OpenapiVersion,
                "/openapi",
                format!("expected a version string 3.0.x, found {other}"),
            ),
            None => {
                let message = match self.doc.get("swagger") {
                    Some(v) => format!("a Swagger {v} document; expected OpenAPI 3.0.x"),
                    None => "`openapi` is missing; expected OpenAPI 3.0.x".to_string(),
                };
                self.report(Rule::OpenapiVersion, "/openapi", message);
            }
        }
    }

    // ---- unresolved-ref --------------------------------------------------------------------------------

    /// Walks the whole document; `parent_key` is the key under which `value` sits (to skip example data).
    fn check_refs(&mut self, value: &'a Value, pointer: String, parent_key: Option<&str>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let here = join(&pointer, k);
                    if k == "$ref" {
                        if let Value::String(r) = v {
                            self.check_one_ref(r, &here);
                        } else {
                            self.report(
                                Rule::UnresolvedRef,
                                here,
                                format!("`$ref` must be a string, found {v}"),
                            );
                        }
                        continue;
                    }
                    // Example data is not part of the document's structure (but a property may be called `example`).
                    let in_name_map = parent_key.is_some_and(|p| NAME_MAPS.contains(&p));
                    let is_data = !in_name_map
                        && (matches!(k.as_str(), "example" | "default" | "enum")
                            || (k == "value"
                                && pointer_parent_key(&pointer, 1) == Some("examples")));
                    if !is_data {
                        self.check_refs(v, here, Some(k));
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    self.check_refs(v, format!("{pointer}/{i}"), None);
                }
            }
            _ => {}
        }
    }

    fn check_one_ref(&mut self, reference: &str, pointer: &str) {
        match reference.strip_prefix('#') {
            None => self.report(
                Rule::UnresolvedRef,
                pointer,
                format!("`$ref` {reference:?} is external; idprov specs are self-contained (use #/components/...)"),
            ),
            Some(fragment) => {
                if resolve_pointer(self.doc, fragment).is_none() {
                    self.report(
                        Rule::UnresolvedRef,
                        pointer,
                        format!("`$ref` {reference:?} does not resolve to anything in this document"),
                    );
                }
            }
        }
    }

    // ---- operations ------------------------------------------------------------------------------------

    fn operations(&self) -> Vec<Op<'a>> {
        let mut ops = Vec::new();
        let Some(Value::Object(paths)) = self.doc.get("paths") else {
            return ops;
        };
        for (path, item) in paths {
            let path_pointer = join("/paths", path);
            let item = self.deref(item);
            for method in METHODS {
                if let Some(op @ Value::Object(_)) = item.get(method) {
                    ops.push(Op {
                        pointer: join(&path_pointer, method),
                        op,
                        path_item: item,
                        path_pointer: path_pointer.clone(),
                    });
                }
            }
        }
        ops
    }

    fn check_operation_ids(&mut self, ops: &[Op<'a>]) {
        let mut seen: BTreeMap<&str, String> = BTreeMap::new();
        for op in ops {
            match op.op.get("operationId") {
                Some(Value::String(id)) if !id.trim().is_empty() => {
                    if let Some(first) = seen.get(id.as_str()) {
                        let message = format!("operationId {id:?} is already used by {first}; operationIds must be unique");
                        self.report(Rule::OperationId, join(&op.pointer, "operationId"), message);
                    } else {
                        seen.insert(id, op.pointer.clone());
                    }
                }
                Some(other) => self.report(
                    Rule::OperationId,
                    join(&op.pointer, "operationId"),
                    format!("operationId must be a non-empty string, found {other}"),
                ),
                None => self.report(
                    Rule::OperationId,
                    op.pointer.clone(),
                    "operationId is missing; every operation needs a unique one (it names the Rust method)",
                ),
            }
        }
    }

    fn check_error_responses(&mut self, ops: &[Op<'a>]) {
        for op in ops {
            let Some(Value::Object(responses)) = op.op.get("responses") else {
                self.report(
                    Rule::ErrorResponses,
                    op.pointer.clone(),
                    "the operation has no `responses`",
                );
                continue;
            };
            let documents_error = responses
                .keys()
                .any(|k| k == "default" || k.starts_with('4') || k.starts_with('5'));
            if !documents_error {
                self.report(
                    Rule::ErrorResponses,
                    join(&op.pointer, "responses"),
                    format!(
                        "documents no error response (a 4xx, 5xx, range such as 4XX, or `default`); found only {}",
                        responses.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                );
            }
        }
    }

    // ---- servers ---------------------------------------------------------------------------------------

    fn check_servers(&mut self) {
        let servers = match self.doc.get("servers") {
            Some(Value::Array(s)) if !s.is_empty() => s,
            Some(Value::Array(_)) => {
                self.report(
                    Rule::Servers,
                    "/servers",
                    "`servers` is empty; declare the vendor's server URL",
                );
                return;
            }
            Some(other) => {
                self.report(
                    Rule::Servers,
                    "/servers",
                    format!("`servers` must be a list, found {other}"),
                );
                return;
            }
            None => {
                self.report(
                    Rule::Servers,
                    "/servers",
                    "`servers` is missing; declare the vendor's server URL (it becomes the client's default base URL)",
                );
                return;
            }
        };
        for (i, server) in servers.iter().enumerate() {
            let here = format!("/servers/{i}");
            let Some(Value::String(url)) = server.get("url") else {
                self.report(Rule::Servers, join(&here, "url"), "a server needs a `url`");
                continue;
            };
            if url.trim().is_empty() {
                self.report(
                    Rule::Servers,
                    join(&here, "url"),
                    "the server `url` is empty",
                );
            }
            for var in url_variables(url) {
                let default = server
                    .get("variables")
                    .and_then(|v| v.get(&var))
                    .and_then(|v| v.get("default"));
                if default.is_none() {
                    self.report(
                        Rule::Servers,
                        join(&here, "url"),
                        format!("the URL variable {{{var}}} has no `variables/{var}/default`"),
                    );
                }
            }
        }
    }

    // ---- security --------------------------------------------------------------------------------------

    fn check_security(&mut self, ops: &[Op<'a>]) {
        let schemes = match self.doc.pointer("/components/securitySchemes") {
            Some(Value::Object(s)) if !s.is_empty() => Some(s),
            _ => {
                self.report(
                    Rule::Security,
                    "/components/securitySchemes",
                    "no security schemes are declared; declare how the API authenticates",
                );
                None
            }
        };
        let top = self.doc.get("security");
        match top {
            Some(Value::Array(reqs)) => self.check_requirements(reqs, "/security", schemes),
            Some(other) => self.report(
                Rule::Security,
                "/security",
                format!("`security` must be a list, found {other}"),
            ),
            None => {}
        }
        let top_declared = matches!(top, Some(Value::Array(r)) if !r.is_empty());
        for op in ops {
            match op.op.get("security") {
                Some(Value::Array(reqs)) => self.check_requirements(reqs, &join(&op.pointer, "security"), schemes),
                Some(other) => self.report(
                    Rule::Security,
                    join(&op.pointer, "security"),
                    format!("`security` must be a list, found {other}"),
                ),
                None if !top_declared => self.report(
                    Rule::Security,
                    op.pointer.clone(),
                    "no security requirement: declare `security` at the top level or on the operation",
                ),
                None => {}
            }
        }
    }

    fn check_requirements(
        &mut self,
        reqs: &[Value],
        pointer: &str,
        schemes: Option<&serde_json::Map<String, Value>>,
    ) {
        for (i, req) in reqs.iter().enumerate() {
            let here = format!("{pointer}/{i}");
            let Value::Object(req) = req else {
                self.report(
                    Rule::Security,
                    here,
                    "a security requirement must be a mapping of scheme names",
                );
                continue;
            };
            for name in req.keys() {
                if schemes.is_some_and(|s| !s.contains_key(name)) {
                    self.report(
                        Rule::Security,
                        join(&here, name),
                        format!("security scheme {name:?} is not declared in /components/securitySchemes"),
                    );
                }
            }
        }
    }

    // ---- required-header-default -----------------------------------------------------------------------

    fn check_required_header_defaults(&mut self, ops: &[Op<'a>]) {
        let mut params: Vec<(String, &'a Value)> = Vec::new();
        if let Some(Value::Object(map)) = self.doc.pointer("/components/parameters") {
            for (k, p) in map {
                params.push((join("/components/parameters", k), p));
            }
        }
        let mut seen_items = std::collections::BTreeSet::new();
        for op in ops {
            if seen_items.insert(op.path_pointer.clone()) {
                params.extend(inline_params(op.path_item, &op.path_pointer));
            }
            params.extend(inline_params(op.op, &op.pointer));
        }
        for (pointer, p) in params {
            if p.get("$ref").is_some() || p.get("in").and_then(Value::as_str) != Some("header") {
                continue;
            }
            if p.get("required").and_then(Value::as_bool) != Some(true) {
                continue;
            }
            let Some(schema) = p.get("schema") else {
                continue;
            };
            let Some(default) = self.deref(schema).get("default") else {
                continue;
            };
            let name = p.get("name").and_then(Value::as_str).unwrap_or("?");
            self.report(
                Rule::RequiredHeaderDefault,
                pointer,
                format!(
                    "required header {name} has a default ({default}); progenitor ignores defaults, so the parameter \
                     is left out of the generated call and idprov-runtime sends the default"
                ),
            );
        }
    }

    // ---- example ---------------------------------------------------------------------------------------

    fn check_examples(&mut self, ops: &[Op<'a>]) {
        let doc = self.doc;
        let component = |kind: &str| -> Vec<(String, &'a Value)> {
            match doc.pointer(&format!("/components/{kind}")) {
                Some(Value::Object(map)) => map
                    .iter()
                    .map(|(k, v)| (join(&format!("/components/{kind}"), k), v))
                    .collect(),
                _ => Vec::new(),
            }
        };
        for (p, s) in component("schemas") {
            self.walk_schema(s, &p, 0);
        }
        for (p, v) in component("parameters")
            .into_iter()
            .chain(component("headers"))
        {
            self.walk_parameter(v, &p);
        }
        for (p, v) in component("requestBodies") {
            self.walk_content(v, &p);
        }
        for (p, v) in component("responses") {
            self.walk_response(v, &p);
        }
        let mut seen_items = std::collections::BTreeSet::new();
        for op in ops {
            if seen_items.insert(op.path_pointer.clone()) {
                for (p, v) in inline_params(op.path_item, &op.path_pointer) {
                    self.walk_parameter(v, &p);
                }
            }
            for (p, v) in inline_params(op.op, &op.pointer) {
                self.walk_parameter(v, &p);
            }
            if let Some(body) = op.op.get("requestBody") {
                self.walk_content(body, &join(&op.pointer, "requestBody"));
            }
            if let Some(Value::Object(responses)) = op.op.get("responses") {
                let here = join(&op.pointer, "responses");
                for (code, r) in responses {
                    self.walk_response(r, &join(&here, code));
                }
            }
        }
    }

    /// A parameter or header object: its schema, and its examples against that schema.
    fn walk_parameter(&mut self, p: &'a Value, pointer: &str) {
        if p.get("$ref").is_some() {
            return;
        }
        if let Some(schema) = p.get("schema") {
            let schema_pointer = join(pointer, "schema");
            self.walk_schema(schema, &schema_pointer, 0);
            self.check_examples_of(p, pointer, schema, &schema_pointer);
        }
        self.walk_media_types(p, pointer);
    }

    /// A request body or response: the media types of its `content`.
    fn walk_content(&mut self, v: &'a Value, pointer: &str) {
        if v.get("$ref").is_none() {
            self.walk_media_types(v, pointer);
        }
    }

    fn walk_response(&mut self, r: &'a Value, pointer: &str) {
        if r.get("$ref").is_some() {
            return;
        }
        self.walk_media_types(r, pointer);
        if let Some(Value::Object(headers)) = r.get("headers") {
            let here = join(pointer, "headers");
            for (name, h) in headers {
                self.walk_parameter(h, &join(&here, name));
            }
        }
    }

    fn walk_media_types(&mut self, v: &'a Value, pointer: &str) {
        let Some(Value::Object(content)) = v.get("content") else {
            return;
        };
        let here = join(pointer, "content");
        for (media, m) in content {
            let mp = join(&here, media);
            let Some(schema) = m.get("schema") else {
                continue;
            };
            let schema_pointer = join(&mp, "schema");
            self.walk_schema(schema, &schema_pointer, 0);
            self.check_examples_of(m, &mp, schema, &schema_pointer);
        }
    }

    /// Validates `holder.example` and `holder.examples/*/value` against `schema`.
    fn check_examples_of(
        &mut self,
        holder: &'a Value,
        pointer: &str,
        schema: &'a Value,
        schema_pointer: &str,
    ) {
        if let Some(example) = holder.get("example") {
            self.validate_example(example, &join(pointer, "example"), schema, schema_pointer);
        }
        if let Some(Value::Object(examples)) = holder.get("examples") {
            let here = join(pointer, "examples");
            for (name, ex) in examples {
                let ep = join(&here, name);
                // A referenced example is validated here, against this schema, at the place it is used.
                let ex = self.deref(ex);
                if let Some(value) = ex.get("value") {
                    self.validate_example(value, &join(&ep, "value"), schema, schema_pointer);
                }
            }
        }
    }

    /// Walks a schema and the schemas inside it, validating each one's `example` against it.
    fn walk_schema(&mut self, schema: &'a Value, pointer: &str, depth: usize) {
        let Value::Object(map) = schema else { return };
        if map.contains_key("$ref") || depth > 64 {
            return;
        }
        if let Some(example) = map.get("example") {
            self.validate_example(example, &join(pointer, "example"), schema, pointer);
        }
        if let Some(Value::Object(props)) = map.get("properties") {
            let here = join(pointer, "properties");
            for (name, s) in props {
                self.walk_schema(s, &join(&here, name), depth + 1);
            }
        }
        for key in ["items", "additionalProperties", "not"] {
            if let Some(s) = map.get(key) {
                self.walk_schema(s, &join(pointer, key), depth + 1);
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(list)) = map.get(key) {
                for (i, s) in list.iter().enumerate() {
                    self.walk_schema(s, &format!("{}/{i}", join(pointer, key)), depth + 1);
                }
            }
        }
    }

    fn validate_example(
        &mut self,
        example: &Value,
        pointer: &str,
        schema: &Value,
        schema_pointer: &str,
    ) {
        let validator = Validator { doc: self.doc };
        let mut problems = Vec::new();
        validator.validate(schema, schema_pointer, example, pointer, &mut problems, 0);
        for p in problems {
            self.report(
                Rule::Example,
                p.value_pointer,
                format!(
                    "the example does not match the schema at #{}: {}",
                    p.schema_pointer, p.message
                ),
            );
        }
    }

    /// Follows local `$ref`s (a few levels) to the object they name; anything else is returned as is.
    fn deref(&self, v: &'a Value) -> &'a Value {
        deref(self.doc, v)
    }
}

fn deref<'a>(doc: &'a Value, mut v: &'a Value) -> &'a Value {
    for _ in 0..16 {
        let Some(Value::String(r)) = v.get("$ref") else {
            return v;
        };
        match r.strip_prefix('#').and_then(|f| resolve_pointer(doc, f)) {
            Some(target) => v = target,
            None => return v,
        }
    }
    v
}

/// The inline `parameters` of a path item or operation, with their pointers.
fn inline_params<'a>(holder: &'a Value, pointer: &str) -> Vec<(String, &'a Value)> {
    match holder.get("parameters") {
        Some(Value::Array(list)) => list
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("{}/{i}", join(pointer, "parameters")), p))
            .collect(),
        _ => Vec::new(),
    }
}

/// The key `n` levels above the end of `pointer` (`n = 0` is its last segment).
fn pointer_parent_key(pointer: &str, n: usize) -> Option<&str> {
    pointer.rsplit('/').nth(n)
}

/// Resolves the fragment of a local `$ref` (`/components/schemas/X`), percent-decoding it first.
pub fn resolve_pointer<'a>(doc: &'a Value, fragment: &str) -> Option<&'a Value> {
    if fragment.is_empty() {
        return Some(doc);
    }
    let decoded = percent_decode(fragment)?;
    doc.pointer(&decoded)
}

fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_string());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `{name}`s in a server URL.
fn url_variables(url: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = url;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        out.push(after[..end].to_string());
        rest = &after[end + 1..];
    }
    out
}

/// One reason a value does not match a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Where in the value (a JSON pointer into the document).
    pub value_pointer: String,
    /// The schema that refused it (a JSON pointer into the document).
    pub schema_pointer: String,
    /// Why.
    pub message: String,
}

/// Validates a value against a schema of `doc` (see the module documentation for the subset understood).
pub fn validate(doc: &Value, schema: &Value, value: &Value) -> Vec<Mismatch> {
    let mut out = Vec::new();
    Validator { doc }.validate(schema, "", value, "", &mut out, 0);
    out
}

struct Validator<'a> {
    doc: &'a Value,
}

impl Validator<'_> {
    fn validate(
        &self,
        schema: &Value,
        sp: &str,
        value: &Value,
        vp: &str,
        out: &mut Vec<Mismatch>,
        depth: usize,
    ) {
        let mismatch = |out: &mut Vec<Mismatch>, message: String| {
            out.push(Mismatch {
                value_pointer: vp.to_string(),
                schema_pointer: sp.to_string(),
                message,
            })
        };
        if depth > 64 {
            return;
        }
        let Value::Object(s) = schema else {
            // `true`/`false` schemas and garbage: nothing this validator understands.
            return;
        };
        if let Some(Value::String(r)) = s.get("$ref") {
            if let Some(target) = r
                .strip_prefix('#')
                .and_then(|f| resolve_pointer(self.doc, f))
            {
                let target_pointer = r.trim_start_matches('#');
                self.validate(target, target_pointer, value, vp, out, depth + 1);
            }
            // An unresolved `$ref` is reported by its own rule.
            return;
        }
        let nullable = s.get("nullable").and_then(Value::as_bool) == Some(true);
        if value.is_null() {
            let enum_allows = match s.get("enum") {
                Some(Value::Array(e)) => e.iter().any(Value::is_null),
                _ => false,
            };
            let typed = s.contains_key("type") || s.contains_key("enum");
            if !(nullable || enum_allows || !typed) {
                mismatch(out, "null, but the schema is not `nullable: true`".into());
            }
            if !nullable {
                for (i, sub) in all_of(s) {
                    self.validate(sub, &format!("{sp}/allOf/{i}"), value, vp, out, depth + 1);
                }
            }
            return;
        }
        if let Some(Value::String(t)) = s.get("type") {
            let ok = match t.as_str() {
                "string" => value.is_string(),
                "integer" => is_integer(value),
                "number" => value.is_number(),
                "boolean" => value.is_boolean(),
                "array" => value.is_array(),
                "object" => value.is_object(),
                _ => true,
            };
            if !ok {
                mismatch(out, format!("expected {t}, found {}", describe(value)));
                return;
            }
        }
        if let Some(Value::Array(allowed)) = s.get("enum")
            && !allowed.iter().any(|a| json_eq(a, value))
        {
            let list: Vec<String> = allowed.iter().map(Value::to_string).collect();
            mismatch(
                out,
                format!("{value} is not one of the enum values {}", list.join(", ")),
            );
        }
        match value {
            Value::String(text) => {
                let chars = text.chars().count() as u64;
                if let Some(max) = s.get("maxLength").and_then(Value::as_u64)
                    && chars > max
                {
                    mismatch(
                        out,
                        format!("{chars} characters, more than maxLength {max}"),
                    );
                }
                if let Some(min) = s.get("minLength").and_then(Value::as_u64)
                    && chars < min
                {
                    mismatch(
                        out,
                        format!("{chars} characters, fewer than minLength {min}"),
                    );
                }
                if let Some(Value::String(format)) = s.get("format") {
                    let ok = match format.as_str() {
                        "uuid" => is_uuid(text),
                        "date-time" => is_date_time(text),
                        "date" => is_date(text),
                        _ => true,
                    };
                    if !ok {
                        mismatch(out, format!("{text:?} is not a {format}"));
                    }
                }
            }
            Value::Number(n) => {
                let Some(x) = n.as_f64() else { return };
                let exclusive = |key: &str| s.get(key).and_then(Value::as_bool) == Some(true);
                if let Some(min) = s.get("minimum").and_then(Value::as_f64)
                    && (x < min || (exclusive("exclusiveMinimum") && x == min))
                {
                    mismatch(out, format!("{n} is below the minimum {min}"));
                }
                if let Some(max) = s.get("maximum").and_then(Value::as_f64)
                    && (x > max || (exclusive("exclusiveMaximum") && x == max))
                {
                    mismatch(out, format!("{n} is above the maximum {max}"));
                }
            }
            Value::Array(items) => {
                let len = items.len() as u64;
                if let Some(max) = s.get("maxItems").and_then(Value::as_u64)
                    && len > max
                {
                    mismatch(out, format!("{len} items, more than maxItems {max}"));
                }
                if let Some(min) = s.get("minItems").and_then(Value::as_u64)
                    && len < min
                {
                    mismatch(out, format!("{len} items, fewer than minItems {min}"));
                }
                if let Some(item_schema) = s.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.validate(
                            item_schema,
                            &format!("{sp}/items"),
                            item,
                            &format!("{vp}/{i}"),
                            out,
                            depth + 1,
                        );
                    }
                }
            }
            Value::Object(fields) => {
                if let Some(Value::Array(required)) = s.get("required") {
                    for name in required.iter().filter_map(Value::as_str) {
                        if !fields.contains_key(name) {
                            mismatch(out, format!("the required property {name:?} is missing"));
                        }
                    }
                }
                let props = match s.get("properties") {
                    Some(Value::Object(p)) => Some(p),
                    _ => None,
                };
                for (name, v) in fields {
                    let here = join(vp, name);
                    if let Some(prop) = props.and_then(|p| p.get(name)) {
                        self.validate(
                            prop,
                            &join(&join(sp, "properties"), name),
                            v,
                            &here,
                            out,
                            depth + 1,
                        );
                        continue;
                    }
                    match s.get("additionalProperties") {
                        Some(Value::Bool(false)) => out.push(Mismatch {
                            value_pointer: here,
                            schema_pointer: sp.to_string(),
                            message: format!(
                                "property {name:?} is not declared and additionalProperties is false"
                            ),
                        }),
                        Some(extra @ Value::Object(_)) => {
                            self.validate(extra, &join(sp, "additionalProperties"), v, &here, out, depth + 1);
                        }
                        _ => {}
                    }
                }
            }
            Value::Bool(_) | Value::Null => {}
        }
        for (i, sub) in all_of(s) {
            self.validate(sub, &format!("{sp}/allOf/{i}"), value, vp, out, depth + 1);
        }
        for key in ["oneOf", "anyOf"] {
            let Some(Value::Array(branches)) = s.get(key) else {
                continue;
            };
            let matches = branches
                .iter()
                .enumerate()
                .filter(|(i, b)| {
                    let mut tmp = Vec::new();
                    self.validate(
                        b,
                        &format!("{sp}/{key}/{i}"),
                        value,
                        vp,
                        &mut tmp,
                        depth + 1,
                    );
                    tmp.is_empty()
                })
                .count();
            if matches == 0 {
                mismatch(
                    out,
                    format!("matches none of the {} `{key}` branches", branches.len()),
                );
            }
        }
    }
}

fn all_of(s: &serde_json::Map<String, Value>) -> impl Iterator<Item = (usize, &Value)> {
    s.get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flat_map(|list| list.iter().enumerate())
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(a) => format!("an array of {}", a.len()),
        Value::Object(_) => "an object".into(),
    }
}

fn is_integer(v: &Value) -> bool {
    match v {
        Value::Number(n) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn is_hex(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_hexdigit())
}

/// A UUID, hyphenated (8-4-4-4-12) or as 32 hex digits.
fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    match groups.as_slice() {
        [one] => one.len() == 32 && is_hex(one),
        [a, b, c, d, e] => {
            [a.len(), b.len(), c.len(), d.len(), e.len()] == [8, 4, 4, 4, 12]
                && groups.iter().all(|g| is_hex(g))
        }
        _ => false,
    }
}

/// `YYYY-MM-DD`.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
}

/// RFC 3339, loosely: a date, `T`, `HH:MM:SS` with optional fraction, then `Z` or an offset.
fn is_date_time(s: &str) -> bool {
    let Some((date, rest)) = s.split_at_checked(10) else {
        return false;
    };
    if !is_date(date) {
        return false;
    }
    let Some(time) = rest.strip_prefix(['T', 't']) else {
        return false;
    };
    let (clock, zone) = match time.find(['Z', 'z', '+', '-']) {
        Some(i) => time.split_at(i),
        None => return false,
    };
    let zone_ok = matches!(zone, "Z" | "z") || {
        let z = zone.as_bytes();
        z.len() == 6 && z[3] == b':' && [1, 2, 4, 5].iter().all(|&i| z[i].is_ascii_digit())
    };
    let (hms, frac) = match clock.split_once('.') {
        Some((hms, frac)) => (hms, Some(frac)),
        None => (clock, None),
    };
    let h = hms.as_bytes();
    let hms_ok = h.len() == 8
        && h[2] == b':'
        && h[5] == b':'
        && [0, 1, 3, 4, 6, 7].iter().all(|&i| h[i].is_ascii_digit());
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()));
    zone_ok && hms_ok && frac_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(is_uuid("05505650-aa57-49ab-8f19-429738758895"));
        assert!(is_uuid("6d28b7c1620c49c6b6d5cbf81eb4b5fa"));
        assert!(!is_uuid("not-a-uuid"));
        assert!(is_date_time("2024-01-09T05:45:33.068Z"));
        assert!(is_date_time("2026-01-14T08:08:28.644090559Z"));
        assert!(is_date_time("2024-01-09T05:45:33+02:00"));
        assert!(!is_date_time("2024-01-09"));
        assert!(!is_date_time("yesterday"));
        assert!(is_date("2024-01-09"));
    }

    #[test]
    fn url_variables_are_found() {
        assert_eq!(
            url_variables("https://{tenant}.api.{zone}/x"),
            ["tenant", "zone"]
        );
    }
}
