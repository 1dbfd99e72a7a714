//! Part 1: one call of each of the five APIs, the five ways of [`crate::variants`], at concurrency 1 and 64,
//! measured paired round by round so that the ratios survive a shared machine.
//!
//! Other engineers compile on the same two cores, so the machine's speed drifts over seconds. Timing
//! variant (a) for a few seconds and then variant (c) for a few seconds would fold that drift into c/a. Here
//! every *round* times one batch of every variant, in an order shuffled anew every round, and a
//! ratio is the median over rounds of the ratio *within* a round (a paired comparison); the per-variant
//! figures are medians over rounds too.
//!
//! A round has three phases, each in its own shuffled order:
//!
//! - concurrency 1, on the current-thread runtime: one batch is `calls` sequential calls; its sample is the
//!   mean time per call;
//! - concurrency 64, on the current-thread runtime: one batch is 64 tasks making `per_worker` calls each at
//!   once; its sample is calls per second (all calls / wall time);
//! - concurrency 64 on a multi-thread runtime (`multi_workers` worker threads, by default one per core),
//!   with a server and clients of its own: the same batch, the 64 tasks (and the server's connection tasks)
//!   spread over the workers. Skipped when `multi_workers` is 0.
//!
//! Every batch is timed twice: wall time, and CPU time. On the current-thread runtime client and server
//! run on one thread, so that thread's CPU time (user and kernel) is all the work of the calls, and, unlike
//! wall time, it does not grow while another process has the core. On the multi-thread runtime it is the
//! process's CPU time (every worker; the main thread only waits).

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::BoxError;
use crate::examples::Examples;
use crate::server::Server;
use crate::variants::{Clients, Op, Variant, run_concurrent};

/// How much to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Rounds; every round times one batch of every variant of one operation.
    pub rounds: usize,
    /// Sequential calls in one concurrency-1 batch.
    pub calls: u64,
    /// Concurrent workers of the throughput batches.
    pub workers: usize,
    /// Calls each worker makes in one throughput batch.
    pub per_worker: u64,
    /// Untimed calls per variant and operation before the first round.
    pub warm_up: u64,
    /// Worker threads of the multi-thread runtime of the third phase; 0: no such phase (and results
    /// written before it existed).
    #[serde(default)]
    pub multi_workers: usize,
}

impl Default for Plan {
    fn default() -> Self {
        Self {
            // Many short rounds: the median of paired ratios narrows with the number of rounds, and a
            // batch of ~15 ms is short against the load swings of this shared machine.
            rounds: 61,
            calls: 500,
            workers: crate::report::WORKERS,
            per_worker: 10,
            warm_up: 300,
            multi_workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
        }
    }
}

/// Median and quartiles of a set of samples.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The median.
    pub median: f64,
    /// The 25th percentile.
    pub p25: f64,
    /// The 75th percentile.
    pub p75: f64,
}

impl Summary {
    /// The summary of `samples` (not empty).
    pub fn of(samples: &[f64]) -> Self {
        let mut s = samples.to_vec();
        s.sort_by(f64::total_cmp);
        let at = |q: f64| {
            if s.is_empty() {
                return f64::NAN;
            }
            let pos = q * (s.len() - 1) as f64;
            let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
            s[lo] + (s[hi] - s[lo]) * (pos - lo as f64)
        };
        Self {
            median: at(0.5),
            p25: at(0.25),
            p75: at(0.75),
        }
    }
}

/// The results of one operation at one concurrency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpResult {
    /// The operation (`Op::id`).
    pub op: String,
    /// Per variant (`Variant::id`): the summary of its samples (µs per call at concurrency 1, calls per
    /// second at concurrency 64).
    pub variants: Vec<(String, Summary)>,
    /// Per variant: the summary over rounds of its sample divided by (a)'s sample of the same round.
    pub ratio_to_a: Vec<(String, Summary)>,
    /// (c) over (a₀), paired by round like `ratio_to_a` (absent in results written before (a₀) existed).
    #[serde(default)]
    pub c_to_a0: Option<Summary>,
}

