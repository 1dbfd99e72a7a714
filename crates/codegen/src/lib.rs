//! idprov-codegen: the one function that turns an idprov OpenAPI spec into the Rust source of its client.
//!
//! Both every client crate's `build.rs` and `cargo xtask codegen` call [`generate_file_with`], so what a
//! reviewer sees in the snapshots is token for token what the crate compiles (the build script skips the
//! formatting, see [`Layout`]).
//!
//! ```no_run
//! // The whole build.rs of a client crate is this call, inside `fn main`:
//! idprov_codegen::build_script("../../specs/seam.yaml");
//! ```
//!
//! Generation works in four steps:
//! 1. [`load`]: parse the YAML spec (OpenAPI 3.0.x only), or in a build script its JSON form
//!    ([`json_form`], written by `cargo xtask codegen`, so that a user's build compiles no YAML parser);
//! 2. [`rewrite`]: adapt a copy of it, in memory, to the limits of progenitor 0.15.1, recording each
//!    change by operation;
//! 3. progenitor generates the client; [`operations`] adds a table of what the runtime must know per
//!    operation (documented error statuses, headers it fills, whether a JSON body is expected);
//! 4. [`postprocess`] edits progenitor's code to take its per-call overhead out (same bytes on the wire);
//! 5. the source is written out under a header naming the spec, its hash, the progenitor version, the
//!    rewrites and the edits: formatted by prettyplease for people ([`Layout::Formatted`], the xtask
//!    snapshots), or as the token stream's own text for the compiler ([`Layout::Tokens`], what
//!    [`build_script`] writes: nobody reads `$OUT_DIR`, and a user's first build does not compile
//!    prettyplease or run it unoptimised). Both layouts hold the same tokens.
//!
//! With [`Options::with_mock`] (what `build_script` does when the crate's `mock` feature is on), the same
//! generator then writes the typed httpmock helpers from the same rewritten spec ([`mock`]), under a
//! header of their own listing what differs from progenitor's output.

mod build;
mod calls_return_error;
#[cfg(feature = "cli")]
pub mod cli_table;
mod error;
mod hidden_constructors;
pub mod json_form;
mod layout;
#[cfg(feature = "review")]
pub mod lint;
pub mod load;
#[cfg(feature = "mock")]
pub mod mock;
pub mod operations;
pub mod postprocess;
mod query_bounds;
mod rebuild_request;
pub mod rewrite;
mod set_query_only;
mod setter_docs;
mod sha256;
#[cfg(feature = "review")]
pub mod surface;

use std::path::Path;

pub use build::build_script;
pub use error::CodegenError;
pub use layout::Layout;
pub use rewrite::Rewrite;

/// The progenitor version the generated code comes from, written into every generated header.
pub const PROGENITOR_VERSION: &str = "0.15.1";

/// The Rust type the generated `Client` keeps as its inner value (the shared runtime).
pub const INNER_TYPE: &str = "idprov_runtime::__private::Runtime";

/// The result of generating one spec.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The spec's file name, as written into the header (for example `seam.yaml`).
    pub spec_name: String,
    /// Hex SHA-256 of the spec's bytes: the YAML file a person edits, also when the client was generated from
    /// its JSON form ([`generate_json_with`]).
    pub spec_sha256: String,
    /// The Rust source, header included, in the [`Options::layout`] asked for; `include!` it from the
    /// crate's lib.rs.
    pub source: String,
    /// Every in-memory change made to the spec before generation, by operation.
    pub rewrites: Vec<Rewrite>,
    /// What [`postprocess`] changed in progenitor's code.
    pub edits: postprocess::Edits,
    /// The typed httpmock helpers, when [`Options::mock`] asked for them.
    #[cfg(feature = "mock")]
    pub mock: Option<mock::Mock>,
}

/// What to generate besides the client, and how to lay the source out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Also generate the typed httpmock helpers ([`mock`]), naming the client crate by this path (`crate`
    /// when they are compiled inside it).
    #[cfg(feature = "mock")]
    pub mock: Option<String>,
    /// The text layout of the client and mock sources: [`Layout::Formatted`] (the default) for people,
    /// [`Layout::Tokens`] for the compiler only.
    pub layout: Layout,
}

impl Options {
    /// The client and its typed mocks, compiled in the same crate (the mocks name it `crate`).
    #[cfg(feature = "mock")]
    pub fn with_mock() -> Self {
        Self {
            mock: Some("crate".to_string()),
            ..Self::default()
        }
    }

    /// The same options with the source laid out as `layout`.
    pub fn with_layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }
}

/// Reads the spec at `path` and generates its client source.
pub fn generate_file(path: &Path) -> Result<Generated, CodegenError> {
    generate_file_with(path, &Options::default())
}

