//! Authentication as each vendor does it: Seam API key or personal access token + `seam-workspace`, NERM
//! bearer token (or an ISC access token), AVEVA and ISC OAuth2 client-credentials tokens that expire, and
//! Huawei AK/SK signatures recomputed from the canonical request.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use http::HeaderMap;
use idprov_huaweicloud_identitycenter::signer;
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::Vendor;
use crate::answer::{Answer, Failure};
use crate::seed::Seed;

/// How far `X-Sdk-Date` may be from the sandbox's clock (Huawei's window).
pub(crate) const HUAWEI_CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);

/// The OAuth2 tokens issued so far.
pub(crate) struct Tokens {
    pub(crate) lifetime: Duration,
    issued: HashMap<String, (Vendor, Instant)>,
}

/// What a token check found.
enum TokenState {
    Valid,
    Expired,
    Unknown,
}

impl Tokens {
    pub(crate) fn new(lifetime: Duration) -> Self {
        Self {
            lifetime,
            issued: HashMap::new(),
        }
    }

    fn issue(&mut self, vendor: Vendor, now: Instant) -> String {
        let token = format!("sbx-{}-{}", vendor.slug(), crate::random_hex(32));
        // A lifetime too long for an Instant (Duration::MAX: "never expire") is capped at a century, not
        // turned into a token that is expired when issued.
        const CENTURY: Duration = Duration::from_secs(100 * 365 * 24 * 60 * 60);
        let expires = now.checked_add(self.lifetime.min(CENTURY)).unwrap_or(now);
        self.issued.insert(token.clone(), (vendor, expires));
        token
    }

    fn check(&self, vendor: Vendor, token: &str, now: Instant) -> TokenState {
        match self.issued.get(token) {
            Some((v, expires)) if *v == vendor => {
                if now < *expires {
                    TokenState::Valid
                } else {
                    TokenState::Expired
                }
            }
            _ => TokenState::Unknown,
        }
    }

