//! The build-script entry point every client crate calls.

use std::path::PathBuf;

/// Generates the client for `spec` (relative to the crate's manifest directory) into
/// `$OUT_DIR/generated.rs` (each rewrite is listed in its header), and asks cargo to rebuild when the
/// spec changes. A failure stops the build with a message naming the spec and the place.
pub fn build_script(spec: &str) {
    println!("cargo::rerun-if-changed={spec}");
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let out_dir = std::env::var_os("OUT_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let generated = match crate::generate_file(&manifest_dir.join(spec)) {
        Ok(g) => g,
        Err(e) => {
            println!("cargo::error={e}");
            std::process::exit(1);
        }
    };
    let out = out_dir.join("generated.rs");
    if let Err(e) = std::fs::write(&out, &generated.source) {
        println!("cargo::error=cannot write {}: {e}", out.display());
        std::process::exit(1);
    }
}
