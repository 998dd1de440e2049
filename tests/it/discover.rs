//! `discover` against real Kafka clusters of the test bed: the facts in inventory.json are
//! exactly those the test created, the import of the real CLI tools' files agrees with a live
//! discovery, secrets never reach an output, and bad input fails with the documented exit code.

use crate::support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use diskless_migrator::inventory::{ConfigSource, Inventory, Topic};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use support::kafka::{ClusterOptions, KafkaCluster, Listener};
use support::records::{create_topic, produce_keyed};
use support::run_kafka_tool;

fn discover(args: &[&str]) -> Output {
    Command::cargo_bin("diskless-migrator")
        .unwrap()
        .arg("discover")
        .args(args)
        .env_remove("KAFKA_BOOTSTRAP_SERVER")
        .env_remove("KAFKA_USER")
        .env_remove("KAFKA_PASS")
        .env_remove("CA_PATH")
        .output()
        .unwrap()
}

/// Writes `properties` to `<dir>/<name>.properties` and runs `discover` with it as
/// `--command-config` (then `extra`) into `<dir>/<name>`; returns the run and that folder.
fn discover_with(dir: &Path, name: &str, properties: &str, extra: &[&str]) -> (Output, PathBuf) {
    let file = dir.join(format!("{name}.properties"));
    std::fs::write(&file, properties).unwrap();
    let out_dir = dir.join(name);
    let mut args = vec!["--command-config", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.extend(["--out", out_dir.to_str().unwrap()]);
    (discover(&args), out_dir)
}

fn read(dir: &Path) -> Inventory {
    serde_json::from_str(&std::fs::read_to_string(dir.join("inventory.json")).unwrap()).unwrap()
}

fn topic<'a>(inv: &'a Inventory, name: &str) -> &'a Topic {
    inv.topics.iter().find(|t| t.name == name).unwrap()
}

fn commit(config: &ClientConfig, group: &str, offsets: &[(&str, i32, i64)]) {
    let consumer: BaseConsumer = config.clone().set("group.id", group).create().unwrap();
    let mut list = TopicPartitionList::new();
    for (t, p, o) in offsets {
        list.add_partition_offset(t, *p, Offset::Offset(*o)).unwrap();
    }
    support::records::commit_retrying(&consumer, &list);
}

/// A consumer that stays in its group (Stable, one member) until dropped.
fn active_member(config: &ClientConfig, group: &str, topic: &str) -> BaseConsumer {
    let consumer: BaseConsumer = config
        .clone()
        .set("group.id", group)
        .set("client.id", "discover-test-client")
        .create()
        .unwrap();
    consumer.subscribe(&[topic]).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while consumer.assignment().unwrap().count() == 0 {
        assert!(Instant::now() < deadline, "no assignment for {group}");
        let _ = consumer.poll(Duration::from_millis(200));
    }
    consumer
}

/// Creates the known facts: topics with configs, record counts, group offsets, a classic group
/// and a KIP-848 (`group.protocol=consumer`) group with one member each.
fn populate(config: &ClientConfig) -> [BaseConsumer; 2] {
    create_topic(
        config,
        "orders",
        3,
        &[("cleanup.policy", "compact,delete"), ("retention.ms", "86400000")],
    );
    create_topic(config, "events-2024", 2, &[]);
    produce_keyed(config, "orders", 90);
    produce_keyed(config, "events-2024", 40);
    commit(config, "g-orders", &[("orders", 0, 5), ("orders", 1, 0)]);
    commit(config, "g-events", &[("events-2024", 1, 3)]);
    let classic = active_member(config, "g-active", "events-2024");
    let kip848 = active_member(
        config.clone().set("group.protocol", "consumer"),
        "g-kip848",
        "orders",
    );
    [classic, kip848]
}

