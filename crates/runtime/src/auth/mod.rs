//! How requests are authorized: the generic mechanisms every client crate builds its credentials from.
//!
//! A client crate's own `Credentials` type (an API key, client credentials, an AK/SK pair) implements
//! [`IntoAuth`], which turns it into one [`AuthScheme`]: fixed headers (a bearer token, an API-key header),
//! OAuth2 client credentials with a cached token, or a [`RequestSigner`] that signs every attempt. The
//! runtime applies the scheme to every attempt of every request, so a retry carries a fresh token or
//! signature.

pub mod oauth2;

use std::fmt;
use std::sync::Arc;

use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};

use crate::secret::{Secret, sensitive_header};
use crate::{Error, ErrorKind};

/// A client crate's credentials, turned into the scheme that authorizes its requests. Implemented by each
/// client crate's `Credentials`, which is what makes another vendor's credentials a compile error.
pub trait IntoAuth {
    /// The scheme these credentials authorize requests with; refuses credentials that cannot work (an
    /// empty key, a value a header cannot carry), naming the credential.
    fn into_auth(self) -> Result<AuthScheme, Error>;
}

/// Signs each attempt of a request (for example Huawei Cloud's SDK-HMAC-SHA256): called after every other
/// header is set, right before the attempt is sent.
pub trait RequestSigner: fmt::Debug + Send + Sync + 'static {
    /// Signs `request` in place (adds its date, signature and token headers).
    fn sign(&self, request: &mut reqwest::Request) -> Result<(), Error>;

    /// The secrets the signer holds (a secret key, a session token), which the runtime scrubs from every
    /// error a server's answer could echo them into.
    fn secrets(&self) -> Vec<Secret> {
        Vec::new()
    }
}

/// How a client's requests are authorized. Build it with the constructors, which refuse empty secrets.
#[derive(Clone)]
pub struct AuthScheme {
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// The raw values of the headers, scrubbed from errors.
    pub(crate) secrets: Vec<Secret>,
    pub(crate) kind: SchemeKind,
}

#[derive(Clone)]
pub(crate) enum SchemeKind {
    Fixed,
    OAuth2(oauth2::ClientCredentials),
    Signer(Arc<dyn RequestSigner>),
}

impl fmt::Debug for AuthScheme {
    /// Header values print as `Secret(***)`, like every [`Secret`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        let mut s = f.debug_struct("AuthScheme");
        s.field("headers", &names);
        match &self.kind {
            SchemeKind::Fixed => {}
            SchemeKind::OAuth2(c) => {
                s.field("oauth2", c);
            }
            SchemeKind::Signer(signer) => {
                s.field("signer", signer);
            }
        }
        s.finish()
    }
}

impl AuthScheme {
    /// No credentials: requests are sent as they are (an API behind a gateway that adds them, tests).
    pub fn none() -> Self {
        Self {
            headers: Vec::new(),
            secrets: Vec::new(),
            kind: SchemeKind::Fixed,
        }
    }

    /// `Authorization: Bearer <token>` on every request. `credential` names the token in errors (an empty
    /// token is refused).
    pub fn bearer(credential: &str, token: &Secret) -> Result<Self, Error> {
        Self::none().with_bearer(credential, token)
    }

    /// OAuth2 client credentials: a token fetched from `credentials.token_url`, cached, refreshed before
    /// it expires and once after a 401, shared by concurrent calls.
    pub fn oauth2(credentials: oauth2::ClientCredentials) -> Result<Self, Error> {
        not_empty("client_id", &credentials.client_id)?;
        not_empty("client_secret", credentials.client_secret.expose())?;
        Ok(Self {
            headers: Vec::new(),
            secrets: Vec::new(),
            kind: SchemeKind::OAuth2(credentials),
        })
    }

    /// Every attempt signed by `signer`.
    pub fn signer(signer: impl RequestSigner) -> Self {
        Self {
            headers: Vec::new(),
            secrets: Vec::new(),
            kind: SchemeKind::Signer(Arc::new(signer)),
        }
    }

    /// Adds `Authorization: Bearer <token>` (see [`AuthScheme::bearer`]).
    pub fn with_bearer(self, credential: &str, token: &Secret) -> Result<Self, Error> {
        not_empty(credential, token.expose())?;
        let value = format!("Bearer {}", token.expose());
        let mut scheme = self.push(
            AUTHORIZATION,
            &format!("Authorization ({credential})"),
            &value,
        )?;
        scheme.secrets.push(token.clone());
        Ok(scheme)
    }

    /// Adds header `name: value` to every request, its value marked sensitive (it never prints). An empty
    /// value, or one a header cannot carry, is refused naming `name`.
    pub fn with_header(self, name: &'static str, value: &str) -> Result<Self, Error> {
        not_empty(name, value)?;
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            Error::new(
                ErrorKind::InvalidRequest,
                format!("{name:?} is not a valid header name"),
            )
        })?;
        let mut scheme = self.push(header, name, value)?;
        scheme.secrets.push(Secret::new(value));
        Ok(scheme)
    }

    /// The token endpoint, for OAuth2 client credentials.
    pub(crate) fn token_url(&self) -> Option<&url::Url> {
        match &self.kind {
            SchemeKind::OAuth2(c) => Some(&c.token_url),
            _ => None,
        }
    }

    fn push(mut self, name: HeaderName, credential: &str, value: &str) -> Result<Self, Error> {
        let value = sensitive_header(credential, value)?;
        self.headers.push((name, value));
        Ok(self)
    }
}

