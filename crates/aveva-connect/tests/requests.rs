//! AVEVA CONNECT automation identities: the exact request each operation sends, the decoding of its
//! documented answers, and the decoding of AVEVA's `ErrorResponse` for every documented error status.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use httpmock::Method::HEAD;
use httpmock::prelude::*;
use idprov_aveva_connect::{
    Client, ClientConfig, Credentials, ErrorKind, RetryPolicy, Secret, types,
};
use idprov_testkit::{assert_refused_naming, catch_all, path_segments};
use serde_json::json;
use std::sync::{Arc, Mutex};

const TENANT: &str = "6f1c7d2a-3b4e-4f5a-8b9c-0d1e2f3a4b5c";
const IDENTITY: &str = "2d9e5c3b-7a61-4f08-9e4d-1c2b3a4d5e6f";
const ROLE_A: &str = "11111111-2222-4333-8444-555555555555";
const ROLE_B: &str = "66666666-7777-4888-8999-aaaaaaaaaaaa";
/// The ids in the docs' examples.
const ZERO: &str = "00000000-0000-0000-0000-000000000000";
const TOKEN: &str = "aveva_test_token";

fn client(server: &MockServer) -> Client {
    Client::with_config(
        ClientConfig::new(Credentials::AccessToken(Secret::new(TOKEN)))
            .base_url(server.base_url())
            .retry(RetryPolicy::none()),
    )
    .unwrap()
}

fn collection_path() -> String {
    format!("/api/v1/Tenants/{TENANT}/AutomationIdentities")
}

fn item_path() -> String {
    format!("/api/v1/Tenants/{TENANT}/AutomationIdentities/{IDENTITY}")
}

/// The docs' example `AutomationIdentity` (spec `AutomationIdentity.example`).
fn documented_identity() -> serde_json::Value {
    json!({
        "Id": ZERO,
        "Name": "Name",
        "TenantId": ZERO,
        "RoleIds": [ZERO, ZERO],
        "RoleTypeIds": [ZERO, ZERO],
        "Tags": ["String", "String"]
    })
}

fn assert_is_the_documented_identity(a: &types::AutomationIdentity) {
    let zero = uuid::Uuid::nil();
    assert_eq!(a.id, Some(zero));
    assert_eq!(a.name.as_deref(), Some("Name"));
    assert_eq!(a.tenant_id, Some(zero));
    assert_eq!(
        a.role_ids.as_deref(),
        Some(&[ZERO.to_string(), ZERO.to_string()][..])
    );
    assert_eq!(
        a.role_type_ids.as_deref(),
        Some(&[ZERO.to_string(), ZERO.to_string()][..])
    );
    assert_eq!(
        a.tags.as_deref(),
        Some(&["String".to_string(), "String".to_string()][..])
    );
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

// ---------------------------------------------------------------------------------------------------------
// The exact request of each operation, and its documented success answer.

#[tokio::test]
async fn list_sends_skip_count_and_one_tag_parameter_per_tag_and_decodes_the_bare_array() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(collection_path())
                .query_param("skip", "10")
                .query_param("count", "50")
                .query_param("tag", "prod")
                .query_param("tag", "ops team")
                .query_param_count("^tag$", ".*", 2)
                .query_param_missing("query")
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("accept", "application/json")
                .header_missing("api-version")
                .is_true(|req: &HttpMockRequest| {
                    req.uri().query() == Some("count=50&skip=10&tag=prod&tag=ops+team")
                });
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!([documented_identity()]));
        })
        .await;

    let answer = client(&server)
        .list_automation_identities()
        .tenant_id(TENANT)
        .skip(10)
        .count(50)
        .tag(strings(&["prod", "ops team"]))
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(answer.status(), 200);
    let list = answer.into_inner();
    assert_eq!(list.len(), 1);
    assert_is_the_documented_identity(&list[0]);
}

#[tokio::test]
async fn list_without_options_sends_no_query_and_decodes_an_empty_array() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(collection_path())
                .is_true(|req: &HttpMockRequest| req.uri().query().is_none());
            then.status(200)
                .header("content-type", "application/json")
                .body("[]");
        })
        .await;

    let list = client(&server)
        .list_automation_identities()
        .tenant_id(TENANT)
        .send()
        .await
        .unwrap()
        .into_inner();

    mock.assert_async().await;
    assert!(list.is_empty());
}

