//! The crate's example runs its whole workflow against idprov-sandbox when no ISC settings are set,
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
#[path = "../examples/machine_account.rs"]
mod example;

use idprov_sandbox::{Sandbox, TOKEN_OPERATION, Vendor, fixtures};
use idprov_testkit::lookup;

/// Each operation the example calls, with the statuses the sandbox answers it.
fn workflow() -> Vec<(&'static str, Vec<Option<u16>>)> {
    vec![
        (TOKEN_OPERATION, vec![Some(200)]),
        ("create_machine_account_request", vec![Some(202)]),
        ("list_machine_account_create_access", vec![Some(200)]),
    ]
}

#[tokio::test]
async fn without_credentials_the_example_runs_its_workflow_against_the_sandbox() {
    let sb = example::run(&|_| None, &[])
        .await
        .unwrap()
        .expect("no credentials set: the example starts a sandbox");
    for (op, want) in workflow() {
        assert_eq!(sb.statuses(Vendor::Isc, op), want, "{op}");
    }
    let polls = sb.statuses(Vendor::Isc, "get_account_request");
    assert!(
        !polls.is_empty() && polls.iter().all(|s| *s == Some(200)),
        "the example waited for its job: {polls:?}"
    );
}

#[tokio::test]
async fn with_credentials_set_the_example_uses_them_and_starts_no_sandbox() {
    let sb = Sandbox::start().await.unwrap();
    let resource = sb.base_url(Vendor::Isc);
    let env = lookup(&[
        ("SAIL_BASE_URL", &resource),
        ("SAIL_CLIENT_ID", fixtures::ISC_CLIENT_ID),
        ("SAIL_CLIENT_SECRET", fixtures::ISC_CLIENT_SECRET),
    ]);
    assert!(
        example::run(
            &env,
            &[
                fixtures::ISC_SUBTYPE_ID.to_string(),
                fixtures::ISC_OWNER_IDENTITY_ID.to_string()
            ]
        )
        .await
        .unwrap()
        .is_none()
    );
    for (op, want) in workflow() {
        assert_eq!(
            sb.statuses(Vendor::Isc, op),
            want,
            "{op} went to the configured server"
        );
    }
}

#[tokio::test]
async fn with_credentials_but_no_ids_the_example_says_how_to_call_it() {
    let env = lookup(&[
        ("SAIL_BASE_URL", "https://acme.api.identitynow.com"),
        ("SAIL_ACCESS_TOKEN", "isc-example-token"),
    ]);
    let err = example::run(&env, &[]).await.unwrap_err();
    assert!(err.to_string().starts_with("usage: "), "{err}");
}
