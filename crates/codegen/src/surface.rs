//! The surface summary of a generated client: what a reviewer reads in a minute to see what a spec change did
//! to the Rust API.
//!
//! It is read back from the generated source with `syn`, so it shows what the crate compiles, not what the
//! spec meant:
//! - one line per operation: HTTP method, path, Rust method, its parameters (where they go, their Rust
//!   types), the success type and the error type, with the error statuses the spec documents;
//! - the in-memory rewrites made to the spec before generation;
//! - one block per generated type: struct fields with their types (and JSON names where they differ), enum
//!   variants (and their JSON values), newtypes and aliases.
//!
//! Types are written compactly: `::std::option::Option<::std::string::String>` becomes `Option<String>`,
//! `types::builder::Foo` becomes `Foo`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Expr, Fields, GenericArgument, ImplItem, Item, PathArguments, ReturnType, Type};

use crate::{CodegenError, Generated, PROGENITOR_VERSION, Rewrite};

/// Renders the surface summary of a generated client (header included).
pub fn summarize(generated: &Generated) -> Result<String, CodegenError> {
    let surface = Surface::parse(&generated.source)?;
    let mut out = String::new();
    let _ = writeln!(out, "# surface of {}", generated.spec_name);
    let _ = writeln!(out, "# spec sha256: {}", generated.spec_sha256);
    let _ = writeln!(out, "# progenitor: {PROGENITOR_VERSION}");
    out.push('\n');
    out.push_str(&surface.render(&generated.rewrites));
    Ok(out)
}

/// What a generated client offers, read from its source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surface {
    /// The operations, in the order of `impl Client`.
    pub operations: Vec<Operation>,
    /// The types of `mod types`, in source order.
    pub types: Vec<TypeDef>,
}

/// One operation: a method of `Client` and its builder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Operation {
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template.
    pub path: String,
    /// The Rust method on `Client`.
    pub rust_name: String,
    /// The builder's parameters, in its field order.
    pub params: Vec<Param>,
    /// The success type `T` of `Result<ResponseValue<T>, Error<E>>`, compact.
    pub success: String,
    /// The error type `Error<E>`, compact.
    pub error: String,
    /// The error statuses the operation table lists for it.
    pub error_statuses: Vec<String>,
}

/// One parameter of an operation's builder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Param {
    /// Where it goes: `path`, `query`, `header`, `body`, or empty when the send code does not tell.
    pub location: String,
    /// The builder method (field) name.
    pub name: String,
    /// The name on the wire, when it differs from `name`.
    pub wire_name: Option<String>,
    /// Its compact Rust type.
    pub ty: String,
}

/// One type of `mod types`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeDef {
    /// A struct with named fields.
    Struct {
        /// Its name.
        name: String,
        /// Container notes (`transparent`, ...).
        notes: Vec<String>,
        /// Its fields.
        fields: Vec<Field>,
    },
    /// A tuple struct (a newtype).
    Newtype {
        /// Its name.
        name: String,
        /// The wrapped types.
        inner: Vec<String>,
    },
    /// An enum.
    Enum {
        /// Its name.
        name: String,
        /// Container notes (`untagged`, `tag = "..."`).
        notes: Vec<String>,
        /// Its variants, rendered (`Name = "WIRE"`, `Name(T)`).
        variants: Vec<String>,
    },
    /// A type alias.
    Alias {
        /// Its name.
        name: String,
        /// The aliased type.
        target: String,
    },
}

/// One named field of a struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The Rust name.
    pub name: String,
    /// The JSON name, when renamed.
    pub rename: Option<String>,
    /// The compact type.
    pub ty: String,
    /// Whether it is `#[serde(flatten)]`.
    pub flatten: bool,
}

