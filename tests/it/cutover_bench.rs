//! Benchmark of the cutover window against the plan's estimate, on the test bed with real
//! MirrorMaker 2. Ignored by default; run it with `benches/cutover.sh`.
//!
//! One flow of `BENCH_PARTITIONS` partitions (default 2,000), `BENCH_RECORDS` records per
//! partition (default 20) and `BENCH_GROUPS` consumer groups (default 50) committed at the log
//! end. For each sizing (one task, then the plan's own), on fresh clusters: `discover`, `plan`
//! (with `mirrormaker.offset_flush_interval_ms = BENCH_FLUSH_MS`, default 3,000, so the bad case
//! ends in minutes) and `generate`; MirrorMaker 2 runs the generated `mm2.properties` (plus the
//! test bed's connection and replication-factor lines, none of the timing lines); the records
//! are produced, the producer stops, the groups commit, and the time from the producer's stop
//! until `inspect --until-ok` exits 0 is set next to the plan's `gate_open_seconds`.

use crate::support;

use std::process::Command;
use std::time::{Duration, Instant};

use diskless_migrator::plan::Plan;
use rdkafka::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::{Offset, TopicPartitionList};
use support::kafka::{ClusterOptions, KafkaCluster, Listener};
use support::mm2::MirrorMaker;
use support::records::create_topic;

const BIN: &str = env!("CARGO_BIN_EXE_diskless-migrator");
const TOPIC: &str = "bench.clicks";

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One sizing to measure: its name and the `mirrormaker` settings lines that give it.
struct Case {
    name: &'static str,
    mirrormaker: String,
}

/// What one case measured, with the plan's figures.
struct Measured {
    name: &'static str,
    tasks: u32,
    partitions_per_task: u32,
    drain_estimate: u64,
    gate_estimate: u64,
    commit_seconds: f64,
    gate_seconds: f64,
    mm2_rss_mb: f64,
}

