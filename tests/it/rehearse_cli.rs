//! The `rehearse` command line on bad input and on interruption: an unreachable destination,
//! a destination that already holds a planned topic, a plan of another schema version, and
//! SIGINT / SIGTERM while MirrorMaker 2 runs. (The whole rehearsal is proven by the
//! end-to-end migration test, which drives this command.)

use crate::generate_support;
use crate::support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use diskless_migrator::plan::Plan;
use rdkafka::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use support::kafka::{ClusterOptions, KafkaCluster, Listener};
use support::records::create_topic_replicated;

const BIN: &str = env!("CARGO_BIN_EXE_diskless-migrator");

/// The test-bed tests start clusters and MirrorMaker 2: one at a time on a small machine.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn write_plan(dir: &Path, plan: &Plan) -> PathBuf {
    let path = dir.join("plan.json");
    std::fs::write(&path, serde_json::to_string_pretty(plan).unwrap()).unwrap();
    path
}

fn rehearse(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("rehearse")
        .args(args)
        .args(["--color", "never"])
        .output()
        .expect("run diskless-migrator")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A `host:port` where nothing listens.
fn closed_address() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("127.0.0.1:{port}")
}

#[test]
fn unreachable_destination_is_exit_3_promptly() {
    let dir = tempfile::tempdir().unwrap();
    let plan = write_plan(dir.path(), &generate_support::small_plan());
    let out = dir.path().join("rehearsal");
    let started = Instant::now();
    let output = rehearse(&[
        "--plan",
        plan.to_str().unwrap(),
        "--destination",
        &closed_address(),
        "--admin-timeout",
        "PT3S",
        "--out",
        out.to_str().unwrap(),
    ]);
    let took = started.elapsed();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("cannot reach the cluster"), "{stderr}");
    assert!(
        took < Duration::from_secs(20),
        "an unreachable destination took {took:?} (admin timeout 3 s)"
    );
    assert!(!out.join("rehearsal-mm2.properties").exists());
    eprintln!(
        "rehearse: unreachable destination refused in {:.1} s",
        took.as_secs_f64()
    );
}

#[test]
fn plan_of_another_schema_version_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = generate_support::small_plan();
    plan.schema_version = 9;
    let path = write_plan(dir.path(), &plan);
    let output = rehearse(&[
        "--plan",
        path.to_str().unwrap(),
        "--destination",
        &closed_address(),
        "--out",
        dir.path().join("o").to_str().unwrap(),
    ]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("schema_version 9"), "{stderr}");
    assert!(
        !dir.path().join("o").exists(),
        "nothing is written for a bad plan"
    );
}

/// Topic names of a cluster.
fn topic_names(config: &ClientConfig) -> Vec<String> {
    let consumer: BaseConsumer = config.create().expect("consumer");
    let metadata = consumer
        .fetch_metadata(None, Duration::from_secs(20))
        .expect("metadata");
    metadata.topics().iter().map(|t| t.name().to_owned()).collect()
}

#[test]
fn destination_with_a_planned_topic_of_other_partitions_is_exit_2() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let destination = KafkaCluster::start(
        ClusterOptions::new("rehearse-dest").with_single_node("only topic metadata is checked"),
    );
    let dst = destination.client_config(Listener::Plaintext);
    // `orders` is planned with 3 partitions.
    create_topic_replicated(&dst, "orders", 5, 1, &[]);
    let dir = tempfile::tempdir().unwrap();
    let plan = write_plan(dir.path(), &generate_support::small_plan());
    for reuse in [false, true] {
        let mut args = vec![
            "--plan",
            plan.to_str().unwrap(),
            "--destination",
            destination.bootstrap(),
            "--admin-timeout",
            "PT20S",
        ];
        if reuse {
            args.push("--reuse");
        }
        let output = rehearse(&args);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "--reuse {reuse}: {stderr}");
        assert!(stderr.contains("`orders`"), "names the topic: {stderr}");
        if reuse {
            assert!(
                stderr.contains("5 partition(s)") && stderr.contains("plan has 3"),
                "{stderr}"
            );
        }
        let names = topic_names(&dst);
        assert!(
            !names.iter().any(|n| n == "logging-topic"),
            "nothing is created when the destination is refused: {names:?}"
        );
    }
}

/// Whether process `pid` exists.
fn alive(pid: u32) -> bool {
    // SAFETY: signal 0 only checks that the process exists.
    unsafe { libc::kill(pid as i32, 0) == 0 }
}

