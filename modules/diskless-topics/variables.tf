variable "project" {
  description = "Aiven project that holds the target Kafka service."
  type        = string
}

variable "service_name" {
  description = "Name of the target Aiven for Apache Kafka service (diskless enabled at service level)."
  type        = string
}

variable "topics" {
  description = <<-EOT
    Topics to create, keyed by topic name. `diskless` sets `config.diskless_enable` and can
    only be chosen when the topic is created. `config` holds Kafka topic configs by their
    provider names (e.g. `retention_ms`, `cleanup_policy`), as strings.
  EOT
  type = map(object({
    partitions  = number
    replication = number
    diskless    = optional(bool, true)
    description = optional(string)
    config      = optional(map(string), {})
  }))
  default = {}

  validation {
    condition     = alltrue([for name, t in var.topics : length(name) >= 1 && length(name) <= 249])
    error_message = "Topic names must be 1 to 249 characters long."
  }

  validation {
    condition     = alltrue([for t in values(var.topics) : t.partitions >= 1 && t.replication >= 1])
    error_message = "partitions and replication must be at least 1."
  }

  validation {
    condition = alltrue(flatten([
      for t in values(var.topics) : [for key in keys(t.config) : contains(local.supported_config_keys, key)]
    ]))
    error_message = "Unsupported key in a topic's config map; see local.supported_config_keys in main.tf."
  }

  validation {
    condition = alltrue([
      for t in values(var.topics) : !t.diskless || (
        lookup(t.config, "remote_storage_enable", "false") != "true" &&
        !strcontains(lookup(t.config, "cleanup_policy", "delete"), "compact")
      )
    ])
    error_message = "Diskless topics cannot use remote_storage_enable = true or a compacting cleanup_policy."
  }
}

variable "tags" {
  description = "Tags added to every topic (at most 25)."
  type        = map(string)
  default     = {}
}
