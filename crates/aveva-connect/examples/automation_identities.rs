//! Create an automation identity in a tenant, count the tenant's identities, read, update and list them,
//! then delete the one created.
//!
//! ```sh
//! AVEVA_CONNECT_RESOURCE=https://uswe.datahub.connect.aveva.com \
//! AVEVA_CONNECT_CLIENT_ID=... AVEVA_CONNECT_CLIENT_SECRET=... \
//!     cargo run -p idprov-aveva-connect --example automation_identities -- <tenant_id>
//! ```

use futures::TryStreamExt;
use idprov_aveva_connect::{Client, DEFAULT_PAGE_SIZE, types};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tenant = std::env::args()
        .nth(1)
        .ok_or("usage: automation_identities <tenant_id>")?;

    let aveva = Client::from_env()?;
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
    Ok(())
}
