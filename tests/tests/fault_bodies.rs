//! Fault suite, bounded reads and bodies that lie (issue 10): a 200 MB or endless error body or token
//! answer is read up to its cap and the call returns promptly with the first bytes (the server gets to send
//! little more than the cap and the sockets' buffers); a success body over `max_response_body` is a
//! `Decode` error; a body that drips, breaks off, or whose content type lies ends in an error that keeps
//! status and first bytes, or in the answer when the body is fine whatever its label.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly on unexpected values"
)]

mod fault;

use std::time::{Duration, Instant};

use fault::*;
use idprov_runtime::ErrorKind;
use idprov_runtime::error::BODY_PREFIX_LEN;

const HUGE: u64 = 200 * 1024 * 1024;

/// What a client that stops at a 64 KiB (or 32 MiB) cap lets a server write, at most: the cap plus what
/// the loopback sockets buffer.
const LET_THROUGH: u64 = 48 * 1024 * 1024;

/// How long a call that stops at the cap may take (debug build, two cores, other tests running).
const PROMPT: Duration = Duration::from_secs(5);

fn huge(prefix: &str) -> Body {
    Body::Generated {
        prefix: prefix.as_bytes().to_vec(),
        len: HUGE,
        fill: b'a',
    }
}

fn endless(prefix: &str) -> Body {
    Body::Endless {
        prefix: prefix.as_bytes().to_vec(),
        fill: b'a',
    }
}

/// Waits until the server's writers have noticed the client went (their counts stop growing), then
/// returns how much of each body they wrote.
async fn settled_bytes_sent(server: &Hostile) -> Vec<u64> {
    let mut last = server.body_bytes_sent();
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let now = server.body_bytes_sent();
        if now == last {
            return now;
        }
        last = now;
    }
    last
}

