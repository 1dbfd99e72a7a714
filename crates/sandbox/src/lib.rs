#![doc = include_str!("../README.md")]

mod admin;
mod answer;
mod apis;
mod auth;
pub mod cli;
pub mod faults;
pub mod fixtures;
pub mod jobs;
mod log;
mod seed;
mod server;
mod spec;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::json;

pub use faults::{Fault, FaultRule, TOKEN_OPERATION};
pub use jobs::{JobPlan, Outcome};
pub use log::LoggedRequest;
pub use seed::{
    AvevaIdentitySeed, AvevaSeed, HuaweiInstance, HuaweiSeed, HuaweiTemporary, IscSeed,
    NermActionSeed, NermSeed, SeamAcsSystem, SeamCredentialPool, SeamSeed, SeamUserIdentity, Seed,
};

use idprov_runtime::{ClientCredentials, Secret};

/// One of the five APIs the sandbox serves, each on its own listener.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vendor {
    /// Seam Connect (`idprov-seam`).
    Seam,
    /// AVEVA CONNECT data services (`idprov-aveva-connect`).
    Aveva,
    /// SailPoint Non-Employee Risk Management (`idprov-sailpoint-nerm`).
    Nerm,
    /// SailPoint Identity Security Cloud (`idprov-sailpoint-isc`).
    Isc,
    /// Huawei Cloud IAM Identity Center (`idprov-huaweicloud-identitycenter`).
    Huawei,
}

impl Vendor {
    /// All five, in the order their listeners take ports (`--port P`: Seam on P, AVEVA on P+1, ...).
    pub const ALL: [Vendor; 5] = [Self::Seam, Self::Aveva, Self::Nerm, Self::Isc, Self::Huawei];

    /// The lower-case name used in seed files, fault rules and the admin endpoint (`seam`, `aveva`, ...).
    pub fn slug(self) -> &'static str {
        match self {
            Self::Seam => "seam",
            Self::Aveva => "aveva",
            Self::Nerm => "nerm",
            Self::Isc => "isc",
            Self::Huawei => "huawei",
        }
    }

    /// The path the vendor's API lives under on its host (`/api` for NERM, nothing for the others).
    fn path_prefix(self) -> &'static str {
        match self {
            Self::Nerm => "/api",
            _ => "",
        }
    }

    fn index(self) -> usize {
        match self {
            Self::Seam => 0,
            Self::Aveva => 1,
            Self::Nerm => 2,
            Self::Isc => 3,
            Self::Huawei => 4,
        }
    }

    fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.slug() == s)
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Seam => "Seam",
            Self::Aveva => "AVEVA CONNECT",
            Self::Nerm => "SailPoint NERM",
            Self::Isc => "SailPoint ISC",
            Self::Huawei => "Huawei Cloud IAM Identity Center",
        })
    }
}

/// Why the sandbox could not start or do what it was asked.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A listener could not be bound (the address, and why).
    Bind(SocketAddr, std::io::Error),
    /// The seed does not fit (what and where).
    Seed(String),
    /// An embedded spec could not be read (a broken build).
    Spec(String),
    /// A job that does not exist (the vendor and the id).
    NoSuchJob(Vendor, String),
    /// The vendor has no asynchronous jobs.
    NoJobs(Vendor),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bind(addr, e) => write!(f, "cannot listen on {addr}: {e}"),
            Self::Seed(why) => write!(f, "the seed is not valid: {why}"),
            Self::Spec(why) => write!(f, "{why}"),
            Self::NoSuchJob(v, id) => write!(f, "{v} has no job {id:?}"),
            Self::NoJobs(v) => write!(f, "{v} has no asynchronous jobs (only ISC and Huawei do)"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Bind(_, e) => Some(e),
            _ => None,
        }
    }
}

/// Locks a mutex, whether or not a panicking thread poisoned it (the state stays usable).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `n` random lower-case hex digits.
pub(crate) fn random_hex(n: usize) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    (0..n)
        .map(|_| char::from(HEX[fastrand::usize(..16)]))
        .collect()
}

