//! [`DirectCaller`]: a [`Caller`] over the typed clients for the creates that have a lookup — Seam
//! `launch_enrollment_automation`, AVEVA `create_automation_identity`, Huawei `provision_permission_set`.
//!
//! The `idprov` command line has a caller for every operation; this one lets a program (and this crate's
//! tests and benchmark) run a bulk of those creates without it. A line's `body` is read as the
//! operation's request type straight from its JSON text (so a body that repeats a member is refused,
//! naming it, where the command line's caller keeps the last), its `params` give the path parameters by
//! their spec names (`tenantId`; `instance_id`, `permission_set_id`).

use futures::future::BoxFuture;
use idprov_runtime::ErrorKind;
use serde::de::DeserializeOwned;

use crate::caller::{Caller, Failure, Lookup, LookupContext, Outcome};
use crate::input::Line;
use crate::lookups::Lookups;
use crate::operations::{Api, Operation};

/// Calls one of the three creates with its typed client, and looks it up after a crash.
#[derive(Debug, Clone)]
pub struct DirectCaller {
    operation: Operation,
    clients: Lookups,
}

impl DirectCaller {
    /// A caller of `operation` with `clients` (the one of its API must be set).
    ///
    /// # Errors
    ///
    /// When the operation is not one of the three, or its API's client is missing.
    pub fn new(operation: Operation, clients: Lookups) -> Result<Self, String> {
        let has_client = match (operation.api, operation.id) {
            (Api::Seam, "launch_enrollment_automation") => clients.seam.is_some(),
            (Api::AvevaConnect, "create_automation_identity") => clients.aveva.is_some(),
            (Api::HuaweiIdentityCenter, "provision_permission_set") => clients.huawei.is_some(),
            (api, id) => {
                return Err(format!(
                    "DirectCaller calls seam launch_enrollment_automation, aveva-connect \
                     create_automation_identity and huaweicloud-identitycenter provision_permission_set, not {api} {id}"
                ));
            }
        };
        if !has_client {
            return Err(format!(
                "DirectCaller for {}: no {} client given",
                operation.id, operation.api
            ));
        }
        Ok(Self { operation, clients })
    }

    /// The operation it calls.
    pub fn operation(&self) -> Operation {
        self.operation
    }

    /// Sends the line's call and reads the id from the typed answer (the same field as the operation's
    /// [`id_pointer`](Operation::id_pointer)).
    async fn send(&self, line: &Line) -> Result<Option<String>, Failure> {
        match (self.operation.id, &self.clients) {
            (
                "launch_enrollment_automation",
                Lookups {
                    seam: Some(seam), ..
                },
            ) => {
                let body: idprov_seam::types::LaunchEnrollmentAutomationRequest = body(line)?;
                let answer = seam
                    .launch_enrollment_automation()
                    .body(body)
                    .send()
                    .await?;
                let automation = answer.into_inner().enrollment_automation;
                Ok(Some(automation.enrollment_automation_id.to_string()))
            }
            (
                "create_automation_identity",
                Lookups {
                    aveva: Some(aveva), ..
                },
            ) => {
                let tenant = param(line, "tenantId")?;
                let body: idprov_aveva_connect::types::CreateAutomationIdentityRequest =
                    body(line)?;
                let answer = aveva
                    .create_automation_identity()
                    .tenant_id(tenant)
                    .body(body)
                    .send()
                    .await?;
                Ok(answer.into_inner().id.map(|id| id.to_string()))
            }
            (
                "provision_permission_set",
                Lookups {
                    huawei: Some(huawei),
                    ..
                },
            ) => {
                let instance = param(line, "instance_id")?;
                let permission_set = param(line, "permission_set_id")?;
                let body: idprov_huaweicloud_identitycenter::types::ProvisionPermissionSetRequest =
                    body(line)?;
                let answer = huawei
                    .provision_permission_set()
                    .instance_id(instance)
                    .permission_set_id(permission_set)
                    .body(body)
                    .send()
                    .await?;
                Ok(answer
                    .into_inner()
                    .permission_set_provisioning_status
                    .and_then(|s| s.request_id))
            }
            (id, _) => Err(refused(format!("{id} has no client"))),
        }
    }
}

impl Caller for DirectCaller {
    async fn call(&self, line: &Line) -> Result<Outcome, Failure> {
        self.send(line).await.map(Outcome::with_id)
    }

    fn idempotent(&self) -> bool {
        self.operation.idempotent()
    }

    fn lookup<'a>(&'a self, line: &'a Line, context: &'a LookupContext) -> BoxFuture<'a, Lookup> {
        Box::pin(self.clients.lookup(self.operation, line, context))
    }
}

/// A refusal before anything was sent.
fn refused(message: String) -> Failure {
    Failure::new(ErrorKind::InvalidRequest, message).with_safety(false, false)
}

fn body<T: DeserializeOwned>(line: &Line) -> Result<T, Failure> {
    let text = line
        .body_raw()
        .ok_or_else(|| refused(format!("line {}: \"body\" is required", line.number)))?;
    // Read from the line's text: no tree of values in between.
    serde_json::from_str::<T>(text.get()).map_err(|e| {
        refused(format!(
            "line {}: \"body\" is not a {}: {e}",
            line.number,
            std::any::type_name::<T>()
                .rsplit("::")
                .next()
                .unwrap_or("request body")
        ))
    })
}

fn param(line: &Line, name: &str) -> Result<String, Failure> {
    line.param_str(name).ok_or_else(|| {
        refused(format!(
            "line {}: \"params\".{name:?} is required (a string)",
            line.number
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Entry, parse_line};

    type Launch = idprov_seam::types::LaunchEnrollmentAutomationRequest;

    fn line(text: &str) -> Line {
        match parse_line(7, text) {
            Entry::Call(line) => line,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_body_is_read_from_its_text_as_the_request_type() {
        let launch: Launch = body(&line(
            r#"{"body": {"user_identity_id": "00000000-0000-4000-8000-000000000001", "credential_manager_acs_system_id": "00000000-0000-4000-8000-000000000002"}}"#,
        ))
        .unwrap();
        assert_eq!(
            launch.user_identity_id.to_string(),
            "00000000-0000-4000-8000-000000000001"
        );
    }

    #[test]
    fn a_missing_wrong_or_repeated_body_member_is_refused_naming_the_line() {
        for (text, says) in [
            (r#"{"params": {}}"#, "\"body\" is required"),
            (
                r#"{"body": {"user_identity_id": "x", "credential_manager_acs_system_id": "00000000-0000-4000-8000-000000000002"}}"#,
                "UUID",
            ),
            (
                r#"{"body": {"user_identity_id": "00000000-0000-4000-8000-000000000001", "user_identity_id": "00000000-0000-4000-8000-000000000001", "credential_manager_acs_system_id": "00000000-0000-4000-8000-000000000002"}}"#,
                "duplicate field `user_identity_id`",
            ),
        ] {
            let refused = body::<Launch>(&line(text)).unwrap_err();
            assert!(
                refused.message.starts_with("line 7: "),
                "{}",
                refused.message
            );
            assert!(refused.message.contains(says), "{}", refused.message);
            assert!(!refused.may_have_acted, "nothing was sent");
        }
    }
}
