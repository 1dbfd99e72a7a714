//! When a request is sent again, and how long to wait first.
//!
//! The rule, for every client:
//!
//! | outcome | GET, HEAD, PUT, DELETE, OPTIONS | POST, PATCH |
//! |---|---|---|
//! | 429 Too Many Requests | retried | retried: the server refused before acting |
//! | 503 with `Retry-After` | retried | retried: the server says it did not act |
//! | 502, 503, 504 without `Retry-After` | retried | **not** retried: the server may have acted |
//! | connection refused / not established | retried | retried: nothing reached the server |
//! | other transport failure, timeout | retried | **not** retried |
//! | a success whose body breaks off while it is read | retried | **not** retried: the server acted |
//! | 500 and every other status | not retried | not retried |
//!
//! The wait is the server's `Retry-After` (seconds or an HTTP date) when it gives one, otherwise exponential
//! backoff with jitter. Retrying stops after [`RetryPolicy::max_attempts`] attempts, or earlier when the next
//! wait would pass the overall [`RetryPolicy::deadline`]; the last answer is then returned as the error.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

/// How a client retries; see the [module docs](self) for which failures are retried.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included (1 disables retries).
    pub max_attempts: u32,
    /// The first backoff wait; it doubles on each retry.
    pub initial_backoff: Duration,
    /// The longest backoff wait.
    pub max_backoff: Duration,
    /// The longest `Retry-After` the client will honour; a longer one ends retrying with a rate-limit error.
    pub max_retry_after: Duration,
    /// The overall time budget of one call, all attempts and waits included.
    pub deadline: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            deadline: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The backoff before retry number `retry` (1 for the first retry): exponential, capped, with jitter in
    /// the upper half so waits never collapse to zero.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)));
        let capped = exp.min(self.max_backoff);
        let half = capped / 2;
        let jitter =
            Duration::try_from_secs_f64(half.as_secs_f64() * fastrand::f64()).unwrap_or(half);
        half.saturating_add(jitter.min(half))
    }
}

/// Whether a method is idempotent, so that resending it cannot act twice.
pub fn is_idempotent(method: &reqwest::Method) -> bool {
    matches!(
        *method,
        reqwest::Method::GET
            | reqwest::Method::HEAD
            | reqwest::Method::PUT
            | reqwest::Method::DELETE
            | reqwest::Method::OPTIONS
    )
}

/// What to do after an attempt that got an HTTP answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Return the answer.
    Stop,
    /// Retry, after the server's `Retry-After` if it gave one.
    Retry(Option<Duration>),
}

/// Decides whether an answer with `status` and `headers` is retried for a request of `method`.
pub fn decide_status(
    method: &reqwest::Method,
    status: u16,
    headers: &HeaderMap,
    now: SystemTime,
) -> Decision {
    let retry_after = retry_after(headers, now);
    match status {
        429 => Decision::Retry(retry_after),
        503 if retry_after.is_some() => Decision::Retry(retry_after),
        502..=504 if is_idempotent(method) => Decision::Retry(retry_after),
        _ => Decision::Stop,
    }
}

/// Decides whether a transport failure is retried for a request of `method`.
pub fn decide_transport(method: &reqwest::Method, err: &reqwest::Error) -> Decision {
    if err.is_connect() || is_idempotent(method) && (err.is_timeout() || err.is_request()) {
        Decision::Retry(None)
    } else {
        Decision::Stop
    }
}

/// Parses `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3); a date in the past is zero,
/// a delay too long for a `Duration` is [`Duration::MAX`] (longer than any policy waits).
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let v = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = v.parse::<f64>() {
        return (secs >= 0.0).then(|| Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(reqwest::header::RETRY_AFTER, v.parse().unwrap());
        h
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(
            retry_after(&headers("7"), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&headers("Sun, 06 Nov 1994 08:50:07 GMT"), now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after(&headers("Sun, 06 Nov 1994 08:00:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn retry_after_beyond_what_a_duration_holds_saturates_instead_of_panicking() {
        let now = SystemTime::now();
        for huge in [
            "99999999999999999999999999",
            "1e300",
            "inf",
            "18446744073709551616.5",
        ] {
            assert_eq!(
                retry_after(&headers(huge), now),
                Some(Duration::MAX),
                "{huge}"
            );
        }
        for refused in ["-1", "-inf", "NaN", "1e", ""] {
            assert_eq!(retry_after(&headers(refused), now), None, "{refused:?}");
        }
        assert_eq!(
            retry_after(&headers("1.5"), now),
            Some(Duration::from_millis(1500))
        );
    }

    #[test]
    fn backoff_of_extreme_policies_saturates() {
        let p = RetryPolicy {
            initial_backoff: Duration::MAX,
            max_backoff: Duration::MAX,
            ..RetryPolicy::default()
        };
        for retry in [0, 1, 2, 63, 64, u32::MAX] {
            assert!(p.backoff(retry) >= Duration::MAX / 2, "{retry}");
        }
    }

    #[test]
    fn post_is_retried_only_where_the_server_cannot_have_acted() {
        let now = SystemTime::now();
        let post = reqwest::Method::POST;
        let get = reqwest::Method::GET;
        assert_eq!(
            decide_status(&post, 429, &HeaderMap::new(), now),
            Decision::Retry(None)
        );
        assert_eq!(
            decide_status(&post, 503, &headers("2"), now),
            Decision::Retry(Some(Duration::from_secs(2)))
        );
        assert_eq!(
            decide_status(&post, 503, &HeaderMap::new(), now),
            Decision::Stop
        );
        assert_eq!(
            decide_status(&post, 502, &HeaderMap::new(), now),
            Decision::Stop
        );
        assert_eq!(
            decide_status(&post, 500, &HeaderMap::new(), now),
            Decision::Stop
        );
        assert_eq!(
            decide_status(&get, 502, &HeaderMap::new(), now),
            Decision::Retry(None)
        );
        assert_eq!(
            decide_status(&get, 500, &HeaderMap::new(), now),
            Decision::Stop
        );
        assert_eq!(
            decide_status(&get, 404, &HeaderMap::new(), now),
            Decision::Stop
        );
    }

    #[test]
    fn backoff_grows_exponentially_within_its_cap() {
        let p = RetryPolicy {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
            ..RetryPolicy::default()
        };
        for _ in 0..50 {
            let b1 = p.backoff(1);
            assert!(
                b1 >= Duration::from_millis(50) && b1 <= Duration::from_millis(100),
                "{b1:?}"
            );
            let b2 = p.backoff(2);
            assert!(
                b2 >= Duration::from_millis(100) && b2 <= Duration::from_millis(200),
                "{b2:?}"
            );
            let b5 = p.backoff(5);
            assert!(
                b5 >= Duration::from_millis(175) && b5 <= Duration::from_millis(350),
                "{b5:?}"
            );
        }
    }
}
