//! Consumer groups with a number of requests that grows with brokers, not groups: one
//! `ListGroups` per broker (librdkafka), one `FindCoordinator` v4 for all groups, then per
//! coordinator one `DescribeGroups` v5 (classic groups), one `ConsumerGroupDescribe` v0
//! (KIP-848 groups) and one `OffsetFetch` v8 — each for up to [`crate::kafka::coordinated::BATCH`]
//! groups.
//!
//! The listing is repeated until two rounds in a row are whole (every broker answered, no
//! coordinator moved meanwhile) and agree. Groups whose coordinator is loading or has moved
//! (`COORDINATOR_LOAD_IN_PROGRESS`, `COORDINATOR_NOT_AVAILABLE`, `NOT_COORDINATOR`), or whose
//! coordinator does not answer, are asked again with backoff for up to 30 s;
//! other per-group errors (a missing `Describe` permission on the group) become gaps. The rounds
//! of coordinator requests (and the final check that no group changed coordinator while it was
//! read) are those of [`crate::kafka::coordinated`], shared with `inspect`. When the
//! cluster does not speak the batched requests (brokers before 3.0), librdkafka's one-group-at-a-
//! time calls are used instead.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use crate::inventory::model::*;
use crate::kafka::admin::{Admin, AdminError, GroupListing, Node};
use crate::kafka::coordinated::{
    Answer, ask, ask_coordinators, code_error, fetch_committed, is_retriable, wire_error,
};
use crate::kafka::wire::describe_groups::{DescribedGroup, consumer_group_describe, describe_groups};
use crate::kafka::wire::{Pool, WireError};

use super::GapFn;

/// How long groups whose coordinator is loading or moving are asked again.
const COORDINATOR_PATIENCE: Duration = Duration::from_secs(30);

/// Every consumer group with its description and committed offsets.
pub fn groups(
    admin: &Admin,
    pool: &mut Pool,
    nodes: &[Node],
    gap: &mut GapFn<'_>,
) -> Result<Vec<ConsumerGroup>, AdminError> {
    let listed = list_groups(admin, gap)?;
    match batched(&listed, pool, nodes, gap) {
        Ok(groups) => Ok(groups),
        Err(Stop::Fatal(e)) => Err(e),
        Err(Stop::Fallback(e)) => {
            tracing::info!("batched group requests failed ({e}); asking one group at a time");
            super::one_by_one::groups(admin, &listed, gap)
        }
    }
}

/// How long listing waits for coordinators that are loading or moving (a broker that died is
/// fenced after `broker.session.timeout.ms`, 9 s by default, and its groups then load elsewhere).
const LISTING_PATIENCE: Duration = Duration::from_secs(30);

/// The pause between a whole round of listing and the round that checks it.
const WHOLE_ROUND_PAUSE: Duration = Duration::from_millis(50);

/// Lists every group, in rounds until two rounds in a row are whole and agree: every broker
/// answered, the leaders of `__consumer_offsets` (the group coordinators) were the same before
/// and after each, and both found the same groups. The second round is what catches a
/// coordinator in the middle of a handover: the broker giving a partition up already leaves its
/// groups out, the one taking it over does not list them yet, and neither says so. Groups seen in
/// any round are kept. A listing that does not settle within [`LISTING_PATIENCE`] is a
/// `consumer_groups` gap saying why, never a silently shorter list.
fn list_groups(admin: &Admin, gap: &mut GapFn<'_>) -> Result<Vec<GroupListing>, AdminError> {
    let deadline = Instant::now() + LISTING_PATIENCE;
    let mut seen: BTreeMap<String, GroupListing> = BTreeMap::new();
    let mut previous: Option<BTreeSet<String>> = None;
    let mut delay = Duration::from_millis(300);
    loop {
        let before = coordinators(admin);
        let (listed, errors) = match admin.list_consumer_groups_partial() {
            Ok(answer) => answer,
            Err(e) if e.is_fatal() => return Err(e),
            Err(e) => (Vec::new(), vec![e]),
        };
        let after = coordinators(admin);
        let ids: BTreeSet<String> = listed.iter().map(|g| g.id.clone()).collect();
        for g in listed {
            seen.insert(g.id.clone(), g);
        }
        let moved = before != after
            || before
                .as_ref()
                .is_some_and(|l| l.iter().any(|&(_, leader)| leader < 0));
        let whole = errors.is_empty() && !moved;
        if whole && previous.as_ref() == Some(&ids) {
            return Ok(seen.into_values().collect());
        }
        if Instant::now() + delay >= deadline {
            let why = match errors.first() {
                Some(e) => format!("{} broker(s) did not list their groups ({e})", errors.len()),
                None if moved => "group coordinators moved while the groups were listed".to_owned(),
                None => "the groups found changed from one listing to the next".to_owned(),
            };
            gap(
                "consumer_groups",
                None,
                format!(
                    "the list of groups may be incomplete after {} s: {why}",
                    LISTING_PATIENCE.as_secs()
                ),
            );
            return Ok(seen.into_values().collect());
        }
        if !whole || previous.is_some() {
            tracing::info!("listing groups again: coordinators are loading or moving");
        }
        previous = whole.then_some(ids);
        if whole {
            // The next round checks this one; a short pause is enough (a handover takes longer
            // than one listing, and the coordinators are compared around each round).
            std::thread::sleep(WHOLE_ROUND_PAUSE);
        } else {
            std::thread::sleep(delay);
            delay = (delay * 2).min(Duration::from_secs(2));
        }
    }
}