fn assert_known_facts(inv: &Inventory) {
    let orders = topic(inv, "orders");
    assert_eq!(orders.partitions.len(), 3);
    assert_eq!(orders.record_count(), Some(90));
    let entry = |name: &str| {
        orders
            .configs
            .as_ref()
            .unwrap()
            .iter()
            .find(|c| c.name == name)
            .unwrap()
            .clone()
    };
    assert_eq!(entry("cleanup.policy").value.as_deref(), Some("compact,delete"));
    assert_eq!(entry("cleanup.policy").source, ConfigSource::DynamicTopic);
    assert_eq!(entry("retention.ms").source, ConfigSource::DynamicTopic);
    assert_eq!(entry("segment.bytes").source, ConfigSource::Default);
    for p in &orders.partitions {
        assert_eq!(p.earliest_offset, Some(0));
        assert_eq!(p.leader, Some(p.replicas[0]));
    }
    // Written by idempotent, non-transactional producers only, and read whole.
    assert_eq!(orders.transactional, Some(false));
    let events = topic(inv, "events-2024");
    assert_eq!(events.record_count(), Some(40));
    assert!(topic(inv, "__consumer_offsets").internal);

    let group = |id: &str| inv.consumer_groups.iter().find(|g| g.id == id).unwrap();
    let offsets = |id: &str| -> Vec<(String, i32, i64)> {
        group(id)
            .offsets
            .iter()
            .flatten()
            .map(|o| (o.topic.clone(), o.partition, o.offset))
            .collect()
    };
    assert_eq!(
        offsets("g-orders"),
        vec![("orders".into(), 0, 5), ("orders".into(), 1, 0)]
    );
    assert_eq!(offsets("g-events"), vec![("events-2024".into(), 1, 3)]);
    assert_eq!(group("g-orders").state.as_deref(), Some("Empty"));
    let active = group("g-active");
    assert_eq!(active.state.as_deref(), Some("Stable"));
    assert_eq!(active.protocol_type.as_deref(), Some("consumer"));
    assert_eq!(active.assignment_strategy.as_deref(), Some("range"));
    assert_eq!(active.coordinator, Some(coordinator_of(inv, "g-active")));
    let members = active.members.as_ref().unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].client_id.as_deref(), Some("discover-test-client"));
    assert_eq!(members[0].assignment.len(), 2);
    assert_eq!(members[0].host.as_deref(), Some("/127.0.0.1"));

    let kip848 = group("g-kip848");
    assert_eq!(kip848.state.as_deref(), Some("Stable"));
    assert_eq!(kip848.protocol_type.as_deref(), Some("consumer"));
    assert_eq!(kip848.assignment_strategy.as_deref(), Some("uniform"));
    assert_eq!(kip848.coordinator, Some(coordinator_of(inv, "g-kip848")));
    let members = kip848.members.as_ref().unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].client_id.as_deref(), Some("discover-test-client"));
    let assigned: Vec<(&str, i32)> = members[0]
        .assignment
        .iter()
        .map(|tp| (tp.topic.as_str(), tp.partition))
        .collect();
    assert_eq!(assigned, vec![("orders", 0), ("orders", 1), ("orders", 2)]);

    assert!(inv.cluster.id.is_some());
    assert_eq!(inv.brokers.len(), 3);
    for broker in &inv.brokers {
        assert!(
            broker.configs.as_ref().is_some_and(|c| c.len() > 100),
            "broker {} has no configs",
            broker.id
        );
        let id = broker.id.to_string();
        let node_id = broker
            .configs
            .iter()
            .flatten()
            .find(|c| c.name == "node.id")
            .and_then(|c| c.value.as_deref());
        assert_eq!(
            node_id,
            Some(id.as_str()),
            "broker {id} answered with another broker's configs"
        );
    }
}

/// The broker that coordinates `group`, as Kafka places it: the leader of the
/// `__consumer_offsets` partition `abs(group.hashCode()) % partitions` (Java's `String.hashCode`).
fn coordinator_of(inv: &Inventory, group: &str) -> i32 {
    let hash = group
        .encode_utf16()
        .fold(0i32, |h, unit| h.wrapping_mul(31).wrapping_add(i32::from(unit)));
    let offsets = topic(inv, "__consumer_offsets");
    // Kafka's `Utils.abs`: `Math.abs`, with `i32::MIN` mapped to 0.
    let partition = hash.checked_abs().unwrap_or(0) % i32::try_from(offsets.partitions.len()).unwrap();
    offsets
        .partitions
        .iter()
        .find(|p| p.partition == partition)
        .and_then(|p| p.leader)
        .expect("the offsets partition has a leader")
}

/// Every partition that holds records has a size, every empty one has size 0, and nothing but
/// the broker version is unknown.
fn assert_sizes_and_no_gaps(inv: &Inventory) {
    for name in ["orders", "events-2024"] {
        for p in &topic(inv, name).partitions {
            let records = p.latest_offset.unwrap() - p.earliest_offset.unwrap();
            let size = p
                .size_bytes
                .unwrap_or_else(|| panic!("no size for {name}-{}", p.partition));
            assert_eq!(size > 0, records > 0, "size of {name}-{}", p.partition);
        }
    }
    assert!(
        inv.gaps.iter().all(|g| g.fact == "kafka_version"),
        "{:?}",
        inv.gaps
    );
}

