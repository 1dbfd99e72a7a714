//! The workers: N tasks taking lines in input order, each line journaled as sent (in a batch of the
//! lines ahead, one `sent_lines` record) before its request and `answered` before it counts, with the
//! shared rate limit and 429 gate in front of every attempt.
//!
//! **Retries.** The runner makes every retry decision itself, and the clients a bulk run uses should
//! not retry ([`bulk_retry_policy`]): a client that rides out a 429 on its own keeps one worker sleeping
//! while the 63 others go on sending into the same limit, and each of them then meets the 429 alone. So:
//!
//! | the call's failure | what the runner does |
//! |---|---|
//! | 429, or 503 with `Retry-After` (the server did not act) | closes the [`Gate`] for the `Retry-After` (or a backoff when none is given): every worker waits; the line is sent again |
//! | [`retryable`](crate::Failure::retryable) otherwise (a 502/503/504 or broken connection of an idempotent call, a refused connection) | this worker waits a backoff with jitter and sends the line again, at most [`RunOptions::max_retries`] times |
//! | anything else (a 4xx, a 5xx a create may have acted on, a timeout after sending) | the line failed; its result says whether the server may have acted |
//!
//! With clients that do retry (the default [`RetryPolicy`]) the run still works: the gate closes only
//! when a client gives up on a 429, and the other workers meet the limit one by one until then.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use idprov_runtime::RetryPolicy;

use crate::caller::{Caller, Failure};
use crate::gate::Gate;
use crate::input::Line;
use crate::journal::{Journal, JournalError, MAX_GROUP_WAIT, Record, Ticket, now_ms};
use crate::limiter::RateLimiter;
use crate::operations::id_at;
use crate::outcome::LineResult;
use crate::progress::Progress;

/// The retry policy for the clients of a bulk run: one attempt per call, so that every 429 reaches the
/// runner and pauses every worker (see the [module docs](self)); the deadline of each attempt is the
/// default policy's.
pub fn bulk_retry_policy() -> RetryPolicy {
    RetryPolicy::none()
}

/// How a run goes.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOptions {
    /// Workers: calls in flight at once (at least 1).
    pub concurrency: usize,
    /// At most this many requests per second over all workers (`--rate`), retries included.
    pub rate: Option<f64>,
    /// How many requests `rate` lets go at once after a quiet spell (1: evenly spaced).
    pub burst: u32,
    /// Where the id is in each answer (a JSON pointer; see [`crate::operations`]).
    pub id_pointer: Option<String>,
    /// Retries of one line after failures the runtime calls retryable (not counting rate limiting).
    pub max_retries: u32,
    /// Rate-limited answers one line may get before it fails as rate limited.
    pub max_rate_limited: u32,
    /// The longest `Retry-After` the run waits for; a longer one fails the line as rate limited.
    pub max_retry_after: Duration,
    /// The first backoff (doubling on each retry), also the gate's wait for a 429 without `Retry-After`.
    pub initial_backoff: Duration,
    /// How many lines per worker are journaled as sent ahead of the calls, so that an `fsync` is hidden
    /// behind the calls. The runner records the next lines in one `sent_lines` record whenever fewer
    /// than half of `concurrency × journal_ahead` lines are recorded and not yet handed out, topping them
    /// up to that many: one record (and one share of an `fsync`) for many lines. 0: each line is
    /// recorded, and synced, on its own just before its call. After a crash, up to `concurrency ×
    /// journal_ahead` lines may be recorded as sent without having been sent; resume looks them up and
    /// finds them absent.
    pub journal_ahead: usize,
    /// Group commit of a file journal: the writer syncs once the first record queued has waited this long
    /// (or 16 records per worker are queued, or a batch of lines ahead is needed soon, see
    /// [`journal_ahead`](Self::journal_ahead), or a task waits for a record: the run's end). No
    /// worker waits for its `answered` records, so the wait costs no throughput: it sets how many
    /// records one `fsync` serves (on the benchmark's disk an `fsync` costs the CPU about 0.4 ms: at
    /// 20,000 lines a second, 5 ms serve about 100 lines) and how much of the last moments a `kill -9`
    /// takes (lines answered but not yet on disk are looked up on resume). `Duration::ZERO`: sync as
    /// soon as a record is queued.
    pub journal_group_wait: Duration,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            concurrency: 8,
            rate: None,
            burst: 1,
            id_pointer: None,
            max_retries: 3,
            max_rate_limited: 100,
            max_retry_after: Duration::from_secs(600),
            initial_backoff: Duration::from_millis(200),
            journal_ahead: 4,
            journal_group_wait: Duration::from_millis(5),
        }
    }
}

