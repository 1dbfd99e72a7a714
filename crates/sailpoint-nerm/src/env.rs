//! Settings from the environment, under the variable names of SailPoint's own SDKs: `SAIL_NERM_BASE_URL`
//! (`https://{tenant}.nonemployee.com/api`); the token `SAIL_NERM_API_TOKEN`, or else ISC client
//! credentials from `SAIL_BASE_URL`, `SAIL_CLIENT_ID` and `SAIL_CLIENT_SECRET`.

use idprov_runtime::env::{Lookup, client_credentials, required};
use idprov_runtime::{Error, Secret};

use crate::{ClientConfig, Credentials};

/// Reads the settings through `get` (the process environment for [`Client::from_env`](crate::Client::from_env)).
pub fn from_env(get: Lookup<'_>) -> Result<ClientConfig, Error> {
    let base = required(
        get,
        "SAIL_NERM_BASE_URL",
        "the NERM API URL, https://{tenant}.nonemployee.com/api",
    )?;
    let credentials = match get("SAIL_NERM_API_TOKEN") {
        Some(t) => Credentials::ApiToken(Secret::new(t)),
        None => {
            let isc = required(
                get,
                "SAIL_BASE_URL",
                "no SAIL_NERM_API_TOKEN, so the token comes from ISC client credentials",
            )?;
            Credentials::IscClientCredentials(client_credentials(
                get,
                &isc,
                "/oauth/token",
                ["SAIL_BASE_URL", "SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET"],
            )?)
        }
    };
    Ok(ClientConfig::new(credentials).base_url(base))
}

#[cfg(test)]
mod tests {
    use super::*;
    use idprov_testkit::lookup;

    #[test]
    fn prefers_its_own_token_and_falls_back_to_isc_client_credentials() {
        let own = from_env(&lookup(&[
            ("SAIL_NERM_BASE_URL", "https://acme.nonemployee.com/api"),
            ("SAIL_NERM_API_TOKEN", "t"),
        ]))
        .unwrap();
        assert!(matches!(own.credentials, Credentials::ApiToken(_)));
        let isc = from_env(&lookup(&[
            ("SAIL_NERM_BASE_URL", "https://acme.nonemployee.com/api"),
            ("SAIL_BASE_URL", "https://acme.api.identitynow.com"),
            ("SAIL_CLIENT_ID", "id"),
            ("SAIL_CLIENT_SECRET", "s"),
        ]))
        .unwrap();
        let Credentials::IscClientCredentials(c) = isc.credentials else {
            panic!("expected ISC client credentials, got {:?}", isc.credentials);
        };
        assert_eq!(
            c.token_url.as_str(),
            "https://acme.api.identitynow.com/oauth/token"
        );
        let err = from_env(&lookup(&[])).unwrap_err();
        assert!(err.message().contains("SAIL_NERM_BASE_URL"), "{err}");
    }
}
