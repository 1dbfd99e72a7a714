//! Huawei Cloud AK/SK request signing (`SDK-HMAC-SHA256`), byte for byte what the official
//! `huaweicloudsdkcore` 3.1.219 Python SDK computes (`huaweicloudsdkcore/signer/signer.py`, class `Signer`).
//!
//! The vectors in `tests/fixtures/huawei_signer_vectors.json` were produced by that SDK (the script that makes
//! them sits next to them) and `tests/signer_vectors.rs` checks every one of them.
//!
//! # The algorithm
//!
//! ```text
//! CanonicalRequest = METHOD "\n" CanonicalURI "\n" CanonicalQuery "\n"
//!                    (lowercase-name ":" trimmed-value "\n")*  "\n"
//!                    SignedHeaders "\n" PayloadHash
//! StringToSign     = "SDK-HMAC-SHA256" "\n" X-Sdk-Date "\n" hex(SHA256(CanonicalRequest))
//! Authorization    = "SDK-HMAC-SHA256 Access=" AK ", SignedHeaders=" SignedHeaders
//!                    ", Signature=" hex(HMAC-SHA256(SK, StringToSign))
//! ```
//!
//! The rules of the official signer, including its quirks, all reproduced here:
//!
//! - **URI**: the whole path is percent-decoded (a malformed escape stays literal, invalid UTF-8 becomes
//!   U+FFFD), split on `/` (so an encoded `%2F` inside a segment becomes a separator), and each segment is
//!   re-encoded keeping only `A-Z a-z 0-9 _ . - ~`. A `/` is appended unless the result ends in one, so
//!   `/a/b` and `/a/b/` sign identically.
//! - **Query**: the pairs are decoded, sorted by (key, value) on the *decoded* text by code point (so
//!   upper case before `_` before lower case), and each key and value is encoded with the same set as path
//!   segments (space is `%20`, `+ / * & = %` are encoded). The SDK then *sends* this canonical query, so
//!   [`sign_reqwest`] rewrites the URL's query to it.
//! - **Headers**: every header is signed except those whose name contains `_`; names are lower-cased and
//!   sorted, values trimmed of (Python) whitespace. `Host` is added from the URL when absent.
//! - **Payload**: an empty body hashes to SHA-256 of the empty string, whatever the headers say. A
//!   `Content-Type` that is present, non-empty and starts with neither `application/json` nor
//!   `application/bson` adds the signed header `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD`, and that value is then
//!   the payload hash of a non-empty body. Otherwise the body's SHA-256.
//! - **Date**: the signer does not read a clock; `X-Sdk-Date` (`YYYYMMDDTHHMMSSZ`, UTC) must be among the
//!   headers, and the same string goes into the string to sign.
//!
//! Where this signer refuses what the SDK would accept, the SDK's output could not have been sent or verified
//! anyway: two headers with the same name (a Python dict cannot hold them), a header name that is not an
//! HTTP token, a value with CR, LF or NUL, an `X-Sdk-Date` not in the exact 16-character form (Python's
//! `strptime` accepts unpadded fields and then signs a different string than the header carries), and an
//! `Authorization` header already present (the SDK then skips signing; [`sign_reqwest`] removes a previous
//! attempt's `Authorization` instead).
//!
//! No function here performs I/O or reads the clock; [`sign_reqwest`] takes the time as an argument.

use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use reqwest::header::{AUTHORIZATION, HOST, HeaderName, HeaderValue};
use sha2::{Digest, Sha256};

/// The algorithm name at the start of the `Authorization` header and of the string to sign.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
/// The request-time header, `YYYYMMDDTHHMMSSZ` in UTC.
pub const HEADER_SDK_DATE: &str = "X-Sdk-Date";
/// The session-token header of temporary credentials.
pub const HEADER_SECURITY_TOKEN: &str = "X-Security-Token";
/// The header the signer adds for a non-JSON `Content-Type`; its value replaces the payload hash.
pub const HEADER_CONTENT_SHA256: &str = "X-Sdk-Content-Sha256";
/// The value of [`HEADER_CONTENT_SHA256`] the signer sets.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// Hex SHA-256 of the empty string.
const EMPTY_HASH: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Python's `urllib.parse.quote(s, safe='~')`: everything but `A-Z a-z 0-9 _ . - ~` is percent-encoded
/// (upper-case hex, UTF-8).
const QUOTE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'_')
    .remove(b'.')
    .remove(b'-')
    .remove(b'~');

