//! A topic as `plan` reads it: its partitions' totals instead of every partition.
//!
//! `plan` needs a topic's name, configs and a few totals over its partitions, never a replica
//! list or an offset. Reading an inventory into [`TopicSummary`] instead of [`Topic`] checks the
//! same JSON just as strictly (every field must have the type the format says) but keeps only
//! the totals, so a 500,000-partition inventory is not held in memory partition by partition.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use super::model::{ConfigEntry, Inventory, Throughput, Topic, TransactionalEvidence, config_value};

/// A topic with its partitions summed up; see the module documentation.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(from = "CheckedTopic")]
pub struct TopicSummary {
    /// Topic name.
    pub name: String,
    /// True for Kafka's internal topics.
    pub internal: bool,
    /// Totals over the partitions.
    pub partitions: PartitionTotals,
    /// Topic configs, or `None` when they could not be read.
    pub configs: Option<Vec<ConfigEntry>>,
    /// Whether transactional producers write to this topic: `None` when unknown.
    pub transactional: Option<bool>,
    /// What was read to decide `transactional`, when anything was.
    pub transactional_evidence: Option<TransactionalEvidence>,
}

/// One topic as the format has it, with the fields a summary does not keep checked and dropped.
#[derive(Deserialize)]
struct CheckedTopic {
    name: String,
    #[serde(rename = "id")]
    _id: Option<CheckedString>,
    #[serde(default)]
    internal: bool,
    partitions: PartitionTotals,
    configs: Option<Vec<ConfigEntry>>,
    transactional: Option<bool>,
    #[serde(default)]
    transactional_evidence: Option<TransactionalEvidence>,
}

impl From<CheckedTopic> for TopicSummary {
    fn from(topic: CheckedTopic) -> Self {
        TopicSummary {
            name: topic.name,
            internal: topic.internal,
            partitions: topic.partitions,
            configs: topic.configs,
            transactional: topic.transactional,
            transactional_evidence: topic.transactional_evidence,
        }
    }
}

/// Totals over the partitions of a topic.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PartitionTotals {
    /// Number of partitions.
    pub count: u32,
    /// Total size in bytes, or `None` if any partition's size is unknown.
    pub size_bytes: Option<u64>,
    /// Total measured bytes per second, or `None` if any partition was not sampled.
    pub bytes_per_second: Option<f64>,
    /// Replication factor on the source: the number of replicas every partition lists, or
    /// `None` when a partition lists none or partitions differ.
    pub replication_factor: Option<u32>,
}

impl TopicSummary {
    /// The summary of a topic already read in full.
    pub fn of(topic: &Topic) -> Self {
        TopicSummary {
            name: topic.name.clone(),
            internal: topic.internal,
            partitions: PartitionTotals {
                count: u32::try_from(topic.partitions.len()).unwrap_or(u32::MAX),
                size_bytes: topic.size_bytes(),
                bytes_per_second: topic.bytes_per_second(),
                replication_factor: same_replica_count(topic),
            },
            configs: topic.configs.clone(),
            transactional: topic.transactional,
            transactional_evidence: topic.transactional_evidence.clone(),
        }
    }

    /// The value of a topic config, when it is known.
    pub fn config(&self, name: &str) -> Option<&str> {
        config_value(self.configs.as_deref(), name)
    }
}

/// The replica count every partition of `topic` lists, when they agree and it is not zero.
fn same_replica_count(topic: &Topic) -> Option<u32> {
    let first = topic.partitions.first()?.replicas.len();
    topic
        .partitions
        .iter()
        .all(|p| p.replicas.len() == first)
        .then(|| u32::try_from(first).unwrap_or(u32::MAX))
        .filter(|r| *r > 0)
}

impl Inventory {
    /// This inventory with every topic summarized, as `plan` reads it.
    pub fn summarized(self) -> Inventory<TopicSummary> {
        let topics = self.topics.iter().map(TopicSummary::of).collect();
        self.with_topics(topics)
    }
}

