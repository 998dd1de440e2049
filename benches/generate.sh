#!/usr/bin/env bash
# Benchmark of `diskless-migrator generate` on a synthetic plan (default 50,000 topics in
# 8 flows): wall time and peak memory of generate, then `terraform init` and
# `terraform validate` of both generated roots with the real Aiven provider v4.61.0 (runs
# tests/testbed/setup-terraform.sh first, which says where the provider came from).
#
# Usage: benches/generate.sh [TOPICS] [FLOWS]     (results for BENCHMARKS.md "## generate")
#   BENCH_PROFILE=debug   use a debug build (the Terraform figures do not depend on it)
#   BENCH_SKIP_TERRAFORM=1  only generate
set -euo pipefail
TOPICS="${1:-50000}"
FLOWS="${2:-8}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${BENCH_DIR:-$REPO/target/bench-generate}"
PY="${DM_TF_PYTHON:-${DM_CACHE_DIR:-$HOME/.cache/diskless-migrator}/venv/bin/python}"
export TESTBED_DIR="${TESTBED_DIR:-$REPO/target/testbed}"
PROFILE="${BENCH_PROFILE:-release}"
rm -rf "$WORK" && mkdir -p "$WORK"

if [[ "$PROFILE" == "release" ]]; then
  cargo build --release --quiet --manifest-path "$REPO/Cargo.toml"
  BIN="${CARGO_TARGET_DIR:-$REPO/target}/release/diskless-migrator"
else
  cargo build --quiet --manifest-path "$REPO/Cargo.toml"
  BIN="${CARGO_TARGET_DIR:-$REPO/target}/debug/diskless-migrator"
fi
echo "binary: $PROFILE build"

python3 - "$TOPICS" "$FLOWS" > "$WORK/plan.json" <<'PY'
import json, sys
n, flows = int(sys.argv[1]), int(sys.argv[2])
topics, fl = [], {}
for i in range(n):
    name = f"app.events-{i:06d}"
    diskless = i % 10 != 9
    flow = f"flow-{i % flows + 1:02d}"
    cfg = {"retention_ms": "604800000"}
    if diskless:
        cfg["diskless_enable"] = True
    topics.append({"name": name, "decision": "diskless" if diskless else "classic", "reason": "bench",
                   "partitions": 1 + i % 12, "replication": 1 if diskless else 3, "config": cfg,
                   "dropped_configs": [], "flow": flow, "size_bytes": 1000000, "bytes_per_second": None})
    f = fl.setdefault(flow, {"name": flow, "source_alias": f"source-{len(fl) + 1:02d}", "target_alias": "destination",
                             "topics": [], "topic_regexes": [], "partitions": 0, "size_bytes": 0,
                             "bytes_per_second": None, "estimated_copy_seconds": 3600})
    f["topics"].append(name)
    f["topic_regexes"].append("^" + name.replace(".", "\\.").replace("-", "\\-") + "$")
    f["partitions"] += 1 + i % 12
    f["size_bytes"] += 1000000
plan = {
  "schema_version": 1, "tool": "bench", "inventory": {"cluster_id": None, "collected_at": "2026-11-01T00:00:00Z"},
  "settings": {"project": "bench-project", "cloud": "google-europe-west1",
    "destination": {"service_name": "bench-diskless", "plan": "business-8-inkless", "kafka_version": "4.1", "cluster_alias": "destination"},
    "mirrormaker": {"service_name": "bench-mm2", "plan": "business-8"},
    "source": {"bootstrap_servers": "kafka:9092", "security_protocol": "SASL_SSL", "sasl_mechanism": "SCRAM-SHA-512",
               "ssl_endpoint_identification_algorithm": "https"},
    "observability": {"grafana_service_name": "bench-grafana", "grafana_plan": "startup-1",
                      "thanos_service_name": "bench-thanos", "thanos_plan": "startup-4"},
    "terraform_cloud": None},
  "topics": topics, "flows": [fl[k] for k in sorted(fl)],
  "mirrormaker": {"balanced_by": "partitions", "tasks_max_per_cpu": 2, "tasks_max": 64, "expected_bytes_per_second_per_flow": 50000000},
  "diagnostics": [],
}
json.dump(plan, sys.stdout)
PY
echo "plan: $TOPICS topics, $FLOWS flows, $(du -h "$WORK/plan.json" | cut -f1)"

for run in 1 2 3; do
  rm -rf "$WORK/out"
  /usr/bin/time -f "generate run $run: %e s wall, %M KiB peak RSS" \
    "$BIN" --quiet generate --plan "$WORK/plan.json" --out "$WORK/out" > /dev/null
done
echo "output: $(du -sh "$WORK/out" | cut -f1), $(find "$WORK/out" -type f | wc -l) files"
/usr/bin/time -f "generate --check: %e s wall, %M KiB peak RSS" \
  "$BIN" --quiet generate --check --plan "$WORK/plan.json" --out "$WORK/out" > /dev/null

if [[ "${BENCH_SKIP_TERRAFORM:-0}" == "1" ]]; then
  echo "terraform: skipped (BENCH_SKIP_TERRAFORM=1)"
  exit 0
fi
bash "$REPO/tests/testbed/setup-terraform.sh" | grep 'done:'
echo "provider: $(cat "$TESTBED_DIR/aiven-provider")"
for root in destination migration; do
  /usr/bin/time -f "terraform init $root: %e s wall, %M KiB peak RSS" \
    "$PY" "$REPO/tests/testbed/terraform.py" init "$WORK/out/$root" > "$WORK/init-$root.log"
  grep -q "Installed aiven/aiven v4.61.0\|Using aiven/aiven v4.61.0" "$WORK/init-$root.log" \
    || { echo "terraform init $root did not install aiven/aiven v4.61.0" >&2; exit 1; }
  /usr/bin/time -f "terraform validate $root: %e s wall, %M KiB peak RSS" \
    "$PY" "$REPO/tests/testbed/terraform.py" validate "$WORK/out/$root" > "$WORK/validate-$root.log"
  grep -q "The configuration is valid" "$WORK/validate-$root.log"
done
