//! OAuth2 client credentials: a cached token, refreshed before it expires and
//! once after a 401; concurrent calls share one token request.

use std::fmt;
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::Mutex;

use crate::retry::RetryPolicy;
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
    /// How token requests are retried (429, 503 with `Retry-After`, refused connections) and how long a
    /// fetch may take in all.
    retry: RetryPolicy,
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
    /// Any JSON: a number of any size or form, or one as text; see [`lifetime`].
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
}

/// A token's lifetime from its `expires_in`: seconds as a JSON number of any size or form (`3600`,
/// `1e30`; beyond what a `Duration` holds saturates) or as text (`"3600"`, which some identity providers
/// send); a negative one is zero. `None` (the default lifetime) for anything else.
fn lifetime(expires_in: &serde_json::Value) -> Option<Duration> {
    let secs = match expires_in {
        serde_json::Value::Number(n) => n.as_f64()?,
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    if secs.is_nan() {
        return None;
    }
    Some(Duration::try_from_secs_f64(secs.max(0.0)).unwrap_or(Duration::MAX))
}

/// How long a token without `expires_in` is kept.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(300);

/// The longest a token is kept, whatever its `expires_in` says.
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// How much of a token endpoint's answer is read.
const TOKEN_ANSWER_LIMIT: usize = 64 * 1024;

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
            retry: RetryPolicy::default(),
            cached: std::sync::RwLock::new(None),
            fetching: Mutex::new(()),
        }
    }

    /// The same source, retrying token requests by `retry` and bounding a fetch by its deadline.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
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

    /// The client secret and the cached token, to scrub from errors.
    pub(crate) fn secrets(&self) -> Vec<Secret> {
        let mut all = vec![self.credentials.client_secret.clone()];
        let cached = self
            .cached
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(t) = cached.as_ref() {
            all.push(t.token.clone());
        }
        all
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

    /// Fetches a token, retrying a 429, a 503 with `Retry-After` and a refused connection as the policy
    /// says, all within the policy's deadline.
    /// Every error names the token endpoint's host.
    async fn fetch(&self) -> Result<CachedToken, Error> {
        let deadline = self.retry.deadline;
        let host = self.credentials.token_url.host_str();
        let mut err = match tokio::time::timeout(deadline, self.fetch_with_retries()).await {
            Ok(Ok(token)) => return Ok(token),
            Ok(Err(err)) => err,
            Err(_) => Error::new(
                ErrorKind::Timeout,
                format!(
                    "token endpoint {} gave no token within the deadline of {:.1}s",
                    host.unwrap_or("?"),
                    deadline.as_secs_f64()
                ),
            ),
        };
        if err.inner.host.is_none() {
            err.inner.host = host.map(str::to_string);
        }
        Err(err)
    }

    async fn fetch_with_retries(&self) -> Result<CachedToken, Error> {
        let started = Instant::now();
        let mut attempt: u32 = 1;
        loop {
            let err = match self.fetch_once().await {
                Ok(token) => return Ok(token),
                Err(err) => err,
            };
            let wait = match (err.kind(), err.retry_after()) {
                (ErrorKind::RateLimited, after) => {
                    Some(after.unwrap_or_else(|| self.retry.backoff(attempt)))
                }
                (ErrorKind::Server, Some(after)) if err.status() == Some(503) => Some(after),
                (ErrorKind::Transport, _) if !err.may_have_acted() => {
                    Some(self.retry.backoff(attempt))
                }
                _ => None,
            };
            let Some(wait) = wait else { return Err(err) };
            let in_time = started
                .elapsed()
                .checked_add(wait)
                .is_some_and(|t| t < self.retry.deadline);
            if attempt >= self.retry.max_attempts || wait > self.retry.max_retry_after || !in_time {
                return Err(err);
            }
            tracing::warn!(target: "idprov", attempt, wait_ms = wait.as_millis() as u64, status = err.status(), "token request refused for now; retrying");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    async fn fetch_once(&self) -> Result<CachedToken, Error> {
        let c = &self.credentials;
        let mut form: Vec<(&str, &str)> = vec![
            ("grant_type", "client_credentials"),
            ("client_id", &c.client_id),
            ("client_secret", c.client_secret.expose()),
        ];
        if let Some(scope) = &c.scope {
            form.push(("scope", scope));
        }
        let host = c.token_url.host_str().unwrap_or("?").to_string();
        let started = Instant::now();
        let mut resp = self
            .http
            .post(c.token_url.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&form)
            .send()
            .await
            .map_err(|e| {
                let connected = !e.is_connect();
                let mut err = Error::new(
                    if e.is_timeout() {
                        ErrorKind::Timeout
                    } else {
                        ErrorKind::Transport
                    },
                    format!(
                        "token endpoint {host} unreachable: {}",
                        crate::convert::transport_message(&e)
                    ),
                )
                .with_source(e);
                err.inner.acted = Some(connected);
                err.inner.host = Some(host.clone());
                err
            })?;
        let status = resp.status().as_u16();
        let retry_after = crate::retry::retry_after(resp.headers(), std::time::SystemTime::now());
        if (300..400).contains(&status) {
            let to = resp
                .headers()
                .get(reqwest::header::LOCATION)
                .map(|l| String::from_utf8_lossy(l.as_bytes()).into_owned())
                .unwrap_or_else(|| "nowhere".to_string());
            let mut err = Error::new(
                ErrorKind::Auth,
                format!("token endpoint {host} redirected to {to}; redirects are not followed, so the client secret stays with the configured token URL"),
            )
            .with_status(status);
            err.inner.location = Some(to);
            return Err(err);
        }
        let body = crate::body::read_capped(&mut resp, TOKEN_ANSWER_LIMIT)
            .await
            .map_err(|e| {
                // A body that stalls past the timeout is a timeout; one that breaks off, a transport error.
                let what = if e.is_timeout() {
                    "did not finish in time"
                } else {
                    "broke off"
                };
                crate::convert::from_reqwest(e, &format!("token endpoint answer {what}"))
                    .with_status(status)
            })?;
        if !(200..300).contains(&status) {
            let v: Option<serde_json::Value> = serde_json::from_slice(&body.bytes).ok();
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
                    "token endpoint {host} refused the client credentials of client {:?}: {desc}",
                    c.client_id
                ),
            )
            .with_status(status);
            err.inner.retry_after = retry_after;
            err.inner.host = Some(host);
            if let Some(v) = v
                .as_ref()
                .and_then(|v| v.get("error"))
                .and_then(|e| e.as_str())
            {
                err.inner.code = Some(v.to_string());
            }
            return Err(err);
        }
        if body.truncated {
            return Err(Error::new(
                ErrorKind::Decode,
                format!("token endpoint answer is larger than {TOKEN_ANSWER_LIMIT} bytes; not a token response"),
            )
            .with_status(status));
        }
        let parsed: TokenResponse = serde_json::from_slice(&body.bytes).map_err(|e| {
            Error::new(
                ErrorKind::Decode,
                format!("token endpoint answer is not a token response: {e}"),
            )
            .with_status(status)
        })?;
        if parsed.access_token.trim().is_empty() {
            return Err(Error::new(
                ErrorKind::Auth,
                "token endpoint answered an empty access_token",
            )
            .with_status(status));
        }
        let lifetime = parsed
            .expires_in
            .as_ref()
            .and_then(lifetime)
            .unwrap_or(DEFAULT_LIFETIME)
            .min(MAX_LIFETIME);
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
            refresh_at: started
                .checked_add(lifetime.saturating_sub(early))
                .unwrap_or(started),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::lifetime;
    use serde_json::json;
    use std::time::Duration;

    #[test]
    fn expires_in_of_any_size_or_form_is_a_lifetime_that_saturates() {
        assert_eq!(lifetime(&json!(3600)), Some(Duration::from_secs(3600)));
        assert_eq!(lifetime(&json!("3600")), Some(Duration::from_secs(3600)));
        assert_eq!(lifetime(&json!(1.5)), Some(Duration::from_millis(1500)));
        assert_eq!(lifetime(&json!(u64::MAX)), Some(Duration::MAX));
        assert_eq!(lifetime(&json!(1e30)), Some(Duration::MAX));
        assert_eq!(lifetime(&json!(f64::MAX)), Some(Duration::MAX));
        assert_eq!(lifetime(&json!(-5)), Some(Duration::ZERO));
        assert_eq!(lifetime(&json!("soon")), None);
        assert_eq!(lifetime(&json!(null)), None);
        assert_eq!(lifetime(&json!({"s": 1})), None);
    }
}
