#!/usr/bin/env bash
# MirrorMaker 2 copy throughput on the test bed: the same seeded source (the e2e test's 54
# topics, DM_BENCH_RECORDS_PER_TOPIC records of about DM_BENCH_VALUE_BYTES bytes each, default
# 2000 x 256), copied once with the generated mm2.properties and once with the seed's reference
# settings (benches/seed-reference-mm2.properties), each into a fresh destination cluster whose
# topics are created from destination/topics.tf. Both runs get the same test-bed lines
# (replication factor 1, short refresh intervals, plugin discovery by manifests).
# Prints the stage times and a Markdown table for BENCHMARKS.md. Needs the test bed
# (tests/testbed/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/testbed/setup-kafka.sh >&2
exec cargo test --test it e2e_migration::mm2_throughput_generated_vs_seed -- --ignored --nocapture --test-threads=1
