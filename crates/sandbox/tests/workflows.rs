//! Every idprov client workflow against the sandbox, statefully: what one call creates the next finds, and
//! what is deleted is gone (404).

use std::num::NonZeroU32;
use std::time::Duration;

use futures::TryStreamExt;
use idprov_sandbox::{JobPlan, Outcome, Sandbox, Vendor, fixtures};

/// A plain reqwest client, for requests the idprov clients refuse to send.
fn raw() -> reqwest::Client {
    idprov_runtime::config::install_tls_provider();
    reqwest::Client::new()
}

fn quick_wait() -> idprov_runtime::wait::WaitOptions {
    idprov_runtime::wait::WaitOptions {
        timeout: Duration::from_secs(10),
        initial_interval: Duration::from_millis(20),
        max_interval: Duration::from_millis(50),
    }
}

#[tokio::test]
async fn seam_launch_get_list_delete_then_get_is_404() {
    use idprov_seam::{Client, ErrorKind, types};
    let sb = Sandbox::start().await.unwrap();
    let seam = Client::with_config(sb.seam_config()).unwrap();
    let user: uuid::Uuid = fixtures::SEAM_USER_IDENTITY_ID.parse().unwrap();
    let manager: uuid::Uuid = fixtures::SEAM_CREDENTIAL_MANAGER_ID.parse().unwrap();

    let launched = seam
        .launch_enrollment_automation()
        .body(
            types::LaunchEnrollmentAutomationRequest::builder()
                .user_identity_id(user)
                .credential_manager_acs_system_id(manager)
                .acs_credential_pool_id(Some(fixtures::SEAM_CREDENTIAL_POOL_ID.parse().unwrap()))
                .create_credential_manager_user(Some(true)),
        )
        .send()
        .await
        .unwrap();
    assert!(launched.headers().contains_key("seam-request-id"));
    let launched = launched.into_inner().enrollment_automation;
    assert_eq!(launched.user_identity_id, user);
    assert_eq!(launched.credential_manager_acs_system_id, manager);
    assert_eq!(
        launched.workspace_id.to_string(),
        fixtures::SEAM_WORKSPACE_ID
    );
    let id = launched.enrollment_automation_id;

    let got = seam
        .get_enrollment_automation()
        .body(types::GetEnrollmentAutomationRequest::builder().enrollment_automation_id(id))
        .send()
        .await
        .unwrap()
        .into_inner()
        .enrollment_automation;
    assert_eq!(got, launched);

    let listed = seam
        .list_enrollment_automations()
        .body(types::ListEnrollmentAutomationsRequest::builder().user_identity_id(user))
        .send()
        .await
        .unwrap()
        .into_inner()
        .enrollment_automations;
    assert_eq!(listed, [launched]);

    seam.delete_enrollment_automation()
        .body(types::DeleteEnrollmentAutomationRequest::builder().enrollment_automation_id(id))
        .send()
        .await
        .unwrap();
    let gone = seam
        .get_enrollment_automation()
        .body(types::GetEnrollmentAutomationRequest::builder().enrollment_automation_id(id))
        .send()
        .await
        .unwrap_err();
    assert_eq!(gone.kind(), ErrorKind::NotFound);
    assert_eq!(gone.code(), Some("enrollment_automation_not_found"));
    assert!(
        gone.request_id().is_some(),
        "seam-request-id is read into the error"
    );
    let listed = seam
        .list_enrollment_automations()
        .body(types::ListEnrollmentAutomationsRequest::builder().user_identity_id(user))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(listed.enrollment_automations.is_empty());
}

#[tokio::test]
async fn seam_refuses_unknown_ids_a_system_that_is_no_credential_manager_and_both_exclusive_fields()
{
    use idprov_seam::{Client, ErrorKind, types};
    let sb = Sandbox::start().await.unwrap();
    // The personal access token with its workspace works as well as the API key.
    let seam = Client::with_config(sb.seam_pat_config()).unwrap();
    let user: uuid::Uuid = fixtures::SEAM_USER_IDENTITY_ID.parse().unwrap();
    let launch = |user: uuid::Uuid, system: &str| {
        seam.launch_enrollment_automation().body(
            types::LaunchEnrollmentAutomationRequest::builder()
                .user_identity_id(user)
                .credential_manager_acs_system_id(system.parse::<uuid::Uuid>().unwrap()),
        )
    };
    let e = launch(uuid::Uuid::nil(), fixtures::SEAM_CREDENTIAL_MANAGER_ID)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::NotFound, Some("user_identity_not_found"))
    );
    let e = launch(user, "00000000-0000-4000-8000-000000000001")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::NotFound, Some("acs_system_not_found"))
    );
    let e = launch(user, fixtures::SEAM_ACCESS_SYSTEM_ID)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Validation, Some("invalid_input"))
    );
    assert!(
        e.details()
            .iter()
            .any(|d| d.starts_with("credential_manager_acs_system_id: ")
                && d.contains("is not a credential manager")),
        "{e}"
    );

    // The client refuses both exclusive fields before sending; a raw request shows the sandbox does too.
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

