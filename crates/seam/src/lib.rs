#![doc = include_str!("../README.md")]

idprov_runtime::client_crate! {
    vendor: &vendor::SEAM,
    default_base_url: Some("https://connect.getseam.com"),
    base_url_hint: "https://connect.getseam.com, or SEAM_ENDPOINT",
    credentials: Credentials,
    env: env::from_env,
}

mod credentials;
pub mod env;
#[cfg(feature = "mock")]
pub mod mock;
mod vendor;

pub use credentials::Credentials;
