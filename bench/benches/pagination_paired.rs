//! Part 3, paired: the 100,000-item walk through the runtime's pager and through the hand-written
//! skip/count loop, alternated round by round (the order flips every round) so that the machine's drift
//! falls on both alike; the ratio is the median over rounds of pager/loop within a round. criterion's
//! `pagination` target times the two one after the other, which on this shared machine folds the drift
//! into the ratio.
//!
//! `cargo bench -p idprov-bench --bench pagination_paired [-- --rounds N]` writes
//! `target/idprov-bench/pagination.json` and prints the table.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use idprov_bench::calls::{Summary, thread_cpu_time};
use idprov_bench::paging::{PairedPagination, hand_loop, hand_loop_client, runtime_pager};
use idprov_bench::report::{render_pagination, results_dir};
use idprov_bench::server::Server;
use idprov_bench::variants::runtime_clients;

const ITEMS: u64 = 100_000;

fn main() {
    let mut rounds = 15usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--rounds" {
            rounds = args
                .next()
                .and_then(|n| n.parse().ok())
                .expect("--rounds needs a number");
        }
    }
    let rt = idprov_bench::client_runtime().expect("client runtime");
    let server = Server::start_for_bench(&rt).expect("loopback server");
    let base = server.base_url();
    let clients = runtime_clients(&base).expect("clients");
    let http = hand_loop_client().expect("http client");

    let (mut wall, mut cpu) = ([Vec::new(), Vec::new()], [Vec::new(), Vec::new()]);
    rt.block_on(async {
        // Warm up both walks once.
        assert_eq!(hand_loop(&http, &base, ITEMS).await.unwrap(), ITEMS);
        assert_eq!(runtime_pager(&clients.aveva, ITEMS).await.unwrap(), ITEMS);
        for round in 0..rounds {
            for k in 0..2 {
                let which = (k + round) % 2;
                let (started, cpu_started) = (Instant::now(), thread_cpu_time());
                let n = if which == 0 {
                    hand_loop(&http, &base, ITEMS).await.unwrap()
                } else {
                    runtime_pager(&clients.aveva, ITEMS).await.unwrap()
                };
                assert_eq!(n, ITEMS);
                wall[which].push(started.elapsed().as_secs_f64() * 1e3);
                cpu[which].push(thread_cpu_time().saturating_sub(cpu_started).as_secs_f64() * 1e3);
            }
        }
    });
    drop(server);
    let paired = |x: &[Vec<f64>; 2]| {
        let r: Vec<f64> = x[1].iter().zip(&x[0]).map(|(c, a)| c / a).collect();
        Summary::of(&r)
    };
    let report = PairedPagination {
        items: ITEMS,
        rounds,
        loop_ms: Summary::of(&wall[0]),
        pager_ms: Summary::of(&wall[1]),
        ratio: paired(&wall),
        cpu_ratio: paired(&cpu),
    };
    let dir = results_dir();
    std::fs::create_dir_all(&dir).expect("results directory");
    let path = dir.join("pagination.json");
    std::fs::write(&path, serde_json::to_string_pretty(&report).unwrap())
        .expect("write pagination.json");
    println!("{}", render_pagination(&report));
    eprintln!("written to {}", path.display());
}
