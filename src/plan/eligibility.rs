//! Whether a selected topic can become diskless.
//!
//! Diskless topics (Inkless, KIP-1150) do not support compaction or transactions (transactional
//! producers or read_committed consumers). A topic that needs either is planned as a classic
//! topic (replication factor 3), with the reason and a warning (an error under `--strict`); so
//! are the internal topics of Kafka Streams applications, and topics the settings keep classic
//! (`keep_classic`, no warning: the user decided). Tiered storage on the source does not refuse
//! diskless: the tiered-storage configs are dropped (see [`super::config_translation`]).

use crate::inventory::{TopicSummary, TransactionalEvidence};

use super::model::Decision;
use super::settings::KeepClassic;
use super::streams::{InternalKind, StreamsMatch};

/// Replication factor of a diskless topic on the destination.
pub const DISKLESS_REPLICATION: u32 = 1;
/// Replication factor of a classic topic on the destination.
pub const CLASSIC_REPLICATION: u32 = 3;

/// The eligibility verdict for one topic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// `Diskless` or `Classic`.
    pub decision: Decision,
    /// One sentence a reviewer can check.
    pub reason: String,
    /// The warning to report, when there is one.
    pub warning: Option<Finding>,
}

/// A warning about one topic's decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Stable code, e.g. `diskless-refused-compacted`.
    pub code: &'static str,
    /// What is wrong and what to do.
    pub message: String,
}

/// What the plan knows about a topic beyond its inventory entry.
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'a> {
    /// Why the inventory has no configs for the topic, when it said so.
    pub configs_gap: Option<&'a str>,
    /// Why the inventory does not say whether the topic is transactional, when it said so.
    pub transactional_gap: Option<&'a str>,
    /// The first `keep_classic` setting matching the topic.
    pub keep_classic: Option<&'a KeepClassic>,
    /// The Streams application whose internal topic the topic is named like.
    pub streams: Option<StreamsMatch<'a>>,
}

/// Decides diskless or classic for a topic that is migrated, in this order: `keep_classic`,
/// Streams internal topic, configs unknown, compacted, transactional; otherwise diskless.
///
/// Uses the topic's effective config values whatever their source: a topic that is compacted
/// because of a broker default is compacted all the same. A topic whose configs are unknown is
/// classic: whether it is compacted was never read. A diskless topic whose transactional use
/// is unknown gets a `transactional-unknown` warning. The reason states only what was read.
pub fn decide(topic: &TopicSummary, context: &Context<'_>) -> Verdict {
    let name = &topic.name;
    let refused = |code, reason: String| Verdict {
        decision: Decision::Classic,
        warning: Some(Finding {
            code,
            message: format!("{name} stays a classic topic: {reason}"),
        }),
        reason,
    };
    if let Some(keep) = context.keep_classic {
        return Verdict {
            decision: Decision::Classic,
            reason: format!(
                "kept classic by settings keep_classic `{}`: {}",
                keep.pattern, keep.reason
            ),
            warning: None,
        };
    }
    if let Some(m) = context.streams {
        let what = match m.kind {
            InternalKind::Repartition => {
                "repartition topic, written by Streams, transactional under exactly-once"
            }
            InternalKind::Changelog => "changelog: Streams state store",
        };
        return if m.confirmed {
            refused(
                "diskless-refused-streams",
                format!(
                    "internal topic of Kafka Streams application {} ({what})",
                    m.application_id
                ),
            )
        } else {
            refused(
                "diskless-refused-streams-unconfirmed",
                format!(
                    "named like an internal topic of Kafka Streams application {id} ({what}): \
                     consumer group {id} matches the name, but its protocol was not read \
                     (no assignment strategy in the inventory)",
                    id = m.application_id
                ),
            )
        };
    }
    if topic.configs.is_none() {
        return refused(
            "configs-unknown",
            format!(
                "configs unknown: {}; whether it is compacted was not read",
                context
                    .configs_gap
                    .unwrap_or("the inventory has no configs for it")
            ),
        );
    }
    if let Some(policy) = topic.config("cleanup.policy")
        && policy.split(',').any(|p| p.trim() == "compact")
    {
        return refused(
            "diskless-refused-compacted",
            format!("compacted (cleanup.policy={policy}); diskless topics do not support compaction"),
        );
    }
    if topic.transactional == Some(true) {
        return refused(
            "diskless-refused-transactional",
            format!(
                "transactional writes seen ({}); diskless topics do not support transactions",
                seen(topic.transactional_evidence.as_ref())
            ),
        );
    }
    let policy = match topic.config("cleanup.policy") {
        Some(policy) => format!("cleanup.policy={policy}, read from its configs"),
        None => "cleanup.policy not among its configs; Kafka's default is delete".to_owned(),
    };
    let mut reason = format!("append-only ({policy}); ");
    let mut warning = None;
    match topic.transactional {
        Some(_) => reason.push_str(&not_seen(topic.transactional_evidence.as_ref())),
        None => {
            let gap = context
                .transactional_gap
                .unwrap_or("the inventory has transactional: null and no gap saying why");
            reason.push_str(&format!("transactional writes not checked: {gap}"));
            warning = Some(Finding {
                code: "transactional-unknown",
                message: format!(
                    "{name} is planned diskless, but whether transactional producers write to it \
                     was not checked: {gap}. Diskless topics do not support transactions: check its \
                     producers before cutover, or keep it classic with keep_classic in the settings"
                ),
            });
        }
    }
    if topic.config("remote.storage.enable") == Some("true") {
        reason.push_str(
            "; tiered storage on the source (remote.storage.enable=true) is not carried: a diskless \
             topic keeps its data in object storage",
        );
    }
    Verdict {
        decision: Decision::Diskless,
        reason,
        warning,
    }
}

