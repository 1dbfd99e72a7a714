//! idprov-runtime: the glue every idprov client shares.
//!
//! Work in progress; see the modules.

pub mod operation;

pub use operation::OperationMeta;

/// The runtime state a generated client carries as its inner value.
#[derive(Debug, Clone, Default)]
pub struct Runtime {}
