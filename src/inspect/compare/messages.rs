//! Every text the verdicts print, in one place: the 21 column headers and the messages, the
//! reference tool's seven kept word for word.

use super::{Component, SyncsProblem};

/// The 21 CSV column headers, exactly as the reference tool prints them.
pub const HEADER: [&str; 21] = [
    "CLUSTER PAIR",
    "TOPIC",
    "PARTITION",
    "GROUP",
    "SOURCE TOPIC EARLIEST OFFSET",
    "SOURCE TOPIC LATEST OFFSET",
    "SOURCE GROUP STATE",
    "SOURCE GROUP OFFSET",
    "SOURCE GROUP LAG",
    "TARGET TOPIC EARLIEST OFFSET",
    "TARGET TOPIC LATEST OFFSET",
    "TARGET GROUP STATE",
    "TARGET GROUP OFFSET",
    "TARGET GROUP LAG",
    "TARGET GROUP LAG TO SOURCE",
    "SOURCE HAS DATA",
    "SOURCE GROUP VALID",
    "TARGET HAS DATA",
    "IS OK",
    "BLOCKING COMPONENT",
    "MESSAGE",
];

/// Outcome A.
pub const SUCCESS: &str = "Successfully synced, operating normally";
/// Outcome B1.
pub const EMPTY_OTHERS_SYNCED: &str =
    "Intentionally not synced because source partition is empty. Other partitions in this group are synced.";
/// Outcome B2.
pub const NOT_SYNCED_OTHERS_SYNCED: &str =
    "Erroneously not synced. Source partition has data, and other partitions for this group are synced.";
/// Outcome B3.
pub const TOO_OLD_OTHERS_SYNCED: &str =
    "Intentionally not synced because source group is too old. Other partitions in this group are synced.";
/// Outcome C1.
pub const EMPTY_OTHERS_NOT_SYNCED: &str = "Intentionally not synced because source partition is empty. Other partitions in this group are not synced.";
/// Outcome C2.
pub const NOT_SYNCED_OTHERS_NOT_SYNCED: &str =
    "Erroneously not synced. Source partition has data, and other partitions for this group are not synced.";
/// Outcome C3.
pub const TOO_OLD_OTHERS_NOT_SYNCED: &str = "Intentionally not synced because source group is too old. Other partitions in this group are not synced.";
/// A target offset exists, but no sync for the partition lets it be checked.
pub const NO_SYNC_FOR_PARTITION: &str =
    "Cannot check the target group offset: the offset-syncs topic has no sync for this partition yet.";

/// The target offset is MM2's translation, but the group consumed source records past MM2's
/// newest offset sync: MM2 translates such an offset to one past the newest sync's downstream
/// offset, so consumers on the target would re-read those records.
pub const SYNCS_BEHIND_GROUP: &str = "Not synced yet: the source group offset is past MirrorMaker 2's newest offset sync for \
this partition, so the translated target offset is that of an earlier record and consumers on the target would re-read \
records.";
/// The group is older than every sync MM2 holds (yet inside the source log): MM2 never translates it.
pub const TOO_OLD_FOR_MM2: &str = "Not synced because the source group offset is older than every offset sync MirrorMaker \
2 holds for this partition; MirrorMaker 2 does not translate it, so a consumer on the target would start at its \
auto.offset.reset position.";

/// The group is older than every sync, and the target offset lies outside `lo..=hi`, where the
/// record the source group reads next can be on the target.
pub fn msg_too_old_target(lo: i64, hi: i64) -> String {
    format!(
        "The source group offset is older than every offset sync MirrorMaker 2 holds for this partition, so \
         MirrorMaker 2 does not translate it; the target group offset is outside {lo}..{hi}, where the record the \
         source group reads next is on the target."
    )
}

/// The target group's state makes MM2 skip it.
pub fn msg_target_active(state: &str) -> String {
    format!(
        "Not synced: the target group is active (state {state}); MirrorMaker 2 only syncs offsets to an Empty \
         or absent target group."
    )
}

