//! Typed httpmock helpers for a client crate's `mock` feature: progenitor 0.15.1's `Generator::httpmock`,
//! run by the same generator on the same rewritten spec as the client (so every type it names is the
//! client's), on a copy of that spec adapted to what the mock generator cannot take, then edited.
//!
//! | progenitor 0.15.1's httpmock generator | idprov's mocks | why |
//! |---|---|---|
//! | an array query parameter's matcher calls `value.to_string()` on a `Vec`, which does not compile (progenitor PR #1261) | in the mock's copy of the spec the parameter takes its items' schema: `tag("a")` requires `tag=a` among the request's values (chained calls require each), `tag(None)` requires none | the client keeps its array parameter; only the matcher changes |
//! | a path matcher is `^/path$`, so a client whose base URL keeps the documented server's path stem (NERM's `/api`) never matches | the stem is optional: `^(?:/api)?/path$` | a test may point the client at `server.base_url()` or at `server.url("/api")` |
//! | a path parameter's matcher puts `value.to_string()` into the regex as it is | the value as the client sends it: percent-encoded by `idprov_runtime::__private::Segment`, then `regex::escape`d | an id with a space, `%`, `+` or `(` would not match, or would panic as a bad regex |
//! | `Then` methods for the responses of the spec it is given, which (after the client's rewrites) has no error response | one more method per documented error status, named as progenitor names them (`not_found(&body)`, `too_many_requests(&body)`, `client_error(status, &body)` for `4XX`, `default_response(status, &body)`), taking any `Serialize` body (the crate's error type or `serde_json::json!`) | the error answers a user's code must handle can be mocked as typed as the successes; the statuses come from the operation table, read from the spec as written |
//!
//! The mock-only rewrites and the edits are listed in the mock file's header; the client's own rewrites
//! are those of the client's header. `into_inner()` on any wrapper gives httpmock's own `When` or `Then`
//! for what the typed methods do not say (a header, a delay, an undocumented status).

use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema};
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::visit_mut::{self, VisitMut};

use crate::{CodegenError, Rewrite};

/// The typed mocks generated for one spec.
#[derive(Debug, Clone)]
pub struct Mock {
    /// The formatted Rust source, header included; `include!` it from the crate's `mock` module.
    pub source: String,
    /// The changes made, for the mocks only, to the copy of the (already rewritten) spec.
    pub rewrites: Vec<Rewrite>,
    /// What idprov-codegen changed in progenitor's mock code (see the module docs).
    pub edits: Edits,
}

/// How many of each edit were made to progenitor's mock code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edits {
    /// The documented server's path stem made optional in front of every path matcher (`None` when the
    /// server URL has no path).
    pub path_stem: Option<String>,
    /// Path matchers given the optional stem.
    pub stemmed_path_matchers: usize,
    /// Path parameter matchers that encode and escape the value.
    pub encoded_path_parameters: usize,
    /// `Then` methods added for documented error statuses.
    pub error_answers: usize,
}

impl Edits {
    /// One line per kind of edit, for the mock file's header.
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        match &self.path_stem {
            Some(stem) => out.push(format!(
                "{} path matchers accept the documented server's path stem {stem} or none (^(?:{stem})?/..)",
                self.stemmed_path_matchers
            )),
            None => out.push("path matchers: none changed (the documented server URL has no path)".into()),
        }
        out.push(format!(
            "{} path parameter matchers compare the value as the client sends it (percent-encoded by idprov_runtime::__private::Segment, then regex::escape; was value.to_string() unescaped)",
            self.encoded_path_parameters
        ));
        out.push(format!(
            "{} Then methods added for the documented error statuses (from the operation table; progenitor sees no error response after the client's rewrites)",
            self.error_answers
        ));
        out
    }
}

