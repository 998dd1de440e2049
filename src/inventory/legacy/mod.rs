//! The seed's discovery files: importing them into an [`Inventory`] (`discover --from-legacy`)
//! and rendering an inventory back into them (for runbooks built on the old scripts).
//!
//! The files and the Kafka CLI commands that write them:
//!
//! | file | command |
//! |---|---|
//! | `topics_list_source.txt` | `kafka-topics --describe` |
//! | `consumer_groups_source.txt` | `kafka-consumer-groups --describe --all-groups` (or `--list`) |
//! | `consumer_groups_state_source.txt` | `kafka-consumer-groups --describe --all-groups --state` |
//! | `kafka_broker_configs.txt` | `kafka-configs --describe --entity-type brokers --all` |
//! | `topics_offsets_source.json` | `kafka-log-dirs --describe` |
//! | `kafka_version.txt` (optional) | `kafka-topics --version` |
//! | `acls_source.txt` (optional) | `kafka-acls --list` |
//! | `quotas_users_source.txt` (optional) | `kafka-configs --describe --entity-type users` |
//! | `quotas_clients_source.txt` (optional) | `kafka-configs --describe --entity-type clients` |

mod access;
mod configs;
mod groups;
mod log_dirs;
mod render;
mod topics;

use std::collections::BTreeMap;
use std::path::Path;

use miette::Diagnostic;
use thiserror::Error;

use super::model::*;

pub use render::render;

/// The files an import reads, in the order they are read.
pub const FILES: [&str; 5] = [
    "topics_list_source.txt",
    "consumer_groups_source.txt",
    "consumer_groups_state_source.txt",
    "kafka_broker_configs.txt",
    "topics_offsets_source.json",
];

/// The optional files of access facts: ACL bindings, then user and client-id quotas (the users
/// file also lists SCRAM credentials).
pub const ACCESS_FILES: [&str; 3] = [
    "acls_source.txt",
    "quotas_users_source.txt",
    "quotas_clients_source.txt",
];

