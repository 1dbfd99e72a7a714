//! The journal: what the run did, line by line, on disk before it counts.
//!
//! One JSON record a line, appended and flushed with `fsync` (`File::sync_data`):
//!
//! ```text
//! {"event":"start","api":"seam","operation":"launch_enrollment_automation","input_sha256":"…","lines":300,"at_ms":…}
//! {"event":"sent_lines","lines":[1,2,3,4],"at_ms":1764633600123}
//! {"event":"answered","line":3,"at_ms":1764633600150,"result":{"status":"ok","id":"…","attempts":1}}
//! ```
//!
//! A `sent_lines` record is on disk before any of its lines' requests goes out, an `answered` record
//! before the line counts as done: after `kill -9` every line the run reported done is in the journal,
//! and every line that may have reached the server is at least sent. (A journal of an earlier version
//! records each line on its own, `{"event":"sent","line":3,...}`; both are read.) Records are written by
//! one thread that takes every record waiting, writes them and calls `sync_data` once for the lot (a
//! group commit), then lets every task waiting for one of them go on with one wake-up: at concurrency
//! 64 one `fsync` serves many lines, so the journal costs little throughput.
//!
//! A crash can leave the last record cut off (no final newline); [`replay`] ignores it and
//! [`FileJournal::open`] cuts it off before appending. A record that cannot be read anywhere else means
//! the file is not this run's journal, and is refused.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

use crate::outcome::LineResult;

/// One journal record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Record {
    /// A run (or a resumed run) started.
    Start {
        /// The API, as the run names it.
        api: String,
        /// The operation id.
        operation: String,
        /// The SHA-256 of the input file's bytes: a resumed run must have the same input.
        input_sha256: String,
        /// The input's line count.
        lines: u64,
        /// Wall-clock time, milliseconds since the Unix epoch.
        at_ms: u64,
    },
    /// The line's request is about to be sent (the form of earlier versions, still read).
    Sent {
        /// The input line number.
        line: u64,
        /// Wall-clock time, milliseconds since the Unix epoch.
        at_ms: u64,
    },
    /// These lines' requests are about to be sent, in this order (the runner records a batch of the
    /// lines it is about to hand out at once, ahead of the calls; see [`crate::RunOptions::journal_ahead`]).
    SentLines {
        /// The input line numbers.
        lines: Vec<u64>,
        /// Wall-clock time, milliseconds since the Unix epoch.
        at_ms: u64,
    },
    /// The line is done.
    Answered {
        /// The input line number.
        line: u64,
        /// Wall-clock time, milliseconds since the Unix epoch.
        at_ms: u64,
        /// What became of it.
        result: LineResult,
    },
}

impl Record {
    /// The lines a `sent` or `sent_lines` record says are about to be sent (none for other records).
    pub fn lines_sent(&self) -> &[u64] {
        match self {
            Self::Sent { line, .. } => std::slice::from_ref(line),
            Self::SentLines { lines, .. } => lines,
            _ => &[],
        }
    }
}

/// A queued record's place in the journal: [`Journal::wait`] ends once it is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ticket(u64);

/// Milliseconds since the Unix epoch, now (0 if the clock is before it).
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Why the journal could not be read or written.
#[derive(Debug)]
pub enum JournalError {
    /// Reading, writing or syncing the file failed.
    Io(PathBuf, std::io::Error),
    /// A record other than the last one cannot be read (its 1-based line in the journal, and why).
    Corrupt(PathBuf, u64, String),
    /// The journal's writer thread has stopped (after an earlier failure).
    Closed,
}

impl fmt::Display for JournalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(path, e) => write!(f, "journal {}: {e}", path.display()),
            Self::Corrupt(path, line, why) => write!(
                f,
                "journal {} line {line} is not a journal record ({why}); it is not this tool's journal or was edited",
                path.display()
            ),
            Self::Closed => f.write_str("the journal's writer stopped after an earlier failure"),
        }
    }
}

impl std::error::Error for JournalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io(_, e) => Some(e),
            _ => None,
        }
    }
}

