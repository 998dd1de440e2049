# Topics of an Aiven for Apache Kafka service, one aiven_kafka_topic per map entry.
#
# Shipped with diskless-migrator and copied into every generated root that needs it.
# A topic is diskless when config.diskless_enable is true: it must then have replication 1,
# and cannot be compacted or use remote storage. `terraform plan` checks each topic for that.

resource "aiven_kafka_topic" "this" {
  for_each = var.topics

  project      = var.project
  service_name = var.service_name
  topic_name   = each.key
  partitions   = each.value.partitions
  replication  = each.value.replication

  config {
    cleanup_policy                      = try(each.value.config.cleanup_policy, null)
    compression_type                    = try(each.value.config.compression_type, null)
    delete_retention_ms                 = try(each.value.config.delete_retention_ms, null)
    diskless_enable                     = try(each.value.config.diskless_enable, null)
    file_delete_delay_ms                = try(each.value.config.file_delete_delay_ms, null)
    flush_messages                      = try(each.value.config.flush_messages, null)
    flush_ms                            = try(each.value.config.flush_ms, null)
    index_interval_bytes                = try(each.value.config.index_interval_bytes, null)
    local_retention_bytes               = try(each.value.config.local_retention_bytes, null)
    local_retention_ms                  = try(each.value.config.local_retention_ms, null)
    max_compaction_lag_ms               = try(each.value.config.max_compaction_lag_ms, null)
    max_message_bytes                   = try(each.value.config.max_message_bytes, null)
    message_downconversion_enable       = try(each.value.config.message_downconversion_enable, null)
    message_format_version              = try(each.value.config.message_format_version, null)
    message_timestamp_after_max_ms      = try(each.value.config.message_timestamp_after_max_ms, null)
    message_timestamp_before_max_ms     = try(each.value.config.message_timestamp_before_max_ms, null)
    message_timestamp_difference_max_ms = try(each.value.config.message_timestamp_difference_max_ms, null)
    message_timestamp_type              = try(each.value.config.message_timestamp_type, null)
    min_cleanable_dirty_ratio           = try(each.value.config.min_cleanable_dirty_ratio, null)
    min_compaction_lag_ms               = try(each.value.config.min_compaction_lag_ms, null)
    min_insync_replicas                 = try(each.value.config.min_insync_replicas, null)
    preallocate                         = try(each.value.config.preallocate, null)
    remote_storage_enable               = try(each.value.config.remote_storage_enable, null)
    retention_bytes                     = try(each.value.config.retention_bytes, null)
    retention_ms                        = try(each.value.config.retention_ms, null)
    segment_bytes                       = try(each.value.config.segment_bytes, null)
    segment_index_bytes                 = try(each.value.config.segment_index_bytes, null)
    segment_jitter_ms                   = try(each.value.config.segment_jitter_ms, null)
    segment_ms                          = try(each.value.config.segment_ms, null)
    unclean_leader_election_enable      = try(each.value.config.unclean_leader_election_enable, null)
  }

  lifecycle {
    precondition {
      condition     = try(each.value.partitions >= 1 && floor(each.value.partitions) == each.value.partitions, false)
      error_message = "Topic ${each.key}: partitions must be a whole number of at least 1."
    }
    precondition {
      condition     = try(each.value.replication >= 1 && floor(each.value.replication) == each.value.replication, false)
      error_message = "Topic ${each.key}: replication must be a whole number of at least 1."
    }
    precondition {
      condition     = try(each.value.config.diskless_enable, false) != true || each.value.replication == 1
      error_message = "Topic ${each.key} is diskless (config.diskless_enable = true), so it must have replication = 1."
    }
    precondition {
      condition     = !(try(each.value.config.diskless_enable, false) == true && try(each.value.config.remote_storage_enable, false) == true)
      error_message = "Topic ${each.key} is diskless, so it cannot also enable remote storage (remote_storage_enable)."
    }
    precondition {
      condition     = try(each.value.config.diskless_enable, false) != true || !strcontains(try(each.value.config.cleanup_policy, "delete"), "compact")
      error_message = "Topic ${each.key} is diskless, so it cannot be compacted (cleanup_policy with compact)."
    }
  }
}
