//! The runtime's retry rule, seen through real generated clients: what is retried, how long it waits,
//! what is never resent, and that every attempt is authorized afresh.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on unexpected values"
)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};
use idprov_runtime::{ErrorKind, RetryPolicy, Secret};
use serde_json::json;

const WORKFLOW: &str = "5f1b8c6e-1f7a-4f0e-9a55-2f3d1c2b9e10";
const TENANT: &str = "2f1cdc3e-2ae4-4fe8-9c9b-63e65f6ff1f2";
const IDENTITY: &str = "0b6f7a55-9c0e-4a57-8a51-3d1f3e0b2c11";

fn quick_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
        ..RetryPolicy::default()
    }
}

fn nerm(server: &MockServer, retry: RetryPolicy) -> idprov_sailpoint_nerm::Client {
    idprov_sailpoint_nerm::Client::with_config(
        idprov_sailpoint_nerm::ClientConfig::new(idprov_sailpoint_nerm::Credentials::ApiToken(
            Secret::new("nerm-token"),
        ))
        .base_url(server.base_url())
        .retry(retry),
    )
    .unwrap()
}

fn aveva(server: &MockServer, retry: RetryPolicy) -> idprov_aveva_connect::Client {
    idprov_aveva_connect::Client::with_config(
        idprov_aveva_connect::ClientConfig::new(idprov_aveva_connect::Credentials::AccessToken(
            Secret::new("aveva-token"),
        ))
        .base_url(server.base_url())
        .retry(retry),
    )
    .unwrap()
}

/// Gets the AVEVA identity with `retry`, expecting an error.
async fn get_identity_error(server: &MockServer, retry: RetryPolicy) -> idprov_runtime::Error {
    aveva(server, retry)
        .get_automation_identity()
        .tenant_id(TENANT)
        .automation_identity_id(IDENTITY.parse::<uuid::Uuid>().unwrap())
        .send()
        .await
        .unwrap_err()
}

async fn create_action(
    client: &idprov_sailpoint_nerm::Client,
) -> Result<(), idprov_runtime::Error> {
    use idprov_sailpoint_nerm::types;
    client
        .create_username_password_action()
        .body(types::CreateUsernamePasswordActionRequest {
            workflow_action: types::UsernamePasswordAction {
                workflow_id: WORKFLOW.parse().unwrap(),
                description: "Generate credentials".into(),
                archived: false,
            },
        })
        .send()
        .await?;
    Ok(())
}

fn created_action() -> String {
    json!({"workflow_action": {
        "workflow_id": WORKFLOW, "description": "Generate credentials",
        "archived": false, "requires_comment": false, "skippable": false
    }})
    .to_string()
}

/// Answers `first` to the first `n` requests and `then` afterwards.
fn sequence(
    n: usize,
    first: impl Fn() -> HttpMockResponse + Send + Sync + 'static,
    then: impl Fn() -> HttpMockResponse + Send + Sync + 'static,
) -> impl Fn(&HttpMockRequest) -> HttpMockResponse + Send + Sync + 'static {
    let seen = AtomicUsize::new(0);
    move |_req| {
        if seen.fetch_add(1, Ordering::SeqCst) < n {
            first()
        } else {
            then()
        }
    }
}

#[tokio::test]
async fn a_429_with_retry_after_1_is_waited_out_then_the_post_succeeds() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/workflow_actions/username_password_actions");
            then.respond_with(sequence(
                1,
                || {
                    HttpMockResponse::builder()
                        .status(429)
                        .header("retry-after", "1")
                        .header("content-type", "application/json")
                        .body(r#"{"error":"Too many requests"}"#)
                        .build()
                },
                || {
                    HttpMockResponse::builder()
                        .status(200)
                        .header("content-type", "application/json")
                        .body(created_action())
                        .build()
                },
            ));
        })
        .await;

    let started = Instant::now();
    create_action(&nerm(&server, RetryPolicy::default()))
        .await
        .unwrap();
    let waited = started.elapsed();

    assert_eq!(mock.calls_async().await, 2, "one 429, one success");
    assert!(
        waited >= Duration::from_secs(1),
        "Retry-After: 1 was not honoured: {waited:?}"
    );
    assert!(
        waited < Duration::from_secs(3),
        "waited far longer than Retry-After: {waited:?}"
    );
}

