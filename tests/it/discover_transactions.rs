//! `discover` tells whether transactional producers write to each topic, and which consumer
//! groups are Kafka Streams applications, on one three-broker cluster (SASL_SSL with ACLs, and
//! producer states that expire after seconds) shared by every case:
//!
//! * a topic in the middle of a transaction: `true`, seen by both signals (producer state and
//!   tail batches);
//! * a topic written only by an idempotent producer, and an empty one: `false`, with evidence;
//! * a topic whose transactional producer finished and whose producer state the brokers have
//!   dropped (checked with `DescribeProducers` itself): `true` from the transaction markers;
//! * a topic the principal may not read: `null` and a `transactional` gap naming the refusal;
//! * a group joined with Kafka Streams' assignor: `streams_application_id` set.

use crate::support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use diskless_migrator::inventory::{Inventory, Topic};
use diskless_migrator::kafka::client::{ClientSettings, EnvFallback};
use diskless_migrator::kafka::wire::describe_producers::describe_producers;
use diskless_migrator::kafka::wire::{Connection, Security};
use rdkafka::ClientConfig;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use support::kafka::{ClusterOptions, KafkaCluster, Listener};
use support::records::{create_topic, produce_keyed};

/// Producer states expire this long after a producer's last write (Kafka's default: 1 day).
const EXPIRATION_MS: &str = "3000";

fn discover(bootstrap: &str, out: &Path, extra: &[&str]) -> (Output, Inventory) {
    let output = Command::new(env!("CARGO_BIN_EXE_diskless-migrator"))
        .arg("discover")
        .args(["--bootstrap-server", bootstrap, "--timeout", "15", "-v"])
        .args(extra)
        .arg("--out")
        .arg(out)
        .env_remove("KAFKA_BOOTSTRAP_SERVER")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let inv = serde_json::from_str(&std::fs::read_to_string(out.join("inventory.json")).unwrap()).unwrap();
    (output, inv)
}

fn topic<'a>(inv: &'a Inventory, name: &str) -> &'a Topic {
    inv.topics.iter().find(|t| t.name == name).unwrap()
}

/// A transactional producer (`transactional.id = id`), initialized.
fn transactional_producer(config: &ClientConfig, id: &str) -> BaseProducer {
    let producer: BaseProducer = config
        .clone()
        .set("transactional.id", id)
        .set("linger.ms", "5")
        .create()
        .unwrap();
    producer.init_transactions(Duration::from_secs(30)).unwrap();
    producer
}

/// Sends `count` records to every partition of `topic` inside the current transaction.
fn send(producer: &BaseProducer, topic: &str, partitions: i32, count: usize) {
    for i in 0..count {
        for p in 0..partitions {
            let value = format!("value-{i}");
            producer
                .send(
                    BaseRecord::<str, str>::to(topic)
                        .partition(p)
                        .payload(value.as_str()),
                )
                .unwrap();
        }
    }
    producer.flush(Duration::from_secs(30)).unwrap();
}

/// Active producers the brokers report for `topic` over the tool's own connection, summed over
/// its partitions and replicas; `None` unless every partition was answered.
fn producer_states(cluster: &KafkaCluster, topic: &str, partitions: i32) -> Option<u32> {
    let mut answered = 0;
    let mut producers = 0;
    for id in cluster.broker_ids() {
        let address = cluster.broker_address(id, Listener::Plaintext).unwrap();
        let settings =
            ClientSettings::from_java([("bootstrap.servers", address)], &EnvFallback::from_env()).unwrap();
        let security = Security::from_settings(&settings).unwrap();
        let (host, port) = address.rsplit_once(':').unwrap();
        let mut connection =
            Connection::open(host, port.parse().unwrap(), &security, Duration::from_secs(10)).ok()?;
        let keys: Vec<(String, i32)> = (0..partitions).map(|p| (topic.to_owned(), p)).collect();
        for (_, answer) in describe_producers(&mut connection, &keys).ok()? {
            // Brokers without a replica answer an error; followers may answer too.
            if let Ok(states) = answer {
                answered += 1;
                producers += states.producers;
            }
        }
    }
    (answered >= partitions).then_some(producers)
}

/// The Streams-like group member (see `tests/java/StreamsLikeGroup.java`), once it has its
/// assignment; it ends when the handle is dropped (its standard input closes) or killed.
struct StreamsMember(Child);

impl StreamsMember {
    fn start(bootstrap: &str, group: &str, topic: &str) -> StreamsMember {
        let java = match std::env::var_os("JAVA_HOME") {
            Some(home) if !home.is_empty() => Path::new(&home).join("bin").join("java"),
            _ => "java".into(),
        };
        let source = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/java/StreamsLikeGroup.java");
        let mut child = Command::new(java)
            .args(["-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp"])
            .arg(format!("{}/*", support::kafka_libs().display()))
            .arg(source)
            .args([bootstrap, group, topic])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let member = StreamsMember(child);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line == "assigned" {
                    let _ = tx.send(());
                }
            }
        });
        rx.recv_timeout(Duration::from_secs(90))
            .expect("the Streams-like member did not get its assignment within 90 s");
        member
    }
}

