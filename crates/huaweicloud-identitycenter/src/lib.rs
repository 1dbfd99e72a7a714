#![doc = include_str!("../README.md")]

idprov_runtime::client_crate! {
    vendor: &vendor::HUAWEI_CLOUD,
    default_base_url: "https://identitycenter.myhuaweicloud.com",
    credentials: Credentials,
    env: env::from_env,
}

mod credentials;
pub mod env;
mod paging;
mod request_ids;
pub mod signer;
mod vendor;
mod waiting;

pub use credentials::Credentials;
pub use idprov_runtime::wait;
pub use waiting::provisioning_state;
