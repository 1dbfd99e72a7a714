//! SailPoint NERM: username/password workflow actions, created under a workflow and listed by workflow.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use uuid::Uuid;

use super::Call;
use crate::answer::{Answer, Failure};
use crate::seed::NermSeed;
use crate::spec::{Problem, Violation};

struct Action {
    seq: u64,
    created_at: String,
    body: Value,
}

pub(crate) struct NermState {
    workflows: BTreeSet<Uuid>,
    actions: Vec<Action>,
    next: u64,
}

/// The fields `order` may sort by.
const ORDER_FIELDS: [&str; 4] = ["created_at", "description", "workflow_id", "archived"];

impl NermState {
    pub(crate) fn new(seed: &NermSeed) -> Self {
        let mut state = Self {
            workflows: seed.workflows.iter().copied().collect(),
            actions: Vec::new(),
            next: 1,
        };
        for a in &seed.workflow_actions {
            state.workflows.insert(a.workflow_id);
            state.add(a.workflow_id, &a.description, a.archived);
        }
        state
    }

    fn add(&mut self, workflow: Uuid, description: &str, archived: bool) -> Value {
        let body = json!({
            "workflow_id": workflow,
            "description": description,
            "page_id": null,
            "add_requester_as_owner": null,
            "email_attribute_id": null,
            "email_addresses": null,
            "new_status": null,
            "archived": archived,
            "skippable": false,
            "requires_comment": false,
        });
        self.actions.push(Action {
            seq: self.next,
            created_at: crate::now_rfc3339(),
            body: body.clone(),
        });
        self.next += 1;
        body
    }

    pub(crate) fn handle(&mut self, call: &Call<'_>) -> Result<Answer, Failure> {
        match call.op {
            "create_username_password_action" => {
                let workflow = call
                    .str_field("/workflow_action/workflow_id")
                    .and_then(|w| Uuid::parse_str(w).ok())
                    .unwrap_or_default();
                let description = call.str_field("/workflow_action/description").unwrap_or("");
                let mut errors = Vec::new();
                if description.trim().is_empty() {
                    errors.push(Violation::new(
                        "description",
                        Problem::Other("can't be blank".to_string()),
                    ));
                }
                if !self.workflows.contains(&workflow) {
                    errors.push(Violation::new(
                        "workflow",
                        Problem::Other("must exist".to_string()),
                    ));
                }
                if !errors.is_empty() {
                    let mut f = Failure::invalid(errors);
                    f.code = "The workflow action failed to create".to_string();
                    return Err(f);
                }
                let archived = call
                    .field("/workflow_action/archived")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                let created = self.add(workflow, description, archived);
                Ok(Answer::json(200, json!({"workflow_action": created})))
            }
            "list_workflow_actions" => {
                let limit = call.query_int("limit", 100);
                let offset = call.query_int("offset", 0);
                let order = call.query("order").unwrap_or("created_at");
                if !ORDER_FIELDS.contains(&order) {
                    let mut f = Failure::invalid(vec![Violation::new(
                        "order",
                        Problem::Other(format!("must be one of {}", ORDER_FIELDS.join(", "))),
                    )]);
                    f.code = "Invalid order parameter".to_string();
                    return Err(f);
                }
                let workflow = call
                    .query("workflow_id")
                    .and_then(|w| Uuid::parse_str(w).ok());
                let mut selected: Vec<&Action> = self
                    .actions
                    .iter()
                    .filter(|a| workflow.is_none_or(|w| a.body["workflow_id"] == json!(w)))
                    .collect();
                match order {
                    "created_at" => selected.sort_by_key(|a| (a.created_at.clone(), a.seq)),
                    field => selected.sort_by(|a, b| {
                        sort_key(&a.body[field])
                            .cmp(&sort_key(&b.body[field]))
                            .then(a.seq.cmp(&b.seq))
                    }),
                }
                let total = selected.len();
                let start = usize::try_from(offset).unwrap_or(usize::MAX).min(total);
                let end = start
                    .saturating_add(usize::try_from(limit).unwrap_or(usize::MAX))
                    .min(total);
                let page: Vec<&Value> = selected[start..end].iter().map(|a| &a.body).collect();
                let mut answer = json!({"workflow_actions": page});
                if call.query("metadata") == Some("true") {
                    let link = |o: usize| {
                        let mut q = format!("api/workflow_actions?offset={o}&limit={limit}");
                        if let Some(w) = workflow {
                            q.push_str(&format!("&workflow_id={w}"));
                        }
                        Value::String(q)
                    };
                    answer["_metadata"] = json!({
                        "limit": limit,
                        "offset": offset,
                        "total": total,
                        "next": if end < total { link(end) } else { Value::Null },
                        "previous": if start > 0 { link(start.saturating_sub(usize::try_from(limit).unwrap_or(0))) } else { Value::Null },
                    });
                }
                Ok(Answer::json(200, answer))
            }
            other => Err(super::not_implemented(other)),
        }
    }
}

fn sort_key(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
