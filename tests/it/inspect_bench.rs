//! Benchmark of `inspect` against the Kafka CLI baseline
//! (`kafka-consumer-groups.sh --describe --all-groups` on both clusters), on the test bed with
//! real MirrorMaker 2. Ignored by default; run it with `benches/inspect.sh`.
//!
//! Size: `BENCH_GROUPS` groups (default 500), each committed on all partitions of one of
//! `BENCH_TOPICS` topics (default 5) of `BENCH_PARTITIONS` partitions (default 20).

use crate::support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use rdkafka::ClientConfig;
use rdkafka::consumer::BaseConsumer;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::{Offset, TopicPartitionList};
use support::kafka::{ClusterOptions, KafkaCluster, Listener};
use support::mm2::{MirrorMaker, fast_properties};
use support::records::create_topic;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Wall time and peak resident memory (KiB) of a command, from `/usr/bin/time -v`.
fn measure(cmd: Command) -> (Duration, u64, i32, String) {
    let program = cmd.get_program().to_owned();
    let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
    let mut timed = Command::new("/usr/bin/time");
    timed.arg("-v").arg(program).args(args);
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            timed.env(k, v);
        }
    }
    let started = Instant::now();
    let out = timed.output().expect("run /usr/bin/time");
    let wall = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let rss = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes): "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    (
        wall,
        rss,
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn describe_all_groups(libs: &Path, bootstrap: &str) -> Command {
    let java = std::env::var_os("JAVA_HOME")
        .map(|h| Path::new(&h).join("bin").join("java"))
        .unwrap_or_else(|| "java".into());
    let mut cmd = Command::new(java);
    // The options kafka-run-class.sh uses for the CLI tools.
    cmd.args(["-Xmx256M", "-XX:+UseG1GC", "-Djava.awt.headless=true"])
        .arg("-cp")
        .arg(format!("{}/*", libs.display()))
        .arg("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand")
        .args(["--bootstrap-server", bootstrap, "--describe", "--all-groups"]);
    cmd
}

