//! A run with its files: the input, the journal beside the results, `--resume`, and the results file.
//!
//! - **Results** (`--results FILE`, default `<input stem>.results.jsonl` beside the input): one JSON line
//!   per input line, in input order, written when the run ends (see [`ResultLine`]).
//! - **Journal** (`<results>.journal`): see [`crate::journal`]. A run refuses to start over an existing
//!   journal unless `--resume` is given, so an earlier run's record is never overwritten by accident.
//! - **Resume**: the journal must be of the same input (its SHA-256), API and operation. Lines answered
//!   before are kept as they are. A line sent but never answered is sent again if the operation is
//!   idempotent; otherwise the [`Caller::lookup`] decides: found (the line is `ok`, `found_by_lookup`),
//!   absent (sent again), or unknown (reported as `unknown` with what to check; a later `--resume`
//!   looks again).

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use crate::caller::{Caller, Lookup, LookupContext};
use crate::input::{self, Entry, Line};
use crate::journal::{self, FileJournal, Journal, JournalError, Record, Replay, now_ms};
use crate::outcome::{LineResult, ResultLine, Summary};
use crate::progress::Progress;
use crate::runner::{Feed, RunError, RunOptions, run_lines_fed};

/// A new run reads at least this many lines before its first call (and the rest while it calls).
const MIN_HEAD_LINES: usize = 64;

/// What to run and where its files are.
#[derive(Debug, Clone)]
pub struct FilesOptions {
    /// The JSON Lines input (`--from`).
    pub input: PathBuf,
    /// The results file (`--results`); `None`: `<input stem>.results.jsonl` beside the input.
    pub results: Option<PathBuf>,
    /// Continue the run the journal records (`--resume`).
    pub resume: bool,
    /// The API's name, recorded in the journal and checked on resume.
    pub api: String,
    /// The operation id, recorded in the journal and checked on resume.
    pub operation: String,
    /// Concurrency, rate and retries.
    pub run: RunOptions,
    /// Draw a progress bar on stderr when it is a terminal.
    pub progress: bool,
    /// How much earlier than the `sent` record a server may date what the line created (lookups).
    pub clock_skew: Duration,
}

impl FilesOptions {
    /// Options for `input` with the defaults: results beside it, no resume, a progress bar, 60 s skew.
    pub fn new(input: impl Into<PathBuf>, api: &str, operation: &str) -> Self {
        Self {
            input: input.into(),
            results: None,
            resume: false,
            api: api.to_string(),
            operation: operation.to_string(),
            run: RunOptions::default(),
            progress: true,
            clock_skew: Duration::from_secs(60),
        }
    }

    /// The results file's path.
    pub fn results_path(&self) -> PathBuf {
        self.results.clone().unwrap_or_else(|| {
            let stem = self
                .input
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "bulk".to_string());
            self.input.with_file_name(format!("{stem}.results.jsonl"))
        })
    }

    /// The journal's path: the results file's with `.journal` added.
    pub fn journal_path(&self) -> PathBuf {
        let mut name = self.results_path().into_os_string();
        name.push(".journal");
        PathBuf::from(name)
    }
}

/// What a finished run reports.
#[derive(Debug, Clone)]
pub struct Report {
    /// The counts (also printed at the end).
    pub summary: Summary,
    /// Each line's result, by line number.
    pub results: BTreeMap<u64, LineResult>,
    /// Where the results were written.
    pub results_path: PathBuf,
    /// Where the journal is.
    pub journal_path: PathBuf,
}

/// Why a run could not start or finish.
#[derive(Debug)]
pub enum BulkError {
    /// The input could not be read (its path and why).
    Input(PathBuf, String),
    /// The results could not be written.
    Results(PathBuf, std::io::Error),
    /// A journal exists, and `--resume` was not given.
    JournalExists(PathBuf),
    /// The journal is of another input, API or operation.
    JournalMismatch(PathBuf, String),
    /// The journal could not be read or written.
    Journal(JournalError),
    /// The run stopped.
    Run(RunError),
}

