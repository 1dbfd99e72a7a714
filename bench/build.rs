//! Generates the hook-free clients of variant (b): progenitor's own output for the same rewritten specs the
//! client crates use, with no inner type and progenitor's default (empty) hooks.
//!
//! The settings are idprov-codegen's own (`idprov_codegen::client_settings`: builder interface, merged tags,
//! `PartialEq` derives), with no `idprov_runtime::__private::Runtime` inner value, no `HooksMode::Expected`
//! and none of idprov-codegen's edits of progenitor's code, so `pre`, `exec` and `post` are progenitor's
//! defaults: nothing, `reqwest::Client::execute`, nothing.

use std::path::PathBuf;

const SPECS: &[(&str, &str)] = &[
    ("aveva-connect.yaml", "bare_aveva.rs"),
    ("sailpoint-isc.yaml", "bare_isc.rs"),
    ("huaweicloud-identitycenter.yaml", "bare_huawei.rs"),
    ("seam.yaml", "bare_seam.rs"),
    ("sailpoint-nerm.yaml", "bare_nerm.rs"),
];

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    for (spec, file) in SPECS {
        let path = manifest.join("../specs").join(spec);
        println!("cargo::rerun-if-changed={}", path.display());
        if let Err(e) = generate(&path, spec, &out.join(file)) {
            println!("cargo::error={spec}: {e}");
            std::process::exit(1);
        }
    }
}

fn generate(path: &std::path::Path, name: &str, out: &std::path::Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut spec = idprov_codegen::load::parse(name, &text).map_err(|e| e.to_string())?;
    idprov_codegen::rewrite::apply(name, &mut spec).map_err(|e| e.to_string())?;
    let settings = idprov_codegen::client_settings();
    let tokens = progenitor::Generator::new(&settings)
        .generate_tokens(&spec)
        .map_err(|e| e.to_string())?;
    std::fs::write(out, tokens.to_string()).map_err(|e| e.to_string())
}
