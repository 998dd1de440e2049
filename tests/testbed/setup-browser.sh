#!/usr/bin/env bash
# Installs headless Chromium for the HTML report test (tests/it/report_browser.rs), from the
# Debian package `chromium`. Idempotent: does nothing when a Chromium is already on PATH (or
# DM_CHROMIUM points at one). Needs root (or sudo) and the distribution's package mirror.
set -euo pipefail

for candidate in "${DM_CHROMIUM:-}" chromium chromium-browser; do
  if [[ -n "$candidate" ]] && command -v "$candidate" >/dev/null 2>&1; then
    echo "chromium: $(command -v "$candidate") ($("$candidate" --version 2>/dev/null || echo 'version unknown'))"
    exit 0
  fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium is missing and apt-get is not available: install Chromium and put it on PATH (or set DM_CHROMIUM)" >&2
  exit 1
fi
as_root=()
if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "chromium is missing; installing it needs root: run this script as root" >&2
    exit 1
  fi
fi
echo "installing chromium (Debian package)"
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "chromium: $(command -v chromium) ($(chromium --version 2>/dev/null || echo 'version unknown'))"
