//! What a Huawei Cloud client authenticates with: AK/SK, each attempt signed with [`crate::signer`].

use std::fmt;
use std::time::SystemTime;

use idprov_runtime::auth::{AuthScheme, IntoAuth, RequestSigner};
use idprov_runtime::{Error, ErrorKind, Secret};

/// Huawei Cloud AK/SK credentials (`GlobalCredentials` in the official SDK). Every attempt of every request
/// is signed afresh (SDK-HMAC-SHA256, a new `X-Sdk-Date`).
#[derive(Clone)]
pub struct Credentials {
    /// The access key id (it appears in the signed `Authorization` header, as in the official SDK).
    pub ak: String,
    /// The secret access key.
    pub sk: Secret,
    /// The session token of temporary credentials, sent as `X-Security-Token`.
    pub security_token: Option<Secret>,
    /// The account (domain) id, sent as `X-Domain-Id`.
    pub domain_id: Option<String>,
}

impl Credentials {
    /// Permanent AK/SK credentials, without a security token or a domain id.
    pub fn new(ak: impl Into<String>, sk: impl Into<Secret>) -> Self {
        Self {
            ak: ak.into(),
            sk: sk.into(),
            security_token: None,
            domain_id: None,
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("ak", &self.ak)
            .field("sk", &self.sk)
            .field("security_token", &self.security_token)
            .field("domain_id", &self.domain_id)
            .finish()
    }
}

impl IntoAuth for Credentials {
    fn into_auth(self) -> Result<AuthScheme, Error> {
        let refuse = |what: &str| {
            Error::new(
                ErrorKind::InvalidRequest,
                format!("the Huawei Cloud credential {what} is empty"),
            )
        };
        if self.ak.trim().is_empty() {
            return Err(refuse("ak"));
        }
        if self.sk.expose().trim().is_empty() {
            return Err(refuse("sk"));
        }
        // The signer refuses a token a header cannot carry on the first request; check it here, once.
        if let Some(token) = &self.security_token {
            AuthScheme::none().with_header("x-security-token", token.expose())?;
        }
        let domain = self.domain_id.clone();
        let scheme = AuthScheme::signer(AkSkSigner(self));
        // Fixed headers are put on each attempt before the signer runs, so X-Domain-Id is signed.
        match domain {
            Some(domain) => scheme.with_header("x-domain-id", &domain),
            None => Ok(scheme),
        }
    }
}

/// Signs each attempt with the credentials' AK/SK.
struct AkSkSigner(Credentials);

impl fmt::Debug for AkSkSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("AkSkSigner").field(&self.0).finish()
    }
}

impl RequestSigner for AkSkSigner {
    fn sign(&self, request: &mut reqwest::Request) -> Result<(), Error> {
        let c = &self.0;
        crate::signer::sign_reqwest(
            &c.ak,
            c.sk.expose(),
            c.security_token.as_ref().map(Secret::expose),
            SystemTime::now(),
            request,
        )
        .map_err(|e| {
            Error::new(
                ErrorKind::InvalidRequest,
                format!("cannot sign the request: {e}"),
            )
        })
    }

    /// The SK and the security token, which the runtime scrubs from every error.
    fn secrets(&self) -> Vec<Secret> {
        let c = &self.0;
        std::iter::once(c.sk.clone())
            .chain(c.security_token.clone())
            .collect()
    }
}
