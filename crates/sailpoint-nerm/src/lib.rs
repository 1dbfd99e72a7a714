//! Rust client for SailPoint Non-Employee Risk Management workflow actions: create a username/password
//! action and list a workflow's actions. Generated at build time from `specs/sailpoint-nerm.yaml`; bearer
//! auth, retries and errors come from idprov-runtime.
//!
//! ```no_run
//! use idprov_sailpoint_nerm::{Client, types};
//!
//! # async fn demo() -> Result<(), idprov_sailpoint_nerm::Error> {
//! // SAIL_NERM_BASE_URL with SAIL_NERM_API_TOKEN (or SailPoint ISC client credentials).
//! let nerm = Client::from_env()?;
//! let workflow: uuid::Uuid = "5f1b8c6e-1f7a-4f0e-9a55-2f3d1c2b9e10".parse().expect("a UUID");
//! let created = nerm
//!     .create_username_password_action()
//!     .body(types::CreateUsernamePasswordActionRequest {
//!         workflow_action: types::UsernamePasswordAction {
//!             workflow_id: workflow,
//!             description: "Generate the contractor's credentials".to_string(),
//!             archived: false,
//!         },
//!     })
//!     .send()
//!     .await?;
//! println!("created {:?}", created.workflow_action);
//! # Ok(())
//! # }
//! ```
//!
//! Every call returns [`Error`] on failure, carrying the status and NERM's `error` and `errors`.

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
    vendor: idprov_runtime::Vendor::SailPointNerm,
    default_base_url: "https://acmeco.nonemployee.com/api",
    operations: OPERATIONS,
};

mod paging;

idprov_runtime::client_glue!(API, idprov_runtime::auth::env::sailpoint_nerm);
