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
        } else if kind.is_symlink() {
            let target =
                std::fs::read_link(&src).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
            #[cfg(unix)]
            std::os::unix::fs::symlink(&target, &dst)
                .unwrap_or_else(|e| panic!("{}: {e}", dst.display()));
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
            "crates/throwaway-api/src/vendor.rs",
            "crates/throwaway-api/src/credentials.rs",
            "crates/throwaway-api/src/env.rs",
            "crates/throwaway-api/src/mock.rs",
            "crates/throwaway-api/tests/smoke.rs",
            "crates/throwaway-api/throwaway-api.yaml",
            "crates/throwaway-api/throwaway-api.json",
            "Cargo.toml",
        ]
    );
    assert_eq!(done.vendor, "throwaway-api");
    assert!(done.findings.is_empty(), "{:?}", done.findings);
    let manifest = get(&ws.path().join("Cargo.toml"));
    assert!(
        manifest.contains(
            "\nidprov-throwaway-api = { path = \"crates/throwaway-api\", version = \"0.1.0\" }\n"
        ),
        "{manifest}"
    );
    let krate = get(&ws.path().join("crates/throwaway-api/Cargo.toml"));
    assert!(krate.contains("name = \"idprov-throwaway-api\""), "{krate}");
    assert!(
        krate.contains("uuid.workspace = true") && krate.contains("chrono.workspace = true"),
        "{krate}"
    );
    assert!(
        krate.contains("mock = [\"dep:httpmock\", \"dep:regex\", \"idprov-codegen/mock\"]"),
        "{krate}"
    );
    let lib = get(&ws.path().join("crates/throwaway-api/src/lib.rs"));
    assert!(
        lib.contains("#[cfg(feature = \"mock\")]\npub mod mock;"),
        "{lib}"
    );
    assert!(lib.contains("vendor: &vendor::VENDOR,"), "{lib}");
    assert!(
        lib.contains("default_base_url: Some(\"https://demo.widgets.example.com/v2\"),"),
        "{lib}"
    );
    let vendor = get(&ws.path().join("crates/throwaway-api/src/vendor.rs"));
    assert!(vendor.contains("name: \"throwaway-api\","), "{vendor}");
    // The spec travels in the package: the crate's copy is a link to specs/.
    assert_eq!(
        get(&ws.path().join("crates/throwaway-api/throwaway-api.yaml")),
        SPEC
    );
    let env = get(&ws.path().join("crates/throwaway-api/src/env.rs"));
    assert!(env.contains("THROWAWAY_API_ACCESS_TOKEN"), "{env}");
    // Adding the vendor touched only its own crate and the workspace dependency line.
    for runtime_file in ["crates/runtime/src/vendor.rs", "crates/runtime/src/lib.rs"] {
        assert_eq!(
            get(&ws.path().join(runtime_file)),
            get(&root.join(runtime_file)),
            "{runtime_file} changed"
        );
    }
    // Every kind of error of the new crate carries its vendor's name.
    put(
        &ws.path().join("crates/throwaway-api/tests/vendor_name.rs"),
        VENDOR_NAME_TEST,
    );

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
        &["test", "--offline", "-p", "idprov-throwaway-api", "--tests"][..],
        // The typed mocks build too, and the smoke test sees them.
        &[
            "test",
            "--offline",
            "-p",
            "idprov-throwaway-api",
            "--features",
            "mock",
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

/// A test for the scaffolded crate: an error answer, a refused connection, a call refused before sending
/// and an undecodable success each name the vendor and the operation.
const VENDOR_NAME_TEST: &str = r#"
use httpmock::prelude::*;
use idprov_throwaway_api::{Client, ClientConfig, Credentials, RetryPolicy, Secret};

fn client(base: &str) -> Client {
    Client::with_config(
        ClientConfig::new(Credentials::AccessToken(Secret::new("t")))
            .base_url(base)
            .retry(RetryPolicy::none()),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn assert_named(err: &idprov_throwaway_api::Error, operation: &str) {
    assert_eq!(err.vendor(), Some("throwaway-api"), "{err}");
    assert_eq!(err.operation_id(), Some(operation), "{err}");
    assert!(err.to_string().starts_with("throwaway-api "), "{err}");
}

#[tokio::test]
async fn every_kind_of_error_names_the_vendor_and_the_operation() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/widgets");
            then.status(401).json_body(serde_json::json!({"code": "E1", "message": "no"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/widgets/w1");
            then.status(200).header("content-type", "text/html").body("<html>");
        })
        .await;
    let c = client(&server.base_url());

    let answered = c.list_widgets().send().await.unwrap_err();
    assert_named(&answered, "list_widgets");
    assert_eq!(answered.code(), Some("E1"));
    assert_eq!(answered.message(), "no");

    let undecodable = c.get_widget().widget_id("w1").send().await.unwrap_err();
    assert_named(&undecodable, "get_widget");

    let refused = c.get_widget().send().await.unwrap_err();
    assert_named(&refused, "get_widget");

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    let unreachable = client(&format!("http://127.0.0.1:{port}"))
        .list_widgets()
        .send()
        .await
        .unwrap_err();
    assert_named(&unreachable, "list_widgets");
}
"#;
