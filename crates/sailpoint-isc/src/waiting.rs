//! Waiting for a machine account creation request to finish.

use idprov_runtime::wait::{JobState, WaitOptions, wait_for};

use crate::types::{AccountRequestDetailsDto, AccountRequestPhaseState, AccountRequestPhaseType};
use crate::{Client, Error};

impl Client {
    /// Polls the account request `account_request_id` (from the 202 of `create_machine_account_request`)
    /// until every phase is finished. Returns the request's last state on success; a phase that failed, was
    /// rejected or cancelled ends the wait with a [`ErrorKind::JobFailed`](crate::ErrorKind::JobFailed) error carrying ISC's
    /// `errorDetails`; the deadline ends it with [`ErrorKind::Timeout`](crate::ErrorKind::Timeout).
    pub async fn wait_for_account_request(
        &self,
        account_request_id: &str,
        options: WaitOptions,
    ) -> Result<AccountRequestDetailsDto, Error> {
        let job = format!("machine account request {account_request_id}");
        wait_for(&job, options, || async {
            let details = self
                .get_account_request()
                .account_request_id(account_request_id)
                .send()
                .await?
                .into_inner();
            Ok(account_request_state(details))
        })
        .await
    }
}

/// Classifies an account request: failed if any phase failed, was rejected or cancelled (or the overall
/// status says so); succeeded when it has completed or its provisioning phase has finished and passed;
/// otherwise running.
pub fn account_request_state(
    details: AccountRequestDetailsDto,
) -> JobState<AccountRequestDetailsDto> {
    use AccountRequestPhaseState as S;
    let failed_phase = details
        .account_request_phases
        .iter()
        .find(|p| matches!(p.state, Some(S::Failed | S::Rejected | S::Cancelled)));
    let overall = details
        .overall_status
        .as_deref()
        .unwrap_or("")
        .to_ascii_uppercase();
    if failed_phase.is_some()
        || matches!(
            overall.as_str(),
            "FAILED" | "ERROR" | "REJECTED" | "CANCELLED"
        )
    {
        let phase = failed_phase
            .map(|p| format!("{} {}", name(p.name.as_ref()), state(p.state.as_ref())))
            .unwrap_or_else(|| format!("overall status {overall}"));
        let reason = match &details.error_details {
            Some(d) if !d.trim().is_empty() => format!("{phase}: {d}"),
            _ => phase,
        };
        return JobState::Failed { reason };
    }
    // Done when ISC says it completed, or when the provisioning phase (the last one) has passed; an approved
    // approval phase alone is not the end.
    let provisioned = details.account_request_phases.iter().any(|p| {
        matches!(p.name, Some(AccountRequestPhaseType::ProvisioningPhase))
            && p.finished.is_some()
            && matches!(p.state, Some(S::Passed | S::Approved))
    });
    if details.completed_at.is_some() || provisioned {
        return JobState::Succeeded(details);
    }
    let where_ = details
        .account_request_phases
        .iter()
        .map(|p| format!("{} {}", name(p.name.as_ref()), state(p.state.as_ref())))
        .collect::<Vec<_>>()
        .join(", ");
    JobState::Running(if where_.is_empty() {
        "without phases".to_string()
    } else {
        where_
    })
}

fn name<T: std::fmt::Display>(n: Option<&T>) -> String {
    n.map(|n| n.to_string())
        .unwrap_or_else(|| "phase".to_string())
}

fn state<T: std::fmt::Display>(s: Option<&T>) -> String {
    s.map(|s| s.to_string())
        .unwrap_or_else(|| "in an unknown state".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_page_size_is_the_specs_largest_limit() {
        let op = crate::API
            .operation("list_machine_account_create_access")
            .unwrap();
        let limit = op
            .integer_bounds
            .iter()
            .find(|(name, _, _)| *name == "limit")
            .unwrap();
        assert_eq!(limit.2, Some(i64::from(crate::MAX_PAGE_SIZE.get())));
    }

    fn details(v: serde_json::Value) -> AccountRequestDetailsDto {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn an_approved_approval_phase_alone_is_still_running() {
        let d = details(serde_json::json!({"accountRequestPhases": [
            {"name": "APPROVAL_PHASE", "state": "APPROVED", "finished": "2024-01-01T00:00:00Z"}
        ]}));
        assert!(
            matches!(account_request_state(d), JobState::Running(s) if s.contains("APPROVAL_PHASE APPROVED"))
        );
    }

    #[test]
    fn a_passed_provisioning_phase_is_done_and_a_rejected_approval_is_a_failure() {
        let done = details(serde_json::json!({"accountRequestPhases": [
            {"name": "APPROVAL_PHASE", "state": "APPROVED", "finished": "2024-01-01T00:00:00Z"},
            {"name": "PROVISIONING_PHASE", "state": "PASSED", "finished": "2024-01-01T00:01:00Z"}
        ]}));
        assert!(matches!(
            account_request_state(done),
            JobState::Succeeded(_)
        ));
        let rejected = details(serde_json::json!({
            "accountRequestPhases": [{"name": "APPROVAL_PHASE", "state": "REJECTED"}],
            "errorDetails": "owner declined"
        }));
        assert!(matches!(account_request_state(rejected),
            JobState::Failed { reason } if reason == "APPROVAL_PHASE REJECTED: owner declined"));
    }
}
