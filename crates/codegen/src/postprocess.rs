//! Edits to progenitor's generated code (as a syntax tree, before formatting) that take its per-call
//! overhead out of idprov clients, measured in BENCHMARKS.md, or check what progenitor does not. Each edit
//! keeps the bytes on the wire and what a call returns the same, except that path parameters are checked
//! and `\` in them is escaped, and a body setting members that exclude each other is refused (see the
//! table); each is counted, the counts go into the generated header, and [`apply`] fails if anything it
//! replaces is still there afterwards, or a path parameter or exclusive group is left unchecked.
//!
//! | progenitor 0.15.1 writes | idprov clients get | why |
//! |---|---|---|
//! | `ResponseValue::from_response(response)` | `idprov_runtime::__private::json_response(&client.inner, response, &info)` | one read of the body instead of two; no copy of the headers; a body that breaks off, is not JSON or has the wrong shape becomes an error with the status and the vendor's request id |
//! | `ResponseValue::empty(response)` | `idprov_runtime::__private::empty_response(response)` | the headers move instead of being copied |
//! | an `api-version` header on every request (the spec's `info.version`) | nothing (the map is sized without it) | no vendor takes it; the runtime used to remove it again |
//! | `let header_map = HeaderMap::with_capacity(0usize);` (progenitor's, or left so by the line above) and `.headers(header_map)` | nothing | merging an empty map still walks reqwest's `replace_headers`: ≈ 200 instructions a call |
//! | `encode_path(&value.to_string())` in the URL's `format!` | `idprov_runtime::__private::Segment(&value)` | encodes into the URL being formatted instead of making two `String`s per parameter; same character set plus `\`, which the URL parser would read as `/` |
//! | nothing before a `send()`'s `let url = format!(..)` | `idprov_runtime::__private::check_segment("field", &field).map_err(\|e\| client.inner.refused("op", e))?;` per path parameter (not for a `uuid::Uuid`) | an empty value, `.`, `..` or a value over `MAX_SEGMENT_LEN` bytes would address another resource or fail as a transport error; it is refused naming the field before anything is sent |
//! | nothing after a `send()`'s `let body = ..?;` | for each group of the body schema's `x-idprov-mutually-exclusive`: `idprov_runtime::__private::check_exclusive_members(&body, &["a", "b"]).map_err(\|e\| client.inner.refused("op", e))?;` | members the vendor documents as excluding each other are refused naming them, before anything is sent (progenitor's builders cannot express it) |
//! | one `.query(&QueryParam::new("a", &a))` per query parameter in the request chain, set or not | for an optional parameter, `if let Some(value) = &a { builder = builder.query(..) }` (see `set_query_only`) | an unset parameter costs nothing; each `.query(..)` opens the URL's query serializer |
//! | a builder's `new()` starts each required parameter as `Err("x was not initialized".to_string())` | `Err(String::new())`, and `send()` turns an empty error into the same message | no `String` per required parameter on every call; a parameter left unset reads exactly as before |

use proc_macro2::TokenStream;
use quote::quote;
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Stmt, Token, parse_quote};

use crate::CodegenError;

/// How many of each edit were made in one generated file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Edits {
    /// `ResponseValue::from_response` calls replaced.
    pub json_responses: usize,
    /// `ResponseValue::empty` calls replaced.
    pub empty_responses: usize,
    /// `api-version` headers removed.
    pub api_version_headers: usize,
    /// Empty header maps (`with_capacity(0)`, progenitor's or left so by the line above) taken out with
    /// their `.headers(header_map)`.
    pub empty_header_maps: usize,
    /// Path parameters written through `Segment`.
    pub path_segments: usize,
    /// Path parameters checked by `check_segment` (or `check_display_segment`) before the URL is formatted.
    pub path_checks: usize,
    /// Groups of mutually exclusive body members checked by `check_exclusive_members` in `send()`.
    pub exclusive_member_checks: usize,
    /// Required builder parameters whose "not initialized" message is made only when it is needed.
    pub lazy_unset_messages: usize,
    /// `send()` functions that return `idprov_runtime::Error` and call the runtime directly.
    pub calls_returning_idprov_error: usize,
    /// Integer query parameters checked against their documented bounds by `check_integer_bound`.
    pub query_bound_checks: usize,
    /// Optional query parameters added to the request only when the caller set them.
    pub conditional_query_params: usize,
    /// `send()` functions whose request the runtime can build again for a later attempt (instead of
    /// copying it before the first).
    pub rebuildable_requests: usize,
    /// Builder setters given a doc comment (the spec's parameter or property description).
    pub documented_setters: usize,
    /// `Client::new` / `Client::new_with_client` hidden from the docs (they take the hidden runtime).
    pub hidden_constructors: usize,
}

impl Edits {
    /// One line per kind of edit, for the generated header.
    pub fn describe(&self) -> Vec<String> {
        vec![
            format!(
                "{} success bodies read by idprov_runtime::__private::json_response (was ResponseValue::from_response)",
                self.json_responses
            ),
            format!(
                "{} empty successes made by idprov_runtime::__private::empty_response (was ResponseValue::empty)",
                self.empty_responses
            ),
            format!(
                "{} api-version request headers removed",
                self.api_version_headers
            ),
            format!(
                "{} empty request header maps (HeaderMap::with_capacity(0)) taken out with their .headers(header_map)",
                self.empty_header_maps
            ),
            format!(
                "{} path parameters encoded by idprov_runtime::__private::Segment (was encode_path(&v.to_string()); `\\` is escaped too)",
                self.path_segments
            ),
            format!(
                "{} path parameters checked by idprov_runtime::__private::check_segment before the URL is formatted (empty, `.`, `..` and over MAX_SEGMENT_LEN bytes are refused naming the field; UUIDs need no check)",
                self.path_checks
            ),
            format!(
                "{} groups of mutually exclusive body members (x-idprov-mutually-exclusive) checked by idprov_runtime::__private::check_exclusive_members in send()",
                self.exclusive_member_checks
            ),
            format!(
                "{} required builder parameters start as Err(String::new()); send() names them when unset",
                self.lazy_unset_messages
            ),
            format!(
                "{} send() functions return idprov_runtime::Error and call the runtime directly (was progenitor's Error<()> through its hooks)",
                self.calls_returning_idprov_error
            ),
            format!(
                "{} integer query parameters checked against their documented bounds by idprov_runtime::__private::check_integer_bound before the URL is written",
                self.query_bound_checks
            ),
            format!(
                "{} optional query parameters added to the request only when set (was one .query(..) per parameter, set or not)",
                self.conditional_query_params
            ),
            format!(
                "{} send() functions hand the runtime their request builder as a closure, called again only for a later attempt (was a copy of every request kept for a retry)",
                self.rebuildable_requests
            ),
            format!(
                "{} builder setters documented from the spec's parameter and property descriptions",
                self.documented_setters
            ),
            format!(
                "{} Client constructors taking the runtime hidden from the docs (use from_env or with_config)",
                self.hidden_constructors
            ),
        ]
    }
}

