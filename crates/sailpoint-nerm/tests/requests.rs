//! SailPoint NERM workflow actions: the exact request each operation sends, the decoding of its documented
//! answers, and the decoding of NERM's error body for every documented error status.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use httpmock::prelude::*;
use idprov_sailpoint_nerm::{
    Client, ClientConfig, Credentials, ErrorKind, RetryPolicy, Secret, types,
};
use idprov_testkit::{assert_refused_naming, catch_all};
use serde_json::json;

/// The workflow of the docs' examples.
const WORKFLOW: &str = "33f072dd-13b4-41e1-8ea0-16f2a59b57c8";
/// The workflow of the list parameter's example.
const LIST_WORKFLOW: &str = "bba9cfb2-96c1-4acb-ac79-a21732527265";
const TOKEN: &str = "nerm_test_token";
const CREATE_PATH: &str = "/api/workflow_actions/username_password_actions";
const LIST_PATH: &str = "/api/workflow_actions";

/// A client whose base URL keeps NERM's `/api` path stem, as the documented server does.
fn client(server: &MockServer) -> Client {
    Client::with_config(
        ClientConfig::new(Credentials::ApiToken(Secret::new(TOKEN)))
            .base_url(server.url("/api"))
            .retry(RetryPolicy::none()),
    )
    .unwrap()
}

/// The docs' example workflow action (seed 002, spec `WorkflowActionResponse.example`).
fn documented_action() -> serde_json::Value {
    json!({
        "workflow_id": WORKFLOW,
        "description": "Require approval from another user or a group of users with a specific role.",
        "page_id": WORKFLOW,
        "add_requester_as_owner": true,
        "email_attribute_id": WORKFLOW,
        "email_addresses": ["johndoe@gmail.com", "janedoe@gmail.com"],
        "new_status": "Active, Inactive, On Leave, Terminated",
        "archived": false,
        "skippable": false,
        "requires_comment": false
    })
}

fn assert_is_the_documented_action(a: &types::WorkflowAction) {
    let workflow = WORKFLOW.parse::<uuid::Uuid>().unwrap();
    assert_eq!(a.workflow_id, workflow);
    assert_eq!(
        a.description.as_deref(),
        Some("Require approval from another user or a group of users with a specific role.")
    );
    assert_eq!(a.page_id, Some(workflow));
    assert_eq!(a.add_requester_as_owner, Some(true));
    assert_eq!(a.email_attribute_id, Some(workflow));
    assert_eq!(
        a.email_addresses.as_deref(),
        Some(
            &[
                "johndoe@gmail.com".to_string(),
                "janedoe@gmail.com".to_string()
            ][..]
        )
    );
    assert_eq!(
        a.new_status.as_deref(),
        Some("Active, Inactive, On Leave, Terminated")
    );
    assert!(!a.archived);
    assert!(!a.skippable);
    assert!(!a.requires_comment);
}

fn documented_action_input() -> types::builder::UsernamePasswordAction {
    types::UsernamePasswordAction::builder()
        .workflow_id(WORKFLOW.parse::<uuid::Uuid>().unwrap())
        .description("Prompt the user for their username and password.")
        .archived(false)
}

// ---------------------------------------------------------------------------------------------------------
// The exact request of each operation, and its documented success answer.

#[tokio::test]
async fn create_sends_the_action_wrapped_in_workflow_action_and_decodes_the_wrapped_answer() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(CREATE_PATH)
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .header_missing("api-version")
                .json_body(json!({
                    "workflow_action": {
                        "workflow_id": WORKFLOW,
                        "description": "Prompt the user for their username and password.",
                        "archived": false
                    }
                }));
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"workflow_action": documented_action()}));
        })
        .await;

    let answer = client(&server)
        .create_username_password_action()
        .body(
            types::CreateUsernamePasswordActionRequest::builder()
                .workflow_action(documented_action_input()),
        )
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(answer.status(), 200);
    assert_is_the_documented_action(&answer.into_inner().workflow_action);
}

