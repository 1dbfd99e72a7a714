//! The runner and a run's files with fake callers: ordering, the shared 429 gate, the rate limit, retries,
//! bad lines, journal replay and resume decisions. Timing tests run on tokio's paused clock, so they
//! measure exactly what the runner waits.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;
use idprov_bulk::journal::{Journal, Record};
use idprov_bulk::progress::Progress;
use idprov_bulk::{
    BulkError, Caller, Failure, FilesOptions, Line, LineResult, Lookup, LookupContext, Outcome,
    RunOptions, run_files, run_lines,
};
use idprov_runtime::ErrorKind;
use serde_json::{Map, json};
use tokio::time::Instant;

type Behaviour = dyn Fn(&Line, u32) -> Result<Outcome, Failure> + Send + Sync;

/// A caller that waits `delay` per call, answers with `behaviour(line, attempt)` and logs every call.
struct Fake {
    delay: Duration,
    behaviour: Box<Behaviour>,
    idempotent: bool,
    lookups: HashMap<u64, Lookup>,
    calls: Mutex<Vec<(u64, Instant)>>,
    looked_up: Mutex<Vec<u64>>,
}

impl Fake {
    fn new(
        delay: Duration,
        behaviour: impl Fn(&Line, u32) -> Result<Outcome, Failure> + Send + Sync + 'static,
    ) -> Self {
        Self {
            delay,
            behaviour: Box::new(behaviour),
            idempotent: false,
            lookups: HashMap::new(),
            calls: Mutex::new(Vec::new()),
            looked_up: Mutex::new(Vec::new()),
        }
    }

    fn ok(delay: Duration) -> Self {
        Self::new(delay, |line, _| {
            Ok(Outcome::new(json!({"id": format!("id-{}", line.number)})))
        })
    }

    fn calls(&self) -> Vec<(u64, Instant)> {
        self.calls.lock().unwrap().clone()
    }

    /// The lines called, in the order of the calls.
    fn lines_called(&self) -> Vec<u64> {
        self.calls().into_iter().map(|(l, _)| l).collect()
    }

    /// The lines called, in line order: workers take lines in input order, but two workers woken by
    /// the same journal sync may call in either order.
    fn lines_called_sorted(&self) -> Vec<u64> {
        let mut lines = self.lines_called();
        lines.sort_unstable();
        lines
    }
}

impl Caller for Fake {
    fn call<'a>(
        &'a self,
        line: &'a Line,
    ) -> impl Future<Output = Result<Outcome, Failure>> + Send + 'a {
        Box::pin(async move {
            let attempt = {
                let mut calls = self.calls.lock().unwrap();
                calls.push((line.number, Instant::now()));
                u32::try_from(calls.iter().filter(|(l, _)| *l == line.number).count()).unwrap()
            };
            tokio::time::sleep(self.delay).await;
            (self.behaviour)(line, attempt)
        })
    }

    fn idempotent(&self) -> bool {
        self.idempotent
    }

    fn lookup<'a>(&'a self, line: &'a Line, _context: &'a LookupContext) -> BoxFuture<'a, Lookup> {
        Box::pin(async move {
            self.looked_up.lock().unwrap().push(line.number);
            self.lookups
                .get(&line.number)
                .cloned()
                .unwrap_or(Lookup::Unknown {
                    check: "no lookup".into(),
                })
        })
    }
}

fn lines(n: u64) -> Vec<Line> {
    (1..=n)
        .map(|i| Line::new(i, Map::new(), Some(json!({"n": i}))))
        .collect()
}

fn options(concurrency: usize) -> RunOptions {
    RunOptions {
        concurrency,
        id_pointer: Some("/id".into()),
        ..RunOptions::default()
    }
}

async fn run(
    fake: &Arc<Fake>,
    n: u64,
    options: &RunOptions,
) -> (idprov_bulk::RunReport, Vec<Record>) {
    let journal = Arc::new(Journal::memory());
    let report = run_lines(
        fake.clone(),
        lines(n),
        journal.clone(),
        Arc::new(Progress::hidden()),
        options,
    )
    .await
    .unwrap();
    (report, journal.records())
}

