//! Walking the machine-account create access list page by page (`offset`/`limit`).

use std::num::NonZeroU32;

use futures::Stream;
use idprov_runtime::ErrorKind;
use idprov_runtime::paginate::query_int;

use crate::types::MachineAccountCreateAccessDto;
use crate::{Client, Error, builder};

/// The largest page ISC serves (`limit` at most 250).
pub const MAX_PAGE_SIZE: NonZeroU32 = match NonZeroU32::new(250) {
    Some(n) => n,
    None => NonZeroU32::MIN,
};

impl<'a> builder::ListMachineAccountCreateAccess<'a> {
    /// Every entry this list call selects, fetched `page_size` at a time as the stream is consumed. An
    /// `offset` or `limit` set on the builder is replaced. A `page_size` over [`MAX_PAGE_SIZE`] ends the
    /// stream with an error naming it, before anything is sent.
    pub fn stream(
        self,
        page_size: NonZeroU32,
    ) -> impl Stream<Item = Result<MachineAccountCreateAccessDto, Error>> + 'a {
        idprov_runtime::paginate::offset_pages(u64::from(page_size.get()), move |offset, limit| {
            let call = self.clone();
            async move {
                if page_size > MAX_PAGE_SIZE {
                    return Err(Error::new(
                        ErrorKind::InvalidRequest,
                        format!(
                            "page_size must be at most {MAX_PAGE_SIZE} (ISC's largest limit), got {page_size}"
                        ),
                    ));
                }
                let page = call
                    .offset(query_int::<i64>(offset, "offset")?)
                    .limit(query_int::<i64>(limit, "limit")?)
                    .send()
                    .await?;
                Ok(page.into_inner())
            }
        })
    }
}

impl Client {
    /// The sources and subtypes the caller may create machine accounts on, `page_size` at a time (see
    /// [`builder::ListMachineAccountCreateAccess::stream`]).
    pub fn machine_account_create_access(
        &self,
        page_size: NonZeroU32,
    ) -> impl Stream<Item = Result<MachineAccountCreateAccessDto, Error>> + '_ {
        self.list_machine_account_create_access().stream(page_size)
    }
}
