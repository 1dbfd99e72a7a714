//! Part 2: micro-benchmarks. Huawei request signing of a POST with a 1 KiB JSON body (the whole
//! `sign_reqwest` the Huawei client's signer calls per attempt, and the pure `sign` under it), and the error
//! decoding (`VendorProfile::read_error` of each client crate's `API.vendor`) of each vendor's documented
//! error body.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, SystemTime};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use idprov_bench::examples::{Examples, HUAWEI_INSTANCE, HUAWEI_PERMISSION_SET, json_body_of_len};
use idprov_bench::variants::{HUAWEI_AK, HUAWEI_DOMAIN, HUAWEI_SK};
use idprov_huaweicloud_identitycenter::signer::{SignInput, sign, sign_reqwest};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};

fn signing(c: &mut Criterion) {
    let body = json_body_of_len(1024);
    assert_eq!(body.len(), 1024);
    let url = format!(
        "https://identitycenter.myhuaweicloud.com/v1/instances/{HUAWEI_INSTANCE}/permission-sets/{HUAWEI_PERMISSION_SET}/provision"
    );
    // The request as the generated client hands it to the runtime, with the headers the runtime adds.
    idprov_runtime::config::install_tls_provider();
    let request = reqwest::Client::new()
        .post(&url)
        .header(ACCEPT, "application/json")
        .header(CONTENT_TYPE, "application/json")
        .header("x-domain-id", HUAWEI_DOMAIN)
        .body(body.clone())
        .build()
        .unwrap();
    let now = SystemTime::now();

    let mut group = c.benchmark_group("huawei_sign");
    group.bench_function("sign_reqwest_1KiB", |b| {
        b.iter_batched(
            || request.try_clone().unwrap(),
            |mut req| {
                sign_reqwest(HUAWEI_AK, HUAWEI_SK, None, now, &mut req).unwrap();
                req
            },
            BatchSize::SmallInput,
        );
    });

    let parsed = url::Url::parse(&url).unwrap();
    let headers: Vec<(String, String)> = vec![
        ("accept".into(), "application/json".into()),
        ("content-type".into(), "application/json".into()),
        ("x-domain-id".into(), HUAWEI_DOMAIN.into()),
        ("x-sdk-date".into(), "20260101T000000Z".into()),
        ("host".into(), "identitycenter.myhuaweicloud.com".into()),
    ];
    group.bench_function("sign_1KiB", |b| {
        b.iter(|| {
            sign(
                HUAWEI_AK,
                HUAWEI_SK,
                &SignInput {
                    method: "POST",
                    url: &parsed,
                    headers: &headers,
                    body: &body,
                },
            )
            .unwrap()
        });
    });
    group.finish();
}

fn error_decoding(c: &mut Criterion) {
    let examples = Examples::from_specs().expect("spec examples");
    let mut group = c.benchmark_group("error_decode");
    for ex in &examples.errors {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let Some((name, value)) = ex.request_id_header {
            headers.insert(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        group.bench_function(ex.name, |b| {
            b.iter(|| ex.vendor.read_error(ex.status, &headers, &ex.body));
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = signing, error_decoding
}
criterion_main!(benches);
