//! Test bed support shared by the integration tests: real Apache Kafka clusters and
//! MirrorMaker 2, run from the jars that `tests/testbed/setup.sh` lays out.
//!
//! This module owns locating the test bed (`DM_TESTBED_DIR`, default `target/testbed`), the
//! Java command line used for every JVM, free loopback ports, and small waiting helpers. The
//! submodules own one thing each:
//!
//! * [`kafka`]: KRaft clusters of three brokers (or one where a test says why) (PLAINTEXT, SASL_SSL with SCRAM-SHA-512/-256 and PLAIN, mTLS,
//!   optionally with ACLs);
//! * [`mm2`]: MirrorMaker 2 in dedicated mode;
//! * [`tls`]: the CA and certificates the TLS listeners use;
//! * [`records`]: producing and reading records, creating topics, probing connections;
//! * [`process`]: the child processes, which never outlive their handle.
//!
//! Test modules use it with `use crate::support;`. Set `DM_TESTBED_KEEP=1` to
//! keep every run folder (configuration, data, logs) after the tests.

pub mod kafka;
pub mod mm2;
pub mod process;
pub mod records;
pub mod tls;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

/// Folder of the test bed: `$DM_TESTBED_DIR`, or `target/testbed` in the crate root.
pub fn testbed_dir() -> PathBuf {
    match std::env::var_os("DM_TESTBED_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("target")
            .join("testbed"),
    }
}

/// Folder holding the Kafka jars (broker, storage tool, CLI tools); panics with the setup
/// command when they are missing.
pub fn kafka_libs() -> PathBuf {
    libs_dir("kafka-libs")
}

/// Folder holding MirrorMaker 2's class path (its own Kafka version, see
/// `tests/testbed/pom.xml`); panics with the setup command when the jars are missing.
pub fn mirror_maker_libs() -> PathBuf {
    libs_dir("mirrormaker-libs")
}

fn libs_dir(name: &str) -> PathBuf {
    let libs = testbed_dir().join(name);
    let has_broker = std::fs::read_dir(&libs)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("kafka-clients-"))
        })
        .unwrap_or(false);
    assert!(
        has_broker,
        "the Kafka jars are missing from {}: run `bash tests/testbed/setup.sh` first",
        libs.display()
    );
    // The folder is a link into the project's cache; its real path is the class path the
    // broker's class data archive was dumped with (see setup-kafka.sh).
    libs.canonicalize().unwrap_or(libs)
}

/// Folder where running processes are recorded, one file per PID (see [`process`]).
pub fn pids_dir() -> PathBuf {
    testbed_dir().join("pids")
}

/// Whether run folders are kept after the test (`DM_TESTBED_KEEP=1`), e.g. to read the logs.
pub fn keep_run_dirs() -> bool {
    std::env::var("DM_TESTBED_KEEP").is_ok_and(|v| v == "1")
}

/// A fresh folder under `$DM_TESTBED_DIR/runs` for one cluster or MirrorMaker; it holds
/// configuration, data and logs, and is removed on drop unless a test failed or
/// [`keep_run_dirs`].
pub fn run_dir(prefix: &str) -> tempfile::TempDir {
    let runs = testbed_dir().join("runs");
    std::fs::create_dir_all(&runs).expect("create the test bed runs folder");
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(&runs)
        .expect("create a run folder")
}

/// `count` distinct free TCP ports on 127.0.0.1, never handed out twice while this process
/// lives, nor to another test process running at the same time.
///
/// They are drawn at random from below the kernel's ephemeral range
/// (`/proc/sys/net/ipv4/ip_local_port_range`), never from it: a port the OS hands out for
/// `bind(0)` is also one it hands out to outgoing connections, so between choosing it and the
/// broker binding it, any client of a test running in parallel could take it ("Address already
/// in use"). Below the range, only another explicit bind can: each candidate is checked by
/// binding it, and claimed for the life of this process with an exclusive `flock` on
/// `$DM_TESTBED_DIR/ports/<port>`, which the test processes of `test.sh`'s parallel workers all
/// respect (the kernel drops the lock when the process ends, however it ends). Each claim opens
/// the file anew, and `flock` locks of two opens conflict even within one process, so the claim
/// alone also keeps this process from handing a port out twice.
pub fn free_ports(count: usize) -> Vec<u16> {
    use std::hash::{BuildHasher, Hasher};
    let ephemeral_low = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|text| text.split_whitespace().next()?.parse::<u16>().ok())
        .unwrap_or(32768);
    let (low, high) = if ephemeral_low > 12_000 {
        (10_000u16, ephemeral_low)
    } else {
        (ephemeral_low.max(1024), u16::MAX)
    };
    let random = std::collections::hash_map::RandomState::new();
    let mut ports = Vec::new();
    let mut draw = 0u64;
    while ports.len() < count {
        draw += 1;
        assert!(draw < 100_000, "no free loopback port in {low}..{high}");
        let mut hasher = random.build_hasher();
        hasher.write_u64(draw);
        let port = low + (hasher.finish() % u64::from(high - low)) as u16;
        if TcpListener::bind(("127.0.0.1", port)).is_err() || !claim_port(port) {
            continue;
        }
        ports.push(port);
    }
    ports
}

/// Takes an exclusive, non-blocking `flock` on `$DM_TESTBED_DIR/ports/<port>` and keeps it
/// until this process ends; false if it is held already, by any process.
fn claim_port(port: u16) -> bool {
    use std::os::fd::AsRawFd;
    static CLAIMS: Mutex<Vec<std::fs::File>> = Mutex::new(Vec::new());
    let dir = testbed_dir().join("ports");
    std::fs::create_dir_all(&dir).expect("create the test bed ports folder");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(port.to_string()))
        .expect("open a port claim file");
    // SAFETY: flock on a file descriptor this function owns; no memory is shared.
    let locked = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0;
    if locked {
        CLAIMS.lock().unwrap().push(file);
    }
    locked
}

