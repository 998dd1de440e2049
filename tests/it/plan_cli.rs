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

/// `text` with miette's line wrapping undone: words joined by single spaces.
fn flat(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| *w != "|")
        .collect::<Vec<_>>()
        .join(" ")
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

/// A minified inventory (one 100,000-column line) with an error near its end: exit 2, the
/// file and position named, a few hundred bytes of the line shown (miette panicked past
/// column 65,535 before).
#[test]
fn an_error_far_along_a_minified_inventory_line_is_reported_briefly() {
    let dir = tempfile::tempdir().unwrap();
    let pretty = std::fs::read_to_string(example("inventory.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&pretty).unwrap();
    let mut line = serde_json::to_string(&value).unwrap();
    let padding = 100_000usize.saturating_sub(line.len());
    line.insert_str(line.len() - 1, &" ".repeat(padding));
    line.insert_str(line.len() - 1, ", ");
    let inventory = dir.path().join("min.json");
    std::fs::write(&inventory, &line).unwrap();
    let out = dir.path().join("out");
    let topics = example("diskless_topics_names.txt");
    let a = Command::cargo_bin("diskless-migrator")
        .unwrap()
        .env("NO_COLOR", "1")
        .args(["--color", "never", "plan", "--inventory"])
        .arg(&inventory)
        .arg("--settings")
        .arg(example("migration.hcl"))
        .arg("--out")
        .arg(&out)
        .arg("--topics")
        .arg(topics)
        .assert()
        .code(2);
    let err = stderr(&a);
    assert!(err.contains("min.json:1:"), "{err}");
    assert!(
        flat(&err).contains("trailing comma at line 1 column 100002"),
        "{err}"
    );
    assert!(err.len() < 4_000, "{} bytes of stderr", err.len());
}

/// A settings file whose one line is 100,000 columns long with the error at its end.
#[test]
fn an_error_far_along_a_settings_line_is_reported_briefly() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("long.hcl");
    let text = std::fs::read_to_string(example("migration.hcl")).unwrap();
    std::fs::write(&settings, format!("{text}\n{} = = 1\n", "y".repeat(100_000))).unwrap();
    let out = dir.path().join("out");
    let a = Command::cargo_bin("diskless-migrator")
        .unwrap()
        .env("NO_COLOR", "1")
        .args(["--color", "never", "plan", "--inventory"])
        .arg(example("inventory.json"))
        .arg("--settings")
        .arg(&settings)
        .arg("--out")
        .arg(&out)
        .args(["--include", ".*"])
        .assert()
        .code(2);
    let err = stderr(&a);
    assert!(err.contains("long.hcl"), "{err}");
    assert!(err.len() < 4_000, "{} bytes of stderr", err.len());
}

/// A topic list of 200,000 names missing from the inventory: reported with the count and the
/// first names with their lines. How long that takes (it took minutes when every name got a
/// near-match search and a label) is measured by `benches/big_inputs.sh`, not here: a timed
/// test fails on a busy machine.
#[test]
fn two_hundred_thousand_missing_topics_are_reported_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("topics.txt");
    let text: String = (0..200_000).map(|i| format!("missing-topic-{i}\n")).collect();
    std::fs::write(&list, text).unwrap();
    let a = plan(&["--topics", list.to_str().unwrap()], &dir.path().join("out")).code(2);
    let err = stderr(&a);
    assert!(err.contains("200000 topic(s)"), "{err}");
    assert!(flat(&err).contains("`missing-topic-0` (line 1)"), "{err}");
    assert!(flat(&err).contains("and 199990 more"), "{err}");
    assert!(err.len() < 8_000, "{} bytes of stderr", err.len());
}

/// A topic name line of 100,000 characters: an invalid name, reported briefly.
#[test]
fn a_huge_topic_list_line_is_reported_briefly() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("topics.txt");
    std::fs::write(&list, format!("ok\n{}!\n", "a".repeat(100_000))).unwrap();
    let a = plan(&["--topics", list.to_str().unwrap()], &dir.path().join("out")).code(2);
    let err = stderr(&a);
    assert!(err.contains("topics.txt"), "{err}");
    assert!(flat(&err).contains("(100001 bytes in all)` (line 2)"), "{err}");
    assert!(err.len() < 4_000, "{} bytes of stderr", err.len());
}

/// Two partitions of 2^63 bytes each: refused with exit 2 (the total wrapped to 0 B before).
#[test]
fn sizes_that_overflow_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example("inventory.json")).unwrap()).unwrap();
    let topic = value["topics"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|t| t["partitions"].as_array().unwrap().len() >= 2)
        .unwrap();
    for p in topic["partitions"].as_array_mut().unwrap().iter_mut().take(2) {
        p["size_bytes"] = serde_json::json!(1u64 << 63);
    }
    let inventory = dir.path().join("inv.json");
    std::fs::write(&inventory, serde_json::to_string_pretty(&value).unwrap()).unwrap();
    let a = Command::cargo_bin("diskless-migrator")
        .unwrap()
        .env("NO_COLOR", "1")
        .args(["--color", "never", "plan", "--inventory"])
        .arg(&inventory)
        .arg("--settings")
        .arg(example("migration.hcl"))
        .arg("--out")
        .arg(dir.path().join("out"))
        .args(["--include", ".*"])
        .assert()
        .code(2);
    let err = flat(&stderr(&a));
    assert!(
        err.contains("add up to more than 18446744073709551615 bytes"),
        "{err}"
    );
    assert!(err.contains("inv.json:"), "{err}");
}

