//! Requests to group coordinators for many groups at once, over the connections of our own
//! ([`crate::kafka::wire`]): one `FindCoordinator` v4 for up to [`BATCH`] groups, then per
//! coordinator one request (or a few) for up to [`BATCH`] groups.
//!
//! Groups whose coordinator is loading or has moved (`COORDINATOR_LOAD_IN_PROGRESS`,
//! `COORDINATOR_NOT_AVAILABLE`, `NOT_COORDINATOR`), or whose coordinator does not answer, are
//! asked again, with backoff (200 ms doubling to 2 s), until a patience runs out; the last
//! answer or error of each group is kept. Once every group is answered, the coordinators are
//! asked for once more: a group whose coordinator changed while it was read (a coordinator
//! handing a group over can answer for it as if it had no offsets) is read again. Every failure
//! is a value: nothing here panics.
//!
//! `discover` reads group descriptions and committed offsets this way, `inspect` committed
//! offsets ([`committed_offsets`]).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::kafka::admin::{AdminError, Node};
use crate::kafka::wire::connection::error_name;
use crate::kafka::wire::coordinator::find_group_coordinators;
use crate::kafka::wire::offset_fetch::fetch_offsets;
use crate::kafka::wire::{Connection, Pool, WireError};

/// Most groups in one request.
pub const BATCH: usize = 1000;

/// Whether a group error code means "ask again": the coordinator is loading, not available, or
/// has moved.
pub fn is_retriable(code: i16) -> bool {
    matches!(code, 14..=16)
}

/// The admin error for a Kafka error code a broker gave for one item.
pub fn code_error(code: i16) -> AdminError {
    match code {
        29..=31 => AdminError::NotAuthorized(error_name(code)),
        35 => AdminError::Unsupported(error_name(code)),
        _ => AdminError::Other {
            name: error_name(code),
            message: "the broker could not answer for this item".into(),
        },
    }
}

/// The admin error for a failed request over an own connection.
pub fn wire_error(e: &WireError) -> AdminError {
    if e.is_authentication() {
        AdminError::AuthenticationFailed(e.to_string())
    } else {
        AdminError::Other {
            name: "REQUEST_FAILED".into(),
            message: e.to_string(),
        }
    }
}

/// What a coordinator said about one group: the value to keep, and whether to ask again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer<T> {
    /// Group id.
    pub group: String,
    /// What was learned (possibly an error inside `T`).
    pub value: T,
    /// True when the answer carried a retriable code: the group is asked again.
    pub retry: bool,
}

/// The outcome of [`ask_coordinators`].
#[derive(Clone, Debug)]
pub struct Coordinated<T> {
    /// Per group: the last answer of its coordinator, or why there is none.
    pub answers: BTreeMap<String, Result<T, AdminError>>,
    /// The coordinator each group was last found at.
    pub coordinator_of: BTreeMap<String, i32>,
}

