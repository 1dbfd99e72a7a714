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

/// What the runtime needs to know about one API (each client crate has one, generated table included).
#[derive(Debug, Clone, Copy)]
pub struct ApiInfo {
    /// The vendor.
    pub vendor: crate::vendor::Vendor,
    /// The server the vendor documents, used when the user gives no base URL.
    pub default_base_url: &'static str,
    /// The generated operation table.
    pub operations: &'static [OperationMeta],
}

impl ApiInfo {
    /// The table entry of `operation_id`, if the API has it.
    pub fn operation(&self, operation_id: &str) -> Option<&'static OperationMeta> {
        self.operations
            .iter()
            .find(|o| o.operation_id == operation_id)
    }
}
