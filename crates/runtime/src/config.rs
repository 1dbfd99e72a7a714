//! Everything a user can set when constructing a client: base URL, credentials, timeouts, retries.

use std::time::Duration;

use crate::auth::{Auth, IntoAuth};
use crate::operation::ApiInfo;
use crate::retry::RetryPolicy;
use crate::runtime::Runtime;
use crate::{Error, ErrorKind};

/// The settings of one client. Start from [`ClientConfig::new`] (or a crate's `from_env`) and adjust.
///
/// `C` is the client crate's own credentials type; each client crate names this type for its vendor
/// (`idprov_seam::ClientConfig` is `ClientConfig<idprov_seam::Credentials>`), so a client cannot be given
/// another vendor's credentials.
#[derive(Debug, Clone)]
pub struct ClientConfig<C> {
    /// The API's base URL; `None` uses the vendor's documented server.
    pub base_url: Option<String>,
    /// The credentials.
    pub credentials: C,
    /// How long establishing a connection may take.
    pub connect_timeout: Duration,
    /// How long one attempt may take, from sending to the last byte of the answer.
    pub request_timeout: Duration,
    /// How failed attempts are retried.
    pub retry: RetryPolicy,
    /// Accept `http://` base URLs that are not loopback. Off by default: credentials would travel in clear.
    pub allow_insecure_http: bool,
    /// The `User-Agent` header.
    pub user_agent: String,
}

impl<C: IntoAuth> ClientConfig<C> {
    /// Settings with `credentials` and the defaults: the vendor's server, 10 s to connect, 30 s per attempt,
    /// [`RetryPolicy::default`], HTTPS only.
    pub fn new(credentials: C) -> Self {
        Self {
            base_url: None,
            credentials,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            allow_insecure_http: false,
            user_agent: concat!("idprov/", env!("CARGO_PKG_VERSION")).to_string(),
        }
    }

    /// Sets the base URL.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sets the connect and per-attempt timeouts.
    pub fn timeouts(mut self, connect: Duration, request: Duration) -> Self {
        self.connect_timeout = connect;
        self.request_timeout = request;
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Accepts a plain-HTTP base URL that is not loopback.
    pub fn allow_insecure_http(mut self) -> Self {
        self.allow_insecure_http = true;
        self
    }

    /// Checks the settings and builds what a generated client is made of: base URL, HTTP client, runtime.
    #[doc(hidden)]
    pub fn build(self, api: &ApiInfo) -> Result<(String, reqwest::Client, Runtime), Error> {
        let base = self
            .base_url
            .clone()
            .unwrap_or_else(|| api.default_base_url.to_string());
        let url = check_base_url(&base, self.allow_insecure_http)?;
        if self.request_timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                "timeouts must be longer than zero",
            ));
        }
        if self.retry.max_attempts == 0 {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                "retry.max_attempts must be at least 1",
            ));
        }
        install_tls_provider();
        let http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.request_timeout)
            .user_agent(self.user_agent.clone())
            .https_only(!self.allow_insecure_http && url.scheme() == "https")
            .build()
            .map_err(|e| {
                Error::new(
                    ErrorKind::InvalidRequest,
                    format!("cannot build the HTTP client: {e}"),
                )
            })?;
        let auth = Auth::new(self.credentials.into_auth()?, http.clone());
        let runtime = Runtime::new(api, auth, self.retry, self.request_timeout)?;
        Ok((base.trim_end_matches('/').to_string(), http, runtime))
    }
}

/// Makes rustls's ring provider the process default unless the application installed a provider already
/// (reqwest is built without one, to skip aws-lc-rs's C build). [`ClientConfig::build`] calls it; call it
/// yourself before building other `reqwest` clients in a process that has built no idprov client yet.
pub fn install_tls_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race with another thread installing a provider is fine: one is installed either way.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// Parses a base URL and refuses plain HTTP to anything but loopback unless `allow_insecure` is set.
pub fn check_base_url(base: &str, allow_insecure: bool) -> Result<url::Url, Error> {
    let url = url::Url::parse(base).map_err(|e| {
        Error::new(
            ErrorKind::InvalidRequest,
            format!("base URL {base:?} is not a URL: {e}"),
        )
    })?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if allow_insecure || is_loopback(&url) => Ok(url),
        "http" => Err(Error::new(
            ErrorKind::InvalidRequest,
            format!(
                "base URL {base:?} uses plain HTTP to a host that is not loopback; credentials would travel in clear \
                 (use https, or ClientConfig::allow_insecure_http to opt out)"
            ),
        )),
        other => Err(Error::new(
            ErrorKind::InvalidRequest,
            format!("base URL {base:?} has scheme {other:?}; expected https"),
        )),
    }
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_except_to_loopback_or_when_allowed() {
        assert!(check_base_url("https://api.example.com", false).is_ok());
        assert!(check_base_url("http://127.0.0.1:8080", false).is_ok());
        assert!(check_base_url("http://localhost:8080", false).is_ok());
        assert!(check_base_url("http://[::1]:8080", false).is_ok());
        let err = check_base_url("http://api.example.com", false).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest);
        assert!(err.message().contains("plain HTTP"), "{err}");
        assert!(check_base_url("http://api.example.com", true).is_ok());
        assert!(check_base_url("ftp://x", true).is_err());
        assert!(check_base_url("not a url", false).is_err());
    }
}
