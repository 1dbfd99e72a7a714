//! The postprocess edit that makes every generated call return `idprov_runtime::Error` instead of
//! progenitor's `Error<()>`, with the runtime called directly instead of through progenitor's hooks (whose
//! only failure channel is `Error::Custom(String)`):
//!
//! | progenitor 0.15.1 writes, in each builder's `send()` | idprov clients get |
//! |---|---|
//! | `-> Result<ResponseValue<T>, Error<()>>` | `-> Result<ResponseValue<T>, ::idprov_runtime::Error>` |
//! | `Error::InvalidRequest(msg)` (a parameter or body refused) | `client.inner.refused("op", msg)` |
//! | `.build()?` | `.build().map_err(\|e\| client.inner.build_error("op", e))?` |
//! | `client.pre(&mut request, &info).await?` | `client.inner.pre(&mut request, info.operation_id).await?` |
//! | `client.exec(request, &info).await` | `client.inner.exec(&client.client, request, info.operation_id).await` |
//! | `client.post(&result, &info).await?;` | nothing (success bodies are read by the runtime's decoder) |
//! | `Err(Error::UnexpectedResponse(response))` | `Err(client.inner.unexpected_response(response, info.operation_id))` |
//!
//! and outside `send()`: progenitor's `Error` is no longer imported or re-exported, and the assertion that
//! `Client` implements `ClientHooks` is removed (nothing calls the hooks).

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Stmt, parse_quote};

use crate::postprocess::path_ends_with;

/// Rewrites `file`; returns how many `send()` functions now return idprov's error, or what did not match
/// progenitor's usual shape.
pub(crate) fn apply(file: &mut syn::File) -> Result<usize, String> {
    let mut pass = Pass::default();
    pass.visit_file_mut(file);
    file.items.retain(|item| !is_client_hooks_assertion(item));
    match pass.error {
        Some(e) => Err(e),
        None => Ok(pass.sends),
    }
}

/// The forms that must be gone afterwards (as `quote!` prints them).
pub(crate) const LEFTOVERS: &[&str] = &[
    "Error :: InvalidRequest",
    "Error :: UnexpectedResponse",
    "Error < () >",
    "client . pre (",
    "client . exec (",
    "client . post (& result",
    "assert_client_hooks",
];

#[derive(Default)]
struct Pass {
    sends: usize,
    error: Option<String>,
}

impl VisitMut for Pass {
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        if f.sig.ident == "send" {
            match operation_id(&f.block) {
                Some(op) => {
                    if let syn::ReturnType::Type(_, ty) = &mut f.sig.output {
                        ErrorType.visit_type_mut(ty);
                    }
                    f.block.stmts.retain(|s| !is_post_hook(s));
                    Send { op }.visit_block_mut(&mut f.block);
                    self.sends += 1;
                }
                None => {
                    self.error = Some(format!(
                        "a send() without `OperationInfo {{ operation_id: \"..\" }}`: {}",
                        f.sig.ident
                    ))
                }
            }
        }
        visit_mut::visit_impl_item_fn_mut(self, f);
    }

    fn visit_use_tree_mut(&mut self, tree: &mut syn::UseTree) {
        if let syn::UseTree::Group(group) = tree {
            let kept: syn::punctuated::Punctuated<syn::UseTree, syn::Token![,]> = group
                .items
                .iter()
                .filter(|t| !matches!(t, syn::UseTree::Name(n) if n.ident == "Error"))
                .cloned()
                .collect();
            group.items = kept;
        }
        visit_mut::visit_use_tree_mut(self, tree);
    }
}

