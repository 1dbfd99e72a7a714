//! A credential that never shows itself in Debug output, errors or logs.

use std::fmt;
use std::sync::Arc;

/// A secret string (API key, client secret, token, SK). `Debug` prints `Secret(***)`; there is no `Display`.
/// Read it with [`Secret::expose`] only where it is put on the wire.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Arc<str>);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(Arc::from(value.into()))
    }
    /// The secret value, for putting it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Self::new(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

/// Secrets shorter than this are not scrubbed from errors: replacing a two-letter "secret" everywhere would
/// garble every message, and no real credential is that short.
pub const MIN_REDACTED_LEN: usize = 8;

/// A header value marked sensitive (hyper and reqwest then never print it), or an error naming the header.
pub(crate) fn sensitive_header(
    name: &str,
    value: &str,
) -> Result<reqwest::header::HeaderValue, crate::Error> {
    let mut v = reqwest::header::HeaderValue::from_str(value).map_err(|_| {
        crate::Error::new(
            crate::ErrorKind::InvalidRequest,
            format!("the credential for header {name} contains characters a header cannot carry"),
        )
    })?;
    v.set_sensitive(true);
    Ok(v)
}