/// A random (version 4) UUID.
pub(crate) fn random_uuid() -> uuid::Uuid {
    let mut bytes = [0u8; 16];
    fastrand::fill(&mut bytes);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// Now, as RFC 3339 with milliseconds (`2024-01-09T05:45:33.068Z`).
pub(crate) fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// What every listener shares.
pub(crate) struct Shared {
    pub(crate) seed: Seed,
    pub(crate) specs: Vec<spec::ApiSpec>,
    pub(crate) state: Mutex<apis::State>,
    pub(crate) faults: Mutex<faults::Faults>,
    pub(crate) log: Mutex<(u64, Vec<LoggedRequest>)>,
    pub(crate) tokens: Mutex<auth::Tokens>,
    /// Each vendor's base URL, by [`Vendor::index`].
    pub(crate) base_urls: Vec<String>,
}

impl Shared {
    pub(crate) fn spec(&self, vendor: Vendor) -> Option<&spec::ApiSpec> {
        self.specs.get(vendor.index())
    }

    fn base_url(&self, vendor: Vendor) -> String {
        self.base_urls
            .get(vendor.index())
            .cloned()
            .unwrap_or_default()
    }

    fn finish_job(&self, vendor: Vendor, id: &str, outcome: Outcome) -> Result<bool, Error> {
        let mut state = lock(&self.state);
        let found = match vendor {
            Vendor::Isc => state.isc.finish(id, outcome),
            Vendor::Huawei => state.huawei.finish(id, outcome),
            other => return Err(Error::NoJobs(other)),
        };
        found.ok_or_else(|| Error::NoSuchJob(vendor, id.to_string()))
    }

    fn set_job_plan(&self, vendor: Vendor, plan: JobPlan) -> Result<(), Error> {
        let mut state = lock(&self.state);
        match vendor {
            Vendor::Isc => state.isc.plan = plan,
            Vendor::Huawei => state.huawei.plan = plan,
            other => return Err(Error::NoJobs(other)),
        }
        Ok(())
    }

    /// Every vendor's base URL and credentials, and the fixtures' ids.
    fn info(&self) -> serde_json::Value {
        let s = &self.seed;
        let url = |v| self.base_url(v);
        json!({
            "admin_url": format!("{}/_sandbox", url(Vendor::Seam)),
            "seam": {
                "base_url": url(Vendor::Seam),
                "api_key": s.seam.api_key,
                "personal_access_token": s.seam.personal_access_token,
                "workspace_id": s.seam.workspace_id,
                "user_identity_ids": s.seam.user_identities.iter().map(|u| u.user_identity_id).collect::<Vec<_>>(),
                "credential_manager_acs_system_ids": s.seam.acs_systems.iter().filter(|a| a.is_credential_manager).map(|a| a.acs_system_id).collect::<Vec<_>>(),
                "acs_credential_pool_ids": s.seam.credential_pools.iter().map(|p| p.acs_credential_pool_id).collect::<Vec<_>>(),
            },
            "aveva": {
                "base_url": url(Vendor::Aveva),
                "token_url": format!("{}/identity/connect/token", url(Vendor::Aveva)),
                "client_id": s.aveva.client_id,
                "client_secret": s.aveva.client_secret,
                "tenant_ids": s.aveva.tenants,
                // What `RoleIds` may name: role id -> the role type id the sandbox fills `RoleTypeIds` with.
                "role_ids": s.aveva.roles.keys().collect::<Vec<_>>(),
                "roles": s.aveva.roles,
            },
            "nerm": {
                "base_url": url(Vendor::Nerm),
                "api_token": s.nerm.api_token,
                "workflow_ids": s.nerm.workflows,
            },
            "isc": {
                "base_url": url(Vendor::Isc),
                "token_url": format!("{}/oauth/token", url(Vendor::Isc)),
                "client_id": s.isc.client_id,
                "client_secret": s.isc.client_secret,
                // The subtypes a machine account may be requested on (the create-access list's), and an
                // owner identity for it (the docs' example; the sandbox takes any non-empty owner id).
                "subtype_ids": isc_subtype_ids(&s.isc.create_access),
                "owner_identity_id": fixtures::ISC_OWNER_IDENTITY_ID,
            },
            "huawei": {
                "base_url": url(Vendor::Huawei),
                "ak": s.huawei.ak,
                "sk": s.huawei.sk,
                "domain_id": s.huawei.domain_id,
                "temporary": s.huawei.temporary,
                "instance_ids": s.huawei.instances.iter().map(|i| i.instance_id.as_str()).collect::<Vec<_>>(),
                // Each instance with the permission sets and accounts provisioning may name.
                "instances": s.huawei.instances.iter().map(|i| json!({
                    "instance_id": i.instance_id,
                    "permission_set_ids": i.permission_sets,
                    "account_ids": i.accounts,
                })).collect::<Vec<_>>(),
            },
        })
    }
}

/// The `subtypeId` of every subtype in an ISC create-access list (`[{"subtypes": [{"subtypeId"}]}]`).
fn isc_subtype_ids(create_access: &[serde_json::Value]) -> Vec<&str> {
    create_access
        .iter()
        .filter_map(|source| source["subtypes"].as_array())
        .flatten()
        .filter_map(|subtype| subtype["subtypeId"].as_str())
        .collect()
}

/// How to start a sandbox: the seed, faults, token lifetime and where to listen. From [`Sandbox::builder`].
#[derive(Debug, Clone)]
pub struct SandboxBuilder {
    seed: Seed,
    bind: IpAddr,
    port: u16,
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        Self {
            seed: Seed::default(),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
        }
    }
}

