#![doc = include_str!("../README.md")]

#[allow(
    missing_docs,
    unused_qualifications,
    clippy::all,
    clippy::pedantic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/generated.rs"));
}

pub use generated::{ByteStream, Client, OPERATIONS, ResponseValue, builder, prelude, types};
pub use idprov_runtime::{ClientConfig, Credentials, Error, ErrorKind, RetryPolicy, Secret};

/// This API as the runtime sees it: vendor, documented server, operation table.
pub const API: idprov_runtime::ApiInfo = idprov_runtime::ApiInfo {
    vendor: idprov_runtime::Vendor::Seam,
    default_base_url: "https://connect.getseam.com",
    operations: OPERATIONS,
};

idprov_runtime::client_glue!(API, idprov_runtime::auth::env::seam);
