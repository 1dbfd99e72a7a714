//! Workspace automation for idprov.
//!
//! - `cargo xtask codegen`: lints every spec in `specs/`, generates its client exactly as the crate's
//!   `build.rs` does ([`idprov_codegen::generate_file`]), and updates three snapshots per API in
//!   `xtask/snapshots/`: the full generated source, a compact surface summary, and the typed httpmock
//!   helpers of the crate's `mock` feature. It prints what changed.
//! - `cargo xtask codegen --check` (also when `CI=true`): changes nothing; fails when a spec does not lint or
//!   a snapshot is stale, missing or unreferenced, printing the diff.
//! - Both print a `BREAKING: <api>: <change>` line for every surface change that breaks users
//!   ([`breaking`]).
//! - `cargo xtask new <name>`: scaffolds `crates/<name>` for `specs/<name>.yaml` and adds it to the workspace.

pub mod breaking;
pub mod codegen;
pub mod new;
pub mod snapshot;

use std::fmt;
use std::path::{Path, PathBuf};

/// A failure of an xtask command, with a message meant for the person who ran it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XtaskError(pub String);

impl fmt::Display for XtaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for XtaskError {}

impl From<String> for XtaskError {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl From<&str> for XtaskError {
    fn from(s: &str) -> Self {
        Self(s.to_string())
    }
}

/// The result of an xtask step.
pub type Result<T, E = XtaskError> = std::result::Result<T, E>;

/// The workspace to work on: `XTASK_WORKSPACE_ROOT` when set (to run on a copy), else the workspace this
/// xtask was built in (the parent of its manifest directory).
pub fn workspace_root() -> PathBuf {
    if let Some(root) = std::env::var_os("XTASK_WORKSPACE_ROOT").filter(|r| !r.is_empty()) {
        return PathBuf::from(root);
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Reads a file, with an error that names it.
pub fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| XtaskError(format!("cannot read {}: {e}", path.display())))
}

/// Writes a file (creating its directory), with an error that names it.
pub fn write(path: &Path, contents: &str) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| XtaskError(format!("cannot create {}: {e}", dir.display())))?;
    }
    std::fs::write(path, contents)
        .map_err(|e| XtaskError(format!("cannot write {}: {e}", path.display())))
}

/// `path` relative to `root`, with forward slashes, for messages and snapshot headers.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