/// Generates the mocks for `spec` (the client's rewritten spec) with the generator that generated the
/// client. `crate_path` is how the mock code names the client crate (`crate` from inside it).
pub(crate) fn generate(
    spec_name: &str,
    spec_sha256: &str,
    spec: &OpenAPI,
    generator: &mut progenitor::Generator,
    crate_path: &str,
    table: &[crate::operations::OperationEntry],
    layout: crate::Layout,
) -> Result<Mock, CodegenError> {
    let mut copy = spec.clone();
    let rewrites = rewrite(spec_name, &mut copy)?;
    let stem = server_path_stem(&copy);
    let tokens = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        generator.httpmock(&copy, crate_path)
    }))
    .map_err(|panic| CodegenError::ProgenitorPanic {
        spec: spec_name.to_string(),
        message: crate::panic_message(&panic),
    })?
    .map_err(|e| CodegenError::Progenitor {
        spec: spec_name.to_string(),
        message: e.to_string(),
    })?;
    let mut ast: syn::File = syn::parse2(tokens).map_err(|e| CodegenError::Internal {
        what: format!("{spec_name}: progenitor's httpmock tokens do not parse: {e}"),
    })?;
    let mut edits = edit(&mut ast, stem).map_err(|e| CodegenError::Internal {
        what: format!("{spec_name}: {e}"),
    })?;
    edits.error_answers =
        add_error_answers(&mut ast, table).map_err(|e| CodegenError::Internal {
            what: format!("{spec_name}: {e}"),
        })?;
    let body = crate::layout::render(&ast, layout)?;
    Ok(Mock {
        source: format!(
            "{}{}",
            header(spec_name, spec_sha256, &rewrites, &edits),
            body
        ),
        rewrites,
        edits,
    })
}

fn header(spec_name: &str, sha: &str, rewrites: &[Rewrite], edits: &Edits) -> String {
    let mut h = String::new();
    h.push_str("// @generated by idprov-codegen. Do not edit: change the spec and rebuild.\n");
    h.push_str(
        "// typed httpmock helpers (progenitor's Generator::httpmock) for the client generated from the same spec,\n",
    );
    h.push_str(
        "// by the same generator, after the client's rewrites (see its header): every type named is the client's.\n",
    );
    h.push_str(&format!("// spec: {spec_name}\n// spec sha256: {sha}\n"));
    h.push_str(&format!("// progenitor: {}\n", crate::PROGENITOR_VERSION));
    if rewrites.is_empty() {
        h.push_str("// rewrites for the mocks only: none\n");
    } else {
        h.push_str("// rewrites for the mocks only (the client keeps what the spec says):\n");
        for r in rewrites {
            h.push_str(&format!("//   {r}\n"));
        }
    }
    h.push_str("// edits to progenitor's mock code (idprov-codegen's mock module):\n");
    for line in edits.describe() {
        h.push_str(&format!("//   {line}\n"));
    }
    h.push('\n');
    h
}

/// The mock-only rewrites: every array query parameter takes its items' schema.
fn rewrite(spec_name: &str, spec: &mut OpenAPI) -> Result<Vec<Rewrite>, CodegenError> {
    let mut out = Vec::new();
    // Parameters defined once under components are rewritten there, and reported for each operation
    // that uses them.
    let mut shared = Vec::new();
    if let Some(components) = spec.components.as_mut() {
        for (key, p) in components.parameters.iter_mut() {
            if let ReferenceOr::Item(p) = p
                && let Some(name) =
                    array_query_to_items(spec_name, p, &format!("/components/parameters/{key}"))?
            {
                shared.push((format!("#/components/parameters/{key}"), name));
            }
        }
    }
    for (path, item) in spec.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let path_level = item.parameters.clone();
        let pointer = format!("/paths/{}", crate::operations::escape_pointer(path));
        let mut path_level_rewritten = Vec::new();
        for (i, p) in item.parameters.iter_mut().enumerate() {
            if let ReferenceOr::Item(p) = p
                && let Some(name) =
                    array_query_to_items(spec_name, p, &format!("{pointer}/parameters/{i}"))?
            {
                path_level_rewritten.push(name);
            }
        }
        for (method, op) in crate::rewrite::operations_mut(item) {
            let id = op
                .operation_id
                .clone()
                .unwrap_or_else(|| format!("{method} {path}"));
            let mut names = path_level_rewritten.clone();
            for p in path_level.iter().chain(op.parameters.iter()) {
                if let ReferenceOr::Reference { reference } = p
                    && let Some((_, name)) = shared.iter().find(|(r, _)| r == reference)
                {
                    names.push(name.clone());
                }
            }
            for (i, p) in op.parameters.iter_mut().enumerate() {
                if let ReferenceOr::Item(p) = p
                    && let Some(name) = array_query_to_items(
                        spec_name,
                        p,
                        &format!("{pointer}/{method}/parameters/{i}"),
                    )?
                {
                    names.push(name);
                }
            }
            for name in names {
                out.push(Rewrite {
                    operation_id: id.clone(),
                    what: format!(
                        "array query parameter {name} is matched one value at a time (`{name}(v)` requires {name}=v among the request's values; chain it for several; None requires none): progenitor 0.15.1's httpmock generator cannot take an array query parameter (PR #1261)"
                    ),
                });
            }
        }
    }
    Ok(out)
}

