//! A hostile loopback HTTP/1.1 server: it misbehaves at the socket level as a test scripts it (closes or
//! resets the connection before answering, breaks off mid-body, never answers, drips a body byte by byte,
//! sends a huge or endless body generated on the fly, lies about content types, redirects, sends any header
//! at all) and records every request it gets (method, target, headers, body), so a test can assert how
//! many requests reached it, that a POST was not sent twice, and that no credential reached a listener it
//! should not have.
//!
//! It runs on a thread of its own (any test, async or not, can use it), stops when dropped, and every wait
//! in it is bounded ([`HOLD_LIMIT`], [`LIFETIME`]), so it never keeps a test alive. Tests should still bound
//! their calls: [`within`] does, and fails the test if anything panicked on the test's thread meanwhile.
//!
//! ```
//! use idprov_testkit::hostile::{Answer, Behaviour, Hostile};
//!
//! let api = Hostile::playing(vec![
//!     Behaviour::Reset,
//!     Answer::json(429, &serde_json::json!({"message": "slow down"})).header("Retry-After", "1").into(),
//! ]);
//! let to = Hostile::recorder();
//! assert!(api.base_url().starts_with("http://127.0.0.1:"));
//! assert_eq!(api.count(), 0);
//! assert!(to.requests().is_empty());
//! ```

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The longest the server holds one connection (a request that is never answered, a drip, an endless
/// body): after it, the connection is closed whatever its script says.
pub const HOLD_LIMIT: Duration = Duration::from_secs(30);

/// The longest a server lives: after it, it stops accepting and closes every connection.
pub const LIFETIME: Duration = Duration::from_secs(300);

/// How long a client has to send a whole request.
const READ_LIMIT: Duration = Duration::from_secs(10);

/// The largest request head read; a longer one closes the connection.
const MAX_HEAD: usize = 64 * 1024;

/// The largest request body read and recorded; the connection is closed after a longer one is announced.
const MAX_REQUEST_BODY: usize = 16 * 1024 * 1024;

/// The most connections a server accepts in its life.
const MAX_CONNECTIONS: usize = 10_000;

/// The most bytes an endless body sends before ending the connection (a client that keeps reading gets
/// this much; one that reads within a cap goes away long before).
const ENDLESS_LIMIT: u64 = 8 * 1024 * 1024 * 1024;

/// How long a connection that breaks off mid-body waits before resetting, so the client has read what
/// was sent.
const BREAK_PAUSE: Duration = Duration::from_millis(100);

/// Size of one write of a generated body.
const CHUNK: usize = 64 * 1024;

/// One request the server received, recorded before it acted on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The request target as sent: path and query.
    pub target: String,
    /// The headers as sent (name, value), in order; values that are not UTF-8 are read lossily.
    pub headers: Vec<(String, String)>,
    /// The body (read by `Content-Length`; a chunked request body is not read).
    pub body: Vec<u8>,
}

impl Received {
    /// The target's path, without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// The value of header `name` (any case), if it was sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as lossy UTF-8.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Whether `needle` appears anywhere in the request: target, a header name or value, or the body (as
    /// sent, and form-decoded: a secret in a form body is percent-encoded).
    pub fn contains(&self, needle: &str) -> bool {
        let body = self.body_text();
        let form_decoded = form_decode(&body);
        self.target.contains(needle)
            || self
                .headers
                .iter()
                .any(|(n, v)| n.contains(needle) || v.contains(needle))
            || body.contains(needle)
            || form_decoded.contains(needle)
    }
}