/// A partition listed twice in the inventory: refused with exit 2 (it counted twice before).
#[test]
fn a_repeated_partition_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example("inventory.json")).unwrap()).unwrap();
    let partitions = value["topics"][0]["partitions"].as_array_mut().unwrap();
    let first = partitions[0].clone();
    partitions.push(first);
    let inventory = dir.path().join("inv.json");
    std::fs::write(&inventory, serde_json::to_string_pretty(&value).unwrap()).unwrap();
    let a = Command::cargo_bin("diskless-migrator")
        .unwrap()
        .env("NO_COLOR", "1")
        .args(["--color", "never", "plan", "--inventory"])
        .arg(&inventory)
        .arg("--settings")
        .arg(example("migration.hcl"))
        .arg("--out")
        .arg(dir.path().join("out"))
        .args(["--include", ".*"])
        .assert()
        .code(2);
    let err = flat(&stderr(&a));
    assert!(err.contains("partition 0 is listed twice"), "{err}");
}

/// The plan.json of the bundled example, planned as in `docs/cost.md`'s worked example.
fn example_plan_json(dir: &Path, extra: &[&str]) -> serde_json::Value {
    let topics = example("diskless_topics_names.txt");
    let mut args = vec![
        "--topics",
        topics.to_str().unwrap(),
        "--include",
        "metrics\\..*|audit\\..*",
    ];
    args.extend_from_slice(extra);
    plan(&args, dir).success();
    serde_json::from_str(&std::fs::read_to_string(dir.join("plan.json")).unwrap()).unwrap()
}

fn topic_of<'v>(plan: &'v serde_json::Value, name: &str) -> &'v serde_json::Value {
    plan["topics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap()
}

/// The figures `docs/cost.md` works out by hand for `orders.events` are the tool's.
#[test]
fn the_worked_example_matches_the_tool() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/cost.md")).unwrap();
    let block = doc
        .split("<!-- worked-example: orders.events -->")
        .nth(1)
        .expect("docs/cost.md has the worked example block");
    let block = block
        .split("```text\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let plan = example_plan_json(dir.path(), &[]);
    let cost = &topic_of(&plan, "orders.events")["cost"];
    let mut checked = 0;
    for line in block.lines().filter(|l| !l.trim().is_empty()) {
        let (path, value) = line.split_once(" = ").unwrap();
        let expected: f64 = value.trim().parse().unwrap();
        let mut actual = cost;
        for key in path.split('.') {
            actual = &actual[key];
        }
        assert_eq!(actual.as_f64(), Some(expected), "{path} in docs/cost.md");
        checked += 1;
    }
    assert_eq!(checked, 13);
    // The parameters are the defaults the document names.
    assert_eq!(plan["cost"]["parameters"]["cross_zone_per_gb"], 0.02);
    assert_eq!(plan["cost"]["objects_per_second"], 12.0);
    assert_eq!(plan["cost"]["diskless_bytes_per_second"], 9_502_720.0);
}

#[test]
fn suggest_writes_the_ranked_topics_and_leaves_out_latency_sensitive_ones() {
    let dir = tempfile::tempdir().unwrap();
    let topics = example("diskless_topics_names.txt");
    let args = [
        "--topics",
        topics.to_str().unwrap(),
        "--include",
        "metrics\\..*|audit\\..*",
        "--suggest",
        "3",
    ];
    let a = plan(&args, dir.path()).success();
    let text = std::fs::read_to_string(dir.path().join("suggested_topics.txt")).unwrap();
    let names: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split(" #").next().unwrap())
        .collect();
    assert_eq!(names, ["clickstream.raw", "orders.events", "metrics.host"]);
    assert!(stderr(&a).contains("3 of the 3 topic(s)"), "{}", stderr(&a));
    // No temporary file is left behind.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
    // The file is a topic list `plan --topics` reads.
    let again = tempfile::tempdir().unwrap();
    plan(
        &[
            "--topics",
            dir.path().join("suggested_topics.txt").to_str().unwrap(),
        ],
        again.path(),
    )
    .success();

    // latency_sensitive topics are ranked no more; more asked for than ranked is said.
    let base = std::fs::read_to_string(example("migration.hcl")).unwrap();
    let settings = dir.path().join("latency.hcl");
    std::fs::write(
        &settings,
        format!("{base}\nlatency_sensitive {{\n  regex  = \"clickstream\\\\..*\"\n  reason = \"the UI waits\"\n}}\n"),
    )
    .unwrap();
    let out = dir.path().join("latency");
    let a = Command::cargo_bin("diskless-migrator")
        .unwrap()
        .args(["--color", "never", "plan", "--inventory"])
        .arg(example("inventory.json"))
        .arg("--settings")
        .arg(&settings)
        .args(&args[..4])
        .args(["--suggest", "10"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    assert!(stderr(&a).contains("4 of the 10"), "{}", stderr(&a));
    let text = std::fs::read_to_string(out.join("suggested_topics.txt")).unwrap();
    assert!(!text.contains("\nclickstream.raw"), "{text}");
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("plan.json")).unwrap()).unwrap();
    let click = &topic_of(&plan, "clickstream.raw")["cost"];
    assert_eq!(click["rank"], serde_json::Value::Null);
    assert_eq!(
        click["not_ranked"],
        "latency-sensitive (settings latency_sensitive `clickstream\\..*`: the UI waits)"
    );
    assert_eq!(topic_of(&plan, "orders.events")["cost"]["rank"], 1);
}

