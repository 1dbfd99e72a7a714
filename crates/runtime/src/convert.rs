//! From what a generated client returns (`progenitor_client::Error`) to the one idprov [`Error`].
//!
//! progenitor's hooks can only fail with `progenitor_client::Error::Custom(String)`, so an error made by
//! the runtime inside a hook travels as a marked JSON string and is turned back into the same [`Error`] here.

use serde::{Deserialize, Serialize};

use crate::runtime::AnswerContext;
use crate::vendor::Vendor;
use crate::{Error, ErrorKind};

const MARKER: &str = "idprov-runtime-error:";

#[derive(Serialize, Deserialize)]
struct Wire {
    kind: String,
    vendor: Option<String>,
    operation_id: Option<String>,
    status: Option<u16>,
    code: Option<String>,
    message: String,
    details: Vec<String>,
    request_id: Option<String>,
    retry_after_ms: Option<u64>,
    body_prefix: Option<String>,
}

const KINDS: &[(ErrorKind, &str)] = &[
    (ErrorKind::InvalidRequest, "invalid_request"),
    (ErrorKind::Auth, "auth"),
    (ErrorKind::Forbidden, "forbidden"),
    (ErrorKind::Validation, "validation"),
    (ErrorKind::NotFound, "not_found"),
    (ErrorKind::Conflict, "conflict"),
    (ErrorKind::RateLimited, "rate_limited"),
    (ErrorKind::Server, "server"),
    (ErrorKind::Client, "client"),
    (ErrorKind::Transport, "transport"),
    (ErrorKind::Timeout, "timeout"),
    (ErrorKind::Decode, "decode"),
    (ErrorKind::JobFailed, "job_failed"),
];

const VENDORS: &[(Vendor, &str)] = &[
    (Vendor::Seam, "seam"),
    (Vendor::AvevaConnect, "aveva"),
    (Vendor::SailPointNerm, "nerm"),
    (Vendor::SailPointIsc, "isc"),
    (Vendor::HuaweiCloud, "huawei"),
];

impl Error {
    /// Wraps this error for a progenitor hook: hooks can only fail with `progenitor_client::Error::Custom`,
    /// so the error travels as a marked JSON string that `From<progenitor_client::Error<E>>` turns back
    /// into the same `Error`.
    pub fn into_hook_error<E>(self) -> progenitor_client::Error<E> {
        let this = *self.inner;
        let wire = Wire {
            kind: KINDS
                .iter()
                .find(|(k, _)| *k == this.kind)
                .map(|(_, n)| n.to_string())
                .unwrap_or_default(),
            vendor: this.vendor.map(|v| {
                VENDORS
                    .iter()
                    .find(|(x, _)| *x == v)
                    .map(|(_, n)| n.to_string())
                    .unwrap_or_else(|| format!("other:{v}"))
            }),
            operation_id: this.operation_id,
            status: this.status,
            code: this.code,
            message: this.message,
            details: this.details,
            request_id: this.request_id,
            retry_after_ms: this.retry_after.map(|d| d.as_millis() as u64),
            body_prefix: this.body_prefix,
        };
        let json = serde_json::to_string(&wire).unwrap_or_default();
        progenitor_client::Error::Custom(format!("{MARKER}{json}"))
    }

    fn from_hook_string(s: &str) -> Option<Self> {
        let wire: Wire = serde_json::from_str(s.strip_prefix(MARKER)?).ok()?;
        let kind = KINDS.iter().find(|(_, n)| *n == wire.kind)?.0;
        let mut e = Error::new(kind, wire.message);
        e.inner.vendor = wire
            .vendor
            .and_then(|v| VENDORS.iter().find(|(_, n)| *n == v))
            .map(|(v, _)| *v);
        e.inner.operation_id = wire.operation_id;
        e.inner.status = wire.status;
        e.inner.code = wire.code;
        e.inner.details = wire.details;
        e.inner.request_id = wire.request_id;
        e.inner.retry_after = wire.retry_after_ms.map(std::time::Duration::from_millis);
        e.inner.body_prefix = wire.body_prefix;
        Some(e)
    }
}

/// A transport error's message with its source chain (reqwest's own message alone is often just
/// "error sending request").
pub(crate) fn transport_message(e: &reqwest::Error) -> String {
    let mut msg = e.without_url_ref().to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

trait WithoutUrl {
    fn without_url_ref(&self) -> String;
}

impl WithoutUrl for reqwest::Error {
    /// reqwest prints the URL; it carries no secret here, but it repeats what the operation id says.
    fn without_url_ref(&self) -> String {
        match self.url() {
            Some(url) => self.to_string().replace(&format!(" for url ({url})"), ""),
            None => self.to_string(),
        }
    }
}

pub(crate) fn from_reqwest(e: reqwest::Error, context: &str) -> Error {
    let kind = if e.is_timeout() {
        ErrorKind::Timeout
    } else {
        ErrorKind::Transport
    };
    let mut err = Error::new(kind, format!("{context}: {}", transport_message(&e)));
    err.inner.status = e.status().map(|s| s.as_u16());
    err
}

impl<E> From<progenitor_client::Error<E>> for Error {
    fn from(e: progenitor_client::Error<E>) -> Self {
        use progenitor_client::Error as P;
        match e {
            P::InvalidRequest(msg) => Error::new(
                ErrorKind::InvalidRequest,
                format!("request not sent: {msg}"),
            ),
            P::CommunicationError(e) => from_reqwest(e, "no answer"),
            P::InvalidUpgrade(e) => from_reqwest(e, "connection upgrade failed"),
            P::ResponseBodyError(e) => from_reqwest(e, "the answer broke off"),
            // Generated idprov clients decode through `crate::decode`; this is progenitor's own path
            // (no headers at hand), described the same way.
            P::InvalidResponsePayload(body, e) => {
                crate::decode::decode_error(&body, &reqwest::header::HeaderMap::new(), &e)
                    .with_body_prefix(&body)
            }
            P::ErrorResponse(rv) => {
                let status = rv.status().as_u16();
                Error::new(ErrorKind::from_status(status), "error answer").with_status(status)
            }
            P::UnexpectedResponse(resp) => {
                let status = resp.status().as_u16();
                match resp.extensions().get::<AnswerContext>() {
                    Some(ctx) => ctx
                        .vendor
                        .read_error(status, resp.headers(), &ctx.body)
                        .with_operation(ctx.operation_id),
                    None => Error::new(ErrorKind::from_status(status), "undocumented answer")
                        .with_status(status),
                }
            }
            P::Custom(s) => Error::from_hook_string(&s)
                .unwrap_or_else(|| Error::new(ErrorKind::InvalidRequest, s)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload_error(body: &'static [u8]) -> Error {
        let e = serde_json::from_slice::<u32>(body).unwrap_err();
        Error::from(progenitor_client::Error::<()>::InvalidResponsePayload(
            bytes::Bytes::from_static(body),
            e,
        ))
    }

    #[test]
    fn progenitors_payload_errors_read_like_the_runtimes_decode_errors() {
        let wrong_shape = payload_error(br#"{"a": 1}"#);
        assert_eq!(wrong_shape.kind(), ErrorKind::Decode);
        assert!(
            wrong_shape
                .message()
                .contains("not of the documented shape"),
            "{wrong_shape}"
        );
        assert_eq!(wrong_shape.body_prefix(), Some(r#"{"a": 1}"#));

        let html = payload_error(b"<html>502</html>");
        assert!(html.message().contains("cannot be JSON"), "{html}");
        assert_eq!(html.body_prefix(), Some("<html>502</html>"));
    }
}
