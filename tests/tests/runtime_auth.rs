//! OAuth2 client credentials through real clients: one token request for many concurrent calls, refresh
//! before expiry, one refresh and one retry after a 401, and a clear error when the token endpoint says no.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on unexpected values"
)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};
use idprov_runtime::{ClientConfig, ClientCredentials, ErrorKind, RetryPolicy, Secret};
use serde_json::json;

const TENANT: &str = "2f1cdc3e-2ae4-4fe8-9c9b-63e65f6ff1f2";

fn credentials(server: &MockServer, path: &str) -> ClientCredentials {
    ClientCredentials {
        token_url: server.url(path).parse().unwrap(),
        client_id: "client-1".into(),
        client_secret: Secret::new("s3cr3t-client-secret"),
        scope: None,
    }
}

/// A token endpoint that hands out `t1`, `t2`, ... with the given lifetimes (the last one repeats).
fn tokens(
    lifetimes: &'static [u64],
) -> impl Fn(&HttpMockRequest) -> HttpMockResponse + Send + Sync + 'static {
    let n = AtomicUsize::new(0);
    move |_req| {
        let i = n.fetch_add(1, Ordering::SeqCst);
        let lifetime = lifetimes[i.min(lifetimes.len() - 1)];
        HttpMockResponse::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(json!({"access_token": format!("t{}", i + 1), "token_type": "Bearer", "expires_in": lifetime}).to_string())
            .build()
    }
}

#[tokio::test]
async fn fifty_concurrent_calls_with_an_expired_token_cause_exactly_one_token_request() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/identity/connect/token")
                .form_urlencoded_tuple("grant_type", "client_credentials")
                .form_urlencoded_tuple("client_id", "client-1")
                .form_urlencoded_tuple("client_secret", "s3cr3t-client-secret");
            // The first token lives 1 s (refreshed after 0.5 s); the second one an hour.
            then.respond_with(tokens(&[1, 3600]));
        })
        .await;
    let with_t1 = server
        .mock_async(|when, then| {
            when.method(httpmock::Method::HEAD)
                .header("authorization", "Bearer t1");
            then.status(200).header("total-count", "3");
        })
        .await;
    let with_t2 = server
        .mock_async(|when, then| {
            when.method(httpmock::Method::HEAD)
                .header("authorization", "Bearer t2");
            then.status(200).header("total-count", "3");
        })
        .await;
    let client = idprov_aveva_connect::Client::with_config(
        ClientConfig::new(idprov_aveva_connect::Credentials::ClientCredentials(
            credentials(&server, "/identity/connect/token"),
        ))
        .base_url(server.base_url()),
    )
    .unwrap();

    assert_eq!(client.automation_identity_total(TENANT).await.unwrap(), 3);
    assert_eq!(token.calls_async().await, 1);
    tokio::time::sleep(Duration::from_millis(700)).await; // t1 is now due for refresh

    let calls = (0..50).map(|_| client.automation_identity_total(TENANT));
    let totals = futures::future::join_all(calls).await;

    assert!(totals.iter().all(|t| matches!(t, Ok(3))), "{totals:?}");
    assert_eq!(
        token.calls_async().await,
        2,
        "50 concurrent calls shared one token request"
    );
    assert_eq!(with_t1.calls_async().await, 1);
    assert_eq!(with_t2.calls_async().await, 50);
}

/// ISC `GET …/req-1` refuses token t1 with a 401 and answers t2; the token endpoint hands out t1, t2, ….
/// Returns the mocks (token endpoint, t1 refused, t2 answered) and a client with `retry`.
async fn expired_then_fresh(
    server: &MockServer,
    retry: RetryPolicy,
) -> (
    httpmock::Mock<'_>,
    httpmock::Mock<'_>,
    httpmock::Mock<'_>,
    idprov_sailpoint_isc::Client,
) {
    let token = server
        .mock_async(|when, then| {
            when.method(POST).path("/oauth/token");
            then.respond_with(tokens(&[3600]));
        })
        .await;
    let expired = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/account-requests/v1/machine-account-create/req-1")
                .header("authorization", "Bearer t1");
            then.status(401)
                .json_body(json!({"error": "JWT validation failed: JWT is expired"}));
        })
        .await;
    let fresh = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/account-requests/v1/machine-account-create/req-1")
                .header("authorization", "Bearer t2")
                .header("x-sailpoint-experimental", "true");
            then.status(200).json_body(json!({"accountRequestId": "req-1", "overallStatus": "SUCCESS", "accountRequestPhases": []}));
        })
        .await;
    let client = idprov_sailpoint_isc::Client::with_config(
        ClientConfig::new(idprov_sailpoint_isc::Credentials::ClientCredentials(
            credentials(server, "/oauth/token"),
        ))
        .base_url(server.base_url())
        .retry(retry),
    )
    .unwrap();
    (token, expired, fresh, client)
}

