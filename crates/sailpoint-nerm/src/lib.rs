#![doc = include_str!("../README.md")]

idprov_runtime::client_crate! {
    vendor: &vendor::SAILPOINT_NERM,
    default_base_url: "https://acmeco.nonemployee.com/api",
    credentials: Credentials,
    env: env::from_env,
}

mod credentials;
pub mod env;
mod paging;
mod vendor;

pub use credentials::Credentials;
pub use idprov_runtime::ClientCredentials;
