//! Tests of `generate`: snapshots of the generated tree, determinism, diff-friendliness, no
//! secrets, Terraform Cloud readiness, dashboards, and the provider schema.

use crate::generate_support;

use std::collections::BTreeSet;

use diskless_migrator::generate::{self, Tree};
use diskless_migrator::plan::{Decision, PLAN_SCHEMA_VERSION};
use generate_support::{PlanBuilder, large_plan, small_plan};

fn tree(plan: &diskless_migrator::plan::Plan) -> Tree {
    generate::generate(plan).expect("plan renders").tree
}

#[test]
fn snapshot_of_the_small_plan() {
    let t = tree(&small_plan());
    let listing: Vec<&str> = t.paths().collect();
    insta::assert_snapshot!("files", listing.join("\n"));
    for (path, bytes) in t.iter() {
        // Modules are copied verbatim from modules/, which is reviewed as source.
        if path.contains("/modules/") {
            continue;
        }
        let name = path.replace('/', "__");
        insta::assert_snapshot!(name, std::str::from_utf8(bytes).unwrap());
    }
}

#[test]
fn snapshot_of_the_access_files() {
    let t = tree(&generate_support::access_plan());
    for path in [
        "destination/access.tf",
        "destination/main.tf",
        "destination/variables.tf",
        "source-grants.sh",
        "clients/alice.properties",
        "clients/billing-app.properties",
        "clients/bob.properties",
    ] {
        let text = t.get_str(path).unwrap_or_else(|| panic!("{path} not generated"));
        insta::assert_snapshot!(format!("access__{}", path.replace('/', "__")), text);
    }
    // Written and checked: the folder is up to date, client files included.
    let dir = tempfile::tempdir().unwrap();
    let plan = generate_support::access_plan();
    generate::generate_to(&plan, dir.path()).unwrap();
    assert!(dir.path().join("clients/alice.properties").is_file());
    assert_eq!(generate::check(&plan, dir.path()).unwrap(), vec![]);
    // Without an access section, none of them is written.
    let plain = tree(&small_plan());
    assert!(
        !plain
            .paths()
            .any(|p| p.contains("access") || p.starts_with("clients/") || p == "source-grants.sh")
    );
}

#[test]
fn hand_edited_access_values_cannot_reach_the_generated_files() {
    use diskless_migrator::plan::Plan;
    type Edit = Box<dyn Fn(&mut Plan)>;
    let cases: Vec<(&str, Edit)> = vec![
        (
            "newline in a principal",
            Box::new(|p| p.access.as_mut().unwrap().acls[0].binding.principal = "User:a\nb".into()),
        ),
        (
            "shell in a resource name",
            Box::new(|p| p.access.as_mut().unwrap().acls[0].binding.resource_name = "$(id)".into()),
        ),
        (
            "quote in a host",
            Box::new(|p| p.access.as_mut().unwrap().acls[0].binding.host = "\"*".into()),
        ),
        (
            "a key that is not the binding's",
            Box::new(|p| p.access.as_mut().unwrap().acls[0].key = "other".into()),
        ),
        (
            "a user name with a space",
            Box::new(|p| p.access.as_mut().unwrap().users[0].username = "al ice".into()),
        ),
        (
            "a source principal with a quote",
            Box::new(|p| {
                p.access.as_mut().unwrap().source_grants.principal = Some("User:x'; rm -rf /".into())
            }),
        ),
        (
            "a group with a backtick",
            Box::new(|p| {
                p.access.as_mut().unwrap().source_grants.grants[1].resource_names[0] = "`id`".into()
            }),
        ),
        (
            "a client of no planned user",
            Box::new(|p| p.access.as_mut().unwrap().clients[0].username = "mallory".into()),
        ),
        (
            "a quota of no planned user",
            Box::new(|p| p.access.as_mut().unwrap().quotas[1].user = Some("mallory".into())),
        ),
    ];
    for (what, edit) in cases {
        let mut plan = generate_support::access_plan();
        edit(&mut plan);
        let err = diskless_migrator::generate::generate(&plan).expect_err(what);
        assert!(err.to_string().contains("access"), "{what}: {err}");
    }
}

