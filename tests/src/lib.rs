//! End-to-end workflow tests live in `tests/tests/`. This library compiles the README's example, and shows
//! that a client cannot be given another vendor's credentials.
//!
//! A Seam client takes Seam credentials:
//!
//! ```
//! let config = idprov_seam::ClientConfig::new(idprov_seam::Credentials::ApiKey("seam_key".into()));
//! assert!(idprov_seam::Client::with_config(config).is_ok());
//! ```
//!
//! The same call with Huawei Cloud AK/SK credentials does not compile (mismatched types):
//!
//! ```compile_fail,E0308
//! let config: idprov_seam::ClientConfig =
//!     idprov_seam::ClientConfig::new(idprov_huaweicloud_identitycenter::Credentials::new("AK", "SK"));
//! ```
//!
//! Nor does handing a Huawei client's config to a Seam client:
//!
//! ```compile_fail,E0308
//! let huawei = idprov_huaweicloud_identitycenter::ClientConfig::new(
//!     idprov_huaweicloud_identitycenter::Credentials::new("AK", "SK"),
//! );
//! let _ = idprov_seam::Client::with_config(huawei);
//! ```
//!
//! while the Huawei client takes it:
//!
//! ```
//! let huawei = idprov_huaweicloud_identitycenter::ClientConfig::new(
//!     idprov_huaweicloud_identitycenter::Credentials::new("AK", "SK"),
//! );
//! assert!(idprov_huaweicloud_identitycenter::Client::with_config(huawei).is_ok());
//! ```

/// The README, whose Rust example is compiled as a doctest so it stays true.
#[doc = include_str!("../../README.md")]
pub struct ReadmeExample;
