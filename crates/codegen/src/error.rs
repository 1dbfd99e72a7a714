//! What can go wrong while generating a client.

use std::fmt;

/// A failure to turn a spec into Rust source. Every variant names the spec it concerns.
#[derive(Debug)]
pub enum CodegenError {
    /// The spec file could not be read.
    Read {
        /// The path that was read.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The spec is not valid YAML or not an OpenAPI 3.0 document.
    Parse {
        /// The spec's file name.
        spec: String,
        /// What the parser said, with line and column where it knows them.
        message: String,
    },
    /// The spec is well-formed but describes something idprov cannot generate.
    Unsupported {
        /// The spec's file name.
        spec: String,
        /// A JSON pointer to the offending place.
        pointer: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// progenitor returned an error.
    Progenitor {
        /// The spec's file name.
        spec: String,
        /// progenitor's message.
        message: String,
    },
    /// progenitor panicked (it asserts on shapes it does not support).
    ProgenitorPanic {
        /// The spec's file name.
        spec: String,
        /// The panic message.
        message: String,
    },
    /// The spec's JSON form (what a client crate's build script reads, see [`crate::json_form`]) was made
    /// from other bytes than the spec's YAML file: `cargo xtask codegen` writes it again.
    StaleJson {
        /// The spec's file name.
        spec: String,
        /// The JSON form's file name.
        json: String,
        /// The YAML hash recorded in the JSON form (empty when it records none).
        recorded: String,
        /// The hash of the YAML file as it is.
        actual: String,
    },
    /// A bug in idprov-codegen itself.
    Internal {
        /// What went wrong.
        what: String,
    },
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Read { path, source } => write!(f, "cannot read spec {path}: {source}"),
            Self::Parse { spec, message } => {
                write!(f, "{spec}: not a valid OpenAPI 3.0 document: {message}")
            }
            Self::Unsupported {
                spec,
                pointer,
                message,
            } => write!(f, "{spec}#{pointer}: {message}"),
            Self::Progenitor { spec, message } => write!(f, "{spec}: progenitor failed: {message}"),
            Self::ProgenitorPanic { spec, message } => {
                write!(
                    f,
                    "{spec}: progenitor panicked (an unsupported shape survived the rewrites): {message}"
                )
            }
            Self::StaleJson {
                spec,
                json,
                recorded,
                actual,
            } => write!(
                f,
                "{json} was made from another {spec} (sha256 {}, this {spec} has {actual}): run \
                 `cargo xtask codegen` to write it again",
                if recorded.is_empty() {
                    "not recorded"
                } else {
                    recorded
                }
            ),
            Self::Internal { what } => write!(f, "idprov-codegen internal error: {what}"),
        }
    }
}

impl std::error::Error for CodegenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Read { source, .. } => Some(source),
            _ => None,
        }
    }
}
