//! `cargo xtask new <name>`: scaffolds the client crate `crates/<name>` (package `idprov-<name>`) for the
//! spec `specs/<name>.yaml`, and adds `idprov-<name>` to the root `[workspace.dependencies]` (the crate
//! itself is a member through `members = ["crates/*", ...]`).
//!
//! The crate is laid out like the others, and everything it knows of its vendor lives in it:
//! `Cargo.toml`, `build.rs` (generation at build time), `src/lib.rs` (the generated code and the runtime
//! glue), `src/vendor.rs` (the vendor's name, request-id header and error-body reader, starting from the
//! runtime's reader of common field names), `src/credentials.rs` (a bearer access token), `src/env.rs`
//! (`<NAME>_ACCESS_TOKEN` and `<NAME>_BASE_URL`), `src/mock.rs` (the typed httpmock helpers of its `mock`
//! feature) and `tests/smoke.rs`. Adapt the three vendor modules to
//! what the vendor documents; nothing outside the crate and its spec changes.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{Result, XtaskError, read, relative, write};

/// What `new` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The kebab-case API name (`specs/<name>.yaml`, `crates/<name>`, package `idprov-<name>`).
    pub name: String,
}

impl Request {
    /// Parses the arguments after `new`.
    pub fn from_args(args: &[String]) -> Result<Self> {
        let usage = "usage: cargo xtask new <name>";
        let mut name = None;
        for a in args {
            match a.as_str() {
                s if s.starts_with('-') => {
                    return Err(XtaskError(format!("unknown option {s:?}; {usage}")));
                }
                s if name.is_none() => name = Some(s.to_string()),
                s => return Err(XtaskError(format!("unexpected argument {s:?}; {usage}"))),
            }
        }
        let name = name.ok_or_else(|| XtaskError(usage.to_string()))?;
        Ok(Self { name })
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
    /// The vendor name errors and logs show (the API name; change it in `src/vendor.rs`).
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
    let vendor = name.to_string();

    // The spec must generate, mocks included, and what it generates decides the optional dependencies.
    let generated =
        idprov_codegen::generate_file_with(&spec, &idprov_codegen::Options::with_mock())
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
            lib_rs(name, &title, &base_url),
        ),
        (crate_dir.join("src").join("vendor.rs"), vendor_rs(name)),
        (
            crate_dir.join("src").join("credentials.rs"),
            credentials_rs(name),
        ),
        (crate_dir.join("src").join("env.rs"), env_rs(name)),
        (crate_dir.join("src").join("mock.rs"), mock_rs(name)),
        (crate_dir.join("tests").join("smoke.rs"), smoke_rs(name)),
    ];
    let new_manifest = add_workspace_dependency(&root_manifest, &package, name)?;

    let mut written = Vec::new();
    for (path, text) in &files {
        write(path, text)?;
        written.push(relative(root, path));
    }
    let link = link_spec(&crate_dir, name)?;
    written.push(relative(root, &link));
    // The spec's JSON form, which build.rs reads (`cargo xtask codegen` keeps it current).
    let json_form = idprov_codegen::json_form::from_yaml(&format!("{name}.yaml"), &spec_text)
        .map_err(|e| XtaskError(format!("specs/{name}.yaml: {e}")))?;
    let json_path = crate_dir.join(format!("{name}.json"));
    write(&json_path, &json_form)?;
    written.push(relative(root, &json_path));
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
    let line = format!("{package} = {{ path = \"crates/{name}\", version = \"0.1.0\" }}");
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
repository.workspace = true
readme = "../../README.md"
documentation = "https://docs.rs/idprov-{name}"
keywords = ["api-client", "openapi"]
categories = ["api-bindings", "web-programming::http-client"]
build = "build.rs"

[dependencies]
{deps}
# The `mock` feature's typed httpmock helpers.
httpmock = {{ workspace = true, optional = true }}
regex = {{ workspace = true, optional = true }}

[features]
default = []
## Typed httpmock helpers for your unit tests (`mock`), generated from the spec by build.rs only when this
## feature is on.
mock = ["dep:httpmock", "dep:regex", "idprov-codegen/mock"]

[build-dependencies]
idprov-codegen.workspace = true

[dev-dependencies]
httpmock.workspace = true
tokio.workspace = true

[package.metadata.docs.rs]
features = ["mock"]

