//! Fault suite, property tests (issue 10): `Retry-After` parsing never panics and round-trips seconds and
//! HTTP dates; each vendor's error-body reader takes any JSON value without panicking and finds message
//! and request id where the vendor puts them; redaction removes any secret of 8 bytes or more wherever a
//! server echoes it, a secret cut by the end of the kept body prefix included. Case counts are kept small:
//! the readers and the redaction are driven through real clients against a loopback server.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly on unexpected values"
)]

mod fault;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fault::*;
use idprov_runtime::error::BODY_PREFIX_LEN;
use idprov_runtime::retry::retry_after;
use idprov_runtime::{ErrorKind, Secret};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use serde_json::{Map, Value, json};

/// 9999-12-31T23:59:59Z, the last time an HTTP date can write.
const LAST_HTTP_DATE: u64 = 253_402_300_799;

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

fn with_retry_after(value: HeaderValue) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(RETRY_AFTER, value);
    headers
}

/// Text a `Retry-After` header might hold: numbers of every size and form, dates, junk.
fn retry_after_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        any::<u128>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| f.to_string()),
        (any::<f64>(), -400i32..400).prop_map(|(m, e)| format!("{m}e{e}")),
        (0..LAST_HTTP_DATE)
            .prop_map(|s| httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(s))),
        "[ -~]{0,40}",
        "[0-9]{1,60}(\\.[0-9]{0,30})?",
    ]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn retry_after_never_panics_on_any_header_value(
        text in retry_after_text(),
        raw in proptest::collection::vec(any::<u8>(), 0..40),
        now in 0u64..1 << 40,
    ) {
        let now = UNIX_EPOCH + Duration::from_secs(now);
        if let Ok(v) = HeaderValue::from_str(&text) {
            let _ = retry_after(&with_retry_after(v), now);
        }
        if let Ok(v) = HeaderValue::from_bytes(&raw) {
            let _ = retry_after(&with_retry_after(v), now);
        }
    }

    #[test]
    fn retry_after_in_seconds_round_trips(secs in any::<u64>(), pad in "[ \t]{0,3}") {
        let v = HeaderValue::from_str(&format!("{pad}{secs}{pad}")).unwrap();
        prop_assert_eq!(
            retry_after(&with_retry_after(v), SystemTime::now()),
            Some(Duration::from_secs(secs))
        );
    }

    #[test]
    fn retry_after_as_an_http_date_round_trips_and_a_past_date_is_no_wait(
        now in 0..LAST_HTTP_DATE - (1 << 30),
        ahead in 0u64..1 << 30,
        behind in 1u64..1 << 30,
    ) {
        let now = UNIX_EPOCH + Duration::from_secs(now);
        let later = HeaderValue::from_str(&httpdate::fmt_http_date(now + Duration::from_secs(ahead))).unwrap();
        prop_assert_eq!(
            retry_after(&with_retry_after(later), now),
            Some(Duration::from_secs(ahead))
        );
        if let Some(past) = now.checked_sub(Duration::from_secs(behind)).filter(|p| *p >= UNIX_EPOCH) {
            let earlier = HeaderValue::from_str(&httpdate::fmt_http_date(past)).unwrap();
            prop_assert_eq!(retry_after(&with_retry_after(earlier), now), Some(Duration::ZERO));
        }
    }

    #[test]
    fn retry_after_with_a_fraction_is_that_many_seconds(millis in 0u64..1 << 40) {
        let text = format!("{}.{:03}", millis / 1000, millis % 1000);
        let got = retry_after(&with_retry_after(HeaderValue::from_str(&text).unwrap()), SystemTime::now()).unwrap();
        let want = Duration::from_millis(millis);
        prop_assert!(got.abs_diff(want) < Duration::from_millis(1), "{text}: {got:?}");
    }
}

/// A loopback server that answers whatever the test last put in its slot.
struct Scripted {
    server: Hostile,
    slot: Arc<Mutex<Behaviour>>,
}

