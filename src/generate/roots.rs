//! Pieces every Terraform root shares: `versions.tf` (with the optional Terraform Cloud block),
//! the provider, typed variables, copied modules, and the data the text templates see.

use hcl::{Block, Body, Expression};
use serde_json::json;

use super::hcl_format::{expr, format_body};
use super::templates::Module;
use super::tree::Tree;
use super::{AIVEN_PROVIDER_VERSION, Context, HEADER, TERRAFORM_VERSION};

/// Which of the two roots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Root {
    Destination,
    Migration,
}

impl Root {
    pub fn dir(self) -> &'static str {
        match self {
            Root::Destination => "destination",
            Root::Migration => "migration",
        }
    }
}

/// Renders `body` as a Terraform file with the generated-file header.
pub(crate) fn tf_file(body: &Body) -> String {
    format_body(HEADER, body)
}

/// `versions.tf`: Terraform and provider constraints, and a `cloud {}` block when the plan
/// names Terraform Cloud workspaces.
pub(crate) fn versions_tf(ctx: &Context, root: Root) -> String {
    let mut terraform = Block::builder("terraform").add_attribute(("required_version", TERRAFORM_VERSION));
    if let Some(tfc) = &ctx.plan.settings.terraform_cloud {
        let workspace = match root {
            Root::Destination => &tfc.destination_workspace,
            Root::Migration => &tfc.migration_workspace,
        };
        terraform = terraform.add_block(
            Block::builder("cloud")
                .add_attribute(("organization", tfc.organization.as_str()))
                .add_block(
                    Block::builder("workspaces")
                        .add_attribute(("name", workspace.as_str()))
                        .build(),
                )
                .build(),
        );
    }
    let mut aiven = hcl::Object::new();
    aiven.insert(ident("source"), Expression::from("aiven/aiven"));
    aiven.insert(ident("version"), Expression::from(AIVEN_PROVIDER_VERSION));
    terraform = terraform.add_block(
        Block::builder("required_providers")
            .add_attribute(("aiven", Expression::Object(aiven)))
            .build(),
    );
    tf_file(&Body::builder().add_block(terraform.build()).build())
}

/// `providers.tf`: the Aiven provider, authenticated by a sensitive variable.
pub(crate) fn providers_tf() -> String {
    let body = Body::builder()
        .add_block(
            Block::builder("provider")
                .add_label("aiven")
                .add_attribute(("api_token", expr("var.aiven_api_token")))
                .build(),
        )
        .build();
    tf_file(&body)
}

/// A typed, described input variable.
pub(crate) struct Variable {
    pub name: &'static str,
    pub description: String,
    pub type_expr: &'static str,
    pub default: Option<Expression>,
    pub sensitive: bool,
    /// `(condition, error_message)`.
    pub validation: Option<(String, String)>,
}

impl Variable {
    pub fn block(&self) -> Block {
        let mut b = Block::builder("variable")
            .add_label(self.name)
            .add_attribute(("description", self.description.as_str()))
            .add_attribute(("type", expr(self.type_expr)));
        if let Some(default) = &self.default {
            b = b.add_attribute(("default", default.clone()));
        }
        if self.sensitive {
            b = b.add_attribute(("sensitive", true));
        }
        if let Some((condition, message)) = &self.validation {
            b = b.add_block(
                Block::builder("validation")
                    .add_attribute(("condition", expr(condition)))
                    .add_attribute(("error_message", message.as_str()))
                    .build(),
            );
        }
        b.build()
    }
}

/// The API token variable both roots take.
pub(crate) fn api_token_variable() -> Variable {
    Variable {
        name: "aiven_api_token",
        description: "Aiven API token. Pass it as TF_VAR_aiven_api_token or a sensitive workspace variable; \
                      never commit it."
            .into(),
        type_expr: "string",
        default: None,
        sensitive: true,
        validation: Some((
            "length(trimspace(var.aiven_api_token)) > 0".into(),
            "aiven_api_token must not be empty.".into(),
        )),
    }
}

