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
    assert!(has(&run.get_output().stdout, "Wrote 35 files"));

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
    assert!(has(
        stderr,
        &format!("reads version {}", diskless_migrator::plan::PLAN_SCHEMA_VERSION)
    ));
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

/// Runs `generate` on `plan` into a fresh folder; returns (exit code, stderr, whether the
/// folder holds any file afterwards).
fn generate_refused(plan: &diskless_migrator::plan::Plan) -> (i32, String, bool) {
    let dir = tempfile::tempdir().unwrap();
    let path = write_plan(dir.path(), plan);
    let out_dir = dir.path().join("o");
    let out = cmd()
        .args(["generate", "--plan"])
        .arg(&path)
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    let wrote = out_dir.exists() && std::fs::read_dir(&out_dir).unwrap().next().is_some();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        wrote,
    )
}

/// `plan.json` is reviewed in pull requests and may be edited there: values that would inject
/// a line into `mm2.properties`, a command into the runbook's shell blocks or widen a flow to
/// every topic are refused (exit 2) before anything is written.
#[test]
fn hand_edited_plan_cannot_inject_into_generated_files() {
    type Edit = fn(&mut diskless_migrator::plan::Plan);
    let cases: [(&str, Edit, &str); 8] = [
        (
            "newline in an exclude list",
            |p| {
                p.mirrormaker
                    .topics_exclude
                    .push("x\nsource->destination.enabled=false".into())
            },
            "mirrormaker.topics_exclude entry \"x\\nsource->destination.enabled=false\"",
        ),
        (
            "newline in config_properties_exclude",
            |p| p.mirrormaker.config_properties_exclude.push("a\rb".into()),
            "config_properties_exclude entry \"a\\rb\"",
        ),
        (
            "shell command in the project name",
            |p| p.settings.project = "$(touch pwned)".into(),
            "settings.project \"$(touch pwned)\" is not an Aiven project name",
        ),
        (
            "shell command in the bootstrap list",
            |p| p.settings.source.bootstrap_servers = "k1:9092,$(id):9092".into(),
            "settings.source.bootstrap_servers is not a list of host:port",
        ),
        (
            "a flow regex that copies every topic",
            |p| p.flows[0].topic_regexes[0] = ".*".into(),
            "its topic regexes are not exactly one anchored literal regex per topic",
        ),
        (
            "a topic name Kafka refuses",
            |p| {
                let t = p.topics.iter_mut().find(|t| t.name == "orders").unwrap();
                t.name = "orders`; rm -rf /`".into();
            },
            "is not a Kafka topic name",
        ),
        (
            "an exclude list that hides a migrated topic",
            |p| p.mirrormaker.topics_exclude.push("orders".into()),
            "matches mirrormaker.topics_exclude entry \"orders\"",
        ),
        (
            "a line break in the host-name check setting",
            |p| p.settings.source.ssl_endpoint_identification_algorithm = Some("https\nx=y".into()),
            "settings.source.ssl_endpoint_identification_algorithm \"https\\nx=y\" is not",
        ),
    ];
    for (what, edit, expected) in cases {
        let mut plan = generate_support::small_plan();
        edit(&mut plan);
        let (code, stderr, wrote) = generate_refused(&plan);
        assert_eq!(code, 2, "{what}: {stderr}");
        // miette wraps long lines; compare word by word.
        let words = |s: &str| {
            s.split_whitespace()
                .filter(|w| *w != "|")
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert!(
            words(&stderr).contains(&words(expected)),
            "{what}: expected {expected:?} in\n{stderr}"
        );
        assert!(!wrote, "{what}: files were written");
    }
}

/// A plan with thousands of bad names lists a bounded number of problems.
#[test]
fn many_problems_are_listed_bounded() {
    let mut plan = generate_support::large_plan(2_000, 2);
    for t in &mut plan.topics {
        t.name.push(' ');
    }
    let (code, stderr, _) = generate_refused(&plan);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("more problem(s)"), "{stderr}");
    assert!(stderr.len() < 20_000, "{} bytes of stderr", stderr.len());
}

/// Runs `generate` (or `generate --check`) on `plan` into `out`; returns the exit code and
/// stdout.
fn run_generate(plan: &std::path::Path, out: &std::path::Path, check: bool) -> (i32, String) {
    let mut c = cmd();
    c.arg("generate");
    if check {
        c.arg("--check");
    }
    let output = c.arg("--plan").arg(plan).arg("--out").arg(out).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr),
    )
}

/// Turning observability off and generating into the same folder removes what only
/// observability needed; `--check` reports those files until then. Staging left by an
/// interrupted run is reported and then removed; a hand-edited manifest cannot make generate
/// delete anything outside its folder.
#[test]
fn files_generate_no_longer_writes_are_removed_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let with = generate_support::small_plan();
    assert!(
        with.settings.observability.is_some(),
        "the test needs observability on first"
    );
    let mut without = with.clone();
    without.settings.observability = None;
    let with_path = dir.path().join("with.json");
    let without_path = dir.path().join("without.json");
    std::fs::write(&with_path, serde_json::to_string(&with).unwrap()).unwrap();
    std::fs::write(&without_path, serde_json::to_string(&without).unwrap()).unwrap();

    assert_eq!(run_generate(&with_path, &out, false).0, 0);
    let observability_files: Vec<String> = ["migration/observability.tf", "dashboards"]
        .iter()
        .filter(|p| out.join(p).exists())
        .map(|p| p.to_string())
        .collect();
    assert_eq!(
        observability_files.len(),
        2,
        "observability output expected: {observability_files:?}"
    );

    // The old folder is stale for the new plan, file by file.
    let (code, report) = run_generate(&without_path, &out, true);
    assert_eq!(code, 1, "{report}");
    assert!(
        report.contains("stale      migration/observability.tf"),
        "{report}"
    );

    // An interrupted run's staging folder (its process is gone) and a manifest line that
    // points outside the folder.
    let leftover = out.join(".diskless-migrator-staging-4000000000");
    std::fs::create_dir_all(leftover.join("destination")).unwrap();
    std::fs::write(leftover.join("destination/main.tf"), "half").unwrap();
    let outside = dir.path().join("outside.txt");
    std::fs::write(&outside, "keep me").unwrap();
    let manifest = out.join(".diskless-migrator-manifest");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str("../outside.txt\n/etc/hostname\n");
    std::fs::write(&manifest, text).unwrap();
    let (code, report) = run_generate(&without_path, &out, true);
    assert_eq!(code, 1, "{report}");
    assert!(
        report.contains("leftover   .diskless-migrator-staging-4000000000/"),
        "{report}"
    );

    assert_eq!(run_generate(&without_path, &out, false).0, 0);
    assert!(!out.join("migration/observability.tf").exists());
    assert!(!out.join("dashboards").exists(), "empty dashboards folder left");
    assert!(!leftover.exists());
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep me");
    let (code, report) = run_generate(&without_path, &out, true);
    assert_eq!(code, 0, "{report}");
}
