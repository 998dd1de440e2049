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
    view["access"] = Value::Null;
    view["access_off"] = Value::Null;
    match &ctx.plan.access {
        Some(access) if access.managed => {
            view["access"] = serde_json::json!({
                "users": access.users.len(),
                "acls": access.acls.len(),
                "quotas": access.quotas.len(),
                "sasl": access.destination_sasl,
                "undecided": access.undecided_principals,
                "decide": access.dropped_acls.iter().filter(|d| d.needs_decision).count(),
                "principal": access.source_grants.principal,
                "bootstrap": ctx.plan.settings.source.bootstrap_servers.split(',').next(),
                "clients": access.clients.iter().map(|c| c.username.as_str()).collect::<Vec<_>>(),
            });
        }
        Some(access) => view["access_off"] = Value::from(access.reason.as_str()),
        None => {}
    }
    tree.insert("RUNBOOK.md", templates::render("RUNBOOK.md", &view));
}
