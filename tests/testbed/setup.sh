#!/usr/bin/env bash
# Installs everything the test bed needs (Kafka + MirrorMaker 2, Terraform when its script
# exists, and headless Chromium for the HTML report test). Safe to run again: each part
# skips what is already in place.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/setup-kafka.sh"
if [[ -f "$here/setup-terraform.sh" ]]; then
  bash "$here/setup-terraform.sh"
fi
bash "$here/setup-browser.sh"
