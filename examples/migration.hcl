# Settings for `diskless-migrator plan`. The schema is documented in docs/settings.md.
# No secrets here: credentials are Terraform variables (TF_VAR_*).

project        = "acme-streaming"
cloud          = "google-europe-west1"
service_prefix = "migration" # services: migration-kafka, migration-mm2, migration-grafana, migration-thanos

destination {
  plan          = "business-8-inkless"
  kafka_version = "4.1"
  # service_name  = "acme-kafka"   # default: <service_prefix>-kafka
  # cluster_alias = "destination"  # default
  # tiered_storage = true           # default; false drops the source's tiered-storage configs
}

mirrormaker {
  plan = "business-8"
  cpus = 2 # vCPUs of the plan; turns tasks.max into tasks_max_per_cpu
  # task_bytes_per_second = 5242880  # what one MirrorMaker 2 task copies (default 5 MiB/s)
}

source {
  bootstrap_servers                     = "kafka-1.source.internal:9093,kafka-2.source.internal:9093"
  security_protocol                     = "SASL_SSL"
  sasl_mechanism                        = "SCRAM-SHA-512"
  ssl_endpoint_identification_algorithm = "https"
}

flows {
  max_flows      = 3
  max_partitions = 40
  # max_bytes_per_second      = 52428800  # split further when sampled throughput exceeds this
  # expected_bytes_per_second = 52428800  # copy rate per flow for estimates (default 50 MiB/s)
}

observability {
  enabled = true
  # grafana_plan = "startup-8"
  # thanos_plan  = "startup-4"
}

# Topics to keep classic whatever the inventory says (repeatable), e.g. read by
# read_committed consumers, which the brokers cannot report:
# keep_classic {
#   regex  = "payments\\..*"
#   reason = "read by read_committed consumers"
# }

# Topics never suggested for diskless by `plan --suggest` (diskless adds produce latency):
# latency_sensitive {
#   regex  = "checkout\\..*"
#   reason = "the checkout API waits for the acknowledgement"
# }

# Prices and parameters of the cost model (docs/cost.md); the defaults are AWS us-east-1
# list prices and Inkless's default produce settings:
# cost {
#   cross_zone_per_gb  = 0.02
#   zone_aware_clients = false  # true when diskless clients send diskless_az in client.id
# }

# terraform_cloud {
#   organization          = "acme"
#   destination_workspace = "migration-destination"
#   migration_workspace   = "migration-migration"
# }

# Users, ACLs and quotas carried over (docs/settings.md#access); `enabled = false` (or
# `plan --access off`) leaves them to be managed elsewhere. principal_map decides principals
# that are no user name as they are (certificate DNs, OAuth subjects, User:*, ANONYMOUS):
# access {
#   source_principal = "User:mm2"   # MirrorMaker 2's principal on the source (source-grants.sh)
#   principal_map = {
#     "User:CN=billing,OU=apps" = "billing"
#     "User:ANONYMOUS"          = "skip"
#   }
# }
