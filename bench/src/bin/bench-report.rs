//! Prints the figures of BENCHMARKS.md as Markdown, from criterion's results and (optionally) a file of
//! `pager-rss` lines: `bench-report [rss.jsonl]`.

fn main() {
    let rss = std::env::args().nth(1).map(std::path::PathBuf::from);
    print!(
        "{}",
        idprov_bench::report::render(&idprov_bench::report::criterion_dir(), rss.as_deref())
    );
}