impl SandboxBuilder {
    /// Starts from `seed` instead of the [`fixtures`] (faults already added are kept).
    pub fn seed(mut self, seed: Seed) -> Self {
        let faults = std::mem::take(&mut self.seed.faults);
        self.seed = seed;
        self.seed.faults.splice(0..0, faults);
        self
    }

    /// Adds a fault in force from the start.
    pub fn fault(mut self, rule: FaultRule) -> Self {
        self.seed.faults.push(rule);
        self
    }

    /// How long AVEVA and ISC OAuth2 tokens are valid (whole seconds; at least 1).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.seed.token_lifetime_secs = lifetime.as_secs().max(1);
        self
    }

    /// How ISC machine account requests progress.
    pub fn isc_jobs(mut self, plan: JobPlan) -> Self {
        self.seed.isc.jobs = plan;
        self
    }

    /// How Huawei provisioning requests progress.
    pub fn huawei_jobs(mut self, plan: JobPlan) -> Self {
        self.seed.huawei.jobs = plan;
        self
    }

    /// The address to listen on (default `127.0.0.1`; anything else exposes the sandbox's credentials).
    pub fn bind(mut self, address: IpAddr) -> Self {
        self.bind = address;
        self
    }

    /// The first port: Seam listens on `port`, AVEVA on `port + 1`, NERM `+ 2`, ISC `+ 3`, Huawei `+ 4`
    /// (default 0: each takes a free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Binds the five listeners and starts serving them on the current tokio runtime (any flavour; it must
    /// be called inside one, as `#[tokio::test]` does). The sandbox serves until it is dropped.
    ///
    /// # Errors
    ///
    /// [`Error::Bind`] when a port is taken (or `port + 4` is past 65535), [`Error::Spec`] for a broken build.
    pub async fn start(self) -> Result<Sandbox, Error> {
        let mut specs = Vec::with_capacity(5);
        for v in Vendor::ALL {
            specs.push(spec::load(v).map_err(|e| Error::Spec(e.0))?);
        }
        let mut listeners = Vec::with_capacity(5);
        let mut base_urls = Vec::with_capacity(5);
        for (i, vendor) in Vendor::ALL.into_iter().enumerate() {
            let port = if self.port == 0 {
                0
            } else {
                let offset = u16::try_from(i).unwrap_or(0);
                self.port.checked_add(offset).ok_or_else(|| {
                    Error::Bind(
                        SocketAddr::new(self.bind, self.port),
                        std::io::Error::new(
                            std::io::ErrorKind::InvalidInput,
                            "port + 4 is past 65535",
                        ),
                    )
                })?
            };
            let addr = SocketAddr::new(self.bind, port);
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|e| Error::Bind(addr, e))?;
            let local = listener.local_addr().map_err(|e| Error::Bind(addr, e))?;
            let host = match local.ip() {
                IpAddr::V4(ip) if ip.is_unspecified() => "127.0.0.1".to_string(),
                IpAddr::V4(ip) => ip.to_string(),
                IpAddr::V6(ip) if ip.is_unspecified() => "[::1]".to_string(),
                IpAddr::V6(ip) => format!("[{ip}]"),
            };
            base_urls.push(format!(
                "http://{host}:{}{}",
                local.port(),
                vendor.path_prefix()
            ));
            listeners.push((listener, local));
        }
        let token_url = |vendor: Vendor, path: &str| {
            let raw = format!(
                "{}{path}",
                base_urls
                    .get(vendor.index())
                    .map(String::as_str)
                    .unwrap_or("")
            );
            url::Url::parse(&raw)
                .map_err(|e| Error::Spec(format!("the token URL {raw} is not a URL: {e}")))
        };
        let aveva_token_url = token_url(Vendor::Aveva, "/identity/connect/token")?;
        let isc_token_url = token_url(Vendor::Isc, "/oauth/token")?;
        let mut faults = faults::Faults::default();
        for rule in &self.seed.faults {
            faults.add(rule.clone());
        }
        let shared = Arc::new(Shared {
            state: Mutex::new(apis::State::new(&self.seed)),
            tokens: Mutex::new(auth::Tokens::new(Duration::from_secs(
                self.seed.token_lifetime_secs.max(1),
            ))),
            seed: self.seed,
            specs,
            faults: Mutex::new(faults),
            log: Mutex::new((0, Vec::new())),
            base_urls,
        });
        let mut addresses = Vec::with_capacity(5);
        let mut tasks = Vec::with_capacity(5);
        for (vendor, (listener, local)) in Vendor::ALL.into_iter().zip(listeners) {
            let router = server::router(shared.clone(), vendor);
            tasks.push(tokio::spawn(server::serve(listener, router, vendor)));
            addresses.push(local);
        }
        Ok(Sandbox {
            shared,
            addresses,
            aveva_token_url,
            isc_token_url,
            tasks,
        })
    }
}

