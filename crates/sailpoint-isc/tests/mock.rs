//! The typed mocks (`mock` feature) stub SailPoint ISC operations as a user's unit test would, and the real
//! client is driven against them: a create answered 202, then the crate's wait over a stubbed request
//! that failed (ISC's detail in the error), and a documented 404 for an id that must be percent-encoded.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use httpmock::MockServer;
use idprov_sailpoint_isc::mock::MockServerExt;
use idprov_sailpoint_isc::wait::WaitOptions;
use idprov_sailpoint_isc::{
    Client, ClientConfig, Credentials, ErrorKind, RetryPolicy, Secret, types,
};

const REQUEST: &str = "2c9180835d2e5168015d32f890ca1581";

fn client(server: &MockServer) -> Client {
    Client::with_config(
        ClientConfig::new(Credentials::AccessToken(Secret::new("isc_test_token")))
            .base_url(server.base_url())
            .retry(RetryPolicy::none()),
    )
    .unwrap()
}

fn quick() -> WaitOptions {
    WaitOptions {
        timeout: Duration::from_secs(5),
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(10),
    }
}

#[tokio::test]
async fn a_create_answered_202_then_a_wait_on_a_stubbed_failed_request_carries_iscs_detail() {
    let server = MockServer::start_async().await;
    let request: types::CreateMachineAccountRequest = types::CreateMachineAccountRequest::builder()
        .owner_identity_id("2c9180a46faadee4016fb4e018c20639")
        .subtype_id("2c9180835d2e5168015d32f890ca1581")
        .entitlement_ids(vec!["2c91808a7813090a017814121e121518".to_string()])
        .user_input(serde_json::Map::new())
        .try_into()
        .unwrap();
    let created = server.create_machine_account_request(|when, then| {
        // The header the runtime sends has no typed matcher; httpmock's own When takes it.
        when.body(&request)
            .into_inner()
            .header("X-SailPoint-Experimental", "true");
        then.accepted(&types::AccountRequestAsyncResult {
            account_request_id: REQUEST.to_string(),
        });
    });
    let looked_up = server.get_account_request(|when, then| {
        when.account_request_id(REQUEST);
        then.ok(&types::AccountRequestDetailsDto {
            account_request_id: Some(REQUEST.to_string()),
            account_request_phases: vec![types::AccountRequestPhase {
                name: Some(types::AccountRequestPhaseType::ProvisioningPhase),
                state: Some(types::AccountRequestPhaseState::Failed),
                started: None,
                finished: None,
            }],
            error_details: Some("The source rejected the account.".to_string()),
            approval_request_id: None,
            completed_at: None,
            created_at: None,
            overall_status: None,
            request_type: None,
            requester: None,
        });
    });

    let isc = client(&server);
    let started = isc
        .create_machine_account_request()
        .body(request)
        .send()
        .await
        .unwrap();
    assert_eq!(started.status().as_u16(), 202);
    let err = isc
        .wait_for_account_request(&started.account_request_id, quick())
        .await
        .unwrap_err();

    created.assert_async().await;
    looked_up.assert_async().await;
    assert_eq!(err.kind(), ErrorKind::JobFailed, "{err}");
    assert!(
        err.to_string().contains("The source rejected the account."),
        "{err}"
    );
}

#[tokio::test]
async fn a_documented_404_for_an_id_sent_percent_encoded_is_the_clients_error() {
    let server = MockServer::start_async().await;
    // A space, a slash and regex metacharacters: the mock compares the id as the client sends it.
    let odd = "req 1/2 (a+b)";
    let refusal = types::ErrorResponseDto {
        detail_code: Some("404 Not found".to_string()),
        tracking_id: Some("b21b1f7ce4da4d639f2c62a57171b427".to_string()),
        messages: vec![],
        causes: vec![],
    };
    let mock = server.get_account_request(|when, then| {
        when.account_request_id(odd);
        then.not_found(&refusal);
    });

    let err = client(&server)
        .get_account_request()
        .account_request_id(odd)
        .send()
        .await
        .unwrap_err();

    mock.assert_async().await;
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert_eq!(err.request_id(), Some("b21b1f7ce4da4d639f2c62a57171b427"));
    assert_eq!(err.body_as::<types::ErrorResponseDto>().unwrap(), refusal);
}
