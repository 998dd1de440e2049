#!/usr/bin/env bash
# How the time of two bad-input paths grows with the input: `inspect --mm2-config` on an
# mm2.properties of N lines whose last line is wrong, and `plan --topics` with N names missing
# from the inventory. Both once took seconds to minutes (a quadratic reader, a near-match search
# per name); the tests `inspect_cli::eighty_thousand_properties_lines_are_read_quickly` and
# `plan_cli::two_hundred_thousand_missing_topics_are_reported_quickly` check the answers, this
# script the time. Each size doubles the last: linear code doubles its time, quadratic code
# quadruples it. Release build, best of BENCH_RUNS (default 3) runs, GNU time.
#
# Usage: benches/big_inputs.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
bin="$target/release/diskless-migrator"
runs=${BENCH_RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
cargo build --release --quiet --bin diskless-migrator

# Best wall and CPU (user + sys) seconds of $runs runs of "$@" (expected exit code 2).
best() {
  local wall cpu best_wall="" best_cpu=""
  for _ in $(seq 1 "$runs"); do
    /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" >/dev/null 2>&1 && {
      echo "expected exit 2 from: $*" >&2
      exit 1
    }
    read -r wall user sys < <(tail -n 1 "$work/time")
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    if [[ -z "$best_wall" ]] || awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
      best_wall=$wall best_cpu=$cpu
    fi
  done
  echo "$best_wall $best_cpu"
}

echo "| input | size | wall (best of $runs) | CPU |"
echo "|---|---:|---:|---:|"
for lines in 20000 40000 80000 160000; do
  file="$work/mm2-$lines.properties"
  {
    echo "clusters=a,b"
    seq 0 $((lines - 1)) | awk '{ print "key." $1 "=value-" $1 }'
    echo "a->b.enabled=true"
    echo "a->b.groups=(?!x).*"
  } >"$file"
  read -r wall cpu < <(best "$bin" --color never inspect --mm2-config "$file")
  echo "| \`inspect --mm2-config\`, last line wrong | $lines lines | ${wall} s | ${cpu} s |"
done
for names in 50000 100000 200000 400000; do
  list="$work/topics-$names.txt"
  seq 0 $((names - 1)) | awk '{ print "missing-topic-" $1 }' >"$list"
  read -r wall cpu < <(best "$bin" --color never plan --inventory examples/inventory.json \
    --settings examples/migration.hcl --topics "$list" --out "$work/out")
  echo "| \`plan --topics\`, names not in the inventory | $names names | ${wall} s | ${cpu} s |"
done
