//! The `generate` command line: exit codes and messages for good and bad input, and `--check`.

use crate::generate_support;

use assert_cmd::Command;
use predicates_free::*;

mod predicates_free {
    /// Whether `haystack` contains `needle`, with the haystack in the failure message.
    pub fn has(haystack: &[u8], needle: &str) -> bool {
        String::from_utf8_lossy(haystack).contains(needle)
    }
}

fn write_plan(dir: &std::path::Path, plan: &diskless_migrator::plan::Plan) -> std::path::PathBuf {
    let path = dir.join("plan.json");
    std::fs::write(&path, serde_json::to_string_pretty(plan).unwrap()).unwrap();
    path
}

fn cmd() -> Command {
    Command::cargo_bin("diskless-migrator").unwrap()
}

#[test]
fn generate_then_check_is_clean_and_hand_edits_are_stale() {
    let dir = tempfile::tempdir().unwrap();
    let plan = write_plan(dir.path(), &generate_support::small_plan());
    let out = dir.path().join("out");
    let run = cmd()
        .args(["generate", "--plan"])
        .arg(&plan)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    assert!(has(&run.get_output().stdout, "Wrote 34 files"));

    let ok = cmd()
        .args(["generate", "--check", "--plan"])
        .arg(&plan)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    assert!(has(&ok.get_output().stdout, "is up to date"));

    // Terraform's own files next to generated ones are not differences.
    std::fs::write(out.join("destination/terraform.tfstate"), "{}").unwrap();
    std::fs::write(out.join("destination/.terraform.lock.hcl"), "# lock").unwrap();
    cmd()
        .args(["generate", "--check", "--plan"])
        .arg(&plan)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);

    // A hand edit, a deleted file and a stray dashboard are.
    let topics = out.join("destination/topics.tf");
    let edited = std::fs::read_to_string(&topics)
        .unwrap()
        .replace("partitions  = 6", "partitions  = 7");
    std::fs::write(&topics, edited).unwrap();
    std::fs::remove_file(out.join("RUNBOOK.md")).unwrap();
    std::fs::write(out.join("dashboards/mine.json"), "{}").unwrap();
    let stale = cmd()
        .args(["generate", "--check", "--plan"])
        .arg(&plan)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1);
    let stdout = String::from_utf8_lossy(&stale.get_output().stdout).to_string();
    assert!(stdout.contains("changed    destination/topics.tf"), "{stdout}");
    assert!(stdout.contains("missing    RUNBOOK.md"), "{stdout}");
    assert!(stdout.contains("unexpected dashboards/mine.json"), "{stdout}");
    assert!(stdout.contains("3 file(s) differ"), "{stdout}");

    // Generating again repairs it and keeps the state file.
    cmd()
        .args(["generate", "--plan"])
        .arg(&plan)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    cmd()
        .args(["generate", "--check", "--plan"])
        .arg(&plan)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    assert!(out.join("destination/terraform.tfstate").exists());
}

#[test]
fn plan_from_another_schema_version_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = generate_support::small_plan();
    plan.schema_version = 7;
    let path = write_plan(dir.path(), &plan);
    let out = cmd()
        .args(["generate", "--plan"])
        .arg(&path)
        .arg("--out")
        .arg(dir.path().join("o"))
        .assert()
        .code(2);
    let stderr = &out.get_output().stderr;
    assert!(
        has(stderr, "schema_version 7"),
        "{}",
        String::from_utf8_lossy(stderr)
    );
    assert!(has(stderr, "reads version 1"));
    assert!(
        !dir.path().join("o").exists(),
        "nothing is written for a bad plan"
    );
}

#[test]
fn malformed_and_missing_plans_are_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    std::fs::write(&path, "{ not json").unwrap();
    let out = cmd()
        .args(["generate", "--plan"])
        .arg(&path)
        .arg("--out")
        .arg(dir.path())
        .assert()
        .code(2);
    assert!(has(&out.get_output().stderr, "is not a valid plan.json"));
    let out = cmd()
        .args(["generate", "--plan", "/nonexistent/plan.json", "--out"])
        .arg(dir.path())
        .assert()
        .code(2);
    assert!(has(&out.get_output().stderr, "cannot read plan"));
}

#[test]
fn unwritable_output_dir_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let plan = write_plan(dir.path(), &generate_support::small_plan());
    // A regular file where the output directory should be cannot be written into, even as root.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, "").unwrap();
    let out = cmd()
        .args(["generate", "--plan"])
        .arg(&plan)
        .arg("--out")
        .arg(blocker.join("out"))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("cannot write") && stderr.contains("--out"),
        "{stderr}"
    );
}

#[test]
fn inconsistent_plan_lists_every_problem_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = generate_support::small_plan();
    plan.flows[0].target_alias = "elsewhere".into();
    plan.topics.iter_mut().find(|t| t.name == "orders").unwrap().flow = Some("flow-99".into());
    let path = write_plan(dir.path(), &plan);
    let out = cmd()
        .args(["generate", "--plan"])
        .arg(&path)
        .arg("--out")
        .arg(dir.path().join("o"))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("flow-99") && stderr.contains("elsewhere"),
        "{stderr}"
    );
}

#[test]
fn help_documents_check_and_exit_codes() {
    let out = cmd().args(["generate", "--help"]).assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(help.contains("--check") && help.contains("exits 1"), "{help}");
}
