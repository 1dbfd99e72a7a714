//! Launch an enrollment automation for a user identity, read it back, find it in the user's list, and
//! delete it.
//!
//! ```sh
//! SEAM_API_KEY=seam_... cargo run -p idprov-seam --example enrollment_automation -- \
//!     <user_identity_id> <credential_manager_acs_system_id>
//! ```

use idprov_seam::{Client, types};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage =
        "usage: enrollment_automation <user_identity_id> <credential_manager_acs_system_id>";
    let user: uuid::Uuid = args.next().ok_or(usage)?.parse()?;
    let system: uuid::Uuid = args.next().ok_or(usage)?.parse()?;

    // SEAM_API_KEY, or SEAM_PERSONAL_ACCESS_TOKEN with SEAM_WORKSPACE_ID; SEAM_ENDPOINT for another server.
    let seam = Client::from_env()?;
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
    Ok(())
}
