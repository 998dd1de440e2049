#!/usr/bin/env bash
# Benchmark of `diskless-migrator plan` on a synthetic inventory.
#
# Usage: benches/plan.sh [TOPICS] [PARTITIONS]   (default 50000 topics x 10 partitions)
# Builds release, generates the inventory with examples/synthetic_inventory.rs, then runs
# `plan` (topic list + settings from examples/) under /usr/bin/time -v, three times, and
# prints wall time and peak memory of each run (the cost model is on: the synthetic inventory
# is sampled). Then one run with `--suggest 100`, and `report` on the plan (time, peak memory
# and the size of report.html). Needs GNU time (/usr/bin/time).
set -euo pipefail

topics=${1:-50000}
partitions=${2:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$root"
cargo build --release --quiet --bin diskless-migrator --example synthetic_inventory
target/release/examples/synthetic_inventory "$work" "$topics" "$partitions"
echo "inventory: $topics topics x $partitions partitions, $(du -h "$work/inventory.json" | cut -f1) of JSON"

for run in 1 2 3; do
  /usr/bin/time -v target/release/diskless-migrator --quiet plan \
    --inventory "$work/inventory.json" \
    --settings examples/migration.hcl \
    --topics "$work/topics.txt" \
    --out "$work/out" >/dev/null 2>"$work/time.txt" || { cat "$work/time.txt"; exit 1; }
  wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
  user=$(grep 'User time' "$work/time.txt" | awk '{print $NF}')
  sys=$(grep 'System time' "$work/time.txt" | awk '{print $NF}')
  echo "run $run: wall ${wall}, CPU ${user} user + ${sys} sys, peak RSS $((rss / 1024)) MiB"
done
echo "plan.json: $(du -h "$work/out/plan.json" | cut -f1)"
echo "cost totals: $(sed -n '/"totals": {/,/}/p' "$work/out/plan.json" | tr -d ' \n')"

measure() {
  local what=$1; shift
  /usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt" || { cat "$work/time.txt"; exit 1; }
  wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
  echo "$what: wall ${wall}, peak RSS $((rss / 1024)) MiB"
}
measure "plan --suggest 100" target/release/diskless-migrator --quiet plan \
  --inventory "$work/inventory.json" --settings examples/migration.hcl \
  --topics "$work/topics.txt" --out "$work/out" --suggest 100
echo "suggested_topics.txt: $(grep -vc '^#' "$work/out/suggested_topics.txt") topics, first: $(grep -v '^#' "$work/out/suggested_topics.txt" | head -1)"
measure "report" target/release/diskless-migrator --quiet report \
  --plan "$work/out/plan.json" --out "$work/out/report.html"
echo "report.html: $(stat -c %s "$work/out/report.html") bytes"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
