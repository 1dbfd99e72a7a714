//! Part 1: one call of each API — AVEVA `GET automation identity`, ISC `POST machine-account-create`, Huawei
//! `POST provision`, Seam `POST get enrollment automation`, NERM `GET workflow actions` — each made five
//! ways (see `idprov_bench::variants`), at concurrency 1 and 64 on a current-thread runtime and at
//! concurrency 64 on a multi-thread runtime, paired round by round (see `idprov_bench::calls`). Writes
//! `target/idprov-bench/calls.json` (and a copy under `target/idprov-bench/runs/`) and prints the tables.
//!
//! `cargo bench -p idprov-bench --bench calls [-- --rounds N --calls N --per-worker N --multi-workers N
//! --no-multi --ops aveva,isc,huawei,seam,nerm --quick]`
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use idprov_bench::calls::{CallsReport, Plan, Stages, load_average, run};
use idprov_bench::report::{render_calls, results_dir};
use idprov_bench::variants::Op;

fn main() {
    let mut plan = Plan::default();
    let mut ops = Op::ALL.to_vec();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut num = |what: &str| -> u64 {
            args.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{what} needs a number"))
        };
        match arg.as_str() {
            "--rounds" => plan.rounds = num("--rounds") as usize,
            "--calls" => plan.calls = num("--calls"),
            "--per-worker" => plan.per_worker = num("--per-worker"),
            "--multi-workers" => plan.multi_workers = num("--multi-workers") as usize,
            "--no-multi" => plan.multi_workers = 0,
            "--quick" => {
                plan.rounds = 5;
                plan.calls = 200;
                plan.per_worker = 5;
                plan.warm_up = 100;
            }
            "--ops" => {
                let list = args.next().expect("--ops needs a list");
                ops = Op::ALL
                    .into_iter()
                    .filter(|op| list.split(',').any(|w| op.id().starts_with(w)))
                    .collect();
            }
            // What cargo bench passes to every bench target, and criterion's usual flags.
            _ => {}
        }
    }

    let load_before = load_average();
    let started = chrono::Utc::now();
    let stages = Stages::start(&plan).expect("runtimes, loopback servers and clients");
    eprintln!(
        "calls: {} rounds, {} calls per concurrency-1 batch, {}×{} per concurrency-{} batch, \
         multi-thread runtime of {} workers, load {:?}",
        plan.rounds,
        plan.calls,
        plan.workers,
        plan.per_worker,
        plan.workers,
        plan.multi_workers,
        load_before
    );
    let measured =
        run(&stages, &ops, plan, |op| eprintln!("  {op} done")).expect("calls benchmark");
    drop(stages);
    let report = CallsReport::new(
        plan,
        match std::env::var("IDPROV_BENCH_SERVER").as_deref() {
            Ok("thread") => "thread".into(),
            _ => "same-thread".into(),
        },
        load_before,
        Some(started.format("%Y-%m-%d %H:%M UTC").to_string()),
        measured,
    );
    let dir = results_dir();
    std::fs::create_dir_all(dir.join("runs")).expect("results directory");
    let json = serde_json::to_string_pretty(&report).unwrap();
    let path = dir.join("calls.json");
    std::fs::write(&path, &json).expect("write calls.json");
    let copy = dir
        .join("runs")
        .join(format!("calls-{}.json", started.format("%Y%m%dT%H%M%SZ")));
    std::fs::write(&copy, &json).expect("write the run's copy");
    println!("{}", render_calls(&report));
    eprintln!("written to {} and {}", path.display(), copy.display());
}