/// Everything one run of the calls benchmark measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallsReport {
    /// What was measured.
    pub plan: Plan,
    /// Where the loopback server ran (`same-thread` or `thread`).
    pub server: String,
    /// When the run started (UTC), absent in results written before it was recorded.
    #[serde(default)]
    pub started: Option<String>,
    /// The load average (1 min) before and after the run.
    pub load_before: Option<f64>,
    /// The load average (1 min) after the run.
    pub load_after: Option<f64>,
    /// Concurrency 1: µs per call.
    pub c1: Vec<OpResult>,
    /// Concurrency `plan.workers`: calls per second.
    pub c64: Vec<OpResult>,
    /// Concurrency 1: µs of the thread's CPU time per call (absent in results written before it was measured).
    #[serde(default)]
    pub c1_cpu: Vec<OpResult>,
    /// Concurrency `plan.workers`: calls per second of the thread's CPU time.
    #[serde(default)]
    pub c64_cpu: Vec<OpResult>,
    /// Concurrency `plan.workers` on the multi-thread runtime: calls per second (empty when not measured).
    #[serde(default)]
    pub c64_multi: Vec<OpResult>,
    /// The same batches: calls per second of the process's CPU time.
    #[serde(default)]
    pub c64_multi_cpu: Vec<OpResult>,
}

impl CallsReport {
    /// The report of what `measured` measured with `plan`.
    pub fn new(
        plan: Plan,
        server: String,
        load_before: Option<f64>,
        started: Option<String>,
        measured: Measured,
    ) -> Self {
        Self {
            plan,
            server,
            started,
            load_before,
            load_after: load_average(),
            c1: measured.c1,
            c64: measured.c64,
            c1_cpu: measured.c1_cpu,
            c64_cpu: measured.c64_cpu,
            c64_multi: measured.c64_multi,
            c64_multi_cpu: measured.c64_multi_cpu,
        }
    }
}

/// What [`run`] measured, by concurrency and clock.
#[derive(Debug, Clone, Default)]
pub struct Measured {
    /// Concurrency 1, wall time.
    pub c1: Vec<OpResult>,
    /// Concurrency `workers`, wall time.
    pub c64: Vec<OpResult>,
    /// Concurrency 1, thread CPU time.
    pub c1_cpu: Vec<OpResult>,
    /// Concurrency `workers`, thread CPU time.
    pub c64_cpu: Vec<OpResult>,
    /// Concurrency `workers` on the multi-thread runtime, wall time.
    pub c64_multi: Vec<OpResult>,
    /// Concurrency `workers` on the multi-thread runtime, process CPU time.
    pub c64_multi_cpu: Vec<OpResult>,
}

/// A tokio runtime with a loopback server and every variant's clients against it.
#[derive(Debug)]
pub struct Stage {
    /// The runtime the calls (and, unless `IDPROV_BENCH_SERVER=thread`, the server) run on.
    pub rt: tokio::runtime::Runtime,
    /// Every client of every variant, their connections made on `rt`.
    pub clients: Arc<Clients>,
    server: Server,
}

impl Stage {
    /// Starts the server (as `IDPROV_BENCH_SERVER` says) and builds the clients on `rt`.
    pub fn new(rt: tokio::runtime::Runtime, examples: &Examples) -> Result<Self, BoxError> {
        let server = Server::start_for_bench(&rt)?;
        let clients = {
            let _in_runtime = rt.enter();
            Clients::new(&server.base_url(), examples)?
        };
        Ok(Self {
            rt,
            clients,
            server,
        })
    }

    /// The server's base URL.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }
}

/// Where the calls benchmark runs: the current-thread stage of the first two phases and, when the plan has
/// `multi_workers`, the multi-thread stage of the third. Each has its own server and clients: a pooled
/// connection's task lives on the runtime that opened it, which must be running for it to make progress.
#[derive(Debug)]
pub struct Stages {
    /// The current-thread runtime.
    pub single: Stage,
    /// The multi-thread runtime.
    pub multi: Option<Stage>,
}

