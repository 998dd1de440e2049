#!/usr/bin/env bash
# What the test bed costs in CPU: a three-broker cluster's start and 30 s of idling, then
# MirrorMaker 2 between two clusters (its start and 30 s of running). BENCH_RUNS (default 3)
# repetitions. COST_BROKER_PROPERTIES=key=value,... and COST_MM2_PROPERTIES=... add properties to
# compare settings (for example COST_BROKER_PROPERTIES=metadata.max.idle.interval.ms=500, the
# broker default). Prints Markdown table rows for BENCHMARKS.md. Needs the test bed
# (tests/testbed/setup.sh); run it on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/testbed/setup-kafka.sh >&2
export DM_REQUIRE_TESTBED=1
cargo test --test it --no-run >&2
for _ in $(seq 1 "${BENCH_RUNS:-3}"); do
  cargo test -q --test it testbed_cost:: -- --ignored --nocapture --test-threads=1 2>/dev/null | grep -o '| .*|$'
done
