//! The long-lived `destination/` root: the diskless Aiven for Apache Kafka service and every
//! planned topic.
//!
//! Files: `versions.tf`, `providers.tf`, `variables.tf`, `main.tf` (the service and the
//! topics module call), `topics.tf` (the sorted topic map: data a reviewer reads), `outputs.tf`,
//! `terraform.tfvars.example`, `README.md`, and `modules/kafka-topics/`.

use std::collections::BTreeMap;

use hcl::{Block, Body, Expression};

use super::hcl_format::expr;
use super::hcl_format::format_locals_map;
use super::roots::{self, Root, ident, tf_file};
use super::templates::{self, KAFKA_TOPICS};
use super::tree::Tree;
use super::{Context, HEADER};
use crate::plan::{ConfigValue, TopicPlan};

/// Adds the `destination/` root to `tree`.
pub(crate) fn render(ctx: &Context, tree: &mut Tree) {
    let dir = Root::Destination.dir();
    tree.insert(
        format!("{dir}/versions.tf"),
        roots::versions_tf(ctx, Root::Destination),
    );
    tree.insert(format!("{dir}/providers.tf"), roots::providers_tf());
    let mut variables = vec![roots::api_token_variable()];
    if super::access::managed(ctx).is_some() {
        variables.push(super::access::passwords_variable());
    }
    tree.insert(format!("{dir}/variables.tf"), roots::variables_tf(&variables));
    tree.insert(format!("{dir}/main.tf"), main_tf(ctx));
    tree.insert(format!("{dir}/topics.tf"), topics_tf(&ctx.topics));
    tree.insert(format!("{dir}/outputs.tf"), outputs_tf());
    let view = roots::view(ctx);
    tree.insert(
        format!("{dir}/README.md"),
        templates::render("destination/README.md", &view),
    );
    tree.insert(
        format!("{dir}/terraform.tfvars.example"),
        templates::render("destination/terraform.tfvars.example", &view),
    );
    roots::copy_module(tree, Root::Destination, &KAFKA_TOPICS);
}

fn main_tf(ctx: &Context) -> String {
    let s = &ctx.plan.settings;
    let locals = Block::builder("locals")
        .add_attribute(("project", s.project.as_str()))
        .add_attribute(("cloud_name", s.cloud.as_str()))
        .add_attribute(("service_name", s.destination.service_name.as_str()))
        .add_attribute(("plan", s.destination.plan.as_str()))
        .add_attribute(("kafka_version", s.destination.kafka_version.as_str()))
        .build();
    let mut user_config = Block::builder("kafka_user_config")
        .add_attribute(("kafka_version", expr("local.kafka_version")))
        .add_attribute(("kafka_rest", true));
    // Migrated users that authenticate with SASL need the SASL listener.
    if super::access::managed(ctx).is_some_and(|a| a.destination_sasl) {
        user_config = user_config.add_block(
            Block::builder("kafka_authentication_methods")
                .add_attribute(("certificate", true))
                .add_attribute(("sasl", true))
                .build(),
        );
    }
    let kafka = Block::builder("resource")
        .add_label("aiven_kafka")
        .add_label("destination")
        .add_attribute(("project", expr("local.project")))
        .add_attribute(("cloud_name", expr("local.cloud_name")))
        .add_attribute(("plan", expr("local.plan")))
        .add_attribute(("service_name", expr("local.service_name")))
        .add_block(
            user_config
                .add_block(
                    Block::builder("kafka_diskless")
                        .add_attribute(("enabled", true))
                        .build(),
                )
                .add_block(
                    Block::builder("tiered_storage")
                        .add_attribute(("enabled", s.destination.tiered_storage))
                        .build(),
                )
                .build(),
        )
        .add_block(
            Block::builder("lifecycle")
                .add_attribute(("prevent_destroy", true))
                .build(),
        )
        .build();
    let topics = Block::builder("module")
        .add_label("topics")
        .add_attribute(("source", "./modules/kafka-topics"))
        .add_attribute(("project", expr("aiven_kafka.destination.project")))
        .add_attribute(("service_name", expr("aiven_kafka.destination.service_name")))
        .add_attribute(("topics", expr("local.topics")))
        .build();
    tf_file(
        &Body::builder()
            .add_block(locals)
            .add_block(kafka)
            .add_block(topics)
            .build(),
    )
}

/// `topics.tf`: one multi-line map entry per topic, so adding a topic adds only its lines.
fn topics_tf(topics: &[&TopicPlan]) -> String {
    let entries: Vec<(&str, Expression)> = topics.iter().map(|t| (t.name.as_str(), topic_entry(t))).collect();
    format_locals_map(HEADER, "topics", &entries)
}

fn topic_entry(t: &TopicPlan) -> Expression {
    let mut config: BTreeMap<&str, Expression> = BTreeMap::new();
    for (key, value) in &t.config {
        config.insert(key.as_str(), config_expr(value));
    }
    let mut cfg = hcl::Object::new();
    for (k, v) in config {
        cfg.insert(ident(k), v);
    }
    let mut entry = hcl::Object::new();
    entry.insert(ident("partitions"), Expression::from(u64::from(t.partitions)));
    entry.insert(ident("replication"), Expression::from(u64::from(t.replication)));
    entry.insert(ident("config"), Expression::Object(cfg));
    Expression::Object(entry)
}

fn config_expr(value: &ConfigValue) -> Expression {
    match value {
        ConfigValue::Bool(b) => Expression::Bool(*b),
        ConfigValue::Number(n) => Expression::from(*n),
        ConfigValue::String(s) => Expression::String(s.clone()),
    }
}

fn outputs_tf() -> String {
    let body = Body::builder()
        .add_block(roots::output(
            "service_name",
            "Name of the destination Kafka service.",
            "aiven_kafka.destination.service_name",
            false,
        ))
        .add_block(roots::output(
            "service_uri",
            "Kafka service URI of the destination (includes credentials).",
            "aiven_kafka.destination.service_uri",
            true,
        ))
        .add_block(roots::output(
            "topic_count",
            "Number of topics managed on the destination.",
            "length(module.topics.topic_names)",
            false,
        ))
        .add_block(roots::output(
            "diskless_topic_count",
            "Number of diskless topics.",
            "length(module.topics.diskless_topic_names)",
            false,
        ))
        .build();
    tf_file(&body)
}
