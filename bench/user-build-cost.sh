#!/usr/bin/env bash
# Build cost of a user app (issue 11, item 3): what depending on one generated client crate costs a user's
# first build, next to the same app written against the runtime's own dependencies.
#
# Two fresh binary crates under $WORK, outside any workspace, each with its own target directory:
#   app    depends on idprov-seam (by path, on a copy of the repository) and tokio, and calls one operation
#          (get_enrollment_automation);
#   floor  depends on reqwest, rustls, serde, serde_json and tokio with the dependency lines of the
#          repository's root Cargo.toml (rustls with ring because reqwest's `rustls-no-provider` needs a
#          provider for any HTTPS call) and makes the same call by hand (serde structs, bearer auth, JSON body).
# Both get a copy of the repository's Cargo.lock, so the packages they share have the same versions, and build
# with --offline (the registry cache must hold everything; run `cargo fetch` in the repository first).
#
# Clean `cargo build` (dev profile, what a user runs first), RUNS times each, interleaved (app, floor, app,
# floor, ...) because the machine is shared: every time, the load average before it, the medians, the ratio.
# Package counts from `cargo tree -e normal,build` and from the `Compiling` lines; the packages only the app
# builds, split into build-time generation (reached only through a build-dependency) and runtime.
# Every build runs with --timings; the slowest units of the last app build are listed (the build script's
# own run is `idprov-seam run-custom-build`).
#
#   bash bench/user-build-cost.sh                 # the working tree; Markdown report on stdout and in
#                                                 # target/idprov-bench/user-build-cost.md
#   REV=HEAD~3 bash bench/user-build-cost.sh      # a commit instead of the working tree (git archive)
#   RUNS=1 ONLY=app bash bench/user-build-cost.sh # the app alone (quick check of one change)
#   RELEASE=1 bash bench/user-build-cost.sh       # also one clean --release build of each
#   PROFILE_TOML='[profile.dev.build-override]
#   opt-level = 1' bash bench/user-build-cost.sh  # appended to both apps' Cargo.toml (a user's own setting)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/idprov-user-build}
JOBS=${JOBS:-$(nproc)}
RUNS=${RUNS:-3}
ONLY=${ONLY:-both}
RELEASE=${RELEASE:-0}
REV=${REV:-}
PROFILE_TOML=${PROFILE_TOML:-}
OUT_DIR="${CARGO_TARGET_DIR:-$ROOT/target}/idprov-bench"
mkdir -p "$OUT_DIR" "$WORK"

log() { echo "user-build-cost: $*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# 1. The repository, copied so that edits made meanwhile in the checkout do not reach the builds.
SRC="$WORK/src"
rm -rf "$SRC"
mkdir -p "$SRC"
if [ -n "$REV" ]; then
  git -C "$ROOT" archive "$REV" | tar -C "$SRC" -xf -
  label="commit $(git -C "$ROOT" rev-parse --short "$REV")"
else
  tar -C "$ROOT" --exclude=./target --exclude=./.git -cf - . | tar -C "$SRC" -xf -
  label="working tree at $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- . && echo '' || echo ' + uncommitted edits')"
fi

dep_line() { # dep_line NAME: the root Cargo.toml's [workspace.dependencies] line of NAME
  local line
  line=$(grep -E "^$1 = " "$SRC/Cargo.toml") || {
    log "no '$1 = ' line in the root Cargo.toml"
    exit 1
  }
  echo "$line"
}

# 2. The two apps.
make_app() { # make_app DIR NAME DEPENDENCIES MAIN
  rm -rf "$1"
  mkdir -p "$1/src"
  cat >"$1/Cargo.toml" <<EOF
[package]
name = "$2"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
$3

[workspace]

$PROFILE_TOML
EOF
  echo "$4" >"$1/src/main.rs"
  cp "$SRC/Cargo.lock" "$1/Cargo.lock"
}

make_app "$WORK/app" user-app "idprov-seam = { path = \"$SRC/crates/seam\" }
tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }" '
//! One Seam call through the generated client.
use idprov_seam::{Client, types};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seam = Client::from_env()?; // SEAM_API_KEY
    let request = types::GetEnrollmentAutomationRequest::builder()
        .enrollment_automation_id("05505650-aa57-49ab-8f19-429738758895");
    let found = seam.get_enrollment_automation().body(request).send().await?;
    println!("running: {:?}", found.enrollment_automation.is_running);
    Ok(())
}'

make_app "$WORK/floor" floor-app "$(dep_line reqwest)
$(dep_line rustls)
$(dep_line serde)
$(dep_line serde_json)
tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }" '
//! The same Seam call written by hand on reqwest + serde.
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct GetEnrollmentAutomationRequest<'"'"'a> {
    enrollment_automation_id: &'"'"'a str,
}

#[derive(Debug, Deserialize)]
struct EnrollmentAutomation {
    enrollment_automation_id: String,
    is_running: Option<bool>,
}

