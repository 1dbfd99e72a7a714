//! Finding out, after a crash, whether a create that was sent but never answered took effect — with the
//! typed clients, where the API allows it.
//!
//! | API, operation | how it is looked up | found when |
//! |---|---|---|
//! | aveva-connect `create_automation_identity` | every automation identity of the tenant (`params.tenantId`), by `body.Name` | exactly one has the name (AVEVA refuses a second one with the same name) |
//! | seam `launch_enrollment_automation` | the enrollment automations of `body.user_identity_id` | exactly one has `body.credential_manager_acs_system_id`, was created no earlier than the line was sent (less the clock skew) and is not another line's |
//! | huaweicloud-identitycenter `provision_permission_set` | the provisioning statuses of `params.instance_id` created since the line was sent (less the skew) and not another line's, each read with `get_permission_set_provisioning_status` | exactly one is of `params.permission_set_id` and, for `target_type: ACCOUNT`, of `body.target_id` |
//!
//! None matching is [`Lookup::Absent`] (sending the line again cannot make a second one); more than one,
//! a failed list or a line without the fields is [`Lookup::Unknown`] with what to check. The other
//! creates (NERM `create_username_password_action`, ISC `create_machine_account_request`) have no way
//! to be found by what the line sends: they are reported unknown with what to look for ([`check_hint`]).
//!
//! Lists are eventually consistent at some vendors: an item created a moment before the crash may not be
//! listed yet. Resume a crashed run after a few seconds, not in the same instant.

use std::num::NonZeroU32;
use std::time::{Duration, UNIX_EPOCH};

use futures::TryStreamExt;
use serde_json::Value;

use crate::caller::{Lookup, LookupContext};
use crate::input::Line;
use crate::operations::{Api, Operation};

const PAGE: NonZeroU32 = match NonZeroU32::new(100) {
    Some(n) => n,
    None => NonZeroU32::MIN,
};

/// The clients the lookups use (only those of the run's API need be set).
#[derive(Debug, Clone, Default)]
pub struct Lookups {
    /// For Seam's `launch_enrollment_automation`.
    pub seam: Option<idprov_seam::Client>,
    /// For AVEVA's `create_automation_identity`.
    pub aveva: Option<idprov_aveva_connect::Client>,
    /// For Huawei's `provision_permission_set`.
    pub huawei: Option<idprov_huaweicloud_identitycenter::Client>,
}

impl Lookups {
    /// Looks up what `line` of `operation` created (see the [module docs](self)).
    pub async fn lookup(
        &self,
        operation: Operation,
        line: &Line,
        context: &LookupContext,
    ) -> Lookup {
        match (operation.api, operation.id, self) {
            (Api::AvevaConnect, "create_automation_identity", Self { aveva: Some(c), .. }) => {
                let (Some(tenant), Some(name)) =
                    (line.param_str("tenantId"), line.body_str("/Name"))
                else {
                    return missing(line, "params.tenantId and body.Name");
                };
                aveva_identity_by_name(c, &tenant, name.trim()).await
            }
            (Api::Seam, "launch_enrollment_automation", Self { seam: Some(c), .. }) => {
                let (Some(user), Some(system)) = (
                    line.body_str("/user_identity_id"),
                    line.body_str("/credential_manager_acs_system_id"),
                ) else {
                    return missing(
                        line,
                        "body.user_identity_id and body.credential_manager_acs_system_id",
                    );
                };
                seam_enrollment_automation(c, user, system, context).await
            }
            (
                Api::HuaweiIdentityCenter,
                "provision_permission_set",
                Self {
                    huawei: Some(c), ..
                },
            ) => {
                let (Some(instance), Some(permission_set)) = (
                    line.param_str("instance_id"),
                    line.param_str("permission_set_id"),
                ) else {
                    return missing(line, "params.instance_id and params.permission_set_id");
                };
                let account = match line.body_str("/target_type") {
                    Some("ACCOUNT") => line.body_str("/target_id"),
                    _ => None,
                };
                huawei_provisioning(c, &instance, &permission_set, account, context).await
            }
            _ => Lookup::Unknown {
                check: check_hint(operation, line),
            },
        }
    }
}

fn missing(line: &Line, what: &str) -> Lookup {
    Lookup::Unknown {
        check: format!(
            "line {} was sent but not answered, and it lacks {what}, which the lookup needs",
            line.number
        ),
    }
}

/// What to look for by hand when `operation`'s `line` was sent but cannot be looked up.
pub fn check_hint(operation: Operation, line: &Line) -> String {
    let n = line.number;
    match (operation.api, operation.id) {
        (Api::SailpointNerm, "create_username_password_action") => format!(
            "line {n} was sent but not answered: list the workflow actions of workflow {} \
             (list_workflow_actions) for a username/password action it may have created",
            line.body_str("/workflow_id").unwrap_or("(none given)")
        ),
        (Api::SailpointIsc, "create_machine_account_request") => format!(
            "line {n} was sent but not answered: look in ISC's account requests for a machine account \
             creation request made at that time (the journal's sent record has the time)"
        ),
        (api, id) => format!(
            "line {n} was sent but not answered: check whether {api} {id} took effect before running it again"
        ),
    }
}

