//! Every resource and data source attribute and block that generated Terraform (roots and the
//! copied modules) uses exists in the committed Aiven provider schema
//! (`tests/fixtures/aiven-provider-schema.json`, `terraform providers schema -json` format),
//! and every required attribute is set. The generated HCL is parsed with hcl-rs and walked.

use crate::generate_support;

use diskless_migrator::generate;
use hcl::{Block, Body};
use serde_json::Value;

fn provider_schema() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/aiven-provider-schema.json"
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["provider_schemas"]["registry.terraform.io/aiven/aiven"].clone()
}

/// Meta-arguments Terraform accepts on every resource / data block.
const META_ATTRIBUTES: &[&str] = &["count", "for_each", "depends_on", "provider"];
const META_BLOCKS: &[&str] = &["lifecycle", "connection", "provisioner"];

fn check_body(body: &Body, schema: &Value, at: &str, problems: &mut Vec<String>, top: bool) {
    let attrs = &schema["attributes"];
    let blocks = &schema["block_types"];
    let mut set = std::collections::BTreeSet::new();
    for attr in body.attributes() {
        let key = attr.key();
        set.insert(key.to_string());
        if top && META_ATTRIBUTES.contains(&key) {
            continue;
        }
        match attrs.get(key) {
            None => problems.push(format!("{at}: attribute `{key}` is not in the provider schema")),
            Some(a) if a["computed"] == true && a["optional"] != true && a["required"] != true => {
                problems.push(format!("{at}: attribute `{key}` is read-only"))
            }
            Some(_) => {}
        }
    }
    if let Some(attrs) = attrs.as_object() {
        for (name, a) in attrs {
            if a["required"] == true && !set.contains(name) {
                problems.push(format!("{at}: required attribute `{name}` is missing"));
            }
        }
    }
    for block in body.blocks() {
        let id = block.identifier();
        if top && META_BLOCKS.contains(&id) {
            continue;
        }
        match blocks.get(id) {
            None => problems.push(format!("{at}: block `{id}` is not in the provider schema")),
            Some(b) => check_body(block.body(), &b["block"], &format!("{at}.{id}"), problems, false),
        }
    }
}

fn check_tree(plan: &diskless_migrator::plan::Plan) -> (usize, Vec<String>) {
    let schema = provider_schema();
    let tree = generate::generate(plan).unwrap().tree;
    let mut problems = Vec::new();
    let mut checked = 0;
    for (path, bytes) in tree.iter() {
        if !path.ends_with(".tf") {
            continue;
        }
        let body: Body =
            hcl::parse(std::str::from_utf8(bytes).unwrap()).unwrap_or_else(|e| panic!("{path}: {e}"));
        for block in body.blocks() {
            let kind = match block.identifier() {
                "resource" => "resource_schemas",
                "data" => "data_source_schemas",
                _ => continue,
            };
            let ty = label(block, 0);
            let at = format!("{path}: {} {ty}.{}", block.identifier(), label(block, 1));
            match schema[kind].get(&ty) {
                None => problems.push(format!("{at}: type is not in the provider schema")),
                Some(s) => {
                    check_body(block.body(), &s["block"], &at, &mut problems, true);
                    checked += 1;
                }
            }
        }
    }
    (checked, problems)
}

fn label(block: &Block, i: usize) -> String {
    block
        .labels()
        .get(i)
        .map(|l| l.as_str().to_string())
        .unwrap_or_default()
}

#[test]
fn every_emitted_attribute_exists_in_the_provider_schema() {
    for plan in [
        generate_support::small_plan(),
        generate_support::access_plan(),
        generate_support::PlanBuilder::minimal()
            .topic(
                "events",
                diskless_migrator::plan::Decision::Diskless,
                3,
                "flow-01",
            )
            .build(),
    ] {
        let (checked, problems) = check_tree(&plan);
        assert!(checked >= 8, "only {checked} resource/data blocks found");
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}

#[test]
fn the_walk_catches_unknown_attributes() {
    let schema = provider_schema();
    let body: Body =
        hcl::parse("resource \"aiven_kafka_topic\" \"t\" {\n  project = 1\n  nope = 2\n}\n").unwrap();
    let block = body.blocks().next().unwrap();
    let mut problems = Vec::new();
    check_body(
        block.body(),
        &schema["resource_schemas"]["aiven_kafka_topic"]["block"],
        "t",
        &mut problems,
        true,
    );
    assert!(problems.iter().any(|p| p.contains("`nope`")), "{problems:?}");
    assert!(
        problems.iter().any(|p| p.contains("`topic_name` is missing")),
        "{problems:?}"
    );
}
