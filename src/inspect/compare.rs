//! The decision table: collected facts in, one [`Row`] per (pair, group, source partition) out.
//!
//! The reference tool's seven outcomes (A, B1–B3, C1–C3) keep their exact messages. Where the
//! reference is wrong, this table is stricter (first match wins):
//!
//! | condition | IS OK | BLOCKING COMPONENT | message |
//! |---|---|---|---|
//! | source partition offsets unreadable | false | `SOURCE PARTITION` | [`msg_source_partition_error`] |
//! | target partition offsets unreadable | false | `TARGET PARTITION` | [`msg_target_partition_error`] |
//! | target group unreadable | false | `TARGET GROUP` | [`msg_target_group_error`] |
//! | target group active (MM2 never syncs to it) | false | `TARGET GROUP` | [`msg_target_active`] |
//! | target offset present, partition empty | true | `-` | [`SUCCESS`] |
//! | target offset present, offset-syncs topic unreadable | false | `REPLICATION` | [`msg_syncs_problem`] |
//! | target offset present, no sync for the partition | false | `REPLICATION` | [`NO_SYNC_FOR_PARTITION`] |
//! | target offset present, group older than every sync, behind the source log start | true | `-` | [`SUCCESS`] |
//! | target offset present, group older than every sync, target offset where the syncs allow | true | `-` | [`SUCCESS`] |
//! | target offset present, group older than every sync, otherwise | false | `TARGET GROUP` | [`msg_too_old_target`] |
//! | target offset below MM2's translation, sync disabled | false | `MM2 CONFIG` | [`msg_sync_disabled`] |
//! | target offset below MM2's translation | false | `REPLICATION` | [`msg_behind`] |
//! | target offset above MM2's translation | false | `TARGET GROUP` | [`msg_ahead`] |
//! | target offset as MM2 translates, but source records past the newest sync consumed | false | `REPLICATION` | [`SYNCS_BEHIND_GROUP`] |
//! | target offset as MM2 translates | true | `-` | [`SUCCESS`] |
//! | no target offset, source partition empty | true | `SOURCE PARTITION` | B1 / C1 |
//! | no target offset, group behind the source log start and older than every sync (or syncs unreadable) | true | `SOURCE GROUP` | B3 / C3 |
//! | no target offset, group older than every sync | false | `SOURCE GROUP` | [`TOO_OLD_FOR_MM2`] |
//! | no target offset, `sync.group.offsets.enabled` not true | false | `MM2 CONFIG` | [`msg_sync_disabled`] |
//! | no target offset, offset-syncs topic unreadable | false | `REPLICATION` | [`msg_syncs_problem`] |
//! | no target offset, target topic missing | false | `REPLICATION` | [`msg_target_topic_missing`] |
//! | no target offset otherwise | false | `REPLICATION` | B2 / C2 |
//!
//! B and C variants ("other partitions in this group are (not) synced") are decided by looking
//! at the group's other partitions, which the reference never did. A group whose source
//! offsets cannot be read gives one row with TOPIC and PARTITION `-` ([`msg_source_group_error`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::inspect::offset_syncs::{History, OffsetSync, SyncStore, Translation};
use crate::inspect::replication_policy::ReplicationPolicy;

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

/// The BLOCKING COMPONENT column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Component {
    /// `SOURCE PARTITION`
    #[serde(rename = "SOURCE PARTITION")]
    SourcePartition,
    /// `REPLICATION`
    #[serde(rename = "REPLICATION")]
    Replication,
    /// `SOURCE GROUP`
    #[serde(rename = "SOURCE GROUP")]
    SourceGroup,
    /// `TARGET GROUP` (not in the reference tool)
    #[serde(rename = "TARGET GROUP")]
    TargetGroup,
    /// `MM2 CONFIG` (not in the reference tool)
    #[serde(rename = "MM2 CONFIG")]
    Mm2Config,
    /// `TARGET PARTITION` (not in the reference tool)
    #[serde(rename = "TARGET PARTITION")]
    TargetPartition,
}

