//! Part 1: AVEVA `GET automation identity`, ISC `POST machine-account-create` and Huawei `POST provision`,
//! each made four ways (see `idprov_bench::variants`), at concurrency 1 and 64, interleaved round by round
//! (see `idprov_bench::calls`). Writes `target/idprov-bench/calls.json` and prints the table.
//!
//! `cargo bench -p idprov-bench --bench calls [-- --rounds N --calls N --per-worker N --ops aveva,isc,huawei --quick]`
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use idprov_bench::calls::{CallsReport, Plan, load_average, run};
use idprov_bench::examples::Examples;
use idprov_bench::report::{render_calls, results_dir};
use idprov_bench::server::Server;
use idprov_bench::variants::{Clients, Op};

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
    let rt = idprov_bench::client_runtime().expect("client runtime");
    let server = Server::start_for_bench(&rt).expect("loopback server");
    let clients = Clients::new(
        &server.base_url(),
        &Examples::from_specs().expect("spec examples"),
    )
    .expect("clients");
    eprintln!(
        "calls: {} rounds, {} calls per concurrency-1 batch, {}×{} per concurrency-{} batch, load {:?}",
        plan.rounds, plan.calls, plan.workers, plan.per_worker, plan.workers, load_before
    );
    let measured = rt
        .block_on(run(&clients, &ops, plan, |op| eprintln!("  {op} done")))
        .expect("calls benchmark");
    drop(clients);
    drop(server);
    let report = CallsReport {
        plan,
        server: match std::env::var("IDPROV_BENCH_SERVER").as_deref() {
            Ok("thread") => "thread".into(),
            _ => "same-thread".into(),
        },
        load_before,
        load_after: load_average(),
        c1: measured.c1,
        c64: measured.c64,
        c1_cpu: measured.c1_cpu,
        c64_cpu: measured.c64_cpu,
    };
    let dir = results_dir();
    std::fs::create_dir_all(&dir).expect("results directory");
    let path = dir.join("calls.json");
    std::fs::write(&path, serde_json::to_string_pretty(&report).unwrap())
        .expect("write calls.json");
    println!("{}", render_calls(&report));
    eprintln!("written to {}", path.display());
}
