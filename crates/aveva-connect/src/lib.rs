#![doc = include_str!("../README.md")]

idprov_runtime::client_crate! {
    vendor: &vendor::AVEVA_CONNECT,
    default_base_url: None,
    base_url_hint: "the regional host, https://{region}.datahub.connect.aveva.com, or AVEVA_CONNECT_RESOURCE",
    credentials: Credentials,
    env: env::from_env,
}

mod credentials;
pub mod env;
mod ids;
#[cfg(feature = "mock")]
pub mod mock;
mod paging;
mod vendor;

pub use credentials::Credentials;
pub use idprov_runtime::ClientCredentials;
pub use paging::DEFAULT_PAGE_SIZE;