/// If `p` is a query parameter whose schema is an inline array, gives it the schema of its items and
/// returns its name.
fn array_query_to_items(
    spec_name: &str,
    p: &mut Parameter,
    pointer: &str,
) -> Result<Option<String>, CodegenError> {
    let Parameter::Query { parameter_data, .. } = p else {
        return Ok(None);
    };
    let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &mut parameter_data.format
    else {
        return Ok(None);
    };
    let openapiv3::SchemaKind::Type(openapiv3::Type::Array(array)) = &schema.schema_kind else {
        return Ok(None);
    };
    let Some(items) = array.items.clone() else {
        return Err(CodegenError::Unsupported {
            spec: spec_name.to_string(),
            pointer: format!("{pointer}/schema"),
            message: "an array query parameter needs `items` for its typed mock".into(),
        });
    };
    let items: ReferenceOr<Schema> = match items {
        ReferenceOr::Item(s) => ReferenceOr::Item(*s),
        ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
    };
    parameter_data.format = ParameterSchemaOrContent::Schema(items);
    Ok(Some(parameter_data.name.clone()))
}

/// The path of the spec's first server URL (`/api` for `https://{tenant}.nonemployee.com/api`), if it has one
/// without variables.
fn server_path_stem(spec: &OpenAPI) -> Option<String> {
    let url = &spec.servers.first()?.url;
    let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    let path = &after_scheme[after_scheme.find('/')?..];
    let path = path.trim_end_matches('/');
    (!path.is_empty() && !path.contains('{')).then(|| path.to_string())
}

/// Edits progenitor's mock code (see the module docs) and checks that no path matcher was missed.
pub(crate) fn edit(file: &mut syn::File, stem: Option<String>) -> Result<Edits, String> {
    struct Pass {
        stem: Option<String>,
        edits: Edits,
        anchored_literals: usize,
        error: Option<String>,
    }
    impl Pass {
        fn literal(&mut self, lit: &syn::LitStr) -> syn::LitStr {
            let value = lit.value();
            if !value.starts_with("^/") {
                return lit.clone();
            }
            self.anchored_literals += 1;
            match &self.stem {
                Some(stem) => {
                    self.edits.stemmed_path_matchers += 1;
                    let escaped = regex_escape(stem);
                    syn::LitStr::new(&format!("^(?:{escaped})?{}", &value[1..]), lit.span())
                }
                None => lit.clone(),
            }
        }
    }
    impl VisitMut for Pass {
        fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
            // regex::Regex::new("^/..$")
            if is_regex_new(&call.func)
                && let Some(syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(lit),
                    ..
                })) = call.args.first_mut()
            {
                *lit = self.literal(lit);
            }
            visit_mut::visit_expr_call_mut(self, call);
        }
        fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
            // format!("^/../{}/..$", value.to_string()) inside a path parameter's matcher
            if mac.path.is_ident("format") {
                let parsed = syn::parse::Parser::parse2(
                    syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
                    mac.tokens.clone(),
                );
                match parsed {
                    Ok(args) => {
                        let mut args: Vec<syn::Expr> = args.into_iter().collect();
                        if let [
                            syn::Expr::Lit(syn::ExprLit {
                                lit: syn::Lit::Str(lit),
                                ..
                            }),
                            value,
                        ] = args.as_mut_slice()
                            && lit.value().starts_with("^/")
                        {
                            if value.to_token_stream().to_string() != "value . to_string ()" {
                                self.error = Some(format!(
                                    "a path parameter matcher formats `{}`, not `value.to_string()`; progenitor's output changed",
                                    value.to_token_stream()
                                ));
                                return;
                            }
                            let lit = self.literal(lit);
                            self.edits.encoded_path_parameters += 1;
                            mac.tokens = quote! {
                                #lit, regex::escape(&idprov_runtime::__private::Segment(&value).to_string())
                            };
                        }
                    }
                    Err(e) => {
                        self.error =
                            Some(format!("a format! in the mock code does not parse: {e}"));
                    }
                }
            }
            visit_mut::visit_macro_mut(self, mac);
        }
    }
    let mut pass = Pass {
        stem,
        edits: Edits::default(),
        anchored_literals: 0,
        error: None,
    };
    pass.edits.path_stem = pass.stem.clone();
    pass.visit_file_mut(file);
    if let Some(e) = pass.error {
        return Err(e);
    }
    if pass.anchored_literals == 0 {
        return Err("no path matcher found in progenitor's mock code; its output changed".into());
    }
    let text = quote!(#file).to_string();
    if text.contains("value . to_string ()) ) . unwrap") {
        return Err("a path parameter matcher still formats value.to_string() unescaped".into());
    }
    Ok(pass.edits)
}

