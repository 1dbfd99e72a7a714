//! The bulk flags every operation command takes: `--from FILE.jsonl [--concurrency N] [--rate R]
//! [--resume] [--results FILE]` (idprov-bulk runs the file; see [`crate::bulk_run`]).
//!
//! With `--from`, the operation's required parameter flags are no longer required: each line gives its
//! `params`, and a parameter flag given on the command line is the default for every line that does not
//! set it (`--tenant-id T` once for a file of AVEVA creates). The body comes from each line only.

use std::path::PathBuf;

use clap::{Arg, ArgAction, ArgMatches};

/// The id of the `--from` flag, which the required parameter flags are required unless present.
pub const FROM: &str = "from";

/// What the bulk flags ask for.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkFlags {
    /// `--from`: the JSON Lines input.
    pub from: PathBuf,
    /// `--concurrency` (default 8).
    pub concurrency: usize,
    /// `--rate`: requests per second over all workers.
    pub rate: Option<f64>,
    /// `--resume`: continue the run the journal records.
    pub resume: bool,
    /// `--results`: the results file (default `<input stem>.results.jsonl` beside the input).
    pub results: Option<PathBuf>,
}

/// Adds the bulk flags to an operation command (`--from` conflicts with its `--body`, `--body-file`,
/// `--all` and `--wait`, where it has them).
pub fn add(mut cmd: clap::Command) -> clap::Command {
    let mut from = Arg::new(FROM)
        .long("from")
        .value_name("FILE.jsonl")
        .value_parser(clap::value_parser!(PathBuf))
        .help("Bulk run: one call a line, {\"params\": {...}, \"body\": {...}}; results and a journal beside it")
        .long_help(
            "Bulk run: one call of this operation a line of FILE.jsonl, as {\"params\": {...}, \"body\": ...} \
             (params by the spec's names; parameter flags given here are every line's defaults). Writes one \
             result line per input line to --results and journals each line (fsync) before it is sent and \
             after it is answered, so that a run killed mid-way continues with --resume without sending a \
             create twice. Exits 0 when every line succeeded, 1 otherwise.",
        );
    let present: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for other in ["body", "body-file", "all", "wait"] {
        if present.iter().any(|p| p == other) {
            from = from.conflicts_with(other);
        }
    }
    cmd = cmd
        .arg(from)
        .arg(
            Arg::new("concurrency")
                .long("concurrency")
                .value_name("N")
                .value_parser(clap::value_parser!(u16).range(1..=4096))
                .requires(FROM)
                .help("With --from: calls in flight at once (default 8)"),
        )
        .arg(
            Arg::new("rate")
                .long("rate")
                .value_name("R")
                .value_parser(clap::value_parser!(f64))
                .requires(FROM)
                .help("With --from: at most R requests per second over all workers, retries included"),
        )
        .arg(
            Arg::new("resume")
                .long("resume")
                .action(ArgAction::SetTrue)
                .requires(FROM)
                .help("With --from: continue the run its journal records (lines sent but not answered are looked up, not re-sent)"),
        )
        .arg(
            Arg::new("results")
                .long("results")
                .value_name("FILE")
                .value_parser(clap::value_parser!(PathBuf))
                .requires(FROM)
                .help("With --from: the results file (default <input stem>.results.jsonl beside the input; the journal is FILE.journal)"),
        );
    cmd
}

/// The bulk flags of a parsed operation command, if `--from` was given.
pub fn from_matches(m: &ArgMatches) -> Option<BulkFlags> {
    let from = m.try_get_one::<PathBuf>(FROM).ok().flatten()?.clone();
    Some(BulkFlags {
        from,
        concurrency: m
            .try_get_one::<u16>("concurrency")
            .ok()
            .flatten()
            .map_or(8, |n| usize::from(*n)),
        rate: m.try_get_one::<f64>("rate").ok().flatten().copied(),
        resume: m
            .try_get_one::<bool>("resume")
            .ok()
            .flatten()
            .copied()
            .unwrap_or(false),
        results: m.try_get_one::<PathBuf>("results").ok().flatten().cloned(),
    })
}
