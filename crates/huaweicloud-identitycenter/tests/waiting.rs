//! Huawei Cloud IAM Identity Center: waiting for a permission-set provisioning (SUCCEEDED after IN_PROGRESS,
//! FAILED with its reason, stuck IN_PROGRESS) and walking the provisioning statuses by `next_marker`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use httpmock::prelude::*;
use idprov_huaweicloud_identitycenter::wait::WaitOptions;
use idprov_huaweicloud_identitycenter::{
    Client, ClientConfig, Credentials, ErrorKind, RetryPolicy, Secret, types,
};
use idprov_runtime::paginate::collect_all;
use idprov_testkit::json_in_turn;
use serde_json::{Value, json};

const INSTANCE: &str = "ins-1a2b3c4d5e6f7a8b";
const REQUEST: &str = "a1177591c8c7c49238e60563d34cad92";
const ACCOUNT: &str = "5146d03d8aaaaaaaaaaaabbae60620a5";
const AK: &str = "HPUAEXAMPLEACCESSKEY1";
const MARKER_1: &str = "marker000000000000000001";
const MARKER_2: &str = "marker000000000000000002";

fn client(server: &MockServer) -> Client {
    Client::with_config(
        ClientConfig::new(Credentials {
            ak: AK.to_string(),
            sk: Secret::new("example-secret-key-0123456789"),
            security_token: None,
            domain_id: Some("0a1b2c3d4e5f60718293a4b5c6d7e8f9".to_string()),
        })
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

fn status_path() -> String {
    format!("/v1/instances/{INSTANCE}/permission-sets/provisioning-status/{REQUEST}")
}

fn statuses_path() -> String {
    format!("/v1/instances/{INSTANCE}/permission-sets/provisioning-statuses")
}

fn status(status: &str, failure_reason: &str) -> Value {
    json!({
        "permission_set_provisioning_status": {
            "account_id": ACCOUNT,
            "created_date": "1677175760379",
            "failure_reason": failure_reason,
            "permission_set_id": "ps-8603aaaaaaaa14bd",
            "request_id": REQUEST,
            "status": status
        }
    })
}

/// Serves `answers` in order on the status call (the last one again once they run out), counting the calls.
async fn sequence(
    server: &MockServer,
    answers: Vec<Value>,
) -> (httpmock::Mock<'_>, Arc<AtomicUsize>) {
    let (calls, respond) = json_in_turn(answers);
    let mock = server
        .mock_async(move |when, then| {
            when.method(GET)
                .path(status_path())
                .header_prefix(
                    "authorization",
                    format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders="),
                )
                .header_exists("x-sdk-date");
            then.respond_with(respond);
        })
        .await;
    (mock, calls)
}

#[tokio::test]
async fn wait_for_provisioning_returns_the_status_once_it_succeeded() {
    let server = MockServer::start_async().await;
    let (mock, calls) = sequence(
        &server,
        vec![
            status("IN_PROGRESS", ""),
            status("IN_PROGRESS", ""),
            status("SUCCEEDED", ""),
        ],
    )
    .await;

    let done = client(&server)
        .wait_for_provisioning(INSTANCE, REQUEST, quick())
        .await
        .unwrap();

    assert_eq!(calls.load(Ordering::SeqCst), 3);
    mock.assert_calls_async(3).await;
    assert_eq!(done.status, Some(types::ProvisioningStatus::Succeeded));
    assert_eq!(done.account_id.as_deref(), Some(ACCOUNT));
    assert_eq!(done.request_id.as_deref(), Some(REQUEST));
}

#[tokio::test]
async fn wait_for_provisioning_fails_with_the_failure_reason() {
    let server = MockServer::start_async().await;
    let (_mock, calls) = sequence(
        &server,
        vec![
            status("IN_PROGRESS", ""),
            status(
                "FAILED",
                "The account 5146d03d8aaaaaaaaaaaabbae60620a5 is frozen.",
            ),
        ],
    )
    .await;

    let err = client(&server)
        .wait_for_provisioning(INSTANCE, REQUEST, quick())
        .await
        .unwrap_err();

    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(err.kind(), ErrorKind::JobFailed);
    assert!(
        err.message()
            .contains("The account 5146d03d8aaaaaaaaaaaabbae60620a5 is frozen."),
        "{err}"
    );
    assert!(err.message().contains(REQUEST), "{err}");
}

#[tokio::test]
async fn wait_for_provisioning_says_so_when_a_failure_has_no_reason() {
    let server = MockServer::start_async().await;
    sequence(&server, vec![status("FAILED", "  ")]).await;

    let err = client(&server)
        .wait_for_provisioning(INSTANCE, REQUEST, quick())
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::JobFailed);
    assert!(
        err.message().contains("FAILED without a failure_reason"),
        "{err}"
    );
}

#[tokio::test]
async fn wait_for_provisioning_times_out_when_it_stays_in_progress() {
    let server = MockServer::start_async().await;
    let (_mock, calls) = sequence(&server, vec![status("IN_PROGRESS", "")]).await;

    let started = Instant::now();
    let err = client(&server)
        .wait_for_provisioning(INSTANCE, REQUEST, quick())
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.message().contains("still IN_PROGRESS"), "{err}");
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
async fn wait_for_provisioning_refuses_an_answer_without_a_status() {
    let server = MockServer::start_async().await;
    sequence(&server, vec![json!({})]).await;

    let err = client(&server)
        .wait_for_provisioning(INSTANCE, REQUEST, quick())
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(
        err.message().contains("permission_set_provisioning_status"),
        "{err}"
    );
}

#[tokio::test]
async fn wait_for_provisioning_ends_with_the_http_error_of_a_look() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(status_path());
            then.status(404)
                .header("x-request-id", "hdr-404")
                .json_body(json!({"error_code": "IIC.404", "error_msg": "No such request."}));
        })
        .await;

    let err = client(&server)
        .wait_for_provisioning(INSTANCE, REQUEST, quick())
        .await
        .unwrap_err();

    mock.assert_calls_async(1).await;
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.code(), Some("IIC.404"));
    assert_eq!(err.request_id(), Some("hdr-404"));
}

