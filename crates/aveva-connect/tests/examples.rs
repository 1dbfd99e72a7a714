//! The crate's example runs its whole workflow against idprov-sandbox when no AVEVA CONNECT settings are set,
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
#[path = "../examples/automation_identities.rs"]
mod example;

use idprov_sandbox::{Sandbox, TOKEN_OPERATION, Vendor, fixtures};
use idprov_testkit::lookup;

/// Each operation the example calls, with the statuses the sandbox answers it.
fn workflow() -> Vec<(&'static str, Vec<Option<u16>>)> {
    vec![
        (TOKEN_OPERATION, vec![Some(200)]),
        ("create_automation_identity", vec![Some(201)]),
        ("count_automation_identities", vec![Some(200)]),
        ("get_automation_identity", vec![Some(200)]),
        ("update_automation_identity", vec![Some(200)]),
        ("list_automation_identities", vec![Some(200)]),
        ("delete_automation_identity", vec![Some(204)]),
    ]
}

#[tokio::test]
async fn without_credentials_the_example_runs_its_workflow_against_the_sandbox() {
    let sb = example::run(&|_| None, &[])
        .await
        .unwrap()
        .expect("no credentials set: the example starts a sandbox");
    for (op, want) in workflow() {
        assert_eq!(sb.statuses(Vendor::Aveva, op), want, "{op}");
    }
}

#[tokio::test]
async fn with_credentials_set_the_example_uses_them_and_starts_no_sandbox() {
    let sb = Sandbox::start().await.unwrap();
    let resource = sb.base_url(Vendor::Aveva);
    let env = lookup(&[
        ("AVEVA_CONNECT_RESOURCE", &resource),
        ("AVEVA_CONNECT_CLIENT_ID", fixtures::AVEVA_CLIENT_ID),
        ("AVEVA_CONNECT_CLIENT_SECRET", fixtures::AVEVA_CLIENT_SECRET),
    ]);
    assert!(
        example::run(&env, &[fixtures::AVEVA_TENANT_ID.to_string()])
            .await
            .unwrap()
            .is_none()
    );
    for (op, want) in workflow() {
        assert_eq!(
            sb.statuses(Vendor::Aveva, op),
            want,
            "{op} went to the configured server"
        );
    }
}

#[tokio::test]
async fn with_credentials_but_no_ids_the_example_says_how_to_call_it() {
    let env = lookup(&[
        (
            "AVEVA_CONNECT_RESOURCE",
            "https://uswe.datahub.connect.aveva.com",
        ),
        ("AVEVA_CONNECT_ACCESS_TOKEN", "aveva-example-token"),
    ]);
    let err = example::run(&env, &[]).await.unwrap_err();
    assert!(err.to_string().starts_with("usage: "), "{err}");
}