/// A topic whose rate was not sampled has a null cost with the reason, and the summary says
/// to sample; nothing is guessed.
#[test]
fn unsampled_topics_have_unknown_costs_and_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let mut inventory: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example("inventory.json")).unwrap()).unwrap();
    for t in inventory["topics"].as_array_mut().unwrap() {
        if t["name"] == "orders.events" {
            for p in t["partitions"].as_array_mut().unwrap() {
                p["throughput"] = serde_json::Value::Null;
            }
        }
    }
    let path = dir.path().join("inventory.json");
    std::fs::write(&path, serde_json::to_string(&inventory).unwrap()).unwrap();
    let a = Command::cargo_bin("diskless-migrator")
        .unwrap()
        .args([
            "--color",
            "never",
            "plan",
            "--include",
            "orders\\..*|payments\\..*",
        ])
        .arg("--inventory")
        .arg(&path)
        .arg("--settings")
        .arg(example("migration.hcl"))
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    let out = stdout(&a);
    assert!(out.contains("1 topic(s) priced, 1 unknown"), "{out}");
    assert!(
        out.contains("run `discover --sample SECONDS` and plan again"),
        "{out}"
    );
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("plan.json")).unwrap()).unwrap();
    let cost = &topic_of(&plan, "orders.events")["cost"];
    assert_eq!(cost["classic"], serde_json::Value::Null);
    assert_eq!(cost["diskless"], serde_json::Value::Null);
    assert_eq!(cost["saving"], serde_json::Value::Null);
    assert!(cost["unknown"].as_str().unwrap().contains("not sampled"));
}

#[test]
fn a_bad_cost_value_points_at_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(example("migration.hcl")).unwrap();
    let settings = dir.path().join("cost.hcl");
    std::fs::write(
        &settings,
        format!("{base}\ncost {{\n  zones = 3\n  disk_utilization = 1.5\n}}\n"),
    )
    .unwrap();
    let a = Command::cargo_bin("diskless-migrator")
        .unwrap()
        .env("NO_COLOR", "1")
        .args(["--color", "never", "plan", "--include", "orders\\..*"])
        .arg("--inventory")
        .arg(example("inventory.json"))
        .arg("--settings")
        .arg(&settings)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(2);
    let err = flat(&stderr(&a));
    assert!(
        err.contains("`disk_utilization` must be a number from 0 to 1"),
        "{err}"
    );
    let line = base.lines().count() + 4;
    assert!(err.contains(&format!("cost.hcl:{line}:3")), "{err}");
    assert!(err.contains("disk_utilization = 0.5"), "{err}");
    assert!(!dir.path().join("out").join("plan.json").exists());
}

/// `--access off` leaves users, ACLs, quotas, grants and client settings out of the plan, the
/// summary says so, and `generate` writes none of their files.
#[test]
fn access_off_leaves_access_out_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let topics = example("diskless_topics_names.txt");
    let a = plan(
        &["--topics", topics.to_str().unwrap(), "--access", "off"],
        dir.path(),
    )
    .success();
    assert!(
        stdout(&a).contains("Access: left out (plan --access off)"),
        "{}",
        stdout(&a)
    );
    let plan: diskless_migrator::plan::Plan =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("plan.json")).unwrap()).unwrap();
    let access = plan.access.expect("the plan says what happened to access");
    assert!(!access.managed && access.acls.is_empty() && access.users.is_empty());
    let out = dir.path().join("generated");
    diskless_migrator::generate::generate_to(&plan_of(dir.path()), &out).unwrap();
    assert!(!out.join("destination/access.tf").exists());
    assert!(!out.join("source-grants.sh").exists() && !out.join("clients").exists());
    let runbook = std::fs::read_to_string(out.join("RUNBOOK.md")).unwrap();
    assert!(runbook.contains("Access is left out of this plan"), "{runbook}");
}

fn plan_of(dir: &Path) -> diskless_migrator::plan::Plan {
    serde_json::from_str(&std::fs::read_to_string(dir.join("plan.json")).unwrap()).unwrap()
}
