//! Fault suite, retries (issue 10): what is sent again and what the caller gets when retrying ends. A run
//! of 429s cut by the deadline ends with the last 429 (status, Retry-After), not a bare timeout; a token
//! endpoint that hangs is bounded by the call's deadline; one that answers 429 (or 503 with Retry-After)
//! and then a token lets the call succeed; a connection reset before the answer is retried for a GET and
//! never for a POST (no duplicate POST), as are 502/503/504.

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

#[tokio::test]
async fn a_deadline_cutting_a_run_of_429s_returns_the_last_429_with_its_retry_after() {
    let deadline = Duration::from_millis(2500);
    let settings = Settings::default().retry(RetryPolicy {
        max_attempts: 10,
        deadline,
        ..quick(10)
    });
    // Servers and clients first: building a client blocks the thread, which would stretch the
    // attempts of the calls already running.
    let runs: Vec<(Call, Hostile, AnyClient)> = Call::ALL
        .into_iter()
        .map(|call| {
            let api = Hostile::playing(vec![
                Answer::json(429, &call.error_body("slow down"))
                    .header("Retry-After", "1")
                    .into(),
            ]);
            let client = call.client(&api.base_url(), &settings).unwrap();
            (call, api, client)
        })
        .collect();
    futures::future::join_all(runs.iter().map(|(call, api, client)| async move {
        let started = Instant::now();
        let err = call.send_fail(client).await;
        let took = started.elapsed();
        let what = format!("{call:?} after {took:?}: {err:?}");
        // Attempts at 0 s, 1 s and 2 s; one at 3 s would pass the deadline, so none is started and the
        // last 429 is the answer.
        assert_eq!(err.kind(), ErrorKind::RateLimited, "{what}");
        assert_eq!(err.status(), Some(429), "{what}");
        assert_eq!(err.retry_after(), Some(Duration::from_secs(1)), "{what}");
        assert_eq!(err.message(), "slow down", "{what}");
        assert!(err.is_retryable(), "{what}");
        assert!(!err.may_have_acted(), "{what}");
        assert!(took < deadline, "{what}");
        // Three attempts on a quiet machine; fewer when a slow attempt leaves too little time for another.
        assert!((2..=3).contains(&err.attempts()), "{what}");
        assert_eq!(api.count(), err.attempts() as usize, "{what}");
        assert!(
            err.to_string()
                .contains(&format!("after {} attempts", err.attempts())),
            "{what}"
        );
    }))
    .await;
}

#[tokio::test]
async fn a_hanging_token_endpoint_is_bounded_by_a_1s_deadline() {
    let runs: Vec<(Call, Hostile, AnyClient)> = Call::OAUTH2
        .into_iter()
        .map(|call| {
            let server = Hostile::start(routes(vec![
                (TOKEN_PATH, vec![Behaviour::Hang]),
                ("/", vec![call.success().into()]),
            ]));
            let settings = Settings::default()
                .retry(RetryPolicy {
                    deadline: Duration::from_secs(1),
                    ..quick(3)
                })
                .oauth2(server.url(TOKEN_PATH));
            let client = call.client(&server.base_url(), &settings).unwrap();
            (call, server, client)
        })
        .collect();
    futures::future::join_all(runs.iter().map(|(call, server, client)| async move {
        let started = Instant::now();
        let err = call.send_fail(client).await;
        let took = started.elapsed();
        let what = format!("{call:?} after {took:?}: {err:?}");
        assert!(
            took >= Duration::from_millis(900) && took < Duration::from_millis(2000),
            "{what}"
        );
        assert_eq!(err.kind(), ErrorKind::Timeout, "{what}");
        assert_eq!(err.vendor(), Some(call.vendor()), "{what}");
        assert_eq!(err.operation_id(), Some(call.operation_id()), "{what}");
        assert_eq!(err.host(), Some("127.0.0.1"), "{what}");
        assert!(!err.may_have_acted(), "nothing reached the API: {what}");
        assert_eq!(server.count_of("POST", TOKEN_PATH), 1, "{what}");
        assert_eq!(server.count(), 1, "nothing reached the API: {what}");
    }))
    .await;
}

#[tokio::test]
async fn a_token_endpoint_that_is_busy_then_answers_lets_the_call_succeed() {
    for busy in [
        Answer::json(429, &json!({"error": "slow_down"})).header("Retry-After", "1"),
        Answer::new(429),
        Answer::new(503).header("Retry-After", "0"),
    ] {
        let busy = &busy;
        each(&Call::OAUTH2, |call| async move {
            let server = Hostile::start(routes(vec![
                (
                    TOKEN_PATH,
                    vec![
                        busy.clone().into(),
                        Answer::token(ACCESS_TOKEN, "3600").into(),
                    ],
                ),
                ("/", vec![call.success().into()]),
            ]));
            let settings = Settings::default()
                .retry(quick(3))
                .oauth2(server.url(TOKEN_PATH));
            let done = within(LIMIT, call.run(&server.base_url(), &settings)).await;
            let what = format!("{call:?} after {} {:?}", busy.status, busy.headers);
            assert!(done.is_ok(), "{what}: {done:?}");
            assert_eq!(server.count_of("POST", TOKEN_PATH), 2, "{what}");
            let api: Vec<Received> = server
                .requests()
                .into_iter()
                .filter(|r| r.path() != TOKEN_PATH)
                .collect();
            assert_eq!(api.len(), 1, "{what}");
            assert_eq!(
                api[0].header("authorization"),
                Some(format!("Bearer {ACCESS_TOKEN}").as_str())
            );
        })
        .await;
    }
}