/// The seed's commands, run with the real Kafka CLI tools.
fn seed_files(bootstrap: &str, out: &Path, command_config: Option<&Path>) {
    let config = command_config.map(|p| p.to_str().unwrap().to_owned());
    let run = |class: &str, args: &[&str], file: &str| {
        let mut all = vec!["--bootstrap-server", bootstrap];
        if let Some(c) = &config {
            all.extend(["--command-config", c.as_str()]);
        }
        all.extend(args);
        std::fs::write(out.join(file), run_kafka_tool(class, &all)).unwrap();
    };
    let groups = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";
    run(
        groups,
        &["--describe", "--all-groups"],
        "consumer_groups_source.txt",
    );
    run(
        groups,
        &["--describe", "--all-groups", "--state"],
        "consumer_groups_state_source.txt",
    );
    run(
        "org.apache.kafka.tools.TopicCommand",
        &["--describe"],
        "topics_list_source.txt",
    );
    run(
        "org.apache.kafka.tools.ConfigCommand",
        &["--describe", "--entity-type", "brokers", "--all"],
        "kafka_broker_configs.txt",
    );
    run(
        "org.apache.kafka.tools.LogDirsCommand",
        &["--describe"],
        "topics_offsets_source.json",
    );
}

/// Every fact the import carries equals the live one.
fn assert_import_agrees(imported: &Inventory, live: &Inventory, with_sizes: bool) {
    assert_eq!(imported.topics.len(), live.topics.len());
    for t in &imported.topics {
        let l = topic(live, &t.name);
        assert_eq!(t.id, l.id, "{}", t.name);
        assert_eq!(t.internal, l.internal, "{}", t.name);
        let live_configs: BTreeMap<_, _> = l
            .configs
            .iter()
            .flatten()
            .map(|c| (c.name.as_str(), c.value.as_deref()))
            .collect();
        for c in t.configs.iter().flatten() {
            assert_eq!(
                live_configs.get(c.name.as_str()),
                Some(&c.value.as_deref()),
                "{}",
                c.name
            );
        }
        for (p, q) in t.partitions.iter().zip(&l.partitions) {
            assert_eq!(
                (p.partition, p.leader, &p.replicas, &p.isr),
                (q.partition, q.leader, &q.replicas, &q.isr)
            );
            if let Some(end) = p.latest_offset {
                assert_eq!(Some(end), q.latest_offset, "{}-{}", t.name, p.partition);
            }
            if with_sizes {
                assert_eq!(p.size_bytes, q.size_bytes, "{}-{}", t.name, p.partition);
            }
        }
    }
    assert_eq!(imported.consumer_groups.len(), live.consumer_groups.len());
    for g in &imported.consumer_groups {
        let l = live.consumer_groups.iter().find(|x| x.id == g.id).unwrap();
        assert_eq!(g.state, l.state, "{}", g.id);
        assert_eq!(g.offsets, l.offsets, "{}", g.id);
        assert_eq!(g.coordinator, l.coordinator, "{}", g.id);
        assert_eq!(g.assignment_strategy, l.assignment_strategy, "{}", g.id);
        let members = |m: &Option<Vec<diskless_migrator::inventory::Member>>| {
            m.iter()
                .flatten()
                .map(|m| (m.member_id.clone(), m.client_id.clone(), m.assignment.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(members(&g.members), members(&l.members), "{}", g.id);
    }
    for b in &imported.brokers {
        let l = live.brokers.iter().find(|x| x.id == b.id).unwrap();
        assert_eq!(b.rack, l.rack);
        let live_configs: BTreeMap<_, _> = l.configs.iter().flatten().map(|c| (c.name.as_str(), c)).collect();
        for c in b.configs.iter().flatten() {
            let Some(lc) = live_configs.get(c.name.as_str()) else {
                continue;
            };
            assert_eq!(c.value, lc.value, "{}", c.name);
            if c.source != ConfigSource::Unknown {
                assert_eq!(c.source, lc.source, "{}", c.name);
            }
        }
    }
}

#[test]
fn plaintext_cluster_live_and_legacy_import() {
    let cluster = KafkaCluster::start(
        ClusterOptions::new("discover-plain").with_broker_property("broker.rack", "rack-a"),
    );
    let config = cluster.client_config(Listener::Plaintext);
    let dir = tempfile::tempdir().unwrap();

    // Before any group: the cluster has no `__consumer_offsets`, so there is no coordinator to
    // check, and the listing settles on no groups at once instead of waiting for one.
    let empty_dir = dir.path().join("empty");
    let out = discover(&[
        "--bootstrap-server",
        cluster.bootstrap(),
        "--out",
        empty_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let empty = read(&empty_dir);
    assert!(empty.consumer_groups.is_empty(), "{:?}", empty.consumer_groups);
    assert!(
        !empty.gaps.iter().any(|g| g.fact == "consumer_groups"),
        "{:?}",
        empty.gaps
    );

    let _member = populate(&config);
    let live_dir = dir.path().join("live");
    let out = discover(&[
        "-v",
        "--bootstrap-server",
        cluster.bootstrap(),
        "--out",
        live_dir.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let live = read(&live_dir);
    // Requests grow with brokers, not groups or partitions: FindCoordinator for all groups at once,
    // one request of each kind per coordinator, sizes once per broker, and earliest and latest
    // offsets once per partition leader.
    let coordinators = |ids: &[&str]| -> usize {
        let set: std::collections::BTreeSet<i32> = ids.iter().map(|g| coordinator_of(&live, g)).collect();
        set.len()
    };
    let leaders: std::collections::BTreeSet<i32> = live
        .topics
        .iter()
        .flat_map(|t| t.partitions.iter().filter_map(|p| p.leader))
        .collect();
    let leaders_of_records: std::collections::BTreeSet<i32> = live
        .topics
        .iter()
        .flat_map(|t| t.partitions.iter())
        .filter(|p| p.latest_offset > p.earliest_offset)
        .filter_map(|p| p.leader)
        .collect();
    // The group listing's rounds each ask every leader of `__consumer_offsets` whether it
    // serves its partitions, once before and once after: at most two requests per broker
    // per round, whatever the number of groups.
    let probes = stderr.matches("coordinator probe: broker ").count();
    let rounds = 2 + stderr.matches("listing groups again").count();
    assert!(
        (2..=2 * 3 * rounds).contains(&probes),
        "{probes} coordinator probes in {rounds} rounds: {stderr}"
    );
    for (api, expected) in [
        // Once to find the coordinators, once more to check none moved while they were read.
        ("FindCoordinator v4", 2),
        (
            "DescribeGroups v5",
            coordinators(&["g-orders", "g-events", "g-active"]) + probes,
        ),
        ("ConsumerGroupDescribe v0", 1),
        (
            "OffsetFetch v8",
            coordinators(&["g-orders", "g-events", "g-active", "g-kip848"]),
        ),
        ("DescribeLogDirs v3", 3),
        ("DescribeAcls v1", 1),
        ("DescribeUserScramCredentials v0", 1),
        ("DescribeClientQuotas v0", 1),
        ("ListOffsets v7", 2 * leaders.len()),
        // Transactional writes: producer states once per leader, and one tail read per leader
        // of a partition that holds records.
        ("DescribeProducers v0", leaders.len()),
        ("Fetch v12", leaders_of_records.len()),
    ] {
        assert_eq!(
            stderr.matches(&format!("wire: sent {api} ")).count(),
            expected,
            "{api}: {stderr}"
        );
    }
    assert_known_facts(&live);
    assert!(live.brokers.iter().all(|b| b.rack.as_deref() == Some("rack-a")));
    assert_sizes_and_no_gaps(&live);
    for file in diskless_migrator::inventory::legacy::FILES {
        assert!(live_dir.join(file).exists(), "{file}");
    }

    // The files the real tools write, imported, agree with the live discovery.
    let seed_dir = dir.path().join("seed");
    std::fs::create_dir_all(&seed_dir).unwrap();
    seed_files(cluster.bootstrap(), &seed_dir, None);
    std::fs::write(
        seed_dir.join("kafka_version.txt"),
        run_kafka_tool("org.apache.kafka.tools.TopicCommand", &["--version"]),
    )
    .unwrap();
    let imported_dir = dir.path().join("imported");
    let out = discover(&[
        "--from-legacy",
        seed_dir.to_str().unwrap(),
        "--out",
        imported_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let imported = read(&imported_dir);
    assert_eq!(imported.cluster.kafka_version.as_deref(), Some("4.4.0"));
    // The seed's files do not tell transactional writes: unknown, and a gap says what to run.
    assert!(imported.topics.iter().all(|t| t.transactional.is_none()));
    assert!(
        imported
            .gaps
            .iter()
            .any(|g| g.fact == "transactional" && g.reason.contains("describe-producers")),
        "{:?}",
        imported.gaps
    );
    assert_import_agrees(&imported, &live, true);

    // The files discover writes read back the same way.
    let again_dir = dir.path().join("again");
    let out = discover(&[
        "--from-legacy",
        live_dir.to_str().unwrap(),
        "--out",
        again_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_import_agrees(&read(&again_dir), &live, true);

    // Sampling measures the records produced during the sample.
    let sample_dir = dir.path().join("sample");
    let producer_config = config.clone();
    let producer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(700));
        produce_keyed(&producer_config, "events-2024", 200);
    });
    let out = discover(&[
        "--bootstrap-server",
        cluster.bootstrap(),
        "--sample",
        "3",
        "--out",
        sample_dir.to_str().unwrap(),
    ]);
    producer.join().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sampled = read(&sample_dir);
    let rate: f64 = topic(&sampled, "events-2024")
        .partitions
        .iter()
        .map(|p| p.throughput.as_ref().unwrap().messages_per_second)
        .sum();
    let seconds = sampled.provenance.sample_seconds.unwrap();
    assert!(
        (rate * seconds - 200.0).abs() < 1.0,
        "rate {rate} over {seconds} s"
    );
    assert!(topic(&sampled, "events-2024").bytes_per_second().unwrap() > 0.0);
}

#[test]
fn secure_clusters_sasl_ssl_and_mtls() {
    let cluster = KafkaCluster::start(ClusterOptions::new("discover-secure").with_sasl_ssl().with_mtls());
    let _member = populate(&cluster.client_config(Listener::Plaintext));
    let dir = tempfile::tempdir().unwrap();
    let password = cluster.scram_users()[0].password.clone();

    for (listener, name) in [(Listener::SaslSsl, "sasl"), (Listener::Mtls, "mtls")] {
        let properties = dir.path().join(format!("{name}.properties"));
        let (out, out_dir) = discover_with(dir.path(), name, &cluster.java_client_properties(listener), &[]);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{name}: {stderr}");
        let inv = read(&out_dir);
        assert_known_facts(&inv);
        // Sizes and group facts come over the own connection, with the same TLS and SASL.
        assert_sizes_and_no_gaps(&inv);
        assert!(!stderr.contains(&password));
        for entry in std::fs::read_dir(&out_dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            assert!(!text.contains(&password), "a secret reached an output file");
        }
        if listener == Listener::SaslSsl {
            // The seed's files of a SASL_SSL cluster import like the live facts.
            let seed_dir = dir.path().join("seed");
            std::fs::create_dir_all(&seed_dir).unwrap();
            seed_files(
                cluster.address(Listener::SaslSsl).unwrap(),
                &seed_dir,
                Some(&properties),
            );
            let imported_dir = dir.path().join("imported");
            let out = discover(&[
                "--from-legacy",
                seed_dir.to_str().unwrap(),
                "--out",
                imported_dir.to_str().unwrap(),
            ]);
            assert!(out.status.success());
            assert_import_agrees(&read(&imported_dir), &inv, true);

            // A wrong password: exit 3, the mechanism named, nothing written, no secret shown.
            let wrong = dir.path().join("wrong.properties");
            std::fs::write(
                &wrong,
                cluster
                    .java_client_properties(listener)
                    .replace(&password, "not-the-password"),
            )
            .unwrap();
            let wrong_dir = dir.path().join("wrong");
            let started = Instant::now();
            let out = discover(&[
                "--command-config",
                wrong.to_str().unwrap(),
                "--timeout",
                "10",
                "--out",
                wrong_dir.to_str().unwrap(),
            ]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(3), "{stderr}");
            assert!(stderr.contains("SCRAM-SHA-512"), "{stderr}");
            assert!(!stderr.contains("not-the-password"), "{stderr}");
            assert!(started.elapsed() < Duration::from_secs(30));
            assert!(!wrong_dir.join("inventory.json").exists());
        }
    }

    // The other SASL mechanisms the broker offers: the own connection (sizes, groups) must
    // authenticate with each, as librdkafka does.
    let scram_512 = cluster.java_client_properties(Listener::SaslSsl);
    for mechanism in ["SCRAM-SHA-256", "PLAIN"] {
        let mut text = scram_512.replace(
            "sasl.mechanism=SCRAM-SHA-512",
            &format!("sasl.mechanism={mechanism}"),
        );
        if mechanism == "PLAIN" {
            text = text.replace(
                "org.apache.kafka.common.security.scram.ScramLoginModule",
                "org.apache.kafka.common.security.plain.PlainLoginModule",
            );
        }
        assert!(text.contains(&format!("sasl.mechanism={mechanism}")));
        let (out, out_dir) = discover_with(dir.path(), mechanism, &text, &[]);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{mechanism}: {stderr}");
        assert!(!stderr.contains(&password), "{mechanism}");
        let inv = read(&out_dir);
        assert_known_facts(&inv);
        assert_sizes_and_no_gaps(&inv);
    }

    // PKCS#12 stores (trust store made by keytool, key store by openssl) work like PEM files,
    // for librdkafka and for the own connection alike.
    let tls = cluster.tls().unwrap();
    let p12 = dir.path().join("p12");
    std::fs::create_dir_all(&p12).unwrap();
    let truststore = p12.join("truststore.p12");
    let keystore = p12.join("keystore.p12");
    let run = |program: &str, args: &[&str]| {
        let out = std::process::Command::new(program).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{program}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(
        "keytool",
        &[
            "-importcert",
            "-noprompt",
            "-alias",
            "testbed-ca",
            "-storetype",
            "PKCS12",
            "-file",
            tls.ca_cert.to_str().unwrap(),
            "-keystore",
            truststore.to_str().unwrap(),
            "-storepass",
            "trust-store-pw",
        ],
    );
    run(
        "openssl",
        &[
            "pkcs12",
            "-export",
            "-name",
            "client",
            "-in",
            tls.client_cert.to_str().unwrap(),
            "-inkey",
            tls.client_key.to_str().unwrap(),
            "-out",
            keystore.to_str().unwrap(),
            "-passout",
            "pass:key-store-pw",
        ],
    );
    let p12_properties = |key_store_password: &str| {
        format!(
            "bootstrap.servers={}\nsecurity.protocol=SSL\n\
             ssl.truststore.type=PKCS12\nssl.truststore.location={}\nssl.truststore.password=trust-store-pw\n\
             ssl.keystore.type=PKCS12\nssl.keystore.location={}\nssl.keystore.password={key_store_password}\n",
            cluster.address(Listener::Mtls).unwrap(),
            truststore.display(),
            keystore.display(),
        )
    };
    let properties = p12.join("client.properties");
    std::fs::write(&properties, p12_properties("key-store-pw")).unwrap();
    let out_dir = dir.path().join("pkcs12");
    let out = discover(&[
        "--command-config",
        properties.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "pkcs12: {stderr}");
    let inv = read(&out_dir);
    assert_known_facts(&inv);
    assert_sizes_and_no_gaps(&inv);
    for entry in std::fs::read_dir(&out_dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(
            !text.contains("store-pw"),
            "a store password reached an output file"
        );
    }

    // A wrong key store password is an input error that names the setting, not the password.
    std::fs::write(&properties, p12_properties("wrong-store-pw")).unwrap();
    let out = discover(&[
        "--command-config",
        properties.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("ssl.keystore.location"), "{stderr}");
    assert!(!stderr.contains("wrong-store-pw"), "{stderr}");
}

/// TLS host-name verification is on by default: a broker whose certificate names another host
/// is refused (exit 3, nothing written) until the client properties turn the check off the way
/// Kafka clients do (`ssl.endpoint.identification.algorithm=` empty); then every fact,
/// sizes from the own connection included, is read.
#[test]
fn host_name_checks_are_on_unless_the_properties_turn_them_off() {
    let cluster = KafkaCluster::start(
        ClusterOptions::new("discover-hostname")
            .with_sasl_ssl()
            .with_server_certificate_for("DNS:broker.invalid"),
    );
    let _member = populate(&cluster.client_config(Listener::Plaintext));
    let dir = tempfile::tempdir().unwrap();
    let properties = cluster.java_client_properties(Listener::SaslSsl);
    let (out, refused_dir) = discover_with(dir.path(), "checked", &properties, &["--timeout", "10"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    let one_line = stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(one_line.contains("certificate verify failed"), "{stderr}");
    assert!(
        one_line.contains("ssl.endpoint.identification.algorithm="),
        "{stderr}"
    );
    assert!(!refused_dir.join("inventory.json").exists());

    let unchecked = format!("{properties}ssl.endpoint.identification.algorithm=\n");
    let (out, out_dir) = discover_with(dir.path(), "unchecked", &unchecked, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let inv = read(&out_dir);
    assert_known_facts(&inv);
    assert_sizes_and_no_gaps(&inv);
}