#[tokio::test(start_paused = true)]
async fn lines_are_sent_in_input_order_journaled_before_and_after_and_each_gets_its_id() {
    let fake = Arc::new(Fake::ok(Duration::ZERO));
    let (report, records) = run(&fake, 20, &options(4)).await;
    assert_eq!(report.results.len(), 20);
    for (line, result) in &report.results {
        assert_eq!(
            result,
            &LineResult::Ok {
                id: Some(format!("id-{line}")),
                found_by_lookup: false,
                attempts: 1
            }
        );
    }
    let sent: Vec<u64> = records
        .iter()
        .flat_map(|r| r.lines_sent().iter().copied())
        .collect();
    assert_eq!(sent, (1..=20).collect::<Vec<_>>(), "sent in input order");
    for line in 1..=20u64 {
        let sent_at = records
            .iter()
            .position(|r| r.lines_sent().contains(&line))
            .unwrap();
        let answered_at = records
            .iter()
            .position(|r| matches!(r, Record::Answered { line: l, .. } if *l == line))
            .unwrap();
        assert!(
            sent_at < answered_at,
            "line {line}: answered recorded before sent"
        );
    }
    assert_eq!(fake.lines_called(), (1..=20).collect::<Vec<_>>());
}

#[tokio::test(start_paused = true)]
async fn lines_are_recorded_as_sent_in_batches_of_up_to_journal_ahead_per_worker() {
    let fake = Arc::new(Fake::ok(Duration::from_millis(10)));
    let (report, records) = run(&fake, 100, &options(4)).await;
    assert_eq!(report.results.len(), 100);
    let batches: Vec<&[u64]> = records
        .iter()
        .map(Record::lines_sent)
        .filter(|l| !l.is_empty())
        .collect();
    // 4 workers x journal_ahead 4: the first 16 lines at once, then topped up to 16 whenever 8 or fewer
    // are left: one record per 8 lines, not one per line.
    assert_eq!(batches[0], (1..=16).collect::<Vec<_>>());
    assert!(batches.iter().all(|b| b.len() <= 16), "{batches:?}");
    assert!(
        batches.len() <= 13,
        "{} sent records for 100 lines",
        batches.len()
    );
    let all: Vec<u64> = batches.concat();
    assert_eq!(
        all,
        (1..=100).collect::<Vec<_>>(),
        "each line once, in order"
    );
}

#[tokio::test(start_paused = true)]
async fn journal_ahead_zero_records_each_line_on_its_own_just_before_its_call() {
    let fake = Arc::new(Fake::ok(Duration::from_millis(10)));
    let opts = RunOptions {
        journal_ahead: 0,
        ..options(4)
    };
    let (_, records) = run(&fake, 20, &opts).await;
    let batches: Vec<&[u64]> = records
        .iter()
        .map(Record::lines_sent)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(batches.len(), 20, "{batches:?}");
    assert!(batches.iter().all(|b| b.len() == 1));
}

#[tokio::test(start_paused = true)]
async fn answers_out_of_order_still_give_one_result_per_line() {
    let fake = Arc::new(Fake::new(Duration::ZERO, |line, _| {
        Ok(Outcome::new(json!({"id": line.number})))
    }));
    // Each call waits longer the earlier its line: line 1 finishes last.
    struct Reverse(Arc<Fake>);
    impl Caller for Reverse {
        fn call<'a>(
            &'a self,
            line: &'a Line,
        ) -> impl Future<Output = Result<Outcome, Failure>> + Send + 'a {
            Box::pin(async move {
                tokio::time::sleep(Duration::from_millis(100 - line.number)).await;
                self.0.call(line).await
            })
        }
        fn idempotent(&self) -> bool {
            false
        }
    }
    let journal = Arc::new(Journal::memory());
    let report = run_lines(
        Arc::new(Reverse(fake.clone())),
        lines(10),
        journal.clone(),
        Arc::new(Progress::hidden()),
        &options(10),
    )
    .await
    .unwrap();
    let answered: Vec<u64> = journal
        .records()
        .iter()
        .filter_map(|r| match r {
            Record::Answered { line, .. } => Some(*line),
            _ => None,
        })
        .collect();
    assert_eq!(
        answered,
        (1..=10).rev().collect::<Vec<_>>(),
        "answers came back in reverse"
    );
    assert_eq!(
        report.results.keys().copied().collect::<Vec<_>>(),
        (1..=10).collect::<Vec<_>>()
    );
    assert_eq!(
        report.results[&3],
        LineResult::Ok {
            id: Some("3".into()),
            found_by_lookup: false,
            attempts: 1
        },
        "a numeric id is written out"
    );
}

