//! Provision a permission set to an account, wait for the provisioning to end, then list the instance's
//! provisioning statuses that are still in progress.
//!
//! ```sh
//! HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... HUAWEICLOUD_SDK_DOMAIN_ID=... \
//!     cargo run -p idprov-huaweicloud-identitycenter --example provision_permission_set -- \
//!     <instance_id> <permission_set_id> <account_id>
//! ```

use std::num::NonZeroU32;

use futures::TryStreamExt;
use idprov_huaweicloud_identitycenter::{Client, types, wait::WaitOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: provision_permission_set <instance_id> <permission_set_id> <account_id>";
    let instance = args.next().ok_or(usage)?;
    let permission_set = args.next().ok_or(usage)?;
    let account = args.next().ok_or(usage)?;

    let iam = Client::from_env()?;
    let started = iam
        .provision_permission_set()
        .instance_id(instance.as_str())
        .permission_set_id(permission_set)
        .body(
            types::ProvisionPermissionSetRequest::builder()
                .target_type(types::ProvisionTargetType::Account)
                .target_id(Some(account)),
        )
        .send()
        .await?;
    let request_id = started.request_id()?;
    println!("provisioning request {request_id}");

    let done = iam
        .wait_for_provisioning(&instance, request_id, WaitOptions::default())
        .await?;
    println!("provisioned to {:?}", done.account_id);

    let page_size = NonZeroU32::new(50).ok_or("page size 0")?;
    let running: Vec<types::PermissionSetProvisioningStatusMetadata> = iam
        .list_permission_set_provisioning_statuses()
        .instance_id(instance.as_str())
        .status(types::ProvisioningStatus::InProgress)
        .stream(page_size)
        .try_collect()
        .await?;
    println!("{} provisionings still in progress", running.len());
    Ok(())
}
