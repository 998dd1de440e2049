//! The HTML report (`report` and `generate`'s report.html) on the bundled example: a snapshot,
//! the inspect input, escaping of hostile names, bad input, and the size at 50,000 topics.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name)
}

/// An inspect JSON report for the example's groups: one group ready, one blocked.
pub const INSPECT_JSON: &str = r#"{"rows": [
 {"cluster_pair": "source-02->destination", "topic": "orders.events", "partition": 0, "group": "orders-projection",
  "source_topic_earliest_offset": 0, "source_topic_latest_offset": 10, "source_group_state": "Stable",
  "source_group_offset": 10, "source_group_lag": 0, "target_topic_earliest_offset": 0, "target_topic_latest_offset": 10,
  "target_group_state": "Empty", "target_group_offset": 10, "target_group_lag": 0, "target_group_lag_to_source": 0,
  "source_has_data": true, "source_group_valid": true, "target_has_data": true, "is_ok": true,
  "blocking_component": null, "message": "OK", "target_topic": "orders.events", "expected_target_offset": 10},
 {"cluster_pair": "source-01->destination", "topic": "clickstream.raw", "partition": 3, "group": "clickstream-aggregator",
  "source_topic_earliest_offset": 0, "source_topic_latest_offset": 99, "source_group_state": "Empty",
  "source_group_offset": 40, "source_group_lag": 59, "target_topic_earliest_offset": 0, "target_topic_latest_offset": 20,
  "target_group_state": "Empty", "target_group_offset": null, "target_group_lag": null, "target_group_lag_to_source": null,
  "source_has_data": true, "source_group_valid": true, "target_has_data": true, "is_ok": false,
  "blocking_component": "REPLICATION", "message": "Replication is behind the group's offset", "target_topic": "clickstream.raw",
  "expected_target_offset": null}
]}
"#;

/// Plans the bundled example into `dir` (as `docs/cost.md`'s worked example) and returns the
/// path of plan.json.
pub fn example_plan(dir: &Path) -> PathBuf {
    Command::cargo_bin("diskless-migrator")
        .unwrap()
        .args(["--color", "never", "plan", "--inventory"])
        .arg(example("inventory.json"))
        .arg("--settings")
        .arg(example("migration.hcl"))
        .arg("--topics")
        .arg(example("diskless_topics_names.txt"))
        .args(["--include", "metrics\\..*|audit\\..*", "--out"])
        .arg(dir)
        .assert()
        .success();
    dir.join("plan.json")
}

/// Runs `report` and returns the HTML.
pub fn report(plan: &Path, inspect: Option<&Path>, out: &Path) -> String {
    let mut cmd = Command::cargo_bin("diskless-migrator").unwrap();
    cmd.args(["--color", "never", "report", "--plan"]).arg(plan);
    if let Some(inspect) = inspect {
        cmd.arg("--inspect").arg(inspect);
    }
    cmd.arg("--out").arg(out).assert().success();
    std::fs::read_to_string(out).unwrap()
}

#[test]
fn example_report_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let plan = example_plan(dir.path());
    let inspect = dir.path().join("inspect.json");
    std::fs::write(&inspect, INSPECT_JSON).unwrap();
    let html = report(&plan, Some(&inspect), &dir.path().join("report.html"));
    insta::assert_snapshot!("example_report_html", html);
    assert!(html.contains("<tr class=\"group\"><td>source-02-&gt;destination</td><td>orders-projection</td><td class=\"ok\">ready</td>"));
    assert!(
        html.contains("<td class=\"blocked\">blocked</td><td class=\"n\">0 / 1</td><td>REPLICATION (1)</td>")
    );
    // The same inputs give the same bytes.
    let again = report(&plan, Some(&inspect), &dir.path().join("again.html"));
    assert_eq!(again, html);
    // generate writes the same report, without inspect results, next to RUNBOOK.md.
    let out = dir.path().join("generated");
    Command::cargo_bin("diskless-migrator")
        .unwrap()
        .args(["generate", "--plan"])
        .arg(&plan)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let generated = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(out.join("RUNBOOK.md").is_file());
    assert_eq!(generated, report(&plan, None, &dir.path().join("plain.html")));
    assert!(!generated.contains("id=\"cutover\""));
}

#[test]
fn bad_inputs_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let plan = example_plan(dir.path());
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"rows\": 3}").unwrap();
    let a = Command::cargo_bin("diskless-migrator")
        .unwrap()
        .args(["--color", "never", "report", "--plan"])
        .arg(&plan)
        .arg("--inspect")
        .arg(&bad)
        .arg("--out")
        .arg(dir.path().join("r.html"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("is not an inspect JSON report"), "{err}");
    assert!(err.contains("inspect --format json"), "{err}");
    assert!(!dir.path().join("r.html").exists());
    Command::cargo_bin("diskless-migrator")
        .unwrap()
        .args(["report", "--plan"])
        .arg(&bad)
        .arg("--out")
        .arg(dir.path().join("r.html"))
        .assert()
        .code(2);
}

/// A plan larger than the row limit gives a bounded report: the long tables are cut (the
/// size at 50,000 topics is in BENCHMARKS.md).
#[test]
fn a_large_plan_gives_a_bounded_report() {
    let plan = crate::generate_support::large_plan(3_000, 4);
    let html = diskless_migrator::generate::report::render(&plan, None);
    let rows = html.matches("<tr class=\"topic\">").count();
    assert_eq!(rows, diskless_migrator::generate::report::ROW_LIMIT);
    assert!(html.contains("Showing the first 1,000 of 3,000 topics"), "note");
    assert!(html.len() < 2_000_000, "{} bytes", html.len());
}