fn not_empty(credential: &str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::new(
            ErrorKind::InvalidRequest,
            format!("the credential {credential} is empty"),
        ));
    }
    Ok(())
}

/// A scheme made ready to use, once per client: fixed headers built once (every attempt clones them, a
/// reference count), OAuth2 with its shared token cache, a signer.
#[derive(Clone)]
pub(crate) struct Auth {
    headers: Vec<(HeaderName, HeaderValue)>,
    secrets: Vec<Secret>,
    mechanism: Mechanism,
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
        let mut map = f.debug_map();
        for (name, _) in &self.headers {
            map.entry(&name.as_str(), &Redacted);
        }
        match &self.mechanism {
            Mechanism::Fixed => {}
            Mechanism::OAuth2(source) => {
                map.entry(&"oauth2", source);
            }
            Mechanism::Signer(signer) => {
                map.entry(&"signer", signer);
            }
        }
        map.finish()
    }
}

#[derive(Clone, Debug)]
enum Mechanism {
    Fixed,
    OAuth2(Arc<oauth2::TokenSource>),
    Signer(Arc<dyn RequestSigner>),
}

/// How long before a token's expiry it is refreshed.
const TOKEN_REFRESH_MARGIN: std::time::Duration = std::time::Duration::from_secs(60);

impl Auth {
    /// Readies `scheme`; `http` is the client the token endpoint is called with, `retry` how token
    /// requests are retried.
    pub(crate) fn new(
        scheme: AuthScheme,
        http: reqwest::Client,
        retry: &crate::RetryPolicy,
    ) -> Self {
        let mechanism = match scheme.kind {
            SchemeKind::Fixed => Mechanism::Fixed,
            SchemeKind::OAuth2(c) => Mechanism::OAuth2(Arc::new(
                oauth2::TokenSource::new(c, http, TOKEN_REFRESH_MARGIN).with_retry(retry.clone()),
            )),
            SchemeKind::Signer(s) => Mechanism::Signer(s),
        };
        Self {
            headers: scheme.headers,
            secrets: scheme.secrets,
            mechanism,
        }
    }

    /// Every secret these credentials hold right now (header values, the client secret and the cached
    /// token, the signer's keys), to scrub from errors.
    pub(crate) fn secrets(&self) -> Vec<Secret> {
        let mut all = self.secrets.clone();
        match &self.mechanism {
            Mechanism::Fixed => {}
            Mechanism::OAuth2(source) => all.extend(source.secrets()),
            Mechanism::Signer(signer) => all.extend(signer.secrets()),
        }
        all
    }

    /// Puts the credentials on one attempt: headers, a token, or the request signature.
    pub(crate) async fn apply(&self, req: &mut reqwest::Request) -> Result<(), Error> {
        for (name, value) in &self.headers {
            req.headers_mut().insert(name.clone(), value.clone());
        }
        match &self.mechanism {
            Mechanism::Fixed => Ok(()),
            Mechanism::OAuth2(source) => {
                let v = source.bearer().await?;
                req.headers_mut().insert(AUTHORIZATION, v);
                Ok(())
            }
            Mechanism::Signer(signer) => signer.sign(req),
        }
    }

    /// Whether a 401 can be answered with a new credential (an OAuth2 token fetched again), so that one
    /// more attempt is worth making after it.
    pub(crate) fn refreshes_after_401(&self) -> bool {
        matches!(self.mechanism, Mechanism::OAuth2(_))
    }

    /// After a 401: forgets the token the refused attempt carried (its `Authorization` header) and says
    /// whether a new attempt can carry a new one.
    pub(crate) async fn refresh_after_401(
        &self,
        sent: Option<&reqwest::header::HeaderValue>,
    ) -> bool {
        let Mechanism::OAuth2(source) = &self.mechanism else {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_credentials_are_refused_naming_them() {
        let err = AuthScheme::bearer("ACME_API_KEY", &Secret::new("  ")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest);
        assert!(err.message().contains("ACME_API_KEY"), "{err}");
        let err = AuthScheme::none()
            .with_header("x-workspace", "")
            .unwrap_err();
        assert!(err.message().contains("x-workspace"), "{err}");
    }

    #[test]
    fn header_values_with_line_breaks_are_refused_naming_the_header_not_the_value() {
        let err = AuthScheme::none()
            .with_header("x-api-key", "abc\r\nx-evil: 1")
            .unwrap_err();
        assert!(err.message().contains("x-api-key"), "{err}");
        assert!(!err.message().contains("abc"), "{err}");
    }

    #[test]
    fn debug_shows_header_names_but_no_value() {
        let scheme = AuthScheme::bearer("token", &Secret::new("s3cr3t"))
            .unwrap()
            .with_header("x-workspace", "ws-1")
            .unwrap();
        let printed = format!("{scheme:?}");
        assert!(printed.contains("authorization") && printed.contains("x-workspace"));
        assert!(
            !printed.contains("s3cr3t") && !printed.contains("ws-1"),
            "{printed}"
        );
    }
}
