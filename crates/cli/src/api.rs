//! The five APIs, each with its generated command table (`$OUT_DIR/cli_<api>.rs`, from the spec by
//! build.rs): names, aliases, and what each vendor's client is configured with.

use crate::table::Command;

/// The generated tables and call dispatch, one module per API (see idprov-codegen's `cli_table`).
pub mod generated {
    macro_rules! api_module {
        ($name:ident, $file:literal, $doc:literal) => {
            #[doc = $doc]
            #[allow(
                missing_docs,
                unused_qualifications,
                clippy::all,
                clippy::pedantic,
                clippy::unwrap_used,
                clippy::expect_used,
                clippy::panic
            )]
            pub mod $name {
                include!(concat!(env!("OUT_DIR"), $file));
            }
        };
    }
    api_module!(seam, "/cli_seam.rs", "Seam Connect (`specs/seam.yaml`).");
    api_module!(
        aveva_connect,
        "/cli_aveva_connect.rs",
        "AVEVA CONNECT (`specs/aveva-connect.yaml`)."
    );
    api_module!(
        sailpoint_nerm,
        "/cli_sailpoint_nerm.rs",
        "SailPoint NERM (`specs/sailpoint-nerm.yaml`)."
    );
    api_module!(
        sailpoint_isc,
        "/cli_sailpoint_isc.rs",
        "SailPoint ISC (`specs/sailpoint-isc.yaml`)."
    );
    api_module!(
        huaweicloud_identitycenter,
        "/cli_huaweicloud_identitycenter.rs",
        "Huawei Cloud IAM Identity Center (`specs/huaweicloud-identitycenter.yaml`)."
    );
}

/// One of the five APIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Api {
    /// Seam Connect (`idprov-seam`).
    Seam,
    /// AVEVA CONNECT data services (`idprov-aveva-connect`).
    AvevaConnect,
    /// SailPoint Non-Employee Risk Management (`idprov-sailpoint-nerm`).
    SailpointNerm,
    /// SailPoint Identity Security Cloud (`idprov-sailpoint-isc`).
    SailpointIsc,
    /// Huawei Cloud IAM Identity Center (`idprov-huaweicloud-identitycenter`).
    HuaweicloudIdentitycenter,
}