[lints]
workspace = true
"#
    )
}

fn build_rs(name: &str) -> String {
    format!(
        r#"//! Generates the client from the spec at build time (see idprov-codegen). `{name}.yaml` is a symlink to
//! `specs/{name}.yaml`, so the spec travels inside the packaged crate; the document is read from its JSON
//! form `{name}.json` (written by `cargo xtask codegen`), so that a user's build compiles no YAML parser.
fn main() {{
    idprov_codegen::build_script("{name}.yaml");
}}
"#
    )
}

/// `crates/<name>/<name>.yaml` → `../../specs/<name>.yaml` (a copy where symlinks are not available).
fn link_spec(crate_dir: &Path, name: &str) -> Result<PathBuf> {
    let link = crate_dir.join(format!("{name}.yaml"));
    let target = PathBuf::from("../../specs").join(format!("{name}.yaml"));
    #[cfg(unix)]
    let made = std::os::unix::fs::symlink(&target, &link);
    #[cfg(not(unix))]
    let made = std::fs::copy(crate_dir.join(&target), &link).map(drop);
    made.map_err(|e| XtaskError(format!("cannot link {}: {e}", link.display())))?;
    Ok(link)
}

fn env_prefix(name: &str) -> String {
    name.to_ascii_uppercase().replace('-', "_")
}

fn lib_rs(name: &str, title: &str, base_url: &str) -> String {
    let krate = format!("idprov_{}", name.replace('-', "_"));
    let prefix = env_prefix(name);
    let title_doc = title.replace('\n', " ");
    format!(
        r#"//! Rust client for {title_doc}.
//!
//! Generated at build time from `specs/{name}.yaml` by idprov-codegen; auth, retries and errors come from
//! idprov-runtime. Scaffolded by `cargo xtask new {name}`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), {krate}::Error> {{
//! // {prefix}_ACCESS_TOKEN, and optionally {prefix}_BASE_URL
//! let client = {krate}::Client::from_env()?;
//! # let _ = client;
//! # Ok(())
//! # }}
//! ```

idprov_runtime::client_crate! {{
    vendor: &vendor::VENDOR,
    default_base_url: Some({base_url}),
    base_url_hint: {hint},
    credentials: Credentials,
    env: env::from_env,
}}

mod credentials;
pub mod env;
#[cfg(feature = "mock")]
pub mod mock;
mod vendor;

pub use credentials::Credentials;
"#,
        base_url = toml_string(base_url),
        hint = toml_string(&format!("{base_url}, or {prefix}_BASE_URL")),
    )
}

fn vendor_rs(name: &str) -> String {
    format!(
        r#"//! This API's vendor as the runtime sees it: the name errors and logs show, the response header with the
//! vendor's request id, and how its error body reads (the runtime's reader of common field names such as
//! `code` and `message`; write the vendor's own when it documents one).

use idprov_runtime::vendor::{{VendorProfile, common_error_body}};

/// The vendor of this API.
pub(crate) static VENDOR: VendorProfile = VendorProfile {{
    name: {name:?},
    request_id_headers: &["x-request-id", "request-id"],
    header_request_id_wins: true,
    read_error_body: common_error_body,
}};
"#
    )
}

fn credentials_rs(name: &str) -> String {
    format!(
        r#"//! What a client of this API authenticates with.

use idprov_runtime::Secret;
use idprov_runtime::auth::{{AuthScheme, IntoAuth}};

/// Credentials of this API: an access token, sent as a bearer token.
#[derive(Clone, Debug)]
pub enum Credentials {{
    /// A bearer access token.
    AccessToken(Secret),
}}

impl IntoAuth for Credentials {{
    fn into_auth(self) -> Result<AuthScheme, idprov_runtime::Error> {{
        match self {{
            Self::AccessToken(token) => AuthScheme::bearer("the {name} access token", &token),
        }}
    }}
}}
"#
    )
}