#[tokio::test(start_paused = true)]
async fn one_rate_limited_answer_pauses_every_worker_until_its_retry_after() {
    let retry_after = Duration::from_secs(2);
    let call = Duration::from_millis(10);
    let fake = Arc::new(Fake::new(call, move |line, attempt| {
        if line.number == 3 && attempt == 1 {
            Err(Failure::rate_limited(Some(retry_after)))
        } else {
            Ok(Outcome::new(json!({"id": line.number})))
        }
    }));
    let start = Instant::now();
    let (report, _) = run(&fake, 40, &options(4)).await;
    let elapsed = start.elapsed();
    assert_eq!(report.rate_limited, 1);
    assert_eq!(report.requests, 41);
    assert!(
        matches!(report.results[&3], LineResult::Ok { attempts: 2, .. }),
        "the refused line is sent again: {:?}",
        report.results[&3]
    );
    // Line 3's first call was refused `call` after it started: the gate is closed for 2 s from then.
    let calls = fake.calls();
    let first_of_3 = calls.iter().find(|(l, _)| *l == 3).unwrap().1;
    let refused_at = first_of_3 + call;
    let reopens = refused_at + retry_after;
    let during: Vec<_> = calls
        .iter()
        .filter(|(_, t)| *t > refused_at && *t < reopens)
        .collect();
    assert!(
        during.is_empty(),
        "calls started while the gate was closed: {during:?}"
    );
    // Workers whose calls ended in the same instant as the refusal may already have started their next
    // one; nothing else starts before the gate reopens, and every worker goes on after it.
    let before = calls.iter().filter(|(_, t)| *t <= refused_at).count();
    let after = calls.iter().filter(|(_, t)| *t >= reopens).count();
    assert_eq!(
        after,
        41 - before,
        "every worker waited, not only the refused one"
    );
    assert!(
        after > 4,
        "{after} calls after the gate reopened: more than one worker's"
    );
    let retried = calls.iter().filter(|(l, _)| *l == 3).nth(1).unwrap().1;
    assert_eq!(
        retried, reopens,
        "the refused line is sent again when the gate reopens"
    );
    assert!(elapsed >= reopens - start + call);
}

#[tokio::test(start_paused = true)]
async fn a_503_with_retry_after_closes_the_gate_like_a_429() {
    let fake = Arc::new(Fake::new(Duration::from_millis(1), |line, attempt| {
        if line.number == 1 && attempt == 1 {
            Err(Failure {
                retry_after: Some(Duration::from_secs(5)),
                ..Failure::new(ErrorKind::Server, "unavailable")
                    .with_status(503)
                    .with_safety(false, true)
            })
        } else {
            Ok(Outcome::new(json!({})))
        }
    }));
    let start = Instant::now();
    let (report, _) = run(&fake, 2, &options(1)).await;
    assert_eq!(report.rate_limited, 1);
    assert!(start.elapsed() >= Duration::from_secs(5));
    assert!(
        report
            .results
            .values()
            .all(|r| matches!(r, LineResult::Ok { .. }))
    );
}

#[tokio::test(start_paused = true)]
async fn the_rate_limit_spaces_requests_over_all_workers() {
    let fake = Arc::new(Fake::ok(Duration::ZERO));
    let opts = RunOptions {
        rate: Some(20.0),
        ..options(8)
    };
    let start = Instant::now();
    let (report, _) = run(&fake, 30, &opts).await;
    assert_eq!(report.results.len(), 30);
    let mut times: Vec<Duration> = fake.calls().iter().map(|(_, t)| *t - start).collect();
    times.sort();
    for pair in times.windows(2) {
        assert!(pair[1] - pair[0] >= Duration::from_millis(50), "{times:?}");
    }
    assert_eq!(*times.last().unwrap(), Duration::from_millis(50) * 29);
}