/// A `java` command with the small-footprint JVM options of the test bed, the jars of `libs`
/// (see [`kafka_libs`], [`mirror_maker_libs`]) on the class path and log4j2 configured from
/// `log4j_config`. Add the main class and its arguments.
pub fn java_command(libs: &Path, heap_mb: u32, log4j_config: &Path) -> Command {
    let java = match std::env::var_os("JAVA_HOME") {
        Some(home) if !home.is_empty() => PathBuf::from(home).join("bin").join("java"),
        _ => PathBuf::from("java"),
    };
    let mut cmd = Command::new(java);
    cmd.arg("-Xms32m")
        .arg(format!("-Xmx{heap_mb}m"))
        .args([
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData",
            "-Xss512k",
            "-Djava.awt.headless=true",
        ])
        .arg(format!("-Dlog4j2.configurationFile={}", log4j_config.display()));
    // The class data archive made by setup-kafka.sh from a broker run (about half the start
    // time); the JVM ignores it if it does not match, and -Xlog:disable keeps that quiet.
    let archive = testbed_dir().join("cds").join("kafka.jsa");
    if libs == kafka_libs().as_path() && archive.is_file() {
        let archive = archive.canonicalize().unwrap_or(archive);
        cmd.arg(format!("-XX:SharedArchiveFile={}", archive.display()))
            .arg("-Xlog:disable");
    }
    // Extra JVM options, to compare settings in benchmarks (`benches/testbed_cost.sh`).
    if let Ok(extra) = std::env::var("DM_TESTBED_JVM_OPTIONS") {
        cmd.args(extra.split_whitespace());
    }
    cmd.arg("-cp").arg(format!("{}/*", libs.display()));
    cmd
}

/// log4j2 configuration text that writes everything at `level` and above to `file`.
pub fn log4j_file_config(file: &Path, level: &str) -> String {
    format!(
        "status = warn\n\
         appender.file.type = File\n\
         appender.file.name = file\n\
         appender.file.fileName = {}\n\
         appender.file.layout.type = PatternLayout\n\
         appender.file.layout.pattern = [%d] %p %m (%c)%n\n\
         rootLogger.level = {level}\n\
         rootLogger.appenderRef.file.ref = file\n",
        file.display()
    )
}

/// Runs the `diskless-migrator` binary with `args` (and `env`, `--color never`); panics with
/// both outputs unless it exits 0.
pub fn run_migrator(args: &[&str], env: &[(String, String)]) -> std::process::Output {
    let output = Command::new(env!("CARGO_BIN_EXE_diskless-migrator"))
        .args(args)
        .args(["--color", "never"])
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .expect("run diskless-migrator");
    assert!(
        output.status.success(),
        "diskless-migrator {args:?} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Runs a Kafka CLI tool by its main class (for example `org.apache.kafka.tools.TopicCommand`)
/// and returns its standard output; panics with both outputs when it exits non-zero.
///
/// Main classes in Kafka 4.4: `org.apache.kafka.tools.TopicCommand`,
/// `org.apache.kafka.tools.consumer.group.ConsumerGroupCommand`,
/// `org.apache.kafka.tools.ConfigCommand`, `org.apache.kafka.tools.LogDirsCommand`,
/// `org.apache.kafka.tools.AclCommand`,
/// `org.apache.kafka.tools.GetOffsetShell`, `kafka.tools.StorageTool`.
pub fn run_kafka_tool(main_class: &str, args: &[&str]) -> String {
    let output = java_command(&kafka_libs(), 256, &tools_log4j_config())
        .arg(main_class)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot start java for {main_class}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{main_class} {args:?} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// log4j2 configuration for CLI tools: warnings and errors to standard error.
fn tools_log4j_config() -> PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = testbed_dir();
        std::fs::create_dir_all(&dir).expect("create the test bed folder");
        let path = dir.join("log4j2-tools.properties");
        let text = "status = warn\n\
                    appender.err.type = Console\n\
                    appender.err.name = err\n\
                    appender.err.target = SYSTEM_ERR\n\
                    appender.err.layout.type = PatternLayout\n\
                    appender.err.layout.pattern = [%d] %p %m (%c)%n\n\
                    rootLogger.level = WARN\n\
                    rootLogger.appenderRef.err.ref = err\n";
        // Written under a unique name and renamed, so concurrent test binaries never see half.
        let tmp = dir.join(format!("log4j2-tools.properties.{}", std::process::id()));
        std::fs::write(&tmp, text).expect("write the tools log4j2 configuration");
        std::fs::rename(&tmp, &path).expect("install the tools log4j2 configuration");
        path
    })
    .clone()
}

/// Polls `check` every 200 ms until it returns true; panics naming `what` after `timeout`.
pub fn wait_until(timeout: Duration, what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    loop {
        if check() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {what}"
        );
        thread::sleep(Duration::from_millis(200));
    }
}

pub use diskless_migrator::kafka::block_on;

/// The last `lines` lines of a text file, or a note saying why there are none.
pub fn tail(path: &Path, lines: usize) -> String {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let all: Vec<&str> = text.lines().collect();
            all[all.len().saturating_sub(lines)..].join("\n")
        }
        Err(e) => format!("(cannot read {}: {e})", path.display()),
    }
}
