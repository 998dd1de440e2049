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
}