impl RunOptions {
    /// Checks the options; the message names the flag.
    ///
    /// # Errors
    ///
    /// `--concurrency` 0 or over 4096, a `--rate` that is not a positive number, a `journal_group_wait`
    /// over [`MAX_GROUP_WAIT`].
    pub fn check(&self) -> Result<(), String> {
        if self.concurrency == 0 || self.concurrency > 4096 {
            return Err(format!(
                "--concurrency must be between 1 and 4096, got {}",
                self.concurrency
            ));
        }
        if let Some(rate) = self.rate {
            RateLimiter::new(rate, self.burst)?;
        }
        if self.journal_group_wait > MAX_GROUP_WAIT {
            return Err(format!(
                "journal_group_wait must be at most {} ms, got {} ms",
                MAX_GROUP_WAIT.as_millis(),
                self.journal_group_wait.as_millis()
            ));
        }
        Ok(())
    }
}

/// What a run of lines did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Each line's result, by line number.
    pub results: BTreeMap<u64, LineResult>,
    /// Requests sent, retries included.
    pub requests: u64,
    /// Rate-limited answers (each closed the gate).
    pub rate_limited: u64,
}

/// Why a run stopped before every line was done.
#[derive(Debug)]
pub enum RunError {
    /// An option is not valid (the message names it).
    Options(String),
    /// The journal could not be written: no further request was sent, since it could not be recorded.
    Journal(JournalError),
    /// A worker task ended abnormally.
    Worker(String),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Options(why) => f.write_str(why),
            Self::Journal(e) => write!(f, "{e}; the run stopped (nothing is sent unrecorded)"),
            Self::Worker(why) => write!(f, "a worker stopped: {why}"),
        }
    }
}

impl std::error::Error for RunError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Journal(e) => Some(e),
            _ => None,
        }
    }
}

/// The lines not yet handed out to a worker.
struct Queue {
    /// Not yet recorded as sent.
    pending: VecDeque<Line>,
    /// Recorded as sent (in a `sent_lines` record, the ticket's), to be handed out first.
    recorded: VecDeque<(Line, Ticket)>,
    /// More lines are still being read (see [`run_lines_fed`]): a worker with nothing to take waits.
    more_coming: bool,
    /// The newest `sent_lines` record and how many lines it holds: while it is not on disk, the lines
    /// before it are what the workers can send meanwhile.
    newest: Option<(Ticket, usize)>,
}

/// What [`take`] found for a worker.
enum Take {
    /// The next line, and the ticket of the record that says it is sent.
    Line(Line, Ticket),
    /// Nothing yet: more lines are being read.
    Wait,
    /// Nothing more: the worker is done.
    Done,
}

/// Lines still being read when a run starts (see [`run_lines_fed`]): at most `upto` lines, from `lines`.
pub(crate) struct Feed<F> {
    /// An upper bound of how many lines it gives (workers are not started for lines that cannot come).
    pub(crate) upto: usize,
    /// The lines, in input order, after the ones the run started with; or why they could not be read.
    pub(crate) lines: F,
}

struct Shared<C> {
    caller: Arc<C>,
    journal: Arc<Journal>,
    gate: Gate,
    limiter: Option<RateLimiter>,
    progress: Arc<Progress>,
    options: RunOptions,
    queue: Mutex<Queue>,
    /// Wakes the workers waiting for lines still being read.
    fed: tokio::sync::Notify,
    stop: AtomicBool,
    requests: AtomicU64,
    workers: usize,
}

