//! What an AVEVA CONNECT client authenticates with.

use idprov_runtime::auth::{AuthScheme, IntoAuth};
use idprov_runtime::{ClientCredentials, Secret};

/// AVEVA CONNECT credentials: OAuth2 client credentials (the token comes from
/// `{region host}/identity/connect/token`), or an access token obtained elsewhere.
#[derive(Clone, Debug)]
pub enum Credentials {
    /// OAuth2 client credentials; the client fetches, caches and refreshes its token.
    ClientCredentials(ClientCredentials),
    /// A ready access token, sent as a bearer token.
    AccessToken(Secret),
}

impl IntoAuth for Credentials {
    fn into_auth(self) -> Result<AuthScheme, idprov_runtime::Error> {
        match self {
            Self::ClientCredentials(c) => AuthScheme::oauth2(c),
            Self::AccessToken(token) => {
                AuthScheme::bearer("the AVEVA CONNECT access token", &token)
            }
        }
    }
}
