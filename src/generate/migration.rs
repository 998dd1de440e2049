//! The ephemeral `migration/` root: the MirrorMaker 2 service, the destination's integration
//! with it, and one `modules/mirrormaker-flow` call per replication flow (external endpoint,
//! source integration, replication flow). `terraform destroy` here ends the migration and
//! cannot touch the destination: it is only read, through a data source.
//!
//! Files: `versions.tf`, `providers.tf`, `variables.tf`, `main.tf`, `flows.tf` (the sorted
//! flow map: data), `observability.tf` (see [`super::observability`]), `outputs.tf`,
//! `terraform.tfvars.example`, `README.md`, and `modules/`.

use hcl::{Block, Body, Expression};

use super::Context;
use super::hcl_format::expr;
use super::roots::{self, Root, Variable, ident, quoted, tf_file};
use super::templates::{self, MIGRATION_OBSERVABILITY, MIRRORMAKER_FLOW};
use super::tree::Tree;
use crate::plan::SecurityProtocol;

/// Adds the `migration/` root (without observability) to `tree`.
pub(crate) fn render(ctx: &Context, tree: &mut Tree) {
    let dir = Root::Migration.dir();
    tree.insert(
        format!("{dir}/versions.tf"),
        roots::versions_tf(ctx, Root::Migration),
    );
    tree.insert(format!("{dir}/providers.tf"), roots::providers_tf());
    tree.insert(
        format!("{dir}/variables.tf"),
        roots::variables_tf(&variables(ctx)),
    );
    tree.insert(format!("{dir}/main.tf"), main_tf(ctx));
    tree.insert(format!("{dir}/flows.tf"), flows_tf(ctx));
    tree.insert(format!("{dir}/outputs.tf"), outputs_tf(ctx));
    let view = roots::view(ctx);
    tree.insert(
        format!("{dir}/README.md"),
        templates::render("migration/README.md", &view),
    );
    tree.insert(
        format!("{dir}/terraform.tfvars.example"),
        templates::render("migration/terraform.tfvars.example", &view),
    );
    roots::copy_module(tree, Root::Migration, &MIRRORMAKER_FLOW);
    if ctx.plan.settings.observability.is_some() {
        roots::copy_module(tree, Root::Migration, &MIGRATION_OBSERVABILITY);
    }
}

/// The source credential variables the security protocol needs: (variable, module key).
fn credential_variables(protocol: SecurityProtocol) -> Vec<(Variable, &'static str)> {
    let optional = Some(Expression::Null);
    let mut vars = Vec::new();
    if protocol.is_sasl() {
        vars.push((
            Variable {
                name: "source_sasl_username",
                description: "SASL user MirrorMaker 2 authenticates to the source cluster with \
                              (TF_VAR_source_sasl_username)."
                    .into(),
                type_expr: "string",
                default: None,
                sensitive: false,
                validation: Some((
                    "length(var.source_sasl_username) > 0".into(),
                    "source_sasl_username must not be empty.".into(),
                )),
            },
            "sasl_username",
        ));
        vars.push((
            Variable {
                name: "source_sasl_password",
                description: "Password of the SASL user (TF_VAR_source_sasl_password). Never commit it."
                    .into(),
                type_expr: "string",
                default: None,
                sensitive: true,
                validation: Some((
                    "length(var.source_sasl_password) > 0".into(),
                    "source_sasl_password must not be empty.".into(),
                )),
            },
            "sasl_password",
        ));
    }
    if protocol.is_tls() {
        vars.push((
            Variable {
                name: "source_ssl_ca_cert",
                description: "PEM CA certificate of the source brokers, when not publicly trusted; null otherwise."
                    .into(),
                type_expr: "string",
                default: optional.clone(),
                sensitive: false,
                validation: Some((
                    "var.source_ssl_ca_cert == null || can(regex(\"BEGIN CERTIFICATE\", var.source_ssl_ca_cert))"
                        .into(),
                    "source_ssl_ca_cert must be a PEM certificate.".into(),
                )),
            },
            "ssl_ca_cert",
        ));
    }
    if protocol.uses_client_certificate() {
        vars.push((
            Variable {
                name: "source_ssl_client_cert",
                description: "PEM client certificate for mutual TLS to the source; null when not used."
                    .into(),
                type_expr: "string",
                default: optional.clone(),
                sensitive: false,
                validation: None,
            },
            "ssl_client_cert",
        ));
        vars.push((
            Variable {
                name: "source_ssl_client_key",
                description:
                    "PEM private key of the client certificate (TF_VAR_source_ssl_client_key). Never \
                              commit it."
                        .into(),
                type_expr: "string",
                default: optional,
                sensitive: true,
                validation: None,
            },
            "ssl_client_key",
        ));
    }
    vars
}

