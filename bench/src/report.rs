//! The figures tables of BENCHMARKS.md, from the calls benchmark's `calls.json`, criterion's
//! `estimates.json` files (medians) and the lines the `pager-rss` probe prints.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::calls::{CallsReport, Summary};
use crate::variants::Variant;

/// Concurrent workers of the throughput measurement.
pub const WORKERS: usize = 64;

/// Where criterion keeps its results: `$CRITERION_HOME`, else `$CARGO_TARGET_DIR/criterion`, else the
/// workspace's `target/criterion`.
pub fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    target_dir().join("criterion")
}

/// Where the calls benchmark and the memory probe put their results: `target/idprov-bench`.
pub fn results_dir() -> PathBuf {
    target_dir().join("idprov-bench")
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target")))
}

/// The median (ns per iteration) of criterion benchmark `group/id`, if it has run.
pub fn median_ns(dir: &Path, group: &str, id: &str) -> Option<f64> {
    let path = dir.join(group).join(id).join("new").join("estimates.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    v.pointer("/median/point_estimate")?.as_f64()
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

fn get<'a>(pairs: &'a [(String, Summary)], id: &str) -> Option<&'a Summary> {
    pairs.iter().find(|(k, _)| k == id).map(|(_, s)| s)
}

fn median_cell(s: Option<&Summary>) -> String {
    s.map(|s| format!("{:.3}", s.median))
        .unwrap_or_else(|| "–".into())
}

fn quartiles_cell(s: Option<&Summary>) -> String {
    s.map(|s| format!("{:.3} ({:.3}–{:.3})", s.median, s.p25, s.p75))
        .unwrap_or_else(|| "–".into())
}

/// One line of `pager-rss` output.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RssLine {
    /// `pager` (the runtime's) or `loop` (hand-written).
    pub mode: String,
    /// Items streamed.
    pub items: u64,
    /// Peak RSS before streaming (server up, client built, one page fetched each way), KiB.
    pub before_kib: u64,
    /// Peak RSS after streaming, KiB.
    pub peak_kib: u64,
    /// Wall time of the walk, seconds.
    pub seconds: f64,
}

/// The tables of the calls benchmark: wall time at concurrency 1 and 64 on the current-thread runtime,
/// concurrency 64 on the multi-thread runtime (when measured), the same rounds in CPU time, and the paired
/// ratios of all of them in one table.
pub fn render_calls(r: &CallsReport) -> String {
    let mut out = String::new();
    let load = |l: Option<f64>| l.map(|l| format!("{l:.2}")).unwrap_or_else(|| "?".into());
    let _ = writeln!(
        out,
        "Run of {}; server: {}; load average {} before the run, {} after.\n",
        r.started.as_deref().unwrap_or("(time not recorded)"),
        r.server,
        load(r.load_before),
        load(r.load_after)
    );
    let every_variant = [
        (0, "(a) raw reqwest"),
        (1, "(b) generated, no hooks"),
        (2, "(b′) runtime, no auth"),
        (3, "(c) full runtime"),
    ];
    let a_and_c = [(0, "(a)"), (3, "(c)")];
    let per_call = |x: f64| format!("{x:.2} µs");
    let per_second = |x: f64| format!("{x:.0}");
    let c1 = format!(
        "time per call at concurrency 1 (medians of {} paired rounds of {} calls)",
        r.plan.rounds, r.plan.calls
    );
    let c64 = format!(
        "calls per second at concurrency {} (medians of {} paired rounds of {}×{} calls)",
        r.plan.workers, r.plan.rounds, r.plan.workers, r.plan.per_worker
    );
    let multi = format!(
        "calls per second at concurrency {}, multi-thread runtime of {} workers (same rounds)",
        r.plan.workers, r.plan.multi_workers
    );
    calls_table(&mut out, &c1, &r.c1, &every_variant, &per_call, true);
    calls_table(&mut out, &c64, &r.c64, &every_variant, &per_second, false);
    if !r.c64_multi.is_empty() {
        calls_table(
            &mut out,
            &multi,
            &r.c64_multi,
            &every_variant,
            &per_second,
            false,
        );
    }
    if !r.c1_cpu.is_empty() {
        let cpu = "in CPU time of the benchmark thread (same rounds)";
        let c1 = format!("time per call at concurrency 1, {cpu}");
        let c64 = format!("calls per second at concurrency {}, {cpu}", r.plan.workers);
        calls_table(&mut out, &c1, &r.c1_cpu, &a_and_c, &per_call, false);
        calls_table(&mut out, &c64, &r.c64_cpu, &a_and_c, &per_second, false);
    }
    if !r.c64_multi_cpu.is_empty() {
        let title = format!(
            "calls per second at concurrency {}, multi-thread runtime, in the process's CPU time (same rounds)",
            r.plan.workers
        );
        calls_table(
            &mut out,
            &title,
            &r.c64_multi_cpu,
            &a_and_c,
            &per_second,
            false,
        );
    }
    ratios_table(&mut out, r);
    out
}