/// Runs `lines` (in input order, `options.concurrency` at a time) through `caller`, journaling each.
///
/// # Errors
///
/// [`RunError::Journal`] when a record could not be written (the run stops: nothing more is sent),
/// [`RunError::Options`] for invalid options.
pub async fn run_lines<C: Caller>(
    caller: Arc<C>,
    lines: Vec<Line>,
    journal: Arc<Journal>,
    progress: Arc<Progress>,
    options: &RunOptions,
) -> Result<RunReport, RunError> {
    run_lines_fed::<C, std::future::Ready<Result<Vec<Line>, String>>>(
        caller, lines, None, journal, progress, options,
    )
    .await
}

/// [`run_lines`], starting with `lines` while the lines after them are still being read: `feed`'s
/// lines are handed out after `lines`, in their order, once they are read. A worker that catches up
/// with the reading waits for it. A feed that fails stops the run like a journal failure: no further
/// line is taken, and the reason is the run's error.
pub(crate) async fn run_lines_fed<C, F>(
    caller: Arc<C>,
    lines: Vec<Line>,
    feed: Option<Feed<F>>,
    journal: Arc<Journal>,
    progress: Arc<Progress>,
    options: &RunOptions,
) -> Result<RunReport, RunError>
where
    C: Caller,
    F: std::future::Future<Output = Result<Vec<Line>, String>> + Send + 'static,
{
    options.check().map_err(RunError::Options)?;
    let limiter = match options.rate {
        Some(rate) => Some(RateLimiter::new(rate, options.burst).map_err(RunError::Options)?),
        None => None,
    };
    let coming = feed.as_ref().map_or(0, |f| f.upto);
    let workers = options.concurrency.min(lines.len().saturating_add(coming));
    journal.group_commit(workers.saturating_mul(16), options.journal_group_wait);
    let shared = Arc::new(Shared {
        caller,
        journal,
        gate: Gate::new(),
        limiter,
        progress,
        options: options.clone(),
        queue: Mutex::new(Queue {
            pending: lines.into(),
            recorded: VecDeque::new(),
            more_coming: feed.is_some(),
            newest: None,
        }),
        fed: tokio::sync::Notify::new(),
        stop: AtomicBool::new(false),
        requests: AtomicU64::new(0),
        workers,
    });
    let feeder = feed.map(|feed| {
        let shared = shared.clone();
        tokio::spawn(async move {
            let read = feed.lines.await;
            let mut queue = shared.queue.lock().unwrap_or_else(|p| p.into_inner());
            queue.more_coming = false;
            let outcome = match read {
                Ok(lines) => {
                    queue.pending.extend(lines);
                    Ok(())
                }
                Err(why) => {
                    shared.stop.store(true, Ordering::Relaxed);
                    Err(why)
                }
            };
            drop(queue);
            shared.fed.notify_waiters();
            outcome
        })
    });
    let tasks: Vec<_> = (0..workers)
        .map(|_| tokio::spawn(worker(shared.clone())))
        .collect();
    let mut report = RunReport::default();
    let mut first_error = None;
    if let Some(feeder) = feeder {
        match feeder.await {
            Ok(Ok(())) => {}
            Ok(Err(why)) => {
                first_error = Some(RunError::Worker(format!("reading the input: {why}")));
            }
            Err(e) => first_error = Some(RunError::Worker(format!("reading the input: {e}"))),
        }
    }
    // The `answered` records the workers left unsynced when they ran out of lines: waited for here, all
    // at once (one `fsync` for the run's last records, not one per worker as each ends).
    let mut unsynced = VecDeque::new();
    // Every worker's lines, made into the map at once at the end (sorted, then built in one pass).
    let mut all = Vec::new();
    for task in tasks {
        match task.await {
            Ok(Ok((done, left))) => {
                all.extend(done);
                unsynced.extend(left);
            }
            Ok(Err(e)) => {
                first_error.get_or_insert(RunError::Journal(e));
            }
            Err(e) => {
                first_error.get_or_insert(RunError::Worker(e.to_string()));
            }
        }
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    if let Some(last) = unsynced.iter().map(|(ticket, _)| *ticket).max() {
        shared.journal.wait(last).await.map_err(RunError::Journal)?;
        count_durable(&shared, &mut unsynced, &mut all);
    }
    report.results = all.into_iter().collect();
    report.requests = shared.requests.load(Ordering::Relaxed);
    report.rate_limited = shared.gate.closings();
    Ok(report)
}

/// `answered` records queued and not yet known to be on disk, in the order queued.
type Unsynced = VecDeque<(Ticket, Record)>;

/// A worker: takes the next line (recorded as sent, see [`take`]), waits until that record is on disk,
/// makes the call, and queues the line's `answered` record without waiting for the disk: the line counts
/// as done (in the progress and the report) once that record is on disk, which the worker checks after
/// each call. It returns the lines done and the records still unsynced when it ran out of lines, which
/// [`run_lines`] waits for once all workers are done. Each guarantee holds: a request goes out only once
/// its line is recorded as sent on disk, a line counts as done only once its `answered` record is. (A
/// line may be recorded a few calls before its request; after a crash such a line is looked up and
/// found absent.)
async fn worker<C: Caller>(
    shared: Arc<Shared<C>>,
) -> Result<(Vec<(u64, LineResult)>, Unsynced), JournalError> {
    let mut done = Vec::new();
    let mut unsynced = Unsynced::new();
    let outcome = async {
        loop {
            // Registered before looking, so lines fed between the look and the wait still wake it.
            let fed = shared.fed.notified();
            tokio::pin!(fed);
            fed.as_mut().enable();
            let (line, sent) = match take(&shared)? {
                Take::Line(line, sent) => (line, sent),
                Take::Wait => {
                    fed.await;
                    continue;
                }
                Take::Done => break,
            };
            shared.journal.wait(sent).await?;
            let result = run_line(&shared, &line).await;
            let record = Record::Answered {
                line: line.number,
                at_ms: now_ms(),
                result,
            };
            unsynced.push_back((shared.journal.queue(&record)?, record));
            count_durable(&shared, &mut unsynced, &mut done);
        }
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) => Ok((done, unsynced)),
        Err(e) => {
            shared.stop.store(true, Ordering::Relaxed);
            Err(e)
        }
    }
}

