//! `cargo xtask new <name> [--vendor <Vendor>]`: scaffolds the client crate `crates/<name>` (package
//! `idprov-<name>`) for the spec `specs/<name>.yaml`, and adds `idprov-<name>` to the root
//! `[workspace.dependencies]` (the crate itself is a member through `members = ["crates/*", ...]`).
//!
//! The crate is laid out like the others: `Cargo.toml`, `build.rs` (generation at build time), `src/lib.rs`
//! (the generated code, re-exports, the `API` constant and the runtime glue) and `tests/smoke.rs`.
//!
//! The `API` constant names an `idprov_runtime::Vendor`, which decides how error answers are read. The
//! vendor comes from `--vendor`, else from the name's prefix (`seam`, `aveva`, `sailpoint-nerm`,
//! `sailpoint-isc`/`sailpoint`, `huaweicloud`/`huawei`), else it is `Vendor::Other("<name>")` (errors read
//! from common field names); the generated lib.rs says which. A known vendor also brings its environment
//! reader from `idprov_runtime::auth::env`; `Other` crates read `<NAME>_ACCESS_TOKEN` (a bearer token) and
//! `<NAME>_BASE_URL`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{Result, XtaskError, read, relative, write};

/// The runtime's vendors (`idprov_runtime::Vendor`) and their environment readers (`idprov_runtime::auth::env`).
pub const VENDORS: [(&str, &str); 5] = [
    ("Seam", "seam"),
    ("AvevaConnect", "aveva_connect"),
    ("SailPointNerm", "sailpoint_nerm"),
    ("SailPointIsc", "sailpoint_isc"),
    ("HuaweiCloud", "huawei"),
];

/// The vendor used when neither `--vendor` nor the name names a known one: `Vendor::Other("<name>")`.
pub const OTHER_VENDOR: &str = "Other";

/// What `new` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The kebab-case API name (`specs/<name>.yaml`, `crates/<name>`, package `idprov-<name>`).
    pub name: String,
    /// The runtime vendor, when given with `--vendor`.
    pub vendor: Option<String>,
}

impl Request {
    /// Parses the arguments after `new`.
    pub fn from_args(args: &[String]) -> Result<Self> {
        let usage = "usage: cargo xtask new <name> [--vendor Seam|AvevaConnect|SailPointNerm|SailPointIsc|HuaweiCloud|Other]";
        let mut name = None;
        let mut vendor = None;
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--vendor" => {
                    vendor = Some(
                        it.next()
                            .ok_or_else(|| XtaskError(format!("--vendor needs a value; {usage}")))?
                            .clone(),
                    );
                }
                s if s.starts_with('-') => {
                    return Err(XtaskError(format!("unknown option {s:?}; {usage}")));
                }
                s if name.is_none() => name = Some(s.to_string()),
                s => return Err(XtaskError(format!("unexpected argument {s:?}; {usage}"))),
            }
        }
        let name = name.ok_or_else(|| XtaskError(usage.to_string()))?;
        Ok(Self { name, vendor })
    }
}

/// Whether `name` is kebab-case: lower-case ASCII letters and digits in words joined by single hyphens,
/// starting with a letter.
pub fn is_kebab_case(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// What was scaffolded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scaffolded {
    /// Files created or changed, relative to the workspace root.
    pub files: Vec<String>,
    /// The vendor chosen for `API`.
    pub vendor: String,
    /// Lint findings of the spec (printed; they do not stop the scaffold).
    pub findings: Vec<String>,
}

