//! Rust client for Huawei Cloud IAM Identity Center permission-set provisioning: provision a permission
//! set to an account, then follow the provisioning until it succeeds or fails. Generated at build time
//! from `specs/huaweicloud-identitycenter.yaml`; AK/SK request signing (byte for byte the official
//! SDK-HMAC-SHA256 signer), retries and errors come from idprov-runtime.
//!
//! ```no_run
//! use idprov_huaweicloud_identitycenter::{Client, types, wait::WaitOptions};
//!
//! # async fn demo() -> Result<(), idprov_huaweicloud_identitycenter::Error> {
//! // HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_DOMAIN_ID (and _SECURITY_TOKEN if temporary).
//! let iam = Client::from_env()?;
//! let instance = "ins-1a2b3c4d5e6f7a8b";
//! let started = iam
//!     .provision_permission_set()
//!     .instance_id(instance)
//!     .permission_set_id("ps-8603ab4f1dc8f88a")
//!     .body(
//!         types::ProvisionPermissionSetRequest::builder()
//!             .target_type(types::ProvisionTargetType::Account)
//!             .target_id(Some("5146d03d8aaaaaaaaaaaabbae60620a5".to_string())),
//!     )
//!     .send()
//!     .await?;
//! let request_id = started
//!     .permission_set_provisioning_status
//!     .as_ref()
//!     .and_then(|s| s.request_id.clone())
//!     .unwrap_or_default();
//! let done = iam.wait_for_provisioning(instance, &request_id, WaitOptions::default()).await?;
//! println!("provisioned to {:?}", done.account_id);
//! # Ok(())
//! # }
//! ```
//!
//! Every call returns [`Error`] on failure, carrying the status, Huawei's `error_code` and `error_msg`,
//! and the `X-Request-Id`.

#[allow(
    missing_docs,
    unused_qualifications,
    clippy::all,
    clippy::pedantic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/generated.rs"));
}

pub use generated::{ByteStream, Client, OPERATIONS, ResponseValue, builder, prelude, types};
pub use idprov_runtime::{ClientConfig, Credentials, Error, ErrorKind, RetryPolicy, Secret};

/// This API as the runtime sees it: vendor, documented server, operation table.
pub const API: idprov_runtime::ApiInfo = idprov_runtime::ApiInfo {
    vendor: idprov_runtime::Vendor::HuaweiCloud,
    default_base_url: "https://identitycenter.myhuaweicloud.com",
    operations: OPERATIONS,
};

mod waiting;
pub use idprov_runtime::wait;
pub use waiting::provisioning_state;

idprov_runtime::client_glue!(API, idprov_runtime::auth::env::huawei);