/// Why an import failed.
#[derive(Debug, Error, Diagnostic)]
pub enum LegacyError {
    /// No file of the seed's discovery was found.
    #[error("{dir} holds none of the seed's discovery files")]
    #[diagnostic(
        code(legacy::empty),
        help(
            "expected topics_list_source.txt, consumer_groups_source.txt, consumer_groups_state_source.txt, kafka_broker_configs.txt or topics_offsets_source.json"
        )
    )]
    Empty {
        /// The directory.
        dir: String,
    },
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    #[diagnostic(code(legacy::io))]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file's text does not have the format its command writes.
    #[error("{file}:{line}: {message}")]
    #[diagnostic(
        code(legacy::format),
        help("the file should hold the unchanged output of the Kafka CLI command")
    )]
    Format {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

pub(crate) fn format_error(file: &str, line: usize, message: impl Into<String>) -> LegacyError {
    LegacyError::Format {
        file: file.into(),
        line,
        // Values echoed in messages are bounded (a 50 MB field must not flood stderr).
        message: crate::snippet::shorten(&message.into()).into_owned(),
    }
}

/// Builds an inventory from the seed's files in `dir`. Missing files make their facts unknown
/// (with a gap); at least one file must be present.
pub fn import(dir: &Path) -> Result<Inventory, LegacyError> {
    let read = |name: &str| -> Result<Option<String>, LegacyError> {
        let path = dir.join(name);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(LegacyError::Io {
                path: path.display().to_string(),
                source,
            }),
        }
    };
    let mut inventory = Inventory {
        schema_version: SCHEMA_VERSION,
        provenance: Provenance {
            method: Method::Imported,
            collected_at: super::discover::rfc3339_now(),
            tool: format!("diskless-migrator {}", env!("CARGO_PKG_VERSION")),
            ..Provenance::default()
        },
        ..Inventory::default()
    };
    let mut gaps = Vec::new();
    let mut gap = |fact: &str, reason: &str| {
        gaps.push(Gap {
            fact: fact.into(),
            subject: None,
            reason: reason.into(),
        })
    };
    let mut found = Vec::new();

    if let Some(text) = read(FILES[0])? {
        found.push(FILES[0]);
        let (topics, mismatches) = topics::parse(FILES[0], &text)?;
        inventory.topics = topics;
        for (topic, reason) in mismatches {
            inventory.gaps.push(Gap {
                fact: "topic".into(),
                subject: Some(topic),
                reason,
            });
        }
        gap(
            "topic_configs",
            "topics_list_source.txt lists only the configs that differ from Kafka's defaults, without their source",
        );
    } else {
        gap("topics", "topics_list_source.txt is missing");
    }
    gap(
        "offsets",
        "the seed's files carry no log start offsets; log end offsets only for partitions a group committed to",
    );

    let mut groups: BTreeMap<String, ConsumerGroup> = BTreeMap::new();
    for name in [FILES[1], FILES[2]] {
        if let Some(text) = read(name)? {
            found.push(name);
            let parsed = groups::parse(name, &text)?;
            parsed.merge_into(&mut groups, &mut inventory.topics);
            for (id, reason) in parsed.missing {
                inventory.gaps.push(Gap {
                    fact: "consumer_group".into(),
                    subject: Some(id),
                    reason,
                });
            }
        }
    }
    if !found.contains(&FILES[1]) && !found.contains(&FILES[2]) {
        gap("consumer_groups", "consumer_groups_source.txt is missing");
    }
    inventory.consumer_groups = groups.into_values().collect();

    if let Some(text) = read(FILES[3])? {
        found.push(FILES[3]);
        inventory.brokers = configs::parse(FILES[3], &text)?;
    } else {
        gap("broker_configs", "kafka_broker_configs.txt is missing");
    }
    // Brokers named as replicas exist even when their configs are not in the files.
    let mut ids: Vec<i32> = inventory
        .topics
        .iter()
        .flat_map(|t| t.partitions.iter().flat_map(|p| p.replicas.iter().copied()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        if !inventory.brokers.iter().any(|b| b.id == id) {
            inventory.brokers.push(Broker {
                id,
                ..Broker::default()
            });
        }
    }
    inventory.brokers.sort_by_key(|b| b.id);

    if let Some(text) = read(FILES[4])? {
        found.push(FILES[4]);
        let sizes = log_dirs::parse(FILES[4], &text)?;
        for topic in &mut inventory.topics {
            for p in &mut topic.partitions {
                let key = (topic.name.clone(), p.partition);
                p.size_bytes = p
                    .leader
                    .and_then(|l| sizes.get(&(l, key.0.clone(), key.1)).copied());
            }
        }
    } else {
        gap("log_dirs", "topics_offsets_source.json is missing");
    }

    if let Some(text) = read("kafka_version.txt")? {
        found.push("kafka_version.txt");
        inventory.cluster.kafka_version = text.split_whitespace().next().map(str::to_owned);
    } else {
        gap("kafka_version", "kafka_version.txt is missing");
    }
    gap("cluster_id", "the seed's files do not carry the cluster id");
    if let Some(text) = read(ACCESS_FILES[0])? {
        found.push(ACCESS_FILES[0]);
        inventory.acls = Some(access::parse_acls(ACCESS_FILES[0], &text)?);
    } else {
        gap(
            "acls",
            "acls_source.txt (`kafka-acls --bootstrap-server HOST:PORT --list`) is missing",
        );
    }
    let mut quotas: Option<Vec<ClientQuota>> = None;
    for (i, name) in ACCESS_FILES[1..].iter().enumerate() {
        if let Some(text) = read(name)? {
            found.push(name);
            let (mut q, users) = access::parse_configs(name, &text)?;
            quotas.get_or_insert_with(Vec::new).append(&mut q);
            if i == 0 {
                inventory.scram_users = Some(users);
            }
        }
    }
    if let Some(q) = &mut quotas {
        q.sort_by(|a, b| (&a.user, &a.client_id).cmp(&(&b.user, &b.client_id)));
    } else {
        gap(
            "quotas",
            "quotas_users_source.txt and quotas_clients_source.txt (`kafka-configs --describe \
             --entity-type users` / `clients`) are missing",
        );
    }
    inventory.quotas = quotas;
    if inventory.scram_users.is_none() {
        gap(
            "scram_users",
            "quotas_users_source.txt (`kafka-configs --describe --entity-type users`) is missing",
        );
    }
    gap("throughput", "the seed's files carry no throughput sample");
    gap(
        "transactional",
        "the seed's files do not tell whether transactional producers write to the topics: run \
         `diskless-migrator discover` against the cluster, or `kafka-transactions.sh \
         --bootstrap-server HOST:PORT describe-producers --topic TOPIC --partition N` for each \
         partition (a producer with a coordinator epoch or a current transaction start offset \
         other than -1 is transactional)",
    );

    if found.is_empty() {
        return Err(LegacyError::Empty {
            dir: dir.display().to_string(),
        });
    }
    inventory.provenance.imported_files = found.iter().map(|s| s.to_string()).collect();
    inventory.gaps.extend(gaps);
    inventory.gaps.sort();
    inventory.gaps.dedup();
    Ok(inventory)
}

/// The seed's text formats never make a reader panic, and their diagnostics render.
#[cfg(test)]
mod hostile_input {
    use crate::hostile_input_tests::{config, hostile, render};
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "Topic: ",
        "\tTopic: ",
        "orders",
        "\t",
        "Partition: ",
        "PartitionCount: ",
        "Leader: ",
        "Replicas: ",
        "1,2",
        "Isr: ",
        "none",
        "Configs: ",
        "a=b,c",
        "-1",
        "99999999999",
        "GROUP",
        "TOPIC",
        "PARTITION",
        "CURRENT-OFFSET",
        "LOG-END-OFFSET",
        "LAG",
        "CONSUMER-ID",
        "-",
        " ",
        "\"size\":",
        "{",
        "}",
        "[",
        "]",
        "brokers",
        "logDirs",
        "partitions",
        "Dynamic",
        "config for broker",
    ];

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn legacy_readers_never_panic(text in hostile(PIECES)) {
            if let Err(e) = super::topics::parse("t.txt", &text) { render(&e); }
            if let Err(e) = super::groups::parse("g.txt", &text) { render(&e); }
            if let Err(e) = super::configs::parse("c.txt", &text) { render(&e); }
            if let Err(e) = super::log_dirs::parse("l.txt", &text) { render(&e); }
        }
    }
}
