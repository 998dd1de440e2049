//! Files embedded in the binary: the Terraform modules copied into each root and the minijinja
//! templates (READMEs, tfvars examples, runbook, dashboards). Embedding keeps the binary
//! self-contained: `generate` reads nothing but the plan.

use minijinja::{Environment, Value};
use serde::Serialize;

/// A module shipped in `modules/`: its directory name and files.
pub(crate) struct Module {
    pub name: &'static str,
    pub files: &'static [(&'static str, &'static str)],
}

macro_rules! module {
    ($name:literal, [$($file:literal),* $(,)?]) => {
        Module {
            name: $name,
            files: &[$(($file, include_str!(concat!("../../modules/", $name, "/", $file)))),*],
        }
    };
}

/// `aiven_kafka_topic` per entry of a topic map (destination root).
pub(crate) const KAFKA_TOPICS: Module = module!(
    "kafka-topics",
    ["main.tf", "outputs.tf", "variables.tf", "versions.tf"]
);
/// External endpoint, source integration and replication flow (migration root).
pub(crate) const MIRRORMAKER_FLOW: Module = module!(
    "mirrormaker-flow",
    ["main.tf", "outputs.tf", "variables.tf", "versions.tf"]
);
/// Thanos, Grafana and their integrations (migration root).
pub(crate) const MIGRATION_OBSERVABILITY: Module = module!(
    "migration-observability",
    ["main.tf", "outputs.tf", "variables.tf", "versions.tf"]
);

const TEMPLATES: &[(&str, &str)] = &[
    ("RUNBOOK.md", include_str!("../../templates/RUNBOOK.md.j2")),
    (
        "destination/README.md",
        include_str!("../../templates/destination/README.md.j2"),
    ),
    (
        "destination/terraform.tfvars.example",
        include_str!("../../templates/destination/terraform.tfvars.example.j2"),
    ),
    (
        "migration/README.md",
        include_str!("../../templates/migration/README.md.j2"),
    ),
    (
        "migration/terraform.tfvars.example",
        include_str!("../../templates/migration/terraform.tfvars.example.j2"),
    ),
    (
        "dashboards/macros.j2",
        include_str!("../../templates/dashboards/macros.j2"),
    ),
    (
        "dashboards/mirrormaker-migration.json",
        include_str!("../../templates/dashboards/mirrormaker-migration.json.j2"),
    ),
    (
        "dashboards/service-resources.json",
        include_str!("../../templates/dashboards/service-resources.json.j2"),
    ),
];

/// The template environment: no auto-escaping (output is Markdown, HCL and JSON, each escaped
/// explicitly), strict undefined variables, and a `json` filter built on serde_json so
/// dashboards come out exactly as serde_json writes them.
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .expect("default delimiters are valid"),
    );
    env.add_filter("json", |v: Value| -> Result<String, minijinja::Error> {
        serde_json::to_string(&v)
            .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string()))
    });
    // Grafana legends are `{{label}}`; templates write `{label}` to stay readable.
    env.add_filter("legend", |v: String| -> String {
        v.replace('{', "{{").replace('}', "}}")
    });
    for (name, source) in TEMPLATES {
        env.add_template(name, source).expect("embedded templates parse");
    }
    env
}

thread_local! {
    static ENV: Environment<'static> = environment();
}

/// Renders an embedded template with `ctx`. Templates are part of the binary and tested, so a
/// failure here is a bug.
pub(crate) fn render<S: Serialize>(name: &str, ctx: &S) -> String {
    ENV.with(|env| {
        env.get_template(name)
            .and_then(|t| t.render(minijinja::value::Serde(ctx)))
            .unwrap_or_else(|e| panic!("rendering embedded template {name}: {e:#}"))
    })
}