/// What one request looks like to the signer.
#[derive(Debug, Clone, Copy)]
pub struct SignInput<'a> {
    /// The HTTP method; it is upper-cased (ASCII) for signing, as the SDK does.
    pub method: &'a str,
    /// The full URL. Its path is taken as sent (percent-encoded or not, it is decoded first); its query is read
    /// as `application/x-www-form-urlencoded` (`+` is a space), which is how `reqwest`'s `query()` writes it
    /// and how [`sign_reqwest`] rewrites it. The host and port name the `Host` when `headers` has none.
    pub url: &'a url::Url,
    /// The headers as they will be sent, names in any case. Must include `X-Sdk-Date`; include
    /// `X-Security-Token` for temporary credentials. Must not include `Authorization`. `Host` may be left out.
    pub headers: &'a [(String, String)],
    /// The body bytes as they will be sent (empty for none).
    pub body: &'a [u8],
}

/// The result of signing one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The value of the `Authorization` header.
    pub authorization: String,
    /// The `;`-joined lower-case names of the signed headers (also inside `authorization`).
    pub signed_headers: String,
    /// The canonical query string, without `?`; the SDK sends exactly this as the URL's query (empty: no query).
    pub canonical_query: String,
    /// Headers the signer signed that the input did not carry (or carried with another value): `Host` when the
    /// input had none, and `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` for a non-JSON `Content-Type`. Set them
    /// (replacing any same-named header) on the request, or the server computes another signature.
    pub added_headers: Vec<(&'static str, String)>,
}

/// Why a request could not be signed. Never contains a secret (no key, no header value).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignError {
    /// The access key (AK) is empty.
    EmptyAccessKey,
    /// The secret key (SK) is empty.
    EmptySecretKey,
    /// The access key contains characters an `Authorization` header cannot carry.
    InvalidAccessKey,
    /// The HTTP method is empty or not an HTTP token.
    InvalidMethod,
    /// No `X-Sdk-Date` header among the input headers.
    MissingSdkDate,
    /// `X-Sdk-Date` is not a valid `YYYYMMDDTHHMMSSZ` date and time.
    InvalidSdkDate,
    /// A header name is empty or not an HTTP token; the name (escaped) is given.
    InvalidHeaderName(String),
    /// A header value contains CR, LF or NUL; the header name is given.
    InvalidHeaderValue(String),
    /// A header value is not UTF-8 (only from [`sign_reqwest`]); the header name is given.
    NonUtf8HeaderValue(String),
    /// The same header name (ignoring case) appears more than once; the name is given.
    DuplicateHeader(String),
    /// An `Authorization` header is already present, and it would be signed with the rest.
    AuthorizationPresent,
    /// The URL has no host, and the headers no `Host`.
    MissingHost,
    /// The security token contains characters a header cannot carry.
    InvalidSecurityToken,
    /// The request body is a stream; the signer needs its bytes (only from [`sign_reqwest`]).
    StreamingBody,
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyAccessKey => f.write_str("the access key (AK) is empty"),
            Self::EmptySecretKey => f.write_str("the secret key (SK) is empty"),
            Self::InvalidAccessKey => f.write_str(
                "the access key (AK) contains characters an Authorization header cannot carry",
            ),
            Self::InvalidMethod => f.write_str("the HTTP method is empty or not a valid token"),
            Self::MissingSdkDate => {
                write!(f, "the request has no {HEADER_SDK_DATE} header to sign")
            }
            Self::InvalidSdkDate => {
                write!(
                    f,
                    "the {HEADER_SDK_DATE} header is not a valid YYYYMMDDTHHMMSSZ date and time"
                )
            }
            Self::InvalidHeaderName(n) => {
                write!(f, "the header name {n:?} is not a valid HTTP token")
            }
            Self::InvalidHeaderValue(n) => {
                write!(f, "the value of header {n} contains CR, LF or NUL")
            }
            Self::NonUtf8HeaderValue(n) => write!(f, "the value of header {n} is not UTF-8"),
            Self::DuplicateHeader(n) => write!(f, "the header {n} appears more than once"),
            Self::AuthorizationPresent => {
                f.write_str("the request already has an Authorization header")
            }
            Self::MissingHost => f.write_str("the URL has no host and the request no Host header"),
            Self::InvalidSecurityToken => {
                f.write_str("the security token contains characters a header cannot carry")
            }
            Self::StreamingBody => {
                f.write_str("the request body is a stream; signing needs its bytes")
            }
        }
    }
}

