//! Provision a permission set to an account, wait for the provisioning to end, then list the instance's
//! provisioning statuses that are still in progress.
//!
//! ```sh
//! HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... HUAWEICLOUD_SDK_DOMAIN_ID=... \
//!     cargo run -p idprov-huaweicloud-identitycenter --example provision_permission_set -- \
//!     <instance_id> <permission_set_id> <account_id>
//! ```
//!
//! With neither `HUAWEICLOUD_SDK_AK` nor `HUAWEICLOUD_SDK_SK` set it runs against
//! [idprov-sandbox](https://docs.rs/idprov-sandbox), started in-process (which verifies every
//! signature), on the sandbox's instance, permission set and account:
//! `cargo run -p idprov-huaweicloud-identitycenter --example provision_permission_set` just works.

use std::num::NonZeroU32;

use futures::TryStreamExt;
use idprov_huaweicloud_identitycenter::{Client, types, wait::WaitOptions};
use idprov_sandbox::{Sandbox, Vendor, fixtures};

/// Huawei Cloud's credential variables: with none of them set the example runs against idprov-sandbox.
const CREDENTIAL_VARS: [&str; 2] = ["HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"];

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    run(&|name| std::env::var(name).ok(), &args).await?;
    Ok(())
}

/// The example, reading the environment through `env`: against Huawei Cloud when it has credentials, else
/// against a sandbox, which it hands back with its request log.
pub async fn run(
    env: &dyn Fn(&str) -> Option<String>,
    args: &[String],
) -> Result<Option<Sandbox>, Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start_unless_any_set(env, &CREDENTIAL_VARS).await?;
    let iam = match &sandbox {
        None => Client::with_config(idprov_huaweicloud_identitycenter::env::from_env(env)?)?,
        Some(sb) => {
            println!(
                "HUAWEICLOUD_SDK_AK is not set: running against idprov-sandbox at {}",
                sb.base_url(Vendor::Huawei)
            );
            Client::with_config(sb.huawei_config())?
        }
    };
    let on_sandbox = |fixture: &str| sandbox.as_ref().map(|_| fixture.to_string());
    let usage = "usage: provision_permission_set <instance_id> <permission_set_id> <account_id>";
    let instance = args
        .first()
        .cloned()
        .or_else(|| on_sandbox(fixtures::HUAWEI_INSTANCE_ID))
        .ok_or(usage)?;
    let permission_set = args
        .get(1)
        .cloned()
        .or_else(|| on_sandbox(fixtures::HUAWEI_PERMISSION_SET_ID))
        .ok_or(usage)?;
    let account = args
        .get(2)
        .cloned()
        .or_else(|| on_sandbox(fixtures::HUAWEI_ACCOUNT_ID))
        .ok_or(usage)?;

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
    Ok(sandbox)
}
