//! [`client_glue!`](crate::client_glue): the hand-written glue every client crate shares.

/// Wires a generated `Client` to the runtime: implements progenitor's `ClientHooks` (`pre` and `exec`;
/// `post` keeps progenitor's default, as success answers are checked by [`crate::decode`]) with [`crate::Runtime`]
/// and adds `Client::from_env`, `Client::with_config` and `Client::runtime`.
///
/// Call it once in a client crate's lib.rs, after the generated code, with the crate's [`crate::ApiInfo`]
/// constant and its environment reader from [`crate::auth::env`].
#[macro_export]
macro_rules! client_glue {
    ($api:expr, $env:path) => {
        impl $crate::__private::progenitor_client::ClientHooks<$crate::Runtime> for Client {
            async fn pre<E>(
                &self,
                request: &mut $crate::__private::reqwest::Request,
                info: &$crate::__private::progenitor_client::OperationInfo,
            ) -> ::std::result::Result<(), $crate::__private::progenitor_client::Error<E>> {
                self.inner
                    .pre(request, info.operation_id)
                    .await
                    .map_err($crate::Error::into_hook_error)
            }

            // Not an `async fn`: the runtime's future is handed on as it is, one layer less to move.
            fn exec(
                &self,
                request: $crate::__private::reqwest::Request,
                info: &$crate::__private::progenitor_client::OperationInfo,
            ) -> impl ::std::future::Future<
                Output = $crate::__private::reqwest::Result<$crate::__private::reqwest::Response>,
            > {
                self.inner.exec(&self.client, request, info.operation_id)
            }
        }

        impl Client {
            /// A client configured from the environment, under the vendor's own variable names (see
            /// `idprov_runtime::auth::env`). A missing variable is an error naming it.
            pub fn from_env() -> ::std::result::Result<Self, $crate::Error> {
                Self::with_config($crate::ClientConfig::from_env($env)?)
            }

            /// A client with explicit settings (base URL, credentials, timeouts, retries).
            pub fn with_config(
                config: $crate::ClientConfig,
            ) -> ::std::result::Result<Self, $crate::Error> {
                let (base_url, http, runtime) = config.build(&$api)?;
                Ok(Self::new_with_client(&base_url, http, runtime))
            }

            /// The runtime this client uses (vendor, retry policy).
            pub fn runtime(&self) -> &$crate::Runtime {
                &self.inner
            }
        }
    };
}

/// The whole generated surface of a client crate in one call: includes `$OUT_DIR/generated.rs` (written
/// by the crate's build.rs) in a private `generated` module, re-exports the client, its types and the
/// runtime's user-facing types, defines the crate's `API` constant and wires the runtime with
/// [`client_glue!`](crate::client_glue).
///
/// ```ignore
/// idprov_runtime::client_crate! {
///     vendor: idprov_runtime::Vendor::Seam,
///     default_base_url: "https://connect.getseam.com",
///     env: idprov_runtime::auth::env::seam,
/// }
/// ```
#[macro_export]
macro_rules! client_crate {
    (vendor: $vendor:expr, default_base_url: $url:expr, env: $env:path $(,)?) => {
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

        pub use generated::{
            ByteStream, Client, OPERATIONS, ResponseValue, builder, prelude, types,
        };
        pub use $crate::{ClientConfig, Credentials, Error, ErrorKind, RetryPolicy, Secret};

        /// This API as the runtime sees it: vendor, documented server, operation table.
        pub const API: $crate::ApiInfo = $crate::ApiInfo {
            vendor: $vendor,
            default_base_url: $url,
            operations: OPERATIONS,
        };

        $crate::client_glue!(API, $env);
    };
}
