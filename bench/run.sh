#!/usr/bin/env bash
# The whole benchmark suite of idprov-bench (a few minutes on a 2-core machine), then the figures table:
#   1. calls: a/a0/b/b'/c of the five APIs at concurrency 1 and 64 (current-thread runtime) and 64
#      (multi-thread runtime), paired rounds                     -> target/idprov-bench/calls.json, runs/
#   2. micro: Huawei signing, error decoding (criterion)          -> target/criterion/
#   3. pagination: 100,000 items, pager vs hand-written loop     -> target/criterion/
#      and paired (alternating rounds)                           -> target/idprov-bench/pagination.json
#      and peak RSS at 1,000 and 100,000 items, one process each -> target/idprov-bench/rss.jsonl
#   4. build cost is separate (it builds the workspace from scratch twice): bash bench/build-cost.sh
#
#   bash bench/run.sh            # everything
#   bash bench/run.sh --quick    # a shorter calls run and criterion's shortest settings, to check it works
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=${1:-}
CRITERION=(--warm-up-time 1 --measurement-time 3)
CALLS=()
if [ "$QUICK" = "--quick" ]; then
  CRITERION=(--warm-up-time 0.5 --measurement-time 1)
  CALLS=(--quick)
fi
TARGET=${CARGO_TARGET_DIR:-target}
RESULTS="$TARGET/idprov-bench"
mkdir -p "$RESULTS"

echo "== machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores," \
  "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r), $(rustc -V)"
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg) (measure when it is below 1.5)"
cargo bench -p idprov-bench --no-run
cargo bench -p idprov-bench --bench calls -- "${CALLS[@]}"
cargo bench -p idprov-bench --bench micro -- "${CRITERION[@]}"
cargo bench -p idprov-bench --bench pagination -- "${CRITERION[@]}"
if [ "$QUICK" = "--quick" ]; then
  cargo bench -p idprov-bench --bench pagination_paired -- --rounds 2
else
  cargo bench -p idprov-bench --bench pagination_paired
fi

cargo build --release -p idprov-bench --bin pager-rss
: >"$RESULTS/rss.jsonl"
for mode in pager loop; do
  for items in 1000 100000; do
    "$TARGET/release/pager-rss" "$items" "$mode" | tee -a "$RESULTS/rss.jsonl"
  done
done

echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg)"
cargo run -q --release -p idprov-bench --bin bench-report
