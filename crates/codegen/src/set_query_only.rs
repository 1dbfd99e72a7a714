//! The postprocess edit that adds to a request's query only the optional parameters the caller set.
//!
//! progenitor 0.15.1 writes one `.query(&QueryParam::new("name", &value))` per query parameter of the
//! operation into the request builder chain, also for an optional parameter the call leaves `None`. Each
//! of those opens `Url::query_pairs_mut` (the fragment taken and put back, a serializer) and, when nothing
//! was written, sets the query to `None` again: about 450 instructions per unset parameter, paid by every
//! call of a list operation with optional filters (the NERM list has five parameters; BENCHMARKS.md).
//!
//! | progenitor 0.15.1 writes, in a `send()` | idprov clients get |
//! |---|---|
//! | `let mut request = client.client.get(url).header(..).query(&QueryParam::new("a", &a)).query(..)..build()..?;` | `let mut request = { let mut builder = client.client.get(url).header(..); if let Some(value) = &a { builder = builder.query(&QueryParam::new("a", value)); } ..; builder..build()..? };` |
//!
//! A required parameter keeps its unconditional `.query(..)`, in its place: the pairs go on the wire in the
//! same order as before, and an optional parameter that is set is written exactly as before
//! (`QueryParam` of `Some(v)` serializes as `v`).

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Stmt, parse_quote};

/// Rewrites every `send()` of `file` whose request chain has a `.query(..)` of an optional builder field;
/// `fields` is the builder struct -> field -> `T` of its `Result<T, String>` (as tokens). Returns how many
/// `.query(..)` calls are now made only when their parameter is set, or what did not match progenitor's
/// usual shape.
pub(crate) fn apply(
    file: &mut syn::File,
    fields: &std::collections::HashMap<String, std::collections::HashMap<String, String>>,
) -> Result<usize, String> {
    let mut pass = Pass {
        fields,
        current: None,
        made_conditional: 0,
        error: None,
    };
    pass.visit_file_mut(file);
    match pass.error {
        Some(e) => Err(e),
        None => Ok(pass.made_conditional),
    }
}

struct Pass<'f> {
    fields: &'f std::collections::HashMap<String, std::collections::HashMap<String, String>>,
    current: Option<&'f std::collections::HashMap<String, String>>,
    made_conditional: usize,
    error: Option<String>,
}

impl VisitMut for Pass<'_> {
    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        let self_name = match item.self_ty.as_ref() {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        let fields = self.fields;
        let outer = std::mem::replace(&mut self.current, self_name.and_then(|n| fields.get(&n)));
        visit_mut::visit_item_impl_mut(self, item);
        self.current = outer;
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        if f.sig.ident == "send"
            && let Some(fields) = self.current
        {
            for stmt in f.block.stmts.iter_mut() {
                match rewrite_request(stmt, fields) {
                    Ok(n) => self.made_conditional += n,
                    Err(e) => self.error = Some(e),
                }
            }
        }
        visit_mut::visit_impl_item_fn_mut(self, f);
    }
}

/// One `.query(&progenitor_client::QueryParam::new("name", &field))` of a request chain.
pub(crate) struct QueryCall {
    pub(crate) name: syn::LitStr,
    pub(crate) field: syn::Ident,
}