/// Every paired ratio of a run in one table: c/a, b/a and a₀/a at concurrency 1, at 64 and at 64 on the
/// multi-thread runtime (wall time).
fn ratios_table(out: &mut String, r: &CallsReport) {
    let ids: Vec<&str> = Variant::ALL.iter().map(|v| v.id()).collect();
    let w = r.plan.workers;
    let settings: Vec<(String, &[crate::calls::OpResult])> = vec![
        ("1".into(), &r.c1),
        (w.to_string(), &r.c64),
        (format!("{w} multi"), &r.c64_multi),
    ];
    let ratios = [("c/a", 3), ("b/a", 1), ("a₀/a", 4)];
    let mut head = vec!["operation".to_string()];
    for (what, _) in ratios {
        for (setting, _) in &settings {
            head.push(format!("{what} @{setting}"));
        }
    }
    let _ = writeln!(
        out,
        "\n### Calls: paired ratios (medians over rounds; throughput ratios at {w}, time ratios at 1)\n\n| {} |\n|{}",
        head.join(" | "),
        "---|".repeat(head.len())
    );
    for op in &r.c1 {
        let mut row = vec![op.op.clone()];
        for (_, v) in ratios {
            for (_, table) in &settings {
                row.push(median_cell(
                    table
                        .iter()
                        .find(|o| o.op == op.op)
                        .and_then(|o| get(&o.ratio_to_a, ids[v])),
                ));
            }
        }
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
}

/// One line per run of the calls benchmark (the `calls-*.json` copies under `runs/`, oldest first): load,
/// and c/a per operation at concurrency 1, at 64 and at 64 on the multi-thread runtime; then the median
/// over the runs of each, which is what the targets are judged on.
pub fn render_runs(runs: &[CallsReport]) -> String {
    let mut out = String::new();
    let ops: Vec<&str> = crate::variants::Op::ALL.iter().map(|o| o.id()).collect();
    let c = Variant::Runtime.id();
    let pick = |table: &[crate::calls::OpResult], op: &str| {
        table
            .iter()
            .find(|o| o.op == op)
            .and_then(|o| get(&o.ratio_to_a, c))
            .map(|s| s.median)
    };
    let cells = |xs: &[Option<f64>]| {
        xs.iter()
            .map(|x| x.map(|x| format!("{x:.3}")).unwrap_or_else(|| "–".into()))
            .collect::<Vec<_>>()
            .join(" / ")
    };
    let _ = writeln!(
        out,
        "### Calls: c/a of every run ({})\n\n| run | load before → after | c/a at concurrency 1 | c/a throughput at 64 | c/a throughput at 64, multi-thread |\n|---|---|---|---|---|",
        ops.join(" / ")
    );
    let load = |l: Option<f64>| l.map(|l| format!("{l:.2}")).unwrap_or_else(|| "?".into());
    let mut columns: [Vec<Vec<f64>>; 3] = std::array::from_fn(|_| vec![Vec::new(); ops.len()]);
    for r in runs {
        let mut row = vec![
            r.started.clone().unwrap_or_else(|| "?".into()),
            format!("{} → {}", load(r.load_before), load(r.load_after)),
        ];
        for (k, table) in [&r.c1, &r.c64, &r.c64_multi].into_iter().enumerate() {
            let xs: Vec<Option<f64>> = ops.iter().map(|op| pick(table, op)).collect();
            for (i, x) in xs.iter().enumerate() {
                if let Some(x) = x {
                    columns[k][i].push(*x);
                }
            }
            row.push(cells(&xs));
        }
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    let medians: Vec<String> = columns
        .iter()
        .map(|col| {
            let xs: Vec<Option<f64>> = col
                .iter()
                .map(|v| (!v.is_empty()).then(|| Summary::of(v).median))
                .collect();
            format!("**{}**", cells(&xs))
        })
        .collect();
    let _ = writeln!(
        out,
        "| **median of the runs** | | {} |",
        medians.join(" | ")
    );
    out
}

/// Every run copy (`calls-*.json`) in `dir`, oldest first (their names sort by time).
pub fn load_runs(dir: &Path) -> Vec<CallsReport> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("calls-") && n.ends_with(".json"))
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| serde_json::from_str(&std::fs::read_to_string(p).ok()?).ok())
        .collect()
}