// ---------------------------------------------------------------------------------------------------------
// The provisioning-statuses stream
// ---------------------------------------------------------------------------------------------------------

fn entry(i: usize) -> Value {
    json!({"created_date": 1_677_175_760_000_i64 + i as i64, "request_id": format!("request-{i}"), "status": "IN_PROGRESS"})
}

fn page_body(items: Vec<Value>, next_marker: Option<&str>) -> Value {
    let mut page_info = json!({"current_count": items.len()});
    if let Some(m) = next_marker {
        page_info["next_marker"] = json!(m);
    }
    json!({"permission_sets_provisioning_status": items, "page_info": page_info})
}

/// One page, answered to the request carrying `marker` (or no marker for `None`), `limit=2` and
/// `status=IN_PROGRESS`.
async fn page<'a>(server: &'a MockServer, marker: Option<&str>, body: Value) -> httpmock::Mock<'a> {
    server
        .mock_async(|when, then| {
            let when = when
                .method(GET)
                .path(statuses_path())
                .query_param("limit", "2")
                .query_param("status", "IN_PROGRESS")
                .header_prefix(
                    "authorization",
                    format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders="),
                );
            match marker {
                Some(m) => {
                    when.query_param("marker", m)
                        .query_param_count(".*", ".*", 3);
                }
                None => {
                    when.query_param_missing("marker")
                        .query_param_count(".*", ".*", 2);
                }
            }
            then.status(200).json_body(body);
        })
        .await
}