/// Moves the lines whose `answered` record is on disk from `unsynced` to `done`.
fn count_durable<C>(
    shared: &Shared<C>,
    unsynced: &mut Unsynced,
    done: &mut Vec<(u64, LineResult)>,
) {
    while let Some((ticket, _)) = unsynced.front() {
        if !shared.journal.is_durable(*ticket) {
            break;
        }
        if let Some((_, Record::Answered { line, result, .. })) = unsynced.pop_front() {
            shared.progress.line_done(result.is_failure());
            done.push((line, result));
        }
    }
}

/// The next line and the ticket of the record that says it is sent. When fewer than half of
/// `workers × journal_ahead` lines are recorded and not handed out, the next lines (up to that many)
/// are recorded first, in one `sent_lines` record. That record rides with the journal's next group
/// sync, while the workers send the lines recorded before it; once fewer than a quarter of
/// `workers × journal_ahead` of those are left and it is still not on disk, the writer is hurried
/// (so a worker seldom waits for it, and a run makes about one `fsync` per group wait, not one more
/// per batch).
fn take<C>(shared: &Shared<C>) -> Result<Take, JournalError> {
    if shared.stop.load(Ordering::Relaxed) {
        return Ok(Take::Done);
    }
    let mut queue = shared.queue.lock().unwrap_or_else(|p| p.into_inner());
    let ahead = shared.workers.saturating_mul(shared.options.journal_ahead);
    if queue.recorded.len() <= ahead / 2 && !queue.pending.is_empty() {
        let n = ahead
            .saturating_sub(queue.recorded.len())
            .max(1)
            .min(queue.pending.len());
        let batch: Vec<Line> = queue.pending.drain(..n).collect();
        let record = Record::SentLines {
            lines: batch.iter().map(|l| l.number).collect(),
            at_ms: now_ms(),
        };
        // Nothing recorded before it to send meanwhile (the run's start, `journal_ahead` 0, or the
        // workers caught up): synced at once, the calls wait for it.
        let ticket = if queue.recorded.is_empty() {
            shared.journal.queue_urgent(&record)?
        } else {
            shared.journal.queue(&record)?
        };
        queue.newest = Some((ticket, batch.len()));
        queue
            .recorded
            .extend(batch.into_iter().map(|line| (line, ticket)));
    }
    let next = queue.recorded.pop_front();
    if let Some((ticket, lines)) = queue.newest {
        let before_it = queue.recorded.len().saturating_sub(lines);
        if before_it <= ahead / 4 {
            shared.journal.hurry(ticket);
        }
    }
    Ok(match next {
        Some((line, ticket)) => Take::Line(line, ticket),
        None if queue.more_coming => Take::Wait,
        None => Take::Done,
    })
}

