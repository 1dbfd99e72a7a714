//! What the fault suite (`fault_*.rs`) shares: one call of every client (a POST and a GET per vendor),
//! built against a hostile server with credentials whose every secret is recognisable, and the checks
//! every fault test makes on what reached a server.

#![allow(
    dead_code,
    unused_imports,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "shared by several test files, each using part of it; tests fail loudly"
)]

use std::time::Duration;

use idprov_runtime::{ClientCredentials, Error, RetryPolicy, Secret};
pub use idprov_testkit::hostile::{
    Answer, Behaviour, Body, Hostile, Received, echo_page, in_turn, refused_url, routes, within,
};

pub const SEAM_PAT: &str = "seam_pat_SECRET_0001";
pub const SEAM_WORKSPACE: &str = "workspace_SECRET_0002";
pub const BEARER: &str = "bearer_SECRET_0003";
pub const CLIENT_SECRET: &str = "client_SECRET_0004";
pub const ACCESS_TOKEN: &str = "access_token_SECRET_0005";
pub const HUAWEI_AK: &str = "AKPUBLIC0001";
pub const HUAWEI_SK: &str = "huawei_sk_SECRET_0006";
pub const HUAWEI_STS: &str = "huawei_sts_SECRET_0007";
pub const HUAWEI_DOMAIN: &str = "domain_SECRET_0008";

/// Every secret the clients below hold.
pub const SECRETS: [&str; 8] = [
    SEAM_PAT,
    SEAM_WORKSPACE,
    BEARER,
    CLIENT_SECRET,
    ACCESS_TOKEN,
    HUAWEI_SK,
    HUAWEI_STS,
    HUAWEI_DOMAIN,
];

/// The headers that carry a credential for one of the clients (the Huawei signature's date and domain
/// included: they belong to the signed request and must not travel to another origin).
pub const CREDENTIAL_HEADERS: [&str; 5] = [
    "authorization",
    "seam-workspace",
    "x-security-token",
    "x-sdk-date",
    "x-domain-id",
];

/// What a fault test may wait for one call at most: no fault may hang a call.
pub const LIMIT: Duration = Duration::from_secs(20);

pub const TOKEN_PATH: &str = "/oauth/token";

/// How a client is set up for a fault test.
#[derive(Clone, Debug)]
pub struct Settings {
    pub retry: RetryPolicy,
    pub request_timeout: Duration,
    pub max_response_body: Option<usize>,
    /// `Some(token_url)`: OAuth2 client credentials (ISC, NERM, AVEVA); `None`: a static token.
    pub token_url: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            retry: quick(1),
            request_timeout: Duration::from_secs(10),
            max_response_body: None,
            token_url: None,
        }
    }
}

impl Settings {
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }
    pub fn max_response_body(mut self, max: usize) -> Self {
        self.max_response_body = Some(max);
        self
    }
    pub fn oauth2(mut self, token_url: String) -> Self {
        self.token_url = Some(token_url);
        self
    }
}

/// `max_attempts` attempts with short backoff, 10 s in all.
pub fn quick(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
        deadline: Duration::from_secs(10),
        ..RetryPolicy::default()
    }
}

pub fn client_credentials(token_url: &str) -> ClientCredentials {
    ClientCredentials {
        token_url: token_url.parse().unwrap(),
        client_id: "client-0001".into(),
        client_secret: Secret::new(CLIENT_SECRET),
        scope: None,
    }
}

pub fn huawei_credentials() -> idprov_huaweicloud_identitycenter::Credentials {
    idprov_huaweicloud_identitycenter::Credentials {
        ak: HUAWEI_AK.into(),
        sk: Secret::new(HUAWEI_SK),
        security_token: Some(Secret::new(HUAWEI_STS)),
        domain_id: Some(HUAWEI_DOMAIN.into()),
    }
}