#[tokio::test]
async fn a_503_storm_ends_with_a_server_error_after_the_configured_attempts() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/api/v1/Tenants/{TENANT}/AutomationIdentities/{IDENTITY}"));
            then.status(503)
                .header("content-type", "application/json")
                .json_body(json!({"OperationId": "op-1", "Error": "Service unavailable", "Reason": "maintenance", "Resolution": "retry later"}));
        })
        .await;

    let err = get_identity_error(&server, quick_retries(3)).await;

    assert_eq!(mock.calls_async().await, 3, "exactly max_attempts attempts");
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.message(), "Service unavailable");
    assert_eq!(err.request_id(), Some("op-1"));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_503_storm_with_retry_after_on_a_post_ends_after_the_configured_attempts() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/workflow_actions/username_password_actions");
            then.status(503)
                .header("retry-after", "0")
                .json_body(json!({"error": "busy"}));
        })
        .await;

    let err = create_action(&nerm(&server, quick_retries(4)))
        .await
        .unwrap_err();

    assert_eq!(mock.calls_async().await, 4);
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.retry_after(), Some(Duration::ZERO));
}

#[tokio::test]
async fn a_post_that_got_a_500_or_a_502_is_not_resent() {
    for status in [500, 502, 504] {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method(POST)
                    .path("/workflow_actions/username_password_actions");
                then.status(status)
                    .json_body(json!({"error": "Internal Server Error"}));
            })
            .await;

        let err = create_action(&nerm(&server, quick_retries(5)))
            .await
            .unwrap_err();

        assert_eq!(
            mock.calls_async().await,
            1,
            "POST after {status} must not be resent"
        );
        assert_eq!(err.kind(), ErrorKind::Server, "{status}");
        assert_eq!(err.status(), Some(status), "{status}");
        assert_eq!(err.message(), "Internal Server Error");
    }
}

#[tokio::test]
async fn a_get_that_got_a_502_is_retried_but_a_500_is_not() {
    for (status, expected_calls) in [(502, 3), (500, 1)] {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method(GET)
                    .path(format!("/api/v1/Tenants/{TENANT}/AutomationIdentities"));
                then.status(status);
            })
            .await;

        let err: idprov_runtime::Error = aveva(&server, quick_retries(3))
            .list_automation_identities()
            .tenant_id(TENANT)
            .send()
            .await
            .unwrap_err();

        assert_eq!(
            mock.calls_async().await,
            expected_calls,
            "GET after {status}"
        );
        assert_eq!(err.status(), Some(status));
    }
}

