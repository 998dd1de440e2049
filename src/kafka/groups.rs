//! The one reader of consumer groups' descriptions and committed offsets, batched per
//! coordinator ([`crate::kafka::coordinated`]): per coordinator one `DescribeGroups` v5 (classic
//! groups), one `ConsumerGroupDescribe` v0 (KIP-848 groups) and one `OffsetFetch` v8, each for up
//! to [`crate::kafka::coordinated::BATCH`] groups.
//!
//! `discover` reads every listed group with it; `inspect` reads the destination's copies of the
//! source's groups. The two differ in one thing, what a group described as gone means
//! ([`Absent`]).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::kafka::admin::{AdminError, Node};
use crate::kafka::coordinated::{
    Answer, Committed, ask, ask_coordinators, code_error, fetch_committed, is_retriable,
};
use crate::kafka::wire::describe_groups::{DescribedGroup, consumer_group_describe, describe_groups};
use crate::kafka::wire::{Pool, WireError};

/// Kafka's `GROUP_ID_NOT_FOUND`.
const GROUP_ID_NOT_FOUND: i16 = 69;

/// What a coordinator describing a group as gone (`Dead`, or `GROUP_ID_NOT_FOUND`) means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Absent {
    /// The group was listed, so its coordinator's view is behind (one that has just taken the
    /// group over answers as if it did not exist, offsets included): ask again, and if it is
    /// still gone at the end, that is an error of the group, never a group without offsets.
    AskAgain,
    /// The group may well not exist (a destination group no one has written yet): gone is an
    /// answer, a `Dead` group without offsets.
    IsAnAnswer,
}

/// What was read about one group.
#[derive(Clone, Debug)]
pub struct GroupRead {
    /// Its description, or why there is none.
    pub description: Result<DescribedGroup, AdminError>,
    /// Its committed offsets, or why they could not be read.
    pub committed: Result<Committed, AdminError>,
}

/// What [`read_groups`] found.
#[derive(Clone, Debug, Default)]
pub struct GroupsRead {
    /// Every group asked about, by id.
    pub groups: BTreeMap<String, GroupRead>,
    /// The coordinator each group was last found at.
    pub coordinator_of: BTreeMap<String, i32>,
}

/// Describes `ids` and reads their committed offsets, batched per coordinator and asked again
/// while coordinators load or move, for up to `patience`. `kip848` names the groups to describe
/// with `ConsumerGroupDescribe`; with [`Absent::IsAnAnswer`], a group `DescribeGroups` does not
/// know is also asked that way before it is called `Dead`.
///
/// Fails only as [`ask_coordinators`] does: refused credentials, or no broker answering the
/// first `FindCoordinator` (brokers before Kafka 3.0).
pub fn read_groups(
    pool: &mut Pool,
    nodes: &[Node],
    ids: &[String],
    kip848: &BTreeSet<&str>,
    absent: Absent,
    patience: Duration,
) -> Result<GroupsRead, WireError> {
    let coordinated = ask_coordinators(pool, nodes, ids, patience, |pool, node, chunk| {
        describe_and_fetch(pool, node, chunk, kip848, absent)
    })?;
    let mut groups = BTreeMap::new();
    for (id, answer) in coordinated.answers {
        let read = match answer {
            Ok((description, committed)) => GroupRead {
                description: description.unwrap_or_else(|| Err(unanswered("not described"))),
                committed: committed.unwrap_or_else(|| Err(unanswered("no committed offsets given"))),
            },
            Err(e) => GroupRead {
                description: Err(e.clone()),
                committed: Err(e),
            },
        };
        groups.insert(id, read);
    }
    for id in ids {
        groups.entry(id.clone()).or_insert_with(|| GroupRead {
            description: Err(unanswered("not described")),
            committed: Err(unanswered("no committed offsets given")),
        });
    }
    Ok(GroupsRead {
        groups,
        coordinator_of: coordinated.coordinator_of,
    })
}

/// The error of a group its coordinator's answer left out.
fn unanswered(what: &str) -> AdminError {
    AdminError::Other {
        name: "NO_ANSWER".into(),
        message: format!("{what} by its coordinator"),
    }
}