/// `(partition, leader)` of `__consumer_offsets`, `None` when the topic cannot be described.
fn coordinators(admin: &Admin) -> Option<Vec<(i32, i32)>> {
    let metadata = admin
        .client()
        .inner()
        .fetch_metadata(Some("__consumer_offsets"), admin.timeout())
        .ok()?;
    let topic = metadata.topics().first()?;
    if topic.error().is_some() {
        return None;
    }
    let mut leaders: Vec<(i32, i32)> = topic.partitions().iter().map(|p| (p.id(), p.leader())).collect();
    leaders.sort_unstable();
    Some(leaders)
}

/// Why the batched path stopped.
enum Stop {
    /// Credentials or certificates refused: the command ends.
    Fatal(AdminError),
    /// `FindCoordinator` v4 was not answered: the cluster is asked one group at a time.
    Fallback(WireError),
}

fn stop(e: WireError) -> Stop {
    if e.is_authentication() {
        Stop::Fatal(wire_error(&e))
    } else {
        Stop::Fallback(e)
    }
}

/// Kafka's `GROUP_ID_NOT_FOUND`.
const GROUP_ID_NOT_FOUND: i16 = 69;

/// A listed group its coordinator describes as gone.
fn gone() -> AdminError {
    AdminError::Other {
        name: "GROUP_GONE".into(),
        message: "listed, but its coordinator described it as gone (deleted meanwhile, or the \
                  coordinator had not caught up after taking the group over)"
            .into(),
    }
}

/// What one coordinator said about one group: its description and its committed offsets, each
/// missing when the answer left the group out.
type GroupAnswer = (
    Option<Result<DescribedGroup, AdminError>>,
    Option<Result<Vec<CommittedOffset>, AdminError>>,
);

