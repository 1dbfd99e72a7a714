//! SailPoint ISC: machine account creation requests (202, then pending → approved → passed or failed) and
//! the create-access list.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Call;
use crate::answer::{Answer, Failure};
use crate::jobs::{Job, JobPlan, Outcome, Stage};
use crate::seed::IscSeed;

struct Request {
    job: Job,
    approval_request_id: uuid::Uuid,
}

pub(crate) struct IscState {
    create_access: Vec<Value>,
    requests: BTreeMap<String, Request>,
    pub(crate) plan: JobPlan,
}

/// Who the sandbox says made each request.
const REQUESTER_ID: &str = "85131bd73fdc423599e57f40b29f01fe";

impl IscState {
    pub(crate) fn new(seed: &IscSeed) -> Self {
        Self {
            create_access: seed.create_access.clone(),
            requests: BTreeMap::new(),
            plan: seed.jobs.clone(),
        }
    }

    fn allows(&self, subtype: &str) -> bool {
        self.create_access.iter().any(|source| {
            source["subtypes"].as_array().is_some_and(|subs| {
                subs.iter()
                    .any(|s| s["subtypeId"].as_str() == Some(subtype))
            })
        })
    }

    /// Ends request `id` with `outcome`: `None` if there is no such request, else whether it was running.
    pub(crate) fn finish(&mut self, id: &str, outcome: Outcome) -> Option<bool> {
        self.requests.get_mut(id).map(|r| r.job.finish(outcome))
    }

    pub(crate) fn handle(&mut self, call: &Call<'_>) -> Result<Answer, Failure> {
        match call.op {
            "create_machine_account_request" => {
                let subtype = call.str_field("/subtypeId").unwrap_or("");
                if !self.allows(subtype) {
                    return Err(Failure::new(
                        403,
                        "",
                        format!(
                            "You do not have the entitlement to create machine accounts on subtype {subtype}."
                        ),
                    ));
                }
                if call
                    .str_field("/ownerIdentityId")
                    .is_some_and(|o| o.trim().is_empty())
                {
                    return Err(Failure::invalid(vec![crate::spec::Violation::new(
                        "ownerIdentityId",
                        crate::spec::Problem::Missing,
                    )]));
                }
                let id = crate::random_hex(32);
                self.requests.insert(
                    id.clone(),
                    Request {
                        job: Job::start(&self.plan),
                        approval_request_id: crate::random_uuid(),
                    },
                );
                Ok(Answer::json(202, json!({"accountRequestId": id})))
            }
            "get_account_request" => {
                let id = call.param("accountRequestId");
                let request = self.requests.get(id).ok_or_else(|| {
                    Failure::not_found("", format!("The account request {id} was not found."))
                })?;
                Ok(Answer::json(200, details(id, request)))
            }
            "list_machine_account_create_access" => {
                let offset = usize::try_from(call.query_int("offset", 0)).unwrap_or(usize::MAX);
                let limit = usize::try_from(call.query_int("limit", 250)).unwrap_or(250);
                let page: Vec<&Value> =
                    self.create_access.iter().skip(offset).take(limit).collect();
                Ok(Answer::json(200, json!(page)))
            }
            other => Err(super::not_implemented(other)),
        }
    }
}

fn time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn details(id: &str, r: &Request) -> Value {
    let started = time(r.job.started_at);
    let (overall, completed, phases, error) = match r.job.stage() {
        Stage::Started => (
            "PENDING",
            Value::Null,
            json!([
                {"name": "APPROVAL_PHASE", "state": "PENDING", "started": started},
                {"name": "PROVISIONING_PHASE", "state": "NOT_STARTED"}
            ]),
            Value::Null,
        ),
        Stage::Halfway(at) => (
            "IN_PROGRESS",
            Value::Null,
            json!([
                {"name": "APPROVAL_PHASE", "state": "APPROVED", "started": started, "finished": time(at)},
                {"name": "PROVISIONING_PHASE", "state": "PENDING", "started": time(at)}
            ]),
            Value::Null,
        ),
        Stage::Ended(outcome, at) => {
            let (overall, state, error) = match outcome {
                Outcome::Succeed => ("SUCCESS", "PASSED", Value::Null),
                Outcome::Fail { reason } => ("FAILED", "FAILED", Value::String(reason)),
            };
            (
                overall,
                Value::String(time(at)),
                json!([
                    {"name": "APPROVAL_PHASE", "state": "APPROVED", "started": started, "finished": time(at)},
                    {"name": "PROVISIONING_PHASE", "state": state, "started": time(at), "finished": time(at)}
                ]),
                error,
            )
        }
    };
    json!({
        "accountRequestId": id,
        "requestType": "CREATE_MACHINE_ACCOUNT",
        "createdAt": started,
        "completedAt": completed,
        "overallStatus": overall,
        "requester": {"type": "IDENTITY", "id": REQUESTER_ID, "name": "Sandbox API client"},
        "approvalRequestId": r.approval_request_id,
        "accountRequestPhases": phases,
        "errorDetails": error,
    })
}
