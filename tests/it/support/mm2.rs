//! MirrorMaker 2 in dedicated mode (`org.apache.kafka.connect.mirror.MirrorMaker`), run with
//! the `mm2.properties` text a test gives, in its own folder with its log in a file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::process::ManagedProcess;

/// Heap of the MirrorMaker JVM.
const MM2_HEAP_MB: u32 = 384;

/// Offset commits every second on the workers of the `targets` aliases: `<alias>.offset.flush.
/// interval.ms = 1000` (a dedicated MirrorMaker 2 reads it per target cluster and ignores a
/// top-level one). A source task sends the offset sync of a partition's newest record, once the
/// partition is idle, only with an offset commit, every 60 s by default: a test waiting for that
/// sync would wait a minute. Not for tests that measure the plan's own interval (the e2e
/// rehearsal renders it from the plan) or that need the late sync (the gap test sets 10 min).
pub fn quick_offset_commits(targets: &[&str]) -> String {
    targets
        .iter()
        .map(|alias| format!("{alias}.offset.flush.interval.ms = 1000\n"))
        .collect()
}

/// Properties that keep MirrorMaker 2 quick and small on test clusters: frequent topic and
/// group refreshes, `replication_factor` for every internal topic (the smaller cluster's broker
/// count, at most 3), no ACL sync, no heartbeats (MirrorMaker 2 would otherwise run a herder
/// for every pair of clusters, flows or not, and the heartbeats topic it writes into a source
/// makes that flow's connector reconfigure its tasks mid-copy), plugin discovery by service
/// manifests only (reflective scanning costs seconds per herder). `clusters` are the cluster aliases of the test's
/// `mm2.properties`; append the result to it.
pub fn fast_properties(replication_factor: usize, clusters: &[&str]) -> String {
    let mut text = String::new();
    for key in [
        "replication.factor",
        "checkpoints.topic.replication.factor",
        "heartbeats.topic.replication.factor",
        "offset-syncs.topic.replication.factor",
        "offset.storage.replication.factor",
        "status.storage.replication.factor",
        "config.storage.replication.factor",
    ] {
        text.push_str(&format!("{key} = {replication_factor}\n"));
    }
    text.push_str(
        "refresh.topics.interval.seconds = 1\n\
         refresh.groups.interval.seconds = 1\n\
         emit.heartbeats.enabled = false\n\
         emit.checkpoints.interval.seconds = 1\n\
         sync.topic.configs.interval.seconds = 1\n\
         sync.topic.acls.enabled = false\n\
         dedicated.mode.enable.internal.rest = false\n\
         plugin.discovery = service_load\n",
    );
    // Each herder's worker takes its settings from the target cluster's prefix.
    for cluster in clusters {
        text.push_str(&format!("{cluster}.plugin.discovery = service_load\n"));
    }
    text
}

/// A running MirrorMaker 2 process; stopped when dropped.
pub struct MirrorMaker {
    // Declared before `dir` so the process stops before its folder is removed.
    process: ManagedProcess,
    dir: tempfile::TempDir,
}

impl MirrorMaker {
    /// Writes `properties` as `mm2.properties` and starts MirrorMaker 2 on it. Returns once the
    /// JVM runs; wait for replicated data to know the flows work.
    pub fn start(properties: &str) -> MirrorMaker {
        MirrorMaker::start_with_env(properties, &[])
    }

    /// As [`MirrorMaker::start`], with `env` added to the JVM's environment (for the
    /// `${env:NAME}` placeholders of `EnvVarConfigProvider`).
    pub fn start_with_env(properties: &str, env: &[(String, String)]) -> MirrorMaker {
        MirrorMaker::start_with_heap(properties, env, MM2_HEAP_MB)
    }

    /// As [`MirrorMaker::start_with_env`], with a heap of `heap_mb` (many tasks each hold a
    /// consumer and a producer with their buffers).
    pub fn start_with_heap(properties: &str, env: &[(String, String)], heap_mb: u32) -> MirrorMaker {
        let dir = super::run_dir("mm2-");
        let config = dir.path().join("mm2.properties");
        std::fs::write(&config, properties).expect("write mm2.properties");
        let process = spawn(dir.path(), env, heap_mb);
        MirrorMaker { process, dir }
    }

    /// Panics, printing the log tail, if MirrorMaker has exited.
    pub fn assert_running(&mut self) {
        self.process.assert_running();
    }

    /// Prints the tail of MirrorMaker's logs to standard error.
    pub fn print_log_tails(&self) {
        self.process.print_log_tails();
    }

    /// The `mm2.properties` file MirrorMaker runs with.
    pub fn properties_file(&self) -> PathBuf {
        self.dir.path().join("mm2.properties")
    }

    /// Process id of the MirrorMaker JVM.
    pub fn pid(&self) -> u32 {
        self.process.pid()
    }

    /// Stops MirrorMaker now (SIGTERM, then SIGKILL after the grace period).
    pub fn stop(mut self) {
        self.process.stop();
    }
}

impl Drop for MirrorMaker {
    fn drop(&mut self) {
        // A finished test's MirrorMaker is thrown away: killed, not stopped gracefully (its
        // shutdown takes seconds and nothing reads its state afterwards).
        self.process.kill();
        // Keep the folder (configuration, data, logs) of a failed test for a closer look.
        if std::thread::panicking() || super::keep_run_dirs() {
            self.dir.disable_cleanup(true);
            eprintln!("testbed: kept the run folder {}", self.dir.path().display());
        }
    }
}

/// Starts the MirrorMaker 2 JVM on `dir/mm2.properties`, logging to `dir/mm2.log`.
fn spawn(dir: &Path, env: &[(String, String)], heap_mb: u32) -> ManagedProcess {
    let config = dir.join("mm2.properties");
    let log = dir.join("mm2.log");
    let log4j = dir.join("log4j2.properties");
    std::fs::write(&log4j, super::log4j_file_config(&log, "INFO")).expect("write log4j2 config");
    let mut cmd = super::java_command(&super::mirror_maker_libs(), heap_mb, &log4j);
    cmd.arg("org.apache.kafka.connect.mirror.MirrorMaker")
        .arg(&config)
        .current_dir(dir)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let mut process = ManagedProcess::spawn("mm2", cmd, dir, vec![log]);
    std::thread::sleep(Duration::from_millis(500));
    process.assert_running();
    process
}