#[tokio::test]
async fn create_sends_archived_true_when_asked() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(CREATE_PATH).json_body(json!({
                "workflow_action": {"workflow_id": WORKFLOW, "description": "old step", "archived": true}
            }));
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"workflow_action": {"workflow_id": WORKFLOW, "description": "old step", "archived": true}}));
        })
        .await;

    let action = client(&server)
        .create_username_password_action()
        .body(
            types::CreateUsernamePasswordActionRequest::builder().workflow_action(
                types::UsernamePasswordAction::builder()
                    .workflow_id(WORKFLOW.parse::<uuid::Uuid>().unwrap())
                    .description("old step")
                    .archived(true),
            ),
        )
        .send()
        .await
        .unwrap()
        .into_inner()
        .workflow_action;

    mock.assert_async().await;
    assert!(action.archived);
}

#[tokio::test]
async fn a_username_password_action_without_the_other_types_fields_decodes_with_their_defaults() {
    // The answer schema is NERM's generic one; a username password action may leave the fields of other
    // action types out, or null.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path(CREATE_PATH);
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({
                    "workflow_action": {
                        "workflow_id": WORKFLOW,
                        "description": "Prompt the user for their username and password.",
                        "page_id": null,
                        "email_addresses": null,
                        "archived": false
                    }
                }));
        })
        .await;

    let action = client(&server)
        .create_username_password_action()
        .body(
            types::CreateUsernamePasswordActionRequest::builder()
                .workflow_action(documented_action_input()),
        )
        .send()
        .await
        .unwrap()
        .into_inner()
        .workflow_action;

    assert_eq!(action.page_id, None);
    assert_eq!(action.email_addresses, None);
    assert_eq!(action.new_status, None);
    // Absent, `add_requester_as_owner` takes the documented default `true`.
    assert_eq!(action.add_requester_as_owner, Some(true));
    assert!(!action.skippable);
}

#[tokio::test]
async fn list_sends_workflow_id_and_the_collection_parameters_and_decodes_actions_and_metadata() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(LIST_PATH)
                .query_param("workflow_id", LIST_WORKFLOW)
                .query_param("limit", "20")
                .query_param("offset", "0")
                .query_param("order", "created_at")
                .query_param("metadata", "true")
                .query_param_count(".*", ".*", 5)
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("accept", "application/json")
                .header_missing("api-version");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({
                    "workflow_actions": [documented_action()],
                    "_metadata": {
                        "limit": 100,
                        "offset": 200,
                        "total": 500,
                        "next": "api/workflow_actions?offset=300&limit=100"
                    }
                }));
        })
        .await;

    let answer = client(&server)
        .list_workflow_actions()
        .workflow_id(LIST_WORKFLOW.parse::<uuid::Uuid>().unwrap())
        .limit(std::num::NonZeroU32::new(20).unwrap())
        .offset(0)
        .order("created_at")
        .metadata(true)
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    let list = answer.into_inner();
    assert_eq!(list.workflow_actions.len(), 1);
    assert_is_the_documented_action(&list.workflow_actions[0]);
    let meta = list.metadata.unwrap();
    assert_eq!(meta.limit, Some(100));
    assert_eq!(meta.offset, Some(200));
    assert_eq!(meta.total, Some(500));
    assert_eq!(
        meta.next.as_deref(),
        Some("api/workflow_actions?offset=300&limit=100")
    );
    assert_eq!(meta.previous, None);
}

#[tokio::test]
async fn list_with_only_a_workflow_id_sends_only_that_and_decodes_an_empty_list_without_metadata() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(LIST_PATH)
                .is_true(|req: &HttpMockRequest| {
                    req.uri().query() == Some("workflow_id=bba9cfb2-96c1-4acb-ac79-a21732527265")
                });
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"workflow_actions": []}));
        })
        .await;

    let list = client(&server)
        .list_workflow_actions()
        .workflow_id(LIST_WORKFLOW.parse::<uuid::Uuid>().unwrap())
        .send()
        .await
        .unwrap()
        .into_inner();

    mock.assert_async().await;
    assert!(list.workflow_actions.is_empty());
    assert_eq!(list.metadata, None);
}

