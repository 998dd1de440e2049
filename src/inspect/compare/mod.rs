//! The decision table: collected facts in, one [`Row`] per (pair, group, source partition) out.
//!
//! `decide` is the table, a pure function of one partition's facts returning a [`Verdict`],
//! one variant per line; the row's IS OK, BLOCKING COMPONENT, MESSAGE and hold cause are read
//! from the verdict (`messages.rs`, every text in one place). The reference tool's seven
//! outcomes (A, B1–B3, C1–C3) keep their exact messages. Where the reference is wrong, this
//! table is stricter (first match wins):
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

use crate::inspect::offset_syncs::{History, OffsetSync, SyncStore, Translation};
use crate::inspect::replication_policy::ReplicationPolicy;

mod messages;
mod row;

pub use messages::*;
pub use row::*;

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
    let mut rows = Vec::with_capacity(row_count(facts));
    let mut texts = Texts::default();
    for group in &facts.groups {
        compare_group(facts, group, &mut texts, &mut rows);
    }
    rows
}

/// As [`compare_pair`], taking the facts and appending to `rows` (sized beforehand with
/// [`row_count`], so a large inspection never holds a half-grown copy of its rows). Each
/// group's facts are dropped as soon as its rows exist.
pub fn compare_pair_into(mut facts: PairFacts, rows: &mut Vec<Row>) {
    let mut texts = Texts::default();
    let groups = std::mem::take(&mut facts.groups);
    for group in groups {
        compare_group(&facts, &group, &mut texts, rows);
    }
}

/// How many rows [`compare_pair`] makes: one per partition a group has an offset for, or one
/// for a group whose offsets could not be read.
pub fn row_count(facts: &PairFacts) -> usize {
    facts
        .groups
        .iter()
        .map(|g| g.offsets.as_ref().map_or(1, |o| o.len()))
        .sum()
}

/// One shared copy of each text the rows of a pair hold (its name, group names, topics,
/// states, messages), so a row costs its numbers, not its strings.
#[derive(Default)]
struct Texts(std::collections::HashSet<Text>);

impl Texts {
    fn get(&mut self, text: &str) -> Text {
        if let Some(shared) = self.0.get(text) {
            return shared.clone();
        }
        let shared: Text = text.into();
        self.0.insert(shared.clone());
        shared
    }
}

