//! What a Seam client authenticates with.

use idprov_runtime::Secret;
use idprov_runtime::auth::{AuthScheme, IntoAuth};

/// Seam credentials: an API key, or a personal access token with the workspace it acts in.
#[derive(Clone, Debug)]
pub enum Credentials {
    /// An API key (`seam_...`), sent as a bearer token.
    ApiKey(Secret),
    /// A personal access token, sent as a bearer token, with the workspace it acts in (`seam-workspace`).
    PersonalAccessToken {
        /// The personal access token.
        token: Secret,
        /// The workspace id.
        workspace_id: String,
    },
}

impl IntoAuth for Credentials {
    fn into_auth(self) -> Result<AuthScheme, idprov_runtime::Error> {
        match self {
            Self::ApiKey(key) => AuthScheme::bearer("the Seam API key", &key),
            Self::PersonalAccessToken {
                token,
                workspace_id,
            } => AuthScheme::bearer("the Seam personal access token", &token)?
                .with_header("seam-workspace", &workspace_id),
        }
    }
}
