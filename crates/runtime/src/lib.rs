//! idprov-runtime: the glue every idprov client shares — auth mechanisms, retries, timeouts, errors,
//! pagination and waiting for asynchronous jobs. It knows no vendor: each client crate declares its own
//! (name, request-id headers, error-body reader, credentials, environment variables).
//!
//! Users meet this crate through what each client crate re-exports: [`Error`] and [`ErrorKind`] (what every
//! call returns), the crate's `ClientConfig` (this crate's [`ClientConfig`] for that crate's credentials),
//! [`RetryPolicy`], [`Secret`], and the pagination ([`paginate`]) and waiting ([`wait`]) helpers.
//!
//! ```
//! use idprov_runtime::{Error, ErrorKind, RetryPolicy, Secret};
//! use std::time::Duration;
//!
//! let retry = RetryPolicy { max_attempts: 3, deadline: Duration::from_secs(20), ..RetryPolicy::default() };
//! assert_eq!(retry.max_attempts, 3);
//! // Secrets never print:
//! assert_eq!(format!("{:?}", Secret::new("token")), "Secret(***)");
//! // Every failure is one Error with a kind to match on:
//! let err = Error::new(ErrorKind::NotFound, "no such automation");
//! assert!(matches!(err.kind(), ErrorKind::NotFound));
//! ```
//!
//! Writing a client crate: [`vendor`] (the vendor's profile), [`auth`] (the credentials' scheme), [`env`](mod@env)
//! (reading the vendor's variables) and [`client_crate!`].

mod answer;
mod attempts;
pub mod auth;
mod body;
pub mod config;
mod convert;
mod decode;
pub mod env;
pub mod error;
mod glue;
mod operation;
pub mod paginate;
mod path;
pub mod retry;
mod runtime;
pub mod secret;
pub mod vendor;
pub mod wait;

pub use auth::oauth2::ClientCredentials;
pub use config::{ClientConfig, ProxySetting, RootCertificate};
pub use error::{Error, ErrorKind};
pub use retry::RetryPolicy;
pub use secret::Secret;

/// What generated code and [`client_crate!`] use; not part of the API users call, and not stable.
#[doc(hidden)]
pub mod __private {
    pub use crate::answer::Answer;
    pub use crate::attempts::Rebuild;
    pub use crate::decode::{empty_response, json_response};
    pub use crate::operation::{
        ApiInfo, OperationMeta, QueryInteger, check_exclusive_members, check_integer_bound,
    };
    pub use crate::path::{
        MAX_SEGMENT_LEN, Segment, StrSegment, Unreserved, check_display_segment, check_segment,
    };
    pub use crate::runtime::Runtime;
    pub use progenitor_client;
    pub use reqwest;
}
