#![doc = include_str!("../README.md")]

idprov_runtime::client_crate! {
    vendor: &vendor::SAILPOINT_NERM,
    default_base_url: None,
    base_url_hint: "the tenant's NERM API URL, https://{tenant}.nonemployee.com/api, or SAIL_NERM_BASE_URL",
    credentials: Credentials,
    env: env::from_env,
}

mod credentials;
pub mod env;
#[cfg(feature = "mock")]
pub mod mock;
mod paging;
mod vendor;
mod workflow_actions;

pub use credentials::Credentials;
pub use idprov_runtime::ClientCredentials;
