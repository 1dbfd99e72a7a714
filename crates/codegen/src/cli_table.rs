//! The command table of the `idprov` command line (crate `idprov-cli`), generated from the same spec and
//! the same generated client as the client crate, so a spec change shows up in the CLI with no hand edit.
//!
//! For one spec, [`generate`] writes Rust source (for `include!` in a module of the CLI crate) holding:
//!
//! - `COMMANDS`: one `Command` per operation — its kebab-case name, method, path, the spec's summary and
//!   description, every parameter the generated builder has a setter for (spec name, flag, where it goes,
//!   whether required, its kind, enum values, description), the request body (required or not, its type)
//!   and the body's top-level members (offered as flags that fill the body), and the success answer's
//!   documented headers;
//! - `build_<operation>(client, params)`: the operation's builder with every given parameter set, each value
//!   deserialized into the setter's own Rust type (read from the generated builder, so the types are the
//!   client's, not guessed);
//! - `invoke(client, operation, params, body)`: one call of any operation, its answer as JSON.
//!
//! The support types (`Command`, `Param`, `Kind`, `Location`, `Body`, `CallError`, `param`, `body`,
//! `answer`, `check_params`) live in the CLI crate under the path given as [`CliOptions::support`]; the
//! client crate is named by [`CliOptions::client_crate`].
//!
//! Why not progenitor's `Generator::cli` (what oxide.rs uses): in 0.15.1 it dispatches from clap's
//! `ArgMatches` (a bulk runner has JSON lines, not a command line), its `CliConfig` hooks take
//! `progenitor_client::Error` where idprov's calls return `idprov_runtime::Error` (see
//! `calls_return_error`), the code it writes calls `unwrap()` and `todo!()` on user input and needs
//! anyhow, and it does not compile on array query parameters (AVEVA's `tag`, upstream PR #1261).

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, Parameter, ReferenceOr, Schema, SchemaKind, Type as OaType};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Fields, GenericArgument, ImplItem, Item, PathArguments, ReturnType, Type};

use crate::CodegenError;

/// Where the generated table finds what it refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliOptions {
    /// The client crate's library name (`idprov_seam`).
    pub client_crate: String,
    /// The path of the CLI's support module (`crate::table`).
    pub support: String,
    /// Flags the CLI uses itself (`output`, `body`, ...): a parameter with one of these flags is an error
    /// naming it; a body member with one is not offered as a flag (it stays settable through `--body`).
    pub reserved_flags: Vec<String>,
    /// The text layout of the table's source ([`Layout::Tokens`](crate::Layout::Tokens) in a build script).
    pub layout: crate::Layout,
}

/// The generated table of one spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliTable {
    /// The spec's file name.
    pub spec_name: String,
    /// The operations, in spec order, as the table lists them.
    pub commands: Vec<CommandEntry>,
    /// The formatted Rust source, header included.
    pub source: String,
}

/// One operation as the command line sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandEntry {
    /// The spec's operationId.
    pub operation_id: String,
    /// The generated builder's struct name (`ListThings`), as the client's `Client` method returns it.
    pub builder: String,
    /// The command name: the operation id in kebab case.
    pub name: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template.
    pub path: String,
    /// The spec's summary.
    pub summary: String,
    /// The spec's description.
    pub description: String,
    /// The parameters the builder has a setter for.
    pub params: Vec<ParamEntry>,
    /// The request body, when the operation takes one.
    pub body: Option<BodyEntry>,
    /// The headers the success answers document.
    pub response_headers: Vec<String>,
}

/// One parameter (or body member).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamEntry {
    /// The spec's name (`tenantId`).
    pub name: String,
    /// The flag (`tenant-id`).
    pub flag: String,
    /// `path`, `query`, `header` or `body`.
    pub location: String,
    /// Whether the spec requires it.
    pub required: bool,
    /// `string`, `integer`, `number`, `boolean`, `string-list` or `json`.
    pub kind: String,
    /// The enum values the spec lists.
    pub values: Vec<String>,
    /// The spec's description.
    pub description: String,
    /// The setter's Rust type (for body members: empty).
    pub rust_type: String,
}

/// The request body of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyEntry {
    /// Whether the spec requires it.
    pub required: bool,
    /// The Rust type the builder's `body` setter takes (`types::LaunchRequest`).
    pub rust_type: String,
    /// The spec's description of the body.
    pub description: String,
    /// The body schema's top-level members, offered as flags.
    pub members: Vec<ParamEntry>,
}