/// Scaffolds `crates/<name>` in the workspace at `root`. Refuses (changing nothing) when the name is not
/// kebab-case, the spec is missing or does not generate, or the crate or its workspace dependency exists.
pub fn scaffold(root: &Path, request: &Request) -> Result<Scaffolded> {
    let name = request.name.as_str();
    if !is_kebab_case(name) {
        return Err(XtaskError(format!(
            "{name:?} is not kebab-case: use lower-case letters and digits in words joined by single hyphens, \
             starting with a letter (for example `acme-scim`)"
        )));
    }
    let spec = root.join("specs").join(format!("{name}.yaml"));
    if !spec.is_file() {
        return Err(XtaskError(format!(
            "specs/{name}.yaml does not exist: write the spec first (see specs/README.md), then run `cargo xtask new {name}`"
        )));
    }
    let crate_dir = root.join("crates").join(name);
    if crate_dir.exists() {
        return Err(XtaskError(format!(
            "crates/{name} already exists; refusing to overwrite it"
        )));
    }
    let package = format!("idprov-{name}");
    let root_manifest_path = root.join("Cargo.toml");
    let root_manifest = read(&root_manifest_path)?;
    if root_manifest.lines().any(|l| {
        l.trim_start().starts_with(&format!("{package} "))
            || l.trim_start().starts_with(&format!("{package}="))
    }) {
        return Err(XtaskError(format!(
            "{package} is already listed in the root Cargo.toml; refusing to add it twice"
        )));
    }
    let vendor = match &request.vendor {
        Some(v) => {
            if v != OTHER_VENDOR && !VENDORS.iter().any(|(variant, _)| variant == v) {
                let known: Vec<&str> = VENDORS
                    .iter()
                    .map(|(v, _)| *v)
                    .chain([OTHER_VENDOR])
                    .collect();
                return Err(XtaskError(format!(
                    "unknown vendor {v:?}; idprov_runtime::Vendor has {}",
                    known.join(", ")
                )));
            }
            v.clone()
        }
        None => vendor_from_name(name).unwrap_or(OTHER_VENDOR).to_string(),
    };

    // The spec must generate, and what it generates decides the optional dependencies.
    let generated = idprov_codegen::generate_file(&spec)
        .map_err(|e| XtaskError(format!("specs/{name}.yaml does not generate: {e}")))?;
    let spec_text = read(&spec)?;
    let findings = idprov_codegen::lint::lint_str(&format!("specs/{name}.yaml"), &spec_text)
        .iter()
        .map(ToString::to_string)
        .collect();
    let doc = idprov_codegen::load::parse_value(&format!("{name}.yaml"), &spec_text)
        .map_err(|e| XtaskError(e.to_string()))?;
    let title = doc
        .pointer("/info/title")
        .and_then(Value::as_str)
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| name.to_string());
    let base_url = default_base_url(&doc).ok_or_else(|| {
        XtaskError(format!(
            "specs/{name}.yaml declares no server URL (`servers: [{{url: ...}}]`); the client needs one as its default base URL"
        ))
    })?;

    let mut optional = Vec::new();
    for (dep, marker) in [
        ("uuid", "::uuid::"),
        ("chrono", "::chrono::"),
        ("regress", "::regress::"),
    ] {
        if generated.source.contains(marker) {
            optional.push(dep);
        }
    }
    let files: Vec<(PathBuf, String)> = vec![
        (
            crate_dir.join("Cargo.toml"),
            cargo_toml(name, &title, &optional),
        ),
        (crate_dir.join("build.rs"), build_rs(name)),
        (
            crate_dir.join("src").join("lib.rs"),
            lib_rs(name, &title, &vendor, &base_url),
        ),
        (
            crate_dir.join("tests").join("smoke.rs"),
            smoke_rs(name, VENDORS.iter().all(|(v, _)| *v != vendor)),
        ),
    ];
    let new_manifest = add_workspace_dependency(&root_manifest, &package, name)?;

    let mut written = Vec::new();
    for (path, text) in &files {
        write(path, text)?;
        written.push(relative(root, path));
    }
    write(&root_manifest_path, &new_manifest)?;
    written.push("Cargo.toml".to_string());
    // The templates are laid out as rustfmt would; a long name or title may still need it. Best effort: a
    // missing rustfmt leaves valid, if unformatted, code.
    let rust_files: Vec<&PathBuf> = files
        .iter()
        .map(|(p, _)| p)
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    let _ = std::process::Command::new("rustfmt")
        .args(["--edition", "2024"])
        .args(&rust_files)
        .stderr(std::process::Stdio::null())
        .status();
    Ok(Scaffolded {
        files: written,
        vendor,
        findings,
    })
}

/// The vendor a name's prefix implies, if any.
pub fn vendor_from_name(name: &str) -> Option<&'static str> {
    let prefixes: [(&str, &str); 7] = [
        ("seam", "Seam"),
        ("aveva", "AvevaConnect"),
        ("sailpoint-nerm", "SailPointNerm"),
        ("sailpoint-isc", "SailPointIsc"),
        ("sailpoint", "SailPointIsc"),
        ("huaweicloud", "HuaweiCloud"),
        ("huawei", "HuaweiCloud"),
    ];
    prefixes
        .iter()
        .find(|(p, _)| name == *p || name.starts_with(&format!("{p}-")))
        .map(|(_, v)| *v)
}

/// The first server's URL with its variables replaced by their defaults.
pub fn default_base_url(doc: &Value) -> Option<String> {
    let server = doc.pointer("/servers/0")?;
    let mut url = server.get("url")?.as_str()?.to_string();
    if let Some(Value::Object(vars)) = server.get("variables") {
        for (k, v) in vars {
            if let Some(d) = v.get("default").and_then(Value::as_str) {
                url = url.replace(&format!("{{{k}}}"), d);
            }
        }
    }
    Some(url.trim_end_matches('/').to_string())
}