/// Where the run's records go: a file (durable) or memory (tests, and runs that opt out).
pub enum Journal {
    /// An append-only file, every record synced before [`Journal::append`] returns.
    File(FileJournal),
    /// Records kept in memory, in order.
    Memory(Mutex<Vec<Record>>),
}

impl fmt::Debug for Journal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File(j) => f.debug_tuple("Journal::File").field(&j.path).finish(),
            Self::Memory(_) => f.write_str("Journal::Memory"),
        }
    }
}

impl Journal {
    /// A journal in memory.
    pub fn memory() -> Self {
        Self::Memory(Mutex::new(Vec::new()))
    }

    /// Appends `record`; for a file, returns once it is on disk.
    ///
    /// # Errors
    ///
    /// When it could not be written or synced.
    pub async fn append(&self, record: Record) -> Result<(), JournalError> {
        let ticket = self.queue(&record)?;
        self.wait(ticket).await
    }

    /// Queues `record` now (records keep the order they are queued in) and returns its ticket, without
    /// waiting for the disk: a worker can queue a line's `answered` record and go on with its next call,
    /// and count the line done once [`Journal::is_durable`] says so.
    ///
    /// # Errors
    ///
    /// When the journal has failed or been closed (nothing more can be recorded).
    pub fn queue(&self, record: &Record) -> Result<Ticket, JournalError> {
        self.queue_with(record, false)
    }

    /// Queues `record` like [`Journal::queue`], and has the writer sync it without waiting for a fuller
    /// group: for a record that tasks will wait for soon (the runner's batch of lines ahead, whose
    /// requests wait for it).
    ///
    /// # Errors
    ///
    /// When the journal has failed or been closed (nothing more can be recorded).
    pub fn queue_urgent(&self, record: &Record) -> Result<Ticket, JournalError> {
        self.queue_with(record, true)
    }

    /// Has the writer sync the record of `ticket` (and those before it) without waiting out the group,
    /// without waiting for it here: for a record tasks will wait for soon. Nothing when it is on disk
    /// already (or the journal is in memory).
    pub fn hurry(&self, ticket: Ticket) {
        if let Self::File(file) = self
            && file.shared.durable.load(Ordering::Acquire) < ticket.0
        {
            file.shared
                .queue
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .want(ticket.0, &file.shared.ready);
        }
    }

    fn queue_with(&self, record: &Record, urgent: bool) -> Result<Ticket, JournalError> {
        match self {
            Self::File(file) => file.queue(record, urgent).map(Ticket),
            Self::Memory(records) => {
                records
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(record.clone());
                Ok(Ticket(0))
            }
        }
    }

    /// Whether the record of `ticket` is on disk (always, for memory).
    pub fn is_durable(&self, ticket: Ticket) -> bool {
        match self {
            Self::File(file) => file.shared.durable.load(Ordering::Acquire) >= ticket.0,
            Self::Memory(_) => true,
        }
    }

    /// Ends once the record of `ticket` (and every one queued before it) is on disk.
    ///
    /// # Errors
    ///
    /// When the journal failed or was closed before that record was synced.
    pub async fn wait(&self, ticket: Ticket) -> Result<(), JournalError> {
        match self {
            Self::File(file) => durable(&file.shared, &file.path, ticket.0).await,
            Self::Memory(_) => Ok(()),
        }
    }

    /// Group commit for a file journal (see [`FileJournal::group_commit`]); nothing for memory.
    pub fn group_commit(&self, records: usize, within: Duration) {
        if let Self::File(file) = self {
            file.group_commit(records, within);
        }
    }

    /// The records of a memory journal, in order (empty for a file journal).
    pub fn records(&self) -> Vec<Record> {
        match self {
            Self::File(_) => Vec::new(),
            Self::Memory(records) => records.lock().unwrap_or_else(|p| p.into_inner()).clone(),
        }
    }
}

/// The longest a record waits for its group (a longer wait would only hold lines back).
pub const MAX_GROUP_WAIT: Duration = Duration::from_secs(1);

