//! Seam Connect: user identities, ACS systems, credential pools, and enrollment automations launched,
//! read, listed and deleted.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use uuid::Uuid;

use super::Call;
use crate::answer::{Answer, Failure};
use crate::seed::SeamSeed;
use crate::spec::{Problem, Violation};

pub(crate) struct SeamState {
    workspace_id: Uuid,
    user_identities: BTreeMap<Uuid, Value>,
    /// ACS system id → whether it is a credential manager.
    acs_systems: BTreeMap<Uuid, bool>,
    credential_pools: Vec<Uuid>,
    /// In launch order.
    automations: Vec<Value>,
}

impl SeamState {
    pub(crate) fn new(seed: &SeamSeed) -> Self {
        Self {
            workspace_id: seed.workspace_id,
            user_identities: seed
                .user_identities
                .iter()
                .map(|u| {
                    (
                        u.user_identity_id,
                        json!({"user_identity_id": u.user_identity_id, "email_address": u.email_address, "display_name": u.display_name}),
                    )
                })
                .collect(),
            acs_systems: seed
                .acs_systems
                .iter()
                .map(|s| (s.acs_system_id, s.is_credential_manager))
                .collect(),
            credential_pools: seed.credential_pools.iter().map(|p| p.acs_credential_pool_id).collect(),
            automations: Vec::new(),
        }
    }

    pub(crate) fn handle(&mut self, call: &Call<'_>) -> Result<Answer, Failure> {
        match call.op {
            "launch_enrollment_automation" => self.launch(call),
            "get_enrollment_automation" => {
                let found = self.find(call)?;
                Ok(ok(json!({"enrollment_automation": found})))
            }
            "list_enrollment_automations" => {
                let user = uuid_field(call, "/user_identity_id");
                if !self.user_identities.contains_key(&user) {
                    return Err(user_not_found());
                }
                let listed: Vec<&Value> = self
                    .automations
                    .iter()
                    .filter(|a| a["user_identity_id"] == json!(user))
                    .collect();
                Ok(ok(json!({"enrollment_automations": listed})))
            }
            "delete_enrollment_automation" => {
                let id = uuid_field(call, "/enrollment_automation_id");
                let before = self.automations.len();
                self.automations
                    .retain(|a| a["enrollment_automation_id"] != json!(id));
                if self.automations.len() == before {
                    return Err(automation_not_found());
                }
                Ok(ok(json!({})))
            }
            other => Err(super::not_implemented(other)),
        }
    }

    /// The ids of the enrollment automations launched for `user`, in launch order.
    pub(crate) fn automations_of(&self, user: Uuid) -> Vec<Uuid> {
        let user = json!(user);
        self.automations
            .iter()
            .filter(|a| a["user_identity_id"] == user)
            .filter_map(|a| a["enrollment_automation_id"].as_str())
            .filter_map(|id| Uuid::parse_str(id).ok())
            .collect()
    }

    fn find(&self, call: &Call<'_>) -> Result<&Value, Failure> {
        let id = uuid_field(call, "/enrollment_automation_id");
        self.automations
            .iter()
            .find(|a| a["enrollment_automation_id"] == json!(id))
            .ok_or_else(automation_not_found)
    }

    fn launch(&mut self, call: &Call<'_>) -> Result<Answer, Failure> {
        let create_user = call
            .field("/create_credential_manager_user")
            .and_then(Value::as_bool)
            == Some(true);
        if create_user && call.field("/credential_manager_acs_user_id").is_some() {
            return Err(Failure::invalid(vec![Violation::new(
                "body",
                Problem::Other(
                    "Cannot specify both create_credential_manager_user and credential_manager_acs_user_id"
                        .to_string(),
                ),
            )]));
        }
        let user = uuid_field(call, "/user_identity_id");
        if !self.user_identities.contains_key(&user) {
            return Err(user_not_found());
        }
        let system = uuid_field(call, "/credential_manager_acs_system_id");
        match self.acs_systems.get(&system) {
            None => {
                return Err(Failure::not_found(
                    "acs_system_not_found",
                    format!("ACS system {system} not found"),
                ));
            }
            Some(false) => {
                return Err(Failure::invalid(vec![Violation::new(
                    "credential_manager_acs_system_id",
                    Problem::Other(format!("ACS system {system} is not a credential manager")),
                )]));
            }
            Some(true) => {}
        }
        if let Some(pool) = call.str_field("/acs_credential_pool_id") {
            let pool = Uuid::parse_str(pool).unwrap_or_default();
            if !self.credential_pools.contains(&pool) {
                return Err(Failure::not_found(
                    "acs_credential_pool_not_found",
                    format!("ACS credential pool {pool} not found"),
                ));
            }
        }
        let id = crate::random_uuid();
        let automation = json!({
            "enrollment_automation_id": id,
            "acs_credential_provisioning_automation_id": id,
            "credential_manager_acs_system_id": system,
            "user_identity_id": user,
            "workspace_id": self.workspace_id,
            "created_at": crate::now_rfc3339(),
            "is_running": true,
        });
        self.automations.push(automation.clone());
        Ok(ok(json!({"enrollment_automation": automation})))
    }
}

/// `{..., "ok": true}`.
fn ok(mut body: Value) -> Answer {
    body["ok"] = Value::Bool(true);
    Answer::json(200, body)
}

/// A body field the validator has checked is a UUID.
fn uuid_field(call: &Call<'_>, pointer: &str) -> Uuid {
    call.str_field(pointer)
        .and_then(|s| Uuid::parse_str(s).ok())
        .unwrap_or_default()
}

fn user_not_found() -> Failure {
    Failure::not_found("user_identity_not_found", "User identity not found")
}

fn automation_not_found() -> Failure {
    Failure::not_found(
        "enrollment_automation_not_found",
        "Enrollment automation not found",
    )
}
