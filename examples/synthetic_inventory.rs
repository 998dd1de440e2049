//! Writes a synthetic `inventory.json` for benchmarks: `TOPICS` topics with `PARTITIONS`
//! partitions each, skewed sizes, a mix of configs (some compacted), a sampled produce rate per
//! partition (so the plan's cost model has its inputs), a consumer group per team reading its
//! topics (a second one for every third team), and a topic list.
//!
//! Usage: `cargo run --release --example synthetic_inventory -- OUT_DIR [TOPICS] [PARTITIONS]
//! [ACLS PRINCIPALS]` writes `OUT_DIR/inventory.json` and `OUT_DIR/topics.txt` (every data
//! topic). With `ACLS` and `PRINCIPALS`, the inventory also has that many ACL bindings spread
//! over that many SCRAM users (literal and prefixed topic bindings, groups, transactional ids,
//! DENY bindings, bindings on topics that are not in the inventory, a few cluster bindings), and
//! a produce quota on every tenth user.
//! Deterministic: the same arguments give the same bytes.

use std::io::Write;

use diskless_migrator::inventory::{
    Acl, ClientQuota, Cluster, CommittedOffset, ConfigEntry, ConfigSource, ConsumerGroup, Inventory,
    Partition, Provenance, SCHEMA_VERSION, ScramCredential, ScramUser, Throughput, Topic,
};

fn main() {
    let mut args = std::env::args().skip(1);
    let out = std::path::PathBuf::from(
        args.next()
            .expect("usage: synthetic_inventory OUT_DIR [TOPICS] [PARTITIONS]"),
    );
    let topics: usize = args.next().map_or(50_000, |v| v.parse().expect("TOPICS"));
    let partitions: usize = args.next().map_or(10, |v| v.parse().expect("PARTITIONS"));
    let acl_count: usize = args.next().map_or(0, |v| v.parse().expect("ACLS"));
    let principals: usize = args.next().map_or(0, |v| v.parse().expect("PRINCIPALS"));
    std::fs::create_dir_all(&out).unwrap();

    let entry = |name: &str, value: String| ConfigEntry {
        name: name.into(),
        value: Some(value),
        source: ConfigSource::DynamicTopic,
        sensitive: false,
    };
    let mut list = String::new();
    let mut all = Vec::with_capacity(topics);
    for i in 0..topics {
        let name = format!("team-{:03}.events-{i:06}", i % 997);
        // Zipf-like topic sizes with a deterministic jitter.
        let size = 20_000_000_000 / (i as u64 + 1) + (i as u64).wrapping_mul(2_654_435_761) % 50_000_000;
        let mut configs = vec![
            entry("retention.ms", format!("{}", 86_400_000 * (1 + i % 14))),
            entry("min.insync.replicas", "2".into()),
            ConfigEntry {
                source: ConfigSource::Default,
                ..entry("segment.bytes", "1073741824".into())
            },
        ];
        if i % 20 == 0 {
            configs.push(entry("cleanup.policy", "compact".into()));
        }
        if i % 7 == 0 {
            configs.push(entry("compression.type", "zstd".into()));
        }
        configs.sort_by(|a, b| a.name.cmp(&b.name));
        // The rate that fills the topic over its retention, in whole bytes per second.
        let retention_seconds = 86_400 * (1 + i as u64 % 14);
        let rate = (size / partitions as u64 / retention_seconds).max(1) as f64;
        all.push(Topic {
            name: name.clone(),
            id: None,
            internal: false,
            partitions: (0..partitions)
                .map(|p| Partition {
                    partition: p as i32,
                    leader: Some((p % 3) as i32 + 1),
                    replicas: vec![1, 2, 3],
                    isr: vec![1, 2, 3],
                    earliest_offset: Some(0),
                    latest_offset: Some(size as i64 / 1000),
                    size_bytes: Some(size / partitions as u64),
                    throughput: Some(Throughput {
                        messages_per_second: (rate / 1000.0).ceil(),
                        bytes_per_second: rate,
                    }),
                })
                .collect(),
            configs: Some(configs),
            transactional: Some(false),
            transactional_evidence: None,
        });
        list.push_str(&name);
        list.push('\n');
    }
    all.sort_by(|a, b| a.name.cmp(&b.name));
    // One group per team reading partition 0 of each of its data topics; every third team has a
    // second group.
    let mut groups: Vec<ConsumerGroup> = Vec::new();
    for team in 0..topics.min(997) {
        let offsets: Vec<CommittedOffset> = (team..topics)
            .step_by(997)
            .map(|i| CommittedOffset {
                topic: format!("team-{team:03}.events-{i:06}"),
                partition: 0,
                offset: 1,
            })
            .collect();
        let group = |suffix: &str| ConsumerGroup {
            id: format!("team-{team:03}-{suffix}"),
            state: Some("Stable".into()),
            protocol_type: Some("consumer".into()),
            assignment_strategy: Some("range".into()),
            offsets: Some(offsets.clone()),
            ..ConsumerGroup::default()
        };
        groups.push(group("consumer"));
        if team % 3 == 0 {
            groups.push(group("audit"));
        }
    }
    groups.sort_by(|a, b| a.id.cmp(&b.id));
    let inventory = Inventory {
        schema_version: SCHEMA_VERSION,
        provenance: Provenance {
            collected_at: "2026-01-01T00:00:00Z".into(),
            tool: "synthetic_inventory".into(),
            sample_seconds: Some(60.0),
            ..Provenance::default()
        },
        cluster: Cluster {
            id: Some("synthetic".into()),
            ..Cluster::default()
        },
        topics: all,
        consumer_groups: groups,
        acls: Some(acls(acl_count, principals, topics)),
        scram_users: Some(scram_users(principals)),
        quotas: Some(quotas(principals)),
        ..Inventory::default()
    };
    let file = std::fs::File::create(out.join("inventory.json")).unwrap();
    let mut writer = std::io::BufWriter::new(file);
    serde_json::to_writer(&mut writer, &inventory).unwrap();
    writer.flush().unwrap();
    std::fs::write(out.join("topics.txt"), list).unwrap();
}