/// A journal file and the thread that writes it.
///
/// Workers serialize their records straight into one shared buffer, each record numbered in the order
/// it was queued; the writer thread takes the whole buffer, writes it, calls `sync_data` once and then
/// publishes the number of the last record it synced. A record is on disk once that number reaches its
/// own, so acknowledging a batch is one atomic store and one wake-up of the tasks that wait, whatever
/// the batch's size, and a worker whose record is already synced does not wait at all.
pub struct FileJournal {
    path: PathBuf,
    shared: Arc<Shared>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
}

/// What the workers and the writer thread share.
struct Shared {
    queue: Mutex<Queue>,
    /// Wakes the writer thread when it waits for records.
    ready: Condvar,
    /// The number of the last record on disk.
    durable: AtomicU64,
    /// Set once the writer has stopped (closed, or after a failure): nothing more becomes durable.
    stopped: AtomicBool,
    /// Wakes the tasks waiting for their record when `durable` or `stopped` changes.
    synced: Notify,
    /// How many times the writer has synced the file.
    syncs: AtomicU64,
}

/// Records queued and not yet taken by the writer.
struct Queue {
    bytes: Vec<u8>,
    /// The number of the last record queued (records are numbered from 1).
    queued: u64,
    /// Why writing failed, once it has: every later record is refused with it.
    failed: Option<Arc<str>>,
    closed: bool,
    /// The number of the last record the writer took.
    taken: u64,
    /// When the first record not yet taken was queued.
    first_at: Option<Instant>,
    /// The writer thread waits on `ready` until record number `wake_at` is queued (0: it is not waiting).
    wake_at: u64,
    /// The number of the last record a task is waiting for (0: none): the writer then syncs without
    /// waiting out the group, since someone is held up by it.
    wanted: u64,
    /// Group commit: the writer takes the records once this many are queued...
    group_records: u64,
    /// ... or once the first of them has waited this long.
    group_wait: Duration,
}

impl Queue {
    /// Record `number` is wanted on disk without waiting out the group: the writer syncs once it has it
    /// (woken now if it waits).
    fn want(&mut self, number: u64, ready: &Condvar) {
        if self.wanted < number {
            self.wanted = number;
            if self.wake_at != 0 {
                self.wake_at = 0;
                ready.notify_one();
            }
        }
    }
}