impl Component {
    /// The column text.
    pub fn as_str(self) -> &'static str {
        match self {
            Component::SourcePartition => "SOURCE PARTITION",
            Component::Replication => "REPLICATION",
            Component::SourceGroup => "SOURCE GROUP",
            Component::TargetGroup => "TARGET GROUP",
            Component::Mm2Config => "MM2 CONFIG",
            Component::TargetPartition => "TARGET PARTITION",
        }
    }
}

/// One output row: the 21 columns, plus the target topic and MM2's expected target offset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    /// CLUSTER PAIR
    pub cluster_pair: String,
    /// TOPIC (source name; `-` for a group-level error)
    pub topic: String,
    /// PARTITION
    pub partition: Option<i32>,
    /// GROUP
    pub group: String,
    /// SOURCE TOPIC EARLIEST OFFSET
    pub source_topic_earliest_offset: Option<i64>,
    /// SOURCE TOPIC LATEST OFFSET
    pub source_topic_latest_offset: Option<i64>,
    /// SOURCE GROUP STATE
    pub source_group_state: String,
    /// SOURCE GROUP OFFSET
    pub source_group_offset: Option<i64>,
    /// SOURCE GROUP LAG
    pub source_group_lag: Option<i64>,
    /// TARGET TOPIC EARLIEST OFFSET
    pub target_topic_earliest_offset: Option<i64>,
    /// TARGET TOPIC LATEST OFFSET
    pub target_topic_latest_offset: Option<i64>,
    /// TARGET GROUP STATE
    pub target_group_state: String,
    /// TARGET GROUP OFFSET
    pub target_group_offset: Option<i64>,
    /// TARGET GROUP LAG
    pub target_group_lag: Option<i64>,
    /// TARGET GROUP LAG TO SOURCE
    pub target_group_lag_to_source: Option<i64>,
    /// SOURCE HAS DATA
    pub source_has_data: bool,
    /// SOURCE GROUP VALID
    pub source_group_valid: bool,
    /// TARGET HAS DATA
    pub target_has_data: bool,
    /// IS OK
    pub is_ok: bool,
    /// BLOCKING COMPONENT
    pub blocking_component: Option<Component>,
    /// MESSAGE
    pub message: String,
    /// The target topic name the replication policy gives (JSON only).
    pub target_topic: Option<String>,
    /// MM2's translation of the source group offset, when known (JSON only).
    pub expected_target_offset: Option<i64>,
}

impl Row {
    /// The sort key: pair, group (case-insensitive, then exact), topic (likewise), partition.
    pub fn sort_key(&self) -> (&str, String, &str, String, &str, Option<i32>) {
        (
            &self.cluster_pair,
            self.group.to_lowercase(),
            &self.group,
            self.topic.to_lowercase(),
            &self.topic,
            self.partition,
        )
    }
}

/// Sorts rows into the documented order.
pub fn sort_rows(rows: &mut [Row]) {
    rows.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// Why the offset-syncs topic gave nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncsProblem {
    /// The topic does not exist.
    Missing {
        /// Topic name.
        topic: String,
        /// Cluster alias.
        cluster: String,
    },
    /// Reading failed.
    Unreadable {
        /// Topic name.
        topic: String,
        /// Cluster alias.
        cluster: String,
        /// The error.
        error: String,
    },
}

/// A topic-partition key.
pub type Tp = (String, i32);

/// Earliest and latest offset of a partition; `Ok(None)` when the topic does not exist.
pub type TopicOffsets = Result<Option<(i64, i64)>, String>;

/// The target side of one group.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TargetGroup {
    /// Kafka's display state (`Dead` when the group does not exist).
    pub state: String,
    /// Committed offsets by target topic-partition.
    pub offsets: HashMap<Tp, i64>,
}

/// Everything known about one source group.
#[derive(Clone, Debug)]
pub struct GroupFacts {
    /// Group id.
    pub group: String,
    /// Source state.
    pub state: String,
    /// Committed offsets by source topic-partition, topic filter applied.
    pub offsets: Result<BTreeMap<Tp, i64>, String>,
    /// The target group.
    pub target: Result<TargetGroup, String>,
}

