//! AVEVA CONNECT end to end: with OAuth2 client credentials, create an automation identity, count the
//! tenant's identities (HEAD, `Total-Count`), read the new one back, rename it, walk the tenant's list page
//! by page, and delete it — each step fed by what the previous answer said, against a mock AVEVA that only
//! answers the exact requests the docs describe.

#![allow(clippy::unwrap_used, reason = "a test fails by panicking")]

use futures::TryStreamExt;
use httpmock::prelude::*;
use idprov_aveva_connect::ClientCredentials;
use idprov_aveva_connect::{Client, ClientConfig, Credentials, Secret, types};
use serde_json::json;

const TENANT: &str = "2f1cdc3e-2ae4-4fe8-9c9b-63e65f6ff1f2";
const CREATED: &str = "7c1b3e58-4f0a-4d8e-b6a2-9e5d0c3f1a27";
const OTHER_1: &str = "0a9e4c1d-2b3f-4e5a-8c7d-6f1e2d3c4b5a";
const OTHER_2: &str = "e4d3c2b1-a0f9-4e8d-9c7b-6a5f4e3d2c1b";
const ROLE: &str = "c6d1f2a3-b4e5-4f60-8a7b-9c0d1e2f3a4b";
const ROLE_TYPE: &str = "2dc742ab-39ea-4fe8-9a7c-f1a6b3c8d0e5";
const CLIENT_ID: &str = "9f6a1c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";
const CLIENT_SECRET: &str = "aveva-client-secret-0123456789";
const ACCESS_TOKEN: &str =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6IjE2In0.eyJjbGllbnRfaWQiOiI5ZjZhIn0.c2lnbmF0dXJl";

fn identity(id: &str, name: &str, tags: &[&str]) -> serde_json::Value {
    json!({
        "Id": id,
        "Name": name,
        "TenantId": TENANT,
        "RoleIds": [ROLE],
        "RoleTypeIds": [ROLE_TYPE],
        "Tags": tags
    })
}

fn collection() -> String {
    format!("/api/v1/Tenants/{TENANT}/AutomationIdentities")
}

fn item(id: &str) -> String {
    format!("/api/v1/Tenants/{TENANT}/AutomationIdentities/{id}")
}

fn bearer() -> String {
    format!("Bearer {ACCESS_TOKEN}")
}

/// Answers the list call for `skip`/`count` (exactly those two query parameters, the bearer token) with
/// the page `items`.
async fn page(
    server: &MockServer,
    skip: u32,
    count: u32,
    items: serde_json::Value,
) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(collection())
                .query_param("skip", skip.to_string())
                .query_param("count", count.to_string())
                .query_param_count(".*", ".*", 2)
                .header("authorization", bearer())
                .header_missing("api-version");
            then.status(200)
                .header("content-type", "application/json; charset=utf-8")
                .json_body(items);
        })
        .await
}

