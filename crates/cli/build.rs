//! Generates the command table of every API from its spec at build time (see idprov-codegen's
//! `cli_table`): the same specs, and the same generated client, as the client crates.

/// The command line's own flags; a spec parameter with one of these names would clash with them (the
/// build fails naming it), a body member is then settable through `--body` only. Keep in step with
/// `src/args.rs` (its tests build every command, which fails on a clash).
const RESERVED_FLAGS: &[&str] = &[
    "output",
    "base-url",
    "tenant",
    "region",
    "body",
    "body-file",
    "all",
    "page-size",
    "wait",
    "wait-timeout",
    "poll-interval",
    "help",
    "version",
];

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