#[tokio::test]
async fn an_identity_whose_nullable_fields_are_null_decodes() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(collection_path());
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!([{
                    "Id": IDENTITY,
                    "Name": null,
                    "TenantId": TENANT,
                    "RoleIds": null,
                    "RoleTypeIds": null,
                    "Tags": null
                }]));
        })
        .await;

    let list = client(&server)
        .list_automation_identities()
        .tenant_id(TENANT)
        .send()
        .await
        .unwrap()
        .into_inner();

    assert_eq!(list[0].id.map(|x| x.to_string()).as_deref(), Some(IDENTITY));
    assert_eq!(list[0].name, None);
    assert_eq!(list[0].tags, None);
}

#[tokio::test]
async fn count_sends_head_with_tags_and_reads_total_count_from_the_headers() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(HEAD)
                .path(collection_path())
                .query_param("tag", "prod")
                .query_param("tag", "ops")
                .query_param_count("^tag$", ".*", 2)
                .query_param_count(".*", ".*", 2)
                .header("authorization", format!("Bearer {TOKEN}"))
                .header_missing("api-version");
            then.status(200).header("Total-Count", "2");
        })
        .await;

    let answer = client(&server)
        .count_automation_identities()
        .tenant_id(TENANT)
        .tag(strings(&["prod", "ops"]))
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(answer.status(), 200);
    let total: u64 = answer.headers()["total-count"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(total, 2);
}

#[tokio::test]
async fn count_without_tags_sends_no_query() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(HEAD)
                .path(collection_path())
                .is_true(|req: &HttpMockRequest| req.uri().query().is_none());
            then.status(200).header("Total-Count", "0");
        })
        .await;

    let answer = client(&server)
        .count_automation_identities()
        .tenant_id(TENANT)
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(answer.headers()["total-count"], "0");
}

#[tokio::test]
async fn create_posts_the_documented_body_and_decodes_the_201_answer() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(collection_path())
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .header_missing("api-version")
                .json_body(json!({
                    "Name": "Name",
                    "RoleIds": [ZERO, ZERO],
                    "Tags": ["String", "String"]
                }));
            then.status(201)
                .header("content-type", "application/json")
                .json_body(documented_identity());
        })
        .await;

    let answer = client(&server)
        .create_automation_identity()
        .tenant_id(TENANT)
        .body(
            types::CreateAutomationIdentityRequest::builder()
                .name("Name".to_string())
                .role_ids(strings(&[ZERO, ZERO]))
                .tags(strings(&["String", "String"])),
        )
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(answer.status(), 201);
    assert_is_the_documented_identity(&answer.into_inner());
}

#[tokio::test]
async fn create_sends_only_the_properties_that_were_set() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(collection_path())
                .json_body(json!({"Name": "nightly-export", "RoleIds": [ROLE_A]}));
            then.status(201)
                .header("content-type", "application/json")
                .json_body(json!({"Id": IDENTITY, "Name": "nightly-export", "TenantId": TENANT, "RoleIds": [ROLE_A]}));
        })
        .await;

    let created = client(&server)
        .create_automation_identity()
        .tenant_id(TENANT)
        .body(
            types::CreateAutomationIdentityRequest::builder()
                .name("nightly-export".to_string())
                .role_ids(strings(&[ROLE_A])),
        )
        .send()
        .await
        .unwrap()
        .into_inner();

    mock.assert_async().await;
    assert_eq!(created.id.map(|x| x.to_string()).as_deref(), Some(IDENTITY));
    assert_eq!(created.tags, None);
}

#[tokio::test]
async fn get_sends_the_documented_request_and_decodes_the_identity() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(item_path())
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("accept", "application/json")
                .header_missing("api-version")
                .is_true(|req: &HttpMockRequest| req.uri().query().is_none());
            then.status(200)
                .header("content-type", "application/json")
                .json_body(documented_identity());
        })
        .await;

    let answer = client(&server)
        .get_automation_identity()
        .tenant_id(TENANT)
        .automation_identity_id(IDENTITY.parse::<uuid::Uuid>().unwrap())
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_is_the_documented_identity(&answer.into_inner());
}