/// Generates the command table of the spec `text` (named `spec_name`).
pub fn generate(
    spec_name: &str,
    text: &str,
    options: &CliOptions,
) -> Result<CliTable, CodegenError> {
    // The client exactly as its crate's build script generates it (the layout does not change the tokens).
    let generated = crate::generate_str_with(
        spec_name,
        text,
        &crate::Options::default().with_layout(crate::Layout::Tokens),
    )?;
    let builders = read_builders(&generated.source)?;
    let spec = crate::load::parse(spec_name, text)?;
    let commands = collect(spec_name, &spec, &builders, options)?;
    let tokens = to_tokens(&commands, options)?;
    let file: syn::File = syn::parse2(tokens).map_err(|e| CodegenError::Internal {
        what: format!("the CLI table does not parse: {e}"),
    })?;
    let source = format!(
        "// @generated by idprov-codegen (cli_table). Do not edit: change the spec and rebuild.\n\
         // spec: {spec_name}\n// spec sha256: {}\n// commands: {}\n\n{}",
        generated.spec_sha256,
        commands.len(),
        crate::layout::render(&file, options.layout)?
    );
    Ok(CliTable {
        spec_name: spec_name.to_string(),
        commands,
        source,
    })
}

/// The build-script entry point of the CLI crate: for each `(module, spec, client_crate)` (the spec relative
/// to the crate's manifest directory), writes the table into `$OUT_DIR/cli_<module>.rs` (support path
/// `crate::table`, [`Layout::Tokens`](crate::Layout::Tokens)) and asks cargo to rebuild when a spec
/// changes. `reserved_flags` are the command line's own flags (see [`CliOptions::reserved_flags`]). A
/// failure stops the build with a message naming the spec and the place.
pub fn build_script(apis: &[(&str, &str, &str)], reserved_flags: &[&str]) {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_default();
    let out_dir = std::env::var_os("OUT_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_default();
    for (module, spec, client_crate) in apis {
        println!("cargo::rerun-if-changed={spec}");
        let path = manifest_dir.join(spec);
        let options = CliOptions {
            client_crate: (*client_crate).to_string(),
            support: "crate::table".to_string(),
            reserved_flags: reserved_flags.iter().map(|f| (*f).to_string()).collect(),
            layout: crate::Layout::Tokens,
        };
        let result = std::fs::read_to_string(&path)
            .map_err(|source| CodegenError::Read {
                path: path.display().to_string(),
                source,
            })
            .and_then(|text| {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| (*spec).to_string());
                generate(&name, &text, &options)
            });
        let table = match result {
            Ok(t) => t,
            Err(e) => {
                println!("cargo::error={e}");
                std::process::exit(1);
            }
        };
        let target = out_dir.join(format!("cli_{module}.rs"));
        if let Err(e) = std::fs::write(&target, &table.source) {
            println!("cargo::error=cannot write {}: {e}", target.display());
            std::process::exit(1);
        }
    }
}

/// One generated builder: its struct name and its fields' Rust types (unwrapped from `Result<_, String>`
/// and `Option<_>`), by the Client method that returns it.
#[derive(Default)]
struct BuilderInfo {
    struct_name: String,
    fields: BTreeMap<String, Type>,
}

