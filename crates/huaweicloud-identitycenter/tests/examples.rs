//! The crate's example runs its whole workflow against idprov-sandbox when no Huawei Cloud credentials are set,
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
#[path = "../examples/provision_permission_set.rs"]
mod example;

use idprov_sandbox::Vendor;
use idprov_testkit::lookup;

/// Each operation the example calls, with the statuses the sandbox answers it.
fn workflow() -> Vec<(&'static str, Vec<Option<u16>>)> {
    vec![
        ("provision_permission_set", vec![Some(200)]),
        ("list_permission_set_provisioning_statuses", vec![Some(200)]),
    ]
}

#[tokio::test]
async fn without_credentials_the_example_runs_its_workflow_against_the_sandbox() {
    let sb = example::run(&|_| None, &[])
        .await
        .unwrap()
        .expect("no credentials set: the example starts a sandbox");
    for (op, want) in workflow() {
        assert_eq!(sb.statuses(Vendor::Huawei, op), want, "{op}");
    }
    let polls = sb.statuses(Vendor::Huawei, "get_permission_set_provisioning_status");
    assert!(
        !polls.is_empty() && polls.iter().all(|s| *s == Some(200)),
        "the example waited for its job: {polls:?}"
    );
}

#[tokio::test]
async fn with_credentials_but_no_ids_the_example_says_how_to_call_it() {
    let env = lookup(&[
        ("HUAWEICLOUD_SDK_AK", "EXAMPLEAK"),
        ("HUAWEICLOUD_SDK_SK", "example-secret-key"),
    ]);
    let err = example::run(&env, &[]).await.unwrap_err();
    assert!(err.to_string().starts_with("usage: "), "{err}");
}
