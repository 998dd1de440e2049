#!/usr/bin/env bash
# Benchmark of access planning and rendering: `plan` and `generate` at 50,000 topics with
# 10,000 ACL bindings over 2,000 principals (SCRAM users, quotas on every tenth), side by side
# with the same inventory without bindings, principals or quotas (the baseline), in the same
# run so both see the same machine load.
#
# Usage: benches/access.sh [TOPICS] [PARTITIONS] [ACLS] [PRINCIPALS]
#        (default 50000 topics x 10 partitions, 10000 bindings, 2000 principals)
# Builds release, writes both inventories with examples/synthetic_inventory.rs, then runs plan
# and generate three times each on both under /usr/bin/time -v. Needs GNU time.
set -euo pipefail

topics=${1:-50000}
partitions=${2:-10}
acls=${3:-10000}
principals=${4:-2000}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$root"
cargo build --release --quiet --bin diskless-migrator --example synthetic_inventory
bin="${CARGO_TARGET_DIR:-$root/target}/release/diskless-migrator"
"${CARGO_TARGET_DIR:-$root/target}/release/examples/synthetic_inventory" "$work/base" "$topics" "$partitions"
"${CARGO_TARGET_DIR:-$root/target}/release/examples/synthetic_inventory" "$work/access" "$topics" "$partitions" "$acls" "$principals"
echo "inventories: $topics topics x $partitions partitions; baseline $(du -h "$work/base/inventory.json" | cut -f1), with $acls bindings and $principals principals $(du -h "$work/access/inventory.json" | cut -f1)"

measure() {
  local what=$1; shift
  /usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt" || { cat "$work/time.txt"; exit 1; }
  wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
  user=$(grep 'User time' "$work/time.txt" | awk '{print $NF}')
  sys=$(grep 'System time' "$work/time.txt" | awk '{print $NF}')
  echo "$what: wall ${wall}, CPU ${user} user + ${sys} sys, peak RSS $((rss / 1024)) MiB"
}
for run in 1 2 3; do
  for kind in base access; do
    measure "run $run plan $kind" "$bin" --quiet plan --inventory "$work/$kind/inventory.json" \
      --settings examples/migration.hcl --topics "$work/$kind/topics.txt" --out "$work/$kind/out"
  done
done
python3 - "$work/access/out/plan.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))["access"]
print(f"access: {len(a['users'])} users, {len(a['acls'])} bindings kept, {len(a['dropped_acls'])} dropped, "
      f"{len(a['quotas'])} quotas, {len(a['clients'])} client files, "
      f"{sum(len(g['resource_names']) for g in a['source_grants']['grants'])} source grant resources")
PY
for run in 1 2 3; do
  for kind in base access; do
    measure "run $run generate $kind" "$bin" --quiet generate --plan "$work/$kind/out/plan.json" --out "$work/$kind/gen"
  done
done
echo "access.tf: $(stat -c %s "$work/access/gen/destination/access.tf") bytes, source-grants.sh: $(stat -c %s "$work/access/gen/source-grants.sh") bytes, $(ls "$work/access/gen/clients" | wc -l) client files"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
