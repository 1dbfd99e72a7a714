//! The build-script entry point every client crate calls.

use std::path::PathBuf;

/// Generates the client for `spec` (relative to the crate's manifest directory) into
/// `$OUT_DIR/generated.rs` (each rewrite is listed in its header), and asks cargo to rebuild when the
/// spec changes. A failure stops the build with a message naming the spec and the place.
///
/// When the crate's `mock` feature is on (cargo sets `CARGO_FEATURE_MOCK` for the build script), the same
/// run also writes the typed httpmock helpers ([`crate::mock`]) into `$OUT_DIR/mock.rs`, naming the client
/// as `crate`; without the feature nothing more is generated than before.
///
/// Both files are [`crate::Layout::Tokens`]: the same tokens as the formatted snapshots of
/// `cargo xtask codegen`, without the formatting pass, which nobody would read here.
pub fn build_script(spec: &str) {
    println!("cargo::rerun-if-changed={spec}");
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let out_dir = std::env::var_os("OUT_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let options = if std::env::var_os("CARGO_FEATURE_MOCK").is_some() {
        crate::Options::with_mock()
    } else {
        crate::Options::default()
    }
    .with_layout(crate::Layout::Tokens);
    let generated = match crate::generate_file_with(&manifest_dir.join(spec), &options) {
        Ok(g) => g,
        Err(e) => {
            println!("cargo::error={e}");
            std::process::exit(1);
        }
    };
    write(&out_dir.join("generated.rs"), &generated.source);
    if let Some(mock) = &generated.mock {
        write(&out_dir.join("mock.rs"), &mock.source);
    }
}

fn write(path: &std::path::Path, text: &str) {
    if let Err(e) = std::fs::write(path, text) {
        println!("cargo::error=cannot write {}: {e}", path.display());
        std::process::exit(1);
    }
}