/// Rewrites `stmt` when it is `let mut request = <chain>?;` with a `.query(..)` of an optional field;
/// returns how many `.query(..)` calls became conditional.
fn rewrite_request(
    stmt: &mut Stmt,
    fields: &std::collections::HashMap<String, String>,
) -> Result<usize, String> {
    let Stmt::Local(local) = stmt else {
        return Ok(0);
    };
    if !matches!(&local.pat, syn::Pat::Ident(p) if p.ident == "request") {
        return Ok(0);
    }
    let Some(init) = local.init.as_mut() else {
        return Ok(0);
    };
    let Expr::Try(tried) = init.expr.as_ref() else {
        return Ok(0);
    };
    // The chain, from its receiver out: base, then each method call.
    let mut calls: Vec<syn::ExprMethodCall> = Vec::new();
    let mut at: &Expr = &tried.expr;
    while let Expr::MethodCall(call) = at {
        calls.push(call.clone());
        at = &call.receiver;
    }
    calls.reverse();
    let base = at.clone();
    let is_query = |c: &syn::ExprMethodCall| c.method == "query";
    let Some(first) = calls.iter().position(is_query) else {
        return Ok(0);
    };
    let last = calls.iter().rposition(is_query).unwrap_or(first);
    if calls[first..=last].iter().any(|c| !is_query(c)) {
        return Err(
            "a request chain has other calls between its .query(..) calls; progenitor's output changed"
                .into(),
        );
    }
    let mut queries = Vec::new();
    for call in &calls[first..=last] {
        queries.push(query_call(call).ok_or_else(|| {
            "a .query(..) of a request chain is not `&progenitor_client::QueryParam::new(\"name\", &field)`; progenitor's output changed".to_string()
        })?);
    }
    let optional = |q: &QueryCall| {
        fields
            .get(&q.field.to_string())
            .is_some_and(|ty| is_option(ty))
    };
    if !queries.iter().any(optional) {
        return Ok(0);
    }

    let mut head = base;
    for call in &calls[..first] {
        let mut call = call.clone();
        call.receiver = Box::new(head);
        head = Expr::MethodCall(call);
    }
    let mut stmts: Vec<Stmt> = vec![parse_quote!(let mut builder = #head;)];
    let mut made_conditional = 0;
    for q in &queries {
        let (name, field) = (&q.name, &q.field);
        if optional(q) {
            made_conditional += 1;
            stmts.push(parse_quote!(
                if let Some(value) = &#field {
                    builder = builder.query(&progenitor_client::QueryParam::new(#name, value));
                }
            ));
        } else {
            stmts.push(parse_quote!(
                builder = builder.query(&progenitor_client::QueryParam::new(#name, &#field));
            ));
        }
    }
    let mut tail: Expr = parse_quote!(builder);
    for call in &calls[last + 1..] {
        let mut call = call.clone();
        call.receiver = Box::new(tail);
        tail = Expr::MethodCall(call);
    }
    let mut tried = tried.clone();
    tried.expr = Box::new(tail);
    let finished = Expr::Try(tried);
    *init.expr = parse_quote!({
        #(#stmts)*
        #finished
    });
    Ok(made_conditional)
}

/// `name` and `field` of `.query(&progenitor_client::QueryParam::new("name", &field))`.
pub(crate) fn query_call(call: &syn::ExprMethodCall) -> Option<QueryCall> {
    let [Expr::Reference(arg)] = call.args.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let Expr::Call(new) = arg.expr.as_ref() else {
        return None;
    };
    if !crate::postprocess::path_ends_with(&new.func, &["QueryParam", "new"]) {
        return None;
    }
    let [Expr::Lit(name), Expr::Reference(value)] = new.args.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let syn::Lit::Str(name) = &name.lit else {
        return None;
    };
    let Expr::Path(field) = value.expr.as_ref() else {
        return None;
    };
    Some(QueryCall {
        name: name.clone(),
        field: field.path.get_ident()?.clone(),
    })
}

/// Whether a builder field's `T` (as tokens) is an `Option<..>`.
fn is_option(ty: &str) -> bool {
    match syn::parse_str::<syn::Type>(ty) {
        Ok(syn::Type::Path(p)) => p.path.segments.last().is_some_and(|s| s.ident == "Option"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn edit(src: &str) -> (String, Result<usize, String>) {
        let mut file: syn::File = syn::parse_str(src).unwrap();
        let fields = crate::postprocess::builder_fields(&file);
        let n = apply(&mut file, &fields);
        (quote!(#file).to_string(), n)
    }

    const LIST: &str = r#"
        pub struct ListThings<'a> {
            client: &'a super::Client,
            limit: Result<Option<::std::num::NonZeroU32>, String>,
            tag: Result<Option<::std::vec::Vec<::std::string::String>>, String>,
            workflow_id: Result<::uuid::Uuid, String>,
        }
        impl<'a> ListThings<'a> {
            pub async fn send(self) -> Result<ResponseValue<()>, ::idprov_runtime::Error> {
                let Self { client, limit, tag, workflow_id } = self;
                let url = format!("{}/things", client.baseurl,);
                let mut request = client
                    .client
                    .get(url)
                    .header(ACCEPT, HeaderValue::from_static("application/json"))
                    .query(&progenitor_client::QueryParam::new("limit", &limit))
                    .query(&progenitor_client::QueryParam::new("tag", &tag))
                    .query(&progenitor_client::QueryParam::new("workflow_id", &workflow_id))
                    .headers(header_map)
                    .build()
                    .map_err(|e| client.inner.build_error("list_things", e))?;
                todo!()
            }
        }
    "#;

    #[test]
    fn optional_query_parameters_are_added_only_when_set_and_required_ones_always_in_order() {
        let (out, n) = edit(LIST);
        assert_eq!(n, Ok(2));
        let expected = quote!(
            let mut request = {
                let mut builder = client
                    .client
                    .get(url)
                    .header(ACCEPT, HeaderValue::from_static("application/json"));
                if let Some(value) = &limit {
                    builder = builder.query(&progenitor_client::QueryParam::new("limit", value));
                }
                if let Some(value) = &tag {
                    builder = builder.query(&progenitor_client::QueryParam::new("tag", value));
                }
                builder = builder.query(&progenitor_client::QueryParam::new("workflow_id", &workflow_id));
                builder
                    .headers(header_map)
                    .build()
                    .map_err(|e| client.inner.build_error("list_things", e))?
            };
        )
        .to_string();
        assert!(out.contains(&expected), "{out}");
    }

    #[test]
    fn a_chain_with_only_required_query_parameters_is_left_as_it_is() {
        let src = LIST
            .replace(
                "Result<Option<::std::num::NonZeroU32>, String>",
                "Result<u32, String>",
            )
            .replace(
                "Result<Option<::std::vec::Vec<::std::string::String>>, String>",
                "Result<::std::vec::Vec<::std::string::String>, String>",
            );
        let (out, n) = edit(&src);
        assert_eq!(n, Ok(0));
        assert!(
            out.contains(
                ". query (& progenitor_client :: QueryParam :: new (\"limit\" , & limit))"
            )
        );
        assert!(!out.contains("let mut builder"));
    }

    #[test]
    fn a_query_call_of_another_shape_is_an_error_not_left_unconditional() {
        let src = LIST.replace(
            "&progenitor_client::QueryParam::new(\"tag\", &tag)",
            "&(\"tag\", &tag)",
        );
        let (_, n) = edit(&src);
        assert!(
            n.unwrap_err()
                .contains("not `&progenitor_client::QueryParam::new")
        );
    }

    #[test]
    fn another_call_between_query_calls_is_an_error() {
        let src = LIST.replace(
            ".query(&progenitor_client::QueryParam::new(\"tag\", &tag))",
            ".header(X, Y).query(&progenitor_client::QueryParam::new(\"tag\", &tag))",
        );
        let (_, n) = edit(&src);
        assert!(n.unwrap_err().contains("other calls between"));
    }
}
