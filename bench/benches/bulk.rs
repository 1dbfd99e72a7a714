//! Bulk runs (issue 13's targets), against idprov-sandbox in this process, with Seam's
//! `launch_enrollment_automation` (one user identity per line, so a duplicate shows as a user identity
//! with two automations):
//!
//! 1. **rate-limited**: the sandbox allows R launches per 1 s window (answering 429 with `Retry-After`
//!    beyond); a bulk of N lines runs with `--rate R` and with no `--rate` (the shared 429 gate alone).
//!    Figure: elapsed / (N / R), failed lines, duplicates, 429s seen.
//! 2. **unlimited**: the same N launches by idprov-bulk's runner at concurrency 64 (journal fsync'd, the
//!    id read from each answer, results file) and by 64 tasks calling the client directly (the library's
//!    own calls), alternated round by round on the same multi-thread runtime and the same sandbox.
//!    Figure: the median over rounds of runner throughput / library throughput.
//!
//! `cargo bench -p idprov-bench --bench bulk [-- --lines N --rate R --rounds N --skip-rate --split-cores]`
//! (`--only library|file|memory` runs one phase in every slot, to profile it alone; its ratios mean nothing)
//! writes `target/idprov-bench/bulk.json` and prints the figures; `IDPROV_BENCH_BULK_DIR=/dev/shm` puts
//! the files (the journal) on tmpfs.
//!
//! By default the sandbox shares the client's runtime (2 workers on the 2 cores): every CPU-second the
//! runner spends on its journal is one the server does not get, the strict setting. `--split-cores` is
//! the setting of a real bulk run, whose server is elsewhere: the sandbox on a runtime of its own pinned
//! to CPU 1, the clients, the runner and its journal thread on one worker pinned to CPU 0.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use idprov_bulk::{
    Api, DirectCaller, FilesOptions, Lookups, Operation, RunOptions, bulk_retry_policy, run_files,
};
use idprov_sandbox::{Fault, FaultRule, Sandbox, SeamUserIdentity, Seed, Vendor, fixtures};
use serde_json::json;

struct Args {
    lines: usize,
    rate: u32,
    rounds: usize,
    skip_rate: bool,
    split_cores: bool,
    overhead: bool,
    /// `--only library|file|memory`: every phase of every round runs this one (to profile it alone).
    only: Option<usize>,
}

fn args() -> Args {
    let mut a = Args {
        lines: 2000,
        rate: 200,
        rounds: 7,
        skip_rate: false,
        split_cores: false,
        overhead: false,
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut num = || {
            it.next()
                .and_then(|n| n.parse::<usize>().ok())
                .expect("a number")
        };
        match arg.as_str() {
            "--lines" => a.lines = num(),
            "--rate" => a.rate = u32::try_from(num()).expect("--rate fits u32"),
            "--rounds" => a.rounds = num(),
            "--skip-rate" => a.skip_rate = true,
            "--split-cores" => a.split_cores = true,
            "--overhead" => a.overhead = true,
            "--only" => {
                a.only = match it.next().as_deref() {
                    Some("library") => Some(0),
                    Some("file") => Some(1),
                    Some("memory") => Some(2),
                    other => panic!("--only library|file|memory, not {other:?}"),
                }
            }
            _ => {} // cargo bench passes --bench
        }
    }
    a
}

fn users(n: usize) -> Vec<uuid::Uuid> {
    (0..n)
        .map(|i| uuid::Uuid::from_u128(0xb0_0000_0000_4000_8000_0000_0000_0000 + i as u128))
        .collect()
}

async fn sandbox(users: &[uuid::Uuid]) -> Sandbox {
    let mut seed = Seed::default();
    seed.seam.user_identities = users
        .iter()
        .map(|id| SeamUserIdentity {
            user_identity_id: *id,
            email_address: None,
            display_name: None,
        })
        .collect();
    Sandbox::builder().seed(seed).start().await.unwrap()
}

