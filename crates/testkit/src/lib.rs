//! Helpers the idprov client crates' tests share: a mock that answers anything (to prove nothing was
//! sent), the assertion that a call was refused before sending, reading a header or the decoded path
//! segments of a request httpmock received, and a responder that plays JSON answers in turn (for polling
//! and paging tests).
//!
//! ```
//! let err = idprov_runtime::Error::new(idprov_runtime::ErrorKind::InvalidRequest, "request not sent: id was not initialized");
//! idprov_testkit::assert_refused_naming(&err, "id");
//! ```

pub mod hostile;
pub mod logs;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use httpmock::{HttpMockRequest, HttpMockResponse, Mock, MockServer};
use idprov_runtime::{Error, ErrorKind};

/// A mock answering every request with `status` and no body; its call count shows whether anything was sent.
pub async fn catch_all(server: &MockServer, status: u16) -> Mock<'_> {
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(status);
        })
        .await
}

/// Asserts that `err` refused the call before sending it (no status) with a message naming `field`.
#[allow(clippy::panic, reason = "an assertion helper for tests")]
pub fn assert_refused_naming(err: &Error, field: &str) {
    assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{err}");
    assert_eq!(err.status(), None, "{err}");
    assert!(
        err.message().contains(field),
        "message should name {field}: {err}"
    );
}

/// The segments of the path of a request httpmock received, as sent (split on `/`), each percent-decoded:
/// `/t/a%2Fb/x` is `["t", "a/b", "x"]`. A segment that does not decode to UTF-8 is kept as it was sent.
pub fn path_segments(req: &HttpMockRequest) -> Vec<String> {
    let uri = req.uri();
    let path = uri.path();
    path.strip_prefix('/')
        .unwrap_or(path)
        .split('/')
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map_or_else(|_| s.to_string(), |d| d.into_owned())
        })
        .collect()
}

/// The value of header `name` (any case) of a request httpmock received, if it has one that is text.
pub fn header(req: &HttpMockRequest, name: &str) -> Option<String> {
    req.headers()
        .iter()
        .find(|(n, _)| n.as_str().eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.to_str().ok())
        .map(str::to_string)
}

/// A responder (for httpmock's `then.respond_with`) that answers 200 with `answers` as JSON in turn, the last
/// one again once they run out, and the count of requests it answered.
#[allow(
    clippy::panic,
    reason = "a test helper: no answers is a mistake in the test"
)]
pub fn json_in_turn(
    answers: Vec<serde_json::Value>,
) -> (
    Arc<AtomicUsize>,
    impl Fn(&HttpMockRequest) -> HttpMockResponse + Send + Sync + 'static,
) {
    assert!(
        !answers.is_empty(),
        "json_in_turn needs at least one answer"
    );
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let respond = move |_req: &HttpMockRequest| {
        let n = seen.fetch_add(1, Ordering::SeqCst);
        HttpMockResponse::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(answers[n.min(answers.len() - 1)].to_string())
            .build()
    };
    (calls, respond)
}

/// An environment lookup over `vars` (for testing a client crate's `from_env` without touching the
/// process environment).
pub fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: std::collections::HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| map.get(name).cloned()
}

/// Waiting options for tests against a local server (idprov-sandbox's jobs end in about 200 ms): polls
/// every 20-50 ms and gives up after 10 s, so a job that never ends fails the test quickly.
pub fn quick_wait() -> idprov_runtime::wait::WaitOptions {
    idprov_runtime::wait::WaitOptions {
        timeout: std::time::Duration::from_secs(10),
        initial_interval: std::time::Duration::from_millis(20),
        max_interval: std::time::Duration::from_millis(50),
    }
}
