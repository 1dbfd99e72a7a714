//! Faults on demand, auth like the vendors, validation from the specs, the admin endpoint, seed files and
//! the binary — each through the idprov clients where they can send the request, raw where they refuse to.

use std::time::{Duration, Instant, SystemTime};

use idprov_sandbox::{Fault, FaultRule, JobPlan, Outcome, Sandbox, Seed, Vendor, fixtures};
use serde_json::{Value, json};

/// A plain reqwest client, for requests the idprov clients refuse to send.
fn raw() -> reqwest::Client {
    idprov_runtime::config::install_tls_provider();
    reqwest::Client::new()
}

#[tokio::test]
async fn clients_ride_out_injected_429s_and_503s_and_the_log_shows_each_retry() {
    let sb = Sandbox::builder()
        // AVEVA list: two 503s with Retry-After: 0, then the real answer.
        .fault(
            FaultRule::operation(
                Vendor::Aveva,
                "list_automation_identities",
                Fault::unavailable_retry_after(0),
            )
            .times(2),
        )
        // Huawei status reads: one 503 without Retry-After (retried by backoff: a GET).
        .fault(
            FaultRule::operation(
                Vendor::Huawei,
                "get_permission_set_provisioning_status",
                Fault::status(503),
            )
            .times(1),
        )
        // ISC creates: one per second, then 429 with Retry-After (retried although a POST: nothing was done).
        .fault(FaultRule::operation(
            Vendor::Isc,
            "create_machine_account_request",
            Fault::rate_limit(1, Duration::from_secs(1)),
        ))
        .start()
        .await
        .unwrap();

    let aveva = idprov_aveva_connect::Client::with_config(sb.aveva_config()).unwrap();
    let listed = aveva
        .list_automation_identities()
        .tenant_id(fixtures::AVEVA_TENANT_ID)
        .send()
        .await
        .unwrap();
    assert!(listed.into_inner().is_empty());
    assert_eq!(
        sb.statuses(Vendor::Aveva, "list_automation_identities"),
        [Some(503), Some(503), Some(200)]
    );
    let faulted = sb
        .requests_to(Vendor::Aveva)
        .into_iter()
        .find(|r| r.status == Some(503))
        .unwrap();
    assert_eq!(faulted.faults, ["status 503 with Retry-After 0"]);

    let iam = idprov_huaweicloud_identitycenter::Client::with_config(sb.huawei_config()).unwrap();
    let started = iam
        .provision_permission_set()
        .instance_id(fixtures::HUAWEI_INSTANCE_ID)
        .permission_set_id(fixtures::HUAWEI_PERMISSION_SET_ID)
        .body(
            idprov_huaweicloud_identitycenter::types::ProvisionPermissionSetRequest::builder()
                .target_type(idprov_huaweicloud_identitycenter::types::ProvisionTargetType::AllProvisionedAccounts),
        )
        .send()
        .await
        .unwrap()
        .into_inner();
    let id = started
        .permission_set_provisioning_status
        .unwrap()
        .request_id
        .unwrap();
    iam.get_permission_set_provisioning_status()
        .instance_id(fixtures::HUAWEI_INSTANCE_ID)
        .request_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        sb.statuses(Vendor::Huawei, "get_permission_set_provisioning_status"),
        [Some(503), Some(200)]
    );
    let signatures: Vec<String> = sb
        .requests_to(Vendor::Huawei)
        .into_iter()
        .filter(|r| r.is("get_permission_set_provisioning_status"))
        .map(|r| r.header("authorization").unwrap().to_string())
        .collect();
    assert_eq!(
        signatures.len(),
        2,
        "the retry was signed afresh and verified"
    );

    let isc = idprov_sailpoint_isc::Client::with_config(sb.isc_config()).unwrap();
    let create = || {
        isc.create_machine_account_request().body(
            idprov_sailpoint_isc::types::CreateMachineAccountRequest::builder()
                .subtype_id(fixtures::ISC_SUBTYPE_ID)
                .owner_identity_id(fixtures::ISC_OWNER_IDENTITY_ID),
        )
    };
    let first = create()
        .send()
        .await
        .unwrap()
        .into_inner()
        .account_request_id;
    let second = create()
        .send()
        .await
        .unwrap()
        .into_inner()
        .account_request_id;
    assert_ne!(first, second);
    assert_eq!(
        sb.statuses(Vendor::Isc, "create_machine_account_request"),
        [Some(202), Some(429), Some(202)]
    );
    let limited = sb
        .requests_to(Vendor::Isc)
        .into_iter()
        .find(|r| r.status == Some(429))
        .unwrap();
    assert_eq!(limited.faults, ["rate limit 1 per 1000 ms"]);
}

