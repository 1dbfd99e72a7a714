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
use idprov_runtime::{ClientConfig, ClientCredentials, RetryPolicy, Secret};
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

fn client_credentials(server: &MockServer) -> ClientCredentials {
    ClientCredentials {
        token_url: server.url("/oauth/token").parse().unwrap(),
        client_id: "client-1".into(),
        client_secret: Secret::new(CLIENT_SECRET),
        scope: None,
    }
}

fn huawei_credentials() -> idprov_huaweicloud_identitycenter::Credentials {
    idprov_huaweicloud_identitycenter::Credentials {
        ak: "AKPUBLIC".into(),
        sk: Secret::new(HUAWEI_SK),
        security_token: Some(Secret::new(HUAWEI_STS)),
        domain_id: Some("domain".into()),
    }
}

/// One client of every vendor with every kind of credentials it takes, each with the Debug output of its
/// credentials and config (taken before the client was built) and the client itself.
struct Built {
    debug: Vec<(&'static str, String)>,
    seam: Vec<idprov_seam::Client>,
    isc: Vec<idprov_sailpoint_isc::Client>,
    nerm: Vec<idprov_sailpoint_nerm::Client>,
    aveva: Vec<idprov_aveva_connect::Client>,
    huawei: Vec<idprov_huaweicloud_identitycenter::Client>,
}

macro_rules! build_all {
    ($built:expr, $server:expr, $field:ident, $krate:ident, [$($creds:expr),+ $(,)?]) => {
        $(
            let creds = $creds;
            let config = ClientConfig::new(creds.clone())
                .base_url($server.base_url())
                .retry(RetryPolicy::none());
            $built.debug.push(("Credentials Debug", format!("{creds:?}")));
            $built.debug.push(("ClientConfig Debug", format!("{config:?}")));
            let client = $krate::Client::with_config(config).unwrap();
            $built.debug.push(("Client Debug", format!("{client:?}")));
            $built.$field.push(client);
        )+
    };
}

fn build_all(server: &MockServer) -> Built {
    let mut built = Built {
        debug: Vec::new(),
        seam: Vec::new(),
        isc: Vec::new(),
        nerm: Vec::new(),
        aveva: Vec::new(),
        huawei: Vec::new(),
    };
    use idprov_aveva_connect as aveva;
    use idprov_huaweicloud_identitycenter as huawei;
    use idprov_sailpoint_isc as isc;
    use idprov_sailpoint_nerm as nerm;
    use idprov_seam as seam;
    build_all!(
        built,
        server,
        seam,
        seam,
        [
            seam::Credentials::ApiKey(Secret::new(SEAM_KEY)),
            seam::Credentials::PersonalAccessToken {
                token: Secret::new(SEAM_PAT),
                workspace_id: "ws".into(),
            },
        ]
    );
    build_all!(
        built,
        server,
        isc,
        isc,
        [
            isc::Credentials::ClientCredentials(client_credentials(server)),
            isc::Credentials::AccessToken(Secret::new(BEARER)),
        ]
    );
    build_all!(
        built,
        server,
        nerm,
        nerm,
        [
            nerm::Credentials::ApiToken(Secret::new(BEARER)),
            nerm::Credentials::IscClientCredentials(client_credentials(server)),
        ]
    );
    build_all!(
        built,
        server,
        aveva,
        aveva,
        [
            aveva::Credentials::ClientCredentials(client_credentials(server)),
            aveva::Credentials::AccessToken(Secret::new(BEARER)),
        ]
    );
    build_all!(built, server, huawei, huawei, [huawei_credentials()]);
    built
}

#[test]
fn debug_output_of_every_credential_type_and_client_hides_the_secret() {
    let server = MockServer::start();
    let built = build_all(&server);
    assert_eq!(built.debug.len(), 9 * 3, "every vendor and credential kind");
    for (what, text) in &built.debug {
        assert_no_secret(what, text);
    }
    for (what, text) in built.debug.iter().filter(|(w, _)| *w == "Client Debug") {
        assert!(
            text.contains("Secret(***)"),
            "{what}: the redaction marker shows where a secret is: {text}"
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

    let failures = rt.block_on(async {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(POST).path("/oauth/token");
                then.status(200)
                    .json_body(json!({"access_token": ACCESS_TOKEN, "expires_in": 3600}));
            })
            .await;
        // Every API call is refused with 401, so errors are built and logged too.
        server
            .mock_async(|when, then| {
                when.path_excludes("/oauth/token");
                then.status(401)
                    .json_body(json!({"error": "JWT validation failed"}));
            })
            .await;
        let built = build_all(&server);
        let mut errors: Vec<idprov_runtime::Error> = Vec::new();
        for c in &built.seam {
            errors.push(
                c.get_enrollment_automation()
                    .body(
                        idprov_seam::types::GetEnrollmentAutomationRequest::builder()
                            .enrollment_automation_id("05505650-aa57-49ab-8f19-429738758895"),
                    )
                    .send()
                    .await
                    .unwrap_err(),
            );
        }
        for c in &built.isc {
            errors.push(
                c.get_account_request()
                    .account_request_id("req-1")
                    .send()
                    .await
                    .unwrap_err(),
            );
        }
        for c in &built.nerm {
            errors.push(
                c.list_workflow_actions()
                    .workflow_id(uuid::Uuid::nil())
                    .send()
                    .await
                    .unwrap_err(),
            );
        }
        for c in &built.aveva {
            errors.push(
                c.list_automation_identities()
                    .tenant_id("t")
                    .send()
                    .await
                    .unwrap_err(),
            );
        }
        for c in &built.huawei {
            errors.push(
                c.list_permission_set_provisioning_statuses()
                    .instance_id("ins-1a2b3c4d5e6f7a8b")
                    .send()
                    .await
                    .unwrap_err(),
            );
        }
        for err in &errors {
            assert_eq!(err.status(), Some(401), "{err}");
            assert_no_secret("Error Display", &err.to_string());
            assert_no_secret("Error Debug", &format!("{err:?} {err:#?}"));
        }
        errors.len()
    });
    assert_eq!(
        failures, 9,
        "one failed call per vendor and credential kind"
    );

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
        idprov_sailpoint_nerm::ClientConfig::new(idprov_sailpoint_nerm::Credentials::ApiToken(
            Secret::new(token),
        ))
        .base_url("https://acme.nonemployee.com/api"),
    )
    .unwrap_err();

    assert_eq!(err.kind(), idprov_runtime::ErrorKind::InvalidRequest);
    assert!(err.message().contains("Authorization"), "{err}");
    assert!(
        !format!("{err} {err:?} {err:#?}").contains("bearer_SECRET"),
        "{err:?}"
    );
}
