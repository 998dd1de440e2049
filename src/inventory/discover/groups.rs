//! Consumer groups with a number of requests that grows with brokers, not groups: one
//! `ListGroups` per broker (librdkafka), one `FindCoordinator` v4 for all groups, then per
//! coordinator one `DescribeGroups` v5 (classic groups), one `ConsumerGroupDescribe` v0
//! (KIP-848 groups) and one `OffsetFetch` v8 — each for up to [`BATCH`] groups.
//!
//! The listing is repeated until two rounds in a row are whole (every broker answered, no
//! coordinator moved meanwhile) and agree. Groups whose coordinator is loading or has moved
//! (`COORDINATOR_LOAD_IN_PROGRESS`, `COORDINATOR_NOT_AVAILABLE`, `NOT_COORDINATOR`), or whose
//! coordinator does not answer, are asked again with backoff for up to 30 s;
//! other per-group errors (a missing `Describe` permission on the group) become gaps. When the
//! cluster does not speak the batched requests (brokers before 3.0), librdkafka's one-group-at-a-
//! time calls are used instead.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use crate::inventory::model::*;
use crate::kafka::admin::{Admin, AdminError, GroupListing, Node};
use crate::kafka::wire::coordinator::find_group_coordinators;
use crate::kafka::wire::describe_groups::{DescribedGroup, consumer_group_describe, describe_groups};
use crate::kafka::wire::offset_fetch::fetch_offsets;
use crate::kafka::wire::{Pool, WireError};

use super::GapFn;