    /// Makes every token issued so far expired.
    pub(crate) fn expire_all(&mut self, now: Instant) {
        for (_, expires) in self.issued.values_mut() {
            *expires = now;
        }
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// The request as the auth checks see it.
pub(crate) struct Presented<'a> {
    pub(crate) method: &'a str,
    /// The path and query exactly as sent.
    pub(crate) target: &'a str,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a [u8],
}

/// Checks the credentials of an API request to `vendor`.
pub(crate) fn check(
    seed: &Seed,
    tokens: &Tokens,
    vendor: Vendor,
    req: &Presented<'_>,
) -> Result<(), Failure> {
    let now = Instant::now();
    match vendor {
        Vendor::Seam => seam(seed, req.headers),
        Vendor::Nerm => {
            let token = bearer(req.headers).ok_or_else(|| {
                Failure::unauthorized(
                    "Authorization header is missing; send Authorization: Bearer <API token>",
                )
            })?;
            if token == seed.nerm.api_token
                || matches!(tokens.check(Vendor::Isc, token, now), TokenState::Valid)
            {
                Ok(())
            } else {
                Err(Failure::unauthorized(
                    "Unauthorized: the API token is not valid",
                ))
            }
        }
        Vendor::Aveva | Vendor::Isc => {
            let Some(token) = bearer(req.headers) else {
                return Err(Failure::unauthorized(if vendor == Vendor::Isc {
                    "JWT validation failed: JWT is missing"
                } else {
                    "No access token was sent."
                }));
            };
            match (tokens.check(vendor, token, now), vendor) {
                (TokenState::Valid, _) => Ok(()),
                (TokenState::Expired, Vendor::Isc) => Err(Failure::unauthorized(
                    "JWT validation failed: JWT is expired",
                )),
                (TokenState::Expired, _) => {
                    Err(Failure::unauthorized("The access token has expired."))
                }
                (TokenState::Unknown, Vendor::Isc) => Err(Failure::unauthorized(
                    "JWT validation failed: JWT is invalid",
                )),
                (TokenState::Unknown, _) => {
                    Err(Failure::unauthorized("The access token is not valid."))
                }
            }
        }
        Vendor::Huawei => huawei(seed, req, SystemTime::now()),
    }
}

fn seam(seed: &Seed, headers: &HeaderMap) -> Result<(), Failure> {
    let token = bearer(headers).ok_or_else(|| {
        Failure::unauthorized(
            "Unauthorized: send Authorization: Bearer <API key or personal access token>",
        )
    })?;
    if token == seed.seam.api_key {
        return Ok(());
    }
    if token == seed.seam.personal_access_token {
        let workspace = headers.get("seam-workspace").and_then(|v| v.to_str().ok());
        return match workspace {
            Some(w) if w.trim() == seed.seam.workspace_id.to_string() => Ok(()),
            Some(_) => Err(Failure::new(
                401,
                "unauthorized",
                "Unauthorized: the seam-workspace header names another workspace",
            )),
            None => Err(Failure::new(
                401,
                "missing_workspace_id",
                "You must provide a workspace id in the seam-workspace header when using a personal access token",
            )),
        };
    }
    Err(Failure::unauthorized("Unauthorized"))
}

fn huawei_refusal(message: impl Into<String>) -> Failure {
    Failure::new(
        401,
        "APIGW.0301",
        format!(
            "Incorrect IAM authentication information: {}",
            message.into()
        ),
    )
}

/// Recomputes the SDK-HMAC-SHA256 signature of a request from its canonical request, with the signer the
/// client uses (the official SDK's algorithm), and checks date, security token and domain.
fn huawei(seed: &Seed, req: &Presented<'_>, now: SystemTime) -> Result<(), Failure> {
    let auth = req
        .headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| huawei_refusal("the Authorization header is missing"))?;
    let rest = auth.strip_prefix(signer::ALGORITHM).ok_or_else(|| {
        huawei_refusal(format!(
            "the Authorization header does not start with {}",
            signer::ALGORITHM
        ))
    })?;
    let mut access = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("Access", v)) => access = Some(v.trim()),
            Some(("SignedHeaders", v)) => signed_headers = Some(v.trim()),
            Some(("Signature", v)) => signature = Some(v.trim()),
            _ => {}
        }
    }
    let (Some(ak), Some(signed_headers), Some(signature)) = (access, signed_headers, signature)
    else {
        return Err(huawei_refusal(
            "the Authorization header lacks Access, SignedHeaders or Signature",
        ));
    };

    let temporary = seed.huawei.temporary.as_ref().filter(|t| t.ak == ak);
    let (sk, token) = if ak == seed.huawei.ak {
        (seed.huawei.sk.as_str(), None)
    } else if let Some(t) = temporary {
        (t.sk.as_str(), Some(t.security_token.as_str()))
    } else {
        return Err(huawei_refusal("the access key (AK) is unknown"));
    };

    let date = req
        .headers
        .get(signer::HEADER_SDK_DATE)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| huawei_refusal("the X-Sdk-Date header is missing"))?;
    let signed_at = signer::parse_sdk_date(date)
        .map_err(|_| huawei_refusal("X-Sdk-Date is not in the form YYYYMMDDTHHMMSSZ"))?;
    let skew = now
        .duration_since(signed_at)
        .or_else(|e| Ok::<_, ()>(e.duration()))
        .unwrap_or(Duration::MAX);
    if skew > HUAWEI_CLOCK_SKEW {
        return Err(huawei_refusal(
            "the request has expired: X-Sdk-Date is more than 15 minutes from the server's time",
        ));
    }

    let names: Vec<&str> = signed_headers
        .split(';')
        .filter(|n| !n.is_empty())
        .collect();
    for required in ["host", "x-sdk-date"] {
        if !names.contains(&required) {
            return Err(huawei_refusal(format!(
                "the header {required} is not signed"
            )));
        }
    }
    let presented_token = req
        .headers
        .get(signer::HEADER_SECURITY_TOKEN)
        .and_then(|v| v.to_str().ok());
    match (token, presented_token) {
        (Some(expected), Some(sent)) if sent == expected => {
            if !names.contains(&"x-security-token") {
                return Err(huawei_refusal("the X-Security-Token header is not signed"));
            }
        }
        (Some(_), Some(_)) => return Err(huawei_refusal("the security token is not valid")),
        (Some(_), None) => {
            return Err(huawei_refusal(
                "temporary credentials need their security token in X-Security-Token",
            ));
        }
        (None, Some(_)) => {
            return Err(huawei_refusal(
                "the security token does not belong to a temporary access key",
            ));
        }
        (None, None) => {}
    }
    if let Some(domain) = req.headers.get("x-domain-id").and_then(|v| v.to_str().ok())
        && domain != seed.huawei.domain_id
    {
        return Err(Failure::new(
            403,
            "IdentityCenter.0003",
            format!("X-Domain-Id {domain} is not the account of this access key"),
        ));
    }

    let mut headers = Vec::with_capacity(names.len());
    for name in &names {
        let mut values = req.headers.get_all(*name).iter();
        let Some(value) = values.next() else {
            return Err(huawei_refusal(format!(
                "the signed header {name} is missing"
            )));
        };
        let value = value
            .to_str()
            .map_err(|_| huawei_refusal(format!("the signed header {name} is not text")))?;
        headers.push(((*name).to_string(), value.to_string()));
    }
    let host = req
        .headers
        .get(http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| huawei_refusal("the Host header is missing"))?;
    let url = url::Url::parse(&format!("http://{host}{}", req.target))
        .map_err(|_| huawei_refusal("the request target is not a valid URL"))?;
    let input = signer::SignInput {
        method: req.method,
        url: &url,
        headers: &headers,
        body: req.body,
    };
    let expected = signer::sign(ak, sk, &input)
        .map_err(|e| huawei_refusal(format!("cannot verify the signature: {e}")))?;
    let expected_signature = expected
        .authorization
        .rsplit("Signature=")
        .next()
        .unwrap_or_default();
    if expected.signed_headers != signed_headers
        || !same(expected_signature.as_bytes(), signature.as_bytes())
    {
        return Err(huawei_refusal("verify aksk signature fail"));
    }
    Ok(())
}

