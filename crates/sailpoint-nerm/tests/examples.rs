//! The crate's example runs its whole workflow against idprov-sandbox when no NERM settings are set,
//! and uses them when they are.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

#[allow(
    dead_code,
    reason = "the example's main is not called here; its run is"
)]
#[path = "../examples/workflow_actions.rs"]
mod example;

use idprov_sandbox::{Sandbox, Vendor, fixtures};
use idprov_testkit::lookup;

/// Each operation the example calls, with the statuses the sandbox answers it.
fn workflow() -> Vec<(&'static str, Vec<Option<u16>>)> {
    vec![
        ("create_username_password_action", vec![Some(200)]),
        ("list_workflow_actions", vec![Some(200)]),
    ]
}

#[tokio::test]
async fn without_credentials_the_example_runs_its_workflow_against_the_sandbox() {
    let sb = example::run(&|_| None, &[])
        .await
        .unwrap()
        .expect("no credentials set: the example starts a sandbox");
    for (op, want) in workflow() {
        assert_eq!(sb.statuses(Vendor::Nerm, op), want, "{op}");
    }
}

#[tokio::test]
async fn with_credentials_set_the_example_uses_them_and_starts_no_sandbox() {
    let sb = Sandbox::start().await.unwrap();
    let resource = sb.base_url(Vendor::Nerm);
    let env = lookup(&[
        ("SAIL_NERM_BASE_URL", &resource),
        ("SAIL_NERM_API_TOKEN", fixtures::NERM_API_TOKEN),
    ]);
    assert!(
        example::run(&env, &[fixtures::NERM_WORKFLOW_ID.to_string()])
            .await
            .unwrap()
            .is_none()
    );
    for (op, want) in workflow() {
        assert_eq!(
            sb.statuses(Vendor::Nerm, op),
            want,
            "{op} went to the configured server"
        );
    }
}

#[tokio::test]
async fn with_credentials_but_no_ids_the_example_says_how_to_call_it() {
    let env = lookup(&[
        ("SAIL_NERM_BASE_URL", "https://acme.nonemployee.com/api"),
        ("SAIL_NERM_API_TOKEN", "nerm-example-token"),
    ]);
    let err = example::run(&env, &[]).await.unwrap_err();
    assert!(err.to_string().starts_with("usage: "), "{err}");
}
