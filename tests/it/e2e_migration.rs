//! The whole migration chain on the test bed, run as a user would run it:
//!
//! 1. a "source" cluster (SASL_SSL, SCRAM-SHA-512) seeded with 50+ topics (varied partitions
//!    and configs, a compacted and a `compact,delete` topic, awkward names), keyed records in
//!    all of them, consumer groups that are stopped or still running, and the internal topics
//!    Kafka creates (`__consumer_offsets`, `__transaction_state`);
//! 2. `discover` → `plan` → `generate` with the binary;
//! 3. a second local cluster stands in for Aiven, and `rehearse` (the binary, as a user runs
//!    it) creates the topics `destination/topics.tf` declares there, runs real MirrorMaker 2
//!    (from a folder holding the test bed's jars) on the generated `mm2.properties` pointed at
//!    it, and gates the cutover as `inspect --watch --until-ok` does;
//! 4. `inspect` then reports every row of every group on the rehearsal's properties;
//! 5. the test checks every record of every migrated topic (count and key checksum per
//!    partition), that unlisted topics were not copied, that compacted topics stayed classic,
//!    and that each stopped group resumes on the destination at or before its source position,
//!    within the at-least-once overlap documented in `docs/rehearsal.md`.
//!
//! It prints the time of each stage and inspect's final summary.

use crate::support;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use diskless_migrator::inspect::collect::read_offset_syncs;
use diskless_migrator::inspect::compare::TOO_OLD_FOR_MM2;
use diskless_migrator::inspect::offset_syncs::{History, SyncStore, Translation};
use diskless_migrator::kafka::client::{ClientSettings, EnvFallback};
use diskless_migrator::plan::{Decision, Plan};
use rdkafka::admin::{AdminClient, AdminOptions, ResourceSpecifier};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::message::Message;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use support::kafka::{ClusterOptions, KafkaCluster, Listener};
use support::mm2::{MirrorMaker, fast_properties};
use support::records::{TopicSpec, create_topic_replicated, create_topics, key_for};
use support::run_migrator as run_bin;

const BIN: &str = env!("CARGO_BIN_EXE_diskless-migrator");
const RECORDS_PER_TOPIC: usize = 200;
/// The SCRAM user MirrorMaker 2, discover and inspect log in with.
const SCRAM_USER: &str = "migrator";
const SCRAM_PASSWORD: &str = "migrator-secret";

/// One seeded topic.
struct SeedTopic {
    name: String,
    partitions: i32,
    configs: Vec<(&'static str, &'static str)>,
    /// In the topic list given to `plan`.
    listed: bool,
}

fn topic(name: &str, partitions: i32, configs: &[(&'static str, &'static str)], listed: bool) -> SeedTopic {
    SeedTopic {
        name: name.to_owned(),
        partitions,
        configs: configs.to_vec(),
        listed,
    }
}

/// The source's topics: hand-picked awkward ones, then a generated spread of names,
/// partition counts and configs.
fn seed_topics() -> Vec<SeedTopic> {
    let mut topics = vec![
        topic("payments.v2_events", 3, &[("retention.ms", "604800000")], true),
        // Matches `payments.v2_events` if the `.` is left unescaped: must not be copied.
        topic("paymentsXv2_events", 2, &[], false),
        topic("customers-state", 3, &[("cleanup.policy", "compact")], true),
        topic(
            "sessions.by-user",
            2,
            &[("cleanup.policy", "compact,delete"), ("retention.ms", "86400000")],
            true,
        ),
        topic("clickstream-2024-7", 4, &[("compression.type", "lz4")], true),
        topic("orders-v3", 6, &[("max.message.bytes", "2097152")], true),
        topic(
            "inventory_snapshots",
            1,
            &[("retention.bytes", "1073741824")],
            true,
        ),
        topic("scratch.tmp-1", 1, &[], false),
        topic("legacy_archive", 2, &[], false),
    ];
    let configs: [&[(&str, &str)]; 6] = [
        &[],
        &[("retention.ms", "259200000")],
        &[("segment.bytes", "16777216")],
        &[("min.insync.replicas", "1"), ("retention.ms", "3600000")],
        &[("message.timestamp.type", "LogAppendTime")],
        &[("max.message.bytes", "524288"), ("compression.type", "zstd")],
    ];
    let services = ["billing", "fraud", "search", "ledger", "iot"];
    for i in 0..44 {
        let name = match i % 4 {
            0 => format!("{}.events-{i}", services[i % 5]),
            1 => format!("{}_stream-v{i}", services[i % 5]),
            2 => format!("{}-topic.{i:03}", services[i % 5]),
            _ => format!("team{}.{}-feed-{}", i % 3, services[i % 5], i % 8),
        };
        topics.push(topic(&name, 1 + (i % 4) as i32, configs[i % 6], true));
    }
    // Last, so the groups' picks above keep their topics. A transactional producer also writes
    // to TXN_TOPIC (planned classic); TIERED_TOPIC uses the source's tiered storage (planned
    // diskless without its tiering configs).
    topics.push(topic(TXN_TOPIC, 1, &[], true));
    topics.push(topic(
        TIERED_TOPIC,
        2,
        &[
            ("remote.storage.enable", "true"),
            ("local.retention.ms", "600000"),
            ("local.retention.bytes", "1048576"),
        ],
        true,
    ));
    topics
}

/// The topic a transactional producer writes to (one transaction: one commit marker).
const TXN_TOPIC: &str = "txn.audit-trail";
/// Transaction markers at the end of TXN_TOPIC's only partition: offsets MM2 never copies.
const TXN_MARKERS: i64 = 1;
/// A topic with tiered storage on the source.
const TIERED_TOPIC: &str = "archive.tiered-events";

/// Offsets at the end of `topic`'s partitions that are transaction markers, not records.
fn trailing_markers(topic: &str) -> i64 {
    if topic == TXN_TOPIC { TXN_MARKERS } else { 0 }
}

/// A consumer group seeded on the source.
struct SeedGroup {
    name: &'static str,
    topics: Vec<String>,
    /// Share of the group's records consumed before it commits (percent).
    percent: usize,
    /// Still running (subscribed) during the migration.
    running: bool,
}

fn seed_groups(topics: &[SeedTopic]) -> Vec<SeedGroup> {
    let listed: Vec<&str> = topics
        .iter()
        .filter(|t| t.listed)
        .map(|t| t.name.as_str())
        .collect();
    let pick = |range: std::ops::Range<usize>| listed[range].iter().map(|s| s.to_string()).collect();
    vec![
        SeedGroup {
            name: "payments-processor",
            topics: vec!["payments.v2_events".into()],
            percent: 50,
            running: false,
        },
        SeedGroup {
            name: "customer.profile-builder",
            topics: vec!["customers-state".into(), "sessions.by-user".into()],
            percent: 70,
            running: false,
        },
        SeedGroup {
            name: "clicks_aggregator-7",
            topics: vec!["clickstream-2024-7".into()],
            percent: 30,
            running: false,
        },
        SeedGroup {
            name: "orders-fulfilment",
            topics: vec!["orders-v3".into(), "inventory_snapshots".into()],
            percent: 60,
            running: false,
        },
        SeedGroup {
            name: "analytics.batch",
            topics: pick(6..10),
            percent: 40,
            running: false,
        },
        SeedGroup {
            name: "ledger-reconciler",
            topics: pick(10..13),
            percent: 90,
            running: false,
        },
        SeedGroup {
            name: "search_indexer",
            topics: pick(13..16),
            percent: 100,
            running: false,
        },
        SeedGroup {
            name: "iot-telemetry.v2",
            topics: pick(16..18),
            percent: 20,
            running: false,
        },
        SeedGroup {
            name: "scratch-reader",
            topics: vec!["scratch.tmp-1".into()],
            percent: 50,
            running: false,
        },
        SeedGroup {
            name: "fraud-detector",
            topics: pick(18..21),
            percent: 50,
            running: true,
        },
        SeedGroup {
            name: "billing.live-dashboard",
            topics: pick(21..23),
            percent: 80,
            running: true,
        },
        SeedGroup {
            name: "audit_tail-3",
            topics: pick(23..25),
            percent: 100,
            running: true,
        },
    ]
}

