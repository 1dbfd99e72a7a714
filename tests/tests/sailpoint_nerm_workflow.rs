//! SailPoint NERM end to end: with a NERM API token, create a username password action in a workflow, then
//! read the workflow's actions back page by page (the only way NERM offers to read an action back) and
//! find the new one — against a mock NERM tenant (base URL `https://{tenant}.nonemployee.com/api`) that only
//! answers the exact requests the docs describe.

#![allow(clippy::unwrap_used, reason = "a test fails by panicking")]

use std::num::NonZeroU32;

use futures::TryStreamExt;
use httpmock::prelude::*;
use idprov_sailpoint_nerm::{Client, ClientConfig, Credentials, Secret, types};
use serde_json::json;

const TOKEN: &str = "nerm_api_9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const WORKFLOW: &str = "33f072dd-13b4-41e1-8ea0-16f2a59b57c8";
const PAGE: &str = "5b0c2f6a-8d41-4c3e-9e7f-1a2b3c4d5e6f";
const EMAIL_ATTRIBUTE: &str = "a7e3c9d1-2f4b-4a6c-8e0d-1b3f5a7c9e2d";
const DESCRIPTION: &str = "Prompt the user for their username and password.";

/// A username password action as NERM answers it: the fields of other action types come back null.
fn username_password_action() -> serde_json::Value {
    json!({
        "workflow_id": WORKFLOW,
        "description": DESCRIPTION,
        "page_id": null,
        "add_requester_as_owner": null,
        "email_attribute_id": null,
        "email_addresses": null,
        "new_status": null,
        "archived": false,
        "skippable": false,
        "requires_comment": false
    })
}

/// The docs' example workflow action (an approval step), in the same workflow.
fn approval_action() -> serde_json::Value {
    json!({
        "workflow_id": WORKFLOW,
        "description": "Require approval from another user or a group of users with a specific role.",
        "page_id": PAGE,
        "add_requester_as_owner": true,
        "email_attribute_id": EMAIL_ATTRIBUTE,
        "email_addresses": ["johndoe@gmail.com", "janedoe@gmail.com"],
        "new_status": "Active, Inactive, On Leave, Terminated",
        "archived": false,
        "skippable": false,
        "requires_comment": false
    })
}

/// A status-change step, in the same workflow.
fn status_change_action() -> serde_json::Value {
    json!({
        "workflow_id": WORKFLOW,
        "description": "Set the contractor's profile to Active.",
        "page_id": null,
        "add_requester_as_owner": true,
        "email_attribute_id": null,
        "email_addresses": [],
        "new_status": "Active",
        "archived": false,
        "skippable": true,
        "requires_comment": true
    })
}

#[tokio::test]
async fn create_then_list_finds_the_new_action_in_the_workflow_the_create_answered() {
    let server = MockServer::start_async().await;

    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/workflow_actions/username_password_actions")
                .query_param_count(".*", ".*", 0)
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .header_missing("api-version")
                .json_body(json!({
                    "workflow_action": {
                        "workflow_id": WORKFLOW,
                        "description": DESCRIPTION,
                        "archived": false
                    }
                }));
            then.status(200)
                .header("content-type", "application/json; charset=utf-8")
                .json_body(json!({"workflow_action": username_password_action()}));
        })
        .await;
    let first_page = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/workflow_actions")
                .query_param("workflow_id", WORKFLOW)
                .query_param("offset", "0")
                .query_param("limit", "2")
                .query_param_count(".*", ".*", 3)
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("accept", "application/json")
                .header_missing("api-version");
            then.status(200)
                .header("content-type", "application/json; charset=utf-8")
                .json_body(
                    json!({"workflow_actions": [approval_action(), status_change_action()]}),
                );
        })
        .await;
    let last_page = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/workflow_actions")
                .query_param("workflow_id", WORKFLOW)
                .query_param("offset", "2")
                .query_param("limit", "2")
                .query_param_count(".*", ".*", 3)
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("accept", "application/json")
                .header_missing("api-version");
            then.status(200)
                .header("content-type", "application/json; charset=utf-8")
                .json_body(json!({"workflow_actions": [username_password_action()]}));
        })
        .await;

    let nerm = Client::with_config(
        ClientConfig::new(Credentials::ApiToken(Secret::new(TOKEN))).base_url(server.url("/api")),
    )
    .unwrap();

    // 1. Create: body and answer are wrapped in `workflow_action`; the other types' null fields decode.
    let workflow: uuid::Uuid = WORKFLOW.parse().unwrap();
    let created = nerm
        .create_username_password_action()
        .body(types::CreateUsernamePasswordActionRequest {
            workflow_action: types::UsernamePasswordAction {
                workflow_id: workflow,
                description: DESCRIPTION.to_string(),
                archived: false,
            },
        })
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 200);
    let created = created.into_inner().workflow_action;
    assert_eq!(created.workflow_id, workflow);
    assert_eq!(created.description.as_deref(), Some(DESCRIPTION));
    assert!(!created.archived && !created.skippable && !created.requires_comment);
    assert_eq!(created.page_id, None);
    assert_eq!(created.email_addresses, None);
    assert_eq!(created.new_status, None);

    // 2. List the workflow the create answered, two at a time: offset 0, then 2, then stop at the short page.
    let listed: Vec<types::WorkflowAction> = nerm
        .workflow_actions(created.workflow_id, NonZeroU32::new(2).unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 3);
    assert!(listed.iter().all(|a| a.workflow_id == created.workflow_id));
    assert_eq!(
        listed.iter().filter(|a| **a == created).count(),
        1,
        "the created action is listed once"
    );
    assert_eq!(listed[2], created);
    let approval = &listed[0];
    assert_eq!(
        approval.page_id.map(|p| p.to_string()).as_deref(),
        Some(PAGE)
    );
    assert_eq!(approval.add_requester_as_owner, Some(true));
    assert_eq!(
        approval.email_addresses.as_deref(),
        Some(
            &[
                "johndoe@gmail.com".to_string(),
                "janedoe@gmail.com".to_string()
            ][..]
        )
    );
    assert_eq!(listed[1].new_status.as_deref(), Some("Active"));
    assert!(listed[1].skippable && listed[1].requires_comment);

    create.assert_calls_async(1).await;
    first_page.assert_calls_async(1).await;
    last_page.assert_calls_async(1).await;
}