/// `application/x-www-form-urlencoded` text decoded (`+` is a space, `%XX` a byte), lossily as UTF-8.
fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push((hi * 16 + lo) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What the server does with one request, once it has read it.
#[derive(Debug, Clone)]
pub enum Behaviour {
    /// Closes the connection (FIN) without sending a byte.
    Close,
    /// Resets the connection (RST) without sending a byte.
    Reset,
    /// Never answers: holds the connection until the client goes, the server is dropped, or
    /// [`HOLD_LIMIT`] passes.
    Hang,
    /// Sends this answer.
    Answer(Answer),
    /// Answers with this status and an HTML page listing every request header it received, values and all
    /// (a misconfigured gateway's debug page: the echo-the-credential case).
    EchoHeaders(u16),
}

impl From<Answer> for Behaviour {
    fn from(answer: Answer) -> Self {
        Self::Answer(answer)
    }
}

/// An answer: status, headers exactly as given, a body, and how long to wait before sending anything.
///
/// `Content-Length` (or `Transfer-Encoding: chunked` for [`Body::Endless`]) and `Connection: close` are
/// added unless the headers set them; the status line's reason phrase is always `Hostile`.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The status code (any number, sent as it is).
    pub status: u16,
    /// Headers, sent as given (names and values are not checked).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Body,
    /// How long to wait after reading the request before sending the status line.
    pub delay: Duration,
}

/// How an answer's body is sent.
#[derive(Debug, Clone)]
pub enum Body {
    /// These bytes, with their `Content-Length`.
    Bytes(Vec<u8>),
    /// `len` bytes generated on the fly (never held in memory): `prefix` (cut to `len`), then `fill`
    /// repeated; `Content-Length: len`.
    Generated {
        /// The first bytes (a JSON opening, say).
        prefix: Vec<u8>,
        /// The whole length.
        len: u64,
        /// The byte repeated after the prefix.
        fill: u8,
    },
    /// A chunked body that never ends: `prefix`, then `fill` repeated, until the client goes away (or
    /// [`HOLD_LIMIT`]).
    Endless {
        /// The first bytes.
        prefix: Vec<u8>,
        /// The byte repeated after the prefix.
        fill: u8,
    },
    /// These bytes one at a time, `every` apart, with their `Content-Length`.
    Drip {
        /// The whole body.
        bytes: Vec<u8>,
        /// The pause after each byte.
        every: Duration,
    },
    /// `Content-Length: declared`, then only `sent`, then (after a short pause) a reset connection.
    BreaksOff {
        /// What is sent of the body.
        sent: Vec<u8>,
        /// The length the headers announce.
        declared: u64,
    },
}

impl Answer {
    /// An answer with `status` and no headers or body.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Body::Bytes(Vec::new()),
            delay: Duration::ZERO,
        }
    }

    /// `status` with `value` as an `application/json` body.
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Self::text(status, "application/json", &value.to_string())
    }

    /// `status` with an HTML page.
    pub fn html(status: u16, page: &str) -> Self {
        Self::text(status, "text/html; charset=utf-8", page)
    }

    /// `status` with `body` sent as `content_type` (which need not be what the body is).
    pub fn text(status: u16, content_type: &str, body: &str) -> Self {
        Self::new(status)
            .header("Content-Type", content_type)
            .body(body.as_bytes().to_vec())
    }

    /// A redirect (`301`, `302`, `307`, `308`, ...) to `location`.
    pub fn redirect(status: u16, location: &str) -> Self {
        Self::new(status).header("Location", location)
    }

    /// An OAuth2 token answer: `{"access_token": token, "token_type": "Bearer", "expires_in": expires_in}`
    /// with `expires_in` written as given (`"3600"`, `"1e30"`, `"18446744073709551615"`): JSON text, not
    /// a Rust number, so any size or form can be sent.
    pub fn token(access_token: &str, expires_in: &str) -> Self {
        let body = format!(
            r#"{{"access_token":{},"token_type":"Bearer","expires_in":{expires_in}}}"#,
            serde_json::Value::from(access_token)
        );
        Self::text(200, "application/json", &body)
    }

    /// Adds a header, sent exactly as given.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Sets the body's bytes.
    pub fn body(self, bytes: Vec<u8>) -> Self {
        self.with_body(Body::Bytes(bytes))
    }

    /// Sets how the body is sent.
    pub fn with_body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    /// Waits `delay` before sending anything.
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }
}

