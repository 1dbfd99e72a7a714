//! The shared rate-limit gate: one rate-limited answer pauses every worker until the time it names.
//!
//! A 429 (or a 503 with `Retry-After`) is the server speaking about the caller, not about one request:
//! the other workers' next requests would be refused too. So the worker that got it closes the gate until
//! `now + Retry-After`, every worker waits at the gate before each attempt, and the refused line is then
//! sent again (the server did not act on it). A later refusal can only move the reopening later.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::time::Instant;

/// How long a gate closes at most for one answer (a `Retry-After` beyond it is capped to it).
pub const MAX_CLOSE: Duration = Duration::from_secs(24 * 3600);

/// The gate every worker of a run passes before each attempt.
#[derive(Debug, Default)]
pub struct Gate {
    until: Mutex<Option<Instant>>,
    closings: AtomicU64,
}

impl Gate {
    /// An open gate.
    pub fn new() -> Self {
        Self::default()
    }

    /// Closes the gate for `wait` from now (kept closed longer if it already is).
    pub fn close_for(&self, wait: Duration) {
        let now = Instant::now();
        let until = now
            .checked_add(wait.min(MAX_CLOSE))
            .unwrap_or(now + MAX_CLOSE);
        let mut current = self.until.lock().unwrap_or_else(|p| p.into_inner());
        if current.is_none_or(|t| t < until) {
            *current = Some(until);
        }
        self.closings.fetch_add(1, Ordering::Relaxed);
    }

    /// Waits until the gate is open.
    pub async fn wait(&self) {
        loop {
            let until = *self.until.lock().unwrap_or_else(|p| p.into_inner());
            match until {
                Some(t) if t > Instant::now() => tokio::time::sleep_until(t).await,
                _ => return,
            }
        }
    }

    /// How many times the gate was closed (the rate-limited answers the run got).
    pub fn closings(&self) -> u64 {
        self.closings.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_closed_gate_holds_every_waiter_until_the_latest_reopening() {
        let gate = std::sync::Arc::new(Gate::new());
        let start = Instant::now();
        gate.close_for(Duration::from_secs(2));
        gate.close_for(Duration::from_secs(1));
        let waiters: Vec<_> = (0..3)
            .map(|_| {
                let gate = gate.clone();
                tokio::spawn(async move {
                    gate.wait().await;
                    Instant::now()
                })
            })
            .collect();
        for w in waiters {
            assert_eq!(w.await.unwrap() - start, Duration::from_secs(2));
        }
        assert_eq!(gate.closings(), 2);
        let before = Instant::now();
        gate.wait().await;
        assert_eq!(Instant::now(), before, "an open gate does not wait");
    }

    #[tokio::test(start_paused = true)]
    async fn a_huge_retry_after_is_capped_instead_of_overflowing() {
        let gate = Gate::new();
        let start = Instant::now();
        gate.close_for(Duration::MAX);
        gate.wait().await;
        assert_eq!(Instant::now() - start, MAX_CLOSE);
    }
}
