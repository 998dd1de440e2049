//! `inspect --watch` while things go wrong on real clusters (three KRaft brokers each) with real
//! MirrorMaker 2: MM2 stopped and restarted during the watch (the gate holds, then opens), and
//! the inspector's DESCRIBE on a source group revoked mid-watch (its rows become errors; they
//! never drop out of the report, which would open the gate).

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rdkafka::ClientConfig;
use support::kafka::{ClusterOptions, KafkaCluster, Listener};
use support::mm2::{MirrorMaker, fast_properties, quick_offset_commits};
use support::records::{commit, committed, create_topic, produce_to};

/// A running `inspect --watch`, killed if the test ends first.
struct Watch {
    child: Child,
    stdout: PathBuf,
    stderr: PathBuf,
}

impl Watch {
    fn start(dir: &Path, name: &str, config: &Path, args: &[&str]) -> Watch {
        let stdout = dir.join(format!("{name}.out"));
        let stderr = dir.join(format!("{name}.err"));
        let child = Command::new(assert_cmd::cargo::cargo_bin("diskless-migrator"))
            .arg("inspect")
            .arg("--mm2-config")
            .arg(config)
            .args(args)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&stdout).unwrap())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        Watch {
            child,
            stdout,
            stderr,
        }
    }

    fn output(&self) -> String {
        format!(
            "--- stdout\n{}\n--- stderr\n{}",
            std::fs::read_to_string(&self.stdout).unwrap_or_default(),
            std::fs::read_to_string(&self.stderr).unwrap_or_default()
        )
    }

    /// The exit code, once the process has ended.
    fn exited(&mut self) -> Option<i32> {
        self.child.try_wait().unwrap().map(|s| s.code().unwrap_or(-1))
    }

    fn wait(&mut self, timeout: Duration) -> i32 {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(code) = self.exited() {
                return code;
            }
            assert!(
                Instant::now() < deadline,
                "inspect --watch still running after {timeout:?}\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client(cluster: &KafkaCluster) -> ClientConfig {
    cluster.client_config(Listener::Plaintext)
}

fn wait_until(what: &str, timeout: Duration, mm2: &mut MirrorMaker, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !check() {
        if Instant::now() > deadline {
            mm2.print_log_tails();
            panic!("timed out after {timeout:?} waiting for {what}");
        }
        mm2.assert_running();
        std::thread::sleep(Duration::from_millis(500));
    }
}

#[test]
fn mm2_restart_and_a_revoked_source_acl_during_watch() {
    let test_started = Instant::now();
    // The source enforces ACLs; MM2 and the setup use its PLAINTEXT listener (a super user),
    // the inspector its SASL_SSL listener as the SCRAM user `inspector`.
    let clusters = KafkaCluster::start_many(vec![
        ClusterOptions::new("primary")
            .with_sasl_ssl()
            .with_scram_user("inspector", "inspector-secret")
            .with_acls(),
        ClusterOptions::new("backup"),
    ]);
    let (primary, backup) = (client(&clusters[0]), client(&clusters[1]));
    create_topic(&primary, "orders", 2, &[]);
    for p in 0..2 {
        produce_to(&primary, "orders", p, 10);
    }
    commit(&primary, "cutover-group", "orders", &[(0, 10), (1, 10)]);
    commit(&primary, "revoked-group", "orders", &[(0, 10), (1, 10)]);

    let common = format!(
        "clusters = primary, backup\n\
         primary->backup.enabled = true\n\
         backup->primary.enabled = false\n\
         primary->backup.topics = orders\n\
         groups = cutover-group|revoked-group\n\
         replication.policy.class = org.apache.kafka.connect.mirror.IdentityReplicationPolicy\n\
         sync.group.offsets.enabled = true\n\
         sync.group.offsets.interval.seconds = 1\n\
         offset.lag.max = 0\n\
         {}",
        fast_properties(3, &["primary", "backup"]) + &quick_offset_commits(&["primary", "backup"])
    );
    let mm2_properties = format!(
        "{common}primary.bootstrap.servers = {}\nbackup.bootstrap.servers = {}\n",
        clusters[0].bootstrap(),
        clusters[1].bootstrap()
    );
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("inspect.properties");
    std::fs::write(
        &config,
        format!(
            "{common}primary.bootstrap.servers = {}\n\
             primary.security.protocol = SASL_SSL\n\
             primary.sasl.mechanism = SCRAM-SHA-512\n\
             primary.sasl.jaas.config = org.apache.kafka.common.security.scram.ScramLoginModule required \
             username=\"inspector\" password=\"inspector-secret\";\n\
             primary.ssl.truststore.type = PEM\n\
             primary.ssl.truststore.location = {}\n\
             backup.bootstrap.servers = {}\n",
            clusters[0].address(Listener::SaslSsl).unwrap(),
            clusters[0].tls().unwrap().ca_cert.display(),
            clusters[1].bootstrap()
        ),
    )
    .unwrap();

    // MM2 copies and syncs both groups, then stops.
    let mut mm2 = MirrorMaker::start(&mm2_properties);
    wait_until(
        "MM2 to sync both groups at 10",
        Duration::from_secs(120),
        &mut mm2,
        || {
            ["cutover-group", "revoked-group"]
                .iter()
                .all(|g| committed(&backup, g, "orders", 2) == [Some(10), Some(10)])
        },
    );
    mm2.stop();
    eprintln!("[{:?}] MM2 synced at 10 and stopped", test_started.elapsed());

    // While MM2 is down the source group moves on: the gate must hold.
    for p in 0..2 {
        produce_to(&primary, "orders", p, 5);
    }
    commit(&primary, "cutover-group", "orders", &[(0, 15), (1, 15)]);
    let mut gate = Watch::start(
        dir.path(),
        "gate",
        &config,
        &[
            "--include-inactive-groups",
            "--watch",
            "PT1S",
            "--until-ok",
            "--max-wait",
            "PT150S",
        ],
    );
    std::thread::sleep(Duration::from_secs(8));
    assert_eq!(
        gate.exited(),
        None,
        "the gate opened while MM2 was down\n{}",
        gate.output()
    );
    let held = gate.output();
    assert!(held.contains("cutover-group"), "{held}");
    eprintln!("[{:?}] the gate holds while MM2 is down", test_started.elapsed());

    // MM2 comes back: it copies the new records, syncs the group, and the gate opens.
    let mut mm2 = MirrorMaker::start(&mm2_properties);
    let code = gate.wait(Duration::from_secs(160));
    assert_eq!(
        code,
        0,
        "the gate did not open after MM2 came back\n{}",
        gate.output()
    );
    assert_eq!(
        committed(&backup, "cutover-group", "orders", 2),
        [Some(15), Some(15)]
    );
    eprintln!(
        "[{:?}] the gate opened after MM2 restarted",
        test_started.elapsed()
    );
    mm2.assert_running();

    // The inspector loses DESCRIBE on revoked-group mid-watch: the source stops listing it to
    // the inspector. Its rows must turn into errors, never drop out.
    let report = dir.path().join("report.json");
    let mut watch = Watch::start(
        dir.path(),
        "revoked",
        &config,
        &[
            "--include-inactive-groups",
            "--include-ok-groups",
            "--format",
            "json",
            "--output-path",
            report.to_str().unwrap(),
            "--watch",
            "PT1S",
            "--max-wait",
            "PT15S",
        ],
    );
    let rows_of = |group: &str| -> Vec<serde_json::Value> {
        let text = std::fs::read_to_string(&report).unwrap_or_default();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        doc["rows"]
            .as_array()
            .map(|rows| rows.iter().filter(|r| r["group"] == group).cloned().collect())
            .unwrap_or_default()
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while rows_of("revoked-group").len() != 2 {
        assert!(Instant::now() < deadline, "no first report\n{}", watch.output());
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(rows_of("revoked-group").iter().all(|r| r["is_ok"] == true));
    clusters[0].deny("inspector", "Describe", &["--group", "revoked-group"]);
    eprintln!("[{:?}] DESCRIBE on revoked-group revoked", test_started.elapsed());
    let code = watch.wait(Duration::from_secs(60));
    // The source still lists the group (the inspector may describe the cluster) but refuses its
    // offsets: one group-level error row. Had the listing hidden it, its last rows would be
    // carried as not OK (`no longer lists this group`). Either way: there, and not OK.
    let revoked = rows_of("revoked-group");
    assert!(
        !revoked.is_empty(),
        "rows of revoked-group dropped\n{}\n--- report\n{}",
        watch.output(),
        std::fs::read_to_string(&report).unwrap_or_default()
    );
    for row in &revoked {
        assert_eq!(row["is_ok"], false, "{row}");
        let message = row["message"].as_str().unwrap();
        assert!(
            message.contains("not authorized") || message.contains("no longer lists this group"),
            "{row}"
        );
    }
    let kept = rows_of("cutover-group");
    assert_eq!(kept.len(), 2);
    assert!(kept.iter().all(|r| r["is_ok"] == true), "{kept:?}");
    assert_eq!(code, 1, "not-OK rows at --max-wait exit 1\n{}", watch.output());
    eprintln!(
        "[{:?}] revoked-group held the gate with error rows",
        test_started.elapsed()
    );
}