/// One table of the calls benchmark: the medians of `columns` (index into [`Variant::ALL`], heading),
/// formatted by `value`, then the paired ratios; `with_diff` adds what (c) adds per call in (a)'s unit.
fn calls_table(
    out: &mut String,
    title: &str,
    ops: &[crate::calls::OpResult],
    columns: &[(usize, &str)],
    value: &dyn Fn(f64) -> String,
    with_diff: bool,
) {
    let ids: Vec<&str> = Variant::ALL.iter().map(|v| v.id()).collect();
    let mut head = vec!["operation"];
    head.extend(columns.iter().map(|(_, h)| *h));
    head.extend(["b/a", "c/a (quartiles)"]);
    if with_diff {
        head.push("(c/a−1)·a");
    }
    head.extend(["a₀/a", "c/a₀"]);
    let _ = writeln!(
        out,
        "\n### Calls: {title}\n\n| {} |\n|{}",
        head.join(" | "),
        "---|".repeat(head.len())
    );
    for op in ops {
        let mut row = vec![op.op.clone()];
        row.extend(columns.iter().map(|(i, _)| {
            get(&op.variants, ids[*i])
                .map(|s| value(s.median))
                .unwrap_or_else(|| "–".into())
        }));
        row.push(median_cell(get(&op.ratio_to_a, ids[1])));
        row.push(quartiles_cell(get(&op.ratio_to_a, ids[3])));
        if with_diff {
            // The paired ratio applied to (a)'s median: what (c) adds per call, free of the drift between rounds.
            row.push(
                match (get(&op.ratio_to_a, ids[3]), get(&op.variants, ids[0])) {
                    (Some(r), Some(a)) => format!("{:+.2} µs", (r.median - 1.0) * a.median),
                    _ => "–".into(),
                },
            );
        }
        row.push(median_cell(get(&op.ratio_to_a, ids[4])));
        row.push(median_cell(op.c_to_a0.as_ref()));
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
}

/// The table of the paired pagination benchmark.
pub fn render_pagination(p: &crate::paging::PairedPagination) -> String {
    format!(
        "### Pagination, paired: {} AVEVA identities, {} a page ({} rounds, order alternating)\n\n\
         | (a) hand-written skip/count loop | (c) runtime pager | c/a (quartiles) | c/a in thread CPU time |\n\
         |---|---|---|---|\n| {:.0} ms | {:.0} ms | {} | {} |\n",
        p.items,
        crate::paging::PAGE_SIZE,
        p.rounds,
        p.loop_ms.median,
        p.pager_ms.median,
        quartiles_cell(Some(&p.ratio)),
        quartiles_cell(Some(&p.cpu_ratio)),
    )
}

/// Renders every result found as Markdown: `calls.json` and `rss.jsonl` in `results`, criterion's
/// estimates in `criterion`.
pub fn render(criterion: &Path, results: &Path) -> String {
    let mut out = String::new();
    match std::fs::read_to_string(results.join("calls.json"))
        .ok()
        .and_then(|s| serde_json::from_str::<CallsReport>(&s).ok())
    {
        Some(calls) => out.push_str(&render_calls(&calls)),
        None => {
            out.push_str("(no calls results: run `cargo bench -p idprov-bench --bench calls`)\n")
        }
    }

    let _ = writeln!(
        out,
        "\n### Micro-benchmarks (criterion medians)\n\n| benchmark | time |\n|---|---|"
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
                ns_cell(median_ns(criterion, group, id))
            );
        }
    }

    if let Some(p) = std::fs::read_to_string(results.join("pagination.json"))
        .ok()
        .and_then(|s| serde_json::from_str::<crate::paging::PairedPagination>(&s).ok())
    {
        out.push('\n');
        out.push_str(&render_pagination(&p));
    }

    let a = median_ns(criterion, "pagination_100k", "a_hand_loop");
    let c = median_ns(criterion, "pagination_100k", "c_runtime_pager");
    let ms = |n: Option<f64>| {
        n.map(|n| format!("{:.0} ms", n / 1e6))
            .unwrap_or_else(|| "–".into())
    };
    let _ = writeln!(
        out,
        "\n### Pagination: 100,000 AVEVA identities, {} a page (criterion medians)\n\n\
         | (a) hand-written skip/count loop | (c) runtime pager | c/a |\n|---|---|---|\n| {} | {} | {} |",
        crate::paging::PAGE_SIZE,
        ms(a),
        ms(c),
        ratio(c, a)
    );

    if let Ok(text) = std::fs::read_to_string(results.join("rss.jsonl")) {
        let lines: Vec<RssLine> = text
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        let _ = writeln!(
            out,
            "\n### Pagination: peak resident memory (VmHWM, one process per walk)\n\n\
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls::{OpResult, Plan};

    fn s(median: f64) -> Summary {
        Summary {
            median,
            p25: median - 0.01,
            p75: median + 0.01,
        }
    }

    #[test]
    fn a_calls_table_row_has_the_medians_the_paired_ratios_and_what_c_adds() {
        let ids: Vec<String> = Variant::ALL.iter().map(|v| v.id().to_string()).collect();
        let op = OpResult {
            op: "aveva_get_identity".into(),
            variants: ids
                .iter()
                .zip([20.0, 21.0, 21.5, 22.0, 20.1])
                .map(|(id, m)| (id.clone(), s(m)))
                .collect(),
            ratio_to_a: ids
                .iter()
                .zip([1.0, 1.05, 1.07, 1.1, 1.005])
                .map(|(id, m)| (id.clone(), s(m)))
                .collect(),
            c_to_a0: Some(s(1.09)),
        };
        let report = CallsReport {
            plan: Plan::default(),
            server: "same-thread".into(),
            started: Some("2026-12-01 20:00 UTC".into()),
            load_before: Some(0.5),
            load_after: None,
            c1: vec![op.clone()],
            c64: vec![op.clone()],
            c1_cpu: vec![op.clone()],
            c64_cpu: vec![op.clone()],
            c64_multi: vec![op.clone()],
            c64_multi_cpu: vec![op],
        };
        let out = render_calls(&report);
        assert!(
            out.contains("| aveva_get_identity | 20.00 µs | 21.00 µs | 21.50 µs | 22.00 µs | 1.050 | 1.100 (1.090–1.110) | +2.00 µs | 1.005 | 1.090 |"),
            "{out}"
        );
        assert!(
            out.contains("| aveva_get_identity | 20 | 21 | 22 | 22 | 1.050 | 1.100 (1.090–1.110) | 1.005 | 1.090 |"),
            "{out}"
        );
        assert!(
            out.contains("| aveva_get_identity | 20.00 µs | 22.00 µs | 1.050 | 1.100 (1.090–1.110) | 1.005 | 1.090 |"),
            "{out}"
        );
        assert!(out.contains("multi-thread runtime of"), "{out}");
        assert!(
            out.contains("| aveva_get_identity | 1.100 | 1.100 | 1.100 | 1.050 | 1.050 | 1.050 | 1.005 | 1.005 | 1.005 |"),
            "{out}"
        );
        // Four tables per clock and setting (wall 1, 64, 64 multi; CPU 1, 64, 64 multi) and the ratios.
        assert_eq!(out.matches("### Calls:").count(), 7, "{out}");

        // A result written before the multi-thread phase existed has no such tables.
        let old = CallsReport {
            c64_multi: Vec::new(),
            c64_multi_cpu: Vec::new(),
            ..report.clone()
        };
        let out = render_calls(&old);
        assert_eq!(out.matches("### Calls:").count(), 5, "{out}");
        assert!(!out.contains("multi-thread runtime of"), "{out}");

        let runs = render_runs(&[report.clone(), report]);
        assert!(
            runs.contains("| 2026-12-01 20:00 UTC | 0.50 → ? | 1.100 / – / – / – / – | 1.100 / – / – / – / – | 1.100 / – / – / – / – |"),
            "{runs}"
        );
        assert!(
            runs.contains("| **median of the runs** | | **1.100 / – / – / – / –** |"),
            "{runs}"
        );
    }

    #[test]
    fn results_written_before_the_multi_thread_phase_still_load() {
        let old = r#"{"plan": {"rounds": 61, "calls": 500, "workers": 64, "per_worker": 10, "warm_up": 300},
            "server": "same-thread", "load_before": 0.16, "load_after": 0.57, "c1": [], "c64": []}"#;
        let r: CallsReport = serde_json::from_str(old).unwrap();
        assert_eq!(r.plan.multi_workers, 0);
        assert!(r.c64_multi.is_empty() && r.started.is_none());
    }
}
