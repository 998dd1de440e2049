//! Property-based tests: every reader of user files returns a value or an error, never
//! panics, and rendering its diagnostic never panics either.
//!
//! Cases per property: 64 by default, so `cargo test --lib` stays fast; set
//! `PROPTEST_CASES=10000` for a longer run.

use proptest::prelude::*;

use crate::inventory::TopicSummary;
use crate::kafka::properties::Properties;
use crate::plan::{TopicList, parse_settings};

/// Cases per property: `PROPTEST_CASES`, else 64.
pub(crate) fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Renders a diagnostic the way the CLI does, to check it does not panic.
pub(crate) fn render(diagnostic: &dyn miette::Diagnostic) -> String {
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .render_report(&mut out, diagnostic)
        .expect("rendering does not fail");
    out
}

/// Text built from the format's own pieces, sometimes after a line longer than 65,535
/// columns, so errors land past miette's old limit.
pub(crate) fn hostile(pieces: &'static [&'static str]) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        proptest::sample::select(pieces).prop_map(str::to_owned),
        "\\PC{0,12}",
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("é".to_owned()),
    ];
    (
        proptest::collection::vec(piece, 0..40),
        prop_oneof![4 => Just(0usize), 1 => 65_500usize..70_000],
    )
        .prop_map(|(parts, long)| {
            let mut text = "x".repeat(long);
            text.extend(parts);
            text
        })
}