impl Surface {
    /// Reads the surface from generated source.
    pub fn parse(source: &str) -> Result<Self, CodegenError> {
        let file = syn::parse_file(source).map_err(|e| CodegenError::Internal {
            what: format!("the generated source does not parse: {e}"),
        })?;
        let mut builders: BTreeMap<String, Builder> = BTreeMap::new();
        let mut methods: Vec<(String, String)> = Vec::new();
        let mut error_statuses: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut types = Vec::new();
        for item in &file.items {
            match item {
                Item::Mod(m) if m.ident == "types" => {
                    if let Some((_, items)) = &m.content {
                        types = read_types(items);
                    }
                }
                Item::Mod(m) if m.ident == "builder" => {
                    if let Some((_, items)) = &m.content {
                        builders = read_builders(items);
                    }
                }
                Item::Impl(imp)
                    if imp.trait_.is_none()
                        && type_name(&imp.self_ty).as_deref() == Some("Client") =>
                {
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
                Item::Const(c) if c.ident == "OPERATIONS" => {
                    error_statuses = read_operation_table(&c.expr)
                }
                _ => {}
            }
        }
        let operations = methods
            .into_iter()
            .map(|(rust_name, builder)| {
                let b = builders.remove(&builder).unwrap_or_default();
                Operation {
                    error_statuses: error_statuses
                        .get(&b.operation_id)
                        .cloned()
                        .unwrap_or_default(),
                    method: b.method,
                    path: b.path,
                    rust_name,
                    params: b.params,
                    success: b.success,
                    error: b.error,
                }
            })
            .collect();
        Ok(Self { operations, types })
    }

    /// Renders the summary body: operations, rewrites, types.
    pub fn render(&self, rewrites: &[Rewrite]) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "## operations ({})", self.operations.len());
        for op in &self.operations {
            let params: Vec<String> = op
                .params
                .iter()
                .map(|p| {
                    let mut s = String::new();
                    // `body` says where it goes by its name.
                    if !p.location.is_empty() && p.location != p.name {
                        let _ = write!(s, "{} ", p.location);
                    }
                    s.push_str(&p.name);
                    if let Some(w) = &p.wire_name {
                        let _ = write!(s, " {w:?}");
                    }
                    let _ = write!(s, ": {}", p.ty);
                    s
                })
                .collect();
            let errors = if op.error_statuses.is_empty() {
                String::new()
            } else {
                format!(" [errors: {}]", op.error_statuses.join(", "))
            };
            let _ = writeln!(
                out,
                "{} {}  {}({}) -> Result<{}, {}>{errors}",
                op.method,
                op.path,
                op.rust_name,
                params.join(", "),
                op.success,
                op.error
            );
        }
        out.push('\n');
        let _ = writeln!(out, "## in-memory rewrites ({})", rewrites.len());
        for r in rewrites {
            let _ = writeln!(out, "{r}");
        }
        out.push('\n');
        let _ = writeln!(out, "## types ({})", self.types.len());
        for t in &self.types {
            out.push('\n');
            match t {
                TypeDef::Struct {
                    name,
                    notes,
                    fields,
                } => {
                    let _ = writeln!(out, "struct {name}{}", notes_suffix(notes));
                    for f in fields {
                        let rename = f
                            .rename
                            .as_ref()
                            .map(|r| format!(" {r:?}"))
                            .unwrap_or_default();
                        let flatten = if f.flatten { " (flatten)" } else { "" };
                        let _ = writeln!(out, "  {}{rename}: {}{flatten}", f.name, f.ty);
                    }
                }
                TypeDef::Newtype { name, inner } => {
                    let _ = writeln!(out, "newtype {name}({})", inner.join(", "));
                }
                TypeDef::Enum {
                    name,
                    notes,
                    variants,
                } => {
                    let _ = writeln!(out, "enum {name}{}", notes_suffix(notes));
                    for v in variants {
                        let _ = writeln!(out, "  {v}");
                    }
                }
                TypeDef::Alias { name, target } => {
                    let _ = writeln!(out, "type {name} = {target}");
                }
            }
        }
        out
    }
}

fn notes_suffix(notes: &[String]) -> String {
    if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join(", "))
    }
}

#[derive(Debug, Default)]
struct Builder {
    operation_id: String,
    method: String,
    path: String,
    params: Vec<Param>,
    success: String,
    error: String,
}

