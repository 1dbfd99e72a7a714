//! OAuth2 client credentials: a cached token, refreshed before it expires and
//! once after a 401; concurrent calls share one token request.

use std::fmt;
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::Mutex;

use crate::secret::Secret;
use crate::{Error, ErrorKind};

/// Where and how to get a client-credentials token.
#[derive(Clone)]
pub struct ClientCredentials {
    /// The token endpoint.
    pub token_url: url::Url,
    /// The OAuth2 client id.
    pub client_id: String,
    /// The OAuth2 client secret.
    pub client_secret: Secret,
    /// An optional `scope` form field.
    pub scope: Option<String>,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url.as_str())
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("scope", &self.scope)
            .finish()
    }
}

struct CachedToken {
    token: Secret,
    /// `Bearer <token>`, made once per token (sensitive): every request clones it (a reference count).
    header: reqwest::header::HeaderValue,
    refresh_at: Instant,
}

/// A token cache over one set of client credentials. Cloning the `Arc` shares the cache.
pub struct TokenSource {
    credentials: ClientCredentials,
    http: reqwest::Client,
    refresh_margin: Duration,
    cached: std::sync::RwLock<Option<CachedToken>>,
    /// Held while one caller fetches a token, so concurrent callers share one token request.
    fetching: Mutex<()>,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource")
            .field("credentials", &self.credentials)
            .field("refresh_margin", &self.refresh_margin)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// How long a token without `expires_in` is kept.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(300);

impl TokenSource {
    /// A token source that asks `credentials.token_url` with `http`, refreshing `refresh_margin` before expiry.
    pub fn new(
        credentials: ClientCredentials,
        http: reqwest::Client,
        refresh_margin: Duration,
    ) -> Self {
        Self {
            credentials,
            http,
            refresh_margin,
            cached: std::sync::RwLock::new(None),
            fetching: Mutex::new(()),
        }
    }

    /// A valid token: the cached one, or a new one. While one caller fetches, the others wait for its result.
    pub async fn token(&self) -> Result<Secret, Error> {
        self.current(|t| t.token.clone()).await
    }

    /// The `Authorization` header value of a valid token (see [`TokenSource::token`]).
    pub(crate) async fn bearer(&self) -> Result<reqwest::header::HeaderValue, Error> {
        self.current(|t| t.header.clone()).await
    }

    async fn current<T>(&self, pick: impl Fn(&CachedToken) -> T) -> Result<T, Error> {
        if let Some(hit) = self.fresh(&pick) {
            return Ok(hit);
        }
        // The fetch is boxed: it is rare, and inline it would make the future of every call that
        // authorizes (and of every future around it) hundreds of bytes larger to move.
        Box::pin(self.refill(pick)).await
    }

    /// Fetches a token (or waits for the caller fetching one) and caches it.
    async fn refill<T>(&self, pick: impl Fn(&CachedToken) -> T) -> Result<T, Error> {
        let _single_flight = self.fetching.lock().await;
        if let Some(hit) = self.fresh(&pick) {
            return Ok(hit);
        }
        let fresh = self.fetch().await?;
        let out = pick(&fresh);
        *self
            .cached
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(fresh);
        Ok(out)
    }

    fn fresh<T>(&self, pick: impl Fn(&CachedToken) -> T) -> Option<T> {
        let cached = self
            .cached
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cached
            .as_ref()
            .filter(|t| Instant::now() < t.refresh_at)
            .map(pick)
    }

    /// Forgets `stale` if it is still the cached token (a 401 answered it), so the next call fetches anew.
    pub async fn invalidate(&self, stale: &Secret) {
        let mut cached = self
            .cached
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if cached.as_ref().is_some_and(|t| &t.token == stale) {
            *cached = None;
        }
    }

    async fn fetch(&self) -> Result<CachedToken, Error> {
        let c = &self.credentials;
        let mut form: Vec<(&str, &str)> = vec![
            ("grant_type", "client_credentials"),
            ("client_id", &c.client_id),
            ("client_secret", c.client_secret.expose()),
        ];
        if let Some(scope) = &c.scope {
            form.push(("scope", scope));
        }
        let started = Instant::now();
        let resp = self
            .http
            .post(c.token_url.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&form)
            .send()
            .await
            .map_err(|e| {
                Error::new(
                    if e.is_timeout() {
                        ErrorKind::Timeout
                    } else {
                        ErrorKind::Transport
                    },
                    format!(
                        "token endpoint {} unreachable: {}",
                        c.token_url,
                        crate::convert::transport_message(&e)
                    ),
                )
            })?;
        let status = resp.status().as_u16();
        let body = resp.bytes().await.map_err(|e| {
            Error::new(
                ErrorKind::Transport,
                format!(
                    "token endpoint answer broke off: {}",
                    crate::convert::transport_message(&e)
                ),
            )
        })?;
        if !(200..300).contains(&status) {
            let v: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
            let desc = v
                .as_ref()
                .and_then(|v| v.get("error_description").or_else(|| v.get("error")))
                .and_then(|d| d.as_str())
                .unwrap_or("no reason given");
            let mut err = Error::new(
                if status == 429 {
                    ErrorKind::RateLimited
                } else if status >= 500 {
                    ErrorKind::Server
                } else {
                    ErrorKind::Auth
                },
                format!(
                    "token endpoint {} refused the client credentials of client {:?}: {desc}",
                    c.token_url, c.client_id
                ),
            )
            .with_status(status);
            if let Some(v) = v
                .as_ref()
                .and_then(|v| v.get("error"))
                .and_then(|e| e.as_str())
            {
                err.inner.code = Some(v.to_string());
            }
            return Err(err);
        }
        let parsed: TokenResponse = serde_json::from_slice(&body).map_err(|e| {
            Error::new(
                ErrorKind::Decode,
                format!("token endpoint answer is not a token response: {e}"),
            )
            .with_status(status)
        })?;
        let lifetime = parsed
            .expires_in
            .map(Duration::from_secs)
            .unwrap_or(DEFAULT_LIFETIME);
        // Refresh `refresh_margin` early, but never sooner than half the lifetime.
        let early = self.refresh_margin.min(lifetime / 2);
        tracing::debug!(target: "idprov", latency_ms = started.elapsed().as_millis() as u64, "fetched OAuth2 token");
        let header = crate::secret::sensitive_header(
            "Authorization",
            &format!("Bearer {}", parsed.access_token),
        )?;
        Ok(CachedToken {
            header,
            token: Secret::new(parsed.access_token),
            refresh_at: started + lifetime - early,
        })
    }
}