/// What the server consults for each request: it gets the request and says what to do.
type Responder = dyn Fn(&Received) -> Behaviour + Send + Sync;

/// A hostile loopback server; see the [module docs](self). Dropping it stops it and closes every
/// connection it holds.
pub struct Hostile {
    addr: SocketAddr,
    log: Arc<Mutex<Log>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for Hostile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hostile")
            .field("addr", &self.addr)
            .field("received", &self.count())
            .finish_non_exhaustive()
    }
}

impl Hostile {
    /// Starts a server on `127.0.0.1` that asks `responder` what to do with each request.
    #[allow(
        clippy::expect_used,
        reason = "a test server that cannot start fails the test"
    )]
    pub fn start(responder: impl Fn(&Received) -> Behaviour + Send + Sync + 'static) -> Self {
        let listener =
            std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback listener");
        listener
            .set_nonblocking(true)
            .expect("make the listener non-blocking");
        let addr = listener.local_addr().expect("the listener's address");
        let log = Arc::new(Mutex::new(Log::default()));
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the hostile server");
        let responder: Arc<Responder> = Arc::new(responder);
        let shared = log.clone();
        let thread = std::thread::Builder::new()
            .name(format!("hostile-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = TcpListener::from_std(listener) else {
                        return;
                    };
                    let serve = async {
                        for _ in 0..MAX_CONNECTIONS {
                            let Ok((stream, _)) = listener.accept().await else {
                                break;
                            };
                            tokio::spawn(connection(stream, responder.clone(), shared.clone()));
                        }
                        std::future::pending::<()>().await;
                    };
                    tokio::select! {
                        _ = stopped => {}
                        () = serve => {}
                        () = tokio::time::sleep(LIFETIME) => {}
                    }
                });
                // Dropping the runtime drops every connection task, closing its socket.
                drop(runtime);
            })
            .expect("a thread for the hostile server");
        Self {
            addr,
            log,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// A server that plays `script` in turn, one behaviour per request whatever its path, repeating the
    /// last one once the script runs out.
    pub fn playing(script: Vec<Behaviour>) -> Self {
        Self::start(in_turn(script))
    }

    /// A server that answers every request `200 {}` and records it: the second listener a redirect points
    /// to, to show what (if anything) reached it.
    pub fn recorder() -> Self {
        Self::start(|_| Answer::json(200, &serde_json::json!({})).into())
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `base_url()` followed by `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url())
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Received> {
        self.log().requests.clone()
    }

    /// How many requests were received so far.
    pub fn count(&self) -> usize {
        self.log().requests.len()
    }

    /// How many bytes of body the server has written so far in answer to each request (same order as
    /// [`Hostile::requests`]): what a client that stops reading at a cap let through, give or take the
    /// sockets' buffers.
    pub fn body_bytes_sent(&self) -> Vec<u64> {
        self.log()
            .sent
            .iter()
            .map(|n| n.load(Ordering::SeqCst))
            .collect()
    }

    fn log(&self) -> std::sync::MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many requests of `method` to a path starting with `path_prefix` were received so far.
    pub fn count_of(&self, method: &str, path_prefix: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path().starts_with(path_prefix))
            .count()
    }

    /// Asserts that no request received so far contains any of `needles` (credentials, say) anywhere:
    /// target, headers, body.
    #[allow(clippy::panic, reason = "an assertion helper for tests")]
    pub fn assert_received_none_of(&self, needles: &[&str]) {
        for req in self.requests() {
            for needle in needles {
                assert!(
                    !req.contains(needle),
                    "{needle:?} reached {}: {req:?}",
                    self.addr
                );
            }
        }
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A responder that plays `script` in turn, repeating the last behaviour once it runs out (closing the
/// connection when the script is empty).
pub fn in_turn(script: Vec<Behaviour>) -> impl Fn(&Received) -> Behaviour + Send + Sync + 'static {
    let next = AtomicUsize::new(0);
    move |_| {
        let n = next.fetch_add(1, Ordering::SeqCst);
        script
            .get(n.min(script.len().saturating_sub(1)))
            .cloned()
            .unwrap_or(Behaviour::Close)
    }
}

/// A responder that plays, for each request, the script of the first route whose path prefix the
/// request's path starts with (each script in turn, as [`in_turn`]); a request no route matches is
/// answered `404`. Put the most specific prefix first (`"/oauth/token"` before `"/"`).
pub fn routes(
    routes: Vec<(&'static str, Vec<Behaviour>)>,
) -> impl Fn(&Received) -> Behaviour + Send + Sync + 'static {
    type Play = Box<dyn Fn(&Received) -> Behaviour + Send + Sync>;
    let routes: Vec<(&'static str, Play)> = routes
        .into_iter()
        .map(|(prefix, script)| (prefix, Box::new(in_turn(script)) as Play))
        .collect();
    move |req| {
        routes
            .iter()
            .find(|(prefix, _)| req.path().starts_with(prefix))
            .map_or_else(|| Answer::new(404).into(), |(_, play)| play(req))
    }
}

/// The HTML page [`Behaviour::EchoHeaders`] answers: every request header, name and value, one per line.
pub fn echo_page(req: &Received) -> String {
    let mut page = format!(
        "<html><head><title>Request rejected</title></head><body><h1>Request rejected</h1>\
         <p>{} {}</p><ul>\n",
        req.method, req.target
    );
    for (name, value) in &req.headers {
        page.push_str(&format!("<li>{name}: {value}</li>\n"));
    }
    page.push_str("</ul></body></html>\n");
    page
}

/// A loopback URL nothing listens on (a port that was bound and let go): connecting to it is refused.
#[allow(
    clippy::expect_used,
    reason = "a test helper that cannot find a port fails the test"
)]
pub fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback listener");
    let addr = listener.local_addr().expect("the listener's address");
    drop(listener);
    format!("http://{addr}")
}

/// Runs `future` for at most `limit`, failing the test if it takes longer (a hang) or if anything
/// panicked on this thread meanwhile — a panic in a task the client spawned on the test's (current
/// thread) runtime, which would otherwise only show as a failed call.
#[allow(clippy::panic, reason = "an assertion helper for tests")]
pub async fn within<F: Future>(limit: Duration, future: F) -> F::Output {
    let before = panics_on_this_thread();
    let out = match tokio::time::timeout(limit, future).await {
        Ok(out) => out,
        Err(_) => panic!("did not finish within {limit:?}"),
    };
    let after = panics_on_this_thread();
    assert_eq!(
        before, after,
        "something panicked on the test's thread during the call"
    );
    out
}

thread_local! {
    static PANICS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many panics happened on this thread since the panic counter was installed (by the first call).
pub fn panics_on_this_thread() -> usize {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.with(|p| p.set(p.get() + 1));
            previous(info);
        }));
    });
    PANICS.with(std::cell::Cell::get)
}

/// What a server recorded: the requests, and the body bytes written in answer to each.
#[derive(Default)]
struct Log {
    requests: Vec<Received>,
    sent: Vec<Arc<AtomicU64>>,
}

async fn connection(mut stream: TcpStream, responder: Arc<Responder>, log: Arc<Mutex<Log>>) {
    let Ok(Some(req)) = tokio::time::timeout(READ_LIMIT, read_request(&mut stream)).await else {
        return;
    };
    let sent = Arc::new(AtomicU64::new(0));
    {
        let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
        log.requests.push(req.clone());
        log.sent.push(sent.clone());
    }
    let behaviour = responder(&req);
    let _ = tokio::time::timeout(HOLD_LIMIT, act(&mut stream, behaviour, &req, &sent)).await;
}

/// Reads one request (head and `Content-Length` body); `None` when the client sent none or too much.
async fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            break end;
        }
        if buf.len() > MAX_HEAD {
            return None;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_string();
    let target = request_line.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    if length > MAX_REQUEST_BODY {
        return None;
    }
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    Some(Received {
        method,
        target,
        headers,
        body,
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

async fn act(stream: &mut TcpStream, behaviour: Behaviour, req: &Received, sent: &AtomicU64) {
    let answer = match behaviour {
        Behaviour::Close => {
            let _ = stream.shutdown().await;
            return;
        }
        Behaviour::Reset => {
            let _ = stream.set_zero_linger();
            return;
        }
        Behaviour::Hang => {
            // Returns when the client closes (or sends something more), else at the caller's HOLD_LIMIT.
            let _ = stream.read(&mut [0u8; 1]).await;
            return;
        }
        Behaviour::EchoHeaders(status) => Answer::html(status, &echo_page(req)),
        Behaviour::Answer(answer) => answer,
    };
    let _ = send(
        stream,
        &answer,
        req.method.eq_ignore_ascii_case("HEAD"),
        sent,
    )
    .await;
}

async fn send(
    stream: &mut TcpStream,
    answer: &Answer,
    head_only: bool,
    sent: &AtomicU64,
) -> std::io::Result<()> {
    let count = |n: usize| sent.fetch_add(n as u64, Ordering::SeqCst);
    if !answer.delay.is_zero() {
        tokio::time::sleep(answer.delay).await;
    }
    let mut head = format!("HTTP/1.1 {} Hostile\r\n", answer.status);
    for (name, value) in &answer.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let framing = !answer.has_header("content-length") && !answer.has_header("transfer-encoding");
    if framing {
        match &answer.body {
            Body::Endless { .. } => head.push_str("Transfer-Encoding: chunked\r\n"),
            Body::Bytes(b) => head.push_str(&format!("Content-Length: {}\r\n", b.len())),
            Body::Drip { bytes, .. } => {
                head.push_str(&format!("Content-Length: {}\r\n", bytes.len()));
            }
            Body::Generated { len, .. } => head.push_str(&format!("Content-Length: {len}\r\n")),
            Body::BreaksOff { declared, .. } => {
                head.push_str(&format!("Content-Length: {declared}\r\n"));
            }
        }
    }
    if !answer.has_header("connection") {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    if head_only {
        return stream.flush().await;
    }
    match &answer.body {
        Body::Bytes(bytes) => {
            stream.write_all(bytes).await?;
            count(bytes.len());
        }
        Body::Generated { prefix, len, fill } => {
            let len = usize::try_from(*len).unwrap_or(usize::MAX);
            let prefix = &prefix[..prefix.len().min(len)];
            stream.write_all(prefix).await?;
            count(prefix.len());
            let filler = vec![*fill; CHUNK];
            let mut left = len - prefix.len();
            while left > 0 {
                let n = left.min(CHUNK);
                stream.write_all(&filler[..n]).await?;
                count(n);
                left -= n;
            }
        }
        Body::Endless { prefix, fill } => {
            if !prefix.is_empty() {
                stream
                    .write_all(format!("{:x}\r\n", prefix.len()).as_bytes())
                    .await?;
                stream.write_all(prefix).await?;
                stream.write_all(b"\r\n").await?;
                count(prefix.len());
            }
            let mut chunk = format!("{CHUNK:x}\r\n").into_bytes();
            chunk.extend(std::iter::repeat_n(*fill, CHUNK));
            chunk.extend_from_slice(b"\r\n");
            let mut written: u64 = 0;
            while written < ENDLESS_LIMIT {
                stream.write_all(&chunk).await?;
                count(CHUNK);
                written += CHUNK as u64;
            }
        }
        Body::Drip { bytes, every } => {
            for byte in bytes {
                stream.write_all(std::slice::from_ref(byte)).await?;
                stream.flush().await?;
                count(1);
                tokio::time::sleep(*every).await;
            }
        }
        Body::BreaksOff { sent: part, .. } => {
            stream.write_all(part).await?;
            count(part.len());
            stream.flush().await?;
            tokio::time::sleep(BREAK_PAUSE).await;
            let _ = stream.set_zero_linger();
            return Ok(());
        }
    }
    stream.flush().await
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        reason = "tests fail loudly on unexpected values"
    )]

    use super::*;

    /// Sends `raw` to `server` and reads what comes back until the connection ends (or errors).
    async fn exchange(server: &Hostile, raw: &str) -> std::io::Result<Vec<u8>> {
        let mut stream = TcpStream::connect(server.addr()).await?;
        stream.write_all(raw.as_bytes()).await?;
        let mut out = Vec::new();
        stream.read_to_end(&mut out).await?;
        Ok(out)
    }

    const GET: &str =
        "GET /a/b?x=1 HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer tok_SECRET\r\n\r\n";

    #[tokio::test]
    async fn every_request_is_recorded_with_method_target_headers_and_body() {
        let server = Hostile::recorder();
        exchange(&server, GET).await.unwrap();
        exchange(
            &server,
            "POST /form HTTP/1.1\r\nContent-Length: 33\r\n\r\nclient_secret=s%2Fcret%2Bvalue&a=",
        )
        .await
        .unwrap();
        let got = server.requests();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].method, "GET");
        assert_eq!(got[0].target, "/a/b?x=1");
        assert_eq!(got[0].path(), "/a/b");
        assert_eq!(got[0].header("authorization"), Some("Bearer tok_SECRET"));
        assert!(got[0].contains("tok_SECRET"));
        assert_eq!(got[1].body_text(), "client_secret=s%2Fcret%2Bvalue&a=");
        assert!(got[1].contains("s/cret+value"), "form-decoded");
        assert_eq!(server.count_of("post", "/form"), 1);
        assert_eq!(server.count_of("GET", "/form"), 0);
    }

    #[tokio::test]
    async fn answers_are_sent_with_their_headers_and_framing() {
        let server = Hostile::playing(vec![
            Answer::json(429, &serde_json::json!({"a": 1}))
                .header("Retry-After", "99999999999999999999999")
                .into(),
        ]);
        let out = String::from_utf8(exchange(&server, GET).await.unwrap()).unwrap();
        assert!(out.starts_with("HTTP/1.1 429 Hostile\r\n"), "{out}");
        assert!(
            out.contains("Retry-After: 99999999999999999999999\r\n"),
            "{out}"
        );
        assert!(out.contains("Content-Length: 7\r\n"), "{out}");
        assert!(out.ends_with("\r\n\r\n{\"a\":1}"), "{out}");
    }

    #[tokio::test]
    async fn close_and_reset_send_nothing_and_a_broken_body_stops_short() {
        let server = Hostile::playing(vec![
            Behaviour::Close,
            Behaviour::Reset,
            Answer::new(200)
                .with_body(Body::BreaksOff {
                    sent: b"{\"par".to_vec(),
                    declared: 1000,
                })
                .into(),
        ]);
        assert!(exchange(&server, GET).await.unwrap().is_empty());
        match exchange(&server, GET).await {
            Ok(out) => assert!(out.is_empty()),
            Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset),
        }
        let mut stream = TcpStream::connect(server.addr()).await.unwrap();
        stream.write_all(GET.as_bytes()).await.unwrap();
        let mut out = vec![0u8; 4096];
        let mut got = 0;
        while let Ok(n) = stream.read(&mut out[got..]).await {
            if n == 0 {
                break;
            }
            got += n;
        }
        let text = String::from_utf8_lossy(&out[..got]);
        assert!(text.contains("Content-Length: 1000"), "{text}");
        assert!(text.ends_with("{\"par"), "{text}");
        assert_eq!(server.count(), 3);
    }

    #[tokio::test]
    async fn a_generated_body_has_its_length_without_being_held_and_an_endless_one_goes_on() {
        let len = 3 * CHUNK as u64 + 17;
        let server = Hostile::playing(vec![
            Answer::new(500)
                .with_body(Body::Generated {
                    prefix: b"{\"error\":\"".to_vec(),
                    len,
                    fill: b'a',
                })
                .into(),
            Answer::new(200)
                .with_body(Body::Endless {
                    prefix: b"[".to_vec(),
                    fill: b' ',
                })
                .into(),
        ]);
        let out = exchange(&server, GET).await.unwrap();
        let body_at = find(&out, b"\r\n\r\n").unwrap() + 4;
        assert_eq!((out.len() - body_at) as u64, len);
        assert_eq!(server.body_bytes_sent(), vec![len]);
        assert!(out[body_at..].starts_with(b"{\"error\":\"aaa"));

        let mut stream = TcpStream::connect(server.addr()).await.unwrap();
        stream.write_all(GET.as_bytes()).await.unwrap();
        let mut read = 0usize;
        let mut buf = vec![0u8; CHUNK];
        while read < 4 * CHUNK {
            let n = stream.read(&mut buf).await.unwrap();
            assert!(n > 0, "the endless body ended after {read} bytes");
            read += n;
        }
    }

    #[tokio::test]
    async fn a_hanging_answer_is_held_and_the_echo_page_lists_the_headers() {
        let server = Hostile::playing(vec![Behaviour::Hang, Behaviour::EchoHeaders(403)]);
        let hung = tokio::time::timeout(Duration::from_millis(300), exchange(&server, GET)).await;
        assert!(hung.is_err(), "no answer came");
        let page = String::from_utf8(exchange(&server, GET).await.unwrap()).unwrap();
        assert!(page.starts_with("HTTP/1.1 403"), "{page}");
        assert!(page.contains("Authorization: Bearer tok_SECRET"), "{page}");
        assert!(page.contains("text/html"), "{page}");
    }

    #[tokio::test]
    async fn routes_play_their_own_scripts_and_a_dropped_server_refuses_connections() {
        let server = Hostile::start(routes(vec![
            (
                "/oauth/token",
                vec![Answer::new(429).into(), Answer::new(200).into()],
            ),
            ("/", vec![Answer::new(204).into()]),
        ]));
        let token = "POST /oauth/token HTTP/1.1\r\nContent-Length: 0\r\n\r\n";
        let status = |out: Vec<u8>| String::from_utf8(out).unwrap()[9..12].to_string();
        assert_eq!(status(exchange(&server, token).await.unwrap()), "429");
        assert_eq!(status(exchange(&server, GET).await.unwrap()), "204");
        assert_eq!(status(exchange(&server, token).await.unwrap()), "200");
        assert_eq!(status(exchange(&server, token).await.unwrap()), "200");
        let addr = server.addr();
        drop(server);
        assert!(
            TcpStream::connect(addr).await.is_err(),
            "stopped when dropped"
        );
        assert!(
            TcpStream::connect(refused_url().trim_start_matches("http://"))
                .await
                .is_err()
        );
    }

    #[tokio::test]
    async fn a_drip_sends_one_byte_at_a_time() {
        let server = Hostile::playing(vec![
            Answer::new(200)
                .with_body(Body::Drip {
                    bytes: b"abc".to_vec(),
                    every: Duration::from_millis(50),
                })
                .into(),
        ]);
        let started = std::time::Instant::now();
        let out = exchange(&server, GET).await.unwrap();
        assert!(out.ends_with(b"abc"));
        assert!(started.elapsed() >= Duration::from_millis(100));
    }
}
