//! Settings from the environment, under the variable names of Huawei Cloud's own SDKs:
//! `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, optional `HUAWEICLOUD_SDK_SECURITY_TOKEN` and
//! `HUAWEICLOUD_SDK_DOMAIN_ID`; the endpoint override `HUAWEICLOUD_SDK_REGION_IDENTITYCENTER_CN_NORTH_4`.

use idprov_runtime::env::{Lookup, required};
use idprov_runtime::{Error, Secret};

use crate::{ClientConfig, Credentials};

/// Reads the settings through `get` (the process environment for [`Client::from_env`](crate::Client::from_env)).
pub fn from_env(get: Lookup<'_>) -> Result<ClientConfig, Error> {
    let credentials = Credentials {
        ak: required(get, "HUAWEICLOUD_SDK_AK", "the access key id")?,
        sk: Secret::new(required(
            get,
            "HUAWEICLOUD_SDK_SK",
            "the secret access key",
        )?),
        security_token: get("HUAWEICLOUD_SDK_SECURITY_TOKEN").map(Secret::new),
        domain_id: get("HUAWEICLOUD_SDK_DOMAIN_ID"),
    };
    let mut config = ClientConfig::new(credentials);
    config.base_url = get("HUAWEICLOUD_SDK_REGION_IDENTITYCENTER_CN_NORTH_4");
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use idprov_testkit::lookup;

    #[test]
    fn reads_ak_sk_and_the_optional_token_and_domain() {
        let found = from_env(&lookup(&[
            ("HUAWEICLOUD_SDK_AK", "ak"),
            ("HUAWEICLOUD_SDK_SK", "sk"),
            ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "sts"),
            ("HUAWEICLOUD_SDK_DOMAIN_ID", "d"),
        ]))
        .unwrap();
        let c = found.credentials;
        assert_eq!(c.ak, "ak");
        assert_eq!(c.sk.expose(), "sk");
        assert_eq!(
            c.security_token.map(|t| t.expose().to_string()).as_deref(),
            Some("sts")
        );
        assert_eq!(c.domain_id.as_deref(), Some("d"));
        let err = from_env(&lookup(&[("HUAWEICLOUD_SDK_AK", "ak")])).unwrap_err();
        assert!(err.message().contains("HUAWEICLOUD_SDK_SK"), "{err}");
    }
}