impl std::error::Error for SignError {}

/// Signs one request: the `Authorization` value, the signed header names, the canonical query to send, and the
/// headers the signer added.
///
/// # Errors
///
/// An empty AK or SK, or an input the official signer could not have signed and sent (see [`SignError`]).
pub fn sign(ak: &str, sk: &str, input: &SignInput<'_>) -> Result<Signature, SignError> {
    if ak.is_empty() {
        return Err(SignError::EmptyAccessKey);
    }
    if sk.is_empty() {
        return Err(SignError::EmptySecretKey);
    }
    let prepared = Prepared::new(input)?;
    let canonical = prepared.canonical_request();

    let mut string_to_sign = String::with_capacity(ALGORITHM.len() + prepared.sdk_date.len() + 66);
    string_to_sign.push_str(ALGORITHM);
    string_to_sign.push('\n');
    string_to_sign.push_str(prepared.sdk_date);
    string_to_sign.push('\n');
    push_hex(&mut string_to_sign, &Sha256::digest(canonical.as_bytes()));

    let mut mac =
        Hmac::<Sha256>::new_from_slice(sk.as_bytes()).map_err(|_| SignError::EmptySecretKey)?;
    mac.update(string_to_sign.as_bytes());
    let digest = mac.finalize().into_bytes();

    let signed_headers = prepared.signed_headers();
    let mut authorization =
        String::with_capacity(ALGORITHM.len() + ak.len() + signed_headers.len() + 106);
    authorization.push_str(ALGORITHM);
    authorization.push_str(" Access=");
    authorization.push_str(ak);
    authorization.push_str(", SignedHeaders=");
    authorization.push_str(&signed_headers);
    authorization.push_str(", Signature=");
    push_hex(&mut authorization, &digest);

    let mut added_headers = Vec::new();
    if let Some(host) = prepared.added_host {
        added_headers.push(("Host", host));
    }
    if prepared.set_content_sha256 {
        added_headers.push((HEADER_CONTENT_SHA256, UNSIGNED_PAYLOAD.to_owned()));
    }
    Ok(Signature {
        authorization,
        signed_headers,
        canonical_query: prepared.canonical_query,
        added_headers,
    })
}

/// The canonical request the official signer would hash for `input` (for debugging a signature mismatch: the
/// server's error usually quotes the canonical request it computed).
///
/// # Errors
///
/// The same input errors as [`sign`].
pub fn canonical_request(input: &SignInput<'_>) -> Result<String, SignError> {
    Ok(Prepared::new(input)?.canonical_request())
}

/// Formats `t` as an `X-Sdk-Date` value: `YYYYMMDDTHHMMSSZ` in UTC, sub-seconds dropped.
pub fn sdk_date(t: SystemTime) -> String {
    let secs: i64 = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => {
            let d = e.duration();
            let whole = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
            // Round towards the past, as the time of day does.
            whole
                .saturating_neg()
                .saturating_sub(i64::from(d.subsec_nanos() > 0))
        }
    };
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Parses an `X-Sdk-Date` value (`YYYYMMDDTHHMMSSZ`, UTC, exactly 16 characters, year 1–9999) to a time.
///
/// # Errors
///
/// [`SignError::InvalidSdkDate`] when the text is not in that form or names no real date and time.
pub fn parse_sdk_date(s: &str) -> Result<SystemTime, SignError> {
    let secs = sdk_date_seconds(s).ok_or(SignError::InvalidSdkDate)?;
    let t = if secs >= 0 {
        UNIX_EPOCH.checked_add(Duration::from_secs(secs.unsigned_abs()))
    } else {
        UNIX_EPOCH.checked_sub(Duration::from_secs(secs.unsigned_abs()))
    };
    t.ok_or(SignError::InvalidSdkDate)
}

