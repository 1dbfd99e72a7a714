//! Fault suite, redirects (issue 10): no client follows a redirect. A POST answered 301/302/303/307/308
//! is an error with its status and `Location`, never re-sent (as a GET or at all); a GET redirected to
//! another origin, and a token request redirected elsewhere, bring nothing — no Authorization, API key,
//! workspace, Huawei signature or security token, no client secret — to the second listener.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly on unexpected values"
)]

mod fault;

use fault::*;
use idprov_runtime::ErrorKind;

const REDIRECTS: [u16; 5] = [301, 302, 303, 307, 308];

#[tokio::test]
async fn a_post_answered_with_a_redirect_is_an_error_with_its_location_and_is_never_sent_again() {
    for call in Call::POSTS {
        let elsewhere = Hostile::recorder();
        let location = elsewhere.url("/v2/moved?x=1");
        let api = Hostile::playing(
            REDIRECTS
                .iter()
                .map(|s| Answer::redirect(*s, &location).into())
                .collect(),
        );
        let client = call
            .client(&api.base_url(), &Settings::default().retry(quick(4)))
            .unwrap();
        for (n, status) in REDIRECTS.into_iter().enumerate() {
            let err = call.send_fail(&client).await;
            let what = format!("{call:?} answered {status}: {err:?}");
            assert_eq!(err.kind(), ErrorKind::Redirected, "{what}");
            assert_eq!(err.status(), Some(status), "{what}");
            assert_eq!(err.location(), Some(location.as_str()), "{what}");
            assert!(err.to_string().contains(&location), "{what}");
            assert!(!err.is_retryable(), "{what}");
            assert!(!err.may_have_acted(), "{what}");
            assert_eq!(err.attempts(), 1, "{what}");
            assert_eq!(err.host(), Some("127.0.0.1"), "{what}");
            // One POST per call, no GET anywhere: the create was not turned into a read.
            assert_eq!(api.count_of("POST", "/"), n + 1, "{what}");
            assert_eq!(api.count(), n + 1, "{what}");
        }
        assert_nothing_reached(&elsewhere);
    }
}

#[tokio::test]
async fn a_get_redirected_to_another_origin_brings_no_credential_there() {
    for call in Call::GETS {
        let elsewhere = Hostile::recorder();
        // Another port, and by another host name too.
        let locations = [
            elsewhere.url("/steal"),
            format!("http://localhost:{}/steal", elsewhere.addr().port()),
        ];
        let mut script = Vec::new();
        for status in REDIRECTS {
            for location in &locations {
                script.push((status, location.clone()));
            }
        }
        let api = Hostile::playing(
            script
                .iter()
                .map(|(s, l)| Answer::redirect(*s, l).into())
                .collect(),
        );
        let settings = Settings::default().retry(quick(4));
        let client = call.client(&api.base_url(), &settings).unwrap();
        for (n, (status, location)) in script.iter().enumerate() {
            let err = call.send_fail(&client).await;
            let what = format!("{call:?} answered {status} to {location}: {err:?}");
            assert_eq!(err.kind(), ErrorKind::Redirected, "{what}");
            assert_eq!(err.status(), Some(*status), "{what}");
            assert_eq!(err.location(), Some(location.as_str()), "{what}");
            assert_eq!(api.count(), n + 1, "not retried: {what}");
            assert_hides(&err, &call.secrets(&settings));
        }
        // The credentials went to the configured origin, and nowhere else.
        let sent = &api.requests()[0];
        assert!(sent.header("authorization").is_some(), "{sent:?}");
        if matches!(call, Call::HuaweiGet) {
            for name in ["x-sdk-date", "x-security-token", "x-domain-id"] {
                assert!(sent.header(name).is_some(), "{name}: {sent:?}");
            }
        }
        assert_nothing_reached(&elsewhere);
    }
}

#[tokio::test]
async fn a_redirecting_token_endpoint_keeps_the_client_secret_and_nothing_reaches_the_api() {
    for call in Call::OAUTH2 {
        let elsewhere = Hostile::recorder();
        let location = elsewhere.url(TOKEN_PATH);
        let server = Hostile::start(routes(vec![
            (
                TOKEN_PATH,
                REDIRECTS
                    .iter()
                    .map(|s| Answer::redirect(*s, &location).into())
                    .collect(),
            ),
            ("/", vec![call.success().into()]),
        ]));
        let settings = Settings::default()
            .retry(quick(4))
            .oauth2(server.url(TOKEN_PATH));
        for (n, status) in REDIRECTS.into_iter().enumerate() {
            // A new client each time: a client that got no token asks again on its next call anyway,
            // but a new one shows each redirect is refused on a first fetch.
            let err = call.fail(&server.base_url(), &settings).await;
            let what = format!("{call:?} token endpoint answered {status}: {err:?}");
            assert_eq!(err.kind(), ErrorKind::Auth, "{what}");
            assert_eq!(err.status(), Some(status), "{what}");
            assert_eq!(err.location(), Some(location.as_str()), "{what}");
            assert_eq!(err.vendor(), Some(call.vendor()), "{what}");
            assert!(!err.may_have_acted(), "{what}");
            assert_hides(&err, &[CLIENT_SECRET]);
            // The form went to the configured token URL, once; no API call was made without a token.
            assert_eq!(server.count_of("POST", TOKEN_PATH), n + 1, "{what}");
            assert_eq!(server.count(), n + 1, "{what}");
        }
        assert!(
            server.requests()[0].contains(CLIENT_SECRET),
            "the form was sent"
        );
        assert_nothing_reached(&elsewhere);
    }
}
