//! SailPoint ISC: the exact request each operation sends (method, path, query, headers, JSON body), the
//! decoding of its documented success example, the decoding of ISC's error bodies for every documented
//! error status, OAuth2 client credentials, and the checks made before anything is sent.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use httpmock::prelude::*;
use idprov_sailpoint_isc::{
    Client, ClientConfig, Credentials, ErrorKind, RetryPolicy, Secret, types,
};
use idprov_testkit::{assert_refused_naming, catch_all};
use serde_json::json;

const ACCOUNT_REQUEST: &str = "2d81808474683da6017468693c260196";
const SUBTYPE: &str = "6d28b7c1-620c-49c6-b6d5-cbf81eb4b5fa";
const OWNER: &str = "18104e7e499b4e23882d6323344ab6bc";
const CREATE_PATH: &str = "/account-requests/v1/machine-account-create";
const ACCESS_PATH: &str = "/source-subtypes/v1/machine-account-create-access";

fn client(server: &MockServer) -> Client {
    Client::with_config(
        ClientConfig::new(Credentials::AccessToken(Secret::new("tok")))
            .base_url(server.base_url())
            .retry(RetryPolicy::none()),
    )
    .unwrap()
}

fn get_path(id: &str) -> String {
    format!("{CREATE_PATH}/{id}")
}

/// The documented request body example of `create_machine_account_request`.
fn create_body_json() -> serde_json::Value {
    json!({
        "subtypeId": SUBTYPE,
        "formId": "f5dd23fe-3414-42b7-bb1c-869400ad7a10",
        "ownerIdentityId": OWNER,
        "machineIdentityId": "6d28b7c1-620c-49c6-b6d5-cbf81eb4b5fa",
        "environment": "Dev",
        "description": "Requesting machine account for tracking the inventory.",
        "userInput": {"target": "AD Source", "description": "Inventory tracking"},
        "entitlementIds": ["6d28b7c1620c49c6b6d5cbf81eb4b5fa", "2c91808a7624751a01762f19d67c220e"]
    })
}

/// The documented 200 example of `get_account_request`.
fn details_json() -> serde_json::Value {
    json!({
        "accountRequestId": "18104e7e499b4e23882d6323344ab6bc",
        "requestType": "CREATE_MACHINE_ACCOUNT",
        "createdAt": "2026-01-14T08:08:27.195Z",
        "completedAt": "2026-01-14T08:38:45.932Z",
        "overallStatus": "SUCCESS",
        "requester": {"type": "IDENTITY", "id": "85131bd73fdc423599e57f40b29f01fe", "name": "SailPoint Support"},
        "approvalRequestId": "90a7b947-578b-4285-98dc-5d5d01c7b736",
        "accountRequestPhases": [
            {
                "name": "APPROVAL_PHASE",
                "state": "APPROVED",
                "started": "2026-01-14T08:08:28.644090559Z",
                "finished": "2026-01-14T08:38:42.707043142Z"
            },
            {
                "name": "PROVISIONING_PHASE",
                "state": "PASSED",
                "started": "2026-01-14T08:38:42.785577841Z",
                "finished": "2026-01-14T08:38:45.932606296Z"
            }
        ],
        "errorDetails": null
    })
}

/// The documented 200 example of `list_machine_account_create_access`.
fn access_json() -> serde_json::Value {
    json!([{
        "sourceId": "1419fc28a8ed4a079f5c0cb5dfad6311",
        "sourceName": "Source name",
        "subtypes": [{
            "subtypeId": "d7ae9ea3-507f-4d00-9d4f-b4464b344b88",
            "entitlementId": "a03caa629a624cee90f94048252034cf",
            "subtypeDisplayName": "Subtype Display Name",
            "subtypeTechnicalName": "Subtype Technical Name"
        }]
    }])
}

fn ts(s: &str) -> chrono::DateTime<chrono::Utc> {
    s.parse().unwrap()
}

