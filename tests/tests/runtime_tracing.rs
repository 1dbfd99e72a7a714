//! What the clients log: one `idprov.request` span per call (target `idprov`) with vendor, operation,
//! method, host and path template; at INFO one line per retry saying why and how long it waits, at WARN one
//! line when the client gives up; never a query value or a secret.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on unexpected values"
)]

use std::time::Duration;

use httpmock::prelude::*;
use idprov_aveva_connect::{Client, ClientConfig, Credentials, RetryPolicy, Secret};

const TENANT: &str = "2f1cdc3e-2ae4-4fe8-9c9b-63e65f6ff1f2";
const TOKEN: &str = "aveva_token_SECRET_1";

fn client(server: &MockServer, max_attempts: u32) -> Client {
    Client::with_config(
        ClientConfig::new(Credentials::AccessToken(Secret::new(TOKEN)))
            .base_url(server.base_url())
            .retry(RetryPolicy {
                max_attempts,
                initial_backoff: Duration::from_millis(5),
                max_backoff: Duration::from_millis(10),
                ..RetryPolicy::default()
            }),
    )
    .unwrap()
}

fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn a_call_retried_after_a_429_logs_one_info_line_saying_why_and_how_long_it_waits() {
    let (_guard, logs) = idprov_testkit::logs::capture(tracing::Level::INFO);
    current_thread().block_on(async {
        let server = MockServer::start_async().await;
        let answered = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let seen = answered.clone();
        server
            .mock_async(move |when, then| {
                when.method(GET).query_param("query", "name:secret-filter");
                then.respond_with(move |_: &httpmock::HttpMockRequest| {
                    let n = seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let answer = httpmock::HttpMockResponse::builder();
                    if n == 0 {
                        answer.status(429).header("retry-after", "0").build()
                    } else {
                        answer
                            .status(200)
                            .header("content-type", "application/json")
                            .body("[]")
                            .build()
                    }
                });
            })
            .await;
        let result = client(&server, 3)
            .list_automation_identities()
            .tenant_id(TENANT)
            .query("name:secret-filter")
            .send()
            .await;
        assert!(result.is_ok(), "{result:?}");
        assert_eq!(answered.load(std::sync::atomic::Ordering::SeqCst), 2);
    });
    let text = logs.text();
    let retry_lines: Vec<&str> = text.lines().filter(|l| l.contains("retrying in")).collect();
    assert_eq!(retry_lines.len(), 1, "{text}");
    for line in &retry_lines {
        assert!(line.contains(" INFO "), "{line}");
        assert!(
            line.contains("rate limited (429) with Retry-After"),
            "{line}"
        );
        assert!(
            line.contains("idprov.request"),
            "the line names the call's span: {line}"
        );
        assert!(
            line.contains("operation_id=\"list_automation_identities\""),
            "{line}"
        );
        assert!(line.contains("host=\"127.0.0.1\""), "{line}");
        assert!(
            line.contains("path=\"/api/v1/Tenants/{tenantId}/AutomationIdentities\""),
            "{line}"
        );
    }
    assert!(
        !text.contains("secret-filter"),
        "no query value is logged: {text}"
    );
    assert!(!text.contains(TOKEN), "no secret is logged: {text}");
}

#[test]
fn giving_up_logs_one_warn_line_and_span_fields_are_not_repeated_per_attempt() {
    let (_guard, logs) = idprov_testkit::logs::capture(tracing::Level::INFO);
    current_thread().block_on(async {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(GET);
                then.status(503);
            })
            .await;
        let err = client(&server, 3)
            .list_automation_identities()
            .tenant_id(TENANT)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(503));
        assert_eq!(err.attempts(), 3);
    });
    let text = logs.text();
    let retries = text.lines().filter(|l| l.contains("retrying in")).count();
    let gave_up: Vec<&str> = text.lines().filter(|l| l.contains("giving up")).collect();
    assert_eq!(retries, 2, "{text}");
    assert_eq!(gave_up.len(), 1, "{text}");
    assert!(gave_up[0].contains(" WARN "), "{}", gave_up[0]);
    assert!(gave_up[0].contains("no attempts left"), "{}", gave_up[0]);
    for line in text.lines() {
        assert!(
            line.matches("attempts=").count() <= 1,
            "span fields are recorded once, not once per attempt: {line}"
        );
    }
}
