//! The postprocess edit that lets the runtime build a call's request again instead of copying it before
//! every first attempt.
//!
//! A call may be sent more than once (a retry after a 429 or a refused connection, a new token after a
//! 401, a success body that broke off). The runtime used to keep a copy of each request for that — its
//! URL, its headers and a handle on its body: three allocations and ≈ 1.3 k instructions a call, paid by
//! every call although almost none is retried (BENCHMARKS.md). Instead the request builder chain that
//! progenitor writes becomes a closure over the same borrowed parameters, called once for the first
//! attempt and again only when a later attempt is made:
//!
//! | after the other edits, a `send()` has | idprov clients get |
//! |---|---|
//! | `let mut request = client.client.get(url)…build().map_err(F)?;` (or a block whose tail is that) | `let build_request = \|\| -> ::reqwest::Result<::reqwest::Request> { client.client.get(url.as_str())…build() }; let mut request = build_request().map_err(F)?;` |
//! | `.headers(header_map)` in that chain | `.headers(header_map.clone())` (the closure may run twice) |
//! | `client.inner.exec(&client.client, request, info.operation_id)` | `client.inner.exec(&client.client, request, &build_request, info.operation_id)` |
//!
//! `url.as_str()` is parsed as the `String` was (reqwest's `IntoUrl` for both is `Url::parse`), so the
//! first attempt costs what it did; the body is serialized again only for a later attempt.

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Stmt, parse_quote};

/// The closure's name in every `send()`.
const CLOSURE: &str = "build_request";

/// Rewrites every `send()` of `file`; returns how many now hand the runtime a way to build their
/// request again, or what did not match the shape the earlier edits leave.
pub(crate) fn apply(file: &mut syn::File) -> Result<usize, String> {
    let mut pass = Pass::default();
    pass.visit_file_mut(file);
    match pass.error {
        Some(e) => Err(e),
        None => Ok(pass.rebuilt),
    }
}

#[derive(Default)]
struct Pass {
    rebuilt: usize,
    error: Option<String>,
}

impl VisitMut for Pass {
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        if f.sig.ident == "send" && self.error.is_none() {
            let name = crate::calls_return_error::operation_id(&f.block)
                .map_or_else(|| "send()".to_string(), |op| op.value());
            match edit_send(&mut f.block) {
                Ok(true) => self.rebuilt += 1,
                Ok(false) => {}
                Err(e) => self.error = Some(format!("{name}: {e}")),
            }
        }
        visit_mut::visit_impl_item_fn_mut(self, f);
    }
}

/// The edit of one `send()` body; `false` for a body that sends nothing (neither builds a request nor
/// calls `exec`: nothing to edit).
fn edit_send(block: &mut syn::Block) -> Result<bool, String> {
    if !block.stmts.iter().any(is_request_binding) && !names_ident(block, "exec") {
        return Ok(false);
    }
    if names_ident(block, CLOSURE) {
        return Err(format!(
            "`{CLOSURE}` is already a name in send(); the edit would shadow it"
        ));
    }
    let at = block
        .stmts
        .iter()
        .position(is_request_binding)
        .ok_or("no `let mut request = ..;` in send()")?;
    let Stmt::Local(local) = &mut block.stmts[at] else {
        return Err("the request binding is not a `let`".into());
    };
    let init = local
        .init
        .as_mut()
        .ok_or("`let mut request` has no value")?;
    let (mut build, map_err) = split_build(&init.expr)?;
    ChainForRebuild::default().apply(&mut build)?;
    let closure = syn::Ident::new(CLOSURE, proc_macro2::Span::call_site());
    *init.expr = parse_quote!(#closure().map_err(#map_err)?);
    let define: Stmt = parse_quote! {
        let #closure = || -> ::reqwest::Result<::reqwest::Request> { #build };
    };
    block.stmts.insert(at, define);
    let mut exec = ExecCall { closure, found: 0 };
    exec.visit_block_mut(block);
    match exec.found {
        1 => Ok(true),
        n => Err(format!(
            "expected one `client.inner.exec(&client.client, request, info.operation_id)`, found {n}"
        )),
    }
}

/// `let mut request = ..;`
fn is_request_binding(stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::Local(local)
        if matches!(&local.pat, syn::Pat::Ident(p) if p.ident == "request" && p.mutability.is_some()))
}

