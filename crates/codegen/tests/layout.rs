//! The build scripts' layout ([`Layout::Tokens`]) holds the same code as the formatted source the xtask
//! snapshots show ([`Layout::Formatted`]): the same header, and the build script's code formatted by
//! prettyplease is the snapshot's code byte for byte, for the client and its mocks, for every spec.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly on unexpected values"
)]

mod common;

use idprov_codegen::{Layout, Options};

/// The `//` header lines and the code after them (the blank line between them dropped).
fn split(source: &str) -> (String, &str) {
    let header: String = source
        .lines()
        .take_while(|l| l.starts_with("//"))
        .map(|l| format!("{l}\n"))
        .collect();
    let code = source[header.len()..].trim_start_matches('\n');
    (header, code)
}

/// `code` parsed and formatted by prettyplease.
fn reformatted(what: &str, code: &str) -> String {
    let file: syn::File =
        syn::parse_str(code).unwrap_or_else(|e| panic!("{what}: does not parse: {e}"));
    prettyplease::unparse(&file)
}

fn assert_same_code(what: &str, formatted: &str, tokens_layout: &str) {
    let (formatted_header, formatted_code) = split(formatted);
    let (tokens_header, tokens_code) = split(tokens_layout);
    assert!(formatted_header.contains("@generated"), "{what}: no header");
    assert_eq!(
        formatted_header, tokens_header,
        "{what}: the headers differ"
    );
    assert!(
        formatted_code.trim().lines().count() > 100,
        "{what}: the formatted source is not formatted"
    );
    assert_eq!(
        tokens_code.trim().lines().count(),
        1,
        "{what}: the tokens layout is not the token stream's own text"
    );
    assert!(
        reformatted(what, tokens_code) == formatted_code,
        "{what}: the build script's code, formatted, is not the snapshot's code"
    );
}

#[test]
fn the_build_scripts_unformatted_source_formatted_is_the_snapshots_source() {
    let specs = common::specs();
    assert!(specs.len() >= 5, "specs not found: {specs:?}");
    for spec in &specs {
        let what = spec.display().to_string();
        let formatted = idprov_codegen::generate_file_with(spec, &Options::with_mock())
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let unformatted = idprov_codegen::generate_file_with(
            spec,
            &Options::with_mock().with_layout(Layout::Tokens),
        )
        .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_same_code(&what, &formatted.source, &unformatted.source);
        let (Some(formatted_mock), Some(unformatted_mock)) = (&formatted.mock, &unformatted.mock)
        else {
            panic!("{what}: no mock source");
        };
        assert_same_code(
            &format!("{what} (mock)"),
            &formatted_mock.source,
            &unformatted_mock.source,
        );
    }
}
