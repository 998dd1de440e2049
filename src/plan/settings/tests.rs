//! Tests of reading `migration.hcl`.

use super::*;
use crate::plan::model::SaslMechanism;

const MINIMAL: &str = r#"
project        = "acme"
cloud          = "google-europe-west1"
service_prefix = "migration-"

destination {
  plan          = "business-8-inkless"
  kafka_version = "4.0"
}

mirrormaker {
  plan = "business-4"
}

source {
  bootstrap_servers = "k1:9092,k2:9092"
  security_protocol = "PLAINTEXT"
}
"#;

fn err(text: &str) -> SettingsError {
    parse_settings("migration.hcl", text).unwrap_err()
}

fn spanned(_text: &str, e: &SettingsError) -> String {
    let text = e.src.text();
    text[e.span.offset()..e.span.offset() + e.span.len()].to_owned()
}

pub(crate) fn render(e: &SettingsError) -> String {
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .render_report(&mut out, e)
        .unwrap();
    out
}

#[test]
fn minimal_settings_get_defaults_and_derived_names() {
    let s = parse_settings("m.hcl", MINIMAL).unwrap();
    assert_eq!(s.service_prefix, "migration");
    assert_eq!(s.flows, FlowPolicy::default());
    let r = s.resolve();
    assert_eq!(r.destination.service_name, "migration-kafka");
    assert_eq!(r.destination.cluster_alias, "destination");
    assert_eq!(r.mirrormaker.service_name, "migration-mm2");
    let o = r.observability.unwrap();
    assert_eq!(
        (o.grafana_service_name.as_str(), o.thanos_service_name.as_str()),
        ("migration-grafana", "migration-thanos")
    );
    assert!(r.terraform_cloud.is_none());
}

#[test]
fn example_settings_parse() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/migration.hcl");
    let s = read_settings(&path).unwrap();
    assert_eq!(s.source.sasl_mechanism, Some(SaslMechanism::ScramSha512));
    assert_eq!(s.flows.max_flows, 3);
}

#[test]
fn unknown_key_has_span_and_suggestion() {
    let text = MINIMAL.replace("  plan = \"business-4\"", "  plan = \"business-4\"\n  cpu = 4");
    let e = err(&text);
    assert_eq!(e.message, "unknown key `cpu` in `mirrormaker`");
    assert_eq!(spanned(&text, &e), "cpu");
    assert!(e.help.as_deref().unwrap().starts_with("did you mean `cpus`?"));
    insta::assert_snapshot!("unknown_key", render(&e));
}

#[test]
fn unknown_top_level_block() {
    let text = format!("{MINIMAL}\nobservabilty {{\n  enabled = false\n}}\n");
    let e = err(&text);
    assert_eq!(spanned(&text, &e), "observabilty");
    assert!(e.help.unwrap().contains("did you mean `observability`"));
}

#[test]
fn old_kafka_version_is_refused() {
    let text = MINIMAL.replace("\"4.0\"", "\"3.9\"");
    let e = err(&text);
    assert!(e.message.contains("Kafka 4.0 or newer"), "{}", e.message);
    assert_eq!(spanned(&text, &e), "kafka_version");
    assert!(
        err(&MINIMAL.replace("\"4.0\"", "\"four\""))
            .message
            .contains("not a Kafka version")
    );
    assert!(
        err(&MINIMAL.replace("\"4.0\"", "4.0"))
            .message
            .contains("must be a string")
    );
}

#[test]
fn secrets_are_refused() {
    let text = MINIMAL.replace("PLAINTEXT\"", "PLAINTEXT\"\n  sasl_plain_password = \"hunter2\"");
    let e = err(&text);
    assert!(e.message.contains("is a secret"));
    assert!(!render(&e).contains("hunter2"), "{}", render(&e));
    assert!(e.help.unwrap().contains("TF_VAR_"));
}

#[test]
fn missing_and_invalid_values() {
    let e = err(&MINIMAL.replace("project        = \"acme\"", ""));
    assert_eq!(e.message, "`project` is required at the top level");
    let e = err(&MINIMAL.replace("\"PLAINTEXT\"", "\"SASL_SSL\""));
    assert_eq!(e.message, "`sasl_mechanism` is required in `source`");
    let e = err(&MINIMAL.replace("k1:9092,k2:9092", "k1"));
    assert!(e.message.contains("host:port"));
    let e = err(&MINIMAL.replace("business-4", "Business 4"));
    assert!(e.message.contains("not a valid Aiven plan name"));
    let e = err(&format!("{MINIMAL}\nflows {{\n  max_flows = 0\n}}\n"));
    assert!(e.message.contains("positive whole number"));
    let e = err(&format!("{MINIMAL}\nproject = \"again\"\n"));
    assert!(e.message.contains("redefined attribute"), "{}", e.message);
}

