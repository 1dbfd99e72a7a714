//! What idprov-codegen's integration tests share.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test helper fails the test loudly"
)]

use std::path::{Path, PathBuf};

/// The workspace's specs (`specs/*.yaml`), sorted. Panics when the folder cannot be read or holds fewer
/// than the five APIs' specs, so a test that loops over them cannot pass by looping over nothing.
pub fn specs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    out.sort();
    assert!(
        out.len() >= 5,
        "{} holds {} specs, expected the five APIs'",
        dir.display(),
        out.len()
    );
    out
}