#[tokio::test]
async fn a_huge_or_endless_error_body_is_read_up_to_its_cap_and_the_call_returns_promptly() {
    for call in Call::ALL {
        let bodies = [
            (500u16, huge(r#"{"message": "aaaa"#)),
            (400, endless("<html><body>")),
            (503, huge("")),
        ];
        let api = Hostile::playing(
            bodies
                .iter()
                .map(|(status, body)| {
                    Answer::new(*status)
                        .header("Content-Type", "application/json")
                        .with_body(body.clone())
                        .into()
                })
                .collect(),
        );
        let client = call
            .client(&api.base_url(), &Settings::default().retry(quick(1)))
            .unwrap();
        for (status, body) in &bodies {
            let started = Instant::now();
            let err = call.send_fail(&client).await;
            let took = started.elapsed();
            let what = format!("{call:?} {status} {body:?}: {err:?}");
            assert!(took < PROMPT, "took {took:?}: {what}");
            assert_eq!(err.status(), Some(*status), "{what}");
            assert_eq!(err.kind(), ErrorKind::from_status(*status), "{what}");
            let prefix = err.body_prefix().expect("the first bytes are kept");
            assert_eq!(prefix.len(), BODY_PREFIX_LEN, "{what}");
            assert!(prefix.ends_with("aaaa"), "{what}");
            assert!(err.body().is_none(), "cut off: not JSON: {what}");
        }
        assert_eq!(api.count(), bodies.len(), "{call:?}");
        for sent in settled_bytes_sent(&api).await {
            assert!(
                sent < LET_THROUGH,
                "{call:?}: the client read {sent} bytes of an error body"
            );
        }
    }
}

#[tokio::test]
async fn a_huge_or_endless_token_answer_is_read_up_to_its_cap_and_nothing_reaches_the_api() {
    for call in [Call::NermList, Call::IscCreate, Call::AvevaGet] {
        let answers = [
            (200u16, huge(r#"{"access_token": "aaaa"#)),
            (200, endless(r#"{"access_token": "aaaa"#)),
            (
                400,
                huge(r#"{"error": "invalid_client", "error_description": "aaaa"#),
            ),
            (401, endless("")),
        ];
        let server = Hostile::start(routes(vec![
            (
                TOKEN_PATH,
                answers
                    .iter()
                    .map(|(status, body)| {
                        Answer::new(*status)
                            .header("Content-Type", "application/json")
                            .with_body(body.clone())
                            .into()
                    })
                    .collect(),
            ),
            ("/", vec![call.success().into()]),
        ]));
        let settings = Settings::default()
            .retry(quick(1))
            .oauth2(server.url(TOKEN_PATH));
        let client = call.client(&server.base_url(), &settings).unwrap();
        for (n, (status, body)) in answers.iter().enumerate() {
            let started = Instant::now();
            let err = call.send_fail(&client).await;
            let took = started.elapsed();
            let what = format!("{call:?} token answer {status} {body:?}: {err:?}");
            assert!(took < PROMPT, "took {took:?}: {what}");
            assert_eq!(err.status(), Some(*status), "{what}");
            if *status == 200 {
                assert_eq!(err.kind(), ErrorKind::Decode, "{what}");
                assert!(err.message().contains("larger than"), "{what}");
            } else {
                assert_eq!(err.kind(), ErrorKind::Auth, "{what}");
            }
            assert!(!err.may_have_acted(), "{what}");
            assert_eq!(server.count(), n + 1, "only token requests: {what}");
        }
        for sent in settled_bytes_sent(&server).await {
            assert!(
                sent < LET_THROUGH,
                "{call:?}: the client read {sent} bytes of a token answer"
            );
        }
    }
}

#[tokio::test]
async fn a_success_body_over_max_response_body_is_a_decode_error_that_says_so() {
    for call in Call::ALL {
        let fine = call.success();
        let Body::Bytes(json) = &fine.body else {
            unreachable!()
        };
        // The documented answer, padded past the cap with whitespace (still valid JSON).
        let mut padded = json.clone();
        padded.extend(std::iter::repeat_n(b' ', 4096));
        let api = Hostile::playing(vec![fine.clone().body(padded).into()]);
        let settings = Settings::default().max_response_body(json.len() + 100);
        let err = call.fail(&api.base_url(), &settings).await;
        let what = format!("{call:?}: {err:?}");
        assert_eq!(err.kind(), ErrorKind::Decode, "{what}");
        assert_eq!(err.status(), Some(fine.status), "{what}");
        assert!(err.message().contains("max_response_body"), "{what}");
        assert!(
            err.may_have_acted(),
            "the server answered a success: {what}"
        );
        assert!(!err.is_retryable(), "{what}");
        assert_eq!(api.count(), 1, "{what}");
        // The same answer within the cap is the call's success.
        let done = within(
            LIMIT,
            call.run(
                &api.base_url(),
                &Settings::default().max_response_body(json.len() + 5000),
            ),
        )
        .await;
        assert!(done.is_ok(), "{call:?}: {done:?}");
    }
}

#[tokio::test]
async fn a_huge_or_endless_success_body_stops_at_the_default_cap() {
    for call in [Call::IscGet, Call::HuaweiProvision] {
        let status = call.success().status;
        let api = Hostile::playing(vec![
            Answer::new(status).with_body(huge("[")).into(),
            Answer::new(status).with_body(endless("[")).into(),
        ]);
        let client = call.client(&api.base_url(), &Settings::default()).unwrap();
        for _ in 0..2 {
            let started = Instant::now();
            let err = call.send_fail(&client).await;
            let what = format!("{call:?}: {err:?}");
            assert!(started.elapsed() < Duration::from_secs(10), "{what}");
            assert_eq!(err.kind(), ErrorKind::Decode, "{what}");
            assert!(err.message().contains("max_response_body"), "{what}");
        }
        for sent in settled_bytes_sent(&api).await {
            assert!(sent < 32 * 1024 * 1024 + LET_THROUGH, "{call:?}: {sent}");
        }
    }
}

#[tokio::test]
async fn a_success_body_that_breaks_off_is_a_transport_error_that_keeps_the_status() {
    each(&Call::ALL, |call| async move {
        let status = call.success().status;
        let api = Hostile::playing(vec![
            Answer::new(status)
                .header("Content-Type", "application/json")
                .with_body(Body::BreaksOff {
                    sent: br#"{"partial": "#.to_vec(),
                    declared: 10_000,
                })
                .into(),
        ]);
        let err = call.fail(&api.base_url(), &Settings::default()).await;
        let what = format!("{call:?}: {err:?}");
        assert_eq!(err.kind(), ErrorKind::Transport, "{what}");
        assert_eq!(err.status(), Some(status), "{what}");
        assert_eq!(err.vendor(), Some(call.vendor()), "{what}");
        assert_eq!(err.host(), Some("127.0.0.1"), "{what}");
        assert!(err.message().contains("broke off"), "{what}");
        // The server answered a success, so it acted: resending a POST could act twice.
        assert!(err.may_have_acted(), "{what}");
        assert_eq!(err.is_retryable(), call.method() == "GET", "{what}");
        assert_eq!(
            api.count_of("POST", "/"),
            usize::from(call.method() == "POST"),
            "{what}"
        );
    })
    .await;
}

#[tokio::test]
async fn an_error_body_that_breaks_off_keeps_what_came() {
    each(&Call::ALL, |call| async move {
        let api = Hostile::playing(vec![
            Answer::new(500)
                .header("Content-Type", "application/json")
                .with_body(Body::BreaksOff {
                    sent: br#"{"message": "database is do"#.to_vec(),
                    declared: 10_000,
                })
                .into(),
        ]);
        let err = call.fail(&api.base_url(), &Settings::default()).await;
        let what = format!("{call:?}: {err:?}");
        assert_eq!(err.kind(), ErrorKind::Server, "{what}");
        assert_eq!(err.status(), Some(500), "{what}");
        assert_eq!(
            err.body_prefix(),
            Some(r#"{"message": "database is do"#),
            "{what}"
        );
        assert_eq!(api.count(), 1, "a 500 is not retried: {what}");
    })
    .await;
}

#[tokio::test]
async fn a_body_dripped_slower_than_the_request_timeout_is_a_timeout_not_a_hang() {
    let drip = |status: u16| -> Behaviour {
        Answer::new(status)
            .header("Content-Type", "application/json")
            .with_body(Body::Drip {
                bytes: format!(r#"{{"message": "{}"}}"#, "x".repeat(200)).into_bytes(),
                every: Duration::from_millis(50),
            })
            .into()
    };
    let calls = [
        Call::SeamLaunch,
        Call::NermList,
        Call::IscCreate,
        Call::AvevaCreate,
        Call::HuaweiGet,
    ];
    let setup = |call: Call| {
        let api = Hostile::playing(vec![drip(call.success().status), drip(500)]);
        let settings = Settings::default().request_timeout(Duration::from_millis(600));
        let client = call.client(&api.base_url(), &settings).unwrap();
        (api, client)
    };
    each_set_up(&calls, setup, |call, (api, client)| async move {
        // The server lives as long as the test of its call.
        let _api = api;
        // A success that drips: the attempt's timeout covers its body.
        let started = Instant::now();
        let err = call.send_fail(&client).await;
        let what = format!("{call:?} success: {err:?}");
        assert!(started.elapsed() < Duration::from_secs(3), "{what}");
        assert_eq!(err.kind(), ErrorKind::Timeout, "{what}");
        assert_eq!(err.status(), Some(call.success().status), "{what}");
        assert_eq!(err.vendor(), Some(call.vendor()), "{what}");
        assert_eq!(err.host(), Some("127.0.0.1"), "{what}");
        assert_eq!(err.is_retryable(), call.method() == "GET", "{what}");
        // An error that drips: what came before the timeout is kept.
        let started = Instant::now();
        let err = call.send_fail(&client).await;
        let what = format!("{call:?} error: {err:?}");
        assert!(started.elapsed() < Duration::from_secs(3), "{what}");
        assert_eq!(err.status(), Some(500), "{what}");
        let prefix = err.body_prefix().expect("what dripped in is kept");
        assert!(prefix.starts_with(r#"{"mess"#), "{what}");
    })
    .await;
}

#[tokio::test]
async fn content_types_are_not_trusted_the_body_decides() {
    for call in Call::ALL {
        let fine = call.success();
        let Body::Bytes(json) = fine.body.clone() else {
            unreachable!()
        };
        let json = String::from_utf8(json).unwrap();
        let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
        let api = Hostile::playing(vec![
            // The documented JSON, labelled as HTML: still the answer.
            Answer::text(fine.status, "text/html", &json).into(),
            // An HTML page labelled as JSON: a Decode error keeping the page's first bytes.
            Answer::text(fine.status, "application/json", page).into(),
            // Nothing at all, labelled as JSON.
            Answer::text(fine.status, "application/json", "").into(),
            // A vendor error body labelled as plain text: its message is still read.
            Answer::text(400, "text/plain", &call.error_body("bad input").to_string()).into(),
            // An HTML error page labelled as JSON: the status's reason and the page's first bytes.
            Answer::text(502, "application/json", page).into(),
        ]);
        let client = call
            .client(&api.base_url(), &Settings::default().retry(quick(1)))
            .unwrap();
        let ok = within(LIMIT, call.send(&client)).await;
        assert!(ok.is_ok(), "{call:?}: {ok:?}");
        let err = call.send_fail(&client).await;
        assert_eq!(err.kind(), ErrorKind::Decode, "{call:?}: {err:?}");
        assert_eq!(err.body_prefix(), Some(page), "{call:?}: {err:?}");
        assert!(err.message().contains("application/json"), "{err:?}");
        let err = call.send_fail(&client).await;
        assert_eq!(err.kind(), ErrorKind::Decode, "{call:?}: {err:?}");
        assert!(err.message().contains("0 bytes"), "{call:?}: {err:?}");
        let err = call.send_fail(&client).await;
        assert_eq!(err.kind(), ErrorKind::Validation, "{call:?}: {err:?}");
        assert_eq!(err.message(), "bad input", "{call:?}: {err:?}");
        let err = call.send_fail(&client).await;
        assert_eq!(err.kind(), ErrorKind::Server, "{call:?}: {err:?}");
        assert_eq!(err.message(), "Bad Gateway", "{call:?}: {err:?}");
        assert_eq!(err.body_prefix(), Some(page), "{call:?}: {err:?}");
        assert_eq!(api.count(), 5, "{call:?}");
    }
}

#[tokio::test]
async fn a_token_answer_that_is_no_token_is_an_error_and_nothing_reaches_the_api() {
    let page = "<html><body>Sign in</body></html>";
    let token = format!(r#"{{"access_token": "{ACCESS_TOKEN}", "expires_in": 3600}}"#);
    let answers: Vec<(Answer, ErrorKind, &str)> = vec![
        (
            Answer::html(200, page),
            ErrorKind::Decode,
            "not a token response",
        ),
        (Answer::html(400, page), ErrorKind::Auth, "no reason given"),
        (
            Answer::json(200, &serde_json::json!({"access_token": " "})),
            ErrorKind::Auth,
            "empty access_token",
        ),
        (
            Answer::json(200, &serde_json::json!({"token": ACCESS_TOKEN})),
            ErrorKind::Decode,
            "not a token response",
        ),
        (
            Answer::new(200).with_body(Body::BreaksOff {
                sent: token.as_bytes()[..20].to_vec(),
                declared: 1000,
            }),
            ErrorKind::Transport,
            "broke off",
        ),
        (
            Answer::new(200).with_body(Body::Drip {
                bytes: token.clone().into_bytes(),
                every: Duration::from_millis(100),
            }),
            ErrorKind::Timeout,
            "did not finish in time",
        ),
    ];
    let answers = &answers;
    let token = &token;
    each(
        &[Call::NermCreate, Call::IscGet, Call::AvevaCreate],
        |call| async move {
            let server = Hostile::start(routes(vec![
                (
                    TOKEN_PATH,
                    answers.iter().map(|(a, _, _)| a.clone().into()).collect(),
                ),
                ("/", vec![call.success().into()]),
            ]));
            let settings = Settings::default()
                .retry(quick(1))
                .request_timeout(Duration::from_millis(800))
                .oauth2(server.url(TOKEN_PATH));
            let client = call.client(&server.base_url(), &settings).unwrap();
            for (n, (answer, kind, says)) in answers.iter().enumerate() {
                let err = call.send_fail(&client).await;
                let what = format!("{call:?} token answer {answer:?}: {err:?}");
                assert_eq!(err.kind(), *kind, "{what}");
                assert!(err.message().contains(says), "{what}");
                assert_eq!(err.vendor(), Some(call.vendor()), "{what}");
                assert_eq!(err.host(), Some("127.0.0.1"), "{what}");
                assert!(!err.may_have_acted(), "the API call was not sent: {what}");
                assert_hides(&err, &[CLIENT_SECRET, ACCESS_TOKEN]);
                assert_eq!(server.count(), n + 1, "only token requests: {what}");
            }
            // A token labelled as HTML is still a token.
            let server = Hostile::start(routes(vec![
                (
                    TOKEN_PATH,
                    vec![Answer::text(200, "text/html", token).into()],
                ),
                ("/", vec![call.success().into()]),
            ]));
            let settings = Settings::default().oauth2(server.url(TOKEN_PATH));
            let done = within(LIMIT, call.run(&server.base_url(), &settings)).await;
            assert!(done.is_ok(), "{call:?}: {done:?}");
        },
    )
    .await;
}

/// A 200 whose declared body breaks off after a few bytes.
fn broken_success(status: u16) -> Behaviour {
    Answer::new(status)
        .header("Content-Type", "application/json")
        .with_body(Body::BreaksOff {
            sent: br#"{"partial": "#.to_vec(),
            declared: 10_000,
        })
        .into()
}

#[tokio::test]
async fn a_get_whose_success_body_breaks_off_is_tried_again_and_returns_the_next_whole_answer() {
    each(&Call::GETS, |call| async move {
        let success = call.success();
        let api = Hostile::playing(vec![broken_success(success.status), success.into()]);
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
async fn a_get_whose_success_body_keeps_breaking_off_gives_up_after_the_policys_attempts() {
    each(&Call::GETS, |call| async move {
        let status = call.success().status;
        let api = Hostile::playing(vec![broken_success(status)]);
        let err = call
            .fail(&api.base_url(), &Settings::default().retry(quick(3)))
            .await;
        let what = format!("{call:?}: {err:?}");
        assert_eq!(err.kind(), ErrorKind::Transport, "{what}");
        assert!(err.message().contains("broke off"), "{what}");
        assert_eq!(err.status(), Some(status), "{what}");
        assert_eq!(api.count(), 3, "{what}");
        assert_eq!(err.attempts(), 3, "{what}");
        assert!(err.is_retryable(), "{what}");
    })
    .await;
}

#[tokio::test]
async fn a_post_whose_success_body_breaks_off_is_never_sent_again_and_counts_one_attempt() {
    each(&Call::POSTS, |call| async move {
        let status = call.success().status;
        let api = Hostile::playing(vec![broken_success(status), call.success().into()]);
        let err = call
            .fail(&api.base_url(), &Settings::default().retry(quick(3)))
            .await;
        let what = format!("{call:?}: {err:?}");
        assert_eq!(err.kind(), ErrorKind::Transport, "{what}");
        assert_eq!(api.count(), 1, "{what}");
        assert_eq!(err.attempts(), 1, "{what}");
        assert!(err.may_have_acted() && !err.is_retryable(), "{what}");
    })
    .await;
}

#[tokio::test]
async fn a_get_whose_body_breaks_off_and_whose_retry_gets_an_error_status_returns_that_error() {
    each(&Call::GETS, |call| async move {
        let status = call.success().status;
        let api = Hostile::playing(vec![
            broken_success(status),
            Answer::json(404, &call.error_body("no such thing")).into(),
        ]);
        let err = call
            .fail(&api.base_url(), &Settings::default().retry(quick(3)))
            .await;
        let what = format!("{call:?}: {err:?}");
        assert_eq!(err.kind(), ErrorKind::NotFound, "{what}");
        assert_eq!(err.status(), Some(404), "{what}");
        assert_eq!(api.count(), 2, "{what}");
        assert_eq!(err.attempts(), 2, "{what}");
    })
    .await;
}

#[tokio::test]
async fn a_get_whose_success_body_stalls_past_the_request_timeout_is_tried_again() {
    each(&Call::GETS, |call| async move {
        let success = call.success();
        let Body::Bytes(bytes) = success.body.clone() else {
            panic!("{call:?}: the success answer is expected to be plain bytes");
        };
        let stalled = Answer {
            body: Body::Drip {
                bytes,
                every: Duration::from_millis(400),
            },
            ..success.clone()
        };
        let api = Hostile::playing(vec![stalled.into(), success.into()]);
        let settings = Settings::default()
            .retry(quick(3))
            .request_timeout(Duration::from_millis(600));
        let done = within(LIMIT, call.run(&api.base_url(), &settings)).await;
        assert!(done.is_ok(), "{call:?}: {done:?}");
        assert_eq!(api.count(), 2, "{call:?}");
    })
    .await;
}