#[test]
fn snapshot_of_a_minimal_plan_main_files() {
    let plan = PlanBuilder::minimal()
        .topic("events", Decision::Diskless, 3, "flow-01")
        .build();
    let t = tree(&plan);
    assert!(
        !t.paths()
            .any(|p| p.starts_with("dashboards/") || p.contains("observability"))
    );
    insta::assert_snapshot!(
        "minimal__migration__main.tf",
        t.get_str("migration/main.tf").unwrap()
    );
    insta::assert_snapshot!(
        "minimal__migration__variables.tf",
        t.get_str("migration/variables.tf").unwrap()
    );
    insta::assert_snapshot!(
        "minimal__destination__versions.tf",
        t.get_str("destination/versions.tf").unwrap()
    );
    insta::assert_snapshot!("minimal__mm2.properties", t.get_str("mm2.properties").unwrap());
}

#[test]
fn generating_twice_gives_identical_bytes() {
    let plan = large_plan(500, 3);
    assert_eq!(tree(&plan), tree(&plan));
    // Topic order in the plan does not matter either.
    let mut shuffled = plan.clone();
    shuffled.topics.reverse();
    shuffled.flows.reverse();
    assert_eq!(tree(&plan), tree(&shuffled));
}

/// Lines inserted between the common prefix and suffix of two texts, or `None` if `new` is
/// not `old` plus one contiguous insertion.
fn inserted_lines<'a>(old: &str, new: &'a str) -> Option<Vec<&'a str>> {
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    (prefix + suffix == old.len()).then(|| new[prefix..new.len() - suffix].to_vec())
}

#[test]
fn adding_one_topic_changes_only_that_topics_lines() {
    let base = PlanBuilder::new()
        .topic("alpha", Decision::Diskless, 3, "flow-01")
        .topic("charlie", Decision::Diskless, 3, "flow-01")
        .topic("zulu-long-topic-name", Decision::Classic, 3, "flow-02");
    let before = tree(&base.build());
    let after = tree(
        &PlanBuilder::new()
            .topic("alpha", Decision::Diskless, 3, "flow-01")
            .topic("charlie", Decision::Diskless, 3, "flow-01")
            .topic("zulu-long-topic-name", Decision::Classic, 3, "flow-02")
            .topic(
                "bravo-a-much-longer-name-than-the-others",
                Decision::Diskless,
                6,
                "flow-01",
            )
            .build(),
    );
    let added = "bravo-a-much-longer-name-than-the-others";
    for (path, new) in after.iter() {
        let new = std::str::from_utf8(new).unwrap();
        let old = before.get_str(path).unwrap_or_else(|| panic!("{path} is new"));
        if !path.ends_with(".tf") {
            continue; // prose (READMEs, runbook) and mm2.properties carry counts and joined lists
        }
        match path {
            "destination/topics.tf" => {
                let lines = inserted_lines(old, new).expect("topics.tf: one insertion");
                assert_eq!(lines.len(), 8, "{lines:#?}");
                assert!(lines[0].contains(added));
            }
            "migration/flows.tf" => {
                let lines = inserted_lines(old, new).expect("flows.tf: one insertion");
                assert_eq!(
                    lines,
                    vec![r#"        "^bravo\\-a\\-much\\-longer\\-name\\-than\\-the\\-others$","#]
                );
            }
            _ => assert_eq!(old, new, "{path} changed"),
        }
    }
}

#[test]
fn no_secret_from_the_environment_appears_in_any_file() {
    let secrets = [
        "tok-7d1e0c8a9b-SECRET",
        "pw-b52f1d77-SECRET",
        "-----BEGIN PRIVATE KEY-----x9",
    ];
    let plan_dir = tempfile::tempdir().unwrap();
    let plan_path = plan_dir.path().join("plan.json");
    std::fs::write(&plan_path, serde_json::to_string(&small_plan()).unwrap()).unwrap();
    let out = plan_dir.path().join("out");
    assert_cmd::Command::cargo_bin("diskless-migrator")
        .unwrap()
        .args(["generate", "--plan"])
        .arg(&plan_path)
        .arg("--out")
        .arg(&out)
        .env("TF_VAR_aiven_api_token", secrets[0])
        .env("AIVEN_TOKEN", secrets[0])
        .env("TF_VAR_source_sasl_password", secrets[1])
        .env("SOURCE_SASL_PASSWORD", secrets[1])
        .env("TF_VAR_source_ssl_client_key", secrets[2])
        .assert()
        .success();
    let mut checked = 0;
    for entry in walk(&out) {
        let text = std::fs::read_to_string(&entry).unwrap();
        for s in secrets {
            assert!(!text.contains(s), "{} contains a secret", entry.display());
        }
        checked += 1;
    }
    assert!(checked > 20);
    // Secret-bearing variables are sensitive, and properties use ${env:…} placeholders.
    let vars = std::fs::read_to_string(out.join("migration/variables.tf")).unwrap();
    for name in ["aiven_api_token", "source_sasl_password"] {
        let block = vars.split(&format!("variable \"{name}\"")).nth(1).unwrap();
        let block = &block[..block.find("\n}").unwrap()];
        assert!(block.contains("sensitive   = true"), "{name} is not sensitive");
    }
    let props = std::fs::read_to_string(out.join("mm2.properties")).unwrap();
    assert!(props.contains("password=\"${env:SOURCE_SASL_PASSWORD}\""));
    assert!(
        props.contains(
            "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider"
        )
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() { stack.push(p) } else { out.push(p) }
        }
    }
    out.sort();
    out
}

