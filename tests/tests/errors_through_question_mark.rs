//! What a user sees when a call's error is propagated with `?` into `Box<dyn std::error::Error>` (or
//! anyhow): the vendor, the operation, the status, the vendor's message and its validation details, and
//! the request id — and the error underneath as its `source()`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on unexpected values"
)]

use httpmock::prelude::*;
use idprov_seam::{Client, ClientConfig, Credentials, RetryPolicy, Secret, types};
use serde_json::json;

fn seam(base: &str) -> Client {
    Client::with_config(
        ClientConfig::new(Credentials::ApiKey(Secret::new("seam_test_key")))
            .base_url(base)
            .retry(RetryPolicy::none()),
    )
    .unwrap()
}

async fn launch(seam: &Client) -> Result<String, Box<dyn std::error::Error>> {
    let launched = seam
        .launch_enrollment_automation()
        .body(
            types::LaunchEnrollmentAutomationRequest::builder()
                .user_identity_id("5c945ab5-c75e-4bcb-8e5f-9410061c401f")
                .credential_manager_acs_system_id("6737e186-8d54-48ce-a7da-a0be4d252172"),
        )
        .send()
        .await?;
    Ok(launched
        .enrollment_automation
        .enrollment_automation_id
        .to_string())
}

#[tokio::test]
async fn a_vendor_400_through_question_mark_displays_the_vendors_message_and_validation_details() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/user_identities/enrollment_automations/launch");
            then.status(400)
                .header("seam-request-id", "req-400-1")
                .json_body(json!({
                    "ok": false,
                    "error": {
                        "type": "invalid_input",
                        "message": "Invalid input",
                        "validation_errors": {
                            "_errors": [],
                            "credential_manager_acs_system_id": {"_errors": ["Invalid uuid"]}
                        }
                    }
                }));
        })
        .await;

    let err = launch(&seam(&server.base_url())).await.unwrap_err();
    let shown = err.to_string();
    assert_eq!(
        shown,
        "Seam launch_enrollment_automation: validation failed (HTTP 400) [invalid_input]: Invalid input; \
         credential_manager_acs_system_id: Invalid uuid (request id req-400-1)"
    );
    // The boxed error is still idprov's, for a program that wants to match on it.
    let ours = err.downcast_ref::<idprov_seam::Error>().unwrap();
    assert_eq!(ours.kind(), idprov_seam::ErrorKind::Validation);
}

#[tokio::test]
async fn a_transport_failure_keeps_reqwests_error_as_its_source() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = launch(&seam(&format!("http://127.0.0.1:{port}")))
        .await
        .unwrap_err();
    let ours = err.downcast_ref::<idprov_seam::Error>().unwrap();
    assert_eq!(ours.kind(), idprov_seam::ErrorKind::Transport);
    assert!(
        err.to_string()
            .starts_with("Seam launch_enrollment_automation: transport error: no answer"),
        "{err}"
    );
    let source = std::error::Error::source(ours).expect("the reqwest error underneath");
    assert!(
        source.downcast_ref::<reqwest::Error>().is_some(),
        "{source:?}"
    );
}

#[tokio::test]
async fn a_success_of_the_wrong_shape_keeps_serde_jsons_error_as_its_source() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/user_identities/enrollment_automations/launch");
            then.status(200)
                .json_body(json!({"ok": true, "unexpected": 1}));
        })
        .await;
    let err = launch(&seam(&server.base_url())).await.unwrap_err();
    let ours = err.downcast_ref::<idprov_seam::Error>().unwrap();
    assert_eq!(ours.kind(), idprov_seam::ErrorKind::Decode);
    assert_eq!(ours.status(), Some(200));
    let source = std::error::Error::source(ours).expect("the serde_json error underneath");
    assert!(
        source.downcast_ref::<serde_json::Error>().is_some(),
        "{source:?}"
    );
}
