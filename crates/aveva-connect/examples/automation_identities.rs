//! Create an automation identity in a tenant, count the tenant's identities, read, update and list them,
//! then delete the one created.
//!
//! ```sh
//! AVEVA_CONNECT_RESOURCE=https://uswe.datahub.connect.aveva.com \
//! AVEVA_CONNECT_CLIENT_ID=... AVEVA_CONNECT_CLIENT_SECRET=... \
//!     cargo run -p idprov-aveva-connect --example automation_identities -- <tenant_id>
//! ```
//!
//! With none of `AVEVA_CONNECT_RESOURCE`, `AVEVA_CONNECT_CLIENT_ID` and `AVEVA_CONNECT_ACCESS_TOKEN` set it
//! runs against [idprov-sandbox](https://docs.rs/idprov-sandbox), started in-process, in the sandbox's
//! tenant: `cargo run -p idprov-aveva-connect --example automation_identities` just works.

use futures::TryStreamExt;
use idprov_aveva_connect::{Client, DEFAULT_PAGE_SIZE, types};
use idprov_sandbox::{Sandbox, Vendor, fixtures};

/// AVEVA's settings: with none of them set the example runs against idprov-sandbox.
const CREDENTIAL_VARS: [&str; 3] = [
    "AVEVA_CONNECT_RESOURCE",
    "AVEVA_CONNECT_CLIENT_ID",
    "AVEVA_CONNECT_ACCESS_TOKEN",
];

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    run(&|name| std::env::var(name).ok(), &args).await?;
    Ok(())
}

/// The example, reading the environment through `env`: against AVEVA CONNECT when it is configured, else
/// against a sandbox, which it hands back with its request log.
pub async fn run(
    env: &dyn Fn(&str) -> Option<String>,
    args: &[String],
) -> Result<Option<Sandbox>, Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start_unless_any_set(env, &CREDENTIAL_VARS).await?;
    let aveva = match &sandbox {
        None => Client::with_config(idprov_aveva_connect::env::from_env(env)?)?,
        Some(sb) => {
            println!(
                "AVEVA_CONNECT_* is not set: running against idprov-sandbox at {}",
                sb.base_url(Vendor::Aveva)
            );
            Client::with_config(sb.aveva_config())?
        }
    };
    let tenant = args
        .first()
        .cloned()
        .or_else(|| {
            sandbox
                .as_ref()
                .map(|_| fixtures::AVEVA_TENANT_ID.to_string())
        })
        .ok_or("usage: automation_identities <tenant_id>")?;

    let created = aveva
        .create_automation_identity()
        .tenant_id(tenant.as_str())
        .body(
            types::CreateAutomationIdentityRequest::builder()
                .name(Some("idprov-example".to_string()))
                .tags(Some(vec!["idprov".to_string()])),
        )
        .send()
        .await?;
    // The id the next calls need; an answer without it is an error naming the field.
    let id = created.identity_id()?;
    println!("created automation identity {id}");
    println!(
        "the tenant has {} automation identities",
        aveva.automation_identity_total(&tenant).await?
    );

    let got = aveva
        .get_automation_identity()
        .tenant_id(tenant.as_str())
        .automation_identity_id(id)
        .send()
        .await?;
    println!("name: {:?}", got.name);

    aveva
        .update_automation_identity()
        .tenant_id(tenant.as_str())
        .automation_identity_id(id)
        .body(
            types::UpdateAutomationIdentityRequest::builder()
                .name(Some("idprov-example-2".to_string())),
        )
        .send()
        .await?;

    let tagged: Vec<types::AutomationIdentity> = aveva
        .list_automation_identities()
        .tenant_id(tenant.as_str())
        .tag(vec!["idprov".to_string()])
        .stream(DEFAULT_PAGE_SIZE)
        .try_collect()
        .await?;
    println!("{} identities tagged idprov", tagged.len());

    aveva
        .delete_automation_identity()
        .tenant_id(tenant.as_str())
        .automation_identity_id(id)
        .send()
        .await?;
    println!("deleted {id}");
    Ok(sandbox)
}
