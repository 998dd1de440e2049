#!/usr/bin/env bash
# The project's test command (CI runs it through .ci/run):
#   setup (test bed installs) -> cargo fmt --check -> cargo clippy -D warnings -> cargo test.
# Test bed output (what each test did) is printed (--nocapture). On exit, any test bed process
# still recorded under $DM_TESTBED_DIR/pids is stopped and reported, which fails the run.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
export DM_TESTBED_DIR="${DM_TESTBED_DIR:-$repo/target/testbed}"
# Compiled dependencies are cached outside the clone, like Maven's ~/.m2 and the venv, so a
# fresh clone on the same machine compiles only this crate. Set CARGO_TARGET_DIR to choose
# another folder (cargo's default, <repo>/target, compiles everything each time).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${DM_CACHE_DIR:-$HOME/.cache/diskless-migrator}/cargo-target}"
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
# The tests: compiled once, then run by three workers in parallel. Most of a Kafka test's time is
# spent waiting (clusters starting, MirrorMaker 2's intervals), so workers on two cores cut the
# wall time by their number until the two cores are busy: three (a fourth made the run slower,
# every worker waiting for CPU). The integration tests are one binary (`tests/it`) with a module
# per area. The work is a queue of entries, each an area (`discover`) or one test
# (`inspect_mm2::<test>`), longest first; a worker that finishes one takes the next, so no worker
# idles while another still has a fixed list to work through (with fixed lists, the first
# finished up to 90 s before the last). `<rest>` stands for every area no entry names (no Kafka:
# plan, generate, Terraform, the report in a browser); the unit tests come last. Each worker's
# output goes to its own log, printed whole when all are done.
logs_dir="$DM_TESTBED_DIR/test-logs"
WORKERS=3
QUEUE=(
  inspect_mm2::target_broker_killed_and_restarted_twenty_times_during_watch
  inspect_mm2
  e2e_migration
  discover_faults
  access
  "<rest>"
  inspect_faults
  discover
  testbed_kafka
  discover_transactions
  rehearse_cli
)
# Takes the first line off the queue file and prints it (empty when the queue is done).
take_entry() { # queue
  flock "$1.lock" bash -c 'head -n 1 "$1"; sed -i 1d "$1"' _ "$1"
}
# Runs entries ("<exe> <libtest arguments>") taken from `queue` until it is empty, with their
# output in `log`; a failed entry is listed in $logs_dir/failed.
run_worker() { # queue log
  local queue=$1 log=$2 rc=0 line started
  : >"$log"
  while line="$(take_entry "$queue")" && [[ -n "$line" ]]; do
    local words=($line)
    printf '\n     Running %s\n' "${line#"$repo"/}" >>"$log"
    started=$SECONDS
    # The CPU the entry used, its clusters and MirrorMaker 2 included (they are its children):
    # on two cores the run is CPU-bound, so this is what an entry costs the others.
    local TIMEFORMAT='%U %S' cpu status=0
    { time "${words[@]}" --nocapture >>"$log" 2>&1 || status=$?; } 2>"$log.cpu"
    if ((status)); then
      rc=1
      echo "  ${line#"$repo"/}" >>"$logs_dir/failed"
    fi
    cpu="$(awk '{printf "%.0f", $1 + $2}' "$log.cpu" 2>/dev/null)"
    rm -f "$log.cpu"
    printf '     (took %ss, %s CPU-s: %s)\n' "$((SECONDS - started))" "${cpu:-?}" "${line##*/}" >>"$log"
  done
  return "$rc"
}
run_tests() {
  mkdir -p "$logs_dir"
  rm -f "$logs_dir/failed" "$logs_dir"/worker-*.log "$logs_dir"/stream-*.log "$INSTA_SNAPSHOT_REFERENCES_FILE"
  local listing
  listing="$(cargo test --no-run --message-format=json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"]:
        print(m["target"]["name"], m["executable"])