#[tokio::test]
async fn a_create_answered_503_without_retry_after_is_not_resent_and_a_502_is_a_gateway_page() {
    let sb = Sandbox::builder()
        .fault(
            FaultRule::operation(
                Vendor::Seam,
                "launch_enrollment_automation",
                Fault::status(503),
            )
            .times(1),
        )
        .fault(
            FaultRule::operation(Vendor::Nerm, "list_workflow_actions", Fault::status(502))
                .times(1),
        )
        .start()
        .await
        .unwrap();
    let seam = idprov_seam::Client::with_config(sb.seam_config()).unwrap();
    let e = seam
        .launch_enrollment_automation()
        .body(
            idprov_seam::types::LaunchEnrollmentAutomationRequest::builder()
                .user_identity_id(
                    fixtures::SEAM_USER_IDENTITY_ID
                        .parse::<uuid::Uuid>()
                        .unwrap(),
                )
                .credential_manager_acs_system_id(
                    fixtures::SEAM_CREDENTIAL_MANAGER_ID
                        .parse::<uuid::Uuid>()
                        .unwrap(),
                ),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.status()),
        (idprov_seam::ErrorKind::Server, Some(503))
    );
    assert_eq!(
        e.code(),
        Some("service_unavailable"),
        "the vendor's error body: {e}"
    );
    assert_eq!(
        sb.statuses(Vendor::Seam, "launch_enrollment_automation"),
        [Some(503)]
    );

    let page = raw()
        .get(format!("{}/workflow_actions", sb.base_url(Vendor::Nerm)))
        .bearer_auth(fixtures::NERM_API_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 502);
    assert_eq!(page.headers()["content-type"], "text/html");
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("<h1>502 Bad Gateway</h1>")
    );
}

#[tokio::test]
async fn connections_reset_before_or_during_the_answer_and_an_idempotent_call_is_retried() {
    let sb = Sandbox::start().await.unwrap();
    let list = format!(
        "{}/source-subtypes/v1/machine-account-create-access",
        sb.base_url(Vendor::Isc)
    );

    sb.add_fault(FaultRule::vendor(Vendor::Isc, Fault::ResetBeforeAnswer).times(1));
    let e = raw().get(&list).send().await.unwrap_err();
    assert!(!e.is_status() && !e.is_timeout(), "no answer at all: {e:?}");

    // The answer's head and part of its body arrive, then the connection breaks.
    sb.add_fault(FaultRule::vendor(Vendor::Isc, Fault::ResetDuringAnswer).times(1));
    let answer = raw()
        .get(&list)
        .header("x-sailpoint-experimental", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 401, "the head came through");
    assert!(answer.bytes().await.is_err(), "the body broke off");
    let log = sb.requests_to(Vendor::Isc);
    assert_eq!(
        log[0].status, None,
        "reset before the answer: nothing was answered"
    );
    assert_eq!(log[1].faults, ["reset during the answer"]);

    // Through the client: a GET whose connection is reset is sent again.
    sb.add_fault(
        FaultRule::operation(
            Vendor::Isc,
            "list_machine_account_create_access",
            Fault::ResetBeforeAnswer,
        )
        .times(1),
    );
    let isc = idprov_sailpoint_isc::Client::with_config(sb.isc_config()).unwrap();
    let access = isc
        .list_machine_account_create_access()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(access.len(), 1);
    let through_client = &sb.statuses(Vendor::Isc, "list_machine_account_create_access")[2..];
    assert_eq!(through_client, [None, Some(200)], "reset, then sent again");
}

#[tokio::test]
async fn latency_delays_every_answer_it_applies_to() {
    let sb = Sandbox::start().await.unwrap();
    sb.add_fault(
        FaultRule::vendor(Vendor::Nerm, Fault::latency(Duration::from_millis(300))).times(1),
    );
    let nerm = idprov_sailpoint_nerm::Client::with_config(sb.nerm_config()).unwrap();
    let started = Instant::now();
    nerm.list_workflow_actions().send().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = Instant::now();
    nerm.list_workflow_actions().send().await.unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "the rule applied once"
    );
}

