//! `cargo xtask codegen [--check]` on a throwaway workspace: snapshots are created, checked, reported stale
//! with a diff naming what changed, reported missing and unreferenced; and insta reads them.

// Test helpers fail by panicking.
#![allow(clippy::panic)]

mod common;

use std::path::Path;

use common::{SPEC, TempDir, get, put};
use xtask::codegen::{Options, Summary, run};

const CHECK: Options = Options {
    check: true,
    pending: false,
};
const UPDATE: Options = Options {
    check: false,
    pending: false,
};

fn codegen(root: &Path, options: Options) -> (Summary, String) {
    let mut out = Vec::new();
    let summary =
        run(root, options, &mut out).unwrap_or_else(|e| panic!("xtask codegen failed: {e}"));
    (summary, String::from_utf8_lossy(&out).into_owned())
}

#[test]
fn update_then_check_then_stale_missing_and_unreferenced() {
    let ws = TempDir::new("xtask-codegen");
    let root = ws.path();
    put(&root.join("specs/widgets.yaml"), SPEC);

    // Nothing yet: --check reports the three snapshots missing and changes nothing.
    let (summary, out) = codegen(root, CHECK);
    assert_eq!(summary.missing, 3, "{out}");
    assert!(!summary.success(true), "{out}");
    assert!(
        out.contains("widgets: surface MISSING, source MISSING, mock MISSING"),
        "{out}"
    );
    assert!(
        !root.join("xtask/snapshots").exists(),
        "--check wrote something"
    );

    // Update creates them; --check then passes.
    let (summary, out) = codegen(root, UPDATE);
    assert_eq!((summary.missing, summary.changed), (3, 0), "{out}");
    assert!(summary.success(false), "{out}");
    let surface = get(&root.join("xtask/snapshots/widgets.surface.snap"));
    let source = get(&root.join("xtask/snapshots/widgets.rs.snap"));
    let mock = get(&root.join("xtask/snapshots/widgets.mock.rs.snap"));
    let sha = idprov_codegen::sha256_hex(SPEC.as_bytes());
    for snap in [&surface, &source, &mock] {
        assert!(snap.contains("  spec: specs/widgets.yaml\n"), "{snap}");
        assert!(snap.contains(&format!("  spec_sha256: {sha}\n")), "{snap}");
        assert!(snap.contains("  progenitor: \"0.15.1\"\n"), "{snap}");
    }
    assert!(
        surface.contains("GET /widgets/{widgetId}  get_widget(path widget_id \"widgetId\": Uuid) -> Result<Widget, idprov_runtime::Error> [errors: 404]"),
        "{surface}"
    );
    // The mock snapshot is the typed httpmock source, with a Then method for the documented 404.
    assert!(mock.contains("pub trait MockServerExt"), "{mock}");
    assert!(
        mock.contains("fn get_widget<F>(&self, config_fn: F)"),
        "{mock}"
    );
    assert!(
        mock.contains("pub fn not_found<B: ::serde::Serialize>(self, value: &B) -> Self"),
        "{mock}"
    );
    let (summary, out) = codegen(root, CHECK);
    assert!(summary.success(true), "{out}");
    assert!(out.contains("widgets: up to date"), "{out}");

    // A new optional field makes --check fail with a diff that names it, on both snapshots.
    let edited = SPEC.replace(
        "        created_at:\n          type: string\n          format: date-time\n",
        "        created_at:\n          type: string\n          format: date-time\n        colour:\n          type: string\n",
    );
    assert_ne!(edited, SPEC);
    put(&root.join("specs/widgets.yaml"), &edited);
    let (summary, out) = codegen(root, CHECK);
    assert_eq!(summary.changed, 3, "{out}");
    assert!(!summary.success(true), "{out}");
    assert!(out.contains("widgets: surface STALE"), "{out}");
    assert!(out.contains(", mock STALE"), "{out}");
    assert!(out.contains("+  colour: Option<String>"), "{out}");
    assert!(
        out.contains("+        pub colour: ::std::option::Option<::std::string::String>,"),
        "{out}"
    );
    assert!(
        out.contains("--- xtask/snapshots/widgets.surface.snap (on disk)"),
        "{out}"
    );
    // An optional field on a type only answers use breaks no user.
    assert_eq!(summary.breaking, 0, "{out}");
    assert!(!out.contains("BREAKING:"), "{out}");

    // Updating prints the surface diff and writes it.
    let (summary, out) = codegen(root, UPDATE);
    assert_eq!(summary.changed, 3, "{out}");
    assert!(out.contains("widgets: surface updated (+"), "{out}");
    assert!(out.contains("+  colour: Option<String>"), "{out}");
    assert!(codegen(root, CHECK).0.success(true));

    // Removing a field, and adding one to a request type, are breaking: --check names each.
    let broken = edited
        .replace(
            "        created_at:\n          type: string\n          format: date-time\n",
            "",
        )
        .replace(
            "      properties:\n        name:\n          type: string\n    Widget:",
            "      properties:\n        name:\n          type: string\n        size:\n          type: integer\n    Widget:",
        );
    assert_ne!(broken, edited);
    put(&root.join("specs/widgets.yaml"), &broken);
    let (summary, out) = codegen(root, CHECK);
    assert_eq!(summary.breaking, 2, "{out}");
    assert!(
        out.contains("BREAKING: widgets: Widget.created_at removed"),
        "{out}"
    );
    assert!(
        out.contains(
            "BREAKING: widgets: CreateWidgetRequest.size: Option<i64> added to a type requests use"
        ),
        "{out}"
    );
    put(&root.join("specs/widgets.yaml"), &edited);

    // A snapshot without a spec is unreferenced: --check fails, update removes it (a mock snapshot is
    // the mock of its API, not the source of an API named `<api>.mock`).
    put(
        &root.join("xtask/snapshots/gone.surface.snap"),
        "---\n---\nold\n",
    );
    put(
        &root.join("xtask/snapshots/gone.mock.rs.snap"),
        "---\n---\nold\n",
    );
    let (summary, out) = codegen(root, CHECK);
    assert_eq!(summary.unreferenced, 2, "{out}");
    assert!(!summary.success(true), "{out}");
    assert!(
        out.contains("xtask/snapshots/gone.surface.snap: UNREFERENCED"),
        "{out}"
    );
    assert!(
        out.contains("xtask/snapshots/gone.mock.rs.snap: UNREFERENCED"),
        "{out}"
    );
    assert!(!out.contains("widgets.mock.rs.snap: UNREFERENCED"), "{out}");
    let (summary, out) = codegen(root, UPDATE);
    assert_eq!(summary.unreferenced, 2, "{out}");
    assert!(!root.join("xtask/snapshots/gone.surface.snap").exists());
    assert!(!root.join("xtask/snapshots/gone.mock.rs.snap").exists());
    assert!(codegen(root, CHECK).0.success(true));
}

