//! The crate's example runs its whole workflow against idprov-sandbox when no Seam credentials are set,
//! and uses the credentials (and `SEAM_ENDPOINT`) when they are.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

#[allow(
    dead_code,
    reason = "the example's main is not called here; its run is"
)]
#[path = "../examples/enrollment_automation.rs"]
mod example;

use idprov_sandbox::{Sandbox, Vendor, fixtures};
use idprov_testkit::lookup;

/// Each operation the sandbox received, with the status it answered.
fn calls(sb: &Sandbox) -> Vec<(String, Option<u16>)> {
    sb.requests_to(Vendor::Seam)
        .into_iter()
        .map(|r| (r.operation.unwrap_or_default(), r.status))
        .collect()
}

const WORKFLOW: [(&str, Option<u16>); 4] = [
    ("launch_enrollment_automation", Some(200)),
    ("get_enrollment_automation", Some(200)),
    ("list_enrollment_automations", Some(200)),
    ("delete_enrollment_automation", Some(200)),
];

#[tokio::test]
async fn without_credentials_the_example_runs_its_workflow_against_the_sandbox() {
    let sb = example::run(&|_| None, &[])
        .await
        .unwrap()
        .expect("no credentials set: the example starts a sandbox");
    let seen = calls(&sb);
    assert_eq!(seen.len(), WORKFLOW.len(), "{seen:?}");
    for ((op, status), (want, want_status)) in seen.iter().zip(WORKFLOW) {
        assert_eq!((op.as_str(), *status), (want, want_status));
    }
}

#[tokio::test]
async fn with_credentials_set_the_example_uses_them_and_starts_no_sandbox() {
    let sb = Sandbox::start().await.unwrap();
    let endpoint = sb.base_url(Vendor::Seam);
    let env = lookup(&[
        ("SEAM_API_KEY", fixtures::SEAM_API_KEY),
        ("SEAM_ENDPOINT", &endpoint),
    ]);
    let args = [
        fixtures::SEAM_USER_IDENTITY_ID.to_string(),
        fixtures::SEAM_CREDENTIAL_MANAGER_ID.to_string(),
    ];
    assert!(example::run(&env, &args).await.unwrap().is_none());
    assert_eq!(
        calls(&sb).len(),
        WORKFLOW.len(),
        "the requests went to the endpoint set"
    );
}

#[tokio::test]
async fn with_credentials_but_no_ids_the_example_says_how_to_call_it() {
    let env = lookup(&[("SEAM_API_KEY", "seam_example_key_0123")]);
    let err = example::run(&env, &[]).await.unwrap_err();
    assert!(err.to_string().starts_with("usage: "), "{err}");
}
