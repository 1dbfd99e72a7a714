//! The seams a user plugs into: a `reqwest::Client` of their own (used for API calls and token requests
//! alike), a proxy, extra root certificates, and TLS set up per client so the process-wide default crypto
//! provider is left alone.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on unexpected values"
)]

use std::time::Duration;

use httpmock::prelude::*;
use idprov_sailpoint_isc::{
    Client, ClientConfig, ClientCredentials, Credentials, ProxySetting, RetryPolicy,
    RootCertificate, Secret,
};
use serde_json::json;

fn credentials(server: &MockServer) -> Credentials {
    Credentials::ClientCredentials(ClientCredentials {
        token_url: server.url("/oauth/token").parse().unwrap(),
        client_id: "client-1".into(),
        client_secret: Secret::new("s3cr3t-client-secret"),
        scope: None,
    })
}

#[tokio::test]
async fn a_users_reqwest_client_sends_the_api_calls_and_the_token_requests() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .header("x-corp-gateway", "1");
            then.status(200)
                .json_body(json!({"access_token": "tok-from-custom", "expires_in": 3600}));
        })
        .await;
    let api = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/account-requests/v1/machine-account-create/req-1")
                .header("x-corp-gateway", "1")
                .header("authorization", "Bearer tok-from-custom");
            then.status(200).json_body(
                json!({"accountRequestId": "req-1", "overallStatus": "SUCCESS", "accountRequestPhases": []}),
            );
        })
        .await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-corp-gateway", "1".parse().unwrap());
    let mine = reqwest::Client::builder()
        .use_preconfigured_tls(idprov_runtime::config::tls_config(&[]).unwrap())
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = Client::with_config(
        ClientConfig::new(credentials(&server))
            .base_url(server.base_url())
            .http_client(mine),
    )
    .unwrap();

    client
        .get_account_request()
        .account_request_id("req-1")
        .send()
        .await
        .unwrap();
    token.assert_calls_async(1).await;
    api.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_users_client_is_still_bounded_by_the_request_timeout() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path_includes("/account-requests/");
            then.status(200)
                .delay(Duration::from_secs(3))
                .json_body(json!({"accountRequestId": "r"}));
        })
        .await;
    let client = Client::with_config(
        ClientConfig::new(Credentials::AccessToken(Secret::new("access-token-1")))
            .base_url(server.base_url())
            .timeouts(Duration::from_secs(1), Duration::from_millis(300))
            .retry(RetryPolicy::none())
            .http_client(
                reqwest::Client::builder()
                    .use_preconfigured_tls(idprov_runtime::config::tls_config(&[]).unwrap())
                    .build()
                    .unwrap(),
            ),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let err = client
        .get_account_request()
        .account_request_id("r")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.kind(),
        idprov_sailpoint_isc::ErrorKind::Timeout,
        "{err}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_proxy_setting_sends_requests_through_the_proxy() {
    let proxy = MockServer::start_async().await;
    let seen = proxy
        .mock_async(|when, then| {
            when.method(GET)
                .path("/account-requests/v1/machine-account-create/req-9");
            then.status(200)
                .json_body(json!({"accountRequestId": "req-9"}));
        })
        .await;
    // The base URL names a host that does not resolve: only the proxy can answer.
    let client = Client::with_config(
        ClientConfig::new(Credentials::AccessToken(Secret::new("access-token-1")))
            .base_url("http://isc.invalid")
            .allow_insecure_http()
            .retry(RetryPolicy::none())
            .proxy(ProxySetting::Url(proxy.base_url())),
    )
    .unwrap();
    let got = client
        .get_account_request()
        .account_request_id("req-9")
        .send()
        .await
        .unwrap();
    assert_eq!(got.account_request_id.as_deref(), Some("req-9"));
    seen.assert_calls_async(1).await;
}

#[test]
fn a_proxy_url_with_credentials_never_prints_them_and_a_bad_one_is_refused_naming_proxy() {
    let setting = ProxySetting::Url("http://user:pr0xy-pa55word@proxy.example:3128".into());
    let config = ClientConfig::new(Credentials::AccessToken(Secret::new("access-token-1")))
        .base_url("https://acme.api.identitynow.com")
        .proxy(setting);
    assert!(
        !format!("{config:?}").contains("pr0xy-pa55word"),
        "{config:?}"
    );
    let err =
        Client::with_config(config.proxy(ProxySetting::Url("::not a url::".into()))).unwrap_err();
    assert!(err.message().starts_with("proxy "), "{err}");
}

#[test]
fn root_certificates_from_pem_are_checked_when_read() {
    let err = RootCertificate::from_pem(
        b"-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
    )
    .unwrap_err();
    assert!(err.message().starts_with("root_certificates"), "{err}");
}