impl Stages {
    /// Both stages for `plan`.
    pub fn start(plan: &Plan) -> Result<Self, BoxError> {
        let examples = Examples::from_specs()?;
        let single = Stage::new(crate::client_runtime()?, &examples)?;
        let multi = match plan.multi_workers {
            0 => None,
            n => Some(Stage::new(crate::multi_thread_runtime(n)?, &examples)?),
        };
        Ok(Self { single, multi })
    }
}

/// The CPU time this thread has used (user and kernel).
pub fn thread_cpu_time() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(
        u64::try_from(t.tv_sec).unwrap_or(0),
        u32::try_from(t.tv_nsec).unwrap_or(0),
    )
}

/// The CPU time this process has used, every thread (user and kernel).
pub fn process_cpu_time() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    Duration::new(
        u64::try_from(t.tv_sec).unwrap_or(0),
        u32::try_from(t.tv_nsec).unwrap_or(0),
    )
}

/// The 1-minute load average, from /proc/loadavg.
pub fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn summarize(op: Op, samples: &[Vec<f64>]) -> OpResult {
    let a = &samples[0];
    OpResult {
        op: op.id().into(),
        variants: Variant::ALL
            .iter()
            .zip(samples)
            .map(|(v, s)| (v.id().into(), Summary::of(s)))
            .collect(),
        ratio_to_a: Variant::ALL
            .iter()
            .zip(samples)
            .map(|(v, s)| {
                let r: Vec<f64> = s.iter().zip(a).map(|(x, a)| x / a).collect();
                (v.id().into(), Summary::of(&r))
            })
            .collect(),
        c_to_a0: {
            let c = Variant::ALL.iter().position(|v| *v == Variant::Runtime);
            let a0 = Variant::ALL
                .iter()
                .position(|v| *v == Variant::RawFixedAuth);
            c.zip(a0).map(|(c, a0)| {
                let r: Vec<f64> = samples[c]
                    .iter()
                    .zip(&samples[a0])
                    .map(|(c, a0)| c / a0)
                    .collect();
                Summary::of(&r)
            })
        },
    }
}