#[tokio::test(start_paused = true)]
async fn retryable_failures_are_retried_a_bounded_number_of_times_and_others_never() {
    let fake = Arc::new(Fake::new(Duration::ZERO, |line, _| match line.number {
        1 => Err(Failure::new(ErrorKind::Server, "bad gateway").with_status(502)),
        2 => Err(Failure::new(ErrorKind::Transport, "refused").with_safety(false, true)),
        _ => Err(Failure::new(ErrorKind::Validation, "Name: required")
            .with_status(400)
            .with_safety(false, false)),
    }));
    let (report, _) = run(&fake, 3, &options(3)).await;
    let attempts = |n: u64| match &report.results[&n] {
        LineResult::Failed {
            attempts,
            may_have_acted,
            ..
        } => (*attempts, *may_have_acted),
        other => panic!("line {n}: {other:?}"),
    };
    assert_eq!(
        attempts(1),
        (1, true),
        "a 502 of a create may have acted: not resent"
    );
    assert_eq!(attempts(2), (4, false), "retried max_retries (3) times");
    assert_eq!(attempts(3), (1, false));
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_longer_than_the_run_waits_fails_the_line_as_rate_limited() {
    let fake = Arc::new(Fake::new(Duration::ZERO, |_, _| {
        Err(Failure::rate_limited(Some(Duration::from_secs(3600))))
    }));
    let (report, _) = run(&fake, 1, &options(1)).await;
    match &report.results[&1] {
        LineResult::Failed {
            kind,
            message,
            http_status,
            ..
        } => {
            assert_eq!(kind, "RateLimited");
            assert_eq!(*http_status, Some(429));
            assert!(message.contains("3600"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

// ---- a run with its files ----

fn write_input(dir: &std::path::Path, text: &str) -> std::path::PathBuf {
    let path = dir.join("input.jsonl");
    std::fs::write(&path, text).unwrap();
    path
}

fn files(input: &std::path::Path) -> FilesOptions {
    let mut o = FilesOptions::new(input, "fake", "create_thing");
    o.progress = false;
    o.run = options(2);
    o
}

fn read_results(path: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test]
async fn bad_and_blank_lines_get_a_result_line_with_their_number_and_fail_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(
        dir.path(),
        "{\"body\": {}}\n\n{\"prams\": {}}\n{\"body\": {}}\n",
    );
    let fake = Arc::new(Fake::ok(Duration::ZERO));
    let report = run_files(fake.clone(), &files(&input)).await.unwrap();
    let results = read_results(&report.results_path);
    let statuses: Vec<(u64, &str)> = results
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [(1, "ok"), (2, "blank"), (3, "invalid"), (4, "ok")]
    );
    assert!(results[2]["error"].as_str().unwrap().contains("\"prams\""));
    assert_eq!(results[0]["id"], "id-1");
    assert!(!report.summary.succeeded(), "an invalid line fails the run");
    assert_eq!(fake.lines_called_sorted(), [1, 4]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_run_reads_its_later_lines_while_it_calls_and_each_line_still_gets_its_result() {
    let dir = tempfile::tempdir().unwrap();
    // Concurrency 2 starts with the first 64 lines; lines 65..=300 are read while they are called.
    let text: String = (1..=300)
        .map(|n| match n {
            10 | 100 => "\n".to_string(),
            250 => "{\"prams\": {}}\n".to_string(),
            _ => format!("{{\"body\": {{\"n\": {n}}}}}\n"),
        })
        .collect();
    let input = write_input(dir.path(), &text);
    // The id is made of the body's `n`, so a line numbered wrongly shows as a wrong id.
    let fake = Arc::new(Fake::new(Duration::ZERO, |line, _| {
        let n = line.body().and_then(|b| b["n"].as_u64()).unwrap_or(0);
        Ok(Outcome::new(json!({"id": format!("id-{n}")})))
    }));
    let report = run_files(fake.clone(), &files(&input)).await.unwrap();
    let results = read_results(&report.results_path);
    assert_eq!(
        results
            .iter()
            .map(|r| r["line"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        (1..=300).collect::<Vec<_>>(),
        "one result line per input line, in order"
    );
    for r in &results {
        let line = r["line"].as_u64().unwrap();
        let expected = match line {
            10 | 100 => "blank",
            250 => "invalid",
            _ => "ok",
        };
        assert_eq!(r["status"], expected, "line {line}");
        if expected == "ok" {
            assert_eq!(r["id"], format!("id-{line}"));
        }
    }
    let called: Vec<u64> = (1..=300).filter(|n| ![10, 100, 250].contains(n)).collect();
    assert_eq!(fake.lines_called_sorted(), called, "each call made once");
    assert_eq!(
        (report.summary.blank, report.summary.invalid),
        (2, 1),
        "{}",
        report.summary
    );
}

#[tokio::test]
async fn a_second_run_over_an_existing_journal_is_refused_without_resume() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), "{}\n");
    let fake = Arc::new(Fake::ok(Duration::ZERO));
    run_files(fake.clone(), &files(&input)).await.unwrap();
    let again = run_files(fake.clone(), &files(&input)).await.unwrap_err();
    assert!(matches!(again, BulkError::JournalExists(_)), "{again}");
    assert!(again.to_string().contains("--resume"), "{again}");
    let mut resume = files(&input);
    resume.resume = true;
    let report = run_files(fake.clone(), &resume).await.unwrap();
    assert_eq!(report.summary.from_earlier_runs, 1);
    assert_eq!(
        fake.lines_called(),
        [1],
        "the resumed run sent nothing again"
    );
}

#[tokio::test]
async fn resuming_with_another_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), "{}\n");
    let fake = Arc::new(Fake::ok(Duration::ZERO));
    run_files(fake.clone(), &files(&input)).await.unwrap();
    std::fs::write(&input, "{}\n{}\n").unwrap();
    let mut resume = files(&input);
    resume.resume = true;
    let e = run_files(fake, &resume).await.unwrap_err();
    assert!(matches!(e, BulkError::JournalMismatch(..)), "{e}");
}

/// A journal as a crash leaves it: lines 1 and 2 answered, 3, 4 and 5 sent but not answered, a torn
/// record at the end; line 6 never sent. Lines 1 to 3 are recorded one by one (`sent`, as earlier
/// versions wrote them), 4 and 5 in one `sent_lines` record, as the runner writes them now.
fn crashed_journal(path: &std::path::Path, input: &std::path::Path) {
    use sha2::Digest;
    let sha = hex::encode(sha2::Sha256::digest(std::fs::read(input).unwrap()));
    let ok = |id: &str| LineResult::Ok {
        id: Some(id.into()),
        found_by_lookup: false,
        attempts: 1,
    };
    let records = [
        Record::Start {
            api: "fake".into(),
            operation: "create_thing".into(),
            input_sha256: sha,
            lines: 6,
            at_ms: 1,
        },
        Record::Sent { line: 1, at_ms: 2 },
        Record::Sent { line: 2, at_ms: 2 },
        Record::Answered {
            line: 1,
            at_ms: 3,
            result: ok("id-1"),
        },
        Record::Sent { line: 3, at_ms: 4 },
        Record::Answered {
            line: 2,
            at_ms: 5,
            result: ok("id-2"),
        },
        Record::SentLines {
            lines: vec![4, 5],
            at_ms: 6,
        },
    ];
    let mut text: String = records
        .iter()
        .map(|r| serde_json::to_string(r).unwrap() + "\n")
        .collect();
    text.push_str("{\"event\":\"answered\",\"line\":3,\"at_ms\":7,\"res");
    std::fs::write(path, text).unwrap();
}

#[tokio::test]
async fn resume_after_a_crash_keeps_answered_lines_looks_up_sent_creates_and_sends_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), &"{\"body\": {}}\n".repeat(6));
    let mut opts = files(&input);
    crashed_journal(&opts.journal_path(), &input);
    opts.resume = true;
    let mut fake = Fake::ok(Duration::ZERO);
    fake.lookups.insert(
        3,
        Lookup::Found {
            id: Some("found-3".into()),
        },
    );
    fake.lookups.insert(4, Lookup::Absent);
    fake.lookups.insert(
        5,
        Lookup::Unknown {
            check: "look for thing 5".into(),
        },
    );
    let fake = Arc::new(fake);
    let report = run_files(fake.clone(), &opts).await.unwrap();

    assert_eq!(*fake.looked_up.lock().unwrap(), [3, 4, 5]);
    assert_eq!(
        fake.lines_called_sorted(),
        [4, 6],
        "only the absent line and the unsent one are sent"
    );
    let r = &report.results;
    assert_eq!(
        r[&1],
        LineResult::Ok {
            id: Some("id-1".into()),
            found_by_lookup: false,
            attempts: 1
        }
    );
    assert_eq!(
        r[&3],
        LineResult::Ok {
            id: Some("found-3".into()),
            found_by_lookup: true,
            attempts: 0
        }
    );
    assert_eq!(
        r[&5],
        LineResult::Unknown {
            check: "look for thing 5".into()
        }
    );
    assert!(matches!(
        r[&4],
        LineResult::Ok {
            found_by_lookup: false,
            ..
        }
    ));
    assert_eq!(report.summary.from_earlier_runs, 2);
    assert_eq!(
        (report.summary.unknown, report.summary.found_by_lookup),
        (1, 1)
    );
    assert!(!report.summary.succeeded(), "an unknown line fails the run");

    // The torn record is gone; the journal now records line 3 as found, line 5 still only sent: the next
    // resume looks line 5 up again and nothing else.
    let journal = std::fs::read(opts.journal_path()).unwrap();
    let replay = idprov_bulk::journal::replay(&opts.journal_path(), &journal).unwrap();
    assert!(!replay.torn_tail);
    assert_eq!(replay.unanswered().map(|(l, _)| l).collect::<Vec<_>>(), [5]);
    let again = run_files(fake.clone(), &opts).await.unwrap();
    assert_eq!(*fake.looked_up.lock().unwrap(), [3, 4, 5, 5]);
    assert_eq!(fake.lines_called_sorted(), [4, 6]);
    assert_eq!(again.summary.unknown, 1);
}

