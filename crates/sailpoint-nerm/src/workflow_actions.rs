//! `WorkflowActionList::workflow_actions` read as a list whichever form NERM sends.
//!
//! NERM's docs say every collection answer is an array; SailPoint's own OpenAPI document types
//! `workflow_actions` as a single object. The spec takes both (`WorkflowActions`, a `oneOf`), and this
//! module makes either form read as a slice of workflow actions: `len`, `iter`, indexing and `for` loops
//! work on `types::WorkflowActions` directly, and `into_vec` gives the `Vec`.

use std::ops::Deref;

use crate::types::{WorkflowAction, WorkflowActions};

/// Either form NERM sends reads as a list:
///
/// ```
/// use idprov_sailpoint_nerm::types::WorkflowActionList;
///
/// let one: WorkflowActionList = serde_json::from_value(serde_json::json!({
///     "workflow_actions": {"workflow_id": "33f072dd-13b4-41e1-8ea0-16f2a59b57c8"}
/// })).unwrap();
/// let many: WorkflowActionList = serde_json::from_value(serde_json::json!({
///     "workflow_actions": [{"workflow_id": "33f072dd-13b4-41e1-8ea0-16f2a59b57c8"}]
/// })).unwrap();
/// assert_eq!(one.workflow_actions.len(), 1);
/// assert_eq!(one.workflow_actions.as_slice(), many.workflow_actions.as_slice());
/// for action in &many.workflow_actions {
///     assert_eq!(action.workflow_id.to_string(), "33f072dd-13b4-41e1-8ea0-16f2a59b57c8");
/// }
/// assert_eq!(many.workflow_actions.into_vec().len(), 1);
/// ```
impl WorkflowActions {
    /// The workflow actions, one or many, as a slice.
    pub fn as_slice(&self) -> &[WorkflowAction] {
        match self {
            Self::Array(actions) => actions,
            Self::WorkflowAction(action) => std::slice::from_ref(action),
        }
    }

    /// The workflow actions, one or many, as a `Vec`.
    pub fn into_vec(self) -> Vec<WorkflowAction> {
        match self {
            Self::Array(actions) => actions,
            Self::WorkflowAction(action) => vec![action],
        }
    }
}

impl Deref for WorkflowActions {
    type Target = [WorkflowAction];

    fn deref(&self) -> &[WorkflowAction] {
        self.as_slice()
    }
}

impl AsRef<[WorkflowAction]> for WorkflowActions {
    fn as_ref(&self) -> &[WorkflowAction] {
        self.as_slice()
    }
}

impl From<WorkflowActions> for Vec<WorkflowAction> {
    fn from(actions: WorkflowActions) -> Self {
        actions.into_vec()
    }
}

impl IntoIterator for WorkflowActions {
    type Item = WorkflowAction;
    type IntoIter = std::vec::IntoIter<WorkflowAction>;

    fn into_iter(self) -> Self::IntoIter {
        self.into_vec().into_iter()
    }
}

impl<'a> IntoIterator for &'a WorkflowActions {
    type Item = &'a WorkflowAction;
    type IntoIter = std::slice::Iter<'a, WorkflowAction>;

    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}
