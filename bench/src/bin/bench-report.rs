//! Prints the figures of BENCHMARKS.md as Markdown from the latest results: `target/idprov-bench/calls.json`
//! (calls benchmark), criterion's estimates (micro-benchmarks, pagination) and
//! `target/idprov-bench/rss.jsonl` (pager-rss).

fn main() {
    print!(
        "{}",
        idprov_bench::report::render(
            &idprov_bench::report::criterion_dir(),
            &idprov_bench::report::results_dir()
        )
    );
}
