//! How the generated source is laid out as text: formatted for people, or the token stream's own text for the
//! compiler.
//!
//! The xtask snapshots, which people review, are [`Layout::Formatted`] (prettyplease, behind this crate's
//! `review` feature). A client crate's build.rs writes [`Layout::Tokens`]: nobody reads `$OUT_DIR`, and
//! leaving prettyplease out of the build script takes its compilation and its unoptimised formatting pass
//! out of every user's first build. Both layouts hold the same tokens, so the snapshot still shows exactly
//! what the crate compiles.

use crate::CodegenError;

/// The text layout of the generated source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Layout {
    /// Formatted by prettyplease, for people (needs this crate's `review` feature, on by default).
    #[default]
    Formatted,
    /// The token stream printed as it is (one long line after the header), for the compiler.
    Tokens,
}

/// The text of `file` in `layout`.
pub(crate) fn render(file: &syn::File, layout: Layout) -> Result<String, CodegenError> {
    match layout {
        Layout::Formatted => formatted(file),
        Layout::Tokens => {
            let mut text = quote::ToTokens::to_token_stream(file).to_string();
            text.push('\n');
            Ok(text)
        }
    }
}

#[cfg(feature = "review")]
fn formatted(file: &syn::File) -> Result<String, CodegenError> {
    Ok(prettyplease::unparse(file))
}

#[cfg(not(feature = "review"))]
fn formatted(_: &syn::File) -> Result<String, CodegenError> {
    Err(CodegenError::Internal {
        what: "layout: Layout::Formatted needs idprov-codegen's `review` feature; enable it or ask for \
               Layout::Tokens"
            .into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> syn::File {
        syn::parse_quote! {
            /// A widget.
            pub struct Widget { pub name: String }
            impl Widget { pub fn new(name: String) -> Self { Self { name } } }
        }
    }

    #[test]
    fn tokens_layout_prints_the_tokens_unformatted_and_reparses_to_the_same_file() {
        let file = file();
        let text = render(&file, Layout::Tokens).unwrap_or_default();
        assert_eq!(text.lines().count(), 1, "not one line: {text}");
        let again: syn::File = syn::parse_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        assert_eq!(tokens(&again), tokens(&file));
    }

    fn tokens(file: &syn::File) -> String {
        quote::ToTokens::to_token_stream(file).to_string()
    }

    #[cfg(feature = "review")]
    #[test]
    fn formatted_layout_is_the_tokens_layout_formatted_by_prettyplease() {
        let file = file();
        let text = render(&file, Layout::Formatted).unwrap_or_default();
        assert!(text.lines().count() > 3, "not formatted: {text}");
        let tokens_text = render(&file, Layout::Tokens).unwrap_or_default();
        let again: syn::File =
            syn::parse_str(&tokens_text).unwrap_or_else(|e| panic!("{e}: {tokens_text}"));
        assert_eq!(prettyplease::unparse(&again), text);
    }

    #[cfg(not(feature = "review"))]
    #[test]
    fn formatted_layout_without_the_review_feature_is_refused_naming_the_feature() {
        let err = render(&file(), Layout::Formatted)
            .err()
            .map(|e| e.to_string());
        assert!(
            err.as_deref()
                .is_some_and(|e| e.contains("`review` feature")),
            "{err:?}"
        );
    }
}