/// A listed group its coordinator describes as gone.
fn gone() -> AdminError {
    AdminError::Other {
        name: "GROUP_GONE".into(),
        message: "listed, but its coordinator described it as gone (deleted meanwhile, or the \
                  coordinator had not caught up after taking the group over)"
            .into(),
    }
}

/// A group that does not exist, as a description.
fn dead(group: &str) -> DescribedGroup {
    DescribedGroup {
        group: group.to_owned(),
        state: "Dead".into(),
        ..DescribedGroup::default()
    }
}

/// What one coordinator said about one group: its description and its committed offsets, each
/// missing when the answer left the group out.
type GroupAnswer = (
    Option<Result<DescribedGroup, AdminError>>,
    Option<Result<Committed, AdminError>>,
);

/// Whether a description says the group does not exist.
fn is_gone(g: &DescribedGroup) -> bool {
    g.error == GROUP_ID_NOT_FOUND || (g.error == 0 && g.state == "Dead")
}

/// Asks `node`, the coordinator of `chunk`, to describe the groups and for their committed
/// offsets.
fn describe_and_fetch(
    pool: &mut Pool,
    node: &Node,
    chunk: &[String],
    kip848: &BTreeSet<&str>,
    absent: Absent,
) -> Result<Vec<Answer<GroupAnswer>>, WireError> {
    let (consumer, classic): (Vec<String>, Vec<String>) =
        chunk.iter().cloned().partition(|id| kip848.contains(id.as_str()));
    let mut described: Vec<DescribedGroup> = Vec::new();
    if !classic.is_empty() {
        described.extend(ask(pool, node, |c| describe_groups(c, &classic))?);
    }
    if !consumer.is_empty() {
        described.extend(ask(pool, node, |c| consumer_group_describe(c, &consumer))?);
    }
    if absent == Absent::IsAnAnswer {
        // A KIP-848 group is unknown to `DescribeGroups` on some brokers: ask the other way
        // before calling it gone. Brokers without `ConsumerGroupDescribe` have no such groups.
        let unknown: Vec<String> = described
            .iter()
            .filter(|g| is_gone(g) && !kip848.contains(g.group.as_str()))
            .map(|g| g.group.clone())
            .collect();
        if !unknown.is_empty() {
            match ask(pool, node, |c| consumer_group_describe(c, &unknown)) {
                Ok(found) => {
                    for f in found.into_iter().filter(|f| f.error == 0 && !is_gone(f)) {
                        if let Some(g) = described.iter_mut().find(|g| g.group == f.group) {
                            *g = f;
                        }
                    }
                }
                Err(e) if e.is_authentication() => return Err(e),
                Err(e) => tracing::debug!("ConsumerGroupDescribe not answered ({e})"),
            }
        }
    }
    let offsets = fetch_committed(pool, node, chunk)?;

    let mut by_group: BTreeMap<String, Answer<GroupAnswer>> = BTreeMap::new();
    fn entry<'a>(
        by_group: &'a mut BTreeMap<String, Answer<GroupAnswer>>,
        group: &str,
    ) -> &'a mut Answer<GroupAnswer> {
        by_group.entry(group.to_owned()).or_insert_with(|| Answer {
            group: group.to_owned(),
            value: (None, None),
            retry: false,
        })
    }
    let mut behind: BTreeSet<String> = BTreeSet::new();
    for g in described {
        let answer = entry(&mut by_group, &g.group);
        answer.value.0 = Some(if is_gone(&g) {
            match absent {
                Absent::AskAgain => {
                    behind.insert(g.group.clone());
                    answer.retry = true;
                    Err(gone())
                }
                Absent::IsAnAnswer => Ok(dead(&g.group)),
            }
        } else if g.error == 0 {
            Ok(g)
        } else {
            answer.retry |= is_retriable(g.error);
            Err(code_error(g.error))
        });
    }
    for o in offsets {
        let answer = entry(&mut by_group, &o.group);
        if behind.contains(&o.group) {
            answer.value.1 = Some(Err(gone()));
            continue;
        }
        answer.retry |= o.retry;
        answer.value.1 = Some(match o.value {
            Ok(list) => Ok(list),
            Err(GROUP_ID_NOT_FOUND) if absent == Absent::IsAnAnswer => Ok(Vec::new()),
            Err(code) => Err(code_error(code)),
        });
    }
    Ok(by_group.into_values().collect())
}
