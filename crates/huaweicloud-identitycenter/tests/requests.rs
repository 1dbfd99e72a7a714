//! Huawei Cloud IAM Identity Center: the exact request each operation sends (method, path, query, signed
//! headers, JSON body; the AK/SK signature recomputed from what the server received), the decoding of its
//! documented success example, the decoding of Huawei's error body for every documented error status, and the
//! checks made before anything is sent.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use httpmock::prelude::*;
use idprov_huaweicloud_identitycenter::signer::{self as huawei_signer, SignInput};
use idprov_huaweicloud_identitycenter::{
    Client, ClientConfig, Credentials, ErrorKind, RetryPolicy, Secret, types,
};
use idprov_testkit::{assert_refused_naming, catch_all, header, path_segments};
use serde_json::{Value, json};

const INSTANCE: &str = "ins-1a2b3c4d5e6f7a8b";
const PERMISSION_SET: &str = "ps-8603aaaaaaaa14bd";
const ACCOUNT: &str = "5146d03d8aaaaaaaaaaaabbae60620a5";
const REQUEST: &str = "a1177591c8c7c49238e60563d34cad92";
const AK: &str = "HPUAEXAMPLEACCESSKEY1";
const SK: &str = "example-secret-key-0123456789";
const DOMAIN: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const SESSION_TOKEN: &str = "gQpjbi1ub3J0aC00example-session-token";
const MARKER: &str = "abcdefghijklmnopqrstuvwx";

fn client_with(server: &MockServer, security_token: Option<&str>) -> Client {
    Client::with_config(
        ClientConfig::new(Credentials {
            ak: AK.to_string(),
            sk: Secret::new(SK),
            security_token: security_token.map(Secret::new),
            domain_id: Some(DOMAIN.to_string()),
        })
        .base_url(server.base_url())
        .retry(RetryPolicy::none()),
    )
    .unwrap()
}

/// Permanent AK/SK credentials.
fn client(server: &MockServer) -> Client {
    client_with(server, None)
}

fn provision_path() -> String {
    format!("/v1/instances/{INSTANCE}/permission-sets/{PERMISSION_SET}/provision")
}

fn status_path(request_id: &str) -> String {
    format!("/v1/instances/{INSTANCE}/permission-sets/provisioning-status/{request_id}")
}

fn statuses_path() -> String {
    format!("/v1/instances/{INSTANCE}/permission-sets/provisioning-statuses")
}

/// The documented 200 example of `provision_permission_set` and `get_permission_set_provisioning_status`.
fn status_json() -> Value {
    json!({
        "permission_set_provisioning_status": {
            "account_id": ACCOUNT,
            "created_date": "1677175760379",
            "failure_reason": "",
            "permission_set_id": PERMISSION_SET,
            "request_id": REQUEST,
            "status": "SUCCEEDED"
        }
    })
}

/// `provision_permission_set` of PERMISSION_SET in INSTANCE with `body`, ready to send.
fn provision(
    client: &Client,
    body: types::builder::ProvisionPermissionSetRequest,
) -> idprov_huaweicloud_identitycenter::builder::ProvisionPermissionSet<'_> {
    client
        .provision_permission_set()
        .instance_id(INSTANCE)
        .permission_set_id(PERMISSION_SET)
        .body(body)
}

/// The body that provisions to ACCOUNT.
fn account_target() -> types::builder::ProvisionPermissionSetRequest {
    types::ProvisionPermissionSetRequest::builder()
        .target_type(types::ProvisionTargetType::Account)
        .target_id(ACCOUNT.to_string())
}

/// `provision_permission_set` of PERMISSION_SET to ACCOUNT, ready to send.
fn provision_to_account(
    client: &Client,
) -> idprov_huaweicloud_identitycenter::builder::ProvisionPermissionSet<'_> {
    provision(client, account_target())
}

type Captured = Arc<Mutex<Vec<HttpMockRequest>>>;

/// A responder that records each request and answers 200 with `body`.
fn recording(
    body: Value,
) -> (
    Captured,
    impl Fn(&HttpMockRequest) -> HttpMockResponse + Send + Sync + 'static,
) {
    let seen: Captured = Arc::default();
    let keep = seen.clone();
    let respond = move |req: &HttpMockRequest| {
        keep.lock().unwrap().push(req.clone());
        HttpMockResponse::builder()
            .status(200)
            .header("content-type", "application/json")
            .header("x-request-id", "req-ok")
            .body(body.to_string())
            .build()
    };
    (seen, respond)
}

