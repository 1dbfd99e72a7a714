//! Huawei Cloud IAM Identity Center end to end: with AK/SK credentials, provision a permission set to an
//! account, then follow the `request_id` of the answer until the provisioning has succeeded — against a mock
//! Identity Center that, like Huawei's gateway, checks each request's `SDK-HMAC-SHA256` signature over the
//! headers it names and answers only the exact requests the docs describe.

#![allow(clippy::unwrap_used, reason = "a test fails by panicking")]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use httpmock::prelude::*;
use idprov_huaweicloud_identitycenter::signer::{self as huawei_signer, SignInput};
use idprov_huaweicloud_identitycenter::types::{self, ProvisioningStatus};
use idprov_huaweicloud_identitycenter::wait::WaitOptions;
use idprov_huaweicloud_identitycenter::{Client, ClientConfig, Credentials, Secret};
use serde_json::json;

const AK: &str = "HPUAL3ZQXW8K2M9RT4VB";
const SK: &str = "n7Qx2Lk9Vb4Rt6Yp1Zs8Wd3Fg5Hj0Kl2Mn4Bv6Cx";
const DOMAIN: &str = "0659f0b5e6c3d4c8a1f2e3d4c5b6a7f8";
const INSTANCE: &str = "ins-1a2b3c4d5e6f7a8b";
const PERMISSION_SET: &str = "ps-8603aaaaaaaa14bd";
const ACCOUNT: &str = "5146d03d8aaaaaaaaaaaabbae60620a5";
const REQUEST_ID: &str = "a1177591c8c7c49238e60563d34cad92";

/// The docs' example status, at `status`.
fn status(status: &str) -> serde_json::Value {
    json!({
        "permission_set_provisioning_status": {
            "account_id": ACCOUNT,
            "created_date": "1677175760379",
            "failure_reason": "",
            "permission_set_id": PERMISSION_SET,
            "request_id": REQUEST_ID,
            "status": status
        }
    })
}

