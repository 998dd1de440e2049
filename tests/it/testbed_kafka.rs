//! Proves the Kafka part of the test bed: real KRaft clusters start, MirrorMaker 2 copies a
//! topic between two of them, and the SASL_SSL (SCRAM-SHA-512) and mTLS listeners accept the
//! right clients and refuse the wrong ones.

use crate::support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use support::kafka::{ClusterOptions, KafkaCluster, Listener};
use support::mm2::{MirrorMaker, fast_properties, quick_offset_commits};
use support::records::{consume_all, create_topic, probe, produce_keyed, record_count};
use support::run_kafka_tool;

#[test]
fn two_independent_clusters_start() {
    let started = Instant::now();
    let clusters = KafkaCluster::start_many(vec![ClusterOptions::new("a"), ClusterOptions::new("b")]);
    eprintln!(
        "testbed: started 2 KRaft clusters concurrently in {:.1?}",
        started.elapsed()
    );
    for cluster in &clusters {
        let brokers = probe(
            &cluster.client_config(Listener::Plaintext),
            Duration::from_secs(10),
        )
        .unwrap_or_else(|e| panic!("cluster {} does not answer: {e}", cluster.name()));
        eprintln!(
            "testbed: cluster {} at {} (pids {:?}, {} brokers, ready after {:.1?})",
            cluster.name(),
            cluster.bootstrap(),
            cluster.pids(),
            brokers,
            cluster.startup_time()
        );
        assert_eq!(brokers, 3, "the test bed's clusters have three brokers");
    }
    assert_ne!(clusters[0].bootstrap(), clusters[1].bootstrap());

    // The Kafka CLI tools run from the same jars (the baseline for benchmarks).
    let a = &clusters[0];
    create_topic(
        &a.client_config(Listener::Plaintext),
        "listed",
        2,
        &[("retention.ms", "3600000")],
    );
    let started = Instant::now();
    let listing = run_kafka_tool(
        "org.apache.kafka.tools.TopicCommand",
        &[
            "--bootstrap-server",
            a.bootstrap(),
            "--describe",
            "--topic",
            "listed",
        ],
    );
    eprintln!(
        "testbed: kafka-topics --describe took {:.1?}:\n{}",
        started.elapsed(),
        listing.trim_end()
    );
    assert!(
        listing.contains("PartitionCount: 2"),
        "unexpected kafka-topics output: {listing}"
    );
    assert!(
        listing.contains("retention.ms=3600000"),
        "unexpected kafka-topics output: {listing}"
    );
}

