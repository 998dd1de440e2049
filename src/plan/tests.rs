//! Planner tests over crafted inventories.
//!
//! Long on purpose: each test reads as a scenario over the one crafted inventory above it.

use super::*;
use crate::inventory::{ConfigEntry, ConfigSource, Partition, Provenance, Throughput, Topic};

const SETTINGS: &str = r#"
project        = "acme"
cloud          = "google-europe-west1"
service_prefix = "mig"
destination {
  plan          = "business-8-inkless"
  kafka_version = "4.1"
}
mirrormaker {
  plan = "business-8"
  cpus = 4
}
source {
  bootstrap_servers = "k1:9092"
  security_protocol = "PLAINTEXT"
}
flows {
  max_flows = 4
}
"#;

fn settings() -> Settings {
    parse_settings("migration.hcl", SETTINGS).unwrap()
}

fn settings_with_flows(flows: &str) -> Settings {
    let text = SETTINGS.replace("flows {\n  max_flows = 4\n}", &format!("flows {{\n{flows}\n}}"));
    parse_settings("migration.hcl", &text).unwrap()
}

pub(super) fn topic(
    name: &str,
    partitions: usize,
    bytes_per_partition: u64,
    configs: &[(&str, &str)],
) -> Topic {
    Topic {
        name: name.into(),
        internal: name.starts_with("__"),
        partitions: (0..partitions)
            .map(|p| Partition {
                partition: p as i32,
                leader: Some(1),
                replicas: vec![1, 2, 3],
                isr: vec![1, 2, 3],
                size_bytes: Some(bytes_per_partition),
                ..Partition::default()
            })
            .collect(),
        configs: Some(
            configs
                .iter()
                .map(|(n, v)| ConfigEntry {
                    name: (*n).into(),
                    value: Some((*v).into()),
                    source: ConfigSource::DynamicTopic,
                    sensitive: false,
                })
                .collect(),
        ),
        ..Topic::default()
    }
}

fn inventory(mut topics: Vec<Topic>) -> Inventory {
    topics.sort_by(|a, b| a.name.cmp(&b.name));
    Inventory {
        schema_version: SCHEMA_VERSION,
        provenance: Provenance {
            collected_at: "2026-01-02T03:04:05Z".into(),
            ..Provenance::default()
        },
        topics,
        // ACLs were read and there are none; an unknown list is a warning of its own.
        acls: Some(Vec::new()),
        ..Inventory::default()
    }
}

fn crafted() -> Inventory {
    inventory(vec![
        topic("__consumer_offsets", 50, 10, &[("cleanup.policy", "compact")]),
        topic("accounts.changelog", 6, 100, &[("cleanup.policy", "compact")]),
        topic(
            "inventory.snapshots",
            4,
            100,
            &[("cleanup.policy", "compact,delete")],
        ),
        topic(
            "orders.events",
            17,
            1000,
            &[
                ("retention.ms", "604800000"),
                ("min.insync.replicas", "2"),
                ("unclean.leader.election.enable", "false"),
                ("compression.type", "zstd"),
                ("message.format.version", "2.8-IV1"),
            ],
        ),
        topic("heartbeats", 1, 0, &[]),
        topic(
            "mm2-offset-syncs.source.internal",
            1,
            0,
            &[("cleanup.policy", "compact")],
        ),
    ])
}

/// [`build`] over an inventory of full topics, summarized the way `plan` reads them from a file.
fn plan_full(
    inventory: &Inventory,
    settings: &Settings,
    selection: &Selection,
    strict: bool,
) -> Result<Plan, PlanError> {
    build(&inventory.clone().summarized(), settings, selection, strict)
}

/// The plan of [`crafted`] with every topic selected.
pub(crate) fn crafted_plan() -> Plan {
    plan_full(&crafted(), &settings(), &all(), false).unwrap()
}

