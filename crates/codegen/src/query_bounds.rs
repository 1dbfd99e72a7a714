//! The postprocess edit that checks integer query parameters against their documented bounds in
//! `send()`, on the typed values, before the URL is written.
//!
//! progenitor 0.15.1 does not check a parameter's `minimum` / `maximum`. The operation table lists them
//! ([`crate::operations::OperationEntry::integer_bounds`]); for each, the call's `send()` gets a line before
//! its `let url = format!(..)`:
//!
//! | progenitor 0.15.1 writes, in a `send()` | idprov clients get, before `let url` |
//! |---|---|
//! | `.query(&progenitor_client::QueryParam::new("limit", &limit))` (no check) | `::idprov_runtime::__private::check_integer_bound("limit", &limit, Some(0i64), Some(250i64)).map_err(\|e\| client.inner.refused("op", e))?;` |
//!
//! The parameter's field is the one progenitor passes to that `QueryParam` (its Rust name may differ
//! from the spec's). Checking the value itself costs a comparison; the runtime used to find it again by
//! reading the request's query before every call of the operation.

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Stmt, parse_quote};

use crate::operations::OperationEntry;

/// Inserts the bound checks of every operation of `table` that has integer bounds; returns how many,
/// or what did not match progenitor's usual shape (a bounded parameter whose `.query(..)` is not found).
pub(crate) fn apply(file: &mut syn::File, table: &[OperationEntry]) -> Result<usize, String> {
    let mut pass = Pass {
        table,
        checks: 0,
        done: Vec::new(),
        error: None,
    };
    pass.visit_file_mut(file);
    if let Some(e) = pass.error {
        return Err(e);
    }
    let missing = crate::postprocess::not_done(table, |e| !e.integer_bounds.is_empty(), &pass.done);
    if !missing.is_empty() {
        return Err(format!(
            "operations {missing:?} have integer query bounds but no send() to check them in; progenitor's output changed"
        ));
    }
    Ok(pass.checks)
}

struct Pass<'t> {
    table: &'t [OperationEntry],
    checks: usize,
    done: Vec<String>,
    error: Option<String>,
}

impl VisitMut for Pass<'_> {
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        if let Some((op, entry)) =
            crate::postprocess::send_entry(f, self.table, |e| !e.integer_bounds.is_empty())
        {
            match checks(&f.block, entry, &op) {
                Ok(checks) => match f
                    .block
                    .stmts
                    .iter()
                    .position(crate::postprocess::is_url_format)
                {
                    Some(at) => {
                        self.checks += checks.len();
                        self.done.push(entry.operation_id.clone());
                        f.block.stmts.splice(at..at, checks);
                    }
                    None => {
                        self.error = Some(format!(
                            "{}: send() has no `let url = format!(..);` to check its query bounds before; progenitor's output changed",
                            entry.operation_id
                        ));
                    }
                },
                Err(e) => self.error = Some(e),
            }
        }
        visit_mut::visit_impl_item_fn_mut(self, f);
    }
}

