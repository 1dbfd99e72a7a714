//! The postprocess edit that hides progenitor's `Client::new(baseurl, inner)` and
//! `Client::new_with_client(baseurl, client, inner)` from the rendered docs: they take the runtime's hidden
//! `Runtime`, and users build a client with `Client::from_env` or `Client::with_config` (which call
//! `new_with_client` themselves).

use syn::{ImplItem, Item, parse_quote};

/// Marks `Client::new` and `Client::new_with_client` `#[doc(hidden)]`; returns how many it marked.
pub(crate) fn apply(file: &mut syn::File) -> usize {
    let mut hidden = 0;
    for item in &mut file.items {
        let Item::Impl(imp) = item else { continue };
        let is_client = imp.trait_.is_none()
            && matches!(imp.self_ty.as_ref(), syn::Type::Path(p) if p.path.is_ident("Client"));
        if !is_client {
            continue;
        }
        for impl_item in &mut imp.items {
            let ImplItem::Fn(f) = impl_item else { continue };
            if f.sig.ident == "new" || f.sig.ident == "new_with_client" {
                f.attrs.push(parse_quote!(#[doc(hidden)]));
                hidden += 1;
            }
        }
    }
    hidden
}

#[cfg(test)]
mod tests {
    #[test]
    fn client_constructors_are_hidden_and_operations_are_not() {
        let mut file: syn::File = syn::parse_str(
            "impl Client { pub fn new(b: &str) -> Self { todo!() } pub fn new_with_client(b: &str) -> Self { todo!() } pub fn list(&self) {} }",
        )
        .unwrap();
        assert_eq!(super::apply(&mut file), 2);
        let out = prettyplease::unparse(&file);
        assert_eq!(out.matches("#[doc(hidden)]").count(), 2, "{out}");
        assert!(!out.contains("#[doc(hidden)]\n    pub fn list"), "{out}");
    }
}