// ---------------------------------------------------------------------------------------------------------
// The exact requests, and the documented success examples
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn create_posts_the_documented_body_with_experimental_header_and_bearer_token_and_decodes_the_202()
 {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(CREATE_PATH)
                .query_param_count(".*", ".*", 0)
                .header("authorization", "Bearer tok")
                .header("x-sailpoint-experimental", "true")
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .header_missing("api-version")
                .json_body(create_body_json());
            then.status(202)
                .header("content-type", "application/json")
                .json_body(json!({"accountRequestId": ACCOUNT_REQUEST}));
        })
        .await;

    let user_input = json!({"target": "AD Source", "description": "Inventory tracking"});
    let answer = client(&server)
        .create_machine_account_request()
        .body(
            types::CreateMachineAccountRequest::builder()
                .subtype_id(SUBTYPE)
                .form_id("f5dd23fe-3414-42b7-bb1c-869400ad7a10".to_string())
                .owner_identity_id(OWNER)
                .machine_identity_id("6d28b7c1-620c-49c6-b6d5-cbf81eb4b5fa".to_string())
                .environment("Dev".to_string())
                .description("Requesting machine account for tracking the inventory.".to_string())
                .user_input(user_input.as_object().unwrap().clone())
                .entitlement_ids(vec![
                    "6d28b7c1620c49c6b6d5cbf81eb4b5fa".to_string(),
                    "2c91808a7624751a01762f19d67c220e".to_string(),
                ]),
        )
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(answer.status().as_u16(), 202);
    assert_eq!(answer.into_inner().account_request_id, ACCOUNT_REQUEST);
}

#[tokio::test]
async fn create_with_only_the_required_fields_sends_no_optional_keys() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(CREATE_PATH)
                .header("x-sailpoint-experimental", "true")
                // json_body matches the whole body: no null or empty optional field may be present.
                .json_body(json!({"subtypeId": SUBTYPE, "ownerIdentityId": OWNER}));
            then.status(202)
                .json_body(json!({"accountRequestId": ACCOUNT_REQUEST}));
        })
        .await;

    let answer = client(&server)
        .create_machine_account_request()
        .body(
            types::CreateMachineAccountRequest::builder()
                .subtype_id(SUBTYPE)
                .owner_identity_id(OWNER),
        )
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(answer.into_inner().account_request_id, ACCOUNT_REQUEST);
}

#[tokio::test]
async fn get_account_request_sends_the_id_in_the_path_and_decodes_the_documented_example() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(get_path(ACCOUNT_REQUEST))
                .query_param_count(".*", ".*", 0)
                .header("authorization", "Bearer tok")
                .header("x-sailpoint-experimental", "true")
                .header("accept", "application/json")
                .header_missing("content-type")
                .header_missing("api-version");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(details_json());
        })
        .await;

    let d = client(&server)
        .get_account_request()
        .account_request_id(ACCOUNT_REQUEST)
        .send()
        .await
        .unwrap()
        .into_inner();

    mock.assert_async().await;
    assert_eq!(
        d.account_request_id.as_deref(),
        Some("18104e7e499b4e23882d6323344ab6bc")
    );
    assert_eq!(d.request_type.as_deref(), Some("CREATE_MACHINE_ACCOUNT"));
    assert_eq!(d.overall_status.as_deref(), Some("SUCCESS"));
    assert_eq!(d.created_at, Some(ts("2026-01-14T08:08:27.195Z")));
    assert_eq!(d.completed_at, Some(ts("2026-01-14T08:38:45.932Z")));
    assert_eq!(
        d.approval_request_id.as_deref(),
        Some("90a7b947-578b-4285-98dc-5d5d01c7b736")
    );
    assert_eq!(d.error_details, None);
    let requester = d.requester.unwrap();
    assert_eq!(requester.type_, Some(types::DtoType::Identity));
    assert_eq!(
        requester.id.as_deref(),
        Some("85131bd73fdc423599e57f40b29f01fe")
    );
    assert_eq!(requester.name.as_deref(), Some("SailPoint Support"));
    let phases = &d.account_request_phases;
    assert_eq!(phases.len(), 2);
    assert_eq!(
        phases[0].name,
        Some(types::AccountRequestPhaseType::ApprovalPhase)
    );
    assert_eq!(
        phases[0].state,
        Some(types::AccountRequestPhaseState::Approved)
    );
    assert_eq!(
        phases[1].name,
        Some(types::AccountRequestPhaseType::ProvisioningPhase)
    );
    assert_eq!(
        phases[1].state,
        Some(types::AccountRequestPhaseState::Passed)
    );
    // Nanosecond timestamps survive.
    assert_eq!(
        phases[1].finished,
        Some(ts("2026-01-14T08:38:45.932606296Z"))
    );
    assert_eq!(
        phases[0].started,
        Some(ts("2026-01-14T08:08:28.644090559Z"))
    );
}

