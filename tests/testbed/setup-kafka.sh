#!/usr/bin/env bash
# Lays out what the Kafka part of the test bed needs; idempotent and quick when nothing changed.
#
# * Debian packages for building rdkafka with ssl/zstd and for making the test CA (openssl),
#   installed only when one is missing.
# * The Apache Kafka jars listed in pom.xml (broker, KRaft storage tool, CLI tools,
#   log4j2), copied into $TESTBED_DIR/kafka-libs, and MirrorMaker 2's class path into
#   $TESTBED_DIR/mirrormaker-libs. Maven's local repository (~/.m2) is the download cache; a
#   stamp file keyed on the hash of pom.xml skips the copy when the jars already match.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
TESTBED_DIR="${TESTBED_DIR:-${DM_TESTBED_DIR:-$repo/target/testbed}}"

log() { printf 'setup-kafka: %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------------------------
missing=()
for pkg in libssl-dev pkg-config zlib1g-dev openssl; do
  if ! dpkg -s "$pkg" >/dev/null 2>&1; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}"
else
  log "Debian packages present (libssl-dev pkg-config zlib1g-dev openssl)"
fi

for tool in java mvn; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    log "error: '$tool' not found; the test bed needs a JDK 17+ and Maven 3" >&2
    exit 1
  fi
done

# --- Kafka jars ------------------------------------------------------------------------------
# copy_jars <folder> [maven args...]: lays the runtime class path of pom.xml into <folder>
# unless its stamp says it already matches this pom.xml.
want="$(sha256sum "$here/pom.xml" | cut -d' ' -f1)"
copy_jars() {
  local libs="$1"
  shift
  local stamp="$libs/.pom-sha256"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] && compgen -G "$libs/kafka-clients-*.jar" >/dev/null; then
    log "jars up to date in $libs ($(find "$libs" -name '*.jar' | wc -l) jars)"
    return
  fi
  log "copying jars into $libs ${*:+($*) }(Maven cache: ~/.m2)"
  local started=$SECONDS
  local tmp="$libs.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  mvn -q -B -Dstyle.color=never -f "$here/pom.xml" "$@" dependency:copy-dependencies \
    -DoutputDirectory="$tmp" -DincludeScope=runtime 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
  printf '%s\n' "$want" >"$tmp/.pom-sha256"
  rm -rf "$libs"
  mv "$tmp" "$libs"
  log "copied $(find "$libs" -name '*.jar' | wc -l) jars in $((SECONDS - started))s"
}

# Broker, storage tool and CLI tools.
copy_jars "$TESTBED_DIR/kafka-libs"
# MirrorMaker 2 (see mirror.version in pom.xml for why it has its own class path).
copy_jars "$TESTBED_DIR/mirrormaker-libs" -Pmirrormaker
mkdir -p "$TESTBED_DIR/pids"
