//! `inspect` end to end: two real KRaft clusters, real MirrorMaker 2 between them, and the
//! binary run on the same `mm2.properties`. Every row is asserted field by field (as the
//! CSV line), with the exit code.
//!
//! The tests share the machine with others, so they run one at a time (a process-wide lock).

use crate::support;

use std::path::Path;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use diskless_migrator::inspect::collect::read_offset_syncs;
use diskless_migrator::kafka::client::{ClientSettings, EnvFallback};
use rdkafka::ClientConfig;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::{Offset, TopicPartitionList};
use support::kafka::{ClusterOptions, KafkaCluster, Listener};
use support::mm2::{MirrorMaker, fast_properties, quick_offset_commits};
use support::records::{commit, committed, create_topic, produce_to};

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

const HEADER: &str = "CLUSTER PAIR,TOPIC,PARTITION,GROUP,SOURCE TOPIC EARLIEST OFFSET,SOURCE TOPIC LATEST OFFSET,\
SOURCE GROUP STATE,SOURCE GROUP OFFSET,SOURCE GROUP LAG,TARGET TOPIC EARLIEST OFFSET,TARGET TOPIC LATEST OFFSET,\
TARGET GROUP STATE,TARGET GROUP OFFSET,TARGET GROUP LAG,TARGET GROUP LAG TO SOURCE,SOURCE HAS DATA,\
SOURCE GROUP VALID,TARGET HAS DATA,IS OK,BLOCKING COMPONENT,MESSAGE";
const SUCCESS: &str = "\"Successfully synced, operating normally\"";

fn client(cluster: &KafkaCluster) -> ClientConfig {
    cluster.client_config(Listener::Plaintext)
}

/// Produces `count` records to one partition in one committed transaction: the log then ends
/// with a commit marker, one offset past the last record.
fn produce_in_transaction(config: &ClientConfig, topic: &str, partition: i32, count: usize) {
    let producer: BaseProducer = config
        .clone()
        .set("transactional.id", format!("{topic}-writer"))
        .create()
        .unwrap();
    let timeout = Duration::from_secs(30);
    producer.init_transactions(timeout).unwrap();
    producer.begin_transaction().unwrap();
    for i in 0..count {
        let payload = format!("record-{i}");
        producer
            .send(
                BaseRecord::<(), _>::to(topic)
                    .partition(partition)
                    .payload(&payload),
            )
            .unwrap();
    }
    producer.commit_transaction(timeout).unwrap();
}

/// A live group member (state `Stable`) that never commits; leaves the group on drop.
struct Member {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl Member {
    /// Joins without committing.
    fn join(config: &ClientConfig, group: &str, topic: &str) -> Member {
        Member::join_and_commit(config, group, topic, None)
    }

