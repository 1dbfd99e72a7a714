//! The typed mocks (`mock` feature) stub Seam operations as a user's unit test would, and the real client
//! is driven against them: a launch matched by its typed body, and a documented error answered with the
//! crate's own error type.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use httpmock::MockServer;
use idprov_seam::mock::MockServerExt;
use idprov_seam::{Client, ClientConfig, Credentials, ErrorKind, RetryPolicy, Secret, types};

const USER: &str = "5c945ab5-c75e-4bcb-8e5f-9410061c401f";
const SYSTEM: &str = "6737e186-8d54-48ce-a7da-a0be4d252172";
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

fn id(text: &str) -> uuid::Uuid {
    text.parse().unwrap()
}

fn automation() -> types::EnrollmentAutomation {
    types::EnrollmentAutomation {
        enrollment_automation_id: id(AUTOMATION),
        user_identity_id: id(USER),
        credential_manager_acs_system_id: id(SYSTEM),
        workspace_id: id(WORKSPACE),
        acs_credential_provisioning_automation_id: None,
        created_at: "2024-01-09T05:45:33.068Z".parse().unwrap(),
        is_running: Some(true),
    }
}

#[tokio::test]
async fn a_launch_stubbed_by_its_typed_body_answers_the_typed_automation() {
    let server = MockServer::start_async().await;
    let request: types::LaunchEnrollmentAutomationRequest =
        types::LaunchEnrollmentAutomationRequest::builder()
            .user_identity_id(id(USER))
            .credential_manager_acs_system_id(id(SYSTEM))
            .create_credential_manager_user(Some(true))
            .try_into()
            .unwrap();
    let launched = server.launch_enrollment_automation(|when, then| {
        when.body(&request);
        then.ok(&types::EnrollmentAutomationResponse {
            ok: true,
            enrollment_automation: automation(),
        });
    });

    let answer = client(&server)
        .launch_enrollment_automation()
        .body(request.clone())
        .send()
        .await
        .unwrap();

    launched.assert_calls_async(1).await;
    assert_eq!(answer.into_inner().enrollment_automation, automation());

    // Another body is not this mock's request: httpmock answers 404 and the client says so.
    let other = types::LaunchEnrollmentAutomationRequest::builder()
        .user_identity_id(id(SYSTEM))
        .credential_manager_acs_system_id(id(SYSTEM));
    let err = client(&server)
        .launch_enrollment_automation()
        .body(other)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404), "{err}");
    launched.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_documented_error_answered_with_the_crates_error_type_is_the_clients_error() {
    let server = MockServer::start_async().await;
    let body = types::SeamError {
        ok: Some(false),
        error: types::SeamErrorDetail {
            type_: "invalid_input".to_string(),
            message: "Invalid input".to_string(),
            data: None,
            validation_errors: None,
        },
    };
    let mock = server.get_enrollment_automation(|when, then| {
        when.body(&types::GetEnrollmentAutomationRequest {
            enrollment_automation_id: id(AUTOMATION),
        });
        then.bad_request(&body);
    });

    let err = client(&server)
        .get_enrollment_automation()
        .body(
            types::GetEnrollmentAutomationRequest::builder()
                .enrollment_automation_id(id(AUTOMATION)),
        )
        .send()
        .await
        .unwrap_err();

    mock.assert_async().await;
    assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("invalid_input"));
    assert_eq!(err.message(), "Invalid input");
    assert_eq!(err.body_as::<types::SeamError>().unwrap(), body);
}
