//! Test-bed checks with real Terraform and the real Aiven provider (v4.61.0): the hand-written
//! modules are `fmt`-clean and validate, broken copies are rejected, and the installed provider
//! prints the committed schema fixture.
//!
//! Needs `bash tests/testbed/setup.sh` (Terraform part: `tests/testbed/setup-terraform.sh`).

use crate::terraform_support;

use std::fs;
use std::path::Path;

use terraform_support::{Testbed, copy_dir, testbed};

const MODULE: &str = "kafka-topics";

/// A root configuration that calls the module the way generated roots will.
const ROOT_MAIN_TF: &str = r#"terraform {
  required_version = ">= 1.5"

  required_providers {
    aiven = {
      source  = "aiven/aiven"
      version = "4.61.0"
    }
  }
}

provider "aiven" {
  api_token = var.aiven_api_token
}

variable "aiven_api_token" {
  type      = string
  sensitive = true
  default   = "not-a-real-token"
}

module "topics" {
  source       = "../modules/kafka-topics"
  project      = "test-project"
  service_name = "kafka-diskless"

  topics = {
    orders = { partitions = 6, replication = 1, config = { diskless_enable = true, retention_ms = "604800000" } }
    audit = {
      partitions  = 3
      replication = 3
      config      = { cleanup_policy = "compact", preallocate = true, min_cleanable_dirty_ratio = 0.5 }
    }
  }
}

output "diskless_topic_names" {
  value = module.topics.diskless_topic_names
}
"#;

/// Lays out `<tmp>/modules/kafka-topics` and `<tmp>/root/main.tf`; returns the root dir.
fn root_with_module(tb: &Testbed, tmp: &Path) -> std::path::PathBuf {
    copy_dir(&tb.module_dir(MODULE), &tmp.join("modules").join(MODULE)).expect("copy module");
    let root = tmp.join("root");
    fs::create_dir_all(&root).expect("create root dir");
    fs::write(root.join("main.tf"), ROOT_MAIN_TF).expect("write root main.tf");
    root
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).expect("read file to edit");
    assert!(
        text.contains(from),
        "{} does not contain {from:?}",
        path.display()
    );
    fs::write(path, text.replacen(from, to, 1)).expect("write edited file");
}

#[test]
fn module_is_fmt_clean_and_misaligned_copy_is_not() {
    let tb = testbed();
    tb.announce();
    let ok = tb.fmt_check(&tb.module_dir(MODULE));
    assert!(
        ok.success,
        "modules/{MODULE} is not terraform-fmt clean:\n{}",
        ok.combined()
    );

    let tmp = tempfile::tempdir().expect("tempdir");
    let copy = tmp.path().join(MODULE);
    copy_dir(&tb.module_dir(MODULE), &copy).expect("copy module");
    edit(
        &copy.join("main.tf"),
        "  topic_name   = each.key",
        "  topic_name = each.key",
    );
    let bad = tb.fmt_check(&copy);
    assert!(
        !bad.success,
        "fmt -check accepted a misaligned `=`:\n{}",
        bad.combined()
    );
    assert!(
        bad.stdout.contains("main.tf"),
        "fmt -check should name main.tf:\n{}",
        bad.combined()
    );
    // The root used by the other tests is fmt-clean too, so generated roots can copy its style.
    let tmp_root = tempfile::tempdir().expect("tempdir");
    let root = root_with_module(&tb, tmp_root.path());
    let root_fmt = tb.fmt_check(&root);
    assert!(
        root_fmt.success,
        "test root is not fmt clean:\n{}",
        root_fmt.combined()
    );
}

#[test]
fn module_validates_against_provider_schema() {
    let tb = testbed();
    tb.announce();
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = root_with_module(&tb, tmp.path());
    let out = tb.init_and_validate(&root);
    assert!(
        out.success,
        "init + validate failed ({}):\n{}",
        tb.provider,
        out.combined()
    );
    assert!(
        out.stdout.contains("The configuration is valid"),
        "{}",
        out.combined()
    );
}

#[test]
fn validate_rejects_unknown_topic_attribute() {
    let tb = testbed();
    tb.announce();
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = root_with_module(&tb, tmp.path());
    edit(
        &tmp.path().join("modules").join(MODULE).join("main.tf"),
        "  replication  = each.value.replication\n",
        "  replication  = each.value.replication\n  retention_hours = 24\n",
    );
    let out = tb.init_and_validate(&root);
    assert!(
        !out.success,
        "validate accepted an unknown attribute:\n{}",
        out.combined()
    );
    let text = out.combined();
    assert!(
        text.contains("Unsupported argument") && text.contains("retention_hours"),
        "{text}"
    );
}