/// Pins the calling thread to `cpu` (threads it starts inherit it).
fn pin_to(cpu: usize) {
    let mut set = rustix::thread::CpuSet::new();
    set.set(cpu);
    rustix::thread::sched_setaffinity(None, &set).expect("sched_setaffinity");
}

/// The sandbox, on its own current-thread runtime pinned to `cpu` (`--split-cores`). Dropping the
/// `Sandbox` stops its server; the thread then idles until the process ends.
fn sandbox_on_core(users: &[uuid::Uuid], cpu: usize) -> Sandbox {
    let users = users.to_vec();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name(format!("sandbox-cpu{cpu}"))
        .spawn(move || {
            pin_to(cpu);
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                tx.send(sandbox(&users).await).unwrap();
                std::future::pending::<()>().await;
            });
        })
        .unwrap();
    rx.recv().unwrap()
}

async fn start_sandbox(users: &[uuid::Uuid], split_cores: bool) -> Sandbox {
    if split_cores {
        sandbox_on_core(users, 1)
    } else {
        sandbox(users).await
    }
}

fn request(user: uuid::Uuid) -> idprov_seam::types::builder::LaunchEnrollmentAutomationRequest {
    idprov_seam::types::LaunchEnrollmentAutomationRequest::builder()
        .user_identity_id(user)
        .credential_manager_acs_system_id(fixtures::SEAM_CREDENTIAL_MANAGER_ID)
}

fn input(dir: &std::path::Path, name: &str, users: &[uuid::Uuid]) -> std::path::PathBuf {
    let path = dir.join(name);
    let text: String = users
        .iter()
        .map(|u| {
            json!({"body": {"user_identity_id": u, "credential_manager_acs_system_id": fixtures::SEAM_CREDENTIAL_MANAGER_ID}})
                .to_string()
                + "\n"
        })
        .collect();
    std::fs::write(&path, text).unwrap();
    path
}

/// Seam's `launch_enrollment_automation` and a caller of it on `sb`, with the bulk clients' retry policy.
fn seam_launches(sb: &Sandbox) -> (Operation, DirectCaller) {
    let seam =
        idprov_seam::Client::with_config(sb.seam_config().retry(bulk_retry_policy())).unwrap();
    let op = Operation::find(Api::Seam, "launch_enrollment_automation").unwrap();
    let caller = DirectCaller::new(
        op,
        Lookups {
            seam: Some(seam),
            ..Lookups::default()
        },
    )
    .unwrap();
    (op, caller)
}

async fn bulk(
    sb: &Sandbox,
    input: &std::path::Path,
    concurrency: usize,
    rate: Option<f64>,
) -> (Duration, idprov_bulk::Report) {
    let (op, caller) = seam_launches(sb);
    let mut options = FilesOptions::new(input, "seam", op.id);
    options.progress = false;
    options.run = RunOptions {
        concurrency,
        rate,
        id_pointer: op.id_pointer().map(Into::into),
        ..RunOptions::default()
    };
    let started = Instant::now();
    let report = run_files(Arc::new(caller), &options).await.unwrap();
    (started.elapsed(), report)
}

/// One launch line per user, numbered from 1, as `run_lines` takes them.
fn launch_lines(users: &[uuid::Uuid]) -> Vec<idprov_bulk::Line> {
    users
        .iter()
        .enumerate()
        .map(|(i, u)| {
            idprov_bulk::Line::new(
                u64::try_from(i + 1).unwrap(),
                serde_json::Map::new(),
                Some(json!({"user_identity_id": u, "credential_manager_acs_system_id": fixtures::SEAM_CREDENTIAL_MANAGER_ID})),
            )
        })
        .collect()
}