/// Finds the coordinators of `groups` and asks each, with `ask(pool, coordinator, groups)`,
/// about up to [`BATCH`] of its groups at a time. Groups whose coordinator could not be found,
/// was unknown, did not answer or answered with a retriable code are asked again until
/// `patience` runs out; so are groups whose coordinator changed while they were read (checked
/// with one more `FindCoordinator` once all are answered).
///
/// Fails only when refused credentials or certificates end the call, or when no broker answers
/// the first `FindCoordinator` (a cluster that does not speak it, or cannot be reached). A later
/// `FindCoordinator` failure is an error for the groups it asked about.
pub fn ask_coordinators<T>(
    pool: &mut Pool,
    nodes: &[Node],
    groups: &[String],
    patience: Duration,
    mut ask: impl FnMut(&mut Pool, &Node, &[String]) -> Result<Vec<Answer<T>>, WireError>,
) -> Result<Coordinated<T>, WireError> {
    let mut answers: BTreeMap<String, Result<T, AdminError>> = BTreeMap::new();
    let mut coordinator_of: BTreeMap<String, i32> = BTreeMap::new();
    let mut pending: Vec<String> = groups.to_vec();
    pending.sort();
    pending.dedup();
    let deadline = Instant::now() + patience;
    let mut delay = Duration::from_millis(200);
    let mut verified = false;
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
            let coordinators = match ask_any(pool, nodes, |c| find_group_coordinators(c, chunk)) {
                Ok(c) => c,
                Err(e) if e.is_authentication() || round == 0 => return Err(e),
                Err(e) => {
                    for id in chunk {
                        answers.insert(id.clone(), Err(wire_error(&e)));
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
                    code if is_retriable(code) => {
                        answers.insert(c.group.clone(), Err(code_error(code)));
                        retry.push(c.group);
                    }
                    code => {
                        answers.insert(c.group, Err(code_error(code)));
                    }
                }
            }
        }

        for (node_id, ids) in found {
            let Some(node) = nodes.iter().find(|n| n.id == node_id) else {
                for id in &ids {
                    answers.insert(
                        id.clone(),
                        Err(AdminError::Other {
                            name: "COORDINATOR_UNKNOWN".into(),
                            message: format!("coordinator {node_id} is not among the cluster's brokers"),
                        }),
                    );
                }
                retry.extend(ids);
                continue;
            };
            for chunk in ids.chunks(BATCH) {
                match ask(pool, node, chunk) {
                    Ok(list) => {
                        for a in list {
                            if a.retry {
                                retry.push(a.group.clone());
                            }
                            answers.insert(a.group, Ok(a.value));
                        }
                    }
                    Err(e) if e.is_authentication() => return Err(e),
                    Err(e) => {
                        retry.extend(chunk.iter().cloned());
                        for id in chunk {
                            answers.insert(id.clone(), Err(wire_error(&e)));
                        }
                    }
                }
            }
        }
        if retry.is_empty() && !verified {
            // A coordinator handing its groups over can answer for a group it is unloading (an
            // empty offset list, no error). Ask once more who coordinates every group; a group
            // now coordinated by another broker is asked again.
            verified = true;
            let all: Vec<String> = coordinator_of.keys().cloned().collect();
            for chunk in all.chunks(BATCH) {
                if let Ok(now) = ask_any(pool, nodes, |c| find_group_coordinators(c, chunk)) {
                    for c in now {
                        match c.error {
                            0 if coordinator_of.get(&c.group) == Some(&c.node_id) => {}
                            // Refused for good (e.g. the principal lost DESCRIBE on the group
                            // meanwhile): that is the answer, asking again cannot change it.
                            code if code != 0 && !is_retriable(code) => {
                                answers.insert(c.group, Err(code_error(code)));
                            }
                            _ => {
                                tracing::info!(
                                    "group {} changed coordinator while it was read; reading it again",
                                    c.group
                                );
                                answers.remove(&c.group);
                                retry.push(c.group);
                            }
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
    Ok(Coordinated {
        answers,
        coordinator_of,
    })
}

/// One group's committed offsets: `(topic, partition, offset)` for every partition it has an
/// offset for (none when the group does not exist), sorted.
pub type Committed = Vec<(String, i32, i64)>;

/// Committed offsets of one group as an `OffsetFetch` answer gives them: the offsets, or the
/// group's (or first partition's) error code.
fn committed_value(
    group: crate::kafka::wire::offset_fetch::GroupCommitted,
) -> (Result<Committed, i16>, bool) {
    let partition_error = group.partitions.iter().map(|p| p.3).find(|&c| c != 0);
    match (group.error, partition_error) {
        (0, None) => {
            let mut list: Committed = group
                .partitions
                .into_iter()
                .filter(|p| p.2 >= 0)
                .map(|(topic, partition, offset, _)| (topic, partition, offset))
                .collect();
            list.sort();
            (Ok(list), false)
        }
        (code, other) => {
            let code = if code != 0 { code } else { other.unwrap_or(code) };
            (Err(code), is_retriable(code))
        }
    }
}

/// Asks `node` (a coordinator) for the committed offsets of `groups` with one `OffsetFetch` v8.
/// Per group: the offsets or the error code, and whether to ask again.
pub fn fetch_committed(
    pool: &mut Pool,
    node: &Node,
    groups: &[String],
) -> Result<Vec<Answer<Result<Committed, i16>>>, WireError> {
    let answer = ask(pool, node, |c| fetch_offsets(c, groups))?;
    Ok(answer
        .into_iter()
        .map(|g| {
            let group = g.group.clone();
            let (value, retry) = committed_value(g);
            Answer { group, value, retry }
        })
        .collect())
}

/// The committed offsets of `groups`, batched per coordinator, with retries for up to
/// `patience` (see [`ask_coordinators`]). Every group of `groups` has an entry: its offsets, or
/// why they could not be read.
pub fn committed_offsets(
    pool: &mut Pool,
    nodes: &[Node],
    groups: &[String],
    patience: Duration,
) -> Result<BTreeMap<String, Result<Committed, AdminError>>, WireError> {
    let mut coordinated = ask_coordinators(pool, nodes, groups, patience, fetch_committed)?;
    Ok(groups
        .iter()
        .map(|id| {
            let value = match coordinated.answers.remove(id) {
                Some(Ok(Ok(list))) => Ok(list),
                Some(Ok(Err(code))) => Err(code_error(code)),
                Some(Err(e)) => Err(e),
                None => Err(AdminError::Other {
                    name: "NO_ANSWER".into(),
                    message: "not answered by its coordinator".into(),
                }),
            };
            (id.clone(), value)
        })
        .collect())
}

/// Sends with the connection to `node`; an I/O failure drops the connection and tries once more.
pub fn ask<T>(
    pool: &mut Pool,
    node: &Node,
    mut send: impl FnMut(&mut Connection) -> Result<T, WireError>,
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
    Err(last.unwrap_or_else(|| WireError::Io {
        broker: format!("{}:{}", node.host, node.port),
        source: std::io::Error::other("no attempt was made"),
    }))
}

/// Sends to the first broker that answers.
pub fn ask_any<T>(
    pool: &mut Pool,
    nodes: &[Node],
    mut send: impl FnMut(&mut Connection) -> Result<T, WireError>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kafka::wire::offset_fetch::GroupCommitted;

    fn group(error: i16, partitions: Vec<(&str, i32, i64, i16)>) -> GroupCommitted {
        GroupCommitted {
            group: "g".into(),
            error,
            partitions: partitions
                .into_iter()
                .map(|(t, p, o, e)| (t.to_owned(), p, o, e))
                .collect(),
        }
    }

    #[test]
    fn committed_offsets_keep_only_real_offsets_sorted() {
        let (value, retry) = committed_value(group(0, vec![("b", 0, 3, 0), ("a", 1, -1, 0), ("a", 0, 7, 0)]));
        assert_eq!(value, Ok(vec![("a".into(), 0, 7), ("b".into(), 0, 3)]));
        assert!(!retry);
    }

    #[test]
    fn coordinator_moves_are_retried_other_errors_are_kept() {
        assert_eq!(committed_value(group(16, vec![])), (Err(16), true));
        assert_eq!(committed_value(group(14, vec![])), (Err(14), true));
        assert_eq!(committed_value(group(30, vec![])), (Err(30), false));
        // A partition's error stands for the group when the group has none.
        assert_eq!(committed_value(group(0, vec![("a", 0, -1, 15)])), (Err(15), true));
    }

    #[test]
    fn no_broker_is_an_error_not_a_panic() {
        let mut pool = Pool::new(
            crate::kafka::wire::Security::from_settings(&crate::kafka::client::ClientSettings::default())
                .expect("plaintext"),
            Duration::from_millis(200),
        );
        let err = committed_offsets(&mut pool, &[], &["g".into()], Duration::from_millis(10)).unwrap_err();
        assert!(err.to_string().contains("no brokers"), "{err}");
    }
}
