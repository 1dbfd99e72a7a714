//! Seam: the exact request each operation sends, the decoding of its documented answers, and the
//! decoding of Seam's error body for every documented error status.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use httpmock::prelude::*;
use idprov_seam::{Client, ClientConfig, Credentials, ErrorKind, RetryPolicy, Secret, types};
use idprov_testkit::{assert_refused_naming, catch_all};
use serde_json::json;

const USER: &str = "5c945ab5-c75e-4bcb-8e5f-9410061c401f";
const SYSTEM: &str = "6737e186-8d54-48ce-a7da-a0be4d252172";
const POOL: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const AUTOMATION: &str = "05505650-aa57-49ab-8f19-429738758895";
const WORKSPACE: &str = "398d80b7-3f96-47c2-b85a-6f8ba21d07be";

fn client(server: &MockServer) -> Client {
    Client::with_config(
        ClientConfig::new(Credentials::ApiKey(Secret::new("seam_test_key")))
            .base_url(server.base_url())
            .retry(RetryPolicy::none()),
    )
    .unwrap()
}

/// The docs' example enrollment automation (seed 000, spec `EnrollmentAutomation.example`).
fn automation_json() -> serde_json::Value {
    json!({
        "user_identity_id": USER,
        "enrollment_automation_id": AUTOMATION,
        "acs_credential_provisioning_automation_id": AUTOMATION,
        "credential_manager_acs_system_id": SYSTEM,
        "is_running": true,
        "workspace_id": WORKSPACE,
        "created_at": "2024-01-09T05:45:33.068Z"
    })
}

/// Asserts every field of the docs' example enrollment automation.
fn assert_is_the_documented_automation(a: &types::EnrollmentAutomation) {
    assert_eq!(a.enrollment_automation_id.to_string(), AUTOMATION);
    assert_eq!(a.user_identity_id.to_string(), USER);
    assert_eq!(a.credential_manager_acs_system_id.to_string(), SYSTEM);
    assert_eq!(a.workspace_id.to_string(), WORKSPACE);
    assert_eq!(
        a.created_at,
        "2024-01-09T05:45:33.068Z"
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap()
    );
    assert_eq!(a.is_running, Some(true));
    assert_eq!(
        a.acs_credential_provisioning_automation_id
            .map(|x| x.to_string())
            .as_deref(),
        Some(AUTOMATION)
    );
}

// ---------------------------------------------------------------------------------------------------------
// The exact request of each operation, and its documented success answer.

#[tokio::test]
async fn launch_sends_the_documented_request_and_decodes_the_wrapped_answer() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/user_identities/enrollment_automations/launch")
                .header("authorization", "Bearer seam_test_key")
                .header("content-type", "application/json")
                .header_missing("api-version")
                .header_missing("seam-workspace")
                .json_body(json!({
                    "user_identity_id": USER,
                    "credential_manager_acs_system_id": SYSTEM,
                    "acs_credential_pool_id": POOL,
                    "create_credential_manager_user": true
                }));
            then.status(200)
                .header("content-type", "application/json")
                .header("seam-request-id", "req_123")
                .json_body(json!({"enrollment_automation": automation_json(), "ok": true}));
        })
        .await;

    let answer = client(&server)
        .launch_enrollment_automation()
        .body(
            types::LaunchEnrollmentAutomationRequest::builder()
                .user_identity_id(USER)
                .credential_manager_acs_system_id(SYSTEM)
                .acs_credential_pool_id(POOL.parse::<uuid::Uuid>().unwrap())
                .create_credential_manager_user(true),
        )
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["seam-request-id"], "req_123");
    let answer = answer.into_inner();
    assert!(answer.ok);
    assert_is_the_documented_automation(&answer.enrollment_automation);
}

#[tokio::test]
async fn launch_with_an_existing_acs_user_sends_only_the_fields_that_were_set() {
    let server = MockServer::start_async().await;
    let acs_user = "b1a2c3d4-0000-4000-8000-000000000001";
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/user_identities/enrollment_automations/launch")
                .json_body(json!({
                    "user_identity_id": USER,
                    "credential_manager_acs_system_id": SYSTEM,
                    "credential_manager_acs_user_id": acs_user
                }));
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"enrollment_automation": automation_json(), "ok": true}));
        })
        .await;

    client(&server)
        .launch_enrollment_automation()
        .body(
            types::LaunchEnrollmentAutomationRequest::builder()
                .user_identity_id(USER)
                .credential_manager_acs_system_id(SYSTEM)
                .credential_manager_acs_user_id(acs_user.parse::<uuid::Uuid>().unwrap()),
        )
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
}

