//! idprov-cli: the `idprov` command line, and the library under it.
//!
//! ```text
//! idprov <api> <operation> [--param value ...] [--body JSON | --body-file FILE] [--output json|table]
//! idprov completions bash|zsh|fish|elvish|powershell
//! idprov sandbox [--port P] [--bind ADDR] [--seed FILE]
//! ```
//!
//! **The commands are generated from the specs.** build.rs runs idprov-codegen's `cli_table` on the same
//! five specs the client crates are generated from, and it reads the parameter types from the same
//! generated client, so a spec change shows up in the command line with no hand edit: one command per
//! operation (the operationId in kebab case), one flag per parameter (its name in kebab case), the body
//! as `--body`/`--body-file` or one flag per top-level member, `--help` from the spec's summaries and
//! descriptions. This is our own generation rather than progenitor's `Generator::cli`, which in 0.15.1
//! dispatches from clap's `ArgMatches` (a bulk runner has JSON lines, not a command line), hands
//! `progenitor_client::Error` to its hooks where idprov's calls return `idprov_runtime::Error`, writes
//! `unwrap()`/`todo!()` on user input, needs anyhow, and does not compile on array query parameters
//! (AVEVA's `tag`; upstream PR #1261).
//!
//! **As a library**, one call of any operation of any API is [`invoke`] (parameters by the spec's names,
//! the answer's body as JSON); [`Clients`] builds each vendor's client from its environment variables and
//! the common flags ([`Settings`]); [`args`] is the argument parsing, [`run`] the whole program.
//!
//! ```no_run
//! # async fn example() -> Result<(), idprov_cli::CallError> {
//! use idprov_cli::{Api, Clients, Settings};
//!
//! let clients = Clients::from_env(&[Api::AvevaConnect], &Settings::default())?;
//! let mut params = serde_json::Map::new();
//! params.insert("tenantId".into(), "8a2b4c6d-0e1f-4a3b-9c5d-7e8f9a0b1c2d".into());
//! let listed = idprov_cli::invoke(&clients, Api::AvevaConnect, "list_automation_identities", &params, None).await?;
//! println!("{listed}");
//! # Ok(())
//! # }
//! ```

pub mod api;
pub mod args;
pub mod bulk_args;
pub mod bulk_run;
pub mod clients;
mod error;
pub mod exit;
pub mod output;
pub mod paging;
pub mod run;
pub mod table;
pub mod waiting;

pub use api::Api;
pub use clients::{Clients, Settings};
pub use error::CallError;
pub use table::{Answer, Params};

use api::generated;
use clients::client_of;

/// Calls `operation` of `api` once and returns the answer's body as JSON (`Value::Null` for an empty
/// answer, such as a HEAD or a 204).
///
/// - `operation` is the spec's operationId (`list_automation_identities`) or the command name
///   (`list-automation-identities`);
/// - `params` are keyed by the spec's parameter names (`tenantId`, `limit`); each value is JSON of the
///   parameter's type, or a string that reads as it (`"5"` for an integer); a name the operation does not
///   have is refused, naming it;
/// - `body` is the request body as JSON, deserialized into the client's type for it; a member that does
///   not fit is refused naming its path (`body.user_identity_id`).
///
/// The call goes through the API's client in `clients` (retries, auth, limits as always); an error the
/// API answers, or the client's refusal, is [`CallError::Api`] with the runtime's
/// [`idprov_runtime::Error`]; a parameter or body that does not fit is [`CallError::Invalid`].
pub async fn invoke(
    clients: &Clients,
    api: Api,
    operation: &str,
    params: &serde_json::Map<String, serde_json::Value>,
    body: Option<serde_json::Value>,
) -> Result<serde_json::Value, CallError> {
    call(clients, api, operation, params, body)
        .await
        .map(|a| a.body)
}

/// [`invoke`], keeping the documented headers of the answer too (AVEVA's `Total-Count` on a HEAD).
pub async fn call(
    clients: &Clients,
    api: Api,
    operation: &str,
    params: &serde_json::Map<String, serde_json::Value>,
    body: Option<serde_json::Value>,
) -> Result<Answer, CallError> {
    let operation = match api.command(operation) {
        Some(c) => c.operation_id,
        None => return Err(CallError::unknown_operation(operation, api.commands())),
    };
    match api {
        Api::Seam => {
            let client = client_of!(clients, seam, api)?;
            generated::seam::invoke(client, operation, params, body).await
        }
        Api::AvevaConnect => {
            let client = client_of!(clients, aveva_connect, api)?;
            generated::aveva_connect::invoke(client, operation, params, body).await
        }
        Api::SailpointNerm => {
            let client = client_of!(clients, sailpoint_nerm, api)?;
            generated::sailpoint_nerm::invoke(client, operation, params, body).await
        }
        Api::SailpointIsc => {
            let client = client_of!(clients, sailpoint_isc, api)?;
            generated::sailpoint_isc::invoke(client, operation, params, body).await
        }
        Api::HuaweicloudIdentitycenter => {
            let client = client_of!(clients, huaweicloud_identitycenter, api)?;
            generated::huaweicloud_identitycenter::invoke(client, operation, params, body).await
        }
    }
}
