//! The typed mocks (`mock` feature) stub AVEVA CONNECT operations as a user's unit test would, and the real
//! client is driven against them: the list's array `tag` parameter through the generated one-value matcher
//! and the hand-written exact `tags` matcher, the count's `Total-Count`, and a create answered first with
//! the typed identity, then with a documented 409 in AVEVA's own error type.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use httpmock::MockServer;
use idprov_aveva_connect::mock::MockServerExt;
use idprov_aveva_connect::{
    Client, ClientConfig, Credentials, ErrorKind, RetryPolicy, Secret, types,
};

const TENANT: &str = "6f1c7d2a-3b4e-4f5a-8b9c-0d1e2f3a4b5c";
const IDENTITY: &str = "2d9e5c3b-7a61-4f08-9e4d-1c2b3a4d5e6f";

fn client(server: &MockServer) -> Client {
    Client::with_config(
        ClientConfig::new(Credentials::AccessToken(Secret::new("aveva_test_token")))
            .base_url(server.base_url())
            .retry(RetryPolicy::none()),
    )
    .unwrap()
}

fn identity(name: &str, tags: &[&str]) -> types::AutomationIdentity {
    types::AutomationIdentity {
        id: Some(IDENTITY.parse().unwrap()),
        name: Some(name.to_string()),
        tenant_id: Some(TENANT.parse().unwrap()),
        role_ids: Some(vec![]),
        role_type_ids: None,
        tags: Some(tags.iter().map(|t| t.to_string()).collect()),
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn the_tag_array_is_matched_value_by_value_or_as_an_exact_set() {
    let server = MockServer::start_async().await;
    let bot = identity("provisioning-bot", &["bots", "prod"]);
    // Both tags present (others allowed), with the paging parameters the call sets.
    let both = server.list_automation_identities(|when, then| {
        when.tenant_id(TENANT)
            .tag("bots")
            .tag("prod")
            .skip(0)
            .count(2)
            .query(None);
        then.ok(&vec![bot.clone()]);
    });
    // Exactly {bots}: a request with another tag besides is not this mock's.
    let only_bots = server.list_automation_identities(|when, then| {
        when.tenant_id(TENANT).tags(&["bots"]);
        then.ok(&vec![]);
    });

    let found = client(&server)
        .list_automation_identities()
        .tenant_id(TENANT)
        .tag(strings(&["prod", "bots"]))
        .skip(0)
        .count(2)
        .send()
        .await
        .unwrap();
    assert_eq!(found.into_inner(), vec![bot]);
    both.assert_calls_async(1).await;
    only_bots.assert_calls_async(0).await;

    let none = client(&server)
        .list_automation_identities()
        .tenant_id(TENANT)
        .tag(strings(&["bots"]))
        .send()
        .await
        .unwrap();
    assert!(none.into_inner().is_empty());
    only_bots.assert_calls_async(1).await;
    both.assert_calls_async(1).await;

    // The count's HEAD answer carries Total-Count, which the crate's helper reads.
    let counted = server.count_automation_identities(|when, then| {
        when.tenant_id(TENANT).tag(None).tags(&[]);
        then.ok().total_count(42);
    });
    assert_eq!(
        client(&server)
            .automation_identity_total(TENANT)
            .await
            .unwrap(),
        42
    );
    counted.assert_async().await;
}

#[tokio::test]
async fn a_create_is_answered_typed_then_refused_with_a_documented_409() {
    let server = MockServer::start_async().await;
    let request: types::CreateAutomationIdentityRequest =
        types::CreateAutomationIdentityRequest::builder()
            .name(Some("provisioning-bot".to_string()))
            .tags(Some(strings(&["bots"])))
            .try_into()
            .unwrap();
    let created = server.create_automation_identity(|when, then| {
        when.tenant_id(TENANT).body(&request);
        then.created(&identity("provisioning-bot", &["bots"]));
    });

    let answer = client(&server)
        .create_automation_identity()
        .tenant_id(TENANT)
        .body(request.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 201);
    assert_eq!(
        answer.identity_id().unwrap(),
        IDENTITY.parse::<uuid::Uuid>().unwrap()
    );
    created.assert_async().await;
    created.delete_async().await;

    let refusal = types::ErrorResponse {
        error: "Conflict".to_string(),
        reason: "Already exists.".to_string(),
        resolution: "Choose another name.".to_string(),
        operation_id: "op-409".to_string(),
        dynamic_properties: None,
        extra: Default::default(),
    };
    let conflict = server.create_automation_identity(|when, then| {
        when.tenant_id(TENANT).body(&request);
        then.conflict(&refusal);
    });
    let err = client(&server)
        .create_automation_identity()
        .tenant_id(TENANT)
        .body(request)
        .send()
        .await
        .unwrap_err();
    conflict.assert_async().await;
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    assert_eq!(err.request_id(), Some("op-409"));
    assert_eq!(err.body_as::<types::ErrorResponse>().unwrap(), refusal);
}