/// The automation identity of `tenant_id` named `name`.
pub async fn aveva_identity_by_name(
    client: &idprov_aveva_connect::Client,
    tenant_id: &str,
    name: &str,
) -> Lookup {
    let listed: Result<Vec<_>, _> = client
        .automation_identities(tenant_id, PAGE)
        .try_filter(|i| futures::future::ready(i.name.as_deref().map(str::trim) == Some(name)))
        .try_collect()
        .await;
    match listed {
        Err(e) => Lookup::Unknown {
            check: format!(
                "the automation identities of tenant {tenant_id} could not be listed ({e}); check for one \
                 named {name:?}"
            ),
        },
        Ok(found) => match found.as_slice() {
            [] => Lookup::Absent,
            [one] => Lookup::Found {
                id: one.id.map(|id| id.to_string()),
            },
            many => Lookup::Unknown {
                check: format!(
                    "{} automation identities of tenant {tenant_id} are named {name:?}; check which one this \
                     line created",
                    many.len()
                ),
            },
        },
    }
}

/// The enrollment automation of `user_identity_id` with `acs_system_id` created since the line was sent.
pub async fn seam_enrollment_automation(
    client: &idprov_seam::Client,
    user_identity_id: &str,
    acs_system_id: &str,
    context: &LookupContext,
) -> Lookup {
    let what = format!(
        "an enrollment automation of user identity {user_identity_id} with credential manager {acs_system_id}"
    );
    let request = idprov_seam::types::ListEnrollmentAutomationsRequest::builder()
        .user_identity_id(user_identity_id);
    let listed = match client
        .list_enrollment_automations()
        .body(request)
        .send()
        .await
    {
        Ok(answer) => answer.into_inner().enrollment_automations,
        Err(e) => {
            return Lookup::Unknown {
                check: format!("could not list the enrollment automations ({e}); check for {what}"),
            };
        }
    };
    let not_before: chrono::DateTime<chrono::Utc> = context.not_before().into();
    let mut candidates = Vec::new();
    for a in listed {
        let a = serde_json::to_value(&a).unwrap_or(Value::Null);
        let id = a["enrollment_automation_id"]
            .as_str()
            .unwrap_or("")
            .to_string();
        if a["credential_manager_acs_system_id"].as_str() != Some(acs_system_id)
            || context.claimed.contains(&id)
        {
            continue;
        }
        let created = a["created_at"]
            .as_str()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
        match created {
            Some(t) if t < not_before => continue,
            Some(_) => candidates.push(id),
            None => {
                return Lookup::Unknown {
                    check: format!(
                        "{what} has no creation time to tell whether this line made it: check {id}"
                    ),
                };
            }
        }
    }
    decide(candidates, &what)
}

/// The provisioning request of `permission_set_id` (to `account_id`, when given) on `instance_id`
/// created since the line was sent.
pub async fn huawei_provisioning(
    client: &idprov_huaweicloud_identitycenter::Client,
    instance_id: &str,
    permission_set_id: &str,
    account_id: Option<&str>,
    context: &LookupContext,
) -> Lookup {
    let what = match account_id {
        Some(a) => format!(
            "a provisioning of permission set {permission_set_id} to account {a} on {instance_id}"
        ),
        None => format!("a provisioning of permission set {permission_set_id} on {instance_id}"),
    };
    let not_before = context
        .not_before()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_millis();
    let listed: Result<Vec<_>, _> = client
        .provisioning_statuses(instance_id, PAGE)
        .try_collect()
        .await;
    let listed = match listed {
        Ok(l) => l,
        Err(e) => {
            return Lookup::Unknown {
                check: format!("could not list the provisioning statuses ({e}); check for {what}"),
            };
        }
    };
    let mut candidates = Vec::new();
    for entry in listed {
        let Some(request_id) = entry.request_id else {
            continue;
        };
        let recent = entry
            .created_date
            .is_none_or(|ms| i128::from(ms) >= i128::try_from(not_before).unwrap_or(i128::MAX));
        if !recent || context.claimed.contains(&request_id) {
            continue;
        }
        let status = client
            .get_permission_set_provisioning_status()
            .instance_id(instance_id)
            .request_id(request_id.as_str())
            .send()
            .await;
        let status = match status {
            Ok(s) => serde_json::to_value(s.into_inner()).unwrap_or(Value::Null),
            Err(e) => {
                return Lookup::Unknown {
                    check: format!(
                        "could not read provisioning request {request_id} ({e}); check for {what}"
                    ),
                };
            }
        };
        let s = &status["permission_set_provisioning_status"];
        if s["permission_set_id"].as_str() == Some(permission_set_id)
            && account_id.is_none_or(|a| s["account_id"].as_str() == Some(a))
        {
            candidates.push(request_id);
        }
    }
    decide(candidates, &what)
}

fn decide(candidates: Vec<String>, what: &str) -> Lookup {
    match candidates.as_slice() {
        [] => Lookup::Absent,
        [one] => Lookup::Found {
            id: Some(one.clone()),
        },
        many => Lookup::Unknown {
            check: format!(
                "{} candidates for {what} ({}): check which one this line created",
                many.len(),
                many.join(", ")
            ),
        },
    }
}