fn env_rs(name: &str) -> String {
    let prefix = env_prefix(name);
    format!(
        r#"//! Settings from the environment: `{prefix}_ACCESS_TOKEN` (required, a bearer token) and
//! `{prefix}_BASE_URL` (optional; the spec's server otherwise).

use idprov_runtime::env::{{Lookup, required}};
use idprov_runtime::{{Error, Secret}};

use crate::{{ClientConfig, Credentials}};

/// Reads the settings through `get` (the process environment for [`Client::from_env`](crate::Client::from_env)).
pub fn from_env(get: Lookup<'_>) -> Result<ClientConfig, Error> {{
    let token = required(get, "{prefix}_ACCESS_TOKEN", "the bearer token")?;
    let mut config = ClientConfig::new(Credentials::AccessToken(Secret::new(token)));
    config.base_url = get("{prefix}_BASE_URL");
    Ok(config)
}}
"#
    )
}

fn mock_rs(name: &str) -> String {
    let krate = format!("idprov_{}", name.replace('-', "_"));
    format!(
        r#"//! Typed [httpmock](https://docs.rs/httpmock) mocks of this API's operations, for your unit tests (the
//! `mock` feature). [`MockServerExt`] gives httpmock's `MockServer` one method per operation, whose
//! closure gets the operation's typed `When` and `Then`:
//!
//! ```ignore
//! use {krate}::mock::MockServerExt;
//! let server = httpmock::MockServer::start_async().await;
//! let mock = server.some_operation(|when, then| {{
//!     when.some_parameter("value");
//!     then.ok(&answer);
//! }});
//! ```
//!
//! Generated by progenitor's `Generator::httpmock` from the client's rewritten spec (so every type is the
//! client's), at build time and only with the feature on; what differs from progenitor's own output is
//! listed in the generated file's header (see idprov-codegen's `mock` module).

idprov_runtime::include_mocks!();
"#
    )
}

fn smoke_rs(name: &str) -> String {
    let krate = format!("idprov_{}", name.replace('-', "_"));
    let prefix = env_prefix(name);
    format!(
        r#"//! Smoke test of the scaffolded client: its operation table is complete, a client builds, and the
//! environment reader names what is missing.

use {krate}::{{API, Client, ClientConfig, Credentials, ErrorKind, RetryPolicy, Secret}};

/// With the `mock` feature, httpmock's server has the typed mocks (`cargo test --features mock`).
#[cfg(feature = "mock")]
#[test]
fn the_typed_mocks_extend_httpmocks_server() {{
    fn has_mocks<T: {krate}::mock::MockServerExt>() {{}}
    has_mocks::<httpmock::MockServer>();
}}

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
fn a_client_builds_from_explicit_settings_and_refuses_an_empty_token() {{
    let config = |token: &str| {{
        ClientConfig::new(Credentials::AccessToken(Secret::new(token)))
            .base_url("http://127.0.0.1:9")
            .retry(RetryPolicy::none())
    }};
    if let Err(e) = Client::with_config(config("smoke-token")) {{
        panic!("the client does not build: {{e}}");
    }}
    match Client::with_config(config("")) {{
        Ok(_) => panic!("an empty token was accepted"),
        Err(e) => {{
            assert_eq!(e.kind(), ErrorKind::InvalidRequest);
            assert!(e.message().contains("access token"), "{{e}}");
        }}
    }}
}}

#[test]
fn the_environment_gives_a_bearer_token_and_an_optional_base_url() {{
    let vars = |name: &str| match name {{
        "{prefix}_ACCESS_TOKEN" => Some("env-token".to_string()),
        _ => None,
    }};
    match {krate}::env::from_env(&vars) {{
        Ok(found) => {{
            assert_eq!(found.base_url, None);
            assert!(matches!(found.credentials, Credentials::AccessToken(_)));
        }}
        Err(e) => panic!("the environment reader failed: {{e}}"),
    }}
    let err = {krate}::env::from_env(&|_: &str| None)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("{prefix}_ACCESS_TOKEN"), "{{err}}");
}}
"#
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
    fn dependency_goes_after_the_last_idprov_line() {
        let manifest = "[workspace]\n\n[workspace.dependencies]\nserde = \"1\"\nidprov-a = { path = \"crates/a\" }\n\n[workspace.lints.rust]\n";
        let out = add_workspace_dependency(manifest, "idprov-b", "b");
        assert_eq!(
            out,
            Ok("[workspace]\n\n[workspace.dependencies]\nserde = \"1\"\nidprov-a = { path = \"crates/a\" }\nidprov-b = { path = \"crates/b\", version = \"0.1.0\" }\n\n[workspace.lints.rust]\n".to_string())
        );
    }
}