fn only(seen: &Captured) -> HttpMockRequest {
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1, "exactly one request reached the server");
    seen[0].clone()
}

/// The `SignedHeaders=` list of the received `Authorization` header.
fn signed_headers(req: &HttpMockRequest) -> Vec<String> {
    let auth = header(req, "authorization").unwrap();
    let list = auth
        .split("SignedHeaders=")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    list.split(';').map(str::to_string).collect()
}

/// Checks the AK/SK signature of a received request: the form of `Authorization` and `X-Sdk-Date`, and the
/// signature recomputed with the official algorithm from what the server received (method, path, query, the
/// signed headers' values, body).
fn assert_signed(req: &HttpMockRequest) {
    let auth = header(req, "authorization").expect("an Authorization header");
    let prefix = format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders=");
    assert!(auth.starts_with(&prefix), "{auth}");
    assert!(auth.contains(", Signature="), "{auth}");

    let date = header(req, "x-sdk-date").expect("an X-Sdk-Date header");
    assert_eq!(date.len(), 16, "{date}");
    let sent_at = huawei_signer::parse_sdk_date(&date).unwrap();
    let skew = SystemTime::now()
        .duration_since(sent_at)
        .unwrap_or_else(|e| e.duration());
    assert!(
        skew < Duration::from_secs(300),
        "X-Sdk-Date {date} is the current time"
    );

    let names = signed_headers(req);
    for required in ["host", "x-sdk-date"] {
        assert!(
            names.iter().any(|n| n == required),
            "{required} is signed: {names:?}"
        );
    }
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "SignedHeaders are sorted");

    let headers: Vec<(String, String)> = names
        .iter()
        .map(|n| {
            (
                n.clone(),
                header(req, n).unwrap_or_else(|| panic!("signed header {n} was sent")),
            )
        })
        .collect();
    let host = header(req, "host").unwrap();
    let uri = req.uri();
    let target = uri.path_and_query().unwrap().as_str();
    let url: reqwest::Url = format!("http://{host}{target}").parse().unwrap();
    let expected = huawei_signer::sign(
        AK,
        SK,
        &SignInput {
            method: req.method_str(),
            url: &url,
            headers: &headers,
            body: req.body_ref(),
        },
    )
    .unwrap();
    assert_eq!(
        auth, expected.authorization,
        "the signature matches what the server received"
    );
    assert_eq!(
        url.query().unwrap_or(""),
        expected.canonical_query,
        "the query is sent in canonical form"
    );
}

// ---------------------------------------------------------------------------------------------------------
// The exact requests, and the documented success examples
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn provision_posts_the_target_signed_with_ak_sk_and_decodes_the_documented_example() {
    let server = MockServer::start_async().await;
    let (seen, respond) = recording(status_json());
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(provision_path())
                .query_param_count(".*", ".*", 0)
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .header("x-domain-id", DOMAIN)
                .header_exists("x-sdk-date")
                .header_prefix(
                    "authorization",
                    format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders="),
                )
                .header_includes("authorization", "x-sdk-date")
                .header_missing("x-security-token")
                .header_missing("api-version")
                .json_body(json!({"target_id": ACCOUNT, "target_type": "ACCOUNT"}));
            then.respond_with(respond);
        })
        .await;

    let answer = provision_to_account(&client(&server)).send().await.unwrap();

    mock.assert_async().await;
    let req = only(&seen);
    assert_signed(&req);
    assert_eq!(
        signed_headers(&req),
        [
            "accept",
            "content-type",
            "host",
            "x-domain-id",
            "x-sdk-date"
        ]
    );
    assert_eq!(answer.headers()["x-request-id"], "req-ok");
    let s = answer
        .into_inner()
        .permission_set_provisioning_status
        .unwrap();
    assert_eq!(s.account_id.as_deref(), Some(ACCOUNT));
    assert_eq!(s.created_date.as_deref(), Some("1677175760379"));
    assert_eq!(s.failure_reason.as_deref(), Some(""));
    assert_eq!(s.permission_set_id.as_deref(), Some(PERMISSION_SET));
    assert_eq!(s.request_id.as_deref(), Some(REQUEST));
    assert_eq!(s.status, Some(types::ProvisioningStatus::Succeeded));
}

