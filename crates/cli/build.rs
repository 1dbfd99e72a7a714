//! Generates the command table of every API from its spec at build time (see idprov-codegen's
//! `cli_table`): the same specs, and the same generated client, as the client crates.

include!("reserved_flags.rs");

fn main() {
    idprov_codegen::cli_table::build_script(
        &[
            ("seam", "specs/seam.yaml", "idprov_seam"),
            (
                "aveva_connect",
                "specs/aveva-connect.yaml",
                "idprov_aveva_connect",
            ),
            (
                "sailpoint_nerm",
                "specs/sailpoint-nerm.yaml",
                "idprov_sailpoint_nerm",
            ),
            (
                "sailpoint_isc",
                "specs/sailpoint-isc.yaml",
                "idprov_sailpoint_isc",
            ),
            (
                "huaweicloud_identitycenter",
                "specs/huaweicloud-identitycenter.yaml",
                "idprov_huaweicloud_identitycenter",
            ),
        ],
        RESERVED_FLAGS,
    );
}
