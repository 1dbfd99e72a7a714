//! Launch an enrollment automation for a user identity, read it back, find it in the user's list, and
//! delete it.
//!
//! ```sh
//! SEAM_API_KEY=seam_... cargo run -p idprov-seam --example enrollment_automation -- \
//!     <user_identity_id> <credential_manager_acs_system_id>
//! ```
//!
//! With neither `SEAM_API_KEY` nor `SEAM_PERSONAL_ACCESS_TOKEN` set it runs against
//! [idprov-sandbox](https://docs.rs/idprov-sandbox), started in-process, and the ids default to the
//! sandbox's fixtures: `cargo run -p idprov-seam --example enrollment_automation` just works.

use idprov_sandbox::{Sandbox, Vendor, fixtures};
use idprov_seam::{Client, types};

/// Seam's credential variables: with none of them set the example runs against idprov-sandbox.
const CREDENTIAL_VARS: [&str; 2] = ["SEAM_API_KEY", "SEAM_PERSONAL_ACCESS_TOKEN"];

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    run(&|name| std::env::var(name).ok(), &args).await?;
    Ok(())
}

/// The example, reading the environment through `env`: against Seam when it has credentials (and
/// `SEAM_ENDPOINT`, if set), else against a sandbox, which it hands back with its request log.
pub async fn run(
    env: &dyn Fn(&str) -> Option<String>,
    args: &[String],
) -> Result<Option<Sandbox>, Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start_unless_any_set(env, &CREDENTIAL_VARS).await?;
    let seam = match &sandbox {
        None => Client::with_config(idprov_seam::env::from_env(env)?)?,
        Some(sb) => {
            println!(
                "neither SEAM_API_KEY nor SEAM_PERSONAL_ACCESS_TOKEN is set: running against idprov-sandbox at {}",
                sb.base_url(Vendor::Seam)
            );
            Client::with_config(sb.seam_config())?
        }
    };
    let on_sandbox = |fixture: &str| sandbox.as_ref().map(|_| fixture.to_string());
    let usage =
        "usage: enrollment_automation <user_identity_id> <credential_manager_acs_system_id>";
    let user: uuid::Uuid = args
        .first()
        .cloned()
        .or_else(|| on_sandbox(fixtures::SEAM_USER_IDENTITY_ID))
        .ok_or(usage)?
        .parse()?;
    let system: uuid::Uuid = args
        .get(1)
        .cloned()
        .or_else(|| on_sandbox(fixtures::SEAM_CREDENTIAL_MANAGER_ID))
        .ok_or(usage)?
        .parse()?;

    let launched = seam
        .launch_enrollment_automation()
        .body(
            types::LaunchEnrollmentAutomationRequest::builder()
                .user_identity_id(user)
                .credential_manager_acs_system_id(system)
                .create_credential_manager_user(true),
        )
        .send()
        .await?;
    let id = launched.enrollment_automation.enrollment_automation_id;
    println!("launched enrollment automation {id}");

    let got = seam
        .get_enrollment_automation()
        .body(types::GetEnrollmentAutomationRequest::builder().enrollment_automation_id(id))
        .send()
        .await?;
    println!("running: {:?}", got.enrollment_automation.is_running);

    let listed = seam
        .list_enrollment_automations()
        .body(types::ListEnrollmentAutomationsRequest::builder().user_identity_id(user))
        .send()
        .await?;
    println!(
        "the user has {} enrollment automations",
        listed.enrollment_automations.len()
    );

    seam.delete_enrollment_automation()
        .body(types::DeleteEnrollmentAutomationRequest::builder().enrollment_automation_id(id))
        .send()
        .await?;
    println!("deleted {id}");
    Ok(sandbox)
}
