//! Settings from the environment, under the names of AVEVA's sample library settings:
//! `AVEVA_CONNECT_RESOURCE` (the regional host, e.g. `https://uswe.datahub.connect.aveva.com`) with
//! `AVEVA_CONNECT_CLIENT_ID` and `AVEVA_CONNECT_CLIENT_SECRET` (token from
//! `{resource}/identity/connect/token`), or a ready `AVEVA_CONNECT_ACCESS_TOKEN`.

use idprov_runtime::env::{Lookup, client_credentials, required};
use idprov_runtime::{Error, Secret};

use crate::{ClientConfig, Credentials};

/// Reads the settings through `get` (the process environment for [`Client::from_env`](crate::Client::from_env)).
pub fn from_env(get: Lookup<'_>) -> Result<ClientConfig, Error> {
    let resource = required(
        get,
        "AVEVA_CONNECT_RESOURCE",
        "the regional host, https://{region}.datahub.connect.aveva.com",
    )?;
    let credentials = match get("AVEVA_CONNECT_ACCESS_TOKEN") {
        Some(t) => Credentials::AccessToken(Secret::new(t)),
        None => Credentials::ClientCredentials(client_credentials(
            get,
            &resource,
            "/identity/connect/token",
            [
                "AVEVA_CONNECT_RESOURCE",
                "AVEVA_CONNECT_CLIENT_ID",
                "AVEVA_CONNECT_CLIENT_SECRET",
            ],
        )?),
    };
    Ok(ClientConfig::new(credentials).base_url(resource))
}

#[cfg(test)]
mod tests {
    use super::*;
    use idprov_testkit::lookup;

    #[test]
    fn builds_the_identity_token_url_on_the_regional_host() {
        let found = from_env(&lookup(&[
            (
                "AVEVA_CONNECT_RESOURCE",
                "https://euno.datahub.connect.aveva.com",
            ),
            ("AVEVA_CONNECT_CLIENT_ID", "id"),
            ("AVEVA_CONNECT_CLIENT_SECRET", "s"),
        ]))
        .unwrap();
        let Credentials::ClientCredentials(c) = found.credentials else {
            panic!("expected client credentials, got {:?}", found.credentials);
        };
        assert_eq!(
            c.token_url.as_str(),
            "https://euno.datahub.connect.aveva.com/identity/connect/token"
        );
        let err = from_env(&lookup(&[("AVEVA_CONNECT_RESOURCE", "not a url")])).unwrap_err();
        assert!(err.message().contains("AVEVA_CONNECT_RESOURCE"), "{err}");
        let token = from_env(&lookup(&[
            (
                "AVEVA_CONNECT_RESOURCE",
                "https://euno.datahub.connect.aveva.com",
            ),
            ("AVEVA_CONNECT_ACCESS_TOKEN", "t"),
        ]))
        .unwrap();
        assert!(matches!(token.credentials, Credentials::AccessToken(_)));
    }
}