#[test]
fn mirror_maker_copies_a_topic_under_the_same_name() {
    const TOPIC: &str = "smoke";
    const COUNT: usize = 1_000;
    let clusters = KafkaCluster::start_many(vec![ClusterOptions::new("src"), ClusterOptions::new("dst")]);
    let (source, target) = (&clusters[0], &clusters[1]);
    eprintln!(
        "testbed: source {} target {}",
        source.bootstrap(),
        target.bootstrap()
    );

    let source_config = source.client_config(Listener::Plaintext);
    create_topic(&source_config, TOPIC, 3, &[]);
    let produced: BTreeSet<String> = produce_keyed(&source_config, TOPIC, COUNT).into_iter().collect();
    eprintln!(
        "testbed: produced {} keyed records to {TOPIC} on the source",
        produced.len()
    );

    let properties = format!(
        "clusters = source, target\n\
         source.bootstrap.servers = {}\n\
         target.bootstrap.servers = {}\n\
         source->target.enabled = true\n\
         source->target.topics = {TOPIC}\n\
         target->source.enabled = false\n\
         replication.policy.class = org.apache.kafka.connect.mirror.IdentityReplicationPolicy\n\
         {}",
        source.bootstrap(),
        target.bootstrap(),
        fast_properties(3, &["source", "target"]) + &quick_offset_commits(&["source", "target"])
    );
    let started = Instant::now();
    let mut mm2 = MirrorMaker::start(&properties);
    eprintln!(
        "testbed: MirrorMaker 2 started (pid {}), waiting for {COUNT} records",
        mm2.pid()
    );

    let target_config = target.client_config(Listener::Plaintext);
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        mm2.assert_running();
        let copied = record_count(&target_config, TOPIC);
        if copied.is_some_and(|n| n >= COUNT as i64) {
            break;
        }
        if Instant::now() >= deadline {
            mm2.print_log_tails();
            panic!("MirrorMaker 2 copied {copied:?} of {COUNT} records of {TOPIC} within 120 s");
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    eprintln!(
        "testbed: {COUNT} records reached the target after {:.1?}",
        started.elapsed()
    );

    let records = consume_all(&target_config, TOPIC, Duration::from_secs(60));
    let copied: BTreeSet<String> = records.iter().map(|r| r.key_text()).collect();
    assert_eq!(
        records.len(),
        COUNT,
        "the target holds duplicates or extra records"
    );
    assert_eq!(copied, produced, "the target's keys differ from the source's");
    eprintln!("testbed: read back all {COUNT} distinct keys from {TOPIC} on the target");
}

#[test]
fn sasl_scram_and_mtls_listeners_check_credentials() {
    let cluster = KafkaCluster::start(ClusterOptions::new("secure").with_sasl_ssl().with_mtls());
    let user = &cluster.scram_users()[0];
    eprintln!(
        "testbed: secure cluster ready after {:.1?}: SASL_SSL {} (user {}), mTLS {}, CA {}",
        cluster.startup_time(),
        cluster.address(Listener::SaslSsl).unwrap(),
        user.name,
        cluster.address(Listener::Mtls).unwrap(),
        cluster.tls().unwrap().ca_cert.display()
    );
    let timeout = Duration::from_secs(10);

    let brokers = probe(&cluster.client_config(Listener::SaslSsl), timeout)
        .unwrap_or_else(|e| panic!("SCRAM-SHA-512 client refused: {e}"));
    assert_eq!(brokers, 3);
    eprintln!("testbed: SASL_SSL + SCRAM-SHA-512 client fetched metadata");

    let mut wrong = cluster.client_config(Listener::SaslSsl);
    wrong.set("sasl.password", "not-the-password");
    let error = probe(&wrong, timeout).expect_err("a wrong SCRAM password was accepted");
    assert!(
        error.contains("Authentication failed"),
        "expected an authentication error, got: {error}"
    );
    eprintln!("testbed: wrong SCRAM password rejected: {error}");

    let brokers = probe(&cluster.client_config(Listener::Mtls), timeout)
        .unwrap_or_else(|e| panic!("client with a certificate refused: {e}"));
    assert_eq!(brokers, 3);
    eprintln!("testbed: mTLS client with a certificate fetched metadata");

    let mut anonymous = cluster.client_config(Listener::Mtls);
    anonymous
        .remove("ssl.certificate.location")
        .remove("ssl.key.location");
    let error = probe(&anonymous, timeout).expect_err("a client without a certificate was accepted");
    assert!(
        error.contains("SSL"),
        "expected a TLS handshake failure, got: {error}"
    );
    eprintln!("testbed: mTLS client without a certificate rejected: {error}");

    // The Java client properties work for the CLI tools on both secured listeners.
    create_topic(&cluster.client_config(Listener::SaslSsl), "secured", 1, &[]);
    for listener in [Listener::SaslSsl, Listener::Mtls] {
        let config = cluster.dir().join(format!("{listener:?}.properties"));
        std::fs::write(&config, cluster.java_client_properties(listener)).unwrap();
        let listing = run_kafka_tool(
            "org.apache.kafka.tools.TopicCommand",
            &[
                "--bootstrap-server",
                cluster.address(listener).unwrap(),
                "--command-config",
                config.to_str().unwrap(),
                "--list",
            ],
        );
        assert!(
            listing.lines().any(|l| l == "secured"),
            "kafka-topics over {listener:?} listed: {listing}"
        );
        eprintln!("testbed: kafka-topics --list over {listener:?} with Java client properties works");
    }
}
