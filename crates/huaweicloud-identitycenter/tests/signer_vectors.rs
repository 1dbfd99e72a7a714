//! The Huawei AK/SK signer against vectors made by the official `huaweicloudsdkcore` 3.1.219 signer
//! (`tests/fixtures/huawei_signer_vectors.json`, written by `tests/fixtures/make_huawei_signer_vectors.py`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use idprov_huaweicloud_identitycenter::signer::{
    SignError, SignInput, canonical_request, parse_sdk_date, sdk_date, sign, sign_reqwest,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    name: String,
    inputs: Inputs,
    outputs: Outputs,
}

#[derive(Deserialize)]
struct Inputs {
    method: String,
    scheme: String,
    host: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: String,
    ak: String,
    sk: String,
    sdk_date: String,
    security_token: Option<String>,
}

#[derive(Deserialize)]
struct Outputs {
    canonical_request: String,
    canonical_query: String,
    signed_headers: String,
    authorization: String,
    sent_headers: Vec<(String, String)>,
}

fn fixture() -> Fixture {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/huawei_signer_vectors.json"
    );
    let text = std::fs::read_to_string(path).expect("read the fixture");
    serde_json::from_str(&text).expect("parse the fixture")
}

fn vector(name: &str) -> Vector {
    fixture()
        .vectors
        .into_iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("no vector {name}"))
}

/// The URL a client would build: the path as the SDK sends it, the query pairs form-encoded in the given order.
fn url_of(i: &Inputs) -> url::Url {
    let mut url =
        url::Url::parse(&format!("{}://{}{}", i.scheme, i.host, i.path)).expect("vector URL");
    if !i.query.is_empty() {
        let mut q = url.query_pairs_mut();
        for (k, v) in &i.query {
            q.append_pair(k, v);
        }
    }
    url
}

#[test]
fn every_vector_matches_the_official_signer() {
    let fixture = fixture();
    assert!(fixture.vectors.len() >= 15, "the fixture lost vectors");
    for v in &fixture.vectors {
        let i = &v.inputs;
        let url = url_of(i);
        let input = SignInput {
            method: &i.method,
            url: &url,
            headers: &i.headers,
            body: i.body.as_bytes(),
        };

        let canonical = canonical_request(&input).unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert_eq!(
            canonical, v.outputs.canonical_request,
            "{}: canonical request",
            v.name
        );

        let sig = sign(&i.ak, &i.sk, &input).unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert_eq!(
            sig.authorization, v.outputs.authorization,
            "{}: Authorization",
            v.name
        );
        assert_eq!(
            sig.canonical_query, v.outputs.canonical_query,
            "{}: canonical query",
            v.name
        );
        assert_eq!(
            sig.signed_headers, v.outputs.signed_headers,
            "{}: signed headers",
            v.name
        );

        // The input headers plus the added ones are what the SDK sends (less Authorization), values trimmed.
        let mut ours: Vec<(String, String)> = i
            .headers
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_owned()))
            .chain(
                sig.added_headers
                    .iter()
                    .map(|(n, v)| (n.to_ascii_lowercase(), v.clone())),
            )
            .collect();
        let mut sent: Vec<(String, String)> = v
            .outputs
            .sent_headers
            .iter()
            .filter(|(n, _)| !n.eq_ignore_ascii_case("authorization"))
            .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
            .collect();
        ours.sort();
        sent.sort();
        assert_eq!(ours, sent, "{}: headers to send", v.name);
    }
}

/// A `reqwest::Request` as a generated client would hand it to the hook: no date, token, Host or signature.
fn reqwest_request(i: &Inputs) -> reqwest::Request {
    let method = reqwest::Method::from_bytes(i.method.as_bytes()).expect("method");
    let mut req = reqwest::Request::new(method, url_of(i));
    for (name, value) in &i.headers {
        if name.eq_ignore_ascii_case("x-sdk-date")
            || (i.security_token.is_some() && name.eq_ignore_ascii_case("x-security-token"))
        {
            continue;
        }
        req.headers_mut().insert(
            reqwest::header::HeaderName::from_bytes(name.as_bytes()).expect("header name"),
            reqwest::header::HeaderValue::from_str(value).expect("header value"),
        );
    }
    if !i.body.is_empty() {
        *req.body_mut() = Some(reqwest::Body::from(i.body.clone()));
    }
    req
}