fn topic_plan<'p>(plan: &'p Plan, name: &str) -> &'p TopicPlan {
    plan.topics.iter().find(|t| t.name == name).unwrap()
}

fn all() -> Selection {
    Selection::new(None, &[".*".into()], &[]).unwrap()
}

#[test]
fn compacted_topics_become_classic_with_the_reason() {
    let plan = plan_full(&crafted(), &settings(), &all(), false).unwrap();
    for (name, policy) in [
        ("accounts.changelog", "compact"),
        ("inventory.snapshots", "compact,delete"),
    ] {
        let t = topic_plan(&plan, name);
        assert_eq!(t.decision, Decision::Classic, "{name}");
        assert_eq!(t.replication, 3);
        assert!(
            t.reason.contains(&format!("cleanup.policy={policy}")),
            "{}",
            t.reason
        );
        assert!(!t.config.contains_key("diskless_enable"));
        assert!(
            plan.diagnostics
                .iter()
                .any(|d| d.code == "diskless-refused-compacted" && d.subject.as_deref() == Some(name))
        );
    }
    let o = topic_plan(&plan, "orders.events");
    assert_eq!((o.decision, o.replication), (Decision::Diskless, 1));
}

#[test]
fn strict_turns_refusals_into_errors() {
    match plan_full(&crafted(), &settings(), &all(), true).unwrap_err() {
        PlanError::Findings { errors, diagnostics } => {
            assert_eq!(errors, diagnostics.len());
            assert!(diagnostics.iter().all(|d| d.severity == Severity::Error));
            assert!(diagnostics.iter().any(|d| d.code == "diskless-refused-compacted"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn internal_and_mirrormaker_topics_are_never_planned() {
    let plan = plan_full(&crafted(), &settings(), &all(), false).unwrap();
    for name in [
        "__consumer_offsets",
        "heartbeats",
        "mm2-offset-syncs.source.internal",
    ] {
        let t = topic_plan(&plan, name);
        assert_eq!(t.decision, Decision::Skip, "{name}");
        assert_eq!(t.flow, None);
        assert!(t.config.is_empty());
        assert!(plan.flows.iter().all(|f| !f.topics.iter().any(|n| n == name)));
    }
    // Matched by a regex: skipped silently. Named in the list: skipped with a warning.
    assert!(
        !plan
            .diagnostics
            .iter()
            .any(|d| d.code == "reserved-topic-selected")
    );
    let listed = Selection::of_names(&["orders.events", "__consumer_offsets"]);
    let plan = plan_full(&crafted(), &settings(), &listed, false).unwrap();
    let d = plan
        .diagnostics
        .iter()
        .find(|d| d.code == "reserved-topic-selected")
        .unwrap();
    assert_eq!(d.subject.as_deref(), Some("__consumer_offsets"));
}

#[test]
fn partitions_come_from_the_source() {
    let plan = plan_full(&crafted(), &settings(), &all(), false).unwrap();
    assert_eq!(topic_plan(&plan, "orders.events").partitions, 17);
    assert_eq!(topic_plan(&plan, "inventory.snapshots").partitions, 4);
    let total: u32 = plan.flows.iter().map(|f| f.partitions).sum();
    assert_eq!(total, 17 + 6 + 4);
}

#[test]
fn configs_are_translated_and_dropped_as_documented() {
    let plan = plan_full(&crafted(), &settings(), &all(), false).unwrap();
    let o = topic_plan(&plan, "orders.events");
    let keys: Vec<_> = o.config.keys().map(String::as_str).collect();
    assert_eq!(keys, ["compression_type", "diskless_enable", "retention_ms"]);
    assert_eq!(o.config["retention_ms"], ConfigValue::String("604800000".into()));
    let dropped: Vec<_> = o.dropped_configs.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        dropped,
        [
            "message.format.version",
            "min.insync.replicas",
            "unclean.leader.election.enable"
        ]
    );
    assert!(o.dropped_configs.iter().all(|d| !d.reason.is_empty()));
}

#[test]
fn missing_topics_are_all_listed_with_near_matches() {
    let list = TopicList::parse("topics.txt", "orders.event\naccounts.changelog\nnope\n".into()).unwrap();
    let selection = Selection::new(Some(list), &[], &[]).unwrap();
    match plan_full(&crafted(), &settings(), &selection, false).unwrap_err() {
        err @ PlanError::MissingTopics { .. } => {
            assert_eq!(err.exit(), Exit::Usage);
            let PlanError::MissingTopics {
                count, names, labels, ..
            } = err
            else {
                unreachable!()
            };
            assert_eq!(count, 2);
            assert_eq!(names, ["orders.event", "nope"]);
            assert_eq!(
                labels[0].label(),
                Some("not in the inventory; did you mean `orders.events`?")
            );
            assert_eq!(labels[1].label(), Some("not in the inventory"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn empty_selection_is_an_error() {
    let none = Selection::new(None, &["missing\\..*".into()], &[]).unwrap();
    assert!(matches!(
        plan_full(&crafted(), &settings(), &none, false).unwrap_err(),
        PlanError::EmptySelection { .. }
    ));
    let internal_only = Selection::of_names(&["__consumer_offsets", "heartbeats"]);
    match plan_full(&crafted(), &settings(), &internal_only, false).unwrap_err() {
        PlanError::EmptySelection { detail } => assert!(detail.contains("internal"), "{detail}"),
        other => panic!("{other:?}"),
    }
    let excluded = Selection::new(None, &["orders\\..*".into()], &["orders\\.events".into()]).unwrap();
    assert!(matches!(
        plan_full(&crafted(), &settings(), &excluded, false).unwrap_err(),
        PlanError::EmptySelection { .. }
    ));
    assert!(matches!(
        plan_full(&crafted(), &settings(), &Selection::default(), false).unwrap_err(),
        PlanError::NoSelection
    ));
}

#[test]
fn newer_inventory_is_refused() {
    let mut inv = crafted();
    inv.schema_version = SCHEMA_VERSION + 1;
    let err = plan_full(&inv, &settings(), &all(), false).unwrap_err();
    assert!(matches!(err, PlanError::InventoryVersion { .. }));
    assert_eq!(err.exit(), Exit::Usage);
}

#[test]
fn unknown_partitions_are_an_error() {
    let mut inv = crafted();
    inv.topics.push(Topic {
        name: "zz.empty".into(),
        ..Topic::default()
    });
    match plan_full(&inv, &settings(), &all(), false).unwrap_err() {
        err @ PlanError::Findings { .. } => assert_eq!(err.exit(), Exit::Findings),
        other => panic!("{other:?}"),
    }
}

#[test]
fn same_inputs_give_identical_bytes() {
    let a = to_json(&plan_full(&crafted(), &settings(), &all(), false).unwrap());
    let b = to_json(&plan_full(&crafted(), &settings(), &all(), false).unwrap());
    assert_eq!(a, b);
    // Input order does not matter either.
    let mut shuffled = crafted();
    shuffled.topics.reverse();
    assert_eq!(
        a,
        to_json(&plan_full(&shuffled, &settings(), &all(), false).unwrap())
    );
}

/// 1,000 topics with Zipf-like sizes.
fn skewed(n: usize) -> Inventory {
    inventory(
        (0..n)
            .map(|i| {
                let size = 50_000_000_000 / (i as u64 + 1) + (i as u64 * 2_654_435_761) % 10_000_000;
                topic(&format!("topic-{i:04}"), 1 + i % 12, size, &[])
            })
            .collect(),
    )
}

#[test]
fn thousand_skewed_topics_are_balanced() {
    let inv = skewed(1000);
    for max_flows in [2, 4, 8] {
        let s = settings_with_flows(&format!("  max_flows = {max_flows}\n  max_partitions = 1"));
        let plan = plan_full(&inv, &s, &all(), false).unwrap();
        assert_eq!(plan.flows.len(), max_flows);
        assert_eq!(plan.mirrormaker.balanced_by, "size_bytes");
        let sizes: Vec<u64> = plan.flows.iter().map(|f| f.size_bytes.unwrap()).collect();
        let mean = sizes.iter().sum::<u64>() as f64 / sizes.len() as f64;
        let largest_topic = plan.topics.iter().filter_map(|t| t.size_bytes).max().unwrap() as f64;
        let max = *sizes.iter().max().unwrap() as f64;
        assert!(max <= (1.25 * mean).max(largest_topic), "{max_flows}: {sizes:?}");
        // Each topic in exactly one flow, and its flow field agrees.
        let mut names: Vec<&str> = plan
            .flows
            .iter()
            .flat_map(|f| f.topics.iter().map(String::as_str))
            .collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 1000);
        for f in &plan.flows {
            assert_eq!(f.topics.len(), f.topic_regexes.len());
            assert!(
                f.topics
                    .iter()
                    .all(|t| topic_plan(&plan, t).flow.as_deref() == Some(f.name.as_str()))
            );
        }
    }
}

#[test]
fn sampled_throughput_drives_the_balance_and_estimates() {
    let mut inv = crafted();
    for (i, t) in inv.topics.iter_mut().enumerate() {
        for p in &mut t.partitions {
            p.throughput = Some(Throughput {
                messages_per_second: 10.0,
                bytes_per_second: 1000.0 * (i + 1) as f64,
            });
        }
    }
    let s = settings_with_flows("  max_flows = 2\n  expected_bytes_per_second = 1000000");
    let plan = plan_full(&inv, &s, &all(), false).unwrap();
    assert_eq!(plan.mirrormaker.balanced_by, "bytes_per_second");
    assert_eq!(plan.flows.len(), 1, "no limit asks for more than one flow");
    let f = &plan.flows[0];
    let live = f.bytes_per_second.unwrap();
    let expected = (f.size_bytes.unwrap() as f64 / (1_000_000.0 - live)).ceil() as u64;
    assert_eq!(f.estimated_copy_seconds, Some(expected));
}

#[test]
fn limits_split_into_more_flows() {
    let s = settings_with_flows("  max_flows = 4\n  max_partitions = 10");
    let plan = plan_full(&crafted(), &s, &all(), false).unwrap();
    // 27 partitions, at most 10 per flow: orders.events alone has 17, so one flow stays over.
    assert_eq!(plan.flows.len(), 3);
    assert_eq!(plan.flows[0].source_alias, "source-01");
    assert_eq!(plan.flows[0].target_alias, "destination");
    assert!(plan.diagnostics.iter().any(|d| d.code == "flow-over-limit"));
    assert_eq!(plan.flows[0].topic_regexes, [r"^orders\.events$"]);
}

#[test]
fn topics_mirrormaker_would_not_copy_are_warned_about() {
    let mut inv = crafted();
    inv.topics.push(topic("connector.audit", 3, 10, &[]));
    inv.topics.push(topic("payments.replica", 3, 10, &[]));
    let plan = plan_full(&inv, &settings(), &all(), false).unwrap();
    let mut warned: Vec<&str> = plan
        .diagnostics
        .iter()
        .filter(|d| d.code == "excluded-by-mirrormaker")
        .filter_map(|d| d.subject.as_deref())
        .collect();
    warned.sort_unstable();
    assert_eq!(warned, ["connector.audit", "payments.replica"]);
    // Still planned (created on the destination), and the exclude list is in the plan.
    assert_ne!(topic_plan(&plan, "connector.audit").decision, Decision::Skip);
    assert_eq!(plan.mirrormaker.topics_exclude, default_topics_exclude());
    assert_eq!(plan.mirrormaker.worker, Worker::default());
    // --strict: the warning stops the plan.
    assert!(matches!(
        plan_full(&inv, &settings(), &all(), true),
        Err(PlanError::Findings { .. })
    ));
}

/// A topic whose transactional use was read, with the evidence of three partitions.
fn read_topic(name: &str, configs: &[(&str, &str)], producers: u32, batches: u64) -> Topic {
    Topic {
        transactional: Some(producers > 0 || batches > 0),
        transactional_evidence: Some(crate::inventory::TransactionalEvidence {
            producer_state_partitions: 3,
            transactional_producers: producers,
            tail_partitions: 3,
            tail_offsets: 3000,
            tail_batches: 120,
            transactional_batches: batches,
        }),
        ..topic(name, 3, 100, configs)
    }
}

/// Transactional, idempotent-only, unknown, Streams internal and tiered topics.
fn truths() -> Inventory {
    use crate::inventory::{ConsumerGroup, Gap};
    let mut inv = inventory(vec![
        read_topic("payments.ledger", &[("cleanup.policy", "delete")], 2, 14),
        read_topic("orders.events", &[("cleanup.policy", "delete")], 0, 0),
        topic("clicks.raw", 3, 100, &[]),
        read_topic(
            "orders-enricher-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition",
            &[("cleanup.policy", "delete")],
            0,
            0,
        ),
        read_topic(
            "orders-enricher-totals-changelog",
            &[("cleanup.policy", "compact")],
            0,
            0,
        ),
        read_topic("billing-balances-changelog", &[], 0, 0),
        read_topic(
            "metrics.tiered",
            &[
                ("remote.storage.enable", "true"),
                ("local.retention.ms", "3600000"),
                ("local.retention.bytes", "1073741824"),
                ("retention.ms", "2592000000"),
            ],
            0,
            0,
        ),
        read_topic("audit.trail", &[], 0, 0),
    ]);
    inv.consumer_groups = vec![
        ConsumerGroup {
            id: "billing".into(),
            state: Some("Empty".into()),
            protocol_type: Some("consumer".into()),
            ..ConsumerGroup::default()
        },
        ConsumerGroup {
            id: "orders-enricher".into(),
            state: Some("Stable".into()),
            protocol_type: Some("consumer".into()),
            assignment_strategy: Some("stream".into()),
            streams_application_id: Some("orders-enricher".into()),
            ..ConsumerGroup::default()
        },
    ];
    inv.gaps = vec![Gap {
        fact: "transactional".into(),
        subject: Some("clicks.raw".into()),
        reason: "DescribeProducers: CLUSTER_AUTHORIZATION_FAILED".into(),
    }];
    inv
}

fn settings_keeping(extra: &str) -> Settings {
    parse_settings("migration.hcl", &format!("{SETTINGS}\n{extra}")).unwrap()
}

const KEEP_AUDIT: &str =
    "keep_classic {\n  regex  = \"audit\\\\..*\"\n  reason = \"read by read_committed consumers\"\n}\n";

#[test]
fn transactional_streams_tiered_and_kept_topics() {
    let plan = plan_full(&truths(), &settings_keeping(KEEP_AUDIT), &all(), false).unwrap();
    let decided = |name: &str| {
        let t = topic_plan(&plan, name);
        (t.decision, t.reason.as_str())
    };
    assert_eq!(
        decided("payments.ledger"),
        (
            Decision::Classic,
            "transactional writes seen (2 transactional producers in the producer state of 3 \
             partitions, 14 transactional batches or markers among 120 batches in the last 3,000 \
             offsets read); diskless topics do not support transactions"
        )
    );
    assert_eq!(
        decided("orders.events"),
        (
            Decision::Diskless,
            "append-only (cleanup.policy=delete, read from its configs); no transactional writers \
             in the producer state of 3 partitions or the last 3,000 offsets read (3 partitions)"
        )
    );
    assert_eq!(
        decided("clicks.raw"),
        (
            Decision::Diskless,
            "append-only (cleanup.policy not among its configs; Kafka's default is delete); \
             transactional writes not checked: DescribeProducers: CLUSTER_AUTHORIZATION_FAILED"
        )
    );
    assert_eq!(
        decided("orders-enricher-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition"),
        (
            Decision::Classic,
            "internal topic of Kafka Streams application orders-enricher (repartition topic, \
             written by Streams, transactional under exactly-once)"
        )
    );
    assert_eq!(
        decided("orders-enricher-totals-changelog"),
        (
            Decision::Classic,
            "internal topic of Kafka Streams application orders-enricher (changelog: Streams state store)"
        )
    );
    assert_eq!(
        decided("billing-balances-changelog"),
        (
            Decision::Classic,
            "named like an internal topic of Kafka Streams application billing (changelog: \
             Streams state store): consumer group billing matches the name, but its protocol was \
             not read (no assignment strategy in the inventory)"
        )
    );
    assert_eq!(
        decided("audit.trail"),
        (
            Decision::Classic,
            "kept classic by settings keep_classic `audit\\..*`: read by read_committed consumers"
        )
    );

    let tiered = topic_plan(&plan, "metrics.tiered");
    assert_eq!((tiered.decision, tiered.replication), (Decision::Diskless, 1));
    assert!(
        tiered.reason.ends_with(
            "; tiered storage on the source (remote.storage.enable=true) is not carried: a diskless \
             topic keeps its data in object storage"
        ),
        "{}",
        tiered.reason
    );
    let dropped: Vec<(&str, &str)> = tiered
        .dropped_configs
        .iter()
        .map(|d| (d.name.as_str(), d.reason.as_str()))
        .collect();
    let why = "diskless topics do not use tiered storage: their data is in object storage";
    assert_eq!(
        dropped,
        [
            ("local.retention.bytes", why),
            ("local.retention.ms", why),
            ("remote.storage.enable", why)
        ]
    );
    let keys: Vec<_> = tiered.config.keys().map(String::as_str).collect();
    assert_eq!(keys, ["diskless_enable", "retention_ms"]);

    let codes: Vec<(&str, &str)> = plan
        .diagnostics
        .iter()
        .filter_map(|d| Some((d.code.as_str(), d.subject.as_deref()?)))
        .collect();
    assert_eq!(
        codes,
        [
            (
                "diskless-refused-streams",
                "orders-enricher-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition"
            ),
            ("diskless-refused-streams", "orders-enricher-totals-changelog"),
            (
                "diskless-refused-streams-unconfirmed",
                "billing-balances-changelog"
            ),
            ("diskless-refused-transactional", "payments.ledger"),
            ("transactional-unknown", "clicks.raw"),
        ]
    );
}

#[test]
fn strict_makes_unknown_transactions_an_error() {
    let mut inv = truths();
    inv.topics
        .retain(|t| t.name == "clicks.raw" || t.name == "orders.events");
    match plan_full(&inv, &settings(), &all(), true).unwrap_err() {
        PlanError::Findings { errors, diagnostics } => {
            assert_eq!(errors, 1);
            assert_eq!(diagnostics[0].code, "transactional-unknown");
            assert_eq!(diagnostics[0].subject.as_deref(), Some("clicks.raw"));
        }
        other => panic!("{other:?}"),
    }
    inv.topics.retain(|t| t.name == "orders.events");
    assert!(plan_full(&inv, &settings(), &all(), true).is_ok());
}

#[test]
fn keep_classic_that_matches_nothing_is_a_warning() {
    let keep = "keep_classic {\n  regex  = \"audit-typo\\\\..*\"\n  reason = \"read_committed\"\n}\n";
    let plan = plan_full(&truths(), &settings_keeping(keep), &all(), false).unwrap();
    let d = plan
        .diagnostics
        .iter()
        .find(|d| d.code == "keep-classic-matches-nothing")
        .unwrap();
    assert_eq!(d.subject.as_deref(), Some("audit-typo\\..*"));
}

#[test]
fn classic_tiered_topics_keep_tiering_only_on_a_tiered_destination() {
    let keep = "keep_classic {\n  regex  = \"metrics\\\\.tiered\"\n  reason = \"kept\"\n}\n";
    let plan = plan_full(&truths(), &settings_keeping(keep), &all(), false).unwrap();
    let t = topic_plan(&plan, "metrics.tiered");
    assert_eq!(t.decision, Decision::Classic);
    assert_eq!(t.config["remote_storage_enable"], ConfigValue::Bool(true));
    assert!(t.dropped_configs.is_empty());

    let without = settings_keeping(keep);
    let text = format!("{SETTINGS}\n{keep}").replace(
        "  kafka_version = \"4.1\"",
        "  kafka_version = \"4.1\"\n  tiered_storage = false",
    );
    let untiered = parse_settings("migration.hcl", &text).unwrap();
    assert_ne!(without, untiered);
    let plan = plan_full(&truths(), &untiered, &all(), false).unwrap();
    let t = topic_plan(&plan, "metrics.tiered");
    assert!(!t.config.contains_key("remote_storage_enable"));
    let dropped: Vec<_> = t.dropped_configs.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        dropped,
        [
            "local.retention.bytes",
            "local.retention.ms",
            "remote.storage.enable"
        ]
    );
    assert!(
        t.dropped_configs
            .iter()
            .all(|d| d.reason.contains("destination.tiered_storage = false"))
    );
}

#[test]
fn legacy_inventories_warn_that_transactions_are_unknown() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("topics_list_source.txt"),
        "Topic: orders\tTopicId: igW4M_ECQaGzylfEs5MZIA\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: retention.ms=86400000\n\
         \tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: \tLastKnownElr: \n\
         Topic: audit\tTopicId: FcpPyy8_TJyM__cGxXwHNQ\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: cleanup.policy=compact\n\
         \tTopic: audit\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: \tLastKnownElr: \n",
    )
    .unwrap();
    let inv = crate::inventory::legacy::import(dir.path()).unwrap();
    assert!(inv.topics.iter().all(|t| t.transactional.is_none()));
    let plan = plan_full(&inv, &settings(), &all(), false).unwrap();
    let unknown: Vec<_> = plan
        .diagnostics
        .iter()
        .filter(|d| d.code == "transactional-unknown")
        .filter_map(|d| d.subject.as_deref())
        .collect();
    // The compacted topic is classic anyway: only the diskless one is warned about.
    assert_eq!(unknown, ["orders"]);
    assert!(
        topic_plan(&plan, "orders")
            .reason
            .contains("transactional writes not checked: "),
        "{}",
        topic_plan(&plan, "orders").reason
    );
}

/// Settings with `mirrormaker` lines in place of `cpus = 4`.
fn settings_with_mirrormaker(lines: &str) -> Settings {
    parse_settings("migration.hcl", &SETTINGS.replace("  cpus = 4\n", lines)).unwrap()
}

#[test]
fn tasks_are_sized_from_partitions_and_cpus_and_the_cutover_is_estimated() {
    let inv = inventory(vec![topic("clicks", 2000, 10, &[])]);
    // Defaults: at most 50 partitions per task wants 40 tasks; 2 CPUs at most 16 tasks each
    // give 32; the busiest task holds ceil(2000 / 32) = 63 partitions, 7 commits of 60 s.
    let plan = plan_full(&inv, &settings_with_mirrormaker("  cpus = 2\n"), &all(), false).unwrap();
    let m = &plan.mirrormaker;
    assert_eq!((m.tasks_max_per_cpu, m.tasks_max, m.cpus), (16, 32, 2));
    assert!(m.tasks_reason.contains("needs 40 task(s)"), "{}", m.tasks_reason);
    assert!(
        m.tasks_reason
            .contains("capped at mirrormaker.max_tasks_per_cpu = 16")
    );
    assert_eq!(m.offset_flush_interval_ms.value, 60_000);
    assert!(m.offset_flush_interval_ms.reason.contains("assumed"));
    let f = &plan.flows[0];
    assert_eq!((f.tasks, f.partitions_per_task), (32, 63));
    assert_eq!((f.final_sync_drain_seconds, f.gate_open_seconds), (420, 440));
    assert!(!plan.diagnostics.iter().any(|d| d.code == "flow-gate-open-slow"));

    // A 2 s commit interval (self-run MirrorMaker 2) and 20 tasks per CPU: 40 tasks of 50
    // partitions, 5 commits of 2 s, then 10 s of checkpoints and 10 s of group offset sync.
    let s = settings_with_mirrormaker(
        "  cpus = 2\n  max_tasks_per_cpu = 20\n  offset_flush_interval_ms = 2000\n",
    );
    let plan = plan_full(&inv, &s, &all(), false).unwrap();
    assert_eq!(plan.mirrormaker.tasks_max, 40);
    assert!(
        plan.mirrormaker
            .offset_flush_interval_ms
            .reason
            .starts_with("settings")
    );
    let f = &plan.flows[0];
    assert_eq!((f.tasks, f.partitions_per_task), (40, 50));
    assert_eq!((f.final_sync_drain_seconds, f.gate_open_seconds), (10, 30));

    // One task (the badly sized case of the benchmark): 200 commits.
    let s =
        settings_with_mirrormaker("  cpus = 1\n  max_tasks_per_cpu = 1\n  offset_flush_interval_ms = 2000\n");
    let plan = plan_full(&inv, &s, &all(), false).unwrap();
    let f = &plan.flows[0];
    assert_eq!((f.tasks, f.partitions_per_task), (1, 2000));
    assert_eq!((f.final_sync_drain_seconds, f.gate_open_seconds), (400, 420));
}

#[test]
fn a_flow_over_the_gate_threshold_is_warned_with_the_fixes() {
    // 4,000 partitions on 32 tasks: 125 per task, 13 commits of 60 s = 780 s, gate 800 s.
    let inv = inventory(vec![topic("clicks", 4000, 10, &[])]);
    let plan = plan_full(&inv, &settings_with_mirrormaker("  cpus = 2\n"), &all(), false).unwrap();
    assert_eq!(plan.flows[0].gate_open_seconds, 800);
    let warning = plan
        .diagnostics
        .iter()
        .find(|d| d.code == "flow-gate-open-slow")
        .expect("a gate-open warning");
    assert_eq!(warning.subject.as_deref(), Some("flow-01"));
    // 600 s leave 580 s after the intervals: 9 commits, 90 partitions per task, 45 tasks.
    for fix in [
        "45 task(s) of at most 90 partitions",
        "flows.max_partitions = 2880",
        "a larger MirrorMaker 2 plan (3 CPUs at mirrormaker.max_tasks_per_cpu = 16)",
        "mirrormaker.max_tasks_per_cpu = 23",
    ] {
        assert!(warning.message.contains(fix), "{fix}: {}", warning.message);
    }
    // --strict makes it an error.
    assert!(plan_full(&inv, &settings_with_mirrormaker("  cpus = 2\n"), &all(), true).is_err());
}

#[test]
fn drain_is_ten_syncs_per_task_per_commit() {
    use super::mirrormaker::drain_seconds;
    assert_eq!(drain_seconds(1, 60_000), 60);
    assert_eq!(drain_seconds(10, 60_000), 60);
    assert_eq!(drain_seconds(11, 60_000), 120);
    assert_eq!(drain_seconds(2000, 2000), 400);
    assert_eq!(drain_seconds(63, 1500), 11);
}