/// The target offset trails MM2's translation.
pub fn msg_behind(expected: i64) -> String {
    format!(
        "Target group offset is behind the translated source group offset ({expected}); MirrorMaker 2 has not \
         synced the latest commit yet."
    )
}

/// The target offset is past MM2's translation.
pub fn msg_ahead(expected: i64) -> String {
    format!(
        "Target group offset is ahead of the translated source group offset ({expected}); consumers on the \
         target would skip records."
    )
}

/// MM2 is configured not to sync group offsets.
pub fn msg_sync_disabled(pair: &str) -> String {
    format!(
        "Not synced because sync.group.offsets.enabled is not true for {pair}; MirrorMaker 2 only writes \
         checkpoints."
    )
}

/// The offset-syncs topic is missing or unreadable.
pub fn msg_syncs_problem(problem: &SyncsProblem) -> String {
    match problem {
        SyncsProblem::Missing { topic, cluster } => format!(
            "Cannot translate offsets: the offset-syncs topic {topic} does not exist on {cluster}; MirrorMaker 2 \
             has not replicated this flow, or emit.offset-syncs.enabled is false."
        ),
        SyncsProblem::Unreadable {
            topic,
            cluster,
            error,
        } => {
            format!(
                "Cannot translate offsets: the offset-syncs topic {topic} on {cluster} cannot be read: {error}"
            )
        }
    }
}

/// The target topic does not exist.
pub fn msg_target_topic_missing(topic: &str) -> String {
    format!("Not synced: the target topic {topic} does not exist.")
}

/// The source partition's offsets could not be listed.
pub fn msg_source_partition_error(error: &str) -> String {
    format!("Cannot read the source partition's offsets: {error}")
}

/// The target partition's offsets could not be listed.
pub fn msg_target_partition_error(error: &str) -> String {
    format!("Cannot read the target partition's offsets: {error}")
}

/// The source group's committed offsets could not be fetched.
pub fn msg_source_group_error(error: &str) -> String {
    format!("Cannot read the source group's committed offsets: {error}")
}

/// The target group could not be described or its offsets fetched.
pub fn msg_target_group_error(error: &str) -> String {
    format!("Cannot read the target group: {error}")
}

/// Why a row holds the cutover gate, for progress and for the summary when `--max-wait` runs
/// out ([`Verdict::hold_cause`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldCause {
    /// MirrorMaker 2 has not synced this offset yet; its next offset commit and checkpoint send
    /// it (no target offset yet, a target offset behind the translation, or no offset sync for
    /// the partition yet).
    SyncPending,
    /// The group consumed records past MirrorMaker 2's newest offset sync; the sync of those
    /// records is still in MirrorMaker 2.
    PastNewestSync,
    /// The target group has active members, so MirrorMaker 2 does not write its offsets.
    TargetGroupActive,
    /// A fact could not be read (a partition, a group, the offset-syncs topic).
    Error,
    /// Waiting does not help: the group is older than every sync, offset sync is turned off, or
    /// the target group is ahead.
    NeedsAction,
}

impl HoldCause {
    /// Every cause, in the order summaries list them.
    pub const ALL: [HoldCause; 5] = [
        HoldCause::SyncPending,
        HoldCause::PastNewestSync,
        HoldCause::TargetGroupActive,
        HoldCause::Error,
        HoldCause::NeedsAction,
    ];

    /// The cause's name in JSON lines.
    pub fn as_str(self) -> &'static str {
        match self {
            HoldCause::SyncPending => "sync_pending",
            HoldCause::PastNewestSync => "past_newest_sync",
            HoldCause::TargetGroupActive => "target_group_active",
            HoldCause::Error => "error",
            HoldCause::NeedsAction => "needs_action",
        }
    }

    /// What holds, and what to do about it, for the summary when the wait runs out.
    pub fn advice(self) -> &'static str {
        match self {
            HoldCause::SyncPending => {
                "MirrorMaker 2 has not synced these offsets yet: check that it runs and copies (its lag), \
                 then wait for its next offset commit and checkpoint round"
            }
            HoldCause::PastNewestSync => {
                "the groups consumed records past MirrorMaker 2's newest offset sync: each task sends at \
                 most 10 syncs per offset commit, so with producers stopped the rest follow commit by \
                 commit; more tasks (tasks.max, or more flows) drain them sooner"
            }
            HoldCause::TargetGroupActive => {
                "consumers are already running on the destination in these groups; stop them until the \
                 gate opens, as MirrorMaker 2 only syncs offsets of empty groups"
            }
            HoldCause::Error => "facts could not be read; the rows' messages say which, fix that first",
            HoldCause::NeedsAction => {
                "waiting will not change these rows (their messages say why); decide for each group where \
                 its consumers should start on the destination"
            }
        }
    }
}

