//! Reading a documented success answer into its type, called by the generated code in place of
//! progenitor's `ResponseValue::from_response` / `ResponseValue::empty` (idprov-codegen makes that edit).
//!
//! Reading the answer here, once, instead of buffering it in `exec` and letting progenitor read it again,
//! is what keeps a call cheap; doing it in the runtime is what lets every failure keep its context. A body
//! that breaks off, cannot be JSON (an HTML gateway page, a cut-off document) or has the wrong shape
//! becomes an [`Error`] that keeps the status, the vendor's request id from the headers and the first
//! bytes of the body; progenitor's own errors for these cases carry neither status nor request id.

use bytes::{Bytes, BytesMut};
use progenitor_client::{OperationInfo, ResponseValue};
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use serde::de::DeserializeOwned;

use crate::convert::from_reqwest;
use crate::runtime::Runtime;
use crate::{Error, ErrorKind};

/// Reads a documented JSON success answer whole and decodes it into `T`.
///
/// A plain function returning an `async` block, so the future a call awaits does not hold a second copy
/// of the response.
pub fn json_response<'a, T: DeserializeOwned>(
    runtime: &'a Runtime,
    mut response: reqwest::Response,
    info: &OperationInfo,
) -> impl Future<Output = Result<ResponseValue<T>, Error>> + 'a {
    let status = response.status();
    // The headers move into the value; progenitor's from_response copies them.
    let headers = std::mem::take(response.headers_mut());
    let operation_id = info.operation_id;
    async move {
        let body = match read_body(&mut response).await {
            Ok(body) => body,
            Err(e) => {
                let err = from_reqwest(e, "the answer broke off");
                return Err(runtime.with_context(err, status.as_u16(), &headers, operation_id));
            }
        };
        match serde_json::from_slice(&body) {
            Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
            Err(e) => {
                let err = decode_error(&body, &headers, &e).with_body_prefix(&body);
                Err(runtime
                    .with_context(err, status.as_u16(), &headers, operation_id)
                    .with_source(e))
            }
        }
    }
}

/// Reads the rest of `response`'s body. A body of one chunk (the usual case) is handed on as it is; more
/// are joined. Lighter than `Response::bytes` (no collector, no trailers), and its future is a fraction of
/// the size.
async fn read_body(response: &mut reqwest::Response) -> reqwest::Result<Bytes> {
    let Some(first) = response.chunk().await? else {
        return Ok(Bytes::new());
    };
    let Some(second) = response.chunk().await? else {
        return Ok(first);
    };
    let mut joined = BytesMut::with_capacity(first.len() + second.len());
    joined.extend_from_slice(&first);
    joined.extend_from_slice(&second);
    while let Some(more) = response.chunk().await? {
        joined.extend_from_slice(&more);
    }
    Ok(joined.freeze())
}

/// A documented success without a body (`204`, `HEAD`): status and headers only.
pub fn empty_response(mut response: reqwest::Response) -> ResponseValue<()> {
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
    use super::{looks_like_json, read_body};

    fn streamed(chunks: &[&'static str]) -> reqwest::Response {
        let parts: Vec<Result<&'static str, std::io::Error>> =
            chunks.iter().map(|c| Ok(*c)).collect();
        let body = reqwest::Body::wrap_stream(futures::stream::iter(parts));
        reqwest::Response::from(http::Response::new(body))
    }

    #[tokio::test]
    async fn a_body_of_any_number_of_chunks_is_read_whole() {
        for chunks in [
            &[][..],
            &[r#"{"a":1}"#][..],
            &[r#"{"a""#, r#":1}"#][..],
            &[r#"{"#, r#""a""#, r#":"#, r#"1}"#][..],
        ] {
            let body = read_body(&mut streamed(chunks)).await.unwrap();
            assert_eq!(body, chunks.concat().as_bytes(), "{chunks:?}");
        }
    }

    #[tokio::test]
    async fn a_body_that_breaks_off_is_an_error() {
        let parts: Vec<Result<&'static str, std::io::Error>> = vec![
            Ok(r#"{"a""#),
            Err(std::io::Error::other("connection reset")),
        ];
        let body = reqwest::Body::wrap_stream(futures::stream::iter(parts));
        let mut resp = reqwest::Response::from(http::Response::new(body));
        assert!(read_body(&mut resp).await.is_err());
    }

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
