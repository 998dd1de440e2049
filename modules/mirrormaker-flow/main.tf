# One MirrorMaker 2 replication flow from an external source Kafka cluster.
#
# Shipped with diskless-migrator and copied into every generated migration root. Each flow has
# its own external_kafka endpoint, so its source cluster alias is its own; the destination is
# integrated once by the root and named by target_alias.

resource "aiven_service_integration_endpoint" "source" {
  project       = var.project
  endpoint_name = "${var.mirrormaker_service_name}-${var.source_alias}"
  endpoint_type = "external_kafka"

  external_kafka_user_config {
    bootstrap_servers                     = var.source_connection.bootstrap_servers
    security_protocol                     = var.source_connection.security_protocol
    sasl_mechanism                        = var.source_connection.sasl_mechanism
    sasl_plain_username                   = var.source_credentials.sasl_username
    sasl_plain_password                   = var.source_credentials.sasl_password
    ssl_ca_cert                           = var.source_credentials.ssl_ca_cert
    ssl_client_cert                       = var.source_credentials.ssl_client_cert
    ssl_client_key                        = var.source_credentials.ssl_client_key
    ssl_endpoint_identification_algorithm = var.source_connection.ssl_endpoint_identification_algorithm
  }
}

resource "aiven_service_integration" "source" {
  project                  = var.project
  integration_type         = "kafka_mirrormaker"
  source_endpoint_id       = aiven_service_integration_endpoint.source.id
  destination_service_name = var.mirrormaker_service_name

  kafka_mirrormaker_user_config {
    cluster_alias = var.source_alias
  }
}

resource "aiven_mirrormaker_replication_flow" "this" {
  project        = var.project
  service_name   = var.mirrormaker_service_name
  source_cluster = aiven_service_integration.source.kafka_mirrormaker_user_config[0].cluster_alias
  target_cluster = var.target_alias
  enable         = var.replication_enabled

  replication_policy_class            = var.replication_policy_class
  offset_syncs_topic_location         = var.offset_syncs_topic_location
  sync_group_offsets_enabled          = true
  sync_group_offsets_interval_seconds = var.sync_group_offsets_interval_seconds
  emit_heartbeats_enabled             = var.emit_heartbeats_enabled
  emit_backward_heartbeats_enabled    = var.emit_backward_heartbeats_enabled
  topics                              = var.topics
  topics_blacklist                    = var.topics_exclude
  config_properties_exclude           = var.config_properties_exclude
}