impl Scripted {
    fn new() -> Self {
        let slot = Arc::new(Mutex::new(Behaviour::Close));
        let answer = slot.clone();
        let server = Hostile::start(move |_| answer.lock().unwrap().clone());
        Self { server, slot }
    }

    fn answer(&self, behaviour: impl Into<Behaviour>) {
        *self.slot.lock().unwrap() = behaviour.into();
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Keys the vendors' readers look at, and others.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "error",
            "message",
            "errors",
            "messages",
            "causes",
            "text",
            "type",
            "validation_errors",
            "_errors",
            "detailCode",
            "trackingId",
            "OperationId",
            "Error",
            "Reason",
            "Resolution",
            "error_code",
            "error_msg",
            "errorCode",
            "errorMsg",
            "code",
            "request_id",
            "encoded_authorization_message",
            "ok",
        ])
        .prop_map(str::to_string),
        "[a-z_]{1,8}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[ -~]{0,12}".prop_map(Value::String),
        "\\PC{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(key(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[test]
fn every_vendors_error_reader_takes_any_json_value_without_panicking() {
    let rt = runtime();
    let server = Scripted::new();
    for call in [
        Call::SeamLaunch,
        Call::NermList,
        Call::IscGet,
        Call::AvevaGet,
        Call::HuaweiGet,
    ] {
        let client = call
            .client(&server.server.base_url(), &Settings::default())
            .unwrap();
        let mut runner = TestRunner::new(config(48));
        runner
            .run(
                &(json_value(), prop::sample::select(vec![400u16, 404, 500])),
                |(body, status)| {
                    server.answer(Answer::json(status, &body));
                    let err = rt.block_on(call.send_fail(&client));
                    prop_assert_eq!(err.kind(), ErrorKind::from_status(status), "{:?}", err);
                    prop_assert_eq!(err.status(), Some(status));
                    prop_assert_eq!(err.vendor(), Some(call.vendor()));
                    prop_assert!(!err.message().is_empty(), "{:?}", err);
                    // Kept as the client parsed it (serde_json may read a float's last digit otherwise).
                    let parsed: Value = serde_json::from_str(&body.to_string()).unwrap();
                    prop_assert_eq!(err.body(), Some(&parsed), "the JSON body is kept");
                    let _ = (err.to_string(), format!("{err:?}"));
                    Ok(())
                },
            )
            .unwrap_or_else(|e| panic!("{call:?}: {e}"));
    }
}

/// A vendor's error body with `message`, `code` and `request_id` where it documents them, plus `extra`
/// fields its reader does not look at; and the response headers that carry the request id for vendors
/// that send it there.
fn documented_error(
    call: Call,
    message: &str,
    code: &str,
    request_id: &str,
    extra: &Map<String, Value>,
) -> Answer {
    let mut body = match call {
        Call::SeamLaunch => json!({"ok": false, "error": {"type": code, "message": message}}),
        Call::NermList => json!({"error": message}),
        Call::IscGet => json!({
            "detailCode": code, "trackingId": request_id, "messages": [{"text": message}]
        }),
        Call::AvevaGet => json!({"OperationId": request_id, "Error": message}),
        Call::HuaweiGet => {
            json!({"error_code": code, "error_msg": message, "request_id": request_id})
        }
        other => unreachable!("{other:?}"),
    };
    let object = body.as_object_mut().unwrap();
    for (k, v) in extra {
        object.insert(k.clone(), v.clone());
    }
    let answer = Answer::json(400, &body);
    match call {
        Call::SeamLaunch => answer.header("seam-request-id", request_id),
        Call::NermList => answer.header("x-request-id", request_id),
        _ => answer,
    }
}