/// Compares without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The OAuth2 client-credentials token endpoint of AVEVA or ISC (RFC 6749 §4.4: form fields, or the
/// client's id and secret in HTTP Basic).
pub(crate) fn token_endpoint(
    seed: &Seed,
    tokens: &mut Tokens,
    vendor: Vendor,
    headers: &HeaderMap,
    body: &[u8],
) -> Answer {
    let error = |status: u16, code: &str, description: &str| {
        Answer::json(
            status,
            json!({"error": code, "error_description": description}),
        )
        .header("cache-control", "no-store")
    };
    let form: HashMap<String, String> = url::form_urlencoded::parse(body).into_owned().collect();
    let (expected_id, expected_secret) = match vendor {
        Vendor::Aveva => (&seed.aveva.client_id, &seed.aveva.client_secret),
        _ => (&seed.isc.client_id, &seed.isc.client_secret),
    };
    let basic = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| decode_basic(b.trim()));
    let (id, secret) = match (&basic, form.get("client_id"), form.get("client_secret")) {
        (Some((id, secret)), _, _) => (id.clone(), secret.clone()),
        (None, Some(id), Some(secret)) => (id.clone(), secret.clone()),
        _ => {
            return error(
                401,
                "invalid_client",
                "client authentication failed: no client_id and client_secret",
            );
        }
    };
    match form.get("grant_type").map(String::as_str) {
        Some("client_credentials") => {}
        Some(_) => {
            return error(
                400,
                "unsupported_grant_type",
                "only grant_type=client_credentials is supported",
            );
        }
        None => return error(400, "invalid_request", "grant_type is required"),
    }
    if id != *expected_id || secret != *expected_secret {
        return error(401, "invalid_client", "client authentication failed");
    }
    let token = tokens.issue(vendor, Instant::now());
    let mut answer = json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": tokens.lifetime.as_secs(),
    });
    if vendor == Vendor::Isc {
        answer["scope"] = Value::String("sp:scopes:all".to_string());
    }
    Answer::json(200, answer).header("cache-control", "no-store")
}

/// Decodes `base64(id:secret)` of HTTP Basic (standard alphabet, padding optional).
fn decode_basic(b64: &str) -> Option<(String, String)> {
    let mut bits: u32 = 0;
    let mut n = 0;
    let mut out = Vec::with_capacity(b64.len() * 3 / 4);
    for c in b64.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push(((bits >> n) & 0xff) as u8);
        }
    }
    let text = String::from_utf8(out).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_decode() {
        // "client:s3cret"
        assert_eq!(
            decode_basic("Y2xpZW50OnMzY3JldA=="),
            Some(("client".to_string(), "s3cret".to_string()))
        );
        assert_eq!(decode_basic("!!"), None);
    }

    #[test]
    fn a_lifetime_too_long_for_an_instant_means_a_token_that_does_not_expire() {
        let mut tokens = Tokens::new(Duration::MAX);
        let now = Instant::now();
        let t = tokens.issue(Vendor::Aveva, now);
        assert!(matches!(
            tokens.check(Vendor::Aveva, &t, now + Duration::from_secs(3600)),
            TokenState::Valid
        ));
    }

    #[test]
    fn tokens_expire_and_belong_to_their_vendor() {
        let mut tokens = Tokens::new(Duration::from_secs(10));
        let now = Instant::now();
        let t = tokens.issue(Vendor::Aveva, now);
        assert!(matches!(
            tokens.check(Vendor::Aveva, &t, now),
            TokenState::Valid
        ));
        assert!(matches!(
            tokens.check(Vendor::Isc, &t, now),
            TokenState::Unknown
        ));
        assert!(matches!(
            tokens.check(Vendor::Aveva, &t, now + Duration::from_secs(10)),
            TokenState::Expired
        ));
        tokens.expire_all(now);
        assert!(matches!(
            tokens.check(Vendor::Aveva, &t, now),
            TokenState::Expired
        ));
    }
}