#[tokio::test]
async fn check_sends_head_to_the_identity_and_succeeds_with_no_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(HEAD)
                .path(item_path())
                .header("authorization", format!("Bearer {TOKEN}"))
                .header_missing("api-version");
            then.status(200);
        })
        .await;

    let answer = client(&server)
        .check_automation_identity()
        .tenant_id(TENANT)
        .automation_identity_id(IDENTITY.parse::<uuid::Uuid>().unwrap())
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(answer.status(), 200);
}

#[tokio::test]
async fn update_puts_the_documented_body_and_decodes_the_updated_identity() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path(item_path())
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .header_missing("api-version")
                .json_body(json!({"Name": "Name", "RoleIds": [ZERO], "Tags": ["String"]}));
            then.status(200)
                .header("content-type", "application/json")
                .json_body(documented_identity());
        })
        .await;

    let answer = client(&server)
        .update_automation_identity()
        .tenant_id(TENANT)
        .automation_identity_id(IDENTITY.parse::<uuid::Uuid>().unwrap())
        .body(
            types::UpdateAutomationIdentityRequest::builder()
                .name("Name".to_string())
                .role_ids(strings(&[ZERO]))
                .tags(strings(&["String"])),
        )
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(answer.status(), 200);
    assert_is_the_documented_identity(&answer.into_inner());
}

#[tokio::test]
async fn update_of_one_property_sends_only_that_property_so_the_others_stay_unchanged() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path(item_path())
                .json_body(json!({"RoleIds": [ROLE_A, ROLE_B]}));
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"Id": IDENTITY, "Name": "kept", "RoleIds": [ROLE_A, ROLE_B]}));
        })
        .await;

    let updated = client(&server)
        .update_automation_identity()
        .tenant_id(TENANT)
        .automation_identity_id(IDENTITY.parse::<uuid::Uuid>().unwrap())
        .body(
            types::UpdateAutomationIdentityRequest::builder().role_ids(strings(&[ROLE_A, ROLE_B])),
        )
        .send()
        .await
        .unwrap()
        .into_inner();

    mock.assert_async().await;
    assert_eq!(updated.name.as_deref(), Some("kept"));
}

#[tokio::test]
async fn delete_sends_delete_to_the_identity_and_accepts_204() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path(item_path())
                .header("authorization", format!("Bearer {TOKEN}"))
                .header_missing("api-version")
                .header_missing("content-type");
            then.status(204);
        })
        .await;

    let answer = client(&server)
        .delete_automation_identity()
        .tenant_id(TENANT)
        .automation_identity_id(IDENTITY.parse::<uuid::Uuid>().unwrap())
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(answer.status(), 204);
}

// ---------------------------------------------------------------------------------------------------------
// Every documented error status of every operation, read from AVEVA's `ErrorResponse`.

#[derive(Clone, Copy, Debug)]
enum Op {
    List,
    Count,
    Create,
    Get,
    Check,
    Update,
    Delete,
}