impl fmt::Display for BulkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Input(path, why) => write!(f, "--from {}: {why}", path.display()),
            Self::Results(path, e) => write!(f, "--results {}: {e}", path.display()),
            Self::JournalExists(path) => write!(
                f,
                "a journal of an earlier run is at {}: add --resume to continue that run, or remove the \
                 journal (and its results file) to start over",
                path.display()
            ),
            Self::JournalMismatch(path, why) => write!(
                f,
                "--resume: the journal {} is of another run ({why}); resume with the same input, API and \
                 operation, or choose another --results",
                path.display()
            ),
            Self::Journal(e) => e.fmt(f),
            Self::Run(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for BulkError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Results(_, e) => Some(e),
            Self::Journal(e) => Some(e),
            Self::Run(e) => Some(e),
            _ => None,
        }
    }
}

/// Runs the input file through `caller`, journaling every line, and writes the results file.
///
/// # Errors
///
/// See [`BulkError`]: the input unreadable, a journal in the way or of another run, the journal or
/// results file not writable.
pub async fn run_files<C: Caller>(
    caller: Arc<C>,
    options: &FilesOptions,
) -> Result<Report, BulkError> {
    options
        .run
        .check()
        .map_err(|why| BulkError::Run(RunError::Options(why)))?;
    let bytes = std::fs::read(&options.input)
        .map_err(|e| BulkError::Input(options.input.clone(), e.to_string()))?;
    let input_sha256 = hex::encode(Sha256::digest(&bytes));
    let text = Arc::new(String::from_utf8(bytes).map_err(|e| {
        BulkError::Input(
            options.input.clone(),
            format!("not UTF-8 text (at byte {})", e.utf8_error().valid_up_to()),
        )
    })?);
    let results_path = options.results_path();
    let journal_path = options.journal_path();

    let replay = read_journal(&journal_path, options, &input_sha256)?;
    let file = FileJournal::open(&journal_path).map_err(BulkError::Journal)?;
    let journal = Arc::new(Journal::File(file));
    let total_lines = input::count_lines(&text);
    // Queued before the input is parsed, so that the journal's first `fsync` (the slowest: the file is
    // new) overlaps the parsing; not waited for, since records reach the disk in order: the first
    // line's `sent_lines` record (which every request waits for), or the first lookup's `answered`
    // one, cannot be on disk without it.
    journal
        .queue(&Record::Start {
            api: options.api.clone(),
            operation: options.operation.clone(),
            input_sha256,
            lines: u64::try_from(total_lines).unwrap_or(u64::MAX),
            at_ms: now_ms(),
        })
        .map_err(BulkError::Journal)?;
    // A new run starts sending once the first lines are read; the rest are read meanwhile on a thread
    // of their own (`feed`). A resumed run reads them all first: its lookups come before any call.
    let head = options
        .run
        .concurrency
        .saturating_mul(options.run.journal_ahead.max(1))
        .saturating_mul(2)
        .max(MIN_HEAD_LINES);
    let split = if replay.starts.is_empty() && replay.sent.is_empty() {
        input::after_lines(&text, head).filter(|at| *at > 0)
    } else {
        None
    };
    let entries = input::parse(split.map_or(text.as_str(), |at| &text[..at]));
    let idempotent = caller.idempotent();
    let plan = plan(entries, &replay, idempotent);
    let mut results = plan.done;
    let from_earlier_runs = plan.from_earlier_runs;
    let mut to_send = plan.send;
    let progress = Arc::new(if options.progress {
        Progress::stderr(
            u64::try_from(total_lines).unwrap_or(u64::MAX),
            u64::try_from(results.len()).unwrap_or(u64::MAX),
        )
    } else {
        Progress::hidden()
    });
    // The lines after the first ones of a new run, read while it calls: blank and invalid ones are
    // done as soon as they are read (counted like those of the first lines), the others are fed to
    // the workers.
    let tail_done = Arc::new(std::sync::Mutex::new(BTreeMap::new()));
    let feed = split.map(|at| {
        let (text, tail_done, progress) = (text.clone(), tail_done.clone(), progress.clone());
        let first = u64::try_from(head).unwrap_or(u64::MAX).saturating_add(1);
        let upto = total_lines.saturating_sub(head);
        let reading = tokio::task::spawn_blocking(move || {
            let rest = self::plan(
                input::parse_from(&text[at..], first),
                &Replay::default(),
                idempotent,
            );
            progress.skip(u64::try_from(rest.done.len()).unwrap_or(u64::MAX));
            *tail_done.lock().unwrap_or_else(|p| p.into_inner()) = rest.done;
            rest.send
        });
        Feed {
            upto,
            lines: async move { reading.await.map_err(|e| e.to_string()) },
        }
    });

    let mut claimed: HashSet<String> = results
        .values()
        .filter_map(|r| match r {
            LineResult::Ok { id: Some(id), .. } => Some(id.clone()),
            _ => None,
        })
        .collect();
    for (line, sent_at_ms) in plan.look_up {
        let context = LookupContext {
            sent_at: UNIX_EPOCH + Duration::from_millis(sent_at_ms),
            clock_skew: options.clock_skew,
            claimed: Arc::new(claimed.clone()),
        };
        match caller.lookup(&line, &context).await {
            Lookup::Found { id } => {
                if let Some(id) = &id {
                    claimed.insert(id.clone());
                }
                let result = LineResult::Ok {
                    id,
                    found_by_lookup: true,
                    attempts: 0,
                };
                journal
                    .append(Record::Answered {
                        line: line.number,
                        at_ms: now_ms(),
                        result: result.clone(),
                    })
                    .await
                    .map_err(BulkError::Journal)?;
                progress.line_done(false);
                results.insert(line.number, result);
            }
            Lookup::Absent => to_send.push(line),
            Lookup::Unknown { check } => {
                progress.line_done(true);
                results.insert(line.number, LineResult::Unknown { check });
            }
        }
    }
    to_send.sort_by_key(|l| l.number);

    let run = run_lines_fed(
        caller,
        to_send,
        feed,
        journal.clone(),
        progress.clone(),
        &options.run,
    )
    .await;
    progress.finish();
    if let Journal::File(file) = &*journal {
        file.close();
    }
    let mut run = run.map_err(BulkError::Run)?;
    results.append(&mut run.results);
    results.append(&mut tail_done.lock().unwrap_or_else(|p| p.into_inner()));
    write_results(&results_path, &results)?;
    let mut summary = Summary::of(&results);
    summary.from_earlier_runs = from_earlier_runs;
    summary.requests = run.requests;
    summary.rate_limited = run.rate_limited;
    Ok(Report {
        summary,
        results,
        results_path,
        journal_path,
    })
}

