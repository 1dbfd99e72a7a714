//! The typed mocks (`mock` feature) stub SailPoint NERM operations as a user's unit test would, and the real
//! client is driven against them: the crate's paged stream over two stubbed pages, with the client at
//! NERM's `/api` stem and at the server root, and a documented 400 in NERM's own error type.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::num::NonZeroU32;

use futures::TryStreamExt;
use httpmock::MockServer;
use idprov_sailpoint_nerm::mock::MockServerExt;
use idprov_sailpoint_nerm::{
    Client, ClientConfig, Credentials, ErrorKind, RetryPolicy, Secret, types,
};

const WORKFLOW: &str = "33f072dd-13b4-41e1-8ea0-16f2a59b57c8";

fn client(base_url: String) -> Client {
    Client::with_config(
        ClientConfig::new(Credentials::ApiToken(Secret::new("nerm_test_token")))
            .base_url(base_url)
            .retry(RetryPolicy::none()),
    )
    .unwrap()
}

fn workflow() -> uuid::Uuid {
    WORKFLOW.parse().unwrap()
}

fn action(description: &str) -> types::WorkflowAction {
    types::WorkflowAction {
        workflow_id: workflow(),
        description: Some(description.to_string()),
        archived: false,
        skippable: false,
        requires_comment: false,
        add_requester_as_owner: None,
        email_addresses: None,
        email_attribute_id: None,
        new_status: None,
        page_id: None,
    }
}

fn page(actions: Vec<types::WorkflowAction>) -> types::WorkflowActionList {
    types::WorkflowActionList {
        metadata: None,
        workflow_actions: types::WorkflowActions::Array(actions),
    }
}

#[tokio::test]
async fn the_paged_stream_walks_two_stubbed_pages_at_the_api_stem_and_at_the_root() {
    let server = MockServer::start_async().await;
    let two = NonZeroU32::new(2).unwrap();
    let first = server.list_workflow_actions(|when, then| {
        when.workflow_id(&workflow())
            .offset(0)
            .limit(two)
            .order(None);
        then.ok(&page(vec![action("first"), action("second")]));
    });
    let second = server.list_workflow_actions(|when, then| {
        when.workflow_id(&workflow()).offset(2).limit(two);
        then.ok(&page(vec![action("third")]));
    });

    for base_url in [server.url("/api"), server.base_url()] {
        let all: Vec<types::WorkflowAction> = client(base_url)
            .workflow_actions(workflow(), two)
            .try_collect()
            .await
            .unwrap();
        let descriptions: Vec<_> = all.iter().map(|a| a.description.as_deref()).collect();
        assert_eq!(descriptions, [Some("first"), Some("second"), Some("third")]);
    }
    first.assert_calls_async(2).await;
    second.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_documented_400_answered_with_the_crates_error_type_is_the_clients_error() {
    let server = MockServer::start_async().await;
    let refusal = types::ErrorResponse {
        error: Some(serde_json::json!("Workflow not found")),
        errors: Default::default(),
    };
    let mock = server.create_username_password_action(|when, then| {
        when.body(&types::CreateUsernamePasswordActionRequest {
            workflow_action: types::UsernamePasswordAction {
                workflow_id: workflow(),
                description: "Prompt the user for their username and password.".to_string(),
                archived: false,
            },
        });
        then.bad_request(&refusal);
    });

    let err = client(server.url("/api"))
        .create_username_password_action()
        .body(types::CreateUsernamePasswordActionRequest {
            workflow_action: types::UsernamePasswordAction {
                workflow_id: workflow(),
                description: "Prompt the user for their username and password.".to_string(),
                archived: false,
            },
        })
        .send()
        .await
        .unwrap_err();

    mock.assert_async().await;
    assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.body_as::<types::ErrorResponse>().unwrap(), refusal);
}
