#![doc = include_str!("../README.md")]

idprov_runtime::client_crate! {
    vendor: &vendor::HUAWEI_CLOUD,
    default_base_url: Some("https://identitycenter.myhuaweicloud.com"),
    base_url_hint: "https://identitycenter.myhuaweicloud.com, or HUAWEICLOUD_SDK_REGION_IDENTITYCENTER_CN_NORTH_4",
    credentials: Credentials,
    env: env::from_env,
}

mod credentials;
pub mod env;
#[cfg(feature = "mock")]
pub mod mock;
mod paging;
mod request_ids;
pub mod signer;
mod vendor;
mod waiting;

pub use credentials::Credentials;
pub use idprov_runtime::wait;
pub use waiting::provisioning_state;
