//! [`client_glue!`](crate::client_glue): the hand-written glue every client crate shares.

/// Wires a generated `Client` to the runtime: implements progenitor's `ClientHooks` with [`crate::Runtime`]
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

            async fn post<E>(
                &self,
                result: &$crate::__private::reqwest::Result<$crate::__private::reqwest::Response>,
                info: &$crate::__private::progenitor_client::OperationInfo,
            ) -> ::std::result::Result<(), $crate::__private::progenitor_client::Error<E>> {
                self.inner
                    .post(result, info.operation_id)
                    .map_err($crate::Error::into_hook_error)
            }

            async fn exec(
                &self,
                request: $crate::__private::reqwest::Request,
                info: &$crate::__private::progenitor_client::OperationInfo,
            ) -> $crate::__private::reqwest::Result<$crate::__private::reqwest::Response> {
                self.inner
                    .exec(&self.client, request, info.operation_id)
                    .await
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
