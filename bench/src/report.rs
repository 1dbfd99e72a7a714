//! The figures table of BENCHMARKS.md, from criterion's `estimates.json` files (medians) and the lines the
//! `pager-rss` probe prints.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::variants::{Op, Variant};

/// Concurrent workers of the throughput benchmark.
pub const WORKERS: usize = 64;

/// Criterion group of the concurrency-1 benchmark of `op`.
pub fn group_c1(op: Op) -> String {
    format!("c1_{}", op.id())
}

/// Criterion group of the concurrency-64 benchmark of `op` (one iteration = [`WORKERS`] calls).
pub fn group_c64(op: Op) -> String {
    format!("c64_{}", op.id())
}

/// Where criterion keeps its results: `$CRITERION_HOME`, else `$CARGO_TARGET_DIR/criterion`, else the
/// workspace's `target/criterion`.
pub fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target")));
    target.join("criterion")
}

/// The median (ns per iteration) of benchmark `group/id`, if it has run.
pub fn median_ns(dir: &Path, group: &str, id: &str) -> Option<f64> {
    let path = dir.join(group).join(id).join("new").join("estimates.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    v.pointer("/median/point_estimate")?.as_f64()
}

fn us(ns: Option<f64>) -> String {
    ns.map(|n| format!("{:.1} µs", n / 1000.0))
        .unwrap_or_else(|| "–".into())
}

fn ns_cell(ns: Option<f64>) -> String {
    ns.map(|n| {
        if n >= 10_000.0 {
            format!("{:.1} µs", n / 1000.0)
        } else {
            format!("{n:.0} ns")
        }
    })
    .unwrap_or_else(|| "–".into())
}

fn ratio(x: Option<f64>, base: Option<f64>) -> String {
    match (x, base) {
        (Some(x), Some(b)) if b > 0.0 => format!("{:.3}", x / b),
        _ => "–".into(),
    }
}

fn rps(ns_per_iter: Option<f64>) -> Option<f64> {
    ns_per_iter.map(|ns| WORKERS as f64 * 1e9 / ns)
}

fn rps_cell(r: Option<f64>) -> String {
    r.map(|r| format!("{r:.0}")).unwrap_or_else(|| "–".into())
}

/// One line of `pager-rss` output.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RssLine {
    /// `pager` (the runtime's) or `loop` (hand-written).
    pub mode: String,
    /// Items streamed.
    pub items: u64,
    /// Peak RSS before streaming (server up, client built, one call made), KiB.
    pub before_kib: u64,
    /// Peak RSS after streaming, KiB.
    pub peak_kib: u64,
    /// Wall time of the walk, seconds.
    pub seconds: f64,
}

/// Renders the figures as Markdown. `rss` is the file of `pager-rss` lines, if any.
pub fn render(dir: &Path, rss: Option<&Path>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### Calls: per-call time at concurrency 1 (median)\n\n\
         | operation | (a) raw reqwest | (b) generated, no hooks | (b′) runtime, no auth | (c) full runtime | b/a | c/a | (c−a) |\n\
         |---|---|---|---|---|---|---|---|"
    );
    for op in Op::ALL {
        let g = group_c1(op);
        let m: Vec<Option<f64>> = Variant::ALL
            .iter()
            .map(|v| median_ns(dir, &g, v.id()))
            .collect();
        let overhead = match (m[3], m[0]) {
            (Some(c), Some(a)) => format!("{:+.1} µs", (c - a) / 1000.0),
            _ => "–".into(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            op.id(),
            us(m[0]),
            us(m[1]),
            us(m[2]),
            us(m[3]),
            ratio(m[1], m[0]),
            ratio(m[3], m[0]),
            overhead
        );
    }
    let _ = writeln!(
        out,
        "\n### Calls: requests per second at concurrency {WORKERS} (from the median time of {WORKERS} calls)\n\n\
         | operation | (a) raw reqwest | (b) generated, no hooks | (b′) runtime, no auth | (c) full runtime | b/a | c/a |\n\
         |---|---|---|---|---|---|---|"
    );
    for op in Op::ALL {
        let g = group_c64(op);
        let r: Vec<Option<f64>> = Variant::ALL
            .iter()
            .map(|v| rps(median_ns(dir, &g, v.id())))
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            op.id(),
            rps_cell(r[0]),
            rps_cell(r[1]),
            rps_cell(r[2]),
            rps_cell(r[3]),
            ratio(r[1], r[0]),
            ratio(r[3], r[0])
        );
    }

    let _ = writeln!(
        out,
        "\n### Micro-benchmarks (median)\n\n| benchmark | time |\n|---|---|"
    );
    for (group, ids) in [
        ("huawei_sign", &["sign_reqwest_1KiB", "sign_1KiB"][..]),
        (
            "error_decode",
            &["aveva_404", "isc_400", "huawei_400", "nerm_400", "seam_400"][..],
        ),
    ] {
        for id in ids {
            let _ = writeln!(
                out,
                "| {group}/{id} | {} |",
                ns_cell(median_ns(dir, group, id))
            );
        }
    }

    let a = median_ns(dir, "pagination_100k", "a_hand_loop");
    let c = median_ns(dir, "pagination_100k", "c_runtime_pager");
    let ms = |n: Option<f64>| {
        n.map(|n| format!("{:.0} ms", n / 1e6))
            .unwrap_or_else(|| "–".into())
    };
    let _ = writeln!(
        out,
        "\n### Pagination: 100,000 AVEVA identities, {} a page (median wall time)\n\n\
         | (a) hand-written skip/count loop | (c) runtime pager | c/a |\n|---|---|---|\n| {} | {} | {} |",
        crate::paging::PAGE_SIZE,
        ms(a),
        ms(c),
        ratio(c, a)
    );

    if let Some(lines) = rss.and_then(|p| std::fs::read_to_string(p).ok()) {
        let lines: Vec<RssLine> = lines
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        let _ = writeln!(
            out,
            "\n### Pagination: peak resident memory (VmHWM, one process per run)\n\n\
             | walk | items | peak RSS before the walk | peak RSS after | wall time |\n|---|---|---|---|---|"
        );
        for l in &lines {
            let _ = writeln!(
                out,
                "| {} | {} | {:.1} MiB | {:.1} MiB | {:.2} s |",
                l.mode,
                l.items,
                l.before_kib as f64 / 1024.0,
                l.peak_kib as f64 / 1024.0,
                l.seconds
            );
        }
        for mode in ["pager", "loop"] {
            let peak = |n: u64| {
                lines
                    .iter()
                    .find(|l| l.mode == mode && l.items == n)
                    .map(|l| l.peak_kib as f64 / 1024.0)
            };
            if let (Some(small), Some(large)) = (peak(1_000), peak(100_000)) {
                let _ = writeln!(
                    out,
                    "\n{mode}: peak at 100,000 items − peak at 1,000 items = {:+.1} MiB",
                    large - small
                );
            }
        }
    }
    out
}