impl PartitionTotals {
    /// Adds one partition, in order, the way [`Topic::size_bytes`] and
    /// [`Topic::bytes_per_second`] sum them. Sizes that add up past `u64::MAX` are an error,
    /// never a wrapped total: no real topic holds 16 EiB, so a size is wrong.
    fn add(&mut self, partition: &PartitionFacts) -> Result<(), String> {
        let replicas = u32::try_from(partition.replicas.0).unwrap_or(u32::MAX);
        self.replication_factor = match self.count {
            0 => Some(replicas),
            _ => self.replication_factor.filter(|r| *r == replicas),
        }
        .filter(|r| *r > 0);
        self.count = self.count.saturating_add(1);
        self.size_bytes = match (self.size_bytes, partition.size_bytes) {
            (Some(a), Some(b)) => Some(a.checked_add(b).ok_or_else(|| {
                format!(
                    "the size_bytes of the partitions up to partition {} add up to more than {} bytes; \
                     a size is wrong",
                    partition.partition,
                    u64::MAX
                )
            })?),
            _ => None,
        };
        self.bytes_per_second = self
            .bytes_per_second
            .zip(partition.throughput.as_ref())
            .map(|(a, t)| a + t.bytes_per_second);
        Ok(())
    }
}

impl<'de> Deserialize<'de> for PartitionTotals {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Partitions;
        impl<'de> Visitor<'de> for Partitions {
            type Value = PartitionTotals;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of partitions")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<PartitionTotals, A::Error> {
                let mut totals = PartitionTotals {
                    count: 0,
                    size_bytes: Some(0),
                    bytes_per_second: Some(0.0),
                    replication_factor: None,
                };
                // A partition listed twice would be counted twice.
                let mut seen = std::collections::HashSet::new();
                while let Some(partition) = seq.next_element::<PartitionFacts>()? {
                    if !seen.insert(partition.partition) {
                        return Err(serde::de::Error::custom(format!(
                            "partition {} is listed twice; each partition appears once",
                            partition.partition
                        )));
                    }
                    totals.add(&partition).map_err(serde::de::Error::custom)?;
                }
                Ok(totals)
            }
        }
        deserializer.deserialize_seq(Partitions)
    }
}

/// One partition as the format has it, with the fields `plan` does not read checked and dropped.
#[derive(Deserialize)]
struct PartitionFacts {
    partition: i32,
    #[serde(rename = "leader")]
    _leader: Option<i32>,
    replicas: CheckedBrokerIds,
    #[serde(rename = "isr")]
    _isr: CheckedBrokerIds,
    #[serde(rename = "earliest_offset")]
    _earliest_offset: Option<i64>,
    #[serde(rename = "latest_offset")]
    _latest_offset: Option<i64>,
    size_bytes: Option<u64>,
    throughput: Option<Throughput>,
}

/// A list of broker ids, checked to be one; only its length is kept.
struct CheckedBrokerIds(usize);

impl<'de> Deserialize<'de> for CheckedBrokerIds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Ids;
        impl<'de> Visitor<'de> for Ids {
            type Value = CheckedBrokerIds;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of broker ids")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<CheckedBrokerIds, A::Error> {
                let mut count = 0;
                while seq.next_element::<i32>()?.is_some() {
                    count += 1;
                }
                Ok(CheckedBrokerIds(count))
            }
        }
        deserializer.deserialize_seq(Ids)
    }
}

/// A string, checked to be one and dropped.
struct CheckedString;