#[test]
fn sign_reqwest_matches_every_vector() {
    for v in fixture().vectors {
        let i = &v.inputs;
        let now = parse_sdk_date(&i.sdk_date).expect("vector date");
        let mut req = reqwest_request(i);
        sign_reqwest(&i.ak, &i.sk, i.security_token.as_deref(), now, &mut req)
            .unwrap_or_else(|e| panic!("{}: {e}", v.name));

        let auth = req
            .headers()
            .get(reqwest::header::AUTHORIZATION)
            .expect("Authorization set");
        assert_eq!(
            auth.to_str().unwrap(),
            v.outputs.authorization,
            "{}: Authorization",
            v.name
        );
        assert!(
            auth.is_sensitive(),
            "{}: Authorization is marked sensitive",
            v.name
        );
        let expected_query = Some(v.outputs.canonical_query.as_str()).filter(|q| !q.is_empty());
        assert_eq!(
            req.url().query(),
            expected_query,
            "{}: the URL carries the canonical query",
            v.name
        );
        assert_eq!(
            req.headers()["x-sdk-date"],
            i.sdk_date.as_str(),
            "{}: X-Sdk-Date",
            v.name
        );
        if let Some(token) = &i.security_token {
            let sent = &req.headers()["x-security-token"];
            assert_eq!(sent, token.as_str(), "{}: X-Security-Token", v.name);
            assert!(
                sent.is_sensitive(),
                "{}: X-Security-Token is marked sensitive",
                v.name
            );
        }
        // Every header the SDK sends is on the request with the same (trimmed) value.
        for (name, value) in &v.outputs.sent_headers {
            let ours = req
                .headers()
                .get(name.as_str())
                .unwrap_or_else(|| panic!("{}: no {name}", v.name));
            assert_eq!(
                ours.as_bytes(),
                value.as_bytes(),
                "{}: header {name}",
                v.name
            );
        }

        // A retry signs the already signed request again: same result at the same time.
        sign_reqwest(&i.ak, &i.sk, i.security_token.as_deref(), now, &mut req).unwrap();
        let again = req.headers().get(reqwest::header::AUTHORIZATION).unwrap();
        assert_eq!(
            again.to_str().unwrap(),
            v.outputs.authorization,
            "{}: re-signing",
            v.name
        );
        assert_eq!(
            req.url().query(),
            expected_query,
            "{}: re-signing keeps the query",
            v.name
        );
    }
}

#[test]
fn sign_reqwest_refreshes_the_date_on_each_attempt() {
    let v = vector("provision_json_body");
    let i = &v.inputs;
    let now = parse_sdk_date(&i.sdk_date).unwrap();
    let mut req = reqwest_request(i);
    sign_reqwest(&i.ak, &i.sk, None, now, &mut req).unwrap();
    sign_reqwest(&i.ak, &i.sk, None, now + Duration::from_secs(30), &mut req).unwrap();
    assert_eq!(req.headers()["x-sdk-date"], "20240521T093045Z");
    assert_ne!(
        req.headers()[reqwest::header::AUTHORIZATION]
            .to_str()
            .unwrap(),
        v.outputs.authorization
    );
}

#[test]
fn trailing_slash_and_no_trailing_slash_sign_identically() {
    let without = vector("path_without_trailing_slash");
    let with = vector("path_with_trailing_slash");
    assert_eq!(
        without.outputs.authorization, with.outputs.authorization,
        "the official signer agrees"
    );

    let i = &without.inputs;
    assert!(!i.path.ends_with('/'));
    let a = url_of(i);
    let mut b = a.clone();
    b.set_path(&format!("{}/", a.path()));
    let sign_url = |url: &url::Url| {
        let input = SignInput {
            method: &i.method,
            url,
            headers: &i.headers,
            body: i.body.as_bytes(),
        };
        sign(&i.ak, &i.sk, &input).unwrap().authorization
    };
    assert_eq!(sign_url(&a), sign_url(&b));
    assert_eq!(sign_url(&a), without.outputs.authorization);
}