/// What Huawei's gateway checks: the `Authorization` header is the SDK-HMAC-SHA256 signature, by this AK/SK,
/// of the request as received (method, path, query, body and every header it names, which must include
/// `Host`, `X-Sdk-Date` and `X-Domain-Id`, and `Content-Type` when there is a body), and `X-Sdk-Date` is within
/// 15 minutes of now.
fn signed_by_ak_sk(req: &HttpMockRequest) -> bool {
    let headers = req.headers();
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let Some(authorization) = text("authorization") else {
        return false;
    };
    let Some(rest) =
        authorization.strip_prefix(&format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders="))
    else {
        return false;
    };
    let Some((signed_names, _signature)) = rest.split_once(", Signature=") else {
        return false;
    };
    let names: Vec<&str> = signed_names.split(';').collect();
    let mut required = vec!["host", "x-sdk-date", "x-domain-id"];
    if !req.body_ref().is_empty() {
        required.push("content-type");
    }
    if !required.iter().all(|r| names.contains(r)) {
        return false;
    }
    let mut signed = Vec::new();
    for name in &names {
        let Some(value) = text(name) else {
            return false;
        };
        signed.push((name.to_string(), value));
    }
    let Some(date) = text("x-sdk-date").and_then(|d| huawei_signer::parse_sdk_date(&d).ok()) else {
        return false;
    };
    let skew = SystemTime::now()
        .duration_since(date)
        .unwrap_or_else(|e| e.duration());
    if skew > Duration::from_secs(15 * 60) {
        return false;
    }
    let Some(host) = text("host") else {
        return false;
    };
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let url = format!("http://{host}{path_and_query}").parse().unwrap();
    let expected = huawei_signer::sign(
        AK,
        SK,
        &SignInput {
            method: req.method_str(),
            url: &url,
            headers: &signed,
            body: req.body_ref(),
        },
    );
    expected.is_ok_and(|s| s.authorization == authorization)
}

#[tokio::test]
async fn provision_then_wait_on_its_request_id_until_succeeded_with_every_request_signed() {
    let server = MockServer::start_async().await;

    let provision = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!(
                    "/v1/instances/{INSTANCE}/permission-sets/{PERMISSION_SET}/provision"
                ))
                .query_param_count(".*", ".*", 0)
                .header("content-type", "application/json")
                .header("x-domain-id", DOMAIN)
                .header_missing("x-security-token")
                .header_missing("api-version")
                .json_body(json!({"target_id": ACCOUNT, "target_type": "ACCOUNT"}))
                .is_true(signed_by_ak_sk);
            then.status(200)
                .header("content-type", "application/json;charset=UTF-8")
                .header("X-Request-Id", "6c2bd3a58f1c4e7d9a0b1c2d3e4f5a6b")
                .json_body(status("IN_PROGRESS"));
        })
        .await;
    let looks = Arc::new(AtomicUsize::new(0));
    let seen = looks.clone();
    let get_status = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!(
                    "/v1/instances/{INSTANCE}/permission-sets/provisioning-status/{REQUEST_ID}"
                ))
                .query_param_count(".*", ".*", 0)
                .header("x-domain-id", DOMAIN)
                .header_missing("x-security-token")
                .header_missing("api-version")
                .is_true(signed_by_ak_sk);
            // Still running on the first look, done on every later one.
            then.respond_with(move |_req: &HttpMockRequest| {
                let state = if seen.fetch_add(1, Ordering::SeqCst) == 0 {
                    "IN_PROGRESS"
                } else {
                    "SUCCEEDED"
                };
                HttpMockResponse::builder()
                    .status(200)
                    .header("content-type", "application/json;charset=UTF-8")
                    .header("X-Request-Id", "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b")
                    .body(status(state).to_string())
                    .build()
            });
        })
        .await;

    let iam = Client::with_config(
        ClientConfig::new(Credentials {
            ak: AK.to_string(),
            sk: Secret::new(SK),
            security_token: None,
            domain_id: Some(DOMAIN.to_string()),
        })
        .base_url(server.base_url()),
    )
    .unwrap();

    // 1. Provision: the answer is the job, still in progress, with the request id to follow it by.
    let started = iam
        .provision_permission_set()
        .instance_id(INSTANCE)
        .permission_set_id(PERMISSION_SET)
        .body(
            types::ProvisionPermissionSetRequest::builder()
                .target_type(types::ProvisionTargetType::Account)
                .target_id(Some(ACCOUNT.to_string())),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), 200);
    assert_eq!(
        started.headers()["x-request-id"],
        "6c2bd3a58f1c4e7d9a0b1c2d3e4f5a6b"
    );
    let started = started
        .into_inner()
        .permission_set_provisioning_status
        .unwrap();
    assert_eq!(started.status, Some(ProvisioningStatus::InProgress));
    assert_eq!(started.account_id.as_deref(), Some(ACCOUNT));
    assert_eq!(started.permission_set_id.as_deref(), Some(PERMISSION_SET));
    let request_id = started.request_id.unwrap();
    assert_eq!(request_id, REQUEST_ID);

    // 2. Read the provisioning status by that request id until it has succeeded.
    let options = WaitOptions {
        timeout: Duration::from_secs(10),
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(50),
    };
    let done = iam
        .wait_for_provisioning(INSTANCE, &request_id, options)
        .await
        .unwrap();
    assert_eq!(
        looks.load(Ordering::SeqCst),
        2,
        "one look while in progress, one that found it done"
    );
    assert_eq!(done.status, Some(ProvisioningStatus::Succeeded));
    assert_eq!(done.request_id.as_deref(), Some(REQUEST_ID));
    assert_eq!(done.account_id.as_deref(), Some(ACCOUNT));
    assert_eq!(done.permission_set_id.as_deref(), Some(PERMISSION_SET));
    assert_eq!(done.failure_reason.as_deref(), Some(""));
    assert_eq!(done.created_date.as_deref(), Some("1677175760379"));

    provision.assert_calls_async(1).await;
    get_status.assert_calls_async(2).await;
}

/// The same workflow against idprov-sandbox, statefully, every request signed and verified: the request id
/// provision answers with is the one the wait follows to its end, and the statuses list finds every one,
/// by marker pages and by status; once as it is, once with every step answered 429 and then 503 first.
mod against_the_sandbox {
    use std::num::NonZeroU32;
    use std::time::Duration;

    use futures::TryStreamExt;
    use idprov_huaweicloud_identitycenter::types::{self, ProvisioningStatus};
    use idprov_huaweicloud_identitycenter::{Client, ErrorKind};
    use idprov_sandbox::{Fault, JobPlan, Outcome, Sandbox, Vendor, fixtures};
    use idprov_testkit::quick_wait;