')" || { cargo test --no-run; return 1; }
  local it="" others=() name exe
  while read -r name exe; do
    if [[ "$name" == it ]]; then it=$exe; else others+=("$exe"); fi
  done <<<"$listing"
  [[ -n "$it" ]] || { echo "test.sh: no integration test binary \`it\`" >&2; return 1; }
  # Every named area or test must exist: a filter that matches nothing would pass silently.
  local names entry
  names="$("$it" --list 2>/dev/null | sed -n 's/: test$//p')"
  for entry in "${QUEUE[@]}"; do
    [[ "$entry" == "<rest>" ]] && continue
    if [[ "$entry" == *::* ]]; then
      grep -qxF -- "$entry" <<<"$names"
    else
      grep -q -- "^$entry::" <<<"$names"
    fi || { echo "test.sh: the queue names $entry, which no test in tests/it is" >&2; return 1; }
  done
  # An area's filter is "<area>::"; a test's is its whole name. An area skips the single tests
  # other entries run; `<rest>` skips every named area and test.
  local skips=() queue="$logs_dir/queue" other
  for entry in "${QUEUE[@]}"; do
    [[ "$entry" == "<rest>" ]] && continue
    [[ "$entry" == *::* ]] && skips+=(--skip "$entry") || skips+=(--skip "$entry::")
  done
  : >"$queue"
  for entry in "${QUEUE[@]}"; do
    if [[ "$entry" == "<rest>" ]]; then
      echo "$it ${skips[*]}" >>"$queue"
    elif [[ "$entry" == *::* ]]; then
      echo "$it $entry" >>"$queue"
    else
      local own=()
      for other in "${QUEUE[@]}"; do
        [[ "$other" == "$entry::"* ]] && own+=(--skip "$other")
      done
      echo "$it $entry:: ${own[*]}" >>"$queue"
    fi
  done
  for exe in "${others[@]}"; do echo "$exe" >>"$queue"; done
  local pids=() rc=0 pid i
  for ((i = 0; i < WORKERS; i++)); do
    run_worker "$queue" "$logs_dir/worker-$i.log" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
  for ((i = 0; i < WORKERS; i++)); do
    printf '\n==> worker %s\n' "$i"
    cat "$logs_dir/worker-$i.log"
  done
  printf '\n==> doc tests\n'
  cargo test --doc --no-fail-fast || rc=1
  printf '\ntest entries that failed:\n'
  cat "$logs_dir/failed" 2>/dev/null || echo "  none"
  printf '\nentry times:\n'
  grep -h '^     (took' "$logs_dir"/worker-*.log || true
  return "$rc"
}
# Snapshots: a mismatch fails without writing a pending `.snap.new` (INSTA_UPDATE=no), and every
# snapshot a test asserts is recorded, so the files no test uses any more can be found.
export INSTA_UPDATE=no
export INSTA_SNAPSHOT_REFERENCES_FILE="$logs_dir/snapshot-references"
# Fails on pending snapshots (`.snap.new`, `.pending-snap`) and on `.snap` files no test
# asserted in this run (left behind by a renamed or deleted test).
check_snapshots() {
  local pending unreferenced="" snap
  pending="$(find src tests \( -name '*.snap.new' -o -name '*.pending-snap' \) | sort)"
  while read -r snap; do
    [[ -n "$snap" ]] || continue
    grep -qxF -- "$repo/$snap" "$INSTA_SNAPSHOT_REFERENCES_FILE" 2>/dev/null || unreferenced+="  $snap"$'\n'
  done < <(find src tests -name '*.snap' | sort)
  if [[ -n "$pending" ]]; then
    printf 'pending snapshots (review, then accept or delete them):\n%s\n' "$pending"
  fi
  if [[ -n "$unreferenced" ]]; then
    printf 'snapshots no test asserts (delete them, or restore their test):\n%s' "$unreferenced"
  fi
  [[ -z "$pending" && -z "$unreferenced" ]] && echo "every snapshot is asserted; none pending"
}
step build cargo test --no-run
step test run_tests
step snaps check_snapshots