/// Reads the operation builders of the top-level `mod builder`, by struct name.
fn read_builders(items: &[Item]) -> BTreeMap<String, Builder> {
    let mut out: BTreeMap<String, Builder> = BTreeMap::new();
    for item in items {
        match item {
            Item::Struct(s) => {
                let b = out.entry(s.ident.to_string()).or_default();
                if let Fields::Named(named) = &s.fields {
                    for f in &named.named {
                        let Some(ident) = &f.ident else { continue };
                        if ident == "client" {
                            continue;
                        }
                        // Every parameter is kept as `Result<T, String>` until `send()`.
                        let ty = generic_args(&f.ty, "Result").and_then(|a| a.into_iter().next());
                        b.params.push(Param {
                            location: String::new(),
                            name: ident.to_string(),
                            wire_name: None,
                            ty: ty.map_or_else(|| render_type(&f.ty), render_type),
                        });
                    }
                }
            }
            Item::Impl(imp) if imp.trait_.is_none() => {
                let Some(name) = type_name(&imp.self_ty) else {
                    continue;
                };
                for it in &imp.items {
                    let ImplItem::Fn(f) = it else { continue };
                    if f.sig.ident != "send" {
                        continue;
                    }
                    let b = out.entry(name.clone()).or_default();
                    if let Some((method, path)) = doc_request(&f.attrs) {
                        b.method = method;
                        b.path = path;
                    }
                    if let ReturnType::Type(_, ty) = &f.sig.output
                        && let Some(args) = generic_args(ty, "Result")
                        && let [ok, err] = args.as_slice()
                    {
                        b.success = generic_args(ok, "ResponseValue")
                            .and_then(|a| a.into_iter().next())
                            .map_or_else(|| render_type(ok), render_type);
                        b.error = render_type(err);
                    }
                    let body = squash(f.block.to_token_stream());
                    b.operation_id = between(&body, "operation_id:\"", "\"")
                        .unwrap_or_default()
                        .to_string();
                    let locations = param_locations(&body, &b.path);
                    for p in &mut b.params {
                        if p.name == "body" {
                            p.location = "body".into();
                        } else if let Some((loc, wire)) = locations.get(&p.name) {
                            p.location = loc.clone();
                            if *wire != p.name {
                                p.wire_name = Some(wire.clone());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// `(method, path)` from a doc comment "Sends a `POST` request to `/path`".
fn doc_request(attrs: &[syn::Attribute]) -> Option<(String, String)> {
    attrs.iter().find_map(|a| {
        let syn::Meta::NameValue(nv) = &a.meta else {
            return None;
        };
        if !nv.path.is_ident("doc") {
            return None;
        }
        let Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) = &nv.value
        else {
            return None;
        };
        let text = s.value();
        let rest = text.split_once("Sends a `")?.1;
        let (method, rest) = rest.split_once('`')?;
        let rest = rest.split_once("request to `")?.1;
        let (path, _) = rest.split_once('`')?;
        Some((method.to_string(), path.to_string()))
    })
}

/// Where each builder field goes, read from the whitespace-free tokens of `send()`: field -> (location, wire name).
fn param_locations(body: &str, path: &str) -> BTreeMap<String, (String, String)> {
    let mut out = BTreeMap::new();
    // Path: `::idprov_runtime::__private::<Wrapper>(&field)` (idprov-codegen's postprocess edit of progenitor's
    // `encode_path(&field.to_string())`), in the order of the path template's `{placeholders}`.
    let mut placeholders = path
        .split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}').map(|(name, _)| name));
    let mut wrapped: Vec<(usize, &str)> = ["Segment(&", "StrSegment(&", "Unreserved(&"]
        .iter()
        .flat_map(|w| {
            let marker = format!("::idprov_runtime::__private::{w}");
            body.match_indices(&marker)
                .map(|(at, m)| (at, &body[at + m.len()..]))
                .collect::<Vec<_>>()
        })
        .collect();
    wrapped.sort_by_key(|(at, _)| *at);
    for (_, rest) in wrapped {
        let field = ident_prefix(rest);
        if !field.is_empty() {
            let wire = placeholders.next().unwrap_or(field);
            out.insert(field.to_string(), ("path".to_string(), wire.to_string()));
        }
    }
    // Query: `QueryParam::new("wire",&field)`, or for an optional parameter (idprov-codegen's
    // set_query_only) `if let Some(value) = &field { builder = builder.query(&..QueryParam::new("wire",value)) }`.
    for (at, _) in body.match_indices("QueryParam::new(\"") {
        let rest = &body[at + "QueryParam::new(\"".len()..];
        let Some((wire, after)) = rest.split_once("\",") else {
            continue;
        };
        let field = match after.strip_prefix('&') {
            Some(after) => ident_prefix(after),
            None if after.starts_with("value)") => body[..at]
                .rfind("Some(value)=&")
                .map(|from| ident_prefix(&body[from + "Some(value)=&".len()..]))
                .unwrap_or_default(),
            None => "",
        };
        if !field.is_empty() {
            out.insert(field.to_string(), ("query".to_string(), wire.to_string()));
        }
    }
    // Header: `header_map.append("Wire",field...)`, or `if let Some(value) = field { header_map.append("Wire",value...)`.
    let parts: Vec<&str> = body.split("header_map.append(\"").collect();
    for (i, rest) in parts.iter().enumerate().skip(1) {
        let Some((wire, after)) = rest.split_once("\",") else {
            continue;
        };
        let mut field = ident_prefix(after).to_string();
        if field == "value"
            && let Some(before) = parts.get(i - 1)
            && let Some(idx) = before.rfind("ifletSome(value)=")
        {
            field = ident_prefix(&before[idx + "ifletSome(value)=".len()..]).to_string();
        }
        if !field.is_empty() {
            out.insert(field, ("header".to_string(), wire.to_string()));
        }
    }
    out
}

fn ident_prefix(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = s.split_once(start)?.1;
    Some(rest.split_once(end)?.0)
}

/// The tokens as text without any whitespace (string literals lose theirs too; only patterns are searched).
fn squash(tokens: TokenStream) -> String {
    tokens
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Operation id -> error statuses, from `const OPERATIONS`.
fn read_operation_table(expr: &Expr) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let Expr::Reference(r) = expr else { return out };
    let Expr::Array(list) = &*r.expr else {
        return out;
    };
    for e in &list.elems {
        let Expr::Struct(s) = e else { continue };
        let mut id = None;
        let mut errors = Vec::new();
        for f in &s.fields {
            let syn::Member::Named(name) = &f.member else {
                continue;
            };
            if name == "operation_id" {
                id = string_lits(&f.expr).into_iter().next();
            } else if name == "error_statuses" {
                errors = string_lits(&f.expr);
            }
        }
        if let Some(id) = id {
            out.insert(id, errors);
        }
    }
    out
}

/// The string literals of an expression such as `"x"` or `&["a", "b"]`.
fn string_lits(expr: &Expr) -> Vec<String> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => vec![s.value()],
        Expr::Reference(r) => string_lits(&r.expr),
        Expr::Array(a) => a.elems.iter().flat_map(string_lits).collect(),
        _ => Vec::new(),
    }
}

/// The types of `mod types` (its `builder` and `error` submodules excluded).
fn read_types(items: &[Item]) -> Vec<TypeDef> {
    let mut out = Vec::new();
    for item in items {
        match item {
            Item::Struct(s) => {
                let name = s.ident.to_string();
                let serde = serde_attrs(&s.attrs);
                match &s.fields {
                    Fields::Named(named) => {
                        let fields = named
                            .named
                            .iter()
                            .map(|f| {
                                let a = serde_attrs(&f.attrs);
                                Field {
                                    name: f
                                        .ident
                                        .as_ref()
                                        .map(ToString::to_string)
                                        .unwrap_or_default(),
                                    rename: a.rename,
                                    ty: render_type(&f.ty),
                                    flatten: a.flags.iter().any(|x| x == "flatten"),
                                }
                            })
                            .collect();
                        out.push(TypeDef::Struct {
                            name,
                            notes: serde.container_notes(),
                            fields,
                        });
                    }
                    Fields::Unnamed(unnamed) => out.push(TypeDef::Newtype {
                        name,
                        inner: unnamed.unnamed.iter().map(|f| render_type(&f.ty)).collect(),
                    }),
                    Fields::Unit => out.push(TypeDef::Struct {
                        name,
                        notes: serde.container_notes(),
                        fields: Vec::new(),
                    }),
                }
            }
            Item::Enum(e) => {
                let serde = serde_attrs(&e.attrs);
                let variants = e
                    .variants
                    .iter()
                    .map(|v| {
                        let a = serde_attrs(&v.attrs);
                        let mut s = v.ident.to_string();
                        match &v.fields {
                            Fields::Unit => {}
                            Fields::Unnamed(u) => {
                                let inner: Vec<String> =
                                    u.unnamed.iter().map(|f| render_type(&f.ty)).collect();
                                let _ = write!(s, "({})", inner.join(", "));
                            }
                            Fields::Named(n) => {
                                let inner: Vec<String> = n
                                    .named
                                    .iter()
                                    .map(|f| {
                                        let name = f
                                            .ident
                                            .as_ref()
                                            .map(ToString::to_string)
                                            .unwrap_or_default();
                                        format!("{name}: {}", render_type(&f.ty))
                                    })
                                    .collect();
                                let _ = write!(s, " {{ {} }}", inner.join(", "));
                            }
                        }
                        if let Some(r) = a.rename {
                            let _ = write!(s, " = {r:?}");
                        }
                        s
                    })
                    .collect();
                out.push(TypeDef::Enum {
                    name: e.ident.to_string(),
                    notes: serde.container_notes(),
                    variants,
                });
            }
            Item::Type(t) => out.push(TypeDef::Alias {
                name: t.ident.to_string(),
                target: render_type(&t.ty),
            }),
            _ => {}
        }
    }
    out
}

#[derive(Debug, Default)]
struct SerdeAttrs {
    rename: Option<String>,
    tag: Option<String>,
    content: Option<String>,
    flags: Vec<String>,
}

impl SerdeAttrs {
    fn container_notes(&self) -> Vec<String> {
        let mut notes: Vec<String> = self
            .flags
            .iter()
            .filter(|f| {
                matches!(
                    f.as_str(),
                    "untagged" | "transparent" | "deny_unknown_fields"
                )
            })
            .cloned()
            .collect();
        if let Some(t) = &self.tag {
            notes.push(format!("tag {t:?}"));
        }
        if let Some(c) = &self.content {
            notes.push(format!("content {c:?}"));
        }
        notes
    }
}

/// The `#[serde(...)]` keys this summary shows: `rename`, `tag`, `content` and bare flags.
fn serde_attrs(attrs: &[syn::Attribute]) -> SerdeAttrs {
    let mut out = SerdeAttrs::default();
    for a in attrs {
        let syn::Meta::List(list) = &a.meta else {
            continue;
        };
        if !list.path.is_ident("serde") {
            continue;
        }
        let tokens: Vec<TokenTree> = list.tokens.clone().into_iter().collect();
        let mut i = 0;
        while i < tokens.len() {
            if let TokenTree::Ident(key) = &tokens[i] {
                let key = key.to_string();
                let is_assign =
                    matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '=');
                if is_assign {
                    let value = tokens.get(i + 2).and_then(|t| match t {
                        TokenTree::Literal(l) => syn::parse_str::<syn::LitStr>(&l.to_string())
                            .ok()
                            .map(|s| s.value()),
                        _ => None,
                    });
                    match key.as_str() {
                        "rename" => out.rename = value,
                        "tag" => out.tag = value,
                        "content" => out.content = value,
                        _ => {}
                    }
                    i += 3;
                    continue;
                }
                out.flags.push(key);
            }
            i += 1;
        }
    }
    out
}

/// The last path segment's name of a path type.
fn type_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The type arguments of `ty` when its last segment is `name`.
fn generic_args<'a>(ty: &'a Type, name: &str) -> Option<Vec<&'a Type>> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    Some(
        args.args
            .iter()
            .filter_map(|a| match a {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
    )
}

/// Crates and modules whose paths are shown by their last segment only.
const SHORTENED: [&str; 11] = [
    "std",
    "core",
    "alloc",
    "chrono",
    "uuid",
    "types",
    "builder",
    "super",
    "self",
    "crate",
    "progenitor_client",
];

/// Renders a type compactly: `::std::option::Option<::std::string::String>` -> `Option<String>`.
pub fn render_type(ty: &Type) -> String {
    match ty {
        Type::Path(p) if p.qself.is_none() => {
            let segs: Vec<&syn::PathSegment> = p.path.segments.iter().collect();
            let first = segs
                .first()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            let shown: &[&syn::PathSegment] = if SHORTENED.contains(&first.as_str()) {
                segs.last().map(std::slice::from_ref).unwrap_or(&[])
            } else {
                &segs
            };
            shown
                .iter()
                .map(|s| {
                    let mut out = s.ident.to_string();
                    if let PathArguments::AngleBracketed(args) = &s.arguments {
                        let inner: Vec<String> = args
                            .args
                            .iter()
                            .filter_map(|a| match a {
                                GenericArgument::Type(t) => Some(render_type(t)),
                                GenericArgument::Lifetime(_) => None,
                                other => Some(squash(other.to_token_stream())),
                            })
                            .collect();
                        if !inner.is_empty() {
                            let _ = write!(out, "<{}>", inner.join(", "));
                        }
                    }
                    out
                })
                .collect::<Vec<_>>()
                .join("::")
        }
        Type::Reference(r) => format!(
            "&{}{}",
            if r.mutability.is_some() { "mut " } else { "" },
            render_type(&r.elem)
        ),
        Type::Tuple(t) => format!(
            "({})",
            t.elems
                .iter()
                .map(render_type)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Type::Slice(s) => format!("[{}]", render_type(&s.elem)),
        Type::Array(a) => format!(
            "[{}; {}]",
            render_type(&a.elem),
            squash(a.len.to_token_stream())
        ),
        Type::Paren(p) => render_type(&p.elem),
        Type::Group(g) => render_type(&g.elem),
        other => squash(other.to_token_stream()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(s: &str) -> String {
        match syn::parse_str::<Type>(s) {
            Ok(t) => render_type(&t),
            Err(e) => format!("parse error: {e}"),
        }
    }

    #[test]
    fn types_render_compactly() {
        assert_eq!(
            ty("::std::option::Option<::std::string::String>"),
            "Option<String>"
        );
        assert_eq!(
            ty("::chrono::DateTime<::chrono::offset::Utc>"),
            "DateTime<Utc>"
        );
        assert_eq!(
            ty("::std::collections::HashMap<::std::string::String, types::Foo>"),
            "HashMap<String, Foo>"
        );
        assert_eq!(ty("::serde_json::Value"), "serde_json::Value");
        assert_eq!(ty("types::builder::Foo"), "Foo");
        assert_eq!(ty("()"), "()");
        assert_eq!(ty("Error<()>"), "Error<()>");
    }

    #[test]
    fn locations_are_read_from_send() {
        let body = squash(
            quote::quote! {
                let url = format!("{}/v1/{}", client.baseurl, ::idprov_runtime::__private::Segment(&instance_id));
                if let Some(value) = x_token { header_map.append("X-Token", value.to_string().try_into()?); }
                header_map.append("X-Required", x_required.to_string().try_into()?);
                let r = client.client.get(url).query(&progenitor_client::QueryParam::new("pageSize", &page_size));
                let mut builder = client.client.get(url);
                if let Some(value) = &page_token { builder = builder.query(&progenitor_client::QueryParam::new("pageToken", value)); }
            }
            .into_iter()
            .collect(),
        );
        let l = param_locations(&body, "/v1/{instanceId}");
        assert_eq!(
            l["instance_id"],
            ("path".to_string(), "instanceId".to_string())
        );
        assert_eq!(l["x_token"], ("header".to_string(), "X-Token".to_string()));
        assert_eq!(
            l["x_required"],
            ("header".to_string(), "X-Required".to_string())
        );
        assert_eq!(
            l["page_size"],
            ("query".to_string(), "pageSize".to_string())
        );
        assert_eq!(
            l["page_token"],
            ("query".to_string(), "pageToken".to_string())
        );
    }
}
