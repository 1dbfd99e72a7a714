//! `--wait`: polling an asynchronous job to its end with the client crates' `wait_for_*` helpers (an ISC
//! machine account request, a Huawei permission-set provisioning), after the call that started it or on the
//! call that reads it.

use std::time::Duration;

use idprov_runtime::wait::WaitOptions;
use idprov_runtime::{Error, ErrorKind};
use serde_json::Value;

use crate::api::Api;
use crate::clients::client_of;
use crate::{CallError, Clients, Params};

/// The operations `--wait` applies to: API, operationId, and the job it waits for, in words.
pub const WAITABLE: &[(Api, &str, &str)] = &[
    (
        Api::SailpointIsc,
        "create_machine_account_request",
        "machine account request",
    ),
    (
        Api::SailpointIsc,
        "get_account_request",
        "machine account request",
    ),
    (
        Api::HuaweicloudIdentitycenter,
        "provision_permission_set",
        "permission-set provisioning",
    ),
    (
        Api::HuaweicloudIdentitycenter,
        "get_permission_set_provisioning_status",
        "permission-set provisioning",
    ),
];

/// What `operation` of `api` waits for, if `--wait` applies to it.
pub fn job(api: Api, operation: &str) -> Option<&'static str> {
    WAITABLE
        .iter()
        .find(|(a, op, _)| *a == api && *op == operation)
        .map(|(_, _, job)| *job)
}

/// How long and how often `--wait` polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Polling {
    /// `--wait-timeout`: give up after this long.
    pub timeout: Duration,
    /// `--poll-interval`: the first pause between two looks (it grows by half each time, to 30 s at most).
    pub interval: Duration,
}

impl Default for Polling {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(600),
            interval: Duration::from_secs(1),
        }
    }
}

fn text<'a>(value: &'a Value, pointer: &str) -> Option<&'a str> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

fn missing(what: &str) -> CallError {
    CallError::Api(Error::new(
        ErrorKind::Decode,
        format!("the answer has no {what}, so there is nothing to wait for"),
    ))
}

fn to_json<T: serde::Serialize>(v: T) -> Result<Value, CallError> {
    serde_json::to_value(v).map_err(|e| CallError::Invalid {
        field: "answer".into(),
        message: format!("the job's state could not be shown as JSON: {e}"),
    })
}

/// Waits for the job that `answer` (the answer of `operation` called with `params`) names, and returns the
/// job's last state as JSON. A job that fails is a [`CallError::Api`] error of kind `JobFailed` carrying
/// the vendor's reason; the timeout, one of kind `Timeout`.
pub async fn wait(
    clients: &Clients,
    api: Api,
    operation: &str,
    params: &Params,
    answer: &Value,
    polling: Polling,
) -> Result<Value, CallError> {
    let options = WaitOptions {
        timeout: polling.timeout,
        initial_interval: polling.interval,
        max_interval: polling.interval.max(Duration::from_secs(30)),
    };
    match (api, operation) {
        (Api::SailpointIsc, "create_machine_account_request" | "get_account_request") => {
            let client = client_of!(clients, sailpoint_isc, api)?;
            let id = text(answer, "/accountRequestId")
                .or_else(|| params.get("accountRequestId").and_then(Value::as_str))
                .ok_or_else(|| missing("accountRequestId"))?;
            to_json(client.wait_for_account_request(id, options).await?)
        }
        (
            Api::HuaweicloudIdentitycenter,
            "provision_permission_set" | "get_permission_set_provisioning_status",
        ) => {
            let client = client_of!(clients, huaweicloud_identitycenter, api)?;
            let instance = params
                .get("instance_id")
                .and_then(Value::as_str)
                .ok_or_else(|| missing("instance_id"))?;
            let id = text(answer, "/permission_set_provisioning_status/request_id")
                .or_else(|| params.get("request_id").and_then(Value::as_str))
                .ok_or_else(|| missing("permission_set_provisioning_status.request_id"))?;
            to_json(client.wait_for_provisioning(instance, id, options).await?)
        }
        _ => Err(CallError::Invalid {
            field: "--wait".into(),
            message: format!(
                "--wait applies to {}; not to {operation} of {api}",
                WAITABLE
                    .iter()
                    .map(|(a, op, _)| format!("{a} {op}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_waitable_operation_exists_in_its_apis_table() {
        for (api, operation, _) in WAITABLE {
            assert!(api.command(operation).is_some(), "{api} {operation}");
        }
    }
}