#[tokio::test]
async fn provision_to_all_provisioned_accounts_sends_no_target_id() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(provision_path())
                .json_body(json!({"target_type": "ALL_PROVISIONED_ACCOUNTS"}));
            then.status(200).json_body(status_json());
        })
        .await;

    provision(
        &client(&server),
        types::ProvisionPermissionSetRequest::builder()
            .target_type(types::ProvisionTargetType::AllProvisionedAccounts),
    )
    .send()
    .await
    .unwrap();

    mock.assert_async().await;
}

#[tokio::test]
async fn temporary_credentials_send_and_sign_the_security_token() {
    let server = MockServer::start_async().await;
    let (seen, respond) = recording(status_json());
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(provision_path())
                .header("x-security-token", SESSION_TOKEN)
                .header("x-domain-id", DOMAIN)
                .header_includes("authorization", "x-security-token");
            then.respond_with(respond);
        })
        .await;

    provision(
        &client_with(&server, Some(SESSION_TOKEN)),
        types::ProvisionPermissionSetRequest::builder()
            .target_type(types::ProvisionTargetType::Account)
            .target_id(ACCOUNT.to_string()),
    )
    .send()
    .await
    .unwrap();

    mock.assert_async().await;
    let req = only(&seen);
    assert_signed(&req);
    assert_eq!(
        signed_headers(&req),
        [
            "accept",
            "content-type",
            "host",
            "x-domain-id",
            "x-sdk-date",
            "x-security-token"
        ]
    );
}

#[tokio::test]
async fn get_status_sends_the_ids_in_the_path_signed_and_decodes_the_documented_example() {
    let server = MockServer::start_async().await;
    let (seen, respond) = recording(status_json());
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(status_path(REQUEST))
                .query_param_count(".*", ".*", 0)
                .header("accept", "application/json")
                .header("x-domain-id", DOMAIN)
                .header("x-security-token", SESSION_TOKEN)
                .header_exists("x-sdk-date")
                .header_prefix(
                    "authorization",
                    format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders="),
                )
                .header_missing("content-type")
                .header_missing("api-version");
            then.respond_with(respond);
        })
        .await;

    let s = client_with(&server, Some(SESSION_TOKEN))
        .get_permission_set_provisioning_status()
        .instance_id(INSTANCE)
        .request_id(REQUEST)
        .send()
        .await
        .unwrap()
        .into_inner()
        .permission_set_provisioning_status
        .unwrap();

    mock.assert_async().await;
    let req = only(&seen);
    assert_signed(&req);
    assert_eq!(
        signed_headers(&req),
        [
            "accept",
            "host",
            "x-domain-id",
            "x-sdk-date",
            "x-security-token"
        ]
    );
    assert_eq!(s.request_id.as_deref(), Some(REQUEST));
    assert_eq!(s.status, Some(types::ProvisioningStatus::Succeeded));
    assert_eq!(s.account_id.as_deref(), Some(ACCOUNT));
}

#[tokio::test]
async fn list_statuses_sends_limit_marker_and_status_signed_and_decodes_the_documented_example() {
    let server = MockServer::start_async().await;
    let (seen, respond) = recording(json!({
        "permission_sets_provisioning_status": [
            {"created_date": 1_677_175_760_379_i64, "request_id": REQUEST, "status": "SUCCEEDED"}
        ],
        "page_info": {"next_marker": null, "current_count": 1}
    }));
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(statuses_path())
                .query_param("limit", "50")
                .query_param("marker", MARKER)
                .query_param("status", "IN_PROGRESS")
                .query_param_count(".*", ".*", 3)
                .header("x-domain-id", DOMAIN)
                .header_prefix(
                    "authorization",
                    format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders="),
                )
                .header_missing("x-security-token");
            then.respond_with(respond);
        })
        .await;

    let page = client(&server)
        .list_permission_set_provisioning_statuses()
        .instance_id(INSTANCE)
        .limit(NonZeroU32::new(50).unwrap())
        .marker(MARKER)
        .status(types::ProvisioningStatus::InProgress)
        .send()
        .await
        .unwrap()
        .into_inner();

    mock.assert_async().await;
    let req = only(&seen);
    assert_signed(&req);
    assert_eq!(
        req.uri().query(),
        Some(format!("limit=50&marker={MARKER}&status=IN_PROGRESS").as_str())
    );
    let entries = &page.permission_sets_provisioning_status;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].created_date, Some(1_677_175_760_379));
    assert_eq!(entries[0].request_id.as_deref(), Some(REQUEST));
    assert_eq!(
        entries[0].status,
        Some(types::ProvisioningStatus::Succeeded)
    );
    let info = page.page_info.unwrap();
    assert_eq!(info.next_marker, None);
    assert_eq!(info.current_count, Some(1));
}

