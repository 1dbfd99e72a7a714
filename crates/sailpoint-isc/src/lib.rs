#![doc = include_str!("../README.md")]

idprov_runtime::client_crate! {
    vendor: idprov_runtime::Vendor::SailPointIsc,
    default_base_url: "https://sailpoint.api.identitynow.com",
    env: idprov_runtime::auth::env::sailpoint_isc,
}

mod waiting;
pub use idprov_runtime::wait;
pub use waiting::{MAX_PAGE_SIZE, account_request_state};
