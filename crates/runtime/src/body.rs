//! Reading an answer's body with a cap, chunk by chunk, so that memory never grows with what a server
//! sends.

use bytes::{Bytes, BytesMut};

/// A body read up to a cap.
pub(crate) struct Capped {
    /// At most the cap's worth of the body.
    pub(crate) bytes: Bytes,
    /// Whether the body went on past the cap (the rest was not read).
    pub(crate) truncated: bool,
}

/// Reads at most `limit` bytes of `response`'s body. A body of one chunk (the usual case) is handed on as
/// it is; more are joined. A body that breaks off is an error.
pub(crate) async fn read_capped(
    response: &mut reqwest::Response,
    limit: usize,
) -> reqwest::Result<Capped> {
    let Some(first) = response.chunk().await? else {
        return Ok(Capped {
            bytes: Bytes::new(),
            truncated: false,
        });
    };
    if first.len() > limit {
        return Ok(Capped {
            bytes: first.slice(..limit),
            truncated: true,
        });
    }
    let Some(second) = response.chunk().await? else {
        return Ok(Capped {
            bytes: first,
            truncated: false,
        });
    };
    let mut joined = BytesMut::with_capacity(first.len().saturating_add(second.len()).min(limit));
    let mut truncated = false;
    for chunk in [first, second] {
        truncated |= push_within(&mut joined, &chunk, limit);
    }
    while !truncated && let Some(more) = response.chunk().await? {
        truncated |= push_within(&mut joined, &more, limit);
    }
    Ok(Capped {
        bytes: joined.freeze(),
        truncated,
    })
}

/// Appends what of `chunk` fits within `limit`; whether some did not fit.
fn push_within(buf: &mut BytesMut, chunk: &[u8], limit: usize) -> bool {
    let room = limit.saturating_sub(buf.len());
    buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
    chunk.len() > room
}

/// Reads at most `limit` bytes of an error answer's body, keeping what came before it broke off.
pub(crate) async fn read_error_body(response: &mut reqwest::Response, limit: usize) -> Bytes {
    let mut body = BytesMut::new();
    while body.len() < limit {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                push_within(&mut body, &chunk, limit);
            }
            Ok(None) | Err(_) => break,
        }
    }
    body.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn streamed(chunks: &[&'static str]) -> reqwest::Response {
        let parts: Vec<Result<&'static str, std::io::Error>> =
            chunks.iter().map(|c| Ok(*c)).collect();
        let body = reqwest::Body::wrap_stream(futures::stream::iter(parts));
        reqwest::Response::from(http::Response::new(body))
    }

    #[tokio::test]
    async fn a_body_of_any_number_of_chunks_within_the_cap_is_read_whole() {
        for chunks in [
            &[][..],
            &[r#"{"a":1}"#][..],
            &[r#"{"a""#, r#":1}"#][..],
            &[r#"{"#, r#""a""#, r#":"#, r#"1}"#][..],
        ] {
            let read = read_capped(&mut streamed(chunks), 100).await.unwrap();
            assert_eq!(read.bytes, chunks.concat().as_bytes(), "{chunks:?}");
            assert!(!read.truncated);
        }
    }

    #[tokio::test]
    async fn a_body_past_the_cap_is_cut_there_and_says_so() {
        for chunks in [
            &["0123456789"][..],
            &["01234", "56789"][..],
            &["012", "345", "6789"][..],
        ] {
            let read = read_capped(&mut streamed(chunks), 4).await.unwrap();
            assert_eq!(&read.bytes[..], b"0123", "{chunks:?}");
            assert!(read.truncated, "{chunks:?}");
        }
        let exact = read_capped(&mut streamed(&["0123"]), 4).await.unwrap();
        assert!(!exact.truncated);
    }

    #[tokio::test]
    async fn a_body_that_breaks_off_is_an_error_but_an_error_body_keeps_what_came() {
        let broken = || {
            let parts: Vec<Result<&'static str, std::io::Error>> = vec![
                Ok(r#"{"a""#),
                Err(std::io::Error::other("connection reset")),
            ];
            let body = reqwest::Body::wrap_stream(futures::stream::iter(parts));
            reqwest::Response::from(http::Response::new(body))
        };
        assert!(read_capped(&mut broken(), 100).await.is_err());
        assert_eq!(&read_error_body(&mut broken(), 100).await[..], br#"{"a""#);
        assert_eq!(
            &read_error_body(&mut streamed(&["abc", "def"]), 4).await[..],
            b"abcd"
        );
    }
}