#[tokio::test]
async fn list_create_access_sends_offset_and_limit_and_decodes_the_documented_array() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(ACCESS_PATH)
                .query_param("offset", "0")
                .query_param("limit", "250")
                .query_param_count(".*", ".*", 2)
                .header("authorization", "Bearer tok")
                .header("x-sailpoint-experimental", "true")
                .header("accept", "application/json")
                .header_missing("api-version");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(access_json());
        })
        .await;

    let list = client(&server)
        .list_machine_account_create_access()
        .offset(0)
        .limit(250)
        .send()
        .await
        .unwrap()
        .into_inner();

    mock.assert_async().await;
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0].source_id.as_deref(),
        Some("1419fc28a8ed4a079f5c0cb5dfad6311")
    );
    assert_eq!(list[0].source_name.as_deref(), Some("Source name"));
    let subtype = &list[0].subtypes[0];
    assert_eq!(
        subtype.subtype_id.as_deref(),
        Some("d7ae9ea3-507f-4d00-9d4f-b4464b344b88")
    );
    assert_eq!(
        subtype.entitlement_id.as_deref(),
        Some("a03caa629a624cee90f94048252034cf")
    );
    assert_eq!(
        subtype.subtype_display_name.as_deref(),
        Some("Subtype Display Name")
    );
    assert_eq!(
        subtype.subtype_technical_name.as_deref(),
        Some("Subtype Technical Name")
    );
}

#[tokio::test]
async fn list_create_access_without_offset_or_limit_sends_no_query() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(ACCESS_PATH)
                .query_param_count(".*", ".*", 0)
                .header("x-sailpoint-experimental", "true");
            then.status(200).json_body(json!([]));
        })
        .await;

    let list = client(&server)
        .list_machine_account_create_access()
        .send()
        .await
        .unwrap()
        .into_inner();

    mock.assert_async().await;
    assert!(list.is_empty());
}

#[tokio::test]
async fn client_credentials_post_a_form_to_the_token_url_and_every_call_carries_the_cached_token() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .header("content-type", "application/x-www-form-urlencoded")
                .form_urlencoded_tuple("grant_type", "client_credentials")
                .form_urlencoded_tuple("client_id", "my-client")
                .form_urlencoded_tuple("client_secret", "s3cr3t value&=")
                .form_urlencoded_tuple_missing("scope");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"access_token": "fetched-jwt", "token_type": "bearer", "expires_in": 749}));
        })
        .await;
    let api = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(get_path(ACCOUNT_REQUEST))
                .header("authorization", "Bearer fetched-jwt")
                .header("x-sailpoint-experimental", "true");
            then.status(200).json_body(details_json());
        })
        .await;

    let client = Client::with_config(
        ClientConfig::new(Credentials::ClientCredentials(
            idprov_runtime::ClientCredentials {
                token_url: format!("{}/oauth/token", server.base_url())
                    .parse()
                    .unwrap(),
                client_id: "my-client".to_string(),
                client_secret: Secret::new("s3cr3t value&="),
                scope: None,
            },
        ))
        .base_url(server.base_url())
        .retry(RetryPolicy::none()),
    )
    .unwrap();

    for _ in 0..2 {
        let d = client
            .get_account_request()
            .account_request_id(ACCOUNT_REQUEST)
            .send()
            .await
            .unwrap()
            .into_inner();
        assert_eq!(d.overall_status.as_deref(), Some("SUCCESS"));
    }

    token.assert_calls_async(1).await;
    api.assert_calls_async(2).await;
}