#[test]
fn terraform_cloud_ready_no_plan_time_file_reads() {
    let t = tree(&small_plan());
    let forbidden = [
        "file(",
        "fileset(",
        "filebase64(",
        "templatefile(",
        "local_file",
        "\"external\"",
        "pathexpand(",
    ];
    let mut tf_files = 0;
    for (path, bytes) in t.iter() {
        if !path.ends_with(".tf") {
            continue;
        }
        tf_files += 1;
        let text = std::str::from_utf8(bytes).unwrap();
        for f in forbidden {
            assert!(!text.contains(f), "{path} uses {f}");
        }
        // Every input is a declared variable or committed data.
        for line in text.lines() {
            assert!(
                !line.contains("path.module}/") && !line.contains("path.root"),
                "{path}: {line}"
            );
        }
    }
    assert!(tf_files >= 15);
    // Every root and module is self-contained: module sources are local copies.
    for (path, bytes) in t.iter() {
        for line in std::str::from_utf8(bytes).unwrap().lines() {
            let line = line.trim_start();
            let module_source =
                line.starts_with("source ") && line.ends_with('"') && !line.contains("aiven/aiven");
            if module_source && path.ends_with(".tf") && !path.contains("/modules/") {
                assert!(line.contains("\"./modules/"), "{path}: {line}");
            }
        }
    }
    let versions = t.get_str("migration/versions.tf").unwrap();
    assert!(versions.contains("cloud {") && versions.contains("kafka-diskless-migration"));
}

#[test]
fn every_file_has_a_generated_header() {
    let t = tree(&small_plan());
    for (path, bytes) in t.iter() {
        let text = std::str::from_utf8(bytes).unwrap();
        if path.contains("/modules/") || path.ends_with(".json") {
            continue;
        }
        assert!(
            text.contains("Generated by `diskless-migrator generate`"),
            "{path} has no header"
        );
    }
}

#[test]
fn dashboards_are_valid_json_with_unique_ids_and_real_names() {
    let t = tree(&small_plan());
    let mut titles = BTreeSet::new();
    let dashboards: Vec<_> = t.iter().filter(|(p, _)| p.starts_with("dashboards/")).collect();
    assert_eq!(dashboards.len(), 2);
    for (path, bytes) in dashboards {
        let text = std::str::from_utf8(bytes).unwrap();
        let v: serde_json::Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut ids = BTreeSet::new();
        for p in v["panels"].as_array().unwrap() {
            assert!(ids.insert(p["id"].as_u64().unwrap()), "{path}: duplicate id");
            titles.insert(p["title"].as_str().unwrap().to_lowercase());
            for target in p["targets"].as_array().into_iter().flatten() {
                let expr = target["expr"].as_str().unwrap();
                assert!(expr.contains("project='acme-streaming'"), "{path}: {expr}");
                assert_eq!(
                    expr.matches('(').count(),
                    expr.matches(')').count(),
                    "{path}: {expr}"
                );
            }
        }
        assert!(text.contains("acme-migration-mm2"));
        assert!(!text.contains("your-aiven"), "{path} has placeholder names");
    }
    for wanted in [
        "task running ratio",
        "byte rate per topic",
        "record rate per topic",
        "replication lag by flow",
        "replication latency",
        "checkpoint latency",
        "record age",
        "connect restarts (5 min)",
        "task errors",
        "cpu",
        "memory",
        "network",
    ] {
        assert!(titles.contains(wanted), "no panel {wanted:?} in {titles:?}");
    }
}

