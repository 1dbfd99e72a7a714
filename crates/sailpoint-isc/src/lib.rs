#![doc = include_str!("../README.md")]

idprov_runtime::client_crate! {
    vendor: &vendor::SAILPOINT_ISC,
    default_base_url: None,
    base_url_hint: "the tenant's API URL, https://{tenant}.api.identitynow.com, or SAIL_BASE_URL",
    credentials: Credentials,
    env: env::from_env,
}

mod credentials;
pub mod env;
#[cfg(feature = "mock")]
pub mod mock;
mod paging;
mod vendor;
mod waiting;

pub use credentials::Credentials;
pub use idprov_runtime::ClientCredentials;
pub use idprov_runtime::wait;
pub use paging::MAX_PAGE_SIZE;
pub use waiting::account_request_state;
