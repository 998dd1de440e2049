//! Translation of a source topic's configs into `aiven_kafka_topic` `config` keys.
//!
//! Only configs set explicitly on the source are considered
//! ([`crate::inventory::ConfigSource::is_explicit`]):
//! a value that is Kafka's default stays the destination's default and is neither carried nor
//! listed. Every explicit config is either carried over (renamed to the provider's key, typed
//! as the provider wants: integers as strings, ratios as numbers, flags as booleans) or listed
//! in `dropped_configs` with the reason. The table is [`RULES`]; `docs/plan.md` documents it.

use std::collections::BTreeMap;

use crate::inventory::TopicSummary;

use super::model::{ConfigValue, Decision, DroppedConfig};

/// The provider type of a config value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An integer the provider takes as a string.
    Integer,
    /// One of a fixed set of strings.
    Enum(&'static [&'static str]),
    /// A floating point number.
    Ratio,
    /// `true` or `false`.
    Bool,
    /// Any string (a version such as `3.0-IV1`).
    Text,
}

/// To which destination topics a config applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applies {
    /// Diskless and classic topics.
    Always,
    /// Classic topics only; dropped on diskless topics with the reason.
    ClassicOnly(&'static str),
    /// Classic topics with tiered storage only.
    TieredOnly,
    /// Never carried; the reason.
    Never(&'static str),
}

/// One row of the translation table.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// Kafka config name.
    pub kafka: &'static str,
    /// `aiven_kafka_topic` `config` key.
    pub provider: &'static str,
    /// Value type.
    pub kind: Kind,
    /// Where it applies.
    pub applies: Applies,
}

const COMPACTION_ONLY: &str = "applies only to compacted topics, and diskless topics are never compacted";
const REPLICATION: &str =
    "replication-related; a diskless topic has one replica and its durability comes from object storage";
const LOCAL_LOG: &str = "tunes the local log, which a diskless topic does not have";

/// The translation table, sorted by Kafka name.
pub const RULES: &[Rule] = &[
    rule(
        "cleanup.policy",
        "cleanup_policy",
        Kind::Enum(&["compact", "compact,delete", "delete"]),
        Applies::Always,
    ),
    rule(
        "compression.type",
        "compression_type",
        Kind::Enum(&["gzip", "lz4", "producer", "snappy", "uncompressed", "zstd"]),
        Applies::Always,
    ),
    rule(
        "delete.retention.ms",
        "delete_retention_ms",
        Kind::Integer,
        Applies::ClassicOnly(COMPACTION_ONLY),
    ),
    rule(
        "diskless.enable",
        "diskless_enable",
        Kind::Bool,
        Applies::Never("set by the plan from the decision, not copied"),
    ),
    rule(
        "file.delete.delay.ms",
        "file_delete_delay_ms",
        Kind::Integer,
        Applies::ClassicOnly(LOCAL_LOG),
    ),
    rule(
        "flush.messages",
        "flush_messages",
        Kind::Integer,
        Applies::ClassicOnly(LOCAL_LOG),
    ),
    rule(
        "flush.ms",
        "flush_ms",
        Kind::Integer,
        Applies::ClassicOnly(LOCAL_LOG),
    ),
    rule(
        "follower.replication.throttled.replicas",
        "",
        Kind::Integer,
        Applies::Never("a replication throttle of the source cluster, not a property of the data"),
    ),
    rule(
        "index.interval.bytes",
        "index_interval_bytes",
        Kind::Integer,
        Applies::ClassicOnly(LOCAL_LOG),
    ),
    rule(
        "leader.replication.throttled.replicas",
        "",
        Kind::Integer,
        Applies::Never("a replication throttle of the source cluster, not a property of the data"),
    ),
    rule(
        "local.retention.bytes",
        "local_retention_bytes",
        Kind::Integer,
        Applies::TieredOnly,
    ),
    rule(
        "local.retention.ms",
        "local_retention_ms",
        Kind::Integer,
        Applies::TieredOnly,
    ),
    rule(
        "max.compaction.lag.ms",
        "max_compaction_lag_ms",
        Kind::Integer,
        Applies::ClassicOnly(COMPACTION_ONLY),
    ),
    rule(
        "max.message.bytes",
        "max_message_bytes",
        Kind::Integer,
        Applies::Always,
    ),
    rule(
        "message.downconversion.enable",
        "message_downconversion_enable",
        Kind::Bool,
        Applies::Never("message down-conversion was removed in Kafka 4.0"),
    ),
    rule(
        "message.format.version",
        "message_format_version",
        Kind::Text,
        Applies::Never("ignored by Kafka 4.0 and newer"),
    ),
    rule(
        "message.timestamp.after.max.ms",
        "message_timestamp_after_max_ms",
        Kind::Integer,
        Applies::Always,
    ),
    rule(
        "message.timestamp.before.max.ms",
        "message_timestamp_before_max_ms",
        Kind::Integer,
        Applies::Always,
    ),
    rule(
        "message.timestamp.difference.max.ms",
        "message_timestamp_difference_max_ms",
        Kind::Integer,
        Applies::Always,
    ),
    rule(
        "message.timestamp.type",
        "message_timestamp_type",
        Kind::Enum(&["CreateTime", "LogAppendTime"]),
        Applies::Always,
    ),
    rule(
        "min.cleanable.dirty.ratio",
        "min_cleanable_dirty_ratio",
        Kind::Ratio,
        Applies::ClassicOnly(COMPACTION_ONLY),
    ),
    rule(
        "min.compaction.lag.ms",
        "min_compaction_lag_ms",
        Kind::Integer,
        Applies::ClassicOnly(COMPACTION_ONLY),
    ),
    rule(
        "min.insync.replicas",
        "min_insync_replicas",
        Kind::Integer,
        Applies::ClassicOnly(REPLICATION),
    ),
    rule(
        "preallocate",
        "preallocate",
        Kind::Bool,
        Applies::ClassicOnly(LOCAL_LOG),
    ),
    rule(
        "remote.storage.enable",
        "remote_storage_enable",
        Kind::Bool,
        Applies::TieredOnly,
    ),
    rule(
        "retention.bytes",
        "retention_bytes",
        Kind::Integer,
        Applies::Always,
    ),
    rule("retention.ms", "retention_ms", Kind::Integer, Applies::Always),
    rule("segment.bytes", "segment_bytes", Kind::Integer, Applies::Always),
    rule(
        "segment.index.bytes",
        "segment_index_bytes",
        Kind::Integer,
        Applies::ClassicOnly(LOCAL_LOG),
    ),
    rule(
        "segment.jitter.ms",
        "segment_jitter_ms",
        Kind::Integer,
        Applies::Always,
    ),
    rule("segment.ms", "segment_ms", Kind::Integer, Applies::Always),
    rule(
        "unclean.leader.election.enable",
        "unclean_leader_election_enable",
        Kind::Bool,
        Applies::ClassicOnly(REPLICATION),
    ),
];

