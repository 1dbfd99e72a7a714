#![doc = include_str!("../README.md")]

idprov_runtime::client_crate! {
    vendor: idprov_runtime::Vendor::HuaweiCloud,
    default_base_url: "https://identitycenter.myhuaweicloud.com",
    env: idprov_runtime::auth::env::huawei,
}

mod waiting;
pub use idprov_runtime::wait;
pub use waiting::provisioning_state;
