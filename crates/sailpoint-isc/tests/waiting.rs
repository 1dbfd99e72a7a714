//! SailPoint ISC: waiting for a machine account creation request (phases finished, failed, rejected, never
//! finishing) and walking the create-access list page by page.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use httpmock::prelude::*;
use idprov_runtime::paginate::collect_all;
use idprov_sailpoint_isc::wait::WaitOptions;
use idprov_sailpoint_isc::{
    Client, ClientConfig, Credentials, ErrorKind, RetryPolicy, Secret, types,
};
use idprov_testkit::json_in_turn;
use serde_json::{Value, json};

const ACCOUNT_REQUEST: &str = "2d81808474683da6017468693c260196";
const GET_PATH: &str =
    "/account-requests/v1/machine-account-create/2d81808474683da6017468693c260196";
const ACCESS_PATH: &str = "/source-subtypes/v1/machine-account-create-access";

fn client(server: &MockServer) -> Client {
    Client::with_config(
        ClientConfig::new(Credentials::AccessToken(Secret::new("tok")))
            .base_url(server.base_url())
            .retry(RetryPolicy::none()),
    )
    .unwrap()
}

fn quick() -> WaitOptions {
    WaitOptions {
        timeout: Duration::from_millis(300),
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(50),
    }
}

/// A request whose approval is done and whose provisioning is still pending.
fn provisioning_pending() -> Value {
    json!({
        "accountRequestId": ACCOUNT_REQUEST,
        "requestType": "CREATE_MACHINE_ACCOUNT",
        "createdAt": "2026-01-14T08:08:27.195Z",
        "completedAt": null,
        "overallStatus": "IN_PROGRESS",
        "accountRequestPhases": [
            {
                "name": "APPROVAL_PHASE",
                "state": "APPROVED",
                "started": "2026-01-14T08:08:28.644Z",
                "finished": "2026-01-14T08:38:42.707Z"
            },
            {"name": "PROVISIONING_PHASE", "state": "PENDING", "started": "2026-01-14T08:38:42.785Z"}
        ],
        "errorDetails": null
    })
}

/// Serves `answers` in order on the get call (the last one again once they run out), counting the calls.
async fn sequence(
    server: &MockServer,
    answers: Vec<Value>,
) -> (httpmock::Mock<'_>, Arc<AtomicUsize>) {
    let (calls, respond) = json_in_turn(answers);
    let mock = server
        .mock_async(move |when, then| {
            when.method(GET)
                .path(GET_PATH)
                .header("authorization", "Bearer tok")
                .header("x-sailpoint-experimental", "true");
            then.respond_with(respond);
        })
        .await;
    (mock, calls)
}

#[tokio::test]
async fn wait_for_account_request_returns_the_details_once_every_phase_finished() {
    let server = MockServer::start_async().await;
    // The second answer has no completedAt: finished APPROVED and PASSED phases alone mean success.
    let done = json!({
        "accountRequestId": ACCOUNT_REQUEST,
        "overallStatus": "IN_PROGRESS",
        "accountRequestPhases": [
            {"name": "APPROVAL_PHASE", "state": "APPROVED", "finished": "2026-01-14T08:38:42.707Z"},
            {"name": "PROVISIONING_PHASE", "state": "PASSED", "finished": "2026-01-14T08:38:45.932Z"}
        ]
    });
    let (mock, calls) = sequence(
        &server,
        vec![provisioning_pending(), provisioning_pending(), done],
    )
    .await;

    let details = client(&server)
        .wait_for_account_request(ACCOUNT_REQUEST, quick())
        .await
        .unwrap();

    assert_eq!(calls.load(Ordering::SeqCst), 3);
    mock.assert_calls_async(3).await;
    assert_eq!(details.account_request_id.as_deref(), Some(ACCOUNT_REQUEST));
    assert_eq!(
        details.account_request_phases[1].state,
        Some(types::AccountRequestPhaseState::Passed)
    );
}