const fn rule(kafka: &'static str, provider: &'static str, kind: Kind, applies: Applies) -> Rule {
    Rule {
        kafka,
        provider,
        kind,
        applies,
    }
}

/// The carried `config` keys and the dropped configs of one topic.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Translation {
    /// `aiven_kafka_topic` `config`, sorted by key.
    pub config: BTreeMap<String, ConfigValue>,
    /// Explicit source configs not carried, sorted by name.
    pub dropped: Vec<DroppedConfig>,
}

/// Translates a topic's explicit configs for a destination topic of kind `decision`;
/// `destination_tiered` says whether the destination service has tiered storage.
///
/// Diskless topics also get `diskless_enable = true`; they never get `remote_storage_enable`
/// nor local retention. A classic topic keeps the tiered-storage configs only when the source
/// topic is tiered (`remote.storage.enable=true`) and the destination has tiered storage.
pub fn translate(topic: &TopicSummary, decision: Decision, destination_tiered: bool) -> Translation {
    let mut out = Translation::default();
    let source_tiered = topic.config("remote.storage.enable") == Some("true");
    let tiered = decision == Decision::Classic && source_tiered && destination_tiered;
    let mut explicit: Vec<_> = topic
        .configs
        .iter()
        .flatten()
        .filter(|c| c.source.is_explicit())
        .collect();
    explicit.sort_by(|a, b| a.name.cmp(&b.name));
    for entry in explicit {
        let drop = |reason: String| DroppedConfig {
            name: entry.name.clone(),
            value: entry.value.clone(),
            reason,
        };
        let Some(rule) = RULES.iter().find(|r| r.kafka == entry.name) else {
            out.dropped
                .push(drop("not a topic config the Aiven provider can set".into()));
            continue;
        };
        let Some(value) = entry.value.as_deref() else {
            out.dropped
                .push(drop("value unknown (masked or not returned)".into()));
            continue;
        };
        match rule.applies {
            Applies::Never(reason) => {
                out.dropped.push(drop(reason.into()));
                continue;
            }
            Applies::ClassicOnly(reason) if decision == Decision::Diskless => {
                out.dropped
                    .push(drop(format!("not for diskless topics: {reason}")));
                continue;
            }
            Applies::TieredOnly if !tiered => {
                let reason = if decision == Decision::Diskless {
                    "diskless topics do not use tiered storage: their data is in object storage"
                } else if !source_tiered {
                    "the topic does not use tiered storage (remote.storage.enable is not true)"
                } else {
                    "the destination has no tiered storage (settings destination.tiered_storage = false)"
                };
                out.dropped.push(drop(reason.into()));
                continue;
            }
            _ => {}
        }
        match typed(rule.kind, value) {
            Ok(typed) => {
                out.config.insert(rule.provider.to_owned(), typed);
            }
            Err(reason) => out.dropped.push(drop(reason)),
        }
    }
    if decision == Decision::Diskless {
        out.config
            .insert("diskless_enable".into(), ConfigValue::Bool(true));
        out.config.remove("remote_storage_enable");
    }
    out
}

