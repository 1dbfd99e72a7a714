//! SailPoint ISC end to end: with OAuth2 client credentials, submit a machine account creation request (202),
//! follow the `accountRequestId` it answers until every phase has finished, then page through the sources
//! and subtypes the caller may request machine accounts on — against a mock tenant that only answers the
//! exact requests of the docs, experimental header included.

#![allow(clippy::unwrap_used, reason = "a test fails by panicking")]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::TryStreamExt;
use httpmock::prelude::*;
use idprov_sailpoint_isc::ClientCredentials;
use idprov_sailpoint_isc::types::{
    self, AccountRequestPhaseState as State, AccountRequestPhaseType as Phase,
};
use idprov_sailpoint_isc::wait::WaitOptions;
use idprov_sailpoint_isc::{Client, ClientConfig, Credentials, Secret};
use serde_json::json;

const CLIENT_ID: &str = "2c9180877a8b5c3d017a8e4f5c6d0a1b";
const CLIENT_SECRET: &str = "c7f3e9a1b5d24f8e9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f";
const ACCESS_TOKEN: &str =
    "eyJhbGciOiJSUzI1NiJ9.eyJ0ZW5hbnRfaWQiOiJhY21lIiwic2NvcGUiOlsic3A6c2NvcGVzOmFsbCJdfQ.c2ln";
const REQUEST_ID: &str = "2d81808474683da6017468693c260196";
const SUBTYPE: &str = "6d28b7c1-620c-49c6-b6d5-cbf81eb4b5fa";
const OWNER: &str = "18104e7e499b4e23882d6323344ab6bc";
const FORM: &str = "f5dd23fe-3414-42b7-bb1c-869400ad7a10";
const ENTITLEMENTS: [&str; 2] = [
    "6d28b7c1620c49c6b6d5cbf81eb4b5fa",
    "2c91808a7624751a01762f19d67c220e",
];

/// The request while its approval is pending: the docs' example, not yet finished.
fn running() -> serde_json::Value {
    json!({
        "accountRequestId": REQUEST_ID,
        "requestType": "CREATE_MACHINE_ACCOUNT",
        "createdAt": "2026-01-14T08:08:27.195Z",
        "completedAt": null,
        "overallStatus": "IN_PROGRESS",
        "requester": {"type": "IDENTITY", "id": "85131bd73fdc423599e57f40b29f01fe", "name": "SailPoint Support"},
        "approvalRequestId": "90a7b947-578b-4285-98dc-5d5d01c7b736",
        "accountRequestPhases": [
            {"name": "APPROVAL_PHASE", "state": "PENDING", "started": "2026-01-14T08:08:28.644090559Z"},
            {"name": "PROVISIONING_PHASE", "state": "NOT_STARTED"}
        ],
        "errorDetails": null
    })
}

/// The request once done: the docs' example response.
fn succeeded() -> serde_json::Value {
    json!({
        "accountRequestId": REQUEST_ID,
        "requestType": "CREATE_MACHINE_ACCOUNT",
        "createdAt": "2026-01-14T08:08:27.195Z",
        "completedAt": "2026-01-14T08:38:45.932Z",
        "overallStatus": "SUCCESS",
        "requester": {"type": "IDENTITY", "id": "85131bd73fdc423599e57f40b29f01fe", "name": "SailPoint Support"},
        "approvalRequestId": "90a7b947-578b-4285-98dc-5d5d01c7b736",
        "accountRequestPhases": [
            {
                "name": "APPROVAL_PHASE",
                "state": "APPROVED",
                "started": "2026-01-14T08:08:28.644090559Z",
                "finished": "2026-01-14T08:38:42.707043142Z"
            },
            {
                "name": "PROVISIONING_PHASE",
                "state": "PASSED",
                "started": "2026-01-14T08:38:42.785577841Z",
                "finished": "2026-01-14T08:38:45.932606296Z"
            }
        ],
        "errorDetails": null
    })
}

fn source(id: &str, name: &str, subtypes: serde_json::Value) -> serde_json::Value {
    json!({"sourceId": id, "sourceName": name, "subtypes": subtypes})
}

fn bearer() -> String {
    format!("Bearer {ACCESS_TOKEN}")
}

