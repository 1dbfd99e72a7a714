//! Everything a user can set when constructing a client: base URL, credentials, timeouts, retries.

use std::time::Duration;

use crate::auth::{Auth, IntoAuth};
use crate::operation::ApiInfo;
use crate::retry::RetryPolicy;
use crate::runtime::Runtime;
use crate::{Error, ErrorKind};

/// The default [`ClientConfig::max_response_body`]: 32 MiB.
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 32 * 1024 * 1024;

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
    /// The largest success body a call reads; a larger one is an [`ErrorKind::Decode`] error (the rest is
    /// not read). Error bodies are always capped at 64 KiB.
    pub max_response_body: usize,
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
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
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
        let base = match (&self.base_url, api.default_base_url) {
            (Some(base), _) => base.clone(),
            (None, Some(default)) => default.to_string(),
            (None, None) => {
                return Err(Error::new(
                    ErrorKind::InvalidRequest,
                    format!(
                        "{} has no global server: set the base URL ({}; ClientConfig::base_url)",
                        api.vendor.name, api.base_url_hint
                    ),
                ));
            }
        };
        let url = check_url("base URL", &base, self.allow_insecure_http)?;
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
        if self.max_response_body == 0 {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                "max_response_body must be at least 1 byte",
            ));
        }
        let user_agent = reqwest::header::HeaderValue::from_str(&self.user_agent).map_err(|_| {
            Error::new(
                ErrorKind::InvalidRequest,
                "user_agent cannot be sent as the User-Agent header (it holds a line break or another \
                 character a header cannot carry)",
            )
        })?;
        let scheme = self.credentials.into_auth()?;
        if let Some(token_url) = scheme.token_url() {
            check_url("token_url", token_url.as_str(), self.allow_insecure_http)?;
        }
        install_tls_provider();
        let http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.request_timeout)
            .user_agent(user_agent)
            // No API these clients call redirects; a redirect that were followed could turn a POST into a
            // GET and carry credentials to another origin. A 3xx is an error with its Location.
            .redirect(reqwest::redirect::Policy::none())
            .https_only(!self.allow_insecure_http && url.scheme() == "https")
            .build()
            .map_err(|e| {
                Error::new(
                    ErrorKind::InvalidRequest,
                    format!("cannot build the HTTP client: {e}"),
                )
            })?;
        let auth = Auth::new(scheme, http.clone(), &self.retry);
        let runtime = Runtime::new(
            api,
            auth,
            self.retry,
            self.request_timeout,
            self.max_response_body,
        )?;
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
    check_url("base URL", base, allow_insecure)
}

/// Parses the URL `what` (a base URL, a token URL) and refuses what would lose part of it or send a
/// credential in clear: a query, a fragment or user info, a scheme other than `https`, and `http` to a
/// host that is not loopback unless `allow_insecure` is set. Errors name `what`.
pub fn check_url(what: &str, raw: &str, allow_insecure: bool) -> Result<url::Url, Error> {
    let refuse =
        |why: String| Error::new(ErrorKind::InvalidRequest, format!("{what} {raw:?} {why}"));
    let url = url::Url::parse(raw).map_err(|e| refuse(format!("is not a URL: {e}")))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(refuse(
            "has a query or fragment, which requests would drop; give the URL without them".into(),
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse(
            "carries user info (user:password@); give credentials through the client's Credentials"
                .into(),
        ));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if allow_insecure || is_loopback(&url) => Ok(url),
        "http" => Err(refuse(
            "uses plain HTTP to a host that is not loopback; credentials would travel in clear \
             (use https, or ClientConfig::allow_insecure_http to opt out)"
                .into(),
        )),
        other => Err(refuse(format!("has scheme {other:?}; expected https"))),
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

    #[test]
    fn urls_with_a_query_fragment_or_user_info_are_refused_naming_what_they_are() {
        for bad in [
            "https://api.example.com/v1?tenant=a",
            "https://api.example.com/v1#x",
            "https://user:pw@api.example.com/v1",
            "https://user@api.example.com/v1",
        ] {
            let err = check_url("token_url", bad, false).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidRequest);
            assert!(err.message().starts_with("token_url "), "{err}");
        }
        assert!(check_url("token_url", "https://api.example.com/oauth/token", false).is_ok());
        let err = check_url("token_url", "http://idp.example.com/token", false).unwrap_err();
        assert!(err.message().contains("plain HTTP"), "{err}");
    }
}
