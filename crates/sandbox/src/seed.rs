//! The sandbox's initial state and credentials: [`Seed`], read from a YAML or JSON file (`--seed FILE`) or
//! built in code. Every field has a default (the [`fixtures`](crate::fixtures)), so a seed file names only
//! what it changes.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::faults::FaultRule;
use crate::fixtures as fx;
use crate::jobs::JobPlan;

/// Everything a sandbox starts with. `Seed::default()` is the [`fixtures`](crate::fixtures).
///
/// In a file (YAML or JSON) every key is optional; a list given replaces the default list:
///
/// ```yaml
/// token_lifetime_secs: 60
/// seam:
///   user_identities:
///     - user_identity_id: 5c945ab5-c75e-4bcb-8e5f-9410061c401f
///       email_address: jane@example.com
/// isc:
///   jobs: { duration_ms: 500, outcome: { result: fail, reason: "Source is read-only" } }
/// faults:
///   - { vendor: aveva, operation: list_automation_identities, fault: { kind: status, status: 503, retry_after_secs: 1 }, times: 2 }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Seed {
    /// How long an OAuth2 token of AVEVA or ISC is valid, in seconds (it is also the token's `expires_in`).
    pub token_lifetime_secs: u64,
    /// Seam Connect.
    pub seam: SeamSeed,
    /// AVEVA CONNECT.
    pub aveva: AvevaSeed,
    /// SailPoint NERM.
    pub nerm: NermSeed,
    /// SailPoint ISC.
    pub isc: IscSeed,
    /// Huawei Cloud IAM Identity Center.
    pub huawei: HuaweiSeed,
    /// Faults in force from the start.
    pub faults: Vec<FaultRule>,
}

impl Default for Seed {
    fn default() -> Self {
        Self {
            token_lifetime_secs: 3600,
            seam: SeamSeed::default(),
            aveva: AvevaSeed::default(),
            nerm: NermSeed::default(),
            isc: IscSeed::default(),
            huawei: HuaweiSeed::default(),
            faults: Vec::new(),
        }
    }
}

impl Seed {
    /// Reads a seed from YAML text (JSON is read too: it is YAML).
    ///
    /// # Errors
    ///
    /// [`Error::Seed`] naming what does not fit.
    pub fn from_yaml(text: &str) -> Result<Self, Error> {
        serde_norway::from_str(text).map_err(|e| Error::Seed(e.to_string()))
    }

    /// Reads a seed from JSON text.
    ///
    /// # Errors
    ///
    /// [`Error::Seed`] naming what does not fit.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        serde_json::from_str(text).map_err(|e| Error::Seed(e.to_string()))
    }

    /// Reads a seed file: JSON when its name ends in `.json`, YAML otherwise.
    ///
    /// # Errors
    ///
    /// [`Error::Seed`] when the file cannot be read or does not fit, naming the file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Seed(format!("cannot read {}: {e}", path.display())))?;
        let json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let parsed = if json {
            Self::from_json(&text)
        } else {
            Self::from_yaml(&text)
        };
        parsed.map_err(|e| Error::Seed(format!("{}: {e}", path.display())))
    }
}

/// Seam Connect: credentials, the workspace and what it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SeamSeed {
    /// The API key (`Authorization: Bearer <key>`).
    pub api_key: String,
    /// The personal access token, accepted with `seam-workspace: <workspace_id>`.
    pub personal_access_token: String,
    /// The workspace every object lives in.
    pub workspace_id: uuid::Uuid,
    /// The user identities.
    pub user_identities: Vec<SeamUserIdentity>,
    /// The ACS systems; only credential managers can serve an enrollment automation.
    pub acs_systems: Vec<SeamAcsSystem>,
    /// The ACS credential pools.
    pub credential_pools: Vec<SeamCredentialPool>,
}