/// Whether `ident` appears anywhere in `block`.
fn names_ident(block: &syn::Block, ident: &str) -> bool {
    struct Find<'s>(&'s str, bool);
    impl<'ast> syn::visit::Visit<'ast> for Find<'_> {
        fn visit_ident(&mut self, i: &'ast syn::Ident) {
            if i == self.0 {
                self.1 = true;
            }
        }
    }
    let mut find = Find(ident, false);
    syn::visit::Visit::visit_block(&mut find, block);
    find.1
}

/// `X.build().map_err(F)?` → (`X.build()`, `F`); a block `{ ..; X.build().map_err(F)? }` → (the block
/// ending in `X.build()`, `F`).
fn split_build(expr: &Expr) -> Result<(Expr, Expr), String> {
    fn tail(expr: &Expr) -> Option<(Expr, Expr)> {
        let Expr::Try(tried) = expr else { return None };
        let Expr::MethodCall(map_err) = tried.expr.as_ref() else {
            return None;
        };
        if map_err.method != "map_err" || map_err.args.len() != 1 {
            return None;
        }
        match map_err.receiver.as_ref() {
            Expr::MethodCall(build) if build.method == "build" && build.args.is_empty() => {
                Some((map_err.receiver.as_ref().clone(), map_err.args[0].clone()))
            }
            _ => None,
        }
    }
    if let Some(found) = tail(expr) {
        return Ok(found);
    }
    if let Expr::Block(block) = expr
        && let Some(Stmt::Expr(last, None)) = block.block.stmts.last()
        && let Some((build, map_err)) = tail(last)
    {
        let mut block = block.clone();
        if let Some(Stmt::Expr(last, None)) = block.block.stmts.last_mut() {
            *last = build;
        }
        return Ok((Expr::Block(block), map_err));
    }
    Err(
        "the request is not built by `...build().map_err(..)?` (progenitor's output changed)"
            .into(),
    )
}

/// Makes the builder chain callable more than once: the URL is borrowed, the header map cloned.
#[derive(Default)]
struct ChainForRebuild {
    urls: usize,
}

impl ChainForRebuild {
    fn apply(mut self, build: &mut Expr) -> Result<(), String> {
        self.visit_expr_mut(build);
        match self.urls {
            1 => Ok(()),
            n => Err(format!(
                "expected one `client.client.<method>(url)` in the request chain, found {n}"
            )),
        }
    }
}

impl VisitMut for ChainForRebuild {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        visit_mut::visit_expr_method_call_mut(self, call);
        let only_arg_is = |call: &syn::ExprMethodCall, name: &str| {
            call.args.len() == 1 && matches!(&call.args[0], Expr::Path(p) if p.path.is_ident(name))
        };
        let on_http_client = matches!(call.receiver.as_ref(), Expr::Field(f)
            if matches!(&f.member, syn::Member::Named(m) if m == "client")
                && matches!(f.base.as_ref(), Expr::Path(p) if p.path.is_ident("client")));
        if on_http_client && only_arg_is(call, "url") {
            call.args[0] = parse_quote!(url.as_str());
            self.urls += 1;
        } else if call.method == "headers" && only_arg_is(call, "header_map") {
            call.args[0] = parse_quote!(header_map.clone());
        }
    }
}

/// Hands the closure to `exec`.
struct ExecCall {
    closure: syn::Ident,
    found: usize,
}

