# Metrics and dashboards for a migration: Thanos stores the metrics of MirrorMaker 2 and of the
# destination Kafka service, Grafana shows them.
#
# Shipped with diskless-migrator and copied into every generated migration root. The dashboards
# themselves are JSON files next to the roots (dashboards/), imported as the runbook describes.

resource "aiven_thanos" "this" {
  project      = var.project
  cloud_name   = var.cloud_name
  plan         = var.thanos_plan
  service_name = var.thanos_service_name
}

resource "aiven_grafana" "this" {
  project      = var.project
  cloud_name   = var.cloud_name
  plan         = var.grafana_plan
  service_name = var.grafana_service_name
}

resource "aiven_service_integration" "metrics" {
  for_each = toset(var.metrics_source_service_names)

  project                  = var.project
  integration_type         = "metrics"
  source_service_name      = each.key
  destination_service_name = aiven_thanos.this.service_name
}

resource "aiven_service_integration" "dashboard" {
  project                  = var.project
  integration_type         = "dashboard"
  source_service_name      = aiven_grafana.this.service_name
  destination_service_name = aiven_thanos.this.service_name
}
