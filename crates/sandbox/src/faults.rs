//! Faults on demand: rate limits, fixed statuses, latency and broken connections, for one operation, one
//! vendor or everything; set at start ([`SandboxBuilder::fault`](crate::SandboxBuilder::fault)), in the
//! seed file (`faults:`), through the library ([`Sandbox::add_fault`](crate::Sandbox::add_fault)) or the
//! admin endpoint (`POST /_sandbox/faults`).
//!
//! Rules are checked in the order they were added. Every matching latency rule adds its delay; then the
//! first matching rule that answers (a rate limit over its limit, a status, a reset) decides the answer. A
//! rule with `times: Some(n)` acts on `n` requests and then lies dormant (a rate limit counts the 429s it
//! answered). Faults come before authentication, as at the vendor's gateway; the admin endpoint is never
//! faulted.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use crate::Vendor;

/// The operation name of the OAuth2 token endpoints (AVEVA `POST /identity/connect/token`, ISC
/// `POST /oauth/token`) in fault rules and the request log.
pub const TOKEN_OPERATION: &str = "token";

/// One fault rule: where it applies, what it does, and how many times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// The vendor whose requests it applies to; `None`: every vendor.
    #[serde(default)]
    pub vendor: Option<Vendor>,
    /// The operation (the spec's `operationId`, or [`TOKEN_OPERATION`]); `None`: every route of the vendor.
    #[serde(default)]
    pub operation: Option<String>,
    /// What it does.
    pub fault: Fault,
    /// How many requests it acts on; `None`: until the faults are cleared.
    #[serde(default)]
    pub times: Option<u32>,
}

impl FaultRule {
    /// `fault` on every request to every vendor.
    pub fn everywhere(fault: Fault) -> Self {
        Self {
            vendor: None,
            operation: None,
            fault,
            times: None,
        }
    }

    /// `fault` on every request to `vendor`.
    pub fn vendor(vendor: Vendor, fault: Fault) -> Self {
        Self {
            vendor: Some(vendor),
            ..Self::everywhere(fault)
        }
    }

    /// `fault` on the requests of one operation of `vendor` (its `operationId`, or [`TOKEN_OPERATION`]).
    pub fn operation(vendor: Vendor, operation: impl Into<String>, fault: Fault) -> Self {
        Self {
            vendor: Some(vendor),
            operation: Some(operation.into()),
            fault,
            times: None,
        }
    }

    /// The same rule, acting on `n` requests only.
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    fn matches(&self, vendor: Vendor, operation: Option<&str>) -> bool {
        self.vendor.is_none_or(|v| v == vendor)
            && self
                .operation
                .as_deref()
                .is_none_or(|o| Some(o) == operation)
    }
}

/// What a fault does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Fault {
    /// At most `requests` requests per `window_ms`; the others are answered 429 with `Retry-After` (the
    /// seconds until the window ends, at least 1) and the vendor's 429 body.
    RateLimit {
        /// Requests allowed per window.
        requests: u32,
        /// The window, in milliseconds.
        window_ms: u64,
    },
    /// Answer `status` instead of the vendor: 502 and 504 with a gateway's HTML page, any other status with
    /// the vendor's error body; `Retry-After: retry_after_secs` when given (503 with and without it are
    /// what clients treat differently).
    Status {
        /// The status.
        status: u16,
        /// The `Retry-After` header, in seconds.
        #[serde(default)]
        retry_after_secs: Option<u64>,
    },
    /// Wait `ms` milliseconds before handling the request.
    Latency {
        /// The delay, in milliseconds.
        ms: u64,
    },
    /// Read the request, then reset the connection (TCP RST) without answering.
    ResetBeforeAnswer,
    /// Send the answer's status, headers and part of its body, then reset the connection.
    ResetDuringAnswer,
}

