//! Generates the hook-free clients of variant (b): progenitor's own output for the same rewritten specs the
//! client crates use, with no inner type and progenitor's default (empty) hooks.
//!
//! The settings are idprov-codegen's own (`idprov_codegen::client_settings`: builder interface, merged tags,
//! `PartialEq` derives), with no `idprov_runtime::__private::Runtime` inner value, no `HooksMode::Expected`
//! and none of idprov-codegen's edits of progenitor's code, so `pre`, `exec` and `post` are progenitor's
//! defaults: nothing, `reqwest::Client::execute`, nothing.
//!
//! One line of progenitor's code is taken out: the `api-version: <info.version>` header progenitor appends
//! to every request. The client crates do not send it (idprov-codegen removes it), and (b) must put the
//! same request on the wire as (a) and (c) (`variants::tests` compares them).

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
    let code = tokens.to_string();
    let operations = spec.operations().count();
    let code = without_api_version(&code, operations)?;
    std::fs::write(out, code).map_err(|e| e.to_string())
}

/// `code` without progenitor's `api-version` header, which it appends once in each of the `operations`
/// builders' `send`.
fn without_api_version(code: &str, operations: usize) -> Result<String, String> {
    const APPEND: &str = "header_map . append (:: reqwest :: header :: HeaderName :: from_static (\"api-version\") , :: reqwest :: header :: HeaderValue :: from_static (super :: Client :: api_version ()) ,) ;";
    let found = code.matches(APPEND).count();
    if found != operations {
        return Err(format!(
            "expected progenitor's api-version header in each of {operations} operations, found it {found} times \
             (has progenitor's output changed?)"
        ));
    }
    Ok(code.replace(APPEND, ""))
}
