//! `--all`: every item of a paged list, as the client crates' `.stream(page_size)` helpers fetch them
//! (one page at a time, as the output is written; a repeated page ends the stream with an error).
//!
//! Which operations page is written here, next to the stream helpers it calls: paging is hand-written per
//! crate (each vendor pages its own way), so a new paged list needs its helper in the client crate and one
//! line below. A test checks that every list operation with a paging parameter is here.

use std::num::NonZeroU32;

use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use serde_json::Value;

use crate::api::{Api, generated};
use crate::clients::client_of;
use crate::{CallError, Clients, Params};

/// The paged list operations: API, operationId, default page size (the vendor's documented default or
/// largest page).
pub const PAGED: &[(Api, &str, u32)] = &[
    (Api::AvevaConnect, "list_automation_identities", 100),
    (Api::SailpointNerm, "list_workflow_actions", 100),
    (Api::SailpointIsc, "list_machine_account_create_access", 250),
    (
        Api::HuaweicloudIdentitycenter,
        "list_permission_set_provisioning_statuses",
        100,
    ),
];

/// The default page size of `operation` (its operationId) of `api`, if it is a paged list.
pub fn default_page_size(api: Api, operation: &str) -> Option<NonZeroU32> {
    PAGED
        .iter()
        .find(|(a, op, _)| *a == api && *op == operation)
        .and_then(|(_, _, size)| NonZeroU32::new(*size))
}

fn to_json<T: serde::Serialize>(item: T) -> Result<Value, CallError> {
    serde_json::to_value(item).map_err(|e| CallError::Invalid {
        field: "answer".into(),
        message: format!("an item could not be shown as JSON: {e}"),
    })
}

/// Every item of the paged list `operation` (its operationId) of `api`, with `params` (the list's
/// filters; its paging parameters are replaced), fetched `page_size` at a time (default: the API's).
///
/// # Errors
///
/// [`CallError::Invalid`] when the operation does not page or a parameter does not fit; the stream's
/// items are [`CallError::Api`] errors when a page fails.
pub fn stream<'a>(
    clients: &'a Clients,
    api: Api,
    operation: &str,
    params: &Params,
    page_size: Option<NonZeroU32>,
) -> Result<BoxStream<'a, Result<Value, CallError>>, CallError> {
    let Some(default) = default_page_size(api, operation) else {
        return Err(CallError::Invalid {
            field: "--all".into(),
            message: format!(
                "--all applies to the paged lists only; {operation} of {api} does not page"
            ),
        });
    };
    let size = page_size.unwrap_or(default);
    let items = match api {
        Api::AvevaConnect => {
            let client = client_of!(clients, aveva_connect, api)?;
            generated::aveva_connect::build_list_automation_identities(client, params)?
                .stream(size)
                .map_err(CallError::Api)
                .and_then(|i| async move { to_json(i) })
                .boxed()
        }
        Api::SailpointNerm => {
            let client = client_of!(clients, sailpoint_nerm, api)?;
            generated::sailpoint_nerm::build_list_workflow_actions(client, params)?
                .stream(size)
                .map_err(CallError::Api)
                .and_then(|i| async move { to_json(i) })
                .boxed()
        }
        Api::SailpointIsc => {
            let client = client_of!(clients, sailpoint_isc, api)?;
            generated::sailpoint_isc::build_list_machine_account_create_access(client, params)?
                .stream(size)
                .map_err(CallError::Api)
                .and_then(|i| async move { to_json(i) })
                .boxed()
        }
        Api::HuaweicloudIdentitycenter => {
            let client = client_of!(clients, huaweicloud_identitycenter, api)?;
            generated::huaweicloud_identitycenter::build_list_permission_set_provisioning_statuses(
                client, params,
            )?
            .stream(size)
            .map_err(CallError::Api)
            .and_then(|i| async move { to_json(i) })
            .boxed()
        }
        Api::Seam => {
            return Err(CallError::Invalid {
                field: "--all".into(),
                message: format!("{api} has no paged list"),
            });
        }
    };
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Location;

    #[test]
    fn every_list_with_a_paging_parameter_is_a_paged_list_here() {
        for api in Api::ALL {
            for c in api.commands() {
                let pages = c.params.iter().any(|p| {
                    p.location == Location::Query && ["skip", "offset", "marker"].contains(&p.name)
                });
                assert_eq!(
                    pages,
                    default_page_size(api, c.operation_id).is_some(),
                    "{api} {}: a paging parameter without --all, or --all without one",
                    c.operation_id
                );
            }
        }
    }
}
