//! Walking the automation identities of a tenant: a lazy stream over `skip`/`count` pages (with any of
//! the list's own filters), and the total from the `Total-Count` header of the collection's HEAD.

use std::num::NonZeroU32;

use futures::Stream;
use idprov_runtime::paginate::query_int;

use crate::{Client, Error, builder, types};

/// A page size for [`Client::automation_identities`] and [`builder::ListAutomationIdentities::stream`]
/// (AVEVA's documented default `count`).
pub const DEFAULT_PAGE_SIZE: NonZeroU32 = match NonZeroU32::new(100) {
    Some(n) => n,
    None => NonZeroU32::MIN,
};

impl<'a> builder::ListAutomationIdentities<'a> {
    /// Every automation identity this list call selects (its tenant, `query` and `tag` filters), fetched
    /// `page_size` at a time (`skip`/`count`) as the stream is consumed. A `skip` or `count` set on the
    /// builder is replaced. A server that repeats a page ends the stream with an error.
    pub fn stream(
        self,
        page_size: NonZeroU32,
    ) -> impl Stream<Item = Result<types::AutomationIdentity, Error>> + 'a {
        idprov_runtime::paginate::offset_pages(u64::from(page_size.get()), move |skip, count| {
            let call = self.clone();
            async move {
                let page = call
                    .skip(query_int::<i32>(skip, "skip")?)
                    .count(query_int::<i32>(count, "count")?)
                    .send()
                    .await?;
                Ok(page.into_inner())
            }
        })
    }
}

impl Client {
    /// Every automation identity of `tenant_id`, `page_size` at a time (see
    /// [`builder::ListAutomationIdentities::stream`], which also takes the list's filters).
    pub fn automation_identities<'a>(
        &'a self,
        tenant_id: &'a str,
        page_size: NonZeroU32,
    ) -> impl Stream<Item = Result<types::AutomationIdentity, Error>> + 'a {
        self.list_automation_identities()
            .tenant_id(tenant_id)
            .stream(page_size)
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