/// Asks `node`, the coordinator of `chunk`, to describe the groups (`DescribeGroups` v5 for
/// classic groups, `ConsumerGroupDescribe` v0 for KIP-848 ones) and for their committed offsets.
fn describe_and_fetch(
    pool: &mut Pool,
    node: &Node,
    chunk: &[String],
    kip848: &BTreeSet<&str>,
) -> Result<Vec<Answer<GroupAnswer>>, WireError> {
    let (consumer, classic): (Vec<String>, Vec<String>) =
        chunk.iter().cloned().partition(|id| kip848.contains(id.as_str()));
    let mut described: Vec<DescribedGroup> = Vec::new();
    for (ids, kip) in [(&classic, false), (&consumer, true)] {
        if ids.is_empty() {
            continue;
        }
        described.extend(ask(pool, node, |c| {
            if kip {
                consumer_group_describe(c, ids)
            } else {
                describe_groups(c, ids)
            }
        })?);
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
    // A group that was listed but is described as gone (`Dead`, or GROUP_ID_NOT_FOUND) was
    // read from a coordinator whose view is behind: one that took the group over and has not
    // caught up with its log yet answers for it as if it did not exist, offsets included. Ask
    // again; still gone at the end, it is a gap, never a group without offsets.
    let mut behind: BTreeSet<String> = BTreeSet::new();
    for g in described {
        let answer = entry(&mut by_group, &g.group);
        answer.value.0 = Some(match g.error {
            0 if g.state == "Dead" => {
                behind.insert(g.group.clone());
                answer.retry = true;
                Err(gone())
            }
            0 => Ok(g),
            GROUP_ID_NOT_FOUND => {
                behind.insert(g.group.clone());
                answer.retry = true;
                Err(gone())
            }
            code => {
                answer.retry |= is_retriable(code);
                Err(code_error(code))
            }
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
            Ok(list) => Ok(list
                .into_iter()
                .map(|(topic, partition, offset)| CommittedOffset {
                    topic,
                    partition,
                    offset,
                })
                .collect()),
            Err(code) => Err(code_error(code)),
        });
    }
    Ok(by_group.into_values().collect())
}

fn batched(
    listed: &[GroupListing],
    pool: &mut Pool,
    nodes: &[Node],
    gap: &mut GapFn<'_>,
) -> Result<Vec<ConsumerGroup>, Stop> {
    let kip848: BTreeSet<&str> = listed
        .iter()
        .filter(|g| g.group_type.eq_ignore_ascii_case("consumer"))
        .map(|g| g.id.as_str())
        .collect();
    let ids: Vec<String> = listed.iter().map(|g| g.id.clone()).collect();
    let coordinated = ask_coordinators(pool, nodes, &ids, COORDINATOR_PATIENCE, |pool, node, chunk| {
        describe_and_fetch(pool, node, chunk, &kip848)
    })
    .map_err(stop)?;
    let coordinator_of = coordinated.coordinator_of;
    let mut described: BTreeMap<String, Result<DescribedGroup, AdminError>> = BTreeMap::new();
    let mut committed: BTreeMap<String, Result<Vec<CommittedOffset>, AdminError>> = BTreeMap::new();
    for (id, answer) in coordinated.answers {
        match answer {
            Ok((d, c)) => {
                if let Some(d) = d {
                    described.insert(id.clone(), d);
                }
                if let Some(c) = c {
                    committed.insert(id, c);
                }
            }
            Err(e) => {
                described.insert(id.clone(), Err(e.clone()));
                committed.insert(id, Err(e));
            }
        }
    }

    let mut out = Vec::with_capacity(listed.len());
    for listing in listed {
        let mut group = ConsumerGroup {
            id: listing.id.clone(),
            state: Some(listing.state.clone()),
            ..ConsumerGroup::default()
        };
        match described.remove(&listing.id) {
            Some(Ok(d)) => {
                group.state = Some(d.state);
                group.streams_application_id =
                    streams_application(&listing.id, &d.protocol_type, &d.protocol);
                group.protocol_type = Some(d.protocol_type);
                group.assignment_strategy = Some(d.protocol).filter(|s| !s.is_empty());
                group.coordinator = coordinator_of.get(&listing.id).copied();
                group.members = Some(
                    d.members
                        .into_iter()
                        .map(|m| Member::described(m.member_id, m.client_id, m.host, m.assignment))
                        .collect(),
                );
            }
            Some(Err(e)) => gap("consumer_group", Some(listing.id.clone()), e.to_string()),
            None => gap(
                "consumer_group",
                Some(listing.id.clone()),
                "not described by its coordinator".into(),
            ),
        }
        match committed.remove(&listing.id) {
            Some(Ok(list)) => group.offsets = Some(list),
            Some(Err(e)) => gap("group_offsets", Some(listing.id.clone()), e.to_string()),
            None => gap(
                "group_offsets",
                Some(listing.id.clone()),
                "not answered by its coordinator".into(),
            ),
        }
        out.push(group);
    }
    Ok(out)
}

/// The name Kafka Streams' assignor (`StreamsPartitionAssignor`) joins classic groups with.
const STREAMS_ASSIGNOR: &str = "stream";

/// The Kafka Streams application id of a classic group: its id, when the group speaks the
/// `consumer` protocol with Streams' assignor. An empty group reports no assignor: `None`.
pub(super) fn streams_application(group: &str, protocol_type: &str, assignor: &str) -> Option<String> {
    (protocol_type == "consumer" && assignor == STREAMS_ASSIGNOR).then(|| group.to_owned())
}

#[cfg(test)]
mod tests {
    use super::streams_application;

    #[test]
    fn streams_groups_are_told_by_their_assignor() {
        assert_eq!(
            streams_application("wordcount", "consumer", "stream").as_deref(),
            Some("wordcount")
        );
        assert_eq!(streams_application("app", "consumer", "range"), None);
        assert_eq!(streams_application("app", "consumer", ""), None);
        assert_eq!(streams_application("app", "connect", "stream"), None);
    }
}
