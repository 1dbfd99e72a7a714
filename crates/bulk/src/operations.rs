//! The APIs and operations a bulk run can call: their names, whether a call may be sent twice, and
//! where the answer's id is.
//!
//! **Idempotent** (re-sent after a crash without a lookup): every GET, HEAD, PUT and DELETE of the specs,
//! and Seam's `get_enrollment_automation`, `list_enrollment_automations` and `delete_enrollment_automation`,
//! which Seam sends as POST but which read, or delete by id. Every other operation is a create: after a
//! crash it is looked up, never re-sent blindly.
//!
//! **The id of a result line** is read from the answer with a JSON pointer per operation:
//!
//! | API | operations | pointer |
//! |---|---|---|
//! | seam | `launch_enrollment_automation`, `get_enrollment_automation` | `/enrollment_automation/enrollment_automation_id` |
//! | aveva-connect | `create_automation_identity`, `get_automation_identity`, `update_automation_identity` | `/Id` |
//! | sailpoint-isc | `create_machine_account_request` | `/accountRequestId` |
//! | sailpoint-isc | `get_account_request` | `/accountRequestId` |
//! | huaweicloud-identitycenter | `provision_permission_set`, `get_permission_set_provisioning_status` | `/permission_set_provisioning_status/request_id` |
//!
//! Other operations (lists, deletes, counts, NERM's create, whose answer has no id) have no id: their
//! result lines say `ok` without one.

use std::fmt;

use idprov_runtime::__private::OperationMeta;

/// One of the five APIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Api {
    /// Seam Connect (`idprov-seam`).
    Seam,
    /// AVEVA CONNECT (`idprov-aveva-connect`).
    AvevaConnect,
    /// SailPoint NERM (`idprov-sailpoint-nerm`).
    SailpointNerm,
    /// SailPoint ISC (`idprov-sailpoint-isc`).
    SailpointIsc,
    /// Huawei Cloud IAM Identity Center (`idprov-huaweicloud-identitycenter`).
    HuaweiIdentityCenter,
}

impl Api {
    /// All five.
    pub const ALL: [Api; 5] = [
        Self::Seam,
        Self::AvevaConnect,
        Self::SailpointNerm,
        Self::SailpointIsc,
        Self::HuaweiIdentityCenter,
    ];

    /// The API's name: its client crate's name without `idprov-` (`aveva-connect`).
    pub fn slug(self) -> &'static str {
        match self {
            Self::Seam => "seam",
            Self::AvevaConnect => "aveva-connect",
            Self::SailpointNerm => "sailpoint-nerm",
            Self::SailpointIsc => "sailpoint-isc",
            Self::HuaweiIdentityCenter => "huaweicloud-identitycenter",
        }
    }

    /// The API named `name`: its slug, or the short names `aveva`, `nerm`, `isc`, `huawei`.
    ///
    /// # Errors
    ///
    /// When no API has that name; the message lists the names.
    pub fn parse(name: &str) -> Result<Self, String> {
        let short = match name {
            "aveva" => Some(Self::AvevaConnect),
            "nerm" => Some(Self::SailpointNerm),
            "isc" => Some(Self::SailpointIsc),
            "huawei" => Some(Self::HuaweiIdentityCenter),
            _ => None,
        };
        short
            .or_else(|| Self::ALL.into_iter().find(|a| a.slug() == name))
            .ok_or_else(|| {
                format!(
                    "unknown API {name:?}: expected one of {}",
                    Self::ALL.map(Api::slug).join(", ")
                )
            })
    }

    /// The API's generated operation table.
    pub fn operations(self) -> &'static [OperationMeta] {
        match self {
            Self::Seam => idprov_seam::OPERATIONS,
            Self::AvevaConnect => idprov_aveva_connect::OPERATIONS,
            Self::SailpointNerm => idprov_sailpoint_nerm::OPERATIONS,
            Self::SailpointIsc => idprov_sailpoint_isc::OPERATIONS,
            Self::HuaweiIdentityCenter => idprov_huaweicloud_identitycenter::OPERATIONS,
        }
    }
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// One operation of one API, as a bulk run needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The API.
    pub api: Api,
    /// The spec's operationId.
    pub id: &'static str,
    /// Its HTTP method.
    pub method: &'static str,
}

