variable "project" {
  description = "Aiven project that holds the Kafka service."
  type        = string
}

variable "service_name" {
  description = "Name of the Aiven for Apache Kafka service the topics are created on."
  type        = string
}

variable "topics" {
  description = <<-EOT
    Topics by name, each an object with `partitions` (number), `replication` (number) and an
    optional `config` object of aiven_kafka_topic config keys (integers as strings, booleans as
    booleans, min_cleanable_dirty_ratio as a number); keys left out are not set. The type is
    left open and each topic is checked by the preconditions in main.tf, one topic at a time:
    a typed map, or validations over the whole map, cost Terraform minutes for tens of
    thousands of topics.
  EOT
  type        = any
}