impl Fault {
    /// [`Fault::RateLimit`]: `requests` per `window`.
    pub fn rate_limit(requests: u32, window: Duration) -> Self {
        Self::RateLimit {
            requests,
            window_ms: millis(window),
        }
    }

    /// [`Fault::Status`] without `Retry-After` (500, 502, 503, ...).
    pub fn status(status: u16) -> Self {
        Self::Status {
            status,
            retry_after_secs: None,
        }
    }

    /// 503 with `Retry-After: retry_after_secs`.
    pub fn unavailable_retry_after(retry_after_secs: u64) -> Self {
        Self::Status {
            status: 503,
            retry_after_secs: Some(retry_after_secs),
        }
    }

    /// 429 with `Retry-After: retry_after_secs` and the vendor's 429 body, whatever the rate (see
    /// [`Fault::rate_limit`] for a limit that counts requests).
    pub fn rate_limited_retry_after(retry_after_secs: u64) -> Self {
        Self::Status {
            status: 429,
            retry_after_secs: Some(retry_after_secs),
        }
    }

    /// [`Fault::Latency`] of `delay`.
    pub fn latency(delay: Duration) -> Self {
        Self::Latency { ms: millis(delay) }
    }

    fn describe(&self) -> String {
        match self {
            Self::RateLimit {
                requests,
                window_ms,
            } => format!("rate limit {requests} per {window_ms} ms"),
            Self::Status {
                status,
                retry_after_secs: Some(s),
            } => format!("status {status} with Retry-After {s}"),
            Self::Status { status, .. } => format!("status {status}"),
            Self::Latency { ms } => format!("latency {ms} ms"),
            Self::ResetBeforeAnswer => "reset before the answer".to_string(),
            Self::ResetDuringAnswer => "reset during the answer".to_string(),
        }
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// What the faults decided for one request.
#[derive(Debug, Default)]
pub(crate) struct Decision {
    /// The summed latency to wait first.
    pub(crate) delay: Duration,
    /// The answer that replaces the vendor's, if any.
    pub(crate) action: Option<Action>,
    /// What was injected, for the request log.
    pub(crate) applied: Vec<String>,
}

/// An answer a fault gives instead of the vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    /// 429 with this `Retry-After`.
    RateLimited { retry_after_secs: u64 },
    /// This status, with `Retry-After` when given.
    Status {
        status: u16,
        retry_after_secs: Option<u64>,
    },
    /// Reset without answering.
    ResetBefore,
    /// Reset in the middle of the answer.
    ResetDuring,
}

struct Active {
    rule: FaultRule,
    used: u32,
    window: Option<(Instant, u32)>,
}

/// The rules in force and their counters.
#[derive(Default)]
pub(crate) struct Faults {
    rules: Vec<Active>,
}

impl Faults {
    pub(crate) fn add(&mut self, rule: FaultRule) {
        self.rules.push(Active {
            rule,
            used: 0,
            window: None,
        });
    }

    pub(crate) fn clear(&mut self) {
        self.rules.clear();
    }

    pub(crate) fn rules(&self) -> Vec<FaultRule> {
        self.rules.iter().map(|a| a.rule.clone()).collect()
    }