#[tokio::test]
async fn wait_for_account_request_returns_once_the_request_has_completed() {
    let server = MockServer::start_async().await;
    let mut completed = provisioning_pending();
    completed["completedAt"] = json!("2026-01-14T08:38:45.932Z");
    completed["overallStatus"] = json!("SUCCESS");
    let (_mock, calls) = sequence(&server, vec![provisioning_pending(), completed]).await;

    let details = client(&server)
        .wait_for_account_request(ACCOUNT_REQUEST, quick())
        .await
        .unwrap();

    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(details.overall_status.as_deref(), Some("SUCCESS"));
    assert!(details.completed_at.is_some());
}

#[tokio::test]
async fn wait_for_account_request_fails_with_isc_error_details_when_provisioning_failed() {
    let server = MockServer::start_async().await;
    let failed = json!({
        "accountRequestId": ACCOUNT_REQUEST,
        "overallStatus": "IN_PROGRESS",
        "accountRequestPhases": [
            {"name": "APPROVAL_PHASE", "state": "APPROVED", "finished": "2026-01-14T08:38:42.707Z"},
            {"name": "PROVISIONING_PHASE", "state": "FAILED", "finished": "2026-01-14T08:38:45.932Z"}
        ],
        "errorDetails": "Account svc-inventory already exists on source AD Source"
    });
    let (_mock, calls) = sequence(&server, vec![provisioning_pending(), failed]).await;

    let err = client(&server)
        .wait_for_account_request(ACCOUNT_REQUEST, quick())
        .await
        .unwrap_err();

    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(err.kind(), ErrorKind::JobFailed);
    assert!(
        err.message()
            .contains("Account svc-inventory already exists on source AD Source"),
        "{err}"
    );
    assert!(err.message().contains("PROVISIONING_PHASE FAILED"), "{err}");
    assert!(err.message().contains(ACCOUNT_REQUEST), "{err}");
}

#[tokio::test]
async fn wait_for_account_request_fails_with_isc_error_details_when_approval_was_rejected() {
    let server = MockServer::start_async().await;
    let rejected = json!({
        "accountRequestId": ACCOUNT_REQUEST,
        "accountRequestPhases": [
            {"name": "APPROVAL_PHASE", "state": "REJECTED", "finished": "2026-01-14T08:38:42.707Z"},
            {"name": "PROVISIONING_PHASE", "state": "NOT_STARTED"}
        ],
        "errorDetails": "Rejected by the subtype owner"
    });
    let (_mock, calls) = sequence(&server, vec![rejected]).await;

    let err = client(&server)
        .wait_for_account_request(ACCOUNT_REQUEST, quick())
        .await
        .unwrap_err();

    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(err.kind(), ErrorKind::JobFailed);
    assert!(
        err.message()
            .contains("APPROVAL_PHASE REJECTED: Rejected by the subtype owner"),
        "{err}"
    );
}

#[tokio::test]
async fn wait_for_account_request_times_out_when_the_request_never_finishes() {
    let server = MockServer::start_async().await;
    let (_mock, calls) = sequence(&server, vec![provisioning_pending()]).await;

    let started = Instant::now();
    let err = client(&server)
        .wait_for_account_request(ACCOUNT_REQUEST, quick())
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(
        err.message().contains("PROVISIONING_PHASE PENDING"),
        "{err}"
    );
    assert!(
        calls.load(Ordering::SeqCst) >= 2,
        "it polled more than once"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "it gave up near its 300 ms timeout"
    );
}

#[tokio::test]
async fn wait_for_account_request_ends_with_the_http_error_of_a_look() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(GET_PATH);
            then.status(404).json_body(json!({
                "detailCode": "404 Not found",
                "trackingId": "b21b1f7ce4da4d639f2c62a57171b427",
                "messages": [{"locale": "en-US", "localeOrigin": "DEFAULT", "text": "no such request"}]
            }));
        })
        .await;

    let err = client(&server)
        .wait_for_account_request(ACCOUNT_REQUEST, quick())
        .await
        .unwrap_err();

    mock.assert_calls_async(1).await;
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.code(), Some("404 Not found"));
    assert_eq!(err.request_id(), Some("b21b1f7ce4da4d639f2c62a57171b427"));
}

