//! Reading the sandbox's state directly: what tests of bulk runs check instead of listing over HTTP.

use idprov_sandbox::{Sandbox, SeamUserIdentity, Seed, fixtures};
use uuid::Uuid;

fn user(n: u128) -> Uuid {
    Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0000 + n)
}

async fn launch(seam: &idprov_seam::Client, user: Uuid) -> Result<Uuid, idprov_seam::Error> {
    Ok(seam
        .launch_enrollment_automation()
        .body(
            idprov_seam::types::LaunchEnrollmentAutomationRequest::builder()
                .user_identity_id(user)
                .credential_manager_acs_system_id(fixtures::SEAM_CREDENTIAL_MANAGER_ID),
        )
        .send()
        .await?
        .into_inner()
        .enrollment_automation
        .enrollment_automation_id)
}

#[tokio::test]
async fn seam_enrollment_automations_are_each_users_launched_and_not_deleted_ones_in_order() {
    let mut seed = Seed::default();
    seed.seam.user_identities = (1..=3)
        .map(|n| SeamUserIdentity {
            user_identity_id: user(n),
            email_address: None,
            display_name: None,
        })
        .collect();
    let sb = Sandbox::builder().seed(seed).start().await.unwrap();
    let seam = idprov_seam::Client::with_config(sb.seam_config()).unwrap();

    let first = launch(&seam, user(1)).await.unwrap();
    let other = launch(&seam, user(2)).await.unwrap();
    let second = launch(&seam, user(1)).await.unwrap();
    let third = launch(&seam, user(1)).await.unwrap();
    seam.delete_enrollment_automation()
        .body(
            idprov_seam::types::DeleteEnrollmentAutomationRequest::builder()
                .enrollment_automation_id(second),
        )
        .send()
        .await
        .unwrap();
    let logged = sb.requests().len();

    assert_eq!(sb.seam_enrollment_automations(user(1)), [first, third]);
    assert_eq!(sb.seam_enrollment_automations(user(2)), [other]);
    assert!(sb.seam_enrollment_automations(user(3)).is_empty());
    assert!(
        sb.seam_enrollment_automations(Uuid::nil()).is_empty(),
        "an unknown user identity has none"
    );
    assert_eq!(
        sb.requests().len(),
        logged,
        "reading the state is no request"
    );
}
