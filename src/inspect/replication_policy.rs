//! MirrorMaker 2's replication policies: how a source topic is named on the target, and the
//! names of MM2's internal topics. Only the two built-in policies exist here
//! (`DefaultReplicationPolicy`, `IdentityReplicationPolicy`); a custom class is a config error
//! raised by [`crate::inspect::mm2_config`].

/// The topic whose name marks heartbeats; the identity policy still prefixes it.
const HEARTBEATS: &str = "heartbeats";

/// Which built-in policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    /// `<source alias><separator><topic>`.
    Default,
    /// `<topic>` unchanged (except heartbeats topics, named as under the default policy).
    Identity,
}

/// A replication policy with its separators.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicationPolicy {
    /// Default or identity.
    pub kind: PolicyKind,
    /// `replication.policy.separator` (default `.`).
    pub separator: String,
    /// The separator of internal topic names: `separator` when
    /// `replication.policy.internal.topic.separator.enabled` is true (default), else `.`.
    pub internal_separator: String,
}

impl ReplicationPolicy {
    /// The default policy with `.` separators.
    pub fn default_policy() -> ReplicationPolicy {
        ReplicationPolicy {
            kind: PolicyKind::Default,
            separator: ".".into(),
            internal_separator: ".".into(),
        }
    }

    /// The identity policy with `.` separators.
    pub fn identity() -> ReplicationPolicy {
        ReplicationPolicy {
            kind: PolicyKind::Identity,
            ..ReplicationPolicy::default_policy()
        }
    }

    fn is_heartbeat(topic: &str) -> bool {
        topic.ends_with(HEARTBEATS)
    }

    /// The name MM2 gives on the target to `topic` replicated from `source_alias`.
    pub fn remote_topic(&self, source_alias: &str, topic: &str) -> String {
        match self.kind {
            PolicyKind::Identity if !Self::is_heartbeat(topic) => topic.to_owned(),
            _ => format!("{source_alias}{}{topic}", self.separator),
        }
    }

    /// The cluster alias a topic name says it came from, if any (the default policy's rule:
    /// the part before the first separator). The identity policy can only tell for heartbeats.
    pub fn topic_source<'t>(&self, topic: &'t str) -> Option<&'t str> {
        if self.kind == PolicyKind::Identity && !Self::is_heartbeat(topic) {
            return None;
        }
        topic.split_once(self.separator.as_str()).map(|(alias, _)| alias)
    }

    /// The topic name with one source prefix removed, if it has one.
    fn upstream_topic<'t>(&self, topic: &'t str) -> Option<&'t str> {
        let source = self.topic_source(topic)?;
        Some(&topic[source.len() + self.separator.len()..])
    }

    /// The topic's name on its cluster of origin (all source prefixes removed).
    pub fn original_topic<'t>(&self, topic: &'t str) -> &'t str {
        let mut current = topic;
        while let Some(upstream) = self.upstream_topic(current) {
            if upstream == current || upstream.is_empty() {
                break;
            }
            current = upstream;
        }
        current
    }

    /// The target topic under which MM2 commits a group's offsets for `topic`: a topic that
    /// itself came from the target is un-prefixed, anything else gets the remote name. This is
    /// MM2's checkpoint renaming, which the target group's offsets follow.
    pub fn checkpoint_topic(&self, source_alias: &str, target_alias: &str, topic: &str) -> String {
        if self.topic_source(topic) == Some(target_alias) {
            self.original_topic(topic).to_owned()
        } else {
            self.remote_topic(source_alias, topic)
        }
    }

    /// The offset-syncs topic name; `other_alias` is the target alias when the topic lives on
    /// the source cluster, and the source alias when it lives on the target.
    pub fn offset_syncs_topic(&self, other_alias: &str) -> String {
        let s = &self.internal_separator;
        format!("mm2-offset-syncs{s}{other_alias}{s}internal")
    }

    /// The checkpoints topic on the target for flows from `source_alias`.
    pub fn checkpoints_topic(&self, source_alias: &str) -> String {
        let s = &self.internal_separator;
        format!("{source_alias}{s}checkpoints{s}internal")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_prefixes_and_unprefixes() {
        let p = ReplicationPolicy::default_policy();
        assert_eq!(p.remote_topic("primary", "orders"), "primary.orders");
        assert_eq!(
            p.checkpoint_topic("primary", "backup", "orders"),
            "primary.orders"
        );
        // A topic that came from the target goes back to its original name.
        assert_eq!(p.checkpoint_topic("primary", "backup", "backup.orders"), "orders");
        assert_eq!(p.original_topic("a.b.orders"), "orders");
        assert_eq!(p.offset_syncs_topic("backup"), "mm2-offset-syncs.backup.internal");
        assert_eq!(p.checkpoints_topic("primary"), "primary.checkpoints.internal");
    }

    #[test]
    fn identity_policy_keeps_names_except_heartbeats() {
        let p = ReplicationPolicy::identity();
        assert_eq!(p.remote_topic("primary", "orders"), "orders");
        assert_eq!(p.remote_topic("primary", "heartbeats"), "primary.heartbeats");
        assert_eq!(p.checkpoint_topic("primary", "backup", "orders"), "orders");
        assert_eq!(
            p.checkpoint_topic("primary", "backup", "backup.heartbeats"),
            "heartbeats"
        );
        assert_eq!(p.topic_source("primary.orders"), None);
    }

    #[test]
    fn custom_separators() {
        let p = ReplicationPolicy {
            kind: PolicyKind::Default,
            separator: "_".into(),
            internal_separator: "_".into(),
        };
        assert_eq!(p.remote_topic("src", "t"), "src_t");
        assert_eq!(p.offset_syncs_topic("dst"), "mm2-offset-syncs_dst_internal");
        let q = ReplicationPolicy {
            internal_separator: ".".into(),
            ..p
        };
        assert_eq!(q.offset_syncs_topic("dst"), "mm2-offset-syncs.dst.internal");
    }
}