impl VisitMut for ExecCall {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        visit_mut::visit_expr_method_call_mut(self, call);
        if call.method == "exec" && call.args.len() == 3 {
            let closure = &self.closure;
            call.args.insert(2, parse_quote!(&#closure));
            self.found += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(src: &str) -> Result<(String, usize), String> {
        let mut file: syn::File = syn::parse_str(src).unwrap();
        let n = apply(&mut file)?;
        Ok((prettyplease::unparse(&file).split_whitespace().collect(), n))
    }

    #[test]
    fn a_request_chain_becomes_a_closure_the_runtime_can_call_again() {
        let (out, n) = edit(
            r#"
            impl<'a> Get<'a> {
                pub async fn send(self) -> Result<ResponseValue<T>, ::idprov_runtime::Error> {
                    let url = format!("{}/x", client.baseurl);
                    let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                    #[allow(unused_mut)]
                    let mut request = client.client.post(url).headers(header_map).json(&body).build().map_err(|e| client.inner.build_error("op", e))?;
                    let info = OperationInfo { operation_id: "op" };
                    client.inner.pre(&mut request, info.operation_id).await?;
                    let result = client.inner.exec(&client.client, request, info.operation_id).await;
                    let response = result?;
                }
            }
            "#,
        )
        .unwrap();
        assert_eq!(n, 1);
        for expected in [
            "letbuild_request=||->::reqwest::Result<::reqwest::Request>{client.client.post(url.as_str()).headers(header_map.clone()).json(&body).build()};",
            "letmutrequest=build_request().map_err(|e|client.inner.build_error(\"op\",e))?;",
            "client.inner.exec(&client.client,request,&build_request,info.operation_id)",
        ] {
            assert!(out.contains(expected), "{expected} in {out}");
        }
    }

    #[test]
    fn a_block_that_adds_optional_query_parameters_is_kept_whole_in_the_closure() {
        let (out, _) = edit(
            r#"
            impl<'a> List<'a> {
                pub async fn send(self) -> Result<ResponseValue<T>, ::idprov_runtime::Error> {
                    let url = format!("{}/x", client.baseurl);
                    let mut request = {
                        let mut builder = client.client.get(url);
                        if let Some(value) = &limit {
                            builder = builder.query(&progenitor_client::QueryParam::new("limit", value));
                        }
                        builder.build().map_err(|e| client.inner.build_error("op", e))?
                    };
                    let info = OperationInfo { operation_id: "op" };
                    let result = client.inner.exec(&client.client, request, info.operation_id).await;
                }
            }
            "#,
        )
        .unwrap();
        assert!(
            out.contains("letbuild_request=||->::reqwest::Result<::reqwest::Request>{{letmutbuilder=client.client.get(url.as_str());if"),
            "{out}"
        );
        assert!(out.contains("builder.build()}};"), "{out}");
        assert!(
            out.contains("letmutrequest=build_request().map_err("),
            "{out}"
        );
    }

    #[test]
    fn a_send_of_another_shape_is_an_error_naming_the_operation() {
        let err = edit(
            r#"
            impl<'a> Get<'a> {
                pub async fn send(self) -> Result<ResponseValue<T>, ::idprov_runtime::Error> {
                    let request = client.client.get(url).build()?;
                    let info = OperationInfo { operation_id: "get_thing" };
                    let result = client.inner.exec(&client.client, request, info.operation_id).await;
                }
            }
            "#,
        )
        .unwrap_err();
        assert!(
            err.contains("get_thing") && err.contains("let mut request"),
            "{err}"
        );
    }

    #[test]
    fn a_send_that_builds_no_request_and_calls_no_exec_is_left_alone() {
        let (out, n) = edit(
            r#"
            impl<'a> Get<'a> {
                pub async fn send(self) -> Result<(), ::idprov_runtime::Error> {
                    let Self { client } = self;
                    Ok(())
                }
            }
            "#,
        )
        .unwrap();
        assert_eq!(n, 0);
        assert!(!out.contains("build_request"), "{out}");
    }

    #[test]
    fn a_parameter_named_like_the_closure_is_refused_instead_of_shadowed() {
        let err = edit(
            r#"
            impl<'a> Get<'a> {
                pub async fn send(self) -> Result<ResponseValue<T>, ::idprov_runtime::Error> {
                    let Self { client, build_request } = self;
                    let mut request = client.client.get(url).build().map_err(|e| e)?;
                    let info = OperationInfo { operation_id: "get_thing" };
                    let result = client.inner.exec(&client.client, request, info.operation_id).await;
                }
            }
            "#,
        )
        .unwrap_err();
        assert!(err.contains("shadow"), "{err}");
    }
}
