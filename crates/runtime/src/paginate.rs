//! Pagination as lazy streams: one page is fetched when the previous one is used up, nothing is collected,
//! and there is no silent cap. A server that hands back the same page again (the same cursor, or the same
//! first and last items at a new offset) ends the stream with an error instead of looping.
//!
//! Two shapes cover the five vendors:
//! - [`offset_pages`]: the client moves an offset (AVEVA `skip`/`count`, SailPoint ISC and NERM
//!   `offset`/`limit`); a short page is the last one.
//! - [`token_pages`]: the server hands a cursor for the next page (Seam `next_page_cursor`, Huawei
//!   `next_marker`); no cursor is the last page.

use std::collections::HashSet;
use std::future::Future;

use futures::{Stream, StreamExt, TryStreamExt, stream};

use crate::{Error, ErrorKind};

/// Streams every item of an offset-paged collection. `fetch(offset, limit)` fetches one page; a page with
/// fewer than `page_size` items ends the stream.
pub fn offset_pages<T, F, Fut>(page_size: u64, fetch: F) -> impl Stream<Item = Result<T, Error>>
where
    T: Clone + PartialEq,
    F: FnMut(u64, u64) -> Fut,
    Fut: Future<Output = Result<Vec<T>, Error>>,
{
    struct State<F, T> {
        fetch: F,
        offset: u64,
        done: bool,
        /// The first and last items of the previous page, to recognise a page sent again.
        previous: Option<(T, T)>,
    }
    let state = State {
        fetch,
        offset: 0,
        done: false,
        previous: None,
    };
    stream::try_unfold(state, move |mut s| async move {
        if s.done {
            return Ok(None);
        }
        if page_size == 0 {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                "page size must be at least 1 (a page of 0 items would never end the walk)",
            ));
        }
        let page = (s.fetch)(s.offset, page_size).await?;
        let n = page.len() as u64;
        if n > page_size {
            return Err(Error::new(
                ErrorKind::Decode,
                format!("asked for at most {page_size} items at offset {}, the server sent {n}", s.offset),
            ));
        }
        if let (Some(first), Some(last)) = (page.first(), page.last()) {
            if s.previous.as_ref().is_some_and(|(f, l)| f == first && l == last) {
                return Err(Error::new(
                    ErrorKind::Decode,
                    format!(
                        "the server sent the same page again at offset {} (it ignores the offset); stopping instead of looping",
                        s.offset
                    ),
                ));
            }
            s.previous = Some((first.clone(), last.clone()));
        }
        s.offset += n;
        s.done = n < page_size;
        Ok(Some((page, s)))
    })
    .map_ok(|page| stream::iter(page.into_iter().map(Ok)))
    .try_flatten()
}

/// One page of a cursor-paged collection: its items and the cursor of the next page, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenPage<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The cursor of the next page; `None` (or an empty string) on the last page.
    pub next: Option<String>,
}

/// Streams every item of a cursor-paged collection. `fetch(cursor)` fetches one page (`None` for the first).
/// A cursor the server already handed out is an error.
pub fn token_pages<T, F, Fut>(fetch: F) -> impl Stream<Item = Result<T, Error>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<TokenPage<T>, Error>>,
{
    struct State<F> {
        fetch: F,
        cursor: Option<String>,
        seen: HashSet<String>,
        done: bool,
    }
    let state = State {
        fetch,
        cursor: None,
        seen: HashSet::new(),
        done: false,
    };
    stream::try_unfold(state, |mut s| async move {
        if s.done {
            return Ok(None);
        }
        let page = (s.fetch)(s.cursor.take()).await?;
        match page.next.filter(|c| !c.is_empty()) {
            Some(next) => {
                if !s.seen.insert(next.clone()) {
                    return Err(Error::new(
                        ErrorKind::Decode,
                        format!("the server handed out the page cursor {next:?} twice; stopping instead of looping"),
                    ));
                }
                s.cursor = Some(next);
            }
            None => s.done = true,
        }
        Ok(Some((page.items, s)))
    })
    .map_ok(|page| stream::iter(page.into_iter().map(Ok)))
    .try_flatten()
}