#[tokio::test]
async fn a_token_endpoint_failing_otherwise_is_asked_once() {
    for failing in [Answer::new(500), Answer::new(502), Answer::new(400)] {
        let failing = &failing;
        each(&Call::OAUTH2, |call| async move {
            let server = Hostile::start(routes(vec![
                (TOKEN_PATH, vec![failing.clone().into()]),
                ("/", vec![call.success().into()]),
            ]));
            let settings = Settings::default()
                .retry(quick(3))
                .oauth2(server.url(TOKEN_PATH));
            let err = call.fail(&server.base_url(), &settings).await;
            let what = format!("{call:?} token endpoint {}: {err:?}", failing.status);
            assert_eq!(err.status(), Some(failing.status), "{what}");
            assert_eq!(server.count(), 1, "{what}");
        })
        .await;
    }
}

#[tokio::test]
async fn a_connection_reset_or_closed_before_the_answer_is_retried_for_a_get_and_never_for_a_post()
{
    for cut in [Behaviour::Reset, Behaviour::Close] {
        let cut = &cut;
        each(&Call::ALL, |call| async move {
            let api = Hostile::playing(vec![cut.clone()]);
            let err = call
                .fail(&api.base_url(), &Settings::default().retry(quick(3)))
                .await;
            let what = format!("{call:?} {cut:?}: {err:?}");
            assert_eq!(err.kind(), ErrorKind::Transport, "{what}");
            assert_eq!(err.status(), None, "{what}");
            // The request went out: the server may have acted on it.
            assert!(err.may_have_acted(), "{what}");
            if call.method() == "POST" {
                assert_eq!(api.count_of("POST", "/"), 1, "no duplicate POST: {what}");
                assert_eq!(api.count(), 1, "{what}");
                assert_eq!(err.attempts(), 1, "{what}");
                assert!(!err.is_retryable(), "{what}");
            } else {
                assert_eq!(api.count_of("GET", "/"), 3, "{what}");
                assert_eq!(err.attempts(), 3, "{what}");
                assert!(err.is_retryable(), "{what}");
            }
        })
        .await;
    }
}

#[tokio::test]
async fn a_get_whose_connection_was_reset_succeeds_on_its_next_attempt() {
    each(&Call::GETS, |call| async move {
        let api = Hostile::playing(vec![Behaviour::Reset, call.success().into()]);
        let done = within(
            LIMIT,
            call.run(&api.base_url(), &Settings::default().retry(quick(3))),
        )
        .await;
        assert!(done.is_ok(), "{call:?}: {done:?}");
        assert_eq!(api.count(), 2, "{call:?}");
    })
    .await;
}

#[tokio::test]
async fn a_502_503_or_504_is_retried_for_a_get_and_never_for_a_post() {
    for status in [502u16, 503, 504] {
        each(&Call::ALL, |call| async move {
            let api = Hostile::playing(vec![Answer::new(status).into()]);
            let err = call
                .fail(&api.base_url(), &Settings::default().retry(quick(3)))
                .await;
            let what = format!("{call:?} {status}: {err:?}");
            assert_eq!(err.kind(), ErrorKind::Server, "{what}");
            assert_eq!(err.status(), Some(status), "{what}");
            assert!(err.may_have_acted(), "{what}");
            let sent = if call.method() == "POST" { 1 } else { 3 };
            assert_eq!(api.count(), sent, "{what}");
            assert_eq!(err.attempts(), sent as u32, "{what}");
            assert_eq!(err.is_retryable(), call.method() == "GET", "{what}");
        })
        .await;
    }
}

/// What a later attempt must send as the first did: everything but the headers that sign one attempt.
fn attempt_as_sent(call: Call, req: &Received) -> (String, String, Vec<(String, String)>, Vec<u8>) {
    let per_attempt = |name: &str| {
        matches!(call, Call::HuaweiProvision | Call::HuaweiGet)
            && (name.eq_ignore_ascii_case("authorization")
                || name.eq_ignore_ascii_case("x-sdk-date"))
    };
    let mut headers: Vec<(String, String)> = req
        .headers
        .iter()
        .filter(|(name, _)| !per_attempt(name))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.clone()))
        .collect();
    headers.sort();
    (
        req.method.clone(),
        req.target.clone(),
        headers,
        req.body.clone(),
    )
}

#[tokio::test]
async fn a_request_built_again_for_a_retry_is_the_first_one_byte_for_byte() {
    each(&Call::ALL, |call| async move {
        let api = Hostile::playing(vec![
            Answer::json(429, &call.error_body("slow down"))
                .header("Retry-After", "0")
                .into(),
            call.success().into(),
        ]);
        call.run(&api.base_url(), &Settings::default().retry(quick(3)))
            .await
            .unwrap_or_else(|e| panic!("{call:?}: {e:?}"));
        let sent = api.requests();
        assert_eq!(sent.len(), 2, "{call:?}: one 429, one success");
        let (first, again) = (
            attempt_as_sent(call, &sent[0]),
            attempt_as_sent(call, &sent[1]),
        );
        assert_eq!(first, again, "{call:?}");
        // The headers the spec gives a default (ISC's X-SailPoint-Experimental) are on the retry too.
        if matches!(call, Call::IscCreate) {
            assert_eq!(sent[1].header("x-sailpoint-experimental"), Some("true"));
        }
        if call.method() == "POST" {
            assert!(!sent[1].body.is_empty(), "{call:?}: the retry has the body");
        }
    })
    .await;
}
