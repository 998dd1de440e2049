//! Consumer groups with a number of requests that grows with brokers, not groups: one
//! `ListGroups` per broker (librdkafka), then the batched reader shared with `inspect`
//! ([`crate::kafka::groups`]): one `FindCoordinator` v4 for all groups, then per coordinator one
//! `DescribeGroups` v5 (classic groups), one `ConsumerGroupDescribe` v0 (KIP-848 groups) and one
//! `OffsetFetch` v8 — each for up to [`crate::kafka::coordinated::BATCH`] groups.
//!
//! The listing is the settled one of [`crate::kafka::group_listing`], shared with `inspect`. Groups
//! whose coordinator is loading or has moved
//! (`COORDINATOR_LOAD_IN_PROGRESS`, `COORDINATOR_NOT_AVAILABLE`, `NOT_COORDINATOR`), or whose
//! coordinator does not answer, are asked again with backoff for up to 30 s;
//! other per-group errors (a missing `Describe` permission on the group) become gaps. The rounds
//! of coordinator requests (and the final check that no group changed coordinator while it was
//! read) are those of [`crate::kafka::coordinated`], shared with `inspect`. When the
//! cluster does not speak the batched requests (brokers before 3.0), librdkafka's one-group-at-a-
//! time calls are used instead.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::inventory::model::*;
use crate::kafka::admin::{Admin, AdminError, GroupListing, Node};
use crate::kafka::coordinated::wire_error;
use crate::kafka::group_listing;
use crate::kafka::groups::{Absent, GroupsRead, read_groups};
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
    let listed = list_groups(admin, pool, nodes, gap)?;
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

/// Every group, listed until the listing settles ([`group_listing::list_settled`]); a listing
/// that does not settle within [`LISTING_PATIENCE`] is a `consumer_groups` gap saying why, never
/// a silently shorter list.
fn list_groups(
    admin: &Admin,
    pool: &mut Pool,
    nodes: &[Node],
    gap: &mut GapFn<'_>,
) -> Result<Vec<GroupListing>, AdminError> {
    let listing = group_listing::list_settled(admin, pool, nodes, LISTING_PATIENCE)?;
    if let Some(why) = listing.unsettled {
        gap(
            "consumer_groups",
            None,
            format!(
                "the list of groups may be incomplete after {} s: {why}",
                LISTING_PATIENCE.as_secs()
            ),
        );
    }
    Ok(listing.groups)
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

/// Every listed group read with [`crate::kafka::groups::read_groups`], as inventory groups;
/// what could not be read is a gap.
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
    let read =
        read_groups(pool, nodes, &ids, &kip848, Absent::AskAgain, COORDINATOR_PATIENCE).map_err(stop)?;
    let GroupsRead {
        mut groups,
        coordinator_of,
    } = read;

    let mut out = Vec::with_capacity(listed.len());
    for listing in listed {
        let mut group = ConsumerGroup {
            id: listing.id.clone(),
            state: Some(listing.state.clone()),
            ..ConsumerGroup::default()
        };
        let Some(read) = groups.remove(&listing.id) else {
            // Not reached: the reader answers for every group it was given.
            gap("consumer_group", Some(listing.id.clone()), "not read".into());
            out.push(group);
            continue;
        };
        match read.description {
            Ok(d) => {
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
            Err(e) => gap("consumer_group", Some(listing.id.clone()), e.to_string()),
        }
        match read.committed {
            Ok(list) => {
                group.offsets = Some(
                    list.into_iter()
                        .map(|(topic, partition, offset)| CommittedOffset {
                            topic,
                            partition,
                            offset,
                        })
                        .collect(),
                )
            }
            Err(e) => gap("group_offsets", Some(listing.id.clone()), e.to_string()),
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