impl FileJournal {
    /// Opens (or creates) the journal at `path` for appending, cutting off a torn last record.
    ///
    /// # Errors
    ///
    /// When the file cannot be opened, truncated or its writer thread started.
    pub fn open(path: &Path) -> Result<Self, JournalError> {
        let io = |e| JournalError::Io(path.to_path_buf(), e);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(io)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io)?;
        let keep = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        if keep < bytes.len() {
            file.set_len(u64::try_from(keep).unwrap_or(u64::MAX))
                .map_err(io)?;
            file.sync_data().map_err(io)?;
        }
        file.seek(SeekFrom::End(0)).map_err(io)?;
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue {
                bytes: Vec::with_capacity(64 * 1024),
                queued: 0,
                failed: None,
                closed: false,
                taken: 0,
                first_at: None,
                wake_at: 0,
                wanted: 0,
                group_records: 1,
                group_wait: Duration::ZERO,
            }),
            ready: Condvar::new(),
            durable: AtomicU64::new(0),
            stopped: AtomicBool::new(false),
            synced: Notify::new(),
            syncs: AtomicU64::new(0),
        });
        let writer = shared.clone();
        let thread = std::thread::Builder::new()
            .name("idprov-bulk-journal".to_string())
            .spawn(move || write_loop(file, &writer))
            .map_err(io)?;
        Ok(Self {
            path: path.to_path_buf(),
            shared,
            thread: Mutex::new(Some(thread)),
        })
    }

    /// The journal's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many times the writer has written the records queued and synced the file (one `fdatasync`
    /// each, a failed one included): what group commit saves shows here.
    pub fn syncs(&self) -> u64 {
        self.shared.syncs.load(Ordering::Relaxed)
    }

    /// Group commit: the writer syncs once `records` records are queued or the first of them has waited
    /// `within` (at most [`MAX_GROUP_WAIT`]), whichever comes first (`records` 1: as soon as there is
    /// one, the default) — or at once when a task waits ([`Journal::wait`], [`Journal::append`]) for a
    /// record queued: records nobody waits for (a line's `answered`) ride along with the next sync.
    pub fn group_commit(&self, records: usize, within: Duration) {
        let mut queue = self.shared.queue.lock().unwrap_or_else(|p| p.into_inner());
        queue.group_records = u64::try_from(records.max(1)).unwrap_or(u64::MAX);
        queue.group_wait = within.min(MAX_GROUP_WAIT);
        self.shared.ready.notify_one();
    }

    /// Queues `record` for the writer thread and returns its number.
    fn queue(&self, record: &Record, urgent: bool) -> Result<u64, JournalError> {
        let mut queue = self.shared.queue.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(why) = &queue.failed {
            return Err(JournalError::Io(
                self.path.clone(),
                std::io::Error::other(why.to_string()),
            ));
        }
        if queue.closed {
            return Err(JournalError::Closed);
        }
        let before = queue.bytes.len();
        if let Err(e) = serde_json::to_writer(&mut queue.bytes, record) {
            queue.bytes.truncate(before);
            return Err(JournalError::Io(
                self.path.clone(),
                std::io::Error::other(e),
            ));
        }
        queue.bytes.push(b'\n');
        if queue.first_at.is_none() {
            queue.first_at = Some(Instant::now());
        }
        queue.queued = queue.queued.saturating_add(1);
        let number = queue.queued;
        if urgent {
            queue.want(number, &self.shared.ready);
        } else if queue.wake_at != 0 && number >= queue.wake_at {
            queue.wake_at = 0;
            self.shared.ready.notify_one();
        }
        Ok(number)
    }

    /// Stops the writer thread once every record queued so far is written.
    pub fn close(&self) {
        {
            let mut queue = self.shared.queue.lock().unwrap_or_else(|p| p.into_inner());
            queue.closed = true;
            queue.wake_at = 0;
            self.shared.ready.notify_one();
        }
        if let Some(thread) = self.thread.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = thread.join();
        }
        // Also when the thread panicked: no task may wait for a writer that is gone.
        self.shared.stopped.store(true, Ordering::Release);
        self.shared.synced.notify_waiters();
    }
}

/// Ends once record `number` is on disk, or with the reason it never will be.
async fn durable(shared: &Shared, path: &Path, number: u64) -> Result<(), JournalError> {
    // Most records are synced by the time anyone waits for them: no waiter registration then.
    if shared.durable.load(Ordering::Acquire) >= number {
        return Ok(());
    }
    loop {
        let synced = shared.synced.notified();
        tokio::pin!(synced);
        // Registered before the check, so a sync that lands between the check and the await still wakes.
        synced.as_mut().enable();
        if shared.durable.load(Ordering::Acquire) >= number {
            return Ok(());
        }
        if shared.stopped.load(Ordering::Acquire) {
            let queue = shared.queue.lock().unwrap_or_else(|p| p.into_inner());
            return Err(match &queue.failed {
                Some(why) => {
                    JournalError::Io(path.to_path_buf(), std::io::Error::other(why.to_string()))
                }
                None => JournalError::Closed,
            });
        }
        // Someone is held up: the writer stops waiting for a fuller group once it has this record.
        shared
            .queue
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .want(number, &shared.ready);
        synced.await;
    }
}

impl Drop for FileJournal {
    fn drop(&mut self) {
        self.close();
    }
}