/// `variables.tf` from a list of variables.
pub(crate) fn variables_tf(vars: &[Variable]) -> String {
    let mut body = Body::builder();
    for v in vars {
        body = body.add_block(v.block());
    }
    tf_file(&body.build())
}

/// An output block.
pub(crate) fn output(name: &str, description: &str, value: &str, sensitive: bool) -> Block {
    let mut b = Block::builder("output")
        .add_label(name)
        .add_attribute(("description", description))
        .add_attribute(("value", expr(value)));
    if sensitive {
        b = b.add_attribute(("sensitive", true));
    }
    b.build()
}

/// Copies a shipped module into `<root>/modules/<name>/`.
pub(crate) fn copy_module(tree: &mut Tree, root: Root, module: &Module) {
    for (file, contents) in module.files {
        tree.insert(
            format!("{}/modules/{}/{}", root.dir(), module.name, file),
            *contents,
        );
    }
}

/// An unquoted object key.
pub(crate) fn ident(name: &str) -> hcl::ObjectKey {
    hcl::ObjectKey::Identifier(hcl::Identifier::unchecked(name))
}

/// A quoted object key.
pub(crate) fn quoted(name: &str) -> hcl::ObjectKey {
    hcl::ObjectKey::Expression(Expression::String(name.to_string()))
}

/// What the Markdown and tfvars templates see: names and counts from the plan, never secrets.
pub(crate) fn view(ctx: &Context) -> serde_json::Value {
    let s = &ctx.plan.settings;
    let (diskless, classic, skipped) = ctx.plan.counts();
    let flows: Vec<_> = ctx
        .flows()
        .iter()
        .map(|f| {
            json!({
                "name": f.name,
                "source_alias": f.source_alias,
                "topics": f.topics.len(),
                "partitions": f.partitions,
                "size": f.size_bytes.map(crate::units::bytes),
                "estimated_copy": f.estimated_copy_seconds.map(crate::units::duration),
                "tasks": f.tasks,
                "partitions_per_task": f.partitions_per_task,
                "drain": crate::units::duration(f.final_sync_drain_seconds),
                "gate_open": crate::units::duration(f.gate_open_seconds),
            })
        })
        .collect();
    let protocol = s.source.security_protocol;
    let mm = &ctx.plan.mirrormaker;
    let drain = ctx
        .plan
        .flows
        .iter()
        .map(|f| f.final_sync_drain_seconds)
        .max()
        .unwrap_or(0);
    let gate = ctx
        .plan
        .flows
        .iter()
        .map(|f| f.gate_open_seconds)
        .max()
        .unwrap_or(0);
    json!({
        "project": s.project,
        "cloud": s.cloud,
        "destination": s.destination,
        "mirrormaker": s.mirrormaker,
        "source": s.source,
        "sasl": protocol.is_sasl(),
        "ssl": protocol.is_tls(),
        "client_cert": protocol.uses_client_certificate(),
        "observability": s.observability,
        "terraform_cloud": s.terraform_cloud,
        "flows": flows,
        "diskless_topics": diskless,
        "classic_topics": classic,
        "skipped_topics": skipped,
        "tasks_max": ctx.plan.mirrormaker.tasks_max,
        "tasks_max_per_cpu": ctx.plan.mirrormaker.tasks_max_per_cpu,
        "cutover": {
            "syncs_per_commit": crate::plan::mirrormaker::SYNCS_PER_COMMIT,
            "offset_flush": crate::units::duration(mm.offset_flush_interval_ms.value.div_ceil(1000)),
            "checkpoints": crate::units::duration(u64::from(mm.worker.emit_checkpoints_interval_seconds)),
            "group_sync": crate::units::duration(u64::from(mm.worker.sync_group_offsets_interval_seconds)),
            "drain": crate::units::duration(drain),
            "gate_open": crate::units::duration(gate),
            "max_wait_seconds": (gate * 2).max(60),
            "max_wait": crate::units::duration((gate * 2).max(60)),
        },
        "aiven_provider_version": AIVEN_PROVIDER_VERSION,
        "terraform_version": TERRAFORM_VERSION,
    })
}