#[test]
fn lint_errors_fail_both_commands() {
    let ws = TempDir::new("xtask-codegen-lint");
    let root = ws.path();
    put(
        &root.join("specs/widgets.yaml"),
        &SPEC.replace("        '404':\n", "        '302':\n"),
    );
    for options in [CHECK, UPDATE] {
        let (summary, out) = codegen(root, options);
        assert_eq!(summary.lint_errors, 1, "{out}");
        assert!(!summary.success(options.check), "{out}");
        assert!(
            out.contains("error[error-responses]: specs/widgets.yaml#/paths/~1widgets~1{widgetId}/get/responses: "),
            "{out}"
        );
    }
}

#[test]
fn insta_reads_the_snapshots() {
    let ws = TempDir::new("xtask-codegen-insta");
    let root = ws.path();
    put(&root.join("specs/widgets.yaml"), SPEC);
    let (summary, out) = codegen(root, UPDATE);
    assert!(summary.success(false), "{out}");
    let generated = idprov_codegen::generate_file(&root.join("specs/widgets.yaml"))
        .unwrap_or_else(|e| panic!("generation failed: {e}"));
    let path = root.join("xtask/snapshots/widgets.rs.snap");
    let snapshot =
        insta::Snapshot::from_file(&path).unwrap_or_else(|e| panic!("insta cannot read it: {e}"));
    assert_eq!(snapshot.metadata().input_file(), Some("specs/widgets.yaml"));
    assert_eq!(snapshot.metadata().source(), Some("xtask/src/codegen.rs"));
    let contents = snapshot
        .as_text()
        .map(ToString::to_string)
        .unwrap_or_default();
    assert_eq!(contents, generated.source.trim_end());

    // The mock snapshot is what a crate's `mock` feature compiles.
    let with_mock = idprov_codegen::generate_file_with(
        &root.join("specs/widgets.yaml"),
        &idprov_codegen::Options::with_mock(),
    )
    .unwrap_or_else(|e| panic!("generation failed: {e}"));
    assert_eq!(
        with_mock.source, generated.source,
        "the mocks changed the client"
    );
    let mock = with_mock
        .mock
        .unwrap_or_else(|| panic!("no mock source"))
        .source;
    let snapshot = insta::Snapshot::from_file(&root.join("xtask/snapshots/widgets.mock.rs.snap"))
        .unwrap_or_else(|e| panic!("insta cannot read it: {e}"));
    let contents = snapshot
        .as_text()
        .map(ToString::to_string)
        .unwrap_or_default();
    assert_eq!(contents, mock.trim_end());
}

#[test]
fn insta_update_new_writes_pending_snapshots_for_cargo_insta_review() {
    let ws = TempDir::new("xtask-codegen-pending");
    let root = ws.path();
    put(&root.join("specs/widgets.yaml"), SPEC);
    assert!(codegen(root, UPDATE).0.success(false));
    let snap = root.join("xtask/snapshots/widgets.surface.snap");
    let pending = root.join("xtask/snapshots/widgets.surface.snap.new");
    let before = get(&snap);

    put(
        &root.join("specs/widgets.yaml"),
        &SPEC.replace("Throwaway API", "Throwaway API v2"),
    );
    let options = Options {
        check: false,
        pending: true,
    };
    let (summary, out) = codegen(root, options);
    assert_eq!(summary.changed, 3, "{out}");
    assert_eq!(get(&snap), before, "the accepted snapshot changed");
    assert!(pending.exists(), "{out}");
    // Pending snapshots are neither snapshots nor unreferenced; the accepted ones are still stale.
    let (summary, out) = codegen(root, CHECK);
    assert_eq!((summary.changed, summary.unreferenced), (3, 0), "{out}");
    // A plain update accepts the change and drops the pending file.
    assert!(codegen(root, UPDATE).0.success(false));
    assert!(!pending.exists());
    assert!(codegen(root, CHECK).0.success(true));
}
