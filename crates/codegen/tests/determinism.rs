//! Generation is deterministic: the same spec gives the same bytes, every time, on every thread (hash maps
//! get a fresh random seed per map and per thread, so an iteration-order dependence would show here).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on unexpected values"
)]

mod common;

use std::path::{Path, PathBuf};

fn specs() -> Vec<PathBuf> {
    let mut out = common::specs();
    out.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid.yaml"));
    out.sort();
    out
}

/// The generated source and the surface summary of `spec`.
fn generate(spec: &Path) -> (String, String) {
    match idprov_codegen::generate_file(spec) {
        Ok(g) => {
            let surface = idprov_codegen::surface::summarize(&g)
                .unwrap_or_else(|e| format!("surface error: {e}"));
            (g.source, surface)
        }
        Err(e) => (format!("generation error: {e}"), String::new()),
    }
}

#[test]
fn generating_twice_gives_identical_bytes() {
    let specs = specs();
    assert!(specs.len() > 1, "no specs found");
    for spec in &specs {
        let first = generate(spec);
        assert!(
            !first.0.starts_with("generation error"),
            "{}: {}",
            spec.display(),
            first.0
        );
        let second = generate(spec);
        let spec_for_thread = spec.clone();
        let third = std::thread::spawn(move || generate(&spec_for_thread))
            .join()
            .unwrap_or_default();
        assert!(
            first.0 == second.0,
            "{}: the generated source differs between two runs",
            spec.display()
        );
        assert!(
            first.0 == third.0,
            "{}: the generated source differs on another thread",
            spec.display()
        );
        assert!(
            first.1 == second.1 && first.1 == third.1,
            "{}: the surface summary differs",
            spec.display()
        );
    }
}

#[test]
fn the_header_names_the_spec_its_hash_and_the_progenitor_version() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid.yaml");
    let bytes = std::fs::read(&spec).unwrap_or_default();
    let (source, surface) = generate(&spec);
    let sha = idprov_codegen::sha256_hex(&bytes);
    for text in [&source, &surface] {
        assert!(text.contains("valid.yaml"), "{text}");
        assert!(text.contains(&sha), "{text}");
        assert!(text.contains(idprov_codegen::PROGENITOR_VERSION), "{text}");
    }
}
