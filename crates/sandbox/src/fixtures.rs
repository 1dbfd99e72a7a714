//! The ids and credentials of the default [`Seed`](crate::Seed): what a fresh sandbox holds, so a test can
//! name a user identity, a tenant or an instance without seeding one. Where a vendor's docs give an example
//! id, it is that id.

/// The Seam API key.
pub const SEAM_API_KEY: &str = "seam_sandbox_0a1b2c3d4e5f6a7b8c9d";
/// The Seam personal access token (sent with `seam-workspace: SEAM_WORKSPACE_ID`).
pub const SEAM_PERSONAL_ACCESS_TOKEN: &str = "seam_at_sandbox_9d8c7b6a5f4e3d2c1b0a";
/// The Seam workspace (the docs' example).
pub const SEAM_WORKSPACE_ID: &str = "398d80b7-3f96-47c2-b85a-6f8ba21d07be";
/// A Seam user identity (the docs' example).
pub const SEAM_USER_IDENTITY_ID: &str = "5c945ab5-c75e-4bcb-8e5f-9410061c401f";
/// A Seam ACS system that is a credential manager (the docs' example).
pub const SEAM_CREDENTIAL_MANAGER_ID: &str = "6737e186-8d54-48ce-a7da-a0be4d252172";
/// A Seam ACS system that is not a credential manager.
pub const SEAM_ACCESS_SYSTEM_ID: &str = "b2f4c6d8-1a3e-4c5f-8a7b-9c0d1e2f3a4b";
/// A Seam ACS credential pool (the docs' example).
pub const SEAM_CREDENTIAL_POOL_ID: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

/// The AVEVA OAuth2 client id.
pub const AVEVA_CLIENT_ID: &str = "sandbox-aveva-client";
/// The AVEVA OAuth2 client secret.
pub const AVEVA_CLIENT_SECRET: &str = "sandbox-aveva-secret-5e6f7a8b9c0d";
/// The AVEVA tenant.
pub const AVEVA_TENANT_ID: &str = "8a2b4c6d-0e1f-4a3b-9c5d-7e8f9a0b1c2d";
/// An AVEVA role of the tenant.
pub const AVEVA_ROLE_ID: &str = "2dc4e6f8-0a1b-4c3d-8e5f-6a7b8c9d0e1f";
/// The role type of [`AVEVA_ROLE_ID`].
pub const AVEVA_ROLE_TYPE_ID: &str = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";

/// The NERM API token.
pub const NERM_API_TOKEN: &str = "sandbox-nerm-token-7c8d9e0f1a2b";
/// A NERM workflow (the docs' example).
pub const NERM_WORKFLOW_ID: &str = "33f072dd-13b4-41e1-8ea0-16f2a59b57c8";

/// The ISC OAuth2 client id.
pub const ISC_CLIENT_ID: &str = "sandbox-isc-client";
/// The ISC OAuth2 client secret.
pub const ISC_CLIENT_SECRET: &str = "sandbox-isc-secret-3d4e5f6a7b8c";
/// The ISC source of the create-access list (the docs' example).
pub const ISC_SOURCE_ID: &str = "1419fc28a8ed4a079f5c0cb5dfad6311";
/// The ISC subtype machine accounts may be requested on (the docs' example).
pub const ISC_SUBTYPE_ID: &str = "d7ae9ea3-507f-4d00-9d4f-b4464b344b88";
/// The entitlement that allows it (the docs' example).
pub const ISC_ENTITLEMENT_ID: &str = "a03caa629a624cee90f94048252034cf";
/// An ISC identity to own machine accounts (the docs' example).
pub const ISC_OWNER_IDENTITY_ID: &str = "18104e7e499b4e23882d6323344ab6bc";

/// The Huawei permanent access key id.
pub const HUAWEI_AK: &str = "SANDBOXAK0EXAMPLE0001";
/// The Huawei permanent secret access key.
pub const HUAWEI_SK: &str = "sandbox-huawei-sk-1f2e3d4c5b6a7f8e";
/// The Huawei temporary access key id.
pub const HUAWEI_TEMPORARY_AK: &str = "SANDBOXTMPAK0EXAMPLE1";
/// The Huawei temporary secret access key.
pub const HUAWEI_TEMPORARY_SK: &str = "sandbox-huawei-temporary-sk-8a9b0c1d";
/// The security token of the temporary credentials.
pub const HUAWEI_SECURITY_TOKEN: &str = "sandbox-security-token-2b3c4d5e6f7a8b9c";
/// The Huawei account (domain) id.
pub const HUAWEI_DOMAIN_ID: &str = "5146d03d8aaaaaaaaaaaabbae60620a5";
/// The IAM Identity Center instance.
pub const HUAWEI_INSTANCE_ID: &str = "ins-1a2b3c4d5e6f7a8b";
/// A permission set of the instance (the docs' example).
pub const HUAWEI_PERMISSION_SET_ID: &str = "ps-8603aaaaaaaa14bd";
/// An account permission sets can be provisioned to (the docs' example).
pub const HUAWEI_ACCOUNT_ID: &str = "5146d03d8aaaaaaaaaaaabbae60620a5";

/// One of the constants above as a UUID (they are all valid; nil for any other text).
pub(crate) fn uuid(text: &str) -> uuid::Uuid {
    uuid::Uuid::parse_str(text).unwrap_or_default()
}
