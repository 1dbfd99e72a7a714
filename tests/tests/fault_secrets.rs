//! Fault suite, secrets printed back (issue 10): whatever a server echoes of the credentials it was sent —
//! in the vendor's error message, code, details and request id, in a request-id header, in an HTML page
//! listing the request headers, in a JSON answer of the wrong shape, in a redirect's `Location`, cut off
//! by the end of the kept body prefix, or in a token endpoint's `error_description` — no secret the client
//! holds shows in the error's `Display` or `Debug`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly on unexpected values"
)]

mod fault;

use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};

use fault::*;
use idprov_runtime::ErrorKind;
use serde_json::{Value, json};

/// Every header value the server received, and every secret the client holds (a server cannot know the
/// Huawei SK, but the client must scrub it all the same).
fn echo(req: &Received, secrets: &[&str]) -> String {
    let mut text: Vec<String> = req
        .headers
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect();
    text.extend(secrets.iter().map(|s| s.to_string()));
    format!("refused: {}", text.join(" "))
}

/// The vendor's own error body with `echo` in every field its reader shows.
fn quoting_body(call: Call, echo: &str) -> Value {
    match call {
        Call::SeamLaunch => json!({"ok": false, "error": {
            "type": echo, "message": echo,
            "validation_errors": {"_errors": [echo], "user_identity_id": {"_errors": [echo]}}
        }}),
        Call::NermCreate | Call::NermList => json!({"error": echo, "errors": {"token": [echo]}}),
        Call::IscCreate | Call::IscGet => json!({
            "detailCode": echo, "trackingId": echo,
            "messages": [{"text": echo}, {"text": echo}], "causes": [{"text": echo}]
        }),
        Call::AvevaCreate | Call::AvevaGet => json!({
            "OperationId": echo, "Error": echo, "Reason": echo, "Resolution": echo
        }),
        Call::HuaweiProvision | Call::HuaweiGet => json!({
            "error_code": echo, "error_msg": echo, "request_id": echo,
            "encoded_authorization_message": echo
        }),
    }
}

/// Settings of every credential kind of `call`'s client: its static token, and OAuth2 when it takes it.
fn every_credential_kind(call: Call, server: &Hostile) -> Vec<Settings> {
    let mut all = vec![Settings::default()];
    if call.takes_oauth2() {
        all.push(Settings::default().oauth2(server.url(TOKEN_PATH)));
    }
    all
}

/// A server whose token endpoint hands out [`ACCESS_TOKEN`] and whose API answers `api`.
fn with_token_endpoint(api: impl Fn(&Received) -> Behaviour + Send + Sync + 'static) -> Hostile {
    let token = Answer::token(ACCESS_TOKEN, "3600");
    Hostile::start(move |req| {
        if req.path() == TOKEN_PATH {
            token.clone().into()
        } else {
            api(req)
        }
    })
}

fn assert_scrubbed_and_hides(err: &idprov_runtime::Error, secrets: &[&str]) {
    assert_hides(err, secrets);
    assert!(
        format!("{err}").contains("***"),
        "the echo was kept, secrets scrubbed out of it: {err}"
    );
}

