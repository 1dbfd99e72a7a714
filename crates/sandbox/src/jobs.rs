//! How the sandbox's asynchronous jobs (ISC machine account requests, Huawei provisioning) progress: by
//! themselves after a while ([`JobPlan::duration_ms`]), or when a test says so
//! ([`Sandbox::finish_job`](crate::Sandbox::finish_job)).

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How a job ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case", deny_unknown_fields)]
pub enum Outcome {
    /// It succeeds (ISC `SUCCESS` with a passed provisioning phase; Huawei `SUCCEEDED`).
    Succeed,
    /// It fails with the vendor's failure detail (ISC `errorDetails` and a failed provisioning phase;
    /// Huawei `FAILED` with `failure_reason`).
    Fail {
        /// The vendor's words for why.
        reason: String,
    },
}

impl Outcome {
    /// A failure with `reason`.
    pub fn fail(reason: impl Into<String>) -> Self {
        Self::Fail {
            reason: reason.into(),
        }
    }
}

/// How new jobs progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JobPlan {
    /// How long a job runs before it ends by itself, in milliseconds; `None`: it runs until a test ends it.
    /// An ISC request's approval phase is approved half-way.
    pub duration_ms: Option<u64>,
    /// How a job that ends by itself ends.
    pub outcome: Outcome,
}

impl Default for JobPlan {
    /// Jobs succeed by themselves after 200 ms.
    fn default() -> Self {
        Self {
            duration_ms: Some(200),
            outcome: Outcome::Succeed,
        }
    }
}

impl JobPlan {
    /// Jobs that end with `outcome` after `duration`.
    pub fn after(duration: Duration, outcome: Outcome) -> Self {
        Self {
            duration_ms: Some(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)),
            outcome,
        }
    }

    /// Jobs that run until a test ends them with [`Sandbox::finish_job`](crate::Sandbox::finish_job).
    pub fn manual() -> Self {
        Self {
            duration_ms: None,
            outcome: Outcome::Succeed,
        }
    }

    pub(crate) fn duration(&self) -> Option<Duration> {
        self.duration_ms.map(Duration::from_millis)
    }
}

/// Where a job stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Started, nothing done yet.
    Started,
    /// Half-way (ISC: approved, provisioning), since this time.
    Halfway(chrono::DateTime<chrono::Utc>),
    /// Ended, at this time.
    Ended(Outcome, chrono::DateTime<chrono::Utc>),
}

/// One asynchronous job.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    started: tokio::time::Instant,
    pub(crate) started_at: chrono::DateTime<chrono::Utc>,
    plan: JobPlan,
    forced: Option<(Outcome, chrono::DateTime<chrono::Utc>)>,
}

impl Job {
    pub(crate) fn start(plan: &JobPlan) -> Self {
        Self {
            started: tokio::time::Instant::now(),
            started_at: chrono::Utc::now(),
            plan: plan.clone(),
            forced: None,
        }
    }

    fn wall(&self, after: Duration) -> chrono::DateTime<chrono::Utc> {
        chrono::Duration::from_std(after)
            .ok()
            .and_then(|d| self.started_at.checked_add_signed(d))
            .unwrap_or(self.started_at)
    }

    /// Ends the job now with `outcome`, unless it has already ended; whether it was still running.
    pub(crate) fn finish(&mut self, outcome: Outcome) -> bool {
        if matches!(self.stage(), Stage::Ended(..)) {
            return false;
        }
        self.forced = Some((outcome, chrono::Utc::now()));
        true
    }

    pub(crate) fn stage(&self) -> Stage {
        if let Some((outcome, at)) = &self.forced {
            return Stage::Ended(outcome.clone(), *at);
        }
        let Some(total) = self.plan.duration() else {
            return Stage::Started;
        };
        let elapsed = self.started.elapsed();
        if elapsed >= total {
            Stage::Ended(self.plan.outcome.clone(), self.wall(total))
        } else if elapsed >= total / 2 {
            Stage::Halfway(self.wall(total / 2))
        } else {
            Stage::Started
        }
    }
}
