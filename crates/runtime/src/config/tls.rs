//! The TLS settings of one client: rustls with the ring provider, handed to reqwest as a ready
//! configuration, so the process-wide default provider is neither needed nor touched (an application may
//! install another one, before or after, without conflict). Certificates are checked by the platform's
//! verifier, with any extra root certificates the user adds.

use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::{Error, ErrorKind};

/// An extra root certificate a client trusts (a private CA, a TLS-inspecting proxy), DER-encoded.
#[derive(Clone, PartialEq, Eq)]
pub struct RootCertificate(pub(crate) CertificateDer<'static>);

impl std::fmt::Debug for RootCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RootCertificate({} bytes)", self.0.len())
    }
}

impl RootCertificate {
    /// A certificate from its DER bytes.
    pub fn from_der(der: impl Into<Vec<u8>>) -> Self {
        Self(CertificateDer::from(der.into()))
    }

    /// Every certificate of a PEM bundle (`-----BEGIN CERTIFICATE-----` blocks); an error when the text
    /// holds none or one that does not decode.
    pub fn from_pem(pem: &[u8]) -> Result<Vec<Self>, Error> {
        let certs = CertificateDer::pem_slice_iter(pem)
            .map(|c| c.map(Self))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| {
                Error::new(
                    ErrorKind::InvalidRequest,
                    format!("root_certificates: the PEM text does not decode: {e}"),
                )
            })?;
        if certs.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                "root_certificates: the PEM text holds no CERTIFICATE block",
            ));
        }
        Ok(certs)
    }
}

/// The rustls configuration of one client: ring, TLS 1.2 and 1.3, the platform verifier (plus `extra`
/// roots), and ALPN for HTTP/2 and HTTP/1.1.
pub(crate) fn client_tls(extra: &[RootCertificate]) -> Result<rustls::ClientConfig, Error> {
    let refuse = |what: String| Error::new(ErrorKind::InvalidRequest, what);
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = verifier(provider.clone(), extra)
        .map_err(|e| refuse(format!("cannot set up certificate verification: {e}")))?;
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| refuse(format!("cannot set up TLS: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(tls)
}

#[cfg(any(target_vendor = "apple", all(unix, not(target_os = "android"))))]
fn verifier(
    provider: Arc<rustls::crypto::CryptoProvider>,
    extra: &[RootCertificate],
) -> Result<rustls_platform_verifier::Verifier, rustls::Error> {
    if extra.is_empty() {
        return rustls_platform_verifier::Verifier::new(provider);
    }
    rustls_platform_verifier::Verifier::new_with_extra_roots(
        extra.iter().map(|c| c.0.clone()),
        provider,
    )
}

#[cfg(not(any(target_vendor = "apple", all(unix, not(target_os = "android")))))]
fn verifier(
    provider: Arc<rustls::crypto::CryptoProvider>,
    extra: &[RootCertificate],
) -> Result<rustls_platform_verifier::Verifier, rustls::Error> {
    if !extra.is_empty() {
        return Err(rustls::Error::General(
            "extra root certificates are not supported on this platform; add them to the system store".into(),
        ));
    }
    rustls_platform_verifier::Verifier::new(provider)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_text_without_a_certificate_is_refused_naming_the_setting() {
        let err = RootCertificate::from_pem(b"not a certificate").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest);
        assert!(err.message().starts_with("root_certificates"), "{err}");
    }

    #[test]
    fn a_client_tls_configuration_is_made_without_a_process_default_provider() {
        let tls = client_tls(&[]).unwrap();
        assert_eq!(tls.alpn_protocols, [b"h2".to_vec(), b"http/1.1".to_vec()]);
    }
}