#[derive(Debug, Deserialize)]
struct GetEnrollmentAutomationResponse {
    enrollment_automation: EnrollmentAutomation,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = std::env::var("SEAM_API_KEY")?;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .https_only(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let response = http
        .post("https://connect.getseam.com/user_identities/enrollment_automations/get")
        .bearer_auth(key)
        .json(&GetEnrollmentAutomationRequest {
            enrollment_automation_id: "05505650-aa57-49ab-8f19-429738758895",
        })
        .send()
        .await?
        .error_for_status()?;
    let found: GetEnrollmentAutomationResponse = response.json().await?;
    println!(
        "{}: running: {:?}",
        found.enrollment_automation.enrollment_automation_id, found.enrollment_automation.is_running
    );
    Ok(())
}'

# 3. Clean builds, interleaved.
# Prints the wall seconds; leaves the log in $WORK/<name>-<i>.log and the --timings report next to it.
clean_build() { # clean_build NAME RUN [cargo args]
  local name=$1 run=$2
  shift 2
  local target="$WORK/target-$name"
  rm -rf "$target"
  local start end
  start=$(date +%s.%N)
  (cd "$WORK/$name" && CARGO_TARGET_DIR="$target" cargo build --offline -j "$JOBS" --timings "$@" \
    >/dev/null 2>"$WORK/$name-$run.log") || {
    cat "$WORK/$name-$run.log" >&2
    return 1
  }
  end=$(date +%s.%N)
  cp "$target"/cargo-timings/cargo-timing.html "$WORK/$name-$run.timings.html" 2>/dev/null || true
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f\n", b - a }'
}

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

names=()
case "$ONLY" in
  both) names=(app floor) ;;
  app | floor) names=("$ONLY") ;;
  *) log "ONLY must be app, floor or both" && exit 1 ;;
esac

log "$label; $JOBS jobs; $RUNS runs each; work dir $WORK; load average $(load)"
declare -A times loads
for i in $(seq 1 "$RUNS"); do
  for name in "${names[@]}"; do
    l=$(load)
    t=$(clean_build "$name" "$i")
    times[$name]="${times[$name]:-} $t"
    loads[$name]="${loads[$name]:-} ${l%% *}"
    log "run $i $name: $t s (load average before: $l)"
  done
done

declare -A release
if [ "$RELEASE" = 1 ]; then
  for name in "${names[@]}"; do
    release[$name]=$(clean_build "$name" release --release)
    log "release $name: ${release[$name]} s"
  done
fi

# 4. Packages.
tree_set() { # tree_set NAME EDGES
  (cd "$WORK/$1" && cargo tree --offline -e "$2" --prefix none 2>/dev/null) | sed 's/ (.*//; s/ (\*)//' | sort -u
}
compiling() { grep -E '^ +Compiling ' "$WORK/$1-1.log" | sed 's/^ *Compiling //; s/ (.*//'; }
for name in "${names[@]}"; do
  tree_set "$name" normal,build >"$WORK/$name.packages"
  tree_set "$name" normal >"$WORK/$name.normal-packages"
  compiling "$name" >"$WORK/$name.compiled"
done

# 5. Report.
{
  echo "Source: $label. Clean \`cargo build\` (dev profile, --offline, $JOBS jobs), interleaved; load average (1 min) before each build in brackets."
  echo
  echo "| app | clean builds (s) | median | packages (cargo tree -e normal,build) | units compiled (\`Compiling\` lines) |"
  echo "|---|---|---|---|---|"
  for name in "${names[@]}"; do
    # shellcheck disable=SC2086
    set -- ${times[$name]}
    # shellcheck disable=SC2206
    l=(${loads[$name]})
    cells=""
    j=0
    for t in "$@"; do
      cells="$cells${cells:+, }$t (${l[$j]})"
      j=$((j + 1))
    done
    # shellcheck disable=SC2086
    echo "| $name | $cells | **$(median ${times[$name]}) s** | $(wc -l <"$WORK/$name.packages") | $(wc -l <"$WORK/$name.compiled") |"
  done
  if [ "$ONLY" = both ]; then
    # shellcheck disable=SC2086
    ratio=$(awk -v a="$(median ${times[app]})" -v f="$(median ${times[floor]})" 'BEGIN { printf "%.2f", a / f }')
    echo
    echo "Ratio of the medians, app / floor: **$ratio×**."
    if [ "$RELEASE" = 1 ]; then
      echo "Clean \`cargo build --release\`, once each: app ${release[app]} s, floor ${release[floor]} s."
    fi
    echo
    gen=$(comm -23 "$WORK/app.packages" "$WORK/app.normal-packages" | comm -23 - "$WORK/floor.packages")
    run=$(comm -23 "$WORK/app.normal-packages" "$WORK/floor.packages")
    echo "Only in the app, for build-time generation ($(echo "$gen" | grep -c . || true)): $(echo "$gen" | paste -sd, - | sed 's/,/, /g')."
    echo
    echo "Only in the app, compiled into it ($(echo "$run" | grep -c . || true)): $(echo "$run" | paste -sd, - | sed 's/,/, /g')."
  fi
  echo
  echo "Slowest units of the last app build (--timings; seconds; build-script runs are \`run-custom-build\`):"
  echo
  python3 - "$WORK/${names[0]}-$RUNS.timings.html" <<'EOF'
import json, re, sys
html = open(sys.argv[1]).read()
m = re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S)
if not m:
    print("(no UNIT_DATA in the timings report)")
    sys.exit()
units = json.loads(m.group(1))
units.sort(key=lambda u: -u["duration"])
for u in units[:12]:
    print(f"- {u['name']} {u['version']} {u.get('target', '').strip() or u.get('mode', '')}: {u['duration']:.1f} s (starts at {u['start']:.1f} s)")
EOF
} | tee "$OUT_DIR/user-build-cost.md"
log "load average after: $(load)"
