//! `diskless-migrator plan` end to end on the example inventory and settings: snapshots of
//! plan.json and the summaries, exit codes and diagnostics for bad input.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name)
}

fn plan(extra: &[&str], out: &Path) -> assert_cmd::assert::Assert {
    Command::cargo_bin("diskless-migrator")
        .unwrap()
        .env("NO_COLOR", "1")
        .args(["--color", "never", "plan", "--inventory"])
        .arg(example("inventory.json"))
        .arg("--settings")
        .arg(example("migration.hcl"))
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
}

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stderr.clone()).unwrap()
}

#[test]
fn example_plan_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let topics = example("diskless_topics_names.txt");
    let topics = topics.to_str().unwrap();
    let text = plan(
        &["--topics", topics, "--include", "metrics\\..*|audit\\..*"],
        dir.path(),
    )
    .success();
    insta::assert_snapshot!("summary_text", stdout(&text));
    let json = std::fs::read_to_string(dir.path().join("plan.json")).unwrap();
    insta::assert_snapshot!("plan_json", json);

    let md = plan(
        &[
            "--topics",
            topics,
            "--include",
            "metrics\\..*|audit\\..*",
            "--format",
            "markdown",
        ],
        dir.path(),
    )
    .success();
    insta::assert_snapshot!("summary_markdown", stdout(&md));
    let again = plan(
        &[
            "--topics",
            topics,
            "--include",
            "metrics\\..*|audit\\..*",
            "--format",
            "json",
        ],
        dir.path(),
    )
    .success();
    assert_eq!(
        stdout(&again),
        json,
        "--format json prints plan.json, byte-identical"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("plan.json")).unwrap(),
        json
    );
}

#[test]
fn strict_refuses_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let a = plan(&["--include", ".*", "--strict"], dir.path()).code(1);
    assert!(stderr(&a).contains("error[diskless-refused-compacted]"));
    assert!(!dir.path().join("plan.json").exists());
}

#[test]
fn missing_topics_are_reported_with_near_matches() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("topics.txt");
    std::fs::write(&list, "orders.event\nclickstream.raw\npayments_v2_events\n").unwrap();
    let a = plan(&["--topics", list.to_str().unwrap()], &dir.path().join("out")).code(2);
    let err = stderr(&a);
    assert!(err.contains("2 topic(s)"), "{err}");
    assert!(err.contains("did you mean `orders.events`?"), "{err}");
    assert!(err.contains("did you mean `payments.v2_events`?"), "{err}");
}

#[test]
fn bad_inputs_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("topics.txt");
    std::fs::write(&list, "orders.events\norders.events\n").unwrap();
    let a = plan(&["--topics", list.to_str().unwrap()], dir.path()).code(2);
    assert!(stderr(&a).contains("already listed on line 1"));

    std::fs::write(&list, "orders events\n").unwrap();
    let a = plan(&["--topics", list.to_str().unwrap()], dir.path()).code(2);
    assert!(stderr(&a).contains("illegal character"));

    let a = plan(&["--include", "nothing-matches"], dir.path()).code(2);
    assert!(stderr(&a).contains("selection is empty"));

    let a = plan(&[], dir.path()).code(2);
    assert!(stderr(&a).contains("no topics selected"));

    let settings = dir.path().join("bad.hcl");
    let text = std::fs::read_to_string(example("migration.hcl"))
        .unwrap()
        .replace("max_flows", "max_flow");
    std::fs::write(&settings, text).unwrap();
    let a = Command::cargo_bin("diskless-migrator")
        .unwrap()
        .args(["--color", "never", "plan", "--include", ".*", "--inventory"])
        .arg(example("inventory.json"))
        .arg("--settings")
        .arg(&settings)
        .arg("--out")
        .arg(dir.path())
        .assert()
        .code(2);
    let err = stderr(&a);
    assert!(err.contains("unknown key `max_flow` in `flows`"), "{err}");
    assert!(err.contains("did you mean `max_flows`?"), "{err}");

    let inventory = dir.path().join("inventory.json");
    std::fs::write(&inventory, r#"{"schema_version": 99}"#).unwrap();
    let a = Command::cargo_bin("diskless-migrator")
        .unwrap()
        .args(["plan", "--include", ".*", "--inventory"])
        .arg(&inventory)
        .arg("--settings")
        .arg(example("migration.hcl"))
        .arg("--out")
        .arg(dir.path())
        .assert()
        .code(2);
    assert!(stderr(&a).contains("schema_version 99"));
}

#[test]
fn keep_classic_in_the_settings() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(example("migration.hcl")).unwrap();
    let run = |extra: &str, out: &str| {
        let settings = dir.path().join(format!("{out}.hcl"));
        std::fs::write(&settings, format!("{base}\n{extra}")).unwrap();
        Command::cargo_bin("diskless-migrator")
            .unwrap()
            .env("NO_COLOR", "1")
            .args([
                "--color",
                "never",
                "plan",
                "--include",
                "orders\\..*",
                "--format",
                "json",
            ])
            .arg("--inventory")
            .arg(example("inventory.json"))
            .arg("--settings")
            .arg(&settings)
            .arg("--out")
            .arg(dir.path().join(out))
            .assert()
    };
    let ok = run(
        "keep_classic {\n  regex  = \"orders\\\\.events\"\n  reason = \"read by read_committed consumers\"\n}\n",
        "ok",
    )
    .success();
    let plan: serde_json::Value = serde_json::from_str(&stdout(&ok)).unwrap();
    let orders = plan["topics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "orders.events")
        .unwrap();
    assert_eq!(orders["decision"], "classic");
    assert_eq!(
        orders["reason"],
        "kept classic by settings keep_classic `orders\\.events`: read by read_committed consumers"
    );

    let bad = run(
        "keep_classic {\n  regex  = \"orders.(events\"\n  reason = \"read_committed\"\n}\n",
        "bad",
    )
    .code(2);
    let err = stderr(&bad);
    assert!(
        err.contains("`orders.(events` in `keep_classic` is not a valid regex"),
        "{err}"
    );
    let line = base.lines().count() + 3;
    assert!(err.contains(&format!("bad.hcl:{line}:3")), "{err}");
    assert!(!dir.path().join("bad").join("plan.json").exists());
}