#[test]
fn syntax_error_points_at_the_line() {
    let text = "project = \"acme\"\ncloud = \n";
    let e = err(text);
    assert!(
        e.message.starts_with("migration.hcl is not valid HCL"),
        "{}",
        e.message
    );
    let line = text[..e.span.offset()].matches('\n').count() + 1;
    assert!(line >= 2, "line {line}");
}

#[test]
fn keep_classic_blocks_in_file_order() {
    let text = format!(
        "{MINIMAL}\nkeep_classic {{\n  regex  = \"payments\\\\..*\"\n  reason = \"read by read_committed consumers\"\n}}\n\
         keep_classic {{\n  regex  = \"ledger\"\n  reason = \" audited \"\n}}\n"
    );
    let s = parse_settings("m.hcl", &text).unwrap();
    let patterns: Vec<_> = s.keep_classic.iter().map(|k| k.pattern.as_str()).collect();
    assert_eq!(patterns, ["payments\\..*", "ledger"]);
    assert_eq!(s.keep_classic[0].reason, "read by read_committed consumers");
    assert_eq!(s.keep_classic[1].reason, "audited");
    assert!(s.keep_classic[0].matches("payments.v2"));
    assert!(!s.keep_classic[0].matches("paymentsXv2"));
    assert!(!s.keep_classic[1].matches("ledger.events"), "whole names only");
    assert!(parse_settings("m.hcl", MINIMAL).unwrap().keep_classic.is_empty());
}

#[test]
fn bad_keep_classic_points_at_the_key() {
    let text = format!(
        "{MINIMAL}\nkeep_classic {{\n  regex  = \"ok\"\n  reason = \"fine\"\n}}\n\
         keep_classic {{\n  regex  = \"payments.(v2\"\n  reason = \"read_committed\"\n}}\n"
    );
    let e = err(&text);
    assert_eq!(e.message, "`payments.(v2` in `keep_classic` is not a valid regex");
    assert_eq!(spanned(&text, &e), "regex");
    let (line, _) = e.src.position(e.span).unwrap();
    assert_eq!(line, text.lines().position(|l| l.contains("(v2")).unwrap() + 1);
    assert!(
        e.help.as_deref().unwrap().contains("unclosed group"),
        "{:?}",
        e.help
    );
    insta::assert_snapshot!("invalid_keep_classic_regex", render(&e));

    let e = err(&format!("{MINIMAL}\nkeep_classic {{\n  regex = \"x\"\n}}\n"));
    assert_eq!(e.message, "`reason` is required in `keep_classic`");
    let e = err(&format!(
        "{MINIMAL}\nkeep_classic {{\n  regex = \"x\"\n  reason = \"  \"\n}}\n"
    ));
    assert_eq!(e.message, "`reason` in `keep_classic` is empty");
    let e = err(&format!(
        "{MINIMAL}\nkeep_classic {{\n  regex = \"\"\n  reason = \"r\"\n}}\n"
    ));
    assert_eq!(e.message, "`regex` in `keep_classic` is empty");
    let e = err(&format!(
        "{MINIMAL}\nkeep_classic {{\n  regexp = \"x\"\n  reason = \"r\"\n}}\n"
    ));
    assert!(e.help.unwrap().starts_with("did you mean `regex`?"));
    let e = err(&format!(
        "{MINIMAL}\nkeep_classic = [{{ regex = \"x\", reason = \"r\" }}]\n"
    ));
    assert_eq!(e.message, "`keep_classic` must be a block");
}

#[test]
fn cost_block_defaults_and_errors() {
    let s = parse_settings("m.hcl", MINIMAL).unwrap();
    assert_eq!(s.cost, CostParameters::default());
    assert!(s.latency_sensitive.is_empty());
    let text = format!(
        "{MINIMAL}\ncost {{\n  prices_source = \"ours\"\n  cross_zone_per_gb = 0.01\n  zones = 2\n  \
         zone_aware_clients = true\n  disk_utilization = 0.8\n}}\n\
         latency_sensitive {{\n  regex = \"checkout\\\\..*\"\n  reason = \"the API waits\"\n}}\n"
    );
    let s = parse_settings("m.hcl", &text).unwrap();
    assert_eq!(s.cost.prices_source, "ours");
    assert_eq!(s.cost.cross_zone_per_gb, 0.01);
    assert_eq!(s.cost.zones, 2);
    assert!(s.cost.zone_aware_clients);
    assert_eq!(s.cost.disk_utilization, 0.8);
    assert_eq!(s.cost.put_per_1000, CostParameters::default().put_per_1000);
    assert!(s.latency_sensitive[0].matches("checkout.orders"));
    assert_eq!(s.latency_sensitive[0].reason, "the API waits");

    for (body, message) in [
        (
            "put_per_1000 = -1",
            "`put_per_1000` must be a number of at least 0",
        ),
        ("put_per_1000 = \"cheap\"", "`put_per_1000` must be a number"),
        ("disk_utilization = 0", "`disk_utilization` must be above 0"),
        (
            "disk_utilization = 2",
            "`disk_utilization` must be a number from 0 to 1",
        ),
        ("zones = 0", "`zones` must be a positive whole number"),
        ("prices_source = \" \"", "`prices_source` in `cost` is empty"),
    ] {
        let text = format!("{MINIMAL}\ncost {{\n  {body}\n}}\n");
        let e = err(&text);
        assert_eq!(e.message, message, "{body}");
        let key = body.split(' ').next().unwrap();
        assert_eq!(spanned(&text, &e), key, "{body}");
    }
    let e = err(&format!("{MINIMAL}\ncost {{\n  zone = 3\n}}\n"));
    assert!(e.help.unwrap().starts_with("did you mean `zones`?"));
    let e = err(&format!(
        "{MINIMAL}\nlatency_sensitive {{\n  regex = \"(\"\n  reason = \"r\"\n}}\n"
    ));
    assert_eq!(e.message, "`(` in `latency_sensitive` is not a valid regex");
}

