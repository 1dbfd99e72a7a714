//! One variant of one call, many times, for a profiler (perf, valgrind --tool=callgrind):
//!
//! ```text
//! cargo build --release -p idprov-bench --example one_variant
//! valgrind --tool=callgrind target/release/examples/one_variant c_full_runtime aveva_get_identity 6400 1
//! perf record -g target/release/examples/one_variant a_raw_reqwest huawei_post_provision 200000 64
//! ```
//!
//! Arguments: variant id (`a_raw_reqwest`, `a0_raw_fixed_auth`, `b_generated_no_hooks`, `b2_runtime_no_auth`,
//! `c_full_runtime`), operation id (`aveva_get_identity`, `isc_post_machine_account_create`,
//! `huawei_post_provision`, `seam_post_get_enrollment_automation`, `nerm_get_workflow_actions`), number of
//! calls, concurrent workers (default 1), and the runtime (`single`, the default: current-thread, the server
//! on it too; `multi`: a multi-thread runtime of one worker per core, as the calls benchmark's third phase). 200 calls per worker warm up first; the time per call of the
//! measured part goes to stderr. Comparing two variants' instruction counts (callgrind's totals, minus a
//! run with fewer calls for the set-up) gives what one adds per call, free of the machine's load.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use idprov_bench::examples::Examples;
use idprov_bench::server::Server;
use idprov_bench::variants::{Clients, Op, Variant, run_concurrent};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: one_variant <variant> <operation> <calls> [workers] [single|multi]";
    let variant = Variant::ALL
        .into_iter()
        .find(|v| Some(v.id()) == args.get(1).map(String::as_str))
        .unwrap_or_else(|| panic!("{usage}"));
    let op = Op::ALL
        .into_iter()
        .find(|o| Some(o.id()) == args.get(2).map(String::as_str))
        .unwrap_or_else(|| panic!("{usage}"));
    let calls: u64 = args
        .get(3)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{usage}"));
    let workers: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(1);
    let rt = match args.get(5).map(String::as_str) {
        None | Some("single") => idprov_bench::client_runtime().unwrap(),
        Some("multi") => idprov_bench::multi_thread_runtime(
            std::thread::available_parallelism().map_or(2, |n| n.get()),
        )
        .unwrap(),
        Some(_) => panic!("{usage} [single|multi]"),
    };
    let server = Server::start_for_bench(&rt).unwrap();
    let clients = Clients::new(&server.base_url(), &Examples::from_specs().unwrap()).unwrap();
    rt.block_on(async {
        run_concurrent(&clients, variant, op, workers, 200)
            .await
            .unwrap();
        let started = Instant::now();
        run_concurrent(&clients, variant, op, workers, calls / workers as u64)
            .await
            .unwrap();
        eprintln!(
            "{:.2} µs per call",
            started.elapsed().as_secs_f64() * 1e6 / calls as f64
        );
    });
}