/// Signs a `reqwest::Request` in place, as the official SDK prepares and sends it; call it on every attempt.
///
/// It sets `X-Sdk-Date` from `now` (replacing an earlier one, so a retry carries a fresh date), adds
/// `X-Security-Token` when `security_token` is given and the request has none, adds `Host` from the URL when
/// absent, adds `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` for a non-JSON `Content-Type`, trims header values
/// (the SDK sends them trimmed), removes an earlier attempt's `Authorization`, rewrites the URL's query to
/// the canonical query the SDK sends, and sets `Authorization`. The added token and `Authorization` are marked
/// sensitive. Signing an already signed request again gives the same result for the same `now`.
///
/// Headers added after this call (for example a client's `default_headers`) are not signed.
///
/// # Errors
///
/// See [`sign`]; also a header value that is not UTF-8, a streaming body, or a security token that cannot be a
/// header value. On error the request may already carry the new date, token and `Host` headers.
pub fn sign_reqwest(
    ak: &str,
    sk: &str,
    security_token: Option<&str>,
    now: SystemTime,
    req: &mut reqwest::Request,
) -> Result<(), SignError> {
    if ak.is_empty() {
        return Err(SignError::EmptyAccessKey);
    }
    if sk.is_empty() {
        return Err(SignError::EmptySecretKey);
    }
    let date = HeaderValue::from_str(&sdk_date(now)).map_err(|_| SignError::InvalidSdkDate)?;
    {
        let headers = req.headers_mut();
        headers.remove(AUTHORIZATION);
        headers.insert(HeaderName::from_static("x-sdk-date"), date);
        if let Some(token) = security_token {
            let name = HeaderName::from_static("x-security-token");
            if !headers.contains_key(&name) {
                let mut v =
                    HeaderValue::from_str(token).map_err(|_| SignError::InvalidSecurityToken)?;
                v.set_sensitive(true);
                headers.insert(name, v);
            }
        }
    }
    if !req.headers().contains_key(HOST) {
        let host = host_of(req.url()).ok_or(SignError::MissingHost)?;
        let v = HeaderValue::from_str(&host).map_err(|_| SignError::MissingHost)?;
        req.headers_mut().insert(HOST, v);
    }

    let mut headers = Vec::with_capacity(req.headers().len());
    for (name, value) in req.headers() {
        let value = std::str::from_utf8(value.as_bytes())
            .map_err(|_| SignError::NonUtf8HeaderValue(name.as_str().to_owned()))?;
        headers.push((name.as_str().to_owned(), value.to_owned()));
    }
    let body: &[u8] = match req.body() {
        None => &[],
        Some(b) => b.as_bytes().ok_or(SignError::StreamingBody)?,
    };
    let signature = sign(
        ak,
        sk,
        &SignInput {
            method: req.method().as_str(),
            url: req.url(),
            headers: &headers,
            body,
        },
    )?;

    let mut authorization =
        HeaderValue::from_str(&signature.authorization).map_err(|_| SignError::InvalidAccessKey)?;
    authorization.set_sensitive(true);

    // Send what was signed: trimmed values and the signer's own headers.
    for (name, value) in &headers {
        let trimmed = trim_python(value);
        if trimmed.len() != value.len()
            && let (Ok(n), Ok(mut v)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(trimmed),
            )
        {
            v.set_sensitive(req.headers().get(&n).is_some_and(HeaderValue::is_sensitive));
            req.headers_mut().insert(n, v);
        }
    }
    for (name, value) in &signature.added_headers {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            req.headers_mut().insert(n, v);
        }
    }
    if signature.canonical_query.is_empty() {
        req.url_mut().set_query(None);
    } else {
        req.url_mut().set_query(Some(&signature.canonical_query));
    }
    req.headers_mut().insert(AUTHORIZATION, authorization);
    Ok(())
}

