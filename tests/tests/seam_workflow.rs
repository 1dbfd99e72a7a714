//! Seam end to end: launch an enrollment automation for a user identity, read it back, find it in the
//! user identity's list, and delete it — each step fed by what the previous answer said, against a mock
//! Seam that only answers the exact requests Seam's SDKs send.

#![allow(clippy::unwrap_used, reason = "a test fails by panicking")]

use httpmock::prelude::*;
use idprov_seam::{Client, ClientConfig, Credentials, Secret, types};
use serde_json::json;

const API_KEY: &str = "seam_test123_0123456789abcdefghijkl";
const USER: &str = "5c945ab5-c75e-4bcb-8e5f-9410061c401f";
const SYSTEM: &str = "6737e186-8d54-48ce-a7da-a0be4d252172";
const POOL: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const AUTOMATION: &str = "05505650-aa57-49ab-8f19-429738758895";
const OTHER_AUTOMATION: &str = "8d1c4f2e-7b3a-4e6f-9a10-2b5c7d9e1f30";
const WORKSPACE: &str = "398d80b7-3f96-47c2-b85a-6f8ba21d07be";

/// The enrollment automation of the docs' example response.
fn automation(id: &str, created_at: &str) -> serde_json::Value {
    json!({
        "user_identity_id": USER,
        "enrollment_automation_id": id,
        "acs_credential_provisioning_automation_id": id,
        "credential_manager_acs_system_id": SYSTEM,
        "is_running": true,
        "workspace_id": WORKSPACE,
        "created_at": created_at
    })
}

/// Answers `POST /user_identities/enrollment_automations/{action}` — only with the exact request Seam's
/// SDKs send (API key, JSON body `request`, no query, no workspace header) — with `answer` and
/// `seam-request-id: request_id`.
async fn seam_action<'a>(
    server: &'a MockServer,
    action: &str,
    request: serde_json::Value,
    request_id: &str,
    answer: serde_json::Value,
) -> httpmock::Mock<'a> {
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/user_identities/enrollment_automations/{action}"))
                .query_param_count(".*", ".*", 0)
                .header("authorization", format!("Bearer {API_KEY}"))
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .header_missing("seam-workspace")
                .header_missing("api-version")
                .json_body(request);
            then.status(200)
                .header("content-type", "application/json")
                .header("seam-request-id", request_id)
                .json_body(answer);
        })
        .await
}