/// What showed transactional writes, e.g. `2 transactional producers in the producer state of
/// 3 partitions, 14 transactional batches or markers in the last 3,000 offsets read`.
fn seen(evidence: Option<&TransactionalEvidence>) -> String {
    let Some(e) = evidence else {
        return "transactional: true in the inventory, no evidence recorded".into();
    };
    let mut parts = Vec::new();
    if e.transactional_producers > 0 {
        parts.push(format!(
            "{} in the producer state of {}",
            counted(u64::from(e.transactional_producers), "transactional producer"),
            counted(u64::from(e.producer_state_partitions), "partition")
        ));
    }
    if e.transactional_batches > 0 {
        parts.push(format!(
            "{} or markers among {} in the last {} read",
            counted(e.transactional_batches, "transactional batch"),
            counted(e.tail_batches, "batch"),
            counted(e.tail_offsets, "offset")
        ));
    }
    if parts.is_empty() {
        "transactional: true in the inventory, though its evidence counts no transactional producer or batch"
            .into()
    } else {
        parts.join(", ")
    }
}

/// What was read and showed no transactional writes, e.g. `no transactional writers in the
/// producer state of 3 partitions or the last 3,000 offsets read (3 partitions)`.
fn not_seen(evidence: Option<&TransactionalEvidence>) -> String {
    let Some(e) = evidence else {
        return "no transactional writers (transactional: false in the inventory, no evidence recorded)"
            .into();
    };
    let mut read = Vec::new();
    if e.producer_state_partitions > 0 {
        read.push(format!(
            "the producer state of {}",
            counted(u64::from(e.producer_state_partitions), "partition")
        ));
    }
    if e.tail_partitions > 0 {
        read.push(format!(
            "the last {} read ({})",
            counted(e.tail_offsets, "offset"),
            counted(u64::from(e.tail_partitions), "partition")
        ));
    }
    if read.is_empty() {
        "no transactional writers (transactional: false in the inventory, though no producer state or batch was read)".into()
    } else {
        format!("no transactional writers in {}", read.join(" or "))
    }
}