#[tokio::test]
async fn get_sends_the_documented_request_and_decodes_the_wrapped_automation() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/user_identities/enrollment_automations/get")
                .header("authorization", "Bearer seam_test_key")
                .header("content-type", "application/json")
                .header_missing("api-version")
                .header_missing("seam-workspace")
                .json_body(json!({"enrollment_automation_id": AUTOMATION}));
            then.status(200)
                .header("content-type", "application/json")
                .header("seam-request-id", "req_get")
                .json_body(json!({"enrollment_automation": automation_json(), "ok": true}));
        })
        .await;

    let answer = client(&server)
        .get_enrollment_automation()
        .body(types::GetEnrollmentAutomationRequest::builder().enrollment_automation_id(AUTOMATION))
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(answer.headers()["seam-request-id"], "req_get");
    let answer = answer.into_inner();
    assert!(answer.ok);
    assert_is_the_documented_automation(&answer.enrollment_automation);
}

#[tokio::test]
async fn list_sends_the_documented_request_and_decodes_every_automation() {
    let server = MockServer::start_async().await;
    let second = json!({
        "user_identity_id": USER,
        "enrollment_automation_id": "7a0c8a51-2a4e-4b43-9c5e-1a1b2c3d4e5f",
        "credential_manager_acs_system_id": SYSTEM,
        "workspace_id": WORKSPACE,
        "created_at": "2024-02-01T00:00:00Z"
    });
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/user_identities/enrollment_automations/list")
                .header("authorization", "Bearer seam_test_key")
                .header("content-type", "application/json")
                .header_missing("api-version")
                .header_missing("seam-workspace")
                .json_body(json!({"user_identity_id": USER}));
            then.status(200)
                .header("content-type", "application/json")
                .json_body(
                    json!({"enrollment_automations": [automation_json(), second], "ok": true}),
                );
        })
        .await;

    let answer = client(&server)
        .list_enrollment_automations()
        .body(types::ListEnrollmentAutomationsRequest::builder().user_identity_id(USER))
        .send()
        .await
        .unwrap()
        .into_inner();

    mock.assert_async().await;
    assert!(answer.ok);
    assert_eq!(answer.enrollment_automations.len(), 2);
    assert_is_the_documented_automation(&answer.enrollment_automations[0]);
    // The fields the vendor schema lacks are optional: an automation without them still decodes.
    let b = &answer.enrollment_automations[1];
    assert_eq!(
        b.enrollment_automation_id.to_string(),
        "7a0c8a51-2a4e-4b43-9c5e-1a1b2c3d4e5f"
    );
    assert_eq!(b.is_running, None);
    assert_eq!(b.acs_credential_provisioning_automation_id, None);
}

#[tokio::test]
async fn list_of_a_user_without_automations_decodes_an_empty_list() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/user_identities/enrollment_automations/list");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"enrollment_automations": [], "ok": true}));
        })
        .await;

    let answer = client(&server)
        .list_enrollment_automations()
        .body(types::ListEnrollmentAutomationsRequest::builder().user_identity_id(USER))
        .send()
        .await
        .unwrap()
        .into_inner();

    assert!(answer.enrollment_automations.is_empty());
    assert!(answer.ok);
}

#[tokio::test]
async fn delete_sends_the_documented_request_and_decodes_ok() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/user_identities/enrollment_automations/delete")
                .header("authorization", "Bearer seam_test_key")
                .header("content-type", "application/json")
                .header_missing("api-version")
                .header_missing("seam-workspace")
                .json_body(json!({"enrollment_automation_id": AUTOMATION}));
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"ok": true}));
        })
        .await;

    let answer = client(&server)
        .delete_enrollment_automation()
        .body(
            types::DeleteEnrollmentAutomationRequest::builder()
                .enrollment_automation_id(AUTOMATION),
        )
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(answer.status(), 200);
    assert!(answer.into_inner().ok);
}

