//! No secret — API key, personal access token, client secret, OAuth2 token, SK, security token — appears in
//! Debug output, Display of errors, or logs captured at TRACE level while calls succeed and fail.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on unexpected values"
)]

use std::io::Write;
use std::sync::{Arc, Mutex};

use httpmock::prelude::*;
use idprov_runtime::{
    ClientConfig, ClientCredentials, Credentials, HuaweiCredentials, RetryPolicy, Secret,
};
use serde_json::json;

const SEAM_KEY: &str = "seam_key_SECRET_1";
const SEAM_PAT: &str = "seam_pat_SECRET_2";
const CLIENT_SECRET: &str = "client_SECRET_3";
const ACCESS_TOKEN: &str = "access_token_SECRET_4";
const BEARER: &str = "bearer_SECRET_5";
const HUAWEI_SK: &str = "huawei_sk_SECRET_6";
const HUAWEI_STS: &str = "huawei_sts_SECRET_7";
const ALL: [&str; 7] = [
    SEAM_KEY,
    SEAM_PAT,
    CLIENT_SECRET,
    ACCESS_TOKEN,
    BEARER,
    HUAWEI_SK,
    HUAWEI_STS,
];

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in ALL {
        assert!(!text.contains(secret), "{what} leaks {secret}:\n{text}");
    }
}

fn credentials(server: &MockServer) -> Vec<Credentials> {
    vec![
        Credentials::SeamApiKey(Secret::new(SEAM_KEY)),
        Credentials::SeamPersonalAccessToken {
            token: Secret::new(SEAM_PAT),
            workspace_id: "ws".into(),
        },
        Credentials::ClientCredentials(ClientCredentials {
            token_url: server.url("/oauth/token").parse().unwrap(),
            client_id: "client-1".into(),
            client_secret: Secret::new(CLIENT_SECRET),
            scope: None,
        }),
        Credentials::Bearer(Secret::new(BEARER)),
        Credentials::HuaweiAkSk(HuaweiCredentials {
            ak: "AKPUBLIC".into(),
            sk: Secret::new(HUAWEI_SK),
            security_token: Some(Secret::new(HUAWEI_STS)),
            domain_id: Some("domain".into()),
        }),
    ]
}

#[test]
fn debug_output_of_every_credential_type_and_client_hides_the_secret() {
    let server = MockServer::start();
    for creds in credentials(&server) {
        let config = ClientConfig::new(creds.clone()).base_url(server.base_url());
        assert_no_secret("Credentials Debug", &format!("{creds:?}"));
        assert_no_secret("ClientConfig Debug", &format!("{config:?}"));
        let client = idprov_sailpoint_isc::Client::with_config(config).unwrap();
        let debug = format!("{client:?}");
        assert_no_secret("Client Debug", &debug);
        assert!(
            debug.contains("Secret(***)"),
            "the redaction marker shows where a secret is: {debug}"
        );
    }
}

#[test]
fn calls_that_succeed_and_fail_log_no_secret_at_trace_level() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    rt.block_on(async {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(POST).path("/oauth/token");
                then.status(200)
                    .json_body(json!({"access_token": ACCESS_TOKEN, "expires_in": 3600}));
            })
            .await;
        // Every API call is refused with 401 after one success-free round, so errors are built and logged too.
        server
            .mock_async(|when, then| {
                when.path_includes("/account-requests/");
                then.status(401)
                    .json_body(json!({"error": "JWT validation failed"}));
            })
            .await;
        for creds in credentials(&server) {
            let client = idprov_sailpoint_isc::Client::with_config(
                ClientConfig::new(creds)
                    .base_url(server.base_url())
                    .retry(RetryPolicy::none()),
            )
            .unwrap();
            let err: idprov_runtime::Error = client
                .get_account_request()
                .account_request_id("req-1")
                .send()
                .await
                .unwrap_err()
                .into();
            assert_no_secret("Error Display", &err.to_string());
            assert_no_secret("Error Debug", &format!("{err:?}"));
        }
    });

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("idprov.request"),
        "the request span was logged: {logs}"
    );
    assert!(
        logs.contains("operation_id=\"get_account_request\""),
        "{logs}"
    );
    assert!(logs.contains("status=401"), "{logs}");
    assert_no_secret("logs", &logs);
}

#[test]
fn a_token_a_header_cannot_carry_is_refused_when_the_client_is_built_naming_the_header_not_the_token()
 {
    let token = "bearer_SECRET_with\nnewline";
    let err = idprov_sailpoint_nerm::Client::with_config(
        ClientConfig::new(Credentials::Bearer(Secret::new(token)))
            .base_url("https://acme.nonemployee.com/api"),
    )
    .unwrap_err();

    assert_eq!(err.kind(), idprov_runtime::ErrorKind::InvalidRequest);
    assert!(err.message().contains("Authorization"), "{err}");
    assert!(
        !format!("{err} {err:?}").contains("bearer_SECRET"),
        "{err:?}"
    );
}
