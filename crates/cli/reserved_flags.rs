// The command line's own flags (included by build.rs and by src/args.rs): a spec parameter with one of
// these names would clash with them (the build fails naming it); a body member with one is settable through
// `--body` only. src/args.rs has a test that every flag an operation command has that is not a parameter
// or body member is in this list.
/// The command line's own flags, without the dashes.
pub const RESERVED_FLAGS: &[&str] = &[
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
    // The bulk runner's (src/bulk_args.rs).
    "from",
    "concurrency",
    "rate",
    "resume",
    "results",
];
