//! Every text the verdicts print, in one place: the 21 column headers and the messages, the
//! reference tool's seven kept word for word.

use super::SyncsProblem;

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
