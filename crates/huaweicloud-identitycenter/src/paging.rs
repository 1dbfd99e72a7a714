//! Walking permission-set provisioning statuses by following Huawei's `next_marker`, with any of the list's
//! own filters (`status`).

use std::num::NonZeroU32;

use futures::Stream;
use idprov_runtime::paginate::{TokenPage, token_pages};

use crate::types::PermissionSetProvisioningStatusMetadata;
use crate::{Client, Error, builder};

impl<'a> builder::ListPermissionSetProvisioningStatuses<'a> {
    /// Every provisioning status this list call selects (its instance and `status` filter), fetched
    /// `page_size` at a time by following `page_info.next_marker` as the stream is consumed. A `limit` or
    /// `marker` set on the builder is replaced.
    pub fn stream(
        self,
        page_size: NonZeroU32,
    ) -> impl Stream<Item = Result<PermissionSetProvisioningStatusMetadata, Error>> + 'a {
        token_pages(move |marker: Option<String>| {
            let mut call = self.clone().limit(page_size);
            if let Some(marker) = marker {
                call = call.marker(marker);
            }
            async move {
                let page = call.send().await?.into_inner();
                Ok(TokenPage {
                    items: page.permission_sets_provisioning_status,
                    next: page.page_info.and_then(|p| p.next_marker),
                })
            }
        })
    }
}

impl Client {
    /// Every provisioning status of `instance_id`, `page_size` at a time (see
    /// [`builder::ListPermissionSetProvisioningStatuses::stream`], which also takes the `status` filter).
    pub fn provisioning_statuses<'a>(
        &'a self,
        instance_id: &'a str,
        page_size: NonZeroU32,
    ) -> impl Stream<Item = Result<PermissionSetProvisioningStatusMetadata, Error>> + 'a {
        self.list_permission_set_provisioning_statuses()
            .instance_id(instance_id)
            .stream(page_size)
    }
}
