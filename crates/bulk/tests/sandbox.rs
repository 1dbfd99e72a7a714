//! Bulk runs and lookups against idprov-sandbox with the real clients.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use idprov_bulk::{
    Api, DirectCaller, FilesOptions, LineResult, Lookup, LookupContext, Lookups, Operation,
    RunOptions, bulk_retry_policy, run_files,
};
use idprov_sandbox::{Fault, FaultRule, Sandbox, SeamUserIdentity, Seed, Vendor, fixtures};
use serde_json::json;

/// A sandbox whose Seam workspace has `users` user identities.
async fn sandbox_with_users(users: usize) -> (Sandbox, Vec<uuid::Uuid>) {
    let mut seed = Seed::default();
    let ids: Vec<uuid::Uuid> = (0..users)
        .map(|i| uuid::Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0000 + i as u128))
        .collect();
    seed.seam.user_identities = ids
        .iter()
        .map(|id| SeamUserIdentity {
            user_identity_id: *id,
            email_address: None,
            display_name: None,
        })
        .collect();
    let sb = Sandbox::builder().seed(seed).start().await.unwrap();
    (sb, ids)
}

fn seam(sb: &Sandbox) -> idprov_seam::Client {
    idprov_seam::Client::with_config(sb.seam_config().retry(bulk_retry_policy())).unwrap()
}

fn seam_caller(sb: &Sandbox) -> DirectCaller {
    let op = Operation::find(Api::Seam, "launch_enrollment_automation").unwrap();
    DirectCaller::new(
        op,
        Lookups {
            seam: Some(seam(sb)),
            ..Lookups::default()
        },
    )
    .unwrap()
}

fn launch_lines(users: &[uuid::Uuid]) -> String {
    users
        .iter()
        .map(|u| {
            json!({"body": {"user_identity_id": u, "credential_manager_acs_system_id": fixtures::SEAM_CREDENTIAL_MANAGER_ID}})
                .to_string()
                + "\n"
        })
        .collect()
}

fn options(input: &std::path::Path, concurrency: usize) -> FilesOptions {
    let op = Operation::find(Api::Seam, "launch_enrollment_automation").unwrap();
    let mut o = FilesOptions::new(input, "seam", op.id);
    o.progress = false;
    o.run = RunOptions {
        concurrency,
        id_pointer: op.id_pointer().map(Into::into),
        ..RunOptions::default()
    };
    o
}

