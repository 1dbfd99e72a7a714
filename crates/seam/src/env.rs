//! Settings from the environment, under the variable names of Seam's own SDKs: `SEAM_API_KEY`, or
//! `SEAM_PERSONAL_ACCESS_TOKEN` with `SEAM_WORKSPACE_ID`; `SEAM_ENDPOINT` for another server.

use idprov_runtime::env::{Lookup, required};
use idprov_runtime::{Error, ErrorKind, Secret};

use crate::{ClientConfig, Credentials};

/// Reads the settings through `get` (the process environment for [`Client::from_env`](crate::Client::from_env)).
pub fn from_env(get: Lookup<'_>) -> Result<ClientConfig, Error> {
    let credentials = match (get("SEAM_API_KEY"), get("SEAM_PERSONAL_ACCESS_TOKEN")) {
        (Some(_), Some(_)) => {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                "both SEAM_API_KEY and SEAM_PERSONAL_ACCESS_TOKEN are set; set exactly one",
            ));
        }
        (Some(key), None) => Credentials::ApiKey(Secret::new(key)),
        (None, Some(pat)) => Credentials::PersonalAccessToken {
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
    let mut config = ClientConfig::new(credentials);
    config.base_url = get("SEAM_ENDPOINT");
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use idprov_testkit::lookup;

    #[test]
    fn reads_an_api_key_or_a_personal_access_token_with_its_workspace() {
        let found = from_env(&lookup(&[
            ("SEAM_API_KEY", "k"),
            ("SEAM_ENDPOINT", "https://x"),
        ]))
        .unwrap();
        assert!(matches!(found.credentials, Credentials::ApiKey(ref s) if s.expose() == "k"));
        assert_eq!(found.base_url.as_deref(), Some("https://x"));

        let found = from_env(&lookup(&[
            ("SEAM_PERSONAL_ACCESS_TOKEN", "p"),
            ("SEAM_WORKSPACE_ID", "w"),
        ]))
        .unwrap();
        assert!(
            matches!(found.credentials, Credentials::PersonalAccessToken { ref workspace_id, .. } if workspace_id == "w")
        );

        let err = from_env(&lookup(&[("SEAM_PERSONAL_ACCESS_TOKEN", "p")])).unwrap_err();
        assert!(err.message().contains("SEAM_WORKSPACE_ID"), "{err}");
        let err = from_env(&lookup(&[
            ("SEAM_API_KEY", "k"),
            ("SEAM_PERSONAL_ACCESS_TOKEN", "p"),
        ]))
        .unwrap_err();
        assert!(err.message().contains("exactly one"), "{err}");
        let err = from_env(&lookup(&[])).unwrap_err();
        assert!(err.message().contains("SEAM_API_KEY"), "{err}");
    }
}