fn read_journal(path: &Path, options: &FilesOptions, sha: &str) -> Result<Replay, BulkError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Replay::default()),
        Err(e) => return Err(BulkError::Journal(JournalError::Io(path.to_path_buf(), e))),
    };
    if bytes.is_empty() {
        return Ok(Replay::default());
    }
    if !options.resume {
        return Err(BulkError::JournalExists(path.to_path_buf()));
    }
    let replay = journal::replay(path, &bytes).map_err(BulkError::Journal)?;
    for start in &replay.starts {
        if let Record::Start {
            api,
            operation,
            input_sha256,
            ..
        } = start
        {
            if input_sha256 != sha {
                return Err(BulkError::JournalMismatch(
                    path.to_path_buf(),
                    "the input file changed since".to_string(),
                ));
            }
            if *api != options.api || *operation != options.operation {
                return Err(BulkError::JournalMismatch(
                    path.to_path_buf(),
                    format!("it ran {api} {operation}"),
                ));
            }
        }
    }
    Ok(replay)
}

/// What a (resumed) run does with each input line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// Lines with a result already: answered by an earlier run, blank or invalid.
    pub done: BTreeMap<u64, LineResult>,
    /// Of `done`, the lines an earlier run answered.
    pub from_earlier_runs: u64,
    /// Lines to send, in input order.
    pub send: Vec<Line>,
    /// Lines sent but not answered by an earlier run, of an operation that is not idempotent: to look
    /// up, with the time they were sent (milliseconds since the epoch).
    pub look_up: Vec<(Line, u64)>,
}

/// Decides, from what the journal says, what to do with each line (see the [module docs](self)).
pub fn plan(entries: Vec<Entry>, replay: &Replay, idempotent: bool) -> Plan {
    let mut plan = Plan::default();
    for entry in entries {
        match entry {
            Entry::Blank(n) => {
                plan.done.insert(n, LineResult::Blank);
            }
            Entry::Invalid { number, error } => {
                plan.done.insert(number, LineResult::Invalid { error });
            }
            Entry::Call(line) => {
                if let Some(result) = replay.answered.get(&line.number) {
                    plan.done.insert(line.number, result.clone());
                    plan.from_earlier_runs += 1;
                } else if let Some(sent_at) = replay.sent.get(&line.number) {
                    if idempotent {
                        plan.send.push(line);
                    } else {
                        plan.look_up.push((line, *sent_at));
                    }
                } else {
                    plan.send.push(line);
                }
            }
        }
    }
    plan
}