/// The root manifest with `idprov-<name> = { path = "crates/<name>" }` added after the last `idprov-`
/// line of `[workspace.dependencies]`.
pub fn add_workspace_dependency(manifest: &str, package: &str, name: &str) -> Result<String> {
    let line = format!("{package} = {{ path = \"crates/{name}\" }}");
    let lines: Vec<&str> = manifest.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim() == "[workspace.dependencies]")
        .ok_or_else(|| {
            XtaskError("the root Cargo.toml has no [workspace.dependencies] section".to_string())
        })?;
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.trim_start().starts_with('['))
        .map_or(lines.len(), |i| start + 1 + i);
    let insert_at = lines[start + 1..end]
        .iter()
        .rposition(|l| l.trim_start().starts_with("idprov-"))
        .map(|i| start + 1 + i + 1)
        .unwrap_or_else(|| {
            // After the section's last non-blank line.
            lines[start + 1..end]
                .iter()
                .rposition(|l| !l.trim().is_empty())
                .map_or(start + 1, |i| start + 1 + i + 1)
        });
    let mut out: Vec<&str> = lines[..insert_at].to_vec();
    out.push(&line);
    out.extend_from_slice(&lines[insert_at..]);
    let mut text = out.join("\n");
    if manifest.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

fn toml_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

fn cargo_toml(name: &str, title: &str, optional: &[&str]) -> String {
    let description = toml_string(&format!(
        "Rust client for {title} (generated from specs/{name}.yaml)."
    ));
    let mut deps = String::new();
    for d in [
        "idprov-runtime",
        "progenitor-client",
        "reqwest",
        "serde",
        "serde_json",
        "futures",
    ]
    .iter()
    .chain(optional)
    {
        deps.push_str(&format!("{d}.workspace = true\n"));
    }
    format!(
        r#"[package]
name = "idprov-{name}"
description = {description}
version.workspace = true
edition.workspace = true
rust-version.workspace = true
license.workspace = true
publish.workspace = true
build = "build.rs"

[dependencies]
{deps}
[build-dependencies]
idprov-codegen.workspace = true

[dev-dependencies]
httpmock.workspace = true
tokio.workspace = true

[lints]
workspace = true
"#
    )
}

fn build_rs(name: &str) -> String {
    format!(
        r#"//! Generates the client from the spec at build time (see idprov-codegen).
fn main() {{
    idprov_codegen::build_script("../../specs/{name}.yaml");
}}
"#
    )
}

fn env_prefix(name: &str) -> String {
    name.to_ascii_uppercase().replace('-', "_")
}

fn lib_rs(name: &str, title: &str, vendor: &str, base_url: &str) -> String {
    let krate = format!("idprov_{}", name.replace('-', "_"));
    let prefix = env_prefix(name);
    let known_reader = VENDORS.iter().find(|(v, _)| *v == vendor).map(|(_, r)| *r);
    let (env_doc, env_path, env_fn) = match known_reader {
        Some(reader) => (
            format!(
                "//! Credentials and base URL come from the environment as for the other {vendor} clients (see\n\
                 //! `idprov_runtime::auth::env::{reader}`).\n"
            ),
            format!("idprov_runtime::auth::env::{reader}"),
            String::new(),
        ),
        None => (
            format!(
                "//! Credentials come from `{prefix}_ACCESS_TOKEN` (sent as a bearer token), the base URL from\n\
                 //! `{prefix}_BASE_URL` when it is set (else the spec's server, [`API`]'s `default_base_url`).\n"
            ),
            "env".to_string(),
            format!(
                r#"
/// Reads the client settings from the environment: `{prefix}_ACCESS_TOKEN` (required, a bearer token) and
/// `{prefix}_BASE_URL` (optional).
pub fn env(
    get: idprov_runtime::auth::env::Lookup<'_>,
) -> Result<idprov_runtime::auth::env::FromEnv, Error> {{
    let token = get("{prefix}_ACCESS_TOKEN").ok_or_else(|| {{
        Error::new(
            ErrorKind::InvalidRequest,
            "environment variable {prefix}_ACCESS_TOKEN is not set (the bearer token)",
        )
    }})?;
    Ok(idprov_runtime::auth::env::FromEnv {{
        base_url: get("{prefix}_BASE_URL"),
        credentials: Credentials::Bearer(Secret::new(token)),
    }})
}}
"#
            ),
        ),
    };
    let (vendor_doc, vendor_expr) = if known_reader.is_some() {
        (
            format!(
                "//! Vendor: `idprov_runtime::Vendor::{vendor}`, whose error reader and request-id header this API\n\
                 //! shares.\n"
            ),
            format!("idprov_runtime::Vendor::{vendor}"),
        )
    } else {
        (
            format!(
                "//! Vendor: `idprov_runtime::Vendor::Other({name:?})`: the runtime reads this API's error answers by\n\
                 //! common field names (such as `code` and `message`) and its request id from the `X-Request-Id`\n\
                 //! header, and errors name the vendor {name:?}.\n"
            ),
            format!("idprov_runtime::Vendor::Other({name:?})"),
        )
    };
    let title_doc = title.replace('\n', " ");
    format!(
        r#"//! Rust client for {title_doc}.
//!
//! Generated at build time from `specs/{name}.yaml` by idprov-codegen; auth, retries and errors come from
//! idprov-runtime. Scaffolded by `cargo xtask new {name}`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), {krate}::Error> {{
//! let client = {krate}::Client::from_env()?;
//! # let _ = client;
//! # Ok(())
//! # }}
//! ```
//!
{env_doc}//!
{vendor_doc}
idprov_runtime::client_crate! {{
    vendor: {vendor_expr},
    default_base_url: {base_url},
    env: {env_path},
}}
{env_fn}"#,
        base_url = toml_string(base_url),
    )
}

