//! Every operation of the five specs, called through the built `idprov` binary against idprov-sandbox,
//! asserting on the JSON it prints and on what the sandbox received and holds afterwards.

mod common;

use common::Cli;
use idprov_cli::Api;
use idprov_sandbox::{Vendor, fixtures};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seam_launch_get_list_delete_an_enrollment_automation() {
    let cli = Cli::start().await;
    let launched = cli
        .run(&[
            "seam",
            "launch-enrollment-automation",
            "--user-identity-id",
            fixtures::SEAM_USER_IDENTITY_ID,
            "--credential-manager-acs-system-id",
            fixtures::SEAM_CREDENTIAL_MANAGER_ID,
        ])
        .await
        .ok_json();
    let automation = &launched["enrollment_automation"];
    assert_eq!(
        automation["user_identity_id"],
        fixtures::SEAM_USER_IDENTITY_ID
    );
    let id = automation["enrollment_automation_id"]
        .as_str()
        .expect("an id")
        .to_string();
    let sent = cli.sb.requests_to(Vendor::Seam);
    let launch = sent
        .iter()
        .find(|r| r.is("launch_enrollment_automation"))
        .expect("launch reached the sandbox");
    assert_eq!(
        launch.json().expect("a JSON body")["credential_manager_acs_system_id"],
        fixtures::SEAM_CREDENTIAL_MANAGER_ID
    );

    // The body as JSON instead of member flags.
    let got = cli
        .run(&[
            "seam",
            "get-enrollment-automation",
            "--body",
            &format!(r#"{{"enrollment_automation_id": "{id}"}}"#),
        ])
        .await
        .ok_json();
    assert_eq!(
        got["enrollment_automation"]["enrollment_automation_id"],
        id.as_str()
    );

    let listed = cli
        .run(&[
            "seam",
            "list-enrollment-automations",
            "--user-identity-id",
            fixtures::SEAM_USER_IDENTITY_ID,
        ])
        .await
        .ok_json();
    let ids: Vec<&str> = listed["enrollment_automations"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|a| a["enrollment_automation_id"].as_str())
        .collect();
    assert_eq!(ids, [id.as_str()]);

    let deleted = cli
        .run(&[
            "seam",
            "delete-enrollment-automation",
            "--enrollment-automation-id",
            &id,
        ])
        .await
        .ok_json();
    assert_eq!(deleted["ok"], true);
    let after = cli
        .run(&[
            "seam",
            "get-enrollment-automation",
            "--enrollment-automation-id",
            &id,
        ])
        .await;
    assert_eq!(after.code, 4, "deleted, so not found: {after:?}");
    cli.assert_every_operation_reached(Api::Seam, Vendor::Seam);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aveva_create_list_count_get_check_update_delete_an_automation_identity() {
    let cli = Cli::start().await;
    let tenant = fixtures::AVEVA_TENANT_ID;
    let created = cli
        .run(&[
            "aveva",
            "create-automation-identity",
            "--tenant-id",
            tenant,
            "--body",
            &format!(
                r#"{{"Name": "cli-bot", "RoleIds": ["{}"], "Tags": ["cli"]}}"#,
                fixtures::AVEVA_ROLE_ID
            ),
        ])
        .await
        .ok_json();
    assert_eq!(created["Name"], "cli-bot");
    let id = created["Id"].as_str().expect("an Id").to_string();

    let listed = cli
        .run(&[
            "aveva-connect",
            "list-automation-identities",
            "--tenant-id",
            tenant,
            "--tag",
            "cli",
        ])
        .await
        .ok_json();
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed[0]["Id"], id.as_str());
    let list = cli
        .sb
        .requests_to(Vendor::Aveva)
        .into_iter()
        .find(|r| r.is("list_automation_identities"))
        .expect("the list reached the sandbox");
    assert_eq!(list.query.as_deref(), Some("tag=cli"));

    let counted = cli
        .run(&[
            "aveva",
            "count-automation-identities",
            "--tenant-id",
            tenant,
        ])
        .await
        .ok_json();
    assert_eq!(counted, serde_json::json!({"Total-Count": 1}));

    let got = cli
        .run(&[
            "aveva",
            "get-automation-identity",
            "--tenant-id",
            tenant,
            "--automation-identity-id",
            &id,
        ])
        .await
        .ok_json();
    assert_eq!(got["Id"], id.as_str());

    let checked = cli
        .run(&[
            "aveva",
            "check-automation-identity",
            "--tenant-id",
            tenant,
            "--automation-identity-id",
            &id,
        ])
        .await;
    assert_eq!(checked.code, 0, "{checked:?}");
    assert_eq!(checked.json(), serde_json::Value::Null);

    let updated = cli
        .run(&[
            "aveva",
            "update-automation-identity",
            "--tenant-id",
            tenant,
            "--automation-identity-id",
            &id,
            "--body",
            r#"{"Name": "cli-bot-renamed", "Tags": ["cli", "renamed"]}"#,
        ])
        .await
        .ok_json();
    assert_eq!(updated["Name"], "cli-bot-renamed");

    let deleted = cli
        .run(&[
            "aveva",
            "delete-automation-identity",
            "--tenant-id",
            tenant,
            "--automation-identity-id",
            &id,
        ])
        .await;
    assert_eq!(deleted.code, 0, "{deleted:?}");
    let gone = cli
        .run(&[
            "aveva",
            "check-automation-identity",
            "--tenant-id",
            tenant,
            "--automation-identity-id",
            &id,
        ])
        .await;
    assert_eq!(gone.code, 4, "{gone:?}");
    cli.assert_every_operation_reached(Api::AvevaConnect, Vendor::Aveva);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nerm_create_a_username_password_action_and_list_it() {
    let cli = Cli::start().await;
    let body = format!(
        r#"{{"workflow_action": {{"workflow_id": "{}", "description": "Prompt from the CLI", "archived": false}}}}"#,
        fixtures::NERM_WORKFLOW_ID
    );
    let created = cli
        .run(&["nerm", "create-username-password-action", "--body", &body])
        .await
        .ok_json();
    assert_eq!(
        created["workflow_action"]["description"],
        "Prompt from the CLI"
    );

    let listed = cli
        .run(&[
            "sailpoint-nerm",
            "list-workflow-actions",
            "--workflow-id",
            fixtures::NERM_WORKFLOW_ID,
            "--limit",
            "10",
        ])
        .await
        .ok_json();
    let actions = listed["workflow_actions"].as_array().expect("a list");
    assert_eq!(actions.len(), 1, "{listed}");
    assert_eq!(actions[0]["description"], "Prompt from the CLI");
    let list = cli
        .sb
        .requests_to(Vendor::Nerm)
        .into_iter()
        .find(|r| r.is("list_workflow_actions"))
        .expect("the list reached the sandbox");
    let query = list.query.unwrap_or_default();
    assert!(
        query.contains("limit=10") && query.contains("workflow_id="),
        "{query}"
    );
    cli.assert_every_operation_reached(Api::SailpointNerm, Vendor::Nerm);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn isc_create_a_machine_account_request_get_it_and_list_create_access() {
    let cli = Cli::start().await;
    let access = cli
        .run(&["isc", "list-machine-account-create-access", "--limit", "5"])
        .await
        .ok_json();
    assert_eq!(access[0]["sourceId"], fixtures::ISC_SOURCE_ID);

    let body = format!(
        r#"{{"subtypeId": "{}", "ownerIdentityId": "{}", "entitlementIds": ["{}"], "userInput": {{}}, "environment": "Dev"}}"#,
        fixtures::ISC_SUBTYPE_ID,
        fixtures::ISC_OWNER_IDENTITY_ID,
        fixtures::ISC_ENTITLEMENT_ID
    );
    let accepted = cli
        .run(&[
            "sailpoint-isc",
            "create-machine-account-request",
            "--body",
            &body,
        ])
        .await
        .ok_json();
    let id = accepted["accountRequestId"]
        .as_str()
        .expect("an id")
        .to_string();
    let create = cli
        .sb
        .requests_to(Vendor::Isc)
        .into_iter()
        .find(|r| r.is("create_machine_account_request"))
        .expect("the create reached the sandbox");
    assert_eq!(create.status, Some(202));
    assert_eq!(create.header("x-sailpoint-experimental"), Some("true"));

    let got = cli
        .run(&["isc", "get-account-request", "--account-request-id", &id])
        .await
        .ok_json();
    assert_eq!(got["accountRequestId"], id.as_str());
    cli.assert_every_operation_reached(Api::SailpointIsc, Vendor::Isc);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huawei_provision_a_permission_set_read_its_status_and_list_statuses() {
    let cli = Cli::start().await;
    let started = cli
        .run(&[
            "huawei",
            "provision-permission-set",
            "--instance-id",
            fixtures::HUAWEI_INSTANCE_ID,
            "--permission-set-id",
            fixtures::HUAWEI_PERMISSION_SET_ID,
            "--target-type",
            "ACCOUNT",
            "--target-id",
            fixtures::HUAWEI_ACCOUNT_ID,
        ])
        .await
        .ok_json();
    let status = &started["permission_set_provisioning_status"];
    let id = status["request_id"]
        .as_str()
        .expect("a request id")
        .to_string();
    let sent = cli
        .sb
        .requests_to(Vendor::Huawei)
        .into_iter()
        .find(|r| r.is("provision_permission_set"))
        .expect("the provision reached the sandbox");
    assert_eq!(
        sent.json().expect("a JSON body"),
        serde_json::json!({"target_type": "ACCOUNT", "target_id": fixtures::HUAWEI_ACCOUNT_ID})
    );
    assert!(
        sent.header("authorization")
            .is_some_and(|a| a.starts_with("SDK-HMAC-SHA256")),
        "signed like the vendor's SDK"
    );

    let got = cli
        .run(&[
            "huaweicloud-identitycenter",
            "get-permission-set-provisioning-status",
            "--instance-id",
            fixtures::HUAWEI_INSTANCE_ID,
            "--request-id",
            &id,
        ])
        .await
        .ok_json();
    assert_eq!(
        got["permission_set_provisioning_status"]["request_id"],
        id.as_str()
    );

    let listed = cli
        .run(&[
            "huawei",
            "list-permission-set-provisioning-statuses",
            "--instance-id",
            fixtures::HUAWEI_INSTANCE_ID,
        ])
        .await
        .ok_json();
    let ids: Vec<&str> = listed["permission_sets_provisioning_status"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s["request_id"].as_str()).collect())
        .unwrap_or_default();
    assert!(ids.contains(&id.as_str()), "{listed}");
    cli.assert_every_operation_reached(Api::HuaweicloudIdentitycenter, Vendor::Huawei);
}