#[tokio::test]
async fn a_personal_access_token_is_sent_as_bearer_with_the_seam_workspace_header() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/user_identities/enrollment_automations/get")
                .header("authorization", "Bearer seam_at_test_token")
                .header("seam-workspace", WORKSPACE)
                .header_missing("api-version")
                .json_body(json!({"enrollment_automation_id": AUTOMATION}));
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"enrollment_automation": automation_json(), "ok": true}));
        })
        .await;
    let client = Client::with_config(
        ClientConfig::new(Credentials::PersonalAccessToken {
            token: Secret::new("seam_at_test_token"),
            workspace_id: WORKSPACE.to_string(),
        })
        .base_url(server.base_url())
        .retry(RetryPolicy::none()),
    )
    .unwrap();

    let answer = client
        .get_enrollment_automation()
        .body(types::GetEnrollmentAutomationRequest::builder().enrollment_automation_id(AUTOMATION))
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_is_the_documented_automation(&answer.into_inner().enrollment_automation);
}

// ---------------------------------------------------------------------------------------------------------
// Every documented error status of every operation (400 and 401), read from Seam's error body.

#[derive(Clone, Copy, Debug)]
enum Op {
    Launch,
    Get,
    List,
    Delete,
}

impl Op {
    fn operation_id(self) -> &'static str {
        match self {
            Op::Launch => "launch_enrollment_automation",
            Op::Get => "get_enrollment_automation",
            Op::List => "list_enrollment_automations",
            Op::Delete => "delete_enrollment_automation",
        }
    }

    fn path(self) -> &'static str {
        match self {
            Op::Launch => "/user_identities/enrollment_automations/launch",
            Op::Get => "/user_identities/enrollment_automations/get",
            Op::List => "/user_identities/enrollment_automations/list",
            Op::Delete => "/user_identities/enrollment_automations/delete",
        }
    }

    /// Sends a valid request of this operation.
    async fn send(self, client: &Client) -> Result<(), idprov_seam::Error> {
        match self {
            Op::Launch => client
                .launch_enrollment_automation()
                .body(
                    types::LaunchEnrollmentAutomationRequest::builder()
                        .user_identity_id(USER)
                        .credential_manager_acs_system_id(SYSTEM),
                )
                .send()
                .await
                .map(drop),
            Op::Get => client
                .get_enrollment_automation()
                .body(
                    types::GetEnrollmentAutomationRequest::builder()
                        .enrollment_automation_id(AUTOMATION),
                )
                .send()
                .await
                .map(drop),
            Op::List => client
                .list_enrollment_automations()
                .body(types::ListEnrollmentAutomationsRequest::builder().user_identity_id(USER))
                .send()
                .await
                .map(drop),
            Op::Delete => client
                .delete_enrollment_automation()
                .body(
                    types::DeleteEnrollmentAutomationRequest::builder()
                        .enrollment_automation_id(AUTOMATION),
                )
                .send()
                .await
                .map(drop),
        }
    }
}

/// One documented error answer: the status, the Seam body, and what the error must say.
struct DocumentedError {
    status: u16,
    kind: ErrorKind,
    error_type: &'static str,
    message: &'static str,
    details: &'static [&'static str],
    body: serde_json::Value,
}

fn documented_errors() -> Vec<DocumentedError> {
    vec![
        DocumentedError {
            status: 400,
            kind: ErrorKind::Validation,
            error_type: "invalid_input",
            message: "Invalid input",
            details: &["user_identity_id: Required"],
            body: json!({
                "error": {
                    "type": "invalid_input",
                    "message": "Invalid input",
                    "validation_errors": {"user_identity_id": {"_errors": ["Required"]}}
                },
                "ok": false
            }),
        },
        DocumentedError {
            status: 401,
            kind: ErrorKind::Auth,
            error_type: "unauthorized",
            message: "Unauthorized",
            details: &[],
            body: json!({"error": {"type": "unauthorized", "message": "Unauthorized"}, "ok": false}),
        },
    ]
}

