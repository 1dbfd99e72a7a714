//! The typed mocks (`mock` feature) stub Huawei Cloud Identity Center operations as a user's unit test
//! would, and the real (signing) client is driven against them: a provision then the crate's wait, the
//! status-filtered stream over two marker pages, and a documented 403 in Huawei's own error type.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::num::NonZeroU32;
use std::time::Duration;

use futures::TryStreamExt;
use httpmock::MockServer;
use idprov_huaweicloud_identitycenter::mock::MockServerExt;
use idprov_huaweicloud_identitycenter::wait::WaitOptions;
use idprov_huaweicloud_identitycenter::{
    Client, ClientConfig, Credentials, ErrorKind, RetryPolicy, Secret, types,
};

const INSTANCE: &str = "ins-1a2b3c4d5e6f7a8b";
const PERMISSION_SET: &str = "ps-8603ab4f1dc8f88a";
const REQUEST: &str = "b9b4ef2d-52f2-4d8b-a1f2-c5a4a8d7e6f1";
const MARKER: &str = "AAAAAAAAAAAAAAAAAAAAAAAA";

fn client(server: &MockServer) -> Client {
    Client::with_config(
        ClientConfig::new(Credentials::new(
            "TESTAKTESTAKTESTAK",
            Secret::new("test-sk-test-sk"),
        ))
        .base_url(server.base_url())
        .retry(RetryPolicy::none()),
    )
    .unwrap()
}

fn status(state: types::ProvisioningStatus) -> types::PermissionSetProvisioningStatusResponse {
    types::PermissionSetProvisioningStatusResponse {
        permission_set_provisioning_status: Some(types::PermissionSetProvisioningStatus {
            request_id: Some(REQUEST.to_string()),
            permission_set_id: Some(PERMISSION_SET.to_string()),
            status: Some(state),
            account_id: None,
            created_date: None,
            failure_reason: None,
        }),
    }
}

fn listed(request_id: &str) -> types::PermissionSetProvisioningStatusMetadata {
    types::PermissionSetProvisioningStatusMetadata {
        request_id: Some(request_id.to_string()),
        status: Some(types::ProvisioningStatus::Failed),
        created_date: None,
    }
}

#[tokio::test]
async fn a_provision_then_a_wait_on_the_stubbed_status() {
    let server = MockServer::start_async().await;
    let body = types::ProvisionPermissionSetRequest {
        target_type: types::ProvisionTargetType::AllProvisionedAccounts,
        target_id: None,
    };
    let provisioned = server.provision_permission_set(|when, then| {
        when.instance_id(INSTANCE)
            .permission_set_id(PERMISSION_SET)
            .body(&body);
        then.ok(&status(types::ProvisioningStatus::InProgress));
    });
    let looked_up = server.get_permission_set_provisioning_status(|when, then| {
        when.instance_id(INSTANCE).request_id(REQUEST);
        then.ok(&status(types::ProvisioningStatus::Succeeded));
    });

    let iam = client(&server);
    let started = iam
        .provision_permission_set()
        .instance_id(INSTANCE)
        .permission_set_id(PERMISSION_SET)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    let request_id = started.request_id().unwrap().to_string();
    let done = iam
        .wait_for_provisioning(
            INSTANCE,
            &request_id,
            WaitOptions {
                timeout: Duration::from_secs(5),
                initial_interval: Duration::from_millis(10),
                max_interval: Duration::from_millis(10),
            },
        )
        .await
        .unwrap();

    provisioned.assert_async().await;
    looked_up.assert_async().await;
    assert_eq!(done.status, Some(types::ProvisioningStatus::Succeeded));
}

#[tokio::test]
async fn the_status_filtered_stream_follows_the_stubbed_marker() {
    let server = MockServer::start_async().await;
    let two = NonZeroU32::new(2).unwrap();
    let first = server.list_permission_set_provisioning_statuses(|when, then| {
        when.instance_id(INSTANCE)
            .status(types::ProvisioningStatus::Failed)
            .limit(two)
            .marker(None);
        then.ok(&types::ListPermissionSetProvisioningStatusesResponse {
            permission_sets_provisioning_status: vec![listed("r-1"), listed("r-2")],
            page_info: Some(types::PageInfo {
                next_marker: Some(MARKER.to_string()),
                current_count: Some(2),
            }),
        });
    });
    let marker: types::ListPermissionSetProvisioningStatusesMarker = MARKER.parse().unwrap();
    let second = server.list_permission_set_provisioning_statuses(|when, then| {
        when.instance_id(INSTANCE)
            .status(types::ProvisioningStatus::Failed)
            .marker(&marker);
        then.ok(&types::ListPermissionSetProvisioningStatusesResponse {
            permission_sets_provisioning_status: vec![listed("r-3")],
            page_info: Some(types::PageInfo {
                next_marker: None,
                current_count: Some(1),
            }),
        });
    });

    let all: Vec<_> = client(&server)
        .list_permission_set_provisioning_statuses()
        .instance_id(INSTANCE)
        .status(types::ProvisioningStatus::Failed)
        .stream(two)
        .try_collect()
        .await
        .unwrap();

    first.assert_async().await;
    second.assert_async().await;
    let ids: Vec<_> = all.iter().map(|s| s.request_id.as_deref()).collect();
    assert_eq!(ids, [Some("r-1"), Some("r-2"), Some("r-3")]);
}

#[tokio::test]
async fn a_documented_403_answered_with_the_crates_error_type_is_the_clients_error() {
    let server = MockServer::start_async().await;
    let refusal = types::ErrorResponse {
        error_code: Some("IIC.403".to_string()),
        error_msg: Some("The request is forbidden.".to_string()),
        request_id: Some("body-403".to_string()),
        encoded_authorization_message: None,
    };
    let mock = server.get_permission_set_provisioning_status(|when, then| {
        when.instance_id(INSTANCE).request_id(REQUEST);
        then.forbidden(&refusal);
    });

    let err = client(&server)
        .get_permission_set_provisioning_status()
        .instance_id(INSTANCE)
        .request_id(REQUEST)
        .send()
        .await
        .unwrap_err();

    mock.assert_async().await;
    assert_eq!(err.kind(), ErrorKind::Forbidden, "{err}");
    assert_eq!(err.code(), Some("IIC.403"));
    assert_eq!(err.body_as::<types::ErrorResponse>().unwrap(), refusal);
}
