//! `idprov <api> <operation> --from FILE.jsonl` through the binary, against idprov-sandbox in this test
//! process: a run with its results file and summary, a journal in the way, and the crash test — the run
//! killed with SIGKILL at random points and resumed until it ends, then every line must have created
//! exactly one enrollment automation or be reported unknown, and no user identity may have two.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use idprov_sandbox::{Fault, FaultRule, Sandbox, SeamUserIdentity, Seed, Vendor, fixtures};
use serde_json::{Value, json};

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("idprov-cli-bulk-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A sandbox whose Seam workspace has `n` user identities, and their ids.
async fn sandbox(n: usize, salt: u128) -> (Sandbox, Vec<uuid::Uuid>) {
    let users: Vec<uuid::Uuid> = (0..n)
        .map(|i| uuid::Uuid::from_u128((salt << 96) + 0x4000_8000_0000_0000_0000 + i as u128))
        .collect();
    let mut seed = Seed::default();
    seed.seam.user_identities = users
        .iter()
        .map(|id| SeamUserIdentity {
            user_identity_id: *id,
            email_address: None,
            display_name: None,
        })
        .collect();
    (Sandbox::builder().seed(seed).start().await.unwrap(), users)
}

fn write_launches(path: &Path, users: &[uuid::Uuid]) {
    let text: String = users
        .iter()
        .map(|u| {
            json!({"body": {"user_identity_id": u, "credential_manager_acs_system_id": fixtures::SEAM_CREDENTIAL_MANAGER_ID}})
                .to_string()
                + "\n"
        })
        .collect();
    std::fs::write(path, text).unwrap();
}

fn idprov(sb: &Sandbox, args: &[&str]) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_idprov"));
    cmd.args(args)
        .env_clear()
        .env("SEAM_API_KEY", fixtures::SEAM_API_KEY)
        .env("SEAM_ENDPOINT", sb.base_url(Vendor::Seam))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    cmd
}

fn results(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The ids of the enrollment automations of each user identity, in `users`' order.
fn automations(sb: &Sandbox, users: &[uuid::Uuid]) -> Vec<Vec<String>> {
    users
        .iter()
        .map(|u| {
            sb.seam_enrollment_automations(*u)
                .iter()
                .map(ToString::to_string)
                .collect()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_run_writes_a_result_per_line_a_summary_and_refuses_a_second_run_without_resume() {
    let (sb, users) = sandbox(5, 0xb1).await;
    let dir = scratch("run");
    let input = dir.join("launch.jsonl");
    write_launches(&input, &users);
    std::fs::write(
        &input,
        std::fs::read_to_string(&input).unwrap() + "\n{\"bdy\": {}}\n",
    )
    .unwrap();
    let from = input.to_str().unwrap();
    let out = idprov(
        &sb,
        &[
            "seam",
            "launch-enrollment-automation",
            "--from",
            from,
            "--concurrency",
            "3",
        ],
    )
    .output()
    .await
    .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "an invalid line fails the run: {out:?}"
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["summary"]["ok"], 5, "{summary}");
    assert_eq!(summary["summary"]["invalid"], 1);
    assert_eq!(summary["summary"]["blank"], 1);
    let lines = results(&dir.join("launch.results.jsonl"));
    assert_eq!(lines.len(), 7);
    let made = automations(&sb, &users);
    for (i, line) in lines.iter().take(5).enumerate() {
        assert_eq!(line["line"], i + 1);
        assert_eq!(line["status"], "ok");
        assert_eq!(made[i], [line["id"].as_str().unwrap().to_string()]);
    }
    assert_eq!(lines[6]["status"], "invalid");
    assert!(
        lines[6]["error"].as_str().unwrap().contains("\"bdy\""),
        "{}",
        lines[6]
    );

    let again = idprov(
        &sb,
        &["seam", "launch-enrollment-automation", "--from", from],
    )
    .output()
    .await
    .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("--resume"),
        "{again:?}"
    );
    let resumed = idprov(
        &sb,
        &[
            "seam",
            "launch-enrollment-automation",
            "--from",
            from,
            "--resume",
        ],
    )
    .output()
    .await
    .unwrap();
    let summary: Value = serde_json::from_slice(&resumed.stdout).unwrap();
    assert_eq!(
        summary["summary"]["requests"], 0,
        "nothing sent again: {summary}"
    );
    assert!(automations(&sb, &users).iter().all(|a| a.len() == 1));
    for file in ["launch.results.jsonl", "launch.results.jsonl.journal"] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(
            !text.contains(fixtures::SEAM_API_KEY),
            "{file} holds the API key"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_run_killed_at_random_points_and_resumed_creates_each_line_once_or_reports_it_unknown()
 {
    const LINES: usize = 300;
    let (sb, users) = sandbox(LINES, 0xc7).await;
    // 20 ms a launch at the server: a whole run takes a few hundred ms, so a kill lands mid-run.
    sb.add_fault(FaultRule::operation(
        Vendor::Seam,
        "launch_enrollment_automation",
        Fault::latency(Duration::from_millis(20)),
    ));
    let dir = scratch("crash");
    let input = dir.join("launch.jsonl");
    write_launches(&input, &users);
    let from = input.to_str().unwrap().to_string();
    let args = |resume: bool| {
        let mut a = vec![
            "seam",
            "launch-enrollment-automation",
            "--from",
            from.as_str(),
            "--concurrency",
            "16",
        ];
        if resume {
            a.push("--resume");
        }
        a.into_iter().map(str::to_string).collect::<Vec<_>>()
    };
    let spawn = |resume: bool| {
        let a = args(resume);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        idprov(&sb, &a).spawn().unwrap()
    };
    let (mut killed, mut finished) = (0, false);
    for round in 0..6 {
        let mut child = spawn(round > 0);
        // A random point in the run: 60 to 259 ms after the start.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let at = Duration::from_millis(60 + u64::from(nanos % 200));
        match tokio::time::timeout(at, child.wait()).await {
            Ok(status) => {
                assert!(status.unwrap().code().is_some());
                finished = true;
                break;
            }
            Err(_) => {
                // SIGKILL; a run that ended on its own just before the kill landed is a finished one.
                let _ = child.start_kill();
                if child.wait().await.unwrap().code().is_some() {
                    finished = true;
                    break;
                }
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
        assert!(out.status.code().is_some(), "{out:?}");
    }
    let lines = results(&dir.join("launch.results.jsonl"));
    assert_eq!(lines.len(), LINES);
    let made = automations(&sb, &users);
    let mut found = 0;
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line["line"], i + 1);
        match line["status"].as_str() {
            Some("ok") => {
                assert_eq!(
                    made[i],
                    [line["id"].as_str().unwrap().to_string()],
                    "line {}",
                    i + 1
                );
                found += usize::from(line["found_by_lookup"] == true);
            }
            Some("unknown") => assert!(made[i].len() <= 1, "line {}: {:?}", i + 1, made[i]),
            _ => panic!("line {}: {line}", i + 1),
        }
    }
    eprintln!("{killed} kills, {found} lines found by lookup after a kill");
    let _ = std::fs::remove_dir_all(&dir);
}
