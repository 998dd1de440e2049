//! `RUNBOOK.md`: the steps of this migration from the first apply to cutover and cleanup, with
//! the exact commands, rendered from the plan (service names, flows, sizes).

use serde_json::Value;

use super::Context;
use super::mm2_properties::ENV_VARS;
use super::roots;
use super::templates;
use super::tree::Tree;

/// Adds `RUNBOOK.md` to `tree`.
pub(crate) fn render(ctx: &Context, tree: &mut Tree) {
    let mut view = roots::view(ctx);
    let protocol = ctx.plan.settings.source.security_protocol;
    let env: Vec<Value> = ENV_VARS
        .iter()
        .filter(|(name, _)| {
            !name.starts_with("SOURCE_")
                || (name.starts_with("SOURCE_SASL") && protocol.is_sasl())
                || (name.starts_with("SOURCE_SSL_CA") && protocol.is_tls())
                || (name.starts_with("SOURCE_SSL_CLIENT") && protocol.uses_client_certificate())
        })
        .map(|(name, what)| serde_json::json!({ "name": name, "what": what }))
        .collect();
    view["env"] = Value::Array(env);
    view["dashboards"] = Value::Array(
        if ctx.plan.settings.observability.is_some() {
            super::observability::DASHBOARDS
        } else {
            &[]
        }
        .iter()
        .map(|d| Value::from(*d))
        .collect(),
    );
    tree.insert("RUNBOOK.md", templates::render("RUNBOOK.md", &view));
}
