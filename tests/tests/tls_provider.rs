//! Building idprov clients leaves rustls's process-wide default crypto provider alone, so an application
//! can install the provider it wants (here ring, the one this workspace compiles; aws-lc-rs the same way)
//! before or after, and both its own TLS and idprov's keep working. One test per binary: the default is
//! process-wide state.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on unexpected values")]

#[test]
fn clients_do_not_install_a_process_default_provider_and_the_app_still_can() {
    let config =
        idprov_seam::ClientConfig::new(idprov_seam::Credentials::ApiKey("seam_key_123".into()));
    idprov_seam::Client::with_config(config).unwrap();
    let huawei = idprov_huaweicloud_identitycenter::ClientConfig::new(
        idprov_huaweicloud_identitycenter::Credentials::new("AK", "SK-0123456789"),
    );
    idprov_huaweicloud_identitycenter::Client::with_config(huawei).unwrap();
    assert!(
        rustls::crypto::CryptoProvider::get_default().is_none(),
        "building clients installed a process default provider"
    );
    // The application installs its own default afterwards: that succeeds, and clients still build.
    assert!(
        rustls::crypto::ring::default_provider()
            .install_default()
            .is_ok()
    );
    let again =
        idprov_seam::ClientConfig::new(idprov_seam::Credentials::ApiKey("seam_key_123".into()));
    idprov_seam::Client::with_config(again).unwrap();
}