/// The check statements of `entry`'s bounded parameters, each on the field its `.query(..)` passes.
fn checks(
    block: &syn::Block,
    entry: &OperationEntry,
    op: &syn::LitStr,
) -> Result<Vec<Stmt>, String> {
    let queries = query_fields(block);
    entry
        .integer_bounds
        .iter()
        .map(|(name, min, max)| {
            let field = queries
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, field)| field)
                .ok_or_else(|| {
                    format!(
                        "{}: the bounded query parameter {name:?} has no `.query(&progenitor_client::QueryParam::new({name:?}, &field))` in send(); progenitor's output changed",
                        entry.operation_id
                    )
                })?;
            let bound = |b: &Option<i64>| -> Expr {
                match b {
                    Some(v) => parse_quote!(::std::option::Option::Some(#v)),
                    None => parse_quote!(::std::option::Option::None),
                }
            };
            let (min, max) = (bound(min), bound(max));
            Ok(parse_quote!(
                ::idprov_runtime::__private::check_integer_bound(#name, &#field, #min, #max)
                    .map_err(|e| client.inner.refused(#op, e))?;
            ))
        })
        .collect()
}

/// `(name, field)` of every `.query(&progenitor_client::QueryParam::new("name", &field))` in `block`.
fn query_fields(block: &syn::Block) -> Vec<(String, syn::Ident)> {
    struct Find(Vec<(String, syn::Ident)>);
    impl<'ast> syn::visit::Visit<'ast> for Find {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            if call.method == "query"
                && let Some(q) = crate::set_query_only::query_call(call)
            {
                self.0.push((q.name.value(), q.field));
            }
            syn::visit::visit_expr_method_call(self, call);
        }
    }
    let mut find = Find(Vec::new());
    syn::visit::Visit::visit_block(&mut find, block);
    find.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn entry(bounds: Vec<(&str, Option<i64>, Option<i64>)>) -> OperationEntry {
        OperationEntry {
            operation_id: "list_things".into(),
            method: "GET".into(),
            path: "/things".into(),
            success: vec![200],
            errors: vec![],
            json_response: true,
            fill_headers: vec![],
            integer_bounds: bounds
                .into_iter()
                .map(|(n, min, max)| (n.to_string(), min, max))
                .collect(),
            exclusive_members: vec![],
        }
    }

    const LIST: &str = r#"
        impl<'a> ListThings<'a> {
            pub async fn send(self) -> Result<ResponseValue<()>, ::idprov_runtime::Error> {
                let Self { client, limit, page_offset } = self;
                let limit = limit.map_err(|e| client.inner.refused("list_things", e))?;
                let page_offset = page_offset.map_err(|e| client.inner.refused("list_things", e))?;
                let url = format!("{}/things", client.baseurl,);
                let mut request = client
                    .client
                    .get(url)
                    .query(&progenitor_client::QueryParam::new("limit", &limit))
                    .query(&progenitor_client::QueryParam::new("page-offset", &page_offset))
                    .build()
                    .map_err(|e| client.inner.build_error("list_things", e))?;
                let info = OperationInfo { operation_id: "list_things" };
                todo!()
            }
        }
    "#;

    fn edit(bounds: Vec<(&str, Option<i64>, Option<i64>)>) -> (String, Result<usize, String>) {
        let mut file: syn::File = syn::parse_str(LIST).unwrap();
        let n = apply(&mut file, &[entry(bounds)]);
        (quote!(#file).to_string(), n)
    }

    #[test]
    fn each_bounded_parameter_is_checked_on_its_own_field_before_the_url_is_written() {
        let (out, n) = edit(vec![
            ("limit", Some(1), Some(250)),
            ("page-offset", Some(0), None),
        ]);
        assert_eq!(n, Ok(2));
        let limit = quote!(
            ::idprov_runtime::__private::check_integer_bound(
                "limit",
                &limit,
                ::std::option::Option::Some(1i64),
                ::std::option::Option::Some(250i64)
            )
            .map_err(|e| client.inner.refused("list_things", e))?;
        )
        .to_string();
        // The spec's name `page-offset` is the field `page_offset`.
        let offset = quote!(::idprov_runtime::__private::check_integer_bound(
            "page-offset",
            &page_offset,
            ::std::option::Option::Some(0i64),
            ::std::option::Option::None
        ))
        .to_string();
        let at_url = out.find("let url = format !").unwrap();
        let at_limit = out.find(&limit).expect(&out);
        let at_offset = out.find(&offset).expect(&out);
        assert!(at_limit < at_url && at_offset < at_url, "{out}");
    }

    #[test]
    fn an_operation_without_bounds_is_left_as_it_is() {
        let (out, n) = edit(vec![]);
        assert_eq!(n, Ok(0));
        assert!(!out.contains("check_integer_bound"), "{out}");
    }

    #[test]
    fn a_bounded_parameter_without_its_query_call_is_an_error_naming_it() {
        let (_, n) = edit(vec![("count", Some(0), None)]);
        let e = n.unwrap_err();
        assert!(e.contains("\"count\"") && e.contains("list_things"), "{e}");
    }
}