    /// Provision → wait until SUCCEEDED → two more (one failed by the test, one left running) → the
    /// statuses list in pages of 2 names all three in order → the IN_PROGRESS filter names the running one.
    async fn provision_wait_then_list_statuses(sb: &Sandbox) {
        let iam = Client::with_config(sb.huawei_config()).unwrap();
        let provision = || {
            iam.provision_permission_set()
                .instance_id(fixtures::HUAWEI_INSTANCE_ID)
                .permission_set_id(fixtures::HUAWEI_PERMISSION_SET_ID)
                .body(
                    types::ProvisionPermissionSetRequest::builder()
                        .target_type(types::ProvisionTargetType::Account)
                        .target_id(Some(fixtures::HUAWEI_ACCOUNT_ID.to_string())),
                )
        };
        let started = provision().send().await.unwrap();
        assert!(started.headers().contains_key("x-request-id"));
        let started = started
            .into_inner()
            .permission_set_provisioning_status
            .unwrap();
        assert_eq!(started.status, Some(ProvisioningStatus::InProgress));
        let request_id = started.request_id.unwrap();
        let done = iam
            .wait_for_provisioning(fixtures::HUAWEI_INSTANCE_ID, &request_id, quick_wait())
            .await
            .unwrap();
        assert_eq!(done.status, Some(ProvisioningStatus::Succeeded));
        assert_eq!(
            done.account_id.as_deref(),
            Some(fixtures::HUAWEI_ACCOUNT_ID)
        );

        sb.set_job_plan(Vendor::Huawei, JobPlan::manual()).unwrap();
        let start = || async {
            let status = provision().send().await.unwrap().into_inner();
            status
                .permission_set_provisioning_status
                .unwrap()
                .request_id
                .unwrap()
        };
        let failing = start().await;
        sb.finish_job(
            Vendor::Huawei,
            &failing,
            Outcome::fail("The agency does not exist"),
        )
        .unwrap();
        let failed = iam
            .wait_for_provisioning(fixtures::HUAWEI_INSTANCE_ID, &failing, quick_wait())
            .await
            .unwrap_err();
        assert_eq!(failed.kind(), ErrorKind::JobFailed);
        assert!(
            failed.to_string().contains("The agency does not exist"),
            "{failed}"
        );
        let running = start().await;

        let all: Vec<types::PermissionSetProvisioningStatusMetadata> = iam
            .provisioning_statuses(fixtures::HUAWEI_INSTANCE_ID, NonZeroU32::new(2).unwrap())
            .try_collect()
            .await
            .unwrap();
        let seen: Vec<_> = all
            .iter()
            .map(|s| (s.request_id.clone().unwrap(), s.status))
            .collect();
        assert_eq!(
            seen,
            [
                (request_id, Some(ProvisioningStatus::Succeeded)),
                (failing, Some(ProvisioningStatus::Failed)),
                (running.clone(), Some(ProvisioningStatus::InProgress)),
            ]
        );
        let markers: Vec<_> = sb
            .requests_to(Vendor::Huawei)
            .into_iter()
            .filter(|r| r.is("list_permission_set_provisioning_statuses") && r.status == Some(200))
            .map(|r| r.query.unwrap_or_default())
            .collect();
        assert_eq!(
            markers.len(),
            2,
            "a page of 2, then the last page by its marker: {markers:?}"
        );
        assert!(markers[1].contains("marker="));

        let in_progress = iam
            .list_permission_set_provisioning_statuses()
            .instance_id(fixtures::HUAWEI_INSTANCE_ID)
            .status(ProvisioningStatus::InProgress)
            .send()
            .await
            .unwrap()
            .into_inner();
        let ids: Vec<_> = in_progress
            .permission_sets_provisioning_status
            .iter()
            .map(|s| s.request_id.clone().unwrap())
            .collect();
        assert_eq!(ids, [running]);
        assert_eq!(in_progress.page_info.unwrap().next_marker, None);
    }

    async fn sandbox() -> Sandbox {
        Sandbox::builder()
            .huawei_jobs(JobPlan::after(Duration::from_millis(100), Outcome::Succeed))
            .start()
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn provision_wait_then_list_statuses_with_marker_paging_and_the_status_filter() {
        provision_wait_then_list_statuses(&sandbox().await).await;
    }

    #[tokio::test]
    async fn every_step_rides_out_a_429_and_a_503_and_the_sandbox_saw_each_retry() {
        let sb = sandbox().await;
        sb.fail_next(
            Vendor::Huawei,
            "provision_permission_set",
            &[
                Fault::rate_limited_retry_after(0),
                Fault::unavailable_retry_after(0),
            ],
        );
        for op in [
            "get_permission_set_provisioning_status",
            "list_permission_set_provisioning_statuses",
        ] {
            // GETs: a 503 without Retry-After is resent after a backoff.
            sb.fail_next(
                Vendor::Huawei,
                op,
                &[Fault::rate_limited_retry_after(0), Fault::status(503)],
            );
        }
        provision_wait_then_list_statuses(&sb).await;
        assert_eq!(
            sb.statuses(Vendor::Huawei, "provision_permission_set"),
            [Some(429), Some(503), Some(200), Some(200), Some(200)],
            "each provisioning started once"
        );
        for op in [
            "get_permission_set_provisioning_status",
            "list_permission_set_provisioning_statuses",
        ] {
            assert_eq!(
                sb.statuses(Vendor::Huawei, op)[..3],
                [Some(429), Some(503), Some(200)],
                "{op}"
            );
        }
    }
}