/// One line of the decision table (see the module documentation of `compare`): why a row is
/// OK or not. [`super::decide`] picks it from a partition's facts; the row's IS OK, BLOCKING
/// COMPONENT, MESSAGE and hold cause are read from it here, so they cannot disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The source partition's offsets could not be listed.
    SourcePartitionUnreadable(String),
    /// The target partition's offsets could not be listed.
    TargetPartitionUnreadable(String),
    /// The target group could not be described, or its offsets fetched.
    TargetGroupUnreadable(String),
    /// The source group's committed offsets could not be fetched (one row for the group).
    SourceGroupUnreadable(String),
    /// The target group has members (its state), so MirrorMaker 2 does not write to it.
    TargetGroupActive(String),
    /// Outcome A: the target offset is where consumers on the target should start.
    Synced,
    /// The offset-syncs topic is missing or unreadable.
    SyncsProblem(SyncsProblem),
    /// A target offset exists, but no sync lets it be checked.
    NoSyncForPartition,
    /// Older than every sync, and the target offset lies outside `lo..=hi`.
    TooOldTargetOutside {
        /// Lowest target offset the next record can be at.
        lo: i64,
        /// Highest.
        hi: i64,
    },
    /// `sync.group.offsets.enabled` is not true for the pair.
    SyncDisabled,
    /// The target offset trails MirrorMaker 2's translation.
    Behind {
        /// The translation.
        expected: i64,
    },
    /// The target offset is past MirrorMaker 2's translation.
    Ahead {
        /// The translation.
        expected: i64,
    },
    /// The group consumed records past MirrorMaker 2's newest offset sync.
    PastNewestSync,
    /// B1 / C1: no target offset, and the source partition is empty.
    EmptyPartition {
        /// Whether other partitions of the group are synced.
        others_synced: bool,
    },
    /// B3 / C3: no target offset; the group is behind the source log start and older than
    /// every sync.
    TooOldBehindLogStart {
        /// Whether other partitions of the group are synced.
        others_synced: bool,
    },
    /// No target offset; older than every sync, inside the log: MirrorMaker 2 never translates it.
    TooOldForMm2,
    /// No target offset; the target topic does not exist.
    TargetTopicMissing(String),
    /// B2 / C2: no target offset otherwise.
    NotSynced {
        /// Whether other partitions of the group are synced.
        others_synced: bool,
    },
    /// `--watch`: the source no longer lists the group; its last rows are kept, not OK.
    NoLongerListed,
}

impl Verdict {
    /// IS OK.
    pub fn is_ok(&self) -> bool {
        matches!(
            self,
            Verdict::Synced | Verdict::EmptyPartition { .. } | Verdict::TooOldBehindLogStart { .. }
        )
    }

    /// BLOCKING COMPONENT.
    pub fn component(&self) -> Option<Component> {
        use Component::*;
        match self {
            Verdict::SourcePartitionUnreadable(_) => Some(SourcePartition),
            Verdict::TargetPartitionUnreadable(_) => Some(TargetPartition),
            Verdict::TargetGroupUnreadable(_) | Verdict::TargetGroupActive(_) => Some(TargetGroup),
            Verdict::SourceGroupUnreadable(_) => Some(SourceGroup),
            Verdict::Synced => None,
            Verdict::SyncsProblem(_) | Verdict::NoSyncForPartition | Verdict::Behind { .. } => {
                Some(Replication)
            }
            Verdict::TooOldTargetOutside { .. } | Verdict::Ahead { .. } => Some(TargetGroup),
            Verdict::SyncDisabled => Some(Mm2Config),
            Verdict::PastNewestSync | Verdict::TargetTopicMissing(_) | Verdict::NotSynced { .. } => {
                Some(Replication)
            }
            Verdict::EmptyPartition { .. } => Some(SourcePartition),
            Verdict::TooOldBehindLogStart { .. } | Verdict::TooOldForMm2 | Verdict::NoLongerListed => {
                Some(SourceGroup)
            }
        }
    }

