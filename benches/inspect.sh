#!/usr/bin/env bash
# Benchmark of `diskless-migrator inspect` on the test bed: two KRaft clusters, real
# MirrorMaker 2, BENCH_GROUPS groups (default 500) x BENCH_PARTITIONS partitions (default 20),
# compared with `kafka-consumer-groups.sh --describe --all-groups` run on both clusters.
# Prints a Markdown table for BENCHMARKS.md. Needs the test bed (tests/testbed/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/testbed/setup-kafka.sh >&2
profile="${BENCH_PROFILE:-release}"
args=()
[[ "$profile" == "release" ]] && args+=(--release)
exec cargo test "${args[@]}" --test it inspect_bench:: -- --ignored --nocapture --test-threads=1
