//! What `idprov` prints on stderr and how it exits when a call fails: 404, 401, 429, a missing
//! environment variable, a body that is not JSON or does not fit, an unknown parameter; and that no
//! secret reaches stdout or stderr (every run of the helper checks that too).

mod common;

use common::Cli;
use idprov_sandbox::{Fault, FaultRule, Vendor, fixtures};

/// The value of `name: value` on a line of `stderr`.
fn field<'a>(stderr: &'a str, name: &str) -> Option<&'a str> {
    stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix(&format!("{name}: ")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_found_exits_4_with_kind_status_message_and_the_vendors_request_id() {
    let cli = Cli::start().await;
    let run = cli
        .run(&[
            "aveva",
            "get-automation-identity",
            "--tenant-id",
            fixtures::AVEVA_TENANT_ID,
            "--automation-identity-id",
            "00000000-0000-4000-8000-000000000000",
        ])
        .await;
    assert_eq!(run.code, 4, "{run:?}");
    assert!(run.stdout.is_empty(), "errors go to stderr only: {run:?}");
    assert_eq!(field(&run.stderr, "kind"), Some("NotFound"));
    assert_eq!(field(&run.stderr, "status"), Some("404"));
    assert!(
        field(&run.stderr, "message").is_some_and(|m| m.contains("not found")),
        "{run:?}"
    );
    let answered = cli
        .sb
        .requests_to(Vendor::Aveva)
        .into_iter()
        .rfind(|r| r.is("get_automation_identity"))
        .expect("the call reached the sandbox");
    assert_eq!(
        field(&run.stderr, "request id"),
        Some(answered.request_id.as_str())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_credentials_exit_3_with_the_vendors_code_and_never_show_the_key() {
    let cli = Cli::start().await;
    let wrong = "seam_wrong_key_0123456789abcdef";
    let run = cli
        .run_env(
            &[
                "seam",
                "list-enrollment-automations",
                "--user-identity-id",
                fixtures::SEAM_USER_IDENTITY_ID,
            ],
            &[("SEAM_API_KEY", wrong)],
            &[],
        )
        .await;
    assert_eq!(run.code, 3, "{run:?}");
    assert_eq!(field(&run.stderr, "kind"), Some("Auth"));
    assert_eq!(field(&run.stderr, "status"), Some("401"));
    assert!(
        field(&run.stderr, "code").is_some(),
        "Seam's error type: {run:?}"
    );
    let sent = cli.sb.requests_to(Vendor::Seam);
    assert_eq!(sent.last().and_then(|r| r.status), Some(401));
    // run_env asserted that `wrong` appears in neither stdout nor stderr.
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limited_after_the_clients_retries_exits_5() {
    let cli = Cli::start().await;
    cli.sb.add_fault(FaultRule::operation(
        Vendor::Isc,
        "list_machine_account_create_access",
        Fault::Status {
            status: 429,
            retry_after_secs: Some(0),
        },
    ));
    let run = cli
        .run(&["isc", "list-machine-account-create-access"])
        .await;
    assert_eq!(run.code, 5, "{run:?}");
    assert_eq!(field(&run.stderr, "kind"), Some("RateLimited"));
    assert_eq!(field(&run.stderr, "status"), Some("429"));
    let attempts = cli
        .sb
        .requests_to(Vendor::Isc)
        .iter()
        .filter(|r| r.is("list_machine_account_create_access"))
        .count();
    assert!(
        attempts > 1,
        "the client retried before giving up: {attempts}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_exit_6() {
    let cli = Cli::start().await;
    cli.sb.add_fault(FaultRule::operation(
        Vendor::Nerm,
        "list_workflow_actions",
        Fault::status(500),
    ));
    let run = cli.run(&["nerm", "list-workflow-actions"]).await;
    assert_eq!(run.code, 6, "{run:?}");
    assert_eq!(field(&run.stderr, "status"), Some("500"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_environment_variable_exits_2_naming_it_and_sends_nothing() {
    let cli = Cli::start().await;
    let run = cli
        .run_env(
            &[
                "huawei",
                "list-permission-set-provisioning-statuses",
                "--instance-id",
                fixtures::HUAWEI_INSTANCE_ID,
            ],
            &[],
            &["HUAWEICLOUD_SDK_SK"],
        )
        .await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("HUAWEICLOUD_SDK_SK"), "{run:?}");
    assert!(cli.sb.requests_to(Vendor::Huawei).is_empty());

    // AVEVA's base URL variable: --base-url stands in for it.
    let run = cli
        .run_env(
            &[
                "aveva",
                "count-automation-identities",
                "--tenant-id",
                fixtures::AVEVA_TENANT_ID,
            ],
            &[],
            &["AVEVA_CONNECT_RESOURCE"],
        )
        .await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("AVEVA_CONNECT_RESOURCE"), "{run:?}");
    let base = cli.sb.base_url(Vendor::Aveva);
    let run = cli
        .run_env(
            &[
                "aveva",
                "count-automation-identities",
                "--tenant-id",
                fixtures::AVEVA_TENANT_ID,
                "--base-url",
                &base,
            ],
            &[],
            &["AVEVA_CONNECT_RESOURCE"],
        )
        .await;
    assert_eq!(run.code, 0, "{run:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_is_not_json_or_does_not_fit_exits_2_naming_the_problem() {
    let cli = Cli::start().await;
    let run = cli
        .run(&[
            "seam",
            "get-enrollment-automation",
            "--body",
            r#"{"enrollment_automation_id": "#,
        ])
        .await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("--body is not valid JSON"), "{run:?}");
    assert!(run.stderr.contains("line 1 column"), "where: {run:?}");

    let run = cli
        .run(&[
            "seam",
            "get-enrollment-automation",
            "--body",
            r#"{"enrollment_automation_id": 5}"#,
        ])
        .await;
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        field(&run.stderr, "field"),
        Some("body.enrollment_automation_id")
    );
    assert!(run.stderr.contains("UUID"), "what was expected: {run:?}");
    assert!(
        cli.sb.requests_to(Vendor::Seam).is_empty(),
        "nothing was sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_parameter_exits_2_naming_it() {
    let cli = Cli::start().await;
    let run = cli
        .run(&["nerm", "list-workflow-actions", "--colour", "blue"])
        .await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("--colour"), "{run:?}");
    let run = cli
        .run(&["nerm", "list-workflow-actions", "--limit", "ten"])
        .await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("--limit takes a whole number"),
        "{run:?}"
    );
    assert!(
        cli.sb.requests_to(Vendor::Nerm).is_empty(),
        "nothing was sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_value_over_a_documented_limit_is_refused_before_sending() {
    let cli = Cli::start().await;
    // Huawei's limit is 1 to 100.
    let run = cli
        .run(&[
            "huawei",
            "list-permission-set-provisioning-statuses",
            "--instance-id",
            fixtures::HUAWEI_INSTANCE_ID,
            "--limit",
            "1000",
        ])
        .await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("limit"), "{run:?}");
    assert!(
        cli.sb.requests_to(Vendor::Huawei).is_empty(),
        "nothing was sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_with_every_credential_set_shows_none_of_them() {
    let cli = Cli::start().await;
    for args in [
        &["--help"][..],
        &["seam", "--help"],
        &["aveva", "create-automation-identity", "--help"],
        &["isc", "create-machine-account-request", "--help"],
        &["huawei", "provision-permission-set", "--help"],
        &["nerm", "list-workflow-actions", "--help"],
    ] {
        let run = cli.run(args).await;
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
        assert!(run.stdout.contains("Usage:"), "{run:?}");
        // Cli::run asserted that no secret of the environment is in stdout or stderr.
    }
}