// ---------------------------------------------------------------------------------------------------------
// The create-access stream
// ---------------------------------------------------------------------------------------------------------

fn source(i: usize) -> Value {
    json!({"sourceId": format!("source-{i}"), "sourceName": format!("Source {i}"), "subtypes": []})
}

async fn page<'a>(server: &'a MockServer, offset: &str, items: Vec<Value>) -> httpmock::Mock<'a> {
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(ACCESS_PATH)
                .query_param("offset", offset)
                .query_param("limit", "2")
                .header("authorization", "Bearer tok")
                .header("x-sailpoint-experimental", "true");
            then.status(200).json_body(Value::Array(items));
        })
        .await
}

#[tokio::test]
async fn create_access_stream_walks_offsets_until_a_short_page_fetching_lazily() {
    let server = MockServer::start_async().await;
    let first = page(&server, "0", vec![source(0), source(1)]).await;
    let second = page(&server, "2", vec![source(2), source(3)]).await;
    let third = page(&server, "4", vec![source(4)]).await;
    let c = client(&server);

    let stream = c.machine_account_create_access(std::num::NonZeroU32::new(2).unwrap());
    let mut stream = std::pin::pin!(stream);
    let head = stream.next().await.unwrap().unwrap();
    assert_eq!(head.source_id.as_deref(), Some("source-0"));
    assert_eq!(first.calls_async().await, 1);
    assert_eq!(
        second.calls_async().await,
        0,
        "the second page is fetched only when needed"
    );

    let mut ids = vec![head.source_id.unwrap()];
    while let Some(item) = stream.next().await {
        ids.push(item.unwrap().source_id.unwrap());
    }

    assert_eq!(
        ids,
        ["source-0", "source-1", "source-2", "source-3", "source-4"]
    );
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
    third.assert_calls_async(1).await;
}

#[tokio::test]
async fn create_access_stream_ends_on_an_empty_page_when_the_total_is_a_multiple_of_the_page_size()
{
    let server = MockServer::start_async().await;
    let first = page(&server, "0", vec![source(0), source(1)]).await;
    let second = page(&server, "2", vec![source(2), source(3)]).await;
    let third = page(&server, "4", vec![]).await;
    let c = client(&server);

    let items = collect_all(c.machine_account_create_access(std::num::NonZeroU32::new(2).unwrap()))
        .await
        .unwrap();

    assert_eq!(items.len(), 4);
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
    third.assert_calls_async(1).await;
}

#[tokio::test]
async fn create_access_stream_reports_a_server_that_ignores_the_offset_instead_of_looping() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(ACCESS_PATH);
            then.status(200).json_body(json!([source(0), source(1)]));
        })
        .await;
    let c = client(&server);

    let err = collect_all(c.machine_account_create_access(std::num::NonZeroU32::new(2).unwrap()))
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(
        err.message().contains("same page again at offset 2"),
        "{err}"
    );
    mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn create_access_stream_passes_on_an_error_answer() {
    let server = MockServer::start_async().await;
    page(&server, "0", vec![source(0), source(1)]).await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(ACCESS_PATH)
                .query_param("offset", "2");
            then.status(403).json_body(json!({
                "detailCode": "403 Forbidden",
                "trackingId": "t-403",
                "messages": [{"locale": "en-US", "localeOrigin": "DEFAULT", "text": "no access"}]
            }));
        })
        .await;
    let c = client(&server);

    let mut stream =
        std::pin::pin!(c.machine_account_create_access(std::num::NonZeroU32::new(2).unwrap()));
    assert!(stream.next().await.unwrap().is_ok());
    assert!(stream.next().await.unwrap().is_ok());
    let err = stream.next().await.unwrap().unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Forbidden);
    assert_eq!(err.code(), Some("403 Forbidden"));
    assert_eq!(err.request_id(), Some("t-403"));
}
