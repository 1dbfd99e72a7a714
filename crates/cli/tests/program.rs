//! The program around the calls: help generated from the specs, shell completions, `idprov sandbox`.

#![allow(clippy::expect_used, clippy::panic)] // test helpers: a failure is the test failing

use tokio::io::AsyncBufReadExt;

async fn idprov(args: &[&str]) -> std::process::Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_idprov"))
        .args(args)
        .env_clear()
        .output()
        .await
        .expect("idprov runs")
}

#[tokio::test]
async fn operation_help_comes_from_the_specs_summary_description_and_parameters() {
    for api in idprov_cli::Api::ALL {
        for c in api.commands() {
            let out = idprov(&[api.name(), c.name, "--help"]).await;
            assert_eq!(out.status.code(), Some(0));
            let help = String::from_utf8_lossy(&out.stdout);
            assert!(help.contains(c.summary), "{api} {}: {help}", c.name);
            assert!(help.contains(c.path), "{api} {}: {help}", c.name);
            for p in c.params {
                assert!(
                    help.contains(&format!("--{}", p.flag)),
                    "{api} {} --{}",
                    c.name,
                    p.flag
                );
            }
            assert!(help.contains("Exit codes:"), "{help}");
        }
    }
}

#[tokio::test]
async fn completions_name_every_api_and_operation() {
    let out = idprov(&["completions", "bash"]).await;
    assert_eq!(out.status.code(), Some(0));
    let script = String::from_utf8_lossy(&out.stdout);
    for api in idprov_cli::Api::ALL {
        assert!(script.contains(api.name()), "{api}");
        for c in api.commands() {
            assert!(script.contains(c.name), "{api} {}", c.name);
        }
    }
    for shell in ["zsh", "fish"] {
        let out = idprov(&["completions", shell]).await;
        assert_eq!(out.status.code(), Some(0), "{shell}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("list-automation-identities"));
    }
    let out = idprov(&["completions", "tcsh"]).await;
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

#[tokio::test]
async fn idprov_sandbox_serves_the_apis_and_prints_their_urls_and_credentials() {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_idprov"))
        .args(["sandbox", "--port", "0"])
        .env_clear()
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("idprov sandbox starts");
    let stdout = child.stdout.take().expect("piped");
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let line = tokio::time::timeout(std::time::Duration::from_secs(30), lines.next_line())
        .await
        .expect("the info line in time")
        .expect("readable")
        .expect("a line");
    let info: serde_json::Value = serde_json::from_str(&line).expect("JSON");
    let seam_url = info["seam"]["base_url"]
        .as_str()
        .expect("Seam's base URL")
        .to_string();
    assert!(seam_url.starts_with("http://127.0.0.1:"), "{seam_url}");

    // The playground: idprov against idprov sandbox.
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_idprov"))
        .args([
            "seam",
            "list-enrollment-automations",
            "--user-identity-id",
            idprov_sandbox::fixtures::SEAM_USER_IDENTITY_ID,
        ])
        .env_clear()
        .env(
            "SEAM_API_KEY",
            info["seam"]["api_key"].as_str().unwrap_or_default(),
        )
        .env("SEAM_ENDPOINT", &seam_url)
        .output()
        .await
        .expect("idprov runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(listed["ok"], true);
    child.kill().await.expect("stopped");
}

#[tokio::test]
async fn sandbox_flags_are_the_sandbox_binarys() {
    let out = idprov(&["sandbox", "--help"]).await;
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in ["--port", "--bind", "--seed"] {
        assert!(help.contains(flag), "{help}");
    }
    let out = idprov(&["sandbox", "--seed", "/nonexistent/seed.yaml"]).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}