impl Op {
    fn operation_id(self) -> &'static str {
        match self {
            Op::List => "list_automation_identities",
            Op::Count => "count_automation_identities",
            Op::Create => "create_automation_identity",
            Op::Get => "get_automation_identity",
            Op::Check => "check_automation_identity",
            Op::Update => "update_automation_identity",
            Op::Delete => "delete_automation_identity",
        }
    }

    fn method(self) -> httpmock::Method {
        match self {
            Op::List | Op::Get => GET,
            Op::Count | Op::Check => HEAD,
            Op::Create => POST,
            Op::Update => PUT,
            Op::Delete => DELETE,
        }
    }

    fn path(self) -> String {
        match self {
            Op::List | Op::Count | Op::Create => collection_path(),
            Op::Get | Op::Check | Op::Update | Op::Delete => item_path(),
        }
    }

    /// The error statuses the spec documents for this operation.
    fn documented_error_statuses(self) -> &'static [u16] {
        match self {
            Op::List | Op::Count | Op::Get | Op::Check => &[401, 403, 404, 500],
            Op::Create => &[400, 401, 403, 404, 405, 408, 409, 500],
            Op::Update => &[400, 401, 403, 404, 405, 408, 500],
            Op::Delete => &[401, 403, 404, 405, 408, 500],
        }
    }

    /// HEAD answers carry no body, so their errors have none either.
    fn error_has_body(self) -> bool {
        !matches!(self, Op::Count | Op::Check)
    }

    /// Sends a valid request of this operation.
    async fn send(self, client: &Client) -> Result<(), idprov_aveva_connect::Error> {
        let id = IDENTITY.parse::<uuid::Uuid>().unwrap();
        match self {
            Op::List => client
                .list_automation_identities()
                .tenant_id(TENANT)
                .send()
                .await
                .map(drop),
            Op::Count => client
                .count_automation_identities()
                .tenant_id(TENANT)
                .send()
                .await
                .map(drop),
            Op::Create => client
                .create_automation_identity()
                .tenant_id(TENANT)
                .body(types::CreateAutomationIdentityRequest::builder().name("x".to_string()))
                .send()
                .await
                .map(drop),
            Op::Get => client
                .get_automation_identity()
                .tenant_id(TENANT)
                .automation_identity_id(id)
                .send()
                .await
                .map(drop),
            Op::Check => client
                .check_automation_identity()
                .tenant_id(TENANT)
                .automation_identity_id(id)
                .send()
                .await
                .map(drop),
            Op::Update => client
                .update_automation_identity()
                .tenant_id(TENANT)
                .automation_identity_id(id)
                .body(types::UpdateAutomationIdentityRequest::builder().name("x".to_string()))
                .send()
                .await
                .map(drop),
            Op::Delete => client
                .delete_automation_identity()
                .tenant_id(TENANT)
                .automation_identity_id(id)
                .send()
                .await
                .map(drop),
        }
    }
}

/// What a program can match on for each documented status.
fn expected_kind(status: u16) -> ErrorKind {
    match status {
        400 => ErrorKind::Validation,
        401 => ErrorKind::Auth,
        403 => ErrorKind::Forbidden,
        404 => ErrorKind::NotFound,
        405 | 408 => ErrorKind::Client,
        409 => ErrorKind::Conflict,
        500 => ErrorKind::Server,
        other => panic!("no documented status {other}"),
    }
}

/// The vendor's `Error` text for each documented status (from the docs' descriptions).
fn vendor_error_text(status: u16) -> &'static str {
    match status {
        400 => "Missing or invalid inputs.",
        401 => "Unauthorized.",
        403 => "A non-administrator caller must have all roles being assigned.",
        404 => "Automation identity or tenant not found.",
        405 => "Method not allowed at this base URL.",
        408 => "Operation timed out.",
        409 => "Already exists.",
        500 => "Internal server error.",
        other => panic!("no documented status {other}"),
    }
}

fn reason_phrase(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status)
        .unwrap()
        .canonical_reason()
        .unwrap()
}

