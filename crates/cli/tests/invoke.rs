//! The library call under the command line (what the bulk runner uses): `idprov_cli::invoke` with
//! parameters by the spec's names and a JSON body, against idprov-sandbox.

#![allow(clippy::unwrap_used)] // the helper below builds clients from the sandbox's configs; a failure is the test failing

use idprov_cli::{Api, CallError, Clients, invoke};
use idprov_sandbox::{Sandbox, Vendor, fixtures};
use serde_json::{Map, Value, json};

fn params(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), v.clone()))
        .collect()
}

async fn clients(sb: &Sandbox) -> Clients {
    Clients {
        aveva_connect: Some(idprov_aveva_connect::Client::with_config(sb.aveva_config()).unwrap()),
        seam: Some(idprov_seam::Client::with_config(sb.seam_config()).unwrap()),
        ..Clients::default()
    }
}

#[tokio::test]
async fn invoke_takes_params_by_the_specs_names_and_answers_json_or_null() {
    let sb = Sandbox::start().await.unwrap();
    let clients = clients(&sb).await;
    let tenant = params(&[("tenantId", json!(fixtures::AVEVA_TENANT_ID))]);
    let created = invoke(
        &clients,
        Api::AvevaConnect,
        "create_automation_identity",
        &tenant,
        Some(json!({"Name": "from-invoke"})),
    )
    .await
    .unwrap();
    assert_eq!(created["Name"], "from-invoke");
    let id = created["Id"].clone();

    // The command name works as well as the operationId; a number given as text is read as one.
    let listed = invoke(
        &clients,
        Api::AvevaConnect,
        "list-automation-identities",
        &params(&[
            ("tenantId", json!(fixtures::AVEVA_TENANT_ID)),
            ("count", json!("10")),
        ]),
        None,
    )
    .await
    .unwrap();
    assert_eq!(listed[0]["Id"], id);
    assert!(
        sb.requests_to(Vendor::Aveva)
            .iter()
            .any(|r| r.is("list_automation_identities") && r.query.as_deref() == Some("count=10"))
    );

    let checked = invoke(
        &clients,
        Api::AvevaConnect,
        "check_automation_identity",
        &params(&[
            ("tenantId", json!(fixtures::AVEVA_TENANT_ID)),
            ("automationIdentityId", id),
        ]),
        None,
    )
    .await
    .unwrap();
    assert_eq!(checked, Value::Null, "an empty answer is null");
}

#[tokio::test]
async fn invoke_refuses_an_unknown_param_a_missing_body_and_a_body_that_does_not_fit_naming_the_field()
 {
    let sb = Sandbox::start().await.unwrap();
    let clients = clients(&sb).await;
    let err = invoke(
        &clients,
        Api::AvevaConnect,
        "list_automation_identities",
        &params(&[("tenantId", json!("t")), ("tenant_id", json!("t"))]),
        None,
    )
    .await
    .unwrap_err();
    assert_eq!(err.field(), Some("tenant_id"));
    assert!(
        err.to_string().contains("tenantId"),
        "names what it takes: {err}"
    );

    let err = invoke(
        &clients,
        Api::Seam,
        "launch_enrollment_automation",
        &Map::new(),
        None,
    )
    .await
    .unwrap_err();
    assert_eq!(err.field(), Some("body"));

    let err = invoke(
        &clients,
        Api::Seam,
        "launch_enrollment_automation",
        &Map::new(),
        Some(json!({"user_identity_id": fixtures::SEAM_USER_IDENTITY_ID})),
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string().contains("credential_manager_acs_system_id"),
        "{err}"
    );

    let err = invoke(
        &clients,
        Api::SailpointNerm,
        "list_workflow_actions",
        &Map::new(),
        None,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, CallError::Config(_)),
        "no NERM client: {err:?}"
    );
    assert!(sb.requests().is_empty(), "nothing was sent");
}