/// For each documented error status of `op`: one request, one error that carries the status, Seam's
/// `error.type`, message and validation errors, the `seam-request-id`, and the typed body.
async fn assert_every_documented_error_is_read(op: Op) {
    for case in documented_errors() {
        let status = case.status;
        let ctx = format!("{op:?} {status}");
        let server = MockServer::start_async().await;
        let request_id = format!("req_{}_{status}", op.operation_id());
        let mock = server
            .mock_async(|when, then| {
                when.method(POST).path(op.path());
                then.status(status)
                    .header("content-type", "application/json")
                    .header("seam-request-id", request_id.as_str())
                    .json_body(case.body.clone());
            })
            .await;

        let err = op.send(&client(&server)).await.expect_err(&ctx);

        mock.assert_async().await;
        assert_eq!(err.kind(), case.kind, "{ctx}: {err}");
        assert_eq!(err.status(), Some(status), "{ctx}");
        assert_eq!(err.vendor(), Some("Seam"), "{ctx}");
        assert_eq!(err.operation_id(), Some(op.operation_id()), "{ctx}");
        assert_eq!(err.code(), Some(case.error_type), "{ctx}");
        assert_eq!(err.message(), case.message, "{ctx}");
        assert_eq!(err.details(), case.details, "{ctx}");
        assert_eq!(err.request_id(), Some(request_id.as_str()), "{ctx}");
        assert!(!err.is_retryable(), "{ctx}");
        assert_eq!(err.body(), Some(&case.body), "{ctx}");
        let body: types::SeamError = err.body_as().expect(&ctx);
        assert_eq!(body.error.type_, case.error_type, "{ctx}");
        assert_eq!(body.error.message, case.message, "{ctx}");
        assert_eq!(body.ok, Some(false), "{ctx}");
        if status == 400 {
            let v = body.error.validation_errors.expect(&ctx);
            assert_eq!(v.extra["user_identity_id"].errors, ["Required"], "{ctx}");
        }
        let shown = err.to_string();
        assert!(shown.contains(&format!("HTTP {status}")), "{ctx}: {shown}");
        assert!(shown.contains(&request_id), "{ctx}: {shown}");
    }
}

#[tokio::test]
async fn launch_errors_400_and_401_carry_seam_type_message_validation_errors_and_request_id() {
    assert_every_documented_error_is_read(Op::Launch).await;
}

#[tokio::test]
async fn get_errors_400_and_401_carry_seam_type_message_validation_errors_and_request_id() {
    assert_every_documented_error_is_read(Op::Get).await;
}

#[tokio::test]
async fn list_errors_400_and_401_carry_seam_type_message_validation_errors_and_request_id() {
    assert_every_documented_error_is_read(Op::List).await;
}

#[tokio::test]
async fn delete_errors_400_and_401_carry_seam_type_message_validation_errors_and_request_id() {
    assert_every_documented_error_is_read(Op::Delete).await;
}

#[tokio::test]
async fn a_401_without_a_body_is_an_auth_error_with_the_request_id() {
    for op in [Op::Launch, Op::Get, Op::List, Op::Delete] {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(POST).path(op.path());
                then.status(401).header("seam-request-id", "req_noauth");
            })
            .await;

        let err = op.send(&client(&server)).await.unwrap_err();

        assert_eq!(err.kind(), ErrorKind::Auth, "{op:?}: {err}");
        assert_eq!(err.status(), Some(401), "{op:?}");
        assert_eq!(err.code(), None, "{op:?}");
        assert_eq!(err.message(), "Unauthorized", "{op:?}");
        assert_eq!(err.request_id(), Some("req_noauth"), "{op:?}");
        assert!(err.body().is_none(), "{op:?}");
        assert!(err.body_prefix().is_none(), "{op:?}");
    }
}

