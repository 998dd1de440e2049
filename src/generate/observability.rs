//! Observability of the migration, in the `migration/` root behind
//! `var.observability_enabled`: `observability.tf` calls `modules/migration-observability`
//! (Thanos, Grafana, `metrics` integrations from MirrorMaker 2 and the destination Kafka, a
//! `dashboard` integration), and `dashboards/` holds Grafana dashboards rendered from the
//! templates with the real project and service names.
//!
//! Dashboards are rendered as text, parsed back as JSON (so a template bug cannot produce
//! invalid JSON), given panel ids in order (unique by construction), and written pretty-printed.

use hcl::{Block, Body};
use serde_json::{Value, json};

use super::Context;
use super::hcl_format::expr;
use super::roots::{Root, tf_file};
use super::templates;
use super::tree::Tree;

/// The dashboard files, by template name.
pub(crate) const DASHBOARDS: &[&str] = &[
    "dashboards/mirrormaker-migration.json",
    "dashboards/service-resources.json",
];

/// Adds `migration/observability.tf` and the dashboards, when the plan has observability.
pub(crate) fn render(ctx: &Context, tree: &mut Tree) {
    let Some(o) = &ctx.plan.settings.observability else {
        return;
    };
    let module = Block::builder("module")
        .add_label("observability")
        .add_attribute(("source", "./modules/migration-observability"))
        .add_attribute(("count", expr("var.observability_enabled ? 1 : 0")))
        .add_attribute(("project", expr("local.project")))
        .add_attribute(("cloud_name", expr("local.cloud_name")))
        .add_attribute(("grafana_service_name", o.grafana_service_name.as_str()))
        .add_attribute(("grafana_plan", o.grafana_plan.as_str()))
        .add_attribute(("thanos_service_name", o.thanos_service_name.as_str()))
        .add_attribute(("thanos_plan", o.thanos_plan.as_str()))
        .add_attribute((
            "metrics_source_service_names",
            expr("[aiven_kafka_mirrormaker.mirrormaker.service_name, data.aiven_kafka.destination.service_name]"),
        ))
        .build();
    tree.insert(
        format!("{}/observability.tf", Root::Migration.dir()),
        tf_file(&Body::builder().add_block(module).build()),
    );
    let s = &ctx.plan.settings;
    let view = json!({
        "project": s.project,
        "mirrormaker_service": s.mirrormaker.service_name,
        "destination_service": s.destination.service_name,
        "flows": ctx.flows().iter().map(|f| &f.name).collect::<Vec<_>>(),
    });
    for name in DASHBOARDS {
        let text = templates::render(name, &view);
        let mut dashboard: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("embedded dashboard template {name} rendered invalid JSON: {e}"));
        let mut next_id = 1;
        number_panels(&mut dashboard, &mut next_id);
        let mut out = serde_json::to_string_pretty(&dashboard).expect("JSON values serialize");
        out.push('\n');
        tree.insert(*name, out);
    }
}

/// Gives every panel (rows and nested panels included) an id, in document order.
fn number_panels(value: &mut Value, next_id: &mut u64) {
    if let Some(panels) = value.get_mut("panels").and_then(Value::as_array_mut) {
        for panel in panels {
            if let Some(obj) = panel.as_object_mut() {
                obj.insert("id".into(), json!(*next_id));
                *next_id += 1;
            }
            number_panels(panel, next_id);
        }
    }
}
