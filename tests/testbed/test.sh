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
# The tests: compiled once; the e2e migration runs first, alone (MirrorMaker 2's offset syncs lag
# when it shares the two cores), then the other test binaries run in two streams at once. Most of
# a Kafka test's time is spent waiting (clusters starting, MirrorMaker 2's intervals), so two
# streams nearly halve their wall time. Each stream's output goes to its own log, printed whole
# when both are done. The discover tests form one stream, everything else the other.
logs_dir="$DM_TESTBED_DIR/test-logs"
SOLO="e2e_migration"
HEAVY="discover discover_faults"
run_stream() { # log binaries...
  local log=$1 rc=0 bin
  shift
  : >"$log"
  for bin in "$@"; do
    printf '\n     Running %s\n' "${bin#"$repo"/}" >>"$log"
    "$bin" --nocapture >>"$log" 2>&1 || { rc=1; echo "  ${bin#"$repo"/}" >>"$logs_dir/failed"; }
  done
  return "$rc"
}
run_tests() {
  mkdir -p "$logs_dir"
  rm -f "$logs_dir/failed"
  local listing
  listing="$(cargo test --no-run --message-format=json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"]:
        print(m["target"]["kind"][0], m["target"]["name"], m["executable"])
')" || { cargo test --no-run; return 1; }
  local solo=() heavy=() rest=() kind name exe
  while read -r kind name exe; do
    if [[ " $SOLO " == *" $name "* ]]; then
      solo+=("$exe")
    elif [[ " $HEAVY " == *" $name "* ]]; then
      heavy+=("$exe")
    else
      rest+=("$exe")
    fi
  done <<<"$listing"
  local a b ra=0 rb=0 rs=0
  run_stream "$logs_dir/solo.log" "${solo[@]}" || rs=1
  cat "$logs_dir/solo.log"
  run_stream "$logs_dir/heavy.log" "${heavy[@]}" &
  a=$!
  run_stream "$logs_dir/rest.log" "${rest[@]}" &
  b=$!
  wait "$a" || ra=1
  wait "$b" || rb=1
  cat "$logs_dir/heavy.log" "$logs_dir/rest.log"
  printf '\n==> doc tests\n'
  local rd=0
  cargo test --doc --no-fail-fast || rd=1
  printf '\ntest binaries that failed:\n'
  cat "$logs_dir/failed" 2>/dev/null || echo "  none"
  return $((rs || ra || rb || rd))
}
step build cargo test --no-run
step test run_tests