impl Drop for StreamsMember {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Internal topics of the Streams application `wordcount-app`, named as Kafka Streams names them.
const REPARTITION: &str = "wordcount-app-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition";
const CHANGELOG: &str = "wordcount-app-KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog";

/// Runs `plan` on `inventory` for `topics` (the example settings) and returns plan.json.
fn plan(inventory: &Path, out: &Path, topics: &[&str]) -> serde_json::Value {
    let list = out.with_extension("topics.txt");
    std::fs::write(&list, topics.join("\n")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_diskless-migrator"))
        .args(["plan", "--inventory"])
        .arg(inventory)
        .args([
            "--settings",
            concat!(env!("CARGO_MANIFEST_DIR"), "/examples/migration.hcl"),
        ])
        .arg("--topics")
        .arg(&list)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(out.join("plan.json")).unwrap()).unwrap()
}

#[test]
fn transactional_writes_and_streams_groups() {
    let started = Instant::now();
    let cluster = KafkaCluster::start(
        ClusterOptions::new("discover-txn")
            .with_sasl_ssl()
            .with_acls()
            .with_broker_property("producer.id.expiration.ms", EXPIRATION_MS)
            .with_broker_property("producer.id.expiration.check.interval.ms", "500")
            .with_broker_property("transactional.id.expiration.ms", EXPIRATION_MS)
            .with_broker_property(
                "transaction.remove.expired.transaction.cleanup.interval.ms",
                "500",
            ),
    );
    let config = cluster.client_config(Listener::Plaintext);
    for (name, partitions) in [
        ("txn-live", 3),
        ("txn-none", 3),
        ("txn-old", 2),
        ("txn-empty", 2),
        ("txn-secret", 2),
        ("streams-in", 1),
        (REPARTITION, 1),
    ] {
        create_topic(&config, name, partitions, &[]);
    }
    create_topic(&config, CHANGELOG, 1, &[("cleanup.policy", "compact")]);
    eprintln!(
        "discover-txn: cluster up and topics created after {:.1?}",
        started.elapsed()
    );

    // A transaction committed long ago (in broker time: the producer state expires).
    let old = transactional_producer(&config, "old-producer");
    old.begin_transaction().unwrap();
    send(&old, "txn-old", 2, 10);
    old.commit_transaction(Duration::from_secs(30)).unwrap();
    drop(old);
    produce_keyed(&config, "txn-none", 50);
    produce_keyed(&config, "txn-secret", 20);
    let user = cluster.scram_users()[0].name.clone();
    cluster.deny(&user, "Read", &["--topic", "txn-secret"]);
    cluster.allow(&user, "Describe", &["--topic", "txn-secret"]);
    let member = StreamsMember::start(cluster.bootstrap(), "wordcount-app", "streams-in");
    eprintln!(
        "discover-txn: Streams-like member assigned after {:.1?}",
        started.elapsed()
    );

    // The brokers forget the finished producer: DescribeProducers reports no state for txn-old.
    let mut last = None;
    support::wait_until(
        Duration::from_secs(60),
        "the producer state of txn-old to expire",
        || {
            last = producer_states(&cluster, "txn-old", 2);
            if last != Some(0) {
                eprintln!("discover-txn: txn-old producer states: {last:?}");
                std::thread::sleep(Duration::from_millis(800));
            }
            last == Some(0)
        },
    );
    eprintln!(
        "discover-txn: txn-old's producer state expired after {:.1?}",
        started.elapsed()
    );

    // A transaction in progress while discover runs (one committed before it).
    let live = transactional_producer(&config, "live-producer");
    live.begin_transaction().unwrap();
    send(&live, "txn-live", 3, 5);
    live.commit_transaction(Duration::from_secs(30)).unwrap();
    live.begin_transaction().unwrap();
    send(&live, "txn-live", 3, 5);

    let dir = tempfile::tempdir().unwrap();
    let (out, inv) = discover(cluster.bootstrap(), &dir.path().join("plain"), &[]);
    eprintln!(
        "discover-txn: discover (PLAINTEXT) done after {:.1?}",
        started.elapsed()
    );
    live.commit_transaction(Duration::from_secs(30)).unwrap();

    // plan on what discover read: transactional writers and the Streams application's internal
    // topics stay classic, each with its reason; a topic read as free of transactions goes
    // diskless saying so.
    let plan = plan(
        &dir.path().join("plain").join("inventory.json"),
        &dir.path().join("plan"),
        &["txn-live", "txn-none", REPARTITION, CHANGELOG],
    );
    let decision = |name: &str| {
        let t = plan["topics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name)
            .unwrap_or_else(|| panic!("{name} not in the plan"));
        (
            t["decision"].as_str().unwrap().to_owned(),
            t["reason"].as_str().unwrap().to_owned(),
        )
    };
    let (d, reason) = decision("txn-live");
    assert_eq!(d, "classic", "{reason}");
    assert!(reason.starts_with("transactional writes seen ("), "{reason}");
    let (d, reason) = decision("txn-none");
    assert_eq!(d, "diskless", "{reason}");
    assert!(
        reason.contains("no transactional writers in the producer state of 3 partitions"),
        "{reason}"
    );
    let (d, reason) = decision(REPARTITION);
    assert_eq!(d, "classic", "{reason}");
    assert!(
        reason.starts_with("internal topic of Kafka Streams application wordcount-app (repartition"),
        "{reason}"
    );
    let (d, reason) = decision(CHANGELOG);
    assert_eq!(d, "classic", "{reason}");
    assert!(
        reason.starts_with("internal topic of Kafka Streams application wordcount-app (changelog"),
        "{reason}"
    );

    // One DescribeProducers per partition leader, one Fetch per leader of a partition with
    // records.
    let stderr = String::from_utf8_lossy(&out.stderr);
    let leaders: std::collections::BTreeSet<i32> = inv
        .topics
        .iter()
        .flat_map(|t| t.partitions.iter().filter_map(|p| p.leader))
        .collect();
    assert_eq!(
        stderr.matches("wire: sent DescribeProducers v0 ").count(),
        leaders.len()
    );
    assert!(stderr.matches("wire: sent Fetch v12 ").count() <= leaders.len());

    let t = topic(&inv, "txn-live");
    let e = t.transactional_evidence.as_ref().unwrap();
    assert_eq!(t.transactional, Some(true), "{e:?}");
    assert!(e.transactional_producers >= 1, "{e:?}");
    assert!(e.transactional_batches >= 1, "{e:?}");
    assert_eq!((e.producer_state_partitions, e.tail_partitions), (3, 3));

    let t = topic(&inv, "txn-none");
    let e = t.transactional_evidence.as_ref().unwrap();
    assert_eq!(t.transactional, Some(false), "{e:?}");
    assert_eq!((e.producer_state_partitions, e.tail_partitions), (3, 3));
    assert_eq!((e.transactional_producers, e.transactional_batches), (0, 0));
    assert_eq!(e.tail_offsets, 50, "the tail read covers every record: {e:?}");
    assert!(e.tail_batches >= 3, "{e:?}");

    let t = topic(&inv, "txn-empty");
    let e = t.transactional_evidence.as_ref().unwrap();
    assert_eq!(t.transactional, Some(false), "{e:?}");
    assert_eq!((e.tail_partitions, e.tail_offsets, e.tail_batches), (2, 0, 0));

    let t = topic(&inv, "txn-old");
    let e = t.transactional_evidence.as_ref().unwrap();
    assert_eq!(t.transactional, Some(true), "{e:?}");
    assert_eq!(e.transactional_producers, 0, "the producer state expired: {e:?}");
    // A data batch and a commit marker per partition.
    assert!(e.transactional_batches >= 4, "{e:?}");

    // The super user reads txn-secret.
    assert_eq!(topic(&inv, "txn-secret").transactional, Some(false));
    assert!(
        !inv.gaps.iter().any(|g| g.fact == "transactional"),
        "{:?}",
        inv.gaps
    );

    let group = inv
        .consumer_groups
        .iter()
        .find(|g| g.id == "wordcount-app")
        .unwrap();
    assert_eq!(group.assignment_strategy.as_deref(), Some("stream"));
    assert_eq!(group.streams_application_id.as_deref(), Some("wordcount-app"));
    drop(member);

    // A principal without Read on txn-secret: unknown, and the gap says why.
    let properties = dir.path().join("client.properties");
    std::fs::write(&properties, cluster.java_client_properties(Listener::SaslSsl)).unwrap();
    let (_, inv) = discover(
        cluster.address(Listener::SaslSsl).unwrap(),
        &dir.path().join("sasl"),
        &["--command-config", properties.to_str().unwrap()],
    );
    eprintln!(
        "discover-txn: discover (SASL_SSL) done after {:.1?}",
        started.elapsed()
    );
    let secret = topic(&inv, "txn-secret");
    assert_eq!(secret.transactional, None);
    assert_eq!(secret.transactional_evidence, None);
    let gap = inv
        .gaps
        .iter()
        .find(|g| g.fact == "transactional" && g.subject.as_deref() == Some("txn-secret"))
        .unwrap_or_else(|| panic!("no transactional gap for txn-secret: {:?}", inv.gaps));
    assert!(
        gap.reason
            .contains("DescribeProducers: not authorized: TOPIC_AUTHORIZATION_FAILED (29)")
            && gap
                .reason
                .contains("tail read: not authorized: TOPIC_AUTHORIZATION_FAILED (29)"),
        "{}",
        gap.reason
    );
    assert_eq!(topic(&inv, "txn-none").transactional, Some(false));
    assert_eq!(topic(&inv, "txn-old").transactional, Some(true));
    eprintln!("discover-txn: done after {:.1?}", started.elapsed());
}