#[tokio::test]
async fn huawei_refuses_a_wrong_sk_an_unknown_ak_a_missing_security_token_and_a_stale_date() {
    use idprov_huaweicloud_identitycenter::{Client, Credentials, ErrorKind, Secret, signer};
    let sb = Sandbox::start().await.unwrap();
    let list = |config| async move {
        Client::with_config(config)
            .unwrap()
            .list_permission_set_provisioning_statuses()
            .instance_id(fixtures::HUAWEI_INSTANCE_ID)
            .send()
            .await
    };

    let mut wrong_sk = sb.huawei_config();
    wrong_sk.credentials.sk = Secret::new("not-the-secret-key-at-all");
    let e = list(wrong_sk).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.status(), e.code()),
        (ErrorKind::Auth, Some(401), Some("APIGW.0301"))
    );
    assert!(e.message().contains("verify aksk signature fail"), "{e}");
    assert!(
        e.request_id().is_some(),
        "X-Request-Id is read into the error"
    );

    let mut unknown_ak = sb.huawei_config();
    unknown_ak.credentials.ak = "NOSUCHAK".to_string();
    let e = list(unknown_ak).await.unwrap_err();
    assert!(e.message().contains("access key (AK) is unknown"), "{e}");

    // Temporary credentials work with their security token, and are refused without it.
    list(sb.huawei_temporary_config().unwrap()).await.unwrap();
    let t = sb.seed().huawei.temporary.clone().unwrap();
    let mut no_token = sb.huawei_config();
    no_token.credentials = Credentials::new(t.ak, t.sk);
    let e = list(no_token).await.unwrap_err();
    assert!(e.message().contains("security token"), "{e}");

    // A request signed 20 minutes ago: the signature is right, the date is out of the window.
    let url = format!(
        "{}/v1/instances/{}/permission-sets/provisioning-statuses",
        sb.base_url(Vendor::Huawei),
        fixtures::HUAWEI_INSTANCE_ID
    );
    let client = raw();
    let mut stale = client
        .get(&url)
        .header("content-type", "application/json")
        .build()
        .unwrap();
    let then = SystemTime::now() - Duration::from_secs(20 * 60);
    signer::sign_reqwest(
        fixtures::HUAWEI_AK,
        fixtures::HUAWEI_SK,
        None,
        then,
        &mut stale,
    )
    .unwrap();
    let answer = client.execute(stale).await.unwrap();
    assert_eq!(answer.status(), 401);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["error_code"], "APIGW.0301");
    assert!(body["error_msg"].as_str().unwrap().contains("15 minutes"));
    // The same request signed now is accepted: only the date was wrong.
    let mut fresh = client
        .get(&url)
        .header("content-type", "application/json")
        .build()
        .unwrap();
    signer::sign_reqwest(
        fixtures::HUAWEI_AK,
        fixtures::HUAWEI_SK,
        None,
        SystemTime::now(),
        &mut fresh,
    )
    .unwrap();
    assert_eq!(client.execute(fresh).await.unwrap().status(), 200);
}

#[tokio::test]
async fn an_expired_oauth2_token_is_refused_then_the_client_fetches_a_new_one_and_succeeds() {
    let sb = Sandbox::start().await.unwrap();
    let aveva = idprov_aveva_connect::Client::with_config(sb.aveva_config()).unwrap();
    assert_eq!(
        aveva
            .automation_identity_total(fixtures::AVEVA_TENANT_ID)
            .await
            .unwrap(),
        0
    );
    sb.expire_tokens();
    assert_eq!(
        aveva
            .automation_identity_total(fixtures::AVEVA_TENANT_ID)
            .await
            .unwrap(),
        0
    );
    let flow: Vec<(String, Option<u16>)> = sb
        .requests_to(Vendor::Aveva)
        .into_iter()
        .map(|r| (r.operation.unwrap_or_default(), r.status))
        .collect();
    let count = "count_automation_identities".to_string();
    assert_eq!(
        flow,
        [
            ("token".to_string(), Some(200)),
            (count.clone(), Some(200)),
            (count.clone(), Some(401)),
            ("token".to_string(), Some(200)),
            (count, Some(200)),
        ]
    );

    let isc = idprov_sailpoint_isc::Client::with_config(sb.isc_config()).unwrap();
    isc.list_machine_account_create_access()
        .send()
        .await
        .unwrap();
    sb.expire_tokens();
    isc.list_machine_account_create_access()
        .send()
        .await
        .unwrap();
    assert_eq!(sb.statuses(Vendor::Isc, "token"), [Some(200), Some(200)]);
    assert_eq!(
        sb.statuses(Vendor::Isc, "list_machine_account_create_access"),
        [Some(200), Some(401), Some(200)]
    );
}