/// Sets its flag when dropped.
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Per-stage wall times, printed as they come and again at the end.
#[derive(Default)]
struct Stages(Vec<(String, Duration)>);

impl Stages {
    fn time<T>(&mut self, name: &str, f: impl FnOnce() -> T) -> T {
        eprintln!("e2e: --- {name}");
        let started = Instant::now();
        let value = f();
        let took = started.elapsed();
        eprintln!("e2e: --- {name}: {:.1} s", took.as_secs_f64());
        self.0.push((name.to_owned(), took));
        value
    }

    fn print(&self) {
        eprintln!("e2e: stage times");
        for (name, took) in &self.0 {
            eprintln!("e2e:   {name:<46} {:>7.1} s", took.as_secs_f64());
        }
        let total: Duration = self.0.iter().map(|(_, d)| *d).sum();
        eprintln!("e2e:   {:<46} {:>7.1} s", "total", total.as_secs_f64());
    }
}

/// Runs the binary and returns its output whatever the exit code.
fn run_bin_status(args: &[&str], env: &[(String, String)]) -> Output {
    Command::new(BIN)
        .args(args)
        .args(["--color", "never"])
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .expect("run diskless-migrator")
}

/// A consumer that reads without committing.
fn reader(config: &ClientConfig) -> BaseConsumer {
    config
        .clone()
        .set("group.id", "e2e-reader")
        .set("enable.auto.commit", "false")
        .set("auto.offset.reset", "earliest")
        .create()
        .expect("create a reader")
}

/// Low and high watermark of every partition of `topics`; `None` for a topic that does not
/// exist.
fn watermarks(consumer: &BaseConsumer, topics: &[String]) -> BTreeMap<String, Option<Vec<(i64, i64)>>> {
    let metadata = consumer
        .fetch_metadata(None, Duration::from_secs(20))
        .expect("cluster metadata");
    let mut out = BTreeMap::new();
    for name in topics {
        let Some(t) = metadata.topics().iter().find(|t| t.name() == name) else {
            out.insert(name.clone(), None);
            continue;
        };
        let mut marks = Vec::new();
        for p in 0..t.partitions().len() as i32 {
            marks.push(
                consumer
                    .fetch_watermarks(name, p, Duration::from_secs(20))
                    .unwrap_or_else(|e| panic!("watermarks of {name}/{p}: {e}")),
            );
        }
        out.insert(name.clone(), Some(marks));
    }
    out
}

/// Topic names of the cluster.
fn topic_names(config: &ClientConfig) -> BTreeSet<String> {
    let consumer = reader(config);
    let metadata = consumer
        .fetch_metadata(None, Duration::from_secs(20))
        .expect("cluster metadata");
    metadata.topics().iter().map(|t| t.name().to_owned()).collect()
}

/// Every record (offset, key) of some topics, by topic and partition, in offset order.
type Contents = BTreeMap<(String, i32), Vec<(i64, Vec<u8>)>>;

/// Reads every record of `topics`; `markers` gives the transaction markers that end a
/// topic's partitions on this cluster (the source has them; MirrorMaker 2 copies records,
/// never markers).
fn read_all(config: &ClientConfig, topics: &[String], markers: fn(&str) -> i64) -> Contents {
    let consumer = reader(config);
    let marks = watermarks(&consumer, topics);
    let mut assignment = TopicPartitionList::new();
    let mut remaining: HashMap<(String, i32), i64> = HashMap::new();
    let mut contents = Contents::new();
    for (name, marks) in &marks {
        let marks = marks
            .as_ref()
            .unwrap_or_else(|| panic!("topic {name} is missing"));
        for (p, (low, high)) in marks.iter().enumerate() {
            let p = p as i32;
            contents.insert((name.clone(), p), Vec::new());
            assignment
                .add_partition_offset(name, p, Offset::Offset(*low))
                .unwrap();
            // The last record sits before any trailing transaction markers.
            let last_record_end = high - markers(name);
            if last_record_end > *low {
                remaining.insert((name.clone(), p), last_record_end);
            }
        }
    }
    consumer.assign(&assignment).expect("assign");
    let deadline = Instant::now() + Duration::from_secs(120);
    while !remaining.is_empty() {
        assert!(
            Instant::now() < deadline,
            "reading timed out; left: {remaining:?}"
        );
        let Some(message) = consumer.poll(Duration::from_millis(200)) else {
            continue;
        };
        let message = message.expect("read a record");
        let key = (message.topic().to_owned(), message.partition());
        if let Some(&high) = remaining.get(&key) {
            if message.offset() < high {
                let record = (message.offset(), message.key().unwrap_or_default().to_vec());
                contents.get_mut(&key).unwrap().push(record);
            }
            if message.offset() + 1 >= high {
                remaining.remove(&key);
            }
        }
    }
    contents
}

