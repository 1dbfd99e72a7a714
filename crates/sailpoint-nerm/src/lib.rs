#![doc = include_str!("../README.md")]

idprov_runtime::client_crate! {
    vendor: idprov_runtime::Vendor::SailPointNerm,
    default_base_url: "https://acmeco.nonemployee.com/api",
    env: idprov_runtime::auth::env::sailpoint_nerm,
}

mod paging;
