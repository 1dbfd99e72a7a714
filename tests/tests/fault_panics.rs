//! Fault suite, panics (issue 10): values a hostile server sends or a user configures — a `Retry-After`
//! beyond what a `Duration` holds, a token's `expires_in` of 1e30, a retry policy of `Duration::MAX` —
//! end in an answer or an error of every client, never in a panic or a hang.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly on unexpected values"
)]

mod fault;

use std::time::{Duration, Instant};

use fault::*;
use idprov_runtime::{ErrorKind, RetryPolicy};
use serde_json::json;

const HUGE_RETRY_AFTER: [&str; 3] = [
    "99999999999999999999999",
    "1e300",
    "Fri, 31 Dec 9999 23:59:59 GMT",
];

#[tokio::test]
async fn a_retry_after_beyond_any_duration_on_a_500_503_or_429_is_the_answer_of_every_client_not_a_panic()
 {
    let mut script = Vec::new();
    for status in [500u16, 503, 429] {
        for huge in HUGE_RETRY_AFTER {
            script.push((status, huge));
        }
    }
    for call in Call::ALL {
        let api = Hostile::playing(
            script
                .iter()
                .map(|(status, huge)| {
                    Answer::json(*status, &json!({"message": "come back later"}))
                        .header("Retry-After", huge)
                        .into()
                })
                .collect(),
        );
        let client = call
            .client(&api.base_url(), &Settings::default().retry(quick(3)))
            .unwrap();
        for (n, (status, huge)) in script.iter().copied().enumerate() {
            let err = call.send_fail(&client).await;
            let what = format!("{call:?} {status} Retry-After: {huge}: {err:?}");
            assert_eq!(err.status(), Some(status), "{what}");
            assert_eq!(err.kind(), ErrorKind::from_status(status), "{what}");
            // Longer than the policy honours (60 s): the answer stands, sent once.
            assert_eq!(api.count(), n + 1, "{what}");
            assert_eq!(err.attempts(), 1, "{what}");
            if huge.starts_with("Fri") {
                assert!(
                    err.retry_after().unwrap() > Duration::from_secs(200 * 365 * 86_400),
                    "{what}"
                );
            } else {
                assert_eq!(err.retry_after(), Some(Duration::MAX), "{what}");
            }
            // The server said it did not act on a 429 or a 503 with Retry-After; a 500 may have.
            assert_eq!(err.may_have_acted(), status == 500, "{what}");
            assert_eq!(err.is_retryable(), status != 500, "{what}");
            // Display prints the wait without overflowing.
            assert!(err.to_string().contains("retry after"), "{what}");
        }
    }
}

#[tokio::test]
async fn a_token_whose_expires_in_is_beyond_any_duration_is_used_not_a_panic() {
    let every = [
        "18446744073709551615",
        "99999999999999999999999",
        "1e30",
        "1.7976931348623157e308",
        "-5",
        "\"3600\"",
    ];
    for call in Call::OAUTH2 {
        // Every form through one client; the huge ones through every client.
        let forms = if call == Call::IscGet {
            &every[..]
        } else {
            &every[1..3]
        };
        for &expires_in in forms {
            let server = Hostile::start(routes(vec![
                (
                    TOKEN_PATH,
                    vec![Answer::token(ACCESS_TOKEN, expires_in).into()],
                ),
                ("/", vec![call.success().into()]),
            ]));
            let settings = Settings::default().oauth2(server.url(TOKEN_PATH));
            let done = within(LIMIT, call.run(&server.base_url(), &settings)).await;
            assert!(done.is_ok(), "{call:?} expires_in {expires_in}: {done:?}");
            let api: Vec<Received> = server
                .requests()
                .into_iter()
                .filter(|r| r.path() != TOKEN_PATH)
                .collect();
            assert_eq!(api.len(), 1, "{call:?} expires_in {expires_in}");
            assert_eq!(
                api[0].header("authorization"),
                Some(format!("Bearer {ACCESS_TOKEN}").as_str()),
                "the token was used"
            );
        }
    }
}

#[tokio::test]
async fn a_token_with_a_huge_expires_in_is_cached_for_the_next_call() {
    let server = Hostile::start(routes(vec![
        (TOKEN_PATH, vec![Answer::token(ACCESS_TOKEN, "1e30").into()]),
        ("/", vec![Call::IscGet.success().into()]),
    ]));
    let isc = idprov_sailpoint_isc::Client::with_config(
        idprov_sailpoint_isc::ClientConfig::new(
            idprov_sailpoint_isc::Credentials::ClientCredentials(client_credentials(
                &server.url(TOKEN_PATH),
            )),
        )
        .base_url(server.base_url()),
    )
    .unwrap();
    for _ in 0..3 {
        within(
            LIMIT,
            isc.get_account_request().account_request_id("req-1").send(),
        )
        .await
        .unwrap();
    }
    assert_eq!(server.count_of("POST", TOKEN_PATH), 1, "one token for all");
    assert_eq!(server.count_of("GET", "/account-requests"), 3);
}

