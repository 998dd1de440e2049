//! `discover` on a three-broker cluster that misbehaves the way production clusters do: a broker
//! killed while discover runs, leaderships moving while groups are listed, and a principal
//! without `Describe` on the cluster. Whatever happens, every fact the test created is in the
//! inventory or named by a gap; nothing is recorded as known that was not read.

use crate::support;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use diskless_migrator::inventory::Inventory;
use rdkafka::consumer::BaseConsumer;
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use support::kafka::{ClusterOptions, KafkaCluster, Listener};
use support::records::{commit_retrying, create_topic, produce_keyed};

/// Topics the tests create: `(name, partitions)`.
const TOPICS: [(&str, i32); 3] = [("orders", 6), ("events", 6), ("audit", 3)];
/// Consumer groups the tests create, each with a committed offset on `orders`.
const GROUPS: usize = 40;

fn group_id(i: usize) -> String {
    format!("app-{i:02}")
}

/// Creates [`TOPICS`] with records and [`GROUPS`] groups, group `i` at offset `i % 10` of
/// `orders` partition `i % 6`.
fn populate(config: &ClientConfig) {
    for (name, partitions) in TOPICS {
        create_topic(config, name, partitions, &[]);
        produce_keyed(config, name, 120);
    }
    for i in 0..GROUPS {
        let consumer: BaseConsumer = config.clone().set("group.id", group_id(i)).create().unwrap();
        let mut list = TopicPartitionList::new();
        let partition = i32::try_from(i % 6).unwrap();
        let offset = i64::try_from(i % 10).unwrap();
        list.add_partition_offset("orders", partition, Offset::Offset(offset))
            .unwrap();
        commit_retrying(&consumer, &list);
    }
}

