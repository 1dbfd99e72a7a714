//! Answers that cannot be decoded become decode errors that keep the status and the first bytes; AVEVA's
//! pager walks several pages lazily, stops on a short page, and refuses a server that repeats a page.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on unexpected values"
)]

use futures::{StreamExt, TryStreamExt};
use httpmock::prelude::*;
use idprov_aveva_connect::{ClientConfig, Credentials, ErrorKind, RetryPolicy, Secret};
use serde_json::json;

const TENANT: &str = "2f1cdc3e-2ae4-4fe8-9c9b-63e65f6ff1f2";
const IDENTITY: &str = "0b6f7a55-9c0e-4a57-8a51-3d1f3e0b2c11";

fn aveva(server: &MockServer) -> idprov_aveva_connect::Client {
    idprov_aveva_connect::Client::with_config(
        ClientConfig::new(Credentials::AccessToken(Secret::new("t")))
            .base_url(server.base_url())
            .retry(RetryPolicy::none()),
    )
    .unwrap()
}

async fn get_identity(server: &MockServer) -> idprov_runtime::Error {
    aveva(server)
        .get_automation_identity()
        .tenant_id(TENANT)
        .automation_identity_id(IDENTITY.parse::<uuid::Uuid>().unwrap())
        .send()
        .await
        .unwrap_err()
}

async fn answer_get_with(server: &MockServer, status: u16, content_type: &str, body: &str) {
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!(
                "/api/v1/Tenants/{TENANT}/AutomationIdentities/{IDENTITY}"
            ));
            then.status(status)
                .header("content-type", content_type)
                .body(body);
        })
        .await;
}

#[tokio::test]
async fn an_html_gateway_page_keeps_its_status_and_first_bytes() {
    let server = MockServer::start_async().await;
    answer_get_with(
        &server,
        502,
        "text/html",
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
    )
    .await;

    let err = get_identity(&server).await;

    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.message(), "Bad Gateway");
    assert!(
        err.body_prefix()
            .unwrap()
            .starts_with("<html><body><h1>502"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_success_with_truncated_json_is_a_decode_error_with_status_and_first_bytes() {
    let server = MockServer::start_async().await;
    answer_get_with(
        &server,
        200,
        "application/json",
        r#"{"Id": "0b6f7a55-9c0e-4a57-8a51-3d1f3e0b2c11", "Na"#,
    )
    .await;

    let err = get_identity(&server).await;

    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.status(), Some(200));
    assert_eq!(err.operation_id(), Some("get_automation_identity"));
    assert!(
        err.body_prefix().unwrap().starts_with(r#"{"Id": "0b6f"#),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_success_with_an_html_page_is_a_decode_error_not_a_panic() {
    let server = MockServer::start_async().await;
    answer_get_with(
        &server,
        200,
        "text/html",
        "<!doctype html><p>maintenance</p>",
    )
    .await;

    let err = get_identity(&server).await;

    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.status(), Some(200));
    assert!(err.message().contains("text/html"), "{err}");
}

#[tokio::test]
async fn a_success_of_the_wrong_json_shape_is_a_decode_error_naming_the_problem() {
    let server = MockServer::start_async().await;
    answer_get_with(&server, 200, "application/json", r#"{"Id": 42}"#).await;

    let err = get_identity(&server).await;

    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(
        err.message().contains("not of the documented shape"),
        "{err}"
    );
    assert_eq!(err.status(), Some(200));
    assert_eq!(err.operation_id(), Some("get_automation_identity"));
    assert_eq!(err.body_prefix(), Some(r#"{"Id": 42}"#));
}

fn identity(i: u64) -> serde_json::Value {
    json!({"Id": format!("00000000-0000-4000-8000-{i:012}"), "Name": format!("bot-{i}"), "TenantId": TENANT})
}

#[tokio::test]
async fn the_aveva_pager_walks_several_pages_lazily_and_stops_on_a_short_page() {
    let server = MockServer::start_async().await;
    let mut pages = Vec::new();
    for (skip, items) in [(0u64, 0..3u64), (3, 3..6), (6, 6..7)] {
        let body: Vec<_> = items.map(identity).collect();
        pages.push(
            server
                .mock_async(move |when, then| {
                    when.method(GET)
                        .path(format!("/api/v1/Tenants/{TENANT}/AutomationIdentities"))
                        .query_param("skip", skip.to_string())
                        .query_param("count", "3");
                    then.status(200).json_body(json!(body));
                })
                .await,
        );
    }
    let client = aveva(&server);

    let mut stream =
        std::pin::pin!(client.automation_identities(TENANT, std::num::NonZeroU32::new(3).unwrap()));
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.name.as_deref(), Some("bot-0"));
    assert_eq!(
        pages[1].calls_async().await,
        0,
        "the second page is not fetched before it is needed"
    );
    let rest: Vec<_> = stream.try_collect().await.unwrap();

    let names: Vec<_> = rest.iter().filter_map(|i| i.name.clone()).collect();
    assert_eq!(
        names,
        ["bot-1", "bot-2", "bot-3", "bot-4", "bot-5", "bot-6"]
    );
    for page in &pages {
        assert_eq!(page.calls_async().await, 1);
    }
}

#[tokio::test]
async fn the_aveva_pager_reports_a_server_that_ignores_skip_instead_of_looping() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/api/v1/Tenants/{TENANT}/AutomationIdentities"));
            then.status(200)
                .json_body(json!([identity(1), identity(2)]));
        })
        .await;
    let client = aveva(&server);

    let err = client
        .automation_identities(TENANT, std::num::NonZeroU32::new(2).unwrap())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.message().contains("same page again"), "{err}");
    assert_eq!(mock.calls_async().await, 2);
}