#[tokio::test]
async fn list_refuses_a_negative_offset_before_sending_naming_the_parameter() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;

    let err = client(&server)
        .list_workflow_actions()
        .offset(-1)
        .send()
        .await
        .unwrap_err();

    assert_refused_naming(&err, "offset");
    assert!(err.message().contains("at least 0, got -1"), "{err}");
    assert_eq!(err.operation_id(), Some("list_workflow_actions"));
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn list_decodes_workflow_actions_sent_as_a_single_object_as_a_list_of_one() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(LIST_PATH);
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"workflow_actions": documented_action()}));
        })
        .await;

    let list = client(&server)
        .list_workflow_actions()
        .workflow_id(LIST_WORKFLOW.parse::<uuid::Uuid>().unwrap())
        .send()
        .await
        .unwrap()
        .into_inner();

    mock.assert_async().await;
    assert_eq!(list.workflow_actions.len(), 1);
    assert_is_the_documented_action(&list.workflow_actions[0]);
    assert_eq!(list.workflow_actions.iter().count(), 1);
    let actions: Vec<types::WorkflowAction> = list.workflow_actions.into_vec();
    assert_eq!(actions.len(), 1);
    assert_is_the_documented_action(&actions[0]);
}

#[tokio::test]
async fn list_decodes_workflow_actions_sent_as_a_list_the_same_as_the_single_object() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(LIST_PATH)
                .query_param("order", "list");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"workflow_actions": [documented_action()]}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(LIST_PATH)
                .query_param("order", "object");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"workflow_actions": documented_action()}));
        })
        .await;
    let c = client(&server);

    let as_list = c
        .list_workflow_actions()
        .order("list")
        .send()
        .await
        .unwrap();
    let as_object = c
        .list_workflow_actions()
        .order("object")
        .send()
        .await
        .unwrap();

    assert_eq!(
        as_list.into_inner().workflow_actions.as_slice(),
        as_object.into_inner().workflow_actions.as_slice()
    );
}

#[tokio::test]
async fn the_stream_reads_a_page_of_either_form_and_ends_at_the_short_one() {
    let server = MockServer::start_async().await;
    let action = |description: &str| {
        let mut a = documented_action();
        a["description"] = json!(description);
        a
    };
    let first_page = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(LIST_PATH)
                .query_param("workflow_id", LIST_WORKFLOW)
                .query_param("offset", "0")
                .query_param("limit", "2");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"workflow_actions": [action("a"), action("b")]}));
        })
        .await;
    let last_page = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(LIST_PATH)
                .query_param("workflow_id", LIST_WORKFLOW)
                .query_param("offset", "2")
                .query_param("limit", "2");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"workflow_actions": action("c")}));
        })
        .await;
    let c = client(&server);
    let workflow = LIST_WORKFLOW.parse::<uuid::Uuid>().unwrap();

    let by_shortcut: Vec<types::WorkflowAction> = idprov_runtime::paginate::collect_all(
        c.workflow_actions(workflow, std::num::NonZeroU32::new(2).unwrap()),
    )
    .await
    .unwrap();
    let by_builder: Vec<types::WorkflowAction> = idprov_runtime::paginate::collect_all(
        c.list_workflow_actions()
            .workflow_id(workflow)
            .stream(std::num::NonZeroU32::new(2).unwrap()),
    )
    .await
    .unwrap();

    for listed in [&by_shortcut, &by_builder] {
        let descriptions: Vec<_> = listed.iter().map(|a| a.description.as_deref()).collect();
        assert_eq!(descriptions, [Some("a"), Some("b"), Some("c")]);
    }
    assert_eq!(first_page.calls_async().await, 2);
    assert_eq!(last_page.calls_async().await, 2);
}