fn variables(ctx: &Context) -> Vec<Variable> {
    let mut vars = vec![roots::api_token_variable()];
    vars.push(Variable {
        name: "replication_enabled",
        description: "Whether the replication flows run. The first apply creates everything with flows \
                      stopped; apply again with true to start replicating."
            .into(),
        type_expr: "bool",
        default: Some(Expression::Bool(false)),
        sensitive: false,
        validation: None,
    });
    if ctx.plan.settings.observability.is_some() {
        vars.push(Variable {
            name: "observability_enabled",
            description:
                "Whether to run Grafana and Thanos with metrics from MirrorMaker 2 and the destination."
                    .into(),
            type_expr: "bool",
            default: Some(Expression::Bool(true)),
            sensitive: false,
            validation: None,
        });
    }
    vars.extend(
        credential_variables(ctx.plan.settings.source.security_protocol)
            .into_iter()
            .map(|(v, _)| v),
    );
    vars
}

fn string_list(items: &[String]) -> Expression {
    Expression::Array(items.iter().cloned().map(Expression::String).collect())
}

fn main_tf(ctx: &Context) -> String {
    let s = &ctx.plan.settings;
    let mm = &ctx.plan.mirrormaker;
    let mut source = hcl::Object::new();
    source.insert(
        ident("bootstrap_servers"),
        Expression::from(s.source.bootstrap_servers.as_str()),
    );
    source.insert(
        ident("security_protocol"),
        Expression::from(s.source.security_protocol.as_str()),
    );
    if let Some(m) = &s.source.sasl_mechanism {
        source.insert(ident("sasl_mechanism"), Expression::from(m.as_str()));
    }
    if let Some(a) = &s.source.ssl_endpoint_identification_algorithm {
        source.insert(
            ident("ssl_endpoint_identification_algorithm"),
            Expression::from(a.as_str()),
        );
    }
    let locals = Block::builder("locals")
        .add_attribute(("project", s.project.as_str()))
        .add_attribute(("cloud_name", s.cloud.as_str()))
        .add_attribute(("destination_service_name", s.destination.service_name.as_str()))
        .add_attribute(("destination_alias", s.destination.cluster_alias.as_str()))
        .add_attribute(("mirrormaker_service_name", s.mirrormaker.service_name.as_str()))
        .add_attribute(("mirrormaker_plan", s.mirrormaker.plan.as_str()))
        .add_attribute(("source", Expression::Object(source)))
        .add_attribute(("topics_exclude", string_list(&mm.topics_exclude)))
        .add_attribute((
            "config_properties_exclude",
            string_list(&mm.config_properties_exclude),
        ))
        .build();
    let destination = Block::builder("data")
        .add_label("aiven_kafka")
        .add_label("destination")
        .add_attribute(("project", expr("local.project")))
        .add_attribute(("service_name", expr("local.destination_service_name")))
        .build();
    let w = &ctx.plan.mirrormaker.worker;
    let mm_config = Block::builder("kafka_mirrormaker")
        .add_attribute((
            "tasks_max_per_cpu",
            u64::from(ctx.plan.mirrormaker.tasks_max_per_cpu),
        ))
        .add_attribute(("emit_checkpoints_enabled", true))
        .add_attribute((
            "emit_checkpoints_interval_seconds",
            u64::from(w.emit_checkpoints_interval_seconds),
        ))
        .add_attribute(("sync_group_offsets_enabled", true))
        .add_attribute((
            "sync_group_offsets_interval_seconds",
            u64::from(w.sync_group_offsets_interval_seconds),
        ))
        .add_attribute(("refresh_groups_enabled", true))
        .add_attribute((
            "refresh_groups_interval_seconds",
            u64::from(w.refresh_groups_interval_seconds),
        ))
        .add_attribute(("refresh_topics_enabled", true))
        .add_attribute((
            "refresh_topics_interval_seconds",
            u64::from(w.refresh_topics_interval_seconds),
        ))
        .add_attribute(("sync_topic_configs_enabled", mm.sync_topic_configs_enabled.value))
        .add_attribute(("offset_lag_max", u64::from(w.offset_lag_max)))
        .build();
    let mirrormaker = Block::builder("resource")
        .add_label("aiven_kafka_mirrormaker")
        .add_label("mirrormaker")
        .add_attribute(("project", expr("local.project")))
        .add_attribute(("cloud_name", expr("local.cloud_name")))
        .add_attribute(("plan", expr("local.mirrormaker_plan")))
        .add_attribute(("service_name", expr("local.mirrormaker_service_name")))
        .add_block(
            Block::builder("kafka_mirrormaker_user_config")
                .add_block(mm_config)
                .build(),
        )
        .build();
    let integration = Block::builder("resource")
        .add_label("aiven_service_integration")
        .add_label("destination")
        .add_attribute(("project", expr("local.project")))
        .add_attribute(("integration_type", "kafka_mirrormaker"))
        .add_attribute((
            "source_service_name",
            expr("data.aiven_kafka.destination.service_name"),
        ))
        .add_attribute((
            "destination_service_name",
            expr("aiven_kafka_mirrormaker.mirrormaker.service_name"),
        ))
        .add_block(
            Block::builder("kafka_mirrormaker_user_config")
                .add_attribute(("cluster_alias", expr("local.destination_alias")))
                .build(),
        )
        .build();
    let mut credentials = hcl::Object::new();
    for (var, key) in credential_variables(s.source.security_protocol) {
        credentials.insert(ident(key), expr(&format!("var.{}", var.name)));
    }
    let flows = Block::builder("module")
        .add_label("flow")
        .add_attribute(("source", "./modules/mirrormaker-flow"))
        .add_attribute(("for_each", expr("local.flows")))
        .add_attribute(("project", expr("local.project")))
        .add_attribute((
            "mirrormaker_service_name",
            expr("aiven_kafka_mirrormaker.mirrormaker.service_name"),
        ))
        .add_attribute(("source_alias", expr("each.value.source_alias")))
        .add_attribute((
            "target_alias",
            expr("aiven_service_integration.destination.kafka_mirrormaker_user_config[0].cluster_alias"),
        ))
        .add_attribute(("source_connection", expr("local.source")))
        .add_attribute(("source_credentials", Expression::Object(credentials)))
        .add_attribute(("topics", expr("each.value.topics")))
        .add_attribute(("topics_exclude", expr("local.topics_exclude")))
        .add_attribute((
            "config_properties_exclude",
            expr("local.config_properties_exclude"),
        ))
        .add_attribute(("replication_enabled", expr("var.replication_enabled")))
        .add_attribute((
            "sync_group_offsets_interval_seconds",
            u64::from(ctx.plan.mirrormaker.worker.sync_group_offsets_interval_seconds),
        ))
        .add_attribute((
            "replication_policy_class",
            mm.replication_policy.value.class_name(),
        ))
        .add_attribute((
            "offset_syncs_topic_location",
            mm.offset_syncs_topic_location.value.as_str(),
        ))
        .add_attribute(("emit_heartbeats_enabled", mm.emit_heartbeats_enabled.value))
        .add_attribute((
            "emit_backward_heartbeats_enabled",
            mm.emit_heartbeats_outside_flows.value,
        ))
        .build();
    let body = Body::builder()
        .add_block(locals)
        .add_block(destination)
        .add_block(mirrormaker)
        .add_block(integration)
        .add_block(flows)
        .build();
    tf_file(&body)
}