/// A vendor's tenant or region flag: what it is called and how it becomes the base URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceFlag {
    /// `--tenant NAME`: the base URL is the template with `{tenant}` replaced.
    Tenant(&'static str),
    /// `--region NAME`: the base URL is the template with `{region}` replaced.
    Region(&'static str),
}

impl Api {
    /// All five, in the README's order.
    pub const ALL: [Api; 5] = [
        Self::Seam,
        Self::AvevaConnect,
        Self::SailpointNerm,
        Self::SailpointIsc,
        Self::HuaweicloudIdentitycenter,
    ];

    /// The command name (`aveva-connect`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Seam => "seam",
            Self::AvevaConnect => "aveva-connect",
            Self::SailpointNerm => "sailpoint-nerm",
            Self::SailpointIsc => "sailpoint-isc",
            Self::HuaweicloudIdentitycenter => "huaweicloud-identitycenter",
        }
    }

    /// Short names the command also answers to (`aveva`, `nerm`, `isc`, `huawei`).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Seam => &[],
            Self::AvevaConnect => &["aveva"],
            Self::SailpointNerm => &["nerm"],
            Self::SailpointIsc => &["isc"],
            Self::HuaweicloudIdentitycenter => &["huawei"],
        }
    }

    /// The API named `name` or one of its aliases.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|a| a.name() == name || a.aliases().contains(&name))
    }

    /// The vendor and API, in words.
    pub fn title(self) -> &'static str {
        match self {
            Self::Seam => "Seam Connect: user-identity enrollment automations",
            Self::AvevaConnect => "AVEVA CONNECT data services: automation identities",
            Self::SailpointNerm => "SailPoint NERM: workflow actions",
            Self::SailpointIsc => {
                "SailPoint Identity Security Cloud: machine account creation requests"
            }
            Self::HuaweicloudIdentitycenter => {
                "Huawei Cloud IAM Identity Center: permission-set provisioning"
            }
        }
    }

    /// Every operation of the API, generated from its spec.
    pub fn commands(self) -> &'static [Command] {
        match self {
            Self::Seam => generated::seam::COMMANDS,
            Self::AvevaConnect => generated::aveva_connect::COMMANDS,
            Self::SailpointNerm => generated::sailpoint_nerm::COMMANDS,
            Self::SailpointIsc => generated::sailpoint_isc::COMMANDS,
            Self::HuaweicloudIdentitycenter => generated::huaweicloud_identitycenter::COMMANDS,
        }
    }

    /// The operation whose command name or operationId is `name`.
    pub fn command(self, name: &str) -> Option<&'static Command> {
        self.commands()
            .iter()
            .find(|c| c.name == name || c.operation_id == name)
    }

    /// The environment variable the vendor's reader takes the base URL from; `--base-url` (or the
    /// tenant/region flag) stands in for it.
    pub fn base_url_variable(self) -> &'static str {
        match self {
            Self::Seam => "SEAM_ENDPOINT",
            Self::AvevaConnect => "AVEVA_CONNECT_RESOURCE",
            Self::SailpointNerm => "SAIL_NERM_BASE_URL",
            Self::SailpointIsc => "SAIL_BASE_URL",
            Self::HuaweicloudIdentitycenter => "HUAWEICLOUD_SDK_REGION_IDENTITYCENTER_CN_NORTH_4",
        }
    }

    /// The environment variables the vendor's reader takes credentials from, in words (for `--help`).
    pub fn credential_variables(self) -> &'static str {
        match self {
            Self::Seam => {
                "SEAM_API_KEY, or SEAM_PERSONAL_ACCESS_TOKEN with SEAM_WORKSPACE_ID; SEAM_ENDPOINT for another server"
            }
            Self::AvevaConnect => {
                "AVEVA_CONNECT_RESOURCE (the regional host) with AVEVA_CONNECT_CLIENT_ID and AVEVA_CONNECT_CLIENT_SECRET, or AVEVA_CONNECT_ACCESS_TOKEN"
            }
            Self::SailpointNerm => {
                "SAIL_NERM_BASE_URL with SAIL_NERM_API_TOKEN, or ISC client credentials (SAIL_BASE_URL, SAIL_CLIENT_ID, SAIL_CLIENT_SECRET)"
            }
            Self::SailpointIsc => {
                "SAIL_BASE_URL with SAIL_CLIENT_ID and SAIL_CLIENT_SECRET, or SAIL_ACCESS_TOKEN"
            }
            Self::HuaweicloudIdentitycenter => {
                "HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, optional HUAWEICLOUD_SDK_SECURITY_TOKEN and HUAWEICLOUD_SDK_DOMAIN_ID"
            }
        }
    }

    /// The vendor's tenant or region flag, with the base URL it stands for.
    pub fn place_flag(self) -> Option<PlaceFlag> {
        match self {
            Self::Seam => None,
            Self::AvevaConnect => Some(PlaceFlag::Region(
                "https://{region}.datahub.connect.aveva.com",
            )),
            Self::SailpointNerm => Some(PlaceFlag::Tenant("https://{tenant}.nonemployee.com/api")),
            Self::SailpointIsc => Some(PlaceFlag::Tenant("https://{tenant}.api.identitynow.com")),
            // Both documented regions are served by one global host; --region picks the region's endpoint
            // variable (HUAWEICLOUD_SDK_REGION_IDENTITYCENTER_<REGION>) when it is set.
            Self::HuaweicloudIdentitycenter => Some(PlaceFlag::Region(
                "https://identitycenter.myhuaweicloud.com",
            )),
        }
    }
}

impl std::fmt::Display for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
