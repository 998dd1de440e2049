//! Whether a selected topic can become diskless.
//!
//! Diskless topics (Inkless, KIP-1150) do not support compaction, transactions (transactional
//! producers or read_committed consumers), or tiered (remote) storage on the same topic. A
//! topic that needs any of these is planned as a classic topic (replication factor 3), with
//! the reason; under `--strict` that warning is an error.

use crate::inventory::TopicSummary;

use super::model::Decision;

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
    /// Stable code of the warning to report when diskless was refused.
    pub refusal: Option<&'static str>,
}

/// Decides diskless or classic for a topic that is migrated. `configs_gap` is why the inventory
/// has no configs for the topic, when it said so.
///
/// Uses the topic's effective config values whatever their source: a topic that is compacted
/// because of a broker default is compacted all the same. A topic whose configs are unknown is
/// classic: whether it is compacted was never read. The reason states only what was read.
pub fn decide(topic: &TopicSummary, configs_gap: Option<&str>) -> Verdict {
    let refused = |code, reason: String| Verdict {
        decision: Decision::Classic,
        reason,
        refusal: Some(code),
    };
    if topic.configs.is_none() {
        return refused(
            "configs-unknown",
            format!(
                "configs unknown: {}; whether it is compacted or tiered was not read",
                configs_gap.unwrap_or("the inventory has no configs for it")
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
            "transactional producers write to it; diskless topics do not support transactions".into(),
        );
    }
    if topic.config("remote.storage.enable") == Some("true") {
        return refused(
            "diskless-refused-remote-storage",
            "uses tiered storage (remote.storage.enable=true), which cannot be combined with diskless".into(),
        );
    }
    let policy = match topic.config("cleanup.policy") {
        Some(policy) => format!("cleanup.policy={policy}"),
        None => "cleanup.policy not among its configs (Kafka's default: delete)".to_owned(),
    };
    let transactions = match topic.transactional {
        Some(false) => "no transactional producer seen",
        _ => "transactional writes not checked",
    };
    Verdict {
        decision: Decision::Diskless,
        reason: format!("append-only ({policy}), no tiered storage (read from its configs); {transactions}"),
        refusal: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A topic without partitions whose configs are all set on the topic.
    fn topic(configs: &[(&str, &str)]) -> TopicSummary {
        TopicSummary::of(&crate::plan::tests::topic("t", 0, 0, configs))
    }

    #[test]
    fn compacted_is_classic() {
        for policy in ["compact", "compact,delete", "delete, compact"] {
            let v = decide(&topic(&[("cleanup.policy", policy)]), None);
            assert_eq!(v.decision, Decision::Classic, "{policy}");
            assert_eq!(v.refusal, Some("diskless-refused-compacted"));
            assert!(v.reason.contains(policy));
        }
    }

    #[test]
    fn unknown_configs_are_classic_and_say_why() {
        let mut t = topic(&[]);
        t.configs = None;
        let v = decide(&t, Some("CLUSTER_AUTHORIZATION_FAILED: no Describe on the topic"));
        assert_eq!(v.decision, Decision::Classic);
        assert_eq!(v.refusal, Some("configs-unknown"));
        assert!(
            v.reason
                .starts_with("configs unknown: CLUSTER_AUTHORIZATION_FAILED"),
            "{}",
            v.reason
        );
        assert!(
            decide(&t, None)
                .reason
                .contains("the inventory has no configs for it")
        );
    }

    #[test]
    fn diskless_reason_states_only_what_was_read() {
        let v = decide(&topic(&[("cleanup.policy", "delete")]), None);
        assert!(v.reason.contains("cleanup.policy=delete"), "{}", v.reason);
        assert!(
            v.reason.contains("transactional writes not checked"),
            "{}",
            v.reason
        );
        let mut t = topic(&[]);
        t.transactional = Some(false);
        let v = decide(&t, None);
        assert!(v.reason.contains("not among its configs"), "{}", v.reason);
        assert!(
            v.reason.contains("no transactional producer seen"),
            "{}",
            v.reason
        );
    }

    #[test]
    fn delete_is_diskless() {
        assert_eq!(
            decide(&topic(&[("cleanup.policy", "delete")]), None).decision,
            Decision::Diskless
        );
        assert_eq!(decide(&topic(&[]), None).decision, Decision::Diskless);
    }

    #[test]
    fn transactional_and_remote_storage_are_classic() {
        let mut t = topic(&[]);
        t.transactional = Some(true);
        assert_eq!(decide(&t, None).refusal, Some("diskless-refused-transactional"));
        let t = topic(&[("remote.storage.enable", "true")]);
        assert_eq!(decide(&t, None).refusal, Some("diskless-refused-remote-storage"));
    }
}