#[tokio::test]
async fn provisioning_statuses_follow_next_marker_over_three_pages_and_stop_when_it_is_absent() {
    let server = MockServer::start_async().await;
    let first = page(
        &server,
        None,
        page_body(vec![entry(0), entry(1)], Some(MARKER_1)),
    )
    .await;
    let second = page(
        &server,
        Some(MARKER_1),
        page_body(vec![entry(2), entry(3)], Some(MARKER_2)),
    )
    .await;
    let third = page(&server, Some(MARKER_2), page_body(vec![entry(4)], None)).await;
    let c = client(&server);

    let stream = c
        .list_permission_set_provisioning_statuses()
        .instance_id(INSTANCE)
        .status(types::ProvisioningStatus::InProgress)
        .stream(NonZeroU32::new(2).unwrap());
    let mut stream = std::pin::pin!(stream);
    let head = stream.next().await.unwrap().unwrap();
    assert_eq!(head.request_id.as_deref(), Some("request-0"));
    assert_eq!(
        second.calls_async().await,
        0,
        "the second page is fetched only when needed"
    );

    let mut ids = vec![head.request_id.unwrap()];
    while let Some(item) = stream.next().await {
        ids.push(item.unwrap().request_id.unwrap());
    }

    assert_eq!(
        ids,
        [
            "request-0",
            "request-1",
            "request-2",
            "request-3",
            "request-4"
        ]
    );
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
    third.assert_calls_async(1).await;
}

#[tokio::test]
async fn provisioning_statuses_stop_at_a_null_next_marker() {
    let server = MockServer::start_async().await;
    let only = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(statuses_path())
                .query_param("limit", "5")
                .query_param_missing("status")
                .query_param_missing("marker");
            then.status(200).json_body(json!({
                "permission_sets_provisioning_status": [entry(0)],
                "page_info": {"next_marker": null, "current_count": 1}
            }));
        })
        .await;
    let c = client(&server);

    let items = collect_all(c.provisioning_statuses(INSTANCE, NonZeroU32::new(5).unwrap()))
        .await
        .unwrap();

    assert_eq!(items.len(), 1);
    only.assert_calls_async(1).await;
}

#[tokio::test]
async fn provisioning_statuses_report_a_repeated_marker_instead_of_looping() {
    let server = MockServer::start_async().await;
    let first = page(
        &server,
        None,
        page_body(vec![entry(0), entry(1)], Some(MARKER_1)),
    )
    .await;
    let again = page(
        &server,
        Some(MARKER_1),
        page_body(vec![entry(2), entry(3)], Some(MARKER_1)),
    )
    .await;
    let c = client(&server);

    let err = collect_all(
        c.list_permission_set_provisioning_statuses()
            .instance_id(INSTANCE)
            .status(types::ProvisioningStatus::InProgress)
            .stream(NonZeroU32::new(2).unwrap()),
    )
    .await
    .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.message().contains(MARKER_1), "{err}");
    assert!(err.message().contains("twice"), "{err}");
    first.assert_calls_async(1).await;
    again.assert_calls_async(1).await;
}

#[tokio::test]
async fn provisioning_statuses_pass_on_an_error_answer() {
    let server = MockServer::start_async().await;
    page(
        &server,
        None,
        page_body(vec![entry(0), entry(1)], Some(MARKER_1)),
    )
    .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(statuses_path())
                .query_param("marker", MARKER_1);
            then.status(400)
                .header("x-request-id", "hdr-400")
                .json_body(
                    json!({"error_code": "IIC.400", "error_msg": "The marker has expired."}),
                );
        })
        .await;
    let c = client(&server);

    let mut stream = std::pin::pin!(
        c.list_permission_set_provisioning_statuses()
            .instance_id(INSTANCE)
            .status(types::ProvisioningStatus::InProgress)
            .stream(NonZeroU32::new(2).unwrap())
    );
    assert!(stream.next().await.unwrap().is_ok());
    assert!(stream.next().await.unwrap().is_ok());
    let err = stream.next().await.unwrap().unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(err.code(), Some("IIC.400"));
    assert_eq!(err.message(), "The marker has expired.");
    assert_eq!(err.request_id(), Some("hdr-400"));
}

#[tokio::test]
async fn provisioning_statuses_end_with_an_error_when_the_server_hands_out_a_marker_of_the_wrong_length()
 {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(statuses_path());
            then.status(200)
                .json_body(page_body(vec![entry(0), entry(1)], Some("short-marker")));
        })
        .await;
    let c = client(&server);

    let err = collect_all(c.provisioning_statuses(INSTANCE, NonZeroU32::new(2).unwrap()))
        .await
        .unwrap_err();

    assert!(err.message().contains("marker"), "{err}");
    mock.assert_calls_async(1).await;
}
