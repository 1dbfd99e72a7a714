//! `--rate R`: at most R requests per second over the whole run, shared by every worker.
//!
//! A token bucket in its GCRA form: each request reserves the next free slot, slots are `1/R` apart, and
//! a bucket of `burst` tokens lets that many go at once after a quiet spell. The default burst is 1, so
//! requests are evenly spaced: a server that counts requests in fixed windows (as the sandbox and most
//! gateways do) never sees more than R in a window from this run, and its 429s stay for what others send.
//! Every attempt takes a slot, retries included: the server counts those too.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// A shared limit of requests per second.
#[derive(Debug)]
pub struct RateLimiter {
    interval: Duration,
    tolerance: Duration,
    /// The theoretical arrival time of the next request.
    next: Mutex<Option<Instant>>,
}

impl RateLimiter {
    /// At most `per_second` requests per second (with bursts of up to `burst`).
    ///
    /// # Errors
    ///
    /// When `per_second` is not a positive finite number of at most one million, or `burst` is 0; the
    /// message names `--rate` or the burst.
    pub fn new(per_second: f64, burst: u32) -> Result<Self, String> {
        if !(per_second.is_finite() && per_second > 0.0 && per_second <= 1_000_000.0) {
            return Err(format!(
                "--rate must be a number of requests per second above 0 and at most 1000000, got {per_second}"
            ));
        }
        if burst == 0 {
            return Err("the rate limit's burst must be at least 1".to_string());
        }
        // A rate so small that one slot outlasts a `Duration` (1e-300 per second) is refused, not a panic.
        let interval = Duration::try_from_secs_f64(1.0 / per_second).map_err(|_| {
            format!("--rate {per_second} is too small: one request would wait longer than a Duration holds")
        })?;
        Ok(Self {
            interval,
            tolerance: interval.saturating_mul(burst - 1),
            next: Mutex::new(None),
        })
    }

    /// The time between two requests.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Waits for this request's slot.
    pub async fn acquire(&self) {
        let at = {
            let now = Instant::now();
            let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
            let tat = next.unwrap_or(now).max(now);
            let earliest = next
                .and_then(|n| n.checked_sub(self.tolerance))
                .unwrap_or(now)
                .max(now);
            *next = Some(tat + self.interval);
            earliest
        };
        tokio::time::sleep_until(at).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn requests_are_spaced_one_interval_apart_across_tasks() {
        let limiter = std::sync::Arc::new(RateLimiter::new(10.0, 1).unwrap());
        let start = Instant::now();
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let l = limiter.clone();
                tokio::spawn(async move {
                    l.acquire().await;
                    Instant::now() - start
                })
            })
            .collect();
        let mut times = Vec::new();
        for t in tasks {
            times.push(t.await.unwrap());
        }
        times.sort();
        for (i, t) in times.iter().enumerate() {
            assert_eq!(*t, Duration::from_millis(100) * u32::try_from(i).unwrap());
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_goes_at_once_then_the_rate_holds() {
        let limiter = RateLimiter::new(4.0, 3).unwrap();
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..5 {
            limiter.acquire().await;
            times.push(Instant::now() - start);
        }
        let ms = |n| Duration::from_millis(n);
        assert_eq!(times, [ms(0), ms(0), ms(0), ms(250), ms(500)]);
    }

    #[test]
    fn a_rate_that_is_not_a_positive_number_is_refused_naming_the_flag() {
        for bad in [
            0.0,
            -1.0,
            f64::NAN,
            f64::INFINITY,
            2e6,
            1e-300,
            f64::MIN_POSITIVE,
        ] {
            let e = RateLimiter::new(bad, 1).unwrap_err();
            assert!(e.contains("--rate"), "{e}");
        }
        assert!(RateLimiter::new(1.0, 0).is_err());
    }
}
