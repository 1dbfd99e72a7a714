//! The postprocess edit that documents every builder setter progenitor and typify generate without docs:
//!
//! - an operation builder's setter (`builder::ListAutomationIdentities::tenant_id`) gets the spec's
//!   description of that parameter, which progenitor writes only into the `Client` method's "Arguments"
//!   list;
//! - a type builder's setter (`types::builder::CreateAutomationIdentityRequest::name`) gets the doc comment
//!   of the struct field it sets (the spec's property description);
//! - a setter the spec says nothing about gets a one-line doc naming what it sets.

use std::collections::HashMap;

use syn::visit_mut::VisitMut;
use syn::{Attribute, ImplItem, Item, parse_quote};

/// Documents the setters in `file`; returns how many setters got a doc comment.
pub(crate) fn apply(file: &mut syn::File) -> usize {
    let arguments = operation_arguments(file);
    let field_docs = field_docs(file);
    let mut pass = Pass {
        arguments,
        field_docs,
        documented: 0,
        in_types: false,
    };
    pass.visit_file_mut(file);
    pass.documented
}

struct Pass {
    /// Operation builder name → parameter → description.
    arguments: HashMap<String, HashMap<String, String>>,
    /// Struct name → field → doc attributes.
    field_docs: HashMap<String, HashMap<String, Vec<Attribute>>>,
    documented: usize,
    /// Whether the visit is inside `mod types`.
    in_types: bool,
}

