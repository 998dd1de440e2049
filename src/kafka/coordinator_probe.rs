//! Whether every partition of `__consumer_offsets` is served, right now, by the broker that
//! metadata names as its leader.
//!
//! A broker's `ListGroups` answer covers only the partitions it coordinates at that moment, and
//! says nothing of a partition it has just given up or has not yet taken over: during a handover
//! a group can be missing from every broker's answer without any error. Metadata alone cannot
//! show this, because each broker applies a leadership change in its own time. So each leader is
//! asked directly: one `DescribeGroups` per broker for a probe group id per partition it leads,
//! ids chosen so that Kafka hashes each to its partition. A coordinator that serves the partition
//! describes the probe (as `Dead`: it does not exist, and nothing is created); one that does not
//! answers `NOT_COORDINATOR`, and one still loading `COORDINATOR_LOAD_IN_PROGRESS`.

use std::collections::BTreeMap;

use crate::kafka::admin::Node;
use crate::kafka::coordinated::ask;
use crate::kafka::wire::describe_groups::describe_groups;
use crate::kafka::wire::{Pool, WireError};

/// Kafka's `GROUP_AUTHORIZATION_FAILED`.
const GROUP_AUTHORIZATION_FAILED: i16 = 30;
/// Kafka's `GROUP_ID_NOT_FOUND`.
const GROUP_ID_NOT_FOUND: i16 = 69;

/// What asking the leaders found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Served {
    /// Every partition's leader serves it: `(partition, leader)`, sorted. Partitions whose probe
    /// the principal may not describe (`GROUP_AUTHORIZATION_FAILED`) count as served by the
    /// leader metadata names, the only evidence there is for them.
    All(Vec<(i32, i32)>),
    /// At least one partition has no leader, or its leader could not be reached or does not
    /// serve it yet (or any more); the text says which.
    NotAll(String),
    /// A leader answered the probe with something other than per-group answers (a whole-request
    /// error, or an answer that could not be decoded, as from a broker before Kafka 2.4 that does
    /// not speak `DescribeGroups` v5): serving cannot be checked here, and only metadata is left
    /// to go by. The text says why.
    Unknown(String),
}

/// Probe group ids, one per partition of `__consumer_offsets`.
#[derive(Clone, Debug)]
pub struct Probes {
    ids: Vec<String>,
}

impl Probes {
    /// One probe id per partition of a `__consumer_offsets` with `partitions` partitions.
    pub fn new(partitions: usize) -> Probes {
        let mut ids: Vec<Option<String>> = vec![None; partitions];
        let mut missing = partitions;
        let mut n: u64 = 0;
        while missing > 0 {
            let id = format!("diskless-migrator-coordinator-probe-{n}");
            let slot = &mut ids[partition_for(&id, partitions)];
            if slot.is_none() {
                *slot = Some(id);
                missing -= 1;
            }
            n += 1;
        }
        Probes {
            ids: ids.into_iter().flatten().collect(),
        }
    }

    /// The probe id of `partition`, if there is one.
    pub fn id(&self, partition: i32) -> Option<&str> {
        usize::try_from(partition)
            .ok()
            .and_then(|p| self.ids.get(p))
            .map(String::as_str)
    }

    /// How many partitions the probes cover.
    pub fn partitions(&self) -> usize {
        self.ids.len()
    }
}

/// The partition of `__consumer_offsets` that coordinates `group`, as Kafka computes it: the
/// Java `String.hashCode` of the id, made non-negative, modulo the partition count.
pub fn partition_for(group: &str, partitions: usize) -> usize {
    let hash = group
        .encode_utf16()
        .fold(0i32, |h, unit| h.wrapping_mul(31).wrapping_add(i32::from(unit)));
    // Kafka's `Utils.abs`: `Integer.MIN_VALUE` maps to 0.
    let non_negative = if hash == i32::MIN { 0 } else { hash.unsigned_abs() };
    non_negative as usize % partitions.max(1)
}

/// Asks each leader in `leaders` (`(partition, leader id)`, from metadata) whether it serves the
/// partitions metadata gives it.
pub fn served(pool: &mut Pool, nodes: &[Node], leaders: &[(i32, i32)], probes: &Probes) -> Served {
    let mut by_leader: BTreeMap<i32, Vec<i32>> = BTreeMap::new();
    for &(partition, leader) in leaders {
        if leader < 0 {
            return Served::NotAll(format!("partition {partition} has no leader"));
        }
        by_leader.entry(leader).or_default().push(partition);
    }
    if leaders.len() != probes.partitions() {
        return Served::NotAll(format!(
            "{} partitions in metadata, {} expected",
            leaders.len(),
            probes.partitions()
        ));
    }
    for (leader, partitions) in by_leader {
        let Some(node) = nodes.iter().find(|n| n.id == leader) else {
            return Served::NotAll(format!("leader {leader} is not a known broker"));
        };
        let ids: Vec<String> = partitions
            .iter()
            .filter_map(|&p| probes.id(p).map(str::to_owned))
            .collect();
        tracing::debug!("coordinator probe: broker {leader}, {} partitions", ids.len());
        let answer = match ask(pool, node, |c| describe_groups(c, &ids)) {
            Ok(answer) => answer,
            Err(e @ (WireError::Refused { .. } | WireError::Malformed { .. })) => {
                return Served::Unknown(e.to_string());
            }
            Err(e) => return Served::NotAll(format!("broker {leader} did not answer ({e})")),
        };
        for id in &ids {
            let error = answer.iter().find(|g| &g.group == id).map(|g| g.error);
            match error {
                Some(0 | GROUP_ID_NOT_FOUND | GROUP_AUTHORIZATION_FAILED) => {}
                Some(code) => {
                    return Served::NotAll(format!(
                        "broker {leader} answered {} for a partition metadata says it leads",
                        crate::kafka::wire::connection::error_name(code)
                    ));
                }
                None => return Served::NotAll(format!("broker {leader} left a probe unanswered")),
            }
        }
    }
    let mut sorted = leaders.to_vec();
    sorted.sort_unstable();
    Served::All(sorted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_matches_java_string_hash_code() {
        // "a".hashCode() == 97; "hello".hashCode() == 99162322; "polygenelubricants".hashCode()
        // == Integer.MIN_VALUE, which Kafka maps to partition 0.
        assert_eq!(partition_for("a", 50), 97 % 50);
        assert_eq!(partition_for("hello", 50), 99_162_322 % 50);
        assert_eq!(partition_for("polygenelubricants", 50), 0);
        // A negative hash: "my-group".hashCode() == -1906497762.
        assert_eq!(partition_for("my-group", 50), 1_906_497_762 % 50);
    }

    #[test]
    fn probes_cover_every_partition_once() {
        for partitions in [1, 3, 50, 200] {
            let probes = Probes::new(partitions);
            assert_eq!(probes.partitions(), partitions);
            for p in 0..partitions {
                let id = probes.id(p as i32).unwrap();
                assert_eq!(partition_for(id, partitions), p, "{id}");
            }
        }
    }
}
