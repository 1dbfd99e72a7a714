//! How each vendor's requests are authenticated. Each variant of [`Credentials`] is one vendor scheme; the runtime
//! applies it to every attempt of every request (so a retry carries a fresh token or signature).

pub mod env;
pub mod huawei_signer;
pub mod oauth2;

use std::fmt;
use std::sync::Arc;

use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};

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

/// A client's credentials, as the user gives them (in code or from the environment, see [`env`](mod@env)).
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

/// Credentials made ready to use, once per client: fixed headers are built once (every attempt clones
/// them, a reference count), OAuth2 client credentials get their shared token cache, Huawei AK/SK keeps
/// its `X-Domain-Id` header ready and signs each attempt.
#[derive(Clone)]
pub(crate) enum Auth {
    /// Headers put on each attempt as they are (bearer tokens, the Seam workspace); none for
    /// `Credentials::None`. Values are marked sensitive, so they print as `Sensitive`.
    Headers(Vec<(HeaderName, HeaderValue)>),
    /// OAuth2 client credentials with a shared, cached token.
    OAuth2(Arc<oauth2::TokenSource>),
    /// Huawei AK/SK: each attempt is signed afresh.
    HuaweiAkSk {
        /// The credentials.
        credentials: HuaweiCredentials,
        /// `X-Domain-Id`, when the credentials name an account.
        domain: Option<HeaderValue>,
    },
}

impl fmt::Debug for Auth {
    /// Header values print as `Secret(***)`, like every [`Secret`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Redacted;
        impl fmt::Debug for Redacted {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("Secret(***)")
            }
        }
        match self {
            Self::Headers(headers) => {
                let mut map = f.debug_map();
                for (name, _) in headers {
                    map.entry(&name.as_str(), &Redacted);
                }
                map.finish()
            }
            Self::OAuth2(source) => f.debug_tuple("OAuth2").field(source).finish(),
            Self::HuaweiAkSk { credentials, .. } => {
                f.debug_tuple("HuaweiAkSk").field(credentials).finish()
            }
        }
    }
}

/// Huawei's account header (a constant: no parsing per attempt).
const X_DOMAIN_ID: HeaderName = HeaderName::from_static("x-domain-id");

/// How long before a token's expiry it is refreshed.
const TOKEN_REFRESH_MARGIN: std::time::Duration = std::time::Duration::from_secs(60);

impl Auth {
    /// Readies `credentials`; `http` is the client the token endpoint is called with. Fails when a
    /// credential cannot be carried in a header (the error names the header, never the value).
    pub(crate) fn new(credentials: Credentials, http: reqwest::Client) -> Result<Self, Error> {
        Ok(match credentials {
            Credentials::None => Self::Headers(Vec::new()),
            Credentials::Bearer(token) | Credentials::SeamApiKey(token) => {
                Self::Headers(vec![(AUTHORIZATION, bearer(&token)?)])
            }
            Credentials::SeamPersonalAccessToken {
                token,
                workspace_id,
            } => Self::Headers(vec![
                (AUTHORIZATION, bearer(&token)?),
                (
                    HeaderName::from_static("seam-workspace"),
                    sensitive_header("seam-workspace", &workspace_id)?,
                ),
            ]),
            Credentials::ClientCredentials(c) => Self::OAuth2(Arc::new(oauth2::TokenSource::new(
                c,
                http,
                TOKEN_REFRESH_MARGIN,
            ))),
            Credentials::HuaweiAkSk(c) => Self::HuaweiAkSk {
                domain: c
                    .domain_id
                    .as_deref()
                    .map(|d| sensitive_header("X-Domain-Id", d))
                    .transpose()?,
                credentials: c,
            },
        })
    }

    /// Puts the credentials on one attempt: headers, or the request signature.
    pub(crate) async fn apply(&self, req: &mut reqwest::Request) -> Result<(), Error> {
        match self {
            Self::Headers(headers) => {
                for (name, value) in headers {
                    req.headers_mut().insert(name.clone(), value.clone());
                }
                Ok(())
            }
            Self::OAuth2(source) => {
                let v = source.bearer().await?;
                req.headers_mut().insert(AUTHORIZATION, v);
                Ok(())
            }
            Self::HuaweiAkSk {
                credentials: c,
                domain,
            } => {
                // A new attempt is signed afresh; `sign_reqwest` drops the old signature before signing and
                // marks the new one sensitive.
                if let Some(domain) = domain {
                    req.headers_mut().insert(X_DOMAIN_ID, domain.clone());
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
                Ok(())
            }
        }
    }

    /// Whether a 401 can be answered with a new credential (an OAuth2 token fetched again), so that one
    /// more attempt is worth making after it.
    pub(crate) fn refreshes_after_401(&self) -> bool {
        matches!(self, Self::OAuth2(_))
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

fn bearer(token: &Secret) -> Result<HeaderValue, Error> {
    sensitive_header("Authorization", &format!("Bearer {}", token.expose()))
}