/// A rehearsal run as a child whose standard output is read line by line.
struct Running {
    child: std::process::Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    fn start(args: &[&str]) -> Running {
        let mut child = Command::new(BIN)
            .arg("rehearse")
            .args(args)
            .args(["--color", "never"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start rehearse");
        let stdout = child.stdout.take().unwrap();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                eprintln!("rehearse> {line}");
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Running {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for a line containing `needle` and returns it.
    fn wait_for(&mut self, needle: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(_) => {
                    let _ = self.child.kill();
                    panic!(
                        "no line with {needle:?} within {timeout:?}; seen: {:#?}",
                        self.seen
                    );
                }
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn signal_during_mirrormaker_stops_it_and_cleans_up() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let clusters = KafkaCluster::start_many(vec![
        ClusterOptions::new("rehearse-src").with_single_node("MirrorMaker 2 only has to start"),
        ClusterOptions::new("rehearse-dst").with_single_node("MirrorMaker 2 only has to start"),
    ]);
    let (source, destination) = (&clusters[0], &clusters[1]);
    let dst = destination.client_config(Listener::Plaintext);
    // Records on the source, so the gate waits for the copy.
    let src = source.client_config(Listener::Plaintext);
    create_topic_replicated(&src, "orders", 3, 1, &[]);
    support::records::produce_keyed(&src, "orders", 300);
    let dir = tempfile::tempdir().unwrap();
    let mut plan = generate_support::small_plan();
    plan.settings.source.bootstrap_servers = source.bootstrap().to_owned();
    plan.settings.source.security_protocol = diskless_migrator::plan::SecurityProtocol::Plaintext;
    plan.settings.source.sasl_mechanism = None;
    plan.settings.source.ssl_endpoint_identification_algorithm = None;
    let plan_path = write_plan(dir.path(), &plan);
    // A folder with only the MirrorMaker 2 jars, as --kafka-home accepts it.
    let home = dir.path().join("kafka-home");
    std::fs::create_dir(&home).unwrap();
    std::os::unix::fs::symlink(support::mirror_maker_libs(), home.join("libs")).unwrap();
    let planned: Vec<String> = plan
        .topics
        .iter()
        .filter(|t| t.decision != diskless_migrator::plan::Decision::Skip)
        .map(|t| t.name.clone())
        .collect();

    for (signal, keep) in [(libc::SIGINT, false), (libc::SIGTERM, true)] {
        let out = dir.path().join(format!("out-{signal}"));
        let mut args = vec![
            "--plan",
            plan_path.to_str().unwrap(),
            "--destination",
            destination.bootstrap(),
            "--kafka-home",
            home.to_str().unwrap(),
            "--interval",
            "1s",
            "--max-wait",
            "PT5M",
            "--out",
            out.to_str().unwrap(),
        ];
        if keep {
            args.push("--keep");
        }
        let mut run = Running::start(&args);
        let started = run.wait_for("Started MirrorMaker 2 (pid ", Duration::from_secs(120));
        let pid: u32 = started
            .split("(pid ")
            .nth(1)
            .and_then(|rest| rest.split(',').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no pid in {started:?}"));
        assert!(alive(pid), "MirrorMaker 2 (pid {pid}) runs");
        run.wait_for("gate:", Duration::from_secs(120));
        let names = topic_names(&dst);
        for t in &planned {
            assert!(names.contains(t), "{t} created before MirrorMaker 2 starts");
        }
        // SAFETY: signals the rehearse child only.
        unsafe {
            libc::kill(run.child.id() as i32, signal);
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = run.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "rehearse did not stop after signal {signal}"
            );
            std::thread::sleep(Duration::from_millis(100));
        };
        assert_eq!(status.code(), Some(130), "signal {signal}: documented exit code");
        assert!(!alive(pid), "MirrorMaker 2 (pid {pid}) is stopped");
        // Deletion is asynchronous on the broker: wait until the metadata says so.
        support::wait_until(Duration::from_secs(30), "created topics deleted or kept", || {
            let names = topic_names(&dst);
            planned.iter().all(|t| names.contains(t) == keep)
        });
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("rehearsal-report.json")).unwrap())
                .unwrap();
        assert_eq!(report["outcome"], "interrupted");
        assert_eq!(report["created_topics_deleted"], !keep);
        let properties = std::fs::read_to_string(out.join("rehearsal-mm2.properties")).unwrap();
        assert!(properties.contains(&format!(
            "destination.bootstrap.servers={}",
            destination.bootstrap()
        )));
    }
}

/// `--reuse` with a topic that matches the plan: the rehearsal uses it and never deletes it,
/// while the topics it created are deleted at the end. Without `--kafka-home` it prints the
/// command to run MirrorMaker 2 and waits at the gate (here for a source nobody can reach:
/// exit 3 when `--max-wait` is over).
#[test]
fn reuse_keeps_matching_topics_and_without_kafka_home_prints_the_command() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let destination = KafkaCluster::start(
        ClusterOptions::new("rehearse-reuse").with_single_node("only topics are created and checked"),
    );
    let dst = destination.client_config(Listener::Plaintext);
    // `orders` as the plan has it (classic: compacted, with its retention and ratio).
    create_topic_replicated(
        &dst,
        "orders",
        3,
        1,
        &[
            ("retention.ms", "604800000"),
            ("cleanup.policy", "compact"),
            ("min.cleanable.dirty.ratio", "0.5"),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let mut plan = generate_support::small_plan();
    plan.settings.source.bootstrap_servers = closed_address();
    plan.settings.source.security_protocol = diskless_migrator::plan::SecurityProtocol::Plaintext;
    plan.settings.source.sasl_mechanism = None;
    plan.settings.source.ssl_endpoint_identification_algorithm = None;
    let plan_path = write_plan(dir.path(), &plan);
    let out = dir.path().join("out");
    let started = Instant::now();
    let output = rehearse(&[
        "--plan",
        plan_path.to_str().unwrap(),
        "--destination",
        destination.bootstrap(),
        "--reuse",
        "--admin-timeout",
        "PT2S",
        "--interval",
        "1s",
        "--max-wait",
        "PT6S",
        "--out",
        out.to_str().unwrap(),
    ]);
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(3),
        "{stdout}\n{}",
        text(&output.stderr)
    );
    assert!(stdout.contains("created 3 topic(s), reused 1"), "{stdout}");
    assert!(stdout.contains("bin/connect-mirror-maker.sh"), "{stdout}");
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    support::wait_until(Duration::from_secs(30), "created topics deleted", || {
        let names = topic_names(&dst);
        names.iter().any(|n| n == "orders") && !names.iter().any(|n| n == "logging-topic")
    });
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("rehearsal-report.json")).unwrap()).unwrap();
    assert_eq!(report["outcome"], "unreachable");
    assert_eq!(report["created_topics"].as_array().unwrap().len(), 3);
    assert!(
        !report["created_topics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "orders"),
        "{report}"
    );
}