#[tokio::test]
async fn create_then_follow_the_request_id_to_success_then_list_create_access_with_one_token() {
    let server = MockServer::start_async().await;

    let token = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .header("content-type", "application/x-www-form-urlencoded")
                .header_missing("authorization")
                .header_missing("x-sailpoint-experimental")
                .form_urlencoded_tuple("grant_type", "client_credentials")
                .form_urlencoded_tuple("client_id", CLIENT_ID)
                .form_urlencoded_tuple("client_secret", CLIENT_SECRET)
                .form_urlencoded_tuple_count(".*", ".*", 3);
            then.status(200)
                .header("content-type", "application/json;charset=UTF-8")
                .json_body(json!({
                    "access_token": ACCESS_TOKEN,
                    "token_type": "bearer",
                    "expires_in": 749,
                    "scope": "sp:scopes:all",
                    "tenant_id": "3a5e9b0c-1d2f-4a6b-8c7d-9e0f1a2b3c4d",
                    "pod": "stg03-useast1",
                    "strong_auth_supported": false,
                    "org": "acme",
                    "identity_id": OWNER,
                    "user_name": "provisioning.bot",
                    "strong_auth": false,
                    "jti": "b1a5c7d9-e3f2-4a6b-8c0d-1e2f3a4b5c6d"
                }));
        })
        .await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/account-requests/v1/machine-account-create")
                .query_param_count(".*", ".*", 0)
                .header("authorization", bearer())
                .header("x-sailpoint-experimental", "true")
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .header_missing("api-version")
                .json_body(json!({
                    "subtypeId": SUBTYPE,
                    "formId": FORM,
                    "ownerIdentityId": OWNER,
                    "environment": "Dev",
                    "description": "Requesting machine account for tracking the inventory.",
                    "userInput": {"target": "AD Source", "description": "Inventory tracking"},
                    "entitlementIds": ENTITLEMENTS
                }));
            then.status(202)
                .header("content-type", "application/json;charset=UTF-8")
                .json_body(json!({"accountRequestId": REQUEST_ID}));
        })
        .await;
    let looks = Arc::new(AtomicUsize::new(0));
    let seen = looks.clone();
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!(
                    "/account-requests/v1/machine-account-create/{REQUEST_ID}"
                ))
                .query_param_count(".*", ".*", 0)
                .header("authorization", bearer())
                .header("x-sailpoint-experimental", "true")
                .header("accept", "application/json")
                .header_missing("api-version");
            // The first look finds the approval pending; every later one finds the request done.
            then.respond_with(move |_req: &HttpMockRequest| {
                let body = if seen.fetch_add(1, Ordering::SeqCst) == 0 {
                    running()
                } else {
                    succeeded()
                };
                HttpMockResponse::builder()
                    .status(200)
                    .header("content-type", "application/json;charset=UTF-8")
                    .body(body.to_string())
                    .build()
            });
        })
        .await;
    let first_page = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/source-subtypes/v1/machine-account-create-access")
                .query_param("offset", "0")
                .query_param("limit", "2")
                .query_param_count(".*", ".*", 2)
                .header("authorization", bearer())
                .header("x-sailpoint-experimental", "true")
                .header_missing("api-version");
            then.status(200)
                .header("content-type", "application/json;charset=UTF-8")
                .json_body(json!([
                    source(
                        "1419fc28a8ed4a079f5c0cb5dfad6311",
                        "Active Directory",
                        json!([{
                            "subtypeId": SUBTYPE,
                            "entitlementId": "a03caa629a624cee90f94048252034cf",
                            "subtypeDisplayName": "Service Account",
                            "subtypeTechnicalName": "service_account"
                        }])
                    ),
                    source(
                        "2c9180857d0a1b2c017d0a3e4f5a0001",
                        "Azure AD",
                        json!([{
                            "subtypeId": "d7ae9ea3-507f-4d00-9d4f-b4464b344b88",
                            "entitlementId": "b14dbb73ab734dff01a05159363145d0",
                            "subtypeDisplayName": "Application",
                            "subtypeTechnicalName": "application"
                        }])
                    )
                ]));
        })
        .await;
    let last_page = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/source-subtypes/v1/machine-account-create-access")
                .query_param("offset", "2")
                .query_param("limit", "2")
                .query_param_count(".*", ".*", 2)
                .header("authorization", bearer())
                .header("x-sailpoint-experimental", "true")
                .header_missing("api-version");
            then.status(200)
                .header("content-type", "application/json;charset=UTF-8")
                .json_body(json!([source(
                    "2c9180857d0a1b2c017d0a3e4f5a0002",
                    "Okta",
                    json!([])
                )]));
        })
        .await;

    let isc = Client::with_config(
        ClientConfig::new(Credentials::ClientCredentials(ClientCredentials {
            token_url: format!("{}/oauth/token", server.base_url())
                .parse()
                .unwrap(),
            client_id: CLIENT_ID.to_string(),
            client_secret: Secret::new(CLIENT_SECRET),
            scope: None,
        }))
        .base_url(server.base_url()),
    )
    .unwrap();

    // 1. Create: accepted with 202 and the id to follow the request by.
    let mut user_input = serde_json::Map::new();
    user_input.insert("target".into(), json!("AD Source"));
    user_input.insert("description".into(), json!("Inventory tracking"));
    let accepted = isc
        .create_machine_account_request()
        .body(
            types::CreateMachineAccountRequest::builder()
                .subtype_id(SUBTYPE)
                .form_id(Some(FORM.to_string()))
                .owner_identity_id(OWNER)
                .environment(Some("Dev".to_string()))
                .description(Some(
                    "Requesting machine account for tracking the inventory.".to_string(),
                ))
                .user_input(user_input)
                .entitlement_ids(ENTITLEMENTS.map(String::from).to_vec()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 202);
    let request_id = accepted.into_inner().account_request_id;
    assert_eq!(request_id, REQUEST_ID);

    // 2. Get the request by that id until every phase has finished: pending on the first look, done on the
    //    second; the waiter returns the last state.
    let options = WaitOptions {
        timeout: Duration::from_secs(10),
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(50),
    };
    let done = isc
        .wait_for_account_request(&request_id, options)
        .await
        .unwrap();
    assert_eq!(
        looks.load(Ordering::SeqCst),
        2,
        "one look while pending, one that found it done"
    );
    assert_eq!(done.account_request_id.as_deref(), Some(REQUEST_ID));
    assert_eq!(done.overall_status.as_deref(), Some("SUCCESS"));
    assert_eq!(done.request_type.as_deref(), Some("CREATE_MACHINE_ACCOUNT"));
    assert!(done.completed_at.is_some());
    assert_eq!(done.error_details, None);
    assert_eq!(
        done.requester.as_ref().and_then(|r| r.name.as_deref()),
        Some("SailPoint Support")
    );
    let phases: Vec<(Option<Phase>, Option<State>, bool)> = done
        .account_request_phases
        .iter()
        .map(|p| (p.name, p.state, p.finished.is_some()))
        .collect();
    assert_eq!(
        phases,
        [
            (Some(Phase::ApprovalPhase), Some(State::Approved), true),
            (Some(Phase::ProvisioningPhase), Some(State::Passed), true)
        ]
    );

    // 3. List create access two at a time (offset 0, then 2, then stop at the short page); the subtype the
    //    request was made on is among those the caller may use.
    let access: Vec<types::MachineAccountCreateAccessDto> = isc
        .machine_account_create_access(std::num::NonZeroU32::new(2).unwrap())
        .try_collect()
        .await
        .unwrap();
    let sources: Vec<&str> = access
        .iter()
        .filter_map(|s| s.source_name.as_deref())
        .collect();
    assert_eq!(sources, ["Active Directory", "Azure AD", "Okta"]);
    let allowing = access
        .iter()
        .find(|s| {
            s.subtypes
                .iter()
                .any(|t| t.subtype_id.as_deref() == Some(SUBTYPE))
        })
        .unwrap();
    assert_eq!(
        allowing.source_id.as_deref(),
        Some("1419fc28a8ed4a079f5c0cb5dfad6311")
    );
    assert_eq!(
        allowing.subtypes[0].subtype_technical_name.as_deref(),
        Some("service_account")
    );
    assert!(access[2].subtypes.is_empty());

    // One token for the whole workflow; every call but the polled get sent exactly once.
    token.assert_calls_async(1).await;
    create.assert_calls_async(1).await;
    get.assert_calls_async(2).await;
    first_page.assert_calls_async(1).await;
    last_page.assert_calls_async(1).await;
}