fn smoke_rs(name: &str, own_env_reader: bool) -> String {
    let krate = format!("idprov_{}", name.replace('-', "_"));
    let prefix = env_prefix(name);
    let env_test = if own_env_reader {
        format!(
            r#"
#[test]
fn the_environment_gives_a_bearer_token_and_an_optional_base_url() {{
    let vars = |name: &str| match name {{
        "{prefix}_ACCESS_TOKEN" => Some("env-token".to_string()),
        _ => None,
    }};
    match {krate}::env(&vars) {{
        Ok(found) => {{
            assert_eq!(found.base_url, None);
            assert!(matches!(found.credentials, Credentials::Bearer(_)));
        }}
        Err(e) => panic!("the environment reader failed: {{e}}"),
    }}
    let err = {krate}::env(&|_: &str| None)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("{prefix}_ACCESS_TOKEN"), "{{err}}");
}}
"#
        )
    } else {
        String::new()
    };
    format!(
        r#"//! Smoke test of the scaffolded client: its operation table is complete and a client builds.

use {krate}::{{API, Client, ClientConfig, Credentials, RetryPolicy, Secret}};

#[test]
fn every_operation_is_listed_once_with_its_error_statuses() {{
    assert!(!API.operations.is_empty(), "the spec declares no operation");
    let mut ids: Vec<&str> = API.operations.iter().map(|o| o.operation_id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        ids.len(),
        API.operations.len(),
        "operation ids are not unique"
    );
    for op in API.operations {{
        assert!(
            !op.error_statuses.is_empty(),
            "{{}} documents no error response",
            op.operation_id
        );
    }}
}}

#[test]
fn a_client_builds_from_explicit_settings() {{
    let client = Client::with_config(
        ClientConfig::new(Credentials::Bearer(Secret::new("smoke-token")))
            .base_url("http://127.0.0.1:9")
            .retry(RetryPolicy::none()),
    );
    match client {{
        Ok(client) => assert_eq!(client.runtime().vendor(), API.vendor),
        Err(e) => panic!("the client does not build: {{e}}"),
    }}
}}
{env_test}"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_case() {
        for ok in ["seam", "acme-scim", "a1-b2", "okta2"] {
            assert!(is_kebab_case(ok), "{ok}");
        }
        for bad in [
            "",
            "Seam",
            "acme_scim",
            "-acme",
            "acme-",
            "acme--scim",
            "1acme",
            "acme scim",
        ] {
            assert!(!is_kebab_case(bad), "{bad}");
        }
    }

    #[test]
    fn vendors_from_names() {
        assert_eq!(
            vendor_from_name("sailpoint-isc-sources"),
            Some("SailPointIsc")
        );
        assert_eq!(vendor_from_name("sailpoint-nerm"), Some("SailPointNerm"));
        assert_eq!(vendor_from_name("seamless"), None);
        assert_eq!(vendor_from_name("acme"), None);
    }

    #[test]
    fn dependency_goes_after_the_last_idprov_line() {
        let manifest = "[workspace]\n\n[workspace.dependencies]\nserde = \"1\"\nidprov-a = { path = \"crates/a\" }\n\n[workspace.lints.rust]\n";
        let out = add_workspace_dependency(manifest, "idprov-b", "b");
        assert_eq!(
            out,
            Ok("[workspace]\n\n[workspace.dependencies]\nserde = \"1\"\nidprov-a = { path = \"crates/a\" }\nidprov-b = { path = \"crates/b\" }\n\n[workspace.lints.rust]\n".to_string())
        );
    }
}