/// `count` bindings over `principals` users `app-NNNN`, cycling through the kinds a real
/// cluster has.
fn acls(count: usize, principals: usize, topics: usize) -> Vec<Acl> {
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let user = format!("User:app-{:04}", i % principals.max(1));
        let team = (i / principals.max(1)) % topics.clamp(1, 997);
        let topic = (team + 997 * (i % 50)) % topics.max(1);
        let acl =
            |resource_type: &str, pattern_type: &str, name: String, operation: &str, permission: &str| Acl {
                resource_type: resource_type.into(),
                resource_name: name,
                pattern_type: pattern_type.into(),
                principal: user.clone(),
                host: "*".into(),
                operation: operation.into(),
                permission_type: permission.into(),
            };
        // Each principal gets a mix of kinds: the kind moves on with every round over them.
        out.push(match (i + i / principals.max(1)) % 10 {
            0..=2 => acl(
                "Topic",
                "LITERAL",
                format!("team-{:03}.events-{topic:06}", topic % 997),
                "Read",
                "Allow",
            ),
            3 => acl("Topic", "PREFIXED", format!("team-{team:03}."), "Write", "Allow"),
            4 => acl(
                "Group",
                "LITERAL",
                format!("team-{team:03}-consumer"),
                "Read",
                "Allow",
            ),
            5 => acl(
                "Group",
                "PREFIXED",
                format!("team-{team:03}-"),
                "Describe",
                "Allow",
            ),
            6 => acl(
                "TransactionalId",
                "PREFIXED",
                format!("app-{team:03}-"),
                "Write",
                "Allow",
            ),
            7 => acl(
                "Topic",
                "LITERAL",
                format!("team-{:03}.events-{topic:06}", topic % 997),
                "Write",
                "Deny",
            ),
            8 => acl(
                "Topic",
                "LITERAL",
                format!("legacy.topic-{i:06}"),
                "Read",
                "Allow",
            ),
            _ if i % 100 == 9 => acl(
                "Cluster",
                "LITERAL",
                "kafka-cluster".into(),
                "IdempotentWrite",
                "Allow",
            ),
            _ => acl(
                "Topic",
                "PREFIXED",
                format!("team-{team:03}.events-0"),
                "Describe",
                "Allow",
            ),
        });
    }
    out.sort();
    out.dedup();
    out
}

/// A SCRAM-SHA-512 credential for every user.
fn scram_users(principals: usize) -> Vec<ScramUser> {
    (0..principals)
        .map(|i| ScramUser {
            user: format!("app-{i:04}"),
            credentials: vec![ScramCredential {
                mechanism: "SCRAM-SHA-512".into(),
                iterations: Some(4096),
            }],
        })
        .collect()
}

/// A produce quota on every tenth user.
fn quotas(principals: usize) -> Vec<ClientQuota> {
    (0..principals)
        .step_by(10)
        .map(|i| ClientQuota {
            user: Some(format!("app-{i:04}")),
            producer_byte_rate: Some(1_048_576.0),
            ..ClientQuota::default()
        })
        .collect()
}
