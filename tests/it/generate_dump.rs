//! Writes the test plans as JSON for manual runs: `cargo test --test it generate_dump:: -- --ignored`.

use crate::generate_support;

#[test]
#[ignore]
fn dump_plans() {
    let dir = std::env::var("DUMP_DIR").unwrap_or_else(|_| "target/test-plans".into());
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, plan: &diskless_migrator::plan::Plan| {
        std::fs::write(
            format!("{dir}/{name}"),
            serde_json::to_string_pretty(plan).unwrap(),
        )
        .unwrap();
    };
    write("small.json", &generate_support::small_plan());
    write(
        "minimal.json",
        &generate_support::PlanBuilder::minimal()
            .topic("a", diskless_migrator::plan::Decision::Diskless, 1, "f")
            .build(),
    );
    write("large-2000x4.json", &generate_support::large_plan(2000, 4));
}
