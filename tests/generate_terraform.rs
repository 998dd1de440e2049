//! Real Terraform on generated output (the test bed: `tests/testbed/setup-terraform.sh`):
//! `terraform fmt -check`, `init` (offline, local provider mirror) and `validate` for every
//! root, for a small plan, a minimal one and a 2,000-topic, 4-flow plan.

mod generate_support;
mod terraform_support;

use diskless_migrator::plan::{Decision, Plan};
use generate_support::{PlanBuilder, large_plan, small_plan};

fn check_with_terraform(name: &str, plan: &Plan) {
    let dir = tempfile::tempdir().unwrap();
    diskless_migrator::generate::generate_to(plan, dir.path()).unwrap();
    let Some(tb) = terraform_support::testbed_if_set_up(&format!("terraform checks of {name}")) else {
        return;
    };
    tb.announce();
    let out = tb.fmt_check(dir.path());
    assert!(
        out.success,
        "{name}: terraform fmt -check failed:\n{}",
        out.combined()
    );
    for root in ["destination", "migration"] {
        let path = dir.path().join(root);
        let out = tb.init(&path);
        assert!(
            out.success,
            "{name}/{root}: terraform init failed:\n{}",
            out.combined()
        );
        let out = tb.validate(&path);
        assert!(
            out.success,
            "{name}/{root}: terraform validate failed:\n{}",
            out.combined()
        );
    }
}

#[test]
fn small_plan_passes_fmt_init_validate() {
    check_with_terraform("small", &small_plan());
}

#[test]
fn minimal_plan_passes_fmt_init_validate() {
    let plan = PlanBuilder::minimal()
        .topic("events", Decision::Diskless, 3, "flow-01")
        .topic("audit", Decision::Classic, 1, "flow-01")
        .build();
    check_with_terraform("minimal", &plan);
}

#[test]
fn ssl_source_plan_passes_fmt_init_validate() {
    let plan = PlanBuilder::new()
        .with(|p| {
            p.settings.source.security_protocol = "SSL".into();
            p.settings.source.sasl_mechanism = None;
        })
        .topic("events", Decision::Diskless, 3, "flow-01")
        .build();
    check_with_terraform("ssl", &plan);
}

#[test]
fn large_plan_2000_topics_4_flows_passes_fmt_init_validate() {
    check_with_terraform("2000x4", &large_plan(2000, 4));
}
