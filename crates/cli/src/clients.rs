//! Building each vendor's client the way its crate does (`env::from_env`, the vendor's own variable names),
//! with the command line's `--base-url` and tenant/region flags standing in for the base-URL variable.

use idprov_runtime::env::{Lookup, process_env};
use idprov_runtime::{Error, ErrorKind};

use crate::CallError;
use crate::api::{Api, PlaceFlag};

/// The Huawei regions the vendor documents for IAM Identity Center (both served by one global host).
pub const HUAWEI_REGIONS: &[&str] = &["cn-north-4", "cn-south-1"];

/// The flags every vendor's client takes besides its environment variables. None of them is a secret:
/// credentials come from the environment only, so nothing secret is ever on a command line or in `--help`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// `--base-url`: the server, instead of the vendor's base-URL variable.
    pub base_url: Option<String>,
    /// `--tenant`: the NERM or ISC tenant (`https://{tenant}.nonemployee.com/api`,
    /// `https://{tenant}.api.identitynow.com`).
    pub tenant: Option<String>,
    /// `--region`: the AVEVA region (`https://{region}.datahub.connect.aveva.com`) or the Huawei region.
    pub region: Option<String>,
}

impl Settings {
    /// The base URL these settings give `api`, if any (`--base-url` wins over the tenant/region flag);
    /// an error names a flag that does not apply to `api` or a value it cannot take. `get` reads the
    /// environment (for Huawei's per-region endpoint variable).
    pub fn base_url_for(&self, api: Api, get: Lookup<'_>) -> Result<Option<String>, CallError> {
        let invalid = |field: &str, message: String| CallError::Invalid {
            field: field.to_string(),
            message,
        };
        let place = api.place_flag();
        if self.tenant.is_some() && !matches!(place, Some(PlaceFlag::Tenant(_))) {
            return Err(invalid(
                "--tenant",
                format!(
                    "--tenant does not apply to {api} (only sailpoint-nerm and sailpoint-isc have tenants)"
                ),
            ));
        }
        if self.region.is_some() && !matches!(place, Some(PlaceFlag::Region(_))) {
            return Err(invalid(
                "--region",
                format!(
                    "--region does not apply to {api} (only aveva-connect and huaweicloud-identitycenter have regions)"
                ),
            ));
        }
        if let Some(url) = &self.base_url {
            return Ok(Some(url.clone()));
        }
        let name_ok = |v: &str| {
            !v.is_empty()
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        match (place, &self.tenant, &self.region) {
            (Some(PlaceFlag::Tenant(template)), Some(tenant), _) => {
                if !name_ok(tenant) {
                    return Err(invalid(
                        "--tenant",
                        format!(
                            "--tenant takes a tenant name (letters, digits, - and _), got {tenant:?}"
                        ),
                    ));
                }
                Ok(Some(template.replace("{tenant}", tenant)))
            }
            (Some(PlaceFlag::Region(template)), _, Some(region)) => {
                if !name_ok(region) {
                    return Err(invalid(
                        "--region",
                        format!(
                            "--region takes a region name (letters, digits, - and _), got {region:?}"
                        ),
                    ));
                }
                if api == Api::HuaweicloudIdentitycenter {
                    if !HUAWEI_REGIONS.contains(&region.as_str()) {
                        return Err(invalid(
                            "--region",
                            format!(
                                "--region for {api} is one of {}, got {region:?}",
                                HUAWEI_REGIONS.join(", ")
                            ),
                        ));
                    }
                    let variable = format!(
                        "HUAWEICLOUD_SDK_REGION_IDENTITYCENTER_{}",
                        region.to_ascii_uppercase().replace('-', "_")
                    );
                    return Ok(Some(get(&variable).unwrap_or_else(|| template.to_string())));
                }
                Ok(Some(template.replace("{region}", region)))
            }
            _ => Ok(None),
        }
    }
}

/// The clients a command line run uses, one per API at most. Build them with [`Clients::from_env`] (the
/// process environment, as `Client::from_env` reads it, plus the flags), [`Clients::from_lookup`], or set
/// the fields with clients of your own (`Client::with_config`).
#[derive(Debug, Default, Clone)]
pub struct Clients {
    /// The Seam client.
    pub seam: Option<idprov_seam::Client>,
    /// The AVEVA CONNECT client.
    pub aveva_connect: Option<idprov_aveva_connect::Client>,
    /// The SailPoint NERM client.
    pub sailpoint_nerm: Option<idprov_sailpoint_nerm::Client>,
    /// The SailPoint ISC client.
    pub sailpoint_isc: Option<idprov_sailpoint_isc::Client>,
    /// The Huawei Cloud IAM Identity Center client.
    pub huaweicloud_identitycenter: Option<idprov_huaweicloud_identitycenter::Client>,
}

impl Clients {
    /// The clients of `apis`, each from its vendor's environment variables (the crate's own
    /// `env::from_env`) and `settings`. An error names the variable or flag that is missing or wrong.
    pub fn from_env(apis: &[Api], settings: &Settings) -> Result<Self, CallError> {
        Self::from_lookup(apis, settings, &process_env)
    }

