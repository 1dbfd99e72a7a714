//! `cargo xtask codegen [--check]`: lint every spec, generate its client as `build.rs` does, and keep three
//! snapshots per API in `xtask/snapshots/`:
//!
//! - `<api>.rs.snap`: the full generated source, byte for byte what the crate compiles;
//! - `<api>.surface.snap`: the surface summary (operations, rewrites, types; see
//!   [`idprov_codegen::surface`]);
//! - `<api>.mock.rs.snap`: the typed httpmock helpers, byte for byte what the crate's `mock` feature
//!   compiles (see [`idprov_codegen::mock`]).
//!
//! All three are insta snapshot files whose header names the spec, its SHA-256 and the progenitor version.
//!
//! It also writes each client crate's copy of its spec in JSON, `crates/<api>/<api>.json`, which the
//! crate's build script reads so that a user's build compiles no YAML parser (see
//! [`idprov_codegen::json_form`]); `--check` fails when one is stale or missing.

use std::io::Write;
use std::path::{Path, PathBuf};

use idprov_codegen::lint::{self, Finding};
use similar::{ChangeTag, TextDiff};

use crate::snapshot::Snapshot;
use crate::{Result, XtaskError, read, relative, write};

/// The snapshot folder, relative to the workspace root.
pub const SNAPSHOT_DIR: &str = "xtask/snapshots";

/// This file, as named in the snapshots' `source`.
const SOURCE: &str = "xtask/src/codegen.rs";

/// The longest diff of a generated source printed by `--check` before it is cut.
const MAX_SOURCE_DIFF_LINES: usize = 400;

/// How the command runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Change nothing; fail when a snapshot is stale, missing or unreferenced.
    pub check: bool,
    /// Write changed snapshots as `.snap.new` files for `cargo insta review` instead of replacing them
    /// (`INSTA_UPDATE=new`).
    pub pending: bool,
}

impl Options {
    /// Options from the command line arguments after `codegen` and the environment (`CI=true` means
    /// `--check`; `INSTA_UPDATE=new` means pending snapshots).
    pub fn from_args(args: &[String]) -> Result<Self> {
        let mut options = Self {
            check: env_is_true("CI"),
            pending: std::env::var("INSTA_UPDATE").is_ok_and(|v| v == "new"),
        };
        for a in args {
            match a.as_str() {
                "--check" => options.check = true,
                other => {
                    return Err(XtaskError(format!(
                        "unknown argument {other:?}; usage: cargo xtask codegen [--check]"
                    )));
                }
            }
        }
        Ok(options)
    }
}

fn env_is_true(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// One spec and the API it defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    /// The API name: the spec's file stem (`seam` for `specs/seam.yaml`).
    pub name: String,
    /// The spec's path.
    pub spec: PathBuf,
}