fn read_builders(source: &str) -> Result<BTreeMap<String, BuilderInfo>, CodegenError> {
    let file = syn::parse_file(source).map_err(|e| CodegenError::Internal {
        what: format!("the generated source does not parse: {e}"),
    })?;
    let mut structs: BTreeMap<String, BTreeMap<String, Type>> = BTreeMap::new();
    let mut methods: Vec<(String, String)> = Vec::new();
    for item in &file.items {
        match item {
            Item::Mod(m) if m.ident == "builder" => {
                for it in m.content.iter().flat_map(|(_, items)| items) {
                    let Item::Struct(s) = it else { continue };
                    let Fields::Named(named) = &s.fields else {
                        continue;
                    };
                    let mut fields = BTreeMap::new();
                    for f in &named.named {
                        let Some(ident) = &f.ident else { continue };
                        if ident == "client" {
                            continue;
                        }
                        let ty = first_generic(&f.ty, "Result").unwrap_or_else(|| f.ty.clone());
                        let ty = first_generic(&ty, "Option").unwrap_or(ty);
                        fields.insert(ident.to_string(), ty);
                    }
                    structs.insert(s.ident.to_string(), fields);
                }
            }
            Item::Impl(imp) if imp.trait_.is_none() && is_client(&imp.self_ty) => {
                for it in &imp.items {
                    let ImplItem::Fn(f) = it else { continue };
                    let ReturnType::Type(_, ty) = &f.sig.output else {
                        continue;
                    };
                    let Type::Path(p) = &**ty else { continue };
                    let segs: Vec<String> = p
                        .path
                        .segments
                        .iter()
                        .map(|s| s.ident.to_string())
                        .collect();
                    if let [first, builder] = segs.as_slice()
                        && first == "builder"
                    {
                        methods.push((f.sig.ident.to_string(), builder.clone()));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(methods
        .into_iter()
        .map(|(method, struct_name)| {
            let fields = structs.remove(&struct_name).unwrap_or_default();
            (
                method,
                BuilderInfo {
                    struct_name,
                    fields,
                },
            )
        })
        .collect())
}

fn is_client(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Client"))
}

/// The first generic argument of `ty` when its last path segment is `name`.
fn first_generic(ty: &Type, name: &str) -> Option<Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

/// `types::builder::X` (what the builder keeps for a body) as `types::X` (what its `body` setter takes).
fn body_setter_type(ty: &Type) -> Type {
    let mut ty = ty.clone();
    if let Type::Path(p) = &mut ty {
        let segments: syn::punctuated::Punctuated<syn::PathSegment, syn::Token![::]> = p
            .path
            .segments
            .iter()
            .filter(|s| s.ident != "builder")
            .cloned()
            .collect();
        p.path.segments = segments;
    }
    ty
}

fn collect(
    spec_name: &str,
    spec: &OpenAPI,
    builders: &BTreeMap<String, BuilderInfo>,
    options: &CliOptions,
) -> Result<Vec<CommandEntry>, CodegenError> {
    let unsupported = |pointer: String, message: String| CodegenError::Unsupported {
        spec: spec_name.to_string(),
        pointer,
        message,
    };
    let mut out = Vec::new();
    for (path, item) in spec.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in item.iter() {
            let pointer = format!(
                "/paths/{}/{method}",
                crate::operations::escape_pointer(path)
            );
            let Some(operation_id) = op.operation_id.clone() else {
                return Err(unsupported(
                    pointer,
                    "operationId is missing; every operation needs a unique one".into(),
                ));
            };
            let rust_name = heck::ToSnakeCase::to_snake_case(operation_id.as_str());
            let Some(builder) = builders.get(&rust_name) else {
                return Err(CodegenError::Internal {
                    what: format!(
                        "{spec_name}: the generated client has no method {rust_name} for operation {operation_id}"
                    ),
                });
            };
            let mut params = Vec::new();
            for p in item.parameters.iter().chain(op.parameters.iter()) {
                let Some(p) = crate::operations::resolve_parameter(p, &spec.components) else {
                    continue;
                };
                let (location, data) = match &p {
                    Parameter::Path { parameter_data, .. } => ("path", parameter_data),
                    Parameter::Query { parameter_data, .. } => ("query", parameter_data),
                    Parameter::Header { parameter_data, .. } => ("header", parameter_data),
                    Parameter::Cookie { parameter_data, .. } => ("cookie", parameter_data),
                };
                let field = heck::ToSnakeCase::to_snake_case(data.name.as_str());
                // Parameters the rewrites took out (credential headers, defaulted required headers) have no
                // setter: the runtime fills them.
                let Some(ty) = builder.fields.get(&field) else {
                    continue;
                };
                let flag = heck::ToKebabCase::to_kebab_case(data.name.as_str());
                if options.reserved_flags.contains(&flag) {
                    return Err(unsupported(
                        format!("{pointer}/parameters"),
                        format!(
                            "parameter {:?} would be the flag --{flag}, which the command line uses itself",
                            data.name
                        ),
                    ));
                }
                let schema = match &data.format {
                    openapiv3::ParameterSchemaOrContent::Schema(s) => resolve_schema(s, spec),
                    openapiv3::ParameterSchemaOrContent::Content(_) => None,
                };
                let (kind, values) =
                    schema.map_or(("json".to_string(), Vec::new()), |s| kind_of(s, spec));
                params.push(ParamEntry {
                    name: data.name.clone(),
                    flag,
                    location: location.to_string(),
                    required: data.required,
                    kind,
                    values,
                    description: text(data.description.as_deref()),
                    rust_type: quote!(#ty).to_string(),
                });
            }
            let body =
                match (&op.request_body, builder.fields.get("body")) {
                    (Some(body), Some(ty)) => {
                        let body = match body {
                            ReferenceOr::Item(b) => Some(b),
                            ReferenceOr::Reference { reference } => reference
                                .strip_prefix("#/components/requestBodies/")
                                .and_then(|n| spec.components.as_ref()?.request_bodies.get(n))
                                .and_then(ReferenceOr::as_item),
                        };
                        let setter = body_setter_type(ty);
                        let schema = body
                            .and_then(|b| {
                                b.content
                                    .iter()
                                    .find(|(k, _)| k.starts_with("application/json"))
                            })
                            .and_then(|(_, media)| media.schema.as_ref())
                            .and_then(|s| resolve_schema(s, spec));
                        let taken: Vec<String> = params.iter().map(|p| p.flag.clone()).collect();
                        Some(BodyEntry {
                            required: body.is_some_and(|b| b.required),
                            rust_type: quote!(#setter).to_string(),
                            description: text(body.and_then(|b| b.description.as_deref()).or_else(
                                || schema.and_then(|s| s.schema_data.description.as_deref()),
                            )),
                            members: schema
                                .map(|s| body_members(s, spec, &taken, options))
                                .unwrap_or_default(),
                        })
                    }
                    _ => None,
                };
            let mut response_headers = Vec::new();
            for (code, resp) in op.responses.responses.iter() {
                if crate::rewrite::is_error_status(code) {
                    continue;
                }
                let resp = match resp {
                    ReferenceOr::Item(r) => Some(r),
                    ReferenceOr::Reference { reference } => reference
                        .strip_prefix("#/components/responses/")
                        .and_then(|n| spec.components.as_ref()?.responses.get(n))
                        .and_then(ReferenceOr::as_item),
                };
                for name in resp.iter().flat_map(|r| r.headers.keys()) {
                    if !response_headers.contains(name) {
                        response_headers.push(name.clone());
                    }
                }
            }
            out.push(CommandEntry {
                builder: builder.struct_name.clone(),
                name: heck::ToKebabCase::to_kebab_case(operation_id.as_str()),
                operation_id,
                method: method.to_uppercase(),
                path: path.clone(),
                summary: text(op.summary.as_deref()),
                description: text(op.description.as_deref()),
                params,
                body,
                response_headers,
            });
        }
    }
    Ok(out)
}

fn text(s: Option<&str>) -> String {
    s.unwrap_or("").trim().to_string()
}

/// Follows `#/components/schemas/...` references (at most 8, so a loop ends).
fn resolve_schema<'a>(s: &'a ReferenceOr<Schema>, spec: &'a OpenAPI) -> Option<&'a Schema> {
    let mut current = s;
    for _ in 0..8 {
        match current {
            ReferenceOr::Item(s) => return Some(s),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/schemas/")?;
                current = spec.components.as_ref()?.schemas.get(name)?;
            }
        }
    }
    None
}

fn resolve_boxed<'a>(s: &'a ReferenceOr<Box<Schema>>, spec: &'a OpenAPI) -> Option<&'a Schema> {
    match s {
        ReferenceOr::Item(s) => Some(s),
        ReferenceOr::Reference { reference } => resolve_schema(
            spec.components
                .as_ref()?
                .schemas
                .get(reference.strip_prefix("#/components/schemas/")?)?,
            spec,
        ),
    }
}

/// The kind of value a schema takes on the command line, and its enum values.
fn kind_of(schema: &Schema, spec: &OpenAPI) -> (String, Vec<String>) {
    match &schema.schema_kind {
        SchemaKind::Type(OaType::String(s)) => (
            "string".into(),
            s.enumeration.iter().flatten().cloned().collect(),
        ),
        SchemaKind::Type(OaType::Integer(_)) => ("integer".into(), Vec::new()),
        SchemaKind::Type(OaType::Number(_)) => ("number".into(), Vec::new()),
        SchemaKind::Type(OaType::Boolean(_)) => ("boolean".into(), Vec::new()),
        SchemaKind::Type(OaType::Array(a)) => {
            let item = a.items.as_ref().and_then(|i| resolve_boxed(i, spec));
            match item.map(|i| &i.schema_kind) {
                Some(SchemaKind::Type(OaType::String(s))) => (
                    "string-list".into(),
                    s.enumeration.iter().flatten().cloned().collect(),
                ),
                _ => ("json".into(), Vec::new()),
            }
        }
        _ => ("json".into(), Vec::new()),
    }
}

fn body_members(
    schema: &Schema,
    spec: &OpenAPI,
    taken: &[String],
    options: &CliOptions,
) -> Vec<ParamEntry> {
    let SchemaKind::Type(OaType::Object(obj)) = &schema.schema_kind else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, prop) in &obj.properties {
        let flag = heck::ToKebabCase::to_kebab_case(name.as_str());
        if taken.contains(&flag) || options.reserved_flags.contains(&flag) {
            continue;
        }
        let resolved = resolve_boxed(prop, spec);
        let (kind, values) =
            resolved.map_or(("json".to_string(), Vec::new()), |s| kind_of(s, spec));
        out.push(ParamEntry {
            name: name.clone(),
            flag,
            location: "body".into(),
            required: obj.required.contains(name),
            kind,
            values,
            description: text(resolved.and_then(|s| s.schema_data.description.as_deref())),
            rust_type: String::new(),
        });
    }
    out
}

fn kind_tokens(support: &TokenStream, kind: &str) -> TokenStream {
    match kind {
        "string" => quote!(#support::Kind::String),
        "integer" => quote!(#support::Kind::Integer),
        "number" => quote!(#support::Kind::Number),
        "boolean" => quote!(#support::Kind::Boolean),
        "string-list" => quote!(#support::Kind::StringList),
        _ => quote!(#support::Kind::Json),
    }
}

fn location_tokens(support: &TokenStream, location: &str) -> TokenStream {
    match location {
        "path" => quote!(#support::Location::Path),
        "query" => quote!(#support::Location::Query),
        "header" => quote!(#support::Location::Header),
        "body" => quote!(#support::Location::Body),
        _ => quote!(#support::Location::Cookie),
    }
}

fn param_tokens(support: &TokenStream, p: &ParamEntry) -> TokenStream {
    let ParamEntry {
        name,
        flag,
        location,
        required,
        kind,
        values,
        description,
        rust_type: _,
    } = p;
    let location = location_tokens(support, location);
    let kind = kind_tokens(support, kind);
    quote! {
        #support::Param {
            name: #name,
            flag: #flag,
            location: #location,
            required: #required,
            kind: #kind,
            values: &[#(#values),*],
            description: #description,
        }
    }
}

fn parse_tokens(what: &str, text: &str) -> Result<TokenStream, CodegenError> {
    text.parse().map_err(|_| CodegenError::Internal {
        what: format!("{what} does not parse as Rust: {text}"),
    })
}

fn to_tokens(commands: &[CommandEntry], options: &CliOptions) -> Result<TokenStream, CodegenError> {
    let support = parse_tokens("the support path", &options.support)?;
    let client = parse_tokens("the client crate", &options.client_crate)?;
    let mut table = Vec::new();
    let mut builders = Vec::new();
    let mut arms = Vec::new();
    for c in commands {
        let CommandEntry {
            operation_id,
            builder,
            name,
            method,
            path,
            summary,
            description,
            params,
            body,
            response_headers,
        } = c;
        let param_entries = params.iter().map(|p| param_tokens(&support, p));
        let body_entry = match body {
            Some(b) => {
                let required = b.required;
                let ty = &b.rust_type;
                let d = &b.description;
                let members = b.members.iter().map(|p| param_tokens(&support, p));
                quote! {
                    Some(#support::Body {
                        required: #required,
                        type_name: #ty,
                        description: #d,
                        members: &[#(#members),*],
                    })
                }
            }
            None => quote!(None),
        };
        table.push(quote! {
            #support::Command {
                operation_id: #operation_id,
                name: #name,
                method: #method,
                path: #path,
                summary: #summary,
                description: #description,
                params: &[#(#param_entries),*],
                body: #body_entry,
                response_headers: &[#(#response_headers),*],
            }
        });
        let rust_name = format_ident!(
            "{}",
            heck::ToSnakeCase::to_snake_case(operation_id.as_str())
        );
        let build_fn = format_ident!("build_{}", rust_name);
        let builder_ty = format_ident!("{}", builder);
        let mut sets = Vec::new();
        for p in params {
            let setter = format_ident!("{}", heck::ToSnakeCase::to_snake_case(p.name.as_str()));
            let wire = &p.name;
            let flag = &p.flag;
            let ty = parse_tokens("a parameter type", &p.rust_type)?;
            sets.push(quote! {
                if let Some(value) = #support::param::<#ty>(params, #wire, #flag)? {
                    call = call.#setter(value);
                }
            });
        }
        let doc = format!(
            "The `{operation_id}` call with every parameter in `params` set (keys: the spec's names)."
        );
        builders.push(quote! {
            #[doc = #doc]
            pub fn #build_fn<'a>(
                client: &'a #client::Client,
                params: &#support::Params,
            ) -> ::std::result::Result<#client::builder::#builder_ty<'a>, #support::CallError> {
                #support::check_params(#operation_id, params, COMMANDS)?;
                #[allow(unused_mut)]
                let mut call = client.#rust_name();
                #(#sets)*
                Ok(call)
            }
        });
        let set_body = match body {
            Some(b) => {
                let ty = parse_tokens("a body type", &b.rust_type)?;
                let required = b.required;
                quote! {
                    match body {
                        Some(value) => call = call.body(#support::body::<#ty>(value)?),
                        None if #required => return Err(#support::CallError::missing_body(#operation_id)),
                        None => {}
                    }
                }
            }
            None => quote! {
                if body.is_some() {
                    return Err(#support::CallError::unexpected_body(#operation_id));
                }
            },
        };
        arms.push(quote! {
            #operation_id => {
                #[allow(unused_mut)]
                let mut call = #build_fn(client, params)?;
                #set_body
                #support::answer(call.send().await, &[#(#response_headers),*])
            }
        });
    }
    Ok(quote! {
        // The setters' types are written as the generated client writes them (`types::X`).
        #[allow(unused_imports)]
        use #client::types;

        /// Every operation of this API as a command, generated from the spec.
        pub const COMMANDS: &[#support::Command] = &[#(#table),*];

        #(#builders)*

        /// Calls `operation` (its operationId) with `params` (keyed by the spec's parameter names) and
        /// `body`, and returns the answer as JSON.
        pub async fn invoke(
            client: &#client::Client,
            operation: &str,
            params: &#support::Params,
            body: ::std::option::Option<::serde_json::Value>,
        ) -> ::std::result::Result<#support::Answer, #support::CallError> {
            match operation {
                #(#arms)*
                other => Err(#support::CallError::unknown_operation(other, COMMANDS)),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> CliOptions {
        CliOptions {
            client_crate: "idprov_x".into(),
            support: "crate::table".into(),
            reserved_flags: vec!["output".into(), "body".into()],
            layout: crate::Layout::Tokens,
        }
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /tenants/{tenantId}/things:
    get:
      operationId: list_things
      summary: List the things
      description: Every thing of a tenant.
      parameters:
        - {name: tenantId, in: path, required: true, description: The tenant., schema: {type: string}}
        - {name: count, in: query, schema: {type: integer, format: int32}}
        - {name: tag, in: query, schema: {type: array, items: {type: string}}}
      responses:
        '200':
          description: ok
          headers:
            Total-Count: {schema: {type: integer}}
          content:
            application/json:
              schema: {type: array, items: {type: string}}
    post:
      operationId: create_thing
      parameters:
        - {name: tenantId, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewThing'}
      responses:
        '201': {description: created}
components:
  schemas:
    NewThing:
      type: object
      required: [name]
      properties:
        name: {type: string, description: Its name.}
        kind: {type: string, enum: [a, b]}
        output: {type: string}
"#;

    #[test]
    fn the_table_lists_each_operation_with_its_parameters_types_body_members_and_headers() {
        let t = generate("t.yaml", SPEC, &options()).unwrap();
        let list = &t.commands[0];
        assert_eq!(list.name, "list-things");
        assert_eq!(list.summary, "List the things");
        let names: Vec<_> = list
            .params
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.flag.as_str(),
                    p.kind.as_str(),
                    p.required,
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("tenantId", "tenant-id", "string", true),
                ("count", "count", "integer", false),
                ("tag", "tag", "string-list", false)
            ]
        );
        assert_eq!(list.params[1].rust_type, "i32");
        assert_eq!(list.response_headers, ["Total-Count"]);
        let create = &t.commands[1];
        let body = create.body.as_ref().unwrap();
        assert!(body.required);
        assert_eq!(body.rust_type, "types :: NewThing");
        // `output` is the command line's own flag, so it stays settable through --body only.
        let members: Vec<_> = body.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(members, ["kind", "name"]);
        assert_eq!(body.members[0].values, ["a", "b"]);
        assert!(t.source.contains("pub fn build_create_thing"));
        assert!(t.source.contains("\"create_thing\" =>"));
    }

    #[test]
    fn a_parameter_named_like_one_of_the_command_lines_own_flags_is_an_error_naming_it() {
        let spec = SPEC.replace("name: count", "name: output");
        let err = generate("t.yaml", &spec, &options())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("\"output\"") && err.contains("--output"),
            "{err}"
        );
    }
}