fn discover_command(bootstrap: &str, out: &Path, extra: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_diskless-migrator"));
    cmd.arg("discover")
        .args(["--bootstrap-server", bootstrap, "--timeout", "15", "-v"])
        .args(extra)
        .arg("--out")
        .arg(out)
        .env_remove("KAFKA_BOOTSTRAP_SERVER")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn finish(child: Child) -> Output {
    child.wait_with_output().unwrap()
}

fn read(dir: &Path) -> Inventory {
    serde_json::from_str(&std::fs::read_to_string(dir.join("inventory.json")).unwrap()).unwrap()
}

fn gap_about(inv: &Inventory, fact: &str, subject: &str) -> bool {
    inv.gaps.iter().any(|g| {
        g.fact == fact
            && g.subject
                .as_deref()
                .is_some_and(|s| s == subject || s.starts_with("broker "))
    })
}

/// Every topic, partition and group the test created is in the inventory with its facts, or a gap
/// names what is missing (the partition, its leader broker, the group, or the whole listing).
/// Returns how many facts were missing, for the test's report.
fn assert_all_facts_or_named_gaps(inv: &Inventory) -> usize {
    let mut missing = 0;
    for (name, partitions) in TOPICS {
        let Some(topic) = inv.topics.iter().find(|t| t.name == name) else {
            assert!(
                inv.gaps
                    .iter()
                    .any(|g| g.fact == "topic" && g.subject.as_deref() == Some(name)),
                "topic {name} is missing without a gap: {:?}",
                inv.gaps
            );
            missing += 1;
            continue;
        };
        assert_eq!(
            topic.partitions.len(),
            usize::try_from(partitions).unwrap(),
            "{name}"
        );
        if topic.configs.is_none() {
            assert!(
                gap_about(inv, "topic_configs", name) || inv.gaps.iter().any(|g| g.fact == "topic_configs")
            );
            missing += 1;
        }
        let mut records = Some(0);
        for p in &topic.partitions {
            let subject = format!("{name}-{}", p.partition);
            if p.latest_offset.is_none() || p.earliest_offset.is_none() {
                assert!(
                    gap_about(inv, "offsets", &subject),
                    "offsets of {subject} missing without a gap: {:?}",
                    inv.gaps
                );
                missing += 1;
                records = None;
            } else {
                records = records.map(|n| n + p.latest_offset.unwrap() - p.earliest_offset.unwrap());
            }
            if p.size_bytes.is_none() {
                assert!(
                    gap_about(inv, "log_dirs", &subject),
                    "size of {subject} missing without a gap: {:?}",
                    inv.gaps
                );
                missing += 1;
            }
        }
        if let Some(records) = records {
            assert_eq!(records, 120, "records of {name}");
        }
    }
    let listing_incomplete = inv
        .gaps
        .iter()
        .any(|g| g.fact == "consumer_groups" && g.subject.is_none());
    for i in 0..GROUPS {
        let id = group_id(i);
        match inv.consumer_groups.iter().find(|g| g.id == id) {
            Some(group) => match &group.offsets {
                Some(offsets) => {
                    let expected = (
                        "orders".to_owned(),
                        i32::try_from(i % 6).unwrap(),
                        i64::try_from(i % 10).unwrap(),
                    );
                    let found: Vec<_> = offsets
                        .iter()
                        .map(|o| (o.topic.clone(), o.partition, o.offset))
                        .collect();
                    assert_eq!(found, vec![expected], "offsets of {id}");
                }
                None => {
                    assert!(
                        inv.gaps
                            .iter()
                            .any(|g| g.fact == "group_offsets" && g.subject.as_deref() == Some(id.as_str())),
                        "offsets of {id} missing without a gap: {:?}",
                        inv.gaps
                    );
                    missing += 1;
                }
            },
            None => {
                assert!(
                    listing_incomplete,
                    "group {id} is missing and no gap says the listing is incomplete: {:?}",
                    inv.gaps
                );
                missing += 1;
            }
        }
    }
    missing
}

/// The clusters of the tests that move group coordinators keep the broker default of 500 ms for
/// the controller's idle no-op metadata record, as production clusters do, not the test bed's
/// 5 s. With 5 s, a discover run during a graceful stop once missed a group whose coordinator
/// was being handed over, without a gap: every broker had answered ListGroups and the leaders
/// of `__consumer_offsets` read the same before and after. That is a limit of the listing's
/// check at that timing (see the known limit in the doc of `list_groups` in `src/inventory/discover/groups.rs`), not one this test hides.
fn production_metadata_timing(options: ClusterOptions) -> ClusterOptions {
    options.with_broker_property("metadata.max.idle.interval.ms", "500")
}

#[test]
fn broker_killed_during_discover_leaves_all_facts_or_named_gaps() {
    let mut cluster = KafkaCluster::start(production_metadata_timing(ClusterOptions::new("discover-kill")));
    let config = cluster.client_config(Listener::Plaintext);
    populate(&config);
    let dir = tempfile::tempdir().unwrap();

    // Undisturbed first: every fact, and how long it takes.
    let started = Instant::now();
    let out = finish(
        discover_command(cluster.bootstrap(), &dir.path().join("calm"), &[])
            .spawn()
            .unwrap(),
    );
    let calm = started.elapsed();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let inv = read(&dir.path().join("calm"));
    assert_eq!(assert_all_facts_or_named_gaps(&inv), 0, "{:?}", inv.gaps);
    eprintln!("discover-faults: undisturbed discover took {calm:.1?}");

    // A broker killed while discover runs (half-way through an undisturbed run).
    let run = dir.path().join("killed");
    let child = discover_command(cluster.bootstrap(), &run, &[]).spawn().unwrap();
    std::thread::sleep(calm / 2);
    cluster.kill_broker(2);
    let out = finish(child);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let inv = read(&run);
    let missing = assert_all_facts_or_named_gaps(&inv);
    eprintln!(
        "discover-faults: broker 2 killed during discover: exit 0, {missing} facts missing, each named by a gap; gaps: {:?}",
        inv.gaps
    );

    // With the broker still down: the other brokers answer, the dead one's share is named.
    let run = dir.path().join("down");
    let out = finish(discover_command(cluster.bootstrap(), &run, &[]).spawn().unwrap());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let inv = read(&run);
    let missing = assert_all_facts_or_named_gaps(&inv);
    assert!(
        inv.gaps
            .iter()
            .any(|g| (g.fact == "broker_configs" || g.fact == "broker") && g.subject.as_deref() == Some("2")),
        "the dead broker is not named: {:?}",
        inv.gaps
    );
    for broker in inv.brokers.iter().filter(|b| b.id != 2) {
        assert!(
            broker.configs.is_some(),
            "broker {} answered but has no configs",
            broker.id
        );
    }
    eprintln!("discover-faults: with broker 2 down: exit 0, {missing} facts missing, each named by a gap");
    cluster.restart_broker(2);

    // A broker killed during `--sample`: the first reading is whole, the second one's failures
    // are `throughput` gaps (the rates are unknown), not `offsets` or `log_dirs` gaps.
    let run = dir.path().join("sampled");
    // The sample lasts far longer than the first reading (`calm`, measured above, plus a
    // margin), so the kill falls between the two readings however fast discover is.
    let child = discover_command(cluster.bootstrap(), &run, &["--sample", "15"])
        .spawn()
        .unwrap();
    std::thread::sleep(calm + Duration::from_secs(3));
    cluster.kill_broker(3);
    let out = finish(child);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let inv = read(&run);
    assert_eq!(assert_all_facts_or_named_gaps(&inv), 0, "{:?}", inv.gaps);
    assert!(
        inv.gaps.iter().any(
            |g| g.fact == "throughput" && g.reason.starts_with("the second reading of the sample failed")
        ),
        "{:?}",
        inv.gaps
    );
    assert!(
        !inv.gaps
            .iter()
            .any(|g| g.fact == "offsets" || g.fact == "log_dirs"),
        "a failed second reading is recorded as a missing first one: {:?}",
        inv.gaps
    );
    eprintln!(
        "discover-faults: broker 3 killed during --sample: every fact of the first reading, throughput gaps for the second"
    );
    cluster.restart_broker(3);
}

#[test]
fn leadership_moving_during_discover_loses_no_group_silently() {
    let mut cluster = KafkaCluster::start(production_metadata_timing(ClusterOptions::new(
        "discover-election",
    )));
    let config = cluster.client_config(Listener::Plaintext);
    populate(&config);
    let dir = tempfile::tempdir().unwrap();
    let bootstrap = cluster.bootstrap().to_owned();
    for broker in 1..=3u32 {
        // A graceful stop moves every leadership of the broker (group coordinators included)
        // to the others; discover runs again and again while it happens, and once after.
        let mut runs = 0;
        std::thread::scope(|scope| {
            let stopping = scope.spawn(|| {
                std::thread::sleep(Duration::from_millis(100));
                cluster.stop_broker(broker);
            });
            let mut last = false;
            while !last {
                last = stopping.is_finished();
                let run = dir.path().join(format!("broker-{broker}-run-{runs}"));
                let out = finish(discover_command(&bootstrap, &run, &[]).spawn().unwrap());
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert_eq!(out.status.code(), Some(0), "{stderr}");
                let inv = read(&run);
                let missing = assert_all_facts_or_named_gaps(&inv);
                let listed = (0..GROUPS)
                    .filter(|&i| inv.consumer_groups.iter().any(|g| g.id == group_id(i)))
                    .count();
                let relisted: Vec<&str> = stderr
                    .lines()
                    .filter_map(|l| l.split_once("listing groups again: ").map(|(_, why)| why))
                    .collect();
                eprintln!(
                    "discover-faults: broker {broker} stopping, run {runs}: {listed} of {GROUPS} groups listed, {missing} facts missing, each named by a gap; groups listed again {} times {relisted:?}",
                    relisted.len()
                );
                runs += 1;
            }
        });
        assert!(
            runs >= 2,
            "no discover run overlapped the stop of broker {broker}"
        );
        cluster.restart_broker(broker);
    }
}

#[test]
fn principal_without_cluster_describe_gets_gaps_not_empty_facts() {
    let cluster = KafkaCluster::start(ClusterOptions::new("discover-rights").with_sasl_ssl().with_acls());
    let config = cluster.client_config(Listener::Plaintext);
    populate(&config);
    // The discovering user may not describe the cluster (ACLs, log dirs), nor the configs of
    // `audit`.
    let user = cluster.scram_users()[0].name.clone();
    cluster.deny(&user, "Describe", &["--cluster"]);
    cluster.deny(&user, "DescribeConfigs", &["--topic", "audit"]);
    // With an ACL on them, the cluster and `audit` no longer fall back to "allowed": allow what
    // the user keeps (reading the brokers' configs, describing and reading the topic).
    cluster.allow(&user, "DescribeConfigs", &["--cluster"]);
    cluster.allow(&user, "Describe", &["--topic", "audit"]);
    let dir = tempfile::tempdir().unwrap();
    let properties = dir.path().join("client.properties");
    std::fs::write(&properties, cluster.java_client_properties(Listener::SaslSsl)).unwrap();
    let out_dir = dir.path().join("inventory");
    let out = finish(
        discover_command(
            cluster.address(Listener::SaslSsl).unwrap(),
            &out_dir,
            &["--command-config", properties.to_str().unwrap()],
        )
        .spawn()
        .unwrap(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let inv = read(&out_dir);
    assert_eq!(inv.acls, None, "refused ACLs must be unknown, not empty");
    assert!(
        inv.gaps
            .iter()
            .any(|g| g.fact == "acls" && g.reason.contains("CLUSTER_AUTHORIZATION_FAILED"))
    );
    for id in 1..=3 {
        assert!(
            inv.gaps.iter().any(|g| g.fact == "log_dirs"
                && g.subject.as_deref() == Some(&format!("broker {id}"))
                && g.reason.contains("CLUSTER_AUTHORIZATION_FAILED")),
            "no log_dirs gap for broker {id}: {:?}",
            inv.gaps
        );
    }
    assert!(inv.gaps.iter().any(|g| g.fact == "listing"), "{:?}", inv.gaps);
    let audit = inv.topics.iter().find(|t| t.name == "audit").unwrap();
    assert!(audit.configs.is_none());
    assert!(
        inv.gaps
            .iter()
            .any(|g| g.fact == "topic_configs" && g.subject.as_deref() == Some("audit")),
        "{:?}",
        inv.gaps
    );
    // Every partition's size (6 + 6 + 3) and audit's configs.
    assert_eq!(assert_all_facts_or_named_gaps(&inv), 15 + 1);
    eprintln!(
        "discover-faults: without cluster Describe: acls null, log_dirs gaps for 3 brokers, audit configs unknown"
    );

    // plan: audit's configs are unknown, so it stays classic and says why; the others'
    // decisions rest on what was read.
    let topics = dir.path().join("topics.txt");
    std::fs::write(&topics, "orders\nevents\naudit\n").unwrap();
    let plan_dir = dir.path().join("plan");
    let out = Command::new(env!("CARGO_BIN_EXE_diskless-migrator"))
        .args(["plan", "--inventory"])
        .arg(out_dir.join("inventory.json"))
        .args([
            "--settings",
            concat!(env!("CARGO_MANIFEST_DIR"), "/examples/migration.hcl"),
        ])
        .arg("--topics")
        .arg(&topics)
        .arg("--out")
        .arg(&plan_dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(plan_dir.join("plan.json")).unwrap()).unwrap();
    let planned = |name: &str| {
        plan["topics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name)
            .unwrap()
            .clone()
    };
    let audit = planned("audit");
    assert_eq!(audit["decision"], "classic");
    assert!(
        audit["reason"].as_str().unwrap().starts_with("configs unknown: "),
        "{audit}"
    );
    assert!(
        plan["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "configs-unknown" && d["subject"] == "audit"),
        "{}",
        plan["diagnostics"]
    );
    for name in ["orders", "events"] {
        let t = planned(name);
        assert_eq!(t["decision"], "diskless", "{t}");
        assert!(
            t["reason"].as_str().unwrap().contains("cleanup.policy=delete"),
            "{t}"
        );
    }
    // Under --strict the unknown is an error.
    let out = Command::new(env!("CARGO_BIN_EXE_diskless-migrator"))
        .args(["plan", "--strict", "--inventory"])
        .arg(out_dir.join("inventory.json"))
        .args([
            "--settings",
            concat!(env!("CARGO_MANIFEST_DIR"), "/examples/migration.hcl"),
        ])
        .arg("--topics")
        .arg(&topics)
        .arg("--out")
        .arg(dir.path().join("strict"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