/// Most groups in one request.
pub const BATCH: usize = 1000;
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
        std::thread::sleep(delay);
        if !whole {
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

fn is_retriable(code: i16) -> bool {
    matches!(code, 14..=16)
}

fn wire_error(e: &WireError) -> AdminError {
    if e.is_authentication() {
        AdminError::AuthenticationFailed(e.to_string())
    } else {
        AdminError::Other {
            name: "REQUEST_FAILED".into(),
            message: e.to_string(),
        }
    }
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
    let mut coordinator_of: BTreeMap<String, i32> = BTreeMap::new();
    let mut described: BTreeMap<String, Result<DescribedGroup, AdminError>> = BTreeMap::new();
    let mut committed: BTreeMap<String, Result<Vec<CommittedOffset>, AdminError>> = BTreeMap::new();
    let mut pending: Vec<String> = listed.iter().map(|g| g.id.clone()).collect();
    let mut first_round = true;
    let mut verified = false;

    let deadline = Instant::now() + COORDINATOR_PATIENCE;
    let mut delay = Duration::from_millis(200);
    for round in 0.. {
        if pending.is_empty() || (round > 0 && Instant::now() + delay >= deadline) {
            break;
        }
        if round > 0 {
            std::thread::sleep(delay);
            delay = (delay * 2).min(Duration::from_secs(2));
        }
        // Coordinators, from whichever broker answers.
        let mut found: BTreeMap<i32, Vec<String>> = BTreeMap::new();
        let mut retry: Vec<String> = Vec::new();
        for chunk in pending.chunks(BATCH) {
            let answer = ask_any(pool, nodes, |c| find_group_coordinators(c, chunk));
            let coordinators = match answer {
                Ok(c) => c,
                Err(e) if e.is_authentication() || first_round => return Err(stop(e)),
                Err(e) => {
                    for id in chunk {
                        described.insert(id.clone(), Err(wire_error(&e)));
                        committed.insert(id.clone(), Err(wire_error(&e)));
                    }
                    continue;
                }
            };
            for c in coordinators {
                match c.error {
                    0 => {
                        coordinator_of.insert(c.group.clone(), c.node_id);
                        found.entry(c.node_id).or_default().push(c.group);
                    }
                    code if is_retriable(code) => retry.push(c.group),
                    code => {
                        described.insert(c.group.clone(), Err(super::code_error(code)));
                        committed.insert(c.group, Err(super::code_error(code)));
                    }
                }
            }
        }
        first_round = false;

        for (node_id, ids) in found {
            let Some(node) = nodes.iter().find(|n| n.id == node_id) else {
                retry.extend(ids);
                continue;
            };
            for chunk in ids.chunks(BATCH) {
                let (consumer, classic): (Vec<String>, Vec<String>) =
                    chunk.iter().cloned().partition(|id| kip848.contains(id.as_str()));
                let mut answers: Vec<DescribedGroup> = Vec::new();
                let mut failed: Option<WireError> = None;
                for (ids, kip) in [(&classic, false), (&consumer, true)] {
                    if ids.is_empty() || failed.is_some() {
                        continue;
                    }
                    let result = ask(pool, node, |c| {
                        if kip {
                            consumer_group_describe(c, ids)
                        } else {
                            describe_groups(c, ids)
                        }
                    });
                    match result {
                        Ok(a) => answers.extend(a),
                        Err(e) => failed = Some(e),
                    }
                }
                let offsets = match failed {
                    None => ask(pool, node, |c| fetch_offsets(c, chunk)),
                    Some(e) => Err(e),
                };
                let offsets = match offsets {
                    Ok(offsets) => offsets,
                    Err(e) if e.is_authentication() => return Err(stop(e)),
                    Err(e) => {
                        retry.extend(chunk.iter().cloned());
                        for id in chunk {
                            described.insert(id.clone(), Err(wire_error(&e)));
                            committed.insert(id.clone(), Err(wire_error(&e)));
                        }
                        continue;
                    }
                };
                // A group that was listed but is described as gone (`Dead`, or
                // GROUP_ID_NOT_FOUND) was read from a coordinator whose view is behind: one
                // that took the group over and has not caught up with its log yet answers for it
                // as if it did not exist, offsets included. Ask again; still gone at the end, it
                // is a gap, never a group without offsets.
                let mut behind: Vec<String> = Vec::new();
                for g in answers {
                    match g.error {
                        0 if g.state == "Dead" => {
                            behind.push(g.group.clone());
                            described.insert(g.group.clone(), Err(gone()));
                        }
                        0 => {
                            described.insert(g.group.clone(), Ok(g));
                        }
                        GROUP_ID_NOT_FOUND => {
                            behind.push(g.group.clone());
                            described.insert(g.group.clone(), Err(gone()));
                        }
                        code if is_retriable(code) => {
                            retry.push(g.group.clone());
                            described.insert(g.group.clone(), Err(super::code_error(code)));
                        }
                        code => {
                            described.insert(g.group.clone(), Err(super::code_error(code)));
                        }
                    }
                }
                retry.extend(behind.iter().cloned());
                for g in offsets {
                    if behind.contains(&g.group) {
                        committed.insert(g.group.clone(), Err(gone()));
                        retry.push(g.group);
                        continue;
                    }
                    let partition_error = g.partitions.iter().map(|p| p.3).find(|&c| c != 0);
                    match (g.error, partition_error) {
                        (0, None) => {
                            let mut list: Vec<CommittedOffset> = g
                                .partitions
                                .into_iter()
                                .filter(|p| p.2 >= 0)
                                .map(|(topic, partition, offset, _)| CommittedOffset {
                                    topic,
                                    partition,
                                    offset,
                                })
                                .collect();
                            list.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
                            committed.insert(g.group, Ok(list));
                        }
                        (code, other) => {
                            let code = if code != 0 { code } else { other.unwrap_or(code) };
                            if is_retriable(code) {
                                retry.push(g.group.clone());
                            }
                            committed.insert(g.group, Err(super::code_error(code)));
                        }
                    }
                }
            }
        }
        if retry.is_empty() && !verified {
            // A coordinator handing its groups over can answer for a group it is unloading
            // (an empty offset list, no error). Ask once more who coordinates every group; a
            // group answered by another broker is asked again.
            verified = true;
            let all: Vec<String> = coordinator_of.keys().cloned().collect();
            for chunk in all.chunks(BATCH) {
                if let Ok(now) = ask_any(pool, nodes, |c| find_group_coordinators(c, chunk)) {
                    for c in now {
                        if c.error != 0 || coordinator_of.get(&c.group) != Some(&c.node_id) {
                            tracing::info!(
                                "group {} changed coordinator while it was read; reading it again",
                                c.group
                            );
                            described.remove(&c.group);
                            committed.remove(&c.group);
                            retry.push(c.group);
                        }
                    }
                }
            }
            if !retry.is_empty() {
                // The next rounds must be checked again.
                verified = false;
            }
        }
        retry.sort();
        retry.dedup();
        pending = retry;
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

/// Sends with the connection to `node`; an I/O failure drops the connection and tries once more.
fn ask<T>(
    pool: &mut Pool,
    node: &Node,
    mut send: impl FnMut(&mut crate::kafka::wire::Connection) -> Result<T, WireError>,
) -> Result<T, WireError> {
    let mut last = None;
    for _ in 0..2 {
        match pool.get(&node.host, node.port).and_then(&mut send) {
            Ok(v) => return Ok(v),
            Err(e @ WireError::Io { .. }) => {
                pool.forget(&node.host, node.port);
                last = Some(e);
            }
            Err(e) => return Err(e),
        }
    }
    Err(last.expect("two attempts"))
}

/// Sends to the first broker that answers.
fn ask_any<T>(
    pool: &mut Pool,
    nodes: &[Node],
    mut send: impl FnMut(&mut crate::kafka::wire::Connection) -> Result<T, WireError>,
) -> Result<T, WireError> {
    let mut last = None;
    for node in nodes {
        match ask(pool, node, &mut send) {
            Ok(v) => return Ok(v),
            Err(e) if e.is_authentication() => return Err(e),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| WireError::Io {
        broker: String::new(),
        source: std::io::Error::other("the cluster reported no brokers"),
    }))
}
