//! The bodies the loopback server answers and the error bodies the decoders are timed on, read from the
//! examples in `specs/*.yaml`, so a benchmark decodes what the vendor documents.
//!
//! Where a spec has no example of an error body (Seam, Huawei), one is written here in the shape the spec
//! documents, with the spec's own example values where it gives some.

use bytes::Bytes;
use serde_json::{Value, json};

use crate::BoxError;

/// Where the specs are.
pub const SPECS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs");

/// The tenant id the benchmarks use for single calls (the spec's example).
pub const TENANT: &str = "00000000-0000-0000-0000-000000000000";
/// The automation identity id the benchmarks get (the spec's example).
pub const IDENTITY: &str = "00000000-0000-0000-0000-000000000000";
/// The Huawei instance id of the provision call.
pub const HUAWEI_INSTANCE: &str = "ins-1a2b3c4d5e6f7a8b";
/// The Huawei permission set id of the provision call (the spec's example).
pub const HUAWEI_PERMISSION_SET: &str = "ps-8603aaaaaaaa14bd";
/// The NERM workflow whose actions the list call asks for (the spec's example of `workflow_id`).
pub const NERM_WORKFLOW: &str = "bba9cfb2-96c1-4acb-ac79-a21732527265";
/// The Seam request id the server answers with.
pub const SEAM_REQUEST_ID: &str = "req_7f2d1c9e";

/// Every body the benchmarks need, as the specs give them.
#[derive(Debug, Clone)]
pub struct Examples {
    /// AVEVA `get_automation_identity` 200: the `AutomationIdentity` example.
    pub aveva_identity: Value,
    /// ISC `create_machine_account_request` request body example.
    pub isc_request: Value,
    /// ISC `create_machine_account_request` 202 example.
    pub isc_accepted: Value,
    /// Huawei `provision_permission_set` request body example.
    pub huawei_request: Value,
    /// Huawei `provision_permission_set` 200 example.
    pub huawei_provisioned: Value,
    /// Seam `get_enrollment_automation` request body example.
    pub seam_request: Value,
    /// Seam `get_enrollment_automation` 200 example.
    pub seam_enrollment: Value,
    /// NERM `list_workflow_actions` 200: the `WorkflowActionList` example.
    pub nerm_actions: Value,
    /// One error body per vendor: (vendor, HTTP status, request-id header or none, body).
    pub errors: Vec<ErrorExample>,
}

/// A vendor's error answer, as the error decoder gets it.
#[derive(Debug, Clone)]
pub struct ErrorExample {
    /// The vendor, as its client crate declares it (`API.vendor`).
    pub vendor: &'static idprov_runtime::vendor::VendorProfile,
    /// A short name for the benchmark id.
    pub name: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// A request-id response header, when the vendor sends one.
    pub request_id_header: Option<(&'static str, &'static str)>,
    /// The raw body.
    pub body: Bytes,
}

fn load(file: &str) -> Result<Value, BoxError> {
    let path = format!("{SPECS_DIR}/{file}");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    Ok(serde_norway::from_str(&text).map_err(|e| format!("{path}: {e}"))?)
}

fn at(spec: &Value, file: &str, pointer: &str) -> Result<Value, BoxError> {
    spec.pointer(pointer)
        .cloned()
        .ok_or_else(|| format!("{file} has no example at {pointer}").into())
}

const JSON: &str = "/content/application~1json";

/// The example of the media type object at `pointer`: its `example`, else its named example `preferred`,
/// else its first named example (a spec may move from one form to the other).
fn media_example(
    spec: &Value,
    file: &str,
    pointer: &str,
    preferred: &str,
) -> Result<Value, BoxError> {
    let media = at(spec, file, pointer)?;
    if let Some(v) = media.get("example") {
        return Ok(v.clone());
    }
    let named = media
        .get("examples")
        .and_then(Value::as_object)
        .ok_or_else(|| format!("{file} has no example at {pointer}"))?;
    named
        .get(preferred)
        .or_else(|| named.values().next())
        .and_then(|e| e.get("value"))
        .cloned()
        .ok_or_else(|| format!("{file} has no example value at {pointer}/examples").into())
}