/// Reads the spec at `path` and generates its client source, and what `options` asks for besides.
pub fn generate_file_with(path: &Path, options: &Options) -> Result<Generated, CodegenError> {
    let text = std::fs::read_to_string(path).map_err(|source| CodegenError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    generate_str_with(&name, &text, options)
}

/// Generates the client source from the text of a spec; `spec_name` names it in messages and the header.
pub fn generate_str(spec_name: &str, text: &str) -> Result<Generated, CodegenError> {
    generate_str_with(spec_name, text, &Options::default())
}

/// [`generate_str`], and what `options` asks for besides.
pub fn generate_str_with(
    spec_name: &str,
    text: &str,
    options: &Options,
) -> Result<Generated, CodegenError> {
    let spec = load::parse(spec_name, text)?;
    generate_document(spec_name, sha256_hex(text.as_bytes()), spec, options)
}

/// Generates the client source from the JSON form of a spec ([`json_form`]: what a client crate's build
/// script reads); `spec_name` names the YAML spec and `spec_bytes` are its bytes, which the JSON form must
/// have been made from ([`CodegenError::StaleJson`] otherwise). The result is the same as
/// [`generate_str_with`] on the YAML, header included: `spec sha256` is the hash of `spec_bytes`.
pub fn generate_json_with(
    spec_name: &str,
    spec_bytes: &[u8],
    json: &str,
    options: &Options,
) -> Result<Generated, CodegenError> {
    let (value, spec_sha256) = json_form::read(spec_name, spec_bytes, json)?;
    let spec = load::document(spec_name, value)?;
    generate_document(spec_name, spec_sha256, spec, options)
}

fn generate_document(
    spec_name: &str,
    spec_sha256: String,
    mut spec: openapiv3::OpenAPI,
    options: &Options,
) -> Result<Generated, CodegenError> {
    // The table is read from the spec as written, before the rewrites remove what progenitor cannot take.
    let table = operations::collect(spec_name, &spec)?;
    let rewrites = rewrite::apply(spec_name, &mut spec)?;

    let mut settings = client_settings();
    settings
        .with_hooks(progenitor::HooksMode::Expected)
        .with_inner_type(INNER_TYPE.parse().map_err(|_| CodegenError::Internal {
            what: "the inner type does not parse as Rust".into(),
        })?);
    let mut generator = progenitor::Generator::new(&settings);
    let tokens = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        generator.generate_tokens(&spec)
    }))
    .map_err(|panic| CodegenError::ProgenitorPanic {
        spec: spec_name.to_string(),
        message: panic_message(&panic),
    })?
    .map_err(|e| CodegenError::Progenitor {
        spec: spec_name.to_string(),
        message: e.to_string(),
    })?;
    let table_tokens = operations::to_tokens(&table);
    let file = quote::quote! {
        #tokens
        #table_tokens
    };
    let mut ast: syn::File = syn::parse2(file).map_err(|e| CodegenError::Internal {
        what: format!("progenitor produced tokens that do not parse: {e}"),
    })?;
    let edits = postprocess::apply(spec_name, &mut ast, &table)?;
    let body = layout::render(&ast, options.layout)?;

    let source = format!(
        "{}{}",
        header(spec_name, &spec_sha256, &rewrites, &edits),
        body
    );
    // The mocks come from the same generator (its type space holds the client's types) and the same
    // rewritten spec.
    #[cfg(feature = "mock")]
    let mock = match &options.mock {
        Some(crate_path) => Some(mock::generate(
            spec_name,
            &spec_sha256,
            &spec,
            &mut generator,
            crate_path,
            &table,
            options.layout,
        )?),
        None => None,
    };
    Ok(Generated {
        spec_name: spec_name.to_string(),
        spec_sha256,
        source,
        rewrites,
        edits,
        #[cfg(feature = "mock")]
        mock,
    })
}

/// The progenitor settings every idprov client is generated with, before the runtime is attached (hooks
/// and inner type): the builder interface, tags merged into one `Client`, `PartialEq` on every type. The
/// benchmarks' hook-free client (b) is generated with exactly these.
pub fn client_settings() -> progenitor::GenerationSettings {
    let mut settings = progenitor::GenerationSettings::new();
    settings
        .with_interface(progenitor::InterfaceStyle::Builder)
        .with_tag(progenitor::TagStyle::Merged)
        .with_derive("PartialEq");
    settings
}

/// Hex SHA-256 of `bytes` (64 lowercase hex digits).
pub fn sha256_hex(bytes: &[u8]) -> String {
    sha256::hex_digest(bytes)
}

fn header(spec_name: &str, sha: &str, rewrites: &[Rewrite], edits: &postprocess::Edits) -> String {
    let mut h = String::new();
    h.push_str("// @generated by idprov-codegen. Do not edit: change the spec and rebuild.\n");
    h.push_str(&format!("// spec: {spec_name}\n// spec sha256: {sha}\n"));
    h.push_str(&format!("// progenitor: {PROGENITOR_VERSION}\n"));
    if rewrites.is_empty() {
        h.push_str("// in-memory rewrites: none\n");
    } else {
        h.push_str("// in-memory rewrites (the spec on disk is unchanged):\n");
        for r in rewrites {
            h.push_str(&format!("//   {r}\n"));
        }
    }
    h.push_str("// edits to progenitor's code (idprov-codegen's postprocess module):\n");
    for line in edits.describe() {
        h.push_str(&format!("//   {line}\n"));
    }
    h.push('\n');
    h
}

pub(crate) fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}