    /// [`Clients::from_env`] reading variables through `get` instead of the process environment.
    pub fn from_lookup(
        apis: &[Api],
        settings: &Settings,
        get: Lookup<'_>,
    ) -> Result<Self, CallError> {
        let mut clients = Self::default();
        for api in apis {
            clients.add(*api, settings, get)?;
        }
        Ok(clients)
    }

    /// Builds `api`'s client from `get` and `settings` and keeps it (replacing one already there).
    pub fn add(&mut self, api: Api, settings: &Settings, get: Lookup<'_>) -> Result<(), CallError> {
        let base_url = settings.base_url_for(api, get)?;
        let variable = api.base_url_variable();
        let lookup = |name: &str| match (&base_url, name == variable) {
            (Some(url), true) => Some(url.clone()),
            _ => get(name),
        };
        let get: Lookup<'_> = &lookup;
        let config = |e: Error| CallError::Config(e);
        match api {
            Api::Seam => {
                let c = idprov_seam::env::from_env(get).map_err(config)?;
                self.seam = Some(idprov_seam::Client::with_config(c).map_err(config)?);
            }
            Api::AvevaConnect => {
                let c = idprov_aveva_connect::env::from_env(get).map_err(config)?;
                self.aveva_connect =
                    Some(idprov_aveva_connect::Client::with_config(c).map_err(config)?);
            }
            Api::SailpointNerm => {
                let c = idprov_sailpoint_nerm::env::from_env(get).map_err(config)?;
                self.sailpoint_nerm =
                    Some(idprov_sailpoint_nerm::Client::with_config(c).map_err(config)?);
            }
            Api::SailpointIsc => {
                let c = idprov_sailpoint_isc::env::from_env(get).map_err(config)?;
                self.sailpoint_isc =
                    Some(idprov_sailpoint_isc::Client::with_config(c).map_err(config)?);
            }
            Api::HuaweicloudIdentitycenter => {
                let c = idprov_huaweicloud_identitycenter::env::from_env(get).map_err(config)?;
                self.huaweicloud_identitycenter = Some(
                    idprov_huaweicloud_identitycenter::Client::with_config(c).map_err(config)?,
                );
            }
        }
        Ok(())
    }

