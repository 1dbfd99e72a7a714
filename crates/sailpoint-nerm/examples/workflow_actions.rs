//! Create a username/password workflow action in a workflow, then list the workflow's actions.
//!
//! ```sh
//! SAIL_NERM_BASE_URL=https://acme.nonemployee.com/api SAIL_NERM_API_TOKEN=... \
//!     cargo run -p idprov-sailpoint-nerm --example workflow_actions -- <workflow_id>
//! ```
//!
//! With none of `SAIL_NERM_BASE_URL`, `SAIL_NERM_API_TOKEN` and `SAIL_BASE_URL` set it runs against
//! [idprov-sandbox](https://docs.rs/idprov-sandbox), started in-process, in the sandbox's workflow:
//! `cargo run -p idprov-sailpoint-nerm --example workflow_actions` just works.

use std::num::NonZeroU32;

use futures::TryStreamExt;
use idprov_sailpoint_nerm::{Client, types};
use idprov_sandbox::{Sandbox, Vendor, fixtures};

/// NERM's settings (or ISC's, whose client credentials NERM takes): with none of them set the example
/// runs against idprov-sandbox.
const CREDENTIAL_VARS: [&str; 3] = ["SAIL_NERM_BASE_URL", "SAIL_NERM_API_TOKEN", "SAIL_BASE_URL"];

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    run(&|name| std::env::var(name).ok(), &args).await?;
    Ok(())
}

/// The example, reading the environment through `env`: against NERM when it is configured, else against a
/// sandbox, which it hands back with its request log.
pub async fn run(
    env: &dyn Fn(&str) -> Option<String>,
    args: &[String],
) -> Result<Option<Sandbox>, Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start_unless_any_set(env, &CREDENTIAL_VARS).await?;
    let nerm = match &sandbox {
        None => Client::with_config(idprov_sailpoint_nerm::env::from_env(env)?)?,
        Some(sb) => {
            println!(
                "SAIL_NERM_BASE_URL is not set: running against idprov-sandbox at {}",
                sb.base_url(Vendor::Nerm)
            );
            Client::with_config(sb.nerm_config())?
        }
    };
    let workflow: uuid::Uuid = args
        .first()
        .cloned()
        .or_else(|| {
            sandbox
                .as_ref()
                .map(|_| fixtures::NERM_WORKFLOW_ID.to_string())
        })
        .ok_or("usage: workflow_actions <workflow_id>")?
        .parse()?;

    let created = nerm
        .create_username_password_action()
        .body(types::CreateUsernamePasswordActionRequest {
            workflow_action: types::UsernamePasswordAction {
                workflow_id: workflow,
                description: "Generate the contractor's credentials".to_string(),
                archived: false,
            },
        })
        .send()
        .await?;
    println!("created {:?}", created.workflow_action.description);

    let page_size = NonZeroU32::new(50).ok_or("page size 0")?;
    let actions: Vec<types::WorkflowAction> = nerm
        .workflow_actions(workflow, page_size)
        .try_collect()
        .await?;
    println!("the workflow has {} actions", actions.len());
    Ok(sandbox)
}