/// Makes every edit in `file` and checks that none of the replaced forms is left. `table` is the spec's
/// operation table (for the checks some operations' `send()` gets).
pub fn apply(
    spec_name: &str,
    file: &mut syn::File,
    table: &[crate::operations::OperationEntry],
) -> Result<Edits, CodegenError> {
    let mut editor = Editor {
        builder_fields: builder_fields(file),
        ..Editor::default()
    };
    editor.visit_file_mut(file);
    if let Some(e) = editor.error {
        return Err(CodegenError::Internal {
            what: format!("{spec_name}: {e}"),
        });
    }
    editor.edits.path_checks =
        insert_path_checks(file, editor.edits.path_segments).map_err(|e| {
            CodegenError::Internal {
                what: format!("{spec_name}: {e}"),
            }
        })?;
    editor.edits.exclusive_member_checks =
        insert_exclusive_member_checks(file, table).map_err(|e| CodegenError::Internal {
            what: format!("{spec_name}: {e}"),
        })?;
    editor.edits.query_bound_checks =
        crate::query_bounds::apply(file, table).map_err(|e| CodegenError::Internal {
            what: format!("{spec_name}: {e}"),
        })?;
    editor.edits.conditional_query_params =
        crate::set_query_only::apply(file, &editor.builder_fields).map_err(|e| {
            CodegenError::Internal {
                what: format!("{spec_name}: {e}"),
            }
        })?;
    editor.edits.calls_returning_idprov_error =
        crate::calls_return_error::apply(file).map_err(|e| CodegenError::Internal {
            what: format!("{spec_name}: {e}"),
        })?;
    editor.edits.rebuildable_requests =
        crate::rebuild_request::apply(file).map_err(|e| CodegenError::Internal {
            what: format!("{spec_name}: {e}"),
        })?;
    editor.edits.documented_setters = crate::setter_docs::apply(file);
    editor.edits.hidden_constructors = crate::hidden_constructors::apply(file);
    let text = quote!(#file).to_string();
    let leftovers = ["from_response", "ResponseValue :: empty", "\"api-version\""];
    for leftover in leftovers.iter().chain(crate::calls_return_error::LEFTOVERS) {
        if text.contains(leftover) {
            return Err(CodegenError::Internal {
                what: format!(
                    "{spec_name}: `{leftover}` is still in the generated code after post-processing; progenitor's output changed"
                ),
            });
        }
    }
    if text.contains("encode_path (") {
        return Err(CodegenError::Internal {
            what: format!(
                "{spec_name}: a call of encode_path is still in the generated code after post-processing; progenitor's output changed"
            ),
        });
    }
    Ok(editor.edits)
}

#[derive(Default)]
struct Editor {
    edits: Edits,
    error: Option<String>,
    /// Builder struct name -> field -> the `T` of its `Result<T, String>` type, as tokens.
    builder_fields: std::collections::HashMap<String, std::collections::HashMap<String, String>>,
    /// The fields of the builder whose impl is being edited.
    current_fields: Option<std::collections::HashMap<String, String>>,
}

impl VisitMut for Editor {
    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        if let Err(e) = self.lazy_unset_messages(item) {
            self.error = Some(e);
        }
        let self_name = match item.self_ty.as_ref() {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        let outer = std::mem::replace(
            &mut self.current_fields,
            self_name.and_then(|n| self.builder_fields.get(&n).cloned()),
        );
        visit_mut::visit_item_impl_mut(self, item);
        self.current_fields = outer;
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let before = block.stmts.len();
        block.stmts.retain(|s| !is_api_version_append(s));
        let removed = before - block.stmts.len();
        if removed > 0 {
            self.edits.api_version_headers += removed;
            if shrink_header_map(&mut block.stmts, removed).is_none() {
                self.error = Some(
                    "an api-version header was removed but no `HeaderMap::with_capacity(N)` was found to resize"
                        .into(),
                );
            }
        }
        // progenitor sizes the map for every header it may append, so 0 means nothing is appended.
        if block.stmts.iter().any(is_empty_header_map) {
            match drop_empty_header_map(&mut block.stmts) {
                Ok(()) => self.edits.empty_header_maps += 1,
                Err(e) => self.error = Some(e),
            }
        }
        visit_mut::visit_block_mut(self, block);
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        match expr {
            Expr::Call(call) if path_ends_with(&call.func, &["ResponseValue", "from_response"]) => {
                if let [arg] = call.args.iter().collect::<Vec<_>>()[..] {
                    *expr = parse_quote!(
                        ::idprov_runtime::__private::json_response(&client.inner, #arg, &info)
                    );
                    self.edits.json_responses += 1;
                }
            }
            Expr::Call(call) if path_ends_with(&call.func, &["ResponseValue", "empty"]) => {
                if let [arg] = call.args.iter().collect::<Vec<_>>()[..] {
                    *expr = parse_quote!(::idprov_runtime::__private::empty_response(#arg));
                    self.edits.empty_responses += 1;
                }
            }
            Expr::Macro(m) if m.mac.path.is_ident("format") => {
                match rewrite_format_args(m.mac.tokens.clone(), self.current_fields.as_ref()) {
                    Ok((tokens, n)) => {
                        m.mac.tokens = tokens;
                        self.edits.path_segments += n;
                    }
                    Err(e) => self.error = Some(format!("a format! call does not parse: {e}")),
                }
            }
            _ => {}
        }
    }
}

impl Editor {
    /// In a builder's impl: `new()`'s `field: Err("msg".to_string())` becomes `Err(String::new())`, and
    /// `send()`'s `let field = field.map_err(Error::InvalidRequest)?;` makes `msg` when the error is empty.
    fn lazy_unset_messages(&mut self, item: &mut syn::ItemImpl) -> Result<(), String> {
        let mut messages: Vec<(String, String)> = Vec::new();
        for impl_item in item.items.iter_mut() {
            let syn::ImplItem::Fn(f) = impl_item else {
                continue;
            };
            if f.sig.ident != "new" {
                continue;
            }
            for stmt in f.block.stmts.iter_mut() {
                let Stmt::Expr(Expr::Struct(lit), None) = stmt else {
                    continue;
                };
                for field in lit.fields.iter_mut() {
                    let syn::Member::Named(name) = &field.member else {
                        continue;
                    };
                    if let Some(msg) = unset_message(&field.expr) {
                        field.expr = parse_quote!(Err(::std::string::String::new()));
                        messages.push((name.to_string(), msg));
                    }
                }
            }
        }
        if messages.is_empty() {
            return Ok(());
        }
        let mut rewritten = 0;
        for impl_item in item.items.iter_mut() {
            let syn::ImplItem::Fn(f) = impl_item else {
                continue;
            };
            if f.sig.ident != "send" {
                continue;
            }
            for stmt in f.block.stmts.iter_mut() {
                let Stmt::Local(local) = stmt else { continue };
                let Some(init) = &mut local.init else {
                    continue;
                };
                let Expr::Try(tried) = init.expr.as_mut() else {
                    continue;
                };
                let Expr::MethodCall(call) = tried.expr.as_mut() else {
                    continue;
                };
                let Expr::Path(receiver) = call.receiver.as_ref() else {
                    continue;
                };
                let Some(name) = receiver.path.get_ident().map(|i| i.to_string()) else {
                    continue;
                };
                let Some((_, msg)) = messages.iter().find(|(n, _)| *n == name) else {
                    continue;
                };
                if call.method != "map_err"
                    || call.args.len() != 1
                    || !call
                        .args
                        .first()
                        .is_some_and(|a| path_ends_with(a, &["Error", "InvalidRequest"]))
                {
                    continue;
                }
                call.args[0] = parse_quote!(|e: ::std::string::String| {
                    Error::InvalidRequest(if e.is_empty() { #msg.to_string() } else { e })
                });
                rewritten += 1;
            }
        }
        if rewritten != messages.len() {
            return Err(format!(
                "{} builder parameters start unset but send() reads {} of them the expected way; progenitor's output changed",
                messages.len(),
                rewritten
            ));
        }
        self.edits.lazy_unset_messages += rewritten;
        Ok(())
    }
}

/// `msg` of `Err("msg".to_string())`.
fn unset_message(expr: &Expr) -> Option<String> {
    let Expr::Call(call) = expr else { return None };
    if !path_ends_with(&call.func, &["Err"]) || call.args.len() != 1 {
        return None;
    }
    let Some(Expr::MethodCall(to_string)) = call.args.first() else {
        return None;
    };
    if to_string.method != "to_string" || !to_string.args.is_empty() {
        return None;
    }
    let Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(s),
        ..
    }) = to_string.receiver.as_ref()
    else {
        return None;
    };
    let msg = s.value();
    msg.ends_with(" was not initialized").then_some(msg)
}

/// `header_map.append(::reqwest::header::HeaderName::from_static("api-version"), ...);`
fn is_api_version_append(stmt: &Stmt) -> bool {
    let Stmt::Expr(Expr::MethodCall(call), Some(_)) = stmt else {
        return false;
    };
    if call.method != "append" {
        return false;
    }
    let Some(Expr::Call(name)) = call.args.first() else {
        return false;
    };
    if !path_ends_with(&name.func, &["HeaderName", "from_static"]) {
        return false;
    }
    matches!(
        name.args.first(),
        Some(Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. })) if s.value() == "api-version"
    )
}

/// Lowers the `N` of `let mut header_map = ...HeaderMap::with_capacity(Nusize);` by `removed` (and drops
/// the `mut` when nothing is left to append); the new `N`, or `None` when there is no such statement.
fn shrink_header_map(stmts: &mut [Stmt], removed: usize) -> Option<usize> {
    for stmt in stmts {
        let Stmt::Local(local) = stmt else { continue };
        let Some(init) = &mut local.init else {
            continue;
        };
        let Expr::Call(call) = init.expr.as_mut() else {
            continue;
        };
        if !path_ends_with(&call.func, &["HeaderMap", "with_capacity"]) {
            continue;
        }
        let Some(Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(n),
            ..
        })) = call.args.first_mut()
        else {
            continue;
        };
        let Ok(value) = n.base10_parse::<usize>() else {
            return None;
        };
        let smaller = value.saturating_sub(removed);
        *n = syn::LitInt::new(&format!("{smaller}usize"), n.span());
        // progenitor sizes the map for every header it may append, so 0 means nothing else is appended.
        if smaller == 0
            && let syn::Pat::Ident(ident) = &mut local.pat
        {
            ident.mutability = None;
        }
        return Some(smaller);
    }
    None
}