#[test]
#[ignore = "benchmark: run benches/inspect.sh"]
fn inspect_versus_consumer_groups_describe() {
    let groups = env_usize("BENCH_GROUPS", 500);
    let topics = env_usize("BENCH_TOPICS", 5);
    let partitions = env_usize("BENCH_PARTITIONS", 20) as i32;
    let clusters =
        KafkaCluster::start_many(vec![ClusterOptions::new("source"), ClusterOptions::new("target")]);
    let source: ClientConfig = clusters[0].client_config(Listener::Plaintext);

    let producer: BaseProducer = source.create().unwrap();
    for t in 0..topics {
        let topic = format!("bench-{t}");
        create_topic(&source, &topic, partitions, &[]);
        for p in 0..partitions {
            for i in 0..20 {
                let payload = format!("r{i}");
                producer
                    .send(BaseRecord::<(), _>::to(&topic).partition(p).payload(&payload))
                    .unwrap();
            }
        }
    }
    producer.flush(Duration::from_secs(60)).unwrap();
    // One consumer per group (a group id is a consumer setting), on eight threads: at 10,000
    // groups one after the other would take most of the benchmark.
    std::thread::scope(|scope| {
        for worker in 0..8 {
            let source = &source;
            scope.spawn(move || {
                for g in (worker..groups).step_by(8) {
                    let topic = format!("bench-{}", g % topics);
                    let consumer: BaseConsumer = source
                        .clone()
                        .set("group.id", format!("bench-group-{g:05}"))
                        .create()
                        .unwrap();
                    let mut tpl = TopicPartitionList::new();
                    for p in 0..partitions {
                        tpl.add_partition_offset(&topic, p, Offset::Offset(20)).unwrap();
                    }
                    support::records::commit_retrying(&consumer, &tpl);
                }
            });
        }
    });
    eprintln!("bench: {groups} groups x {partitions} partitions committed on the source");

    let properties = format!(
        "clusters = source, target\n\
         source.bootstrap.servers = {}\n\
         target.bootstrap.servers = {}\n\
         source->target.enabled = true\n\
         source->target.topics = bench-.*\n\
         groups = bench-group-.*\n\
         replication.policy.class = org.apache.kafka.connect.mirror.IdentityReplicationPolicy\n\
         sync.group.offsets.enabled = true\n\
         sync.group.offsets.interval.seconds = 1\n\
         {}",
        clusters[0].bootstrap(),
        clusters[1].bootstrap(),
        fast_properties(3, &["source", "target"])
    );
    let mut mm2 = MirrorMaker::start(&properties);
    let file = mm2.properties_file();
    let binary = env!("CARGO_BIN_EXE_diskless-migrator");
    let inspect = |extra: &[&str]| {
        let mut cmd = Command::new(binary);
        cmd.arg("inspect")
            .arg("--mm2-config")
            .arg(&file)
            .args(["--include-inactive-groups", "--include-ok-groups"])
            .args(extra);
        cmd
    };

    // Wait (the cutover gate) until MM2 has synced every group, at most BENCH_WAIT_SECONDS
    // (default 600). With BENCH_REQUIRE_SYNC=0 the measurement goes on when time runs out: the
    // rows are the same, some of them not OK, which is enough to measure memory at scale.
    let wait = env_usize("BENCH_WAIT_SECONDS", 600);
    let require_sync = env_usize("BENCH_REQUIRE_SYNC", 1) == 1;
    let started = Instant::now();
    let gate = inspect(&[
        "--watch",
        "PT5S",
        "--until-ok",
        "--max-wait",
        &format!("PT{wait}S"),
        "--format",
        "table",
    ])
    .output()
    .unwrap();
    mm2.assert_running();
    if require_sync {
        assert!(
            gate.status.success(),
            "MM2 did not sync every group within {wait} s:\n{}",
            String::from_utf8_lossy(&gate.stderr)
        );
        eprintln!("bench: MM2 synced all groups after {:.0?}", started.elapsed());
    } else {
        eprintln!(
            "bench: after {:.0?} the gate says {:?} (BENCH_REQUIRE_SYNC=0: measuring anyway)",
            started.elapsed(),
            gate.status.code()
        );
    }

    let out_dir = tempfile::tempdir().unwrap();
    let csv = out_dir.path().join("report.csv");
    let mut inspect_runs = Vec::new();
    for _ in 0..3 {
        let (wall, rss, code, _) = measure(inspect(&["--output-path", csv.to_str().unwrap()]));
        assert!(code == 0 || (!require_sync && code == 1), "inspect exited {code}");
        inspect_runs.push((wall, rss));
    }
    let rows = std::fs::read_to_string(&csv).unwrap().lines().count() - 1;
    assert_eq!(rows, groups * partitions as usize);
    // Another build of the tool, e.g. the one before a change, measured the same way.
    if let Ok(other) = std::env::var("BENCH_COMPARE_BINARY") {
        let mut other_runs = Vec::new();
        for _ in 0..3 {
            let cmd = inspect(&["--output-path", csv.to_str().unwrap()]);
            let args: Vec<std::ffi::OsString> = cmd.get_args().map(|a| a.to_owned()).collect();
            let mut cmd = Command::new(&other);
            cmd.args(args);
            let (wall, rss, code, _) = measure(cmd);
            assert!(code == 0 || (!require_sync && code == 1), "{other} exited {code}");
            other_runs.push(format!("{:.2}s/{:.1}MB", wall.as_secs_f64(), rss as f64 / 1024.0));
        }
        println!("compare binary {other}: {other_runs:?}");
    }
    if env_usize("BENCH_BASELINE", 1) == 0 {
        println!(
            "inspect ({rows} rows) runs: {:?}",
            inspect_runs
                .iter()
                .map(|(w, r)| format!("{:.2}s/{:.1}MB", w.as_secs_f64(), *r as f64 / 1024.0))
                .collect::<Vec<_>>()
        );
        mm2.stop();
        return;
    }

    let libs = support::kafka_libs();
    let mut baseline_runs = Vec::new();
    for _ in 0..3 {
        let (w1, r1, c1, out1) = measure(describe_all_groups(&libs, clusters[0].bootstrap()));
        let (w2, r2, c2, out2) = measure(describe_all_groups(&libs, clusters[1].bootstrap()));
        assert_eq!((c1, c2), (0, 0));
        assert!(out1.lines().count() > groups && out2.lines().count() > groups);
        baseline_runs.push((w1 + w2, r1.max(r2)));
    }
    let median = |runs: &mut Vec<(Duration, u64)>| {
        runs.sort();
        runs[runs.len() / 2]
    };
    let (iw, ir) = median(&mut inspect_runs);
    let (bw, br) = median(&mut baseline_runs);
    println!("| tool | wall time (median of 3) | peak RSS |");
    println!("|---|---|---|");
    println!(
        "| `diskless-migrator inspect` ({rows} rows, both clusters + offset-syncs) | {:.2} s | {:.1} MB |",
        iw.as_secs_f64(),
        ir as f64 / 1024.0
    );
    println!(
        "| `kafka-consumer-groups.sh --describe --all-groups`, source then target | {:.2} s | {:.1} MB |",
        bw.as_secs_f64(),
        br as f64 / 1024.0
    );
    println!(
        "inspect runs: {:?}; baseline runs: {:?}",
        inspect_runs
            .iter()
            .map(|(w, r)| format!("{:.2}s/{}KiB", w.as_secs_f64(), r))
            .collect::<Vec<_>>(),
        baseline_runs
            .iter()
            .map(|(w, r)| format!("{:.2}s/{}KiB", w.as_secs_f64(), r))
            .collect::<Vec<_>>()
    );
    mm2.stop();
}