/// Every enrollment automation of each user identity, by user.
fn automations(sb: &Sandbox, users: &[uuid::Uuid]) -> HashMap<uuid::Uuid, Vec<String>> {
    users
        .iter()
        .map(|u| {
            let ids = sb.seam_enrollment_automations(*u);
            (*u, ids.iter().map(ToString::to_string).collect())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_of_seam_launches_creates_each_line_once_and_records_its_id() {
    let (sb, users) = sandbox_with_users(40).await;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("launch.jsonl");
    std::fs::write(&input, launch_lines(&users)).unwrap();
    let report = run_files(Arc::new(seam_caller(&sb)), &options(&input, 8))
        .await
        .unwrap();
    assert!(report.summary.succeeded(), "{}", report.summary);
    assert_eq!(report.summary.ok, 40);
    let made = automations(&sb, &users);
    for (i, user) in users.iter().enumerate() {
        let line = u64::try_from(i + 1).unwrap();
        let LineResult::Ok { id: Some(id), .. } = &report.results[&line] else {
            panic!("line {line}: {:?}", report.results[&line]);
        };
        assert_eq!(made[user], std::slice::from_ref(id), "line {line}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_sandbox_pauses_the_run_and_every_line_still_succeeds() {
    let (sb, users) = sandbox_with_users(30).await;
    sb.add_fault(FaultRule::operation(
        Vendor::Seam,
        "launch_enrollment_automation",
        Fault::rate_limit(10, Duration::from_millis(1000)),
    ));
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("launch.jsonl");
    std::fs::write(&input, launch_lines(&users)).unwrap();
    let started = std::time::Instant::now();
    let report = run_files(Arc::new(seam_caller(&sb)), &options(&input, 8))
        .await
        .unwrap();
    assert!(report.summary.succeeded(), "{}", report.summary);
    assert!(report.summary.rate_limited > 0, "{}", report.summary);
    // 10 per window: 30 lines need three windows, so at least two waits of a second.
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let made = automations(&sb, &users);
    assert!(made.values().all(|a| a.len() == 1), "{made:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_rate_under_the_servers_limit_the_run_gets_no_429() {
    // At exactly the limit, a fixed window that starts when the first request arrives (after its
    // connection is set up) can count one request of the next second: the advice is a rate a little
    // under the limit.
    let (sb, users) = sandbox_with_users(30).await;
    sb.add_fault(FaultRule::operation(
        Vendor::Seam,
        "launch_enrollment_automation",
        Fault::rate_limit(20, Duration::from_millis(1000)),
    ));
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("launch.jsonl");
    std::fs::write(&input, launch_lines(&users)).unwrap();
    let mut opts = options(&input, 8);
    opts.run.rate = Some(18.0);
    let report = run_files(Arc::new(seam_caller(&sb)), &opts).await.unwrap();
    assert!(report.summary.succeeded(), "{}", report.summary);
    assert_eq!(report.summary.rate_limited, 0, "{}", report.summary);
    assert_eq!(report.summary.requests, 30);
}

fn context(sent_at: SystemTime, claimed: &[&str]) -> LookupContext {
    LookupContext {
        sent_at,
        clock_skew: Duration::from_secs(2),
        claimed: Arc::new(
            claimed
                .iter()
                .map(|s| s.to_string())
                .collect::<HashSet<_>>(),
        ),
    }
}

#[tokio::test]
async fn the_seam_lookup_finds_the_lines_automation_and_not_anothers_or_an_older_one() {
    let (sb, users) = sandbox_with_users(2).await;
    let client = seam(&sb);
    let system = fixtures::SEAM_CREDENTIAL_MANAGER_ID;
    let launch = || {
        client.launch_enrollment_automation().body(
            idprov_seam::types::LaunchEnrollmentAutomationRequest::builder()
                .user_identity_id(users[0])
                .credential_manager_acs_system_id(system),
        )
    };
    let user = users[0].to_string();
    let now = SystemTime::now();
    let lookup = |ctx: LookupContext| {
        let client = client.clone();
        let user = user.clone();
        async move {
            idprov_bulk::lookups::seam_enrollment_automation(&client, &user, system, &ctx).await
        }
    };
    assert_eq!(lookup(context(now, &[])).await, Lookup::Absent);
    let first = launch()
        .send()
        .await
        .unwrap()
        .into_inner()
        .enrollment_automation
        .enrollment_automation_id
        .to_string();
    assert_eq!(
        lookup(context(now, &[])).await,
        Lookup::Found {
            id: Some(first.clone())
        }
    );
    assert_eq!(
        lookup(context(now, &[&first])).await,
        Lookup::Absent,
        "another line's automation is not this line's"
    );
    let later = SystemTime::now() + Duration::from_secs(60);
    assert_eq!(
        lookup(context(later, &[])).await,
        Lookup::Absent,
        "created before the line was sent"
    );
    let second = launch()
        .send()
        .await
        .unwrap()
        .into_inner()
        .enrollment_automation
        .enrollment_automation_id
        .to_string();
    match lookup(context(now, &[])).await {
        Lookup::Unknown { check } => {
            assert!(check.contains(&first) && check.contains(&second), "{check}")
        }
        other => panic!("two candidates must be unknown, got {other:?}"),
    }
}

#[tokio::test]
async fn the_aveva_lookup_finds_an_automation_identity_by_name() {
    let sb = Sandbox::start().await.unwrap();
    let aveva = idprov_aveva_connect::Client::with_config(sb.aveva_config()).unwrap();
    let tenant = fixtures::AVEVA_TENANT_ID;
    assert_eq!(
        idprov_bulk::lookups::aveva_identity_by_name(&aveva, tenant, "bot-7").await,
        Lookup::Absent
    );
    let made = aveva
        .create_automation_identity()
        .tenant_id(tenant)
        .body(
            idprov_aveva_connect::types::CreateAutomationIdentityRequest::builder()
                .name("bot-7".to_string()),
        )
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        idprov_bulk::lookups::aveva_identity_by_name(&aveva, tenant, "bot-7").await,
        Lookup::Found {
            id: made.id.map(|i| i.to_string())
        }
    );
    match idprov_bulk::lookups::aveva_identity_by_name(&aveva, "no-such-tenant", "bot-7").await {
        Lookup::Unknown { check } => assert!(check.contains("bot-7"), "{check}"),
        other => panic!("a failed list must be unknown, got {other:?}"),
    }
}

#[tokio::test]
async fn the_huawei_lookup_tells_the_lines_provisioning_from_another_permission_sets() {
    let sb = Sandbox::start().await.unwrap();
    let huawei =
        idprov_huaweicloud_identitycenter::Client::with_config(sb.huawei_config()).unwrap();
    let instance = fixtures::HUAWEI_INSTANCE_ID;
    let ps = fixtures::HUAWEI_PERMISSION_SET_ID;
    let account = fixtures::HUAWEI_ACCOUNT_ID;
    let now = SystemTime::now() - Duration::from_secs(1);
    let look = |account: Option<&'static str>, claimed: Vec<String>| {
        let huawei = huawei.clone();
        async move {
            let ctx = LookupContext {
                claimed: Arc::new(claimed.into_iter().collect()),
                ..context(now, &[])
            };
            idprov_bulk::lookups::huawei_provisioning(&huawei, instance, ps, account, &ctx).await
        }
    };
    assert_eq!(look(Some(account), vec![]).await, Lookup::Absent);
    let made = huawei
        .provision_permission_set()
        .instance_id(instance)
        .permission_set_id(ps)
        .body(
            idprov_huaweicloud_identitycenter::types::ProvisionPermissionSetRequest::builder()
                .target_type(idprov_huaweicloud_identitycenter::types::ProvisionTargetType::Account)
                .target_id(account.to_string()),
        )
        .send()
        .await
        .unwrap();
    let request_id = made.request_id().unwrap().to_string();
    assert_eq!(
        look(Some(account), vec![]).await,
        Lookup::Found {
            id: Some(request_id.clone())
        }
    );
    assert_eq!(
        look(Some(account), vec![request_id.clone()]).await,
        Lookup::Absent
    );
    // A provisioning of the same permission set to every account is not this line's (no account).
    huawei
        .provision_permission_set()
        .instance_id(instance)
        .permission_set_id(ps)
        .body(
            idprov_huaweicloud_identitycenter::types::ProvisionPermissionSetRequest::builder()
                .target_type(idprov_huaweicloud_identitycenter::types::ProvisionTargetType::AllProvisionedAccounts),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        look(Some(account), vec![]).await,
        Lookup::Found {
            id: Some(request_id.clone())
        }
    );
    assert!(
        matches!(look(None, vec![]).await, Lookup::Unknown { .. }),
        "two provisionings of the permission set cannot be told apart without an account"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resume_finds_a_create_whose_answer_was_lost_and_does_not_repeat_it() {
    let (sb, users) = sandbox_with_users(3).await;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("launch.jsonl");
    std::fs::write(&input, launch_lines(&users)).unwrap();
    let mut opts = options(&input, 2);
    // As a crash leaves it: line 2 sent (and, at the server, created), its answer never recorded.
    {
        use sha2::Digest;
        let sha = hex::encode(sha2::Sha256::digest(std::fs::read(&input).unwrap()));
        let sent_at = idprov_bulk::journal::now_ms();
        seam(&sb)
            .launch_enrollment_automation()
            .body(
                idprov_seam::types::LaunchEnrollmentAutomationRequest::builder()
                    .user_identity_id(users[1])
                    .credential_manager_acs_system_id(fixtures::SEAM_CREDENTIAL_MANAGER_ID),
            )
            .send()
            .await
            .unwrap();
        let records = [
            idprov_bulk::journal::Record::Start {
                api: "seam".into(),
                operation: "launch_enrollment_automation".into(),
                input_sha256: sha,
                lines: 3,
                at_ms: sent_at,
            },
            idprov_bulk::journal::Record::Sent {
                line: 2,
                at_ms: sent_at,
            },
        ];
        let text: String = records
            .iter()
            .map(|r| serde_json::to_string(r).unwrap() + "\n")
            .collect();
        std::fs::write(opts.journal_path(), text).unwrap();
    }
    opts.resume = true;
    let report = run_files(Arc::new(seam_caller(&sb)), &opts).await.unwrap();
    assert!(report.summary.succeeded(), "{}", report.summary);
    assert_eq!(report.summary.found_by_lookup, 1);
    assert_eq!(report.summary.requests, 2, "lines 1 and 3 only");
    let made = automations(&sb, &users);
    assert!(users.iter().all(|u| made[u].len() == 1), "{made:?}");
}
