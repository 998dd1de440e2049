#!/usr/bin/env bash
# The cutover window on the test bed: one flow of BENCH_PARTITIONS partitions (default 2000),
# BENCH_RECORDS records each (default 20), BENCH_GROUPS groups (default 50) committed at the
# log end. For MirrorMaker 2 with one task, then sized as `plan` sizes it (BENCH_CPUS, default
# 2), each on fresh single-broker clusters: discover, plan, generate, MirrorMaker 2 on the
# generated mm2.properties, produce, stop, commit; then the time until
# `inspect --until-ok` opens the gate, next to the plan's estimate (each must be within 2x).
# BENCH_FLUSH_MS (default 3000) is the worker's offset.flush.interval.ms, set through the
# settings so the plan's estimate uses the same value; BENCH_CASE="one task" or "as planned"
# runs one case. Prints a Markdown table for BENCHMARKS.md. Needs the test bed
# (tests/testbed/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/testbed/setup-kafka.sh >&2
exec cargo test --test it cutover_bench:: -- --ignored --nocapture --test-threads=1
