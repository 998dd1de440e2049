output "topic_names" {
  description = "Names of the topics, sorted."
  value       = sort(keys(aiven_kafka_topic.this))
}

output "diskless_topic_names" {
  description = "Names of the diskless topics, sorted."
  value       = sort([for name, t in var.topics : name if try(t.config.diskless_enable, false) == true])
}