#[tokio::test]
async fn a_token_is_refused_once_its_lifetime_has_passed() {
    let sb = Sandbox::builder()
        .token_lifetime(Duration::from_secs(1))
        .start()
        .await
        .unwrap();
    let client = raw();
    let token: Value = client
        .post(format!("{}/oauth/token", sb.base_url(Vendor::Isc)))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", fixtures::ISC_CLIENT_ID),
            ("client_secret", fixtures::ISC_CLIENT_SECRET),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(token["expires_in"], 1);
    let call = || {
        client
            .get(format!(
                "{}/source-subtypes/v1/machine-account-create-access",
                sb.base_url(Vendor::Isc)
            ))
            .bearer_auth(token["access_token"].as_str().unwrap())
            .header("x-sailpoint-experimental", "true")
            .send()
    };
    assert_eq!(call().await.unwrap().status(), 200);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let expired = call().await.unwrap();
    assert_eq!(expired.status(), 401);
    assert_eq!(
        expired.json::<Value>().await.unwrap(),
        json!({"error": "JWT validation failed: JWT is expired"})
    );

    let wrong = client
        .post(format!(
            "{}/identity/connect/token",
            sb.base_url(Vendor::Aveva)
        ))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "x"),
            ("client_secret", "y"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    assert_eq!(
        wrong.json::<Value>().await.unwrap()["error"],
        "invalid_client"
    );
}