/// Collects a stream into a `Vec` (for tests and small collections; prefer consuming the stream).
pub async fn collect_all<T>(s: impl Stream<Item = Result<T, Error>>) -> Result<Vec<T>, Error> {
    s.try_collect().await
}

/// Drains a stream, counting its items, without keeping them.
pub async fn count_all<T>(s: impl Stream<Item = Result<T, Error>>) -> Result<u64, Error> {
    let mut s = std::pin::pin!(s);
    let mut n = 0;
    while let Some(item) = s.next().await {
        item?;
        n += 1;
    }
    Ok(n)
}

/// `n` (an offset or page size of [`offset_pages`]) as the integer type of the API's query parameter `name`
/// (AVEVA's `skip`/`count` and NERM's `offset` are 32-bit), or an invalid-request error naming it.
pub fn query_int<T: TryFrom<u64>>(n: u64, name: &str) -> Result<T, Error> {
    T::try_from(n).map_err(|_| {
        Error::new(
            ErrorKind::InvalidRequest,
            format!(
                "{name} {n} is beyond what the API's {}-bit {name} parameter can express",
                std::mem::size_of::<T>() * 8
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_offset_past_a_32_bit_parameter_is_an_error_naming_it() {
        assert_eq!(super::query_int::<i32>(42, "skip").unwrap(), 42);
        let err = super::query_int::<i32>(u64::from(u32::MAX), "skip").unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::InvalidRequest);
        assert!(
            err.message().contains("skip 4294967295") && err.message().contains("32-bit"),
            "{err}"
        );
        assert_eq!(
            super::query_int::<i64>(u64::from(u32::MAX), "offset").unwrap(),
            4_294_967_295
        );
    }

    use super::*;
    use std::sync::{Arc, Mutex};

    #[tokio::test]
    async fn offset_pages_walks_until_a_short_page_and_fetches_lazily() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let c = calls.clone();
        let s = offset_pages(3, move |offset, limit| {
            c.lock().unwrap().push((offset, limit));
            async move { Ok((offset..(offset + limit).min(7)).collect::<Vec<u64>>()) }
        });
        let mut s = std::pin::pin!(s);
        assert_eq!(s.next().await.unwrap().unwrap(), 0);
        assert_eq!(
            calls.lock().unwrap().len(),
            1,
            "only the first page is fetched for the first item"
        );
        let rest: Vec<u64> = s.try_collect().await.unwrap();
        assert_eq!(rest, vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(*calls.lock().unwrap(), vec![(0, 3), (3, 3), (6, 3)]);
    }

    #[tokio::test]
    async fn offset_pages_refuses_a_page_size_of_zero_without_fetching() {
        let s = offset_pages(0, |_offset, _limit| async {
            panic!("nothing may be fetched") as Result<Vec<u8>, Error>
        });
        let err = collect_all(s).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest);
        assert!(err.message().contains("at least 1"), "{err}");
    }

    #[tokio::test]
    async fn offset_pages_reports_a_server_that_repeats_its_page() {
        let s = offset_pages(2, |_offset, _limit| async { Ok(vec!["a", "b"]) });
        let err = collect_all(s).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode);
        assert!(
            err.message().contains("same page again at offset 2"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn token_pages_follow_cursors_and_refuse_a_repeated_one() {
        let s = token_pages(|cursor: Option<String>| async move {
            Ok(match cursor.as_deref() {
                None => TokenPage {
                    items: vec![1],
                    next: Some("a".into()),
                },
                Some("a") => TokenPage {
                    items: vec![2],
                    next: Some("b".into()),
                },
                _ => TokenPage {
                    items: vec![3],
                    next: None,
                },
            })
        });
        assert_eq!(collect_all(s).await.unwrap(), vec![1, 2, 3]);

        let looping = token_pages(|_cursor: Option<String>| async move {
            Ok(TokenPage {
                items: vec![1],
                next: Some("same".into()),
            })
        });
        let err = collect_all(looping).await.unwrap_err();
        assert!(err.message().contains("\"same\" twice"), "{err}");
    }
}
