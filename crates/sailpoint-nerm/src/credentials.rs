//! What a SailPoint NERM client authenticates with.

use idprov_runtime::auth::{AuthScheme, IntoAuth};
use idprov_runtime::{ClientCredentials, Secret};

/// SailPoint NERM credentials: a NERM API token, or (as SailPoint's SDK does) Identity Security Cloud
/// OAuth2 client credentials whose token NERM accepts.
#[derive(Clone, Debug)]
pub enum Credentials {
    /// A NERM API token, sent as a bearer token.
    ApiToken(Secret),
    /// ISC OAuth2 client credentials (token from `{ISC base URL}/oauth/token`), fetched, cached and refreshed.
    IscClientCredentials(ClientCredentials),
}

impl IntoAuth for Credentials {
    fn into_auth(self) -> Result<AuthScheme, idprov_runtime::Error> {
        match self {
            Self::ApiToken(token) => AuthScheme::bearer("the NERM API token", &token),
            Self::IscClientCredentials(c) => AuthScheme::oauth2(c),
        }
    }
}
