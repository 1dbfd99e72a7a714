//! Reading a client's settings from the environment: the pieces each client crate's `from_env` is built
//! from. Each client crate reads its vendor's own variable names; a missing variable is an error naming it.
//!
//! ```
//! use idprov_runtime::env::{Lookup, required};
//!
//! let vars = |name: &str| (name == "ACME_TOKEN").then(|| "t".to_string());
//! let get: Lookup<'_> = &vars;
//! assert_eq!(required(get, "ACME_TOKEN", "the API token").unwrap(), "t");
//! let err = required(get, "ACME_REGION", "the region").unwrap_err();
//! assert!(err.message().contains("ACME_REGION"));
//! ```

use crate::secret::Secret;
use crate::{ClientCredentials, Error, ErrorKind};

/// Reads variables through a function, so that tests need not touch the process environment.
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Reads the process environment (an empty or blank variable counts as unset).
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The value of `name`, or an error naming it and saying `why` it is needed.
pub fn required(get: Lookup<'_>, name: &str, why: &str) -> Result<String, Error> {
    get(name).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidRequest,
            format!("environment variable {name} is not set or empty ({why})"),
        )
    })
}

/// `base` (the value of variable `var`) with `path` appended, as a URL; an error names `var`.
pub fn url_join(base: &str, path: &str, var: &str) -> Result<url::Url, Error> {
    let joined = format!("{}{path}", base.trim_end_matches('/'));
    url::Url::parse(&joined).map_err(|e| {
        Error::new(
            ErrorKind::InvalidRequest,
            format!("{var} is not a valid URL ({joined}): {e}"),
        )
    })
}

/// OAuth2 client credentials whose token endpoint is `path` on `base` (the value of variable `base_var`),
/// with the client id and secret from variables `id_var` and `secret_var`.
pub fn client_credentials(
    get: Lookup<'_>,
    base: &str,
    path: &str,
    [base_var, id_var, secret_var]: [&str; 3],
) -> Result<ClientCredentials, Error> {
    Ok(ClientCredentials {
        token_url: url_join(base, path, base_var)?,
        client_id: required(get, id_var, "the OAuth2 client id")?,
        client_secret: Secret::new(required(get, secret_var, "the OAuth2 client secret")?),
        scope: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_join_appends_the_path_once_and_names_the_variable_when_the_url_is_bad() {
        assert_eq!(
            url_join("https://a.example/", "/oauth/token", "X")
                .unwrap()
                .as_str(),
            "https://a.example/oauth/token"
        );
        let err = url_join("not a url", "/t", "ACME_BASE_URL").unwrap_err();
        assert!(err.message().contains("ACME_BASE_URL"), "{err}");
    }
}