/// `run_lines` at concurrency 64 with its journal in memory and no progress bar; every line must end.
async fn run_in_memory<C: idprov_bulk::Caller>(
    caller: C,
    lines: Vec<idprov_bulk::Line>,
    id_pointer: Option<String>,
) {
    let n = lines.len();
    let options = RunOptions {
        concurrency: 64,
        id_pointer,
        ..RunOptions::default()
    };
    let report = idprov_bulk::run_lines(
        Arc::new(caller),
        lines,
        Arc::new(idprov_bulk::journal::Journal::memory()),
        Arc::new(idprov_bulk::progress::Progress::hidden()),
        &options,
    )
    .await
    .unwrap();
    assert_eq!(report.results.len(), n);
}

/// The runner on the same lines with its journal in memory (no file, no fsync): what the journal costs.
async fn runner_in_memory(sb: &Sandbox, users: &[uuid::Uuid]) -> Duration {
    let (op, caller) = seam_launches(sb);
    let lines = launch_lines(users);
    let started = Instant::now();
    run_in_memory(caller, lines, op.id_pointer().map(Into::into)).await;
    started.elapsed()
}

/// 64 tasks calling the client directly, taking the users from a shared counter.
async fn library(sb: &Sandbox, users: &Arc<Vec<uuid::Uuid>>) -> Duration {
    let seam = idprov_seam::Client::with_config(sb.seam_config()).unwrap();
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let (seam, next, users) = (seam.clone(), next.clone(), users.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(user) = users.get(i) else { break };
                    seam.launch_enrollment_automation()
                        .body(request(*user))
                        .send()
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    started.elapsed()
}

/// User identities with more than one automation, and with none (of those in `users`).
fn duplicates(sb: &Sandbox, users: &[uuid::Uuid]) -> (usize, usize) {
    let (mut dup, mut none) = (0, 0);
    for u in users {
        let n = sb.seam_enrollment_automations(*u).len();
        dup += usize::from(n > 1);
        none += usize::from(n == 0);
    }
    (dup, none)
}

/// A caller that answers every line at once with an id: the runner's own cost per line, no server.
struct AnswersAtOnce;

impl idprov_bulk::Caller for AnswersAtOnce {
    fn call<'a>(
        &'a self,
        line: &'a idprov_bulk::Line,
    ) -> impl Future<Output = Result<idprov_bulk::Outcome, idprov_bulk::Failure>> + Send + 'a {
        let id = format!("ea-{:08}", line.number);
        async move { Ok(idprov_bulk::Outcome::with_id(Some(id))) }
    }

    fn idempotent(&self) -> bool {
        false
    }
}