    /// MESSAGE; `pair` names the cluster pair (`source->target`).
    pub fn message(&self, pair: &str) -> String {
        let pick = |others_synced: bool, synced: &str, not_synced: &str| {
            if others_synced { synced } else { not_synced }.to_owned()
        };
        match self {
            Verdict::SourcePartitionUnreadable(e) => msg_source_partition_error(e),
            Verdict::TargetPartitionUnreadable(e) => msg_target_partition_error(e),
            Verdict::TargetGroupUnreadable(e) => msg_target_group_error(e),
            Verdict::SourceGroupUnreadable(e) => msg_source_group_error(e),
            Verdict::TargetGroupActive(state) => msg_target_active(state),
            Verdict::Synced => SUCCESS.to_owned(),
            Verdict::SyncsProblem(problem) => msg_syncs_problem(problem),
            Verdict::NoSyncForPartition => NO_SYNC_FOR_PARTITION.to_owned(),
            Verdict::TooOldTargetOutside { lo, hi } => msg_too_old_target(*lo, *hi),
            Verdict::SyncDisabled => msg_sync_disabled(pair),
            Verdict::Behind { expected } => msg_behind(*expected),
            Verdict::Ahead { expected } => msg_ahead(*expected),
            Verdict::PastNewestSync => SYNCS_BEHIND_GROUP.to_owned(),
            Verdict::EmptyPartition { others_synced } => {
                pick(*others_synced, EMPTY_OTHERS_SYNCED, EMPTY_OTHERS_NOT_SYNCED)
            }
            Verdict::TooOldBehindLogStart { others_synced } => {
                pick(*others_synced, TOO_OLD_OTHERS_SYNCED, TOO_OLD_OTHERS_NOT_SYNCED)
            }
            Verdict::TooOldForMm2 => TOO_OLD_FOR_MM2.to_owned(),
            Verdict::TargetTopicMissing(topic) => msg_target_topic_missing(topic),
            Verdict::NotSynced { others_synced } => pick(
                *others_synced,
                NOT_SYNCED_OTHERS_SYNCED,
                NOT_SYNCED_OTHERS_NOT_SYNCED,
            ),
            Verdict::NoLongerListed => NO_LONGER_LISTED.to_owned(),
        }
    }

    /// Why a row that is not OK holds the gate; `None` for an OK row.
    pub fn hold_cause(&self) -> Option<HoldCause> {
        if self.is_ok() {
            return None;
        }
        Some(match self {
            Verdict::PastNewestSync => HoldCause::PastNewestSync,
            Verdict::NotSynced { .. }
            | Verdict::NoSyncForPartition
            | Verdict::Behind { .. }
            | Verdict::TargetTopicMissing(_) => HoldCause::SyncPending,
            Verdict::TargetGroupActive(_) => HoldCause::TargetGroupActive,
            Verdict::SourcePartitionUnreadable(_)
            | Verdict::TargetPartitionUnreadable(_)
            | Verdict::TargetGroupUnreadable(_)
            | Verdict::SourceGroupUnreadable(_)
            | Verdict::SyncsProblem(_)
            | Verdict::NoLongerListed => HoldCause::Error,
            _ => HoldCause::NeedsAction,
        })
    }
}

/// The message of a group `--watch` no longer sees on the source: its last rows are kept, not OK.
pub const NO_LONGER_LISTED: &str = "the source no longer lists this group: it was deleted, or \
    this principal lost DESCRIBE on it (an ACL change); the gate stays shut until it is listed again";
