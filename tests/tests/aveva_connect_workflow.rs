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

/// The same workflow against idprov-sandbox, statefully: what create makes, count, get, update and list
/// find, and after delete it is gone (404); once as it is, once with every step answered 429 and then 503
/// first (the token request too).
mod against_the_sandbox {
    use std::num::NonZeroU32;

    use futures::TryStreamExt;
    use idprov_aveva_connect::{Client, ErrorKind, types};
    use idprov_sandbox::{Fault, Sandbox, TOKEN_OPERATION, Vendor, fixtures};

    /// Every operation the workflow calls, and whether the client may resend it after a 503 without
    /// `Retry-After` (idempotent methods only).
    const OPERATIONS: [(&str, bool); 8] = [
        (TOKEN_OPERATION, false),
        ("create_automation_identity", false),
        ("count_automation_identities", true),
        ("get_automation_identity", true),
        ("check_automation_identity", true),
        ("update_automation_identity", true),
        ("list_automation_identities", true),
        ("delete_automation_identity", true),
    ];

    /// The successful answers' queries of the list calls, each sorted (`count=2&skip=0`).
    fn list_queries(sb: &Sandbox) -> Vec<String> {
        sb.requests_to(Vendor::Aveva)
            .into_iter()
            .filter(|r| r.is("list_automation_identities") && r.status == Some(200))
            .map(|r| {
                let query = r.query.unwrap_or_default();
                let mut pairs: Vec<&str> = query.split('&').collect();
                pairs.sort_unstable();
                pairs.join("&")
            })
            .collect()
    }

    /// Create three → 409 on a duplicate name → count (and by tag) → get → check → update → list in pages
    /// of 2 → delete → get and check are 404 → count is 2.
    async fn create_count_get_update_list_delete_then_404(sb: &Sandbox) {
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

        let item = || {
            aveva
                .get_automation_identity()
                .tenant_id(tenant)
                .automation_identity_id(id)
        };
        let check = || {
            aveva
                .check_automation_identity()
                .tenant_id(tenant)
                .automation_identity_id(id)
        };
        assert_eq!(item().send().await.unwrap().into_inner(), created);
        check().send().await.unwrap();

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
        assert_eq!(
            list_queries(sb),
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
        assert_eq!(item().send().await.unwrap_err().kind(), ErrorKind::NotFound);
        assert_eq!(check().send().await.unwrap_err().status(), Some(404));
        assert_eq!(aveva.automation_identity_total(tenant).await.unwrap(), 2);
        let tokens = sb.statuses(Vendor::Aveva, TOKEN_OPERATION);
        assert_eq!(
            tokens.iter().filter(|s| **s == Some(200)).count(),
            1,
            "one token for the whole workflow: {tokens:?}"
        );
    }

    #[tokio::test]
    async fn create_count_get_update_list_delete_then_get_is_404() {
        let sb = Sandbox::start().await.unwrap();
        create_count_get_update_list_delete_then_404(&sb).await;
    }

    #[tokio::test]
    async fn every_step_rides_out_a_429_and_a_503_and_the_sandbox_saw_each_retry() {
        let sb = Sandbox::start().await.unwrap();
        for (op, idempotent) in OPERATIONS {
            // A 503 without Retry-After is resent only where the method is idempotent (after a backoff).
            let unavailable = if idempotent {
                Fault::status(503)
            } else {
                Fault::unavailable_retry_after(0)
            };
            sb.fail_next(
                Vendor::Aveva,
                op,
                &[Fault::rate_limited_retry_after(0), unavailable],
            );
        }
        create_count_get_update_list_delete_then_404(&sb).await;
        for (op, _) in OPERATIONS {
            let answered = sb.statuses(Vendor::Aveva, op);
            assert_eq!(answered[..2], [Some(429), Some(503)], "{op}: {answered:?}");
            assert!(
                matches!(answered[2], Some(200 | 201 | 204)),
                "{op}: the third attempt reached AVEVA: {answered:?}"
            );
        }
        let creates = sb.statuses(Vendor::Aveva, "create_automation_identity");
        assert_eq!(
            creates,
            [
                Some(429),
                Some(503),
                Some(201),
                Some(201),
                Some(201),
                Some(409)
            ],
            "each identity created once"
        );
    }
}