/// `n` and the noun, plural unless `n` is 1, with thousands separated: `3,000 offsets`.
fn counted(n: u64, noun: &str) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + noun.len() + 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out.push(' ');
    out.push_str(noun);
    if n != 1 {
        out.push_str(if noun.ends_with("ch") { "es" } else { "s" });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A topic without partitions whose configs are all set on the topic.
    fn topic(configs: &[(&str, &str)]) -> TopicSummary {
        TopicSummary::of(&crate::plan::tests::topic("t", 0, 0, configs))
    }

    fn none() -> Context<'static> {
        Context::default()
    }

    fn code(v: &Verdict) -> Option<&'static str> {
        v.warning.as_ref().map(|w| w.code)
    }

    fn evidence(producers: u32, batches: u64) -> TransactionalEvidence {
        TransactionalEvidence {
            producer_state_partitions: 3,
            transactional_producers: producers,
            tail_partitions: 3,
            tail_offsets: 3000,
            tail_batches: 120,
            transactional_batches: batches,
        }
    }

    #[test]
    fn compacted_is_classic() {
        for policy in ["compact", "compact,delete", "delete, compact"] {
            let v = decide(&topic(&[("cleanup.policy", policy)]), &none());
            assert_eq!(v.decision, Decision::Classic, "{policy}");
            assert_eq!(code(&v), Some("diskless-refused-compacted"));
            assert!(v.reason.contains(policy));
        }
    }

    #[test]
    fn unknown_configs_are_classic_and_say_why() {
        let mut t = topic(&[]);
        t.configs = None;
        let gap = Context {
            configs_gap: Some("CLUSTER_AUTHORIZATION_FAILED: no Describe on the topic"),
            ..none()
        };
        let v = decide(&t, &gap);
        assert_eq!(v.decision, Decision::Classic);
        assert_eq!(code(&v), Some("configs-unknown"));
        assert!(
            v.reason
                .starts_with("configs unknown: CLUSTER_AUTHORIZATION_FAILED"),
            "{}",
            v.reason
        );
        assert!(
            decide(&t, &none())
                .reason
                .contains("the inventory has no configs for it")
        );
    }

    #[test]
    fn diskless_reason_states_only_what_was_read() {
        let mut t = topic(&[("cleanup.policy", "delete")]);
        t.transactional = Some(false);
        t.transactional_evidence = Some(evidence(0, 0));
        let v = decide(&t, &none());
        assert_eq!((v.decision, code(&v)), (Decision::Diskless, None));
        assert_eq!(
            v.reason,
            "append-only (cleanup.policy=delete, read from its configs); no transactional writers \
             in the producer state of 3 partitions or the last 3,000 offsets read (3 partitions)"
        );
        let mut t = topic(&[]);
        t.transactional = Some(false);
        let v = decide(&t, &none());
        assert!(v.reason.contains("not among its configs"), "{}", v.reason);
        assert!(v.reason.contains("no evidence recorded"), "{}", v.reason);
        // Only the tail was read.
        t.transactional_evidence = Some(TransactionalEvidence {
            producer_state_partitions: 0,
            ..evidence(0, 0)
        });
        let v = decide(&t, &none());
        assert!(
            v.reason
                .ends_with("no transactional writers in the last 3,000 offsets read (3 partitions)"),
            "{}",
            v.reason
        );
    }

    #[test]
    fn transactional_writes_are_classic_and_name_the_evidence() {
        let mut t = topic(&[]);
        t.transactional = Some(true);
        t.transactional_evidence = Some(evidence(2, 14));
        let v = decide(&t, &none());
        assert_eq!(v.decision, Decision::Classic);
        assert_eq!(code(&v), Some("diskless-refused-transactional"));
        assert_eq!(
            v.reason,
            "transactional writes seen (2 transactional producers in the producer state of 3 \
             partitions, 14 transactional batches or markers among 120 batches in the last 3,000 \
             offsets read); diskless topics do not support transactions"
        );
        t.transactional_evidence = Some(evidence(1, 0));
        assert!(
            decide(&t, &none())
                .reason
                .contains("(1 transactional producer in the producer state of 3 partitions)")
        );
        t.transactional_evidence = None;
        assert!(decide(&t, &none()).reason.contains("no evidence recorded"));
    }

    #[test]
    fn unknown_transactional_use_is_diskless_with_a_warning() {
        let t = topic(&[("cleanup.policy", "delete")]);
        let gap = Context {
            transactional_gap: Some("DescribeProducers refused: CLUSTER_AUTHORIZATION_FAILED"),
            ..none()
        };
        let v = decide(&t, &gap);
        assert_eq!(v.decision, Decision::Diskless);
        assert!(
            v.reason.ends_with(
                "transactional writes not checked: DescribeProducers refused: CLUSTER_AUTHORIZATION_FAILED"
            ),
            "{}",
            v.reason
        );
        let w = v.warning.unwrap();
        assert_eq!(w.code, "transactional-unknown");
        assert!(w.message.starts_with("t is planned diskless"), "{}", w.message);
        assert!(
            w.message.contains("CLUSTER_AUTHORIZATION_FAILED"),
            "{}",
            w.message
        );
        let v = decide(&t, &none());
        assert!(
            v.reason
                .ends_with("not checked: the inventory has transactional: null and no gap saying why")
        );
        // A classic topic needs no transactional check: no warning.
        let v = decide(&topic(&[("cleanup.policy", "compact")]), &none());
        assert_eq!(code(&v), Some("diskless-refused-compacted"));
    }

    #[test]
    fn tiered_sources_are_diskless() {
        let mut t = topic(&[("remote.storage.enable", "true"), ("local.retention.ms", "1000")]);
        t.transactional = Some(false);
        let v = decide(&t, &none());
        assert_eq!((v.decision, code(&v)), (Decision::Diskless, None));
        assert!(
            v.reason.ends_with(
                "; tiered storage on the source (remote.storage.enable=true) is not carried: a \
                 diskless topic keeps its data in object storage"
            ),
            "{}",
            v.reason
        );
    }

    #[test]
    fn streams_internal_topics_are_classic() {
        let mut t = topic(&[("cleanup.policy", "compact")]);
        t.transactional = Some(false);
        let confirmed = |kind| Context {
            streams: Some(StreamsMatch {
                application_id: "orders-app",
                kind,
                confirmed: true,
            }),
            ..none()
        };
        let v = decide(&t, &confirmed(InternalKind::Repartition));
        assert_eq!(
            (v.decision, code(&v)),
            (Decision::Classic, Some("diskless-refused-streams"))
        );
        assert_eq!(
            v.reason,
            "internal topic of Kafka Streams application orders-app (repartition topic, written \
             by Streams, transactional under exactly-once)"
        );
        let v = decide(&t, &confirmed(InternalKind::Changelog));
        assert_eq!(
            v.reason,
            "internal topic of Kafka Streams application orders-app (changelog: Streams state store)"
        );
        let unconfirmed = Context {
            streams: Some(StreamsMatch {
                application_id: "billing",
                kind: InternalKind::Changelog,
                confirmed: false,
            }),
            ..none()
        };
        let v = decide(&t, &unconfirmed);
        assert_eq!(code(&v), Some("diskless-refused-streams-unconfirmed"));
        assert_eq!(
            v.reason,
            "named like an internal topic of Kafka Streams application billing (changelog: \
             Streams state store): consumer group billing matches the name, but its protocol was \
             not read (no assignment strategy in the inventory)"
        );
    }

    #[test]
    fn keep_classic_wins_without_a_warning() {
        let keep = KeepClassic {
            pattern: "payments\\..*".into(),
            regex: regex::Regex::new("^(?:payments\\..*)$").unwrap(),
            reason: "read by read_committed consumers".into(),
        };
        let t = topic(&[("cleanup.policy", "delete")]);
        let v = decide(
            &t,
            &Context {
                keep_classic: Some(&keep),
                ..none()
            },
        );
        assert_eq!((v.decision, code(&v)), (Decision::Classic, None));
        assert_eq!(
            v.reason,
            "kept classic by settings keep_classic `payments\\..*`: read by read_committed consumers"
        );
    }

    #[test]
    fn delete_is_diskless() {
        assert_eq!(
            decide(&topic(&[("cleanup.policy", "delete")]), &none()).decision,
            Decision::Diskless
        );
        assert_eq!(decide(&topic(&[]), &none()).decision, Decision::Diskless);
    }

    #[test]
    fn counts_read_well() {
        assert_eq!(counted(0, "batch"), "0 batches");
        assert_eq!(counted(1, "offset"), "1 offset");
        assert_eq!(counted(1_234_567, "offset"), "1,234,567 offsets");
        assert_eq!(counted(100, "partition"), "100 partitions");
    }
}
