//! Prints the figures of BENCHMARKS.md as Markdown from the latest results: `target/idprov-bench/calls.json`
//! (calls benchmark), criterion's estimates (micro-benchmarks, pagination) and
//! `target/idprov-bench/rss.jsonl` (pager-rss).
//!
//! `bench-report --runs` prints instead one line per calls run kept under `target/idprov-bench/runs/`
//! (c/a of every API at concurrency 1, 64 and 64 on the multi-thread runtime) and their medians.

use idprov_bench::report;

fn main() {
    if std::env::args().any(|a| a == "--runs") {
        let runs = report::load_runs(&report::results_dir().join("runs"));
        print!("{}", report::render_runs(&runs));
        return;
    }
    print!(
        "{}",
        report::render(&report::criterion_dir(), &report::results_dir())
    );
}