// ---------------------------------------------------------------------------------------------------------
// Every documented error status of every operation (400 and 500), read from NERM's error body.

#[derive(Clone, Copy, Debug)]
enum Op {
    Create,
    List,
}

impl Op {
    fn operation_id(self) -> &'static str {
        match self {
            Op::Create => "create_username_password_action",
            Op::List => "list_workflow_actions",
        }
    }

    fn method(self) -> httpmock::Method {
        match self {
            Op::Create => POST,
            Op::List => GET,
        }
    }

    fn path(self) -> &'static str {
        match self {
            Op::Create => CREATE_PATH,
            Op::List => LIST_PATH,
        }
    }

    async fn send(self, client: &Client) -> Result<(), idprov_sailpoint_nerm::Error> {
        match self {
            Op::Create => client
                .create_username_password_action()
                .body(
                    types::CreateUsernamePasswordActionRequest::builder()
                        .workflow_action(documented_action_input()),
                )
                .send()
                .await
                .map(drop),
            Op::List => client
                .list_workflow_actions()
                .workflow_id(LIST_WORKFLOW.parse::<uuid::Uuid>().unwrap())
                .send()
                .await
                .map(drop),
        }
    }
}

/// One documented error answer and what the error must say.
struct DocumentedError {
    /// Which of the documented bodies this is.
    name: &'static str,
    status: u16,
    kind: ErrorKind,
    body: serde_json::Value,
    message: &'static str,
    /// `errors` of the body, attribute by attribute.
    errors: &'static [(&'static str, &'static str)],
}

fn documented_errors() -> Vec<DocumentedError> {
    vec![
        DocumentedError {
            name: "400 ValidationErrors",
            status: 400,
            kind: ErrorKind::Validation,
            body: json!({
                "error": "The workflow action failed to create/update",
                "errors": {"description": "can't be blank"}
            }),
            message: "The workflow action failed to create/update",
            errors: &[("description", "can't be blank")],
        },
        DocumentedError {
            name: "400 InvalidJson",
            status: 400,
            kind: ErrorKind::Validation,
            body: json!({"error": "Invalid JSON syntax. Please check your syntax and try again."}),
            message: "Invalid JSON syntax. Please check your syntax and try again.",
            errors: &[],
        },
        DocumentedError {
            name: "500",
            status: 500,
            kind: ErrorKind::Server,
            body: json!({"error": "Sorry something went wrong"}),
            message: "Sorry something went wrong",
            errors: &[],
        },
    ]
}

/// For each documented error of `op`: one request, one error carrying the status, NERM's `error` as the
/// message, each of its `errors` as a detail naming the attribute, and the typed body.
async fn assert_every_documented_error_is_read(op: Op) {
    for case in documented_errors() {
        let ctx = format!("{op:?} {}", case.name);
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method(op.method())
                    .path(op.path())
                    .header("authorization", format!("Bearer {TOKEN}"));
                then.status(case.status)
                    .header("content-type", "application/json")
                    .json_body(case.body.clone());
            })
            .await;

        let err = op.send(&client(&server)).await.expect_err(&ctx);

        mock.assert_async().await;
        assert_eq!(err.kind(), case.kind, "{ctx}: {err}");
        assert_eq!(err.status(), Some(case.status), "{ctx}");
        assert_eq!(err.vendor(), Some("SailPoint NERM"), "{ctx}");
        assert_eq!(err.operation_id(), Some(op.operation_id()), "{ctx}");
        assert_eq!(err.code(), None, "{ctx}: NERM has no error code");
        assert_eq!(err.message(), case.message, "{ctx}");
        assert_eq!(
            err.request_id(),
            None,
            "{ctx}: NERM documents no request id"
        );
        assert!(!err.is_retryable(), "{ctx}");
        assert!(
            err.to_string().contains(&format!("HTTP {}", case.status)),
            "{ctx}: {err}"
        );
        assert_eq!(
            err.details().len(),
            case.errors.len(),
            "{ctx}: {:?}",
            err.details()
        );
        for ((attribute, problem), detail) in case.errors.iter().zip(err.details()) {
            assert!(
                detail.starts_with(&format!("{attribute}: ")),
                "{ctx}: {detail}"
            );
            assert!(detail.contains(problem), "{ctx}: {detail}");
        }
        let typed: types::ErrorResponse = err.body_as().expect(&ctx);
        assert_eq!(
            typed.error.as_ref().and_then(serde_json::Value::as_str),
            Some(case.message),
            "{ctx}"
        );
        assert_eq!(typed.errors.len(), case.errors.len(), "{ctx}");
        for (attribute, problem) in case.errors {
            assert_eq!(typed.errors[*attribute], *problem, "{ctx}");
        }
    }
}