fn policy(initial_backoff: Duration, max_backoff: Duration, deadline: Duration) -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff,
        max_backoff,
        max_retry_after: Duration::from_secs(60),
        deadline,
    }
}

#[tokio::test]
async fn a_deadline_of_duration_max_retries_as_usual_and_ends() {
    let ms = Duration::from_millis(10);
    for call in Call::GETS {
        let api = Hostile::playing(vec![
            Answer::new(502).into(),
            Answer::new(502).into(),
            call.success().into(),
        ]);
        let settings = Settings::default().retry(policy(ms, ms, Duration::MAX));
        let done = within(LIMIT, call.run(&api.base_url(), &settings)).await;
        assert!(done.is_ok(), "{call:?}: {done:?}");
        assert_eq!(api.count(), 3, "{call:?}");
    }
    // The OAuth2 token fetch runs within the same deadline.
    for call in Call::OAUTH2 {
        let server = Hostile::start(routes(vec![
            (TOKEN_PATH, vec![Answer::token(ACCESS_TOKEN, "3600").into()]),
            ("/", vec![call.success().into()]),
        ]));
        let settings = Settings::default()
            .retry(policy(ms, ms, Duration::MAX))
            .oauth2(server.url(TOKEN_PATH));
        let done = within(LIMIT, call.run(&server.base_url(), &settings)).await;
        assert!(done.is_ok(), "{call:?}: {done:?}");
    }
}

#[tokio::test]
async fn a_backoff_of_duration_max_ends_retrying_with_the_last_answer_at_once() {
    for call in Call::GETS {
        let api = Hostile::playing(vec![Answer::new(502).into()]);
        let settings =
            Settings::default().retry(policy(Duration::MAX, Duration::MAX, Duration::from_secs(5)));
        let started = Instant::now();
        let err = call.fail(&api.base_url(), &settings).await;
        assert_eq!(err.status(), Some(502), "{call:?}: {err:?}");
        assert_eq!(api.count(), 1, "no wait fits before the deadline: {call:?}");
        assert!(started.elapsed() < Duration::from_secs(3), "{call:?}");
    }
    // And a token endpoint's 429 without Retry-After, whose backoff is as long.
    for call in Call::OAUTH2 {
        let server = Hostile::start(routes(vec![
            (TOKEN_PATH, vec![Answer::new(429).into()]),
            ("/", vec![call.success().into()]),
        ]));
        let settings = Settings::default()
            .retry(policy(Duration::MAX, Duration::MAX, Duration::from_secs(5)))
            .oauth2(server.url(TOKEN_PATH));
        let started = Instant::now();
        let err = call.fail(&server.base_url(), &settings).await;
        assert_eq!(err.kind(), ErrorKind::RateLimited, "{call:?}: {err:?}");
        assert_eq!(server.count_of("POST", TOKEN_PATH), 1, "{call:?}");
        assert_eq!(server.count(), 1, "nothing reached the API: {call:?}");
        assert!(started.elapsed() < Duration::from_secs(3), "{call:?}");
    }
}

#[tokio::test]
async fn every_duration_of_the_policy_at_duration_max_with_one_attempt_answers_at_once() {
    for call in Call::ALL {
        let api = Hostile::playing(vec![Answer::new(429).header("Retry-After", "1").into()]);
        let settings = Settings::default().retry(RetryPolicy {
            max_attempts: 1,
            initial_backoff: Duration::MAX,
            max_backoff: Duration::MAX,
            max_retry_after: Duration::MAX,
            deadline: Duration::MAX,
        });
        let err = call.fail(&api.base_url(), &settings).await;
        assert_eq!(err.kind(), ErrorKind::RateLimited, "{call:?}: {err:?}");
        assert_eq!(err.retry_after(), Some(Duration::from_secs(1)));
        assert_eq!(api.count(), 1, "{call:?}");
    }
}

#[tokio::test]
async fn a_retry_after_of_duration_max_that_the_policy_would_honour_is_cut_by_the_deadline() {
    for call in Call::ALL {
        let api = Hostile::playing(vec![
            Answer::new(429)
                .header("Retry-After", "99999999999999999999999")
                .into(),
        ]);
        let settings = Settings::default().retry(RetryPolicy {
            max_retry_after: Duration::MAX,
            deadline: Duration::from_secs(5),
            ..quick(3)
        });
        let started = Instant::now();
        let err = call.fail(&api.base_url(), &settings).await;
        assert_eq!(err.kind(), ErrorKind::RateLimited, "{call:?}: {err:?}");
        assert_eq!(err.retry_after(), Some(Duration::MAX));
        assert_eq!(api.count(), 1, "{call:?}");
        assert!(started.elapsed() < Duration::from_secs(3), "{call:?}");
    }
}