/// The five APIs on loopback: stateful, authenticating like the vendors, validating requests against the
/// specs, with faults on demand and a log of every request. Dropping it stops it.
pub struct Sandbox {
    shared: Arc<Shared>,
    addresses: Vec<SocketAddr>,
    aveva_token_url: url::Url,
    isc_token_url: url::Url,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("addresses", &self.addresses)
            .finish_non_exhaustive()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl Sandbox {
    /// Starts a sandbox with the [`fixtures`] on free loopback ports (see [`SandboxBuilder::start`]).
    ///
    /// # Errors
    ///
    /// See [`SandboxBuilder::start`].
    pub async fn start() -> Result<Self, Error> {
        Self::builder().start().await
    }

    /// For a program that runs against the vendor when its credentials are configured and against the
    /// sandbox otherwise (the client crates' examples): `None` when `env` (an environment lookup, such as
    /// `|name| std::env::var(name).ok()`) has any of `vars` set to something not blank, else a sandbox
    /// started with the [`fixtures`].
    ///
    /// # Errors
    ///
    /// See [`SandboxBuilder::start`].
    pub async fn start_unless_any_set(
        env: &dyn Fn(&str) -> Option<String>,
        vars: &[&str],
    ) -> Result<Option<Self>, Error> {
        let configured = vars
            .iter()
            .any(|name| env(name).is_some_and(|value| !value.trim().is_empty()));
        if configured {
            Ok(None)
        } else {
            Self::start().await.map(Some)
        }
    }

    /// A builder, to set the seed, faults, token lifetime, job plans, address or ports.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// The base URL of `vendor`'s API (`http://127.0.0.1:<port>`; NERM's ends in `/api`, as the vendor's).
    pub fn base_url(&self, vendor: Vendor) -> String {
        self.shared.base_url(vendor)
    }

    /// The address `vendor`'s listener is bound to.
    pub fn address(&self, vendor: Vendor) -> SocketAddr {
        self.addresses
            .get(vendor.index())
            .copied()
            .unwrap_or_else(|| SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0))
    }

    /// The admin endpoint's URL (`…/_sandbox`, on the Seam listener; every listener serves it).
    pub fn admin_url(&self) -> String {
        format!("{}/_sandbox", self.base_url(Vendor::Seam))
    }