/// `flows.tf`: per flow its source alias and exact topic regexes, one per line.
fn flows_tf(ctx: &Context) -> String {
    let mut map = hcl::Object::new();
    for f in ctx.flows() {
        let mut entry = hcl::Object::new();
        entry.insert(ident("source_alias"), Expression::from(f.source_alias.as_str()));
        entry.insert(
            ident("topics"),
            Expression::Array(
                f.topic_regexes
                    .iter()
                    .map(|r| Expression::String(r.clone()))
                    .collect(),
            ),
        );
        map.insert(quoted(&f.name), Expression::Object(entry));
    }
    let body = Body::builder()
        .add_block(
            Block::builder("locals")
                .add_attribute(("flows", Expression::Object(map)))
                .build(),
        )
        .build();
    tf_file(&body)
}

fn outputs_tf(ctx: &Context) -> String {
    let mut body = Body::builder()
        .add_block(roots::output(
            "mirrormaker_service_name",
            "Name of the MirrorMaker 2 service.",
            "aiven_kafka_mirrormaker.mirrormaker.service_name",
            false,
        ))
        .add_block(roots::output(
            "source_endpoint_ids",
            "External Kafka endpoint of each flow, by flow name.",
            "zipmap(keys(module.flow), values(module.flow)[*].source_endpoint_id)",
            false,
        ))
        .add_block(roots::output(
            "flows_enabled",
            "Whether each flow replicates, by flow name.",
            "zipmap(keys(module.flow), values(module.flow)[*].enabled)",
            false,
        ));
    if ctx.plan.settings.observability.is_some() {
        body = body.add_block(roots::output(
            "grafana_service_name",
            "Name of the Grafana service, when observability is enabled.",
            "var.observability_enabled ? module.observability[0].grafana_service_name : null",
            false,
        ));
        body = body.add_block(roots::output(
            "grafana_uri",
            "Grafana URI with credentials, when observability is enabled (for importing dashboards).",
            "var.observability_enabled ? module.observability[0].grafana_uri : null",
            true,
        ));
    }
    tf_file(&body.build())
}
