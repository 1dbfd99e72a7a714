//! idprov-runtime: the glue every idprov client shares — auth, retries, timeouts, errors, pagination and
//! waiting for asynchronous jobs.
//!
//! A generated client keeps a [`Runtime`] as its inner value; [`client_glue!`] implements progenitor's
//! hooks with it and gives the client its constructors. Users meet this crate through [`Error`],
//! [`ClientConfig`], [`Credentials`] and the pagination and waiting helpers, re-exported by each client.
//!
//! ```
//! use idprov_runtime::{ClientConfig, Credentials, RetryPolicy, Secret};
//! use std::time::Duration;
//!
//! let config = ClientConfig::new(Credentials::Bearer(Secret::new("token")))
//!     .base_url("https://acme.nonemployee.com/api")
//!     .timeouts(Duration::from_secs(5), Duration::from_secs(20))
//!     .retry(RetryPolicy { max_attempts: 3, ..RetryPolicy::default() });
//! assert_eq!(config.retry.max_attempts, 3);
//! // Secrets never print:
//! assert!(!format!("{config:?}").contains("token\""));
//! ```

mod attempts;
pub mod auth;
pub mod config;
mod convert;
pub mod decode;
pub mod error;
mod glue;
pub mod operation;
pub mod paginate;
pub mod path;
pub mod retry;
mod runtime;
pub mod secret;
pub mod vendor;
pub mod wait;

pub use auth::Credentials;
pub use auth::HuaweiCredentials;
pub use auth::oauth2::ClientCredentials;
pub use config::ClientConfig;
pub use error::{Error, ErrorKind};
pub use operation::{ApiInfo, OperationMeta};
pub use retry::RetryPolicy;
pub use runtime::Runtime;
pub use secret::Secret;
pub use vendor::Vendor;

#[doc(hidden)]
pub mod __private {
    pub use progenitor_client;
    pub use reqwest;
}
