#!/usr/bin/env bash
# Build cost of a user app (issue 11, item 3): what depending on one generated client crate costs a user's
# first build, next to the same app written against the runtime's own dependencies.
#
# Fresh binary crates under $WORK, outside any workspace, each with its own target directory:
#   app-N   depends on idprov-seam (by path, on a copy of the repository) and tokio, and calls one operation
#           (get_enrollment_automation); one app per commit of REVS (default: the working tree), so a change
#           and its parent are measured in the same rounds;
#   pregen  (PREGENERATED=1) the app of the last commit with idprov-seam's build script replaced by a copy of
#           the source that build script generated (the first app build's $OUT_DIR/generated.rs) and the
#           idprov-codegen build-dependency removed: what the build would cost if the package shipped the
#           generated code instead of generating it;
#   floor   depends on reqwest, rustls, serde, serde_json and tokio with the dependency lines of the
#           repository's root Cargo.toml (rustls with ring because reqwest's `rustls-no-provider` needs a
#           provider for any HTTPS call) and makes the same call by hand (serde structs, bearer auth, JSON body).
# Every app gets a copy of the repository's Cargo.lock, so the packages they share have the same versions,
# and builds with --offline (the registry cache must hold everything: run `cargo fetch` in the repository).
#
# Clean `cargo build` (dev profile, what a user runs first), RUNS rounds, interleaved (app-0, app-1, ...,
# floor, then again) because the machine is shared: each wall time with the load average before it, the
# medians, the ratios to the floor, and the CPU seconds (user + system of cargo and all it ran), which
# contention inflates less than the wall time. Package counts from `cargo tree -e normal,build` and from the
# `Compiling` lines; the packages only the app builds, split into build-time generation (those the
# pre-generated variant does not build; without it, those reached only through a build-dependency, which also
# counts a build script's helpers such as autocfg) and runtime. Every build runs with --timings; the slowest units of the last app build
# are listed (the build script's own run is `idprov-seam run-custom-build`).
#
#   bash bench/user-build-cost.sh                       # the working tree; Markdown report on stdout and in
#                                                       # target/idprov-bench/user-build-cost.md
#   REVS="e0bd4d5 HEAD" PREGENERATED=1 bash bench/user-build-cost.sh   # two commits, the pre-generated
#                                                       # variant of the last, and the floor
#   RUNS=1 FLOOR=0 bash bench/user-build-cost.sh        # the app alone (a quick check of one change)
#   RELEASE=1 bash bench/user-build-cost.sh             # also one clean --release build of each
#   KEEP_TARGETS=1 bash bench/user-build-cost.sh        # keep the target directories (removed at the end)
#   PROFILE_TOML='[profile.dev.build-override]
#   opt-level = 1' bash bench/user-build-cost.sh        # appended to every app's Cargo.toml (a user's setting)
set -euo pipefail

# The README's dependency line is a git dependency, which cargo compiles like a registry package: without
# incremental compilation ("only used for workspace members and path dependencies", the Cargo book's
# profiles chapter). The apps here depend on the client by path, so incremental compilation is switched off
# to build it as a user's build does; CARGO_INCREMENTAL=1 measures the path-dependency build instead.
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/idprov-user-build}
JOBS=${JOBS:-$(nproc)}
RUNS=${RUNS:-3}
REVS=${REVS:-}
PREGENERATED=${PREGENERATED:-0}
FLOOR=${FLOOR:-1}
RELEASE=${RELEASE:-0}
PROFILE_TOML=${PROFILE_TOML:-}
OUT_DIR="${CARGO_TARGET_DIR:-$ROOT/target}/idprov-bench"
mkdir -p "$OUT_DIR" "$WORK"