    /// The seed the sandbox started from (credentials, fixtures, job plans, faults at start).
    pub fn seed(&self) -> &Seed {
        &self.shared.seed
    }

    /// Every vendor's base URL and credentials, and the fixtures' ids, as the binary prints them.
    pub fn info(&self) -> serde_json::Value {
        self.shared.info()
    }

    /// A Seam client config with the API key.
    pub fn seam_config(&self) -> idprov_seam::ClientConfig {
        idprov_seam::ClientConfig::new(idprov_seam::Credentials::ApiKey(Secret::new(
            self.shared.seed.seam.api_key.clone(),
        )))
        .base_url(self.base_url(Vendor::Seam))
    }

    /// A Seam client config with the personal access token and the workspace.
    pub fn seam_pat_config(&self) -> idprov_seam::ClientConfig {
        idprov_seam::ClientConfig::new(idprov_seam::Credentials::PersonalAccessToken {
            token: Secret::new(self.shared.seed.seam.personal_access_token.clone()),
            workspace_id: self.shared.seed.seam.workspace_id.to_string(),
        })
        .base_url(self.base_url(Vendor::Seam))
    }

    fn client_credentials(token_url: &url::Url, id: &str, secret: &str) -> ClientCredentials {
        ClientCredentials {
            token_url: token_url.clone(),
            client_id: id.to_string(),
            client_secret: Secret::new(secret),
            scope: None,
        }
    }

    /// The OAuth2 client credentials of AVEVA (token URL `…/identity/connect/token`).
    pub fn aveva_client_credentials(&self) -> ClientCredentials {
        let a = &self.shared.seed.aveva;
        Self::client_credentials(&self.aveva_token_url, &a.client_id, &a.client_secret)
    }

    /// An AVEVA CONNECT client config with OAuth2 client credentials.
    pub fn aveva_config(&self) -> idprov_aveva_connect::ClientConfig {
        idprov_aveva_connect::ClientConfig::new(
            idprov_aveva_connect::Credentials::ClientCredentials(self.aveva_client_credentials()),
        )
        .base_url(self.base_url(Vendor::Aveva))
    }

    /// A SailPoint NERM client config with the API token.
    pub fn nerm_config(&self) -> idprov_sailpoint_nerm::ClientConfig {
        idprov_sailpoint_nerm::ClientConfig::new(idprov_sailpoint_nerm::Credentials::ApiToken(
            Secret::new(self.shared.seed.nerm.api_token.clone()),
        ))
        .base_url(self.base_url(Vendor::Nerm))
    }

    /// The OAuth2 client credentials of ISC (token URL `…/oauth/token`).
    pub fn isc_client_credentials(&self) -> ClientCredentials {
        let i = &self.shared.seed.isc;
        Self::client_credentials(&self.isc_token_url, &i.client_id, &i.client_secret)
    }

    /// A SailPoint ISC client config with OAuth2 client credentials.
    pub fn isc_config(&self) -> idprov_sailpoint_isc::ClientConfig {
        idprov_sailpoint_isc::ClientConfig::new(
            idprov_sailpoint_isc::Credentials::ClientCredentials(self.isc_client_credentials()),
        )
        .base_url(self.base_url(Vendor::Isc))
    }

    /// A Huawei Cloud client config with the permanent AK/SK and the domain id.
    pub fn huawei_config(&self) -> idprov_huaweicloud_identitycenter::ClientConfig {
        let h = &self.shared.seed.huawei;
        idprov_huaweicloud_identitycenter::ClientConfig::new(
            idprov_huaweicloud_identitycenter::Credentials {
                ak: h.ak.clone(),
                sk: Secret::new(h.sk.clone()),
                security_token: None,
                domain_id: Some(h.domain_id.clone()),
            },
        )
        .base_url(self.base_url(Vendor::Huawei))
    }

