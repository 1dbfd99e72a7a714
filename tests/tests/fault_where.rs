//! Fault suite, errors that say where and whether it is safe to repeat (issue 10): a transport failure or
//! a timeout of every client names vendor, operation, host (never the query or a credential) and the
//! number of attempts; a timed-out POST may have acted and is not retryable, a timed-out GET is; a
//! refused connection never reached the server, so even a POST is retryable.

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

/// Two attempts in all when the method allows a retry.
fn two_attempts(call: Call) -> u32 {
    if call.method() == "GET" { 2 } else { 1 }
}

#[tokio::test]
async fn a_timeout_names_vendor_operation_host_and_attempts_and_a_timed_out_post_is_not_retryable()
{
    let settings = Settings::default()
        .retry(quick(2))
        .request_timeout(Duration::from_millis(400));
    let settings = &settings;
    let setup = |call: Call| {
        let api = Hostile::playing(vec![Behaviour::Hang]);
        let client = call.client(&api.base_url(), settings).unwrap();
        (api, client)
    };
    each_set_up(&Call::ALL, setup, |call, (api, client)| async move {
        let started = Instant::now();
        let err = call.send_fail(&client).await;
        let what = format!("{call:?}: {err:?}");
        assert!(started.elapsed() < Duration::from_secs(5), "{what}");
        assert_eq!(err.kind(), ErrorKind::Timeout, "{what}");
        assert_says_where(&err, call, two_attempts(call));
        assert_eq!(api.count(), two_attempts(call) as usize, "{what}");
        // The request went out and got no answer: the server may have acted on it.
        assert!(err.may_have_acted(), "{what}");
        assert_eq!(err.is_retryable(), call.method() == "GET", "{what}");
        let shown = err.to_string();
        for part in [call.vendor(), call.operation_id(), "host 127.0.0.1"] {
            assert!(shown.contains(part), "{part}: {shown}");
        }
        assert_eq!(
            shown.contains("after 2 attempts"),
            call.method() == "GET",
            "{shown}"
        );
        assert_hides(&err, &call.secrets(settings));
    })
    .await;
}

#[tokio::test]
async fn a_transport_failure_names_vendor_operation_host_and_attempts() {
    each(&Call::ALL, |call| async move {
        let api = Hostile::playing(vec![Behaviour::Reset]);
        let settings = Settings::default().retry(quick(2));
        let err = call.fail(&api.base_url(), &settings).await;
        let what = format!("{call:?}: {err:?}");
        assert_eq!(err.kind(), ErrorKind::Transport, "{what}");
        assert_says_where(&err, call, two_attempts(call));
        assert!(err.may_have_acted(), "{what}");
        assert_eq!(err.is_retryable(), call.method() == "GET", "{what}");
        let shown = err.to_string();
        for part in [call.vendor(), call.operation_id(), "host 127.0.0.1"] {
            assert!(shown.contains(part), "{part}: {shown}");
        }
        // Neither the path nor its query is the host.
        assert!(!err.host().unwrap().contains('/'), "{what}");
    })
    .await;
}

#[tokio::test]
async fn a_refused_connection_never_reached_the_server_so_even_a_post_is_retryable() {
    let refused = refused_url();
    let refused = &refused;
    each(&Call::ALL, |call| async move {
        let err = call
            .fail(refused, &Settings::default().retry(quick(3)))
            .await;
        let what = format!("{call:?}: {err:?}");
        assert_eq!(err.kind(), ErrorKind::Transport, "{what}");
        // Refused connections are retried for every method: nothing was sent.
        assert_says_where(&err, call, 3);
        assert!(!err.may_have_acted(), "{what}");
        assert!(err.is_retryable(), "{what}");
    })
    .await;
}

#[tokio::test]
async fn a_token_endpoint_that_resets_or_refuses_names_its_host_and_the_call() {
    let refused = refused_url();
    let refused = &refused;
    each(&Call::OAUTH2, |call| async move {
        let server = Hostile::start(routes(vec![
            (TOKEN_PATH, vec![Behaviour::Reset]),
            ("/", vec![call.success().into()]),
        ]));
        let settings = Settings::default()
            .retry(quick(3))
            .oauth2(server.url(TOKEN_PATH));
        let err = call.fail(&server.base_url(), &settings).await;
        let what = format!("{call:?} reset: {err:?}");
        assert_eq!(err.kind(), ErrorKind::Transport, "{what}");
        assert_eq!(err.vendor(), Some(call.vendor()), "{what}");
        assert_eq!(err.operation_id(), Some(call.operation_id()), "{what}");
        assert_eq!(err.host(), Some("127.0.0.1"), "{what}");
        assert!(!err.may_have_acted(), "the API call was not sent: {what}");
        // A token request is a POST: one that went out and broke is not sent again.
        assert_eq!(server.count(), 1, "{what}");
        assert_hides(&err, &[CLIENT_SECRET]);

        let settings = Settings::default()
            .retry(quick(3))
            .oauth2(format!("{refused}{TOKEN_PATH}"));
        let err = call.fail(&server.base_url(), &settings).await;
        let what = format!("{call:?} refused: {err:?}");
        assert_eq!(err.kind(), ErrorKind::Transport, "{what}");
        assert_eq!(err.host(), Some("127.0.0.1"), "{what}");
        assert!(!err.may_have_acted(), "{what}");
        assert!(err.is_retryable(), "{what}");
        assert_eq!(server.count(), 1, "nothing reached the API: {what}");
    })
    .await;
}
