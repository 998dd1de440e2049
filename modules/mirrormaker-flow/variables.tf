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