#[tokio::test]
async fn validation_errors_not_tied_to_a_field_are_kept_in_details() {
    // Seam's server sends Zod's `error.format()`: a top-level `_errors` array next to the fields.
    let server = MockServer::start_async().await;
    let body = json!({
        "error": {
            "type": "invalid_input",
            "message": "Invalid input",
            "validation_errors": {
                "_errors": ["Cannot set both create_credential_manager_user and credential_manager_acs_user_id"],
                "credential_manager_acs_system_id": {"_errors": ["Invalid uuid"]}
            }
        },
        "ok": false
    });
    server
        .mock_async(|when, then| {
            when.method(POST).path(Op::Launch.path());
            then.status(400)
                .header("content-type", "application/json")
                .json_body(body.clone());
        })
        .await;

    let err = Op::Launch.send(&client(&server)).await.unwrap_err();

    // The typed body decodes both levels.
    let typed: types::SeamError = err.body_as().unwrap();
    let v = typed.error.validation_errors.unwrap();
    assert_eq!(
        v.errors,
        ["Cannot set both create_credential_manager_user and credential_manager_acs_user_id"]
    );
    assert_eq!(
        v.extra["credential_manager_acs_system_id"].errors,
        ["Invalid uuid"]
    );
    // The error's details keep every message.
    let details = err.details().join("\n");
    assert!(
        details.contains(
            "Cannot set both create_credential_manager_user and credential_manager_acs_user_id"
        ),
        "{:?}",
        err.details()
    );
    assert!(
        details.contains("credential_manager_acs_system_id: Invalid uuid"),
        "{:?}",
        err.details()
    );
}

#[tokio::test]
async fn an_empty_top_level_errors_array_adds_no_detail() {
    // Zod's `error.format()` always carries `_errors`, empty when every error belongs to a field.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path(Op::Get.path());
            then.status(400)
                .header("content-type", "application/json")
                .json_body(json!({
                    "error": {
                        "type": "invalid_input",
                        "message": "Invalid input",
                        "validation_errors": {
                            "_errors": [],
                            "enrollment_automation_id": {"_errors": ["Invalid uuid"]}
                        }
                    },
                    "ok": false
                }));
        })
        .await;

    let err = Op::Get.send(&client(&server)).await.unwrap_err();

    assert_eq!(err.details(), ["enrollment_automation_id: Invalid uuid"]);
}

#[tokio::test]
async fn an_html_502_page_keeps_its_status_and_first_bytes() {
    let server = MockServer::start_async().await;
    let page =
        "<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>";
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(Op::Get.path());
            then.status(502)
                .header("content-type", "text/html")
                .header("seam-request-id", "req_gw")
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
    assert_eq!(err.request_id(), Some("req_gw"));
    // Seam's calls are POSTs: behind a 502 the launch may have happened, so sending it again is not safe.
    assert!(err.may_have_acted());
    assert!(!err.is_retryable());
}

// ---------------------------------------------------------------------------------------------------------
// The checks the spec makes client-side: nothing is sent, and the message names the field.

/// A mock that answers anything, to count what reached the server.

#[tokio::test]
async fn a_missing_required_field_fails_before_anything_is_sent_naming_the_field() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;

    let err: idprov_seam::Error = client(&server)
        .launch_enrollment_automation()
        .body(types::LaunchEnrollmentAutomationRequest::builder().user_identity_id(USER))
        .send()
        .await
        .unwrap_err();

    assert_refused_naming(&err, "credential_manager_acs_system_id");
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn launch_without_a_user_identity_fails_before_anything_is_sent_naming_it() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;

    let err: idprov_seam::Error = client(&server)
        .launch_enrollment_automation()
        .body(
            types::LaunchEnrollmentAutomationRequest::builder()
                .credential_manager_acs_system_id(SYSTEM),
        )
        .send()
        .await
        .unwrap_err();

    assert_refused_naming(&err, "user_identity_id");
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn get_list_and_delete_without_their_required_id_fail_before_anything_is_sent() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;
    let c = client(&server);

    let err: idprov_seam::Error = c.get_enrollment_automation().send().await.unwrap_err();
    assert_refused_naming(&err, "enrollment_automation_id");
    // A refusal says which call of which vendor refused.
    assert_eq!(err.operation_id(), Some("get_enrollment_automation"));
    assert_eq!(err.vendor(), Some("Seam"));

    let err: idprov_seam::Error = c.list_enrollment_automations().send().await.unwrap_err();
    assert_refused_naming(&err, "user_identity_id");

    let err: idprov_seam::Error = c.delete_enrollment_automation().send().await.unwrap_err();
    assert_refused_naming(&err, "enrollment_automation_id");

    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn an_id_that_is_not_a_uuid_fails_before_anything_is_sent_naming_the_field() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;
    let c = client(&server);

    let err: idprov_seam::Error = c
        .launch_enrollment_automation()
        .body(
            types::LaunchEnrollmentAutomationRequest::builder()
                .user_identity_id(USER)
                .credential_manager_acs_system_id("not-a-uuid"),
        )
        .send()
        .await
        .unwrap_err();
    assert_refused_naming(&err, "credential_manager_acs_system_id");

    let err: idprov_seam::Error = c
        .get_enrollment_automation()
        .body(types::GetEnrollmentAutomationRequest::builder().enrollment_automation_id("42"))
        .send()
        .await
        .unwrap_err();
    assert_refused_naming(&err, "enrollment_automation_id");

    assert_eq!(mock.calls_async().await, 0);
}