/// The specs in `<root>/specs`, sorted by name.
pub fn specs(root: &Path) -> Result<Vec<Api>> {
    let dir = root.join("specs");
    let entries = std::fs::read_dir(&dir)
        .map_err(|e| XtaskError(format!("cannot list {}: {e}", dir.display())))?;
    let mut out = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| XtaskError(format!("cannot list {}: {e}", dir.display())))?
            .path();
        let is_spec = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if let (true, Some(stem)) = (is_spec, path.file_stem()) {
            out.push(Api {
                name: stem.to_string_lossy().into_owned(),
                spec: path,
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The three snapshot kinds, by file suffix: surface, client source, mock source.
const KINDS: [&str; 3] = [".surface.snap", ".rs.snap", ".mock.rs.snap"];

/// The kind of a snapshot file (`surface`, `source`, `mock`) and its API name, from the file name; the
/// longest suffix wins (`seam.mock.rs.snap` is the mock of `seam`, not the source of `seam.mock`).
fn kind_of(name: &str) -> Option<(&'static str, &str)> {
    [
        (KINDS[2], "mock"),
        (KINDS[0], "surface"),
        (KINDS[1], "source"),
    ]
    .into_iter()
    .find_map(|(suffix, kind)| name.strip_suffix(suffix).map(|api| (kind, api)))
}

/// What one API's generation produced.
pub struct Generated {
    /// The lint findings.
    pub findings: Vec<Finding>,
    /// The snapshots, `(path, file text)`, surface first; empty when generation failed.
    pub snapshots: Vec<(PathBuf, String)>,
    /// The spec's JSON form, `(crates/<api>/<api>.json, file text)`, which the client crate's build script
    /// reads (see [`idprov_codegen::json_form`]); `None` when there is no `crates/<api>` (or generation
    /// failed).
    pub json_form: Option<(PathBuf, String)>,
    /// Why generation failed, if it did.
    pub error: Option<String>,
}

impl Generated {
    /// A generation that failed with `error`: its lint findings, and no snapshot or JSON form.
    fn failed(findings: Vec<Finding>, error: &dyn std::fmt::Display) -> Self {
        Self {
            findings,
            snapshots: Vec::new(),
            json_form: None,
            error: Some(error.to_string()),
        }
    }
}

/// Lints one spec and generates its snapshots.
pub fn generate(root: &Path, api: &Api) -> Result<Generated> {
    let spec_rel = relative(root, &api.spec);
    let text = read(&api.spec)?;
    let findings = lint::lint_str(&spec_rel, &text);
    // The same function, on the same file, as the crate's build.rs with its `mock` feature on (the client's
    // source is the same with or without the mocks).
    let generated = match idprov_codegen::generate_file_with(
        &api.spec,
        &idprov_codegen::Options::with_mock(),
    ) {
        Ok(g) => g,
        Err(e) => return Ok(Generated::failed(findings, &e)),
    };
    let surface = match idprov_codegen::surface::summarize(&generated) {
        Ok(s) => s,
        Err(e) => return Ok(Generated::failed(findings, &e)),
    };
    let snapshot = |description: String, expression: String, contents: String| Snapshot {
        source: SOURCE.to_string(),
        description,
        expression,
        spec: spec_rel.clone(),
        spec_sha256: generated.spec_sha256.clone(),
        progenitor: idprov_codegen::PROGENITOR_VERSION.to_string(),
        contents,
    };
    let Some(mock) = generated.mock.as_ref() else {
        return Ok(Generated {
            findings,
            snapshots: Vec::new(),
            json_form: None,
            error: Some("idprov-codegen generated no mock source".to_string()),
        });
    };
    let mock_source = mock.source.clone();
    let dir = root.join(SNAPSHOT_DIR);
    let snapshots = vec![
        (
            dir.join(format!("{}{}", api.name, KINDS[0])),
            snapshot(
                format!(
                    "Surface of the {} client: operations, rewrites, types",
                    api.name
                ),
                "idprov_codegen::surface::summarize(&generated)".to_string(),
                surface,
            )
            .to_file_string(),
        ),
        (
            dir.join(format!("{}{}", api.name, KINDS[1])),
            snapshot(
                format!(
                    "Generated source of the {} client, as its build.rs compiles it",
                    api.name
                ),
                format!("idprov_codegen::generate_file(\"{spec_rel}\")"),
                generated.source.clone(),
            )
            .to_file_string(),
        ),
        (
            dir.join(format!("{}{}", api.name, KINDS[2])),
            snapshot(
                format!(
                    "Generated typed httpmock helpers of the {} client, as its build.rs compiles them with the mock feature",
                    api.name
                ),
                format!(
                    "idprov_codegen::generate_file_with(\"{spec_rel}\", &Options::with_mock()).mock"
                ),
                mock_source,
            )
            .to_file_string(),
        ),
    ];
    // The JSON form of the spec, for the client crate's build script (which compiles no YAML parser).
    let crate_dir = root.join("crates").join(&api.name);
    let json_form = if crate_dir.is_dir() {
        let spec_name = api
            .spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match idprov_codegen::json_form::from_yaml(&spec_name, &text) {
            Ok(json) => Some((
                crate_dir.join(idprov_codegen::json_form::file_name(&spec_name)),
                json,
            )),
            Err(e) => return Ok(Generated::failed(findings, &e)),
        }
    } else {
        None
    };
    Ok(Generated {
        findings,
        snapshots,
        json_form,
        error: None,
    })
}

/// Counts of what a run found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Specs seen.
    pub specs: usize,
    /// Lint errors.
    pub lint_errors: usize,
    /// Lint warnings.
    pub lint_warnings: usize,
    /// Specs whose generation failed.
    pub generation_failures: usize,
    /// Surface changes that break users (removed or retyped items, new required items; see
    /// [`crate::breaking`]), each printed as a `BREAKING:` line.
    pub breaking: usize,
    /// Snapshots that differ from what is generated (updated, or stale under `--check`).
    pub changed: usize,
    /// Snapshots that did not exist (created, or missing under `--check`).
    pub missing: usize,
    /// Snapshot files with no spec (removed, or reported under `--check`).
    pub unreferenced: usize,
}

impl Summary {
    /// Whether the command succeeded: no lint error, no failed generation, and under `--check` every
    /// snapshot up to date.
    pub fn success(&self, check: bool) -> bool {
        let snapshots_ok =
            !check || (self.changed == 0 && self.missing == 0 && self.unreferenced == 0);
        self.lint_errors == 0 && self.generation_failures == 0 && snapshots_ok
    }
}

/// Runs the command on the workspace at `root`, printing to `out`.
pub fn run(root: &Path, options: Options, out: &mut dyn Write) -> Result<Summary> {
    let apis = specs(root)?;
    let mut summary = Summary {
        specs: apis.len(),
        ..Summary::default()
    };
    for api in &apis {
        let generated = generate(root, api)?;
        for f in &generated.findings {
            let _ = writeln!(out, "{f}");
            if f.is_error() {
                summary.lint_errors += 1;
            } else {
                summary.lint_warnings += 1;
            }
        }
        if let Some(e) = &generated.error {
            summary.generation_failures += 1;
            let _ = writeln!(out, "{}: generation FAILED: {e}", api.name);
            continue;
        }
        let mut notes = Vec::new();
        let mut notes_breaking = Vec::new();
        let mut diffs = String::new();
        for (path, text) in generated.snapshots.iter().chain(&generated.json_form) {
            let rel = relative(root, path);
            let is_json = path.extension().is_some_and(|e| e == "json");
            let kind = if is_json {
                "json form"
            } else {
                kind_of(&rel).map_or("surface", |(kind, _)| kind)
            };
            let is_source = kind != "surface";
            let old = match std::fs::read_to_string(path) {
                Ok(old) => Some(old),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(XtaskError(format!("cannot read {}: {e}", path.display()))),
            };
            match old {
                Some(old) if &old == text => continue,
                Some(old) => {
                    summary.changed += 1;
                    if !is_source {
                        for change in crate::breaking::breaking_changes(&old, text) {
                            summary.breaking += 1;
                            notes_breaking.push(format!("BREAKING: {}: {change}", api.name));
                        }
                    }
                    let (added, removed) = line_counts(&old, text);
                    notes.push(format!(
                        "{kind} {} (+{added} -{removed})",
                        if options.check { "STALE" } else { "updated" }
                    ));
                    // The surface diff is short and readable; the source diff is shown in full only by --check.
                    if options.check || !is_source {
                        let limit = if is_source {
                            MAX_SOURCE_DIFF_LINES
                        } else {
                            usize::MAX
                        };
                        diffs.push_str(&unified_diff(&old, text, &rel, limit));
                    }
                }
                None => {
                    summary.missing += 1;
                    notes.push(format!(
                        "{kind} {}",
                        if options.check { "MISSING" } else { "created" }
                    ));
                    if options.check {
                        diffs.push_str(&format!(
                            "{rel}: missing; `cargo xtask codegen` creates it\n"
                        ));
                    }
                }
            }
            if !options.check {
                let pending = path.with_extension("snap.new");
                // The JSON form is no snapshot to review: it is written as it is (insta knows nothing of it).
                if options.pending && !is_json {
                    write(&pending, text)?;
                } else {
                    write(path, text)?;
                    // A pending snapshot is superseded by the one just written.
                    if !is_json {
                        let _ = std::fs::remove_file(&pending);
                    }
                }
            }
        }
        if notes.is_empty() {
            let _ = writeln!(out, "{}: up to date", api.name);
        } else {
            let _ = writeln!(out, "{}: {}", api.name, notes.join(", "));
            for line in &notes_breaking {
                let _ = writeln!(out, "{line}");
            }
            for line in diffs.lines() {
                let _ = writeln!(out, "    {line}");
            }
        }
    }
    for file in unreferenced(root, &apis)? {
        summary.unreferenced += 1;
        let rel = relative(root, &file);
        if options.check {
            let _ = writeln!(
                out,
                "{rel}: UNREFERENCED (no spec in specs/ produces it); `cargo xtask codegen` removes it"
            );
        } else {
            std::fs::remove_file(&file)
                .map_err(|e| XtaskError(format!("cannot remove {rel}: {e}")))?;
            let _ = writeln!(out, "{rel}: removed (no spec in specs/ produces it)");
        }
    }
    let _ = writeln!(
        out,
        "{} specs: {} lint errors, {} warnings, {} failed generations; snapshots and JSON forms: {} {}, {} {}, {} {}",
        summary.specs,
        summary.lint_errors,
        summary.lint_warnings,
        summary.generation_failures,
        summary.changed,
        if options.check { "stale" } else { "updated" },
        summary.missing,
        if options.check { "missing" } else { "created" },
        summary.unreferenced,
        if options.check {
            "unreferenced"
        } else {
            "removed"
        },
    );
    if options.check
        && !summary.success(true)
        && summary.lint_errors + summary.generation_failures == 0
    {
        let _ = writeln!(
            out,
            "run `cargo xtask codegen` and review the snapshot changes"
        );
    }
    Ok(summary)
}

/// Snapshot files in the snapshot folder that no spec produces.
pub fn unreferenced(root: &Path, apis: &[Api]) -> Result<Vec<PathBuf>> {
    let dir = root.join(SNAPSHOT_DIR);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(XtaskError(format!("cannot list {}: {e}", dir.display()))),
    };
    let mut out = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| XtaskError(format!("cannot list {}: {e}", dir.display())))?
            .path();
        let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        if !name.ends_with(".snap") {
            // Not a snapshot (`.snap.new` files are pending reviews, not snapshots).
            continue;
        }
        match kind_of(&name) {
            Some((_, api)) if apis.iter().any(|a| a.name == api) => {}
            _ => out.push(path),
        }
    }
    out.sort();
    Ok(out)
}

/// Lines added and removed from `old` to `new`.
pub fn line_counts(old: &str, new: &str) -> (usize, usize) {
    let diff = TextDiff::from_lines(old, new);
    diff.iter_all_changes()
        .fold((0, 0), |(a, r), c| match c.tag() {
            ChangeTag::Insert => (a + 1, r),
            ChangeTag::Delete => (a, r + 1),
            ChangeTag::Equal => (a, r),
        })
}

/// A unified diff from the snapshot on disk to the generated one, cut after `limit` lines.
pub fn unified_diff(old: &str, new: &str, name: &str, limit: usize) -> String {
    let diff = TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("{name} (on disk)"), &format!("{name} (generated)"))
        .to_string();
    let total = text.lines().count();
    if total <= limit {
        return text;
    }
    let mut cut: String = text.lines().take(limit).flat_map(|l| [l, "\n"]).collect();
    cut.push_str(&format!(
        "... {} more diff lines; run `cargo xtask codegen` and `git diff {name}`\n",
        total - limit
    ));
    cut
}
