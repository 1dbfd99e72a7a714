#![doc = include_str!("../README.md")]

idprov_runtime::client_crate! {
    vendor: idprov_runtime::Vendor::Seam,
    default_base_url: "https://connect.getseam.com",
    env: idprov_runtime::auth::env::seam,
}
