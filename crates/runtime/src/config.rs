//! Everything a user can set when constructing a client: base URL, credentials, timeouts, retries.

mod tls;

use std::fmt;
use std::time::Duration;

pub use tls::RootCertificate;

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
    /// Which proxy requests (and token requests) go through.
    pub proxy: ProxySetting,
    /// Root certificates trusted on top of the platform's (a private CA, a TLS-inspecting proxy).
    pub root_certificates: Vec<RootCertificate>,
    /// A `reqwest::Client` of your own to send every request with (API calls and token requests), instead
    /// of the one built from these settings; see [`ClientConfig::http_client`] for what it takes over.
    pub http_client: Option<reqwest::Client>,
}

/// Which proxy a client's requests go through.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum ProxySetting {
    /// The proxy the environment names (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, as
    /// reqwest reads them), or none when it names none. The default.
    #[default]
    FromEnvironment,
    /// No proxy, whatever the environment says.
    Direct,
    /// Every request through this proxy URL (`http://`, `https://` or `socks5://` when reqwest supports
    /// it; user info in the URL is the proxy's credentials, and is never printed).
    Url(String),
}

impl fmt::Debug for ProxySetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::FromEnvironment => f.write_str("FromEnvironment"),
            Self::Direct => f.write_str("Direct"),
            Self::Url(raw) => {
                let shown = match url::Url::parse(raw) {
                    Ok(mut u) if !u.username().is_empty() || u.password().is_some() => {
                        let _ = u.set_username("***");
                        let _ = u.set_password(None);
                        u.to_string()
                    }
                    Ok(u) => u.to_string(),
                    Err(_) => "(not a URL)".to_string(),
                };
                f.debug_tuple("Url").field(&shown).finish()
            }
        }
    }
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
            proxy: ProxySetting::default(),
            root_certificates: Vec::new(),
            http_client: None,
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

    /// Sends every request through `proxy`.
    pub fn proxy(mut self, proxy: ProxySetting) -> Self {
        self.proxy = proxy;
        self
    }

    /// Trusts `certificate` as a root, on top of the platform's roots.
    pub fn add_root_certificate(mut self, certificate: RootCertificate) -> Self {
        self.root_certificates.push(certificate);
        self
    }

    /// Sends every request — API calls and OAuth2 token requests — with `client` instead of one built from
    /// these settings. The client then decides what these settings would have: connect timeout, TLS and
    /// root certificates, proxy, `User-Agent`, and the redirect policy (build it with
    /// `reqwest::redirect::Policy::none()`: a redirect it follows is no longer the client's error to report,
    /// and credentials may follow it). The runtime still checks the base and token URLs (HTTPS unless
    /// loopback or `allow_insecure_http`), bounds every attempt by `request_timeout` and the retry policy's
    /// deadline, retries, authorizes every attempt, and turns any 3xx answer it sees into an error.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Accepts a plain-HTTP base URL that is not loopback.
    pub fn allow_insecure_http(mut self) -> Self {
        self.allow_insecure_http = true;
        self
    }

    /// Checks the settings and builds what a generated client is made of: base URL, HTTP client, runtime.
    #[doc(hidden)]
    pub fn build(mut self, api: &ApiInfo) -> Result<(String, reqwest::Client, Runtime), Error> {
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
        let custom = self.http_client.take();
        let custom_http = custom.is_some();
        let http = match custom {
            Some(client) => client,
            None => self.build_http(user_agent, url.scheme() == "https")?,
        };
        let scheme = self.credentials.into_auth()?;
        if let Some(token_url) = scheme.token_url() {
            check_url("token_url", token_url.as_str(), self.allow_insecure_http)?;
        }
        let auth = Auth::new(scheme, http.clone(), &self.retry);
        let runtime = Runtime::new(
            api,
            auth,
            self.retry,
            self.request_timeout,
            self.max_response_body,
            custom_http,
        )?;
        Ok((base.trim_end_matches('/').to_string(), http, runtime))
    }

    /// The reqwest client these settings describe: timeouts, `User-Agent`, no redirects, HTTPS only when
    /// the base URL is HTTPS (and insecure HTTP was not allowed), the proxy, and TLS of its own (rustls with
    /// ring and the platform verifier plus the extra roots; the process default provider is not used).
    fn build_http(
        &self,
        user_agent: reqwest::header::HeaderValue,
        https: bool,
    ) -> Result<reqwest::Client, Error> {
        let mut builder = reqwest::Client::builder()
            .use_preconfigured_tls(tls::client_tls(&self.root_certificates)?)
            .connect_timeout(self.connect_timeout)
            .timeout(self.request_timeout)
            .user_agent(user_agent)
            // No API these clients call redirects; a redirect that were followed could turn a POST into a
            // GET and carry credentials to another origin. A 3xx is an error with its Location.
            .redirect(reqwest::redirect::Policy::none())
            .https_only(!self.allow_insecure_http && https);
        builder = match &self.proxy {
            ProxySetting::FromEnvironment => builder,
            ProxySetting::Direct => builder.no_proxy(),
            ProxySetting::Url(raw) => {
                let proxy = reqwest::Proxy::all(raw.as_str()).map_err(|_| {
                    Error::new(
                        ErrorKind::InvalidRequest,
                        "proxy is not a proxy URL reqwest accepts (http://, https:// or socks5://host:port)",
                    )
                })?;
                builder.proxy(proxy)
            }
        };
        builder.build().map_err(|e| {
            Error::new(
                ErrorKind::InvalidRequest,
                format!(
                    "cannot build the HTTP client: {}",
                    crate::convert::transport_message(&e)
                ),
            )
        })
    }
}

/// The TLS configuration idprov clients use (rustls with ring, the platform's certificate verifier plus
/// `extra_roots`, HTTP/2 and HTTP/1.1), for building a `reqwest::Client` of your own with
/// `reqwest::ClientBuilder::use_preconfigured_tls` — this workspace's reqwest has no crypto provider of its
/// own, and this needs no process-wide default.
pub fn tls_config(extra_roots: &[RootCertificate]) -> Result<rustls::ClientConfig, Error> {
    tls::client_tls(extra_roots)
}

/// Makes rustls's ring provider the process default unless the application installed a provider already.
/// idprov clients do not need it (each hands reqwest a TLS configuration of its own) and never call it; an
/// application that builds other `reqwest` clients from the same reqwest build (which has no provider of
/// its own) can call it first.
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
