//! Seam: the exact request each operation sends, the decoding of its documented answers, and the
//! decoding of Seam's error body for every documented error status.

use httpmock::prelude::*;
use idprov_seam::{Client, ClientConfig, Credentials, ErrorKind, RetryPolicy, Secret, types};
use serde_json::json;

const USER: &str = "5c945ab5-c75e-4bcb-8e5f-9410061c401f";
const SYSTEM: &str = "6737e186-8d54-48ce-a7da-a0be4d252172";
const POOL: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const AUTOMATION: &str = "05505650-aa57-49ab-8f19-429738758895";

fn client(server: &MockServer) -> Client {
    Client::with_config(
        ClientConfig::new(Credentials::SeamApiKey(Secret::new("seam_test_key")))
            .base_url(server.base_url())
            .retry(RetryPolicy::none()),
    )
    .unwrap()
}

fn automation_json() -> serde_json::Value {
    json!({
        "user_identity_id": USER,
        "enrollment_automation_id": AUTOMATION,
        "acs_credential_provisioning_automation_id": AUTOMATION,
        "credential_manager_acs_system_id": SYSTEM,
        "is_running": true,
        "workspace_id": "398d80b7-3f96-47c2-b85a-6f8ba21d07be",
        "created_at": "2024-01-09T05:45:33.068Z"
    })
}

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
    assert_eq!(answer.headers()["seam-request-id"], "req_123");
    let a = answer.into_inner().enrollment_automation;
    assert_eq!(a.enrollment_automation_id.to_string(), AUTOMATION);
    assert_eq!(a.is_running, Some(true));
    assert_eq!(a.acs_credential_provisioning_automation_id.map(|x| x.to_string()).as_deref(), Some(AUTOMATION));
}

#[tokio::test]
async fn launch_error_400_carries_seam_type_message_validation_errors_and_request_id() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/user_identities/enrollment_automations/launch");
            then.status(400)
                .header("content-type", "application/json")
                .header("seam-request-id", "req_bad")
                .json_body(json!({
                    "error": {
                        "type": "invalid_input",
                        "message": "Invalid input",
                        "validation_errors": {"user_identity_id": {"_errors": ["Required"]}}
                    },
                    "ok": false
                }));
        })
        .await;

    let err: idprov_seam::Error = client(&server)
        .launch_enrollment_automation()
        .body(
            types::LaunchEnrollmentAutomationRequest::builder()
                .user_identity_id(USER)
                .credential_manager_acs_system_id(SYSTEM),
        )
        .send()
        .await
        .unwrap_err()
        .into();

    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("invalid_input"));
    assert_eq!(err.message(), "Invalid input");
    assert_eq!(err.details(), ["user_identity_id: Required"]);
    assert_eq!(err.request_id(), Some("req_bad"));
    assert_eq!(err.operation_id(), Some("launch_enrollment_automation"));
    let body: types::SeamError = err.body_as().unwrap();
    assert_eq!(body.error.type_, "invalid_input");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn a_missing_required_field_fails_before_anything_is_sent_naming_the_field() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;

    let err: idprov_seam::Error = client(&server)
        .launch_enrollment_automation()
        .body(types::LaunchEnrollmentAutomationRequest::builder().user_identity_id(USER))
        .send()
        .await
        .unwrap_err()
        .into();

    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert!(err.message().contains("credential_manager_acs_system_id"), "{err}");
    assert_eq!(mock.calls_async().await, 0);
}