/// One request, checked and decoded, ready to be written out canonically.
struct Prepared<'a> {
    method: Cow<'a, str>,
    canonical_uri: String,
    canonical_query: String,
    /// (lower-case name, trimmed value) of every signed header, sorted by name.
    signed: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    payload_hash: Cow<'a, str>,
    sdk_date: &'a str,
    /// The `Host` taken from the URL, when the headers had none.
    added_host: Option<String>,
    /// Whether `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` must be set on the request.
    set_content_sha256: bool,
}

impl<'a> Prepared<'a> {
    fn new(input: &SignInput<'a>) -> Result<Self, SignError> {
        if input.method.is_empty() || !input.method.bytes().all(is_tchar) {
            return Err(SignError::InvalidMethod);
        }
        let method = if input.method.bytes().any(|b| b.is_ascii_lowercase()) {
            Cow::Owned(input.method.to_ascii_uppercase())
        } else {
            Cow::Borrowed(input.method)
        };

        let mut sdk_date = None;
        let mut host = None;
        let mut content_type = None;
        let mut content_sha256 = None;
        for (i, (name, value)) in input.headers.iter().enumerate() {
            if name.is_empty() || !name.bytes().all(is_tchar) {
                return Err(SignError::InvalidHeaderName(
                    name.escape_debug().to_string(),
                ));
            }
            if value.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
                return Err(SignError::InvalidHeaderValue(name.clone()));
            }
            if input.headers[..i]
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case(name))
            {
                return Err(SignError::DuplicateHeader(name.clone()));
            }
            if name.eq_ignore_ascii_case("authorization") {
                return Err(SignError::AuthorizationPresent);
            } else if name.eq_ignore_ascii_case(HEADER_SDK_DATE) {
                sdk_date = Some(value.as_str());
            } else if name.eq_ignore_ascii_case("host") {
                host = Some(value.as_str());
            } else if name.eq_ignore_ascii_case("content-type") {
                content_type = Some(value.as_str());
            } else if name.eq_ignore_ascii_case(HEADER_CONTENT_SHA256) {
                content_sha256 = Some(value.as_str());
            }
        }

        // The SDK parses X-Sdk-Date with strptime and signs it re-formatted; in the exact form that is the
        // header's own text.
        let sdk_date = sdk_date.ok_or(SignError::MissingSdkDate)?;
        sdk_date_seconds(sdk_date).ok_or(SignError::InvalidSdkDate)?;

        let added_host = match host {
            Some(_) => None,
            None => Some(host_of(input.url).ok_or(SignError::MissingHost)?),
        };

        // `if content_type and not startswith("application/json") and not startswith("application/bson")`,
        // on the untrimmed value.
        let unsigned_payload = content_type.is_some_and(|ct| {
            !ct.is_empty()
                && !ct.starts_with("application/json")
                && !ct.starts_with("application/bson")
        });
        // The header must be set on the request unless it already says UNSIGNED-PAYLOAD.
        let set_content_sha256 =
            unsigned_payload && content_sha256.is_none_or(|v| trim_python(v) != UNSIGNED_PAYLOAD);

        let payload_hash: Cow<'a, str> = if input.body.is_empty() {
            Cow::Borrowed(EMPTY_HASH)
        } else if unsigned_payload {
            Cow::Borrowed(UNSIGNED_PAYLOAD)
        } else if let Some(v) = content_sha256 {
            // A caller's own X-Sdk-Content-Sha256 replaces the hash. The SDK reads it after rewriting every
            // header value to the latin-1 reading of its UTF-8 bytes.
            latin1_of_utf8(trim_python(v))
        } else {
            let mut s = String::with_capacity(64);
            push_hex(&mut s, &Sha256::digest(input.body));
            Cow::Owned(s)
        };

        let mut signed: Vec<(Cow<'a, str>, Cow<'a, str>)> =
            Vec::with_capacity(input.headers.len() + 2);
        for (name, value) in input.headers {
            if name.contains('_') {
                continue;
            }
            let lower = if name.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(name.to_ascii_lowercase())
            } else {
                Cow::Borrowed(name.as_str())
            };
            let value = if unsigned_payload && lower == "x-sdk-content-sha256" {
                UNSIGNED_PAYLOAD
            } else {
                trim_python(value)
            };
            signed.push((lower, Cow::Borrowed(value)));
        }
        if let Some(h) = &added_host {
            signed.push((Cow::Borrowed("host"), Cow::Owned(h.clone())));
        }
        if unsigned_payload && content_sha256.is_none() {
            signed.push((
                Cow::Borrowed("x-sdk-content-sha256"),
                Cow::Borrowed(UNSIGNED_PAYLOAD),
            ));
        }
        signed.sort_by(|a, b| a.0.cmp(&b.0));

        Ok(Self {
            method,
            canonical_uri: canonical_uri(input.url.path()),
            canonical_query: canonical_query(input.url.query().unwrap_or("")),
            signed,
            payload_hash,
            sdk_date,
            added_host,
            set_content_sha256,
        })
    }

    fn signed_headers(&self) -> String {
        let mut s = String::with_capacity(self.signed.iter().map(|(n, _)| n.len() + 1).sum());
        for (i, (name, _)) in self.signed.iter().enumerate() {
            if i > 0 {
                s.push(';');
            }
            s.push_str(name);
        }
        s
    }

    fn canonical_request(&self) -> String {
        let headers_len: usize = self.signed.iter().map(|(n, v)| n.len() + v.len() + 3).sum();
        let mut s = String::with_capacity(
            self.method.len()
                + self.canonical_uri.len()
                + self.canonical_query.len()
                + 2 * headers_len
                + self.payload_hash.len()
                + 8,
        );
        s.push_str(&self.method);
        s.push('\n');
        s.push_str(&self.canonical_uri);
        s.push('\n');
        s.push_str(&self.canonical_query);
        s.push('\n');
        for (name, value) in &self.signed {
            s.push_str(name);
            s.push(':');
            s.push_str(value);
            s.push('\n');
        }
        s.push('\n');
        s.push_str(&self.signed_headers());
        s.push('\n');
        s.push_str(&self.payload_hash);
        s
    }
}