#[tokio::test]
async fn list_statuses_without_options_sends_no_query() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(statuses_path())
                .query_param_count(".*", ".*", 0);
            then.status(200).json_body(json!({}));
        })
        .await;

    let page = client(&server)
        .list_permission_set_provisioning_statuses()
        .instance_id(INSTANCE)
        .send()
        .await
        .unwrap()
        .into_inner();

    mock.assert_async().await;
    assert!(page.permission_sets_provisioning_status.is_empty());
    assert_eq!(page.page_info, None);
}

// ---------------------------------------------------------------------------------------------------------
// Every documented error status
// ---------------------------------------------------------------------------------------------------------

fn huawei_error(code: &str, msg: &str, request_id: &str) -> Value {
    json!({"error_code": code, "error_msg": msg, "request_id": request_id})
}

/// Answers `method path` with `status` and the Huawei error `body`, with `X-Request-Id` when given.
async fn answer_error(
    server: &MockServer,
    method: httpmock::Method,
    path: String,
    status: u16,
    x_request_id: Option<&str>,
    body: Value,
) {
    server
        .mock_async(|when, then| {
            when.method(method).path(path);
            let then = then
                .status(status)
                .header("content-type", "application/json");
            let then = match x_request_id {
                Some(id) => then.header("x-request-id", id),
                None => then,
            };
            then.json_body(body);
        })
        .await;
}

#[tokio::test]
async fn provision_error_400_carries_error_code_message_and_the_header_request_id() {
    let server = MockServer::start_async().await;
    answer_error(
        &server,
        POST,
        provision_path(),
        400,
        Some("hdr-0e1c5f6a"),
        huawei_error(
            "IIC.400",
            "The request parameter target_id is invalid.",
            "body-7d2b",
        ),
    )
    .await;

    let err: idprov_huaweicloud_identitycenter::Error = provision(
        &client(&server),
        types::ProvisionPermissionSetRequest::builder()
            .target_type(types::ProvisionTargetType::Account)
            .target_id("not-an-account".to_string()),
    )
    .send()
    .await
    .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.vendor(), Some("Huawei Cloud IAM Identity Center"));
    assert_eq!(err.operation_id(), Some("provision_permission_set"));
    assert_eq!(err.code(), Some("IIC.400"));
    assert_eq!(err.message(), "The request parameter target_id is invalid.");
    // The X-Request-Id header wins over the body's request_id (where Huawei's SDK reads it).
    assert_eq!(err.request_id(), Some("hdr-0e1c5f6a"));
    assert!(!err.is_retryable());
    let body: types::ErrorResponse = err.body_as().unwrap();
    assert_eq!(body.error_code.as_deref(), Some("IIC.400"));
    assert_eq!(
        body.error_msg.as_deref(),
        Some("The request parameter target_id is invalid.")
    );
    assert_eq!(body.request_id.as_deref(), Some("body-7d2b"));
}

#[tokio::test]
async fn get_status_error_403_carries_error_code_message_encoded_authorization_and_request_id() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(status_path(REQUEST));
            then.status(403)
                .header("content-type", "application/json")
                .header("x-request-id", "hdr-403")
                .json_body(json!({
                    "error_code": "IIC.403",
                    "error_msg": "Only the management account can call this API.",
                    "request_id": "body-403",
                    "encoded_authorization_message": "ZW5jb2RlZA=="
                }));
        })
        .await;

    let err: idprov_huaweicloud_identitycenter::Error = client(&server)
        .get_permission_set_provisioning_status()
        .instance_id(INSTANCE)
        .request_id(REQUEST)
        .send()
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Forbidden);
    assert_eq!(err.status(), Some(403));
    assert_eq!(
        err.operation_id(),
        Some("get_permission_set_provisioning_status")
    );
    assert_eq!(err.code(), Some("IIC.403"));
    assert_eq!(
        err.message(),
        "Only the management account can call this API."
    );
    assert_eq!(
        err.details(),
        ["encoded authorization message: ZW5jb2RlZA=="]
    );
    assert_eq!(err.request_id(), Some("hdr-403"));
    let body: types::ErrorResponse = err.body_as().unwrap();
    assert_eq!(
        body.encoded_authorization_message.as_deref(),
        Some("ZW5jb2RlZA==")
    );
    assert_eq!(body.request_id.as_deref(), Some("body-403"));
}