#[tokio::test]
async fn a_retry_after_longer_than_the_deadline_fails_at_once_with_the_wait_it_asked_for() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/workflow_actions/username_password_actions");
            then.status(429)
                .header("retry-after", "30")
                .json_body(json!({"error": "slow down"}));
        })
        .await;
    let policy = RetryPolicy {
        deadline: Duration::from_secs(2),
        ..RetryPolicy::default()
    };

    let started = Instant::now();
    let err = create_action(&nerm(&server, policy)).await.unwrap_err();

    assert!(
        started.elapsed() < Duration::from_secs(1),
        "it must not sleep past its deadline"
    );
    assert_eq!(mock.calls_async().await, 1);
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
    assert!(err.to_string().contains("retry after 30s"), "{err}");
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported_as_a_transport_error() {
    // Bind and drop a listener to get a loopback port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = idprov_sailpoint_nerm::Client::with_config(
        idprov_sailpoint_nerm::ClientConfig::new(idprov_sailpoint_nerm::Credentials::ApiToken(
            Secret::new("t"),
        ))
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry(quick_retries(3)),
    )
    .unwrap();

    let started = Instant::now();
    let err = create_action(&client).await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(err.is_retryable());
    // Two backoffs of at least 5 ms and 10 ms passed between the three attempts.
    assert!(
        started.elapsed() >= Duration::from_millis(15),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn every_huawei_attempt_is_signed_afresh_with_a_new_date() {
    let server = MockServer::start_async().await;
    let seen: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let record = seen.clone();
    let calls = AtomicUsize::new(0);
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path_includes("/provisioning-status/");
            then.respond_with(move |req: &HttpMockRequest| {
                let header = |name: &str| idprov_testkit::header(req, name).unwrap_or_default();
                record.lock().unwrap().push((header("x-sdk-date"), header("authorization")));
                if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                    HttpMockResponse::builder().status(503).header("retry-after", "1").build()
                } else {
                    HttpMockResponse::builder()
                        .status(200)
                        .header("content-type", "application/json")
                        .body(r#"{"permission_set_provisioning_status":{"status":"SUCCEEDED","request_id":"r1"}}"#)
                        .build()
                }
            });
        })
        .await;
    let client = idprov_huaweicloud_identitycenter::Client::with_config(
        idprov_huaweicloud_identitycenter::ClientConfig::new(
            idprov_huaweicloud_identitycenter::Credentials {
                ak: "AKTEST".into(),
                sk: Secret::new("sk-secret"),
                security_token: None,
                domain_id: Some("domain-1".into()),
            },
        )
        .base_url(server.base_url()),
    )
    .unwrap();

    client
        .get_permission_set_provisioning_status()
        .instance_id("ins-1")
        .request_id("r1")
        .send()
        .await
        .unwrap();

    assert_eq!(mock.calls_async().await, 2);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert!(
        seen[0]
            .1
            .starts_with("SDK-HMAC-SHA256 Access=AKTEST, SignedHeaders="),
        "{}",
        seen[0].1
    );
    assert_ne!(
        seen[0].0, seen[1].0,
        "the retry must carry a new X-Sdk-Date"
    );
    assert_ne!(seen[0].1, seen[1].1, "the retry must carry a new signature");
}

#[tokio::test]
async fn a_slow_answer_past_the_request_timeout_is_a_timeout_error() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/api/v1/Tenants/{TENANT}/AutomationIdentities"));
            then.status(200)
                .delay(Duration::from_secs(2))
                .json_body(json!([]));
        })
        .await;
    let client = idprov_aveva_connect::Client::with_config(
        idprov_aveva_connect::ClientConfig::new(idprov_aveva_connect::Credentials::AccessToken(
            Secret::new("t"),
        ))
        .base_url(server.base_url())
        .timeouts(Duration::from_secs(1), Duration::from_millis(200))
        .retry(quick_retries(2)),
    )
    .unwrap();

    let started = Instant::now();
    let err: idprov_runtime::Error = client
        .list_automation_identities()
        .tenant_id(TENANT)
        .send()
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.is_retryable());
    assert_eq!(
        mock.calls_async().await,
        2,
        "a GET that timed out is retried once more"
    );
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn with_retries_off_a_503_with_retry_after_is_sent_exactly_once() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(format!(
                "/api/v1/Tenants/{TENANT}/AutomationIdentities/{IDENTITY}"
            ));
            then.status(503)
                .header("retry-after", "0")
                .header("content-type", "application/json")
                .json_body(json!({"OperationId": "op-2", "Error": "Service unavailable"}));
        })
        .await;

    let err = get_identity_error(&server, RetryPolicy::none()).await;

    assert_eq!(mock.calls_async().await, 1, "one attempt");
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.request_id(), Some("op-2"));
}
