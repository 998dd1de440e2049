//! Writes a synthetic `inventory.json` for benchmarks: `TOPICS` topics with `PARTITIONS`
//! partitions each, skewed sizes, a mix of configs (some compacted), and a topic list.
//!
//! Usage: `cargo run --release --example synthetic_inventory -- OUT_DIR [TOPICS] [PARTITIONS]`
//! writes `OUT_DIR/inventory.json` and `OUT_DIR/topics.txt` (every data topic).
//! Deterministic: the same arguments give the same bytes.

use std::io::Write;

use diskless_migrator::inventory::{
    Cluster, ConfigEntry, ConfigSource, Inventory, Partition, Provenance, SCHEMA_VERSION, Topic,
};

fn main() {
    let mut args = std::env::args().skip(1);
    let out = std::path::PathBuf::from(
        args.next()
            .expect("usage: synthetic_inventory OUT_DIR [TOPICS] [PARTITIONS]"),
    );
    let topics: usize = args.next().map_or(50_000, |v| v.parse().expect("TOPICS"));
    let partitions: usize = args.next().map_or(10, |v| v.parse().expect("PARTITIONS"));
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
                    throughput: None,
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
    let inventory = Inventory {
        schema_version: SCHEMA_VERSION,
        provenance: Provenance {
            collected_at: "2026-01-01T00:00:00Z".into(),
            tool: "synthetic_inventory".into(),
            ..Provenance::default()
        },
        cluster: Cluster {
            id: Some("synthetic".into()),
            ..Cluster::default()
        },
        topics: all,
        ..Inventory::default()
    };
    let file = std::fs::File::create(out.join("inventory.json")).unwrap();
    let mut writer = std::io::BufWriter::new(file);
    serde_json::to_writer(&mut writer, &inventory).unwrap();
    writer.flush().unwrap();
    std::fs::write(out.join("topics.txt"), list).unwrap();
}
