//! Settings from the environment, under the variable names of SailPoint's own SDKs: `SAIL_BASE_URL` (the
//! tenant's API URL, `https://{tenant}.api.identitynow.com`) with `SAIL_CLIENT_ID` and `SAIL_CLIENT_SECRET`
//! (token from `{SAIL_BASE_URL}/oauth/token`), or a ready `SAIL_ACCESS_TOKEN`.

use idprov_runtime::env::{Lookup, client_credentials, required};
use idprov_runtime::{Error, Secret};

use crate::{ClientConfig, Credentials};

/// Reads the settings through `get` (the process environment for [`Client::from_env`](crate::Client::from_env)).
pub fn from_env(get: Lookup<'_>) -> Result<ClientConfig, Error> {
    let base = required(
        get,
        "SAIL_BASE_URL",
        "the tenant's API URL, https://{tenant}.api.identitynow.com",
    )?;
    let credentials = match get("SAIL_ACCESS_TOKEN") {
        Some(t) => Credentials::AccessToken(Secret::new(t)),
        None => Credentials::ClientCredentials(client_credentials(
            get,
            &base,
            "/oauth/token",
            ["SAIL_BASE_URL", "SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET"],
        )?),
    };
    Ok(ClientConfig::new(credentials).base_url(base))
}

#[cfg(test)]
mod tests {
    use super::*;
    use idprov_testkit::lookup;

    #[test]
    fn builds_its_token_url_from_the_base_url() {
        let found = from_env(&lookup(&[
            ("SAIL_BASE_URL", "https://acme.api.identitynow.com/"),
            ("SAIL_CLIENT_ID", "id"),
            ("SAIL_CLIENT_SECRET", "secret"),
        ]))
        .unwrap();
        let Credentials::ClientCredentials(c) = found.credentials else {
            panic!("expected client credentials, got {:?}", found.credentials);
        };
        assert_eq!(
            c.token_url.as_str(),
            "https://acme.api.identitynow.com/oauth/token"
        );
        assert_eq!(c.client_id, "id");
        let err = from_env(&lookup(&[(
            "SAIL_BASE_URL",
            "https://acme.api.identitynow.com",
        )]))
        .unwrap_err();
        assert!(err.message().contains("SAIL_CLIENT_ID"), "{err}");
        let token = from_env(&lookup(&[
            ("SAIL_BASE_URL", "https://a"),
            ("SAIL_ACCESS_TOKEN", "t"),
        ]))
        .unwrap();
        assert!(matches!(token.credentials, Credentials::AccessToken(_)));
    }
}