/// The same workflow against idprov-sandbox, statefully: the request create answers 202 with is the one get
/// follows until it ends, on a subtype the create-access list names; once as it is, once with every step
/// answered 429 and then 503 first (the token request too).
mod against_the_sandbox {
    use std::num::NonZeroU32;
    use std::time::Duration;

    use futures::TryStreamExt;
    use idprov_sailpoint_isc::{Client, ErrorKind, types};
    use idprov_sandbox::{Fault, JobPlan, Outcome, Sandbox, TOKEN_OPERATION, Vendor, fixtures};
    use idprov_testkit::quick_wait;

    /// Create (202) → get (pending) → wait until SUCCESS → get again (unchanged) → the create-access list
    /// names the subtype → a request failed by the test ends the wait with its detail → a subtype without
    /// entitlement is 403.
    async fn create_wait_get_then_access_list(sb: &Sandbox) {
        let isc = Client::with_config(sb.isc_config()).unwrap();
        let request = || {
            isc.create_machine_account_request().body(
                types::CreateMachineAccountRequest::builder()
                    .subtype_id(fixtures::ISC_SUBTYPE_ID)
                    .owner_identity_id(fixtures::ISC_OWNER_IDENTITY_ID)
                    .environment(Some("Dev".to_string())),
            )
        };
        let accepted = request().send().await.unwrap();
        assert_eq!(accepted.status(), 202);
        let id = accepted.into_inner().account_request_id;
        let get = |id: &str| isc.get_account_request().account_request_id(id.to_string());

        let first = get(&id).send().await.unwrap().into_inner();
        assert_eq!(first.overall_status.as_deref(), Some("PENDING"));
        assert_eq!(first.completed_at, None);
        let done = isc
            .wait_for_account_request(&id, quick_wait())
            .await
            .unwrap();
        assert_eq!(done.overall_status.as_deref(), Some("SUCCESS"));
        assert!(done.completed_at.is_some());
        let got = get(&id).send().await.unwrap().into_inner();
        assert_eq!(got, done, "a finished request stays as it finished");
        assert!(
            sb.requests_to(Vendor::Isc)
                .iter()
                .filter(|r| !r.is(TOKEN_OPERATION))
                .all(|r| r.header("x-sailpoint-experimental") == Some("true"))
        );

        let access: Vec<types::MachineAccountCreateAccessDto> = isc
            .machine_account_create_access(NonZeroU32::new(250).unwrap())
            .try_collect()
            .await
            .unwrap();
        assert_eq!(access.len(), 1);
        assert_eq!(
            access[0].subtypes[0].subtype_id.as_deref(),
            Some(fixtures::ISC_SUBTYPE_ID)
        );

        // A request the test fails, by command: the wait ends with ISC's failure detail.
        sb.set_job_plan(Vendor::Isc, JobPlan::manual()).unwrap();
        let id = request()
            .send()
            .await
            .unwrap()
            .into_inner()
            .account_request_id;
        let running = get(&id).send().await.unwrap().into_inner();
        assert_eq!(running.overall_status.as_deref(), Some("PENDING"));
        assert!(
            sb.finish_job(Vendor::Isc, &id, Outcome::fail("Source is read-only"))
                .unwrap()
        );
        let failed = isc
            .wait_for_account_request(&id, quick_wait())
            .await
            .unwrap_err();
        assert_eq!(failed.kind(), ErrorKind::JobFailed);
        assert!(
            failed.to_string().contains("Source is read-only"),
            "{failed}"
        );

        let refused = isc
            .create_machine_account_request()
            .body(
                types::CreateMachineAccountRequest::builder()
                    .subtype_id("not-mine")
                    .owner_identity_id(fixtures::ISC_OWNER_IDENTITY_ID),
            )
            .send()
            .await
            .unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::Forbidden);
        assert!(
            refused.request_id().is_some(),
            "the trackingId is the error's request id"
        );
    }

    /// A sandbox whose requests succeed `job_ms` after they are made.
    async fn sandbox(job_ms: u64) -> Sandbox {
        Sandbox::builder()
            .isc_jobs(JobPlan::after(
                Duration::from_millis(job_ms),
                Outcome::Succeed,
            ))
            .start()
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn create_wait_get_then_access_list_and_a_failed_request_carries_its_detail() {
        create_wait_get_then_access_list(&sandbox(150).await).await;
    }

    #[tokio::test]
    async fn every_step_rides_out_a_429_and_a_503_and_the_sandbox_saw_each_retry() {
        // The first get waits out a backoff after its 503: the job lasts long enough to be seen pending.
        let sb = sandbox(1500).await;
        for (op, idempotent) in [
            (TOKEN_OPERATION, false),
            ("create_machine_account_request", false),
            ("get_account_request", true),
            ("list_machine_account_create_access", true),
        ] {
            let unavailable = if idempotent {
                Fault::status(503)
            } else {
                Fault::unavailable_retry_after(0)
            };
            sb.fail_next(
                Vendor::Isc,
                op,
                &[Fault::rate_limited_retry_after(0), unavailable],
            );
        }
        create_wait_get_then_access_list(&sb).await;
        assert_eq!(
            sb.statuses(Vendor::Isc, TOKEN_OPERATION),
            [Some(429), Some(503), Some(200)]
        );
        assert_eq!(
            sb.statuses(Vendor::Isc, "create_machine_account_request"),
            [Some(429), Some(503), Some(202), Some(202), Some(403)],
            "each request made once"
        );
        for op in ["get_account_request", "list_machine_account_create_access"] {
            assert_eq!(
                sb.statuses(Vendor::Isc, op)[..3],
                [Some(429), Some(503), Some(200)],
                "{op}"
            );
        }
    }
}
