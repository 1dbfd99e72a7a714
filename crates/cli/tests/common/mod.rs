//! What every test of the `idprov` binary needs: a sandbox, the environment that points each vendor's
//! client at it (the vendors' own variable names), and a way to run the built binary and read what it
//! printed. Every run checks that no secret of the sandbox (or a wrong one the test passes) is printed.

#![allow(dead_code, clippy::expect_used, clippy::panic)] // test helpers (not every test file uses all); a failure is the test failing

use std::collections::BTreeMap;

use idprov_sandbox::{Sandbox, SandboxBuilder, Vendor, fixtures};
use serde_json::Value;

/// What one run of `idprov` printed, and how it exited.
#[derive(Debug)]
pub struct Run {
    /// The exit code (`-1` when killed by a signal).
    pub code: i32,
    /// Everything on stdout.
    pub stdout: String,
    /// Everything on stderr.
    pub stderr: String,
}

impl Run {
    /// stdout as one JSON document.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {self:?}"))
    }

    /// stdout as JSON Lines.
    pub fn lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }

    /// Asserts a successful run and returns its JSON document.
    pub fn ok_json(&self) -> Value {
        assert_eq!(self.code, 0, "{self:?}");
        self.json()
    }
}

/// A sandbox and the environment of an `idprov` pointed at it.
pub struct Cli {
    /// The sandbox.
    pub sb: Sandbox,
    env: BTreeMap<String, String>,
    secrets: Vec<String>,
}

/// The secrets of the default seed (all over 8 bytes, which the clients redact).
pub const SECRETS: &[&str] = &[
    fixtures::SEAM_API_KEY,
    fixtures::SEAM_PERSONAL_ACCESS_TOKEN,
    fixtures::AVEVA_CLIENT_SECRET,
    fixtures::NERM_API_TOKEN,
    fixtures::ISC_CLIENT_SECRET,
    fixtures::HUAWEI_SK,
    fixtures::HUAWEI_TEMPORARY_SK,
    fixtures::HUAWEI_SECURITY_TOKEN,
];

impl Cli {
    /// A sandbox with the fixtures.
    pub async fn start() -> Self {
        Self::with(Sandbox::builder()).await
    }

    /// A sandbox from `builder` (the default seed's credentials).
    pub async fn with(builder: SandboxBuilder) -> Self {
        let sb = builder.start().await.expect("the sandbox starts");
        let mut env = BTreeMap::new();
        let mut set = |k: &str, v: String| {
            env.insert(k.to_string(), v);
        };
        set("SEAM_API_KEY", fixtures::SEAM_API_KEY.into());
        set("SEAM_ENDPOINT", sb.base_url(Vendor::Seam));
        set("AVEVA_CONNECT_RESOURCE", sb.base_url(Vendor::Aveva));
        set("AVEVA_CONNECT_CLIENT_ID", fixtures::AVEVA_CLIENT_ID.into());
        set(
            "AVEVA_CONNECT_CLIENT_SECRET",
            fixtures::AVEVA_CLIENT_SECRET.into(),
        );
        set("SAIL_NERM_BASE_URL", sb.base_url(Vendor::Nerm));
        set("SAIL_NERM_API_TOKEN", fixtures::NERM_API_TOKEN.into());
        set("SAIL_BASE_URL", sb.base_url(Vendor::Isc));
        set("SAIL_CLIENT_ID", fixtures::ISC_CLIENT_ID.into());
        set("SAIL_CLIENT_SECRET", fixtures::ISC_CLIENT_SECRET.into());
        set("HUAWEICLOUD_SDK_AK", fixtures::HUAWEI_AK.into());
        set("HUAWEICLOUD_SDK_SK", fixtures::HUAWEI_SK.into());
        set(
            "HUAWEICLOUD_SDK_DOMAIN_ID",
            fixtures::HUAWEI_DOMAIN_ID.into(),
        );
        set(
            "HUAWEICLOUD_SDK_REGION_IDENTITYCENTER_CN_NORTH_4",
            sb.base_url(Vendor::Huawei),
        );
        Self {
            sb,
            env,
            secrets: SECRETS.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Runs `idprov args...` with the sandbox's environment.
    pub async fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[], &[]).await
    }

    /// Runs `idprov args...` with the sandbox's environment, `set` on top and `unset` removed. Values in
    /// `set` whose name ends in `_KEY`, `_SECRET`, `_TOKEN` or `_SK` count as secrets too.
    pub async fn run_env(&self, args: &[&str], set: &[(&str, &str)], unset: &[&str]) -> Run {
        let mut env = self.env.clone();
        let mut secrets = self.secrets.clone();
        for (k, v) in set {
            env.insert(k.to_string(), v.to_string());
            if ["_KEY", "_SECRET", "_TOKEN", "_SK"]
                .iter()
                .any(|s| k.ends_with(s))
            {
                secrets.push(v.to_string());
            }
        }
        for k in unset {
            env.remove(*k);
        }
        let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_idprov"))
            .args(args)
            .env_clear()
            .envs(&env)
            .output()
            .await
            .expect("idprov runs");
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        for secret in &secrets {
            assert!(
                !run.stdout.contains(secret.as_str()) && !run.stderr.contains(secret.as_str()),
                "a secret was printed by idprov {args:?}: {run:?}"
            );
        }
        run
    }

    /// Asserts that the sandbox received every operation of `api` through `vendor`'s listener: the tests
    /// of an API call each of its operations, and this fails when the spec gains one they do not call.
    pub fn assert_every_operation_reached(&self, api: idprov_cli::Api, vendor: Vendor) {
        let log = self.sb.requests_to(vendor);
        for c in api.commands() {
            assert!(
                log.iter().any(|r| r.is(c.operation_id)),
                "{api} {} was not called; the log has {:?}",
                c.operation_id,
                log.iter().map(|r| r.operation.clone()).collect::<Vec<_>>()
            );
        }
    }
}