/// The writer thread: takes every record queued, writes them, syncs once, publishes the last number.
fn write_loop(mut file: File, shared: &Shared) {
    let mut spare: Vec<u8> = Vec::with_capacity(64 * 1024);
    loop {
        let (bytes, upto) = {
            let mut queue = shared.queue.lock().unwrap_or_else(|p| p.into_inner());
            while queue.bytes.is_empty() && !queue.closed {
                queue.wake_at = queue.taken.saturating_add(1);
                queue = shared.ready.wait(queue).unwrap_or_else(|p| p.into_inner());
            }
            // Group commit: wait for more records, up to the group's size or wait, unless a task waits for
            // a record already queued.
            while !queue.closed
                && queue.wanted <= queue.taken
                && queue.queued.saturating_sub(queue.taken) < queue.group_records
            {
                let deadline = queue.first_at.map_or_else(Instant::now, |t| {
                    t.checked_add(queue.group_wait).unwrap_or(t)
                });
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                queue.wake_at = queue.taken.saturating_add(queue.group_records);
                queue = shared
                    .ready
                    .wait_timeout(queue, left)
                    .unwrap_or_else(|p| p.into_inner())
                    .0;
            }
            queue.wake_at = 0;
            if queue.bytes.is_empty() {
                break;
            }
            let upto = queue.queued;
            queue.taken = upto;
            queue.first_at = None;
            (
                std::mem::replace(&mut queue.bytes, std::mem::take(&mut spare)),
                upto,
            )
        };
        let written = file.write_all(&bytes).and_then(|()| file.sync_data());
        shared.syncs.fetch_add(1, Ordering::Relaxed);
        match written {
            Ok(()) => {
                shared.durable.store(upto, Ordering::Release);
                shared.synced.notify_waiters();
            }
            Err(e) => {
                shared
                    .queue
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .failed = Some(Arc::from(e.to_string()));
                break;
            }
        }
        spare = bytes;
        spare.clear();
    }
    shared.stopped.store(true, Ordering::Release);
    shared.synced.notify_waiters();
}

/// What a journal says about a run so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replay {
    /// The `start` records, oldest first.
    pub starts: Vec<Record>,
    /// Lines sent, with the time of their latest `sent` record (milliseconds since the epoch).
    pub sent: BTreeMap<u64, u64>,
    /// Lines answered, with their result.
    pub answered: BTreeMap<u64, LineResult>,
    /// Whether the last record was cut off (and ignored).
    pub torn_tail: bool,
}

impl Replay {
    /// Lines sent but never answered.
    pub fn unanswered(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.sent
            .iter()
            .filter(|(line, _)| !self.answered.contains_key(line))
            .map(|(l, t)| (*l, *t))
    }
}

