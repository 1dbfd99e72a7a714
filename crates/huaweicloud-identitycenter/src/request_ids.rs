//! The request id a provisioning answer carries, which the next call (the status, the wait) needs.

use idprov_runtime::ErrorKind;

use crate::Error;
use crate::types::PermissionSetProvisioningStatusResponse;

impl PermissionSetProvisioningStatusResponse {
    /// The `permission_set_provisioning_status.request_id` of this answer, which
    /// [`Client::wait_for_provisioning`](crate::Client::wait_for_provisioning) and
    /// `get_permission_set_provisioning_status` take. An answer without it (or with an empty one) is a
    /// [`ErrorKind::Decode`] error naming the field, never an empty id.
    pub fn request_id(&self) -> Result<&str, Error> {
        self.permission_set_provisioning_status
            .as_ref()
            .and_then(|s| s.request_id.as_deref())
            .filter(|id| !id.trim().is_empty())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Decode,
                    "the answer has no permission_set_provisioning_status.request_id",
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(v: serde_json::Value) -> PermissionSetProvisioningStatusResponse {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn the_request_id_is_read_or_its_absence_is_an_error_naming_the_field() {
        let ok = answer(
            serde_json::json!({"permission_set_provisioning_status": {"request_id": "r-1"}}),
        );
        assert_eq!(ok.request_id().unwrap(), "r-1");
        for missing in [
            serde_json::json!({}),
            serde_json::json!({"permission_set_provisioning_status": {}}),
            serde_json::json!({"permission_set_provisioning_status": {"request_id": " "}}),
        ] {
            let err = answer(missing).request_id().unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Decode);
            assert!(err.message().contains("request_id"), "{err}");
        }
    }
}
