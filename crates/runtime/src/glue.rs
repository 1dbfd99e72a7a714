//! [`client_crate!`](crate::client_crate): the hand-written glue every client crate shares.

/// The whole generated surface of a client crate in one call: includes `$OUT_DIR/generated.rs` (written
/// by the crate's build.rs) in a private `generated` module, re-exports the client and its types, names
/// the crate's [`ClientConfig`](crate::ClientConfig) for its own credentials type, and adds
/// `Client::from_env` and `Client::with_config`.
///
/// The crate declares its vendor (a [`VendorProfile`](crate::vendor::VendorProfile) static), the server
/// used when no base URL is given (`None` when every customer has a host of their own, with a hint of what
/// to set), its credentials type (which implements
/// [`IntoAuth`](crate::auth::IntoAuth)) and its environment reader (a
/// `fn(idprov_runtime::env::Lookup<'_>) -> Result<ClientConfig, Error>`):
///
/// ```ignore
/// idprov_runtime::client_crate! {
///     vendor: &vendor::SEAM,
///     default_base_url: Some("https://connect.getseam.com"),
///     base_url_hint: "https://connect.getseam.com, or SEAM_ENDPOINT",
///     credentials: Credentials,
///     env: env::from_env,
/// }
/// ```
#[macro_export]
macro_rules! client_crate {
    (
        vendor: $vendor:expr,
        default_base_url: $url:expr,
        base_url_hint: $hint:expr,
        credentials: $credentials:ty,
        env: $env:path $(,)?
    ) => {
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

        #[doc(hidden)]
        pub use generated::OPERATIONS;
        pub use generated::{ByteStream, Client, ResponseValue, builder, prelude, types};
        pub use $crate::{Error, ErrorKind, ProxySetting, RetryPolicy, RootCertificate, Secret};

        /// The settings of a client of this API: base URL, [`Credentials`], timeouts, retries (see
        /// [`idprov_runtime::ClientConfig`]).
        pub type ClientConfig = $crate::ClientConfig<$credentials>;

        /// This API as the runtime sees it: vendor, documented server, operation table.
        #[doc(hidden)]
        pub const API: $crate::__private::ApiInfo = $crate::__private::ApiInfo {
            vendor: $vendor,
            default_base_url: $url,
            base_url_hint: $hint,
            operations: OPERATIONS,
        };

        impl Client {
            /// A client configured from the environment, under the vendor's own variable names. A missing
            /// variable is an error naming it.
            pub fn from_env() -> ::std::result::Result<Self, $crate::Error> {
                Self::with_config($env(&$crate::env::process_env)?)
            }

            /// A client with explicit settings (base URL, credentials, timeouts, retries).
            pub fn with_config(config: ClientConfig) -> ::std::result::Result<Self, $crate::Error> {
                let (base_url, http, runtime) = config.build(&API)?;
                Ok(Self::new_with_client(&base_url, http, runtime))
            }
        }
    };
}

/// The typed mocks of a client crate's `mock` feature: includes `$OUT_DIR/mock.rs` (written by the crate's
/// build.rs when the feature is on) in a private `generated` module and re-exports everything in it. Call
/// it once, in the crate's `src/mock.rs`, after that module's docs.
#[macro_export]
macro_rules! include_mocks {
    () => {
        #[allow(
            missing_docs,
            unused_imports,
            unused_qualifications,
            clippy::all,
            clippy::pedantic,
            clippy::unwrap_used,
            clippy::expect_used,
            clippy::panic
        )]
        mod generated {
            include!(concat!(env!("OUT_DIR"), "/mock.rs"));
        }

        pub use generated::*;
    };
}
