//! AVEVA CONNECT: the automation identities of each tenant (PascalCase, unwrapped).

use std::collections::BTreeMap;

use serde_json::{Value, json};
use uuid::Uuid;

use super::Call;
use crate::answer::{Answer, Failure};
use crate::seed::AvevaSeed;
use crate::spec::{Problem, Violation};

#[derive(Clone)]
struct Identity {
    id: Uuid,
    name: Option<String>,
    role_ids: Vec<String>,
    tags: Vec<String>,
}

pub(crate) struct AvevaState {
    /// Tenant id (lower case) → (the id as seeded, its identities in creation order).
    tenants: BTreeMap<String, (String, Vec<Identity>)>,
    roles: BTreeMap<String, String>,
}

impl AvevaState {
    pub(crate) fn new(seed: &AvevaSeed) -> Self {
        let mut tenants: BTreeMap<String, (String, Vec<Identity>)> = seed
            .tenants
            .iter()
            .map(|t| (t.to_ascii_lowercase(), (t.clone(), Vec::new())))
            .collect();
        for i in &seed.automation_identities {
            let tenant = i
                .tenant_id
                .clone()
                .or_else(|| seed.tenants.first().cloned())
                .unwrap_or_default();
            let entry = tenants
                .entry(tenant.to_ascii_lowercase())
                .or_insert_with(|| (tenant.clone(), Vec::new()));
            entry.1.push(Identity {
                id: i.id.unwrap_or_else(crate::random_uuid),
                name: Some(i.name.clone()),
                role_ids: i.role_ids.clone(),
                tags: i.tags.clone(),
            });
        }
        Self {
            tenants,
            roles: seed.roles.clone(),
        }
    }

    fn show(&self, tenant: &str, i: &Identity) -> Value {
        let role_types: Vec<&String> = i
            .role_ids
            .iter()
            .filter_map(|r| self.roles.get(r))
            .collect();
        json!({
            "Id": i.id,
            "Name": i.name,
            "TenantId": tenant,
            "RoleIds": i.role_ids,
            "RoleTypeIds": role_types,
            "Tags": i.tags,
        })
    }

    pub(crate) fn handle(&mut self, call: &Call<'_>) -> Result<Answer, Failure> {
        let head = call.op.starts_with("count_") || call.op.starts_with("check_");
        let tenant_key = call.param("tenantId").to_ascii_lowercase();
        let Some((tenant, _)) = self.tenants.get(&tenant_key) else {
            return Err(Failure::not_found(
                "",
                format!("Tenant {} was not found.", call.param("tenantId")),
            ));
        };
        let tenant = tenant.clone();
        let identity_id = Uuid::parse_str(call.param("automationIdentityId")).unwrap_or_default();
        let tags = call.query_all("tag");
        let tagged =
            |i: &Identity| tags.is_empty() || i.tags.iter().any(|t| tags.contains(&t.as_str()));
        match call.op {
            "list_automation_identities" => {
                let skip = call.query_int("skip", 0);
                let count = call.query_int("count", 100);
                let mut bad = Vec::new();
                if skip < 0 {
                    bad.push(Violation::new("skip", Problem::TooSmall(0.0)));
                }
                if count < 0 {
                    bad.push(Violation::new("count", Problem::TooSmall(0.0)));
                }
                if !bad.is_empty() {
                    return Err(Failure::invalid(bad));
                }
                let all = self.identities(&tenant_key);
                let page: Vec<Value> = all
                    .iter()
                    .filter(|i| tagged(i))
                    .skip(usize::try_from(skip).unwrap_or(usize::MAX))
                    .take(usize::try_from(count).unwrap_or(usize::MAX))
                    .map(|i| self.show(&tenant, i))
                    .collect();
                Ok(Answer::json(200, Value::Array(page)))
            }
            "count_automation_identities" => {
                let n = self
                    .identities(&tenant_key)
                    .iter()
                    .filter(|i| tagged(i))
                    .count();
                Ok(Answer::empty(200).header("total-count", n.to_string()))
            }
            "create_automation_identity" => {
                let name = call.str_field("/Name").map(str::trim).unwrap_or("");
                if name.is_empty() {
                    return Err(Failure::invalid(vec![Violation::new(
                        "Name",
                        Problem::Missing,
                    )]));
                }
                self.refuse_duplicate(&tenant_key, name, None)?;
                let identity = Identity {
                    id: crate::random_uuid(),
                    name: Some(name.to_string()),
                    role_ids: strings(call.field("/RoleIds")),
                    tags: strings(call.field("/Tags")),
                };
                let shown = self.show(&tenant, &identity);
                if let Some((_, list)) = self.tenants.get_mut(&tenant_key) {
                    list.push(identity);
                }
                Ok(Answer::json(201, shown))
            }
            "get_automation_identity" | "check_automation_identity" => {
                let found = self
                    .identities(&tenant_key)
                    .iter()
                    .find(|i| i.id == identity_id)
                    .cloned();
                match found {
                    Some(_) if head => Ok(Answer::empty(200)),
                    Some(i) => Ok(Answer::json(200, self.show(&tenant, &i))),
                    None => Err(identity_not_found(identity_id)),
                }
            }
            "update_automation_identity" => {
                let name = call.str_field("/Name").map(str::trim).map(str::to_string);
                if let Some(n) = &name {
                    if n.is_empty() {
                        return Err(Failure::invalid(vec![Violation::new(
                            "Name",
                            Problem::Other("must not be empty".to_string()),
                        )]));
                    }
                    self.refuse_duplicate(&tenant_key, n, Some(identity_id))?;
                }
                let roles = call.field("/RoleIds").map(|v| strings(Some(v)));
                let tags = call.field("/Tags").map(|v| strings(Some(v)));
                let list = self.tenants.get_mut(&tenant_key).map(|(_, l)| l);
                let Some(identity) = list.and_then(|l| l.iter_mut().find(|i| i.id == identity_id))
                else {
                    return Err(identity_not_found(identity_id));
                };
                if let Some(n) = name {
                    identity.name = Some(n);
                }
                if let Some(r) = roles {
                    identity.role_ids = r;
                }
                if let Some(t) = tags {
                    identity.tags = t;
                }
                let identity = identity.clone();
                Ok(Answer::json(200, self.show(&tenant, &identity)))
            }
            "delete_automation_identity" => {
                let list = self.tenants.get_mut(&tenant_key).map(|(_, l)| l);
                let Some(list) = list else {
                    return Err(identity_not_found(identity_id));
                };
                let before = list.len();
                list.retain(|i| i.id != identity_id);
                if list.len() == before {
                    return Err(identity_not_found(identity_id));
                }
                Ok(Answer::empty(204))
            }
            other => Err(super::not_implemented(other)),
        }
    }

    fn identities(&self, tenant_key: &str) -> &[Identity] {
        self.tenants
            .get(tenant_key)
            .map(|(_, l)| l.as_slice())
            .unwrap_or(&[])
    }

    fn refuse_duplicate(
        &self,
        tenant_key: &str,
        name: &str,
        except: Option<Uuid>,
    ) -> Result<(), Failure> {
        let taken = self.identities(tenant_key).iter().any(|i| {
            Some(i.id) != except
                && i.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
        });
        if taken {
            return Err(Failure::new(
                409,
                "",
                format!("An automation identity named '{name}' already exists in the tenant."),
            ));
        }
        Ok(())
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn identity_not_found(id: Uuid) -> Failure {
    Failure::not_found("", format!("Automation identity {id} was not found."))
}