#[tokio::test]
async fn create_errors_400_and_500_carry_nerm_error_and_validation_errors() {
    assert_every_documented_error_is_read(Op::Create).await;
}

#[tokio::test]
async fn list_errors_400_and_500_carry_nerm_error_and_validation_errors() {
    assert_every_documented_error_is_read(Op::List).await;
}

#[tokio::test]
async fn a_validation_error_detail_reads_attribute_and_problem_without_json_quotes() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path(CREATE_PATH);
            then.status(400)
                .header("content-type", "application/json")
                .json_body(json!({
                    "error": "The workflow action failed to create/update",
                    "errors": {"description": "can't be blank"}
                }));
        })
        .await;

    let err = Op::Create.send(&client(&server)).await.unwrap_err();

    assert_eq!(err.details(), ["description: can't be blank"]);
}

#[tokio::test]
async fn an_error_that_is_an_object_or_a_list_decodes_and_reads_as_a_message() {
    let cases = [
        (
            json!({"error": {"code": "WA-17", "message": "Workflow not found"}}),
            "Workflow not found",
            Some("WA-17"),
        ),
        (
            json!({"error": ["description is too long", "page_id is invalid"]}),
            "description is too long; page_id is invalid",
            None,
        ),
        (
            json!({"error": {"workflow_id": ["is not a workflow"]}}),
            "workflow_id: is not a workflow",
            None,
        ),
    ];
    for (body, message, code) in cases {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(GET).path(LIST_PATH);
                then.status(400)
                    .header("content-type", "application/json")
                    .json_body(body.clone());
            })
            .await;

        let err = Op::List.send(&client(&server)).await.unwrap_err();

        assert_eq!(err.kind(), ErrorKind::Validation, "{body}: {err}");
        assert_eq!(err.status(), Some(400), "{body}");
        assert_eq!(err.message(), message, "{body}");
        assert_eq!(err.code(), code, "{body}");
        assert!(err.to_string().contains(message), "{body}: {err}");
        let typed: types::ErrorResponse = err.body_as().expect("the typed body takes any `error`");
        assert_eq!(typed.error.as_ref(), body.get("error"), "{body}");
    }
}

#[tokio::test]
async fn a_string_error_still_decodes_into_the_typed_body_as_a_string() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(LIST_PATH);
            then.status(500)
                .header("content-type", "application/json")
                .json_body(json!({"error": "Sorry something went wrong"}));
        })
        .await;

    let err = Op::List.send(&client(&server)).await.unwrap_err();

    assert_eq!(err.message(), "Sorry something went wrong");
    let typed: types::ErrorResponse = err.body_as().unwrap();
    assert_eq!(typed.error, Some(json!("Sorry something went wrong")));
}