#[test]
fn every_vendors_error_reader_finds_the_message_code_and_request_id_where_the_vendor_puts_them() {
    let rt = runtime();
    let server = Scripted::new();
    let case = (
        "[A-Za-z0-9][A-Za-z0-9 .,:;!?'()-]{0,40}",
        "[A-Za-z][A-Za-z0-9._]{0,15}",
        "[A-Za-z0-9][A-Za-z0-9-]{0,31}",
        proptest::collection::btree_map("x_[a-z]{1,6}", json_value(), 0..4),
        "[ \t]{0,2}",
    );
    for call in [
        Call::SeamLaunch,
        Call::NermList,
        Call::IscGet,
        Call::AvevaGet,
        Call::HuaweiGet,
    ] {
        let client = call
            .client(&server.server.base_url(), &Settings::default())
            .unwrap();
        let mut runner = TestRunner::new(config(32));
        runner
            .run(&case, |(message, code, request_id, extra, pad)| {
                let extra: Map<String, Value> = extra.into_iter().collect();
                let padded = format!("{pad}{message}{pad}");
                server.answer(documented_error(call, &padded, &code, &request_id, &extra));
                let err = rt.block_on(call.send_fail(&client));
                prop_assert_eq!(err.kind(), ErrorKind::Validation);
                prop_assert_eq!(err.message(), message.trim(), "{:?}", err);
                prop_assert_eq!(err.request_id(), Some(request_id.as_str()), "{:?}", err);
                if matches!(call, Call::SeamLaunch | Call::IscGet | Call::HuaweiGet) {
                    prop_assert_eq!(err.code(), Some(code.as_str()), "{:?}", err);
                }
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{call:?}: {e}"));
    }
}

/// Where a server puts the echoed secret.
#[derive(Debug, Clone)]
enum Echo {
    /// In the vendor's error message.
    Message,
    /// In a detail field (validation errors, causes, reason).
    Detail,
    /// In the response's request-id headers.
    RequestIdHeader,
    /// In an HTML error page, starting this many bytes in (around the end of the kept prefix).
    Html(usize),
    /// In a JSON string answered as a success (serde_json's message quotes it).
    WrongShape,
    /// In a redirect's `Location`.
    Location,
}

fn detail_body(call: Call, text: &str) -> Value {
    match call {
        Call::SeamLaunch => json!({"error": {"type": "invalid_input", "message": "bad",
            "validation_errors": {"_errors": [text], "field": {"_errors": [text]}}}}),
        Call::NermList => json!({"error": "bad", "errors": [text]}),
        Call::IscGet => {
            json!({"messages": [{"text": "bad"}, {"text": text}], "causes": [{"text": text}]})
        }
        Call::AvevaGet => json!({"Error": "bad", "Reason": text, "Resolution": text}),
        Call::HuaweiGet => json!({"error_msg": "bad", "encoded_authorization_message": text}),
        other => unreachable!("{other:?}"),
    }
}

#[test]
fn any_secret_of_8_bytes_or_more_is_scrubbed_wherever_a_server_echoes_it() {
    let rt = runtime();
    let server = Scripted::new();
    let calls = vec![
        Call::SeamLaunch,
        Call::NermList,
        Call::IscGet,
        Call::AvevaGet,
        Call::HuaweiGet,
    ];
    let echo = prop_oneof![
        Just(Echo::Message),
        Just(Echo::Detail),
        Just(Echo::RequestIdHeader),
        (BODY_PREFIX_LEN - 48..BODY_PREFIX_LEN + 8).prop_map(Echo::Html),
        (0..BODY_PREFIX_LEN).prop_map(Echo::Html),
        Just(Echo::WrongShape),
        Just(Echo::Location),
    ];
    let case = (
        prop::sample::select(calls),
        "[A-Za-z0-9_.-]{8,48}",
        echo,
        "[ -~]{0,24}",
        "[ -~]{0,24}",
    );
    let mut runner = TestRunner::new(config(40));
    runner
        .run(&case, |(call, secret, echo, left, right)| {
            // The secret is this client's own credential (for Huawei its SK, which never travels).
            let base = server.server.base_url();
            let client = match call {
                Call::SeamLaunch => AnyClient::Seam(
                    idprov_seam::Client::with_config(
                        idprov_seam::ClientConfig::new(idprov_seam::Credentials::ApiKey(
                            Secret::new(secret.clone()),
                        ))
                        .base_url(&base),
                    )
                    .unwrap(),
                ),
                Call::NermList => AnyClient::Nerm(
                    idprov_sailpoint_nerm::Client::with_config(
                        idprov_sailpoint_nerm::ClientConfig::new(
                            idprov_sailpoint_nerm::Credentials::ApiToken(Secret::new(
                                secret.clone(),
                            )),
                        )
                        .base_url(&base),
                    )
                    .unwrap(),
                ),
                Call::IscGet => AnyClient::Isc(
                    idprov_sailpoint_isc::Client::with_config(
                        idprov_sailpoint_isc::ClientConfig::new(
                            idprov_sailpoint_isc::Credentials::AccessToken(Secret::new(
                                secret.clone(),
                            )),
                        )
                        .base_url(&base),
                    )
                    .unwrap(),
                ),
                Call::AvevaGet => AnyClient::Aveva(
                    idprov_aveva_connect::Client::with_config(
                        idprov_aveva_connect::ClientConfig::new(
                            idprov_aveva_connect::Credentials::AccessToken(Secret::new(
                                secret.clone(),
                            )),
                        )
                        .base_url(&base),
                    )
                    .unwrap(),
                ),
                Call::HuaweiGet => AnyClient::Huawei(
                    idprov_huaweicloud_identitycenter::Client::with_config(
                        idprov_huaweicloud_identitycenter::ClientConfig::new(
                            idprov_huaweicloud_identitycenter::Credentials::new(
                                HUAWEI_AK,
                                Secret::new(secret.clone()),
                            ),
                        )
                        .base_url(&base),
                    )
                    .unwrap(),
                ),
                other => unreachable!("{other:?}"),
            };
            let text = format!("{left}{secret}{right}");
            let answer = match &echo {
                Echo::Message => Answer::json(400, &call.error_body(&text)),
                Echo::Detail => Answer::json(400, &detail_body(call, &text)),
                Echo::RequestIdHeader => Answer::json(404, &json!({}))
                    .header("seam-request-id", &text)
                    .header("x-request-id", &text)
                    .header("operation-id", &text),
                Echo::Html(at) => {
                    let page = format!("{}{secret}{right}", "x".repeat(*at));
                    Answer::html(500, &page)
                }
                Echo::WrongShape => Answer::json(200, &Value::String(text.clone())),
                Echo::Location => {
                    Answer::redirect(302, &format!("https://elsewhere.example/{text}"))
                }
            };
            server.answer(answer);
            let err = rt.block_on(call.send_fail(&client));
            let shown = format!("{err}\n{err:?}");
            prop_assert!(!shown.contains(&secret), "{:?}: {}", echo, shown);
            for field in [
                err.message(),
                err.code().unwrap_or(""),
                err.request_id().unwrap_or(""),
                err.location().unwrap_or(""),
            ]
            .into_iter()
            .chain(err.details().iter().map(String::as_str))
            {
                prop_assert!(!field.contains(&secret), "{:?}: {}", echo, field);
            }
            if let Some(body) = err.body() {
                prop_assert!(!body.to_string().contains(&secret), "{:?}: {}", echo, body);
            }
            if let Some(prefix) = err.body_prefix() {
                for piece in 4..=secret.len() {
                    prop_assert!(
                        !prefix.ends_with(&secret[..piece]),
                        "{:?}: the prefix ends with {} bytes of the secret: {:?}",
                        echo,
                        piece,
                        prefix
                    );
                }
            }
            Ok(())
        })
        .unwrap();
}