#[tokio::test]
async fn launch_get_list_delete_chains_the_launched_automation_through_every_call() {
    let server = MockServer::start_async().await;

    let launch = seam_action(
        &server,
        "launch",
        json!({
            "user_identity_id": USER,
            "credential_manager_acs_system_id": SYSTEM,
            "acs_credential_pool_id": POOL,
            "create_credential_manager_user": true
        }),
        "req_launch_1",
        json!({
            "enrollment_automation": automation(AUTOMATION, "2024-01-09T05:45:33.068Z"),
            "ok": true
        }),
    )
    .await;
    let get = seam_action(
        &server,
        "get",
        json!({"enrollment_automation_id": AUTOMATION}),
        "req_get_1",
        json!({
            "enrollment_automation": automation(AUTOMATION, "2024-01-09T05:45:33.068Z"),
            "ok": true
        }),
    )
    .await;
    let list = seam_action(
        &server,
        "list",
        json!({"user_identity_id": USER}),
        "req_list_1",
        json!({
            "enrollment_automations": [
                automation(OTHER_AUTOMATION, "2023-11-30T16:20:00.000Z"),
                automation(AUTOMATION, "2024-01-09T05:45:33.068Z")
            ],
            "ok": true
        }),
    )
    .await;
    let delete = seam_action(
        &server,
        "delete",
        json!({"enrollment_automation_id": AUTOMATION}),
        "req_delete_1",
        json!({"ok": true}),
    )
    .await;

    let seam = Client::with_config(
        ClientConfig::new(Credentials::ApiKey(Secret::new(API_KEY))).base_url(server.base_url()),
    )
    .unwrap();

    // 1. Launch: the answer is unwrapped from {"enrollment_automation": ..., "ok": true}.
    let launched = seam
        .launch_enrollment_automation()
        .body(
            types::LaunchEnrollmentAutomationRequest::builder()
                .user_identity_id(USER.parse::<uuid::Uuid>().unwrap())
                .credential_manager_acs_system_id(SYSTEM.parse::<uuid::Uuid>().unwrap())
                .acs_credential_pool_id(POOL.parse::<uuid::Uuid>().unwrap())
                .create_credential_manager_user(true),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(launched.status(), 200);
    assert_eq!(launched.headers()["seam-request-id"], "req_launch_1");
    let launched = launched.into_inner();
    assert!(launched.ok);
    let automation_id = launched.enrollment_automation.enrollment_automation_id;
    let user_identity_id = launched.enrollment_automation.user_identity_id;
    assert_eq!(automation_id.to_string(), AUTOMATION);
    assert_eq!(user_identity_id.to_string(), USER);
    assert_eq!(launched.enrollment_automation.is_running, Some(true));
    assert_eq!(
        launched.enrollment_automation.workspace_id.to_string(),
        WORKSPACE
    );
    assert_eq!(
        serde_json::to_value(launched.enrollment_automation.created_at).unwrap(),
        "2024-01-09T05:45:33.068Z"
    );

    // 2. Get the automation the launch created, by the id the launch answered.
    let got = seam
        .get_enrollment_automation()
        .body(
            types::GetEnrollmentAutomationRequest::builder()
                .enrollment_automation_id(automation_id),
        )
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(got.ok);
    assert_eq!(got.enrollment_automation, launched.enrollment_automation);

    // 3. List the user identity's automations: the launched one is among them, with the same content.
    let listed = seam
        .list_enrollment_automations()
        .body(types::ListEnrollmentAutomationsRequest::builder().user_identity_id(user_identity_id))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(listed.ok);
    let ids: Vec<String> = listed
        .enrollment_automations
        .iter()
        .map(|a| a.enrollment_automation_id.to_string())
        .collect();
    assert_eq!(ids, [OTHER_AUTOMATION, AUTOMATION]);
    let found = listed
        .enrollment_automations
        .iter()
        .find(|a| a.enrollment_automation_id == automation_id)
        .unwrap();
    assert_eq!(found, &got.enrollment_automation);
    assert!(
        listed
            .enrollment_automations
            .iter()
            .all(|a| a.user_identity_id == user_identity_id)
    );

    // 4. Delete it, by the same id.
    let deleted = seam
        .delete_enrollment_automation()
        .body(
            types::DeleteEnrollmentAutomationRequest::builder()
                .enrollment_automation_id(automation_id),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.headers()["seam-request-id"], "req_delete_1");
    assert!(deleted.into_inner().ok);

    // Every step was sent exactly once: no retry, no extra call.
    launch.assert_calls_async(1).await;
    get.assert_calls_async(1).await;
    list.assert_calls_async(1).await;
    delete.assert_calls_async(1).await;
}

/// The same workflow against idprov-sandbox, statefully: what launch creates, get and list find, and after
/// delete it is gone (404); once as it is, once with every step answered 429 and then 503 first.
mod against_the_sandbox {
    use idprov_sandbox::{Fault, Sandbox, Vendor, fixtures};
    use idprov_seam::{Client, ErrorKind, types};

    const OPERATIONS: [&str; 4] = [
        "launch_enrollment_automation",
        "get_enrollment_automation",
        "list_enrollment_automations",
        "delete_enrollment_automation",
    ];

    /// Launch → get → list → delete → get is 404 and the list is empty.
    async fn launch_get_list_delete_then_404(seam: &Client) {
        let user: uuid::Uuid = fixtures::SEAM_USER_IDENTITY_ID.parse().unwrap();
        let manager: uuid::Uuid = fixtures::SEAM_CREDENTIAL_MANAGER_ID.parse().unwrap();
        let launched = seam
            .launch_enrollment_automation()
            .body(
                types::LaunchEnrollmentAutomationRequest::builder()
                    .user_identity_id(user)
                    .credential_manager_acs_system_id(manager)
                    .acs_credential_pool_id(Some(
                        fixtures::SEAM_CREDENTIAL_POOL_ID.parse().unwrap(),
                    ))
                    .create_credential_manager_user(Some(true)),
            )
            .send()
            .await
            .unwrap();
        assert!(launched.headers().contains_key("seam-request-id"));
        let launched = launched.into_inner().enrollment_automation;
        assert_eq!(launched.user_identity_id, user);
        assert_eq!(launched.credential_manager_acs_system_id, manager);
        assert_eq!(
            launched.workspace_id.to_string(),
            fixtures::SEAM_WORKSPACE_ID
        );
        let id = launched.enrollment_automation_id;

        let get = || {
            seam.get_enrollment_automation()
                .body(types::GetEnrollmentAutomationRequest::builder().enrollment_automation_id(id))
        };
        let list = || {
            seam.list_enrollment_automations()
                .body(types::ListEnrollmentAutomationsRequest::builder().user_identity_id(user))
        };
        let got = get()
            .send()
            .await
            .unwrap()
            .into_inner()
            .enrollment_automation;
        assert_eq!(got, launched);
        let listed = list().send().await.unwrap().into_inner();
        assert_eq!(listed.enrollment_automations, [launched]);

        seam.delete_enrollment_automation()
            .body(types::DeleteEnrollmentAutomationRequest::builder().enrollment_automation_id(id))
            .send()
            .await
            .unwrap();
        let gone = get().send().await.unwrap_err();
        assert_eq!(gone.kind(), ErrorKind::NotFound);
        assert_eq!(gone.code(), Some("enrollment_automation_not_found"));
        assert!(
            gone.request_id().is_some(),
            "seam-request-id is read into the error"
        );
        let listed = list().send().await.unwrap().into_inner();
        assert!(listed.enrollment_automations.is_empty());
    }

    #[tokio::test]
    async fn launch_get_list_delete_then_get_is_404_with_an_api_key_and_with_a_pat() {
        let sb = Sandbox::start().await.unwrap();
        launch_get_list_delete_then_404(&Client::with_config(sb.seam_config()).unwrap()).await;
        launch_get_list_delete_then_404(&Client::with_config(sb.seam_pat_config()).unwrap()).await;
        let workspaces: Vec<_> = sb
            .requests_to(Vendor::Seam)
            .iter()
            .map(|r| r.header("seam-workspace").is_some())
            .collect();
        assert_eq!(workspaces.len(), 12);
        assert!(workspaces[..6].iter().all(|w| !w) && workspaces[6..].iter().all(|w| *w));
    }

    #[tokio::test]
    async fn every_step_rides_out_a_429_and_a_503_and_the_sandbox_saw_each_retry() {
        let sb = Sandbox::start().await.unwrap();
        for op in OPERATIONS {
            // Seam's calls are all POSTs: the 503 says Retry-After (the server did not act), so it is resent.
            sb.fail_next(
                Vendor::Seam,
                op,
                &[
                    Fault::rate_limited_retry_after(0),
                    Fault::unavailable_retry_after(0),
                ],
            );
        }
        launch_get_list_delete_then_404(&Client::with_config(sb.seam_config()).unwrap()).await;
        for op in OPERATIONS {
            assert_eq!(
                sb.statuses(Vendor::Seam, op)[..3],
                [Some(429), Some(503), Some(200)],
                "{op}"
            );
        }
        let launches = sb.statuses(Vendor::Seam, "launch_enrollment_automation");
        assert_eq!(
            launches.len(),
            3,
            "one automation launched, after two refusals"
        );
    }

    #[tokio::test]
    async fn refuses_unknown_ids_and_a_system_that_is_no_credential_manager() {
        let sb = Sandbox::start().await.unwrap();
        let seam = Client::with_config(sb.seam_pat_config()).unwrap();
        let user: uuid::Uuid = fixtures::SEAM_USER_IDENTITY_ID.parse().unwrap();
        let launch = |user: uuid::Uuid, system: &str| {
            seam.launch_enrollment_automation().body(
                types::LaunchEnrollmentAutomationRequest::builder()
                    .user_identity_id(user)
                    .credential_manager_acs_system_id(system.parse::<uuid::Uuid>().unwrap()),
            )
        };
        let e = launch(uuid::Uuid::nil(), fixtures::SEAM_CREDENTIAL_MANAGER_ID)
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.code()),
            (ErrorKind::NotFound, Some("user_identity_not_found"))
        );
        let e = launch(user, "00000000-0000-4000-8000-000000000001")
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.code()),
            (ErrorKind::NotFound, Some("acs_system_not_found"))
        );
        let e = launch(user, fixtures::SEAM_ACCESS_SYSTEM_ID)
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.code()),
            (ErrorKind::Validation, Some("invalid_input"))
        );
        assert!(
            e.details()
                .iter()
                .any(|d| d.starts_with("credential_manager_acs_system_id: ")
                    && d.contains("is not a credential manager")),
            "{e}"
        );
    }
}