/// `--overhead`: `run_files` (file journal) and `run_lines` (journal in memory) of `lines` lines with
/// [`AnswersAtOnce`], at concurrency 64; prints the process CPU and wall time per line of each, medians of
/// `rounds`.
async fn overhead(dir: &std::path::Path, lines: usize, rounds: usize) -> serde_json::Value {
    let all = users(lines);
    let mut figures = serde_json::Map::new();
    for name in ["file_journal", "memory_journal"] {
        let (mut cpu, mut wall) = (Vec::new(), Vec::new());
        for round in 0..rounds {
            let path = input(dir, &format!("overhead{round}.jsonl"), &all);
            let cpu_before = idprov_bench::calls::process_cpu_time();
            let started = Instant::now();
            if name == "file_journal" {
                let mut options = FilesOptions::new(&path, "seam", "launch_enrollment_automation");
                options.progress = false;
                options.run.concurrency = 64;
                let report = run_files(Arc::new(AnswersAtOnce), &options).await.unwrap();
                assert!(report.summary.succeeded(), "{}", report.summary);
            } else {
                run_in_memory(AnswersAtOnce, launch_lines(&all), None).await;
            }
            wall.push(started.elapsed().as_secs_f64() * 1e6 / lines as f64);
            cpu.push(
                (idprov_bench::calls::process_cpu_time() - cpu_before).as_secs_f64() * 1e6
                    / lines as f64,
            );
        }
        println!(
            "runner overhead ({name}, a caller that answers at once, {lines} lines, concurrency 64): CPU {:.2} µs a line, wall {:.2} µs a line (medians of {rounds})",
            median(cpu.clone()),
            median(wall.clone())
        );
        figures.insert(
            name.into(),
            json!({"cpu_us_per_line": cpu, "wall_us_per_line": wall,
                   "cpu_median": median(cpu.clone()), "wall_median": median(wall.clone())}),
        );
    }
    serde_json::Value::Object(figures)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn main() {
    let a = args();
    let load = idprov_bench::calls::load_average();
    let rt = if a.split_cores {
        pin_to(0);
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .on_thread_start(|| pin_to(0))
            .enable_all()
            .build()
            .expect("runtime")
    } else {
        idprov_bench::multi_thread_runtime(2).expect("runtime")
    };
    // IDPROV_BENCH_BULK_DIR puts the input, results and journal elsewhere (/dev/shm: a journal whose
    // fsync costs nothing, to tell the disk from the journal's own work).
    let dir = match std::env::var_os("IDPROV_BENCH_BULK_DIR") {
        Some(d) => tempfile::tempdir_in(d).unwrap(),
        None => tempfile::tempdir().unwrap(),
    };
    let mut out = serde_json::Map::new();
    out.insert("load_average_before".into(), json!(load));
    out.insert("lines".into(), json!(a.lines));
    out.insert("split_cores".into(), json!(a.split_cores));
    rt.block_on(async {
        if a.overhead {
            out.insert(
                "overhead".into(),
                overhead(dir.path(), a.lines, a.rounds).await,
            );
            return;
        }
        if !a.skip_rate {
            // --rate 2% under the server's limit: a fixed window that starts when the first request
            // arrives (after its connection is set up) otherwise counts one request of the next second.
            let under = f64::from(a.rate) * 0.98;
            for (name, rate) in [("with_rate", Some(under)), ("gate_only", None)] {
                let all = users(a.lines);
                let sb = start_sandbox(&all, a.split_cores).await;
                sb.add_fault(FaultRule::operation(
                    Vendor::Seam,
                    "launch_enrollment_automation",
                    Fault::rate_limit(a.rate, Duration::from_millis(1000)),
                ));
                let path = input(dir.path(), &format!("{name}.jsonl"), &all);
                let (elapsed, report) = bulk(&sb, &path, 16, rate).await;
                let (dup, none) = duplicates(&sb, &all);
                let ideal = a.lines as f64 / f64::from(a.rate);
                let ratio = elapsed.as_secs_f64() / ideal;
                println!(
                    "rate-limited ({name}, --rate {rate:?}): {} lines at R = {}/s in {:.2} s = {:.3} x (N/R = {:.1} s); {} failed, {} duplicates, {} never created, {} 429s, {} requests",
                    a.lines,
                    a.rate,
                    elapsed.as_secs_f64(),
                    ratio,
                    ideal,
                    report.summary.failed + report.summary.unknown,
                    dup,
                    none,
                    report.summary.rate_limited,
                    report.summary.requests
                );
                out.insert(
                    format!("rate_limited_{name}"),
                    json!({
                        "rate": a.rate, "runner_rate": rate, "elapsed_s": elapsed.as_secs_f64(), "ideal_s": ideal, "ratio": ratio,
                        "failed": report.summary.failed + report.summary.unknown, "duplicates": dup,
                        "never_created": none, "rate_limited": report.summary.rate_limited,
                        "requests": report.summary.requests,
                    }),
                );
            }
        }

        let all = Arc::new(users(a.lines));
        let sb = start_sandbox(&all, a.split_cores).await;
        // Warm up both (connections, the first answers).
        let warm = input(dir.path(), "warm.jsonl", &all[..a.lines.min(200)]);
        bulk(&sb, &warm, 64, None).await;
        library(&sb, &Arc::new(all[..a.lines.min(200)].to_vec())).await;
        let (mut ratios, mut runner_tps, mut library_tps) = (Vec::new(), Vec::new(), Vec::new());
        let (mut memory_ratios, mut memory_tps) = (Vec::new(), Vec::new());
        let (mut library_cpu, mut runner_cpu, mut memory_cpu) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..a.rounds {
            let mut pair = [0.0f64; 3];
            let mut cpu = [0.0f64; 3];
            for k in 0..3 {
                let which = a.only.unwrap_or((k + round) % 3);
                // The request log grows by every request; emptied so no phase pays for its realloc.
                sb.clear_requests();
                let cpu_before = idprov_bench::calls::process_cpu_time();
                let elapsed = if which == 0 {
                    library(&sb, &all).await
                } else if which == 2 {
                    runner_in_memory(&sb, &all).await
                } else {
                    // Written before the clock starts, one file per phase (`--only` runs this one thrice).
                    let path = input(dir.path(), &format!("round{round}_{k}.jsonl"), &all);
                    let (elapsed, report) = bulk(&sb, &path, 64, None).await;
                    assert!(report.summary.succeeded(), "{}", report.summary);
                    elapsed
                };
                pair[which] = a.lines as f64 / elapsed.as_secs_f64();
                // The whole process's CPU (server, clients, runner, journal thread) per line, in µs.
                cpu[which] = (idprov_bench::calls::process_cpu_time() - cpu_before).as_secs_f64()
                    * 1e6
                    / a.lines as f64;
            }
            library_cpu.push(cpu[0]);
            runner_cpu.push(cpu[1]);
            memory_cpu.push(cpu[2]);
            library_tps.push(pair[0]);
            runner_tps.push(pair[1]);
            ratios.push(pair[1] / pair[0]);
            memory_tps.push(pair[2]);
            memory_ratios.push(pair[2] / pair[0]);
            println!(
                "round {round}: library {:.0}/s, runner {:.0}/s, runner/library {:.3}; runner with its journal in memory {:.0}/s, {:.3}; CPU µs a line: library {:.1}, runner {:.1}, in memory {:.1}",
                pair[0],
                pair[1],
                pair[1] / pair[0],
                pair[2],
                pair[2] / pair[0],
                cpu[0],
                cpu[1],
                cpu[2]
            );
        }
        let ratio = median(ratios.clone());
        println!(
            "unlimited, concurrency 64: library {:.0}/s, runner {:.0}/s (medians); runner/library median {:.3} over {} rounds",
            median(library_tps.clone()),
            median(runner_tps.clone()),
            ratio,
            a.rounds
        );
        println!(
            "  the runner with its journal in memory (no fsync): runner/library median {:.3}",
            median(memory_ratios.clone())
        );
        let busy = |cpu: &[f64], tps: &[f64]| {
            median(cpu.iter().zip(tps).map(|(c, t)| c * t / 1e6).collect())
        };
        println!(
            "  process CPU µs a line (medians): library {:.1}, runner {:.1}, in memory {:.1}; cores busy: library {:.2}, runner {:.2}, in memory {:.2}",
            median(library_cpu.clone()),
            median(runner_cpu.clone()),
            median(memory_cpu.clone()),
            busy(&library_cpu, &library_tps),
            busy(&runner_cpu, &runner_tps),
            busy(&memory_cpu, &memory_tps)
        );
        out.insert(
            "unlimited".into(),
            json!({"concurrency": 64, "rounds": a.rounds, "ratios": ratios, "ratio_median": ratio,
                   "memory_journal_ratios": memory_ratios.clone(), "memory_journal_ratio_median": median(memory_ratios.clone()),
                   "memory_journal_per_s": memory_tps,
                   "library_per_s": library_tps, "runner_per_s": runner_tps,
                   "cpu_us_per_line": {"library": library_cpu, "runner": runner_cpu, "memory_journal": memory_cpu}}),
        );
    });
    out.insert(
        "load_average_after".into(),
        json!(idprov_bench::calls::load_average()),
    );
    let dir = idprov_bench::report::results_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bulk.json");
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&serde_json::Value::Object(out)).unwrap(),
    )
    .unwrap();
    println!("wrote {}", path.display());
}
