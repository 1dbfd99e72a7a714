//! Fault suite, configuration that must be refused (issue 10), for every client: base URLs and token URLs
//! with a query, fragment or user info; plain HTTP off loopback (unless `allow_insecure_http`); empty
//! credentials (named); a User-Agent with CR/LF (named); no base URL for the vendors whose host names a
//! tenant or region (the message says what to set). Refused when the client is built: nothing is sent.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly on unexpected values"
)]

mod fault;

use fault::*;
use idprov_aveva_connect as aveva;
use idprov_huaweicloud_identitycenter as huawei;
use idprov_runtime::{Error, ErrorKind, Secret};
use idprov_sailpoint_isc as isc;
use idprov_sailpoint_nerm as nerm;
use idprov_seam as seam;

/// The outcome of building a client of each vendor with a static token, `base` as its base URL (`None`:
/// none set) and `adjust` applied to the config (a macro, as every crate has its own `ClientConfig`).
macro_rules! build_every {
    ($base:expr, |$config:ident| $adjust:expr) => {{
        let base: Option<String> = $base;
        let mut out: Vec<(&'static str, Result<(), Error>)> = Vec::new();
        macro_rules! one {
            ($krate:ident, $creds:expr) => {{
                let mut $config = $krate::ClientConfig::new($creds);
                if let Some(base) = &base {
                    $config = $config.base_url(base.clone());
                }
                let $config = $adjust;
                out.push((
                    stringify!($krate),
                    $krate::Client::with_config($config).map(|_| ()),
                ));
            }};
        }
        one!(seam, seam::Credentials::ApiKey(Secret::new(BEARER)));
        one!(nerm, nerm::Credentials::ApiToken(Secret::new(BEARER)));
        one!(isc, isc::Credentials::AccessToken(Secret::new(BEARER)));
        one!(aveva, aveva::Credentials::AccessToken(Secret::new(BEARER)));
        one!(huawei, huawei_credentials());
        out
    }};
}

fn refused(outcome: &Result<(), Error>, naming: &str, what: &str) -> Error {
    let err = match outcome {
        Ok(()) => panic!("{what} was accepted"),
        Err(err) => err.clone(),
    };
    assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{what}: {err}");
    assert_eq!(err.status(), None, "{what}: {err}");
    assert!(!err.may_have_acted(), "{what}: {err}");
    assert!(
        err.message().contains(naming),
        "{what}: the message names {naming}: {err}"
    );
    assert_hides(&err, &SECRETS);
    err
}

#[test]
fn a_base_url_with_a_query_fragment_or_user_info_is_refused_by_every_client() {
    let server = Hostile::recorder();
    for bad in [
        server.url("/api?tenant=acme"),
        server.url("/api#section"),
        format!("http://user:pw@{}/api", server.addr()),
        format!("http://user@{}/api", server.addr()),
        "not a url".to_string(),
    ] {
        for (krate, outcome) in build_every!(Some(bad.clone()), |config| config) {
            refused(&outcome, "base URL", &format!("{krate} with {bad}"));
        }
    }
    assert_eq!(server.count(), 0);
}

#[test]
fn plain_http_off_loopback_is_refused_unless_allowed_and_loopback_is_accepted() {
    for (krate, outcome) in build_every!(Some("http://api.example.com".into()), |config| config) {
        let err = refused(&outcome, "base URL", krate);
        assert!(err.message().contains("plain HTTP"), "{krate}: {err}");
    }
    for (krate, outcome) in build_every!(Some("http://api.example.com".into()), |config| config
        .allow_insecure_http())
    {
        assert!(outcome.is_ok(), "{krate} opted out: {outcome:?}");
    }
    for base in ["http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9"] {
        for (krate, outcome) in build_every!(Some(base.into()), |config| config) {
            assert!(outcome.is_ok(), "{krate} with {base}: {outcome:?}");
        }
    }
    for (krate, outcome) in build_every!(Some("ftp://api.example.com".into()), |config| config
        .allow_insecure_http())
    {
        refused(&outcome, "base URL", krate);
    }
}

/// Builds each OAuth2 client with `token_url` and an HTTPS base URL.
fn build_oauth2(token_url: &str, allow_insecure: bool) -> Vec<(&'static str, Result<(), Error>)> {
    let c = client_credentials(token_url);
    let base = "https://api.example.com";
    macro_rules! one {
        ($krate:ident, $creds:expr) => {{
            let mut config = $krate::ClientConfig::new($creds).base_url(base);
            if allow_insecure {
                config = config.allow_insecure_http();
            }
            (
                stringify!($krate),
                $krate::Client::with_config(config).map(|_| ()),
            )
        }};
    }
    vec![
        one!(nerm, nerm::Credentials::IscClientCredentials(c.clone())),
        one!(isc, isc::Credentials::ClientCredentials(c.clone())),
        one!(aveva, aveva::Credentials::ClientCredentials(c)),
    ]
}

#[test]
fn a_token_url_gets_the_base_urls_rules() {
    for bad in [
        "https://idp.example.com/oauth/token?client=1",
        "https://idp.example.com/oauth/token#x",
        "https://user:pw@idp.example.com/oauth/token",
        "http://idp.example.com/oauth/token",
    ] {
        for (krate, outcome) in build_oauth2(bad, false) {
            refused(&outcome, "token_url", &format!("{krate} with {bad}"));
        }
    }
    for (krate, outcome) in build_oauth2("http://idp.example.com/oauth/token", true) {
        assert!(outcome.is_ok(), "{krate} opted out: {outcome:?}");
    }
    for (krate, outcome) in build_oauth2("http://127.0.0.1:9/oauth/token", false) {
        assert!(outcome.is_ok(), "{krate} to loopback: {outcome:?}");
    }
}

#[test]
fn empty_credentials_are_refused_naming_them() {
    let base = "https://api.example.com";
    let empty = || Secret::new("");
    let blank = || Secret::new("  ");
    let mut cases: Vec<(String, &str, Result<(), Error>)> = Vec::new();
    macro_rules! case {
        ($krate:ident, $creds:expr, $naming:expr) => {
            cases.push((
                format!("{} {}", stringify!($krate), stringify!($creds)),
                $naming,
                $krate::Client::with_config($krate::ClientConfig::new($creds).base_url(base))
                    .map(|_| ()),
            ))
        };
    }
    let oauth2 = |id: &str, secret: Secret| idprov_runtime::ClientCredentials {
        token_url: "https://idp.example.com/oauth/token".parse().unwrap(),
        client_id: id.into(),
        client_secret: secret,
        scope: None,
    };
    case!(seam, seam::Credentials::ApiKey(empty()), "Seam API key");
    case!(seam, seam::Credentials::ApiKey(blank()), "Seam API key");
    case!(
        seam,
        seam::Credentials::PersonalAccessToken {
            token: empty(),
            workspace_id: "ws".into()
        },
        "personal access token"
    );
    case!(
        seam,
        seam::Credentials::PersonalAccessToken {
            token: Secret::new(SEAM_PAT),
            workspace_id: String::new()
        },
        "seam-workspace"
    );
    case!(nerm, nerm::Credentials::ApiToken(empty()), "NERM API token");
    case!(
        nerm,
        nerm::Credentials::IscClientCredentials(oauth2("id", empty())),
        "client_secret"
    );
    case!(isc, isc::Credentials::AccessToken(blank()), "access token");
    case!(
        isc,
        isc::Credentials::ClientCredentials(oauth2("", Secret::new(CLIENT_SECRET))),
        "client_id"
    );
    case!(
        isc,
        isc::Credentials::ClientCredentials(oauth2("id", blank())),
        "client_secret"
    );
    case!(
        aveva,
        aveva::Credentials::AccessToken(empty()),
        "AVEVA CONNECT access token"
    );
    case!(
        aveva,
        aveva::Credentials::ClientCredentials(oauth2("id", empty())),
        "client_secret"
    );
    case!(
        huawei,
        huawei::Credentials::new("", Secret::new(HUAWEI_SK)),
        "ak"
    );
    case!(huawei, huawei::Credentials::new(HUAWEI_AK, empty()), "sk");
    case!(
        huawei,
        huawei::Credentials {
            domain_id: Some(String::new()),
            ..huawei_credentials()
        },
        "x-domain-id"
    );
    case!(
        huawei,
        huawei::Credentials {
            security_token: Some(empty()),
            ..huawei_credentials()
        },
        "x-security-token"
    );
    for (what, naming, outcome) in &cases {
        refused(outcome, naming, what);
    }
}

#[test]
fn a_user_agent_with_a_line_break_is_refused_naming_user_agent() {
    for ua in ["idprov\r\nX-Injected: 1", "idprov\nx", "idprov\rx"] {
        for (krate, outcome) in build_every!(Some("https://api.example.com".into()), |config| {
            let mut config = config;
            config.user_agent = ua.to_string();
            config
        }) {
            refused(&outcome, "user_agent", &format!("{krate} {ua:?}"));
        }
    }
}

#[test]
fn vendors_whose_host_names_a_tenant_or_region_have_no_default_and_say_what_to_set() {
    for (krate, outcome) in build_every!(None, |config| config) {
        match krate {
            // Seam and Huawei have global hosts.
            "seam" | "huawei" => assert!(outcome.is_ok(), "{krate}: {outcome:?}"),
            "nerm" => {
                let err = refused(&outcome, "SAIL_NERM_BASE_URL", krate);
                assert!(err.message().contains("base URL"), "{err}");
            }
            "isc" => {
                let err = refused(&outcome, "SAIL_BASE_URL", krate);
                assert!(err.message().contains("base URL"), "{err}");
            }
            "aveva" => {
                let err = refused(&outcome, "AVEVA_CONNECT_RESOURCE", krate);
                assert!(err.message().contains("base URL"), "{err}");
            }
            other => panic!("unexpected crate {other}"),
        }
    }
}

#[test]
fn settings_that_cannot_work_are_refused_naming_them() {
    let base = Some("https://api.example.com".to_string());
    for (krate, outcome) in build_every!(base.clone(), |config| config.retry(
        idprov_runtime::RetryPolicy {
            max_attempts: 0,
            ..quick(1)
        }
    )) {
        refused(&outcome, "max_attempts", krate);
    }
    for (krate, outcome) in build_every!(base.clone(), |config| config
        .timeouts(std::time::Duration::ZERO, std::time::Duration::from_secs(1)))
    {
        refused(&outcome, "timeouts", krate);
    }
    for (krate, outcome) in build_every!(base.clone(), |config| {
        let mut config = config;
        config.max_response_body = 0;
        config
    }) {
        refused(&outcome, "max_response_body", krate);
    }
}