// ---------------------------------------------------------------------------------------------------------
// `create_credential_manager_user: true` and `credential_manager_acs_user_id` exclude each other (seed 000).

const ACS_USER: &str = "b1a2c3d4-0000-4000-8000-000000000001";

#[tokio::test]
async fn launch_with_create_credential_manager_user_and_an_acs_user_id_is_refused_naming_both() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;
    let c = client(&server);
    let acs_user = ACS_USER.parse::<uuid::Uuid>().unwrap();

    let by_builder: idprov_seam::Error = c
        .launch_enrollment_automation()
        .body(
            types::LaunchEnrollmentAutomationRequest::builder()
                .user_identity_id(USER)
                .credential_manager_acs_system_id(SYSTEM)
                .create_credential_manager_user(true)
                .credential_manager_acs_user_id(acs_user),
        )
        .send()
        .await
        .unwrap_err();
    let by_value: idprov_seam::Error = c
        .launch_enrollment_automation()
        .body(types::LaunchEnrollmentAutomationRequest {
            user_identity_id: USER.parse().unwrap(),
            credential_manager_acs_system_id: SYSTEM.parse().unwrap(),
            acs_credential_pool_id: None,
            create_credential_manager_user: Some(true),
            credential_manager_acs_user_id: Some(acs_user),
        })
        .send()
        .await
        .unwrap_err();

    for err in [by_builder, by_value] {
        assert_refused_naming(&err, "create_credential_manager_user");
        assert_refused_naming(&err, "credential_manager_acs_user_id");
        assert!(err.message().contains("exclude each other"), "{err}");
        assert_eq!(err.operation_id(), Some("launch_enrollment_automation"));
        assert_eq!(err.vendor(), Some("Seam"));
    }
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn launch_with_only_one_of_the_exclusive_fields_or_create_false_is_sent_as_set() {
    let acs_user = ACS_USER.parse::<uuid::Uuid>().unwrap();
    let base = || {
        types::LaunchEnrollmentAutomationRequest::builder()
            .user_identity_id(USER)
            .credential_manager_acs_system_id(SYSTEM)
    };
    let cases = [
        (
            base().create_credential_manager_user(true),
            json!({"create_credential_manager_user": true}),
        ),
        (
            base().credential_manager_acs_user_id(acs_user),
            json!({"credential_manager_acs_user_id": ACS_USER}),
        ),
        (
            base()
                .create_credential_manager_user(false)
                .credential_manager_acs_user_id(acs_user),
            json!({"create_credential_manager_user": false, "credential_manager_acs_user_id": ACS_USER}),
        ),
    ];
    for (body, extra) in cases {
        let server = MockServer::start_async().await;
        let mut expected = json!({
            "user_identity_id": USER,
            "credential_manager_acs_system_id": SYSTEM,
        });
        for (k, v) in extra.as_object().unwrap() {
            expected[k] = v.clone();
        }
        let mock = server
            .mock_async(|when, then| {
                when.method(POST)
                    .path("/user_identities/enrollment_automations/launch")
                    .json_body(expected.clone());
                then.status(200)
                    .header("content-type", "application/json")
                    .json_body(json!({"enrollment_automation": automation_json(), "ok": true}));
            })
            .await;

        client(&server)
            .launch_enrollment_automation()
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{expected} is sent: {e}"));

        assert_eq!(mock.calls_async().await, 1, "{expected}");
    }
}