fn compare_group(facts: &PairFacts, group: &GroupFacts, texts: &mut Texts, rows: &mut Vec<Row>) {
    let target_state = match &group.target {
        Ok(t) => t.state.clone(),
        Err(_) => "Unknown".to_owned(),
    };
    let offsets = match &group.offsets {
        Ok(o) => o,
        Err(error) => {
            rows.push(Row {
                cluster_pair: texts.get(&facts.name),
                topic: texts.get("-"),
                partition: None,
                group: texts.get(&group.group),
                source_topic_earliest_offset: None,
                source_topic_latest_offset: None,
                source_group_state: texts.get(&group.state),
                source_group_offset: None,
                source_group_lag: None,
                target_topic_earliest_offset: None,
                target_topic_latest_offset: None,
                target_group_state: texts.get(&target_state),
                target_group_offset: None,
                target_group_lag: None,
                target_group_lag_to_source: None,
                source_has_data: false,
                source_group_valid: false,
                target_has_data: false,
                is_ok: false,
                blocking_component: None,
                message: texts.get(""),
                target_topic: None,
                expected_target_offset: None,
                hold: None,
            });
            if let Some(row) = rows.last_mut() {
                apply(
                    row,
                    &Verdict::SourceGroupUnreadable(error.clone()),
                    &facts.name,
                    texts,
                );
            }
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
            cluster_pair: texts.get(&facts.name),
            topic: texts.get(&tp.0),
            partition: Some(tp.1),
            group: texts.get(&group.group),
            source_topic_earliest_offset: s_e,
            source_topic_latest_offset: s_l,
            source_group_state: texts.get(&group.state),
            source_group_offset: Some(g),
            source_group_lag: s_l.map(|l| l - g),
            target_topic_earliest_offset: t_e,
            target_topic_latest_offset: t_l,
            target_group_state: texts.get(&target_state),
            target_group_offset: None,
            target_group_lag: None,
            target_group_lag_to_source: None,
            source_has_data: !empty,
            source_group_valid: valid,
            target_has_data: matches!((t_e, t_l), (Some(e), Some(l)) if e != l),
            is_ok: false,
            blocking_component: None,
            message: texts.get(""),
            target_topic: Some(texts.get(&ttp.0)),
            expected_target_offset: expected,
            hold: None,
        };
        let partition = Partition {
            source: &source,
            target: &target,
            target_group: &group.target,
            target_state: &target_state,
            group_offset: g,
            target_offset: g_t,
            source_log_start: s_e,
            source_log_end: s_l,
            empty,
            others_synced,
            history,
            translation,
            syncs: &facts.syncs,
            sync_group_offsets: facts.sync_group_offsets,
            records_after_newest_sync: facts.records_after_newest_sync.get(tp).copied(),
            target_topic: &ttp.0,
        };
        apply(&mut row, &decide(&partition), &facts.name, texts);

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

/// Sets a row's IS OK, BLOCKING COMPONENT, MESSAGE and hold cause from its verdict.
fn apply(row: &mut Row, verdict: &Verdict, pair: &str, texts: &mut Texts) {
    row.is_ok = verdict.is_ok();
    row.blocking_component = verdict.component();
    row.message = texts.get(&verdict.message(pair));
    row.hold = verdict.hold_cause();
}

/// The facts of one (group, source partition) the verdict is decided from.
struct Partition<'a> {
    /// The source partition's (earliest, latest) offsets, `None` when unknown, or why unreadable.
    source: &'a Result<Option<(i64, i64)>, String>,
    /// The target partition's offsets, `Ok(None)` when the topic does not exist.
    target: &'a Result<Option<(i64, i64)>, String>,
    /// The target group, or why it is unreadable.
    target_group: &'a Result<TargetGroup, String>,
    /// The target group's state (`Unknown` when unreadable).
    target_state: &'a str,
    /// The source group's committed offset.
    group_offset: i64,
    /// The target group's committed offset, if any.
    target_offset: Option<i64>,
    /// The source log start.
    source_log_start: Option<i64>,
    /// The source log end.
    source_log_end: Option<i64>,
    /// Whether the source partition holds no record (or its offsets are unknown).
    empty: bool,
    /// Whether other partitions of the group have a target offset.
    others_synced: bool,
    /// MirrorMaker 2's offset syncs for the partition.
    history: Option<&'a History>,
    /// MirrorMaker 2's translation of the group offset (`None` when the syncs are unreadable).
    translation: Option<Translation>,
    /// The offset-syncs topic, or why it gave nothing.
    syncs: &'a Result<SyncStore, SyncsProblem>,
    /// Whether the pair syncs group offsets.
    sync_group_offsets: bool,
    /// Whether records (not only transaction markers) lie past the newest sync, when read.
    records_after_newest_sync: Option<bool>,
    /// The target topic's name.
    target_topic: &'a str,
}

/// The decision table of the module documentation, first match wins: a pure function of one
/// partition's facts.
fn decide(p: &Partition<'_>) -> Verdict {
    let g = p.group_offset;
    let behind_log_start = p.source_log_start.is_some_and(|e| g < e);
    if let Err(error) = p.source {
        return Verdict::SourcePartitionUnreadable(error.clone());
    }
    if let Err(error) = p.target {
        return Verdict::TargetPartitionUnreadable(error.clone());
    }
    if let Err(error) = p.target_group {
        return Verdict::TargetGroupUnreadable(error.clone());
    }
    if is_active_state(p.target_state) {
        return Verdict::TargetGroupActive(p.target_state.to_owned());
    }
    if let Some(g_t) = p.target_offset {
        // Outcome A and its checks.
        return match p.translation {
            _ if p.empty => Verdict::Synced,
            None => match p.syncs {
                Err(problem) => Verdict::SyncsProblem(problem.clone()),
                // Not reached: the translation is `None` only when the syncs are unreadable.
                Ok(_) => Verdict::NoSyncForPartition,
            },
            Some(Translation::NoSync) => Verdict::NoSyncForPartition,
            Some(Translation::TooOld) => match p.history.and_then(History::oldest) {
                // The source consumer resets by auto.offset.reset too.
                _ if behind_log_start => Verdict::Synced,
                Some(oldest) => {
                    let (lo, hi) = too_old_bracket(oldest, g);
                    if (lo..=hi).contains(&g_t) {
                        Verdict::Synced
                    } else {
                        Verdict::TooOldTargetOutside { lo, hi }
                    }
                }
                None => Verdict::Synced,
            },
            Some(Translation::Offset { min, max }) => {
                if g_t < min && !p.sync_group_offsets {
                    Verdict::SyncDisabled
                } else if g_t < min {
                    Verdict::Behind { expected: max }
                } else if g_t > max {
                    Verdict::Ahead { expected: max }
                } else if p
                    .history
                    .is_some_and(|h| consumed_past_newest_sync(h, g, p.source_log_end))
                    && p.records_after_newest_sync != Some(false)
                {
                    Verdict::PastNewestSync
                } else {
                    Verdict::Synced
                }
            }
        };
    }
    let others_synced = p.others_synced;
    if p.empty {
        Verdict::EmptyPartition { others_synced }
    } else if behind_log_start && (p.translation == Some(Translation::TooOld) || p.translation.is_none()) {
        Verdict::TooOldBehindLogStart { others_synced }
    } else if p.translation == Some(Translation::TooOld) {
        Verdict::TooOldForMm2
    } else if !p.sync_group_offsets {
        Verdict::SyncDisabled
    } else if let Err(problem) = p.syncs {
        Verdict::SyncsProblem(problem.clone())
    } else if *p.target == Ok(None) {
        Verdict::TargetTopicMissing(p.target_topic.to_owned())
    } else {
        Verdict::NotSynced { others_synced }
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
mod tests;
