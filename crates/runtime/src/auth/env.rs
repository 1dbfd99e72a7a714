//! Credentials and base URLs from the environment, under each vendor's own variable names.
//!
//! | vendor | variables |
//! |---|---|
//! | Seam (as its SDKs) | `SEAM_API_KEY`, or `SEAM_PERSONAL_ACCESS_TOKEN` + `SEAM_WORKSPACE_ID`; `SEAM_ENDPOINT` |
//! | SailPoint ISC (as its SDKs) | `SAIL_BASE_URL`, `SAIL_CLIENT_ID`, `SAIL_CLIENT_SECRET`; or `SAIL_ACCESS_TOKEN` |
//! | SailPoint NERM (as its SDKs) | `SAIL_NERM_BASE_URL`; token from `SAIL_NERM_API_TOKEN`, else the ISC client credentials above |
//! | AVEVA CONNECT (as its sample library's settings) | `AVEVA_CONNECT_RESOURCE` (regional host), `AVEVA_CONNECT_CLIENT_ID`, `AVEVA_CONNECT_CLIENT_SECRET`; or `AVEVA_CONNECT_ACCESS_TOKEN` |
//! | Huawei Cloud (as its SDKs) | `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, `HUAWEICLOUD_SDK_SECURITY_TOKEN`, `HUAWEICLOUD_SDK_DOMAIN_ID`; endpoint `HUAWEICLOUD_SDK_REGION_IDENTITYCENTER_CN_NORTH_4` |
//!
//! A missing variable is an error that names it; nothing is read beyond these names.

use super::{Credentials, HuaweiCredentials, oauth2::ClientCredentials};
use crate::secret::Secret;
use crate::{Error, ErrorKind};

/// A base URL (when the environment sets one) and credentials, read from the environment.
#[derive(Debug, Clone)]
pub struct FromEnv {
    /// The base URL the environment names, if it names one.
    pub base_url: Option<String>,
    /// The credentials.
    pub credentials: Credentials,
}

/// Reads variables through `get`, so that tests need not touch the process environment.
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Reads the process environment (an empty variable counts as unset).
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn required(get: Lookup<'_>, name: &str, why: &str) -> Result<String, Error> {
    get(name).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidRequest,
            format!("environment variable {name} is not set ({why})"),
        )
    })
}

fn url_join(base: &str, path: &str, var: &str) -> Result<url::Url, Error> {
    let joined = format!("{}{path}", base.trim_end_matches('/'));
    url::Url::parse(&joined).map_err(|e| {
        Error::new(
            ErrorKind::InvalidRequest,
            format!("{var} is not a valid URL ({joined}): {e}"),
        )
    })
}

/// Seam: `SEAM_API_KEY`, or `SEAM_PERSONAL_ACCESS_TOKEN` with `SEAM_WORKSPACE_ID`; `SEAM_ENDPOINT`.
pub fn seam(get: Lookup<'_>) -> Result<FromEnv, Error> {
    let credentials = match (get("SEAM_API_KEY"), get("SEAM_PERSONAL_ACCESS_TOKEN")) {
        (Some(_), Some(_)) => {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                "both SEAM_API_KEY and SEAM_PERSONAL_ACCESS_TOKEN are set; set exactly one",
            ));
        }
        (Some(key), None) => Credentials::SeamApiKey(Secret::new(key)),
        (None, Some(pat)) => Credentials::SeamPersonalAccessToken {
            token: Secret::new(pat),
            workspace_id: required(
                get,
                "SEAM_WORKSPACE_ID",
                "a personal access token acts in one workspace",
            )?,
        },
        (None, None) => {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                "environment variable SEAM_API_KEY is not set (nor SEAM_PERSONAL_ACCESS_TOKEN with SEAM_WORKSPACE_ID)",
            ));
        }
    };
    Ok(FromEnv {
        base_url: get("SEAM_ENDPOINT"),
        credentials,
    })
}

fn sailpoint_client_credentials(get: Lookup<'_>, base: &str) -> Result<Credentials, Error> {
    Ok(Credentials::ClientCredentials(ClientCredentials {
        token_url: url_join(base, "/oauth/token", "SAIL_BASE_URL")?,
        client_id: required(get, "SAIL_CLIENT_ID", "the OAuth2 client id")?,
        client_secret: Secret::new(required(
            get,
            "SAIL_CLIENT_SECRET",
            "the OAuth2 client secret",
        )?),
        scope: None,
    }))
}

/// SailPoint ISC: `SAIL_BASE_URL` with `SAIL_CLIENT_ID` and `SAIL_CLIENT_SECRET` (token from
/// `{SAIL_BASE_URL}/oauth/token`), or a ready `SAIL_ACCESS_TOKEN`.
pub fn sailpoint_isc(get: Lookup<'_>) -> Result<FromEnv, Error> {
    let base = required(
        get,
        "SAIL_BASE_URL",
        "the tenant's API URL, https://{tenant}.api.identitynow.com",
    )?;
    let credentials = match get("SAIL_ACCESS_TOKEN") {
        Some(t) => Credentials::Bearer(Secret::new(t)),
        None => sailpoint_client_credentials(get, &base)?,
    };
    Ok(FromEnv {
        base_url: Some(base),
        credentials,
    })
}