fn run(args: &[&str], env: &[(String, String)]) -> std::process::Output {
    let out = Command::new(BIN)
        .args(args)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .expect("run diskless-migrator");
    assert!(
        out.status.success(),
        "diskless-migrator {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn settings(source: &str, mirrormaker: &str) -> String {
    format!(
        r#"project        = "bench"
cloud          = "google-europe-west1"
service_prefix = "bench"
destination {{
  plan          = "business-8-inkless"
  kafka_version = "4.1"
}}
mirrormaker {{
  plan = "business-4"
{mirrormaker}}}
source {{
  bootstrap_servers = "{source}"
  security_protocol = "PLAINTEXT"
}}
flows {{
  max_flows = 1
}}
"#
    )
}

/// Resident memory of a process, from `/proc`.
fn rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn end_offsets(config: &ClientConfig, partitions: i32) -> Vec<i64> {
    let consumer: BaseConsumer = config.create().unwrap();
    (0..partitions)
        .map(|p| {
            consumer
                .fetch_watermarks(TOPIC, p, Duration::from_secs(20))
                .map_or(-1, |(_, high)| high)
        })
        .collect()
}

fn measure(case: &Case, partitions: i32, records: u64, groups: u64, flush_ms: u64) -> Measured {
    // One broker each: the offset syncs' pace does not depend on the broker count. A long
    // broker session, so a loaded machine does not fence the only broker (its 2,000
    // partitions would lose their leader for the rest of the run), and a heap for 2,000
    // partitions and 50 groups' offsets (the default 384 MB ran out).
    let options = |name: &str| {
        ClusterOptions::new(name)
            .with_single_node(
                "the benchmark times MirrorMaker 2's offset syncs, which do not depend on the broker count",
            )
            .with_broker_property("broker.session.timeout.ms", "300000")
            .with_heap_mb(1024)
    };
    let clusters = KafkaCluster::start_many(vec![options("source"), options("destination")]);
    let (source, destination) = (&clusters[0], &clusters[1]);
    let src: ClientConfig = source.client_config(Listener::Plaintext);
    let dst: ClientConfig = destination.client_config(Listener::Plaintext);
    create_topic(&src, TOPIC, partitions, &[]);
    create_topic(&dst, TOPIC, partitions, &[]);

    let work = tempfile::tempdir().unwrap();
    let w = work.path();
    let inventory = w.join("inventory");
    run(
        &[
            "discover",
            "--bootstrap-server",
            source.bootstrap(),
            "--out",
            inventory.to_str().unwrap(),
            "--quiet",
        ],
        &[],
    );
    std::fs::write(
        w.join("migration.hcl"),
        settings(source.bootstrap(), &case.mirrormaker),
    )
    .unwrap();
    std::fs::write(w.join("topics.txt"), format!("{TOPIC}\n")).unwrap();
    let out = w.join("out");
    let summary = run(
        &[
            "plan",
            "--inventory",
            inventory.join("inventory.json").to_str().unwrap(),
            "--settings",
            w.join("migration.hcl").to_str().unwrap(),
            "--topics",
            w.join("topics.txt").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    eprintln!(
        "bench[{}]: plan\n{}",
        case.name,
        String::from_utf8_lossy(&summary.stdout)
    );
    run(
        &[
            "generate",
            "--plan",
            out.join("plan.json").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    let plan: Plan = serde_json::from_str(&std::fs::read_to_string(out.join("plan.json")).unwrap()).unwrap();
    assert_eq!(plan.mirrormaker.offset_flush_interval_ms.value, flush_ms);
    let flow = &plan.flows[0];
    let generated = std::fs::read_to_string(out.join("mm2.properties")).unwrap();
    assert!(generated.contains(&format!("tasks.max={}\n", plan.mirrormaker.tasks_max)));
    assert!(generated.contains(&format!("destination.offset.flush.interval.ms={flush_ms}\n")));

    // The test bed's lines: the PLAINTEXT stand-in for Aiven, replication factor 1, quick
    // topic and group discovery, plugin discovery by manifests. No timing line of the plan
    // (flush, checkpoint and group offset sync intervals) is changed.
    let mut properties = generated;
    properties.push_str("\n# --- test bed\ndestination.security.protocol=PLAINTEXT\n");
    for key in [
        "replication.factor",
        "checkpoints.topic.replication.factor",
        "heartbeats.topic.replication.factor",
        "offset-syncs.topic.replication.factor",
        "offset.storage.replication.factor",
        "status.storage.replication.factor",
        "config.storage.replication.factor",
    ] {
        properties.push_str(&format!("{key}=1\n"));
    }
    properties.push_str(
        "refresh.topics.interval.seconds=5\nrefresh.groups.interval.seconds=5\n\
         dedicated.mode.enable.internal.rest=false\nplugin.discovery=service_load\n",
    );
    for alias in [flow.target_alias.as_str(), flow.source_alias.as_str()] {
        properties.push_str(&format!("{alias}.plugin.discovery=service_load\n"));
    }
    let env: Vec<(String, String)> = [
        (
            "DESTINATION_BOOTSTRAP_SERVERS",
            destination.bootstrap().to_owned(),
        ),
        ("DESTINATION_ACCESS_CERT", String::new()),
        ("DESTINATION_ACCESS_KEY", String::new()),
        ("DESTINATION_CA_CERT", String::new()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let heap = env_u64("BENCH_MM2_HEAP_MB", 2048) as u32;
    // MirrorMaker 2 is running its tasks when a first record is copied.
    let producer: BaseProducer = src.clone().set("linger.ms", "20").create().unwrap();
    producer
        .send(BaseRecord::<(), _>::to(TOPIC).partition(0).payload("warm-up"))
        .unwrap();
    producer.flush(Duration::from_secs(180)).unwrap();
    // On a loaded machine a herder can give up at start (its internal topics' metadata not read
    // in time) and leave the JVM idle: start it again, at most three times.
    let mut attempt = 0;
    let mut mm2 = loop {
        attempt += 1;
        let mut mm2 = MirrorMaker::start_with_heap(&properties, &env, heap);
        let log = mm2.properties_file().with_file_name("mm2.log");
        let started = Instant::now();
        let copied = loop {
            if end_offsets(&dst, 1)[0] >= 1 {
                break true;
            }
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if text.contains("Uncaught exception in herder work thread")
                || started.elapsed() > Duration::from_secs(600)
            {
                break false;
            }
            mm2.assert_running();
            std::thread::sleep(Duration::from_secs(2));
        };
        if copied {
            break mm2;
        }
        assert!(
            attempt < 3,
            "MirrorMaker 2 did not start copying in three attempts"
        );
        eprintln!(
            "bench[{}]: MirrorMaker 2 did not start; starting it again",
            case.name
        );
        mm2.stop();
    };

    // The producers: `records` records on every partition, then they stop.
    for p in 0..partitions {
        for i in 0..records {
            let payload = format!("r{i}");
            loop {
                match producer.send(BaseRecord::<(), _>::to(TOPIC).partition(p).payload(&payload)) {
                    Ok(()) => break,
                    Err(_) => producer.poll(Duration::from_millis(50)),
                };
            }
        }
    }
    producer.flush(Duration::from_secs(300)).unwrap();
    let stopped = Instant::now();
    // Every partition holds `records` records, partition 0 the warm-up record too.
    let ends: Vec<i64> = (0..partitions)
        .map(|p| records as i64 + i64::from(p == 0))
        .collect();

    // The consumers: every group has read everything and committed at the log end.
    std::thread::scope(|scope| {
        for worker in 0..8 {
            let (src, ends) = (&src, &ends);
            scope.spawn(move || {
                for g in (worker..groups).step_by(8) {
                    let consumer: BaseConsumer = src
                        .clone()
                        .set("group.id", format!("bench-group-{g:02}"))
                        .create()
                        .unwrap();
                    let mut tpl = TopicPartitionList::new();
                    for (p, end) in ends.iter().enumerate() {
                        tpl.add_partition_offset(TOPIC, p as i32, Offset::Offset(*end))
                            .unwrap();
                    }
                    support::records::commit_retrying(&consumer, &tpl);
                }
            });
        }
    });
    let commit_seconds = stopped.elapsed().as_secs_f64();

    // The gate, waiting at most twice the estimate (and a minute more for the slow machine).
    let wait = flow.gate_open_seconds * 2 + 60;
    let gate = Command::new(BIN)
        .args(["inspect", "--mm2-config"])
        .arg(mm2.properties_file())
        .args(["--include-inactive-groups", "--watch", "PT1S", "--until-ok"])
        .args(["--max-wait", &format!("PT{wait}S"), "--progress", "json"])
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .unwrap();
    let gate_seconds = stopped.elapsed().as_secs_f64();
    let mm2_rss_mb = rss_mb(mm2.pid());
    mm2.assert_running();
    let stderr = String::from_utf8_lossy(&gate.stderr);
    let progress: Vec<&str> = stderr.lines().filter(|l| l.starts_with("{\"round\"")).collect();
    eprintln!("bench[{}]: progress\n{}", case.name, progress.join("\n"));
    let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
    assert!(
        gate.status.success(),
        "[{}] the gate did not open within {wait} s:\n{}",
        case.name,
        tail.join("\n")
    );
    assert_eq!(
        end_offsets(&src, partitions),
        ends,
        "the source holds what was produced"
    );
    assert_eq!(end_offsets(&dst, partitions), ends, "every record copied");
    eprintln!(
        "bench[{}]: gate open {gate_seconds:.1} s after the producer stopped (plan: {} s); groups committed after {commit_seconds:.1} s",
        case.name, flow.gate_open_seconds
    );
    let measured = Measured {
        name: case.name,
        tasks: flow.tasks,
        partitions_per_task: flow.partitions_per_task,
        drain_estimate: flow.final_sync_drain_seconds,
        gate_estimate: flow.gate_open_seconds,
        commit_seconds,
        gate_seconds,
        mm2_rss_mb,
    };
    mm2.stop();
    measured
}

#[test]
#[ignore = "benchmark: run benches/cutover.sh"]
fn cutover_gate_versus_the_plans_estimate() {
    let partitions = env_u64("BENCH_PARTITIONS", 2000) as i32;
    let records = env_u64("BENCH_RECORDS", 20);
    let groups = env_u64("BENCH_GROUPS", 50);
    let flush_ms = env_u64("BENCH_FLUSH_MS", 3000);
    let cpus = env_u64("BENCH_CPUS", 2);
    let only = std::env::var("BENCH_CASE").unwrap_or_default();
    let cases = [
        Case {
            name: "one task",
            mirrormaker: format!(
                "  cpus = 1\n  max_tasks_per_cpu = 1\n  offset_flush_interval_ms = {flush_ms}\n"
            ),
        },
        Case {
            name: "as planned",
            mirrormaker: format!(
                "  cpus = {cpus}\n  max_tasks_per_cpu = 20\n  offset_flush_interval_ms = {flush_ms}\n"
            ),
        },
    ];
    let mut results = Vec::new();
    for case in cases.iter().filter(|c| only.is_empty() || c.name == only) {
        results.push(measure(case, partitions, records, groups, flush_ms));
    }
    println!(
        "\n{partitions} partitions x {records} records, {groups} groups, offset.flush.interval.ms = {flush_ms}\n"
    );
    println!(
        "| MirrorMaker 2 | tasks | partitions per task | plan: sync drain | plan: gate opens | measured: gate opened | measured / plan | groups committed | MM2 RSS |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for m in &results {
        println!(
            "| {} | {} | {} | {} s | {} s | {:.0} s | {:.2} | {:.1} s | {:.0} MB |",
            m.name,
            m.tasks,
            m.partitions_per_task,
            m.drain_estimate,
            m.gate_estimate,
            m.gate_seconds,
            m.gate_seconds / m.gate_estimate as f64,
            m.commit_seconds,
            m.mm2_rss_mb
        );
    }
    for m in &results {
        let ratio = m.gate_seconds / m.gate_estimate as f64;
        assert!(
            (0.5..=2.0).contains(&ratio),
            "{}: measured {:.0} s against the plan's {} s",
            m.name,
            m.gate_seconds,
            m.gate_estimate
        );
    }
}
