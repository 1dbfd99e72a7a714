#!/usr/bin/env bash
# The vendors' official Python SDKs against idprov-sandbox: huaweicloudsdkidentitycenter (its own
# SDK-HMAC-SHA256 signer, verified by the sandbox; a wrong SK refused), sailpoint (ISC machine account
# requests and the create-access list; NERM workflow actions) and seam (enrollment automations through the
# SDK's own HTTP client). Each check script asserts on what came back; this exits non-zero on any failure.
#
# Assumes a Debian-like machine with cargo (the only thing CI guarantees). It needs python3 (3.9 or newer)
# with the venv module and ensurepip: when either is missing it runs `apt-get install -y python3 python3-venv`
# if apt-get is there and it runs as root, and stops with a message otherwise. The SDKs are installed from
# PyPI at the versions pinned in requirements.txt into target/python-venv (reused while requirements.txt is
# unchanged); pip keeps no cache, and nothing is written outside the repository's target/ directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=tests/python
mkdir -p "${CARGO_TARGET_DIR:-target}"
target="$(cd "${CARGO_TARGET_DIR:-target}" && pwd)"
venv="$target/python-venv"
export PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_NO_CACHE_DIR=1

has_python() {
  command -v python3 >/dev/null 2>&1 &&
    python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 9))' >/dev/null 2>&1
}
if ! has_python; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "python-sdks: python3 with venv missing; installing python3 python3-venv with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >/dev/null
  fi
  has_python || { echo "python-sdks: needs python3 (>= 3.9) with the venv module (Debian: python3-venv)" >&2; exit 1; }
fi

want="$(python3 --version 2>&1) $(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.idprov-requirements" 2>/dev/null)" != "$want" ]; then
  echo "python-sdks: creating $venv and installing $here/requirements.txt"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet -r "$here/requirements.txt"
  echo "$want" >"$venv/.idprov-requirements"
fi

cargo build --quiet --locked -p idprov-sandbox --bin idprov-sandbox
sandbox="$target/debug/idprov-sandbox"

work="$(mktemp -d)"
pid=""
stop_sandbox() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=""
  fi
}
trap 'stop_sandbox; rm -rf "$work"' EXIT

# Starts a fresh sandbox (free ports) and exports its JSON line as IDPROV_SANDBOX. Each start writes a file
# of its own, so a line left by the previous sandbox is never read as this one's.
starts=0
start_sandbox() {
  starts=$((starts + 1))
  local out="$work/sandbox-$starts.out" err="$work/sandbox-$starts.err"
  "$sandbox" --port 0 >"$out" 2>"$err" &
  pid=$!
  for _ in $(seq 1 100); do
    if [ -s "$out" ]; then
      IDPROV_SANDBOX="$(head -n 1 "$out")"
      export IDPROV_SANDBOX
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "python-sdks: the sandbox did not start:" >&2
  cat "$err" >&2
  exit 1
}

passed=0
failed=0
for check in huawei isc nerm seam_sdk; do
  echo "== $check.py"
  p=0 f=0
  start_sandbox
  status=0
  (cd "$here" && "$venv/bin/python" "$check.py") | tee "$work/$check.log" || status=$?
  stop_sandbox
  # Each script ends with "<sdk>: N passed, N failed"; a script that died before it counts as one failure.
  summary="$(grep -E '^[^ ].*: [0-9]+ passed, [0-9]+ failed$' "$work/$check.log" | tail -n 1 || true)"
  if [ -n "$summary" ]; then
    p="$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/' <<<"$summary")"
    f="$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/' <<<"$summary")"
    passed=$((passed + p))
    failed=$((failed + f))
  fi
  if [ "$status" != 0 ] && { [ -z "$summary" ] || [ "${f:-0}" = 0 ]; }; then
    echo "python-sdks: $check.py exited with status $status"
    failed=$((failed + 1))
  fi
done
echo "python-sdks: $passed passed, $failed failed"
[ "$failed" = 0 ]