/// One line's attempts, until an answer that ends it (the record that it is sent is on disk already).
async fn run_line<C: Caller>(shared: &Shared<C>, line: &Line) -> LineResult {
    let options = &shared.options;
    let mut attempts: u32 = 0;
    let mut rate_limited: u32 = 0;
    let mut retries: u32 = 0;
    loop {
        shared.gate.wait().await;
        if let Some(limiter) = &shared.limiter {
            limiter.acquire().await;
            // A 429 may have closed the gate while this worker waited for its slot.
            shared.gate.wait().await;
        }
        attempts = attempts.saturating_add(1);
        shared.requests.fetch_add(1, Ordering::Relaxed);
        match shared.caller.call(line).await {
            Ok(outcome) => {
                let id = outcome.id.or_else(|| {
                    options
                        .id_pointer
                        .as_deref()
                        .and_then(|p| id_at(&outcome.response, p))
                });
                return LineResult::Ok {
                    id,
                    found_by_lookup: false,
                    attempts,
                };
            }
            Err(failure)
                if failure.pauses_everyone() && rate_limited < options.max_rate_limited =>
            {
                rate_limited = rate_limited.saturating_add(1);
                let wait = failure
                    .retry_after
                    .unwrap_or_else(|| backoff(options.initial_backoff, rate_limited));
                if wait > options.max_retry_after {
                    return too_long(&failure, wait, options.max_retry_after, attempts);
                }
                shared.gate.close_for(wait);
            }
            Err(failure)
                if failure.retryable
                    && !failure.pauses_everyone()
                    && retries < options.max_retries =>
            {
                retries = retries.saturating_add(1);
                tokio::time::sleep(backoff(options.initial_backoff, retries)).await;
            }
            Err(failure) => return LineResult::failed(&failure, attempts),
        }
    }
}

fn too_long(failure: &Failure, wait: Duration, max: Duration, attempts: u32) -> LineResult {
    let mut failure = failure.clone();
    failure.message = format!(
        "{} (Retry-After {} s is longer than the run waits, {} s)",
        failure.message,
        wait.as_secs(),
        max.as_secs()
    );
    LineResult::failed(&failure, attempts)
}

/// Exponential backoff from `initial` for retry number `n` (1 first), capped at 30 s, with jitter in the
/// upper half.
fn backoff(initial: Duration, n: u32) -> Duration {
    let exp = initial
        .saturating_mul(2u32.saturating_pow(n.saturating_sub(1)))
        .min(Duration::from_secs(30));
    let half = exp / 2;
    half.saturating_add(half.mul_f64(fastrand::f64()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let initial = Duration::from_millis(100);
        for _ in 0..20 {
            let b1 = backoff(initial, 1);
            assert!(b1 >= Duration::from_millis(50) && b1 <= initial, "{b1:?}");
            let b3 = backoff(initial, 3);
            assert!(
                b3 >= Duration::from_millis(200) && b3 <= Duration::from_millis(400),
                "{b3:?}"
            );
            assert!(backoff(initial, u32::MAX) <= Duration::from_secs(30));
        }
    }

    #[test]
    fn options_name_the_flag_they_refuse() {
        let zero = RunOptions {
            concurrency: 0,
            ..RunOptions::default()
        };
        assert!(zero.check().unwrap_err().contains("--concurrency"));
        let rate = RunOptions {
            rate: Some(0.0),
            ..RunOptions::default()
        };
        assert!(rate.check().unwrap_err().contains("--rate"));
        let wait = RunOptions {
            journal_group_wait: Duration::MAX,
            ..RunOptions::default()
        };
        assert!(wait.check().unwrap_err().contains("journal_group_wait"));
        assert!(RunOptions::default().check().is_ok());
    }
}
