//! Request a machine account (answered 202), wait until the request's phases finish, then list the
//! sources that allow machine accounts.
//!
//! ```sh
//! SAIL_BASE_URL=https://acme.api.identitynow.com SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=... \
//!     cargo run -p idprov-sailpoint-isc --example machine_account -- <subtype_id> <owner_identity_id>
//! ```
//!
//! With none of `SAIL_BASE_URL`, `SAIL_CLIENT_ID` and `SAIL_ACCESS_TOKEN` set it runs against
//! [idprov-sandbox](https://docs.rs/idprov-sandbox), started in-process, on the sandbox's subtype and
//! owner: `cargo run -p idprov-sailpoint-isc --example machine_account` just works.

use futures::TryStreamExt;
use idprov_sailpoint_isc::{Client, MAX_PAGE_SIZE, types, wait::WaitOptions};
use idprov_sandbox::{Sandbox, Vendor, fixtures};

/// ISC's settings: with none of them set the example runs against idprov-sandbox.
const CREDENTIAL_VARS: [&str; 3] = ["SAIL_BASE_URL", "SAIL_CLIENT_ID", "SAIL_ACCESS_TOKEN"];

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    run(&|name| std::env::var(name).ok(), &args).await?;
    Ok(())
}

/// The example, reading the environment through `env`: against ISC when it is configured, else against a
/// sandbox, which it hands back with its request log.
pub async fn run(
    env: &dyn Fn(&str) -> Option<String>,
    args: &[String],
) -> Result<Option<Sandbox>, Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start_unless_any_set(env, &CREDENTIAL_VARS).await?;
    let isc = match &sandbox {
        None => Client::with_config(idprov_sailpoint_isc::env::from_env(env)?)?,
        Some(sb) => {
            println!(
                "SAIL_BASE_URL is not set: running against idprov-sandbox at {}",
                sb.base_url(Vendor::Isc)
            );
            Client::with_config(sb.isc_config())?
        }
    };
    let on_sandbox = |fixture: &str| sandbox.as_ref().map(|_| fixture.to_string());
    let usage = "usage: machine_account <subtype_id> <owner_identity_id>";
    let subtype = args
        .first()
        .cloned()
        .or_else(|| on_sandbox(fixtures::ISC_SUBTYPE_ID))
        .ok_or(usage)?;
    let owner = args
        .get(1)
        .cloned()
        .or_else(|| on_sandbox(fixtures::ISC_OWNER_IDENTITY_ID))
        .ok_or(usage)?;

    let accepted = isc
        .create_machine_account_request()
        .body(
            types::CreateMachineAccountRequest::builder()
                .subtype_id(subtype)
                .owner_identity_id(owner),
        )
        .send()
        .await?;
    println!("accepted request {}", accepted.account_request_id);

    let done = isc
        .wait_for_account_request(&accepted.account_request_id, WaitOptions::default())
        .await?;
    println!("finished: {:?}", done.overall_status);

    let allowed: Vec<types::MachineAccountCreateAccessDto> = isc
        .machine_account_create_access(MAX_PAGE_SIZE)
        .try_collect()
        .await?;
    println!("{} sources allow machine accounts", allowed.len());
    Ok(sandbox)
}
