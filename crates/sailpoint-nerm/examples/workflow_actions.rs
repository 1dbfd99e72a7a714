//! Create a username/password workflow action in a workflow, then list the workflow's actions.
//!
//! ```sh
//! SAIL_NERM_BASE_URL=https://acme.nonemployee.com/api SAIL_NERM_API_TOKEN=... \
//!     cargo run -p idprov-sailpoint-nerm --example workflow_actions -- <workflow_id>
//! ```

use std::num::NonZeroU32;

use futures::TryStreamExt;
use idprov_sailpoint_nerm::{Client, types};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let workflow: uuid::Uuid = std::env::args()
        .nth(1)
        .ok_or("usage: workflow_actions <workflow_id>")?
        .parse()?;

    let nerm = Client::from_env()?;
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
    Ok(())
}