/// Everything known about one pair.
#[derive(Clone, Debug)]
pub struct PairFacts {
    /// `src->tgt`.
    pub name: String,
    /// Source alias.
    pub source: String,
    /// Target alias.
    pub target: String,
    /// Naming.
    pub policy: ReplicationPolicy,
    /// `sync.group.offsets.enabled`.
    pub sync_group_offsets: bool,
    /// Source partition offsets by source topic-partition.
    pub source_topics: HashMap<Tp, TopicOffsets>,
    /// Target partition offsets by target topic-partition.
    pub target_topics: HashMap<Tp, TopicOffsets>,
    /// The offset-syncs topic.
    pub syncs: Result<SyncStore, SyncsProblem>,
    /// The groups.
    pub groups: Vec<GroupFacts>,
    /// Groups MM2 has checkpoints for (and the groups filter accepts) that the source does not
    /// list: deleted there, or hidden from this user by ACLs. Not inspected.
    pub unlisted_groups: Vec<String>,
    /// Every group the source listed, whatever its state or the filters.
    pub listed_groups: BTreeSet<String>,
    /// Per source partition a group consumed past MM2's newest offset sync: whether records
    /// (not transaction markers) lie between that sync and what the groups consumed. Absent
    /// when unknown, which counts as records.
    pub records_after_newest_sync: HashMap<Tp, bool>,
}

/// Target group states in which MM2 does not sync offsets.
pub fn is_active_state(state: &str) -> bool {
    matches!(
        state,
        "Stable" | "PreparingRebalance" | "CompletingRebalance" | "Assigning" | "Reconciling"
    )
}

/// Applies the decision table to every group of a pair.
pub fn compare_pair(facts: &PairFacts) -> Vec<Row> {
    let mut rows = Vec::new();
    for group in &facts.groups {
        compare_group(facts, group, &mut rows);
    }
    rows
}