#[test]
fn replication_flows_carry_the_required_settings() {
    let t = tree(&small_plan());
    let module = t.get_str("migration/modules/mirrormaker-flow/main.tf").unwrap();
    for needle in [
        "replication_policy_class            = var.replication_policy_class",
        "offset_syncs_topic_location         = var.offset_syncs_topic_location",
        "sync_group_offsets_enabled          = true",
        "emit_heartbeats_enabled             = var.emit_heartbeats_enabled",
        "emit_backward_heartbeats_enabled    = var.emit_backward_heartbeats_enabled",
        "enable         = var.replication_enabled",
        "config_properties_exclude",
        "topics_blacklist",
    ] {
        assert!(module.contains(needle), "flow module lacks {needle}");
    }
    let main = t.get_str("migration/main.tf").unwrap();
    // The plan's replication choices, passed to every flow by the root.
    for needle in [
        "replication_policy_class            = \"org.apache.kafka.connect.mirror.IdentityReplicationPolicy\"",
        "offset_syncs_topic_location         = \"target\"",
        "emit_heartbeats_enabled             = true",
        "emit_backward_heartbeats_enabled    = false",
    ] {
        assert!(main.contains(needle), "migration/main.tf lacks {needle}");
    }
    assert!(main.contains("data \"aiven_kafka\" \"destination\""));
    assert!(
        !main.contains("resource \"aiven_kafka\""),
        "the migration root must not manage the destination"
    );
    assert!(main.contains("\"diskless\\\\..*\""));
    let vars = t.get_str("migration/variables.tf").unwrap();
    assert!(vars.contains("variable \"replication_enabled\"") && vars.contains("default     = false"));
}

#[test]
fn bad_plans_are_input_errors() {
    let mut plan = small_plan();
    plan.schema_version = 99;
    assert!(matches!(
        generate::generate(&plan),
        Err(generate::GenerateError::SchemaVersion { .. })
    ));

    let plan = small_plan();
    let text = serde_json::to_string(&plan).unwrap().replacen(
        &format!("\"schema_version\":{PLAN_SCHEMA_VERSION}"),
        "\"schema_version\":1",
        1,
    );
    let err = generate::parse_plan("plan.json", &text).unwrap_err();
    assert!(err.to_string().contains("schema_version 1"), "{err}");

    let plan = PlanBuilder::new()
        .topic("a", Decision::Diskless, 3, "flow-01")
        .with(|p| {
            p.topics[0].replication = 3;
            p.settings.destination.kafka_version = "3.9".into();
            p.topics[0].config.insert(
                "retention_ms".into(),
                diskless_migrator::plan::ConfigValue::Bool(true),
            );
        })
        .build();
    let err = generate::generate(&plan).unwrap_err().to_string();
    assert!(err.contains("replication 3"), "{err}");
    assert!(err.contains("kafka_version \"3.9\""), "{err}");
    assert!(err.contains("retention_ms"), "{err}");
}

#[test]
fn destination_tiered_storage_comes_from_the_plan() {
    let main = |tiered: bool| {
        let mut plan = small_plan();
        plan.settings.destination.tiered_storage = tiered;
        tree(&plan).get_str("destination/main.tf").unwrap().to_owned()
    };
    let tiered_block = |text: &str| {
        let start = text.find("tiered_storage {").expect("a tiered_storage block");
        text[start..start + text[start..].find('}').unwrap()].to_owned()
    };
    assert!(tiered_block(&main(true)).contains("enabled = true"));
    assert!(tiered_block(&main(false)).contains("enabled = false"));
    let mut plan = small_plan();
    plan.settings.destination.tiered_storage = false;
    let readme = tree(&plan).get_str("destination/README.md").unwrap().to_owned();
    assert!(readme.contains("(`kafka_diskless`) and"), "{readme}");
}
