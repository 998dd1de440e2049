//! Records in and out of a test cluster through rdkafka: creating topics, producing keyed
//! records, reading a whole topic back, counting records, and probing whether a client
//! configuration can talk to a cluster (and why not).

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::{ClientContext, DefaultClientContext};
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::message::{DeliveryResult, Message};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer, ProducerContext};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{ClientConfig, Offset, TopicPartitionList};

/// One record read back from a topic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Partition it was read from.
    pub partition: i32,
    /// Its offset in that partition.
    pub offset: i64,
    /// Key bytes, if any.
    pub key: Option<Vec<u8>>,
    /// Value bytes, if any.
    pub value: Option<Vec<u8>>,
}

impl Record {
    /// The key as UTF-8 text (lossy); empty when there is no key.
    pub fn key_text(&self) -> String {
        self.key
            .as_deref()
            .map(String::from_utf8_lossy)
            .unwrap_or_default()
            .into_owned()
    }
}

/// Creates `topic` with `partitions` partitions, the cluster's default replication factor (3 on
/// the test bed's three-broker clusters) and the given topic configs; panics if the broker
/// refuses.
pub fn create_topic(config: &ClientConfig, topic: &str, partitions: i32, configs: &[(&str, &str)]) {
    create_topic_replicated(config, topic, partitions, -1, configs);
}

/// A topic to create: name, partitions, configs.
pub type TopicSpec<'a> = (&'a str, i32, &'a [(&'a str, &'a str)]);

/// Creates many topics with one request; the cluster's default replication.
pub fn create_topics(config: &ClientConfig, topics: &[TopicSpec<'_>]) {
    let admin: AdminClient<DefaultClientContext> = config.create().expect("create an admin client");
    let new_topics: Vec<NewTopic<'_>> = topics
        .iter()
        .map(|(name, partitions, configs)| {
            let mut topic = NewTopic::new(name, *partitions, TopicReplication::Fixed(-1));
            for (k, v) in configs.iter() {
                topic = topic.set(k, v);
            }
            topic
        })
        .collect();
    let options = AdminOptions::new().operation_timeout(Some(Duration::from_secs(60)));
    let results = super::block_on(admin.create_topics(&new_topics, &options))
        .unwrap_or_else(|e| panic!("creating {} topics failed: {e}", topics.len()));
    for result in results {
        match result {
            Ok(_) => {}
            // A request retried after a slow answer (a loaded machine) finds its own topic.
            Err((name, RDKafkaErrorCode::TopicAlreadyExists))
                if topics
                    .iter()
                    .any(|(n, p, _)| *n == name && partition_count(config, &name) == Some(*p)) => {}
            Err((name, code)) => panic!("creating topic {name} failed: {code}"),
        }
    }
}

/// As [`create_topic`], with `replication` replicas (`-1`: the cluster's default).
pub fn create_topic_replicated(
    config: &ClientConfig,
    topic: &str,
    partitions: i32,
    replication: i32,
    configs: &[(&str, &str)],
) {
    let admin: AdminClient<DefaultClientContext> = config.create().expect("create an admin client");
    let mut new_topic = NewTopic::new(topic, partitions, TopicReplication::Fixed(replication));
    for (k, v) in configs {
        new_topic = new_topic.set(k, v);
    }
    let options = AdminOptions::new().operation_timeout(Some(Duration::from_secs(30)));
    let results = super::block_on(admin.create_topics([&new_topic], &options))
        .unwrap_or_else(|e| panic!("creating topic {topic} failed: {e}"));
    for result in results {
        match result {
            Ok(_) => {}
            // A request retried after a slow answer (a loaded machine) finds its own topic.
            Err((name, RDKafkaErrorCode::TopicAlreadyExists))
                if partition_count(config, &name) == Some(partitions) => {}
            Err((name, code)) => panic!("creating topic {name} failed: {code}"),
        }
    }
}

/// The number of partitions of `topic`, when the cluster knows it.
fn partition_count(config: &ClientConfig, topic: &str) -> Option<i32> {
    let consumer: BaseConsumer = config.create().ok()?;
    let metadata = consumer
        .fetch_metadata(Some(topic), Duration::from_secs(30))
        .ok()?;
    let found = metadata.topics().iter().find(|t| t.name() == topic)?;
    i32::try_from(found.partitions().len()).ok()
}

/// The key of record `index` as [`produce_keyed`] writes it.
pub fn key_for(index: usize) -> String {
    format!("key-{index:06}")
}

/// Produces `count` records with distinct keys ([`key_for`]) and values `value-<index>` to
/// `topic`, waits until all are acknowledged (`acks=all`), and returns the keys.
pub fn produce_keyed(config: &ClientConfig, topic: &str, count: usize) -> Vec<String> {
    let context = DeliveryCounter::default();
    let mut config = config.clone();
    config
        .set("acks", "all")
        .set("linger.ms", "5")
        .set("enable.idempotence", "true");
    let producer: BaseProducer<DeliveryCounter> =
        config.create_with_context(context).expect("create a producer");
    let keys: Vec<String> = (0..count).map(key_for).collect();
    for (index, key) in keys.iter().enumerate() {
        let value = format!("value-{index}");
        let mut record = BaseRecord::to(topic).key(key.as_str()).payload(value.as_str());
        loop {
            match producer.send(record) {
                Ok(()) => break,
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), r)) => {
                    record = r;
                    producer.poll(Duration::from_millis(50));
                }
                Err((e, _)) => panic!("producing to {topic} failed: {e}"),
            }
        }
        producer.poll(Duration::ZERO);
    }
    producer
        .flush(Duration::from_secs(60))
        .expect("flush the producer");
    let context = producer.context();
    let failures = context.failed.lock().unwrap();
    assert!(
        failures.is_empty(),
        "{} records failed, first: {}",
        failures.len(),
        failures[0]
    );
    assert_eq!(
        context.delivered.load(Ordering::SeqCst),
        count,
        "not every record was acknowledged"
    );
    keys
}