pub const WORKFLOW: &str = "5f1b8c6e-1f7a-4f0e-9a55-2f3d1c2b9e10";
pub const TENANT: &str = "2f1cdc3e-2ae4-4fe8-9c9b-63e65f6ff1f2";
pub const IDENTITY: &str = "0b6f7a55-9c0e-4a57-8a51-3d1f3e0b2c11";
pub const INSTANCE: &str = "ins-1a2b3c4d5e6f7a8b";
pub const PERMISSION_SET: &str = "ps-8603ab4f1dc8f88a";
pub const UUID_A: &str = "05505650-aa57-49ab-8f19-429738758895";
pub const UUID_B: &str = "3a8e9c8f-1b2d-4c5e-8f7a-9b0c1d2e3f40";

/// One call of one client: a create (POST) or a read (GET) of each vendor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    SeamLaunch,
    NermCreate,
    NermList,
    IscCreate,
    IscGet,
    AvevaCreate,
    AvevaGet,
    HuaweiProvision,
    HuaweiGet,
}

impl Call {
    /// Every vendor's create: a POST that must never be sent twice or turned into a GET.
    pub const POSTS: [Call; 5] = [
        Call::SeamLaunch,
        Call::NermCreate,
        Call::IscCreate,
        Call::AvevaCreate,
        Call::HuaweiProvision,
    ];
    /// Every vendor's GET (Seam has none: every Seam call is a POST).
    pub const GETS: [Call; 4] = [
        Call::NermList,
        Call::IscGet,
        Call::AvevaGet,
        Call::HuaweiGet,
    ];
    /// The calls of the clients that take OAuth2 client credentials.
    pub const OAUTH2: [Call; 6] = [
        Call::NermCreate,
        Call::NermList,
        Call::IscCreate,
        Call::IscGet,
        Call::AvevaCreate,
        Call::AvevaGet,
    ];
    pub const ALL: [Call; 9] = [
        Call::SeamLaunch,
        Call::NermCreate,
        Call::NermList,
        Call::IscCreate,
        Call::IscGet,
        Call::AvevaCreate,
        Call::AvevaGet,
        Call::HuaweiProvision,
        Call::HuaweiGet,
    ];

