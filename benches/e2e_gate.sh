#!/usr/bin/env bash
# The e2e migration test, E2E_RUNS times in a row (default 10): each run rehearses the cutover
# and asserts that the gate decided within twice the plan's estimate after the copy caught up.
# Prints per run its result, wall time and the gate's wait next to the estimate; stops at the
# first failure (its log is kept). Needs the test bed (tests/testbed/setup.sh); run it on an
# idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/testbed/setup-kafka.sh >&2
export DM_REQUIRE_TESTBED=1
runs="${E2E_RUNS:-10}"
logs="$(mktemp -d "${TMPDIR:-/tmp}/e2e-gate.XXXXXX")"
cargo test --test it --no-run >&2
echo "| run | result | wall | gate decided after the copy caught up | plan's estimate |"
echo "|---:|---|---:|---:|---:|"
for run in $(seq 1 "$runs"); do
  log="$logs/run-$run.log"
  started=$SECONDS
  if cargo test -q --test it e2e_migration:: -- --nocapture >"$log" 2>&1; then result=ok; else result=FAILED; fi
  line="$(grep -o 'the gate decided [0-9.]* s after the copy caught up; the plan expects [0-9]* s' "$log" || true)"
  waited="$(sed -n 's/the gate decided \([0-9.]*\) s.*/\1/p' <<<"$line")"
  expected="$(sed -n 's/.*the plan expects \([0-9]*\) s/\1/p' <<<"$line")"
  echo "| $run | $result | $((SECONDS - started)) s | ${waited:--} s | ${expected:--} s |"
  if [[ "$result" != ok ]]; then
    echo "run $run failed; its log: $log" >&2
    exit 1
  fi
  rm -f "$log"
done
rmdir "$logs"
