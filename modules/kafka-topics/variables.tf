variable "project" {
  description = "Aiven project that holds the Kafka service."
  type        = string
}

variable "service_name" {
  description = "Name of the Aiven for Apache Kafka service the topics are created on."
  type        = string
}

variable "topics" {
  description = "Topics by name: partition count, replication factor and aiven_kafka_topic config keys (integers as strings)."
  type = map(object({
    partitions  = number
    replication = number
    config = optional(object({
      cleanup_policy                      = optional(string)
      compression_type                    = optional(string)
      delete_retention_ms                 = optional(string)
      diskless_enable                     = optional(bool)
      file_delete_delay_ms                = optional(string)
      flush_messages                      = optional(string)
      flush_ms                            = optional(string)
      index_interval_bytes                = optional(string)
      local_retention_bytes               = optional(string)
      local_retention_ms                  = optional(string)
      max_compaction_lag_ms               = optional(string)
      max_message_bytes                   = optional(string)
      message_downconversion_enable       = optional(bool)
      message_format_version              = optional(string)
      message_timestamp_after_max_ms      = optional(string)
      message_timestamp_before_max_ms     = optional(string)
      message_timestamp_difference_max_ms = optional(string)
      message_timestamp_type              = optional(string)
      min_cleanable_dirty_ratio           = optional(number)
      min_compaction_lag_ms               = optional(string)
      min_insync_replicas                 = optional(string)
      preallocate                         = optional(bool)
      remote_storage_enable               = optional(bool)
      retention_bytes                     = optional(string)
      retention_ms                        = optional(string)
      segment_bytes                       = optional(string)
      segment_index_bytes                 = optional(string)
      segment_jitter_ms                   = optional(string)
      segment_ms                          = optional(string)
      unclean_leader_election_enable      = optional(bool)
    }), {})
  }))

  validation {
    condition     = alltrue([for t in values(var.topics) : t.config.diskless_enable != true || t.replication == 1])
    error_message = "A diskless topic (config.diskless_enable = true) must have replication = 1."
  }

  validation {
    condition     = alltrue([for t in values(var.topics) : !(t.config.diskless_enable == true && t.config.remote_storage_enable == true)])
    error_message = "A diskless topic cannot also enable remote storage (remote_storage_enable)."
  }

  validation {
    condition     = alltrue([for t in values(var.topics) : t.config.diskless_enable != true || !strcontains(coalesce(t.config.cleanup_policy, "delete"), "compact")])
    error_message = "A diskless topic cannot be compacted (cleanup_policy with compact)."
  }
}