impl Default for SeamSeed {
    fn default() -> Self {
        Self {
            api_key: fx::SEAM_API_KEY.to_string(),
            personal_access_token: fx::SEAM_PERSONAL_ACCESS_TOKEN.to_string(),
            workspace_id: fx::uuid(fx::SEAM_WORKSPACE_ID),
            user_identities: vec![SeamUserIdentity {
                user_identity_id: fx::uuid(fx::SEAM_USER_IDENTITY_ID),
                email_address: Some("jane@example.com".to_string()),
                display_name: Some("Jane Doe".to_string()),
            }],
            acs_systems: vec![
                SeamAcsSystem {
                    acs_system_id: fx::uuid(fx::SEAM_CREDENTIAL_MANAGER_ID),
                    name: "Sandbox credential manager".to_string(),
                    is_credential_manager: true,
                },
                SeamAcsSystem {
                    acs_system_id: fx::uuid(fx::SEAM_ACCESS_SYSTEM_ID),
                    name: "Sandbox access control system".to_string(),
                    is_credential_manager: false,
                },
            ],
            credential_pools: vec![SeamCredentialPool {
                acs_credential_pool_id: fx::uuid(fx::SEAM_CREDENTIAL_POOL_ID),
            }],
        }
    }
}

/// A Seam user identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeamUserIdentity {
    /// Its id.
    pub user_identity_id: uuid::Uuid,
    /// Its e-mail address.
    #[serde(default)]
    pub email_address: Option<String>,
    /// Its display name.
    #[serde(default)]
    pub display_name: Option<String>,
}

/// A Seam ACS (access control) system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeamAcsSystem {
    /// Its id.
    pub acs_system_id: uuid::Uuid,
    /// Its name.
    #[serde(default)]
    pub name: String,
    /// Whether it is a credential manager (only those can serve an enrollment automation).
    #[serde(default)]
    pub is_credential_manager: bool,
}

/// A Seam ACS credential pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeamCredentialPool {
    /// Its id.
    pub acs_credential_pool_id: uuid::Uuid,
}

/// AVEVA CONNECT: the OAuth2 client, tenants, roles and automation identities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AvevaSeed {
    /// The OAuth2 client id.
    pub client_id: String,
    /// The OAuth2 client secret.
    pub client_secret: String,
    /// The tenant ids (UUIDs, as AVEVA's `TenantId` is); a call naming another tenant is answered 404.
    pub tenants: Vec<String>,
    /// Role id → role type id, to fill `RoleTypeIds` (a role not listed has no role type).
    pub roles: BTreeMap<String, String>,
    /// Automation identities there from the start.
    pub automation_identities: Vec<AvevaIdentitySeed>,
}

impl Default for AvevaSeed {
    fn default() -> Self {
        Self {
            client_id: fx::AVEVA_CLIENT_ID.to_string(),
            client_secret: fx::AVEVA_CLIENT_SECRET.to_string(),
            tenants: vec![fx::AVEVA_TENANT_ID.to_string()],
            roles: BTreeMap::from([(
                fx::AVEVA_ROLE_ID.to_string(),
                fx::AVEVA_ROLE_TYPE_ID.to_string(),
            )]),
            automation_identities: Vec::new(),
        }
    }
}

/// An AVEVA automation identity to start with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AvevaIdentitySeed {
    /// The tenant it belongs to (default: the first tenant).
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// Its id (default: a new one).
    #[serde(default)]
    pub id: Option<uuid::Uuid>,
    /// Its name.
    pub name: String,
    /// Its role ids.
    #[serde(default)]
    pub role_ids: Vec<String>,
    /// Its tags.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// SailPoint NERM: the API token, workflows and their actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NermSeed {
    /// The API token (`Authorization: Bearer <token>`); a valid ISC access token is accepted too.
    pub api_token: String,
    /// The workflow ids; an action can only be created under one of them.
    pub workflows: Vec<uuid::Uuid>,
    /// Username/password workflow actions there from the start.
    pub workflow_actions: Vec<NermActionSeed>,
}