#[tokio::test]
async fn list_statuses_error_403_carries_error_code_message_and_request_id() {
    let server = MockServer::start_async().await;
    answer_error(
        &server,
        GET,
        statuses_path(),
        403,
        Some("hdr-list-403"),
        huawei_error("IIC.403", "Access denied.", "body-list-403"),
    )
    .await;

    let err: idprov_huaweicloud_identitycenter::Error = client(&server)
        .list_permission_set_provisioning_statuses()
        .instance_id(INSTANCE)
        .send()
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Forbidden);
    assert_eq!(
        err.operation_id(),
        Some("list_permission_set_provisioning_statuses")
    );
    assert_eq!(err.code(), Some("IIC.403"));
    assert_eq!(err.message(), "Access denied.");
    assert_eq!(err.request_id(), Some("hdr-list-403"));
}

#[tokio::test]
async fn list_statuses_error_400_carries_error_code_message_and_request_id() {
    let server = MockServer::start_async().await;
    answer_error(
        &server,
        GET,
        statuses_path(),
        400,
        Some("hdr-list-400"),
        huawei_error("IIC.400", "The marker is invalid.", "body-list-400"),
    )
    .await;

    let err: idprov_huaweicloud_identitycenter::Error = client(&server)
        .list_permission_set_provisioning_statuses()
        .instance_id(INSTANCE)
        .marker(MARKER)
        .send()
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("IIC.400"));
    assert_eq!(err.message(), "The marker is invalid.");
    assert_eq!(err.request_id(), Some("hdr-list-400"));
}

#[tokio::test]
async fn get_status_error_404_without_a_request_id_header_uses_the_body_request_id() {
    let server = MockServer::start_async().await;
    answer_error(
        &server,
        GET,
        status_path("no-such-request"),
        404,
        None,
        huawei_error(
            "IIC.404",
            "The provisioning request does not exist.",
            "body-404",
        ),
    )
    .await;

    let err: idprov_huaweicloud_identitycenter::Error = client(&server)
        .get_permission_set_provisioning_status()
        .instance_id(INSTANCE)
        .request_id("no-such-request")
        .send()
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), Some("IIC.404"));
    assert_eq!(err.message(), "The provisioning request does not exist.");
    assert_eq!(err.request_id(), Some("body-404"));
    let body: types::ErrorResponse = err.body_as().unwrap();
    assert_eq!(body.error_code.as_deref(), Some("IIC.404"));
}

#[tokio::test]
async fn provision_error_404_carries_error_code_message_and_the_header_request_id() {
    let server = MockServer::start_async().await;
    answer_error(
        &server,
        POST,
        provision_path(),
        404,
        Some("hdr-404"),
        huawei_error("IIC.404", "The permission set does not exist.", "body-404"),
    )
    .await;

    let err: idprov_huaweicloud_identitycenter::Error = provision(
        &client(&server),
        types::ProvisionPermissionSetRequest::builder()
            .target_type(types::ProvisionTargetType::AllProvisionedAccounts),
    )
    .send()
    .await
    .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.code(), Some("IIC.404"));
    assert_eq!(err.message(), "The permission set does not exist.");
    assert_eq!(err.request_id(), Some("hdr-404"));
}

