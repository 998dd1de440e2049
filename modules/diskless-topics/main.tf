# Kafka topics on an Aiven service, diskless by default.
#
# `diskless_enable` is create-only on the Aiven API, although the provider does not force a
# replacement when it changes: a migration creates new topics instead of flipping the flag.

locals {
  # Topic config keys this module forwards to the provider's `config` block (all strings there,
  # except the booleans below and min_cleanable_dirty_ratio, which is a number).
  supported_config_keys = [
    "cleanup_policy", "compression_type", "delete_retention_ms", "file_delete_delay_ms",
    "flush_messages", "flush_ms", "index_interval_bytes", "local_retention_bytes",
    "local_retention_ms", "max_compaction_lag_ms", "max_message_bytes",
    "message_downconversion_enable", "message_timestamp_after_max_ms",
    "message_timestamp_before_max_ms", "message_timestamp_type", "min_cleanable_dirty_ratio",
    "min_compaction_lag_ms", "min_insync_replicas", "preallocate", "remote_storage_enable",
    "retention_bytes", "retention_ms", "segment_bytes", "segment_index_bytes",
    "segment_jitter_ms", "segment_ms", "unclean_leader_election_enable",
  ]
}

resource "aiven_kafka_topic" "this" {
  for_each = var.topics

  project           = var.project
  service_name      = var.service_name
  topic_name        = each.key
  partitions        = each.value.partitions
  replication       = each.value.replication
  topic_description = each.value.description

  config {
    diskless_enable = each.value.diskless

    cleanup_policy                  = lookup(each.value.config, "cleanup_policy", null)
    compression_type                = lookup(each.value.config, "compression_type", null)
    delete_retention_ms             = lookup(each.value.config, "delete_retention_ms", null)
    file_delete_delay_ms            = lookup(each.value.config, "file_delete_delay_ms", null)
    flush_messages                  = lookup(each.value.config, "flush_messages", null)
    flush_ms                        = lookup(each.value.config, "flush_ms", null)
    index_interval_bytes            = lookup(each.value.config, "index_interval_bytes", null)
    local_retention_bytes           = lookup(each.value.config, "local_retention_bytes", null)
    local_retention_ms              = lookup(each.value.config, "local_retention_ms", null)
    max_compaction_lag_ms           = lookup(each.value.config, "max_compaction_lag_ms", null)
    max_message_bytes               = lookup(each.value.config, "max_message_bytes", null)
    message_timestamp_after_max_ms  = lookup(each.value.config, "message_timestamp_after_max_ms", null)
    message_timestamp_before_max_ms = lookup(each.value.config, "message_timestamp_before_max_ms", null)
    message_timestamp_type          = lookup(each.value.config, "message_timestamp_type", null)
    min_compaction_lag_ms           = lookup(each.value.config, "min_compaction_lag_ms", null)
    min_insync_replicas             = lookup(each.value.config, "min_insync_replicas", null)
    retention_bytes                 = lookup(each.value.config, "retention_bytes", null)
    retention_ms                    = lookup(each.value.config, "retention_ms", null)
    segment_bytes                   = lookup(each.value.config, "segment_bytes", null)
    segment_index_bytes             = lookup(each.value.config, "segment_index_bytes", null)
    segment_jitter_ms               = lookup(each.value.config, "segment_jitter_ms", null)
    segment_ms                      = lookup(each.value.config, "segment_ms", null)

    min_cleanable_dirty_ratio = try(tonumber(each.value.config["min_cleanable_dirty_ratio"]), null)

    message_downconversion_enable  = try(tobool(each.value.config["message_downconversion_enable"]), null)
    preallocate                    = try(tobool(each.value.config["preallocate"]), null)
    remote_storage_enable          = try(tobool(each.value.config["remote_storage_enable"]), null)
    unclean_leader_election_enable = try(tobool(each.value.config["unclean_leader_election_enable"]), null)
  }

  dynamic "tag" {
    for_each = var.tags
    content {
      key   = tag.key
      value = tag.value
    }
  }
}
