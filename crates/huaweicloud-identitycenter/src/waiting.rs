//! Waiting for a permission-set provisioning to finish.

use idprov_runtime::ErrorKind;
use idprov_runtime::wait::{JobState, WaitOptions, wait_for};

use crate::types::{PermissionSetProvisioningStatus, ProvisioningStatus};
use crate::{Client, Error};

impl Client {
    /// Polls the provisioning request `request_id` (from `provision_permission_set`) of `instance_id` until
    /// its status is `SUCCEEDED` (returns the last status) or `FAILED` (a [`ErrorKind::JobFailed`] error
    /// carrying Huawei's `failure_reason`); the deadline ends it with [`ErrorKind::Timeout`].
    pub async fn wait_for_provisioning(
        &self,
        instance_id: &str,
        request_id: &str,
        options: WaitOptions,
    ) -> Result<PermissionSetProvisioningStatus, Error> {
        let job = format!("permission-set provisioning {request_id}");
        wait_for(&job, options, || async {
            let answer = self
                .get_permission_set_provisioning_status()
                .instance_id(instance_id)
                .request_id(request_id)
                .send()
                .await?
                .into_inner();
            let status = answer.permission_set_provisioning_status.ok_or_else(|| {
                Error::new(
                    ErrorKind::Decode,
                    "the answer has no permission_set_provisioning_status",
                )
            })?;
            Ok(provisioning_state(status))
        })
        .await
    }
}

/// Classifies a provisioning status: `SUCCEEDED`, `FAILED` (with `failure_reason`), else running.
pub fn provisioning_state(
    status: PermissionSetProvisioningStatus,
) -> JobState<PermissionSetProvisioningStatus> {
    match status.status {
        Some(ProvisioningStatus::Succeeded) => JobState::Succeeded(status),
        Some(ProvisioningStatus::Failed) => JobState::Failed {
            reason: status
                .failure_reason
                .filter(|r| !r.trim().is_empty())
                .unwrap_or_else(|| "FAILED without a failure_reason".to_string()),
        },
        Some(ProvisioningStatus::InProgress) => JobState::Running("IN_PROGRESS".to_string()),
        None => JobState::Running("without a status".to_string()),
    }
}
