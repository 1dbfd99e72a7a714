//! Reading a documented success answer into its type, called by the generated code in place of
//! progenitor's `ResponseValue::from_response` / `ResponseValue::empty` (idprov-codegen makes that edit).
//!
//! Reading the answer here, once, instead of buffering it in `exec` and letting progenitor read it again,
//! is what keeps a call cheap; doing it in the runtime is what lets every failure keep its context. A body
//! that breaks off, cannot be JSON (an HTML gateway page, a cut-off document) or has the wrong shape
//! becomes an [`Error`] that keeps the status, the vendor's request id from the headers and the first
//! bytes of the body; progenitor's own errors for these cases carry neither status nor request id.

use progenitor_client::{OperationInfo, ResponseValue};
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use serde::de::DeserializeOwned;

use crate::answer::{AfterBrokenBody, Answer};
use crate::body::read_capped;
use crate::convert::from_reqwest;
use crate::runtime::Runtime;
use crate::{Error, ErrorKind};

/// Reads a documented JSON success answer whole and decodes it into `T`.
///
/// A body that breaks off is, for an idempotent call with attempts and time left, a reason to try again
/// like a failed attempt (same policy, attempt count and deadline); the new answer's body is read instead.
///
/// A plain function returning an `async` block, so the future a call awaits does not hold a second copy
/// of the response.
pub fn json_response<'a, T: DeserializeOwned>(
    runtime: &'a Runtime,
    answer: Answer<'a>,
    info: &OperationInfo,
) -> impl Future<Output = Result<ResponseValue<T>, Error>> + 'a {
    let operation_id = info.operation_id;
    async move {
        let mut answer = answer;
        let limit = runtime.shared.max_response_body;
        loop {
            let status = answer.response.status();
            // The headers move into the value; progenitor's from_response copies them.
            let headers = std::mem::take(answer.response.headers_mut());
            let body = match read_capped(&mut answer.response, limit).await {
                Ok(read) if read.truncated => {
                    let err = Error::new(
                        ErrorKind::Decode,
                        format!(
                            "the success answer is larger than the client's max_response_body of {limit} bytes; \
                             the rest was not read (raise ClientConfig::max_response_body, or page the list)"
                        ),
                    );
                    return Err(answer_error(
                        runtime,
                        err,
                        status.as_u16(),
                        &headers,
                        operation_id,
                        &answer,
                    ));
                }
                Ok(read) => read.bytes,
                Err(broke) => {
                    let broke = match answer.again.take() {
                        None => broke,
                        Some(again) => {
                            match Box::pin(runtime.after_broken_body(again, broke, answer.attempts))
                                .await
                            {
                                AfterBrokenBody::Again(next) => {
                                    answer = *next;
                                    continue;
                                }
                                AfterBrokenBody::Failed(err) => return Err(err),
                                AfterBrokenBody::Stop(broke) => broke,
                            }
                        }
                    };
                    let err = from_reqwest(broke, "the answer broke off");
                    return Err(answer_error(
                        runtime,
                        err,
                        status.as_u16(),
                        &headers,
                        operation_id,
                        &answer,
                    ));
                }
            };
            return match serde_json::from_slice(&body) {
                Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
                Err(e) => {
                    let err = decode_error(&body, &headers, &e)
                        .with_body_prefix(&body)
                        .with_source(e);
                    Err(answer_error(
                        runtime,
                        err,
                        status.as_u16(),
                        &headers,
                        operation_id,
                        &answer,
                    ))
                }
            };
        }
    }
}

/// An error about the success answer `answer` of `operation_id` (see [`Runtime::answer_error`]),
/// saying where it came from, after how many attempts, and whether resending is safe: a success means the
/// server acted, so a non-idempotent request is not [`Error::is_retryable`].
fn answer_error(
    runtime: &Runtime,
    err: Error,
    status: u16,
    headers: &HeaderMap,
    operation_id: &str,
    answer: &Answer<'_>,
) -> Error {
    let mut err = runtime.answer_error(err, status, headers, operation_id);
    err.inner.host = answer.response.url().host_str().map(str::to_string);
    err.inner.attempts = answer.attempts;
    err.inner.idempotent = runtime.meta(operation_id).is_none_or(|(_, meta)| {
        reqwest::Method::from_bytes(meta.method.as_bytes())
            .is_ok_and(|m| crate::retry::is_idempotent(&m))
    });
    err
}

/// A documented success without a body (`204`, `HEAD`): status and headers only.
pub fn empty_response(answer: Answer<'_>) -> ResponseValue<()> {
    let mut response = answer.response;
    let status = response.status();
    ResponseValue::new((), status, std::mem::take(response.headers_mut()))
}

/// The decode error for a success `body` that `e` could not read: the wrong shape, or not JSON at all.
pub(crate) fn decode_error(body: &[u8], headers: &HeaderMap, e: &serde_json::Error) -> Error {
    if looks_like_json(body) {
        return Error::new(
            ErrorKind::Decode,
            format!("the success answer is not of the documented shape: {e}"),
        );
    }
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("no content type");
    Error::new(
        ErrorKind::Decode,
        format!(
            "expected a JSON body, got {} bytes of {content_type} that cannot be JSON (empty, cut off, or not JSON)",
            body.len()
        ),
    )
}

/// Whether `body` starts and ends like a JSON value (two bytes are looked at), which tells a cut-off or
/// non-JSON answer from a JSON document of the wrong shape.
fn looks_like_json(body: &[u8]) -> bool {
    let trimmed = body.trim_ascii();
    match (trimmed.first(), trimmed.last()) {
        (Some(b'{'), Some(b'}')) | (Some(b'['), Some(b']')) => true,
        (Some(b'"'), Some(b'"')) => trimmed.len() >= 2,
        (Some(first), Some(_)) => {
            first.is_ascii_digit() || matches!(first, b'-' | b't' | b'f' | b'n')
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::looks_like_json;

    #[test]
    fn cut_off_or_html_bodies_do_not_look_like_json() {
        assert!(looks_like_json(br#" {"a": 1} "#));
        assert!(looks_like_json(b"[]"));
        assert!(!looks_like_json(br#"{"a": 1"#));
        assert!(!looks_like_json(
            b"<html><body>502 Bad Gateway</body></html>"
        ));
        assert!(!looks_like_json(b""));
        assert!(!looks_like_json(b"   "));
    }
}