/// `Signer._process_canonical_uri`: unquote the path, split on `/`, quote each segment, end with `/`.
fn canonical_uri(path: &str) -> String {
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let mut out = String::with_capacity(decoded.len() + 8);
    for (i, segment) in decoded.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.extend(utf8_percent_encode(segment, QUOTE));
    }
    if !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// `Signer._process_canonical_query_string` over the decoded pairs of a form-urlencoded query.
fn canonical_query(query: &str) -> String {
    if query.is_empty() {
        return String::new();
    }
    let mut pairs: Vec<(Cow<'_, str>, Cow<'_, str>)> =
        url::form_urlencoded::parse(query.as_bytes()).collect();
    pairs.sort();
    let mut out = String::with_capacity(query.len() + 16);
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.extend(utf8_percent_encode(k, QUOTE));
        out.push('=');
        out.extend(utf8_percent_encode(v, QUOTE));
    }
    out
}

/// The `Host` the SDK signs when the request has none: the endpoint's host, with the port if one is given
/// (the `url` crate drops a scheme's default port, as HTTP clients do on the wire).
fn host_of(url: &url::Url) -> Option<String> {
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

/// Python's `str.strip()`: Unicode whitespace plus the separators U+001C–U+001F.
fn trim_python(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

/// Each UTF-8 byte of `s` read as a latin-1 character (the SDK's `.encode('utf-8').decode('iso-8859-1')`).
fn latin1_of_utf8(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.bytes().map(char::from).collect())
    }
}

/// RFC 9110 `tchar`.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn push_hex(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
}

/// Seconds since the Unix epoch of an exact `YYYYMMDDTHHMMSSZ` text, or `None`.
fn sdk_date_seconds(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        b[r].iter().try_fold(0i64, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
        })
    };
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, se) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if y < 1
        || !(1..=12).contains(&mo)
        || d < 1
        || d > days_in_month(y, mo)
        || h > 23
        || mi > 59
        || se > 59
    {
        return None;
    }
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}