impl VisitMut for Pass {
    fn visit_item_mod_mut(&mut self, m: &mut syn::ItemMod) {
        let outer = self.in_types;
        if m.ident == "types" {
            self.in_types = true;
        }
        syn::visit_mut::visit_item_mod_mut(self, m);
        self.in_types = outer;
    }

    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        let Some(name) = self_name(item) else {
            return;
        };
        let is_builder_impl = item.trait_.is_none();
        if !is_builder_impl {
            return;
        }
        for impl_item in item.items.iter_mut() {
            let ImplItem::Fn(f) = impl_item else { continue };
            if has_doc(&f.attrs) || !is_setter(&f.sig) {
                continue;
            }
            let setter = f.sig.ident.to_string();
            let docs: Vec<Attribute> = if self.in_types {
                match self
                    .field_docs
                    .get(&name)
                    .and_then(|fields| fields.get(&setter))
                {
                    Some(attrs) if !attrs.is_empty() => attrs.clone(),
                    _ => vec![generic_doc(&setter)],
                }
            } else {
                match self.arguments.get(&name).and_then(|args| args.get(&setter)) {
                    Some(text) => {
                        let text = format!(" {text}");
                        vec![parse_quote!(#[doc = #text])]
                    }
                    None => vec![generic_doc(&setter)],
                }
            };
            f.attrs.splice(0..0, docs);
            self.documented += 1;
        }
    }
}

fn generic_doc(setter: &str) -> Attribute {
    let text = if setter == "body" {
        " Sets the request body (a value, or its builder).".to_string()
    } else if setter == "body_map" {
        " Changes the request body's builder in place.".to_string()
    } else {
        format!(" Sets `{setter}`.")
    };
    parse_quote!(#[doc = #text])
}

/// A builder setter: `fn name<V>(mut self, value: V) -> Self` (or `body_map(mut self, f: F)`).
fn is_setter(sig: &syn::Signature) -> bool {
    let by_value_self = matches!(
        sig.inputs.first(),
        Some(syn::FnArg::Receiver(r)) if matches!(r.kind, syn::ReceiverKind::Value)
    );
    let returns_self = matches!(&sig.output, syn::ReturnType::Type(_, ty) if matches!(ty.as_ref(), syn::Type::Path(p) if p.path.is_ident("Self")));
    by_value_self && returns_self && sig.inputs.len() == 2 && sig.ident != "new"
}

fn has_doc(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("doc"))
}

fn self_name(item: &syn::ItemImpl) -> Option<String> {
    match item.self_ty.as_ref() {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The text of an item's doc attributes, joined by newlines.
fn doc_text(attrs: &[Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// From each `Client` method returning `builder::X<'_>`, the "Arguments:" list of its doc: `X` →
/// parameter → description (continuation lines joined).
fn operation_arguments(file: &syn::File) -> HashMap<String, HashMap<String, String>> {
    let mut out = HashMap::new();
    for item in &file.items {
        let Item::Impl(imp) = item else { continue };
        if self_name(imp).as_deref() != Some("Client") || imp.trait_.is_some() {
            continue;
        }
        for impl_item in &imp.items {
            let ImplItem::Fn(f) = impl_item else { continue };
            let syn::ReturnType::Type(_, ty) = &f.sig.output else {
                continue;
            };
            let syn::Type::Path(p) = ty.as_ref() else {
                continue;
            };
            let Some(builder) = p.path.segments.last().map(|s| s.ident.to_string()) else {
                continue;
            };
            out.insert(builder, parse_arguments(&doc_text(&f.attrs)));
        }
    }
    out
}

/// `- `name`: text` items of an "Arguments:" list, up to the example block.
fn parse_arguments(doc: &str) -> HashMap<String, String> {
    let mut args = HashMap::new();
    let Some((_, list)) = doc.split_once("Arguments:") else {
        return args;
    };
    let list = list.split("```").next().unwrap_or("");
    let mut current: Option<(String, String)> = None;
    for line in list.lines() {
        if let Some(rest) = line.strip_prefix("- `")
            && let Some((name, text)) = rest.split_once("`:")
        {
            if let Some((n, t)) = current.take() {
                args.insert(n, t.trim().to_string());
            }
            current = Some((name.to_string(), text.trim().to_string()));
        } else if let Some((_, text)) = current.as_mut()
            && !line.trim().is_empty()
        {
            text.push(' ');
            text.push_str(line.trim());
        }
    }
    if let Some((n, t)) = current {
        args.insert(n, t.trim().to_string());
    }
    args
}

/// Every struct in `mod types`: field → its doc attributes.
fn field_docs(file: &syn::File) -> HashMap<String, HashMap<String, Vec<Attribute>>> {
    let mut out = HashMap::new();
    for item in &file.items {
        let Item::Mod(m) = item else { continue };
        if m.ident != "types" {
            continue;
        }
        for inner in m.content.iter().flat_map(|(_, items)| items) {
            let Item::Struct(s) = inner else { continue };
            let fields = s
                .fields
                .iter()
                .filter_map(|f| {
                    let name = f.ident.as_ref()?.to_string();
                    let docs: Vec<Attribute> = f
                        .attrs
                        .iter()
                        .filter(|a| a.path().is_ident("doc"))
                        .cloned()
                        .collect();
                    Some((name, docs))
                })
                .collect();
            out.insert(s.ident.to_string(), fields);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setters_get_the_parameter_or_field_description_or_a_line_naming_them() {
        let mut file: syn::File = syn::parse_str(
            r#"
            pub mod types {
                pub struct Req {
                    ///The name shown to people.
                    pub name: String,
                    pub size: i64,
                }
                pub mod builder {
                    impl Req {
                        pub fn name<T>(mut self, value: T) -> Self { self }
                        pub fn size<T>(mut self, value: T) -> Self { self }
                    }
                }
            }
            impl Client {
                /**List things

Arguments:
- `tenant_id`: Tenant identifier,
on two lines.
- `limit`: At most this many.
```ignore
let response = client.list_things().send().await;
```*/
                pub fn list_things(&self) -> builder::ListThings<'_> { builder::ListThings::new(self) }
            }
            pub mod builder {
                impl<'a> ListThings<'a> {
                    pub fn new(client: &'a super::Client) -> Self { todo!() }
                    pub fn tenant_id<V>(mut self, value: V) -> Self { self }
                    pub fn limit<V>(mut self, value: V) -> Self { self }
                    pub fn extra<V>(mut self, value: V) -> Self { self }
                    pub async fn send(self) -> Result<(), ()> { Ok(()) }
                }
            }
            "#,
        )
        .unwrap();
        assert_eq!(apply(&mut file), 5);
        let out = prettyplease::unparse(&file);
        for expected in [
            "/// Tenant identifier, on two lines.\n                pub fn tenant_id",
            "/// At most this many.\n                pub fn limit",
            "/// Sets `extra`.\n                pub fn extra",
            "///The name shown to people.\n                pub fn name",
            "/// Sets `size`.\n                pub fn size",
        ] {
            let squashed_out: String = out.split_whitespace().collect();
            let squashed: String = expected.split_whitespace().collect();
            assert!(squashed_out.contains(&squashed), "{expected}\n{out}");
        }
        assert!(!out.contains("/// Sets `new`"), "{out}");
        assert!(!out.contains("/// Sets `send`"), "{out}");
    }
}