#[test]
fn destination_tiered_storage_defaults_to_true() {
    assert!(
        parse_settings("m.hcl", MINIMAL)
            .unwrap()
            .destination
            .tiered_storage
    );
    let text = MINIMAL.replace(
        "  kafka_version = \"4.0\"",
        "  kafka_version = \"4.0\"\n  tiered_storage = false",
    );
    assert!(!parse_settings("m.hcl", &text).unwrap().destination.tiered_storage);
    let e = err(&MINIMAL.replace(
        "  kafka_version = \"4.0\"",
        "  kafka_version = \"4.0\"\n  tiered_storage = \"no\"",
    ));
    assert_eq!(e.message, "`tiered_storage` must be `true` or `false`");
}

#[test]
fn observability_off_and_terraform_cloud() {
    let text = format!(
        "{MINIMAL}\nobservability {{\n  enabled = false\n}}\nterraform_cloud {{\n  organization = \"acme\"\n}}\n"
    );
    let r = parse_settings("m.hcl", &text).unwrap().resolve();
    assert!(r.observability.is_none());
    let t = r.terraform_cloud.unwrap();
    assert_eq!(t.destination_workspace, "migration-destination");
    assert_eq!(t.migration_workspace, "migration-migration");
}

#[test]
fn access_block_maps_skips_and_turns_off() {
    let s = parse_settings(
        "m.hcl",
        &format!(
            "{MINIMAL}\naccess {{\n  source_principal = \"User:mm2\"\n  principal_map = {{\n    \"User:CN=billing,OU=apps\" = \"billing\"\n    \"User:ANONYMOUS\" = \"skip\"\n  }}\n}}\n"
        ),
    )
    .unwrap();
    assert!(s.access.enabled);
    assert_eq!(s.access.source_principal.as_deref(), Some("User:mm2"));
    assert_eq!(
        s.access.principal_map,
        vec![
            (
                "User:CN=billing,OU=apps".to_owned(),
                PrincipalTarget::User("billing".into())
            ),
            ("User:ANONYMOUS".to_owned(), PrincipalTarget::Skip),
        ]
    );
    let off = parse_settings("m.hcl", &format!("{MINIMAL}\naccess {{\n  enabled = false\n}}\n")).unwrap();
    assert!(!off.access.enabled);
    assert!(off.access.off_reason.unwrap().contains("enabled = false"));
    // Absent: managed, nothing mapped.
    assert_eq!(
        parse_settings("m.hcl", MINIMAL).unwrap().access,
        AccessSettings::default()
    );
}

#[test]
fn bad_principal_map_entries_point_at_the_entry() {
    for (entry, message, at) in [
        ("\"alice\" = \"alice\"", "is not a Kafka principal", "\"alice\""),
        (
            "\"User:CN=x\" = \"CN=x\"",
            "is not a destination user name",
            "\"User:CN=x\"",
        ),
        ("\"User:a\" = 3", "must be a string", "\"User:a\""),
    ] {
        let text = format!("{MINIMAL}\naccess {{\n  principal_map = {{\n    {entry}\n  }}\n}}\n");
        let e = err(&text);
        assert!(e.message.contains(message), "{entry}: {}", e.message);
        assert_eq!(spanned(&text, &e), at, "{entry}");
        assert!(render(&e).contains("principal_map"), "{}", render(&e));
    }
    let e = err(&format!("{MINIMAL}\naccess {{\n  principal_map = \"x\"\n}}\n"));
    assert!(e.message.contains("must be a map"), "{}", e.message);
    let e = err(&format!(
        "{MINIMAL}\naccess {{\n  source_principal = \"mm2\"\n}}\n"
    ));
    assert!(e.message.contains("is not a Kafka principal"), "{}", e.message);
}