/// The operation id of a `send()`: the string of its `OperationInfo { operation_id: "..." }`.
pub(crate) fn operation_id(block: &syn::Block) -> Option<syn::LitStr> {
    struct Find(Option<syn::LitStr>);
    impl<'ast> syn::visit::Visit<'ast> for Find {
        fn visit_expr_struct(&mut self, lit: &'ast syn::ExprStruct) {
            if lit.path.is_ident("OperationInfo") {
                for field in &lit.fields {
                    if let syn::Member::Named(name) = &field.member
                        && name == "operation_id"
                        && let Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(s),
                            ..
                        }) = &field.expr
                    {
                        self.0 = Some(s.clone());
                    }
                }
            }
            syn::visit::visit_expr_struct(self, lit);
        }
    }
    let mut find = Find(None);
    syn::visit::Visit::visit_block(&mut find, block);
    find.0
}

/// `Error<()>` → `::idprov_runtime::Error`.
struct ErrorType;

impl VisitMut for ErrorType {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if let syn::Type::Path(p) = ty
            && p.qself.is_none()
            && p.path.segments.len() == 1
            && p.path.segments[0].ident == "Error"
        {
            *ty = parse_quote!(::idprov_runtime::Error);
            return;
        }
        visit_mut::visit_type_mut(self, ty);
    }
}

/// `client.post(&result, &info).await?;`
fn is_post_hook(stmt: &Stmt) -> bool {
    let Stmt::Expr(Expr::Try(tried), Some(_)) = stmt else {
        return false;
    };
    let Expr::Await(awaited) = tried.expr.as_ref() else {
        return false;
    };
    matches!(awaited.base.as_ref(), Expr::MethodCall(call) if call.method == "post" && is_client(&call.receiver))
}

fn is_client(expr: &Expr) -> bool {
    matches!(expr, Expr::Path(p) if p.path.is_ident("client"))
}

/// The rewrites inside one `send()`.
struct Send {
    op: syn::LitStr,
}

impl VisitMut for Send {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        let op = self.op.clone();
        // Calls of progenitor's error constructors first, before their callee (a path) is visited.
        if let Expr::Call(call) = expr
            && let Some(arg) = call.args.first()
        {
            if path_ends_with(&call.func, &["Error", "InvalidRequest"]) {
                *expr = parse_quote!(client.inner.refused(#op, #arg));
            } else if path_ends_with(&call.func, &["Error", "UnexpectedResponse"]) {
                *expr = parse_quote!(client.inner.unexpected_response(#arg, info.operation_id));
            }
        }
        visit_mut::visit_expr_mut(self, expr);
        match expr {
            Expr::Path(_) if path_ends_with(expr, &["Error", "InvalidRequest"]) => {
                *expr = parse_quote!(|e| client.inner.refused(#op, e));
            }
            Expr::Try(tried) => {
                if let Expr::MethodCall(call) = tried.expr.as_ref()
                    && call.method == "build"
                    && call.args.is_empty()
                {
                    let inner = tried.expr.clone();
                    *expr = parse_quote!(#inner.map_err(|e| client.inner.build_error(#op, e))?);
                }
            }
            Expr::MethodCall(call) if is_client(&call.receiver) && call.method == "pre" => {
                if let Some(request) = call.args.first() {
                    *expr = parse_quote!(client.inner.pre(#request, info.operation_id));
                }
            }
            Expr::MethodCall(call) if is_client(&call.receiver) && call.method == "exec" => {
                if let Some(request) = call.args.first() {
                    *expr = parse_quote!(
                        client.inner.exec(&client.client, #request, info.operation_id)
                    );
                }
            }
            _ => {}
        }
    }
}

/// `const _: () = { fn assert_client_hooks() where Client: ClientHooks<..> {} };`
fn is_client_hooks_assertion(item: &syn::Item) -> bool {
    let syn::Item::Const(c) = item else {
        return false;
    };
    let Expr::Block(block) = c.expr.as_ref() else {
        return false;
    };
    block
        .block
        .stmts
        .iter()
        .any(|s| matches!(s, Stmt::Item(syn::Item::Fn(f)) if f.sig.ident == "assert_client_hooks"))
}
