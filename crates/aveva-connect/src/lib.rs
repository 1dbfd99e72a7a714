//! Rust client for AVEVA CONNECT data services automation identities: list, count, create, get, check,
//! update and delete the automation identities of a tenant. Generated at build time from
//! `specs/aveva-connect.yaml`; OAuth2 client credentials, retries and errors come from idprov-runtime.
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use idprov_aveva_connect::{Client, types};
//!
//! # async fn demo() -> Result<(), idprov_aveva_connect::Error> {
//! // AVEVA_CONNECT_RESOURCE, AVEVA_CONNECT_CLIENT_ID, AVEVA_CONNECT_CLIENT_SECRET.
//! let aveva = Client::from_env()?;
//! let tenant = "2f1cdc3e-2ae4-4fe8-9c9b-63e65f6ff1f2";
//! let created = aveva
//!     .create_automation_identity()
//!     .tenant_id(tenant)
//!     .body(types::CreateAutomationIdentityRequest::builder().name(Some("provisioning-bot".to_string())))
//!     .send()
//!     .await?;
//! println!("created {:?}", created.id);
//! println!("{} identities", aveva.automation_identity_total(tenant).await?);
//! let all: Vec<types::AutomationIdentity> =
//!     aveva.automation_identities(tenant, 100).try_collect().await?;
//! # let _ = all;
//! # Ok(())
//! # }
//! ```
//!
//! Every call returns [`Error`] on failure, carrying the status, AVEVA's `Error`, `Reason` and
//! `Resolution`, and its `OperationId` as the request id.

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
    vendor: idprov_runtime::Vendor::AvevaConnect,
    default_base_url: "https://uswe.datahub.connect.aveva.com",
    operations: OPERATIONS,
};

mod paging;
pub use paging::DEFAULT_PAGE_SIZE;

idprov_runtime::client_glue!(API, idprov_runtime::auth::env::aveva_connect);
