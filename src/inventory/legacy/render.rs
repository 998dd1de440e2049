//! Renders an inventory as the seed's text files, in the Kafka CLI tools' formats, so runbooks
//! built on the old scripts keep working. `--from-legacy` reads these files back.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::inventory::model::{ConfigSource, Inventory};

/// `(file name, contents)` of the five files.
pub fn render(inv: &Inventory) -> Vec<(String, String)> {
    vec![
        ("topics_list_source.txt".into(), topics(inv)),
        ("consumer_groups_source.txt".into(), group_offsets(inv)),
        ("consumer_groups_state_source.txt".into(), group_states(inv)),
        ("kafka_broker_configs.txt".into(), broker_configs(inv)),
        ("topics_offsets_source.json".into(), log_dirs(inv)),
    ]
}

fn source_name(s: ConfigSource) -> &'static str {
    match s {
        ConfigSource::DynamicTopic => "DYNAMIC_TOPIC_CONFIG",
        ConfigSource::DynamicBroker => "DYNAMIC_BROKER_CONFIG",
        ConfigSource::DynamicDefaultBroker => "DYNAMIC_DEFAULT_BROKER_CONFIG",
        ConfigSource::DynamicBrokerLogger => "DYNAMIC_BROKER_LOGGER_CONFIG",
        ConfigSource::StaticBroker => "STATIC_BROKER_CONFIG",
        ConfigSource::Default => "DEFAULT_CONFIG",
        ConfigSource::Unknown => "UNKNOWN_CONFIG",
    }
}

fn list(ids: &[i32]) -> String {
    ids.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
}

fn topics(inv: &Inventory) -> String {
    let mut out = String::new();
    for t in &inv.topics {
        // Like the tool: the configs that are not Kafka's defaults, sensitive ones as null.
        let configs: Vec<String> = t
            .configs
            .iter()
            .flatten()
            .filter(|c| c.source != ConfigSource::Default)
            .map(|c| format!("{}={}", c.name, c.value.as_deref().unwrap_or("null")))
            .collect();
        let _ = writeln!(
            out,
            "Topic: {}\tTopicId: {}\tPartitionCount: {}\tReplicationFactor: {}\tConfigs: {}",
            t.name,
            t.id.as_deref().unwrap_or(""),
            t.partitions.len(),
            t.replication_factor().unwrap_or(0),
            configs.join(",")
        );
        for p in &t.partitions {
            let _ = writeln!(
                out,
                "\tTopic: {}\tPartition: {}\tLeader: {}\tReplicas: {}\tIsr: {}\tElr: \tLastKnownElr: ",
                t.name,
                p.partition,
                p.leader.map(|l| l.to_string()).unwrap_or_else(|| "none".into()),
                list(&p.replicas),
                list(&p.isr)
            );
        }
    }
    out
}

/// Left-aligned columns, each as wide as its widest cell (at least `min`), one space apart.
fn table(header: &[&str], rows: &[Vec<String>], min: &[usize]) -> String {
    let widths: Vec<usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([h.len(), min[i]])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(c);
            } else {
                let _ = write!(s, "{c:<w$} ", w = widths[i]);
            }
        }
        s.trim_end().to_owned() + "\n"
    };
    let mut out = line(header.to_vec());
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}