#[tokio::test]
async fn resume_of_an_idempotent_operation_resends_unanswered_lines_without_a_lookup() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), &"{\"body\": {}}\n".repeat(6));
    let mut opts = files(&input);
    crashed_journal(&opts.journal_path(), &input);
    opts.resume = true;
    let mut fake = Fake::ok(Duration::ZERO);
    fake.idempotent = true;
    let fake = Arc::new(fake);
    let report = run_files(fake.clone(), &opts).await.unwrap();
    assert!(fake.looked_up.lock().unwrap().is_empty());
    assert_eq!(fake.lines_called_sorted(), [3, 4, 5, 6]);
    assert!(report.summary.succeeded(), "{}", report.summary);
}

/// Reads the journal file at each call: the line's `sent` record must already be on disk.
struct ChecksJournal {
    journal: std::path::PathBuf,
    missing: Mutex<Vec<u64>>,
}

impl Caller for ChecksJournal {
    fn call<'a>(
        &'a self,
        line: &'a Line,
    ) -> impl Future<Output = Result<Outcome, Failure>> + Send + 'a {
        Box::pin(async move {
            let bytes = std::fs::read(&self.journal).unwrap();
            let replay = idprov_bulk::journal::replay(&self.journal, &bytes).unwrap();
            if !replay.sent.contains_key(&line.number) {
                self.missing.lock().unwrap().push(line.number);
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
            Ok(Outcome::with_id(Some(format!("id-{}", line.number))))
        })
    }

    fn idempotent(&self) -> bool {
        false
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_answered_records_of_all_workers_are_synced_once_not_once_per_worker() {
    let dir = tempfile::tempdir().unwrap();
    let file = idprov_bulk::journal::FileJournal::open(&dir.path().join("j")).unwrap();
    let journal = Arc::new(Journal::File(file));
    // One `sent_lines` batch covers all 64 lines (16 workers × 4 ahead), and no group wait runs out
    // during the run: the only syncs are the ones somebody waits for.
    let opts = RunOptions {
        journal_group_wait: idprov_bulk::journal::MAX_GROUP_WAIT,
        ..options(16)
    };
    let fake = Arc::new(Fake::ok(Duration::from_millis(2)));
    let started = std::time::Instant::now();
    let report = run_lines(
        fake.clone(),
        lines(64),
        journal.clone(),
        Arc::new(Progress::hidden()),
        &opts,
    )
    .await
    .unwrap();
    assert!(
        started.elapsed() < idprov_bulk::journal::MAX_GROUP_WAIT,
        "the run did not wait out a group"
    );
    assert_eq!(report.results.len(), 64, "every line counted once durable");
    let Journal::File(file) = &*journal else {
        unreachable!()
    };
    assert_eq!(
        file.syncs(),
        2,
        "one sync for the batch of lines ahead, one for all the answers left when the workers ended"
    );
    let replay =
        idprov_bulk::journal::replay(file.path(), &std::fs::read(file.path()).unwrap()).unwrap();
    assert_eq!(replay.answered.len(), 64, "every answer on disk");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_request_goes_out_before_its_sent_record_is_in_the_journal_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), &"{\"body\": {}}\n".repeat(200));
    let mut opts = files(&input);
    opts.run.concurrency = 16;
    let caller = Arc::new(ChecksJournal {
        journal: opts.journal_path(),
        missing: Mutex::new(Vec::new()),
    });
    let report = run_files(caller.clone(), &opts).await.unwrap();
    assert!(report.summary.succeeded(), "{}", report.summary);
    assert!(
        caller.missing.lock().unwrap().is_empty(),
        "{:?}",
        caller.missing.lock().unwrap()
    );
    let replay = idprov_bulk::journal::replay(
        &opts.journal_path(),
        &std::fs::read(opts.journal_path()).unwrap(),
    )
    .unwrap();
    assert_eq!(
        replay.answered.len(),
        200,
        "every line answered in the journal"
    );
    assert_eq!(
        report.results[&7],
        LineResult::Ok {
            id: Some("id-7".into()),
            found_by_lookup: false,
            attempts: 1
        }
    );
}