// ---------------------------------------------------------------------------------------------------------
// Checks made before anything is sent
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn provision_without_instance_id_fails_before_sending_naming_the_field() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;

    let err: idprov_huaweicloud_identitycenter::Error = client(&server)
        .provision_permission_set()
        .permission_set_id(PERMISSION_SET)
        .body(account_target())
        .send()
        .await
        .unwrap_err();

    assert_refused_naming(&err, "instance_id");
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn provision_without_permission_set_id_fails_before_sending_naming_the_field() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;

    let err: idprov_huaweicloud_identitycenter::Error = client(&server)
        .provision_permission_set()
        .instance_id(INSTANCE)
        .body(account_target())
        .send()
        .await
        .unwrap_err();

    assert_refused_naming(&err, "permission_set_id");
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn provision_without_target_type_fails_before_sending_naming_the_field() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;
    let c = client(&server);

    let without_type: idprov_huaweicloud_identitycenter::Error = c
        .provision_permission_set()
        .instance_id(INSTANCE)
        .permission_set_id(PERMISSION_SET)
        .body(types::ProvisionPermissionSetRequest::builder().target_id(ACCOUNT.to_string()))
        .send()
        .await
        .unwrap_err();
    let without_body: idprov_huaweicloud_identitycenter::Error = c
        .provision_permission_set()
        .instance_id(INSTANCE)
        .permission_set_id(PERMISSION_SET)
        .send()
        .await
        .unwrap_err();

    for err in [without_type, without_body] {
        assert_refused_naming(&err, "target_type");
    }
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn get_status_without_request_id_or_instance_id_fails_before_sending_naming_the_field() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;
    let c = client(&server);

    let no_request: idprov_huaweicloud_identitycenter::Error = c
        .get_permission_set_provisioning_status()
        .instance_id(INSTANCE)
        .send()
        .await
        .unwrap_err();
    let no_instance: idprov_huaweicloud_identitycenter::Error = c
        .get_permission_set_provisioning_status()
        .request_id(REQUEST)
        .send()
        .await
        .unwrap_err();

    assert_refused_naming(&no_request, "request_id");
    assert_refused_naming(&no_instance, "instance_id");
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn list_statuses_without_instance_id_fails_before_sending_naming_the_field() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;

    let err: idprov_huaweicloud_identitycenter::Error = client(&server)
        .list_permission_set_provisioning_statuses()
        .send()
        .await
        .unwrap_err();

    assert_refused_naming(&err, "instance_id");
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn a_marker_longer_or_shorter_than_24_characters_fails_before_sending_naming_the_field() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;
    let c = client(&server);

    for marker in [format!("{MARKER}y"), MARKER[..23].to_string()] {
        let err: idprov_huaweicloud_identitycenter::Error = c
            .list_permission_set_provisioning_statuses()
            .instance_id(INSTANCE)
            .marker(marker.as_str())
            .send()
            .await
            .unwrap_err();
        assert_refused_naming(&err, "marker");
    }
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn a_zero_limit_fails_before_sending_naming_the_field() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;

    let err: idprov_huaweicloud_identitycenter::Error = client(&server)
        .list_permission_set_provisioning_statuses()
        .instance_id(INSTANCE)
        .limit(0u32)
        .send()
        .await
        .unwrap_err();

    assert_refused_naming(&err, "limit");
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn a_limit_over_100_fails_before_sending_naming_the_parameter() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;
    let c = client(&server);

    let raw: idprov_huaweicloud_identitycenter::Error = c
        .list_permission_set_provisioning_statuses()
        .instance_id(INSTANCE)
        .limit(NonZeroU32::new(101).unwrap())
        .send()
        .await
        .unwrap_err();
    let streamed = idprov_runtime::paginate::collect_all(
        c.provisioning_statuses(INSTANCE, NonZeroU32::new(101).unwrap()),
    )
    .await
    .unwrap_err();

    for err in [raw, streamed] {
        assert_eq!(err.kind(), ErrorKind::InvalidRequest);
        assert!(
            err.message().contains("limit") && err.message().contains("at most 100"),
            "{err}"
        );
    }
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn a_success_of_the_wrong_shape_is_a_decode_error_with_status_request_id_and_first_bytes() {
    let server = MockServer::start_async().await;
    let wrong = r#"{"permission_set_provisioning_status": "SUCCEEDED"}"#;
    server
        .mock_async(|when, then| {
            when.method(POST).path(provision_path());
            then.status(200)
                .header("content-type", "application/json")
                .header("x-request-id", "hdr-ok-but-odd")
                .body(wrong);
        })
        .await;

    let err: idprov_huaweicloud_identitycenter::Error = provision_to_account(&client(&server))
        .send()
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.status(), Some(200));
    assert_eq!(err.request_id(), Some("hdr-ok-but-odd"));
    assert_eq!(err.vendor(), Some("Huawei Cloud IAM Identity Center"));
    assert_eq!(err.operation_id(), Some("provision_permission_set"));
    assert!(
        err.message().contains("not of the documented shape"),
        "{err}"
    );
    assert_eq!(err.body_prefix(), Some(wrong));
}