#[tokio::test]
async fn seam_nerm_and_isc_refuse_what_the_vendor_refuses() {
    let sb = Sandbox::start().await.unwrap();
    // A personal access token without its workspace.
    let mut pat = sb.seam_pat_config();
    pat.credentials = idprov_seam::Credentials::PersonalAccessToken {
        token: idprov_seam::Secret::new(fixtures::SEAM_PERSONAL_ACCESS_TOKEN),
        workspace_id: "7a1e0c4b-0000-4000-8000-000000000000".to_string(),
    };
    let seam = idprov_seam::Client::with_config(pat).unwrap();
    let e = seam
        .list_enrollment_automations()
        .body(
            idprov_seam::types::ListEnrollmentAutomationsRequest::builder()
                .user_identity_id(uuid::Uuid::nil()),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), idprov_seam::ErrorKind::Auth);
    let missing = raw()
        .post(format!(
            "{}/user_identities/enrollment_automations/list",
            sb.base_url(Vendor::Seam)
        ))
        .bearer_auth(fixtures::SEAM_PERSONAL_ACCESS_TOKEN)
        .json(&json!({"user_identity_id": fixtures::SEAM_USER_IDENTITY_ID}))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 401);
    assert_eq!(
        missing.json::<Value>().await.unwrap()["error"]["type"],
        "missing_workspace_id"
    );

    let mut nerm = sb.nerm_config();
    nerm.credentials = idprov_sailpoint_nerm::Credentials::ApiToken(
        idprov_sailpoint_nerm::Secret::new("wrong-token-123"),
    );
    let e = idprov_sailpoint_nerm::Client::with_config(nerm)
        .unwrap()
        .list_workflow_actions()
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), idprov_sailpoint_nerm::ErrorKind::Auth);
    // NERM also takes an Identity Security Cloud access token.
    let mut by_isc = sb.nerm_config();
    by_isc.credentials =
        idprov_sailpoint_nerm::Credentials::IscClientCredentials(sb.isc_client_credentials());
    idprov_sailpoint_nerm::Client::with_config(by_isc)
        .unwrap()
        .list_workflow_actions()
        .send()
        .await
        .unwrap();

    // ISC's experimental calls need the header, with the value true.
    let isc_token = sb.isc_client_credentials();
    let token: Value = raw()
        .post(isc_token.token_url.clone())
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", isc_token.client_id.as_str()),
            ("client_secret", fixtures::ISC_CLIENT_SECRET),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list = format!(
        "{}/source-subtypes/v1/machine-account-create-access",
        sb.base_url(Vendor::Isc)
    );
    for header in [None, Some("false")] {
        let mut req = raw()
            .get(&list)
            .bearer_auth(token["access_token"].as_str().unwrap());
        if let Some(h) = header {
            req = req.header("x-sailpoint-experimental", h);
        }
        let answer = req.send().await.unwrap();
        assert_eq!(answer.status(), 400, "header {header:?}");
        let body: Value = answer.json().await.unwrap();
        assert_eq!(body["detailCode"], "400.1 Bad Request Content");
        assert!(
            body["messages"][0]["text"]
                .as_str()
                .unwrap()
                .contains("X-SailPoint-Experimental"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn a_request_that_breaks_its_spec_gets_the_vendors_400_naming_the_field() {
    let sb = Sandbox::start().await.unwrap();

    let client = raw();
    // Out of bounds (the clients refuse these before sending, so they are sent raw).
    let isc_token: Value = client
        .post(format!("{}/oauth/token", sb.base_url(Vendor::Isc)))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", fixtures::ISC_CLIENT_ID),
            ("client_secret", fixtures::ISC_CLIENT_SECRET),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let isc = client
        .get(format!(
            "{}/source-subtypes/v1/machine-account-create-access?limit=300",
            sb.base_url(Vendor::Isc)
        ))
        .bearer_auth(isc_token["access_token"].as_str().unwrap())
        .header("x-sailpoint-experimental", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(isc.status(), 400);
    let body: Value = isc.json().await.unwrap();
    assert_eq!(
        body["messages"][0]["text"],
        "The value of \"limit\" is not valid: it must be at most 250."
    );
    assert_eq!(body["trackingId"].as_str().map(str::len), Some(32));

    let mut huawei = client
        .get(format!(
            "{}/v1/instances/{}/permission-sets/provisioning-statuses?limit=500&status=DONE",
            sb.base_url(Vendor::Huawei),
            fixtures::HUAWEI_INSTANCE_ID
        ))
        .header("content-type", "application/json")
        .build()
        .unwrap();
    idprov_huaweicloud_identitycenter::signer::sign_reqwest(
        fixtures::HUAWEI_AK,
        fixtures::HUAWEI_SK,
        None,
        SystemTime::now(),
        &mut huawei,
    )
    .unwrap();
    let huawei = client.execute(huawei).await.unwrap();
    assert_eq!(huawei.status(), 400);
    let body: Value = huawei.json().await.unwrap();
    assert_eq!(body["error_code"], "IdentityCenter.0001");
    assert_eq!(
        body["error_msg"],
        "Invalid parameter: limit must be at most 100; status must be one of IN_PROGRESS, FAILED, SUCCEEDED"
    );

    // Seam: a malformed UUID and a missing field, in Zod's error.format() tree.
    let seam: Value = client
        .post(format!(
            "{}/user_identities/enrollment_automations/launch",
            sb.base_url(Vendor::Seam)
        ))
        .bearer_auth(fixtures::SEAM_API_KEY)
        .json(&json!({"user_identity_id": "not-a-uuid"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let errors = &seam["error"]["validation_errors"];
    assert_eq!(
        errors["user_identity_id"]["_errors"],
        json!(["Invalid uuid"])
    );
    assert_eq!(
        errors["credential_manager_acs_system_id"]["_errors"],
        json!(["Required"])
    );

    // NERM: a missing nested field, named by its path.
    let nerm = client
        .post(format!(
            "{}/workflow_actions/username_password_actions",
            sb.base_url(Vendor::Nerm)
        ))
        .bearer_auth(fixtures::NERM_API_TOKEN)
        .json(&json!({"workflow_action": {"description": "Prompt"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(nerm.status(), 400);
    let body: Value = nerm.json().await.unwrap();
    assert_eq!(
        body["errors"],
        json!({"workflow_action.workflow_id": "is required"})
    );
    let broken = client
        .post(format!(
            "{}/workflow_actions/username_password_actions",
            sb.base_url(Vendor::Nerm)
        ))
        .bearer_auth(fixtures::NERM_API_TOKEN)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(
        broken.json::<Value>().await.unwrap(),
        json!({"error": "Invalid JSON syntax. Please check your syntax and try again."})
    );

    // AVEVA: a wrong type, in the ErrorResponse with its OperationId.
    let token: Value = client
        .post(format!(
            "{}/identity/connect/token",
            sb.base_url(Vendor::Aveva)
        ))
        .basic_auth(
            fixtures::AVEVA_CLIENT_ID,
            Some(fixtures::AVEVA_CLIENT_SECRET),
        )
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let aveva = client
        .post(format!(
            "{}/api/v1/Tenants/{}/AutomationIdentities",
            sb.base_url(Vendor::Aveva),
            fixtures::AVEVA_TENANT_ID
        ))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .json(&json!({"Name": 5, "Tags": ["a", 7]}))
        .send()
        .await
        .unwrap();
    assert_eq!(aveva.status(), 400);
    let body: Value = aveva.json().await.unwrap();
    assert_eq!(
        body["Reason"],
        "Name must be a string; Tags[1] must be a string"
    );
    assert!(
        body["OperationId"]
            .as_str()
            .is_some_and(|id| uuid::Uuid::parse_str(id).is_ok())
    );
}

#[tokio::test]
async fn the_admin_endpoint_adds_and_clears_faults_ends_jobs_and_serves_the_log() {
    let sb = Sandbox::builder()
        .huawei_jobs(JobPlan::manual())
        .start()
        .await
        .unwrap();
    let admin = sb.admin_url();
    let client = raw();
    let added = client
        .post(format!("{admin}/faults"))
        .json(&json!({"vendor": "nerm", "fault": {"kind": "status", "status": 500}, "times": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 201);
    assert_eq!(
        sb.faults(),
        [FaultRule::vendor(Vendor::Nerm, Fault::status(500)).times(1)]
    );

    let nerm = idprov_sailpoint_nerm::Client::with_config(sb.nerm_config()).unwrap();
    let e = nerm.list_workflow_actions().send().await.unwrap_err();
    assert_eq!(
        (e.status(), e.message()),
        (Some(500), "Internal Server Error")
    );
    nerm.list_workflow_actions().send().await.unwrap();

    client
        .post(format!("{admin}/faults"))
        .json(&json!([{"fault": {"kind": "status", "status": 500}}]))
        .send()
        .await
        .unwrap();
    assert_eq!(
        client
            .delete(format!("{admin}/faults"))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    assert!(sb.faults().is_empty());

    let log: Value = client
        .get(format!("{admin}/requests?vendor=nerm"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let seen: Vec<_> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].clone())
        .collect();
    assert_eq!(seen, [json!(500), json!(200)]);

    // A job ended through the admin endpoint.
    let iam = idprov_huaweicloud_identitycenter::Client::with_config(sb.huawei_config()).unwrap();
    let started = iam
        .provision_permission_set()
        .instance_id(fixtures::HUAWEI_INSTANCE_ID)
        .permission_set_id(fixtures::HUAWEI_PERMISSION_SET_ID)
        .body(
            idprov_huaweicloud_identitycenter::types::ProvisionPermissionSetRequest::builder()
                .target_type(idprov_huaweicloud_identitycenter::types::ProvisionTargetType::AllProvisionedAccounts),
        )
        .send()
        .await
        .unwrap()
        .into_inner();
    let id = started
        .permission_set_provisioning_status
        .unwrap()
        .request_id
        .unwrap();
    let ended: Value = client
        .post(format!("{admin}/jobs/huawei/{id}"))
        .json(&json!({"result": "fail", "reason": "quota exceeded"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ended, json!({"was_running": true}));
    let status = iam
        .get_permission_set_provisioning_status()
        .instance_id(fixtures::HUAWEI_INSTANCE_ID)
        .request_id(&id)
        .send()
        .await
        .unwrap()
        .into_inner()
        .permission_set_provisioning_status
        .unwrap();
    assert_eq!(status.failure_reason.as_deref(), Some("quota exceeded"));
    let unknown = client
        .post(format!("{admin}/jobs/huawei/nope"))
        .json(&json!({"result": "succeed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);

    assert_eq!(
        client
            .delete(format!("{admin}/requests"))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    assert!(
        sb.requests().is_empty(),
        "admin requests are not logged, and the log was cleared"
    );
    assert_eq!(
        sb.finish_job(Vendor::Seam, "x", Outcome::Succeed)
            .unwrap_err()
            .to_string(),
        "Seam has no asynchronous jobs (only ISC and Huawei do)"
    );
}

const SEED: &str = r#"
token_lifetime_secs: 120
aveva:
  automation_identities:
    - name: seeded-bot
      tags: [seeded]
nerm:
  workflows: [0f0e0d0c-0b0a-4909-8807-060504030201]
faults:
  - vendor: seam
    fault: { kind: status, status: 500 }
    times: 1
"#;

#[tokio::test]
async fn a_seed_file_sets_state_credentials_and_faults() {
    let seed = Seed::from_yaml(SEED).unwrap();
    assert_eq!(
        seed.seam,
        Seed::default().seam,
        "what the file does not name keeps its default"
    );
    let sb = Sandbox::builder().seed(seed).start().await.unwrap();
    let aveva = idprov_aveva_connect::Client::with_config(sb.aveva_config()).unwrap();
    let listed = aveva
        .list_automation_identities()
        .tenant_id(fixtures::AVEVA_TENANT_ID)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name.as_deref(), Some("seeded-bot"));
    let token = sb
        .requests_to(Vendor::Aveva)
        .into_iter()
        .find(|r| r.is("token"))
        .unwrap();
    assert_eq!(token.status, Some(200));
    assert_eq!(sb.faults().len(), 1);

    let e = Seed::from_yaml("nerm: {workflows: [not-a-uuid]}").unwrap_err();
    assert!(e.to_string().contains("workflows"), "{e}");
    let e = Seed::from_yaml("isc: {client_idd: x}").unwrap_err();
    assert!(e.to_string().contains("client_idd"), "{e}");
}

#[tokio::test]
async fn the_binary_prints_every_vendors_config_on_one_line_and_serves_until_killed() {
    use tokio::io::AsyncBufReadExt;
    let dir = std::env::temp_dir().join(format!("idprov-sandbox-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let seed = dir.join("seed.json");
    std::fs::write(
        &seed,
        r#"{"nerm": {"api_token": "seeded-token-0123456789"}}"#,
    )
    .unwrap();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_idprov-sandbox"))
        .args(["--port", "0", "--seed"])
        .arg(&seed)
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let info: Value = serde_json::from_str(&line).unwrap();
    for vendor in ["seam", "aveva", "nerm", "isc", "huawei"] {
        assert!(
            info[vendor]["base_url"]
                .as_str()
                .unwrap()
                .starts_with("http://127.0.0.1:"),
            "{vendor}: {info}"
        );
    }
    assert_eq!(info["nerm"]["api_token"], "seeded-token-0123456789");
    assert_eq!(info["seam"]["api_key"], fixtures::SEAM_API_KEY);
    let nerm = idprov_sailpoint_nerm::Client::with_config(
        idprov_sailpoint_nerm::ClientConfig::new(idprov_sailpoint_nerm::Credentials::ApiToken(
            idprov_sailpoint_nerm::Secret::new("seeded-token-0123456789"),
        ))
        .base_url(info["nerm"]["base_url"].as_str().unwrap()),
    )
    .unwrap();
    nerm.list_workflow_actions().send().await.unwrap();
    child.kill().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn dropping_the_sandbox_stops_every_listener() {
    let sb = Sandbox::start().await.unwrap();
    let addresses: Vec<_> = Vendor::ALL.iter().map(|v| sb.address(*v)).collect();
    for a in &addresses {
        tokio::net::TcpStream::connect(a).await.unwrap();
    }
    drop(sb);
    tokio::task::yield_now().await;
    for a in &addresses {
        assert!(
            tokio::net::TcpStream::connect(a).await.is_err(),
            "{a} still accepts"
        );
    }
}

#[tokio::test]
async fn seam_refuses_both_exclusive_fields_with_invalid_input_naming_them() {
    // The client refuses both before sending; a raw request shows the sandbox does too.
    let sb = Sandbox::start().await.unwrap();
    let raw = raw()
        .post(format!(
            "{}/user_identities/enrollment_automations/launch",
            sb.base_url(Vendor::Seam)
        ))
        .bearer_auth(fixtures::SEAM_API_KEY)
        .json(&serde_json::json!({
            "user_identity_id": fixtures::SEAM_USER_IDENTITY_ID,
            "credential_manager_acs_system_id": fixtures::SEAM_CREDENTIAL_MANAGER_ID,
            "create_credential_manager_user": true,
            "credential_manager_acs_user_id": "7b0a4d7e-7a35-4c2e-9f1d-1a2b3c4d5e6f"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    let body: serde_json::Value = raw.json().await.unwrap();
    assert_eq!(body["ok"], false);
    assert_eq!(body["error"]["type"], "invalid_input");
    let top = body["error"]["validation_errors"]["_errors"][0]
        .as_str()
        .unwrap();
    assert!(
        top.contains("create_credential_manager_user")
            && top.contains("credential_manager_acs_user_id")
    );
}
