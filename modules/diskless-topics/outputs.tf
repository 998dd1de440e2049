output "topic_ids" {
  description = "Resource IDs (`project/service_name/topic_name`) by topic name."
  value       = { for name, topic in aiven_kafka_topic.this : name => topic.id }
}

output "diskless_topics" {
  description = "Names of the topics created as diskless."
  value       = sort([for name, t in var.topics : name if t.diskless])
}
