//! Request a machine account (answered 202), wait until the request's phases finish, then list the
//! sources that allow machine accounts.
//!
//! ```sh
//! SAIL_BASE_URL=https://acme.api.identitynow.com SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=... \
//!     cargo run -p idprov-sailpoint-isc --example machine_account -- <subtype_id> <owner_identity_id>
//! ```

use futures::TryStreamExt;
use idprov_sailpoint_isc::{Client, MAX_PAGE_SIZE, types, wait::WaitOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: machine_account <subtype_id> <owner_identity_id>";
    let subtype = args.next().ok_or(usage)?;
    let owner = args.next().ok_or(usage)?;

    let isc = Client::from_env()?;
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
    Ok(())
}