const PROPERTIES: &[&str] = &[
    "=",
    ":",
    " ",
    "\\",
    "\\u",
    "\\u12",
    "\\u00e9",
    "#",
    "!",
    "key",
    "clusters=a,b",
    "a->b.enabled=true",
    "${env:X}",
    "\t",
];
const HCL: &[&str] = &[
    "project",
    "=",
    "\"",
    "{",
    "}",
    "destination",
    "mirrormaker",
    "flows",
    "max_flows = 3",
    "cost",
    "disk_utilization = 0",
    "put_per_1000 = -1",
    "zones = 1e400",
    "latency_sensitive",
    "regex = \"(\"",
    "#",
    "//",
    "/*",
    "*/",
    "[",
    "]",
    "1",
    "true",
    "${",
    "<<EOF",
];
const JSON: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\"schema_version\"",
    "1",
    "\"topics\"",
    "\"partitions\"",
    "\"partition\"",
    "\"size_bytes\"",
    "18446744073709551615",
    "null",
    "true",
    "-1",
    "1e999",
    "\\u0000",
    "\\",
];
const TOPICS: &[&str] = &["orders", "a.b", "#", " ", "..", ".", "bad name", "x/y", "_-"];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn properties_never_panic(text in hostile(PROPERTIES)) {
        match Properties::parse("p.properties", &text) {
            Ok(props) => {
                let _ = props.effective();
                if let Err(e) = crate::inspect::mm2_config::Mm2Config::resolve(&props) {
                    render(&e);
                }
            }
            Err(e) => {
                render(&e);
            }
        }
    }

    #[test]
    fn settings_never_panic(text in hostile(HCL)) {
        if let Err(e) = parse_settings("s.hcl", &text) {
            render(&e);
        }
    }

    #[test]
    fn inventory_never_panics(text in hostile(JSON)) {
        if let Err(e) = crate::inventory::read::parse_inventory::<TopicSummary>("i.json", text.as_bytes()) {
            render(&e);
        }
        if let Err(e) = crate::inventory::read::parse_inventory::<crate::inventory::Topic>("i.json", text.as_bytes()) {
            render(&e);
        }
    }

    #[test]
    fn plan_json_never_panics(text in hostile(JSON)) {
        if let Err(e) = crate::generate::parse_plan("plan.json", &text) {
            render(&e);
        }
    }

    #[test]
    fn topic_list_never_panics(text in hostile(TOPICS)) {
        if let Err(e) = TopicList::parse("t.txt", text) {
            render(&e);
        }
    }

    #[test]
    fn snippets_of_any_span_never_panic(
        text in hostile(PROPERTIES),
        start in 0usize..80_000,
        len in 0usize..200,
    ) {
        let (snippet, span) = crate::snippet::Snippet::around("f", &text, start..start + len);
        prop_assert!(snippet.text().len() < 4_000);
        #[derive(Debug, thiserror::Error, miette::Diagnostic)]
        #[error("x")]
        struct E {
            #[source_code]
            src: crate::snippet::Snippet,
            #[label("here")]
            span: miette::SourceSpan,
        }
        render(&E { src: snippet, span });
    }

    /// A hand-edited `plan.json` cannot add a line to any generated file (a property, an HCL
    /// attribute, a runbook command): `generate` refuses the value or renders it on its line.
    #[test]
    fn hand_edited_plans_never_inject_lines(field in 0usize..9, value in injection()) {
        let base = crate::plan::tests::crafted_plan();
        let baseline = crate::generate::generate(&base).expect("the crafted plan renders");
        let mut plan = base.clone();
        match field {
            0 => plan.settings.project = value,
            1 => plan.settings.cloud = value,
            2 => plan.settings.source.bootstrap_servers = value,
            3 => plan.settings.source.ssl_endpoint_identification_algorithm = Some(value),
            4 => plan.mirrormaker.topics_exclude[0] = value,
            5 => plan.mirrormaker.config_properties_exclude[0] = value,
            6 => plan.flows[0].topic_regexes[0] = value,
            7 => plan.settings.destination.service_name = value,
            _ => plan.settings.destination.plan = value,
        }
        if let Ok(generated) = crate::generate::generate(&plan) {
            for (path, bytes) in generated.tree.iter() {
                let before = baseline.tree.get(path).map(|b| b.split(|&c| c == b'\n').count());
                prop_assert_eq!(before, Some(bytes.split(|&c| c == b'\n').count()), "{}", path);
            }
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// The same for the access section: principals, resource names, hosts, user names, source
    /// grants and client reasons reach HCL, a shell script and properties files only on their
    /// own lines, or `generate` refuses them.
    #[test]
    fn hand_edited_access_never_injects_lines(field in 0usize..8, value in injection()) {
        let base = crate::plan::access::tests::plan_with("access {\n  source_principal = \"User:mm2\"\n}");
        let baseline = crate::generate::generate(&base).expect("the access plan renders");
        let mut plan = base.clone();
        let access = plan.access.as_mut().expect("an access section");
        match field {
            0 => access.acls[0].binding.resource_name = value,
            1 => access.acls[0].binding.host = value,
            2 => access.acls[0].binding.principal = value,
            3 => access.source_grants.principal = Some(value),
            4 => access.source_grants.grants[1].resource_names[0] = value,
            5 => access.clients[0].reason = value,
            6 => access.quotas[0].client_id = Some(value),
            _ => access.source_grants.grants[0].reason = value,
        }
        // A binding edited with its key, so the key check alone does not refuse it.
        access.acls[0].key = crate::plan::access::acl_key(&access.acls[0].binding);
        if let Ok(generated) = crate::generate::generate(&plan) {
            for (path, bytes) in generated.tree.iter() {
                let before = baseline.tree.get(path).map(|b| b.split(|&c| c == b'\n').count());
                prop_assert_eq!(before, Some(bytes.split(|&c| c == b'\n').count()), "{}", path);
            }
        }
    }
}

/// Values a hand edit could slip into `plan.json`: line breaks, shell, quotes, interpolations.
fn injection() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "\n", "\r", "\u{2028}", "$(id)", "`id`", "\"", "'", "${x}", "%{x}", "\\", ",", "#", "=", ";", "|",
        "<script>", "*/", "]]", " ", "\t", "\0", "a-b", "x.y", ":9092",
    ];
    proptest::collection::vec(
        prop_oneof![
            proptest::sample::select(PIECES).prop_map(str::to_owned),
            "[a-z0-9.-]{0,8}",
        ],
        1..6,
    )
    .prop_map(|parts| parts.concat())
}