/// FNV-1a over the keys of a partition, in order.
fn key_checksum(records: &[(i64, Vec<u8>)]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (_, key) in records {
        for byte in key.iter().chain([&0xffu8]) {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// Committed offsets of `group` on `topics` (partitions without a commit are left out).
fn committed(config: &ClientConfig, group: &str, topics: &[String]) -> BTreeMap<(String, i32), i64> {
    let consumer: BaseConsumer = config
        .clone()
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .create()
        .expect("create a consumer");
    let marks = watermarks(&consumer, topics);
    let mut tpl = TopicPartitionList::new();
    for (name, marks) in &marks {
        for p in 0..marks.as_ref().map_or(0, Vec::len) {
            tpl.add_partition(name, p as i32);
        }
    }
    let list = consumer
        .committed_offsets(tpl, Duration::from_secs(20))
        .unwrap_or_else(|e| panic!("committed offsets of {group}: {e}"));
    list.elements()
        .iter()
        .filter_map(|e| match e.offset() {
            Offset::Offset(o) => Some(((e.topic().to_owned(), e.partition()), o)),
            _ => None,
        })
        .collect()
}

/// Subscribes `group` to its topics and reads about `percent` of their records, then commits.
/// Returns the consumer (still a member of the group).
fn consume_part(config: &ClientConfig, group: &SeedGroup) -> BaseConsumer {
    let consumer: BaseConsumer = config
        .clone()
        .set("group.id", group.name)
        .set("enable.auto.commit", "false")
        .set("auto.offset.reset", "earliest")
        .set("max.poll.interval.ms", "300000")
        .create()
        .expect("create a group member");
    let topics: Vec<&str> = group.topics.iter().map(String::as_str).collect();
    consumer.subscribe(&topics).expect("subscribe");
    let want = RECORDS_PER_TOPIC * group.topics.len() * group.percent / 100;
    let mut read = 0;
    let deadline = Instant::now() + Duration::from_secs(60);
    while read < want {
        assert!(
            Instant::now() < deadline,
            "group {} read only {read} of {want}",
            group.name
        );
        if let Some(message) = consumer.poll(Duration::from_millis(200)) {
            message.expect("consume");
            read += 1;
        }
    }
    consumer.commit_consumer_state(CommitMode::Sync).expect("commit");
    consumer
}

/// The running groups' members, each on its own thread: paused after their share, polling so
/// they stay members, until `drain` is set (they then read to the end, commit and pause again,
/// as consumers drain their lag once producers stop) or `stop` is set (they leave).
struct RunningMembers {
    handles: Vec<JoinHandle<()>>,
    drained: Vec<std::sync::mpsc::Receiver<()>>,
    drain: Arc<AtomicBool>,
}

impl RunningMembers {
    /// Lets every running member read to the end of its partitions and commit, as at a
    /// cutover once the producers stopped; returns when all have committed.
    fn drain(&self) {
        self.drain.store(true, Ordering::SeqCst);
        for done in &self.drained {
            done.recv_timeout(Duration::from_secs(90))
                .expect("a running group drained and committed");
        }
    }

    fn join(self) {
        for handle in self.handles {
            handle.join().expect("running group thread");
        }
    }
}

/// Polls `consumer` until no record has come for two seconds (the producers are done), at
/// most 60 s, then commits its position if it read anything (a group already at the end has
/// nothing new to commit).
fn read_to_end(consumer: &BaseConsumer, group: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut quiet_since = Instant::now();
    let mut read = 0;
    while quiet_since.elapsed() < Duration::from_secs(2) {
        assert!(Instant::now() < deadline, "{group}: still reading after 60 s");
        match consumer.poll(Duration::from_millis(200)) {
            Some(Ok(_)) => {
                read += 1;
                quiet_since = Instant::now();
            }
            Some(Err(e)) => eprintln!("e2e: running group {group}: {e}"),
            None => {}
        }
    }
    eprintln!("e2e: running group {group} read the {read} record(s) left and commits");
    if read > 0 {
        consumer.commit_consumer_state(CommitMode::Sync).expect("commit");
    }
}

/// Seeds every group: stopped ones commit and leave; running ones stay subscribed (see
/// [`RunningMembers`]) until `stop` is set.
fn seed_consumers(config: &ClientConfig, groups: &[SeedGroup], stop: &Arc<AtomicBool>) -> RunningMembers {
    let mut stopped = Vec::new();
    let mut running = Vec::new();
    let drain = Arc::new(AtomicBool::new(false));
    let mut drained = Vec::new();
    for group in groups {
        let config = config.clone();
        let group = SeedGroup {
            name: group.name,
            topics: group.topics.clone(),
            percent: group.percent,
            running: group.running,
        };
        if group.running {
            let stop = Arc::clone(stop);
            let drain = Arc::clone(&drain);
            let (ready_tx, ready_rx) = std::sync::mpsc::channel();
            let (drained_tx, drained_rx) = std::sync::mpsc::channel();
            drained.push(drained_rx);
            let handle = std::thread::spawn(move || {
                let consumer = consume_part(&config, &group);
                let assignment = consumer.assignment().expect("assignment");
                consumer.pause(&assignment).expect("pause");
                ready_tx.send(()).unwrap();
                let mut done = false;
                while !stop.load(Ordering::SeqCst) {
                    if !done && drain.load(Ordering::SeqCst) {
                        consumer.resume(&assignment).expect("resume");
                        read_to_end(&consumer, group.name);
                        consumer.pause(&assignment).expect("pause");
                        done = true;
                        let _ = drained_tx.send(());
                    }
                    // Paused: polling only keeps the membership alive.
                    if let Some(Err(e)) = consumer.poll(Duration::from_millis(200)) {
                        eprintln!("e2e: running group {}: {e}", group.name);
                    }
                }
            });
            running.push((handle, ready_rx));
        } else {
            stopped.push(std::thread::spawn(move || {
                let consumer = consume_part(&config, &group);
                drop(consumer);
            }));
        }
    }
    for handle in stopped {
        handle.join().expect("a stopped group failed");
    }
    let handles = running
        .into_iter()
        .map(|(handle, ready)| {
            ready
                .recv_timeout(Duration::from_secs(90))
                .expect("running group ready");
            handle
        })
        .collect();
    RunningMembers {
        handles,
        drained,
        drain,
    }
}

/// Produces `count` keyed records (keys as `records::produce_keyed` writes them, values padded
/// to at least `value_bytes`) to every topic with one idempotent producer, and waits until all
/// are acknowledged.
fn produce_all(config: &ClientConfig, topics: &[SeedTopic], count: usize, value_bytes: usize) {
    let producer: BaseProducer = config
        .clone()
        .set("acks", "all")
        .set("enable.idempotence", "true")
        .set("linger.ms", "20")
        .create()
        .expect("create a producer");
    for t in topics {
        for index in 0..count {
            let key = key_for(index);
            let value = format!("value-{index:-<value_bytes$}");
            let mut record = BaseRecord::<str, str>::to(&t.name).key(&key).payload(&value);
            loop {
                match producer.send(record) {
                    Ok(()) => break,
                    Err((_, r)) => {
                        record = r;
                        producer.poll(Duration::from_millis(50));
                    }
                }
            }
        }
        producer.poll(Duration::ZERO);
    }
    producer
        .flush(Duration::from_secs(120))
        .expect("every record acknowledged");
}

/// Writes records through a transaction to `topic`, which makes the broker create
/// `__transaction_state` (an internal topic discovery and planning must leave alone).
fn transactional_writes(config: &ClientConfig, topic: &str) {
    let producer: BaseProducer = config
        .clone()
        .set("transactional.id", "e2e-audit-writer")
        .create()
        .expect("create a transactional producer");
    producer
        .init_transactions(Duration::from_secs(30))
        .expect("init transactions");
    producer.begin_transaction().expect("begin");
    for i in 0..20 {
        let key = format!("audit-{i}");
        producer
            .send(BaseRecord::to(topic).key(&key).payload("entry"))
            .map_err(|(e, _)| e)
            .expect("send");
    }
    producer
        .commit_transaction(Duration::from_secs(30))
        .expect("commit");
}

/// One topic as `destination/topics.tf` declares it.
#[derive(Debug)]
struct DeclaredTopic {
    partitions: i32,
    replication: u64,
    /// Kafka config names and values (provider names with `_` turned into `.`).
    configs: BTreeMap<String, String>,
    diskless: bool,
}

/// Reads the `locals { topics = { ... } }` map of `destination/topics.tf`.
fn declared_topics(out: &Path) -> BTreeMap<String, DeclaredTopic> {
    let text = std::fs::read_to_string(out.join("destination").join("topics.tf")).expect("read topics.tf");
    let body: hcl::Value = hcl::from_str(&text).expect("parse topics.tf");
    let json = serde_json::to_value(&body).expect("topics.tf as JSON");
    let topics = json["locals"]["topics"]
        .as_object()
        .unwrap_or_else(|| panic!("no locals.topics in topics.tf: {json}"));
    topics
        .iter()
        .map(|(name, entry)| {
            let mut configs = BTreeMap::new();
            let mut diskless = false;
            for (key, value) in entry["config"].as_object().expect("config object") {
                if key == "diskless_enable" {
                    diskless = value.as_bool() == Some(true);
                    continue;
                }
                let value = match value {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                configs.insert(key.replace('_', "."), value);
            }
            let topic = DeclaredTopic {
                partitions: entry["partitions"].as_i64().expect("partitions") as i32,
                replication: entry["replication"].as_u64().expect("replication"),
                configs,
                diskless,
            };
            (name.clone(), topic)
        })
        .collect()
}

/// The `cleanup.policy` of `topic` on a cluster.
fn cleanup_policy(config: &ClientConfig, topic: &str) -> String {
    let admin: AdminClient<DefaultClientContext> = config.create().expect("admin client");
    let results =
        support::block_on(admin.describe_configs([&ResourceSpecifier::Topic(topic)], &AdminOptions::new()))
            .expect("describe configs");
    let resource = results.into_iter().next().unwrap().expect("topic configs");
    resource
        .get("cleanup.policy")
        .and_then(|e| e.value.clone())
        .unwrap_or_default()
}

/// The last value of `key` in a properties text (no continuation lines in generated files).
fn property(text: &str, key: &str) -> Option<String> {
    text.lines()
        .rev()
        .filter_map(|l| l.split_once('='))
        .find(|(k, _)| k.trim() == key)
        .map(|(_, v)| v.trim().to_owned())
}

/// The documented at-least-once overlap for one partition (docs/rehearsal.md), with the rule
/// that gave it. MirrorMaker 2 translates a group's source position through an offset sync
/// (source offset, destination offset of one record) at or below it:
///
/// * a group at or past the newest sync (a drained consumer: the normal cutover) resumes at
///   most `offset.lag.max` records early, since MM2 writes a sync at least that often once it
///   has caught up;
/// * a group behind the newest sync is translated through an older sync MM2 still holds (it
///   keeps the newest and older ones at roughly doubling distances), so it re-reads at most
///   back to the oldest sync at or below its position.
fn overlap_bound(offset_lag_max: i64, history: &History, position: i64) -> (i64, &'static str) {
    let newest = history.latest().expect("a sync").upstream;
    if position >= newest {
        return (offset_lag_max, "at or past the newest sync: offset.lag.max");
    }
    match history.translate(position) {
        Translation::Offset { min, .. } => (position - min, "behind the newest sync: back to an older sync"),
        other => panic!("no translation for position {position}: {other:?}"),
    }
}

/// Every offset-syncs topic MirrorMaker 2 wrote on the destination (one per flow), read whole.
fn offset_syncs(config: &ClientConfig) -> Vec<SyncStore> {
    let bootstrap = config.get("bootstrap.servers").expect("bootstrap").to_owned();
    let settings = ClientSettings::from_java(
        [("bootstrap.servers", bootstrap.as_str())],
        &EnvFallback::default(),
    )
    .expect("client settings");
    let topics: Vec<String> = topic_names(config)
        .into_iter()
        .filter(|n| n.starts_with("mm2-offset-syncs."))
        .collect();
    assert!(!topics.is_empty(), "no offset-syncs topic on the destination");
    topics
        .iter()
        .map(|t| {
            read_offset_syncs(&settings, t, "destination", Duration::from_secs(30))
                .unwrap_or_else(|e| panic!("reading {t}: {e:?}"))
        })
        .collect()
}

#[test]
fn migration_end_to_end() {
    let mut stages = Stages::default();
    let work = tempfile::Builder::new()
        .prefix("e2e-migration-")
        .tempdir()
        .expect("work folder");
    let work_dir = work.path().to_path_buf();

    let clusters = stages.time("start source (SASL_SSL) and destination", || {
        KafkaCluster::start_many(vec![
            ClusterOptions::new("source")
                .with_sasl_ssl()
                .with_scram_user(SCRAM_USER, SCRAM_PASSWORD)
                .with_tiered_storage(),
            ClusterOptions::new("destination"),
        ])
    });
    let (source, destination) = (&clusters[0], &clusters[1]);
    // Seeding and checking use the source's PLAINTEXT listener (quicker on a loaded machine);
    // discover, MirrorMaker 2 and inspect use SASL_SSL with SCRAM, as in a real migration.
    let src = source.client_config(Listener::Plaintext);
    let dst = destination.client_config(Listener::Plaintext);

    // --- seed the source
    let topics = seed_topics();
    let groups = seed_groups(&topics);
    let stop_running = Arc::new(AtomicBool::new(false));
    // Stops the running members also when the test fails (dropped before the clusters).
    let _stop_on_drop = StopOnDrop(Arc::clone(&stop_running));
    let running_members = stages.time("seed source (topics, records, groups)", || {
        let started = Instant::now();
        let specs: Vec<TopicSpec<'_>> = topics
            .iter()
            .map(|t| (t.name.as_str(), t.partitions, t.configs.as_slice()))
            .collect();
        create_topics(&src, &specs);
        eprintln!("e2e: topics created in {:.1} s", started.elapsed().as_secs_f64());
        let started = Instant::now();
        produce_all(&src, &topics, RECORDS_PER_TOPIC, 0);
        transactional_writes(&src, TXN_TOPIC);
        eprintln!("e2e: records written in {:.1} s", started.elapsed().as_secs_f64());
        let started = Instant::now();
        let members = seed_consumers(&src, &groups, &stop_running);
        eprintln!(
            "e2e: groups consumed and committed in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        members
    });
    let names = topic_names(&src);
    assert!(names.contains("__consumer_offsets") && names.contains("__transaction_state"));
    eprintln!(
        "e2e: source has {} topics ({} seeded, internal: {:?}), {} groups ({} running)",
        names.len(),
        topics.len(),
        names.iter().filter(|n| n.starts_with("__")).collect::<Vec<_>>(),
        groups.len(),
        groups.iter().filter(|g| g.running).count()
    );

    // --- discover, plan, generate
    let (plan, out) = discover_plan_generate(&mut stages, source, &topics, &work_dir);
    let migrated: Vec<String> = plan
        .topics
        .iter()
        .filter(|t| t.decision != Decision::Skip)
        .map(|t| t.name.clone())
        .collect();
    let listed: BTreeSet<String> = topics
        .iter()
        .filter(|t| t.listed)
        .map(|t| t.name.clone())
        .collect();
    assert_eq!(
        migrated.iter().cloned().collect::<BTreeSet<_>>(),
        listed,
        "the plan must migrate exactly the listed topics"
    );
    for t in &plan.topics {
        let seeded = topics.iter().find(|s| s.name == t.name);
        let compacted = seeded.is_some_and(|s| {
            s.configs
                .iter()
                .any(|(k, v)| *k == "cleanup.policy" && v.contains("compact"))
        });
        if compacted {
            assert_eq!(
                t.decision,
                Decision::Classic,
                "compacted topic {} must stay classic",
                t.name
            );
        } else if t.name == TXN_TOPIC {
            assert_eq!(t.decision, Decision::Classic, "{TXN_TOPIC}: {}", t.reason);
            assert!(
                t.reason.starts_with("transactional writes seen ("),
                "{TXN_TOPIC}: {}",
                t.reason
            );
        } else if t.decision != Decision::Skip {
            assert_eq!(
                t.decision,
                Decision::Diskless,
                "topic {} should be diskless: {}",
                t.name,
                t.reason
            );
            // Every seeded topic was written by an idempotent producer only, and discover read
            // that (producer state and the newest batches).
            assert!(
                t.reason
                    .contains("no transactional writers in the producer state"),
                "{}: {}",
                t.name,
                t.reason
            );
        }
    }
    let tiered = plan
        .topics
        .iter()
        .find(|t| t.name == TIERED_TOPIC)
        .expect("the tiered topic is planned");
    for key in [
        "remote.storage.enable",
        "local.retention.ms",
        "local.retention.bytes",
    ] {
        assert!(
            tiered.dropped_configs.iter().any(|d| d.name == key),
            "{TIERED_TOPIC}: {key} not dropped: {:?}",
            tiered.dropped_configs
        );
        let provider_key = key.replace('.', "_");
        assert!(
            !tiered.config.contains_key(&provider_key),
            "{TIERED_TOPIC} keeps {key} on the diskless destination"
        );
    }

    // The runbook gives the steps this test rehearses: the inspect gate on mm2.properties,
    // with every variable the properties read exported first.
    let runbook = std::fs::read_to_string(out.join("RUNBOOK.md")).expect("RUNBOOK.md");
    let generated = std::fs::read_to_string(out.join("mm2.properties")).expect("mm2.properties");
    assert!(
        runbook.contains("diskless-migrator inspect --mm2-config mm2.properties"),
        "the runbook must give the inspect gate on mm2.properties"
    );
    let settings_lines = generated.lines().filter(|l| !l.trim_start().starts_with('#'));
    let placeholders =
        settings_lines.flat_map(|l| l.split("${env:").skip(1).filter_map(|r| r.split_once('}')));
    for variable in placeholders {
        assert!(
            runbook.contains(&format!("export {}=", variable.0)),
            "the runbook does not export {}, which mm2.properties reads",
            variable.0
        );
    }
    assert!(
        runbook.contains("inspect"),
        "the runbook must describe the inspect gate"
    );

    // --- destination topics, as destination/ declares them
    let declared = declared_topics(&out);
    assert_eq!(
        declared.keys().cloned().collect::<BTreeSet<_>>(),
        listed,
        "destination/topics.tf must declare exactly the migrated topics"
    );
    for (name, t) in &declared {
        let planned = plan.topics.iter().find(|p| &p.name == name).unwrap();
        assert_eq!(t.partitions, planned.partitions as i32, "{name}: partitions");
        assert_eq!(
            t.diskless,
            planned.decision == Decision::Diskless,
            "{name}: diskless flag"
        );
        let expected_replication = if t.diskless { 1 } else { 3 };
        assert_eq!(t.replication, expected_replication, "{name}: replication");
        assert!(
            !t.diskless
                || !t
                    .configs
                    .get("cleanup.policy")
                    .is_some_and(|p| p.contains("compact")),
            "{name}: a compacted topic is declared diskless"
        );
    }

    // --- the cutover, rehearsed. The producers are done; the running groups' consumers drain
    // their lag and commit, as the runbook's cutover has them do while the gate waits. Then
    // `rehearse` creates the destination topics, runs MirrorMaker 2 on the generated
    // mm2.properties (pointed at the local destination) and gates the cutover, as a user runs
    // it. The gate opens once the copy has caught up and every row is OK. A partition where a
    // stopped group is older than every offset sync MM2 holds (MM2 dropped early syncs under
    // load) is never translated: its row stays not OK (the consumer would start at
    // auto.offset.reset), so the gate may close (exit 1, early once only such rows are left)
    // with exactly those rows, which the resume check below covers. Either way the gate
    // decides within twice the plan's estimate of the time after the copy caught up.
    stages.time("running groups drain their lag", || running_members.drain());
    let source_reader = reader(&src);
    let source_ends = watermarks(&source_reader, &migrated);
    let plan_path = work_dir.join("plan").join("plan.json");
    let rehearsal_dir = work_dir.join("rehearsal");
    let kafka_home = work_dir.join("kafka-home");
    std::fs::create_dir(&kafka_home).unwrap();
    std::os::unix::fs::symlink(support::mirror_maker_libs(), kafka_home.join("libs")).unwrap();
    // The plan's commit interval reaches MirrorMaker 2 through the generated file, under the
    // destination's alias (a dedicated MirrorMaker 2 ignores a top-level one).
    let generated = std::fs::read_to_string(out.join("mm2.properties")).unwrap();
    let flush_key = format!(
        "{}.offset.flush.interval.ms",
        plan.settings.destination.cluster_alias
    );
    assert_eq!(property(&generated, &flush_key).as_deref(), Some("1000"));
    let tasks_max = plan.mirrormaker.tasks_max.to_string();
    assert_eq!(property(&generated, "tasks.max"), Some(tasks_max));
    for f in &plan.flows {
        eprintln!(
            "e2e: {}: {} partitions on {} task(s), the plan expects the gate {} s after the copy",
            f.name, f.partitions, f.tasks, f.gate_open_seconds
        );
    }
    let overrides = work_dir.join("test-speed.properties");
    let speed = test_speed_properties(&plan);
    eprintln!("e2e: --mm2-override (test speed):\n{speed}");
    std::fs::write(&overrides, &speed).unwrap();
    let env = source_env(source);
    let rehearsal = stages.time("rehearse (topics, MirrorMaker 2, gate)", || {
        run_bin_status(
            &[
                "rehearse",
                "--plan",
                plan_path.to_str().unwrap(),
                "--mm2-properties",
                out.join("mm2.properties").to_str().unwrap(),
                "--destination",
                destination.bootstrap(),
                "--kafka-home",
                kafka_home.to_str().unwrap(),
                "--mm2-override",
                overrides.to_str().unwrap(),
                "--interval",
                "2s",
                "--max-wait",
                "PT150S",
                "--keep",
                "--out",
                rehearsal_dir.to_str().unwrap(),
            ],
            &env,
        )
    });
    eprintln!(
        "e2e: rehearse:\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&rehearsal.stdout),
        String::from_utf8_lossy(&rehearsal.stderr)
    );
    let mm2_file = rehearsal_dir.join("rehearsal-mm2.properties");
    let properties = std::fs::read_to_string(&mm2_file).expect("rehearsal-mm2.properties");
    assert!(
        properties.contains(&format!(
            "{}.bootstrap.servers={}",
            plan.settings.destination.cluster_alias,
            destination.bootstrap()
        )),
        "rehearsal-mm2.properties points at the local destination"
    );
    assert!(
        !properties.contains(SCRAM_PASSWORD),
        "no secret in rehearsal-mm2.properties"
    );
    let rehearsal_report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(rehearsal_dir.join("rehearsal-report.json")).expect("rehearsal-report.json"),
    )
    .expect("report JSON");
    assert_eq!(
        rehearsal_report["exit_code"].as_i64(),
        rehearsal.status.code().map(i64::from),
        "{rehearsal_report}"
    );
    assert_eq!(rehearsal_report["created_topics_deleted"], false, "--keep");
    // The cutover window: from the copy's catching up (producers stopped) to the gate's verdict,
    // at most twice what the plan predicts.
    let gate = &rehearsal_report["gate"];
    let estimate = gate["plan_gate_open_seconds"]
        .as_f64()
        .expect("the plan's estimate");
    let flows_estimate = plan.flows.iter().map(|f| f.gate_open_seconds).max().unwrap();
    assert_eq!(estimate, flows_estimate as f64, "{gate}");
    let waited = gate["after_copy_seconds"]
        .as_f64()
        .unwrap_or_else(|| panic!("the copy never caught up: {gate}"));
    eprintln!("e2e: the gate decided {waited:.1} s after the copy caught up; the plan expects {estimate} s");
    assert!(
        waited <= 2.0 * estimate,
        "the gate waited {waited} s after the copy caught up, more than twice the plan's {estimate} s: {gate}"
    );
    // Records per topic in the report: the destination ends where the source's records end.
    for topic in rehearsal_report["topics"].as_array().expect("topics") {
        let name = topic["name"].as_str().unwrap();
        let records: i64 = source_ends[name]
            .iter()
            .flatten()
            .map(|(low, high)| high - low - trailing_markers(name))
            .sum();
        assert_eq!(
            topic["destination_end_offsets"].as_i64(),
            Some(records),
            "{name}: {topic}"
        );
    }
    let created: BTreeSet<String> = rehearsal_report["created_topics"]
        .as_array()
        .expect("created topics")
        .iter()
        .map(|t| t.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(created, listed, "rehearse creates exactly the migrated topics");
    for (name, t) in &declared {
        let partitions = watermarks(&reader(&dst), std::slice::from_ref(name))[name]
            .as_ref()
            .map(Vec::len);
        assert_eq!(
            partitions,
            Some(t.partitions as usize),
            "{name}: partitions on the destination"
        );
    }
    let inspect = rehearsal;
    let not_ok = run_bin_status(
        &[
            "inspect",
            "--mm2-config",
            mm2_file.to_str().unwrap(),
            "--include-inactive-groups",
            "--format",
            "json",
        ],
        &env,
    );
    let report: serde_json::Value = serde_json::from_slice(&not_ok.stdout).expect("inspect JSON");
    let too_old: BTreeSet<(String, String, i32)> = report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            assert_eq!(
                row["message"], TOO_OLD_FOR_MM2,
                "after the gate, a row is not OK for another reason: {row}"
            );
            (
                row["group"].as_str().unwrap().to_owned(),
                row["topic"].as_str().unwrap().to_owned(),
                row["partition"].as_i64().unwrap() as i32,
            )
        })
        .collect();
    assert_eq!(
        inspect.status.code(),
        Some(if too_old.is_empty() { 0 } else { 1 }),
        "the gate: {}",
        String::from_utf8_lossy(&inspect.stderr)
    );
    assert_eq!(not_ok.status.code(), inspect.status.code());
    let summary = run_bin_status(
        &[
            "inspect",
            "--mm2-config",
            mm2_file.to_str().unwrap(),
            "--include-inactive-groups",
            "--include-ok-groups",
            "--format",
            "table",
            "--emit-summary",
        ],
        &env,
    );
    assert_eq!(summary.status.code(), inspect.status.code());
    eprintln!(
        "e2e: final inspect report and summary (every row of every group):\n{}",
        String::from_utf8_lossy(&summary.stdout)
    );
    let syncs = offset_syncs(&dst);
    stop_running.store(true, Ordering::SeqCst);
    running_members.join();

    // --- every record is on the destination
    stages.time("verify records, topics and group positions", || {
        let on_source = read_all(&src, &migrated, trailing_markers);
        let on_destination = read_all(&dst, &migrated, |_| 0);
        for (tp, records) in &on_source {
            let copied = on_destination
                .get(tp)
                .unwrap_or_else(|| panic!("{tp:?} missing on the destination"));
            assert_eq!(copied.len(), records.len(), "{tp:?}: record count");
            assert_eq!(
                key_checksum(copied),
                key_checksum(records),
                "{tp:?}: key checksum"
            );
        }
        assert_eq!(on_source.len(), on_destination.len(), "partition counts differ");
        eprintln!(
            "e2e: {} records in {} partitions of {} topics match (count and key checksum)",
            on_source.values().map(Vec::len).sum::<usize>(),
            on_source.len(),
            migrated.len()
        );

        let on_dest = topic_names(&dst);
        for t in topics.iter().filter(|t| !t.listed) {
            assert!(
                !on_dest.contains(&t.name),
                "unlisted topic {} was replicated",
                t.name
            );
        }
        assert!(
            on_dest.contains(TXN_TOPIC) && !declared[TXN_TOPIC].diskless,
            "{TXN_TOPIC} must be copied to a classic topic"
        );
        assert!(
            declared[TIERED_TOPIC].diskless,
            "{TIERED_TOPIC} must be copied to a diskless topic"
        );
        for name in ["customers-state", "sessions.by-user"] {
            let planned = plan.topics.iter().find(|t| t.name == name).unwrap();
            assert_eq!(planned.decision, Decision::Classic, "{name} in the plan");
            assert!(!declared[name].diskless, "{name} declared diskless");
            assert!(
                cleanup_policy(&dst, name).contains("compact"),
                "{name}: cleanup.policy on destination"
            );
        }

        // --- stopped groups resume on the destination at or before their source position
        let lag_max: i64 =
            property(&generated, "offset.lag.max").map_or(100, |v| v.parse().expect("offset.lag.max"));
        let mut worst = (0i64, String::new());
        let (mut translated, mut untranslated) = (0, 0);
        for group in groups.iter().filter(|g| !g.running) {
            let migrated_topics: Vec<String> = group
                .topics
                .iter()
                .filter(|t| listed.contains(*t))
                .cloned()
                .collect();
            if migrated_topics.is_empty() {
                continue;
            }
            let at_source = committed(&src, group.name, &migrated_topics);
            let at_destination = committed(&dst, group.name, &migrated_topics);
            assert!(
                !at_source.is_empty(),
                "{}: no committed offsets on the source",
                group.name
            );
            let resumed = resume_positions(
                &dst,
                group.name,
                &migrated_topics,
                &on_destination,
                &at_destination,
            );
            for (tp, &source_offset) in &at_source {
                let end = on_source[tp].len() as i64;
                let resumed_at = resumed.get(tp).copied().unwrap_or(end);
                let Some(&dest_offset) = at_destination.get(tp) else {
                    // MM2 drops the checkpoint of a group older than every offset sync it
                    // holds (inspect: "source group is too old"): the consumer starts where
                    // auto.offset.reset says, here the beginning, so nothing is skipped.
                    eprintln!(
                        "e2e:   {:<26} {:<22} {:>2}  source {source_offset:>4} (end {end:>4})  not \
                         translated by MM2 (older than its syncs): resumes at {resumed_at} (earliest)",
                        group.name, tp.0, tp.1
                    );
                    assert_eq!(resumed_at, 0, "{} {tp:?}: untranslated partition", group.name);
                    assert!(
                        too_old.contains(&(group.name.to_owned(), tp.0.clone(), tp.1)),
                        "{} {tp:?}: MM2 did not translate it, but inspect did not report it",
                        group.name
                    );
                    untranslated += 1;
                    continue;
                };
                translated += 1;
                assert_eq!(
                    resumed_at, dest_offset,
                    "{} {tp:?}: the consumer did not resume at the synced offset",
                    group.name
                );
                assert!(
                    dest_offset <= source_offset,
                    "{} {tp:?}: resumes at {dest_offset}, after its source position {source_offset}",
                    group.name
                );
                let overlap = source_offset - dest_offset;
                let history = syncs
                    .iter()
                    .find_map(|store| store.history(&tp.0, tp.1))
                    .unwrap_or_else(|| panic!("{tp:?}: no offset sync on the destination"));
                let newest = history.latest().expect("a sync").upstream;
                let (bound, why) = overlap_bound(lag_max, history, source_offset);
                eprintln!(
                    "e2e:   {:<26} {:<22} {:>2}  source {source_offset:>4} (end {end:>4}, newest sync \
                     {newest:>4})  destination {dest_offset:>4}  overlap {overlap:>3} <= {bound:>3} ({why})",
                    group.name, tp.0, tp.1
                );
                assert!(
                    overlap <= bound,
                    "{} {tp:?}: re-reads {overlap} records, more than the documented bound {bound} ({why})",
                    group.name
                );
                if overlap > worst.0 || worst.1.is_empty() {
                    worst = (
                        overlap,
                        format!("{} {}/{} (lag {})", group.name, tp.0, tp.1, end - source_offset),
                    );
                }
            }
        }
        eprintln!(
            "e2e: stopped groups resume at or before their source position: {translated} partitions \
             translated by MM2 (largest overlap {} records at {}), {untranslated} left to \
             auto.offset.reset",
            worst.0, worst.1
        );
        assert!(
            translated > 2 * untranslated,
            "MM2 translated too few group positions: {translated} translated, {untranslated} not"
        );
    });
    stages.print();
}

/// The generated `mm2.properties` with the lines the test bed needs appended; returns both
/// the whole text and the appended lines.
fn rehearsal_properties(generated: &str, plan: &Plan) -> (String, String) {
    let target_alias = plan.settings.destination.cluster_alias.as_str();
    let mut aliases = vec![target_alias];
    aliases.extend(plan.flows.iter().map(|f| f.source_alias.as_str()));
    // The local Kafka in Aiven's place is PLAINTEXT: the destination alias's TLS settings (PEM
    // client certificate and CA from the environment) cannot be used, so its protocol is
    // overridden. Everything else is test speed: the clusters' replication factors, short
    // refresh and emit intervals, plugin discovery by manifests.
    let mut appended =
        format!("\n# --- appended by the e2e test\n{target_alias}.security.protocol=PLAINTEXT\n");
    // The worker's offset commit interval (which paces the offset syncs of idle partitions) is
    // the plan's: settings `offset_flush_interval_ms = 1000`, rendered by generate.
    appended.push_str(&fast_properties(3, &aliases));
    (format!("{generated}{appended}"), appended)
}

/// The lines the test bed adds to the rehearsal's MirrorMaker 2 settings (`--mm2-override`):
/// short refresh and emit intervals and plugin discovery by manifests. The worker's offset
/// commit every second (which sends the offset syncs of idle partitions) is not among them: the
/// plan sets it (settings `offset_flush_interval_ms`) and generate renders it.
fn test_speed_properties(plan: &Plan) -> String {
    let mut aliases = vec![plan.settings.destination.cluster_alias.as_str()];
    aliases.extend(plan.flows.iter().map(|f| f.source_alias.as_str()));
    fast_properties(3, &aliases)
}

/// The environment `rehearse` needs for the generated `mm2.properties`: the source's secrets
/// (`${env:NAME}`) only, since the destination's lines are the rehearsal's; and a small
/// MirrorMaker 2 heap.
fn source_env(source: &KafkaCluster) -> Vec<(String, String)> {
    let ca_pem = std::fs::read_to_string(&source.tls().unwrap().ca_cert).unwrap();
    [
        ("SOURCE_SASL_USERNAME", SCRAM_USER.to_owned()),
        ("SOURCE_SASL_PASSWORD", SCRAM_PASSWORD.to_owned()),
        ("SOURCE_SSL_CA_CERT", ca_pem),
        (
            "KAFKA_HEAP_OPTS",
            "-Xms32m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1".to_owned(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// The environment the generated `mm2.properties` reads (`${env:NAME}`), for MirrorMaker 2
/// and `inspect`. The destination's TLS variables are empty: the local destination is PLAINTEXT.
fn mm2_env(source: &KafkaCluster, destination: &KafkaCluster) -> Vec<(String, String)> {
    let ca_pem = std::fs::read_to_string(&source.tls().unwrap().ca_cert).unwrap();
    [
        (
            "DESTINATION_BOOTSTRAP_SERVERS",
            destination.bootstrap().to_owned(),
        ),
        ("DESTINATION_ACCESS_CERT", String::new()),
        ("DESTINATION_ACCESS_KEY", String::new()),
        ("DESTINATION_CA_CERT", String::new()),
        ("SOURCE_SASL_USERNAME", SCRAM_USER.to_owned()),
        ("SOURCE_SASL_PASSWORD", SCRAM_PASSWORD.to_owned()),
        ("SOURCE_SSL_CA_CERT", ca_pem),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// Runs discover, plan and generate against `source` in `work`; returns the plan and the
/// generated folder.
fn discover_plan_generate(
    stages: &mut Stages,
    source: &KafkaCluster,
    topics: &[SeedTopic],
    work: &Path,
) -> (Plan, PathBuf) {
    let sasl_address = source.address(Listener::SaslSsl).unwrap().to_owned();
    let command_config = work.join("source-client.properties");
    std::fs::write(&command_config, source.java_client_properties(Listener::SaslSsl)).unwrap();
    let inventory_dir = work.join("inventory");
    stages.time("discover", || {
        run_bin(
            &[
                "discover",
                "--bootstrap-server",
                &sasl_address,
                "--command-config",
                command_config.to_str().unwrap(),
                "--out",
                inventory_dir.to_str().unwrap(),
                "--quiet",
            ],
            &[],
        )
    });
    let inventory = inventory_dir.join("inventory.json");
    assert!(inventory.is_file(), "discover wrote no inventory.json");

    let topic_list = work.join("diskless_topics_names.txt");
    let mut list = String::from("# Topics to migrate (the unlisted ones must stay behind)\n");
    for t in topics.iter().filter(|t| t.listed) {
        list.push_str(&t.name);
        list.push('\n');
    }
    std::fs::write(&topic_list, list).unwrap();
    let settings = work.join("migration.hcl");
    std::fs::write(&settings, settings_hcl(&sasl_address)).unwrap();
    let plan_dir = work.join("plan");
    let plan_output = stages.time("plan", || {
        run_bin(
            &[
                "plan",
                "--inventory",
                inventory.to_str().unwrap(),
                "--settings",
                settings.to_str().unwrap(),
                "--topics",
                topic_list.to_str().unwrap(),
                "--out",
                plan_dir.to_str().unwrap(),
            ],
            &[],
        )
    });
    eprintln!(
        "e2e: plan summary:\n{}",
        String::from_utf8_lossy(&plan_output.stdout)
    );
    let plan_path = plan_dir.join("plan.json");
    let plan: Plan =
        serde_json::from_str(&std::fs::read_to_string(&plan_path).unwrap()).expect("parse plan.json");

    let out = work.join("generated");
    stages.time("generate", || {
        run_bin(
            &[
                "generate",
                "--plan",
                plan_path.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--quiet",
            ],
            &[],
        )
    });
    (plan, out)
}

/// Creates every topic `destination/topics.tf` declares on `dst` (its replication factor, no
/// `diskless.enable`: see the rehearsal docs).
fn create_declared_topics(dst: &ClientConfig, declared: &BTreeMap<String, DeclaredTopic>) {
    for (name, t) in declared {
        let configs: Vec<(&str, &str)> = t.configs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        create_topic_replicated(dst, name, t.partitions, t.replication as i32, &configs);
    }
}

/// MirrorMaker 2 copy throughput on the same data with the generated settings and with the
/// seed's reference settings (`benches/seed-reference-mm2.properties`). Run by
/// `benches/e2e_throughput.sh`; `DM_BENCH_RECORDS_PER_TOPIC` (default 2000) and
/// `DM_BENCH_VALUE_BYTES` (default 256) size the data.
#[test]
#[ignore = "benchmark: run by benches/e2e_throughput.sh"]
fn mm2_throughput_generated_vs_seed() {
    let env_number = |name: &str, default: usize| {
        std::env::var(name).map_or(default, |v| {
            v.parse().unwrap_or_else(|_| panic!("{name}: a number"))
        })
    };
    let records = env_number("DM_BENCH_RECORDS_PER_TOPIC", 2000);
    let value_bytes = env_number("DM_BENCH_VALUE_BYTES", 256);
    let mut stages = Stages::default();
    let work = tempfile::Builder::new()
        .prefix("e2e-bench-")
        .tempdir()
        .expect("work folder");
    let clusters = stages.time("start source and two destinations", || {
        KafkaCluster::start_many(vec![
            ClusterOptions::new("source")
                .with_sasl_ssl()
                .with_scram_user(SCRAM_USER, SCRAM_PASSWORD),
            ClusterOptions::new("dest-generated"),
            ClusterOptions::new("dest-seed"),
        ])
    });
    let (source, dest_generated, dest_seed) = (&clusters[0], &clusters[1], &clusters[2]);
    let src = source.client_config(Listener::Plaintext);
    let topics = seed_topics();
    stages.time("seed source", || {
        let specs: Vec<TopicSpec<'_>> = topics
            .iter()
            .map(|t| (t.name.as_str(), t.partitions, t.configs.as_slice()))
            .collect();
        create_topics(&src, &specs);
        produce_all(&src, &topics, records, value_bytes);
    });
    let (plan, out) = discover_plan_generate(&mut stages, source, &topics, work.path());
    let migrated: Vec<String> = plan
        .topics
        .iter()
        .filter(|t| t.decision != Decision::Skip)
        .map(|t| t.name.clone())
        .collect();
    let declared = declared_topics(&out);
    let total: i64 = (records * migrated.len()) as i64;
    let bytes = total as f64 * (10.0 + value_bytes.max(12) as f64);

    // Generated settings, as the e2e test runs them.
    let generated = std::fs::read_to_string(out.join("mm2.properties")).expect("mm2.properties");
    let (properties, _) = rehearsal_properties(&generated, &plan);
    let dst = dest_generated.client_config(Listener::Plaintext);
    create_declared_topics(&dst, &declared);
    let (mm2, generated_times) = stages.time("MM2 copy, generated settings", || {
        run_mm2_copy(
            &properties,
            &mm2_env(source, dest_generated),
            &dst,
            &migrated,
            total,
        )
    });
    mm2.stop();

    // The seed's settings: its placeholders filled in, its source pointed at the same SASL_SSL
    // listener, and the same test-bed lines (replication factors, intervals, plugin discovery).
    let seed = include_str!("../../benches/seed-reference-mm2.properties")
        .replace("<DESTINATION-BOOTSTRAP-SERVERS>", dest_seed.bootstrap())
        .replace(
            "<SOURCE-BOOTSTRAP-SERVERS>",
            source.address(Listener::SaslSsl).unwrap(),
        )
        .replace("<TOPIC LIST, COMMA SEPARATED>", &migrated.join(", "));
    let ca = source.tls().unwrap().ca_cert.display().to_string();
    let mut seed_properties = seed;
    seed_properties.push_str(&format!(
        "\n# --- appended by the benchmark\n\
         source-kafka-name.security.protocol=SASL_SSL\n\
         source-kafka-name.sasl.mechanism=SCRAM-SHA-512\n\
         source-kafka-name.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule \
         required username=\"{SCRAM_USER}\" password=\"{SCRAM_PASSWORD}\";\n\
         source-kafka-name.ssl.truststore.type=PEM\n\
         source-kafka-name.ssl.truststore.location={ca}\n\
         source-kafka-name->aiven-destination-kafka-name.replication.factor=1\n"
    ));
    seed_properties.push_str(&fast_properties(
        3,
        &["aiven-destination-kafka-name", "source-kafka-name"],
    ));
    let dst = dest_seed.client_config(Listener::Plaintext);
    create_declared_topics(&dst, &declared);
    let (mm2, seed_times) = stages.time("MM2 copy, seed settings", || {
        run_mm2_copy(&seed_properties, &[], &dst, &migrated, total)
    });
    mm2.stop();
    let extra: Vec<String> = topic_names(&dst)
        .into_iter()
        .filter(|n| topics.iter().any(|t| !t.listed && &t.name == n))
        .collect();

    stages.print();
    let tasks = |text: &str| property(text, "tasks.max").unwrap_or_default();
    eprintln!(
        "bench: {} topics, {} partitions, {total} records of about {:.0} bytes ({:.1} MiB)",
        migrated.len(),
        declared.values().map(|t| t.partitions).sum::<i32>(),
        bytes / total as f64,
        bytes / 1048576.0
    );
    eprintln!(
        "bench: | settings | tasks.max | JVM start to first record | first to last record | records/s | MiB/s |"
    );
    eprintln!("bench: |---|---:|---:|---:|---:|---:|");
    for (name, text, t) in [
        ("generated", properties.as_str(), &generated_times),
        ("seed reference", seed_properties.as_str(), &seed_times),
    ] {
        eprintln!(
            "bench: | {name} | {} | {:.1} s | {:.1} s | {:.0} | {:.2} |",
            tasks(text),
            t.startup.as_secs_f64(),
            t.copy.as_secs_f64(),
            t.records_per_second(total),
            bytes / 1048576.0 / t.copy.as_secs_f64().max(0.2)
        );
    }
    eprintln!("bench: unlisted topics the seed settings also copied: {extra:?}");
}

/// How long MirrorMaker 2 took: JVM start to the first copied record, then to the last.
struct CopyTimes {
    startup: Duration,
    copy: Duration,
}

impl CopyTimes {
    fn records_per_second(&self, records: i64) -> f64 {
        records as f64 / self.copy.as_secs_f64().max(0.2)
    }
}

/// Starts MirrorMaker 2 on `properties` with `env` and waits until the destination holds
/// `total` records in `topics`.
fn run_mm2_copy(
    properties: &str,
    env: &[(String, String)],
    dst: &ClientConfig,
    topics: &[String],
    total: i64,
) -> (MirrorMaker, CopyTimes) {
    let mut mm2 = MirrorMaker::start_with_env(properties, env);
    let started = Instant::now();
    let dest_reader = reader(dst);
    let mut first_record: Option<Instant> = None;
    support::wait_until(Duration::from_secs(600), "MM2 to copy every record", || {
        mm2.assert_running();
        let ends = watermarks(&dest_reader, topics);
        let copied: i64 = ends.values().flatten().flatten().map(|(l, h)| h - l).sum();
        if copied > 0 && first_record.is_none() {
            first_record = Some(Instant::now());
        }
        copied >= total
    });
    let first = first_record.unwrap_or_else(Instant::now);
    let times = CopyTimes {
        startup: first - started,
        copy: first.elapsed(),
    };
    (mm2, times)
}

/// Starts a consumer with `group` on the destination (`auto.offset.reset=earliest`, as the
/// rehearsal recommends for the switch) and returns the first offset it receives per
/// partition. It reads until every partition with records after the group's destination
/// offset (`synced`; the beginning where there is none) has given one; partitions at their end
/// give none.
fn resume_positions(
    config: &ClientConfig,
    group: &str,
    topics: &[String],
    contents: &Contents,
    synced: &BTreeMap<(String, i32), i64>,
) -> BTreeMap<(String, i32), i64> {
    let consumer: BaseConsumer = config
        .clone()
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .set("auto.offset.reset", "earliest")
        .create()
        .expect("create a consumer");
    let names: Vec<&str> = topics.iter().map(String::as_str).collect();
    consumer.subscribe(&names).expect("subscribe");
    let mut waiting: BTreeSet<(String, i32)> = contents
        .iter()
        .filter(|((topic, _), records)| topics.contains(topic) && !records.is_empty())
        .filter(|(tp, records)| synced.get(*tp).copied().unwrap_or(0) < records.len() as i64)
        .map(|(tp, _)| tp.clone())
        .collect();
    let mut first = BTreeMap::new();
    let deadline = Instant::now() + Duration::from_secs(90);
    while !waiting.is_empty() {
        assert!(
            Instant::now() < deadline,
            "{group}: no record yet on the destination from {waiting:?}"
        );
        if let Some(message) = consumer.poll(Duration::from_millis(200)) {
            let message = message.expect("consume on the destination");
            let tp = (message.topic().to_owned(), message.partition());
            first.entry(tp.clone()).or_insert(message.offset());
            waiting.remove(&tp);
        }
    }
    first
}

/// `examples/migration.hcl` pointed at the test bed's source.
fn settings_hcl(bootstrap: &str) -> String {
    format!(
        r#"# examples/migration.hcl, pointed at the test bed.
project        = "e2e-testbed"
cloud          = "google-europe-west1"
service_prefix = "e2e"

destination {{
  plan          = "business-8-inkless"
  kafka_version = "4.1"
}}

mirrormaker {{
  plan = "business-8"
  cpus = 2
  # A self-run MirrorMaker 2 commits (and sends idle partitions' offset syncs) every second.
  offset_flush_interval_ms = 1000
}}

source {{
  bootstrap_servers                     = "{bootstrap}"
  security_protocol                     = "SASL_SSL"
  sasl_mechanism                        = "SCRAM-SHA-512"
  ssl_endpoint_identification_algorithm = "https"
}}

flows {{
  max_flows      = 2
  max_partitions = 80
}}

observability {{
  enabled = false
}}
"#
    )
}