#[test]
fn sdk_date_formats_and_parses_utc() {
    let t = UNIX_EPOCH + Duration::from_secs(1_716_283_815);
    assert_eq!(sdk_date(t), "20240521T093015Z");
    assert_eq!(sdk_date(t + Duration::from_millis(999)), "20240521T093015Z");
    assert_eq!(parse_sdk_date("20240521T093015Z"), Ok(t));
    assert_eq!(sdk_date(UNIX_EPOCH), "19700101T000000Z");
    assert_eq!(
        sdk_date(UNIX_EPOCH - Duration::from_millis(1)),
        "19691231T235959Z"
    );
    assert_eq!(
        sdk_date(parse_sdk_date("20240229T235959Z").unwrap()),
        "20240229T235959Z"
    );
    assert_eq!(
        sdk_date(parse_sdk_date("21000301T000000Z").unwrap()),
        "21000301T000000Z"
    );
    for bad in [
        "20230229T000000Z",
        "2024521T093015Z",
        "20240521T093015",
        "20240521 093015Z",
        "20241301T000000Z",
        "20240521T240000Z",
        "20240521T235960Z",
        "00000101T000000Z",
        " 20240521T093015Z",
    ] {
        assert_eq!(parse_sdk_date(bad), Err(SignError::InvalidSdkDate), "{bad}");
    }
    // Round trip over a spread of times.
    let mut s = 0u64;
    while s < 4_102_444_800 {
        let t = UNIX_EPOCH + Duration::from_secs(s);
        assert_eq!(parse_sdk_date(&sdk_date(t)), Ok(t));
        s += 86_399 * 7 + 13;
    }
}

#[test]
fn inputs_the_official_signer_could_not_sign_are_errors() {
    let v = vector("provision_json_body");
    let i = &v.inputs;
    let url = url_of(i);
    let try_sign = |ak: &str, sk: &str, headers: &[(String, String)]| {
        sign(
            ak,
            sk,
            &SignInput {
                method: &i.method,
                url: &url,
                headers,
                body: i.body.as_bytes(),
            },
        )
    };
    let with = |extra: (&str, &str)| {
        let mut h = i.headers.clone();
        h.push((extra.0.to_owned(), extra.1.to_owned()));
        h
    };
    assert_eq!(
        try_sign("", &i.sk, &i.headers),
        Err(SignError::EmptyAccessKey)
    );
    assert_eq!(
        try_sign(&i.ak, "", &i.headers),
        Err(SignError::EmptySecretKey)
    );
    let no_date: Vec<_> = i
        .headers
        .iter()
        .filter(|(n, _)| n != "X-Sdk-Date")
        .cloned()
        .collect();
    assert_eq!(
        try_sign(&i.ak, &i.sk, &no_date),
        Err(SignError::MissingSdkDate)
    );
    assert_eq!(
        try_sign(&i.ak, &i.sk, &with(("x-sdk-date", "x"))),
        Err(SignError::DuplicateHeader("x-sdk-date".into()))
    );
    assert_eq!(
        try_sign(&i.ak, &i.sk, &with(("Authorization", "x"))),
        Err(SignError::AuthorizationPresent)
    );
    assert_eq!(
        try_sign(&i.ak, &i.sk, &with(("X-Bad", "a\r\nb"))),
        Err(SignError::InvalidHeaderValue("X-Bad".into()))
    );
    assert!(matches!(
        try_sign(&i.ak, &i.sk, &with(("X Bad", "a"))),
        Err(SignError::InvalidHeaderName(_))
    ));

    // Errors never carry a secret.
    let e = try_sign(&i.ak, &i.sk, &with(("X-Bad", "secret-value\n"))).unwrap_err();
    assert!(!e.to_string().contains("secret-value"));
    assert!(!format!("{e:?}").contains("secret-value"));

    let mut req = reqwest_request(i);
    *req.body_mut() = Some(reqwest::Body::wrap_stream(futures::stream::iter(vec![
        Ok::<_, std::io::Error>(&b"{}"[..]),
    ])));
    assert_eq!(
        sign_reqwest(&i.ak, &i.sk, None, SystemTime::now(), &mut req),
        Err(SignError::StreamingBody)
    );
}

#[test]
fn a_security_token_already_on_the_request_is_kept() {
    let v = vector("provision_security_token");
    let i = &v.inputs;
    let token = i.security_token.as_deref().unwrap();
    let mut req = reqwest_request(i);
    req.headers_mut()
        .insert("x-security-token", token.parse().unwrap());
    sign_reqwest(
        &i.ak,
        &i.sk,
        Some("another-token"),
        parse_sdk_date(&i.sdk_date).unwrap(),
        &mut req,
    )
    .unwrap();
    assert_eq!(req.headers()["x-security-token"], token);
    assert_eq!(
        req.headers()[reqwest::header::AUTHORIZATION]
            .to_str()
            .unwrap(),
        v.outputs.authorization
    );
}
