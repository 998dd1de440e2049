output "source_endpoint_id" {
  description = "ID of the external_kafka integration endpoint of the source."
  value       = aiven_service_integration_endpoint.source.id
}

output "source_alias" {
  description = "Cluster alias of the source in this flow."
  value       = aiven_mirrormaker_replication_flow.this.source_cluster
}

output "target_alias" {
  description = "Cluster alias of the destination in this flow."
  value       = aiven_mirrormaker_replication_flow.this.target_cluster
}

output "enabled" {
  description = "Whether the flow replicates."
  value       = aiven_mirrormaker_replication_flow.this.enable
}
