//! What the sandbox hands out (`info()`, the binary's JSON line: the fixture ids every operation needs) and
//! how it routes paths as the vendors' hosts do.

use idprov_sandbox::{Sandbox, Seed, Vendor, fixtures};
use serde_json::{Value, json};

/// A plain reqwest client, for requests no idprov client would send.
fn raw() -> reqwest::Client {
    idprov_runtime::config::install_tls_provider();
    reqwest::Client::new()
}

#[tokio::test]
async fn info_names_the_fixture_ids_each_vendors_operations_reference() {
    let sb = Sandbox::start().await.unwrap();
    let info = sb.info();
    assert_eq!(
        info["seam"]["acs_credential_pool_ids"],
        json!([fixtures::SEAM_CREDENTIAL_POOL_ID])
    );
    assert_eq!(info["aveva"]["role_ids"], json!([fixtures::AVEVA_ROLE_ID]));
    assert_eq!(
        info["aveva"]["roles"][fixtures::AVEVA_ROLE_ID],
        fixtures::AVEVA_ROLE_TYPE_ID
    );
    assert_eq!(
        info["isc"]["subtype_ids"],
        json!([fixtures::ISC_SUBTYPE_ID])
    );
    assert_eq!(
        info["isc"]["owner_identity_id"],
        fixtures::ISC_OWNER_IDENTITY_ID
    );
    assert_eq!(
        info["huawei"]["instances"],
        json!([{
            "instance_id": fixtures::HUAWEI_INSTANCE_ID,
            "permission_set_ids": [fixtures::HUAWEI_PERMISSION_SET_ID],
            "account_ids": [fixtures::HUAWEI_ACCOUNT_ID],
        }])
    );
}

#[tokio::test]
async fn info_follows_the_seed_not_the_fixtures() {
    let mut seed = Seed::default();
    seed.isc.create_access = vec![json!({
        "sourceId": "s1",
        "subtypes": [{"subtypeId": "sub-a"}, {"subtypeId": "sub-b"}]
    })];
    seed.aveva.roles = [("r1".to_string(), "t1".to_string())].into();
    seed.huawei.instances[0].permission_sets = vec!["ps-1".into(), "ps-2".into()];
    let sb = Sandbox::builder().seed(seed).start().await.unwrap();
    let info = sb.info();
    assert_eq!(info["isc"]["subtype_ids"], json!(["sub-a", "sub-b"]));
    assert_eq!(info["aveva"]["role_ids"], json!(["r1"]));
    assert_eq!(
        info["huawei"]["instances"][0]["permission_set_ids"],
        json!(["ps-1", "ps-2"])
    );
}

#[tokio::test]
async fn nerm_takes_a_doubled_slash_as_its_host_does_and_logs_the_path_as_sent() {
    // SailPoint's Python SDK joins nerm_base_url + "/" + "/workflow_actions", so it always sends "//".
    let sb = Sandbox::start().await.unwrap();
    let url = format!(
        "{}//workflow_actions?workflow_id={}",
        sb.base_url(Vendor::Nerm),
        fixtures::NERM_WORKFLOW_ID
    );
    let answer = raw()
        .get(url)
        .bearer_auth(fixtures::NERM_API_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["workflow_actions"], json!([]));
    let logged = sb.requests_to(Vendor::Nerm);
    assert_eq!(logged.len(), 1);
    assert!(logged[0].is("list_workflow_actions"));
    assert_eq!(logged[0].path, "/api//workflow_actions");
}

#[tokio::test]
async fn other_vendors_route_a_doubled_slash_as_sent() {
    let sb = Sandbox::start().await.unwrap();
    let answer = raw()
        .post(format!(
            "{}//user_identities/enrollment_automations/list",
            sb.base_url(Vendor::Seam)
        ))
        .bearer_auth(fixtures::SEAM_API_KEY)
        .json(&json!({"user_identity_id": fixtures::SEAM_USER_IDENTITY_ID}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 404);
    assert_eq!(sb.requests_to(Vendor::Seam)[0].operation, None);
}

#[tokio::test]
async fn start_unless_any_set_starts_only_when_every_variable_is_unset_or_blank() {
    let vars = ["SEAM_API_KEY", "SEAM_PERSONAL_ACCESS_TOKEN"];
    let none = |_: &str| None;
    let started = Sandbox::start_unless_any_set(&none, &vars).await.unwrap();
    assert!(started.is_some_and(|sb| sb.base_url(Vendor::Seam).starts_with("http://127.0.0.1:")));
    let blank = |_: &str| Some("  ".to_string());
    assert!(
        Sandbox::start_unless_any_set(&blank, &vars)
            .await
            .unwrap()
            .is_some()
    );
    let pat = |name: &str| (name == "SEAM_PERSONAL_ACCESS_TOKEN").then(|| "seam_at_x".to_string());
    assert!(
        Sandbox::start_unless_any_set(&pat, &vars)
            .await
            .unwrap()
            .is_none()
    );
}