#[tokio::test]
async fn a_401_without_a_body_is_an_auth_error() {
    // Not documented by NERM, but a refused token answers it.
    for op in [Op::Create, Op::List] {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(op.method()).path(op.path());
                then.status(401);
            })
            .await;

        let err = op.send(&client(&server)).await.unwrap_err();

        assert_eq!(err.kind(), ErrorKind::Auth, "{op:?}: {err}");
        assert_eq!(err.status(), Some(401), "{op:?}");
        assert_eq!(err.message(), "Unauthorized", "{op:?}");
        assert!(err.body().is_none(), "{op:?}");
    }
}

#[tokio::test]
async fn an_html_502_page_keeps_its_status_and_first_bytes() {
    let server = MockServer::start_async().await;
    let page = "<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>";
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(LIST_PATH);
            then.status(502)
                .header("content-type", "text/html")
                .body(page);
        })
        .await;

    let err = Op::List.send(&client(&server)).await.unwrap_err();

    mock.assert_async().await;
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.body_prefix(), Some(page));
    assert!(err.body().is_none());
    assert!(err.is_retryable());
}

// ---------------------------------------------------------------------------------------------------------
// The checks the spec makes client-side: nothing is sent, and the message names the field.

#[tokio::test]
async fn create_without_a_body_fails_before_anything_is_sent_naming_workflow_action() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;

    let err: idprov_sailpoint_nerm::Error = client(&server)
        .create_username_password_action()
        .send()
        .await
        .unwrap_err();

    assert_refused_naming(&err, "workflow_action");
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn create_without_a_description_fails_before_anything_is_sent_naming_it() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;

    let err: idprov_sailpoint_nerm::Error = client(&server)
        .create_username_password_action()
        .body(
            types::CreateUsernamePasswordActionRequest::builder().workflow_action(
                types::UsernamePasswordAction::builder()
                    .workflow_id(WORKFLOW.parse::<uuid::Uuid>().unwrap()),
            ),
        )
        .send()
        .await
        .unwrap_err();

    assert_refused_naming(&err, "description");
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn create_without_a_workflow_id_fails_before_anything_is_sent_naming_it() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;

    let err: idprov_sailpoint_nerm::Error = client(&server)
        .create_username_password_action()
        .body(
            types::CreateUsernamePasswordActionRequest::builder()
                .workflow_action(types::UsernamePasswordAction::builder().description("step")),
        )
        .send()
        .await
        .unwrap_err();

    assert_refused_naming(&err, "workflow_id");
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn a_workflow_id_that_is_not_a_uuid_fails_before_anything_is_sent_naming_it() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;
    let c = client(&server);

    let err: idprov_sailpoint_nerm::Error = c
        .create_username_password_action()
        .body(
            types::CreateUsernamePasswordActionRequest::builder().workflow_action(
                types::UsernamePasswordAction::builder()
                    .workflow_id("wf-1")
                    .description("step"),
            ),
        )
        .send()
        .await
        .unwrap_err();
    assert_refused_naming(&err, "workflow_id");

    let err: idprov_sailpoint_nerm::Error = c
        .list_workflow_actions()
        .workflow_id("wf-1")
        .send()
        .await
        .unwrap_err();
    assert_refused_naming(&err, "workflow_id");

    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn a_limit_below_its_minimum_of_1_fails_before_anything_is_sent_naming_it() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;

    let err: idprov_sailpoint_nerm::Error = client(&server)
        .list_workflow_actions()
        .limit(0u32)
        .send()
        .await
        .unwrap_err();

    assert_refused_naming(&err, "limit");
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn an_offset_below_its_minimum_of_0_fails_before_anything_is_sent_naming_it() {
    let server = MockServer::start_async().await;
    let mock = catch_all(&server, 200).await;

    let result = client(&server)
        .list_workflow_actions()
        .offset(-1)
        .send()
        .await;

    let err: idprov_sailpoint_nerm::Error = result.unwrap_err();
    assert_refused_naming(&err, "offset");
    assert_eq!(mock.calls_async().await, 0);
}