    /// Whether `api`'s client is there.
    pub fn has(&self, api: Api) -> bool {
        match api {
            Api::Seam => self.seam.is_some(),
            Api::AvevaConnect => self.aveva_connect.is_some(),
            Api::SailpointNerm => self.sailpoint_nerm.is_some(),
            Api::SailpointIsc => self.sailpoint_isc.is_some(),
            Api::HuaweicloudIdentitycenter => self.huaweicloud_identitycenter.is_some(),
        }
    }
}

/// The error for a call to `api` whose client was not built.
pub(crate) fn not_configured(api: Api) -> CallError {
    CallError::Config(Error::new(
        ErrorKind::InvalidRequest,
        format!(
            "no {api} client: build it first (Clients::from_env or Clients::add); it reads {}",
            api.credential_variables()
        ),
    ))
}

macro_rules! client_of {
    ($clients:expr, $field:ident, $api:expr) => {
        $clients
            .$field
            .as_ref()
            .ok_or_else(|| $crate::clients::not_configured($api))
    };
}
pub(crate) use client_of;

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn tenant_and_region_flags_become_the_vendors_base_url() {
        let tenant = Settings {
            tenant: Some("acme".into()),
            ..Settings::default()
        };
        assert_eq!(
            tenant
                .base_url_for(Api::SailpointIsc, &none)
                .unwrap()
                .as_deref(),
            Some("https://acme.api.identitynow.com")
        );
        assert_eq!(
            tenant
                .base_url_for(Api::SailpointNerm, &none)
                .unwrap()
                .as_deref(),
            Some("https://acme.nonemployee.com/api")
        );
        let region = Settings {
            region: Some("uswe".into()),
            ..Settings::default()
        };
        assert_eq!(
            region
                .base_url_for(Api::AvevaConnect, &none)
                .unwrap()
                .as_deref(),
            Some("https://uswe.datahub.connect.aveva.com")
        );
        let explicit = Settings {
            base_url: Some("http://127.0.0.1:9".into()),
            ..Settings::default()
        };
        assert_eq!(
            explicit.base_url_for(Api::Seam, &none).unwrap().as_deref(),
            Some("http://127.0.0.1:9")
        );
        assert_eq!(
            Settings::default().base_url_for(Api::Seam, &none).unwrap(),
            None
        );
    }

    #[test]
    fn a_flag_the_vendor_does_not_have_or_a_bad_name_is_refused_naming_the_flag() {
        let tenant = Settings {
            tenant: Some("acme".into()),
            ..Settings::default()
        };
        let err = tenant.base_url_for(Api::Seam, &none).unwrap_err();
        assert_eq!(err.field(), Some("--tenant"));
        let bad = Settings {
            tenant: Some("acme.evil.example/x".into()),
            ..Settings::default()
        };
        let err = bad.base_url_for(Api::SailpointIsc, &none).unwrap_err();
        assert!(err.to_string().contains("tenant name"), "{err}");
        let huawei = Settings {
            region: Some("eu-west-0".into()),
            ..Settings::default()
        };
        let err = huawei
            .base_url_for(Api::HuaweicloudIdentitycenter, &none)
            .unwrap_err();
        assert!(err.to_string().contains("cn-north-4"), "{err}");
    }

    #[test]
    fn clients_debug_output_shows_no_secret() {
        let env = |name: &str| match name {
            "SEAM_API_KEY" => Some("seam_secret_key_0123456789".to_string()),
            "HUAWEICLOUD_SDK_AK" => Some("AKEXAMPLE".to_string()),
            "HUAWEICLOUD_SDK_SK" => Some("huawei_secret_sk_0123456789".to_string()),
            _ => None,
        };
        let clients = Clients::from_lookup(
            &[Api::Seam, Api::HuaweicloudIdentitycenter],
            &Settings::default(),
            &env,
        )
        .unwrap();
        for shown in [format!("{clients:?}"), format!("{clients:#?}")] {
            assert!(!shown.contains("seam_secret_key"), "{shown}");
            assert!(!shown.contains("huawei_secret_sk"), "{shown}");
        }
    }

    #[test]
    fn the_base_url_flag_stands_in_for_the_vendors_variable_and_a_missing_one_is_named() {
        let env = |name: &str| match name {
            "SAIL_CLIENT_ID" => Some("id".to_string()),
            "SAIL_CLIENT_SECRET" => Some("secret-value".to_string()),
            _ => None,
        };
        let err =
            Clients::from_lookup(&[Api::SailpointIsc], &Settings::default(), &env).unwrap_err();
        assert!(err.to_string().contains("SAIL_BASE_URL"), "{err}");
        let settings = Settings {
            tenant: Some("acme".into()),
            ..Settings::default()
        };
        let clients = Clients::from_lookup(&[Api::SailpointIsc], &settings, &env).unwrap();
        assert!(clients.has(Api::SailpointIsc) && !clients.has(Api::Seam));
    }
}
