//! The crash test: a bulk of Seam launches against idprov-sandbox, run in a child process that is killed
//! with SIGKILL at random points and resumed each time; in the end every line must have created exactly
//! one enrollment automation, or be reported unknown, and no user identity may have two.
//!
//! The child is this test binary itself, running the ignored test `child_bulk_run` (which does nothing
//! unless the parent set its environment), so the sandbox lives on in the parent across the kills.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use idprov_bulk::{
    Api, DirectCaller, FilesOptions, LineResult, Lookups, Operation, RunOptions, bulk_retry_policy,
    run_files,
};
use idprov_sandbox::{Fault, FaultRule, Sandbox, SeamUserIdentity, Seed, Vendor, fixtures};
use serde_json::json;

const LINES: usize = 300;
const CHILD: &str = "IDPROV_BULK_CRASH_CHILD_INPUT";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_killed_at_random_points_and_resumed_creates_each_line_once_or_reports_it_unknown() {
    let mut seed = Seed::default();
    let users: Vec<uuid::Uuid> = (0..LINES)
        .map(|i| uuid::Uuid::from_u128(0xc4a5_0000_0000_4000_8000_0000_0000_0000 + i as u128))
        .collect();
    seed.seam.user_identities = users
        .iter()
        .map(|id| SeamUserIdentity {
            user_identity_id: *id,
            email_address: None,
            display_name: None,
        })
        .collect();
    let sb = Sandbox::builder().seed(seed).start().await.unwrap();
    // Each launch takes 20 ms at the server, so a whole run takes a few hundred ms and a kill lands
    // with calls in flight.
    sb.add_fault(FaultRule::operation(
        Vendor::Seam,
        "launch_enrollment_automation",
        Fault::latency(Duration::from_millis(20)),
    ));
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("launch.jsonl");
    let text: String = users
        .iter()
        .map(|u| {
            json!({"body": {"user_identity_id": u, "credential_manager_acs_system_id": fixtures::SEAM_CREDENTIAL_MANAGER_ID}})
                .to_string()
                + "\n"
        })
        .collect();
    std::fs::write(&input, text).unwrap();

    let spawn = |resume: bool| {
        tokio::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "child_bulk_run",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads",
                "1",
            ])
            .env(CHILD, &input)
            .env(
                "IDPROV_BULK_CRASH_CHILD_SEAM_URL",
                sb.base_url(Vendor::Seam),
            )
            .env(
                "IDPROV_BULK_CRASH_CHILD_RESUME",
                if resume { "1" } else { "0" },
            )
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap()
    };

    let mut killed = 0;
    let mut finished = false;
    for round in 0..6 {
        let mut child = spawn(round > 0);
        let wait = Duration::from_millis(fastrand::u64(60..260));
        match tokio::time::timeout(wait, child.wait()).await {
            Ok(status) => {
                let status = status.unwrap();
                let out = child.wait_with_output().await.unwrap();
                assert!(
                    status.code().is_some(),
                    "the child ended by a signal: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                finished = true;
                break;
            }
            Err(_) => {
                child.start_kill().unwrap(); // SIGKILL
                let status = child.wait().await.unwrap();
                assert!(status.code().is_none(), "killed by a signal");
                killed += 1;
            }
        }
    }
    assert!(
        killed >= 1,
        "no run was killed mid-way: the test checked nothing"
    );
    if !finished {
        let out = spawn(true).wait_with_output().await.unwrap();
        assert!(
            out.status.code().is_some(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // Every line: ok with the one automation its user identity has, or unknown with at most one.
    let results: Vec<serde_json::Value> =
        std::fs::read_to_string(dir.path().join("launch.results.jsonl"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
    assert_eq!(results.len(), LINES);
    let mut by_status: HashMap<String, usize> = HashMap::new();
    for (i, user) in users.iter().enumerate() {
        let made: Vec<String> = sb
            .seam_enrollment_automations(*user)
            .iter()
            .map(ToString::to_string)
            .collect();
        let result: LineResult = serde_json::from_value(results[i].clone()).unwrap();
        assert_eq!(results[i]["line"], i + 1);
        match &result {
            LineResult::Ok { id: Some(id), .. } => {
                assert_eq!(
                    made,
                    std::slice::from_ref(id),
                    "line {}: created once, with the id recorded",
                    i + 1
                );
            }
            LineResult::Unknown { .. } => assert!(made.len() <= 1, "line {}: {made:?}", i + 1),
            other => panic!("line {}: {other:?}", i + 1),
        }
        *by_status
            .entry(match &result {
                LineResult::Ok {
                    found_by_lookup: true,
                    ..
                } => "found by lookup".to_string(),
                LineResult::Ok { .. } => "ok".to_string(),
                _ => "unknown".to_string(),
            })
            .or_default() += 1;
    }
    eprintln!("{killed} kills; results: {by_status:?}");
}

/// The child: one bulk run of the parent's input against the parent's sandbox (does nothing otherwise).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "the crash test's child process; run by the crash test"]
async fn child_bulk_run() {
    let Some(input) = std::env::var_os(CHILD) else {
        return;
    };
    let url = std::env::var("IDPROV_BULK_CRASH_CHILD_SEAM_URL").unwrap();
    let resume = std::env::var("IDPROV_BULK_CRASH_CHILD_RESUME").as_deref() == Ok("1");
    let config = idprov_seam::ClientConfig::new(idprov_seam::Credentials::ApiKey(
        idprov_runtime::Secret::new(fixtures::SEAM_API_KEY),
    ))
    .base_url(url)
    .retry(bulk_retry_policy());
    let seam = idprov_seam::Client::with_config(config).unwrap();
    let op = Operation::find(Api::Seam, "launch_enrollment_automation").unwrap();
    let caller = DirectCaller::new(
        op,
        Lookups {
            seam: Some(seam),
            ..Lookups::default()
        },
    )
    .unwrap();
    let mut options = FilesOptions::new(input, "seam", op.id);
    options.resume = resume;
    options.progress = false;
    options.run = RunOptions {
        concurrency: 16,
        id_pointer: op.id_pointer().map(Into::into),
        ..RunOptions::default()
    };
    let report = run_files(Arc::new(caller), &options).await.unwrap();
    eprintln!("{}", report.summary);
    std::process::exit(if report.summary.succeeded() { 0 } else { 2 });
}