/// Writes the results file whole (a temporary file synced, then renamed over the old one).
fn write_results(path: &Path, results: &BTreeMap<u64, LineResult>) -> Result<(), BulkError> {
    let err = |e| BulkError::Results(path.to_path_buf(), e);
    let mut tmp_name = path.as_os_str().to_owned();
    tmp_name.push(".tmp");
    let tmp = PathBuf::from(tmp_name);
    let mut out =
        std::io::BufWriter::with_capacity(64 * 1024, std::fs::File::create(&tmp).map_err(err)?);
    let mut scratch = Vec::with_capacity(256);
    for (line, result) in results {
        ResultLine::write_json(&mut out, *line, result, &mut scratch).map_err(err)?;
    }
    let file = out.into_inner().map_err(|e| err(e.into_error()))?;
    file.sync_data().map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok() -> LineResult {
        LineResult::Ok {
            id: Some("a".into()),
            found_by_lookup: false,
            attempts: 1,
        }
    }

    #[test]
    fn the_results_file_has_a_result_line_per_line_in_order_and_replaces_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.results.jsonl");
        std::fs::write(&path, "an older run's results\n").unwrap();
        let results: BTreeMap<u64, LineResult> = [
            (1, ok()),
            (
                2,
                LineResult::Failed {
                    kind: "Validation".into(),
                    http_status: Some(400),
                    code: Some("invalid_input".into()),
                    message: "a \"quoted\" message".into(),
                    request_id: Some("req-1".into()),
                    may_have_acted: false,
                    attempts: 1,
                },
            ),
            (3, LineResult::Blank),
            (
                4,
                LineResult::Unknown {
                    check: "look for it".into(),
                },
            ),
        ]
        .into_iter()
        .collect();
        write_results(&path, &results).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let read: Vec<crate::outcome::ResultLine> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let expected: Vec<crate::outcome::ResultLine> = results
            .into_iter()
            .map(|(line, result)| crate::outcome::ResultLine { line, result })
            .collect();
        assert_eq!(read, expected);
        assert!(
            text.starts_with(r#"{"line":1,"status":"ok","id":"a","attempts":1}"#),
            "{text}"
        );
        assert!(!dir.path().join("run.results.jsonl.tmp").exists());
    }

    #[test]
    fn resume_skips_answered_lines_resends_idempotent_ones_and_looks_up_creates() {
        let entries = input::parse("{}\n{}\n\n{}\n[]\n");
        let mut replay = Replay::default();
        replay.sent.insert(1, 100);
        replay.answered.insert(1, ok());
        replay.sent.insert(2, 200);
        let create = plan(entries.clone(), &replay, false);
        assert_eq!(create.done.get(&1), Some(&ok()));
        assert_eq!(create.from_earlier_runs, 1);
        assert_eq!(create.done.get(&3), Some(&LineResult::Blank));
        assert!(matches!(
            create.done.get(&5),
            Some(LineResult::Invalid { .. })
        ));
        assert_eq!(
            create
                .look_up
                .iter()
                .map(|(l, t)| (l.number, *t))
                .collect::<Vec<_>>(),
            [(2, 200)]
        );
        assert_eq!(
            create.send.iter().map(|l| l.number).collect::<Vec<_>>(),
            [4]
        );

        let delete = plan(entries, &replay, true);
        assert!(delete.look_up.is_empty());
        assert_eq!(
            delete.send.iter().map(|l| l.number).collect::<Vec<_>>(),
            [2, 4]
        );
    }

    #[test]
    fn the_results_and_journal_sit_beside_the_input_unless_told() {
        let o = FilesOptions::new("/data/users.jsonl", "seam", "launch_enrollment_automation");
        assert_eq!(o.results_path(), Path::new("/data/users.results.jsonl"));
        assert_eq!(
            o.journal_path(),
            Path::new("/data/users.results.jsonl.journal")
        );
        let o = FilesOptions {
            results: Some("/tmp/r.jsonl".into()),
            ..o
        };
        assert_eq!(o.journal_path(), Path::new("/tmp/r.jsonl.journal"));
    }
}