/// Runs the plan for `ops` on `stages`; `progress` is told about each finished operation.
pub fn run(
    stages: &Stages,
    ops: &[Op],
    plan: Plan,
    mut progress: impl FnMut(&str),
) -> Result<Measured, BoxError> {
    let n = Variant::ALL.len();
    let single = &stages.single;
    let multi = stages.multi.as_ref().filter(|_| plan.multi_workers > 0);
    let mut out = Measured::default();
    for &op in ops {
        // Warm up every variant: sequential calls, then one concurrent batch (so that each pool holds its
        // `workers` connections before the first timed round).
        for v in Variant::ALL {
            single.rt.block_on(async {
                for _ in 0..plan.warm_up {
                    single.clients.call(v, op).await?;
                }
                run_concurrent(&single.clients, v, op, plan.workers, plan.per_worker).await?;
                Ok::<(), BoxError>(())
            })?;
            if let Some(m) = multi {
                m.rt.block_on(run_concurrent(
                    &m.clients,
                    v,
                    op,
                    plan.workers,
                    plan.per_worker,
                ))?;
            }
        }
        let samples = || vec![Vec::with_capacity(plan.rounds); n];
        let (mut per_call, mut per_call_cpu) = (samples(), samples());
        let (mut per_second, mut per_second_cpu) = (samples(), samples());
        let (mut multi_per_second, mut multi_per_second_cpu) = (samples(), samples());
        let calls_64 = (plan.workers as u64 * plan.per_worker) as f64;
        // A new order every round, shuffled (with a fixed seed, so runs are comparable): with a rotation
        // every variant always ran right after the same one, and a₀/a, the same code measured twice,
        // came out 0.97 at concurrency 64 — what a batch leaves behind (allocator, caches) falls on the
        // next one.
        let mut rng = fastrand::Rng::with_seed(0x1d9_0b5e);
        for _ in 0..plan.rounds {
            let mut order: Vec<usize> = (0..n).collect();
            rng.shuffle(&mut order);
            for &i in &order {
                let v = Variant::ALL[i];
                let clients = &single.clients;
                let (wall, cpu) = single.rt.block_on(async {
                    let (started, cpu) = (Instant::now(), thread_cpu_time());
                    for _ in 0..plan.calls {
                        clients.call(v, op).await?;
                    }
                    let cpu = thread_cpu_time().saturating_sub(cpu);
                    Ok::<_, BoxError>((started.elapsed(), cpu))
                })?;
                per_call[i].push(wall.as_secs_f64() * 1e6 / plan.calls as f64);
                per_call_cpu[i].push(cpu.as_secs_f64() * 1e6 / plan.calls as f64);
            }
            rng.shuffle(&mut order);
            for &i in &order {
                let v = Variant::ALL[i];
                let cpu = thread_cpu_time();
                let took = single.rt.block_on(run_concurrent(
                    &single.clients,
                    v,
                    op,
                    plan.workers,
                    plan.per_worker,
                ))?;
                let cpu = thread_cpu_time().saturating_sub(cpu);
                per_second[i].push(calls_64 / took.as_secs_f64());
                per_second_cpu[i].push(calls_64 / cpu.as_secs_f64().max(1e-9));
            }
            if let Some(m) = multi {
                rng.shuffle(&mut order);
                for &i in &order {
                    let v = Variant::ALL[i];
                    let cpu = process_cpu_time();
                    let took = m.rt.block_on(run_concurrent(
                        &m.clients,
                        v,
                        op,
                        plan.workers,
                        plan.per_worker,
                    ))?;
                    let cpu = process_cpu_time().saturating_sub(cpu);
                    multi_per_second[i].push(calls_64 / took.as_secs_f64());
                    multi_per_second_cpu[i].push(calls_64 / cpu.as_secs_f64().max(1e-9));
                }
            }
        }
        out.c1.push(summarize(op, &per_call));
        out.c64.push(summarize(op, &per_second));
        out.c1_cpu.push(summarize(op, &per_call_cpu));
        out.c64_cpu.push(summarize(op, &per_second_cpu));
        if multi.is_some() {
            out.c64_multi.push(summarize(op, &multi_per_second));
            out.c64_multi_cpu.push(summarize(op, &multi_per_second_cpu));
        }
        progress(op.id());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_takes_median_and_quartiles() {
        let s = Summary::of(&[5.0, 1.0, 3.0, 2.0, 4.0]);
        assert_eq!((s.median, s.p25, s.p75), (3.0, 2.0, 4.0));
    }

    #[test]
    fn a_tiny_plan_runs_every_variant_of_every_operation_on_both_runtimes() {
        let plan = Plan {
            rounds: 2,
            calls: 2,
            workers: 4,
            per_worker: 2,
            warm_up: 1,
            multi_workers: 2,
        };
        let stages = Stages::start(&plan).unwrap();
        let m = run(&stages, &Op::ALL, plan, |_| {}).unwrap();
        for table in [
            &m.c1,
            &m.c64,
            &m.c1_cpu,
            &m.c64_cpu,
            &m.c64_multi,
            &m.c64_multi_cpu,
        ] {
            assert_eq!(table.len(), Op::ALL.len());
            for r in table {
                assert_eq!(r.variants.len(), Variant::ALL.len());
                assert!((r.ratio_to_a[0].1.median - 1.0).abs() < 1e-9);
                assert!(r.variants.iter().all(|(_, s)| s.median > 0.0));
            }
        }
        let single_only = run(
            &stages,
            &[Op::SeamGet],
            Plan {
                multi_workers: 0,
                ..plan
            },
            |_| {},
        )
        .unwrap();
        assert_eq!(single_only.c64.len(), 1);
        assert!(single_only.c64_multi.is_empty());
    }
}