impl Examples {
    /// Reads the examples from the specs.
    pub fn from_specs() -> Result<Self, BoxError> {
        let aveva = load("aveva-connect.yaml")?;
        let isc = load("sailpoint-isc.yaml")?;
        let huawei = load("huaweicloud-identitycenter.yaml")?;
        let nerm = load("sailpoint-nerm.yaml")?;
        let seam = load("seam.yaml")?;

        let isc_op = "/paths/~1account-requests~1v1~1machine-account-create/post";
        let huawei_op = "/paths/~1v1~1instances~1{instance_id}~1permission-sets~1{permission_set_id}~1provision/post";
        let seam_op = "/paths/~1user_identities~1enrollment_automations~1get/post";

        let body = |v: Value| Bytes::from(v.to_string());
        let errors = vec![
            ErrorExample {
                vendor: idprov_aveva_connect::API.vendor,
                name: "aveva_404",
                status: 404,
                request_id_header: None,
                body: body(at(
                    &aveva,
                    "aveva-connect.yaml",
                    "/components/schemas/ErrorResponse/example",
                )?),
            },
            ErrorExample {
                vendor: idprov_sailpoint_isc::API.vendor,
                name: "isc_400",
                status: 400,
                request_id_header: None,
                body: body(media_example(
                    &isc,
                    "sailpoint-isc.yaml",
                    &format!("/components/responses/BadRequest{JSON}"),
                    "",
                )?),
            },
            ErrorExample {
                vendor: idprov_huaweicloud_identitycenter::API.vendor,
                name: "huawei_400",
                status: 400,
                request_id_header: Some(("x-request-id", "a1177591c8c7c49238e60563d34cad92")),
                // The spec documents {error_code, error_msg, request_id} without an example.
                body: body(json!({
                    "error_code": "IdentityCenter.1001",
                    "error_msg": "Invalid parameter: target_id.",
                    "request_id": "a1177591c8c7c49238e60563d34cad92"
                })),
            },
            ErrorExample {
                vendor: idprov_sailpoint_nerm::API.vendor,
                name: "nerm_400",
                status: 400,
                request_id_header: None,
                body: body(media_example(
                    &nerm,
                    "sailpoint-nerm.yaml",
                    &format!("/components/responses/BadRequest{JSON}"),
                    "ValidationErrors",
                )?),
            },
            ErrorExample {
                vendor: idprov_seam::API.vendor,
                name: "seam_400",
                status: 400,
                request_id_header: Some(("seam-request-id", SEAM_REQUEST_ID)),
                // SeamError / SeamErrorDetail / SeamValidationErrors as seam.yaml documents them.
                body: body(json!({
                    "error": {
                        "type": "invalid_input",
                        "message": "Invalid input",
                        "validation_errors": {
                            "_errors": [],
                            "device_id": {"_errors": ["Required"]}
                        }
                    },
                    "ok": false
                })),
            },
        ];

        Ok(Self {
            aveva_identity: at(
                &aveva,
                "aveva-connect.yaml",
                "/components/schemas/AutomationIdentity/example",
            )?,
            isc_request: media_example(
                &isc,
                "sailpoint-isc.yaml",
                &format!("{isc_op}/requestBody{JSON}"),
                "",
            )?,
            isc_accepted: media_example(
                &isc,
                "sailpoint-isc.yaml",
                &format!("{isc_op}/responses/202{JSON}"),
                "",
            )?,
            huawei_request: media_example(
                &huawei,
                "huaweicloud-identitycenter.yaml",
                &format!("{huawei_op}/requestBody{JSON}"),
                "",
            )?,
            huawei_provisioned: media_example(
                &huawei,
                "huaweicloud-identitycenter.yaml",
                &format!("{huawei_op}/responses/200{JSON}"),
                "",
            )?,
            seam_request: media_example(
                &seam,
                "seam.yaml",
                &format!("{seam_op}/requestBody{JSON}"),
                "",
            )?,
            seam_enrollment: media_example(
                &seam,
                "seam.yaml",
                &format!("{seam_op}/responses/200{JSON}"),
                "",
            )?,
            nerm_actions: at(
                &nerm,
                "sailpoint-nerm.yaml",
                "/components/schemas/WorkflowActionList/example",
            )?,
            errors,
        })
    }
}

/// A JSON object of exactly `len` bytes (at least 64) in the shape of a Huawei provision request, padded with a
/// `description` field: the body of the signing micro-benchmark.
pub fn json_body_of_len(len: usize) -> Bytes {
    let base = json!({
        "target_id": "5146d03d8aaaaaaaaaaaabbae60620a5",
        "target_type": "ACCOUNT",
        "description": ""
    })
    .to_string();
    let pad = len.saturating_sub(base.len());
    let body = json!({
        "target_id": "5146d03d8aaaaaaaaaaaabbae60620a5",
        "target_type": "ACCOUNT",
        "description": "x".repeat(pad)
    })
    .to_string();
    Bytes::from(body)
}
