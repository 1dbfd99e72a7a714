//! `--all` streams every item across pages as JSON Lines; `--wait` polls an asynchronous job to its end,
//! printing its last state, or exits 7 with the vendor's failure reason.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::Cli;
use idprov_sandbox::{JobPlan, Outcome, Sandbox, Vendor, fixtures};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_streams_every_item_of_every_page_as_json_lines() {
    let cli = Cli::start().await;
    let tenant = fixtures::AVEVA_TENANT_ID;
    let mut created = BTreeSet::new();
    for n in 0..5 {
        let made = cli
            .run(&[
                "aveva",
                "create-automation-identity",
                "--tenant-id",
                tenant,
                "--body",
                &format!(r#"{{"Name": "bot-{n}", "Tags": ["paged"]}}"#),
            ])
            .await
            .ok_json();
        created.insert(made["Id"].as_str().expect("an Id").to_string());
    }
    cli.sb.clear_requests();
    let run = cli
        .run(&[
            "aveva",
            "list-automation-identities",
            "--tenant-id",
            tenant,
            "--all",
            "--page-size",
            "2",
        ])
        .await;
    assert_eq!(run.code, 0, "{run:?}");
    let items = run.lines();
    let ids: BTreeSet<String> = items
        .iter()
        .filter_map(|i| i["Id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(items.len(), 5, "one line per item: {}", run.stdout);
    assert_eq!(ids, created);
    let pages: Vec<String> = cli
        .sb
        .requests_to(Vendor::Aveva)
        .into_iter()
        .filter(|r| r.is("list_automation_identities"))
        .map(|r| r.query.unwrap_or_default())
        .collect();
    assert_eq!(pages.len(), 3, "pages of 2, 2 and 1: {pages:?}");
    assert!(pages.iter().all(|q| q.contains("count=2")), "{pages:?}");

    let table = cli
        .run(&[
            "aveva",
            "list-automation-identities",
            "--tenant-id",
            tenant,
            "--all",
            "--output",
            "table",
        ])
        .await;
    assert_eq!(table.code, 0, "{table:?}");
    assert_eq!(
        table.stdout.lines().count(),
        6,
        "a header and 5 rows: {}",
        table.stdout
    );
    assert!(
        table
            .stdout
            .lines()
            .next()
            .is_some_and(|h| h.contains("NAME"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_on_an_operation_that_does_not_page_is_not_offered() {
    let cli = Cli::start().await;
    let run = cli
        .run(&[
            "seam",
            "list-enrollment-automations",
            "--user-identity-id",
            fixtures::SEAM_USER_IDENTITY_ID,
            "--all",
        ])
        .await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("--all"), "{run:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_polls_an_isc_machine_account_request_to_its_end() {
    let cli = Cli::with(
        Sandbox::builder().isc_jobs(JobPlan::after(Duration::from_millis(300), Outcome::Succeed)),
    )
    .await;
    let body = format!(
        r#"{{"subtypeId": "{}", "ownerIdentityId": "{}", "entitlementIds": [], "userInput": {{}}}}"#,
        fixtures::ISC_SUBTYPE_ID,
        fixtures::ISC_OWNER_IDENTITY_ID
    );
    let run = cli
        .run(&[
            "isc",
            "create-machine-account-request",
            "--body",
            &body,
            "--wait",
            "--poll-interval",
            "50",
        ])
        .await;
    let done = run.ok_json();
    assert!(
        done["completedAt"].is_string(),
        "the last state is the finished request: {done}"
    );
    let polls = cli
        .sb
        .requests_to(Vendor::Isc)
        .iter()
        .filter(|r| r.is("get_account_request"))
        .count();
    assert!(polls >= 2, "it polled until the end: {polls}");
    assert!(
        run.stderr.is_empty(),
        "no spinner when stderr is not a terminal: {run:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_on_a_failed_huawei_provisioning_exits_7_with_the_vendors_reason() {
    let cli = Cli::with(Sandbox::builder().huawei_jobs(JobPlan::after(
        Duration::from_millis(200),
        Outcome::fail("the permission set has too many policies"),
    )))
    .await;
    let run = cli
        .run(&[
            "huawei",
            "provision-permission-set",
            "--instance-id",
            fixtures::HUAWEI_INSTANCE_ID,
            "--permission-set-id",
            fixtures::HUAWEI_PERMISSION_SET_ID,
            "--target-type",
            "ACCOUNT",
            "--target-id",
            fixtures::HUAWEI_ACCOUNT_ID,
            "--wait",
            "--poll-interval",
            "50",
        ])
        .await;
    assert_eq!(run.code, 7, "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(
        run.stderr
            .contains("the permission set has too many policies"),
        "{run:?}"
    );
    assert!(run.stderr.contains("kind: JobFailed"), "{run:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_gives_up_after_the_timeout_with_a_timeout_error() {
    let cli = Cli::with(Sandbox::builder().huawei_jobs(JobPlan::manual())).await;
    let started = cli
        .run(&[
            "huawei",
            "provision-permission-set",
            "--instance-id",
            fixtures::HUAWEI_INSTANCE_ID,
            "--permission-set-id",
            fixtures::HUAWEI_PERMISSION_SET_ID,
            "--target-type",
            "ALL_PROVISIONED_ACCOUNTS",
        ])
        .await
        .ok_json();
    let id = started["permission_set_provisioning_status"]["request_id"]
        .as_str()
        .expect("a request id")
        .to_string();
    let run = cli
        .run(&[
            "huawei",
            "get-permission-set-provisioning-status",
            "--instance-id",
            fixtures::HUAWEI_INSTANCE_ID,
            "--request-id",
            &id,
            "--wait",
            "--wait-timeout",
            "1",
            "--poll-interval",
            "100",
        ])
        .await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("kind: Timeout"), "{run:?}");
}
