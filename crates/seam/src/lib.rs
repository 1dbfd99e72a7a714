//! Rust client for Seam Connect enrollment automations: launch one for a user identity, then get, list and
//! delete them. Generated at build time from `specs/seam.yaml`; auth, retries and errors come from
//! idprov-runtime.
//!
//! ```no_run
//! use idprov_seam::{Client, types};
//!
//! # async fn demo() -> Result<(), idprov_seam::Error> {
//! // SEAM_API_KEY, or SEAM_PERSONAL_ACCESS_TOKEN with SEAM_WORKSPACE_ID.
//! let seam = Client::from_env()?;
//! let launched = seam
//!     .launch_enrollment_automation()
//!     .body(
//!         types::LaunchEnrollmentAutomationRequest::builder()
//!             .user_identity_id("5c945ab5-c75e-4bcb-8e5f-9410061c401f")
//!             .credential_manager_acs_system_id("6737e186-8d54-48ce-a7da-a0be4d252172")
//!             .create_credential_manager_user(true),
//!     )
//!     .send()
//!     .await?;
//! println!("launched {}", launched.enrollment_automation.enrollment_automation_id);
//! # Ok(())
//! # }
//! ```
//!
//! Every call returns [`Error`] on failure: its [`kind`](Error::kind) says what happened, and it carries the
//! status, Seam's `error.type` and message, the validation errors and the `seam-request-id`. The Seam error
//! body itself decodes with `err.body_as::<types::SeamError>()`.

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
    vendor: idprov_runtime::Vendor::Seam,
    default_base_url: "https://connect.getseam.com",
    operations: OPERATIONS,
};

idprov_runtime::client_glue!(API, idprov_runtime::auth::env::seam);