impl Operation {
    /// The operation `operation_id` of `api`.
    ///
    /// # Errors
    ///
    /// When the API has no such operation; the message lists its operations.
    pub fn find(api: Api, operation_id: &str) -> Result<Self, String> {
        let table = api.operations();
        table
            .iter()
            .find(|m| m.operation_id == operation_id)
            .map(|m| Self {
                api,
                id: m.operation_id,
                method: m.method,
            })
            .ok_or_else(|| {
                let names: Vec<&str> = table.iter().map(|m| m.operation_id).collect();
                format!(
                    "{api} has no operation {operation_id:?}: expected one of {}",
                    names.join(", ")
                )
            })
    }

    /// Whether sending it twice cannot act twice (see the [module docs](self)).
    pub fn idempotent(&self) -> bool {
        matches!(self.method, "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS")
            || (self.api == Api::Seam
                && matches!(
                    self.id,
                    "get_enrollment_automation"
                        | "list_enrollment_automations"
                        | "delete_enrollment_automation"
                ))
    }

    /// The JSON pointer of the id in its answer, if it has one (see the [module docs](self)).
    pub fn id_pointer(&self) -> Option<&'static str> {
        ID_POINTERS
            .iter()
            .find(|(api, id, _)| *api == self.api && *id == self.id)
            .map(|(_, _, pointer)| *pointer)
    }
}

/// Where each operation's answer has its id: (API, operationId, JSON pointer).
pub const ID_POINTERS: &[(Api, &str, &str)] = &[
    (
        Api::Seam,
        "launch_enrollment_automation",
        "/enrollment_automation/enrollment_automation_id",
    ),
    (
        Api::Seam,
        "get_enrollment_automation",
        "/enrollment_automation/enrollment_automation_id",
    ),
    (Api::AvevaConnect, "create_automation_identity", "/Id"),
    (Api::AvevaConnect, "get_automation_identity", "/Id"),
    (Api::AvevaConnect, "update_automation_identity", "/Id"),
    (
        Api::SailpointIsc,
        "create_machine_account_request",
        "/accountRequestId",
    ),
    (
        Api::SailpointIsc,
        "get_account_request",
        "/accountRequestId",
    ),
    (
        Api::HuaweiIdentityCenter,
        "provision_permission_set",
        "/permission_set_provisioning_status/request_id",
    ),
    (
        Api::HuaweiIdentityCenter,
        "get_permission_set_provisioning_status",
        "/permission_set_provisioning_status/request_id",
    ),
];

/// The id at `pointer` in `answer`, as text (a string as it is, a number written out).
pub fn id_at(answer: &serde_json::Value, pointer: &str) -> Option<String> {
    match answer.pointer(pointer)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_are_not_idempotent_reads_and_deletes_are() {
        let op = |api, id| Operation::find(api, id).unwrap();
        assert!(!op(Api::AvevaConnect, "create_automation_identity").idempotent());
        assert!(op(Api::AvevaConnect, "delete_automation_identity").idempotent());
        assert!(op(Api::AvevaConnect, "update_automation_identity").idempotent());
        assert!(!op(Api::Seam, "launch_enrollment_automation").idempotent());
        assert!(op(Api::Seam, "get_enrollment_automation").idempotent());
        assert!(!op(Api::HuaweiIdentityCenter, "provision_permission_set").idempotent());
        assert!(!op(Api::SailpointNerm, "create_username_password_action").idempotent());
    }

    #[test]
    fn names_are_checked_and_refusals_list_what_exists() {
        assert_eq!(Api::parse("aveva"), Ok(Api::AvevaConnect));
        assert_eq!(
            Api::parse("huaweicloud-identitycenter"),
            Ok(Api::HuaweiIdentityCenter)
        );
        let e = Api::parse("okta").unwrap_err();
        assert!(e.contains("okta") && e.contains("sailpoint-isc"), "{e}");
        let e = Operation::find(Api::Seam, "launch").unwrap_err();
        assert!(e.contains("launch_enrollment_automation"), "{e}");
    }

    #[test]
    fn every_id_pointer_belongs_to_an_operation_of_its_api() {
        for (api, id, pointer) in ID_POINTERS {
            let op = Operation::find(*api, id).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(op.id_pointer(), Some(*pointer));
        }
        let seam = Operation::find(Api::Seam, "launch_enrollment_automation").unwrap();
        let answer =
            serde_json::json!({"enrollment_automation": {"enrollment_automation_id": "e-1"}});
        assert_eq!(
            id_at(&answer, seam.id_pointer().unwrap()).as_deref(),
            Some("e-1")
        );
        let list = Operation::find(Api::AvevaConnect, "list_automation_identities").unwrap();
        assert_eq!(list.id_pointer(), None);
    }
}
