#!/usr/bin/env bash
# The seed's discovery (source-kafka-discovery.sh) as the Kafka CLI tools run it, from the
# test bed's Kafka jars: the same five commands, sequentially, writing the same files.
#
#   benches/seed-discovery.sh BOOTSTRAP OUT_DIR [COMMAND_CONFIG]
#
# KAFKA_LIBS (default target/testbed/kafka-libs) names the jar folder; TOOL_HEAP the JVM heap.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bootstrap=$1
out=$2
config=${3:-}
libs="${KAFKA_LIBS:-$here/../target/testbed/kafka-libs}"
heap="${TOOL_HEAP:-256m}"
extra=()
[[ -n "$config" ]] && extra=(--command-config "$config")
mkdir -p "$out"

tool() {
  local cls=$1
  shift
  java "-Xmx$heap" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dlog4j2.level=error \
    -cp "$libs/*" "$cls" "$@"
}

tool org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server "$bootstrap" \
  "${extra[@]}" --describe --all-groups >"$out/consumer_groups_source.txt"
tool org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server "$bootstrap" \
  "${extra[@]}" --describe --all-groups --state >"$out/consumer_groups_state_source.txt"
tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" \
  "${extra[@]}" --describe >"$out/topics_list_source.txt"
tool org.apache.kafka.tools.ConfigCommand --bootstrap-server "$bootstrap" \
  "${extra[@]}" --describe --entity-type brokers --all >"$out/kafka_broker_configs.txt"
tool org.apache.kafka.tools.LogDirsCommand --bootstrap-server "$bootstrap" \
  "${extra[@]}" --describe >"$out/topics_offsets_source.json"
tool org.apache.kafka.tools.TopicCommand --version >"$out/kafka_version.txt"