#[test]
fn validate_rejects_missing_required_attribute_and_unknown_config_key() {
    let tb = testbed();
    tb.announce();
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = root_with_module(&tb, tmp.path());
    let main_tf = tmp.path().join("modules").join(MODULE).join("main.tf");
    edit(&main_tf, "  partitions   = each.value.partitions\n", "");
    // An attribute inside the nested `config` block that the provider does not have.
    edit(
        &main_tf,
        "    diskless_enable                     = try(each.value.config.diskless_enable, null)\n",
        "    diskless_enable                     = try(each.value.config.diskless_enable, null)\n    inkless_enable = true\n",
    );
    let out = tb.init_and_validate(&root);
    assert!(
        !out.success,
        "validate accepted a broken topic:\n{}",
        out.combined()
    );
    let text = out.combined();
    assert!(
        text.contains(r#"The argument "partitions" is required"#),
        "{text}"
    );
    assert!(text.contains("inkless_enable"), "{text}");
}

/// The module's own checks on each topic: every broken topic is refused by `terraform plan`
/// with the module's message naming it, and the intact root plans up to the Aiven API (the
/// variable is untyped for speed, so these preconditions are its contract). The API is out of
/// reach: the real provider asks it whether each topic exists, and nothing but that may fail.
#[test]
fn plan_rejects_topics_the_module_forbids() {
    let tb = testbed();
    tb.announce();
    let orders = r#"orders = { partitions = 6, replication = 1, config = { diskless_enable = true, retention_ms = "604800000" } }"#;
    let cases = [
        (
            r#"orders = { partitions = 6, replication = 3, config = { diskless_enable = true } }"#,
            "Topic orders is diskless (config.diskless_enable = true), so it must have replication = 1.",
        ),
        (
            r#"orders = { replication = 1, config = { diskless_enable = true } }"#,
            "Topic orders: partitions must be a whole number of at least 1.",
        ),
        (
            r#"orders = { partitions = 2.5, replication = 1 }"#,
            "Topic orders: partitions must be a whole number of at least 1.",
        ),
        (
            r#"orders = { partitions = 6, replication = 1, config = { diskless_enable = true, cleanup_policy = "compact,delete" } }"#,
            "Topic orders is diskless, so it cannot be compacted",
        ),
        (
            r#"orders = { partitions = 6, replication = 1, config = { diskless_enable = true, remote_storage_enable = true } }"#,
            "Topic orders is diskless, so it cannot also enable remote storage",
        ),
    ];
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = root_with_module(&tb, tmp.path());
    let init = tb.init(&root);
    assert!(init.success, "{}", init.combined());
    let intact = tb.plan_without_api(&root, &[]);
    intact.assert_only_api_errors("the intact root");
    assert!(
        !intact.out.success,
        "the real provider planned topics without asking the API:\n{}",
        intact.out.combined()
    );
    for (topic, message) in cases {
        let text = fs::read_to_string(root.join("main.tf")).expect("read main.tf");
        assert!(text.contains(orders), "the test root lost its `orders` topic");
        fs::write(root.join("main.tf"), text.replacen(orders, topic, 1)).expect("write main.tf");
        let plan = tb.plan_without_api(&root, &[]);
        fs::write(root.join("main.tf"), text).expect("restore main.tf");
        let text = plan.out.combined();
        assert!(!plan.out.success, "plan accepted {topic}:\n{text}");
        // Terraform wraps long messages; the diagnostics have the line breaks taken out.
        assert!(
            plan.other_errors().iter().any(|e| e.contains(message)),
            "{topic}: expected {message:?} in:\n{text}"
        );
    }
}

#[test]
fn providers_schema_round_trips_the_fixture() {
    let tb = testbed();
    tb.announce();
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = root_with_module(&tb, tmp.path());
    let init = tb.init(&root);
    assert!(init.success, "{}", init.combined());
    let schema = tb.providers_schema(&root);
    let topic = &schema["provider_schemas"]["registry.terraform.io/aiven/aiven"]["resource_schemas"]["aiven_kafka_topic"]
        ["block"]["block_types"]["config"]["block"]["attributes"]["diskless_enable"];
    assert_eq!(
        topic["type"], "bool",
        "aiven_kafka_topic.config.diskless_enable should be a bool"
    );
    // The fixture is the installed provider's own output, cut to the types the project uses.
    let fixture = tb.schema_fixture();
    let fixture_provider = &fixture["provider_schemas"]["registry.terraform.io/aiven/aiven"];
    let provider = &schema["provider_schemas"]["registry.terraform.io/aiven/aiven"];
    assert_eq!(
        provider["provider"], fixture_provider["provider"],
        "the provider block differs from tests/fixtures/aiven-provider-schema.json; \
         regenerate it with tests/testbed/regenerate-provider-schema.sh"
    );
    for kind in ["resource_schemas", "data_source_schemas"] {
        let types = fixture_provider[kind].as_object().expect("fixture types");
        assert!(!types.is_empty(), "the fixture has no {kind}");
        for (name, want) in types {
            assert!(
                &provider[kind][name] == want,
                "{kind}.{name} of the installed provider differs from \
                 tests/fixtures/aiven-provider-schema.json; regenerate it with \
                 tests/testbed/regenerate-provider-schema.sh"
            );
        }
    }
}