    /// A Huawei Cloud client config with the temporary AK/SK and their security token (`None` when the seed
    /// has no temporary credentials).
    pub fn huawei_temporary_config(
        &self,
    ) -> Option<idprov_huaweicloud_identitycenter::ClientConfig> {
        let h = &self.shared.seed.huawei;
        let t = h.temporary.as_ref()?;
        Some(
            idprov_huaweicloud_identitycenter::ClientConfig::new(
                idprov_huaweicloud_identitycenter::Credentials {
                    ak: t.ak.clone(),
                    sk: Secret::new(t.sk.clone()),
                    security_token: Some(Secret::new(t.security_token.clone())),
                    domain_id: Some(h.domain_id.clone()),
                },
            )
            .base_url(self.base_url(Vendor::Huawei)),
        )
    }

    /// The ids of the Seam enrollment automations launched for the user identity `user_identity_id` and
    /// not deleted, in launch order, read from the sandbox's state (no request is made or logged): what
    /// a test checks to see that a bulk run created each line's automation exactly once.
    pub fn seam_enrollment_automations(&self, user_identity_id: uuid::Uuid) -> Vec<uuid::Uuid> {
        lock(&self.shared.state)
            .seam
            .automations_of(user_identity_id)
    }

    /// Every request received so far (since the start or [`Sandbox::clear_requests`]), oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        lock(&self.shared.log).1.clone()
    }

    /// The requests received by `vendor`'s listener, oldest first.
    pub fn requests_to(&self, vendor: Vendor) -> Vec<LoggedRequest> {
        lock(&self.shared.log)
            .1
            .iter()
            .filter(|r| r.vendor == vendor)
            .cloned()
            .collect()
    }

    /// The statuses answered to the requests of `operation` (the spec's `operationId`, or `token`) to
    /// `vendor`, oldest first; `None` for a connection reset instead. What a test asserts to see that a
    /// client retried: `[Some(429), Some(503), Some(200)]`.
    pub fn statuses(&self, vendor: Vendor, operation: &str) -> Vec<Option<u16>> {
        lock(&self.shared.log)
            .1
            .iter()
            .filter(|r| r.vendor == vendor && r.is(operation))
            .map(|r| r.status)
            .collect()
    }

    /// Answers the next requests of `operation` to `vendor` with `faults` in turn, one request each (then
    /// as usual): `sb.fail_next(Vendor::Seam, "launch_enrollment_automation",
    /// &[Fault::rate_limited_retry_after(0), Fault::unavailable_retry_after(0)])` makes the next launch
    /// 429, the one after 503, and the third reach Seam. Rules added before still come first.
    pub fn fail_next(&self, vendor: Vendor, operation: &str, faults: &[Fault]) {
        let mut rules = lock(&self.shared.faults);
        for fault in faults {
            rules.add(FaultRule::operation(vendor, operation, fault.clone()).times(1));
        }
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        let mut log = lock(&self.shared.log);
        log.0 = 0;
        log.1.clear();
    }

    /// Adds a fault rule, in force from the next request.
    pub fn add_fault(&self, rule: FaultRule) {
        lock(&self.shared.faults).add(rule);
    }

    /// The fault rules in force.
    pub fn faults(&self) -> Vec<FaultRule> {
        lock(&self.shared.faults).rules()
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Expires every OAuth2 token issued so far (AVEVA and ISC): the next call with one is answered 401,
    /// as after the token's lifetime.
    pub fn expire_tokens(&self) {
        lock(&self.shared.tokens).expire_all(tokio::time::Instant::now());
    }

    /// How new jobs of `vendor` (ISC or Huawei) progress.
    ///
    /// # Errors
    ///
    /// [`Error::NoJobs`] for a vendor without asynchronous jobs.
    pub fn set_job_plan(&self, vendor: Vendor, plan: JobPlan) -> Result<(), Error> {
        self.shared.set_job_plan(vendor, plan)
    }

    /// Ends job `id` of `vendor` now: an ISC `accountRequestId` or a Huawei provisioning `request_id`.
    /// Returns whether it was still running (a job that has ended keeps its outcome).
    ///
    /// # Errors
    ///
    /// [`Error::NoSuchJob`] for an unknown id, [`Error::NoJobs`] for a vendor without asynchronous jobs.
    pub fn finish_job(&self, vendor: Vendor, id: &str, outcome: Outcome) -> Result<bool, Error> {
        self.shared.finish_job(vendor, id, outcome)
    }
}