// ---------------------------------------------------------------------------------------------------------
// Every documented error status
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn create_error_400_carries_detail_code_messages_causes_and_tracking_id() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(CREATE_PATH);
            then.status(400).header("content-type", "application/json").json_body(json!({
                "detailCode": "400.1 Bad Request Content",
                "trackingId": "e7eab60924f64aa284175b9fa3309599",
                "messages": [
                    {
                        "locale": "en-US",
                        "localeOrigin": "DEFAULT",
                        "text": "The request was syntactically correct but its content is semantically invalid."
                    },
                    {"locale": "de-DE", "localeOrigin": "REQUEST", "text": "Der Inhalt der Anfrage ist ungültig."}
                ],
                "causes": [{"locale": null, "localeOrigin": null, "text": "subtypeId is not a machine subtype"}]
            }));
        })
        .await;

    let err: idprov_sailpoint_isc::Error = client(&server)
        .create_machine_account_request()
        .body(
            types::CreateMachineAccountRequest::builder()
                .subtype_id(SUBTYPE)
                .owner_identity_id(OWNER),
        )
        .send()
        .await
        .unwrap_err();

    mock.assert_async().await;
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.vendor(), Some("SailPoint ISC"));
    assert_eq!(err.operation_id(), Some("create_machine_account_request"));
    assert_eq!(err.code(), Some("400.1 Bad Request Content"));
    assert_eq!(
        err.message(),
        "The request was syntactically correct but its content is semantically invalid."
    );
    assert_eq!(
        err.details(),
        [
            "Der Inhalt der Anfrage ist ungültig.",
            "cause: subtypeId is not a machine subtype"
        ]
    );
    assert_eq!(err.request_id(), Some("e7eab60924f64aa284175b9fa3309599"));
    assert!(!err.is_retryable());
    let body: types::ErrorResponseDto = err.body_as().unwrap();
    assert_eq!(
        body.detail_code.as_deref(),
        Some("400.1 Bad Request Content")
    );
    assert_eq!(
        body.tracking_id.as_deref(),
        Some("e7eab60924f64aa284175b9fa3309599")
    );
    assert_eq!(
        body.messages[1].locale_origin,
        Some(types::LocaleOrigin(Some(types::LocaleOriginInner::Request)))
    );
    assert_eq!(body.causes[0].locale, None);
    let shown = err.to_string();
    assert!(
        shown.contains("(HTTP 400)") && shown.contains("[400.1 Bad Request Content]"),
        "{shown}"
    );
}

#[tokio::test]
async fn get_error_401_reads_the_error_field_and_is_not_retried_with_a_fixed_token() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(get_path(ACCOUNT_REQUEST));
            then.status(401)
                .header("content-type", "application/json")
                .json_body(json!({"error": "JWT validation failed: JWT is expired"}));
        })
        .await;

    let err: idprov_sailpoint_isc::Error = client(&server)
        .get_account_request()
        .account_request_id(ACCOUNT_REQUEST)
        .send()
        .await
        .unwrap_err();

    mock.assert_calls_async(1).await;
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.operation_id(), Some("get_account_request"));
    assert_eq!(err.message(), "JWT validation failed: JWT is expired");
    assert_eq!(err.code(), None);
    assert_eq!(err.request_id(), None);
    assert!(!err.is_retryable());
    let body: types::UnauthorizedErrorResponse = err.body_as().unwrap();
    assert_eq!(
        body.error,
        Some(json!("JWT validation failed: JWT is expired"))
    );
}