#[tokio::test]
async fn create_count_get_update_list_delete_uses_one_token_and_the_created_id_throughout() {
    let server = MockServer::start_async().await;

    let token = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/identity/connect/token")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json")
                .header_missing("authorization")
                .form_urlencoded_tuple("grant_type", "client_credentials")
                .form_urlencoded_tuple("client_id", CLIENT_ID)
                .form_urlencoded_tuple("client_secret", CLIENT_SECRET)
                .form_urlencoded_tuple_count(".*", ".*", 3);
            then.status(200)
                .header("content-type", "application/json; charset=UTF-8")
                .json_body(json!({
                    "access_token": ACCESS_TOKEN,
                    "expires_in": 3600,
                    "token_type": "Bearer",
                    "scope": "ocsapi"
                }));
        })
        .await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(collection())
                .query_param_count(".*", ".*", 0)
                .header("authorization", bearer())
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .header_missing("api-version")
                .json_body(json!({
                    "Name": "provisioning-bot",
                    "RoleIds": [ROLE],
                    "Tags": ["provisioning"]
                }));
            then.status(201)
                .header("content-type", "application/json; charset=utf-8")
                .json_body(identity(CREATED, "provisioning-bot", &["provisioning"]));
        })
        .await;
    let count = server
        .mock_async(|when, then| {
            when.method(httpmock::Method::HEAD)
                .path(collection())
                .query_param_count(".*", ".*", 0)
                .header("authorization", bearer())
                .header_missing("api-version");
            then.status(200).header("Total-Count", "3");
        })
        .await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(item(CREATED))
                .query_param_count(".*", ".*", 0)
                .header("authorization", bearer())
                .header("accept", "application/json")
                .header_missing("api-version");
            then.status(200)
                .header("content-type", "application/json; charset=utf-8")
                .json_body(identity(CREATED, "provisioning-bot", &["provisioning"]));
        })
        .await;
    let update = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path(item(CREATED))
                .query_param_count(".*", ".*", 0)
                .header("authorization", bearer())
                .header("content-type", "application/json")
                .header_missing("api-version")
                // Unset properties are left out, so AVEVA leaves them unchanged (RoleIds here).
                .json_body(json!({"Name": "provisioning-bot-eu", "Tags": ["provisioning", "eu"]}));
            then.status(200)
                .header("content-type", "application/json; charset=utf-8")
                .json_body(identity(
                    CREATED,
                    "provisioning-bot-eu",
                    &["provisioning", "eu"],
                ));
        })
        .await;
    let first_page = page(
        &server,
        0,
        2,
        json!([
            identity(OTHER_1, "historian-sync", &["historian"]),
            identity(CREATED, "provisioning-bot-eu", &["provisioning", "eu"])
        ]),
    )
    .await;
    let last_page = page(
        &server,
        2,
        2,
        json!([identity(OTHER_2, "edge-gateway", &[])]),
    )
    .await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path(item(CREATED))
                .query_param_count(".*", ".*", 0)
                .header("authorization", bearer())
                .header_missing("api-version");
            then.status(204);
        })
        .await;

    let aveva = Client::with_config(
        ClientConfig::new(Credentials::ClientCredentials(ClientCredentials {
            token_url: format!("{}/identity/connect/token", server.base_url())
                .parse()
                .unwrap(),
            client_id: CLIENT_ID.to_string(),
            client_secret: Secret::new(CLIENT_SECRET),
            scope: None,
        }))
        .base_url(server.base_url()),
    )
    .unwrap();

    // 1. Create: 201 with the new identity, its id assigned by AVEVA.
    let created = aveva
        .create_automation_identity()
        .tenant_id(TENANT)
        .body(
            types::CreateAutomationIdentityRequest::builder()
                .name(Some("provisioning-bot".to_string()))
                .role_ids(Some(vec![ROLE.to_string()]))
                .tags(Some(vec!["provisioning".to_string()])),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let created = created.into_inner();
    let id = created.id.unwrap();
    assert_eq!(id.to_string(), CREATED);
    assert_eq!(
        created.tenant_id.map(|t| t.to_string()).as_deref(),
        Some(TENANT)
    );
    assert_eq!(created.name.as_deref(), Some("provisioning-bot"));
    assert_eq!(created.role_ids.as_deref(), Some(&[ROLE.to_string()][..]));
    assert_eq!(
        created.role_type_ids.as_deref(),
        Some(&[ROLE_TYPE.to_string()][..])
    );

    // 2. Count (HEAD): the total comes from the Total-Count header of a body-less answer.
    let total = aveva.automation_identity_total(TENANT).await.unwrap();
    assert_eq!(total, 3);

    // 3. Get the identity the create answered, by its id.
    let got = aveva
        .get_automation_identity()
        .tenant_id(TENANT)
        .automation_identity_id(id)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(got, created);

    // 4. Update: rename and retag it; the answer is the updated identity.
    let updated = aveva
        .update_automation_identity()
        .tenant_id(TENANT)
        .automation_identity_id(id)
        .body(
            types::UpdateAutomationIdentityRequest::builder()
                .name(Some("provisioning-bot-eu".to_string()))
                .tags(Some(vec!["provisioning".to_string(), "eu".to_string()])),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(updated.status(), 200);
    let updated = updated.into_inner();
    assert_eq!(updated.id, Some(id));
    assert_eq!(updated.name.as_deref(), Some("provisioning-bot-eu"));
    assert_eq!(
        updated.tags,
        Some(vec!["provisioning".to_string(), "eu".to_string()])
    );
    assert_eq!(
        updated.role_ids, created.role_ids,
        "roles were not sent, so they are unchanged"
    );

    // 5. List: the stream walks skip/count pages of 2 until a short page; it holds as many identities as the
    //    HEAD counted, and the updated one as the PUT answered it.
    let listed: Vec<types::AutomationIdentity> = aveva
        .automation_identities(TENANT, std::num::NonZeroU32::new(2).unwrap())
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = listed.iter().map(|i| i.id.unwrap().to_string()).collect();
    assert_eq!(ids, [OTHER_1, CREATED, OTHER_2]);
    assert_eq!(listed.len() as u64, total);
    assert_eq!(listed.iter().find(|i| i.id == Some(id)), Some(&updated));

    // 6. Delete it: 204, no body.
    let deleted = aveva
        .delete_automation_identity()
        .tenant_id(TENANT)
        .automation_identity_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);

    // One token for the whole workflow; every step sent exactly once.
    token.assert_calls_async(1).await;
    create.assert_calls_async(1).await;
    count.assert_calls_async(1).await;
    get.assert_calls_async(1).await;
    update.assert_calls_async(1).await;
    first_page.assert_calls_async(1).await;
    last_page.assert_calls_async(1).await;
    delete.assert_calls_async(1).await;
}