log() { echo "user-build-cost: $*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# 1. The repository, copied so that edits made meanwhile in the checkout do not reach the builds: one copy per
# commit of REVS (git archive), or the working tree.
copy_source() { # copy_source DEST REV (REV empty: the working tree); prints a label
  rm -rf "$1"
  mkdir -p "$1"
  if [ -n "$2" ]; then
    git -C "$ROOT" archive "$2" | tar -C "$1" -xf -
    git -C "$ROOT" rev-parse --short "$2"
  else
    tar -C "$ROOT" --exclude=./target --exclude=./.git -cf - . | tar -C "$1" -xf -
    echo "working tree"
  fi
}

names=()
declare -A label_of src_of
# shellcheck disable=SC2206
revs=($REVS)
[ ${#revs[@]} -gt 0 ] || revs=("")
i=0
for rev in "${revs[@]}"; do
  src_of[app-$i]="$WORK/src-$i"
  rev_label=$(copy_source "$WORK/src-$i" "$rev")
  label_of[app-$i]="app ($rev_label)"
  names+=("app-$i")
  i=$((i + 1))
done
last_app=${names[-1]}
SRC=${src_of[$last_app]}
if [ "$PREGENERATED" = 1 ]; then
  rm -rf "$WORK/src-pregen"
  cp -r "$SRC" "$WORK/src-pregen"
  grep -q '^idprov-codegen.workspace = true$' "$WORK/src-pregen/crates/seam/Cargo.toml" || {
    log "idprov-seam's Cargo.toml has no 'idprov-codegen.workspace = true' line; update user-build-cost.sh"
    exit 1
  }
  sed -i '/^idprov-codegen.workspace = true$/d' "$WORK/src-pregen/crates/seam/Cargo.toml"
  cat >"$WORK/src-pregen/crates/seam/build.rs" <<'RS'
//! The pre-generated client, copied to where lib.rs includes it (bench/user-build-cost.sh's variant).
fn main() {
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    println!("cargo::rerun-if-changed=generated.rs");
    if let Err(e) = std::fs::copy("generated.rs", out.join("generated.rs")) {
        println!("cargo::error=cannot copy generated.rs: {e}");
    }
}
RS
  src_of[pregen]="$WORK/src-pregen"
  label_of[pregen]="app, pre-generated ($rev_label)"
  names+=(pregen)
fi
if [ "$FLOOR" = 1 ]; then
  names+=(floor)
  label_of[floor]="floor (reqwest, rustls, serde, serde_json, tokio)"
fi

dep_line() { # dep_line NAME: the root Cargo.toml's [workspace.dependencies] line of NAME
  local line
  line=$(grep -E "^$1 = " "$SRC/Cargo.toml") || {
    log "no '$1 = ' line in the root Cargo.toml"
    exit 1
  }
  echo "$line"
}

# 2. The apps.
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

APP_MAIN='
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

FLOOR_MAIN='
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

for name in "${names[@]}"; do
  if [ "$name" = floor ]; then
    make_app "$WORK/floor" floor-app "$(dep_line reqwest)
$(dep_line rustls)
$(dep_line serde)
$(dep_line serde_json)
tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }" "$FLOOR_MAIN"
  else
    make_app "$WORK/$name" user-app "idprov-seam = { path = \"${src_of[$name]}/crates/seam\" }
tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }" "$APP_MAIN"
  fi
done

# 3. Clean builds, interleaved.
# Prints "wall-seconds cpu-seconds"; leaves the log in $WORK/<name>-<run>.log and the --timings report next
# to it.
clean_build() { # clean_build NAME RUN [cargo args]
  local name=$1 run=$2
  shift 2
  local target="$WORK/target-$name" clock
  rm -rf "$target"
  clock=$(
    TIMEFORMAT='%R %U %S'
    {
      time (cd "$WORK/$name" && CARGO_TARGET_DIR="$target" cargo build --offline -j "$JOBS" --timings "$@" \
        >/dev/null 2>"$WORK/$name-$run.log")
    } 2>&1
  ) || {
    cat "$WORK/$name-$run.log" >&2
    return 1
  }
  cp "$target"/cargo-timings/cargo-timing.html "$WORK/$name-$run.timings.html" 2>/dev/null || true
  echo "$clock" | awk '{ printf "%.1f %.0f\n", $1, $2 + $3 }'
}

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

log "${names[*]}; $JOBS jobs; $RUNS rounds; work dir $WORK; load average $(load)"
declare -A times cpus loads
for run in $(seq 1 "$RUNS"); do
  for name in "${names[@]}"; do
    if [ "$name" = pregen ] && [ ! -f "${src_of[pregen]}/crates/seam/generated.rs" ]; then
      generated=$(find "$WORK/target-$last_app/debug/build" -path '*idprov-seam-*/out/generated.rs' | head -1)
      [ -n "$generated" ] || {
        log "no generated.rs from $last_app's build"
        exit 1
      }
      cp "$generated" "${src_of[pregen]}/crates/seam/generated.rs"
    fi
    l=$(load)
    read -r t c < <(clean_build "$name" "$run")
    [ -n "${c:-}" ] || exit 1
    times[$name]="${times[$name]:-} $t"
    cpus[$name]="${cpus[$name]:-} $c"
    loads[$name]="${loads[$name]:-} ${l%% *}"
    log "round $run $name: $t s wall, $c s CPU (load average before: $l)"
  done
done

declare -A release
if [ "$RELEASE" = 1 ]; then
  for name in "${names[@]}"; do
    read -r t c < <(clean_build "$name" release --release)
    [ -n "${c:-}" ] || exit 1
    release[$name]="$t s wall, $c s CPU"
    log "release $name: ${release[$name]}"
  done
fi

# 4. Packages.
tree_set() { # tree_set NAME EDGES
  (cd "$WORK/$1" && cargo tree --offline -e "$2" --prefix none 2>/dev/null) | sed 's/ (.*//' | sort -u
}
for name in "${names[@]}"; do
  tree_set "$name" normal,build >"$WORK/$name.packages"
  tree_set "$name" normal >"$WORK/$name.normal-packages"
  grep -E '^ +Compiling ' "$WORK/$name-1.log" | sed 's/^ *Compiling //; s/ (.*//' >"$WORK/$name.compiled"
done

# 5. Report.
list() { paste -sd, - | sed 's/,/, /g'; }
{
  echo "Clean \`cargo build\` (dev profile, --offline, $JOBS jobs, CARGO_INCREMENTAL=$CARGO_INCREMENTAL), $RUNS interleaved rounds; the load average"
  echo "(1 min) before each build in brackets."
  echo
  echo "| build | wall (s) | median wall | CPU (s) | median CPU | packages (cargo tree) | \`Compiling\` lines |"
  echo "|---|---|---|---|---|---|---|"
  for name in "${names[@]}"; do
    # shellcheck disable=SC2206
    t=(${times[$name]})
    # shellcheck disable=SC2206
    l=(${loads[$name]})
    cells=""
    for j in "${!t[@]}"; do cells="$cells${cells:+, }${t[$j]} (${l[$j]})"; done
    # shellcheck disable=SC2086
    echo "| ${label_of[$name]} | $cells | **$(median ${times[$name]}) s** | $(echo ${cpus[$name]} | sed 's/ /, /g') | $(median ${cpus[$name]}) s | $(wc -l <"$WORK/$name.packages") | $(wc -l <"$WORK/$name.compiled") |"
  done
  if [ "$FLOOR" = 1 ]; then
    echo
    # shellcheck disable=SC2086
    for name in "${names[@]}"; do
      [ "$name" = floor ] && continue
      awk -v n="${label_of[$name]}" -v a="$(median ${times[$name]})" -v f="$(median ${times[floor]})" \
        -v ac="$(median ${cpus[$name]})" -v fc="$(median ${cpus[floor]})" \
        'BEGIN { printf "- %s / floor: **%.2f×** wall, %.2f× CPU\n", n, a / f, ac / fc }'
    done
    if [ "$RELEASE" = 1 ]; then
      echo
      for name in "${names[@]}"; do echo "- clean \`cargo build --release\`, once, ${label_of[$name]}: ${release[$name]}"; done
    fi
    for name in "${names[@]}"; do
      [ "$name" = floor ] && continue
      if [ "$name" != pregen ] && [ -f "$WORK/pregen.packages" ]; then
        # What generation adds is exactly what the pre-generated variant does not build.
        gen=$(comm -23 "$WORK/$name.packages" "$WORK/pregen.packages")
      else
        gen=$(comm -23 "$WORK/$name.packages" "$WORK/$name.normal-packages" | comm -23 - "$WORK/floor.packages")
      fi
      run=$(comm -23 "$WORK/$name.normal-packages" "$WORK/floor.packages")
      echo
      echo "${label_of[$name]}: only for build-time generation ($(echo "$gen" | grep -c . || true)): $(echo "$gen" | list)."
      echo "Compiled into the app but not in the floor ($(echo "$run" | grep -c . || true)): $(echo "$run" | list)."
    done
  fi
  echo
  echo "Slowest units of the last build of ${label_of[$last_app]} (--timings, seconds):"
  echo
  python3 - "$WORK/$last_app-$RUNS.timings.html" <<'EOF'
import json, re, sys
html = open(sys.argv[1]).read()
m = re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S)
if not m:
    print("(no UNIT_DATA in the timings report)")
    sys.exit()
units = json.loads(m.group(1))
print(f"({len(units)} units, {sum(u['duration'] for u in units):.0f} unit-seconds in all)")
print()
for u in sorted(units, key=lambda u: -u["duration"])[:15]:
    kind = "build script run" if u["mode"] == "run-custom-build" else u["mode"]
    print(f"- {u['name']} {u['version']} ({kind}): {u['duration']:.1f} s, from {u['start']:.1f} s")
seam = [u for u in units if u["name"] == "idprov-seam" and u["mode"] == "run-custom-build"]
if seam:
    print(f"- idprov-seam's build script run (generation): {seam[0]['duration']:.1f} s")
EOF
} | tee "$OUT_DIR/user-build-cost.md"
log "load average after: $(load)"
# Each target directory is about 0.6 GB; the logs and --timings reports stay in $WORK.
if [ "${KEEP_TARGETS:-0}" != 1 ]; then
  rm -rf "$WORK"/target-*
fi
