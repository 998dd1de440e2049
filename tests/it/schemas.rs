//! The committed JSON Schemas of `inventory.json` and `plan.json` match the types.
//!
//! Regenerate after changing the model: `UPDATE_SCHEMAS=1 cargo test --test schemas`.

use std::path::Path;

fn check(file: &str, schema: schemars::Schema) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs").join(file);
    let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    if std::env::var_os("UPDATE_SCHEMAS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "docs/{file} is stale; run `UPDATE_SCHEMAS=1 cargo test --test schemas` and commit it"
    );
}

#[test]
fn inventory_schema_is_current() {
    check(
        "inventory.schema.json",
        schemars::schema_for!(diskless_migrator::inventory::Inventory),
    );
}

#[test]
fn plan_schema_is_current() {
    check(
        "plan.schema.json",
        schemars::schema_for!(diskless_migrator::plan::Plan),
    );
}
