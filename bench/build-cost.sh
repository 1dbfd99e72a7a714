#!/usr/bin/env bash
# Build cost of one client crate (idprov-aveva-connect), part 4 of the benchmarks issue:
#   1. clean `cargo build -p idprov-aveva-connect` (dev profile), reqwest's default TLS provider (aws-lc-rs);
#   2. the same with rustls on ring, as the workspace builds it (reqwest `rustls-no-provider` + rustls `ring`);
#      the aws-lc-rs copy switches reqwest back to its `rustls` feature (its ring crate stays, so aws-lc-rs's
#      figure slightly over-counts; the difference is aws-lc-sys's C build)
#   3. rebuild after a one-line edit of specs/aveva-connect.yaml (the description of get_automation_identity,
#      which progenitor turns into the doc comment of `Client::get_automation_identity`, so the build script
#      regenerates the client and rustc compiles a changed crate), three different edits;
#   4. rebuild after a one-line edit that changes a type: `maxLength: N` on AutomationIdentity.Name, which
#      makes progenitor generate a constrained newtype for the field, three different N;
#   5. rebuild after touching the crate's lib.rs, for comparison.
#
# Everything happens in throwaway copies of the workspace under $WORK (default /tmp/idprov-build-cost), each
# with its own target directory: the repository, its target/ and its specs are never touched.
#
#   bash bench/build-cost.sh            # prints a Markdown table, and writes it to target/idprov-bench/build-cost.md
#   JOBS=2 WORK=/tmp/x bash bench/build-cost.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/idprov-build-cost}
JOBS=${JOBS:-$(nproc)}
CRATE=idprov-aveva-connect
SPEC=specs/aveva-connect.yaml
OUT_DIR="${CARGO_TARGET_DIR:-$ROOT/target}/idprov-bench"
mkdir -p "$OUT_DIR"

log() { echo "build-cost: $*" >&2; }

copy_workspace() { # copy_workspace DEST
  rm -rf "$1"
  mkdir -p "$1"
  tar -C "$ROOT" --exclude=./target --exclude=./.git -cf - . | tar -C "$1" -xf -
}

# Seconds (wall) of a command run in directory $1 with target dir $2.
timed() { # timed DIR TARGET cmd...
  local dir=$1 target=$2
  shift 2
  local start end
  start=$(date +%s.%N)
  (cd "$dir" && CARGO_TARGET_DIR="$target" "$@" >/dev/null 2>"$target.log") || {
    cat "$target.log" >&2
    return 1
  }
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f\n", b - a }'
}

median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }

use_aws_lc() { # use_aws_lc DIR: reqwest's default provider (aws-lc-rs) instead of the workspace's ring
  local dir=$1
  python3 - "$dir" <<'EOF'
import re, sys
p = f"{sys.argv[1]}/Cargo.toml"
s = open(p).read()
s, n = re.subn(r'(reqwest = \{[^\n]*features = \[[^\]]*)"rustls-no-provider"', r'\1"rustls"', s)
assert n == 1, "reqwest's rustls-no-provider feature not found in the root Cargo.toml"
open(p, "w").write(s)
EOF
}

# The type-changing edit: set (or add) `maxLength: N` on AutomationIdentity.Name.
mkdir -p "$WORK"
cat >"$WORK/retype.py" <<'EOF'
import re, sys
path, n = sys.argv[1], sys.argv[2]
s = open(path).read()
anchor = "          description: Automation identity name.\n"
with_max = re.compile(r"(\n          maxLength: )\d+(\n" + re.escape(anchor) + ")")
if with_max.search(s):
    s = with_max.sub(lambda m: m.group(1) + n + m.group(2), s, count=1)
elif anchor in s:
    s = s.replace(anchor, f"          maxLength: {n}\n" + anchor, 1)
else:
    sys.exit("AutomationIdentity.Name's description is gone from the spec; update build-cost.sh")
open(path, "w").write(s)
EOF

log "load average: $(cut -d' ' -f1-3 /proc/loadavg); $JOBS jobs; work dir $WORK"
copy_workspace "$WORK/aws-lc-rs"
copy_workspace "$WORK/ring"
use_aws_lc "$WORK/aws-lc-rs"

declare -A clean rebuild retype touch_rs
for provider in aws-lc-rs ring; do
  dir="$WORK/$provider"
  target="$WORK/target-$provider"
  rm -rf "$target"
  log "$provider: clean build of $CRATE ..."
  clean[$provider]=$(timed "$dir" "$target" cargo build -j "$JOBS" -p "$CRATE")
  log "$provider: clean ${clean[$provider]} s"
  times=()
  for i in 1 2 3; do
    # A one-line spec edit: a sentence of an operation's description changes (differently each time).
    grep -q "Returns one automation identity of the tenant" "$dir/$SPEC" || {
      log "the line to edit is gone from $SPEC; update build-cost.sh"
      exit 1
    }
    sed -i "s/Returns one automation identity of the tenant[^.]*\./Returns one automation identity of the tenant (edit $i)./" "$dir/$SPEC"
    times+=("$(timed "$dir" "$target" cargo build -j "$JOBS" -p "$CRATE")")
  done
  rebuild[$provider]=$(median3 "${times[@]}")
  log "$provider: rebuild after a spec edit ${times[*]} s (median ${rebuild[$provider]})"
  times=()
  for i in 1 2 3; do
    python3 "$WORK/retype.py" "$dir/$SPEC" "$((199 + i))"
    times+=("$(timed "$dir" "$target" cargo build -j "$JOBS" -p "$CRATE")")
  done
  retype[$provider]=$(median3 "${times[@]}")
  log "$provider: rebuild after a type-changing spec edit ${times[*]} s (median ${retype[$provider]})"
  times=()
  for i in 1 2 3; do
    echo "// touched $i" >>"$dir/crates/aveva-connect/src/lib.rs"
    times+=("$(timed "$dir" "$target" cargo build -j "$JOBS" -p "$CRATE")")
  done
  touch_rs[$provider]=$(median3 "${times[@]}")
  log "$provider: rebuild after touching lib.rs ${times[*]} s (median ${touch_rs[$provider]})"
done

table=$(
  cat <<EOF
| build of \`$CRATE\` (dev profile, $JOBS jobs) | aws-lc-rs (reqwest default) | ring (the workspace's choice) |
|---|---|---|
| clean build (all dependencies) | ${clean[aws-lc-rs]} s | ${clean[ring]} s |
| rebuild after a one-line spec edit (median of 3) | ${rebuild[aws-lc-rs]} s | ${rebuild[ring]} s |
| rebuild after a one-line type-changing spec edit (median of 3) | ${retype[aws-lc-rs]} s | ${retype[ring]} s |
| rebuild after touching src/lib.rs (median of 3) | ${touch_rs[aws-lc-rs]} s | ${touch_rs[ring]} s |
EOF
)
echo "$table" | tee "$OUT_DIR/build-cost.md"
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