/// Reads a journal's records (`path` only names it in errors). The last record may be torn.
///
/// # Errors
///
/// [`JournalError::Corrupt`] for an unreadable record before the last.
pub fn replay(path: &Path, bytes: &[u8]) -> Result<Replay, JournalError> {
    let mut out = Replay::default();
    let mut rest = bytes;
    let mut number: u64 = 0;
    while !rest.is_empty() {
        number = number.saturating_add(1);
        let (raw, complete) = match rest.iter().position(|b| *b == b'\n') {
            Some(i) => {
                let raw = &rest[..i];
                rest = &rest[i + 1..];
                (raw, true)
            }
            None => {
                let raw = rest;
                rest = &[];
                (raw, false)
            }
        };
        if !complete {
            // Written without its newline: the crash came in the middle of this write, which was never
            // acknowledged. Whatever it says did not count.
            out.torn_tail = true;
            break;
        }
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let record: Record = serde_json::from_slice(raw)
            .map_err(|e| JournalError::Corrupt(path.to_path_buf(), number, e.to_string()))?;
        match record {
            Record::Start { .. } => out.starts.push(record),
            Record::Sent { line, at_ms } => {
                out.sent.insert(line, at_ms);
            }
            Record::SentLines { lines, at_ms } => {
                for line in lines {
                    out.sent.insert(line, at_ms);
                }
            }
            Record::Answered { line, result, .. } => {
                out.answered.insert(line, result);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(id: &str) -> LineResult {
        LineResult::Ok {
            id: Some(id.to_string()),
            found_by_lookup: false,
            attempts: 1,
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn records_appended_from_many_tasks_are_all_on_disk_and_replay_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.journal");
        let journal = std::sync::Arc::new(Journal::File(FileJournal::open(&path).unwrap()));
        let tasks: Vec<_> = (1..=50u64)
            .map(|line| {
                let j = journal.clone();
                tokio::spawn(async move {
                    j.append(Record::Sent { line, at_ms: line }).await.unwrap();
                    j.append(Record::Answered {
                        line,
                        at_ms: line,
                        result: ok(&format!("id-{line}")),
                    })
                    .await
                    .unwrap();
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        let replayed = replay(&path, &std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(replayed.sent.len(), 50);
        assert_eq!(replayed.answered.get(&17), Some(&ok("id-17")));
        assert_eq!(replayed.unanswered().count(), 0);
        assert!(!replayed.torn_tail);
    }

    /// A file journal in a new temporary directory (kept while the first value lives), and its path.
    fn new_journal() -> (tempfile::TempDir, PathBuf, Journal) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.journal");
        let journal = Journal::File(FileJournal::open(&path).unwrap());
        (dir, path, journal)
    }

    fn sent(line: u64) -> Record {
        Record::Sent { line, at_ms: line }
    }

    /// Polls until `ticket` is durable (nobody waits for it, so the writer is not hurried), at most `limit`.
    async fn durable_within(journal: &Journal, ticket: Ticket, limit: Duration) -> Duration {
        let started = Instant::now();
        while !journal.is_durable(ticket) {
            assert!(started.elapsed() < limit, "not on disk after {limit:?}");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        started.elapsed()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_record_nobody_waits_for_is_held_for_the_group_wait_and_then_synced() {
        let (_dir, path, journal) = new_journal();
        journal.group_commit(100, Duration::from_millis(300));
        let ticket = journal.queue(&sent(1)).unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(
            !journal.is_durable(ticket),
            "one record of a group of 100, nobody waiting: held for the group wait"
        );
        let took = durable_within(&journal, ticket, Duration::from_secs(10)).await;
        assert!(took >= Duration::from_millis(200), "{took:?}");
        let replayed = replay(&path, &std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(replayed.sent.keys().copied().collect::<Vec<_>>(), [1]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_task_waiting_for_a_record_has_it_synced_without_waiting_out_the_group() {
        let (_dir, path, journal) = new_journal();
        journal.group_commit(100, MAX_GROUP_WAIT);
        let first = journal.queue(&sent(1)).unwrap();
        let started = Instant::now();
        journal.append(sent(2)).await.unwrap();
        assert!(
            started.elapsed() < MAX_GROUP_WAIT / 2,
            "a waiting task hurries the writer: {:?}",
            started.elapsed()
        );
        assert!(journal.is_durable(first), "records are synced in order");
        let replayed = replay(&path, &std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(replayed.sent.keys().copied().collect::<Vec<_>>(), [1, 2]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_urgent_record_is_synced_without_waiting_out_the_group_though_nobody_waits() {
        let (_dir, _path, journal) = new_journal();
        journal.group_commit(100, MAX_GROUP_WAIT);
        let before = journal.queue(&sent(1)).unwrap();
        let urgent = journal.queue_urgent(&sent(2)).unwrap();
        let took = durable_within(&journal, urgent, Duration::from_secs(20)).await;
        assert!(took < MAX_GROUP_WAIT / 2, "{took:?}");
        assert!(journal.is_durable(before), "records are synced in order");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_hurried_record_is_synced_without_waiting_out_the_group_though_nobody_waits() {
        let (_dir, _path, journal) = new_journal();
        journal.group_commit(100, MAX_GROUP_WAIT);
        let ticket = journal.queue(&sent(1)).unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(
            !journal.is_durable(ticket),
            "held for the group until hurried"
        );
        journal.hurry(ticket);
        let took = durable_within(&journal, ticket, Duration::from_secs(20)).await;
        assert!(took < MAX_GROUP_WAIT / 2, "{took:?}");
        let Journal::File(file) = &journal else {
            unreachable!()
        };
        let syncs = file.syncs();
        journal.hurry(ticket);
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(file.syncs(), syncs, "a record on disk is not synced again");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_group_wait_beyond_the_maximum_is_held_to_it_not_wrapped_to_nothing() {
        let (_dir, _path, journal) = new_journal();
        journal.group_commit(100, Duration::MAX);
        let ticket = journal.queue(&sent(1)).unwrap();
        let took = durable_within(&journal, ticket, Duration::from_secs(20)).await;
        assert!(took >= MAX_GROUP_WAIT / 2, "{took:?}");
    }

    #[test]
    fn sent_lines_records_replay_as_each_of_their_lines_sent_beside_single_line_ones() {
        let text = [
            Record::Sent { line: 1, at_ms: 5 },
            Record::SentLines {
                lines: vec![2, 3, 4],
                at_ms: 7,
            },
            Record::Answered {
                line: 3,
                at_ms: 9,
                result: ok("x"),
            },
        ]
        .iter()
        .map(|r| serde_json::to_string(r).unwrap() + "\n")
        .collect::<String>();
        assert!(
            text.contains(r#"{"event":"sent_lines","lines":[2,3,4],"at_ms":7}"#),
            "{text}"
        );
        let replayed = replay(Path::new("x.journal"), text.as_bytes()).unwrap();
        assert_eq!(
            replayed.unanswered().collect::<Vec<_>>(),
            [(1, 5), (2, 7), (4, 7)]
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_group_is_synced_without_waiting_out_the_group_wait() {
        let (_dir, path, journal) = new_journal();
        journal.group_commit(8, Duration::from_secs(60));
        let tickets: Vec<_> = (1..=8)
            .map(|line| journal.queue(&sent(line)).unwrap())
            .collect();
        let all = futures::future::try_join_all(tickets.iter().map(|t| journal.wait(*t)));
        tokio::time::timeout(Duration::from_secs(20), all)
            .await
            .expect("eight records make a group of eight: no 60 s wait")
            .unwrap();
        let replayed = replay(&path, &std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(replayed.sent.len(), 8);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn closing_syncs_what_is_queued_and_later_records_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.journal");
        let file = FileJournal::open(&path).unwrap();
        file.group_commit(1_000, Duration::from_secs(60));
        let journal = Journal::File(file);
        let pending = journal.queue(&sent(1)).unwrap();
        if let Journal::File(file) = &journal {
            file.close();
        }
        tokio::time::timeout(Duration::from_secs(20), journal.wait(pending))
            .await
            .expect("close does not wait out the group")
            .unwrap();
        assert!(matches!(
            journal.append(sent(2)).await,
            Err(JournalError::Closed)
        ));
        let replayed = replay(&path, &std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(replayed.sent.keys().copied().collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn a_torn_last_record_is_ignored_and_cut_off_before_appending() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.journal");
        let whole = serde_json::to_string(&Record::Sent { line: 1, at_ms: 5 }).unwrap();
        let torn = r#"{"event":"answered","line":1,"at_ms":9,"result":{"sta"#;
        std::fs::write(&path, format!("{whole}\n{torn}")).unwrap();
        let replayed = replay(&path, &std::fs::read(&path).unwrap()).unwrap();
        assert!(replayed.torn_tail);
        assert_eq!(replayed.unanswered().collect::<Vec<_>>(), [(1, 5)]);

        let journal = FileJournal::open(&path).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(Journal::File(journal).append(Record::Answered {
            line: 1,
            at_ms: 10,
            result: ok("x"),
        }))
        .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("\"sta\n"), "{text}");
        let replayed = replay(&path, text.as_bytes()).unwrap();
        assert!(!replayed.torn_tail);
        assert_eq!(replayed.answered.get(&1), Some(&ok("x")));
    }

    #[test]
    fn an_unreadable_record_before_the_last_is_refused_with_its_line() {
        let path = Path::new("x.journal");
        let e = replay(path, b"{\"event\":\"sent\",\"line\":1,\"at_ms\":1}\ngarbage\n{\"event\":\"sent\",\"line\":2,\"at_ms\":1}\n")
            .unwrap_err();
        assert!(matches!(e, JournalError::Corrupt(_, 2, _)), "{e}");
    }
}
