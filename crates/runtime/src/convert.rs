//! reqwest's errors as idprov [`Error`]s: a transport failure or a timeout, with reqwest's whole source
//! chain in the message and reqwest's error kept as the [`source`](std::error::Error::source).

use crate::{Error, ErrorKind};

/// A transport error's message with its source chain (reqwest's own message alone is often just
/// "error sending request").
pub(crate) fn transport_message(e: &reqwest::Error) -> String {
    let mut msg = without_url(e);
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

/// reqwest prints the URL; it carries no secret here, but it repeats what the operation id says.
fn without_url(e: &reqwest::Error) -> String {
    match e.url() {
        Some(url) => e.to_string().replace(&format!(" for url ({url})"), ""),
        None => e.to_string(),
    }
}

/// `e` as a [`ErrorKind::Timeout`] or [`ErrorKind::Transport`] error whose message starts with `context`.
pub(crate) fn from_reqwest(e: reqwest::Error, context: &str) -> Error {
    let kind = if e.is_timeout() {
        ErrorKind::Timeout
    } else {
        ErrorKind::Transport
    };
    let mut err = Error::new(kind, format!("{context}: {}", transport_message(&e)));
    err.inner.status = e.status().map(|s| s.as_u16());
    err.with_source(e)
}