/// Whether `stmt` is `let header_map = ...HeaderMap::with_capacity(0usize);` (`mut` or not).
fn is_empty_header_map(stmt: &Stmt) -> bool {
    let Stmt::Local(local) = stmt else {
        return false;
    };
    let named = match &local.pat {
        syn::Pat::Ident(p) => p.ident == "header_map",
        _ => false,
    };
    named
        && local.init.as_ref().is_some_and(|init| {
            matches!(init.expr.as_ref(), Expr::Call(call)
                if path_ends_with(&call.func, &["HeaderMap", "with_capacity"])
                    && matches!(call.args.first(), Some(Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(n), .. }))
                        if n.base10_parse::<usize>().is_ok_and(|n| n == 0)))
        })
}

/// Takes out a `let header_map = ...HeaderMap::with_capacity(0usize);` and the one
/// `.headers(header_map)` of the request chain that merges it: an empty map costs a call an allocation-free
/// but not free walk of reqwest's `replace_headers` (≈ 200 instructions and as many cache lines of code
/// as a real header), for nothing.
fn drop_empty_header_map(stmts: &mut Vec<Stmt>) -> Result<(), String> {
    struct DropMerge {
        dropped: usize,
    }
    impl VisitMut for DropMerge {
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            visit_mut::visit_expr_mut(self, expr);
            if let Expr::MethodCall(call) = expr
                && call.method == "headers"
                && let [Expr::Path(arg)] = call.args.iter().collect::<Vec<_>>()[..]
                && arg.path.is_ident("header_map")
            {
                *expr = (*call.receiver).clone();
                self.dropped += 1;
            }
        }
    }
    let before = stmts.len();
    stmts.retain(|s| !is_empty_header_map(s));
    if stmts.len() + 1 != before {
        return Err("an emptied header map is not one `let header_map = ..;` statement".into());
    }
    let mut merge = DropMerge { dropped: 0 };
    for stmt in stmts.iter_mut() {
        merge.visit_stmt_mut(stmt);
    }
    if merge.dropped != 1 {
        return Err(format!(
            "an emptied header map is merged by {} `.headers(header_map)` calls, not one; progenitor's output changed",
            merge.dropped
        ));
    }
    let text = stmts
        .iter()
        .map(|s| quote!(#s).to_string())
        .collect::<String>();
    if text.contains("header_map") {
        return Err(
            "an emptied header map is still used after its `.headers(..)` call was taken out"
                .into(),
        );
    }
    Ok(())
}

/// Replaces `encode_path(&X.to_string())` arguments of a `format!` by a display wrapper of
/// `idprov_runtime::__private` chosen by the type of the builder field `X` (`fields`): `StrSegment` for a
/// `String` (no formatting machinery), `Unreserved` for a `uuid::Uuid` (whose text never needs escaping),
/// `Segment` for anything else.
fn rewrite_format_args(
    tokens: TokenStream,
    fields: Option<&std::collections::HashMap<String, String>>,
) -> syn::Result<(TokenStream, usize)> {
    let mut args: Punctuated<Expr, Token![,]> =
        syn::parse::Parser::parse2(Punctuated::parse_terminated, tokens)?;
    let mut n = 0;
    for arg in args.iter_mut() {
        if let Some(value) = encoded_path_value(arg) {
            let ty = match &value {
                Expr::Path(p) => p
                    .path
                    .get_ident()
                    .and_then(|i| fields.and_then(|f| f.get(&i.to_string()))),
                _ => None,
            };
            *arg = match ty.map(String::as_str) {
                Some(":: std :: string :: String") => {
                    parse_quote!(::idprov_runtime::__private::StrSegment(&#value))
                }
                Some(":: uuid :: Uuid") => {
                    parse_quote!(::idprov_runtime::__private::Unreserved(&#value))
                }
                _ => parse_quote!(::idprov_runtime::__private::Segment(&#value)),
            };
            n += 1;
        }
    }
    Ok((quote!(#args), n))
}

/// In every `send()`, inserts before `let url = format!(..)` one check per path parameter that the
/// format's arguments encode (`StrSegment(&field)`: `check_segment`; `Segment(&field)`:
/// `check_display_segment`; `Unreserved(&field)`, a UUID: none), whose error is refused by the runtime as
/// the call's `InvalidRequest`:
///
/// ```text
/// ::idprov_runtime::__private::check_segment("tenant_id", &tenant_id)
///     .map_err(|e| client.inner.refused("get_automation_identity", e))?;
/// ```
///
/// Returns how many checks were inserted. Fails when the `encoded` path parameters of the file are not all
/// found as plain fields in a `send()`'s `let url = format!(..)`: a parameter would be sent unchecked.
fn insert_path_checks(file: &mut syn::File, encoded: usize) -> Result<usize, String> {
    struct Pass {
        checks: usize,
        seen: usize,
        error: Option<String>,
    }
    impl VisitMut for Pass {
        fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
            if f.sig.ident == "send"
                && let Err(e) = self.send(&mut f.block)
            {
                self.error = Some(e);
            }
            visit_mut::visit_impl_item_fn_mut(self, f);
        }
    }
    impl Pass {
        fn send(&mut self, block: &mut syn::Block) -> Result<(), String> {
            let Some(at) = block.stmts.iter().position(is_url_format) else {
                return Ok(());
            };
            let Stmt::Local(local) = &block.stmts[at] else {
                return Ok(());
            };
            let Some(Expr::Macro(m)) = local.init.as_ref().map(|i| i.expr.as_ref()) else {
                return Ok(());
            };
            let args: Punctuated<Expr, Token![,]> =
                syn::parse::Parser::parse2(Punctuated::parse_terminated, m.mac.tokens.clone())
                    .map_err(|e| {
                        format!("a send()'s `let url = format!(..)` does not parse: {e}")
                    })?;
            let mut checks: Vec<Stmt> = Vec::new();
            for arg in &args {
                let Some((wrapper, field)) = path_wrapper(arg) else {
                    continue;
                };
                self.seen += 1;
                let Some(field) = field else {
                    return Err(format!(
                        "a path parameter in a send()'s URL is not a plain builder field: {}",
                        quote!(#arg)
                    ));
                };
                let check = match wrapper.as_str() {
                    "StrSegment" => quote!(::idprov_runtime::__private::check_segment),
                    "Segment" => quote!(::idprov_runtime::__private::check_display_segment),
                    _ => continue,
                };
                let Some(op) = crate::calls_return_error::operation_id(block) else {
                    return Err(
                        "a send() with path parameters has no `OperationInfo { operation_id: \"..\" }`"
                            .into(),
                    );
                };
                let name = field.to_string();
                checks.push(parse_quote!(
                    #check(#name, &#field).map_err(|e| client.inner.refused(#op, e))?;
                ));
            }
            self.checks += checks.len();
            block.stmts.splice(at..at, checks);
            Ok(())
        }
    }
    let mut pass = Pass {
        checks: 0,
        seen: 0,
        error: None,
    };
    pass.visit_file_mut(file);
    if let Some(e) = pass.error {
        return Err(e);
    }
    if pass.seen != encoded {
        return Err(format!(
            "{encoded} path parameters are encoded but {} of them are in a send()'s `let url = format!(..)`, where they are checked; progenitor's output changed",
            pass.seen
        ));
    }
    Ok(pass.checks)
}

/// In the `send()` of every operation of `table` with groups of mutually exclusive body members, inserts
/// after `let body = ..?;` one check per group, whose error is refused by the runtime:
///
/// ```text
/// ::idprov_runtime::__private::check_exclusive_members(&body, &["a", "b"])
///     .map_err(|e| client.inner.refused("launch_enrollment_automation", e))?;
/// ```
///
/// Returns how many checks were inserted; fails when such an operation has no `send()` with a
/// `let body = ..;`, so no group goes unchecked.
fn insert_exclusive_member_checks(
    file: &mut syn::File,
    table: &[crate::operations::OperationEntry],
) -> Result<usize, String> {
    struct Pass<'t> {
        table: &'t [crate::operations::OperationEntry],
        done: Vec<String>,
        checks: usize,
    }
    impl VisitMut for Pass<'_> {
        fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
            if let Some((op, entry)) =
                send_entry(f, self.table, |e| !e.exclusive_members.is_empty())
                && let Some(at) = f.block.stmts.iter().position(|s| {
                    matches!(s, Stmt::Local(l) if matches!(&l.pat, syn::Pat::Ident(p) if p.ident == "body"))
                })
            {
                let checks: Vec<Stmt> = entry
                    .exclusive_members
                    .iter()
                    .map(|group| {
                        parse_quote!(
                            ::idprov_runtime::__private::check_exclusive_members(&body, &[#(#group),*])
                                .map_err(|e| client.inner.refused(#op, e))?;
                        )
                    })
                    .collect();
                self.checks += checks.len();
                self.done.push(entry.operation_id.clone());
                f.block.stmts.splice(at + 1..at + 1, checks);
            }
            visit_mut::visit_impl_item_fn_mut(self, f);
        }
    }
    let mut pass = Pass {
        table,
        done: Vec::new(),
        checks: 0,
    };
    pass.visit_file_mut(file);
    let missing = not_done(table, |e| !e.exclusive_members.is_empty(), &pass.done);
    if !missing.is_empty() {
        return Err(format!(
            "operations {missing:?} have mutually exclusive body members but no send() with `let body = ..;` to check them in; progenitor's output changed"
        ));
    }
    Ok(pass.checks)
}

/// For a `send()`, its operation id and its entry of `table`, when that entry `needs` an edit.
pub(crate) fn send_entry<'t>(
    f: &syn::ImplItemFn,
    table: &'t [crate::operations::OperationEntry],
    needs: impl Fn(&crate::operations::OperationEntry) -> bool,
) -> Option<(syn::LitStr, &'t crate::operations::OperationEntry)> {
    if f.sig.ident != "send" {
        return None;
    }
    let op = crate::calls_return_error::operation_id(&f.block)?;
    let entry = table
        .iter()
        .find(|e| e.operation_id == op.value() && needs(e))?;
    Some((op, entry))
}

/// The operations of `table` that `needs` an edit but are not among those `done`.
pub(crate) fn not_done<'t>(
    table: &'t [crate::operations::OperationEntry],
    needs: impl Fn(&crate::operations::OperationEntry) -> bool,
    done: &[String],
) -> Vec<&'t str> {
    table
        .iter()
        .filter(|e| needs(e) && !done.contains(&e.operation_id))
        .map(|e| e.operation_id.as_str())
        .collect()
}

/// `let url = format!(..);`
pub(crate) fn is_url_format(stmt: &Stmt) -> bool {
    let Stmt::Local(local) = stmt else {
        return false;
    };
    matches!(&local.pat, syn::Pat::Ident(p) if p.ident == "url")
        && matches!(
            local.init.as_ref().map(|i| i.expr.as_ref()),
            Some(Expr::Macro(m)) if m.mac.path.is_ident("format")
        )
}

/// For `::idprov_runtime::__private::W(&x)` with `W` one of the path wrappers: `W` and, when `x` is a
/// plain identifier, `x`.
fn path_wrapper(arg: &Expr) -> Option<(String, Option<syn::Ident>)> {
    let Expr::Call(call) = arg else { return None };
    let Expr::Path(p) = call.func.as_ref() else {
        return None;
    };
    let names: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let [.., krate, private, wrapper] = &names[..] else {
        return None;
    };
    if krate != "idprov_runtime"
        || private != "__private"
        || !matches!(wrapper.as_str(), "Segment" | "StrSegment" | "Unreserved")
    {
        return None;
    }
    let field = match call.args.first() {
        Some(Expr::Reference(r)) if call.args.len() == 1 => match r.expr.as_ref() {
            Expr::Path(p) => p.path.get_ident().cloned(),
            _ => None,
        },
        _ => None,
    };
    Some((wrapper.clone(), field))
}

/// Every struct's fields of type `Result<T, String>` (progenitor's builders): struct -> field -> `T`.
pub(crate) fn builder_fields(
    file: &syn::File,
) -> std::collections::HashMap<String, std::collections::HashMap<String, String>> {
    struct Collect(std::collections::HashMap<String, std::collections::HashMap<String, String>>);
    impl<'ast> syn::visit::Visit<'ast> for Collect {
        fn visit_item_struct(&mut self, item: &'ast syn::ItemStruct) {
            let mut fields = std::collections::HashMap::new();
            for field in &item.fields {
                let Some(name) = &field.ident else { continue };
                let syn::Type::Path(p) = &field.ty else {
                    continue;
                };
                let Some(last) = p.path.segments.last() else {
                    continue;
                };
                if last.ident != "Result" {
                    continue;
                }
                let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                    continue;
                };
                if let Some(syn::GenericArgument::Type(ok)) = args.args.first() {
                    fields.insert(name.to_string(), quote!(#ok).to_string());
                }
            }
            if !fields.is_empty() {
                self.0.insert(item.ident.to_string(), fields);
            }
        }
    }
    let mut c = Collect(std::collections::HashMap::new());
    syn::visit::Visit::visit_file(&mut c, file);
    c.0
}

/// `X` of `encode_path(&X.to_string())`.
fn encoded_path_value(arg: &Expr) -> Option<Expr> {
    let Expr::Call(call) = arg else { return None };
    if !path_ends_with(&call.func, &["encode_path"]) || call.args.len() != 1 {
        return None;
    }
    let Some(Expr::Reference(reference)) = call.args.first() else {
        return None;
    };
    let Expr::MethodCall(to_string) = reference.expr.as_ref() else {
        return None;
    };
    if to_string.method != "to_string" || !to_string.args.is_empty() {
        return None;
    }
    Some((*to_string.receiver).clone())
}

/// Whether `func` is a path whose last segments are `tail`.
pub(crate) fn path_ends_with(func: &Expr, tail: &[&str]) -> bool {
    let Expr::Path(p) = func else { return false };
    let segments: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    segments.len() >= tail.len() && segments[segments.len() - tail.len()..] == *tail
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(src: &str) -> (String, Edits) {
        let mut file: syn::File = syn::parse_str(src).unwrap();
        let edits = apply("test.yaml", &mut file, &[]).unwrap();
        (prettyplease::unparse(&file), edits)
    }

    #[test]
    fn a_send_body_is_edited_like_progenitors_output() {
        let (out, edits) = edit(
            r#"
            pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
            const _: () = {
                fn assert_client_hooks() where Client: ClientHooks<idprov_runtime::Runtime> {}
            };
            impl<'a> Get<'a> {
                pub async fn send(self) -> Result<ResponseValue<T>, Error<()>> {
                    let Self { client, tenant_id, id } = self;
                    let id = id.map_err(Error::InvalidRequest)?;
                    let url = format!("{}/t/{}/x/{}", client.baseurl, encode_path(&tenant_id.to_string()), encode_path(&id.to_string()));
                    let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
                    header_map.append(::reqwest::header::HeaderName::from_static("api-version"), ::reqwest::header::HeaderValue::from_static(super::Client::api_version()));
                    header_map.append(::reqwest::header::HeaderName::from_static("x-other"), value);
                    let mut request = client.client.get(url).headers(header_map).build()?;
                    let info = OperationInfo { operation_id: "get_thing" };
                    client.pre(&mut request, &info).await?;
                    let result = client.exec(request, &info).await;
                    client.post(&result, &info).await?;
                    let response = result?;
                    match response.status().as_u16() {
                        200u16 => ResponseValue::from_response(response).await,
                        204u16 => Ok(ResponseValue::empty(response)),
                        _ => Err(Error::UnexpectedResponse(response)),
                    }
                }
            }
            "#,
        );
        assert_eq!(
            edits,
            Edits {
                json_responses: 1,
                empty_responses: 1,
                api_version_headers: 1,
                empty_header_maps: 0,
                path_segments: 2,
                path_checks: 2,
                exclusive_member_checks: 0,
                lazy_unset_messages: 0,
                calls_returning_idprov_error: 1,
                query_bound_checks: 0,
                conditional_query_params: 0,
                rebuildable_requests: 1,
                documented_setters: 0,
                hidden_constructors: 0,
            }
        );
        assert!(out.contains("HeaderMap::with_capacity(1usize)"), "{out}");
        assert!(out.contains("\"x-other\""), "{out}");
        assert!(!out.contains("api-version"), "{out}");
        let squashed: String = out.split_whitespace().collect();
        assert!(
            squashed.contains("::idprov_runtime::__private::Segment(&tenant_id)")
                && squashed.contains("::idprov_runtime::__private::Segment(&id)"),
            "{out}"
        );
        assert!(
            squashed.contains(
                "::idprov_runtime::__private::json_response(&client.inner,response,&info,).await"
            ),
            "{out}"
        );
        assert!(
            out.contains("Ok(::idprov_runtime::__private::empty_response(response))"),
            "{out}"
        );
        // Calls return idprov's error and call the runtime directly.
        for expected in [
            "->Result<ResponseValue<T>,::idprov_runtime::Error>",
            "id.map_err(|e|client.inner.refused(\"get_thing\",e))?",
            "letmutrequest=build_request().map_err(|e|client.inner.build_error(\"get_thing\",e))?",
            ".headers(header_map.clone()).build()};",
            "client.inner.pre(&mutrequest,info.operation_id).await?",
            "client.inner.exec(&client.client,request,&build_request,info.operation_id).await",
            "Err(client.inner.unexpected_response(response,info.operation_id))",
            "pubuseprogenitor_client::{ByteStream,ClientInfo,ResponseValue};",
        ] {
            assert!(squashed.contains(expected), "{expected} in {out}");
        }
        assert!(!out.contains("client.post("), "{out}");
        assert!(!out.contains("assert_client_hooks"), "{out}");
    }

    #[test]
    fn a_path_parameter_is_wrapped_by_its_builder_field_type() {
        let (out, edits) = edit(
            r#"
            pub struct Get<'a> {
                client: &'a super::Client,
                tenant_id: Result<::std::string::String, String>,
                id: Result<::uuid::Uuid, String>,
                n: Result<i64, String>,
            }
            impl<'a> Get<'a> {
                pub async fn send(self) {
                    let info = OperationInfo { operation_id: "get" };
                    let url = format!("{}/t/{}/i/{}/n/{}", client.baseurl,
                        encode_path(&tenant_id.to_string()), encode_path(&id.to_string()),
                        encode_path(&n.to_string()));
                }
            }
            "#,
        );
        assert_eq!(edits.path_segments, 3);
        let squashed: String = out.split_whitespace().collect();
        assert!(
            squashed.contains("::idprov_runtime::__private::StrSegment(&tenant_id)"),
            "{out}"
        );
        assert!(
            squashed.contains("::idprov_runtime::__private::Unreserved(&id)"),
            "{out}"
        );
        assert!(
            squashed.contains("::idprov_runtime::__private::Segment(&n)"),
            "{out}"
        );
    }

    #[test]
    fn every_path_parameter_but_a_uuid_is_checked_before_the_url_is_formatted() {
        let (out, edits) = edit(
            r#"
            pub struct Get<'a> {
                client: &'a super::Client,
                tenant_id: Result<::std::string::String, String>,
                id: Result<::uuid::Uuid, String>,
                n: Result<i64, String>,
            }
            impl<'a> Get<'a> {
                pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                    let Self { client, tenant_id, id, n } = self;
                    let tenant_id = tenant_id.map_err(Error::InvalidRequest)?;
                    let url = format!("{}/t/{}/i/{}/n/{}", client.baseurl,
                        encode_path(&tenant_id.to_string()), encode_path(&id.to_string()),
                        encode_path(&n.to_string()));
                    let info = OperationInfo { operation_id: "get_thing" };
                    Ok(())
                }
            }
            "#,
        );
        assert_eq!((edits.path_segments, edits.path_checks), (3, 2));
        let squashed: String = out.split_whitespace().collect();
        let string_check = "::idprov_runtime::__private::check_segment(\"tenant_id\",&tenant_id).map_err(|e|client.inner.refused(\"get_thing\",e))?;";
        let display_check = "::idprov_runtime::__private::check_display_segment(\"n\",&n).map_err(|e|client.inner.refused(\"get_thing\",e))?;";
        let url = squashed.find("leturl=format!").unwrap();
        let unwrapped = squashed.find("lettenant_id=tenant_id").unwrap();
        for check in [string_check, display_check] {
            let at = squashed
                .find(check)
                .unwrap_or_else(|| panic!("{check} in {out}"));
            assert!(
                unwrapped < at && at < url,
                "checked after unwrapping, before the URL: {out}"
            );
        }
        assert!(
            !squashed.contains("(\"id\""),
            "a UUID is not checked: {out}"
        );
        assert!(
            edits.describe().iter().any(|l| l.starts_with(
                "2 path parameters checked by idprov_runtime::__private::check_segment"
            )),
            "the header tells: {:?}",
            edits.describe()
        );
    }

    #[test]
    fn a_path_parameter_encoded_outside_a_sends_url_is_an_error_not_left_unchecked() {
        let mut file: syn::File = syn::parse_str(
            r#"impl X {
                fn send(self) {
                    let info = OperationInfo { operation_id: "op" };
                    let href = format!("{}/t/{}", base, encode_path(&tenant_id.to_string()));
                }
            }"#,
        )
        .unwrap();
        let err = apply("odd.yaml", &mut file, &[]).unwrap_err().to_string();
        assert!(
            err.contains("odd.yaml") && err.contains("1 path parameters are encoded but 0"),
            "{err}"
        );
    }

    #[test]
    fn a_path_parameter_that_is_not_a_plain_field_is_an_error() {
        let mut file: syn::File = syn::parse_str(
            r#"impl X {
                fn send(self) {
                    let info = OperationInfo { operation_id: "op" };
                    let url = format!("{}/t/{}", base, encode_path(&self.tenant_id.to_string()));
                }
            }"#,
        )
        .unwrap();
        let err = apply("odd.yaml", &mut file, &[]).unwrap_err().to_string();
        assert!(err.contains("not a plain builder field"), "{err}");
    }

    fn exclusive_entry(operation_id: &str) -> crate::operations::OperationEntry {
        crate::operations::OperationEntry {
            operation_id: operation_id.into(),
            method: "POST".into(),
            path: "/launch".into(),
            success: vec![200],
            errors: vec![],
            json_response: true,
            fill_headers: vec![],
            integer_bounds: vec![],
            exclusive_members: vec![vec!["a".into(), "b".into()], vec!["c".into(), "d".into()]],
        }
    }

    const LAUNCH_SEND: &str = r#"
        impl<'a> Launch<'a> {
            pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                let Self { client, body } = self;
                let body = body
                    .and_then(|v| types::LaunchRequest::try_from(v).map_err(|e| e.to_string()))
                    .map_err(Error::InvalidRequest)?;
                let url = format!("{}/launch", client.baseurl);
                let info = OperationInfo { operation_id: "launch" };
                Ok(())
            }
        }
    "#;

    #[test]
    fn each_group_of_exclusive_body_members_is_checked_right_after_the_body_is_made() {
        let mut file: syn::File = syn::parse_str(LAUNCH_SEND).unwrap();
        let edits = apply("test.yaml", &mut file, &[exclusive_entry("launch")]).unwrap();
        let out = prettyplease::unparse(&file);
        let squashed: String = out.split_whitespace().collect();

        assert_eq!(edits.exclusive_member_checks, 2);
        let body = squashed.find("letbody=body").unwrap();
        let url = squashed.find("leturl=format!").unwrap();
        for group in ["&[\"a\",\"b\"]", "&[\"c\",\"d\"]"] {
            let check = format!(
                "::idprov_runtime::__private::check_exclusive_members(&body,{group}).map_err(|e|client.inner.refused(\"launch\",e))?;"
            );
            let at = squashed
                .find(&check)
                .unwrap_or_else(|| panic!("{check} in {out}"));
            assert!(
                body < at && at < url,
                "after the body, before the URL: {out}"
            );
        }
        assert!(
            edits
                .describe()
                .iter()
                .any(|l| l.starts_with("2 groups of mutually exclusive body members")),
            "{:?}",
            edits.describe()
        );
    }

    #[test]
    fn exclusive_members_of_an_operation_without_a_send_are_an_error_and_others_get_no_check() {
        let mut file: syn::File = syn::parse_str(LAUNCH_SEND).unwrap();
        let edits = apply("test.yaml", &mut file, &[exclusive_entry("other")]);
        // `other` has groups but no send(): loud, not silently unchecked.
        let err = edits.unwrap_err().to_string();
        assert!(
            err.contains("test.yaml")
                && err.contains("[\"other\"]")
                && err.contains("mutually exclusive"),
            "{err}"
        );
        let mut file: syn::File = syn::parse_str(LAUNCH_SEND).unwrap();
        let edits = apply("test.yaml", &mut file, &[]).unwrap();
        assert_eq!(edits.exclusive_member_checks, 0);
        assert!(!prettyplease::unparse(&file).contains("check_exclusive_members"));
    }

    #[test]
    fn a_builders_unset_message_is_made_only_when_send_needs_it() {
        let (out, edits) = edit(
            r#"
            impl<'a> Get<'a> {
                pub fn new(client: &'a super::Client) -> Self {
                    Self {
                        client: client,
                        tenant_id: Err("tenant_id was not initialized".to_string()),
                        body: Ok(::std::default::Default::default()),
                    }
                }
                pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                    let Self { client, tenant_id, body } = self;
                    let info = OperationInfo { operation_id: "get" };
                    let tenant_id = tenant_id.map_err(Error::InvalidRequest)?;
                    let body = body.map_err(Error::InvalidRequest)?;
                    Ok(())
                }
            }
            "#,
        );
        assert_eq!(edits.lazy_unset_messages, 1);
        assert!(
            out.contains("tenant_id: Err(::std::string::String::new())"),
            "{out}"
        );
        assert!(
            out.contains("\"tenant_id was not initialized\".to_string()"),
            "{out}"
        );
        assert!(out.contains("if e.is_empty()"), "{out}");
        assert!(
            out.contains("let body = body.map_err(|e| client.inner.refused(\"get\", e))?;"),
            "{out}"
        );
    }

    #[test]
    fn an_unset_parameter_that_send_reads_another_way_is_an_error() {
        let mut file: syn::File = syn::parse_str(
            r#"impl X {
                fn new() -> Self { Self { a: Err("a was not initialized".to_string()) } }
                fn send(self) { let a = self.a.unwrap(); }
            }"#,
        )
        .unwrap();
        let err = apply("odd.yaml", &mut file, &[]).unwrap_err().to_string();
        assert!(err.contains("builder parameters"), "{err}");
    }

    #[test]
    fn an_encode_path_of_another_shape_is_refused_rather_than_left() {
        let mut file: syn::File =
            syn::parse_str(r#"fn f() { let url = format!("{}/{}", base, encode_path(&id)); }"#)
                .unwrap();
        let err = apply("odd.yaml", &mut file, &[]).unwrap_err().to_string();
        assert!(
            err.contains("odd.yaml") && err.contains("encode_path"),
            "{err}"
        );
    }

    #[test]
    fn a_header_map_left_empty_is_taken_out_with_its_merge() {
        let send = |map: &str| {
            format!(
                r#"
            impl<'a> Get<'a> {{
                pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {{
                    let Self {{ client }} = self;
                    let url = format!("{{}}/x", client.baseurl);
                    {map}
                    let mut request = client.client.get(url).header(::reqwest::header::ACCEPT, v).headers(header_map).build()?;
                    let info = OperationInfo {{ operation_id: "get_thing" }};
                    client.pre(&mut request, &info).await?;
                    let result = client.exec(request, &info).await;
                    let response = result?;
                    Ok(ResponseValue::empty(response))
                }}
            }}
            "#
            )
        };
        // Emptied by the api-version edit, or empty as progenitor wrote it.
        for (map, api_version) in [
            (
                r#"let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                header_map.append(::reqwest::header::HeaderName::from_static("api-version"), ::reqwest::header::HeaderValue::from_static(super::Client::api_version()));"#,
                1,
            ),
            (
                "let header_map = ::reqwest::header::HeaderMap::with_capacity(0usize);",
                0,
            ),
        ] {
            let (out, edits) = edit(&send(map));
            assert_eq!(
                (edits.api_version_headers, edits.empty_header_maps),
                (api_version, 1)
            );
            assert!(!out.contains("header_map"), "{out}");
            let squashed: String = out.split_whitespace().collect();
            assert!(
                squashed.contains(
                    "client.client.get(url.as_str()).header(::reqwest::header::ACCEPT,v).build()};"
                ),
                "{out}"
            );
        }
    }

    #[test]
    fn an_api_version_header_without_a_sized_map_is_an_error() {
        let mut file: syn::File = syn::parse_str(
            r#"fn f() { header_map.append(HeaderName::from_static("api-version"), v); }"#,
        )
        .unwrap();
        let err = apply("odd.yaml", &mut file, &[]).unwrap_err().to_string();
        assert!(err.contains("with_capacity"), "{err}");
    }
}