fn compare_group(facts: &PairFacts, group: &GroupFacts, rows: &mut Vec<Row>) {
    let target_state = match &group.target {
        Ok(t) => t.state.clone(),
        Err(_) => "Unknown".to_owned(),
    };
    let offsets = match &group.offsets {
        Ok(o) => o,
        Err(error) => {
            rows.push(Row {
                cluster_pair: facts.name.clone(),
                topic: "-".into(),
                partition: None,
                group: group.group.clone(),
                source_topic_earliest_offset: None,
                source_topic_latest_offset: None,
                source_group_state: group.state.clone(),
                source_group_offset: None,
                source_group_lag: None,
                target_topic_earliest_offset: None,
                target_topic_latest_offset: None,
                target_group_state: target_state,
                target_group_offset: None,
                target_group_lag: None,
                target_group_lag_to_source: None,
                source_has_data: false,
                source_group_valid: false,
                target_has_data: false,
                is_ok: false,
                blocking_component: Some(Component::SourceGroup),
                message: msg_source_group_error(error),
                target_topic: None,
                expected_target_offset: None,
            });
            return;
        }
    };
    let target_tp = |(topic, partition): &Tp| {
        (
            facts.policy.checkpoint_topic(&facts.source, &facts.target, topic),
            *partition,
        )
    };
    let target_offset = |tp: &Tp| {
        group
            .target
            .as_ref()
            .ok()
            .and_then(|t| t.offsets.get(&target_tp(tp)).copied())
    };
    let synced_count = offsets.keys().filter(|tp| target_offset(tp).is_some()).count();

    for (tp, &g) in offsets {
        let ttp = target_tp(tp);
        let g_t = target_offset(tp);
        let others_synced = synced_count > usize::from(g_t.is_some());
        let source = facts.source_topics.get(tp).cloned().unwrap_or(Ok(None));
        let target = facts.target_topics.get(&ttp).cloned().unwrap_or(Ok(None));
        let (s_e, s_l) = match &source {
            Ok(Some((e, l))) => (Some(*e), Some(*l)),
            _ => (None, None),
        };
        let (t_e, t_l) = match &target {
            Ok(Some((e, l))) => (Some(*e), Some(*l)),
            _ => (None, None),
        };
        let empty = match (s_e, s_l) {
            (Some(e), Some(l)) => e == l,
            _ => true,
        };
        let valid = matches!((s_e, s_l), (Some(e), Some(l)) if e <= g && g <= l);
        let history = facts.syncs.as_ref().ok().and_then(|s| s.history(&tp.0, tp.1));
        let translation = match &facts.syncs {
            Ok(_) => Some(history.map_or(Translation::NoSync, |h| h.translate(g))),
            Err(_) => None,
        };
        let expected = match translation {
            Some(Translation::Offset { max, .. }) => Some(max),
            _ => None,
        };

        let mut row = Row {
            cluster_pair: facts.name.clone(),
            topic: tp.0.clone(),
            partition: Some(tp.1),
            group: group.group.clone(),
            source_topic_earliest_offset: s_e,
            source_topic_latest_offset: s_l,
            source_group_state: group.state.clone(),
            source_group_offset: Some(g),
            source_group_lag: s_l.map(|l| l - g),
            target_topic_earliest_offset: t_e,
            target_topic_latest_offset: t_l,
            target_group_state: target_state.clone(),
            target_group_offset: None,
            target_group_lag: None,
            target_group_lag_to_source: None,
            source_has_data: !empty,
            source_group_valid: valid,
            target_has_data: matches!((t_e, t_l), (Some(e), Some(l)) if e != l),
            is_ok: false,
            blocking_component: None,
            message: String::new(),
            target_topic: Some(ttp.0.clone()),
            expected_target_offset: expected,
        };
        let mut verdict = |ok: bool, component: Option<Component>, message: String| {
            row.is_ok = ok;
            row.blocking_component = component;
            row.message = message;
        };
        use Component::*;

        let behind_log_start = s_e.is_some_and(|e| g < e);
        if let Err(error) = &source {
            verdict(false, Some(SourcePartition), msg_source_partition_error(error));
        } else if let Err(error) = &target {
            verdict(false, Some(TargetPartition), msg_target_partition_error(error));
        } else if let Err(error) = &group.target {
            verdict(false, Some(TargetGroup), msg_target_group_error(error));
        } else if is_active_state(&target_state) {
            verdict(false, Some(TargetGroup), msg_target_active(&target_state));
        } else if let Some(g_t) = g_t {
            // Outcome A and its checks.
            match translation {
                _ if empty => verdict(true, None, SUCCESS.into()),
                None => {
                    let problem = facts
                        .syncs
                        .as_ref()
                        .err()
                        .map(msg_syncs_problem)
                        .unwrap_or_default();
                    verdict(false, Some(Replication), problem)
                }
                Some(Translation::NoSync) => verdict(false, Some(Replication), NO_SYNC_FOR_PARTITION.into()),
                Some(Translation::TooOld) => match history.and_then(History::oldest) {
                    // The source consumer resets by auto.offset.reset too.
                    _ if behind_log_start => verdict(true, None, SUCCESS.into()),
                    Some(oldest) => {
                        let (lo, hi) = too_old_bracket(oldest, g);
                        if (lo..=hi).contains(&g_t) {
                            verdict(true, None, SUCCESS.into())
                        } else {
                            verdict(false, Some(TargetGroup), msg_too_old_target(lo, hi))
                        }
                    }
                    None => verdict(true, None, SUCCESS.into()),
                },
                Some(Translation::Offset { min, max }) => {
                    if g_t < min && !facts.sync_group_offsets {
                        verdict(false, Some(Mm2Config), msg_sync_disabled(&facts.name))
                    } else if g_t < min {
                        verdict(false, Some(Replication), msg_behind(max))
                    } else if g_t > max {
                        verdict(false, Some(TargetGroup), msg_ahead(max))
                    } else if history.is_some_and(|h| consumed_past_newest_sync(h, g, s_l))
                        && facts.records_after_newest_sync.get(tp) != Some(&false)
                    {
                        verdict(false, Some(Replication), SYNCS_BEHIND_GROUP.into())
                    } else {
                        verdict(true, None, SUCCESS.into())
                    }
                }
            }
        } else if empty {
            let message = if others_synced {
                EMPTY_OTHERS_SYNCED
            } else {
                EMPTY_OTHERS_NOT_SYNCED
            };
            verdict(true, Some(SourcePartition), message.into());
        } else if behind_log_start && (translation == Some(Translation::TooOld) || translation.is_none()) {
            let message = if others_synced {
                TOO_OLD_OTHERS_SYNCED
            } else {
                TOO_OLD_OTHERS_NOT_SYNCED
            };
            verdict(true, Some(SourceGroup), message.into());
        } else if translation == Some(Translation::TooOld) {
            verdict(false, Some(SourceGroup), TOO_OLD_FOR_MM2.into());
        } else if !facts.sync_group_offsets {
            verdict(false, Some(Mm2Config), msg_sync_disabled(&facts.name));
        } else if let Err(problem) = &facts.syncs {
            verdict(false, Some(Replication), msg_syncs_problem(problem));
        } else if target == Ok(None) {
            verdict(false, Some(Replication), msg_target_topic_missing(&ttp.0));
        } else {
            let message = if others_synced {
                NOT_SYNCED_OTHERS_SYNCED
            } else {
                NOT_SYNCED_OTHERS_NOT_SYNCED
            };
            verdict(false, Some(Replication), message.into());
        }

        if let Some(g_t) = g_t {
            row.target_group_offset = Some(g_t);
            row.target_group_lag = t_l.map(|l| (l - g_t).max(0));
            row.target_group_lag_to_source = match (s_l, history) {
                (Some(l), Some(h)) => h.for_log_end(l).map(|s| l - (g_t + (s.upstream - s.downstream))),
                _ => None,
            };
        }
        rows.push(row);
    }
}