#[tokio::test]
async fn a_path_parameter_with_reserved_characters_stays_one_encoded_segment_and_is_signed_as_sent()
{
    let server = MockServer::start_async().await;
    let (seen, respond) = recording(status_json());
    server
        .mock_async(|_when, then| {
            then.respond_with(respond);
        })
        .await;

    client(&server)
        .get_permission_set_provisioning_status()
        .instance_id(INSTANCE)
        .request_id("../a b/%?#")
        .send()
        .await
        .unwrap();

    let req = only(&seen);
    let raw_path = req.uri().path().to_string();
    assert_eq!(
        raw_path,
        format!(
            "/v1/instances/{INSTANCE}/permission-sets/provisioning-status/..%2Fa%20b%2F%25%3F%23"
        )
    );
    assert_signed(&req);
}

// ---------------------------------------------------------------------------------------------------------
// Path parameters that would address another resource, and ones that must arrive as one segment
// ---------------------------------------------------------------------------------------------------------

/// Values the URL parser would collapse into another path.
const DOT_SEGMENTS: [&str; 3] = ["", ".", ".."];
/// Values with characters a path reads specially (`\` is `/` to the URL parser).
const HOSTILE: [&str; 5] = ["..\\..\\x", "a/b", "50%", "a?b#c", "é"];

#[tokio::test]
async fn an_empty_dot_or_dot_dot_instance_or_request_id_is_refused_naming_it_with_nothing_sent() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;
    let c = client(&server);

    for value in DOT_SEGMENTS {
        let bad_instance: Vec<idprov_huaweicloud_identitycenter::Error> = vec![
            c.provision_permission_set()
                .instance_id(value)
                .permission_set_id(PERMISSION_SET)
                .body(account_target())
                .send()
                .await
                .unwrap_err(),
            c.get_permission_set_provisioning_status()
                .instance_id(value)
                .request_id(REQUEST)
                .send()
                .await
                .unwrap_err(),
            c.list_permission_set_provisioning_statuses()
                .instance_id(value)
                .send()
                .await
                .unwrap_err(),
        ];
        for err in &bad_instance {
            assert_refused_naming(err, "instance_id");
            assert!(err.operation_id().is_some(), "{err}");
        }
        let bad_request: idprov_huaweicloud_identitycenter::Error = c
            .get_permission_set_provisioning_status()
            .instance_id(INSTANCE)
            .request_id(value)
            .send()
            .await
            .unwrap_err();
        assert_refused_naming(&bad_request, "request_id");
        assert!(
            !bad_request.message().contains("instance_id"),
            "{bad_request}"
        );
    }
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn a_100_kb_request_id_is_an_invalid_request_naming_it_not_a_transport_error() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;

    let err: idprov_huaweicloud_identitycenter::Error = client(&server)
        .get_permission_set_provisioning_status()
        .instance_id(INSTANCE)
        .request_id("r".repeat(100_000))
        .send()
        .await
        .unwrap_err();

    assert_refused_naming(&err, "request_id");
    assert!(err.message().contains("2048"), "{err}");
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn instance_and_request_ids_with_reserved_characters_arrive_as_one_segment_each_and_signed_as_sent()
 {
    let server = MockServer::start_async().await;
    let (seen, respond) = recording(status_json());
    server
        .mock_async(|when, then| {
            when.any_request();
            then.respond_with(respond);
        })
        .await;
    let c = client(&server);

    for value in HOSTILE {
        c.get_permission_set_provisioning_status()
            .instance_id(value)
            .request_id(REQUEST)
            .send()
            .await
            .unwrap();
        c.get_permission_set_provisioning_status()
            .instance_id(INSTANCE)
            .request_id(value)
            .send()
            .await
            .unwrap();
    }

    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2 * HOSTILE.len(), "one request per call");
    for (pair, value) in seen.chunks(2).zip(HOSTILE) {
        assert_eq!(
            path_segments(&pair[0]),
            [
                "v1",
                "instances",
                value,
                "permission-sets",
                "provisioning-status",
                REQUEST
            ],
            "instance_id {value:?} was sent as {}",
            pair[0].uri()
        );
        assert_eq!(
            path_segments(&pair[1]),
            [
                "v1",
                "instances",
                INSTANCE,
                "permission-sets",
                "provisioning-status",
                value
            ],
            "request_id {value:?} was sent as {}",
            pair[1].uri()
        );
        for req in pair {
            assert_eq!(req.uri().query(), None, "{value:?}: {}", req.uri());
            assert_signed(req);
        }
    }
    assert_eq!(
        seen[0].uri().path(),
        format!("/v1/instances/..%5C..%5Cx/permission-sets/provisioning-status/{REQUEST}")
    );
}