    /// Decides the faults of one request of `operation` to `vendor`, and counts it.
    pub(crate) fn decide(
        &mut self,
        vendor: Vendor,
        operation: Option<&str>,
        now: Instant,
    ) -> Decision {
        let mut out = Decision::default();
        for active in &mut self.rules {
            if !active.rule.matches(vendor, operation) {
                continue;
            }
            if active.rule.times.is_some_and(|n| active.used >= n) {
                continue;
            }
            match active.rule.fault.clone() {
                Fault::Latency { ms } => {
                    active.used += 1;
                    out.delay = out.delay.saturating_add(Duration::from_millis(ms));
                    out.applied.push(active.rule.fault.describe());
                }
                _ if out.action.is_some() => {}
                Fault::RateLimit {
                    requests,
                    window_ms,
                } => {
                    let window = Duration::from_millis(window_ms.max(1));
                    let (start, count) = match active.window {
                        Some((start, count)) if now.duration_since(start) < window => {
                            (start, count)
                        }
                        _ => (now, 0),
                    };
                    if count < requests {
                        active.window = Some((start, count + 1));
                    } else {
                        active.window = Some((start, count));
                        active.used += 1;
                        let left = window.saturating_sub(now.duration_since(start));
                        let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
                        out.action = Some(Action::RateLimited {
                            retry_after_secs: secs.max(1),
                        });
                        out.applied.push(active.rule.fault.describe());
                    }
                }
                Fault::Status {
                    status,
                    retry_after_secs,
                } => {
                    active.used += 1;
                    out.action = Some(Action::Status {
                        status,
                        retry_after_secs,
                    });
                    out.applied.push(active.rule.fault.describe());
                }
                Fault::ResetBeforeAnswer => {
                    active.used += 1;
                    out.action = Some(Action::ResetBefore);
                    out.applied.push(active.rule.fault.describe());
                }
                Fault::ResetDuringAnswer => {
                    active.used += 1;
                    out.action = Some(Action::ResetDuring);
                    out.applied.push(active.rule.fault.describe());
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_limit_lets_n_through_per_window_then_says_how_long_to_wait() {
        let mut faults = Faults::default();
        faults.add(FaultRule::vendor(
            Vendor::Seam,
            Fault::rate_limit(2, Duration::from_millis(1500)),
        ));
        let t0 = Instant::now();
        assert!(faults.decide(Vendor::Seam, Some("x"), t0).action.is_none());
        assert!(faults.decide(Vendor::Seam, Some("x"), t0).action.is_none());
        assert_eq!(
            faults.decide(Vendor::Seam, Some("x"), t0).action,
            Some(Action::RateLimited {
                retry_after_secs: 2
            })
        );
        assert!(
            faults.decide(Vendor::Aveva, Some("x"), t0).action.is_none(),
            "another vendor"
        );
        let later = t0 + Duration::from_millis(1600);
        assert!(
            faults
                .decide(Vendor::Seam, Some("x"), later)
                .action
                .is_none(),
            "a new window"
        );
    }

    #[test]
    fn times_bounds_a_rule_and_the_first_answering_rule_wins_while_latencies_add_up() {
        let mut faults = Faults::default();
        faults.add(FaultRule::everywhere(Fault::latency(
            Duration::from_millis(5),
        )));
        faults.add(
            FaultRule::operation(Vendor::Isc, "get_account_request", Fault::status(500)).times(1),
        );
        faults.add(FaultRule::everywhere(Fault::latency(
            Duration::from_millis(7),
        )));
        faults.add(FaultRule::vendor(Vendor::Isc, Fault::ResetBeforeAnswer).times(1));
        let now = Instant::now();
        let first = faults.decide(Vendor::Isc, Some("get_account_request"), now);
        assert_eq!(first.delay, Duration::from_millis(12));
        assert_eq!(
            first.action,
            Some(Action::Status {
                status: 500,
                retry_after_secs: None
            })
        );
        let second = faults.decide(Vendor::Isc, Some("get_account_request"), now);
        assert_eq!(second.action, Some(Action::ResetBefore));
        let third = faults.decide(Vendor::Isc, Some("get_account_request"), now);
        assert_eq!(third.action, None);
    }

    #[test]
    fn rules_read_from_json_as_the_seed_and_admin_endpoint_write_them() {
        let rule: FaultRule = serde_json::from_str(
            r#"{"vendor": "huawei", "operation": "token", "fault": {"kind": "status", "status": 503, "retry_after_secs": 1}, "times": 2}"#,
        )
        .unwrap();
        assert_eq!(
            rule,
            FaultRule::operation(
                Vendor::Huawei,
                TOKEN_OPERATION,
                Fault::unavailable_retry_after(1)
            )
            .times(2)
        );
    }
}