/// True if the group consumed source records past MM2's newest sync for the partition. MM2
/// translates an offset past its newest sync (upstream `u`, downstream `d`) to `d + 1`, the
/// position of the record after `u`. That is exact only if no record lies between `u + 1` and
/// the group offset; records there exist up to the source log end `s_l`, unless the offsets
/// there hold only transaction markers (see [`PairFacts::records_after_newest_sync`]).
fn consumed_past_newest_sync(history: &History, group: i64, s_l: Option<i64>) -> bool {
    let Some(newest) = history.latest() else {
        return false;
    };
    let consumed_end = s_l.map_or(group, |l| group.min(l));
    consumed_end > newest.upstream + 1
}

/// Where the record a group at `group` reads next can be on the target, given the oldest sync
/// (`group` is below it): at most `oldest.upstream - group` records lie before the synced record,
/// each taking at least one target offset.
fn too_old_bracket(oldest: OffsetSync, group: i64) -> (i64, i64) {
    (
        (oldest.downstream - (oldest.upstream - group)).max(0),
        oldest.downstream,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspect::offset_syncs::{encode_key, encode_value};

    fn store(syncs: &[(&str, i32, i64, i64)]) -> SyncStore {
        let mut s = SyncStore::default();
        for &(t, p, u, d) in syncs {
            s.add_record(
                Some(&encode_key(t, p)),
                Some(&encode_value(OffsetSync {
                    upstream: u,
                    downstream: d,
                })),
            );
        }
        s
    }

    /// Topic `t` with partitions 0 (10 records, synced up to (9,9)) and 1 (empty), identity policy.
    fn facts(group_offsets: &[(i32, i64)], target: Result<TargetGroup, String>) -> PairFacts {
        let tp = |p: i32| ("t".to_owned(), p);
        PairFacts {
            name: "primary->backup".into(),
            source: "primary".into(),
            target: "backup".into(),
            policy: ReplicationPolicy::identity(),
            sync_group_offsets: true,
            source_topics: HashMap::from([(tp(0), Ok(Some((0, 10)))), (tp(1), Ok(Some((0, 0))))]),
            target_topics: HashMap::from([(tp(0), Ok(Some((0, 10)))), (tp(1), Ok(Some((0, 0))))]),
            syncs: Ok(store(&[("t", 0, 0, 0), ("t", 0, 5, 5), ("t", 0, 9, 9)])),
            groups: vec![GroupFacts {
                group: "g".into(),
                state: "Stable".into(),
                offsets: Ok(group_offsets.iter().map(|&(p, o)| (tp(p), o)).collect()),
                target,
            }],
            unlisted_groups: Vec::new(),
            listed_groups: BTreeSet::from(["g".to_owned()]),
            records_after_newest_sync: HashMap::new(),
        }
    }

    fn target(state: &str, offsets: &[(i32, i64)]) -> Result<TargetGroup, String> {
        Ok(TargetGroup {
            state: state.into(),
            offsets: offsets.iter().map(|&(p, o)| (("t".to_owned(), p), o)).collect(),
        })
    }

    fn verdicts(facts: &PairFacts) -> Vec<(bool, Option<&'static str>, String)> {
        compare_pair(facts)
            .into_iter()
            .map(|r| (r.is_ok, r.blocking_component.map(Component::as_str), r.message))
            .collect()
    }

    #[test]
    fn synced_partition_is_a_with_lags() {
        let rows = compare_pair(&facts(&[(0, 10)], target("Empty", &[(0, 10)])));
        let r = &rows[0];
        assert_eq!(
            (r.is_ok, r.blocking_component, r.message.as_str()),
            (true, None, SUCCESS)
        );
        assert_eq!(r.target_group_offset, Some(10));
        assert_eq!(r.target_group_lag, Some(0));
        assert_eq!(r.target_group_lag_to_source, Some(0));
        assert_eq!(r.source_group_lag, Some(0));
        assert_eq!(r.expected_target_offset, Some(10));
        assert!(r.source_has_data && r.source_group_valid && r.target_has_data);
    }

    #[test]
    fn empty_partition_b1_and_c1() {
        let v = verdicts(&facts(&[(0, 10), (1, 0)], target("Empty", &[(0, 10)])));
        assert_eq!(v[1], (true, Some("SOURCE PARTITION"), EMPTY_OTHERS_SYNCED.into()));
        let v = verdicts(&facts(&[(0, 10), (1, 0)], target("Dead", &[])));
        assert_eq!(
            v[0],
            (false, Some("REPLICATION"), NOT_SYNCED_OTHERS_NOT_SYNCED.into())
        );
        assert_eq!(
            v[1],
            (true, Some("SOURCE PARTITION"), EMPTY_OTHERS_NOT_SYNCED.into())
        );
    }

    #[test]
    fn b2_when_another_partition_is_synced() {
        let mut f = facts(&[(0, 10), (1, 0)], target("Empty", &[(1, 0)]));
        f.source_topics.insert(("t".into(), 1), Ok(Some((0, 3))));
        f.syncs = Ok(store(&[("t", 0, 9, 9), ("t", 1, 2, 2)]));
        let v = verdicts(&f);
        assert_eq!(
            v[0],
            (false, Some("REPLICATION"), NOT_SYNCED_OTHERS_SYNCED.into())
        );
    }

    #[test]
    fn too_old_inside_the_log_is_not_ok() {
        // MM2 returns -1 for an offset below its oldest sync: no checkpoint, no target offset,
        // and a consumer on the target starts at auto.offset.reset.
        let mut f = facts(&[(0, 3)], target("Dead", &[]));
        f.syncs = Ok(store(&[("t", 0, 5, 5), ("t", 0, 9, 9)]));
        assert_eq!(
            verdicts(&f)[0],
            (false, Some("SOURCE GROUP"), TOO_OLD_FOR_MM2.into())
        );
    }

    #[test]
    fn too_old_behind_the_log_start_keeps_the_reference_outcome() {
        // The group is below the source log start: the source consumer resets as well.
        let mut f = facts(&[(0, 3)], target("Dead", &[]));
        f.source_topics.insert(("t".into(), 0), Ok(Some((4, 10))));
        f.syncs = Ok(store(&[("t", 0, 5, 5), ("t", 0, 9, 9)]));
        let rows = compare_pair(&f);
        assert_eq!(
            (
                rows[0].is_ok,
                rows[0].blocking_component,
                rows[0].message.as_str()
            ),
            (true, Some(Component::SourceGroup), TOO_OLD_OTHERS_NOT_SYNCED)
        );
        assert!(!rows[0].source_group_valid);
    }

    #[test]
    fn too_old_with_a_target_offset_is_checked_against_the_oldest_sync() {
        // Oldest sync (5, 5), group at 3: the next record is at target offset 3..=5.
        let mut f = facts(&[(0, 3)], target("Empty", &[(0, 3)]));
        f.syncs = Ok(store(&[("t", 0, 5, 5), ("t", 0, 9, 9)]));
        assert_eq!(verdicts(&f)[0], (true, None, SUCCESS.into()));
        f.groups[0].target = target("Empty", &[(0, 7)]);
        assert_eq!(
            verdicts(&f)[0],
            (false, Some("TARGET GROUP"), msg_too_old_target(3, 5))
        );
    }

    #[test]
    fn group_past_the_newest_sync_is_not_ok_until_synced() {
        // MM2's newest sync is (5, 5); the group consumed records 6..9, MM2 translates 10 to 6.
        let mut f = facts(&[(0, 10)], target("Empty", &[(0, 6)]));
        f.syncs = Ok(store(&[("t", 0, 0, 0), ("t", 0, 5, 5)]));
        let rows = compare_pair(&f);
        assert_eq!(rows[0].expected_target_offset, Some(6));
        assert_eq!(
            (
                rows[0].is_ok,
                rows[0].blocking_component,
                rows[0].message.as_str()
            ),
            (false, Some(Component::Replication), SYNCS_BEHIND_GROUP)
        );
        // One past the newest sync: exact.
        let mut f = facts(&[(0, 6)], target("Empty", &[(0, 6)]));
        f.syncs = Ok(store(&[("t", 0, 0, 0), ("t", 0, 5, 5)]));
        assert_eq!(verdicts(&f)[0], (true, None, SUCCESS.into()));
        // Past the source log end (topic recreated smaller): no record lies past the sync.
        let mut f = facts(&[(0, 20)], target("Empty", &[(0, 5)]));
        f.source_topics.insert(("t".into(), 0), Ok(Some((0, 5))));
        f.syncs = Ok(store(&[("t", 0, 0, 0), ("t", 0, 4, 4)]));
        let rows = compare_pair(&f);
        assert_eq!((rows[0].is_ok, rows[0].message.as_str()), (true, SUCCESS));
        assert!(!rows[0].source_group_valid);
        // Past the newest sync by transaction markers only: nothing is re-read.
        let mut f = facts(&[(0, 10)], target("Empty", &[(0, 6)]));
        f.syncs = Ok(store(&[("t", 0, 0, 0), ("t", 0, 5, 5)]));
        let tp = ("t".to_owned(), 0);
        f.records_after_newest_sync.insert(tp.clone(), false);
        assert_eq!(verdicts(&f)[0], (true, None, SUCCESS.into()));
        // Records there, found or assumed: not OK.
        f.records_after_newest_sync.insert(tp.clone(), true);
        assert!(!verdicts(&f)[0].0);
        f.records_after_newest_sync.remove(&tp);
        assert!(!verdicts(&f)[0].0);
    }

    #[test]
    fn unreadable_target_partition_is_its_own_error() {
        let mut f = facts(&[(0, 10)], target("Empty", &[]));
        f.target_topics
            .insert(("t".into(), 0), Err("Broker: Topic authorization failed".into()));
        assert_eq!(
            verdicts(&f)[0],
            (
                false,
                Some("TARGET PARTITION"),
                msg_target_partition_error("Broker: Topic authorization failed")
            )
        );
    }

    #[test]
    fn behind_ahead_and_active_target() {
        let v = verdicts(&facts(&[(0, 10)], target("Empty", &[(0, 7)])));
        assert_eq!(v[0], (false, Some("REPLICATION"), msg_behind(10)));
        let v = verdicts(&facts(&[(0, 7)], target("Empty", &[(0, 10)])));
        assert_eq!(v[0], (false, Some("TARGET GROUP"), msg_ahead(6)));
        // Between MM2's coarsest and exact translation: fine.
        let v = verdicts(&facts(&[(0, 7)], target("Empty", &[(0, 1)])));
        assert_eq!(v[0].2, SUCCESS);
        let v = verdicts(&facts(&[(0, 10)], target("Stable", &[(0, 10)])));
        assert_eq!(v[0], (false, Some("TARGET GROUP"), msg_target_active("Stable")));
    }

    #[test]
    fn sync_disabled_is_the_reason() {
        let mut f = facts(&[(0, 10)], target("Dead", &[]));
        f.sync_group_offsets = false;
        assert_eq!(
            verdicts(&f)[0],
            (false, Some("MM2 CONFIG"), msg_sync_disabled("primary->backup"))
        );
    }

    #[test]
    fn missing_syncs_topic_and_target_topic_are_named() {
        let mut f = facts(&[(0, 10), (1, 0)], target("Empty", &[(0, 10)]));
        let problem = SyncsProblem::Missing {
            topic: "mm2-offset-syncs.backup.internal".into(),
            cluster: "primary".into(),
        };
        f.syncs = Err(problem.clone());
        let rows = compare_pair(&f);
        assert_eq!(rows[0].message, msg_syncs_problem(&problem));
        assert!(!rows[0].is_ok);
        assert_eq!(rows[0].target_group_lag_to_source, None);
        assert_eq!(rows[1].message, EMPTY_OTHERS_SYNCED);

        let mut f = facts(&[(0, 10)], target("Dead", &[]));
        f.target_topics.clear();
        assert_eq!(verdicts(&f)[0].2, msg_target_topic_missing("t"));
    }

    #[test]
    fn errors_mark_rows_without_aborting() {
        let mut f = facts(&[(0, 10)], Err("timed out".into()));
        f.groups.push(GroupFacts {
            group: "h".into(),
            state: "Stable".into(),
            offsets: Err("not authorized".into()),
            target: target("Dead", &[]),
        });
        let rows = compare_pair(&f);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].message, msg_target_group_error("timed out"));
        assert_eq!(rows[0].target_group_state, "Unknown");
        assert_eq!((rows[1].topic.as_str(), rows[1].partition), ("-", None));
        assert_eq!(rows[1].message, msg_source_group_error("not authorized"));
    }

    #[test]
    fn default_policy_looks_up_the_prefixed_target_topic() {
        let mut f = facts(&[(0, 10)], Ok(TargetGroup::default()));
        f.policy = ReplicationPolicy::default_policy();
        f.target_topics = HashMap::from([(("primary.t".to_owned(), 0), Ok(Some((0, 10))))]);
        f.groups[0].target = Ok(TargetGroup {
            state: "Empty".into(),
            offsets: HashMap::from([(("primary.t".to_owned(), 0), 10)]),
        });
        let rows = compare_pair(&f);
        assert_eq!(rows[0].message, SUCCESS);
        assert_eq!(rows[0].target_topic.as_deref(), Some("primary.t"));
        assert_eq!(rows[0].target_topic_latest_offset, Some(10));
    }

    #[test]
    fn sort_order_case_insensitive_then_exact() {
        let mut f = facts(&[(0, 10)], target("Empty", &[(0, 10)]));
        let base = f.groups[0].clone();
        f.groups = ["b", "B", "a"]
            .iter()
            .map(|g| GroupFacts {
                group: (*g).into(),
                ..base.clone()
            })
            .collect();
        let mut rows = compare_pair(&f);
        sort_rows(&mut rows);
        let groups: Vec<_> = rows.iter().map(|r| r.group.as_str()).collect();
        assert_eq!(groups, ["a", "B", "b"]);
    }
}
