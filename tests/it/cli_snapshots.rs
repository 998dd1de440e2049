//! The command line's behaviour on bad input, snapshotted whole: exit code, standard output and
//! standard error, so a changed message or code shows in review instead of slipping past a
//! test that matched a fragment. Paths of the test's temporary folder read `[TMP]`.

use std::path::Path;

use assert_cmd::Command;

/// Runs the tool in `dir` with `args` and renders exit code, stdout and stderr.
fn run(dir: &Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("diskless-migrator")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("DISKLESS_MIGRATOR_LOG")
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let tmp = dir.display().to_string();
    let clean = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace(&tmp, "[TMP]");
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().map_or("signal".to_owned(), |c| c.to_string()),
        clean(&out.stdout),
        clean(&out.stderr)
    )
}

fn example(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn generate_without_a_plan_file() {
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(run(
        dir.path(),
        &["generate", "--plan", "missing.json", "--out", "out"]
    ));
}

#[test]
fn generate_with_a_plan_that_is_not_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("plan.json"),
        "{\"schema_version\": 1, \"topics\": [}\n",
    )
    .unwrap();
    insta::assert_snapshot!(run(
        dir.path(),
        &["generate", "--plan", "plan.json", "--out", "out"]
    ));
}

#[test]
fn plan_with_an_unknown_settings_key() {
    let dir = tempfile::tempdir().unwrap();
    let settings = std::fs::read_to_string(example("migration.hcl"))
        .unwrap()
        .replace("service_prefix", "service_prefx");
    std::fs::write(dir.path().join("migration.hcl"), settings).unwrap();
    insta::assert_snapshot!(run(
        dir.path(),
        &[
            "plan",
            "--inventory",
            &example("inventory.json"),
            "--settings",
            "migration.hcl",
            "--topics",
            &example("diskless_topics_names.txt"),
            "--out",
            "out",
        ]
    ));
}

#[test]
fn inspect_with_no_enabled_flow() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mm2.properties"),
        "clusters=a,b\na->b.enabled=false\n",
    )
    .unwrap();
    insta::assert_snapshot!(run(dir.path(), &["inspect", "--mm2-config", "mm2.properties"]));
}

#[test]
fn inspect_with_a_malformed_bootstrap_list() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mm2.properties"),
        "clusters=a,b\na.bootstrap.servers=k1:99999\nb.bootstrap.servers=k2:9092\na->b.enabled=true\n",
    )
    .unwrap();
    insta::assert_snapshot!(run(dir.path(), &["inspect", "--mm2-config", "mm2.properties"]));
}

#[test]
fn an_unknown_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(run(dir.path(), &["migrate"]));
}
