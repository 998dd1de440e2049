//! Listing every consumer group of a cluster so that a group is never silently left out while
//! coordinators move: `discover` records an unsettled listing as a gap, `inspect` fails the round
//! (a gate must never pass on fewer groups).
//!
//! A listing is taken in rounds until two rounds in a row are whole and agree: every broker
//! answered `ListGroups`, before and after the round every partition of `__consumer_offsets` was
//! served by the same leader ([`coordinator_probe`]: each leader asked, not metadata trusted),
//! and both rounds found the same groups. A partition in the middle of a handover is served by
//! no one: the broker giving it up already leaves its groups out of its answer, the one taking
//! it over does not list them yet, and neither says so; the probes are what catch it. Groups
//! seen in any round are kept.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use rdkafka::types::RDKafkaErrorCode;

use crate::kafka::admin::{Admin, AdminError, GroupListing, Node};
use crate::kafka::coordinator_probe::{self, Probes, Served};
use crate::kafka::wire::Pool;

/// The pause between a whole round of listing and the round that checks it.
const WHOLE_ROUND_PAUSE: Duration = Duration::from_millis(250);

const MOVED: &str = "group coordinators moved while the groups were listed";

/// What [`list_settled`] found.
#[derive(Clone, Debug)]
pub struct Listing {
    /// Every group seen in any round, by id.
    pub groups: Vec<GroupListing>,
    /// Why the listing did not settle within the patience given (the list may be incomplete),
    /// `None` when it did.
    pub unsettled: Option<String>,
}

/// Lists every group in rounds until the listing settles (see the module doc), for up to
/// `patience`. Fails only when the cluster cannot be used at all (no answer to the listing as a
/// whole, refused credentials or certificates).
pub fn list_settled(
    admin: &Admin,
    pool: &mut Pool,
    nodes: &[Node],
    patience: Duration,
) -> Result<Listing, AdminError> {
    let deadline = Instant::now() + patience;
    let mut seen: BTreeMap<String, GroupListing> = BTreeMap::new();
    let mut previous: Option<BTreeSet<String>> = None;
    let mut probes: Option<Probes> = None;
    let mut delay = Duration::from_millis(300);
    loop {
        let before_leaders = coordinators(admin);
        let before = served(before_leaders.as_deref(), pool, nodes, &mut probes);
        let (listed, errors) = match admin.list_consumer_groups_partial() {
            Ok(answer) => answer,
            Err(e) if e.is_fatal() => return Err(e),
            Err(e) => (Vec::new(), vec![e]),
        };
        // A broker refusing the credentials ends the listing; one that does not answer (killed,
        // restarting) is asked again in the next round.
        if let Some(refused) = errors
            .iter()
            .find(|e| matches!(e, AdminError::AuthenticationFailed(_)))
        {
            return Err(refused.clone());
        }
        let after_leaders = coordinators(admin);
        let after = served(after_leaders.as_deref(), pool, nodes, &mut probes);
        let ids: BTreeSet<String> = listed.iter().map(|g| g.id.clone()).collect();
        for g in listed {
            seen.insert(g.id.clone(), g);
        }
        let unserved = match (&before, &after) {
            (Served::NotAll(why), _) | (_, Served::NotAll(why)) => Some(why.clone()),
            (Served::All(b), Served::All(a)) if b != a => Some(MOVED.to_owned()),
            (Served::All(_), Served::All(_)) => None,
            // Serving could not be checked: the leaders in metadata must not have changed.
            (Served::Unknown(why), _) | (_, Served::Unknown(why)) => {
                tracing::debug!("group coordinators not probed: {why}");
                (after_leaders != before_leaders).then(|| MOVED.to_owned())
            }
        };
        let whole = errors.is_empty() && unserved.is_none();
        if whole && previous.as_ref() == Some(&ids) {
            return Ok(Listing {
                groups: seen.into_values().collect(),
                unsettled: None,
            });
        }
        if Instant::now() + delay >= deadline {
            let why = match (errors.first(), unserved) {
                (Some(e), _) => format!("{} broker(s) did not list their groups ({e})", errors.len()),
                (None, Some(why)) => format!("group coordinators were loading or moving: {why}"),
                (None, None) => "the groups found changed from one listing to the next".to_owned(),
            };
            return Ok(Listing {
                groups: seen.into_values().collect(),
                unsettled: Some(why),
            });
        }
        if let Some(e) = errors.first() {
            tracing::info!("listing groups again: {e}");
        } else if let Some(why) = &unserved {
            tracing::info!("listing groups again: {why}");
        } else if previous.is_some() {
            tracing::info!("listing groups again: the groups found changed");
        }
        previous = whole.then_some(ids);
        if whole {
            // The next round checks this one.
            std::thread::sleep(WHOLE_ROUND_PAUSE);
        } else {
            std::thread::sleep(delay);
            delay = (delay * 2).min(Duration::from_secs(2));
        }
    }
}

/// Whether each partition of `__consumer_offsets` is served by its leader in metadata
/// (`leaders`), each leader asked directly ([`coordinator_probe::served`]).
fn served(
    leaders: Option<&[(i32, i32)]>,
    pool: &mut Pool,
    nodes: &[Node],
    probes: &mut Option<Probes>,
) -> Served {
    let Some(leaders) = leaders else {
        return Served::NotAll("`__consumer_offsets` could not be described".to_owned());
    };
    let probes = match probes {
        Some(p) if p.partitions() == leaders.len() => p,
        _ => probes.insert(Probes::new(leaders.len())),
    };
    coordinator_probe::served(pool, nodes, leaders, probes)
}

/// `(partition, leader)` of `__consumer_offsets` in metadata, `None` when the topic cannot be
/// described. A cluster where no group has ever had a coordinator has no such topic, and so
/// nothing to probe: an empty list.
fn coordinators(admin: &Admin) -> Option<Vec<(i32, i32)>> {
    let metadata = admin
        .client()
        .inner()
        .fetch_metadata(Some("__consumer_offsets"), admin.timeout())
        .ok()?;
    let topic = metadata.topics().first()?;
    match topic.error().map(RDKafkaErrorCode::from) {
        None => {}
        Some(RDKafkaErrorCode::UnknownTopicOrPartition) => return Some(Vec::new()),
        Some(_) => return None,
    }
    let mut leaders: Vec<(i32, i32)> = topic.partitions().iter().map(|p| (p.id(), p.leader())).collect();
    leaders.sort_unstable();
    Some(leaders)
}