    pub fn method(self) -> &'static str {
        match self {
            Call::NermList | Call::IscGet | Call::AvevaGet | Call::HuaweiGet => "GET",
            _ => "POST",
        }
    }

    pub fn vendor(self) -> &'static str {
        match self {
            Call::SeamLaunch => "Seam",
            Call::NermCreate | Call::NermList => "SailPoint NERM",
            Call::IscCreate | Call::IscGet => "SailPoint ISC",
            Call::AvevaCreate | Call::AvevaGet => "AVEVA CONNECT",
            Call::HuaweiProvision | Call::HuaweiGet => "Huawei Cloud IAM Identity Center",
        }
    }

    pub fn operation_id(self) -> &'static str {
        match self {
            Call::SeamLaunch => "launch_enrollment_automation",
            Call::NermCreate => "create_username_password_action",
            Call::NermList => "list_workflow_actions",
            Call::IscCreate => "create_machine_account_request",
            Call::IscGet => "get_account_request",
            Call::AvevaCreate => "create_automation_identity",
            Call::AvevaGet => "get_automation_identity",
            Call::HuaweiProvision => "provision_permission_set",
            Call::HuaweiGet => "get_permission_set_provisioning_status",
        }
    }

    /// A documented success answer of this call.
    pub fn success(self) -> Answer {
        let automation = serde_json::json!({
            "enrollment_automation_id": UUID_A, "user_identity_id": UUID_A,
            "credential_manager_acs_system_id": UUID_B, "workspace_id": UUID_B,
            "created_at": "2024-01-09T05:45:33.068Z"
        });
        let huawei_status = serde_json::json!({"permission_set_provisioning_status": {
            "request_id": "rq-1", "status": "IN_PROGRESS"
        }});
        let (status, body) = match self {
            Call::SeamLaunch => (
                200,
                serde_json::json!({"enrollment_automation": automation, "ok": true}),
            ),
            Call::NermCreate => (
                200,
                serde_json::json!({"workflow_action": {
                    "workflow_id": WORKFLOW, "description": "Generate credentials",
                    "archived": false, "requires_comment": false, "skippable": false
                }}),
            ),
            Call::NermList => (200, serde_json::json!({"workflow_actions": []})),
            Call::IscCreate => (202, serde_json::json!({"accountRequestId": "req-1"})),
            Call::IscGet => (200, serde_json::json!({"accountRequestPhases": []})),
            Call::AvevaCreate => (201, serde_json::json!({"Id": IDENTITY})),
            Call::AvevaGet => (200, serde_json::json!({"Id": IDENTITY})),
            Call::HuaweiProvision | Call::HuaweiGet => (200, huawei_status),
        };
        Answer::json(status, &body)
    }

    /// The vendor's own error body with `message` where its reader takes the message from.
    pub fn error_body(self, message: &str) -> serde_json::Value {
        match self {
            Call::SeamLaunch => {
                serde_json::json!({"ok": false, "error": {"type": "some_error", "message": message}})
            }
            Call::NermCreate | Call::NermList => serde_json::json!({"error": message}),
            Call::IscCreate | Call::IscGet => serde_json::json!({
                "detailCode": "some_error", "trackingId": "t-1", "messages": [{"text": message}]
            }),
            Call::AvevaCreate | Call::AvevaGet => {
                serde_json::json!({"OperationId": "op-1", "Error": message})
            }
            Call::HuaweiProvision | Call::HuaweiGet => {
                serde_json::json!({"error_code": "IC.0001", "error_msg": message})
            }
        }
    }

    /// The path prefix of this call's requests.
    pub fn path_prefix(self) -> &'static str {
        match self {
            Call::SeamLaunch => "/user_identities/enrollment_automations/launch",
            Call::NermCreate => "/workflow_actions/username_password_actions",
            Call::NermList => "/workflow_actions",
            Call::IscCreate | Call::IscGet => "/account-requests/v1/machine-account-create",
            Call::AvevaCreate | Call::AvevaGet => "/api/v1/Tenants/",
            Call::HuaweiProvision | Call::HuaweiGet => "/v1/instances/",
        }
    }

    /// Whether the client of this call takes OAuth2 client credentials.
    pub fn takes_oauth2(self) -> bool {
        Self::OAUTH2.contains(&self)
    }

    /// The secrets this call's client holds with `settings`.
    pub fn secrets(self, settings: &Settings) -> Vec<&'static str> {
        match (self, &settings.token_url) {
            (Call::SeamLaunch, _) => vec![SEAM_PAT, SEAM_WORKSPACE],
            (Call::HuaweiProvision | Call::HuaweiGet, _) => {
                vec![HUAWEI_SK, HUAWEI_STS, HUAWEI_DOMAIN]
            }
            (_, Some(_)) => vec![CLIENT_SECRET, ACCESS_TOKEN],
            (_, None) => vec![BEARER],
        }
    }

    /// Builds this call's client against `base` with `settings`.
    pub fn client(self, base: &str, settings: &Settings) -> Result<AnyClient, Error> {
        macro_rules! build {
            ($krate:ident, $creds:expr) => {{
                let mut config = $krate::ClientConfig::new($creds)
                    .base_url(base)
                    .retry(settings.retry.clone())
                    .timeouts(Duration::from_secs(5), settings.request_timeout);
                if let Some(max) = settings.max_response_body {
                    config.max_response_body = max;
                }
                $krate::Client::with_config(config)?
            }};
        }
        let oauth2 = settings.token_url.as_deref().map(client_credentials);
        use idprov_aveva_connect as aveva;
        use idprov_sailpoint_isc as isc;
        use idprov_sailpoint_nerm as nerm;
        use idprov_seam as seam;
        Ok(match self {
            Call::SeamLaunch => AnyClient::Seam(build!(
                seam,
                seam::Credentials::PersonalAccessToken {
                    token: Secret::new(SEAM_PAT),
                    workspace_id: SEAM_WORKSPACE.into(),
                }
            )),
            Call::NermCreate | Call::NermList => AnyClient::Nerm(build!(
                nerm,
                match oauth2 {
                    Some(c) => nerm::Credentials::IscClientCredentials(c),
                    None => nerm::Credentials::ApiToken(Secret::new(BEARER)),
                }
            )),
            Call::IscCreate | Call::IscGet => AnyClient::Isc(build!(
                isc,
                match oauth2 {
                    Some(c) => isc::Credentials::ClientCredentials(c),
                    None => isc::Credentials::AccessToken(Secret::new(BEARER)),
                }
            )),
            Call::AvevaCreate | Call::AvevaGet => AnyClient::Aveva(build!(
                aveva,
                match oauth2 {
                    Some(c) => aveva::Credentials::ClientCredentials(c),
                    None => aveva::Credentials::AccessToken(Secret::new(BEARER)),
                }
            )),
            Call::HuaweiProvision | Call::HuaweiGet => AnyClient::Huawei(build!(
                idprov_huaweicloud_identitycenter,
                huawei_credentials()
            )),
        })
    }

    /// Sends this call once with `client` (made by [`Call::client`] for this call), answer read.
    pub async fn send(self, client: &AnyClient) -> Result<(), Error> {
        use idprov_aveva_connect as aveva;
        use idprov_huaweicloud_identitycenter as huawei;
        use idprov_sailpoint_isc as isc;
        use idprov_sailpoint_nerm as nerm;
        use idprov_seam as seam;
        match (self, client) {
            (Call::SeamLaunch, AnyClient::Seam(client)) => {
                client
                    .launch_enrollment_automation()
                    .body(
                        seam::types::LaunchEnrollmentAutomationRequest::builder()
                            .user_identity_id(UUID_A)
                            .credential_manager_acs_system_id(UUID_B),
                    )
                    .send()
                    .await?;
            }
            (Call::NermCreate, AnyClient::Nerm(client)) => {
                client
                    .create_username_password_action()
                    .body(nerm::types::CreateUsernamePasswordActionRequest {
                        workflow_action: nerm::types::UsernamePasswordAction {
                            workflow_id: WORKFLOW.parse().unwrap(),
                            description: "Generate credentials".into(),
                            archived: false,
                        },
                    })
                    .send()
                    .await?;
            }
            (Call::NermList, AnyClient::Nerm(client)) => {
                client
                    .list_workflow_actions()
                    .workflow_id(WORKFLOW.parse::<uuid::Uuid>().unwrap())
                    .send()
                    .await?;
            }
            (Call::IscCreate, AnyClient::Isc(client)) => {
                client
                    .create_machine_account_request()
                    .body(
                        isc::types::CreateMachineAccountRequest::builder()
                            .subtype_id("subtype-1")
                            .owner_identity_id("owner-1")
                            .user_input(serde_json::Map::new())
                            .entitlement_ids(Vec::<String>::new()),
                    )
                    .send()
                    .await?;
            }
            (Call::IscGet, AnyClient::Isc(client)) => {
                client
                    .get_account_request()
                    .account_request_id("req-1")
                    .send()
                    .await?;
            }
            (Call::AvevaCreate, AnyClient::Aveva(client)) => {
                client
                    .create_automation_identity()
                    .tenant_id(TENANT)
                    .body(
                        aveva::types::CreateAutomationIdentityRequest::builder()
                            .name(Some("provisioning-bot".to_string())),
                    )
                    .send()
                    .await?;
            }
            (Call::AvevaGet, AnyClient::Aveva(client)) => {
                client
                    .get_automation_identity()
                    .tenant_id(TENANT)
                    .automation_identity_id(IDENTITY.parse::<uuid::Uuid>().unwrap())
                    .send()
                    .await?;
            }
            (Call::HuaweiProvision, AnyClient::Huawei(client)) => {
                client
                    .provision_permission_set()
                    .instance_id(INSTANCE)
                    .permission_set_id(PERMISSION_SET)
                    .body(
                        huawei::types::ProvisionPermissionSetRequest::builder().target_type(
                            huawei::types::ProvisionTargetType::AllProvisionedAccounts,
                        ),
                    )
                    .send()
                    .await?;
            }
            (Call::HuaweiGet, AnyClient::Huawei(client)) => {
                client
                    .get_permission_set_provisioning_status()
                    .instance_id(INSTANCE)
                    .request_id("rq-1")
                    .send()
                    .await?;
            }
            (call, client) => panic!("{call:?} cannot be sent with {client:?}"),
        }
        Ok(())
    }

    /// Builds this call's client against `base` with `settings` and sends the call once, answer read.
    pub async fn run(self, base: &str, settings: &Settings) -> Result<(), Error> {
        self.send(&self.client(base, settings)?).await
    }

    /// [`Call::send`] bounded by [`LIMIT`] (and failing on a panic), expecting an error.
    pub async fn send_fail(self, client: &AnyClient) -> Error {
        match within(LIMIT, self.send(client)).await {
            Ok(()) => panic!("{self:?} succeeded against a hostile server"),
            Err(err) => err,
        }
    }

    /// [`Call::run`] bounded by [`LIMIT`] (and failing on a panic), expecting an error.
    pub async fn fail(self, base: &str, settings: &Settings) -> Error {
        match within(LIMIT, self.run(base, settings)).await {
            Ok(()) => panic!("{self:?} succeeded against a hostile server"),
            Err(err) => err,
        }
    }
}

