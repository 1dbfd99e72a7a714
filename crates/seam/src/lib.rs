#![doc = include_str!("../README.md")]

idprov_runtime::client_crate! {
    vendor: &vendor::SEAM,
    default_base_url: "https://connect.getseam.com",
    credentials: Credentials,
    env: env::from_env,
}

mod credentials;
pub mod env;
mod vendor;

pub use credentials::Credentials;
