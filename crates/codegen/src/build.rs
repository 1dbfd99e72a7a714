//! The build-script entry point every client crate calls.

use std::path::PathBuf;

/// Generates the client for `spec` (the YAML spec's path relative to the crate's manifest directory) into
/// `$OUT_DIR/generated.rs` (each rewrite is listed in its header), and asks cargo to rebuild when the
/// spec changes. A failure stops the build with a message naming the spec and the place.
///
/// The document is read from the spec's JSON form next to it (`seam.yaml` → `seam.json`, see
/// [`crate::json_form`]; `cargo xtask codegen` writes it), so that a user's build compiles no YAML parser.
/// The YAML file's bytes are only hashed: a JSON form made from other bytes (an edited spec before
/// `cargo xtask codegen`) stops the build with a message saying so, and the generated header's
/// `spec sha256` is the YAML file's, as in the snapshots.
///
/// When the crate's `mock` feature is on (cargo sets `CARGO_FEATURE_MOCK` for the build script), the same
/// run also writes the typed httpmock helpers ([`crate::mock`]) into `$OUT_DIR/mock.rs`, naming the client
/// as `crate`; without the feature nothing more is generated than before.
///
/// Both files are [`crate::Layout::Tokens`]: the same tokens as the formatted snapshots of
/// `cargo xtask codegen`, without the formatting pass, which nobody would read here.
pub fn build_script(spec: &str) {
    let json = crate::json_form::file_name(spec);
    println!("cargo::rerun-if-changed={spec}");
    println!("cargo::rerun-if-changed={json}");
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let out_dir = std::env::var_os("OUT_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let want_mock = std::env::var_os("CARGO_FEATURE_MOCK").is_some();
    #[cfg(feature = "mock")]
    let options = if want_mock {
        crate::Options::with_mock()
    } else {
        crate::Options::default()
    };
    #[cfg(not(feature = "mock"))]
    let options = if want_mock {
        println!(
            "cargo::error=the crate's `mock` feature needs idprov-codegen's: add \"idprov-codegen/mock\" to the \
             crate's `mock` feature in its Cargo.toml"
        );
        std::process::exit(1);
    } else {
        crate::Options::default()
    };
    let options = options.with_layout(crate::Layout::Tokens);
    let spec_path = manifest_dir.join(spec);
    let spec_name = spec_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| spec.to_string());
    let spec_bytes: Vec<u8> = read(&spec_path, Ok);
    let json_text = read(&manifest_dir.join(&json), |t| {
        String::from_utf8(t).map_err(|e| e.to_string())
    });
    let generated = match crate::generate_json_with(&spec_name, &spec_bytes, &json_text, &options) {
        Ok(g) => g,
        Err(e) => {
            println!("cargo::error={e}");
            std::process::exit(1);
        }
    };
    write(&out_dir.join("generated.rs"), &generated.source);
    #[cfg(feature = "mock")]
    if let Some(mock) = &generated.mock {
        write(&out_dir.join("mock.rs"), &mock.source);
    }
}

fn read<T>(path: &std::path::Path, convert: impl FnOnce(Vec<u8>) -> Result<T, String>) -> T {
    match std::fs::read(path)
        .map_err(|e| e.to_string())
        .and_then(convert)
    {
        Ok(t) => t,
        Err(e) => {
            let hint = if path.extension().is_some_and(|e| e == "json") {
                " (`cargo xtask codegen` writes the spec's JSON form)"
            } else {
                ""
            };
            println!("cargo::error=cannot read {}: {e}{hint}", path.display());
            std::process::exit(1);
        }
    }
}

fn write(path: &std::path::Path, text: &str) {
    if let Err(e) = std::fs::write(path, text) {
        println!("cargo::error=cannot write {}: {e}", path.display());
        std::process::exit(1);
    }
}