fn group_offsets(inv: &Inventory) -> String {
    let ends: BTreeMap<(&str, i32), Option<i64>> = inv
        .topics
        .iter()
        .flat_map(|t| {
            t.partitions
                .iter()
                .map(move |p| ((t.name.as_str(), p.partition), p.latest_offset))
        })
        .collect();
    let mut out = String::new();
    for g in &inv.consumer_groups {
        let mut owner: BTreeMap<(&str, i32), (&str, &str, &str)> = BTreeMap::new();
        for m in g.members.iter().flatten() {
            for a in &m.assignment {
                owner.insert(
                    (a.topic.as_str(), a.partition),
                    (
                        m.member_id.as_str(),
                        m.host.as_deref().unwrap_or("-"),
                        m.client_id.as_deref().unwrap_or("-"),
                    ),
                );
            }
        }
        let mut keys: Vec<(&str, i32)> = g
            .offsets
            .iter()
            .flatten()
            .map(|o| (o.topic.as_str(), o.partition))
            .chain(owner.keys().copied())
            .collect();
        keys.sort();
        keys.dedup();
        if g.members.as_ref().is_some_and(Vec::is_empty) && keys.is_empty() {
            continue;
        }
        let rows: Vec<Vec<String>> = keys
            .iter()
            .map(|&(topic, partition)| {
                let committed = g
                    .offsets
                    .iter()
                    .flatten()
                    .find(|o| o.topic == topic && o.partition == partition)
                    .map(|o| o.offset);
                let end = ends.get(&(topic, partition)).copied().flatten();
                let lag = match (committed, end) {
                    (Some(c), Some(e)) => (e - c).max(0).to_string(),
                    _ => "-".into(),
                };
                let (member, host, client) =
                    owner.get(&(topic, partition)).copied().unwrap_or(("-", "-", "-"));
                vec![
                    g.id.clone(),
                    topic.to_owned(),
                    partition.to_string(),
                    committed.map(|c| c.to_string()).unwrap_or_else(|| "-".into()),
                    end.map(|e| e.to_string()).unwrap_or_else(|| "-".into()),
                    lag,
                    member.to_owned(),
                    host.to_owned(),
                    client.to_owned(),
                ]
            })
            .collect();
        out.push('\n');
        out.push_str(&table(
            &[
                "GROUP",
                "TOPIC",
                "PARTITION",
                "CURRENT-OFFSET",
                "LOG-END-OFFSET",
                "LAG",
                "CONSUMER-ID",
                "HOST",
                "CLIENT-ID",
            ],
            &rows,
            &[15, 15, 10, 15, 15, 15, 15, 15, 0],
        ));
    }
    out
}

fn group_states(inv: &Inventory) -> String {
    let mut out = String::new();
    for g in &inv.consumer_groups {
        let coordinator = g
            .coordinator
            .and_then(|id| {
                let b = inv.brokers.iter().find(|b| b.id == id)?;
                Some(format!(
                    "{}:{}  ({id})",
                    b.host.as_deref().unwrap_or(""),
                    b.port.unwrap_or(0)
                ))
            })
            .unwrap_or_else(|| "-".into());
        let row = vec![
            g.id.clone(),
            coordinator,
            g.assignment_strategy.clone().unwrap_or_default(),
            g.state.clone().unwrap_or_else(|| "Unknown".into()),
            g.members
                .as_ref()
                .map(|m| m.len().to_string())
                .unwrap_or_else(|| "-".into()),
        ];
        out.push('\n');
        out.push_str(&table(
            &[
                "GROUP",
                "COORDINATOR (ID)",
                "ASSIGNMENT-STRATEGY",
                "STATE",
                "#MEMBERS",
            ],
            &[row],
            &[15, 25, 20, 20, 0],
        ));
    }
    out
}

fn broker_configs(inv: &Inventory) -> String {
    let mut out = String::new();
    for b in &inv.brokers {
        let Some(configs) = &b.configs else { continue };
        let _ = writeln!(out, "All configs for broker {} are:", b.id);
        for c in configs {
            let value = if c.sensitive { None } else { c.value.as_deref() };
            let value = value.unwrap_or("null");
            let synonyms = if c.sensitive || c.value.is_none() {
                String::new()
            } else {
                format!("{}:{}={}", source_name(c.source), c.name, value)
            };
            let _ = writeln!(
                out,
                "  {}={} sensitive={} synonyms={{{}}}",
                c.name, value, c.sensitive, synonyms
            );
        }
    }
    out
}

fn log_dirs(inv: &Inventory) -> String {
    let mut by_broker: BTreeMap<i32, Vec<serde_json::Value>> =
        inv.brokers.iter().map(|b| (b.id, Vec::new())).collect();
    for t in &inv.topics {
        for p in &t.partitions {
            if let (Some(leader), Some(size)) = (p.leader, p.size_bytes) {
                by_broker.entry(leader).or_default().push(serde_json::json!({
                    "partition": format!("{}-{}", t.name, p.partition),
                    "size": size,
                    "offsetLag": 0,
                    "isFuture": false,
                }));
            }
        }
    }
    let ids: Vec<String> = by_broker.keys().map(i32::to_string).collect();
    let brokers: Vec<serde_json::Value> = by_broker
        .into_iter()
        .map(|(broker, partitions)| {
            serde_json::json!({
                "broker": broker,
                "logDirs": [{"partitions": partitions, "error": null, "logDir": "leader-replicas"}],
            })
        })
        .collect();
    format!(
        "Querying brokers for log directories information\nReceived log directory information from brokers {}\n{}\n",
        ids.join(","),
        serde_json::json!({"brokers": brokers, "version": 1})
    )
}
