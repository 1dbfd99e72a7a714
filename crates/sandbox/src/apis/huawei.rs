//! Huawei Cloud IAM Identity Center: permission-set provisioning jobs (IN_PROGRESS, then SUCCEEDED or
//! FAILED with a `failure_reason`), read by request id or listed with `marker` paging and a `status` filter.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Call;
use crate::answer::{Answer, Failure};
use crate::jobs::{Job, JobPlan, Outcome, Stage};
use crate::seed::HuaweiSeed;
use crate::spec::{Problem, Violation};

struct Provisioning {
    seq: u64,
    request_id: String,
    instance_id: String,
    permission_set_id: String,
    account_id: Option<String>,
    job: Job,
}

impl Provisioning {
    fn status(&self) -> (&'static str, String) {
        match self.job.stage() {
            Stage::Started | Stage::Halfway(_) => ("IN_PROGRESS", String::new()),
            Stage::Ended(Outcome::Succeed, _) => ("SUCCEEDED", String::new()),
            Stage::Ended(Outcome::Fail { reason }, _) => ("FAILED", reason),
        }
    }

    fn created_ms(&self) -> i64 {
        self.job.started_at.timestamp_millis()
    }

    fn show(&self) -> Value {
        let (status, failure_reason) = self.status();
        let mut v = json!({
            "created_date": self.created_ms().to_string(),
            "failure_reason": failure_reason,
            "permission_set_id": self.permission_set_id,
            "request_id": self.request_id,
            "status": status,
        });
        if let Some(a) = &self.account_id {
            v["account_id"] = Value::String(a.clone());
        }
        v
    }
}

struct Instance {
    permission_sets: Vec<String>,
    accounts: Vec<String>,
}

pub(crate) struct HuaweiState {
    instances: BTreeMap<String, Instance>,
    jobs: Vec<Provisioning>,
    next: u64,
    pub(crate) plan: JobPlan,
}

impl HuaweiState {
    pub(crate) fn new(seed: &HuaweiSeed) -> Self {
        Self {
            instances: seed
                .instances
                .iter()
                .map(|i| {
                    (
                        i.instance_id.clone(),
                        Instance {
                            permission_sets: i.permission_sets.clone(),
                            accounts: i.accounts.clone(),
                        },
                    )
                })
                .collect(),
            jobs: Vec::new(),
            next: 1,
            plan: seed.jobs.clone(),
        }
    }

    /// Ends provisioning `request_id` with `outcome`: `None` if there is none, else whether it was running.
    pub(crate) fn finish(&mut self, request_id: &str, outcome: Outcome) -> Option<bool> {
        self.jobs
            .iter_mut()
            .find(|j| j.request_id == request_id)
            .map(|j| j.job.finish(outcome))
    }

    pub(crate) fn handle(&mut self, call: &Call<'_>) -> Result<Answer, Failure> {
        let instance_id = call.param("instance_id").to_string();
        let Some(instance) = self.instances.get(&instance_id) else {
            return Err(Failure::not_found(
                "",
                format!("The instance {instance_id} does not exist."),
            ));
        };
        match call.op {
            "provision_permission_set" => {
                let ps = call.param("permission_set_id").to_string();
                if !instance.permission_sets.contains(&ps) {
                    return Err(Failure::not_found(
                        "",
                        format!("The permission set {ps} does not exist."),
                    ));
                }
                let target_type = call.str_field("/target_type").unwrap_or("");
                let target_id = call.str_field("/target_id").map(str::to_string);
                let account_id = match (target_type, target_id) {
                    ("ACCOUNT", None) => {
                        return Err(Failure::invalid(vec![Violation::new(
                            "target_id",
                            Problem::Other("is required when target_type is ACCOUNT".to_string()),
                        )]));
                    }
                    ("ACCOUNT", Some(a)) => {
                        if !instance.accounts.contains(&a) {
                            return Err(Failure::not_found(
                                "",
                                format!("The account {a} does not exist."),
                            ));
                        }
                        Some(a)
                    }
                    (_, a) => a,
                };
                let job = Provisioning {
                    seq: self.next,
                    request_id: crate::random_hex(32),
                    instance_id,
                    permission_set_id: ps,
                    account_id,
                    job: Job::start(&self.plan),
                };
                self.next += 1;
                let shown = job.show();
                self.jobs.push(job);
                Ok(Answer::json(
                    200,
                    json!({"permission_set_provisioning_status": shown}),
                ))
            }
            "get_permission_set_provisioning_status" => {
                let id = call.param("request_id");
                let job = self
                    .jobs
                    .iter()
                    .find(|j| j.request_id == id && j.instance_id == instance_id)
                    .ok_or_else(|| {
                        Failure::not_found(
                            "",
                            format!("The provisioning request {id} does not exist."),
                        )
                    })?;
                Ok(Answer::json(
                    200,
                    json!({"permission_set_provisioning_status": job.show()}),
                ))
            }
            "list_permission_set_provisioning_statuses" => {
                let limit = usize::try_from(call.query_int("limit", 100)).unwrap_or(100);
                let from = match call.query("marker") {
                    None => 0,
                    Some(m) => u64::from_str_radix(m, 16).map_err(|_| {
                        Failure::invalid(vec![Violation::new(
                            "marker",
                            Problem::Other("is not a marker this list gave".to_string()),
                        )])
                    })?,
                };
                let wanted = call.query("status");
                let selected: Vec<&Provisioning> = self
                    .jobs
                    .iter()
                    .filter(|j| j.instance_id == instance_id && j.seq >= from)
                    .filter(|j| wanted.is_none_or(|w| j.status().0 == w))
                    .collect();
                let page: Vec<Value> = selected
                    .iter()
                    .take(limit)
                    .map(|j| json!({"created_date": j.created_ms(), "request_id": j.request_id, "status": j.status().0}))
                    .collect();
                let next = selected
                    .get(limit)
                    .map(|j| Value::String(format!("{:024x}", j.seq)));
                Ok(Answer::json(
                    200,
                    json!({
                        "permission_sets_provisioning_status": page,
                        "page_info": {"next_marker": next.unwrap_or(Value::Null), "current_count": page.len()},
                    }),
                ))
            }
            other => Err(super::not_implemented(other)),
        }
    }
}
