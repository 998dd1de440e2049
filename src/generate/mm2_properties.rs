//! `mm2.properties`: the MirrorMaker 2 configuration the generated flows amount to, for
//! `diskless-migrator inspect` (and the Java offset inspector it replaces) and for running
//! MirrorMaker 2 yourself in dedicated mode.
//!
//! Secrets never appear: they are `${env:NAME}` placeholders resolved by Kafka's
//! `EnvVarConfigProvider`. Values are escaped for Java's properties format (a backslash in a
//! regex is written `\\`).

use std::fmt::Write;

use super::tree::Tree;
use super::{Context, HEADER};

/// Environment variables the properties refer to, with what to put in them.
pub const ENV_VARS: &[(&str, &str)] = &[
    (
        "DESTINATION_BOOTSTRAP_SERVERS",
        "host:port of the destination Kafka service",
    ),
    (
        "DESTINATION_ACCESS_CERT",
        "PEM access certificate of the destination service",
    ),
    (
        "DESTINATION_ACCESS_KEY",
        "PEM access key of the destination service",
    ),
    ("DESTINATION_CA_CERT", "PEM CA certificate of the Aiven project"),
    (
        "SOURCE_SASL_USERNAME",
        "SASL user on the source cluster (SASL protocols)",
    ),
    ("SOURCE_SASL_PASSWORD", "its password (SASL protocols)"),
    (
        "SOURCE_SSL_CA_CERT",
        "PEM CA certificate of the source brokers (SSL protocols)",
    ),
    (
        "SOURCE_SSL_CLIENT_CERT",
        "PEM client certificate for mutual TLS (SSL)",
    ),
    ("SOURCE_SSL_CLIENT_KEY", "PEM client key for mutual TLS (SSL)"),
];

/// Adds `mm2.properties` to `tree`.
pub(crate) fn render(ctx: &Context, tree: &mut Tree) {
    tree.insert("mm2.properties", properties(ctx));
}