#[tokio::test]
async fn an_error_quoting_the_credentials_everywhere_shows_none_of_them() {
    for call in Call::ALL {
        let probe = Hostile::recorder();
        for settings in every_credential_kind(call, &probe) {
            let secrets = call.secrets(&settings);
            let held = secrets.clone();
            let status = Arc::new(AtomicU16::new(0));
            let dial = status.clone();
            let server = with_token_endpoint(move |req| {
                let echo = echo(req, &held);
                let status = dial.load(Ordering::SeqCst);
                let mut answer = Answer::json(status, &quoting_body(call, &echo));
                for id in [
                    "seam-request-id",
                    "x-request-id",
                    "operation-id",
                    "sailpoint-request-id",
                ] {
                    answer = answer.header(id, &echo);
                }
                answer.into()
            });
            let settings = match settings.token_url {
                Some(_) => settings.oauth2(server.url(TOKEN_PATH)),
                None => settings,
            };
            let client = call.client(&server.base_url(), &settings).unwrap();
            for code in [400u16, 401, 500] {
                status.store(code, Ordering::SeqCst);
                let err = call.send_fail(&client).await;
                let what = format!("{call:?} {code} {:?}: {err:?}", settings.token_url);
                assert_eq!(err.status(), Some(code), "{what}");
                assert_scrubbed_and_hides(&err, &secrets);
                assert!(err.message().starts_with("refused: "), "{what}");
                if let Some(id) = err.request_id() {
                    assert!(!secrets.iter().any(|s| id.contains(s)), "{what}");
                }
                let body = err.body().expect("the JSON body is kept").to_string();
                assert!(!secrets.iter().any(|s| body.contains(s)), "{what}: {body}");
            }
        }
    }
}

#[tokio::test]
async fn an_html_page_listing_the_request_headers_shows_no_credential() {
    for call in Call::ALL {
        let probe = Hostile::recorder();
        for settings in every_credential_kind(call, &probe) {
            let status = Arc::new(AtomicU16::new(0));
            let dial = status.clone();
            let server =
                with_token_endpoint(move |_| Behaviour::EchoHeaders(dial.load(Ordering::SeqCst)));
            let settings = match &settings.token_url {
                Some(_) => settings.clone().oauth2(server.url(TOKEN_PATH)),
                None => settings.clone(),
            };
            let secrets = call.secrets(&settings);
            let client = call.client(&server.base_url(), &settings).unwrap();
            // An error status, a gateway's 502, and a documented success that is the page, not JSON.
            for code in [403u16, 502, call.success().status] {
                status.store(code, Ordering::SeqCst);
                let err = call.send_fail(&client).await;
                let what = format!("{call:?} {code} {:?}: {err:?}", settings.token_url);
                assert_eq!(err.status(), Some(code), "{what}");
                if code == call.success().status {
                    assert_eq!(err.kind(), ErrorKind::Decode, "{what}");
                }
                let prefix = err.body_prefix().expect("the page's first bytes are kept");
                assert!(prefix.contains("<li>"), "{what}");
                // The page listed the credential headers; what is kept of them is scrubbed.
                let sent = server
                    .requests()
                    .into_iter()
                    .rfind(|r| r.path() != TOKEN_PATH)
                    .unwrap();
                let listed = echo_page(&sent);
                let in_prefix = secrets.iter().any(|s| {
                    listed
                        .find(s)
                        .is_some_and(|at| at + s.len() <= idprov_runtime::error::BODY_PREFIX_LEN)
                });
                assert!(
                    in_prefix,
                    "a credential falls within the kept prefix: {what}: {listed}"
                );
                assert!(prefix.contains("***"), "{what}");
                assert_hides(&err, &secrets);
            }
        }
    }
}

#[tokio::test]
async fn a_success_answer_of_the_wrong_shape_quoting_the_credential_shows_none_of_it() {
    for call in Call::ALL {
        let probe = Hostile::recorder();
        for settings in every_credential_kind(call, &probe) {
            let secrets = call.secrets(&settings);
            let held = secrets.clone();
            let status = call.success().status;
            // A JSON string where an object belongs: serde_json's message quotes the string.
            let server = with_token_endpoint(move |req| {
                Answer::json(status, &Value::String(echo(req, &held))).into()
            });
            let settings = match settings.token_url {
                Some(_) => settings.oauth2(server.url(TOKEN_PATH)),
                None => settings,
            };
            let err = call.fail(&server.base_url(), &settings).await;
            let what = format!("{call:?} {:?}: {err:?}", settings.token_url);
            assert_eq!(err.kind(), ErrorKind::Decode, "{what}");
            assert!(
                err.message().contains("refused: "),
                "the message quotes: {what}"
            );
            assert_scrubbed_and_hides(&err, &secrets);
            assert!(err.may_have_acted(), "{what}");
        }
    }
}