/// SailPoint NERM: `SAIL_NERM_BASE_URL`; bearer token `SAIL_NERM_API_TOKEN`, or (as the SailPoint SDK does) an
/// ISC token from `SAIL_BASE_URL`, `SAIL_CLIENT_ID`, `SAIL_CLIENT_SECRET`.
pub fn sailpoint_nerm(get: Lookup<'_>) -> Result<FromEnv, Error> {
    let base = required(
        get,
        "SAIL_NERM_BASE_URL",
        "the NERM API URL, https://{tenant}.nonemployee.com/api",
    )?;
    let credentials = match get("SAIL_NERM_API_TOKEN") {
        Some(t) => Credentials::Bearer(Secret::new(t)),
        None => {
            let isc = required(
                get,
                "SAIL_BASE_URL",
                "no SAIL_NERM_API_TOKEN, so the token comes from ISC client credentials",
            )?;
            sailpoint_client_credentials(get, &isc)?
        }
    };
    Ok(FromEnv {
        base_url: Some(base),
        credentials,
    })
}

/// AVEVA CONNECT: `AVEVA_CONNECT_RESOURCE` (the regional host, e.g. `https://uswe.datahub.connect.aveva.com`)
/// with `AVEVA_CONNECT_CLIENT_ID` and `AVEVA_CONNECT_CLIENT_SECRET` (token from
/// `{resource}/identity/connect/token`), or a ready `AVEVA_CONNECT_ACCESS_TOKEN`.
pub fn aveva_connect(get: Lookup<'_>) -> Result<FromEnv, Error> {
    let resource = required(
        get,
        "AVEVA_CONNECT_RESOURCE",
        "the regional host, https://{region}.datahub.connect.aveva.com",
    )?;
    let credentials = match get("AVEVA_CONNECT_ACCESS_TOKEN") {
        Some(t) => Credentials::Bearer(Secret::new(t)),
        None => Credentials::ClientCredentials(ClientCredentials {
            token_url: url_join(
                &resource,
                "/identity/connect/token",
                "AVEVA_CONNECT_RESOURCE",
            )?,
            client_id: required(get, "AVEVA_CONNECT_CLIENT_ID", "the OAuth2 client id")?,
            client_secret: Secret::new(required(
                get,
                "AVEVA_CONNECT_CLIENT_SECRET",
                "the OAuth2 client secret",
            )?),
            scope: None,
        }),
    };
    Ok(FromEnv {
        base_url: Some(resource),
        credentials,
    })
}