fn is_regex_new(func: &syn::Expr) -> bool {
    let syn::Expr::Path(p) = func else {
        return false;
    };
    let segments: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    segments == ["regex", "Regex", "new"]
}

/// `regex::escape` for the few characters a URL path stem can hold.
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Adds to each operation's `Then` wrapper one method per documented error status (see the module docs).
fn add_error_answers(
    file: &mut syn::File,
    table: &[crate::operations::OperationEntry],
) -> Result<usize, String> {
    let Some(items) = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "operations" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    }) else {
        return Err("progenitor's mock code has no `operations` module; its output changed".into());
    };
    let mut added = 0;
    for entry in table {
        let then = quote::format_ident!("{}Then", pascal_case(&entry.operation_id));
        let exists = items
            .iter()
            .any(|item| matches!(item, syn::Item::Struct(s) if s.ident == then));
        if !exists {
            return Err(format!(
                "progenitor's mock code has no `{then}` for operation {}; its output changed",
                entry.operation_id
            ));
        }
        let mut methods = Vec::new();
        let head = entry.method.eq_ignore_ascii_case("HEAD");
        for status in &entry.errors {
            methods.push(error_answer(status, head)?);
        }
        if methods.is_empty() {
            continue;
        }
        added += methods.len();
        let item: syn::Item = syn::parse2(quote! {
            impl #then {
                #(#methods)*
            }
        })
        .map_err(|e| {
            format!(
                "an error answer for {} does not parse: {e}",
                entry.operation_id
            )
        })?;
        items.push(item);
    }
    Ok(added)
}

