#!/usr/bin/env bash
# Benchmark of `discover` against the seed's approach (the five Kafka CLI commands of
# source-kafka-discovery.sh, run sequentially from the same Kafka jars).
#
#   benches/discover.sh [TOPICS PARTITIONS GROUPS]     (default 2000 5 1000)
#   RUNS=3 benches/discover.sh                          (time each command 3 times)
#   BENCH_HOLD=600 benches/discover.sh                  (keep the filled cluster 600 s first)
#
# Starts a KRaft cluster of BROKERS brokers (default 3, as in production: replication factor 3,
# min.insync.replicas 2; PLAINTEXT, loopback) from target/testbed/kafka-libs
# (run tests/testbed/setup-kafka.sh first), fills it with examples/bench_populate.rs, then
# measures wall time and peak memory (RSS, /usr/bin/time) of both, and counts the requests
# `discover` sends, by type: librdkafka's protocol debug log, and the `wire: sent` debug lines of
# the own connections (DescribeLogDirs and the batched group requests). Prints Markdown tables
# for BENCHMARKS.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
topics=${1:-2000}
partitions=${2:-5}
groups=${3:-1000}
runs=${RUNS:-1}
libs="$repo/target/testbed/kafka-libs"
work="$(mktemp -d "${TMPDIR:-/tmp}/discover-bench.XXXXXX")"
brokers=${BROKERS:-3}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
declare -a ports cports
voters=""
for i in $(seq "$brokers"); do
  ports[i]=$(free_port)
  cports[i]=$(free_port)
  voters="${voters:+$voters,}$i@127.0.0.1:${cports[i]}"
done
bootstrap=""
for i in $(seq "$brokers"); do bootstrap="${bootstrap:+$bootstrap,}127.0.0.1:${ports[i]}"; done
replication=$((brokers < 3 ? brokers : 3))
min_isr=$((brokers < 2 ? brokers : 2))

pids=()
stop() {
  local pid
  for pid in "${pids[@]}"; do kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap stop EXIT
for i in $(seq "$brokers"); do
  cat >"$work/server-$i.properties" <<P
process.roles=broker,controller
node.id=$i
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:${ports[i]},CONTROLLER://127.0.0.1:${cports[i]}
advertised.listeners=PLAINTEXT://127.0.0.1:${ports[i]}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$work/data-$i
default.replication.factor=$replication
min.insync.replicas=$min_isr
offsets.topic.replication.factor=$replication
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=$replication
transaction.state.log.min.isr=$min_isr
group.initial.rebalance.delay.ms=0
P
  java -Xmx128m -cp "$libs/*" kafka.tools.StorageTool format --cluster-id=q1Sh-9_ISia_zwGINzRvyQ \
    -c "$work/server-$i.properties" >/dev/null
  setsid java -Xmx3g -XX:+UseSerialGC -cp "$libs/*" kafka.Kafka "$work/server-$i.properties" \
    >"$work/broker-$i.log" 2>&1 &
  pids+=($!)
done
for i in $(seq "$brokers"); do
  for _ in $(seq 120); do
    (exec 3<>"/dev/tcp/127.0.0.1/${ports[i]}") 2>/dev/null && break
    sleep 1
  done
done
sleep 5 # every broker registered with the quorum

cargo build -q --release --example bench_populate --bin diskless-migrator
started=$SECONDS
"$repo/target/release/examples/bench_populate" "$bootstrap" "$topics" "$partitions" "$groups"
echo "populated in $((SECONDS - started)) s" >&2
# BENCH_HOLD=SECONDS keeps the filled cluster for that long before measuring (to profile by hand).
if [[ -n "${BENCH_HOLD:-}" ]]; then
  echo "holding the cluster at $bootstrap for $BENCH_HOLD s" >&2
  sleep "$BENCH_HOLD"
fi

measure() { # name command...
  local name=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err"
  read -r secs kb <"$work/$name.time"
  printf '| %s | %s s | %s MiB |\n' "$name" "$secs" "$((kb / 1024))"
}

# Warm-up, untimed: one run of each, so that neither measured command meets a broker that was
# just filled (its first DescribeConfigs of every topic is slow, whoever sends it).
"$repo/target/release/diskless-migrator" -q discover --bootstrap-server "$bootstrap" --out "$work/warm" >/dev/null
"$here/seed-discovery.sh" "$bootstrap" "$work/warm-seed" >/dev/null 2>&1

echo "| run | wall time | peak RSS |"
echo "|---|---|---|"
for _ in $(seq "$runs"); do
  measure discover "$repo/target/release/diskless-migrator" discover --bootstrap-server "$bootstrap" --out "$work/live"
  measure seed-scripts "$here/seed-discovery.sh" "$bootstrap" "$work/seed"
done
# A second run, with librdkafka's protocol log, only to count requests.
DISKLESS_MIGRATOR_RDKAFKA_DEBUG=protocol "$repo/target/release/diskless-migrator" -v discover \
  --bootstrap-server "$bootstrap" --out "$work/counted" 2>"$work/counted.err" >/dev/null
echo
echo "Requests sent by discover (by type):"
echo
grep -oE 'Sent [A-Za-z]+Request' "$work/counted.err" | sed 's/Request$//' | sort | uniq -c | sort -rn |
  awk '{printf "- %s (librdkafka): %s\n", $3, $1}'
grep -oE 'wire: sent [A-Za-z]+ v[0-9]+' "$work/counted.err" | sort | uniq -c | sort -rn |
  awk '{printf "- %s %s (own connection): %s\n", $4, $5, $1}'
python3 - "$work/live/inventory.json" <<'PY'
import json, sys
inv = json.load(open(sys.argv[1]))
parts = sum(len(t["partitions"]) for t in inv["topics"])
offsets = sum(1 for g in inv["consumer_groups"] if g.get("offsets"))
print(f"\nInventory: {len(inv['topics'])} topics, {parts} partitions, "
      f"{len(inv['consumer_groups'])} groups ({offsets} with committed offsets), "
      f"{len(inv['brokers'])} broker(s)")
PY
