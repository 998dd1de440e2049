# Topics of an Aiven for Apache Kafka service, one aiven_kafka_topic per map entry.
#
# Shipped with diskless-migrator and copied into every generated root that needs it.
# A topic is diskless when config.diskless_enable is true: it must then have replication 1.

resource "aiven_kafka_topic" "this" {
  for_each = var.topics

  project      = var.project
  service_name = var.service_name
  topic_name   = each.key
  partitions   = each.value.partitions
  replication  = each.value.replication

  config {
    cleanup_policy                      = each.value.config.cleanup_policy
    compression_type                    = each.value.config.compression_type
    delete_retention_ms                 = each.value.config.delete_retention_ms
    diskless_enable                     = each.value.config.diskless_enable
    file_delete_delay_ms                = each.value.config.file_delete_delay_ms
    flush_messages                      = each.value.config.flush_messages
    flush_ms                            = each.value.config.flush_ms
    index_interval_bytes                = each.value.config.index_interval_bytes
    local_retention_bytes               = each.value.config.local_retention_bytes
    local_retention_ms                  = each.value.config.local_retention_ms
    max_compaction_lag_ms               = each.value.config.max_compaction_lag_ms
    max_message_bytes                   = each.value.config.max_message_bytes
    message_downconversion_enable       = each.value.config.message_downconversion_enable
    message_format_version              = each.value.config.message_format_version
    message_timestamp_after_max_ms      = each.value.config.message_timestamp_after_max_ms
    message_timestamp_before_max_ms     = each.value.config.message_timestamp_before_max_ms
    message_timestamp_difference_max_ms = each.value.config.message_timestamp_difference_max_ms
    message_timestamp_type              = each.value.config.message_timestamp_type
    min_cleanable_dirty_ratio           = each.value.config.min_cleanable_dirty_ratio
    min_compaction_lag_ms               = each.value.config.min_compaction_lag_ms
    min_insync_replicas                 = each.value.config.min_insync_replicas
    preallocate                         = each.value.config.preallocate
    remote_storage_enable               = each.value.config.remote_storage_enable
    retention_bytes                     = each.value.config.retention_bytes
    retention_ms                        = each.value.config.retention_ms
    segment_bytes                       = each.value.config.segment_bytes
    segment_index_bytes                 = each.value.config.segment_index_bytes
    segment_jitter_ms                   = each.value.config.segment_jitter_ms
    segment_ms                          = each.value.config.segment_ms
    unclean_leader_election_enable      = each.value.config.unclean_leader_election_enable
  }
}