/// Reads every record of `topic` up to the high watermarks current at the call; panics if
/// that takes longer than `timeout`.
pub fn consume_all(config: &ClientConfig, topic: &str, timeout: Duration) -> Vec<Record> {
    let deadline = Instant::now() + timeout;
    let consumer = reader(config);
    // Right after a topic is created, its partitions may have no leader for a moment.
    let ends = loop {
        match watermarks(&consumer, topic) {
            Ok(Some(ends)) => break ends,
            Ok(None) => panic!("topic {topic} does not exist"),
            Err(e) if Instant::now() >= deadline => panic!("reading the watermarks of {topic}: {e}"),
            Err(_) => std::thread::sleep(Duration::from_millis(200)),
        }
    };
    let mut assignment = TopicPartitionList::new();
    let mut remaining: HashMap<i32, i64> = HashMap::new();
    for (partition, (low, high)) in &ends {
        assignment
            .add_partition_offset(topic, *partition, Offset::Offset(*low))
            .expect("assignment");
        if high > low {
            remaining.insert(*partition, *high);
        }
    }
    consumer.assign(&assignment).expect("assign partitions");
    let mut records = Vec::new();
    while !remaining.is_empty() {
        assert!(
            Instant::now() < deadline,
            "reading {topic}: {} records read, partitions not finished: {remaining:?}",
            records.len()
        );
        let Some(message) = consumer.poll(Duration::from_millis(200)) else {
            continue;
        };
        let message = message.unwrap_or_else(|e| panic!("reading {topic} failed: {e}"));
        let (partition, offset) = (message.partition(), message.offset());
        if let Some(&high) = remaining.get(&partition) {
            if offset < high {
                records.push(Record {
                    partition,
                    offset,
                    key: message.key().map(<[u8]>::to_vec),
                    value: message.payload().map(<[u8]>::to_vec),
                });
            }
            if offset + 1 >= high {
                remaining.remove(&partition);
            }
        }
    }
    records
}

/// Number of records in `topic` (sum of high minus low watermarks), or `None` when the topic
/// does not exist or its partitions cannot be asked yet (e.g. no leader right after creation).
pub fn record_count(config: &ClientConfig, topic: &str) -> Option<i64> {
    let consumer = reader(config);
    let marks = watermarks(&consumer, topic).ok()??;
    Some(marks.values().map(|(low, high)| high - low).sum())
}

/// Connects with `config` and fetches cluster metadata. Returns the number of brokers, or
/// every error the client saw (e.g. `SASL authentication error`, `SSL handshake failed`).
pub fn probe(config: &ClientConfig, timeout: Duration) -> Result<usize, String> {
    let mut config = config.clone();
    config.set("socket.timeout.ms", "5000");
    let client: BaseProducer<ErrorCollector> = config
        .create_with_context(ErrorCollector::default())
        .map_err(|e| format!("cannot create client: {e}"))?;
    let result = client.client().fetch_metadata(None, timeout);
    // Serve the client's event queue so reported errors reach the context.
    client.poll(Duration::from_millis(300));
    match result {
        Ok(metadata) => Ok(metadata.brokers().len()),
        Err(e) => {
            let seen = client.context().errors.lock().unwrap().join("; ");
            Err(format!("{e}; client errors: [{seen}]"))
        }
    }
}

/// A consumer for reading whole topics (its own group id, no commits).
fn reader(config: &ClientConfig) -> BaseConsumer {
    let mut config = config.clone();
    let group = format!("testbed-reader-{:x}", RandomState::new().hash_one(0u8));
    config
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .set("enable.partition.eof", "false")
        .set("auto.offset.reset", "earliest");
    config.create().expect("create a consumer")
}