#[tokio::test]
async fn list_error_403_carries_detail_code_message_and_tracking_id() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(ACCESS_PATH);
            then.status(403)
                .header("content-type", "application/json")
                .json_body(json!({
                    "detailCode": "403 Forbidden",
                    "trackingId": "b21b1f7ce4da4d639f2c62a57171b427",
                    "messages": [{
                        "locale": "en-US",
                        "localeOrigin": "DEFAULT",
                        "text": "The server understood the request but refuses to authorize it."
                    }]
                }));
        })
        .await;

    let err: idprov_sailpoint_isc::Error = client(&server)
        .list_machine_account_create_access()
        .send()
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Forbidden);
    assert_eq!(err.status(), Some(403));
    assert_eq!(
        err.operation_id(),
        Some("list_machine_account_create_access")
    );
    assert_eq!(err.code(), Some("403 Forbidden"));
    assert_eq!(
        err.message(),
        "The server understood the request but refuses to authorize it."
    );
    assert!(err.details().is_empty());
    assert_eq!(err.request_id(), Some("b21b1f7ce4da4d639f2c62a57171b427"));
    let body: types::ErrorResponseDto = err.body_as().unwrap();
    assert_eq!(body.messages.len(), 1);
}

#[tokio::test]
async fn get_error_404_carries_detail_code_message_and_tracking_id() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(get_path("missing-request"));
            then.status(404).header("content-type", "application/json").json_body(json!({
                "detailCode": "404 Not found",
                "trackingId": "b21b1f7ce4da4d639f2c62a57171b427",
                "messages": [{
                    "locale": "en-US",
                    "localeOrigin": "DEFAULT",
                    "text": "The server did not find a current representation for the target resource."
                }]
            }));
        })
        .await;

    let err: idprov_sailpoint_isc::Error = client(&server)
        .get_account_request()
        .account_request_id("missing-request")
        .send()
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), Some("404 Not found"));
    assert_eq!(
        err.message(),
        "The server did not find a current representation for the target resource."
    );
    assert_eq!(err.request_id(), Some("b21b1f7ce4da4d639f2c62a57171b427"));
    assert!(!err.is_retryable());
    let body: types::ErrorResponseDto = err.body_as().unwrap();
    assert_eq!(body.detail_code.as_deref(), Some("404 Not found"));
}

#[tokio::test]
async fn create_error_429_reads_the_message_and_retry_after() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(CREATE_PATH);
            then.status(429)
                .header("content-type", "application/json")
                .header("retry-after", "7")
                .json_body(json!({"message": " Rate Limit Exceeded "}));
        })
        .await;

    let err: idprov_sailpoint_isc::Error = client(&server)
        .create_machine_account_request()
        .body(
            types::CreateMachineAccountRequest::builder()
                .subtype_id(SUBTYPE)
                .owner_identity_id(OWNER),
        )
        .send()
        .await
        .unwrap_err();

    mock.assert_calls_async(1).await;
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.message(), "Rate Limit Exceeded");
    assert_eq!(err.code(), None);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    assert!(err.is_retryable());
    let body: types::TooManyRequestsErrorResponse = err.body_as().unwrap();
    assert_eq!(body.message, Some(json!(" Rate Limit Exceeded ")));
}