impl Default for NermSeed {
    fn default() -> Self {
        Self {
            api_token: fx::NERM_API_TOKEN.to_string(),
            workflows: vec![fx::uuid(fx::NERM_WORKFLOW_ID)],
            workflow_actions: Vec::new(),
        }
    }
}

/// A NERM workflow action to start with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NermActionSeed {
    /// The workflow it belongs to.
    pub workflow_id: uuid::Uuid,
    /// Its description.
    pub description: String,
    /// Whether it is archived.
    #[serde(default)]
    pub archived: bool,
}

/// SailPoint ISC: the OAuth2 client, what it may request machine accounts on, how requests progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IscSeed {
    /// The OAuth2 client id.
    pub client_id: String,
    /// The OAuth2 client secret.
    pub client_secret: String,
    /// The create-access list (`MachineAccountCreateAccessDto` objects, as JSON); a request on a subtype
    /// not in it is refused with 403.
    pub create_access: Vec<serde_json::Value>,
    /// How machine account creation requests progress.
    pub jobs: JobPlan,
}

impl Default for IscSeed {
    fn default() -> Self {
        Self {
            client_id: fx::ISC_CLIENT_ID.to_string(),
            client_secret: fx::ISC_CLIENT_SECRET.to_string(),
            create_access: vec![serde_json::json!({
                "sourceId": fx::ISC_SOURCE_ID,
                "sourceName": "Sandbox Active Directory",
                "subtypes": [{
                    "subtypeId": fx::ISC_SUBTYPE_ID,
                    "entitlementId": fx::ISC_ENTITLEMENT_ID,
                    "subtypeDisplayName": "Service Account",
                    "subtypeTechnicalName": "service_account"
                }]
            })],
            jobs: JobPlan::default(),
        }
    }
}

/// Huawei Cloud IAM Identity Center: the keys, instances and how provisioning progresses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HuaweiSeed {
    /// The permanent access key id.
    pub ak: String,
    /// The permanent secret access key.
    pub sk: String,
    /// The account (domain) id; an `X-Domain-Id` naming another is refused.
    pub domain_id: String,
    /// Temporary credentials, whose requests must carry their security token.
    pub temporary: Option<HuaweiTemporary>,
    /// The instances.
    pub instances: Vec<HuaweiInstance>,
    /// How provisioning requests progress.
    pub jobs: JobPlan,
}

impl Default for HuaweiSeed {
    fn default() -> Self {
        Self {
            ak: fx::HUAWEI_AK.to_string(),
            sk: fx::HUAWEI_SK.to_string(),
            domain_id: fx::HUAWEI_DOMAIN_ID.to_string(),
            temporary: Some(HuaweiTemporary {
                ak: fx::HUAWEI_TEMPORARY_AK.to_string(),
                sk: fx::HUAWEI_TEMPORARY_SK.to_string(),
                security_token: fx::HUAWEI_SECURITY_TOKEN.to_string(),
            }),
            instances: vec![HuaweiInstance {
                instance_id: fx::HUAWEI_INSTANCE_ID.to_string(),
                permission_sets: vec![fx::HUAWEI_PERMISSION_SET_ID.to_string()],
                accounts: vec![fx::HUAWEI_ACCOUNT_ID.to_string()],
            }],
            jobs: JobPlan::default(),
        }
    }
}

/// Huawei temporary credentials (AK/SK and the session's security token).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HuaweiTemporary {
    /// The temporary access key id.
    pub ak: String,
    /// The temporary secret access key.
    pub sk: String,
    /// The security token its requests must carry (`X-Security-Token`, signed).
    pub security_token: String,
}

/// An IAM Identity Center instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HuaweiInstance {
    /// Its id.
    pub instance_id: String,
    /// Its permission set ids.
    #[serde(default)]
    pub permission_sets: Vec<String>,
    /// The account ids a permission set can be provisioned to.
    #[serde(default)]
    pub accounts: Vec<String>,
}
