variable "project" {
  description = "Aiven project of the MirrorMaker 2 service."
  type        = string
}

variable "mirrormaker_service_name" {
  description = "The MirrorMaker 2 service that runs the flow."
  type        = string
}

variable "source_alias" {
  description = "Cluster alias of the source as this flow sees it (the integration's cluster_alias)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,128}$", var.source_alias))
    error_message = "A cluster alias is 1 to 128 ASCII letters, digits, '.', '_' or '-'."
  }
}

variable "target_alias" {
  description = "Cluster alias of the destination Kafka service (the destination integration's cluster_alias)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,128}$", var.target_alias))
    error_message = "A cluster alias is 1 to 128 ASCII letters, digits, '.', '_' or '-'."
  }
}

variable "source_connection" {
  description = "How MirrorMaker 2 reaches the source cluster (no secrets)."
  type = object({
    bootstrap_servers                     = string
    security_protocol                     = string
    sasl_mechanism                        = optional(string)
    ssl_endpoint_identification_algorithm = optional(string)
  })

  validation {
    condition     = contains(["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"], var.source_connection.security_protocol)
    error_message = "security_protocol is one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL."
  }
}

variable "source_credentials" {
  description = "Secrets for the source cluster; null where not used."
  type = object({
    sasl_username   = optional(string)
    sasl_password   = optional(string)
    ssl_ca_cert     = optional(string)
    ssl_client_cert = optional(string)
    ssl_client_key  = optional(string)
  })
  default   = {}
  sensitive = true
}

variable "topics" {
  description = "Exact, anchored Java regexes of the topics this flow replicates."
  type        = list(string)
}

variable "topics_exclude" {
  description = "Java regexes of topics never replicated (MirrorMaker's topics.exclude)."
  type        = list(string)
  default     = []
}

variable "config_properties_exclude" {
  description = "Topic config properties (Java regexes, no commas) MirrorMaker 2 must not copy to the destination."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for p in var.config_properties_exclude : !strcontains(p, ",")])
    error_message = "config_properties_exclude entries are sent comma-joined: they cannot contain commas."
  }
}

variable "replication_enabled" {
  description = "Whether the flow replicates. Create it disabled, then enable it in a second apply."
  type        = bool
  default     = false
}

variable "sync_group_offsets_interval_seconds" {
  description = "How often consumer group offsets are synced to the destination."
  type        = number
  default     = 10
}

variable "replication_policy_class" {
  description = "MirrorMaker 2's replication policy class (plan.json mirrormaker.replication_policy)."
  type        = string

  validation {
    condition     = contains(["org.apache.kafka.connect.mirror.IdentityReplicationPolicy", "org.apache.kafka.connect.mirror.DefaultReplicationPolicy"], var.replication_policy_class)
    error_message = "replication_policy_class is IdentityReplicationPolicy or DefaultReplicationPolicy (org.apache.kafka.connect.mirror)."
  }
}

variable "offset_syncs_topic_location" {
  description = "Cluster that holds the offset-syncs topic (plan.json mirrormaker.offset_syncs_topic_location)."
  type        = string

  validation {
    condition     = contains(["source", "target"], var.offset_syncs_topic_location)
    error_message = "offset_syncs_topic_location is source or target."
  }
}

variable "emit_heartbeats_enabled" {
  description = "Whether the flow writes heartbeats into the destination (plan.json mirrormaker.emit_heartbeats_enabled)."
  type        = bool
}

variable "emit_backward_heartbeats_enabled" {
  description = "Whether heartbeats are also written into the source (plan.json mirrormaker.emit_heartbeats_outside_flows)."
  type        = bool
}