/// For each documented error status of `op`: one request, one error carrying the status, AVEVA's `Error`,
/// `Reason` and `Resolution`, the `OperationId` as request id, and the typed `ErrorResponse`.
async fn assert_every_documented_error_is_read(op: Op) {
    for &status in op.documented_error_statuses() {
        let ctx = format!("{op:?} {status}");
        let server = MockServer::start_async().await;
        let operation_id = format!("1b2af18e-8b27-4f86-93e0-6caa3e5{status:05}");
        let body = json!({
            "OperationId": operation_id,
            "Error": vendor_error_text(status),
            "Reason": format!("Reason that caused error {status}."),
            "Resolution": "Possible solution for the error.",
            "DynamicProperties": {"TenantId": TENANT},
            "Region": "uswe"
        });
        let mock = server
            .mock_async(|when, then| {
                when.method(op.method())
                    .path(op.path())
                    .header("authorization", format!("Bearer {TOKEN}"));
                let then = then.status(status);
                if op.error_has_body() {
                    then.header("content-type", "application/json")
                        .json_body(body.clone());
                }
            })
            .await;

        let err = op.send(&client(&server)).await.expect_err(&ctx);

        mock.assert_async().await;
        assert_eq!(err.kind(), expected_kind(status), "{ctx}: {err}");
        assert_eq!(err.status(), Some(status), "{ctx}");
        assert_eq!(err.vendor(), Some("AVEVA CONNECT"), "{ctx}");
        assert_eq!(err.operation_id(), Some(op.operation_id()), "{ctx}");
        assert!(!err.is_retryable(), "{ctx}");
        assert!(
            err.to_string().contains(&format!("HTTP {status}")),
            "{ctx}: {err}"
        );
        // AVEVA has no machine-readable error code: its `Error` is a description, read as the message.
        assert_eq!(err.code(), None, "{ctx}");
        if op.error_has_body() {
            assert_eq!(err.message(), vendor_error_text(status), "{ctx}");
            assert_eq!(
                err.details(),
                [
                    format!("reason: Reason that caused error {status}."),
                    "resolution: Possible solution for the error.".to_string()
                ],
                "{ctx}"
            );
            assert_eq!(err.request_id(), Some(operation_id.as_str()), "{ctx}");
            assert!(err.to_string().contains(&operation_id), "{ctx}: {err}");
            let typed: types::ErrorResponse = err.body_as().expect(&ctx);
            assert_eq!(typed.operation_id, operation_id, "{ctx}");
            assert_eq!(typed.error, vendor_error_text(status), "{ctx}");
            assert_eq!(
                typed.reason,
                format!("Reason that caused error {status}."),
                "{ctx}"
            );
            assert_eq!(
                typed.resolution, "Possible solution for the error.",
                "{ctx}"
            );
            assert_eq!(
                typed.dynamic_properties.expect(&ctx)["TenantId"],
                TENANT,
                "{ctx}"
            );
            assert_eq!(typed.extra["Region"], "uswe", "{ctx}");
        } else {
            assert_eq!(err.message(), reason_phrase(status), "{ctx}");
            assert!(err.details().is_empty(), "{ctx}");
            assert_eq!(err.request_id(), None, "{ctx}");
            assert!(err.body().is_none(), "{ctx}");
            assert!(err.body_prefix().is_none(), "{ctx}");
        }
    }
}

#[tokio::test]
async fn list_errors_401_403_404_500_carry_the_error_response_and_operation_id() {
    assert_every_documented_error_is_read(Op::List).await;
}

#[tokio::test]
async fn count_errors_401_403_404_500_carry_the_status_without_a_body() {
    assert_every_documented_error_is_read(Op::Count).await;
}

#[tokio::test]
async fn create_errors_400_401_403_404_405_408_409_500_carry_the_error_response_and_operation_id() {
    assert_every_documented_error_is_read(Op::Create).await;
}

#[tokio::test]
async fn get_errors_401_403_404_500_carry_the_error_response_and_operation_id() {
    assert_every_documented_error_is_read(Op::Get).await;
}

#[tokio::test]
async fn check_errors_401_403_404_500_carry_the_status_without_a_body() {
    assert_every_documented_error_is_read(Op::Check).await;
}

#[tokio::test]
async fn update_errors_400_401_403_404_405_408_500_carry_the_error_response_and_operation_id() {
    assert_every_documented_error_is_read(Op::Update).await;
}

#[tokio::test]
async fn delete_errors_401_403_404_405_408_500_carry_the_error_response_and_operation_id() {
    assert_every_documented_error_is_read(Op::Delete).await;
}

#[tokio::test]
async fn a_401_with_an_empty_body_is_an_auth_error() {
    // The older docs say a 401 has no body.
    for op in [Op::List, Op::Create, Op::Get, Op::Update, Op::Delete] {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(op.method()).path(op.path());
                then.status(401).header("content-length", "0");
            })
            .await;

        let err = op.send(&client(&server)).await.unwrap_err();

        assert_eq!(err.kind(), ErrorKind::Auth, "{op:?}: {err}");
        assert_eq!(err.status(), Some(401), "{op:?}");
        assert_eq!(err.message(), "Unauthorized", "{op:?}");
        assert_eq!(err.request_id(), None, "{op:?}");
        assert!(err.body().is_none(), "{op:?}");
        assert!(err.body_prefix().is_none(), "{op:?}");
        assert_eq!(err.body_as::<types::ErrorResponse>(), None, "{op:?}");
    }
}

