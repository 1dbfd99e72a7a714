//! Waiting for an asynchronous job (a SailPoint machine-account request, a Huawei permission-set
//! provisioning): poll with backoff until the job is done, has failed, or the deadline passes.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::{Error, ErrorKind};

/// What one look at a job says.
#[derive(Debug, Clone, PartialEq)]
pub enum JobState<T> {
    /// Finished successfully; the value is the job's last state.
    Succeeded(T),
    /// Still running; the string describes where it is, for the timeout message.
    Running(String),
    /// Finished in failure, with the vendor's reason.
    Failed {
        /// The vendor's failure reason.
        reason: String,
    },
}

/// How long and how often to poll.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaitOptions {
    /// Give up after this long.
    pub timeout: Duration,
    /// The first pause between two looks.
    pub initial_interval: Duration,
    /// The longest pause between two looks (the pause grows by half each time).
    pub max_interval: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(600),
            initial_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(30),
        }
    }
}

/// Polls `look` until it reports success (returns its value), failure (a [`ErrorKind::JobFailed`] error
/// carrying the vendor's reason) or the timeout passes (a [`ErrorKind::Timeout`] error naming the job and
/// its last state). An error from `look` itself ends the wait with that error.
pub async fn wait_for<T, F, Fut>(job: &str, options: WaitOptions, mut look: F) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<JobState<T>, Error>>,
{
    let started = Instant::now();
    let mut interval = options.initial_interval;
    let mut looks = 0u32;
    loop {
        looks += 1;
        let last = match look().await? {
            JobState::Succeeded(v) => return Ok(v),
            JobState::Failed { reason } => {
                return Err(Error::new(
                    ErrorKind::JobFailed,
                    format!("{job} failed: {reason}"),
                ));
            }
            JobState::Running(state) => state,
        };
        let elapsed = started.elapsed();
        if elapsed.saturating_add(interval) > options.timeout {
            return Err(Error::new(
                ErrorKind::Timeout,
                format!(
                    "gave up waiting for {job} after {:.1}s and {looks} looks; it was still {last}",
                    elapsed.as_secs_f64()
                ),
            ));
        }
        tokio::time::sleep(interval).await;
        interval = interval
            .saturating_add(interval / 2)
            .min(options.max_interval);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quick() -> WaitOptions {
        WaitOptions {
            timeout: Duration::from_millis(200),
            initial_interval: Duration::from_millis(5),
            max_interval: Duration::from_millis(20),
        }
    }

    #[tokio::test]
    async fn wait_for_returns_the_value_once_the_job_succeeds() {
        let mut n = 0;
        let v = wait_for("job", quick(), || {
            n += 1;
            let state = if n < 3 {
                JobState::Running(format!("look {n}"))
            } else {
                JobState::Succeeded(n)
            };
            async move { Ok(state) }
        })
        .await
        .unwrap();
        assert_eq!(v, 3);
    }

    #[tokio::test]
    async fn wait_for_returns_the_vendor_reason_when_the_job_fails() {
        let err = wait_for::<(), _, _>("provisioning", quick(), || async {
            Ok(JobState::Failed {
                reason: "account is frozen".into(),
            })
        })
        .await
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::JobFailed);
        assert!(err.message().contains("account is frozen"), "{err}");
    }

    #[tokio::test]
    async fn extreme_intervals_and_timeouts_do_not_overflow() {
        let huge = WaitOptions {
            timeout: Duration::from_millis(50),
            initial_interval: Duration::MAX,
            max_interval: Duration::MAX,
        };
        let err = wait_for::<(), _, _>("job", huge, || async {
            Ok(JobState::Running("IN_PROGRESS".into()))
        })
        .await
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Timeout);
        let mut n = 0;
        let endless = WaitOptions {
            timeout: Duration::MAX,
            initial_interval: Duration::from_millis(1),
            max_interval: Duration::from_millis(2),
        };
        let v = wait_for("job", endless, || {
            n += 1;
            let state = if n < 4 {
                JobState::Running(String::new())
            } else {
                JobState::Succeeded(n)
            };
            async move { Ok(state) }
        })
        .await
        .unwrap();
        assert_eq!(v, 4);
    }

    #[tokio::test]
    async fn wait_for_times_out_naming_the_last_state() {
        let err = wait_for::<(), _, _>("provisioning", quick(), || async {
            Ok(JobState::Running("IN_PROGRESS".into()))
        })
        .await
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Timeout);
        assert!(err.message().contains("still IN_PROGRESS"), "{err}");
    }
}