/// Converts a Kafka config value into the provider's type, or says why it cannot.
fn typed(kind: Kind, value: &str) -> Result<ConfigValue, String> {
    match kind {
        Kind::Integer => value
            .trim()
            .parse::<i64>()
            .map(|v| ConfigValue::String(v.to_string()))
            .map_err(|_| format!("`{value}` is not an integer")),
        Kind::Enum(allowed) => {
            let normalized = value.split(',').map(str::trim).collect::<Vec<_>>().join(",");
            let normalized = if normalized == "delete,compact" {
                "compact,delete".to_owned()
            } else {
                normalized
            };
            if allowed.contains(&normalized.as_str()) {
                Ok(ConfigValue::String(normalized))
            } else {
                Err(format!("`{value}` is not one of {}", allowed.join(", ")))
            }
        }
        Kind::Ratio => match value.trim().parse::<f64>() {
            Ok(v) if (0.0..=1.0).contains(&v) => Ok(ConfigValue::Number(v)),
            _ => Err(format!("`{value}` is not a number between 0 and 1")),
        },
        Kind::Bool => match value.trim() {
            "true" => Ok(ConfigValue::Bool(true)),
            "false" => Ok(ConfigValue::Bool(false)),
            _ => Err(format!("`{value}` is not true or false")),
        },
        Kind::Text => Ok(ConfigValue::String(value.trim().to_owned())),
    }
}

/// The type the provider takes for an `aiven_kafka_topic` `config` key, `None` for a key it
/// does not have. The one table of provider keys is [`RULES`].
pub fn provider_kind(key: &str) -> Option<Kind> {
    RULES.iter().find(|r| r.provider == key).map(|r| r.kind)
}

