//! The five APIs' state and operations. Each handler gets a request that has passed authentication and
//! the spec's validation, and applies the vendor's own rules (unknown ids, conflicts, exclusive fields).

pub(crate) mod aveva;
pub(crate) mod huawei;
pub(crate) mod isc;
pub(crate) mod nerm;
pub(crate) mod seam;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::Vendor;
use crate::answer::{Answer, Failure};
use crate::seed::Seed;

/// One validated request, as a handler sees it.
pub(crate) struct Call<'a> {
    pub(crate) op: &'a str,
    /// Path parameters, percent-decoded.
    pub(crate) params: &'a BTreeMap<String, String>,
    /// Query pairs, decoded, in order.
    pub(crate) query: &'a [(String, String)],
    pub(crate) body: Option<&'a Value>,
}

impl Call<'_> {
    pub(crate) fn param(&self, name: &str) -> &str {
        self.params.get(name).map(String::as_str).unwrap_or("")
    }

    /// The first value of query parameter `name`.
    pub(crate) fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of query parameter `name`.
    pub(crate) fn query_all(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// An integer query parameter (already validated), or `default`.
    pub(crate) fn query_int(&self, name: &str, default: i64) -> i64 {
        self.query(name)
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(default)
    }

    /// A member of the JSON body.
    pub(crate) fn field(&self, pointer: &str) -> Option<&Value> {
        self.body
            .and_then(|b| b.pointer(pointer))
            .filter(|v| !v.is_null())
    }

    pub(crate) fn str_field(&self, pointer: &str) -> Option<&str> {
        self.field(pointer).and_then(Value::as_str)
    }
}

/// The state of all five APIs.
pub(crate) struct State {
    pub(crate) seam: seam::SeamState,
    pub(crate) aveva: aveva::AvevaState,
    pub(crate) nerm: nerm::NermState,
    pub(crate) isc: isc::IscState,
    pub(crate) huawei: huawei::HuaweiState,
}

impl State {
    pub(crate) fn new(seed: &Seed) -> Self {
        Self {
            seam: seam::SeamState::new(&seed.seam),
            aveva: aveva::AvevaState::new(&seed.aveva),
            nerm: nerm::NermState::new(&seed.nerm),
            isc: isc::IscState::new(&seed.isc),
            huawei: huawei::HuaweiState::new(&seed.huawei),
        }
    }

    /// Runs one operation of `vendor`.
    pub(crate) fn dispatch(&mut self, vendor: Vendor, call: &Call<'_>) -> Result<Answer, Failure> {
        match vendor {
            Vendor::Seam => self.seam.handle(call),
            Vendor::Aveva => self.aveva.handle(call),
            Vendor::Nerm => self.nerm.handle(call),
            Vendor::Isc => self.isc.handle(call),
            Vendor::Huawei => self.huawei.handle(call),
        }
    }
}

/// An operation the sandbox routes but does not implement (a spec grew an operation).
pub(crate) fn not_implemented(op: &str) -> Failure {
    Failure::new(501, "", format!("the sandbox does not implement {op}"))
}