/// The `Then` method for one documented error status (`404`, `4XX`, `default`). A HEAD answer has no
/// body, so its methods take none.
fn error_answer(status: &str, head: bool) -> Result<TokenStream, String> {
    let (param, body, with) = if head {
        (quote! {}, quote! {}, "no body: a HEAD answer has none")
    } else {
        (
            quote! { value: &B },
            quote! {
                .header("content-type", "application/json")
                .json_body_obj(value)
            },
            "this JSON body",
        )
    };
    let generics = if head {
        quote! {}
    } else {
        quote! { <B: ::serde::Serialize> }
    };
    if status == "default" {
        let doc = format!(
            " Answers `status` with {with} (the spec's `default` response; the client reads it as an `Error`)."
        );
        return Ok(quote! {
            #[doc = #doc]
            pub fn default_response #generics (self, status: u16, #param) -> Self {
                Self(self.0.status(status) #body)
            }
        });
    }
    if let Some(class) = status.strip_suffix("XX") {
        let (name, class): (&str, u16) = match class {
            "4" => ("client_error", 4),
            "5" => ("server_error", 5),
            _ => {
                return Err(format!(
                    "an error status range {status} is neither 4XX nor 5XX"
                ));
            }
        };
        let name = quote::format_ident!("{name}");
        let doc = format!(
            " Answers `status` (a {status} the spec documents; the client reads it as an `Error`) with {with}."
        );
        return Ok(quote! {
            #[doc = #doc]
            pub fn #name #generics (self, status: u16, #param) -> Self {
                assert_eq!(status / 100u16, #class);
                Self(self.0.status(status) #body)
            }
        });
    }
    let code: u16 = status
        .parse()
        .map_err(|_| format!("an error status {status:?} is not a number, range or default"))?;
    let name = quote::format_ident!("{}", reason_name(code));
    let doc = format!(
        " Answers {code} with {with} (an error the spec documents; the client reads it as an `Error`)."
    );
    Ok(quote! {
        #[doc = #doc]
        pub fn #name #generics (self, #param) -> Self {
            Self(self.0.status(#code) #body)
        }
    })
}

/// progenitor's name for a status's method: its canonical reason in snake case.
fn reason_name(code: u16) -> String {
    let reason = match code {
        400 => "bad_request",
        401 => "unauthorized",
        402 => "payment_required",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        406 => "not_acceptable",
        407 => "proxy_authentication_required",
        408 => "request_timeout",
        409 => "conflict",
        410 => "gone",
        411 => "length_required",
        412 => "precondition_failed",
        413 => "payload_too_large",
        414 => "uri_too_long",
        415 => "unsupported_media_type",
        416 => "range_not_satisfiable",
        417 => "expectation_failed",
        418 => "im_a_teapot",
        421 => "misdirected_request",
        422 => "unprocessable_entity",
        423 => "locked",
        424 => "failed_dependency",
        426 => "upgrade_required",
        428 => "precondition_required",
        429 => "too_many_requests",
        431 => "request_header_fields_too_large",
        451 => "unavailable_for_legal_reasons",
        500 => "internal_server_error",
        501 => "not_implemented",
        502 => "bad_gateway",
        503 => "service_unavailable",
        504 => "gateway_timeout",
        505 => "http_version_not_supported",
        506 => "variant_also_negotiates",
        507 => "insufficient_storage",
        508 => "loop_detected",
        510 => "not_extended",
        511 => "network_authentication_required",
        _ => return format!("status_{code}"),
    };
    reason.to_string()
}

/// `list_automation_identities` -> `ListAutomationIdentities`, as progenitor names the wrappers (heck's
/// Pascal case, apostrophes dropped and other non-identifier characters as separators).
fn pascal_case(id: &str) -> String {
    use heck::ToPascalCase;
    id.replace('\'', "")
        .replace(|c: char| !(c.is_alphanumeric() || c == '_'), "-")
        .to_pascal_case()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_with_server(url: &str) -> OpenAPI {
        OpenAPI {
            servers: vec![openapiv3::Server {
                url: url.to_string(),
                ..openapiv3::Server::default()
            }],
            ..OpenAPI::default()
        }
    }

    #[test]
    fn the_server_path_stem_is_the_urls_path_without_trailing_slash_or_variables() {
        let stem = |url: &str| server_path_stem(&spec_with_server(url));
        assert_eq!(
            stem("https://{tenant}.nonemployee.com/api").as_deref(),
            Some("/api")
        );
        assert_eq!(
            stem("https://example.com/v2/beta/").as_deref(),
            Some("/v2/beta")
        );
        assert_eq!(stem("https://connect.getseam.com"), None);
        assert_eq!(stem("https://connect.getseam.com/"), None);
        assert_eq!(stem("https://example.com/{version}"), None);
        assert_eq!(stem("/relative/base").as_deref(), Some("/relative/base"));
        assert_eq!(server_path_stem(&OpenAPI::default()), None);
    }

    #[test]
    fn a_stem_is_escaped_for_the_regex() {
        assert_eq!(regex_escape("/api"), "/api");
        assert_eq!(regex_escape("/v1.0/a+b"), r"/v1\.0/a\+b");
    }

    #[test]
    fn wrapper_names_and_status_names_are_progenitors() {
        assert_eq!(
            pascal_case("list_automation_identities"),
            "ListAutomationIdentities"
        );
        assert_eq!(pascal_case("get-thing"), "GetThing");
        assert_eq!(pascal_case("getHTTPThing"), "GetHttpThing");
        assert_eq!(reason_name(404), "not_found");
        assert_eq!(reason_name(429), "too_many_requests");
        assert_eq!(reason_name(499), "status_499");
    }
}