#[tokio::test]
async fn an_html_502_page_keeps_its_status_and_first_bytes() {
    let server = MockServer::start_async().await;
    let page = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>";
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(item_path());
            then.status(502)
                .header("content-type", "text/html")
                .body(page);
        })
        .await;

    let err = Op::Get.send(&client(&server)).await.unwrap_err();

    mock.assert_async().await;
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.body_prefix(), Some(page));
    assert!(err.body().is_none());
    assert_eq!(err.message(), "Bad Gateway");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_201_whose_body_is_an_html_page_is_a_decode_error_keeping_status_and_first_bytes() {
    let server = MockServer::start_async().await;
    let page = "<html><body>Signed out</body></html>";
    server
        .mock_async(|when, then| {
            when.method(POST).path(collection_path());
            then.status(201)
                .header("content-type", "text/html")
                .body(page);
        })
        .await;

    let err = Op::Create.send(&client(&server)).await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    assert_eq!(err.status(), Some(201));
    assert_eq!(err.body_prefix(), Some(page));
}

// ---------------------------------------------------------------------------------------------------------
// The checks the spec makes client-side: nothing is sent, and the message names the field.

#[tokio::test]
async fn a_missing_tenant_id_fails_before_anything_is_sent_naming_it() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;
    let c = client(&server);
    let id = IDENTITY.parse::<uuid::Uuid>().unwrap();

    let errors: Vec<idprov_aveva_connect::Error> = vec![
        c.list_automation_identities().send().await.unwrap_err(),
        c.count_automation_identities().send().await.unwrap_err(),
        c.create_automation_identity()
            .body(types::CreateAutomationIdentityRequest::builder().name("x".to_string()))
            .send()
            .await
            .unwrap_err(),
        c.get_automation_identity()
            .automation_identity_id(id)
            .send()
            .await
            .unwrap_err(),
        c.check_automation_identity()
            .automation_identity_id(id)
            .send()
            .await
            .unwrap_err(),
        c.update_automation_identity()
            .automation_identity_id(id)
            .send()
            .await
            .unwrap_err(),
        c.delete_automation_identity()
            .automation_identity_id(id)
            .send()
            .await
            .unwrap_err(),
    ];

    for err in &errors {
        assert_refused_naming(err, "tenant_id");
    }
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn a_missing_automation_identity_id_fails_before_anything_is_sent_naming_it() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;
    let c = client(&server);

    let errors: Vec<idprov_aveva_connect::Error> = vec![
        c.get_automation_identity()
            .tenant_id(TENANT)
            .send()
            .await
            .unwrap_err(),
        c.check_automation_identity()
            .tenant_id(TENANT)
            .send()
            .await
            .unwrap_err(),
        c.update_automation_identity()
            .tenant_id(TENANT)
            .send()
            .await
            .unwrap_err(),
        c.delete_automation_identity()
            .tenant_id(TENANT)
            .send()
            .await
            .unwrap_err(),
    ];

    for err in &errors {
        assert_refused_naming(err, "automation_identity_id");
    }
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn an_automation_identity_id_that_is_not_a_guid_fails_before_anything_is_sent_naming_it() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;

    let err: idprov_aveva_connect::Error = client(&server)
        .get_automation_identity()
        .tenant_id(TENANT)
        .automation_identity_id("not-a-guid")
        .send()
        .await
        .unwrap_err();

    assert_refused_naming(&err, "automation_identity_id");
    assert_eq!(mock.calls_async().await, 0);
}

// ---------------------------------------------------------------------------------------------------------
// Path parameters that would address another resource, and ones that must arrive as one segment.

/// Values the URL parser would collapse into another path (`Tenants//...`, `Tenants/.`, `Tenants/..`).
const DOT_SEGMENTS: [&str; 3] = ["", ".", ".."];
/// Values with characters a path reads specially (`\` is `/` to the URL parser), each to arrive as one
/// segment that decodes to itself.
const HOSTILE: [&str; 5] = ["..\\..\\x", "a/b", "50%", "a?b#c", "é"];

