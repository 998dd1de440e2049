//! `kafka-log-dirs --describe`: two lines of chatter, then one JSON document.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{LegacyError, format_error};

/// `(broker, topic, partition) → bytes` of each replica (future replicas left out).
pub type Sizes = BTreeMap<(i32, String, i32), u64>;

#[derive(Deserialize)]
struct Doc {
    brokers: Vec<BrokerDirs>,
}

#[derive(Deserialize)]
struct BrokerDirs {
    broker: i32,
    #[serde(rename = "logDirs")]
    log_dirs: Vec<Dir>,
}

#[derive(Deserialize)]
struct Dir {
    #[serde(default)]
    partitions: Vec<Replica>,
}

#[derive(Deserialize)]
struct Replica {
    partition: String,
    size: u64,
    #[serde(rename = "isFuture", default)]
    is_future: bool,
}

/// Parses the file.
pub fn parse(file: &str, text: &str) -> Result<Sizes, LegacyError> {
    let (line, json) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with('{'))
        .ok_or_else(|| format_error(file, 1, "no JSON document found"))?;
    let doc: Doc = serde_json::from_str(json).map_err(|e| format_error(file, line + 1, e.to_string()))?;
    let mut sizes = Sizes::new();
    for broker in doc.brokers {
        for dir in broker.log_dirs {
            for replica in dir.partitions.into_iter().filter(|r| !r.is_future) {
                // The partition number follows the last '-': `events-2024-0` is events-2024/0.
                let (topic, number) = replica.partition.rsplit_once('-').ok_or_else(|| {
                    format_error(
                        file,
                        line + 1,
                        format!("bad partition name {}", replica.partition),
                    )
                })?;
                let number = number.parse().map_err(|_| {
                    format_error(
                        file,
                        line + 1,
                        format!("bad partition name {}", replica.partition),
                    )
                })?;
                *sizes
                    .entry((broker.broker, topic.to_owned(), number))
                    .or_default() += replica.size;
            }
        }
    }
    Ok(sizes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_names_ending_in_digits() {
        let text = "Querying brokers for log directories information\nReceived log directory information from brokers 1\n{\"brokers\":[{\"broker\":1,\"logDirs\":[{\"partitions\":[{\"partition\":\"events-2024-10\",\"size\":911,\"offsetLag\":0,\"isFuture\":false},{\"partition\":\"events-2024-10\",\"size\":5,\"offsetLag\":0,\"isFuture\":true}],\"error\":null,\"logDir\":\"/d\"}]}],\"version\":1}\n";
        let sizes = parse("f", text).unwrap();
        assert_eq!(sizes.get(&(1, "events-2024".into(), 10)), Some(&911));
        assert_eq!(sizes.len(), 1);
    }
}
