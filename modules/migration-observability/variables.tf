variable "project" {
  description = "Aiven project of the observability services."
  type        = string
}

variable "cloud_name" {
  description = "Cloud region of the observability services, e.g. google-europe-west1."
  type        = string
}

variable "grafana_service_name" {
  description = "Name of the Grafana service."
  type        = string
}

variable "grafana_plan" {
  description = "Aiven plan of the Grafana service."
  type        = string
}

variable "thanos_service_name" {
  description = "Name of the Thanos service that stores the metrics."
  type        = string
}

variable "thanos_plan" {
  description = "Aiven plan of the Thanos service."
  type        = string
}

variable "metrics_source_service_names" {
  description = "Services whose metrics go to Thanos (the MirrorMaker 2 service and the destination Kafka)."
  type        = list(string)
}