#[tokio::test]
async fn a_redirect_whose_location_carries_the_credential_shows_none_of_it() {
    for call in Call::ALL {
        let settings = Settings::default();
        let secrets = call.secrets(&settings);
        let location = format!(
            "https://elsewhere.example/login?token={}",
            secrets.join("&x=")
        );
        let api = Hostile::playing(vec![Answer::redirect(302, &location).into()]);
        let err = call.fail(&api.base_url(), &settings).await;
        assert_eq!(err.kind(), ErrorKind::Redirected, "{call:?}: {err:?}");
        assert!(
            err.location()
                .unwrap()
                .starts_with("https://elsewhere.example/login?token=***"),
            "{err:?}"
        );
        assert_scrubbed_and_hides(&err, &secrets);
    }
}

#[tokio::test]
async fn a_credential_cut_by_the_end_of_the_kept_body_prefix_shows_no_piece_of_four_bytes_or_more()
{
    for call in [
        Call::SeamLaunch,
        Call::NermList,
        Call::IscGet,
        Call::AvevaGet,
        Call::HuaweiGet,
    ] {
        let settings = Settings::default();
        let secret = *call.secrets(&settings).last().unwrap();
        // Put the secret at every offset across byte 512, where the kept prefix ends.
        let script: Vec<Behaviour> = (0..=secret.len())
            .map(|shown| {
                let page = format!(
                    "{}{secret} and more text after it",
                    "x".repeat(idprov_runtime::error::BODY_PREFIX_LEN - shown)
                );
                Answer::html(500, &page).into()
            })
            .collect();
        let api = Hostile::playing(script);
        let client = call.client(&api.base_url(), &settings).unwrap();
        for shown in 0..=secret.len() {
            let err = call.send_fail(&client).await;
            let prefix = err.body_prefix().unwrap();
            let what =
                format!("{call:?} with {shown} bytes of the secret before the cut: {prefix:?}");
            for piece in 4..=secret.len() {
                assert!(!prefix.ends_with(&secret[..piece]), "{what}");
            }
            assert!(!prefix.contains(secret), "{what}");
            assert_hides(&err, &[secret]);
            if shown >= 4 {
                assert!(prefix.ends_with("***"), "{what}");
            }
        }
    }
}

#[tokio::test]
async fn a_token_endpoint_repeating_the_client_secret_in_its_refusal_shows_none_of_it() {
    for call in Call::OAUTH2 {
        let status = Arc::new(AtomicU16::new(0));
        let dial = status.clone();
        // The endpoint quotes the form it got (client_secret and all) in error and error_description.
        let server = Hostile::start(move |req| {
            if req.path() != TOKEN_PATH {
                return Answer::new(204).into();
            }
            let form = String::from_utf8_lossy(&req.body).replace("%5F", "_");
            Answer::json(
                dial.load(Ordering::SeqCst),
                &json!({
                    "error": format!("invalid_client {CLIENT_SECRET}"),
                    "error_description": format!("bad client_secret {CLIENT_SECRET} in {form}")
                }),
            )
            .into()
        });
        let settings = Settings::default()
            .retry(quick(1))
            .oauth2(server.url(TOKEN_PATH));
        let client = call.client(&server.base_url(), &settings).unwrap();
        for (n, code) in [400u16, 401, 500, 429].into_iter().enumerate() {
            status.store(code, Ordering::SeqCst);
            let err = call.send_fail(&client).await;
            let what = format!("{call:?} token endpoint {code}: {err:?}");
            assert_eq!(err.status(), Some(code), "{what}");
            assert!(err.message().contains("bad client_secret ***"), "{what}");
            assert_eq!(err.code(), Some("invalid_client ***"), "{what}");
            assert_scrubbed_and_hides(&err, &[CLIENT_SECRET]);
            assert_eq!(server.count(), n + 1, "nothing reached the API: {what}");
        }
    }
}