/// Low and high watermarks by partition; `Ok(None)` when the topic does not exist, `Err` when
/// the cluster cannot tell now.
fn watermarks(consumer: &BaseConsumer, topic: &str) -> Result<Option<Watermarks>, String> {
    let metadata = consumer
        .fetch_metadata(Some(topic), Duration::from_secs(10))
        .map_err(|e| format!("metadata of {topic}: {e}"))?;
    let Some(topic_metadata) = metadata.topics().iter().find(|t| t.name() == topic) else {
        return Ok(None);
    };
    match topic_metadata.error().map(RDKafkaErrorCode::from) {
        Some(RDKafkaErrorCode::UnknownTopicOrPartition) => return Ok(None),
        Some(code) => return Err(format!("metadata of {topic}: {code}")),
        None if topic_metadata.partitions().is_empty() => return Ok(None),
        None => {}
    }
    let mut marks = HashMap::new();
    for partition in topic_metadata.partitions() {
        let (low, high) = consumer
            .fetch_watermarks(topic, partition.id(), Duration::from_secs(10))
            .map_err(|e| format!("watermarks of {topic}/{}: {e}", partition.id()))?;
        marks.insert(partition.id(), (low, high));
    }
    Ok(Some(marks))
}

/// Low and high watermark of each partition, by partition id.
type Watermarks = HashMap<i32, (i64, i64)>;

/// Counts acknowledged records and keeps the errors of failed ones.
#[derive(Default)]
struct DeliveryCounter {
    delivered: AtomicUsize,
    failed: Mutex<Vec<String>>,
}

impl ClientContext for DeliveryCounter {}

impl ProducerContext for DeliveryCounter {
    type DeliveryOpaque = ();

    fn delivery(&self, result: &DeliveryResult<'_>, _opaque: ()) {
        match result {
            Ok(_) => {
                self.delivered.fetch_add(1, Ordering::SeqCst);
            }
            Err((e, _)) => self.failed.lock().unwrap().push(e.to_string()),
        }
    }
}

/// Keeps every error librdkafka reports through the client context.
#[derive(Default)]
struct ErrorCollector {
    errors: Mutex<Vec<String>>,
}

impl ClientContext for ErrorCollector {
    fn error(&self, error: KafkaError, reason: &str) {
        let message = format!("{error}: {reason}");
        let mut errors = self.errors.lock().unwrap();
        if !errors.contains(&message) {
            errors.push(message);
        }
    }
}

impl ProducerContext for ErrorCollector {
    type DeliveryOpaque = ();

    fn delivery(&self, _result: &DeliveryResult<'_>, _opaque: ()) {}
}

/// Commits `offsets` for the consumer's group, retrying for up to 30 s: right after a cluster
/// starts, the group coordinator may still be loading or moving (`NOT_COORDINATOR`,
/// `COORDINATOR_LOAD_IN_PROGRESS`), which clients retry.
pub fn commit_retrying(consumer: &BaseConsumer, offsets: &TopicPartitionList) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match consumer.commit(offsets, CommitMode::Sync) {
            Ok(()) => return,
            Err(e) if Instant::now() < deadline => {
                eprintln!("commit refused ({e}); retrying");
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(e) => panic!("commit failed for 30 s: {e}"),
        }
    }
}

/// Produces `count` records to one partition.
pub fn produce_to(config: &ClientConfig, topic: &str, partition: i32, count: usize) {
    let producer: BaseProducer = config.create().unwrap();
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
    producer.flush(Duration::from_secs(30)).unwrap();
}

/// Commits offsets for a group without joining it (the group is then `Empty`).
pub fn commit(config: &ClientConfig, group: &str, topic: &str, offsets: &[(i32, i64)]) {
    let consumer: BaseConsumer = config.clone().set("group.id", group).create().unwrap();
    let mut tpl = TopicPartitionList::new();
    for &(p, o) in offsets {
        tpl.add_partition_offset(topic, p, Offset::Offset(o)).unwrap();
    }
    commit_retrying(&consumer, &tpl);
}

/// The group's committed offsets for the partitions (`None` where there is none).
pub fn committed(config: &ClientConfig, group: &str, topic: &str, partitions: i32) -> Vec<Option<i64>> {
    let consumer: BaseConsumer = config.clone().set("group.id", group).create().unwrap();
    let mut tpl = TopicPartitionList::new();
    for p in 0..partitions {
        tpl.add_partition(topic, p);
    }
    match consumer.committed_offsets(tpl, Duration::from_secs(10)) {
        Ok(list) => list
            .elements()
            .iter()
            .map(|e| match e.offset() {
                Offset::Offset(o) => Some(o),
                _ => None,
            })
            .collect(),
        Err(_) => vec![None; partitions as usize],
    }
}