#[tokio::test]
async fn a_401_triggers_one_token_refresh_and_one_retry() {
    let server = MockServer::start_async().await;
    let (token, expired, fresh, client) = expired_then_fresh(&server, RetryPolicy::default()).await;

    let details = client
        .get_account_request()
        .account_request_id("req-1")
        .send()
        .await
        .unwrap();

    assert_eq!(details.overall_status.as_deref(), Some("SUCCESS"));
    assert_eq!(token.calls_async().await, 2, "one refresh");
    assert_eq!(expired.calls_async().await, 1);
    assert_eq!(fresh.calls_async().await, 1, "one retry");
}

#[tokio::test]
async fn with_retries_off_a_401_still_gets_one_refresh_and_one_new_attempt() {
    let server = MockServer::start_async().await;
    let (token, expired, fresh, client) = expired_then_fresh(&server, RetryPolicy::none()).await;

    client
        .get_account_request()
        .account_request_id("req-1")
        .send()
        .await
        .unwrap();

    assert_eq!(token.calls_async().await, 2, "one refresh");
    assert_eq!(expired.calls_async().await, 1);
    assert_eq!(fresh.calls_async().await, 1, "one new attempt");
}

#[tokio::test]
async fn a_second_401_after_the_refresh_is_an_auth_error_not_a_loop() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST).path("/oauth/token");
            then.respond_with(tokens(&[3600]));
        })
        .await;
    let api = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/account-requests/v1/machine-account-create/req-1");
            then.status(401)
                .json_body(json!({"error": "JWT validation failed"}));
        })
        .await;
    let client = idprov_sailpoint_isc::Client::with_config(
        ClientConfig::new(idprov_sailpoint_isc::Credentials::ClientCredentials(
            credentials(&server, "/oauth/token"),
        ))
        .base_url(server.base_url()),
    )
    .unwrap();

    let err: idprov_runtime::Error = client
        .get_account_request()
        .account_request_id("req-1")
        .send()
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.message(), "JWT validation failed");
    assert_eq!(api.calls_async().await, 2);
    assert_eq!(token.calls_async().await, 2);
}

#[tokio::test]
async fn a_token_endpoint_that_refuses_the_client_is_an_auth_error_and_nothing_reaches_the_api() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/oauth/token");
            then.status(401).json_body(
                json!({"error": "invalid_client", "error_description": "Bad credentials"}),
            );
        })
        .await;
    let api = server
        .mock_async(|when, then| {
            when.path_includes("/account-requests/");
            then.status(200);
        })
        .await;
    let client = idprov_sailpoint_isc::Client::with_config(
        ClientConfig::new(idprov_sailpoint_isc::Credentials::ClientCredentials(
            credentials(&server, "/oauth/token"),
        ))
        .base_url(server.base_url())
        .retry(RetryPolicy::none()),
    )
    .unwrap();

    let err: idprov_runtime::Error = client
        .get_account_request()
        .account_request_id("req-1")
        .send()
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.code(), Some("invalid_client"));
    assert!(err.message().contains("Bad credentials"), "{err}");
    assert_eq!(err.operation_id(), Some("get_account_request"));
    assert!(!err.to_string().contains("s3cr3t-client-secret"));
    assert_eq!(api.calls_async().await, 0);
}

#[tokio::test]
async fn seam_personal_access_tokens_send_the_workspace_header() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/user_identities/enrollment_automations/list")
                .header("authorization", "Bearer seam_pat_1")
                .header("seam-workspace", "ws-1");
            then.status(200)
                .json_body(json!({"enrollment_automations": [], "ok": true}));
        })
        .await;
    let client = idprov_seam::Client::with_config(
        idprov_seam::ClientConfig::new(idprov_seam::Credentials::PersonalAccessToken {
            token: Secret::new("seam_pat_1"),
            workspace_id: "ws-1".into(),
        })
        .base_url(server.base_url()),
    )
    .unwrap();

    let list = client
        .list_enrollment_automations()
        .body(
            idprov_seam::types::ListEnrollmentAutomationsRequest::builder()
                .user_identity_id("5c945ab5-c75e-4bcb-8e5f-9410061c401f"),
        )
        .send()
        .await
        .unwrap();

    assert!(list.enrollment_automations.is_empty());
    mock.assert_async().await;
}

#[test]
fn plain_http_to_a_remote_host_is_refused_unless_the_user_opts_out() {
    let remote = |allow: bool| {
        let mut config = ClientConfig::new(idprov_sailpoint_nerm::Credentials::ApiToken(
            Secret::new("t"),
        ))
        .base_url("http://acme.nonemployee.com/api");
        if allow {
            config = config.allow_insecure_http();
        }
        idprov_sailpoint_nerm::Client::with_config(config)
    };
    let err = remote(false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert!(err.message().contains("plain HTTP"), "{err}");
    assert!(remote(true).is_ok());
}
