//! `kafka-topics --describe`: a header line per topic, then one tab-indented line per partition.
//!
//! ```text
//! Topic: orders\tTopicId: igW4…\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: cleanup.policy=compact,delete
//! \tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: \tLastKnownElr:
//! ```

use super::{LegacyError, format_error};
use crate::inventory::model::{ConfigEntry, ConfigSource, Partition, Topic};

/// A topic whose header's `PartitionCount` disagrees with the partition lines listed for it
/// (the file was cut short, or edited): the topic and why, for a `gaps` entry.
pub type CountMismatch = (String, String);

/// Parses the whole file; topics come out sorted by name, with the topics whose
/// `PartitionCount` disagrees with their partition lines. A partition listed twice is an error.
pub fn parse(file: &str, text: &str) -> Result<(Vec<Topic>, Vec<CountMismatch>), LegacyError> {
    let mut topics: Vec<Topic> = Vec::new();
    // Per topic header, in file order: its line and the PartitionCount it declares.
    let mut declared: Vec<(usize, Option<usize>)> = Vec::new();
    // (topic index, partition) pairs seen, so a repeated partition line is caught in linear time.
    let mut seen = std::collections::HashSet::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let fields = fields(line);
        let get = |key: &str| fields.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        let Some(name) = get("Topic") else {
            // Warnings and other chatter of the tool.
            continue;
        };
        if let Some(partition) = get("Partition") {
            let index = topics.iter().rposition(|t| t.name == name).ok_or_else(|| {
                format_error(
                    file,
                    number,
                    format!("partition of topic {name} before its header"),
                )
            })?;
            let partition = partition
                .parse()
                .map_err(|_| format_error(file, number, format!("bad partition number {partition:?}")))?;
            let topic = &mut topics[index];
            if !seen.insert((index, partition)) {
                return Err(format_error(
                    file,
                    number,
                    format!("partition {partition} of topic {name} is listed twice"),
                ));
            }
            topic.partitions.push(Partition {
                partition,
                leader: get("Leader")
                    .and_then(|l| l.parse().ok())
                    .filter(|l: &i32| *l >= 0),
                replicas: ids(get("Replicas").unwrap_or_default()),
                isr: ids(get("Isr").unwrap_or_default()),
                ..Partition::default()
            });
        } else {
            topics.push(Topic {
                name: name.to_owned(),
                id: get("TopicId").filter(|id| !id.is_empty()).map(str::to_owned),
                internal: name.starts_with("__"),
                partitions: Vec::new(),
                configs: Some(configs(get("Configs").unwrap_or_default())),
                transactional: None,
                transactional_evidence: None,
            });
            declared.push((number, get("PartitionCount").and_then(|c| c.trim().parse().ok())));
        }
    }
    let mismatches = topics
        .iter()
        .zip(&declared)
        .filter_map(|(t, (line, count))| {
            let count = (*count)?;
            (count != t.partitions.len()).then(|| {
                (
                    t.name.clone(),
                    format!(
                        "{file}:{line}: PartitionCount says {count} but {} partition line(s) follow; \
                         the file may be cut short: the topic's partitions are incomplete",
                        t.partitions.len()
                    ),
                )
            })
        })
        .collect();
    topics.sort_by(|a, b| a.name.cmp(&b.name));
    for t in &mut topics {
        t.partitions.sort_by_key(|p| p.partition);
    }
    Ok((topics, mismatches))
}

/// `Key: value` fields separated by tabs; `Configs` is always the last field of a header.
fn fields(line: &str) -> Vec<(&str, &str)> {
    line.split('\t')
        .filter_map(|field| {
            let (key, value) = field.split_once(':')?;
            Some((key.trim(), value.trim()))
        })
        .collect()
}

fn ids(list: &str) -> Vec<i32> {
    list.split(',').filter_map(|s| s.trim().parse().ok()).collect()
}

/// `a=b,c=d`, where a value may itself hold commas (`cleanup.policy=compact,delete`): a piece
/// that does not start with `name=` continues the previous value.
pub fn configs(list: &str) -> Vec<ConfigEntry> {
    let mut out: Vec<ConfigEntry> = Vec::new();
    for piece in list.split(',') {
        let starts_entry = piece.split_once('=').is_some_and(|(k, _)| {
            !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        });
        match (starts_entry, out.last_mut()) {
            (false, Some(last)) => {
                let value = last.value.get_or_insert_with(String::new);
                value.push(',');
                value.push_str(piece);
            }
            _ => {
                if piece.is_empty() {
                    continue;
                }
                let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
                out.push(ConfigEntry {
                    name: name.to_owned(),
                    value: Some(value.to_owned()),
                    source: ConfigSource::Unknown,
                    sensitive: false,
                });
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Topic: orders\tTopicId: igW4M_ECQaGzylfEs5MZIA\tPartitionCount: 2\tReplicationFactor: 2\tConfigs: min.insync.replicas=1,cleanup.policy=compact,delete,retention.ms=86400000,leader.replication.throttled.replicas=0:1,1:2\n\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: 1,2\tElr: \tLastKnownElr: \n\tTopic: orders\tPartition: 1\tLeader: none\tReplicas: 2,1\tIsr: 2\tElr: \tLastKnownElr: \nTopic: a-1\tTopicId: FcpPyy8_TJyM__cGxXwHNQ\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: \n\tTopic: a-1\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: \tLastKnownElr: \n";

    #[test]
    fn a_partition_count_that_disagrees_is_reported() {
        let cut = TEXT.replace(
            "\tTopic: orders\tPartition: 1\tLeader: none\tReplicas: 2,1\tIsr: 2\tElr: \tLastKnownElr: \n",
            "",
        );
        let (_, mismatches) = parse("t", &cut).unwrap();
        assert_eq!(mismatches.len(), 1, "{mismatches:?}");
        assert_eq!(mismatches[0].0, "orders");
        assert!(
            mismatches[0]
                .1
                .starts_with("t:1: PartitionCount says 2 but 1 partition line(s)"),
            "{mismatches:?}"
        );
    }

    #[test]
    fn a_partition_listed_twice_is_an_error() {
        let line = "\tTopic: a-1\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: \tLastKnownElr: \n";
        let err = parse("t", &format!("{TEXT}{line}")).unwrap_err();
        assert!(
            err.to_string()
                .contains("partition 0 of topic a-1 is listed twice"),
            "{err}"
        );
    }

    #[test]
    fn topics_partitions_and_configs_with_commas() {
        let (topics, mismatches) = parse("t", TEXT).unwrap();
        assert!(mismatches.is_empty(), "{mismatches:?}");
        assert_eq!(topics.len(), 2);
        let orders = &topics[1];
        assert_eq!(orders.id.as_deref(), Some("igW4M_ECQaGzylfEs5MZIA"));
        assert_eq!(orders.config("cleanup.policy"), Some("compact,delete"));
        assert_eq!(orders.config("retention.ms"), Some("86400000"));
        assert_eq!(
            orders.config("leader.replication.throttled.replicas"),
            Some("0:1,1:2")
        );
        assert_eq!(orders.partitions[0].replicas, vec![1, 2]);
        assert_eq!(orders.partitions[1].leader, None);
        assert_eq!(orders.partitions[1].isr, vec![2]);
        assert_eq!(topics[0].configs.as_ref().unwrap().len(), 0);
    }
}
