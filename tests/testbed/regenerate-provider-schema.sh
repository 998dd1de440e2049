#!/usr/bin/env bash
# Regenerates tests/fixtures/aiven-provider-schema.json from the real aiven/aiven provider:
# `terraform providers schema -json` of the provider the test bed installs, cut to the
# resources and data sources the project generates or ships in modules/, so the schema walk of
# generated HCL (tests/it/generate_schema.rs) runs without Terraform or Go.
# tests/it/testbed_terraform.rs checks on every run that the installed provider still prints it.
#
# Usage: bash tests/testbed/regenerate-provider-schema.sh   (runs setup-terraform.sh first)
set -euo pipefail

# The types the generator emits (src/generate/) and the modules use (modules/).
RESOURCES="aiven_kafka aiven_kafka_topic aiven_kafka_mirrormaker aiven_mirrormaker_replication_flow
  aiven_service_integration aiven_service_integration_endpoint aiven_grafana aiven_thanos
  aiven_kafka_user aiven_kafka_native_acl aiven_kafka_quota"
DATA_SOURCES="aiven_kafka"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TESTBED_DIR="${TESTBED_DIR:-$REPO_ROOT/target/testbed}"
export TESTBED_DIR
PYTHON="${DM_TF_PYTHON:-${DM_CACHE_DIR:-$HOME/.cache/diskless-migrator}/venv/bin/python}"
FIXTURE="$REPO_ROOT/tests/fixtures/aiven-provider-schema.json"

bash "$REPO_ROOT/tests/testbed/setup-terraform.sh"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/main.tf" <<'TF'
terraform {
  required_providers {
    aiven = {
      source  = "aiven/aiven"
      version = "4.61.0"
    }
  }
}
TF
"$PYTHON" "$REPO_ROOT/tests/testbed/terraform.py" init "$work" >/dev/null
"$PYTHON" "$REPO_ROOT/tests/testbed/terraform.py" schema "$work" >"$work/schema.json"

"$PYTHON" - "$work/schema.json" "$FIXTURE.tmp" "$RESOURCES" "$DATA_SOURCES" <<'PY'
import json
import sys

source, target, resources, data_sources = sys.argv[1:5]
schema = json.load(open(source))
provider = schema["provider_schemas"]["registry.terraform.io/aiven/aiven"]
cut = {"provider": provider["provider"]}
for kind, names in (("resource_schemas", resources), ("data_source_schemas", data_sources)):
    missing = [n for n in names.split() if n not in provider[kind]]
    if missing:
        sys.exit(f"the provider has no {kind} {missing}")
    cut[kind] = {n: provider[kind][n] for n in sorted(names.split())}
out = {
    "format_version": schema["format_version"],
    "provider_schemas": {"registry.terraform.io/aiven/aiven": cut},
}
with open(target, "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
    f.write("\n")
PY
mv "$FIXTURE.tmp" "$FIXTURE"
echo "regenerate-provider-schema: wrote $FIXTURE ($(wc -c <"$FIXTURE") bytes)"
