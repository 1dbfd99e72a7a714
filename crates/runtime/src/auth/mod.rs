//! How each vendor's requests are authenticated. Each variant of [`Credentials`] is one vendor scheme; the runtime
//! applies it to every attempt of every request (so a retry carries a fresh token or signature).

pub mod env;
pub mod huawei_signer;
pub mod oauth2;

use std::fmt;
use std::sync::Arc;

use reqwest::header::{AUTHORIZATION, HeaderName};

use crate::Error;
use crate::secret::{Secret, sensitive_header};

/// Huawei Cloud AK/SK credentials (`GlobalCredentials` in the official SDK).
#[derive(Clone)]
pub struct HuaweiCredentials {
    /// The access key id (it appears in the signed `Authorization` header, as in the official SDK).
    pub ak: String,
    /// The secret access key.
    pub sk: Secret,
    /// The session token of temporary credentials, sent as `X-Security-Token`.
    pub security_token: Option<Secret>,
    /// The account (domain) id, sent as `X-Domain-Id`.
    pub domain_id: Option<String>,
}

impl fmt::Debug for HuaweiCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HuaweiCredentials")
            .field("ak", &self.ak)
            .field("sk", &self.sk)
            .field("security_token", &self.security_token)
            .field("domain_id", &self.domain_id)
            .finish()
    }
}

/// A client's credentials, as the user gives them (in code or from the environment, see [`env`]).
#[derive(Clone, Debug)]
pub enum Credentials {
    /// No credentials (tests, or an API behind a gateway that adds them).
    None,
    /// `Authorization: Bearer <token>` with a fixed token (NERM; an ISC or AVEVA access token obtained elsewhere).
    Bearer(Secret),
    /// Seam: an API key as a bearer token.
    SeamApiKey(Secret),
    /// Seam: a personal access token as a bearer token plus the workspace it acts in (`seam-workspace`).
    SeamPersonalAccessToken {
        /// The personal access token.
        token: Secret,
        /// The workspace id.
        workspace_id: String,
    },
    /// OAuth2 client credentials (AVEVA CONNECT, SailPoint ISC).
    ClientCredentials(oauth2::ClientCredentials),
    /// Huawei Cloud AK/SK request signing (SDK-HMAC-SHA256).
    HuaweiAkSk(HuaweiCredentials),
}

/// Credentials made ready to use: OAuth2 client credentials get their shared token cache; every other kind
/// is used as given.
#[derive(Clone, Debug)]
pub(crate) enum Auth {
    /// Credentials that need no state: put on each attempt as they are.
    Fixed(Credentials),
    /// OAuth2 client credentials with a shared, cached token.
    OAuth2(Arc<oauth2::TokenSource>),
}

/// How long before a token's expiry it is refreshed.
const TOKEN_REFRESH_MARGIN: std::time::Duration = std::time::Duration::from_secs(60);

impl Auth {
    /// Readies `credentials`; `http` is the client the token endpoint is called with.
    pub(crate) fn new(credentials: Credentials, http: reqwest::Client) -> Self {
        match credentials {
            Credentials::ClientCredentials(c) => Self::OAuth2(Arc::new(oauth2::TokenSource::new(
                c,
                http,
                TOKEN_REFRESH_MARGIN,
            ))),
            fixed => Self::Fixed(fixed),
        }
    }

    /// Puts the credentials on one attempt: a header, or the request signature.
    pub(crate) async fn apply(&self, req: &mut reqwest::Request) -> Result<(), Error> {
        let fixed = match self {
            Self::OAuth2(source) => {
                let v = source.bearer().await?;
                req.headers_mut().insert(AUTHORIZATION, v);
                return Ok(());
            }
            Self::Fixed(fixed) => fixed,
        };
        match fixed {
            Credentials::None => Ok(()),
            Credentials::Bearer(token) | Credentials::SeamApiKey(token) => set_bearer(req, token),
            Credentials::SeamPersonalAccessToken {
                token,
                workspace_id,
            } => {
                set_bearer(req, token)?;
                req.headers_mut().insert(
                    HeaderName::from_static("seam-workspace"),
                    sensitive_header("seam-workspace", workspace_id)?,
                );
                Ok(())
            }
            // Readied as `Auth::OAuth2` by `Auth::new`; kept here so the match stays exhaustive.
            Credentials::ClientCredentials(_) => Err(Error::new(
                crate::ErrorKind::Auth,
                "OAuth2 client credentials were not readied with a token cache",
            )),
            Credentials::HuaweiAkSk(c) => {
                // A new attempt is signed afresh: the old signature must not be signed itself.
                req.headers_mut().remove(AUTHORIZATION);
                if let Some(domain) = &c.domain_id {
                    req.headers_mut().insert(
                        HeaderName::from_static("x-domain-id"),
                        sensitive_header("X-Domain-Id", domain)?,
                    );
                }
                huawei_signer::sign_reqwest(
                    &c.ak,
                    c.sk.expose(),
                    c.security_token.as_ref().map(Secret::expose),
                    std::time::SystemTime::now(),
                    req,
                )
                .map_err(|e| {
                    Error::new(
                        crate::ErrorKind::InvalidRequest,
                        format!("cannot sign the request: {e}"),
                    )
                })?;
                if let Some(v) = req.headers_mut().get_mut(AUTHORIZATION) {
                    v.set_sensitive(true);
                }
                Ok(())
            }
        }
    }

    /// After a 401: forgets the token the refused attempt carried (its `Authorization` header) and says
    /// whether a new attempt can carry a new one.
    pub(crate) async fn refresh_after_401(
        &self,
        sent: Option<&reqwest::header::HeaderValue>,
    ) -> bool {
        let Self::OAuth2(source) = self else {
            return false;
        };
        let Some(token) = sent
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
        else {
            return false;
        };
        source.invalidate(&Secret::new(token)).await;
        true
    }
}

fn set_bearer(req: &mut reqwest::Request, token: &Secret) -> Result<(), Error> {
    let v = sensitive_header("Authorization", &format!("Bearer {}", token.expose()))?;
    req.headers_mut().insert(AUTHORIZATION, v);
    Ok(())
}