impl<'de> Deserialize<'de> for CheckedString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnyString;
        impl Visitor<'_> for AnyString {
            type Value = CheckedString;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<CheckedString, E> {
                Ok(CheckedString)
            }
        }
        deserializer.deserialize_str(AnyString)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn summaries_match_the_full_topics() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/inventory.json");
        let bytes = std::fs::read(path).unwrap();
        let full: Inventory = serde_json::from_slice(&bytes).unwrap();
        let summarized: Inventory<TopicSummary> = serde_json::from_slice(&bytes).unwrap();
        let expected = full.summarized();
        assert!(expected.topics.iter().any(|t| t.partitions.count > 1));
        assert!(
            expected
                .topics
                .iter()
                .any(|t| t.partitions.size_bytes.is_some_and(|s| s > 0))
        );
        assert_eq!(summarized, expected);
    }

    #[test]
    fn unknown_sizes_and_rates_stay_unknown() {
        let json = r#"{"name": "t", "id": null, "partitions": [
            {"partition": 0, "leader": 1, "replicas": [1], "isr": [1], "earliest_offset": 0,
             "latest_offset": 5, "size_bytes": 10,
             "throughput": {"messages_per_second": 1.0, "bytes_per_second": 2.5}},
            {"partition": 1, "leader": null, "replicas": [], "isr": [], "earliest_offset": null,
             "latest_offset": null, "size_bytes": null, "throughput": null}
        ], "configs": null, "transactional": null}"#;
        let topic: Topic = serde_json::from_str(json).unwrap();
        let summary: TopicSummary = serde_json::from_str(json).unwrap();
        assert_eq!(summary, TopicSummary::of(&topic));
        assert_eq!(summary.partitions.count, 2);
        assert_eq!(summary.partitions.size_bytes, None);
        assert_eq!(summary.partitions.bytes_per_second, None);
    }

    fn two_partitions(first: i32, second: i32, size: u64) -> String {
        let p = |n: i32| {
            format!(
                r#"{{"partition": {n}, "leader": 1, "replicas": [1], "isr": [1], "earliest_offset": 0,
                    "latest_offset": 5, "size_bytes": {size}, "throughput": null}}"#
            )
        };
        format!(
            r#"{{"name": "t", "id": null, "partitions": [{}, {}], "configs": null, "transactional": null}}"#,
            p(first),
            p(second)
        )
    }

    #[test]
    fn sizes_past_u64_are_an_error_not_a_wrapped_total() {
        let json = two_partitions(0, 1, 1 << 63);
        let err = serde_json::from_str::<TopicSummary>(&json).unwrap_err();
        assert!(err.to_string().contains("add up to more than"), "{err}");
        let topic: Topic = serde_json::from_str(&json).unwrap();
        assert_eq!(topic.size_bytes(), None);
        assert_eq!(
            serde_json::from_str::<TopicSummary>(&two_partitions(0, 1, 1 << 62))
                .unwrap()
                .partitions
                .size_bytes,
            Some(1 << 63)
        );
    }

    #[test]
    fn a_partition_listed_twice_is_an_error() {
        let err = serde_json::from_str::<TopicSummary>(&two_partitions(3, 3, 1)).unwrap_err();
        assert!(err.to_string().contains("partition 3 is listed twice"), "{err}");
    }

    #[test]
    fn fields_it_drops_are_still_checked() {
        let topic = |partition: &str| {
            format!(
                r#"{{"name": "t", "id": null, "partitions": [{partition}], "configs": null, "transactional": null}}"#
            )
        };
        let good = r#"{"partition": 0, "leader": 1, "replicas": [1, 2], "isr": [1], "earliest_offset": 0, "latest_offset": 5, "size_bytes": 10, "throughput": null}"#;
        assert!(serde_json::from_str::<TopicSummary>(&topic(good)).is_ok());
        for broken in [
            good.replace("[1, 2]", "[1, \"two\"]"),
            good.replace("\"isr\": [1]", "\"isr\": 1"),
            good.replace("\"leader\": 1", "\"leader\": \"one\""),
            good.replace("\"earliest_offset\": 0", "\"earliest_offset\": -0.5"),
            good.replace("\"replicas\": [1, 2], ", ""),
        ] {
            let full = serde_json::from_str::<Topic>(&topic(&broken));
            let summary = serde_json::from_str::<TopicSummary>(&topic(&broken));
            assert!(full.is_err() && summary.is_err(), "{broken}");
        }
        let bad_id = topic(good).replace("\"id\": null", "\"id\": 7");
        assert!(serde_json::from_str::<TopicSummary>(&bad_id).is_err());
    }
}