    /// Joins and, once partitions are assigned, commits `commit` (partition, offset) as a member.
    fn join_and_commit(
        config: &ClientConfig,
        group: &str,
        topic: &str,
        commit: Option<(i32, i64)>,
    ) -> Member {
        let consumer: BaseConsumer = config
            .clone()
            .set("group.id", group)
            .set("enable.auto.commit", "false")
            .set("auto.offset.reset", "latest")
            .create()
            .unwrap();
        consumer.subscribe(&[topic]).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let topic = topic.to_owned();
        let handle = std::thread::spawn(move || {
            let mut pending = commit;
            while !flag.load(Ordering::Relaxed) {
                let _ = consumer.poll(Duration::from_millis(100));
                if let Some((p, o)) = pending
                    && consumer.assignment().is_ok_and(|a| a.count() > 0)
                {
                    let mut tpl = TopicPartitionList::new();
                    tpl.add_partition_offset(&topic, p, Offset::Offset(o)).unwrap();
                    if consumer.commit(&tpl, CommitMode::Sync).is_ok() {
                        pending = None;
                    }
                }
            }
        });
        Member {
            stop,
            handle: Some(handle),
        }
    }
}

impl Drop for Member {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// The newest upstream offset MM2 has synced for a source partition, read from the
/// offset-syncs topic on `cluster`.
fn last_synced(cluster: &KafkaCluster, syncs_topic: &str, topic: &str, partition: i32) -> Option<i64> {
    let settings = ClientSettings::from_java(
        [("bootstrap.servers", cluster.bootstrap())],
        &EnvFallback::default(),
    )
    .unwrap();
    let store = read_offset_syncs(&settings, syncs_topic, cluster.name(), Duration::from_secs(10)).ok()?;
    store.history(topic, partition)?.latest().map(|s| s.upstream)
}

/// Latest offset of a partition.
fn log_end(config: &ClientConfig, topic: &str, partition: i32) -> i64 {
    let consumer: BaseConsumer = config.create().unwrap();
    consumer
        .fetch_watermarks(topic, partition, Duration::from_secs(5))
        .map_or(-1, |(_, high)| high)
}

fn is_ok_column(line: &str) -> bool {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes());
    let record = reader.records().next().unwrap().unwrap();
    &record[18] == "true"
}

/// Runs `diskless-migrator inspect --mm2-config <file> <args>`.
fn inspect(file: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("diskless-migrator")
        .unwrap()
        .arg("inspect")
        .arg("--mm2-config")
        .arg(file)
        .args(args)
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(180))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn wait_for(what: &str, timeout: Duration, mm2: &mut MirrorMaker, mut check: impl FnMut() -> bool) {
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

fn assert_lines(actual: &str, expected: &[String]) {
    let actual: Vec<&str> = actual.lines().collect();
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    if actual != expected {
        panic!(
            "output differs\n--- actual\n{}\n--- expected\n{}",
            actual.join("\n"),
            expected.join("\n")
        );
    }
}

/// Identity policy, group offset sync on, every record synced (`offset.lag.max=0`). Covers the
/// reference scenarios S1–S5 plus: an active target group, a group on an unmirrored topic, a
/// source group that advanced after MM2's last sync, a group that committed after MM2 stopped,
/// an empty source partition, a group id with a comma, and the active-group filter.
#[test]
fn identity_policy_scenarios() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let clusters = KafkaCluster::start_many(vec![
        ClusterOptions::new("primary"),
        ClusterOptions::new("backup"),
    ]);
    let (primary, backup) = (client(&clusters[0]), client(&clusters[1]));

    create_topic(&primary, "test-topic-1", 4, &[]);
    create_topic(&backup, "test-topic-1", 4, &[]);
    create_topic(&primary, "test-topic-2", 2, &[]);
    create_topic(&primary, "test-topic-3", 1, &[]);
    create_topic(&primary, "not-mirrored-test-topic", 2, &[]);
    for p in 0..4 {
        produce_to(&primary, "test-topic-1", p, 10);
    }
    produce_to(&primary, "test-topic-2", 0, 10);
    // test-topic-3 gets its records in two rounds (10 now, 10 once MM2 has synced
    // consumer-group-advanced at 10): a group offset is translated exactly only at MM2's newest
    // sync, so the group is synced while 10 is the log end. MM2 never moves a target group
    // offset backwards, so it stays at 10 after the second round.
    produce_to(&primary, "test-topic-3", 0, 10);
    produce_to(&primary, "not-mirrored-test-topic", 0, 5);
    produce_to(&primary, "not-mirrored-test-topic", 1, 5);

    let all = |o: i64| (0..4).map(|p| (p, o)).collect::<Vec<_>>();
    commit(&primary, "consumer-group-synced", "test-topic-1", &all(10));
    commit(&primary, "consumer-group-with,comma", "test-topic-1", &all(10));
    commit(&primary, "consumer-group-dummy", "test-topic-1", &all(0));
    commit(&backup, "consumer-group-dummy", "test-topic-1", &all(0));
    commit(&primary, "consumer-group-active-target", "test-topic-1", &all(10));
    commit(
        &primary,
        "consumer-group-partial",
        "test-topic-2",
        &[(0, 10), (1, 0)],
    );
    commit(&primary, "consumer-group-advanced", "test-topic-3", &[(0, 10)]);
    commit(
        &primary,
        "consumer-group-not-mirrored",
        "not-mirrored-test-topic",
        &[(0, 5), (1, 5)],
    );
    let _target_member = Member::join(&backup, "consumer-group-active-target", "test-topic-1");

    let properties = format!(
        "clusters = primary, backup\n\
         primary.bootstrap.servers = {}\n\
         backup.bootstrap.servers = {}\n\
         primary->backup.enabled = true\n\
         backup->primary.enabled = false\n\
         primary->backup.topics = test-topic-.*, not-mirrored-test-topic\n\
         primary->backup.topics.exclude = not-mirrored-test-topic\n\
         groups = consumer-group-.*\n\
         replication.policy.class = org.apache.kafka.connect.mirror.IdentityReplicationPolicy\n\
         sync.group.offsets.enabled = true\n\
         sync.group.offsets.interval.seconds = 1\n\
         offset.lag.max = 0\n\
         {}",
        clusters[0].bootstrap(),
        clusters[1].bootstrap(),
        fast_properties(3, &["primary", "backup"]) + &quick_offset_commits(&["primary", "backup"])
    );
    let mut mm2 = MirrorMaker::start(&properties);
    let file = mm2.properties_file();
    let syncs = "mm2-offset-syncs.backup.internal";
    wait_for(
        "MM2 to sync consumer-group-advanced at the log end",
        Duration::from_secs(150),
        &mut mm2,
        || committed(&backup, "consumer-group-advanced", "test-topic-3", 1) == [Some(10)],
    );
    produce_to(&primary, "test-topic-3", 0, 10);
    // An active (Stable) source group, as in the reference tool's fully-synced scenario.
    let _source_member =
        Member::join_and_commit(&primary, "consumer-group-stable", "test-topic-3", Some((0, 20)));
    let snapshot = || {
        format!(
            "syncs t1 {:?} t2 {:?} t3 {:?}; target synced {:?} partial {:?}; t2-1 end {}",
            (0..4)
                .map(|p| last_synced(&clusters[0], syncs, "test-topic-1", p))
                .collect::<Vec<_>>(),
            last_synced(&clusters[0], syncs, "test-topic-2", 0),
            last_synced(&clusters[0], syncs, "test-topic-3", 0),
            committed(&backup, "consumer-group-synced", "test-topic-1", 4),
            committed(&backup, "consumer-group-partial", "test-topic-2", 1),
            log_end(&backup, "test-topic-2", 1),
        )
    };
    let want = "syncs t1 [Some(9), Some(9), Some(9), Some(9)] t2 Some(9) t3 Some(19); target synced [Some(10), \
                Some(10), Some(10), Some(10)] partial [Some(10)]; t2-1 end 0";
    wait_for(
        "MM2 to replicate and sync",
        Duration::from_secs(150),
        &mut mm2,
        || {
            let now = snapshot();
            eprintln!("waiting: {now}");
            now == want && committed(&backup, "consumer-group-stable", "test-topic-3", 1) == [Some(20)]
        },
    );
    // Let one more checkpoint round pass, so nothing is half-written.
    std::thread::sleep(Duration::from_secs(2));
    let file_copy = std::env::temp_dir().join(format!("inspect-mm2-{}.properties", std::process::id()));
    std::fs::copy(&file, &file_copy).unwrap();
    mm2.stop();
    // After MM2's last sync: one group advances, one commits for the first time.
    let synced_advanced = committed(&backup, "consumer-group-advanced", "test-topic-3", 1)[0].unwrap();
    assert_eq!(synced_advanced, 10);
    commit(&primary, "consumer-group-advanced", "test-topic-3", &[(0, 20)]);
    commit(&primary, "consumer-group-late", "test-topic-3", &[(0, 15)]);

    let (code, stdout, stderr) = inspect(
        &file_copy,
        &[
            "--include-inactive-groups",
            "--include-ok-groups",
            "--emit-summary",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    let pb = "primary->backup";
    let active = "Not synced: the target group is active (state Stable); MirrorMaker 2 only syncs offsets to an \
                  Empty or absent target group.";
    let mut expected = vec![HEADER.to_owned()];
    for p in 0..4 {
        expected.push(format!(
            "{pb},test-topic-1,{p},consumer-group-active-target,0,10,Empty,10,0,0,10,Stable,-,-,-,true,true,true,\
             false,TARGET GROUP,{active}"
        ));
    }
    let (x, lag) = (synced_advanced, 20 - synced_advanced);
    expected.push(format!(
        "{pb},test-topic-3,0,consumer-group-advanced,0,20,Empty,20,0,0,20,Empty,{x},{lag},{lag},true,true,true,false,\
         REPLICATION,Target group offset is behind the translated source group offset (20); MirrorMaker 2 has not \
         synced the latest commit yet."
    ));
    for p in 0..4 {
        expected.push(format!(
            "{pb},test-topic-1,{p},consumer-group-dummy,0,10,Empty,0,10,0,10,Empty,0,10,10,true,true,true,true,-,\
             {SUCCESS}"
        ));
    }
    expected.push(format!(
        "{pb},test-topic-3,0,consumer-group-late,0,20,Empty,15,5,0,20,Dead,-,-,-,true,true,true,false,REPLICATION,\
         \"Erroneously not synced. Source partition has data, and other partitions for this group are not synced.\""
    ));
    expected.push(format!(
        "{pb},test-topic-2,0,consumer-group-partial,0,10,Empty,10,0,0,10,Empty,10,0,0,true,true,true,true,-,\
         {SUCCESS}"
    ));
    expected.push(format!(
        "{pb},test-topic-2,1,consumer-group-partial,0,0,Empty,0,0,0,0,Empty,-,-,-,false,true,false,true,\
         SOURCE PARTITION,Intentionally not synced because source partition is empty. Other partitions in this \
         group are synced."
    ));
    let stable = format!(
        "{pb},test-topic-3,0,consumer-group-stable,0,20,Stable,20,0,0,20,Empty,20,0,0,true,true,true,true,-,{SUCCESS}"
    );
    expected.push(stable.clone());
    for p in 0..4 {
        expected.push(format!(
            "{pb},test-topic-1,{p},consumer-group-synced,0,10,Empty,10,0,0,10,Empty,10,0,0,true,true,true,true,-,\
             {SUCCESS}"
        ));
    }
    // MM2 passes the groups to its checkpoint task as a comma-separated list, so a group id with
    // a comma is split and never synced: the inspector must say so (and keep the CSV intact).
    for p in 0..4 {
        expected.push(format!(
            "{pb},test-topic-1,{p},\"consumer-group-with,comma\",0,10,Empty,10,0,0,10,Dead,-,-,-,true,true,true,\
             false,REPLICATION,\"Erroneously not synced. Source partition has data, and other partitions for this \
             group are not synced.\""
        ));
    }
    let summary = [
        "9 partitions in state: Source has data: true, Source group: Empty, Target has data: true, Target group: \
         Empty, ok: true, Blocking component: null, Message: Successfully synced, operating normally",
        "5 partitions in state: Source has data: true, Source group: Empty, Target has data: true, Target group: \
         Dead, ok: false, Blocking component: REPLICATION, Message: Erroneously not synced. Source partition has \
         data, and other partitions for this group are not synced.",
        "4 partitions in state: Source has data: true, Source group: Empty, Target has data: true, Target group: \
         Stable, ok: false, Blocking component: TARGET GROUP, Message: Not synced: the target group is active \
         (state Stable); MirrorMaker 2 only syncs offsets to an Empty or absent target group.",
        "1 partitions in state: Source has data: false, Source group: Empty, Target has data: false, Target \
         group: Empty, ok: true, Blocking component: SOURCE PARTITION, Message: Intentionally not synced because \
         source partition is empty. Other partitions in this group are synced.",
        "1 partitions in state: Source has data: true, Source group: Empty, Target has data: true, Target group: \
         Empty, ok: false, Blocking component: REPLICATION, Message: Target group offset is behind the translated \
         source group offset (20); MirrorMaker 2 has not synced the latest commit yet.",
        "1 partitions in state: Source has data: true, Source group: Stable, Target has data: true, Target group: \
         Empty, ok: true, Blocking component: null, Message: Successfully synced, operating normally",
    ];
    let row_lines = expected.len();
    expected.extend(summary.iter().map(|s| s.to_string()));
    assert_lines(&stdout, &expected);

    // Default filters: only rows that are not OK.
    let (code, stdout, stderr) = inspect(&file_copy, &["--include-inactive-groups"]);
    assert_eq!(code, 1, "{stderr}");
    let only_not_ok: Vec<String> = expected[..row_lines]
        .iter()
        .filter(|l| *l == HEADER || !is_ok_column(l))
        .cloned()
        .collect();
    assert_eq!(only_not_ok.len(), 11);
    assert_lines(&stdout, &only_not_ok);

    // Without --include-inactive-groups only the active source group is inspected: all OK.
    let (code, stdout, stderr) = inspect(&file_copy, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.trim_end(), HEADER);
    let (code, stdout, stderr) = inspect(&file_copy, &["--include-ok-groups"]);
    assert_eq!(code, 0, "{stderr}");
    assert_lines(&stdout, &[HEADER.to_owned(), stable]);

    // JSON carries the same rows.
    let (code, stdout, _) = inspect(&file_copy, &["--include-inactive-groups", "--format", "json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 10);
    assert_eq!(rows[4]["group"], "consumer-group-advanced");
    assert_eq!(rows[4]["expected_target_offset"], 20);
    assert_eq!(rows[4]["target_group_offset"], synced_advanced);
    let _ = std::fs::remove_file(&file_copy);
}

/// Default (prefixing) replication policy with group offset sync, a reverse flow with sync
/// disabled, the offset-syncs topic absent before MM2 ever ran, and `--watch --until-ok` as the
/// cutover gate.
#[test]
fn default_policy_sync_disabled_and_missing_offset_syncs() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let clusters = KafkaCluster::start_many(vec![
        ClusterOptions::new("primary"),
        ClusterOptions::new("backup"),
    ]);
    let (primary, backup) = (client(&clusters[0]), client(&clusters[1]));
    create_topic(&primary, "orders", 2, &[]);
    create_topic(&backup, "returns", 1, &[]);
    produce_to(&primary, "orders", 0, 10);
    produce_to(&primary, "orders", 1, 10);
    produce_to(&backup, "returns", 0, 10);
    commit(&primary, "app-orders", "orders", &[(0, 10), (1, 10)]);
    commit(&backup, "app-returns", "returns", &[(0, 7)]);

    let dir = tempfile::tempdir().unwrap();
    let base = format!(
        "clusters = primary, backup\n\
         primary.bootstrap.servers = {}\n\
         backup.bootstrap.servers = {}\n\
         primary->backup.enabled = true\n\
         primary->backup.topics = orders\n\
         primary->backup.sync.group.offsets.enabled = true\n\
         groups = app-.*\n\
         sync.group.offsets.interval.seconds = 1\n\
         offset.lag.max = 0\n\
         {}",
        clusters[0].bootstrap(),
        clusters[1].bootstrap(),
        fast_properties(3, &["primary", "backup"]) + &quick_offset_commits(&["primary", "backup"])
    );
    let gate = dir.path().join("gate.properties");
    std::fs::write(&gate, format!("{base}backup->primary.enabled = false\n")).unwrap();
    let properties = format!("{base}backup->primary.enabled = true\nbackup->primary.topics = returns\n");

    // Before MM2 ever ran: the offset-syncs topic is absent; rows say so, quickly.
    let started = Instant::now();
    let (code, stdout, stderr) = inspect(&gate, &["--include-inactive-groups"]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(code, 1, "{stderr}");
    let missing = "\"Cannot translate offsets: the offset-syncs topic mm2-offset-syncs.backup.internal does not \
                   exist on primary; MirrorMaker 2 has not replicated this flow, or emit.offset-syncs.enabled is \
                   false.\"";
    let expected: Vec<String> = [HEADER.to_owned()]
        .into_iter()
        .chain([(0, 10, 0), (1, 10, 0)].iter().map(|(p, g, lag)| {
            format!(
                "primary->backup,orders,{p},app-orders,0,10,Empty,{g},{lag},-,-,Dead,-,-,-,true,true,false,false,\
                 REPLICATION,{missing}"
            )
        }))
        .collect();
    assert_lines(&stdout, &expected);

    let mut mm2 = MirrorMaker::start(&properties);
    let file = mm2.properties_file();
    // The cutover gate: waits until every row is OK.
    let (code, stdout, stderr) = inspect(
        &gate,
        &[
            "--include-inactive-groups",
            "--watch",
            "PT1S",
            "--until-ok",
            "--max-wait",
            "PT150S",
        ],
    );
    mm2.assert_running();
    assert_eq!(code, 0, "{stdout}\n{stderr}");

    let snapshot = || {
        format!(
            "syncs orders {:?} returns {:?}; target app-orders {:?}; backup.returns end {}; checkpointed {}",
            (0..2)
                .map(|p| last_synced(&clusters[0], "mm2-offset-syncs.backup.internal", "orders", p))
                .collect::<Vec<_>>(),
            last_synced(&clusters[1], "mm2-offset-syncs.primary.internal", "returns", 0),
            committed(&backup, "app-orders", "primary.orders", 2),
            log_end(&primary, "backup.returns", 0),
            backup_checkpointed(&clusters[0]),
        )
    };
    let want = "syncs orders [Some(9), Some(9)] returns Some(9); target app-orders [Some(10), Some(10)]; \
                backup.returns end 10; checkpointed true";
    wait_for(
        "MM2 to replicate, sync and checkpoint",
        Duration::from_secs(90),
        &mut mm2,
        || {
            let now = snapshot();
            eprintln!("waiting: {now}");
            now == want
        },
    );
    let (code, stdout, stderr) = inspect(&file, &["--include-inactive-groups", "--include-ok-groups"]);
    assert_eq!(code, 1, "{stderr}");
    let ok = |p: i32, g: i64| {
        format!(
            "primary->backup,orders,{p},app-orders,0,10,Empty,{g},{},0,10,Empty,{g},{},{},true,true,true,true,-,\
             {SUCCESS}",
            10 - g,
            10 - g,
            10 - g
        )
    };
    let expected = [
        HEADER.to_owned(),
        "backup->primary,returns,0,app-returns,0,10,Empty,7,3,0,10,Dead,-,-,-,true,true,true,false,MM2 CONFIG,\
         Not synced because sync.group.offsets.enabled is not true for backup->primary; MirrorMaker 2 only writes \
         checkpoints."
            .to_owned(),
        ok(0, 10),
        ok(1, 10),
    ];
    assert_lines(&stdout, &expected);
}

/// True once `backup.checkpoints.internal` on the primary has records (MM2 translated
/// app-returns), so the reverse flow has had its chance to sync (it must not).
fn backup_checkpointed(primary: &KafkaCluster) -> bool {
    let consumer: BaseConsumer = client(primary).create().unwrap();
    matches!(
        consumer.fetch_watermarks("backup.checkpoints.internal", 0, Duration::from_secs(5)),
        Ok((_, high)) if high > 0
    )
}

/// Moves the log start of `topic`/`partition` to `offset` (DeleteRecords).
fn delete_records(config: &ClientConfig, topic: &str, partition: i32, offset: i64) {
    let admin: AdminClient<DefaultClientContext> = config.create().unwrap();
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition_offset(topic, partition, Offset::Offset(offset))
        .unwrap();
    let result = support::block_on(admin.delete_records(&tpl, &AdminOptions::new())).unwrap();
    assert_eq!(result.elements()[0].offset(), Offset::Offset(offset));
}

/// Deletes `topic` and creates it again with `partitions` partitions, retrying while the
/// deletion is still in progress.
fn recreate_topic(config: &ClientConfig, topic: &str, partitions: i32) {
    let admin: AdminClient<DefaultClientContext> = config.create().unwrap();
    let deleted = support::block_on(admin.delete_topics(&[topic], &AdminOptions::new())).unwrap();
    assert!(deleted.iter().all(Result::is_ok), "{deleted:?}");
    support::wait_until(Duration::from_secs(30), "the topic to be recreated", || {
        let new_topic = NewTopic::new(topic, partitions, TopicReplication::Fixed(1));
        let created = support::block_on(admin.create_topics([&new_topic], &AdminOptions::new()));
        matches!(created.as_deref(), Ok([Ok(_)]))
    });
}

/// The reference's scenarios R2 (records deleted below a group's offset), R3 (topic deleted
/// and recreated smaller, group past the new log end), R4 (the inspector's principal may not
/// describe one target group and one target topic: those rows are errors, the rest is
/// reported) and R7 (the target topic does not exist yet), on one pair of clusters and one
/// MirrorMaker 2. The target cluster has ACLs; MM2 and the setup use its PLAINTEXT listener (a
/// super user), the inspector its SASL_SSL listener as the SCRAM user `inspector`.
#[test]
fn deleted_records_recreated_topic_acl_denial_and_missing_target_topic() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let inspector = || {
        ClusterOptions::new("")
            .with_sasl_ssl()
            .with_scram_user("inspector", "inspector-secret")
            .with_acls()
    };
    let clusters = KafkaCluster::start_many(vec![
        ClusterOptions {
            name: "primary".into(),
            ..inspector()
        },
        ClusterOptions {
            name: "backup".into(),
            ..inspector()
        },
    ]);
    let (primary, backup) = (client(&clusters[0]), client(&clusters[1]));

    // R2: partition 0 loses records 0..8 before MM2 ever reads it; the group is at 5.
    create_topic(&primary, "trimmed-topic", 2, &[]);
    produce_to(&primary, "trimmed-topic", 0, 10);
    produce_to(&primary, "trimmed-topic", 1, 10);
    delete_records(&primary, "trimmed-topic", 0, 8);
    commit(
        &primary,
        "consumer-group-trimmed",
        "trimmed-topic",
        &[(0, 5), (1, 10)],
    );
    // R3: 20 records, then the topic is deleted and recreated with 5. The broker drops the
    // committed offsets of a deleted topic, so the consumer commits its old position (20) again.
    create_topic(&primary, "recreated-topic", 1, &[]);
    produce_to(&primary, "recreated-topic", 0, 20);
    recreate_topic(&primary, "recreated-topic", 1);
    produce_to(&primary, "recreated-topic", 0, 5);
    commit(
        &primary,
        "consumer-group-recreated",
        "recreated-topic",
        &[(0, 20)],
    );
    // R4: the inspector may not describe consumer-group-denied nor denied-topic on the target.
    create_topic(&primary, "shared-topic", 1, &[]);
    create_topic(&primary, "denied-topic", 1, &[]);
    produce_to(&primary, "shared-topic", 0, 10);
    produce_to(&primary, "denied-topic", 0, 10);
    commit(&primary, "consumer-group-denied", "shared-topic", &[(0, 10)]);
    commit(&primary, "consumer-group-ok", "shared-topic", &[(0, 10)]);
    commit(
        &primary,
        "consumer-group-denied-topic",
        "denied-topic",
        &[(0, 10)],
    );
    clusters[1].deny(
        "inspector",
        "Describe",
        &["--group", "consumer-group-denied", "--topic", "denied-topic"],
    );
    // On the source, the inspector may list consumer-group-undescribable (it may describe the
    // cluster) but not read its offsets; MM2, a super user there, syncs it all the same.
    commit(
        &primary,
        "consumer-group-undescribable",
        "shared-topic",
        &[(0, 10)],
    );
    clusters[0].deny(
        "inspector",
        "Describe",
        &["--group", "consumer-group-undescribable"],
    );
    // MM2 checkpoints consumer-group-deleted; the group is deleted on the source before the
    // inspection, so only MM2's checkpoints still know it.
    commit(&primary, "consumer-group-deleted", "shared-topic", &[(0, 10)]);

    let common = format!(
        "clusters = primary, backup\n\
         primary->backup.enabled = true\n\
         backup->primary.enabled = false\n\
         primary->backup.topics = trimmed-topic, recreated-topic, shared-topic, denied-topic, late-topic\n\
         groups = consumer-group-.*\n\
         replication.policy.class = org.apache.kafka.connect.mirror.IdentityReplicationPolicy\n\
         sync.group.offsets.enabled = true\n\
         sync.group.offsets.interval.seconds = 1\n\
         offset.lag.max = 0\n\
         {}",
        fast_properties(3, &["primary", "backup"]) + &quick_offset_commits(&["primary", "backup"])
    );
    let mut mm2 = MirrorMaker::start(&format!(
        "{common}primary.bootstrap.servers = {}\nbackup.bootstrap.servers = {}\n",
        clusters[0].bootstrap(),
        clusters[1].bootstrap()
    ));
    // The inspector connects to both clusters as `inspector` over SASL_SSL.
    let as_inspector = |alias: &str, cluster: &KafkaCluster| {
        format!(
            "{alias}.bootstrap.servers = {}\n\
             {alias}.security.protocol = SASL_SSL\n\
             {alias}.sasl.mechanism = SCRAM-SHA-512\n\
             {alias}.sasl.jaas.config = org.apache.kafka.common.security.scram.ScramLoginModule required \
             username=\"inspector\" password=\"inspector-secret\";\n\
             {alias}.ssl.truststore.type = PEM\n\
             {alias}.ssl.truststore.location = {}\n",
            cluster.address(Listener::SaslSsl).unwrap(),
            cluster.tls().unwrap().ca_cert.display()
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("inspect.properties");
    std::fs::write(
        &file,
        format!(
            "{common}{}{}",
            as_inspector("primary", &clusters[0]),
            as_inspector("backup", &clusters[1])
        ),
    )
    .unwrap();

    let syncs = "mm2-offset-syncs.backup.internal";
    let snapshot = || {
        format!(
            "syncs trimmed {:?} recreated {:?} shared {:?} denied {:?}; target trimmed {:?} recreated {:?} \
             denied {:?} ok {:?} denied-topic {:?} undescribable {:?} deleted {:?}",
            (0..2)
                .map(|p| last_synced(&clusters[0], syncs, "trimmed-topic", p))
                .collect::<Vec<_>>(),
            last_synced(&clusters[0], syncs, "recreated-topic", 0),
            last_synced(&clusters[0], syncs, "shared-topic", 0),
            last_synced(&clusters[0], syncs, "denied-topic", 0),
            committed(&backup, "consumer-group-trimmed", "trimmed-topic", 2),
            committed(&backup, "consumer-group-recreated", "recreated-topic", 1),
            committed(&backup, "consumer-group-denied", "shared-topic", 1),
            committed(&backup, "consumer-group-ok", "shared-topic", 1),
            committed(&backup, "consumer-group-denied-topic", "denied-topic", 1),
            committed(&backup, "consumer-group-undescribable", "shared-topic", 1),
            committed(&backup, "consumer-group-deleted", "shared-topic", 1),
        )
    };
    // MM2 never translates offset 5 of trimmed-topic-0 (its first sync there is at 8), and
    // translates 20 of recreated-topic-0 to one past its newest sync (4 -> 4), so 5.
    let want = "syncs trimmed [Some(9), Some(9)] recreated Some(4) shared Some(9) denied Some(9); target trimmed \
                [None, Some(10)] recreated [Some(5)] denied [Some(10)] ok [Some(10)] denied-topic [Some(10)] \
                undescribable [Some(10)] deleted [Some(10)]";
    wait_for(
        "MM2 to replicate and sync",
        Duration::from_secs(150),
        &mut mm2,
        || {
            let now = snapshot();
            eprintln!("waiting: {now}");
            now == want
        },
    );
    std::thread::sleep(Duration::from_secs(2));
    mm2.stop();
    support::run_kafka_tool(
        "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
        &[
            "--bootstrap-server",
            clusters[0].bootstrap(),
            "--delete",
            "--group",
            "consumer-group-deleted",
        ],
    );
    // R7: a topic MM2 has not created on the target yet.
    create_topic(&primary, "late-topic", 1, &[]);
    produce_to(&primary, "late-topic", 0, 3);
    commit(&primary, "consumer-group-late-topic", "late-topic", &[(0, 3)]);

    let (code, stdout, stderr) = inspect(&file, &["--include-inactive-groups", "--include-ok-groups"]);
    assert_eq!(code, 1, "{stderr}");
    let pb = "primary->backup";
    let expected = [
        HEADER.to_owned(),
        format!(
            "{pb},shared-topic,0,consumer-group-denied,0,10,Empty,10,0,0,10,Unknown,-,-,-,true,true,true,false,\
             TARGET GROUP,Cannot read the target group: describe failed: not authorized: \
             GROUP_AUTHORIZATION_FAILED (30)"
        ),
        format!(
            "{pb},denied-topic,0,consumer-group-denied-topic,0,10,Empty,10,0,-,-,Empty,-,-,-,true,true,false,false,\
             TARGET PARTITION,Cannot read the target partition's offsets: not authorized: Broker: Topic authorization \
             failed"
        ),
        format!(
            "{pb},late-topic,0,consumer-group-late-topic,0,3,Empty,3,0,-,-,Dead,-,-,-,true,true,false,false,\
             REPLICATION,Not synced: the target topic late-topic does not exist."
        ),
        format!(
            "{pb},shared-topic,0,consumer-group-ok,0,10,Empty,10,0,0,10,Empty,10,0,0,true,true,true,true,-,{SUCCESS}"
        ),
        // R3: past the new log end; MM2's translation (5) is the target's log end, so no record
        // is read twice or skipped. SOURCE GROUP VALID says the source offset is out of range.
        format!(
            "{pb},recreated-topic,0,consumer-group-recreated,0,5,Empty,20,-15,0,5,Empty,5,0,0,true,false,true,true,\
             -,{SUCCESS}"
        ),
        // R2: below the log start, so a consumer resets on the source too: the reference's B3.
        format!(
            "{pb},trimmed-topic,0,consumer-group-trimmed,8,10,Empty,5,5,0,2,Empty,-,-,-,true,false,true,true,\
             SOURCE GROUP,Intentionally not synced because source group is too old. Other partitions in this group \
             are synced."
        ),
        format!(
            "{pb},trimmed-topic,1,consumer-group-trimmed,0,10,Empty,10,0,0,10,Empty,10,0,0,true,true,true,true,-,\
             {SUCCESS}"
        ),
        // Listed, but its offsets are refused: an error row (sorted last), not a silent drop.
        format!(
            "{pb},-,-,consumer-group-undescribable,-,-,Empty,-,-,-,-,Empty,-,-,-,false,false,false,false,\
             SOURCE GROUP,Cannot read the source group's committed offsets: not authorized: \
             GROUP_AUTHORIZATION_FAILED (30)"
        ),
    ];
    assert_lines(&stdout, &expected);
    // The group deleted on the source has no row, and the inspector says it was not inspected.
    assert!(!stdout.contains("consumer-group-deleted"), "{stdout}");
    let warning = "warning: primary->backup: MirrorMaker 2 has checkpoints for 1 group(s) that cluster `primary` \
                   does not list, so they were not inspected (deleted there, or this user lacks DESCRIBE on them): \
                   consumer-group-deleted\n";
    assert!(stderr.contains(warning), "{stderr}");
    // The late topic was not created on the target by the inspection.
    assert_eq!(log_end(&backup, "late-topic", 0), -1);
}

/// The early-gate gap: with MM2's default `offset.lag.max` (100), MM2 syncs the first record it
/// replicates at once and delays the sync of the newest record to its next offset commit (made
/// rare here). Meanwhile it translates a group at the log end (10) to one past its only sync
/// (0 -> 0), and syncs the target group to 1: the target offset equals MM2's translation, so the
/// Java tool calls the row synced, yet consumers on the target would re-read records 1..9.
#[test]
fn group_past_the_newest_offset_sync_holds_the_gate() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let clusters = KafkaCluster::start_many(vec![
        ClusterOptions::new("primary"),
        ClusterOptions::new("backup"),
    ]);
    let (primary, backup) = (client(&clusters[0]), client(&clusters[1]));
    create_topic(&primary, "orders", 1, &[]);
    produce_to(&primary, "orders", 0, 10);
    commit(&primary, "app", "orders", &[(0, 10)]);
    let properties = format!(
        "clusters = primary, backup\n\
         primary.bootstrap.servers = {}\n\
         backup.bootstrap.servers = {}\n\
         primary->backup.enabled = true\n\
         backup->primary.enabled = false\n\
         primary->backup.topics = orders\n\
         groups = app\n\
         replication.policy.class = org.apache.kafka.connect.mirror.IdentityReplicationPolicy\n\
         sync.group.offsets.enabled = true\n\
         sync.group.offsets.interval.seconds = 1\n\
         offset.flush.interval.ms = 600000\n\
         backup.offset.flush.interval.ms = 600000\n\
         {}",
        clusters[0].bootstrap(),
        clusters[1].bootstrap(),
        fast_properties(3, &["primary", "backup"])
    );
    let mut mm2 = MirrorMaker::start(&properties);
    let file = mm2.properties_file();
    let snapshot = || {
        format!(
            "replicated {} newest sync {:?} target {:?}",
            log_end(&backup, "orders", 0),
            last_synced(&clusters[0], "mm2-offset-syncs.backup.internal", "orders", 0),
            committed(&backup, "app", "orders", 1)
        )
    };
    // MM2 writes the newest record's sync early when its task restarts (a task reconfiguration
    // commits offsets), which a loaded machine sometimes provokes; then there is no gap and the
    // row must be OK instead. Either way the verdict must match what MM2 really did.
    const GAP: &str = "replicated 10 newest sync Some(0) target [Some(1)]";
    const NO_GAP: &str = "replicated 10 newest sync Some(9) target [Some(10)]";
    let mut state = String::new();
    wait_for(
        "MM2 to replicate and sync the group",
        Duration::from_secs(150),
        &mut mm2,
        || {
            state = snapshot();
            eprintln!("waiting: {state}");
            state == GAP || state == NO_GAP
        },
    );
    // The row once MM2 has written the newest sync: OK, target at the log end.
    let check_no_gap = |mm2: &mut MirrorMaker| {
        let (code, stdout, stderr) = inspect(
            &file,
            &[
                "--include-inactive-groups",
                "--include-ok-groups",
                "--format",
                "json",
            ],
        );
        assert_eq!(code, 0, "{stderr}");
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(json["rows"].as_array().map(Vec::len), Some(1), "{stdout}");
        assert_eq!(json["rows"][0]["is_ok"], true, "{stdout}");
        assert_eq!(json["rows"][0]["expected_target_offset"], 10, "{stdout}");
        assert_eq!(json["rows"][0]["target_group_offset"], 10, "{stdout}");
        mm2.assert_running();
    };
    if state == NO_GAP {
        eprintln!("MM2 wrote the newest offset sync early this time: checking the row is OK");
        return check_no_gap(&mut mm2);
    }
    // The gap can also close while the checks below run; then the row must be OK instead.
    let gap_closed_meanwhile = |code: i32| {
        let closed = code == 0 && snapshot() == NO_GAP;
        if closed {
            eprintln!("MM2 wrote the newest offset sync during the checks: checking the row is OK");
        }
        closed
    };
    let (code, stdout, stderr) = inspect(&file, &["--include-inactive-groups", "--include-ok-groups"]);
    if gap_closed_meanwhile(code) {
        return check_no_gap(&mut mm2);
    }
    assert_eq!(code, 1, "{stderr}");
    assert_lines(
        &stdout,
        &[
            HEADER.to_owned(),
            "primary->backup,orders,0,app,0,10,Empty,10,0,0,10,Empty,1,9,9,true,true,true,false,REPLICATION,\
             \"Not synced yet: the source group offset is past MirrorMaker 2's newest offset sync for this \
             partition, so the translated target offset is that of an earlier record and consumers on the target \
             would re-read records.\""
                .to_owned(),
        ],
    );
    // The target offset is exactly MM2's translation: only the new check sees the gap.
    let (code, stdout, _) = inspect(&file, &["--include-inactive-groups", "--format", "json"]);
    if gap_closed_meanwhile(code) {
        return check_no_gap(&mut mm2);
    }
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["rows"][0]["expected_target_offset"], 1);
    assert_eq!(json["rows"][0]["target_group_offset"], 1);
    // The gate does not open while the gap lasts.
    let (code, _, stderr) = inspect(
        &file,
        &[
            "--include-inactive-groups",
            "--watch",
            "PT1S",
            "--until-ok",
            "--max-wait",
            "PT3S",
        ],
    );
    if gap_closed_meanwhile(code) {
        return check_no_gap(&mut mm2);
    }
    assert_eq!(code, 1, "{stderr}");
    mm2.assert_running();
}

/// A transaction ends with a marker record that MM2 never copies. A group at the log end has
/// consumed past MM2's newest offset sync by that marker alone, which is no gap: MM2 translates
/// it to the target's log end. With `offset.lag.max = 0` MM2 syncs the last record; the row is OK.
#[test]
fn a_transaction_marker_after_the_newest_sync_is_no_gap() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let clusters = KafkaCluster::start_many(vec![
        ClusterOptions::new("primary"),
        ClusterOptions::new("backup"),
    ]);
    let (primary, backup) = (client(&clusters[0]), client(&clusters[1]));
    create_topic(&primary, "payments", 1, &[]);
    // Records 0..9, the commit marker at 10: the log end is 11.
    produce_in_transaction(&primary, "payments", 0, 10);
    // The coordinator writes the marker after the commit returns; wait until it is there.
    let deadline = Instant::now() + Duration::from_secs(30);
    while log_end(&primary, "payments", 0) != 11 {
        assert!(
            Instant::now() < deadline,
            "the transaction's marker never appeared"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    commit(&primary, "app", "payments", &[(0, 11)]);
    let properties = format!(
        "clusters = primary, backup\n\
         primary.bootstrap.servers = {}\n\
         backup.bootstrap.servers = {}\n\
         primary->backup.enabled = true\n\
         backup->primary.enabled = false\n\
         primary->backup.topics = payments\n\
         groups = app\n\
         replication.policy.class = org.apache.kafka.connect.mirror.IdentityReplicationPolicy\n\
         sync.group.offsets.enabled = true\n\
         sync.group.offsets.interval.seconds = 1\n\
         offset.lag.max = 0\n\
         {}",
        clusters[0].bootstrap(),
        clusters[1].bootstrap(),
        fast_properties(3, &["primary", "backup"]) + &quick_offset_commits(&["primary", "backup"])
    );
    let mut mm2 = MirrorMaker::start(&properties);
    let file = mm2.properties_file();
    let want = "replicated 10 newest sync Some(9) target [Some(10)]";
    wait_for(
        "MM2 to replicate and sync the group",
        Duration::from_secs(150),
        &mut mm2,
        || {
            let now = format!(
                "replicated {} newest sync {:?} target {:?}",
                log_end(&backup, "payments", 0),
                last_synced(&clusters[0], "mm2-offset-syncs.backup.internal", "payments", 0),
                committed(&backup, "app", "payments", 1)
            );
            eprintln!("waiting: {now}");
            now == want
        },
    );
    let (code, stdout, stderr) = inspect(&file, &["--include-inactive-groups", "--include-ok-groups"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    // TARGET GROUP LAG TO SOURCE counts the marker's offset, as the Java tool's formula does.
    assert_lines(
        &stdout,
        &[
            HEADER.to_owned(),
            format!(
                "primary->backup,payments,0,app,0,11,Empty,11,0,0,10,Empty,10,0,1,true,true,true,true,-,{SUCCESS}"
            ),
        ],
    );
    mm2.assert_running();
}

/// `inspect --watch` run as a child process: standard output collected line by line (with the
/// time each line arrived), standard error in a file; killed when dropped.
struct Watcher {
    child: std::process::Child,
    lines: Arc<Mutex<Vec<(Instant, String)>>>,
    stderr: tempfile::NamedTempFile,
}

impl Watcher {
    fn start(file: &Path, args: &[&str]) -> Watcher {
        use std::io::BufRead;
        let stderr = tempfile::NamedTempFile::new().unwrap();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_diskless-migrator"))
            .arg("inspect")
            .arg("--mm2-config")
            .arg(file)
            .args(args)
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(stderr.reopen().unwrap())
            .spawn()
            .unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                sink.lock().unwrap().push((Instant::now(), line));
            }
        });
        Watcher { child, lines, stderr }
    }

    /// The round lines (`[+Ns] …`) printed so far.
    fn rounds(&self) -> usize {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, l)| l.starts_with("[+"))
            .count()
    }

    /// Panics, with the exit status and standard error, if the process has ended.
    fn assert_running(&mut self) {
        if let Some(status) = self.child.try_wait().unwrap() {
            panic!(
                "inspect --watch ended ({status}, code {:?}); stdout:\n{}\nstderr:\n{}",
                status.code(),
                self.stdout(),
                std::fs::read_to_string(self.stderr.path()).unwrap_or_default()
            );
        }
    }

    /// Waits until `more` round lines have been printed after the `seen` ones.
    fn wait_rounds(&mut self, seen: usize, more: usize, what: &str) -> usize {
        let deadline = Instant::now() + Duration::from_secs(45);
        loop {
            self.assert_running();
            let now = self.rounds();
            if now >= seen + more {
                return now;
            }
            assert!(
                Instant::now() < deadline,
                "no new inspection round within 45 s {what}; stdout:\n{}",
                self.stdout()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn stdout(&self) -> String {
        let lines = self.lines.lock().unwrap();
        lines
            .iter()
            .map(|(_, l)| l.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The broker that coordinates `group`, as any running broker of `cluster` says.
fn group_coordinator(cluster: &KafkaCluster, group: &str) -> u32 {
    use diskless_migrator::kafka::wire::coordinator::find_group_coordinators;
    use diskless_migrator::kafka::wire::{Connection, Security};
    let settings = ClientSettings::from_java(
        [("bootstrap.servers", cluster.bootstrap())],
        &EnvFallback::default(),
    )
    .unwrap();
    let security = Security::from_settings(&settings).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        for id in cluster.broker_ids() {
            let address = cluster.broker_address(id, Listener::Plaintext).unwrap();
            let (host, port) = address.rsplit_once(':').unwrap();
            let Ok(mut connection) =
                Connection::open(host, port.parse().unwrap(), &security, Duration::from_secs(2))
            else {
                continue;
            };
            if let Ok(found) = find_group_coordinators(&mut connection, &[group.to_owned()])
                && let Some(c) = found.first()
                && c.error == 0
            {
                return u32::try_from(c.node_id).unwrap();
            }
        }
        assert!(
            Instant::now() < deadline,
            "no broker named the coordinator of {group}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Waits until broker `id` itself answers metadata requests.
fn wait_broker_answers(cluster: &KafkaCluster, id: u32) {
    let mut config = ClientConfig::new();
    config.set(
        "bootstrap.servers",
        cluster.broker_address(id, Listener::Plaintext).unwrap(),
    );
    support::wait_until(
        Duration::from_secs(60),
        &format!("broker {id} of {} to answer", cluster.name()),
        || support::records::probe(&config, Duration::from_secs(2)).is_ok(),
    );
}

/// The gate under broker failures: the target broker coordinating the checked group is killed
/// (SIGKILL) and restarted twenty times while `inspect --watch` runs. The coordinator moves on
/// every kill (and `NOT_COORDINATOR` answers follow), which made the librdkafka offset reader
/// crash the process. Asserted: the process never ends, every cycle gets inspection rounds
/// (each round prints its line), and no round reports the group OK with facts other than the
/// true ones (an unreadable group is an error row or a failed round, never OK). Last, with every
/// target broker down, a round fails and `--output-path` then holds the failure, not the last
/// report.
#[test]
fn target_broker_killed_and_restarted_twenty_times_during_watch() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let test_started = Instant::now();
    // Brokers are fenced 4 s after their last heartbeat (default 9 s), so the coordinator of a
    // killed broker moves within the cycle.
    let target = ClusterOptions::new("backup")
        .with_broker_property("broker.heartbeat.interval.ms", "500")
        .with_broker_property("broker.session.timeout.ms", "4000");
    let mut clusters = KafkaCluster::start_many(vec![ClusterOptions::new("primary"), target]);
    let (primary, backup) = (client(&clusters[0]), client(&clusters[1]));
    create_topic(&primary, "orders", 1, &[]);
    create_topic(&backup, "orders", 1, &[]);
    produce_to(&primary, "orders", 0, 10);
    commit(&primary, "gate-group", "orders", &[(0, 10)]);
    let properties = format!(
        "clusters = primary, backup\n\
         primary.bootstrap.servers = {}\n\
         backup.bootstrap.servers = {}\n\
         primary->backup.enabled = true\n\
         backup->primary.enabled = false\n\
         primary->backup.topics = orders\n\
         groups = gate-group\n\
         replication.policy.class = org.apache.kafka.connect.mirror.IdentityReplicationPolicy\n\
         sync.group.offsets.enabled = true\n\
         sync.group.offsets.interval.seconds = 1\n\
         offset.lag.max = 0\n\
         offset.storage.partitions = 1\n\
         status.storage.partitions = 1\n\
         {}",
        clusters[0].bootstrap(),
        clusters[1].bootstrap(),
        fast_properties(3, &["primary", "backup"]) + &quick_offset_commits(&["primary", "backup"])
    );
    // (One partition for MM2's offsets and status topics: a broker restarted after SIGKILL
    // recovers every partition it holds, and 30 of them would double its start time.)
    let mut mm2 = MirrorMaker::start(&properties);
    wait_for(
        "MM2 to sync gate-group",
        Duration::from_secs(150),
        &mut mm2,
        || committed(&backup, "gate-group", "orders", 1) == [Some(10)],
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mm2.properties");
    std::fs::copy(mm2.properties_file(), &file).unwrap();
    mm2.stop();
    let setup = test_started.elapsed();

    let report = dir.path().join("report.csv");
    let report_arg = report.display().to_string();
    let mut watcher = Watcher::start(
        &file,
        &[
            "--include-inactive-groups",
            "--include-ok-groups",
            "--watch",
            "200ms",
            "--admin-timeout",
            "PT3S",
            "--request-timeout",
            "PT2S",
            "--output-path",
            &report_arg,
        ],
    );
    let ok_row = format!(
        "primary->backup,orders,0,gate-group,0,10,Empty,10,0,0,10,Empty,10,0,0,true,true,true,true,-,{SUCCESS}"
    );
    support::wait_until(Duration::from_secs(60), "the first report", || {
        watcher.assert_running();
        std::fs::read_to_string(&report).is_ok_and(|t| !t.is_empty())
    });
    assert_lines(
        &std::fs::read_to_string(&report).unwrap(),
        &[HEADER.to_owned(), ok_row.clone()],
    );

    let cycles_started = Instant::now();
    let mut rounds = watcher.rounds();
    let mut killed = Vec::new();
    for cycle in 0..20 {
        let id = group_coordinator(&clusters[1], "gate-group");
        killed.push(id);
        let at_kill = watcher.rounds();
        let killed_at = Instant::now();
        clusters[1].kill_broker(id);
        // The JVM takes seconds to start: rounds run with the broker down meanwhile.
        clusters[1].spawn_broker(id);
        watcher.wait_rounds(at_kill, 1, &format!("while broker {id} was down (cycle {cycle})"));
        clusters[1].restart_broker(id);
        wait_broker_answers(&clusters[1], id);
        let start_time = killed_at.elapsed();
        let at_return = watcher.rounds();
        let returned = Instant::now();
        // The second round from now started after the broker was back.
        rounds = watcher.wait_rounds(
            at_return,
            2,
            &format!("after broker {id} returned (cycle {cycle})"),
        );
        eprintln!(
            "cycle {cycle}: broker {id} down for {} round(s), back {start_time:?} after the kill, two \
             rounds after its return took {:?}",
            at_return - at_kill,
            returned.elapsed()
        );
    }
    let cycles = cycles_started.elapsed();
    watcher.assert_running();

    // Every state the rounds reported for the group: OK only with the true facts.
    let stdout = watcher.stdout();
    let mut failed_rounds = 0;
    let mut not_ok_states = 0;
    for line in stdout.lines() {
        if line.starts_with("[+") {
            assert!(
                line.contains(" rows, ") || line.contains("inspection failed"),
                "unexpected round line: {line}"
            );
            failed_rounds += usize::from(line.contains("inspection failed"));
            continue;
        }
        let new_state = match line.split_once(" -> ") {
            Some((_, after)) => after.to_owned(),
            None => line
                .strip_prefix("+ primary->backup gate-group orders-0: ")
                .unwrap_or_else(|| panic!("unexpected line: {line}\n{stdout}"))
                .to_owned(),
        };
        if new_state.starts_with("OK") {
            assert_eq!(
                new_state, "OK (source 10, target 10): Successfully synced, operating normally",
                "{stdout}"
            );
        } else {
            not_ok_states += 1;
        }
    }
    eprintln!(
        "killed brokers {killed:?}; {rounds} rounds, {failed_rounds} failed, {not_ok_states} not-OK states; \
         setup {setup:?}, 20 cycles {cycles:?}"
    );

    eprintln!("{stdout}");
    // Every target broker down: the round fails, and the report file says so.
    let failures = |w: &Watcher| w.stdout().matches("inspection failed").count();
    let failed_before = failures(&watcher);
    for id in clusters[1].broker_ids() {
        clusters[1].kill_broker(id);
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while failures(&watcher) == failed_before {
        watcher.assert_running();
        assert!(
            Instant::now() < deadline,
            "no failed round:\n{}",
            watcher.stdout()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.starts_with("inspection failed after "), "{text}");
    assert!(text.contains("out of date"), "{text}");
    assert!(!text.contains("gate-group"), "{text}");
    watcher.assert_running();
    drop(watcher);
    // SIGKILL, as in the cycles: a graceful stop of the source would only add to the wall time.
    for id in clusters[0].broker_ids() {
        clusters[0].kill_broker(id);
    }
    eprintln!("test wall time {:?}", test_started.elapsed());
}