/// A client of one of the five APIs.
#[derive(Debug)]
pub enum AnyClient {
    Seam(idprov_seam::Client),
    Nerm(idprov_sailpoint_nerm::Client),
    Isc(idprov_sailpoint_isc::Client),
    Aveva(idprov_aveva_connect::Client),
    Huawei(idprov_huaweicloud_identitycenter::Client),
}

/// Asserts that neither `Display` nor `Debug` of `err` shows any of `secrets`.
pub fn assert_hides(err: &Error, secrets: &[&str]) {
    let shown = format!("{err}\n{err:?}\n{err:#?}");
    for secret in secrets {
        assert!(!shown.contains(secret), "the error shows {secret}: {shown}");
    }
}

/// Asserts that nothing reached `server`: no request at all, so no credential either.
pub fn assert_nothing_reached(server: &Hostile) {
    let got = server.requests();
    for req in &got {
        for name in CREDENTIAL_HEADERS {
            assert!(
                req.header(name).is_none(),
                "credential header {name} reached the second listener: {req:?}"
            );
        }
    }
    server.assert_received_none_of(&SECRETS);
    assert!(
        got.is_empty(),
        "requests reached the second listener: {got:?}"
    );
}

/// Asserts the error says which call failed and where: vendor, operation, host, attempts.
pub fn assert_says_where(err: &Error, call: Call, attempts: u32) {
    assert_eq!(err.vendor(), Some(call.vendor()), "{err}");
    assert_eq!(err.operation_id(), Some(call.operation_id()), "{err}");
    assert_eq!(err.host(), Some("127.0.0.1"), "{err:?}");
    assert_eq!(err.attempts(), attempts, "{err:?}");
}

/// Runs `test` for each of `calls` at once (each with its own servers and client), so that tests that
/// wait out timeouts or pauses do not wait for each call in turn.
pub async fn each<Fut: Future<Output = ()>>(calls: &[Call], test: impl Fn(Call) -> Fut) {
    futures::future::join_all(calls.iter().map(|call| test(*call))).await;
}

/// Like [`each`], but `setup` (servers, a client: building a client blocks the thread for a while) runs
/// for every call first, one after the other, so that no call's timer runs while another builds its
/// client; then `test` runs for every call at once with what its setup made.
pub async fn each_set_up<S, Fut: Future<Output = ()>>(
    calls: &[Call],
    setup: impl Fn(Call) -> S,
    test: impl Fn(Call, S) -> Fut,
) {
    let ready: Vec<(Call, S)> = calls.iter().map(|call| (*call, setup(*call))).collect();
    futures::future::join_all(ready.into_iter().map(|(call, s)| test(call, s))).await;
}
