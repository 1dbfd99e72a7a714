//! What the runtime knows about one operation, from the table idprov-codegen generates.

/// One operation of a generated client, as the runtime needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationMeta {
    /// The spec's operationId (equal to `progenitor_client::OperationInfo::operation_id`).
    pub operation_id: &'static str,
    /// Upper-case HTTP method.
    pub method: &'static str,
    /// The path template from the spec.
    pub path: &'static str,
    /// The documented success statuses.
    pub success_statuses: &'static [u16],
    /// The documented error statuses (`"400"`, `"4XX"`, `"default"`).
    pub error_statuses: &'static [&'static str],
    /// Whether a success answer carries a JSON body.
    pub json_response: bool,
    /// Required headers with a default, which the runtime sends on every call of this operation.
    pub fill_headers: &'static [(&'static str, &'static str)],
}
