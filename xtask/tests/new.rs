//! `cargo xtask new <name>`: refusals, and a scaffold of a throwaway API into a temp copy of the workspace
//! that `cargo build --offline` builds and whose smoke test passes (sharing this workspace's target
//! directory, so only the new crate, idprov-runtime and idprov-codegen compile).

// Test helpers fail by panicking.
#![allow(clippy::panic)]

mod common;

use std::path::Path;
use std::process::Command;

use common::{SPEC, TempDir, get, put};
use xtask::new::{Request, scaffold};

fn request(name: &str) -> Request {
    Request {
        name: name.to_string(),
        vendor: None,
    }
}

/// A workspace with only what `new` reads: the root manifest and the specs.
fn minimal_workspace() -> TempDir {
    let ws = TempDir::new("xtask-new-minimal");
    let manifest = get(&xtask::workspace_root().join("Cargo.toml"));
    put(&ws.path().join("Cargo.toml"), &manifest);
    put(&ws.path().join("specs/widgets.yaml"), SPEC);
    ws
}

#[test]
fn refuses_names_that_are_not_kebab_case() {
    let ws = minimal_workspace();
    for bad in [
        "Widgets",
        "wid_gets",
        "-widgets",
        "widgets-",
        "wid--gets",
        "9widgets",
        "",
    ] {
        let err = scaffold(ws.path(), &request(bad))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("is not kebab-case"), "{bad:?}: {err:?}");
    }
    assert!(!ws.path().join("crates").exists());
}

#[test]
fn refuses_a_missing_spec() {
    let ws = minimal_workspace();
    let err = scaffold(ws.path(), &request("gadgets"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("specs/gadgets.yaml does not exist"), "{err}");
    assert!(!ws.path().join("crates/gadgets").exists());
}

#[test]
fn refuses_an_existing_crate_and_changes_nothing() {
    let ws = minimal_workspace();
    put(
        &ws.path().join("crates/widgets/Cargo.toml"),
        "# someone's crate\n",
    );
    let before = get(&ws.path().join("Cargo.toml"));
    let err = scaffold(ws.path(), &request("widgets"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("crates/widgets already exists"), "{err}");
    assert_eq!(
        get(&ws.path().join("crates/widgets/Cargo.toml")),
        "# someone's crate\n"
    );
    assert_eq!(get(&ws.path().join("Cargo.toml")), before);
}

#[test]
fn refuses_an_unknown_vendor() {
    let ws = minimal_workspace();
    let req = Request {
        name: "widgets".into(),
        vendor: Some("Acme".into()),
    };
    let err = scaffold(ws.path(), &req)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("unknown vendor \"Acme\""), "{err}");
}

#[test]
fn the_command_line_refuses_with_a_clear_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["new", "Not_Kebab"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run xtask: {e}"));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("\"Not_Kebab\" is not kebab-case"),
        "{stderr}"
    );
}

/// Copies the workspace at `from` to `to`, without `target`, `.git` and pending snapshots.
fn copy_workspace(from: &Path, to: &Path) {
    let entries =
        std::fs::read_dir(from).unwrap_or_else(|e| panic!("cannot list {}: {e}", from.display()));
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if matches!(name.as_ref(), "target" | ".git") || name.ends_with(".snap.new") {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&*name));
        let kind = entry
            .file_type()
            .unwrap_or_else(|e| panic!("{}: {e}", src.display()));
        if kind.is_dir() {
            std::fs::create_dir_all(&dst).unwrap_or_else(|e| panic!("{}: {e}", dst.display()));
            copy_workspace(&src, &dst);
        } else if kind.is_file() {
            std::fs::copy(&src, &dst).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
        }
    }
}

#[test]
fn scaffolds_a_crate_that_builds_and_passes_its_smoke_test() {
    let root = xtask::workspace_root();
    let ws = TempDir::new("xtask-new-workspace");
    copy_workspace(&root, ws.path());
    put(&ws.path().join("specs/throwaway-api.yaml"), SPEC);

    let done = scaffold(ws.path(), &request("throwaway-api"))
        .unwrap_or_else(|e| panic!("scaffold failed: {e}"));
    assert_eq!(
        done.files,
        [
            "crates/throwaway-api/Cargo.toml",
            "crates/throwaway-api/build.rs",
            "crates/throwaway-api/src/lib.rs",
            "crates/throwaway-api/tests/smoke.rs",
            "Cargo.toml",
        ]
    );
    assert_eq!(done.vendor, "Other");
    assert!(done.findings.is_empty(), "{:?}", done.findings);
    let manifest = get(&ws.path().join("Cargo.toml"));
    assert!(
        manifest.contains("\nidprov-throwaway-api = { path = \"crates/throwaway-api\" }\n"),
        "{manifest}"
    );
    let krate = get(&ws.path().join("crates/throwaway-api/Cargo.toml"));
    assert!(krate.contains("name = \"idprov-throwaway-api\""), "{krate}");
    assert!(
        krate.contains("uuid.workspace = true") && krate.contains("chrono.workspace = true"),
        "{krate}"
    );
    let lib = get(&ws.path().join("crates/throwaway-api/src/lib.rs"));
    assert!(
        lib.contains("vendor: idprov_runtime::Vendor::Other(\"throwaway-api\"),"),
        "{lib}"
    );
    assert!(
        lib.contains("default_base_url: \"https://demo.widgets.example.com/v2\","),
        "{lib}"
    );
    assert!(lib.contains("THROWAWAY_API_ACCESS_TOKEN"), "{lib}");

    // Scaffolding twice is refused.
    let again = scaffold(ws.path(), &request("throwaway-api"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(again.contains("already exists"), "{again}");

    // Build and run the smoke test offline, reusing this workspace's compiled dependencies.
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), Into::into);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    for args in [
        &["build", "--offline", "-p", "idprov-throwaway-api"][..],
        &[
            "test",
            "--offline",
            "-p",
            "idprov-throwaway-api",
            "--test",
            "smoke",
        ][..],
    ] {
        let started = std::time::Instant::now();
        let out = Command::new(&cargo)
            .args(args)
            .current_dir(ws.path())
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .unwrap_or_else(|e| panic!("cannot run cargo: {e}"));
        assert!(
            out.status.success(),
            "cargo {} failed:\n{}\n{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        eprintln!("cargo {} took {:.1?}", args.join(" "), started.elapsed());
    }
}
