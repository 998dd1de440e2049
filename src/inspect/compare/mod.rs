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
                blocking_component: Some(Component::SourceGroup),
                message: texts.get(&msg_source_group_error(error)),
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
        };
        let mut verdict = |ok: bool, component: Option<Component>, message: String| {
            row.is_ok = ok;
            row.blocking_component = component;
            row.message = texts.get(&message);
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
mod tests;