/// `value` escaped for a Java properties value: backslashes doubled and line breaks written as
/// `\n` / `\r`, so no value can end its line. (`generate` refuses control characters in the
/// plan before this; the escape is the second line of defence.)
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn properties(ctx: &Context) -> String {
    let s = &ctx.plan.settings;
    let target = &s.destination.cluster_alias;
    let flows = ctx.flows();
    let mut out = String::new();
    out.push_str(HEADER);
    out.push_str(
        "\n#\n# Secrets are ${env:NAME} placeholders: export the variables listed in RUNBOOK.md.\n\n",
    );
    let mut clusters = vec![target.as_str()];
    clusters.extend(flows.iter().map(|f| f.source_alias.as_str()));
    let _ = writeln!(out, "clusters={}", clusters.join(", "));
    out.push_str("config.providers=env\n");
    out.push_str(
        "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider\n\n",
    );

    out.push_str("# Worker settings (the MirrorMaker 2 service's user config).\n");
    let w = &ctx.plan.mirrormaker.worker;
    let mm = &ctx.plan.mirrormaker;
    let _ = writeln!(out, "tasks.max={}", mm.tasks_max);
    // Each periodic MirrorMaker 2 job: switched on, with its interval.
    for (job, seconds) in [
        ("emit.checkpoints", w.emit_checkpoints_interval_seconds),
        ("sync.group.offsets", w.sync_group_offsets_interval_seconds),
        ("refresh.groups", w.refresh_groups_interval_seconds),
        ("refresh.topics", w.refresh_topics_interval_seconds),
    ] {
        let _ = writeln!(out, "{job}.enabled=true\n{job}.interval.seconds={seconds}");
    }
    let _ = writeln!(
        out,
        "sync.topic.configs.enabled={}",
        mm.sync_topic_configs_enabled.value
    );
    let _ = writeln!(
        out,
        "sync.topic.acls.enabled={}",
        mm.sync_topic_acls_enabled.value
    );
    let _ = writeln!(out, "offset.lag.max={}", w.offset_lag_max);
    // MirrorMaker 2 runs a herder for every pair of clusters; the plan says whether pairs that
    // are not flows emit heartbeats (each flow's own setting follows below).
    if !mm.emit_heartbeats_outside_flows.value {
        out.push_str("# Heartbeats only along the flows: nothing is written into a source cluster.\n");
    }
    let _ = writeln!(
        out,
        "emit.heartbeats.enabled={}",
        mm.emit_heartbeats_outside_flows.value
    );
    out.push('\n');

    let _ = writeln!(
        out,
        "# Destination: {} (Aiven, TLS client certificate).",
        s.destination.service_name
    );
    let _ = writeln!(
        out,
        "{target}.bootstrap.servers=${{env:DESTINATION_BOOTSTRAP_SERVERS}}"
    );
    // The plan's cutover estimates assume this offset commit interval. A dedicated MirrorMaker 2
    // takes worker settings per target cluster: a top-level one would be ignored.
    let _ = writeln!(
        out,
        "{target}.offset.flush.interval.ms={}",
        mm.offset_flush_interval_ms.value
    );
    let _ = writeln!(out, "{target}.security.protocol=SSL");
    let _ = writeln!(out, "{target}.ssl.keystore.type=PEM");
    let _ = writeln!(
        out,
        "{target}.ssl.keystore.certificate.chain=${{env:DESTINATION_ACCESS_CERT}}"
    );
    let _ = writeln!(out, "{target}.ssl.keystore.key=${{env:DESTINATION_ACCESS_KEY}}");
    let _ = writeln!(out, "{target}.ssl.truststore.type=PEM");
    let _ = writeln!(
        out,
        "{target}.ssl.truststore.certificates=${{env:DESTINATION_CA_CERT}}"
    );

    let src = &s.source;
    let protocol = src.security_protocol;
    for f in &flows {
        let a = &f.source_alias;
        let _ = writeln!(
            out,
            "\n# Source as seen by flow {} ({} topics).",
            f.name,
            f.topics.len()
        );
        let _ = writeln!(out, "{a}.bootstrap.servers={}", escape(&src.bootstrap_servers));
        let _ = writeln!(out, "{a}.security.protocol={}", protocol.as_str());
        // A SASL protocol comes with its mechanism (generate's validation checks it).
        if let (true, Some(mechanism)) = (protocol.is_sasl(), src.sasl_mechanism) {
            let module = mechanism.login_module();
            let _ = writeln!(out, "{a}.sasl.mechanism={}", mechanism.as_str());
            let _ = writeln!(
                out,
                "{a}.sasl.jaas.config={module} required username=\"${{env:SOURCE_SASL_USERNAME}}\" \
                 password=\"${{env:SOURCE_SASL_PASSWORD}}\";"
            );
        }
        if protocol.is_tls() {
            let _ = writeln!(out, "{a}.ssl.truststore.type=PEM");
            let _ = writeln!(out, "{a}.ssl.truststore.certificates=${{env:SOURCE_SSL_CA_CERT}}");
            match src.ssl_endpoint_identification_algorithm.as_deref() {
                Some(alg) => {
                    let _ = writeln!(out, "{a}.ssl.endpoint.identification.algorithm={alg}");
                }
                None => {
                    let _ = writeln!(out, "{a}.ssl.endpoint.identification.algorithm=");
                }
            }
        }
        if protocol.uses_client_certificate() {
            let _ = writeln!(out, "{a}.ssl.keystore.type=PEM");
            let _ = writeln!(
                out,
                "{a}.ssl.keystore.certificate.chain=${{env:SOURCE_SSL_CLIENT_CERT}}"
            );
            let _ = writeln!(out, "{a}.ssl.keystore.key=${{env:SOURCE_SSL_CLIENT_KEY}}");
        }
    }

    for f in &flows {
        let p = format!("{}->{}", f.source_alias, f.target_alias);
        let _ = writeln!(out, "\n# Flow {}.", f.name);
        let _ = writeln!(out, "{p}.enabled=true");
        let _ = writeln!(
            out,
            "{p}.replication.policy.class={}",
            mm.replication_policy.value.class_name()
        );
        let _ = writeln!(
            out,
            "{p}.offset-syncs.topic.location={}",
            mm.offset_syncs_topic_location.value.as_str()
        );
        let _ = writeln!(out, "{p}.sync.group.offsets.enabled=true");
        let _ = writeln!(
            out,
            "{p}.sync.group.offsets.interval.seconds={}",
            w.sync_group_offsets_interval_seconds
        );
        let _ = writeln!(
            out,
            "{p}.emit.heartbeats.enabled={}",
            mm.emit_heartbeats_enabled.value
        );
        let _ = writeln!(out, "{p}.emit.checkpoints.enabled=true");
        let _ = writeln!(out, "{p}.topics={}", escape(&f.topic_regexes.join(",")));
        let _ = writeln!(
            out,
            "{p}.topics.exclude={}",
            escape(&ctx.plan.mirrormaker.topics_exclude.join(", "))
        );
        let _ = writeln!(
            out,
            "{p}.config.properties.exclude={}",
            escape(&ctx.plan.mirrormaker.config_properties_exclude.join(", "))
        );
    }
    out
}

#[cfg(test)]
mod escape_tests {
    use super::escape;

    #[test]
    fn no_value_can_end_its_line() {
        assert_eq!(escape(r"^a\.b$"), r"^a\\.b$");
        assert_eq!(escape("a\nb=c\rd\te\u{1}"), r"a\nb=c\rd\te\u0001");
        assert!(!escape("x\n\r\u{b}").contains(['\n', '\r', '\u{b}']));
    }
}