#[tokio::test]
async fn an_empty_dot_or_dot_dot_tenant_id_is_refused_by_every_operation_with_nothing_sent() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;
    let c = client(&server);
    let id = IDENTITY.parse::<uuid::Uuid>().unwrap();
    let long = "t".repeat(100_000);

    for tenant in DOT_SEGMENTS.iter().copied().chain([long.as_str()]) {
        let errors: Vec<idprov_aveva_connect::Error> = vec![
            c.list_automation_identities()
                .tenant_id(tenant)
                .send()
                .await
                .unwrap_err(),
            c.count_automation_identities()
                .tenant_id(tenant)
                .send()
                .await
                .unwrap_err(),
            c.create_automation_identity()
                .tenant_id(tenant)
                .body(types::CreateAutomationIdentityRequest::builder().name("x".to_string()))
                .send()
                .await
                .unwrap_err(),
            c.get_automation_identity()
                .tenant_id(tenant)
                .automation_identity_id(id)
                .send()
                .await
                .unwrap_err(),
            c.check_automation_identity()
                .tenant_id(tenant)
                .automation_identity_id(id)
                .send()
                .await
                .unwrap_err(),
            c.update_automation_identity()
                .tenant_id(tenant)
                .automation_identity_id(id)
                .send()
                .await
                .unwrap_err(),
            c.delete_automation_identity()
                .tenant_id(tenant)
                .automation_identity_id(id)
                .send()
                .await
                .unwrap_err(),
        ];
        assert_eq!(errors.len(), 7);
        for err in &errors {
            assert_refused_naming(err, "tenant_id");
            assert_eq!(err.vendor(), Some("AVEVA CONNECT"), "{err}");
            assert!(err.operation_id().is_some(), "{err}");
        }
    }
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn a_100_kb_tenant_id_is_an_invalid_request_naming_it_not_a_transport_error() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;

    let err = client(&server)
        .get_automation_identity()
        .tenant_id("t".repeat(100_000))
        .automation_identity_id(IDENTITY.parse::<uuid::Uuid>().unwrap())
        .send()
        .await
        .unwrap_err();

    assert_refused_naming(&err, "tenant_id");
    assert!(err.message().contains("2048"), "{err}");
    assert_eq!(err.operation_id(), Some("get_automation_identity"));
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn a_tenant_id_with_reserved_characters_arrives_as_one_segment_that_decodes_to_itself() {
    let server = MockServer::start_async().await;
    let seen: Arc<Mutex<Vec<HttpMockRequest>>> = Arc::default();
    let keep = seen.clone();
    server
        .mock_async(move |when, then| {
            when.any_request();
            then.respond_with(move |req: &HttpMockRequest| {
                keep.lock().unwrap().push(req.clone());
                HttpMockResponse::builder()
                    .status(200)
                    .header("content-type", "application/json")
                    .body(documented_identity().to_string())
                    .build()
            });
        })
        .await;
    let c = client(&server);

    for tenant in HOSTILE {
        c.get_automation_identity()
            .tenant_id(tenant)
            .automation_identity_id(IDENTITY.parse::<uuid::Uuid>().unwrap())
            .send()
            .await
            .unwrap();
    }

    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), HOSTILE.len(), "one request per value");
    for (req, tenant) in seen.iter().zip(HOSTILE) {
        assert_eq!(
            path_segments(req),
            [
                "api",
                "v1",
                "Tenants",
                tenant,
                "AutomationIdentities",
                IDENTITY
            ],
            "{tenant:?} was sent as {}",
            req.uri()
        );
        assert_eq!(req.uri().query(), None, "{tenant:?}: {}", req.uri());
    }
    assert_eq!(
        seen[0].uri().path(),
        format!("/api/v1/Tenants/..%5C..%5Cx/AutomationIdentities/{IDENTITY}")
    );
}

#[tokio::test]
async fn an_automation_identity_id_that_would_leave_its_segment_is_not_a_guid_and_nothing_is_sent()
{
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;
    let c = client(&server);

    for id in DOT_SEGMENTS.iter().chain(HOSTILE.iter()) {
        let errors: Vec<idprov_aveva_connect::Error> = vec![
            c.get_automation_identity()
                .tenant_id(TENANT)
                .automation_identity_id(*id)
                .send()
                .await
                .unwrap_err(),
            c.delete_automation_identity()
                .tenant_id(TENANT)
                .automation_identity_id(*id)
                .send()
                .await
                .unwrap_err(),
        ];
        for err in &errors {
            assert_refused_naming(err, "automation_identity_id");
        }
    }
    assert_eq!(mock.calls_async().await, 0);
}
