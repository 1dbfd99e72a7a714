//! Walking the automation identities of a tenant: a lazy stream over `skip`/`count` pages, and the total
//! from the `Total-Count` header of the collection's HEAD.

use futures::Stream;
use idprov_runtime::paginate::query_int;

use crate::{Client, Error, types};

/// The page size [`Client::automation_identities`] asks for (AVEVA's documented default `count`).
pub const DEFAULT_PAGE_SIZE: u32 = 100;

impl Client {
    /// Every automation identity of `tenant_id`, fetched page by page (`skip`/`count`) as the stream is
    /// consumed. `page_size` is the `count` of each request. A server that repeats a page ends the stream
    /// with an error.
    pub fn automation_identities<'a>(
        &'a self,
        tenant_id: &'a str,
        page_size: u32,
    ) -> impl Stream<Item = Result<types::AutomationIdentity, Error>> + 'a {
        idprov_runtime::paginate::offset_pages(
            u64::from(page_size),
            move |skip, count| async move {
                let skip = query_int::<i32>(skip, "skip")?;
                let count = query_int::<i32>(count, "count")?;
                let page = self
                    .list_automation_identities()
                    .tenant_id(tenant_id)
                    .skip(skip)
                    .count(count)
                    .send()
                    .await?;
                Ok(page.into_inner())
            },
        )
    }

    /// The number of automation identities of `tenant_id`, from the `Total-Count` header of a HEAD request.
    pub async fn automation_identity_total(&self, tenant_id: &str) -> Result<u64, Error> {
        let answer = self
            .count_automation_identities()
            .tenant_id(tenant_id)
            .send()
            .await?;
        let raw = answer.headers().get("total-count").ok_or_else(|| {
            Error::new(
                idprov_runtime::ErrorKind::Decode,
                "the HEAD answer has no Total-Count header",
            )
        })?;
        raw.to_str()
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .ok_or_else(|| {
                Error::new(
                    idprov_runtime::ErrorKind::Decode,
                    format!("Total-Count is not a non-negative integer: {raw:?}"),
                )
            })
    }
}
