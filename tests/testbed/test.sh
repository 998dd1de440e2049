#!/usr/bin/env bash
# The project's test command (CI runs it through .ci/run):
#   setup (test bed installs) -> cargo fmt --check -> cargo clippy -D warnings -> cargo test.
# Test bed output (what each test did) is printed (--nocapture). On exit, any test bed process
# still recorded under $DM_TESTBED_DIR/pids is stopped and reported, which fails the run.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
export DM_TESTBED_DIR="${DM_TESTBED_DIR:-$repo/target/testbed}"
export TESTBED_DIR="$DM_TESTBED_DIR"
# The test command always has a test bed: a test that would skip without one must fail instead.
export DM_REQUIRE_TESTBED=1
pids_dir="$DM_TESTBED_DIR/pids"

timings=()
step() {
  local name="$1"
  shift
  local started=$SECONDS
  printf '\n==> %s\n' "$name"
  if ! "$@"; then
    timings+=("$(printf '%-8s %4ss  FAILED' "$name" "$((SECONDS - started))")")
    printf '<== %s: FAILED after %ss\n' "$name" "$((SECONDS - started))"
    exit 1
  fi
  local took=$((SECONDS - started))
  timings+=("$(printf '%-8s %4ss' "$name" "$took")")
  printf '<== %s: %ss\n' "$name" "$took"
}

# Prints "<pid> <name> <folder>" for each recorded process that is still alive and still the
# one recorded (its command line names its run folder), so a reused PID is never touched.
recorded_alive() {
  local file pid name dir
  [[ -d "$pids_dir" ]] || return 0
  for file in "$pids_dir"/*; do
    [[ -f "$file" ]] || continue
    pid="$(basename "$file")"
    read -r name dir <"$file" || true
    if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
      tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$dir"; then
      printf '%s %s %s\n' "$pid" "$name" "$dir"
    else
      rm -f "$file"
    fi
  done
}

# Stops the process groups of the listed processes: SIGTERM, then SIGKILL after 10 s.
stop_groups() {
  local pid
  for pid in "$@"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for _ in $(seq 1 100); do
    local alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for pid in "$@"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  for pid in "$@"; do rm -f "$pids_dir/$pid"; done
}

finish() {
  local rc=$?
  local survivors
  survivors="$(recorded_alive)"
  if [[ -n "$survivors" ]]; then
    printf 'testbed: these test processes survived the run and were stopped:\n%s\n' "$survivors"
    # shellcheck disable=SC2046
    stop_groups $(cut -d' ' -f1 <<<"$survivors")
    ((rc)) || rc=1
  else
    echo "testbed: no test process survived"
  fi
  printf '\ntimings:\n'
  printf '  %s\n' "${timings[@]}"
  printf '  %-8s %4ss\n' total "$SECONDS"
  if ((rc)); then echo "test.sh: FAILED (exit $rc)"; else echo "test.sh: all steps passed"; fi
  exit "$rc"
}
trap finish EXIT

# Leftovers of an earlier, interrupted run would hold ports and CPU: stop them first.
stale="$(recorded_alive)"
if [[ -n "$stale" ]]; then
  printf 'testbed: stopping processes left by an earlier run:\n%s\n' "$stale"
  # shellcheck disable=SC2046
  stop_groups $(cut -d' ' -f1 <<<"$stale")
fi

step setup bash tests/testbed/setup.sh
step fmt cargo fmt --all -- --check
step clippy cargo clippy --all-targets -- -D warnings
step test cargo test --no-fail-fast -- --nocapture