#[tokio::test]
async fn list_error_500_carries_detail_code_message_and_tracking_id() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(ACCESS_PATH);
            then.status(500).header("content-type", "application/json").json_body(json!({
                "detailCode": "500.0 Internal Fault",
                "trackingId": "b21b1f7ce4da4d639f2c62a57171b427",
                "messages": [{"locale": "en-US", "localeOrigin": "DEFAULT", "text": "An internal fault occurred."}]
            }));
        })
        .await;

    let err: idprov_sailpoint_isc::Error = client(&server)
        .list_machine_account_create_access()
        .offset(0)
        .limit(10)
        .send()
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(err.status(), Some(500));
    assert_eq!(err.code(), Some("500.0 Internal Fault"));
    assert_eq!(err.message(), "An internal fault occurred.");
    assert_eq!(err.request_id(), Some("b21b1f7ce4da4d639f2c62a57171b427"));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn every_operation_reads_the_isc_error_body_and_names_itself() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(404).json_body(json!({
                "detailCode": "404 Not found",
                "trackingId": "t-1",
                "messages": [{"locale": "en-US", "localeOrigin": "DEFAULT", "text": "nothing here"}]
            }));
        })
        .await;
    let c = client(&server);

    let create: idprov_sailpoint_isc::Error = c
        .create_machine_account_request()
        .body(
            types::CreateMachineAccountRequest::builder()
                .subtype_id(SUBTYPE)
                .owner_identity_id(OWNER),
        )
        .send()
        .await
        .unwrap_err();
    let get: idprov_sailpoint_isc::Error = c
        .get_account_request()
        .account_request_id("x")
        .send()
        .await
        .unwrap_err();
    let list: idprov_sailpoint_isc::Error = c
        .list_machine_account_create_access()
        .send()
        .await
        .unwrap_err();

    for (err, op) in [
        (create, "create_machine_account_request"),
        (get, "get_account_request"),
        (list, "list_machine_account_create_access"),
    ] {
        assert_eq!(err.operation_id(), Some(op));
        assert_eq!(err.kind(), ErrorKind::NotFound, "{op}");
        assert_eq!(err.code(), Some("404 Not found"), "{op}");
        assert_eq!(err.message(), "nothing here", "{op}");
        assert_eq!(err.request_id(), Some("t-1"), "{op}");
    }
}

// ---------------------------------------------------------------------------------------------------------
// Checks made before anything is sent
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn create_without_subtype_id_fails_before_sending_naming_the_field() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 202).await;

    let err: idprov_sailpoint_isc::Error = client(&server)
        .create_machine_account_request()
        .body(types::CreateMachineAccountRequest::builder().owner_identity_id(OWNER))
        .send()
        .await
        .unwrap_err();

    assert_refused_naming(&err, "subtype_id");
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn create_without_owner_identity_id_fails_before_sending_naming_the_field() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 202).await;

    let err: idprov_sailpoint_isc::Error = client(&server)
        .create_machine_account_request()
        .body(types::CreateMachineAccountRequest::builder().subtype_id(SUBTYPE))
        .send()
        .await
        .unwrap_err();

    assert_refused_naming(&err, "owner_identity_id");
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn create_without_a_body_fails_before_sending_naming_a_required_field() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 202).await;

    let err: idprov_sailpoint_isc::Error = client(&server)
        .create_machine_account_request()
        .send()
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert!(
        err.message().contains("owner_identity_id") || err.message().contains("subtype_id"),
        "{err}"
    );
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn get_without_account_request_id_fails_before_sending_naming_the_field() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 202).await;

    let err: idprov_sailpoint_isc::Error = client(&server)
        .get_account_request()
        .send()
        .await
        .unwrap_err();

    assert_refused_naming(&err, "account_request_id");
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn create_access_stream_refuses_a_page_size_over_250_before_sending_naming_it() {
    use futures::StreamExt;
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 202).await;
    let c = client(&server);

    let over = std::num::NonZeroU32::new(251).unwrap();
    let mut stream = std::pin::pin!(c.machine_account_create_access(over));
    let err = stream.next().await.unwrap().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert!(
        err.message().contains("page_size") && err.message().contains("250"),
        "{err}"
    );
    assert!(
        stream.next().await.is_none(),
        "the stream ends after the refusal"
    );
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn list_create_access_refuses_a_limit_outside_0_to_250_before_sending_naming_the_parameter() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 202).await;
    let c = client(&server);

    for (limit, bound) in [(251, "at most 250"), (-1, "at least 0")] {
        let err: idprov_sailpoint_isc::Error = c
            .list_machine_account_create_access()
            .offset(0)
            .limit(limit)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest);
        assert!(
            err.message().contains("limit") && err.message().contains(bound),
            "{err}"
        );
        assert_eq!(
            err.operation_id(),
            Some("list_machine_account_create_access")
        );
    }
    assert_eq!(mock.calls_async().await, 0);
}
