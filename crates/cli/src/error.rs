//! [`CallError`]: why one call through the command line did not give an answer.

use std::fmt;

use crate::table::Command;

/// Why a call did not give an answer: the API's own error (or the client refusing before sending), a
/// parameter or body that does not fit (naming the field), or a client that could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum CallError {
    /// The API answered with an error, or the client refused or failed (transport, timeout, decode, a
    /// value over a documented limit): the runtime's [`idprov_runtime::Error`], with its kind, status,
    /// vendor code, message and request id.
    Api(idprov_runtime::Error),
    /// A parameter or the body does not fit the operation: `field` is the parameter's spec name, `body`, or
    /// `body.<path>` for a member of the body; `message` says what was expected.
    Invalid {
        /// The parameter (spec name), `body`, `body.<member path>`, or the flag it came from.
        field: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// The client could not be built from the environment and flags (a variable or flag missing or
    /// invalid); the error names it. No secret is in it.
    Config(idprov_runtime::Error),
}

impl CallError {
    /// `operation` is not one of `commands`.
    pub fn unknown_operation(operation: &str, commands: &[Command]) -> Self {
        let known: Vec<&str> = commands.iter().map(|c| c.operation_id).collect();
        Self::Invalid {
            field: "operation".into(),
            message: format!(
                "unknown operation {operation:?}; one of {}",
                known.join(", ")
            ),
        }
    }

    /// `operation` needs a body and none was given.
    pub fn missing_body(operation: &str) -> Self {
        Self::Invalid {
            field: "body".into(),
            message: format!(
                "{operation} needs a request body (--body JSON, --body-file FILE, or its member flags)"
            ),
        }
    }

    /// `operation` takes no body and one was given.
    pub fn unexpected_body(operation: &str) -> Self {
        Self::Invalid {
            field: "body".into(),
            message: format!("{operation} takes no request body"),
        }
    }

    /// The runtime error underneath, for [`CallError::Api`] and [`CallError::Config`].
    pub fn api_error(&self) -> Option<&idprov_runtime::Error> {
        match self {
            Self::Api(e) | Self::Config(e) => Some(e),
            Self::Invalid { .. } => None,
        }
    }

    /// The field named by [`CallError::Invalid`].
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(e) => write!(f, "{e}"),
            Self::Invalid { message, .. } => f.write_str(message),
            Self::Config(e) => write!(f, "{}", e.message()),
        }
    }
}

impl std::error::Error for CallError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Api(e) | Self::Config(e) => Some(e),
            Self::Invalid { .. } => None,
        }
    }
}

impl From<idprov_runtime::Error> for CallError {
    fn from(e: idprov_runtime::Error) -> Self {
        Self::Api(e)
    }
}
