//! How MirrorMaker 2 runs: the per-flow replication choices (replication policy, where the
//! offset syncs live, what is copied besides records, heartbeats), each with its reason.
//!
//! `generate` renders these into `mm2.properties`, the `migration/` root and the
//! `mirrormaker-flow` module; it never picks a value itself.

use super::model::{Decided, OffsetSyncsTopicLocation, ReplicationPolicy};

/// The replication choices of every flow, with their reasons.
pub struct ReplicationChoices {
    /// See [`super::MirrorMakerPlan::replication_policy`].
    pub replication_policy: Decided<ReplicationPolicy>,
    /// See [`super::MirrorMakerPlan::offset_syncs_topic_location`].
    pub offset_syncs_topic_location: Decided<OffsetSyncsTopicLocation>,
    /// See [`super::MirrorMakerPlan::sync_topic_configs_enabled`].
    pub sync_topic_configs_enabled: Decided<bool>,
    /// See [`super::MirrorMakerPlan::sync_topic_acls_enabled`].
    pub sync_topic_acls_enabled: Decided<bool>,
    /// See [`super::MirrorMakerPlan::emit_heartbeats_enabled`].
    pub emit_heartbeats_enabled: Decided<bool>,
    /// See [`super::MirrorMakerPlan::emit_heartbeats_outside_flows`].
    pub emit_heartbeats_outside_flows: Decided<bool>,
}

/// The choices: they follow from what a migration to diskless topics is (the same topic
/// names, a source that is only read, destination topics created and reviewed in Terraform),
/// not from the inventory.
pub fn replication_choices() -> ReplicationChoices {
    ReplicationChoices {
        replication_policy: Decided::new(
            ReplicationPolicy::Identity,
            "identity: destination/ creates every topic under its source name and clients keep \
             their topic names; MirrorMaker 2's default policy would prefix them with the source alias",
        ),
        offset_syncs_topic_location: Decided::new(
            OffsetSyncsTopicLocation::Target,
            "target: MirrorMaker 2 then writes nothing into the source cluster, which the migration \
             only reads; inspect reads the offset syncs where mm2.properties says they are",
        ),
        sync_topic_configs_enabled: Decided::new(
            true,
            "true: later config changes on the source follow, except config_properties_exclude, \
             which keeps the diskless and replication settings the plan chose",
        ),
        sync_topic_acls_enabled: Decided::new(
            false,
            "false: MirrorMaker 2 would copy the source's topic ACLs onto the destination outside \
             Terraform; access on the destination is granted in reviewed configuration instead",
        ),
        emit_heartbeats_enabled: Decided::new(
            true,
            "true: each flow writes heartbeats into the destination, so a flow that copies no \
             record still shows that it runs",
        ),
        emit_heartbeats_outside_flows: Decided::new(
            false,
            "false: self-run MirrorMaker 2 runs a herder for every pair of clusters that emits \
             heartbeats; a heartbeats topic written into a source makes that flow's connector \
             reconfigure its tasks mid-copy, dropping the offset syncs they held (on Aiven: \
             emit_backward_heartbeats_enabled = false)",
        ),
    }
}