/// Whether `value` is of the type (and, for a fixed set, one of the values) the provider takes
/// for a key of `kind`: what a topic config in `plan.json` must be to be rendered.
pub fn fits(kind: Kind, value: &ConfigValue) -> bool {
    match (kind, value) {
        (Kind::Bool, ConfigValue::Bool(_)) => true,
        (Kind::Ratio, ConfigValue::Number(n)) => n.is_finite(),
        (Kind::Integer, ConfigValue::String(s)) => s.parse::<i64>().is_ok(),
        (Kind::Enum(allowed), ConfigValue::String(s)) => allowed.contains(&s.as_str()),
        (Kind::Text, ConfigValue::String(_)) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{ConfigEntry, ConfigSource};

    fn entry(name: &str, value: &str, source: ConfigSource) -> ConfigEntry {
        ConfigEntry {
            name: name.into(),
            value: Some(value.into()),
            source,
            sensitive: false,
        }
    }

    #[test]
    fn table_is_sorted_and_unique() {
        assert!(RULES.windows(2).all(|w| w[0].kafka < w[1].kafka));
    }

    #[test]
    fn diskless_translation() {
        let topic = TopicSummary {
            name: "payments.v2_events".into(),
            configs: Some(vec![
                entry("retention.ms", "1209600000", ConfigSource::DynamicTopic),
                entry("min.insync.replicas", "2", ConfigSource::DynamicTopic),
                entry(
                    "unclean.leader.election.enable",
                    "false",
                    ConfigSource::DynamicTopic,
                ),
                entry("segment.bytes", "1073741824", ConfigSource::Default),
                entry("compression.type", "zstd", ConfigSource::StaticBroker),
                entry(
                    "confluent.placement.constraints",
                    "{}",
                    ConfigSource::DynamicTopic,
                ),
            ]),
            ..TopicSummary::default()
        };
        let t = translate(&topic, Decision::Diskless, true);
        assert_eq!(t.config["retention_ms"], ConfigValue::String("1209600000".into()));
        assert_eq!(t.config["compression_type"], ConfigValue::String("zstd".into()));
        assert_eq!(t.config["diskless_enable"], ConfigValue::Bool(true));
        assert!(!t.config.contains_key("segment_bytes"), "defaults stay defaults");
        let dropped: Vec<_> = t.dropped.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            dropped,
            [
                "confluent.placement.constraints",
                "min.insync.replicas",
                "unclean.leader.election.enable"
            ]
        );

        let c = translate(&topic, Decision::Classic, true);
        assert_eq!(c.config["min_insync_replicas"], ConfigValue::String("2".into()));
        assert_eq!(
            c.config["unclean_leader_election_enable"],
            ConfigValue::Bool(false)
        );
        assert!(!c.config.contains_key("diskless_enable"));
    }

    #[test]
    fn tiered_and_typed_values() {
        let topic = TopicSummary {
            configs: Some(vec![
                entry("remote.storage.enable", "true", ConfigSource::DynamicTopic),
                entry("local.retention.ms", "3600000", ConfigSource::DynamicTopic),
                entry("min.cleanable.dirty.ratio", "0.25", ConfigSource::DynamicTopic),
                entry("retention.bytes", "ten", ConfigSource::DynamicTopic),
            ]),
            ..TopicSummary::default()
        };
        let c = translate(&topic, Decision::Classic, true);
        assert_eq!(c.config["remote_storage_enable"], ConfigValue::Bool(true));
        assert_eq!(
            c.config["local_retention_ms"],
            ConfigValue::String("3600000".into())
        );
        assert_eq!(c.config["min_cleanable_dirty_ratio"], ConfigValue::Number(0.25));
        assert_eq!(c.dropped[0].name, "retention.bytes");
        let d = translate(&topic, Decision::Diskless, true);
        assert!(!d.config.contains_key("remote_storage_enable"));
        assert!(!d.config.contains_key("local_retention_ms"));
    }

    /// The tiered-storage configs of a tiered source topic, by destination kind and tiering.
    #[test]
    fn tiered_configs_follow_the_destination() {
        let tiered = |remote: &str| TopicSummary {
            configs: Some(vec![
                entry("local.retention.bytes", "1048576", ConfigSource::DynamicTopic),
                entry("local.retention.ms", "3600000", ConfigSource::DynamicTopic),
                entry("remote.storage.enable", remote, ConfigSource::DynamicTopic),
                entry("retention.ms", "604800000", ConfigSource::DynamicTopic),
            ]),
            ..TopicSummary::default()
        };
        let reasons = |t: &Translation| -> Vec<(String, String)> {
            t.dropped
                .iter()
                .map(|d| (d.name.clone(), d.reason.clone()))
                .collect()
        };
        const NAMES: [&str; 3] = [
            "local.retention.bytes",
            "local.retention.ms",
            "remote.storage.enable",
        ];
        let expect = |reason: &str| -> Vec<(String, String)> {
            NAMES
                .iter()
                .map(|n| ((*n).to_owned(), reason.to_owned()))
                .collect()
        };

        let d = translate(&tiered("true"), Decision::Diskless, true);
        assert_eq!(
            reasons(&d),
            expect("diskless topics do not use tiered storage: their data is in object storage")
        );
        assert_eq!(
            d.config.keys().collect::<Vec<_>>(),
            ["diskless_enable", "retention_ms"]
        );
        assert_eq!(
            reasons(&translate(&tiered("true"), Decision::Diskless, false)),
            reasons(&d)
        );

        let c = translate(&tiered("true"), Decision::Classic, true);
        assert!(c.dropped.is_empty(), "{:?}", c.dropped);
        assert_eq!(c.config["remote_storage_enable"], ConfigValue::Bool(true));
        assert_eq!(
            c.config["local_retention_bytes"],
            ConfigValue::String("1048576".into())
        );

        let c = translate(&tiered("true"), Decision::Classic, false);
        assert_eq!(
            reasons(&c),
            expect("the destination has no tiered storage (settings destination.tiered_storage = false)")
        );
        assert_eq!(c.config.keys().collect::<Vec<_>>(), ["retention_ms"]);

        let c = translate(&tiered("false"), Decision::Classic, true);
        assert_eq!(
            reasons(&c),
            expect("the topic does not use tiered storage (remote.storage.enable is not true)")
        );
    }
}