#[tokio::test]
async fn aveva_create_count_get_update_list_delete_then_404() {
    use idprov_aveva_connect::{Client, ErrorKind, types};
    let sb = Sandbox::start().await.unwrap();
    let aveva = Client::with_config(sb.aveva_config()).unwrap();
    let tenant = fixtures::AVEVA_TENANT_ID;
    let create = |name: &str, tags: &[&str]| {
        aveva.create_automation_identity().tenant_id(tenant).body(
            types::CreateAutomationIdentityRequest::builder()
                .name(Some(name.to_string()))
                .role_ids(Some(vec![fixtures::AVEVA_ROLE_ID.to_string()]))
                .tags(Some(tags.iter().map(|t| t.to_string()).collect())),
        )
    };

    let created = create("provisioning-bot", &["provisioning"])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let created = created.into_inner();
    let id = created.id.unwrap();
    assert_eq!(created.tenant_id.unwrap().to_string(), tenant);
    assert_eq!(
        created.role_type_ids,
        Some(vec![fixtures::AVEVA_ROLE_TYPE_ID.to_string()])
    );
    create("reporting-bot", &["reporting"])
        .send()
        .await
        .unwrap();
    create("audit-bot", &["audit", "provisioning"])
        .send()
        .await
        .unwrap();

    let dup = create("Provisioning-Bot", &[]).send().await.unwrap_err();
    assert_eq!(dup.kind(), ErrorKind::Conflict);
    assert!(
        dup.request_id().is_some(),
        "the OperationId is the error's request id"
    );

    assert_eq!(aveva.automation_identity_total(tenant).await.unwrap(), 3);
    let tagged = aveva
        .count_automation_identities()
        .tenant_id(tenant)
        .tag(vec!["provisioning".to_string()])
        .send()
        .await
        .unwrap();
    assert_eq!(tagged.headers()["total-count"], "2");

    let got = aveva
        .get_automation_identity()
        .tenant_id(tenant)
        .automation_identity_id(id)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(got, created);
    aveva
        .check_automation_identity()
        .tenant_id(tenant)
        .automation_identity_id(id)
        .send()
        .await
        .unwrap();

    let updated = aveva
        .update_automation_identity()
        .tenant_id(tenant)
        .automation_identity_id(id)
        .body(
            types::UpdateAutomationIdentityRequest::builder()
                .name(Some("provisioning-bot-eu".to_string())),
        )
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(updated.name.as_deref(), Some("provisioning-bot-eu"));
    assert_eq!(
        updated.tags, created.tags,
        "tags were not sent, so they are unchanged"
    );

    let listed: Vec<types::AutomationIdentity> = aveva
        .automation_identities(tenant, NonZeroU32::new(2).unwrap())
        .try_collect()
        .await
        .unwrap();
    let names: Vec<_> = listed.iter().map(|i| i.name.clone().unwrap()).collect();
    assert_eq!(names, ["provisioning-bot-eu", "reporting-bot", "audit-bot"]);
    let lists = sb
        .requests_to(Vendor::Aveva)
        .into_iter()
        .filter(|r| r.is("list_automation_identities"))
        .map(|r| {
            let mut pairs: Vec<String> = r
                .query
                .unwrap_or_default()
                .split('&')
                .map(str::to_string)
                .collect();
            pairs.sort();
            pairs.join("&")
        })
        .collect::<Vec<_>>();
    assert_eq!(
        lists,
        ["count=2&skip=0", "count=2&skip=2"],
        "two pages, the second one short"
    );

    let deleted = aveva
        .delete_automation_identity()
        .tenant_id(tenant)
        .automation_identity_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    let gone = aveva
        .get_automation_identity()
        .tenant_id(tenant)
        .automation_identity_id(id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(gone.kind(), ErrorKind::NotFound);
    let absent = aveva
        .check_automation_identity()
        .tenant_id(tenant)
        .automation_identity_id(id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(absent.status(), Some(404));
    assert_eq!(aveva.automation_identity_total(tenant).await.unwrap(), 2);
    let tokens = sb
        .requests_to(Vendor::Aveva)
        .iter()
        .filter(|r| r.is("token"))
        .count();
    assert_eq!(tokens, 1, "one token for the whole workflow");
}

#[tokio::test]
async fn nerm_create_under_a_workflow_then_list_it_page_by_page() {
    use idprov_sailpoint_nerm::{Client, ErrorKind, types};
    let sb = Sandbox::start().await.unwrap();
    let nerm = Client::with_config(sb.nerm_config()).unwrap();
    let workflow: uuid::Uuid = fixtures::NERM_WORKFLOW_ID.parse().unwrap();
    let create = |workflow_id: uuid::Uuid, description: &str| {
        nerm.create_username_password_action()
            .body(types::CreateUsernamePasswordActionRequest {
                workflow_action: types::UsernamePasswordAction {
                    workflow_id,
                    description: description.to_string(),
                    archived: false,
                },
            })
    };
    let mut created = Vec::new();
    for n in 1..=3 {
        let a = create(workflow, &format!("Prompt {n}"))
            .send()
            .await
            .unwrap()
            .into_inner()
            .workflow_action;
        assert_eq!(a.workflow_id, workflow);
        created.push(a);
    }
    let listed: Vec<types::WorkflowAction> = nerm
        .workflow_actions(workflow, NonZeroU32::new(2).unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed, created);

    let meta = nerm
        .list_workflow_actions()
        .workflow_id(workflow)
        .limit(NonZeroU32::new(2).unwrap())
        .metadata(true)
        .send()
        .await
        .unwrap()
        .into_inner();
    let m = meta.metadata.unwrap();
    assert_eq!((m.total, m.limit, m.offset), (Some(3), Some(2), Some(0)));
    assert!(m.next.unwrap().contains("offset=2"));

    let e = create(uuid::Uuid::nil(), "nowhere")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert!(
        e.details().iter().any(|d| d == "workflow: must exist"),
        "{e}"
    );
}

#[tokio::test]
async fn isc_create_wait_get_then_access_list_and_a_failed_request_carries_its_detail() {
    use idprov_sailpoint_isc::{Client, ErrorKind, types};
    let sb = Sandbox::builder()
        .isc_jobs(JobPlan::after(Duration::from_millis(150), Outcome::Succeed))
        .start()
        .await
        .unwrap();
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

    let first = isc
        .get_account_request()
        .account_request_id(&id)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(first.overall_status.as_deref(), Some("PENDING"));
    assert_eq!(first.completed_at, None);
    let done = isc
        .wait_for_account_request(&id, quick_wait())
        .await
        .unwrap();
    assert_eq!(done.overall_status.as_deref(), Some("SUCCESS"));
    assert!(done.completed_at.is_some());
    let got = isc
        .get_account_request()
        .account_request_id(&id)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(got, done, "a finished request stays as it finished");
    assert!(
        sb.requests_to(Vendor::Isc)
            .iter()
            .filter(|r| r.operation.as_deref() != Some("token"))
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
    let running = isc
        .get_account_request()
        .account_request_id(&id)
        .send()
        .await
        .unwrap()
        .into_inner();
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

    // A subtype the caller has no entitlement on is refused.
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

#[tokio::test]
async fn huawei_provision_wait_then_list_statuses_with_marker_paging_and_the_status_filter() {
    use idprov_huaweicloud_identitycenter::types::{self, ProvisioningStatus};
    use idprov_huaweicloud_identitycenter::{Client, ErrorKind};
    let sb = Sandbox::builder()
        .huawei_jobs(JobPlan::after(Duration::from_millis(100), Outcome::Succeed))
        .start()
        .await
        .unwrap();
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

    // Two more: one the test fails, one left running.
    sb.set_job_plan(Vendor::Huawei, JobPlan::manual()).unwrap();
    let failing = provision()
        .send()
        .await
        .unwrap()
        .into_inner()
        .permission_set_provisioning_status
        .unwrap();
    let failing = failing.request_id.unwrap();
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
    let running = provision()
        .send()
        .await
        .unwrap()
        .into_inner()
        .permission_set_provisioning_status
        .unwrap();
    let running = running.request_id.unwrap();

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
        .filter(|r| r.is("list_permission_set_provisioning_statuses"))
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
