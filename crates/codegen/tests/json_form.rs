//! The JSON form (what a client crate's build script reads, `crates/<api>/<api>.json`) generates exactly
//! what the YAML spec generates (client and mocks, header included), and the committed JSON forms are the
//! current ones (`cargo xtask codegen --check` says the same; this names the file in `cargo test`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly on unexpected values"
)]

mod common;

use std::path::Path;

use idprov_codegen::{Layout, Options, json_form};

#[test]
fn the_json_form_generates_what_the_yaml_generates() {
    let specs = common::specs();
    assert!(specs.len() >= 5, "specs not found: {specs:?}");
    for spec in &specs {
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        let yaml = std::fs::read_to_string(spec).unwrap();
        let json = json_form::from_yaml(&name, &yaml).unwrap_or_else(|e| panic!("{name}: {e}"));
        let options = Options::with_mock().with_layout(Layout::Tokens);
        let from_yaml = idprov_codegen::generate_str_with(&name, &yaml, &options).unwrap();
        let from_json =
            idprov_codegen::generate_json_with(&name, yaml.as_bytes(), &json, &options).unwrap();
        assert_eq!(
            from_json.spec_sha256,
            idprov_codegen::sha256_hex(yaml.as_bytes())
        );
        assert!(
            from_json.source == from_yaml.source,
            "{name}: client differs"
        );
        assert!(
            from_json.mock.map(|m| m.source) == from_yaml.mock.map(|m| m.source),
            "{name}: mocks differ"
        );
    }
}

#[test]
fn every_client_crate_has_the_current_json_form() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for spec in common::specs() {
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        let stem = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let crate_dir = root.join("crates").join(&stem);
        if !crate_dir.is_dir() {
            continue;
        }
        let path = crate_dir.join(json_form::file_name(&name));
        let on_disk = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run `cargo xtask codegen`)", path.display()));
        let yaml = std::fs::read_to_string(&spec).unwrap();
        assert!(
            on_disk == json_form::from_yaml(&name, &yaml).unwrap(),
            "{} is stale: run `cargo xtask codegen`",
            path.display()
        );
    }
}
