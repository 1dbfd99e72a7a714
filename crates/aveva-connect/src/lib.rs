#![doc = include_str!("../README.md")]

idprov_runtime::client_crate! {
    vendor: idprov_runtime::Vendor::AvevaConnect,
    default_base_url: "https://uswe.datahub.connect.aveva.com",
    env: idprov_runtime::auth::env::aveva_connect,
}

mod paging;
pub use paging::DEFAULT_PAGE_SIZE;