/// Huawei Cloud: `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, optional `HUAWEICLOUD_SDK_SECURITY_TOKEN` and
/// `HUAWEICLOUD_SDK_DOMAIN_ID`; the endpoint override `HUAWEICLOUD_SDK_REGION_IDENTITYCENTER_CN_NORTH_4`.
pub fn huawei(get: Lookup<'_>) -> Result<FromEnv, Error> {
    Ok(FromEnv {
        base_url: get("HUAWEICLOUD_SDK_REGION_IDENTITYCENTER_CN_NORTH_4"),
        credentials: Credentials::HuaweiAkSk(HuaweiCredentials {
            ak: required(get, "HUAWEICLOUD_SDK_AK", "the access key id")?,
            sk: Secret::new(required(
                get,
                "HUAWEICLOUD_SDK_SK",
                "the secret access key",
            )?),
            security_token: get("HUAWEICLOUD_SDK_SECURITY_TOKEN").map(Secret::new),
            domain_id: get("HUAWEICLOUD_SDK_DOMAIN_ID"),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn seam_reads_an_api_key_or_a_personal_access_token_with_its_workspace() {
        let found = seam(&lookup(&[
            ("SEAM_API_KEY", "k"),
            ("SEAM_ENDPOINT", "https://x"),
        ]))
        .unwrap();
        assert!(matches!(found.credentials, Credentials::SeamApiKey(ref s) if s.expose() == "k"));
        assert_eq!(found.base_url.as_deref(), Some("https://x"));

        let found = seam(&lookup(&[
            ("SEAM_PERSONAL_ACCESS_TOKEN", "p"),
            ("SEAM_WORKSPACE_ID", "w"),
        ]))
        .unwrap();
        assert!(
            matches!(found.credentials, Credentials::SeamPersonalAccessToken { ref workspace_id, .. } if workspace_id == "w")
        );

        let err = seam(&lookup(&[("SEAM_PERSONAL_ACCESS_TOKEN", "p")])).unwrap_err();
        assert!(err.message().contains("SEAM_WORKSPACE_ID"), "{err}");
        let err = seam(&lookup(&[
            ("SEAM_API_KEY", "k"),
            ("SEAM_PERSONAL_ACCESS_TOKEN", "p"),
        ]))
        .unwrap_err();
        assert!(err.message().contains("exactly one"), "{err}");
        let err = seam(&lookup(&[])).unwrap_err();
        assert!(err.message().contains("SEAM_API_KEY"), "{err}");
    }

    #[test]
    fn sailpoint_isc_builds_its_token_url_from_the_base_url() {
        let found = sailpoint_isc(&lookup(&[
            ("SAIL_BASE_URL", "https://acme.api.identitynow.com/"),
            ("SAIL_CLIENT_ID", "id"),
            ("SAIL_CLIENT_SECRET", "secret"),
        ]))
        .unwrap();
        match found.credentials {
            Credentials::ClientCredentials(c) => {
                assert_eq!(
                    c.token_url.as_str(),
                    "https://acme.api.identitynow.com/oauth/token"
                );
                assert_eq!(c.client_id, "id");
            }
            other => panic!("expected client credentials, got {other:?}"),
        }
        let err = sailpoint_isc(&lookup(&[(
            "SAIL_BASE_URL",
            "https://acme.api.identitynow.com",
        )]))
        .unwrap_err();
        assert!(err.message().contains("SAIL_CLIENT_ID"), "{err}");
        let token = sailpoint_isc(&lookup(&[
            ("SAIL_BASE_URL", "https://a"),
            ("SAIL_ACCESS_TOKEN", "t"),
        ]))
        .unwrap();
        assert!(matches!(token.credentials, Credentials::Bearer(_)));
    }

    #[test]
    fn nerm_prefers_its_own_token_and_falls_back_to_isc_client_credentials() {
        let own = sailpoint_nerm(&lookup(&[
            ("SAIL_NERM_BASE_URL", "https://acme.nonemployee.com/api"),
            ("SAIL_NERM_API_TOKEN", "t"),
        ]))
        .unwrap();
        assert!(matches!(own.credentials, Credentials::Bearer(_)));
        let isc = sailpoint_nerm(&lookup(&[
            ("SAIL_NERM_BASE_URL", "https://acme.nonemployee.com/api"),
            ("SAIL_BASE_URL", "https://acme.api.identitynow.com"),
            ("SAIL_CLIENT_ID", "id"),
            ("SAIL_CLIENT_SECRET", "s"),
        ]))
        .unwrap();
        assert!(matches!(isc.credentials, Credentials::ClientCredentials(_)));
        let err = sailpoint_nerm(&lookup(&[])).unwrap_err();
        assert!(err.message().contains("SAIL_NERM_BASE_URL"), "{err}");
    }

    #[test]
    fn aveva_builds_the_identity_token_url_on_the_regional_host() {
        let found = aveva_connect(&lookup(&[
            (
                "AVEVA_CONNECT_RESOURCE",
                "https://euno.datahub.connect.aveva.com",
            ),
            ("AVEVA_CONNECT_CLIENT_ID", "id"),
            ("AVEVA_CONNECT_CLIENT_SECRET", "s"),
        ]))
        .unwrap();
        match found.credentials {
            Credentials::ClientCredentials(c) => {
                assert_eq!(
                    c.token_url.as_str(),
                    "https://euno.datahub.connect.aveva.com/identity/connect/token"
                )
            }
            other => panic!("expected client credentials, got {other:?}"),
        }
        let err = aveva_connect(&lookup(&[("AVEVA_CONNECT_RESOURCE", "not a url")])).unwrap_err();
        assert!(err.message().contains("AVEVA_CONNECT_RESOURCE"), "{err}");
    }

    #[test]
    fn huawei_reads_ak_sk_and_the_optional_token_and_domain() {
        let found = huawei(&lookup(&[
            ("HUAWEICLOUD_SDK_AK", "ak"),
            ("HUAWEICLOUD_SDK_SK", "sk"),
            ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "sts"),
            ("HUAWEICLOUD_SDK_DOMAIN_ID", "d"),
        ]))
        .unwrap();
        match found.credentials {
            Credentials::HuaweiAkSk(c) => {
                assert_eq!(c.ak, "ak");
                assert_eq!(c.sk.expose(), "sk");
                assert_eq!(
                    c.security_token.map(|t| t.expose().to_string()).as_deref(),
                    Some("sts")
                );
                assert_eq!(c.domain_id.as_deref(), Some("d"));
            }
            other => panic!("expected AK/SK, got {other:?}"),
        }
        let err = huawei(&lookup(&[("HUAWEICLOUD_SDK_AK", "ak")])).unwrap_err();
        assert!(err.message().contains("HUAWEICLOUD_SDK_SK"), "{err}");
    }
}
