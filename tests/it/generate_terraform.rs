//! Real Terraform and the real Aiven provider (v4.61.0) on generated output (the test bed:
//! `tests/testbed/setup-terraform.sh`): `terraform fmt -check`, `init` and `validate` for every
//! root, for a small plan, a minimal one and a 2,000-topic, 4-flow plan; a wrong attribute value
//! refused with the provider's own message; and `terraform plan` of the bundled example's roots
//! with the Aiven API out of reach, where the only errors allowed are failed API connections.

use crate::generate_support;
use crate::terraform_support;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use diskless_migrator::plan::{Decision, Plan};
use generate_support::{PlanBuilder, large_plan, small_plan};
use terraform_support::Testbed;

/// `fmt -check` of the whole output, then `init` + `validate` of both roots.
fn check_with_terraform(name: &str, plan: &Plan) {
    let dir = tempfile::tempdir().unwrap();
    diskless_migrator::generate::generate_to(plan, dir.path()).unwrap();
    let Some(tb) = terraform_support::testbed_if_set_up(&format!("terraform checks of {name}")) else {
        return;
    };
    check_roots(&tb, name, dir.path());
}

fn check_roots(tb: &Testbed, name: &str, out_dir: &Path) {
    tb.announce();
    let dir = out_dir;
    let out = tb.fmt_check(dir);
    assert!(
        out.success,
        "{name}: terraform fmt -check failed:\n{}",
        out.combined()
    );
    for root in ["destination", "migration"] {
        let path = dir.join(root);
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
fn access_plan_passes_fmt_init_validate() {
    check_with_terraform("access", &generate_support::access_plan());
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
            p.settings.source.security_protocol = diskless_migrator::plan::SecurityProtocol::Ssl;
            p.settings.source.sasl_mechanism = None;
        })
        .topic("events", Decision::Diskless, 3, "flow-01")
        .build();
    check_with_terraform("ssl", &plan);
}

/// The 2,000-topic, 4-flow output validates with the real provider; the same output with one
/// attribute value the provider does not accept fails with the provider's own message.
#[test]
fn large_plan_2000_topics_4_flows_passes_fmt_init_validate() {
    let dir = tempfile::tempdir().unwrap();
    diskless_migrator::generate::generate_to(&large_plan(2000, 4), dir.path()).unwrap();
    let Some(tb) = terraform_support::testbed_if_set_up("terraform checks of 2000x4") else {
        return;
    };
    check_roots(&tb, "2000x4", dir.path());

    let main_tf = dir.path().join("migration/main.tf");
    let text = fs::read_to_string(&main_tf).unwrap();
    let good = r#"integration_type         = "kafka_mirrormaker""#;
    assert_eq!(text.matches(good).count(), 1, "migration/main.tf:\n{text}");
    fs::write(
        &main_tf,
        text.replace(good, r#"integration_type         = "kafka_mirror_maker""#),
    )
    .unwrap();
    let out = tb.validate(&dir.path().join("migration"));
    let all = out.combined();
    assert!(!out.success, "validate accepted a wrong integration_type:\n{all}");
    // The provider's validator (validation.StringInSlice) names the attribute and the value.
    let flat = all.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("expected integration_type to be one of [") && flat.contains("got kafka_mirror_maker"),
        "validate failed, but not with the provider's message:\n{all}"
    );
}

/// Runs the CLI: `plan` on the bundled example (examples/), then `generate` into `out`.
fn generate_example(out: &Path) {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let plan_dir = out.join("plan");
    Command::cargo_bin("diskless-migrator")
        .unwrap()
        .args(["--color", "never", "plan", "--inventory"])
        .arg(example.join("inventory.json"))
        .arg("--settings")
        .arg(example.join("migration.hcl"))
        .arg("--topics")
        .arg(example.join("diskless_topics_names.txt"))
        .arg("--out")
        .arg(&plan_dir)
        .assert()
        .success();
    Command::cargo_bin("diskless-migrator")
        .unwrap()
        .args(["--color", "never", "generate", "--plan"])
        .arg(plan_dir.join("plan.json"))
        .arg("--out")
        .arg(out.join("generated"))
        .assert()
        .success();
}

/// Required variables of a root (no default) set to dummy values: `TF_VAR_<name>`.
fn dummy_variables(root: &Path) -> Vec<(String, String)> {
    let text = fs::read_to_string(root.join("variables.tf")).unwrap();
    let body: hcl::Body = hcl::from_str(&text).unwrap();
    let mut vars = Vec::new();
    for block in body.blocks().filter(|b| b.identifier() == "variable") {
        let name = block.labels()[0].as_str();
        if block.body().attributes().any(|a| a.key() == "default") {
            continue;
        }
        let ty = block
            .body()
            .attributes()
            .find(|a| a.key() == "type")
            .map(|a| a.expr().to_string());
        assert_eq!(
            ty.as_deref(),
            Some("string"),
            "variable {name} of {}",
            root.display()
        );
        vars.push((format!("TF_VAR_{name}"), format!("dummy-{name}")));
    }
    vars
}

/// `terraform plan` of the example's `destination/` and `migration/` roots with the real
/// provider, dummy credentials and the Aiven API at a closed loopback port: every error must
/// be the provider failing to connect to that port, so nothing else (schema, types, the
/// provider's validators, the modules' preconditions) is wrong in what the roots ask for.
#[test]
fn example_roots_plan_with_only_api_connection_errors() {
    let tmp = tempfile::tempdir().unwrap();
    generate_example(tmp.path());
    let Some(tb) = terraform_support::testbed_if_set_up("terraform plan of the example") else {
        return;
    };
    tb.announce();
    for root in ["destination", "migration"] {
        let path = tmp.path().join("generated").join(root);
        let init = tb.init(&path);
        assert!(
            init.success,
            "{root}: terraform init failed:\n{}",
            init.combined()
        );
        let vars = dummy_variables(&path);
        let env: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let started = std::time::Instant::now();
        let plan = tb.plan_without_api(&path, &env);
        plan.assert_only_api_errors(root);
        if plan.out.success {
            assert!(
                plan.out.stdout.contains("to add"),
                "{root}: plan shows no changes:\n{}",
                plan.out.combined()
            );
        }
        eprintln!(
            "{root}: terraform plan took {:.1} s; {} error(s), all failed API connections",
            started.elapsed().as_secs_f64(),
            plan.errors.len()
        );
    }

    // The same plan sees a value the provider rejects: one topic's cleanup policy misspelled.
    let root = tmp.path().join("generated/destination");
    let topics_tf = root.join("topics.tf");
    let text = fs::read_to_string(&topics_tf).unwrap();
    let good = r#"cleanup_policy        = "compact""#;
    assert!(text.contains(good), "destination/topics.tf:\n{text}");
    fs::write(
        &topics_tf,
        text.replacen(good, r#"cleanup_policy        = "compacted""#, 1),
    )
    .unwrap();
    let env = [("TF_VAR_aiven_api_token", "dummy-token")];
    let plan = tb.plan_without_api(&root, &env);
    let other = plan.other_errors();
    assert!(
        other.len() == 1
            && other[0]
                .contains(r#"value must be one of: ["compact" "compact,delete" "delete"], got: "compacted""#),
        "a misspelled cleanup_policy should be the one error besides the API:\n{}",
        plan.out.combined()
    );
}
