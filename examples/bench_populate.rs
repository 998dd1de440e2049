//! Fills a test cluster for `benches/discover.sh`: TOPICS topics of PARTITIONS partitions
//! (created in batches), one record in every partition, and GROUPS consumer groups that each
//! commit offsets on one topic's partitions.
//!
//!     cargo run --release --example bench_populate -- BOOTSTRAP TOPICS PARTITIONS GROUPS

use std::thread;
use std::time::Duration;

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};

use diskless_migrator::kafka::block_on;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, bootstrap, topics, partitions, groups] = &args[..] else {
        eprintln!("usage: bench_populate BOOTSTRAP TOPICS PARTITIONS GROUPS");
        std::process::exit(2);
    };
    let (topics, partitions, groups): (usize, i32, usize) = (
        topics.parse().unwrap(),
        partitions.parse().unwrap(),
        groups.parse().unwrap(),
    );
    let mut config = ClientConfig::new();
    config.set("bootstrap.servers", bootstrap);
    let names: Vec<String> = (0..topics).map(|i| format!("bench-{i:05}")).collect();

    let admin: AdminClient<DefaultClientContext> = config.create().unwrap();
    let options = AdminOptions::new().operation_timeout(Some(Duration::from_secs(120)));
    for chunk in names.chunks(250) {
        let new: Vec<NewTopic> = chunk
            .iter()
            .map(|n| NewTopic::new(n, partitions, TopicReplication::Fixed(-1)))
            .collect();
        for result in block_on(admin.create_topics(&new, &options)).unwrap() {
            if let Err((name, code)) = result {
                if code != rdkafka::types::RDKafkaErrorCode::TopicAlreadyExists {
                    panic!("create {name}: {code:?}");
                }
            }
        }
    }
    eprintln!("bench_populate: {topics} topics x {partitions} partitions");

    let producer: BaseProducer = config.clone().set("linger.ms", "50").create().unwrap();
    for name in &names {
        for p in 0..partitions {
            let mut record = BaseRecord::to(name).partition(p).key("k").payload("bench-record");
            while let Err((_, r)) = producer.send(record) {
                record = r;
                producer.poll(Duration::from_millis(20));
            }
        }
        producer.poll(Duration::ZERO);
    }
    producer.flush(Duration::from_secs(600)).unwrap();
    eprintln!("bench_populate: one record per partition");

    for g in 0..groups {
        let consumer: BaseConsumer = config
            .clone()
            .set("group.id", format!("bench-group-{g:05}"))
            .create()
            .unwrap();
        let mut list = TopicPartitionList::new();
        for p in 0..partitions {
            list.add_partition_offset(&names[g % names.len()], p, Offset::Offset(1))
                .unwrap();
        }
        // The first commits wait for the offsets topic and its coordinator: retry.
        let mut tries = 0;
        while let Err(e) = consumer.commit(&list, CommitMode::Sync) {
            tries += 1;
            assert!(tries < 60, "commit for group {g}: {e}");
            thread::sleep(Duration::from_millis(500));
        }
    }
    eprintln!("bench_populate: {groups} groups with committed offsets");
}
