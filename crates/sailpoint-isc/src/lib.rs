//! Rust client for SailPoint Identity Security Cloud machine account creation requests (experimental API):
//! create a request (202), follow it until its phases finish, and list which sources allow it. Generated at
//! build time from `specs/sailpoint-isc.yaml`; OAuth2 client credentials, the `X-SailPoint-Experimental`
//! header, retries and errors come from idprov-runtime.
//!
//! ```no_run
//! use idprov_sailpoint_isc::{Client, types, wait::WaitOptions};
//!
//! # async fn demo() -> Result<(), idprov_sailpoint_isc::Error> {
//! // SAIL_BASE_URL, SAIL_CLIENT_ID, SAIL_CLIENT_SECRET.
//! let isc = Client::from_env()?;
//! let accepted = isc
//!     .create_machine_account_request()
//!     .body(
//!         types::CreateMachineAccountRequest::builder()
//!             .subtype_id("2c9180835d2e5168015d32f890ca1581")
//!             .owner_identity_id("2c9180835d2e5168015d32f890ca1582"),
//!     )
//!     .send()
//!     .await?;
//! let done = isc
//!     .wait_for_account_request(&accepted.account_request_id, WaitOptions::default())
//!     .await?;
//! println!("finished: {:?}", done.overall_status);
//! # Ok(())
//! # }
//! ```
//!
//! Every call returns [`Error`] on failure, carrying the status, ISC's `detailCode`, messages and causes,
//! and its `trackingId` as the request id.

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
    vendor: idprov_runtime::Vendor::SailPointIsc,
    default_base_url: "https://sailpoint.api.identitynow.com",
    operations: OPERATIONS,
};

mod waiting;
pub use idprov_runtime::wait;
pub use waiting::{MAX_PAGE_SIZE, account_request_state};

idprov_runtime::client_glue!(API, idprov_runtime::auth::env::sailpoint_isc);