/// The same workflow against idprov-sandbox, statefully: the actions created under a workflow are the ones
/// its list finds, page by page; once as it is, once with every step answered 429 and then 503 first.
mod against_the_sandbox {
    use std::num::NonZeroU32;

    use futures::TryStreamExt;
    use idprov_sailpoint_nerm::{Client, ErrorKind, types};
    use idprov_sandbox::{Fault, Sandbox, Vendor, fixtures};

    /// Create three actions → list them in pages of 2 → the metadata counts them → a workflow that does not
    /// exist is refused naming it.
    async fn create_then_list(sb: &Sandbox) {
        let nerm = Client::with_config(sb.nerm_config()).unwrap();
        let workflow: uuid::Uuid = fixtures::NERM_WORKFLOW_ID.parse().unwrap();
        let create = |workflow_id: uuid::Uuid, description: &str| {
            nerm.create_username_password_action().body(
                types::CreateUsernamePasswordActionRequest {
                    workflow_action: types::UsernamePasswordAction {
                        workflow_id,
                        description: description.to_string(),
                        archived: false,
                    },
                },
            )
        };
        let mut created = Vec::new();
        for n in 1..=3 {
            let action = create(workflow, &format!("Prompt {n}"))
                .send()
                .await
                .unwrap()
                .into_inner()
                .workflow_action;
            assert_eq!(action.workflow_id, workflow);
            created.push(action);
        }
        let listed: Vec<types::WorkflowAction> = nerm
            .workflow_actions(workflow, NonZeroU32::new(2).unwrap())
            .try_collect()
            .await
            .unwrap();
        assert_eq!(listed, created);

        let meta = nerm
            .list_workflow_actions()
            .workflow_id(workflow)
            .limit(NonZeroU32::new(2).unwrap())
            .metadata(true)
            .send()
            .await
            .unwrap()
            .into_inner();
        let m = meta.metadata.unwrap();
        assert_eq!((m.total, m.limit, m.offset), (Some(3), Some(2), Some(0)));
        assert!(m.next.unwrap().contains("offset=2"));

        let e = create(uuid::Uuid::nil(), "nowhere")
            .send()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert!(
            e.details().iter().any(|d| d == "workflow: must exist"),
            "{e}"
        );
    }

    #[tokio::test]
    async fn create_under_a_workflow_then_list_it_page_by_page() {
        let sb = Sandbox::start().await.unwrap();
        create_then_list(&sb).await;
    }

    #[tokio::test]
    async fn every_step_rides_out_a_429_and_a_503_and_the_sandbox_saw_each_retry() {
        let sb = Sandbox::start().await.unwrap();
        sb.fail_next(
            Vendor::Nerm,
            "create_username_password_action",
            &[
                Fault::rate_limited_retry_after(0),
                Fault::unavailable_retry_after(0),
            ],
        );
        // The list is a GET: a 503 without Retry-After is resent after a backoff.
        sb.fail_next(
            Vendor::Nerm,
            "list_workflow_actions",
            &[Fault::rate_limited_retry_after(0), Fault::status(503)],
        );
        create_then_list(&sb).await;
        assert_eq!(
            sb.statuses(Vendor::Nerm, "create_username_password_action"),
            [
                Some(429),
                Some(503),
                Some(200),
                Some(200),
                Some(200),
                Some(400)
            ],
            "each action created once"
        );
        assert_eq!(
            sb.statuses(Vendor::Nerm, "list_workflow_actions"),
            [Some(429), Some(503), Some(200), Some(200), Some(200)],
            "two pages and the metadata call, the first after two refusals"
        );
    }
}
