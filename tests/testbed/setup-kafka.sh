#!/usr/bin/env bash
# Lays out what the Kafka part of the test bed needs; idempotent and quick when nothing changed.
#
# * Debian packages for building rdkafka with ssl/zstd and for making the test CA (openssl),
#   installed only when one is missing.
# * The Apache Kafka jars listed in pom.xml (broker, KRaft storage tool, CLI tools,
#   log4j2), copied into $TESTBED_DIR/kafka-libs, and MirrorMaker 2's class path into
#   $TESTBED_DIR/mirrormaker-libs. Maven's local repository (~/.m2) is the download cache. The
#   jar folders and the broker's class data archive are kept once per pom.xml in the project's
#   cache folder ($DM_CACHE_DIR, default ~/.cache/diskless-migrator), and $TESTBED_DIR links to
#   them, so a fresh clone copies nothing: a class data archive only matches the class path it
#   was dumped with, so that path must be the same for every clone.
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
cache="${DM_CACHE_DIR:-$HOME/.cache/diskless-migrator}/kafka-jars/${want:0:16}"
mkdir -p "$cache" "$TESTBED_DIR"
# link <name>: makes $TESTBED_DIR/<name> a link to the cached folder of that name.
link() {
  local from="$TESTBED_DIR/$1" to="$cache/$1"
  if [[ "$(readlink "$from" 2>/dev/null)" != "$to" ]]; then
    rm -rf "$from"
    ln -s "$to" "$from"
  fi
}
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
copy_jars "$cache/kafka-libs"
link kafka-libs
# MirrorMaker 2 (see mirror.version in pom.xml for why it has its own class path).
copy_jars "$cache/mirrormaker-libs" -Pmirrormaker
link mirrormaker-libs
mkdir -p "$TESTBED_DIR/pids"

# --- Class data sharing archive for the broker JVM -----------------------------------------------
# A dynamic CDS archive, dumped from one broker run, halves the start of every later broker
# and storage tool JVM (about 12 s -> 6 s per cluster on 2 cores). The tests use it when it is
# there (JVMs ignore an archive that does not match); failing to make it only costs speed.
cds="$cache/cds/kafka.jsa"
cds_key="$want $(java -version 2>&1 | tr -d '\n') $cache/kafka-libs"
mkdir -p "$cache/cds"
link cds
if [[ -f "$cds" && "$(cat "$cds.key" 2>/dev/null)" == "$cds_key" ]]; then
  log "broker class data archive up to date ($cds)"
else
  log "dumping the broker class data archive (once; speeds up every test cluster)"
  started=$SECONDS
  work="$(mktemp -d "$cache/cds-work.XXXXXX")"
  free_port() {
    local port
    while :; do
      port=$(shuf -i 20000-59999 -n 1)
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "$port"
        return
      fi
    done
  }
  broker_port=$(free_port)
  controller_port=$(free_port)
  cat >"$work/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:$broker_port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$broker_port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL,MTLS:SSL
log.dirs=$work/data
offsets.topic.replication.factor=1
PROPS
  cat >"$work/log4j2.properties" <<PROPS
appender.file.type = File
appender.file.name = file
appender.file.fileName = $work/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
PROPS
  jvm=(java -Xms32m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xss512k
    -Djava.awt.headless=true "-Dlog4j2.configurationFile=$work/log4j2.properties"
    -cp "$cache/kafka-libs/*")
  mkdir -p "$(dirname "$cds")"
  if "${jvm[@]}" kafka.tools.StorageTool format --cluster-id q1w2e3r4t5y6u7i8o9p0aQ \
    --config "$work/server.properties" --standalone >"$work/format.out" 2>&1; then
    "${jvm[@]}" "-XX:ArchiveClassesAtExit=$work/kafka.jsa" kafka.Kafka \
      "$work/server.properties" >"$work/broker.out" 2>&1 &
    broker=$!
    for _ in $(seq 1 600); do
      grep -q "Kafka Server started" "$work/server.log" 2>/dev/null && break
      kill -0 "$broker" 2>/dev/null || break
      sleep 0.2
    done
    kill -TERM "$broker" 2>/dev/null || true
    for _ in $(seq 1 600); do kill -0 "$broker" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$broker" 2>/dev/null || true
    wait "$broker" 2>/dev/null || true
  fi
  if [[ -s "$work/kafka.jsa" ]]; then
    mv "$work/kafka.jsa" "$cds"
    printf '%s\n' "$cds_key" >"$cds.key"
    log "dumped $cds ($(du -h "$cds" | cut -f1)) in $((SECONDS - started))s"
  else
    rm -f "$cds" "$cds.key"
    log "warning: no class data archive made (see $work); the tests run without it, only slower"
    work=""
  fi
  [[ -n "$work" ]] && rm -rf "$work"
fi
