output "grafana_service_name" {
  description = "Name of the Grafana service."
  value       = aiven_grafana.this.service_name
}

output "grafana_uri" {
  description = "URI of Grafana, with credentials."
  value       = aiven_grafana.this.service_uri
  sensitive   = true
}

output "thanos_service_name" {
  description = "Name of the Thanos service."
  value       = aiven_thanos.this.service_name
}
