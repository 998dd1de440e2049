//! Whether transactional producers write to each topic, with requests that grow with brokers,
//! not partitions: to each partition leader, concurrently, one `DescribeProducers` for every
//! partition it leads, then one `Fetch` of the newest batches of those partitions, read for
//! their headers only.
//!
//! Two signals, either one enough for `transactional = true`:
//!
//! * a producer state with a coordinator epoch or an open transaction (`DescribeProducers`);
//!   the broker forgets a producer `producer.id.expiration.ms` (1 day by default) after its
//!   last write;
//! * a transactional batch or a transaction marker among the last [`TAIL_OFFSETS`] offsets of
//!   a partition, which still shows a producer whose state has expired, as long as the batches
//!   are within reach of the tail read.
//!
//! `false` needs both signals read for every partition; otherwise the topic is `null` with a
//! `transactional` gap naming why (not authorized, broker too old, a read failed, no leader).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::inventory::model::{Topic, TransactionalEvidence};
use crate::kafka::admin::{AdminError, Node};
use crate::kafka::wire::connection::error_name;
use crate::kafka::wire::describe_producers::{self, ProducerStates};
use crate::kafka::wire::fetch::{self, FetchPartition, batch_headers};
use crate::kafka::wire::{Connection, Security, WireError};

use super::GapFn;

/// How far back the tail read looks: it starts each partition at
/// `max(log start, log end − TAIL_OFFSETS)`.
pub const TAIL_OFFSETS: i64 = 1000;
/// Most bytes read per partition (a batch cut off by the limit still counts: only headers are
/// read).
pub const TAIL_PARTITION_BYTES: i32 = 256 * 1024;
/// Most bytes per `Fetch` answer (brokers cap it at `fetch.max.bytes`, 55 MiB by default);
/// partitions the answer left out for its size are asked again in a next request.
const TAIL_RESPONSE_BYTES: i32 = 50 * 1024 * 1024;
/// Most `Fetch` requests per broker.
const TAIL_ROUNDS: usize = 50;

/// One partition to read: led by a known broker, with its log start and end offsets when known.
#[derive(Clone, Debug)]
pub struct Planned {
    /// Topic and partition.
    pub key: (String, i32),
    /// Log start and end offsets (`ListOffsets`), when they were read.
    pub offsets: Option<(i64, i64)>,
}

/// What was read of one partition's tail.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tail {
    offsets: u64,
    batches: u64,
    transactional: u64,
}

/// Both signals of one partition: each read, or the reason it was not.
#[derive(Clone, Debug)]
pub struct PartitionRead {
    producers: Result<ProducerStates, String>,
    tail: Result<Tail, String>,
}

/// Both signals of a leader's partitions.
type LeaderReads = Vec<((String, i32), PartitionRead)>;
/// Tail reads by partition: what was read, or why not.
type Tails = BTreeMap<(String, i32), Result<Tail, String>>;

/// Reads both signals of every partition in `plan` (`leader → partitions`), one thread per
/// leader. Refused credentials end the run; any other failure is recorded per partition.
pub fn read(
    security: &Security,
    timeout: Duration,
    nodes: &[Node],
    plan: BTreeMap<i32, Vec<Planned>>,
) -> Result<BTreeMap<(String, i32), PartitionRead>, AdminError> {
    let answers: Vec<Result<LeaderReads, AdminError>> = std::thread::scope(|s| {
        let handles: Vec<_> = plan
            .into_iter()
            .map(|(leader, partitions)| {
                let node = nodes.iter().find(|n| n.id == leader);
                s.spawn(move || match node {
                    Some(node) => read_leader(security, timeout, node, partitions),
                    None => Ok(fail_all(partitions, "the leader is not a known broker")),
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut out = BTreeMap::new();
    for answer in answers {
        out.extend(answer?);
    }
    Ok(out)
}

fn fail_all(partitions: Vec<Planned>, reason: &str) -> LeaderReads {
    partitions
        .into_iter()
        .map(|p| {
            (
                p.key,
                PartitionRead {
                    producers: Err(reason.to_owned()),
                    tail: Err(reason.to_owned()),
                },
            )
        })
        .collect()
}

/// A refusal's code as a reason: what it means for this fact, then Kafka's name.
fn code_reason(code: i16) -> String {
    let meaning = match code {
        29 | 31 => "not authorized: ",
        35 => "the broker is too old: ",
        _ => "",
    };
    format!("{meaning}{}", error_name(code))
}

fn wire_reason(api: &str, e: &WireError) -> String {
    match e {
        WireError::Refused { code, .. } => code_reason(*code),
        // A broker closes the connection on a request it does not know.
        WireError::Io { source, .. } if source.kind() == std::io::ErrorKind::UnexpectedEof => format!(
            "{e} (a broker closes the connection on a request it does not know: {api} needs Kafka {})",
            if api == "DescribeProducers" { "2.8" } else { "2.7" }
        ),
        _ => e.to_string(),
    }
}

fn read_leader(
    security: &Security,
    timeout: Duration,
    node: &Node,
    partitions: Vec<Planned>,
) -> Result<LeaderReads, AdminError> {
    let fatal = |e: &WireError| AdminError::AuthenticationFailed(e.to_string());
    let mut connection = match Connection::open(&node.host, node.port, security, timeout) {
        Ok(c) => c,
        Err(e) if e.is_authentication() => return Err(fatal(&e)),
        Err(e) => return Ok(fail_all(partitions, &e.to_string())),
    };
    let keys: Vec<(String, i32)> = partitions.iter().map(|p| p.key.clone()).collect();
    let mut producers: BTreeMap<(String, i32), Result<ProducerStates, String>> = BTreeMap::new();
    match describe_producers::describe_producers(&mut connection, &keys) {
        Ok(answer) => {
            for (key, value) in answer {
                producers.insert(key, value.map_err(code_reason));
            }
        }
        Err(e) if e.is_authentication() => return Err(fatal(&e)),
        Err(e) => {
            let reason = wire_reason("DescribeProducers", &e);
            for key in &keys {
                producers.insert(key.clone(), Err(reason.clone()));
            }
            // The broker may have closed the connection: the tail read opens a new one.
            match Connection::open(&node.host, node.port, security, timeout) {
                Ok(c) => connection = c,
                Err(e) if e.is_authentication() => return Err(fatal(&e)),
                Err(e) => {
                    let reason = e.to_string();
                    return Ok(partitions
                        .into_iter()
                        .map(|p| {
                            let producers = producers
                                .remove(&p.key)
                                .unwrap_or_else(|| Err("not answered by the leader".into()));
                            let read = PartitionRead {
                                producers,
                                tail: Err(reason.clone()),
                            };
                            (p.key, read)
                        })
                        .collect());
                }
            }
        }
    }
    let tails = read_tails(&mut connection, &partitions).map_err(|e| fatal(&e))?;
    let mut tails = tails;
    Ok(partitions
        .into_iter()
        .map(|p| {
            let read = PartitionRead {
                producers: producers
                    .remove(&p.key)
                    .unwrap_or_else(|| Err("not answered by the leader".into())),
                tail: tails
                    .remove(&p.key)
                    .unwrap_or_else(|| Err("not answered by the leader".into())),
            };
            (p.key, read)
        })
        .collect())
}

/// The tails of `partitions`, in as few `Fetch` requests as the answers' byte limit allows
/// (one, unless the partitions' batches exceed it). `Err` only for refused credentials.
fn read_tails(connection: &mut Connection, partitions: &[Planned]) -> Result<Tails, WireError> {
    let mut out = BTreeMap::new();
    let mut pending: Vec<(FetchPartition, i64)> = Vec::new();
    for p in partitions {
        match p.offsets {
            None => {
                out.insert(
                    p.key.clone(),
                    Err("the partition's offsets are unknown (see the offsets gaps)".into()),
                );
            }
            Some((start, end)) if end <= start => {
                // Empty: read, nothing there.
                out.insert(p.key.clone(), Ok(Tail::default()));
            }
            Some((start, end)) => pending.push((
                FetchPartition {
                    topic: p.key.0.clone(),
                    partition: p.key.1,
                    offset: start.max(end.saturating_sub(TAIL_OFFSETS)),
                },
                end,
            )),
        }
    }
    for _ in 0..TAIL_ROUNDS {
        if pending.is_empty() {
            break;
        }
        let asked: Vec<FetchPartition> = pending.iter().map(|(f, _)| f.clone()).collect();
        let answer = match fetch::fetch(connection, &asked, TAIL_PARTITION_BYTES, TAIL_RESPONSE_BYTES) {
            Ok(a) => a,
            Err(e) if e.is_authentication() => return Err(e),
            Err(e) => {
                let reason = wire_reason("Fetch", &e);
                for (f, _) in pending.drain(..) {
                    out.insert((f.topic, f.partition), Err(reason.clone()));
                }
                break;
            }
        };
        let before = pending.len();
        let mut still = Vec::new();
        for (f, end) in pending.drain(..) {
            let key = (f.topic.clone(), f.partition);
            match answer.get(&key) {
                None => {
                    out.insert(key, Err("not answered by the leader".into()));
                }
                Some(Err(code)) => {
                    out.insert(key, Err(code_reason(*code)));
                }
                Some(Ok(fetched)) if fetched.records.is_empty() => {
                    if f.offset < fetched.high_watermark.min(end) {
                        // Left out for the answer's size: ask again.
                        still.push((f, end));
                    } else {
                        out.insert(key, Ok(Tail::default()));
                    }
                }
                Some(Ok(fetched)) => {
                    let headers = batch_headers(&fetched.records);
                    if headers.is_empty() {
                        out.insert(key, Err("the tail read returned no whole batch header".into()));
                        continue;
                    }
                    let reached = headers
                        .iter()
                        .map(|h| h.last_offset.saturating_add(1))
                        .max()
                        .unwrap_or(f.offset)
                        .min(fetched.high_watermark.max(f.offset));
                    out.insert(
                        key,
                        Ok(Tail {
                            offsets: u64::try_from(reached - f.offset).unwrap_or(0),
                            batches: headers.len() as u64,
                            transactional: headers.iter().filter(|h| h.transactional || h.control).count()
                                as u64,
                        }),
                    );
                }
            }
        }
        if still.len() == before {
            for (f, _) in still.drain(..) {
                out.insert(
                    (f.topic, f.partition),
                    Err("the leader returned no records for it (answer size limit)".into()),
                );
            }
        }
        pending = still;
    }
    for (f, _) in pending {
        out.insert(
            (f.topic, f.partition),
            Err(format!("not read within {TAIL_ROUNDS} Fetch requests")),
        );
    }
    Ok(out)
}

/// Sets `transactional` and `transactional_evidence` of every topic from `reads`; a topic that
/// stays unknown gets a `transactional` gap with the reasons.
pub fn apply(topics: &mut [Topic], reads: &BTreeMap<(String, i32), PartitionRead>, gap: &mut GapFn<'_>) {
    for topic in topics {
        let mut evidence = TransactionalEvidence::default();
        let mut anything_read = false;
        let mut whole = true;
        // reason → partitions, for the gap.
        let mut why: BTreeMap<String, BTreeSet<i32>> = BTreeMap::new();
        for p in &topic.partitions {
            let key = (topic.name.clone(), p.partition);
            let no_leader;
            let read = match reads.get(&key) {
                Some(read) => read,
                None => {
                    let reason = if p.leader.is_none() {
                        "the partition has no leader"
                    } else {
                        "not read"
                    };
                    no_leader = PartitionRead {
                        producers: Err(reason.into()),
                        tail: Err(reason.into()),
                    };
                    &no_leader
                }
            };
            match &read.producers {
                Ok(states) => {
                    anything_read = true;
                    evidence.producer_state_partitions += 1;
                    evidence.transactional_producers += states.transactional;
                }
                Err(reason) => {
                    whole = false;
                    why.entry(format!("DescribeProducers: {reason}"))
                        .or_default()
                        .insert(p.partition);
                }
            }
            match &read.tail {
                Ok(tail) => {
                    anything_read = true;
                    evidence.tail_partitions += 1;
                    evidence.tail_offsets += tail.offsets;
                    evidence.tail_batches += tail.batches;
                    evidence.transactional_batches += tail.transactional;
                }
                Err(reason) => {
                    whole = false;
                    why.entry(format!("tail read: {reason}"))
                        .or_default()
                        .insert(p.partition);
                }
            }
        }
        let found = evidence.transactional_producers > 0 || evidence.transactional_batches > 0;
        topic.transactional = if found {
            Some(true)
        } else if whole {
            Some(false)
        } else {
            None
        };
        topic.transactional_evidence = anything_read.then_some(evidence);
        if topic.transactional.is_none() {
            let reasons: Vec<String> = why
                .into_iter()
                .map(|(reason, partitions)| format!("{reason} ({})", partition_list(&partitions)))
                .collect();
            gap("transactional", Some(topic.name.clone()), reasons.join("; "));
        }
    }
}

/// `partition 3` or `partitions 0, 1, 2` (the first ten, then how many more).
fn partition_list(partitions: &BTreeSet<i32>) -> String {
    let shown: Vec<String> = partitions.iter().take(10).map(i32::to_string).collect();
    let more = partitions.len().saturating_sub(10);
    let noun = if partitions.len() == 1 {
        "partition"
    } else {
        "partitions"
    };
    if more > 0 {
        format!("{noun} {} and {more} more", shown.join(", "))
    } else {
        format!("{noun} {}", shown.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::model::Partition;

    fn topic(partitions: i32) -> Topic {
        Topic {
            name: "t".into(),
            partitions: (0..partitions)
                .map(|p| Partition {
                    partition: p,
                    leader: Some(1),
                    ..Partition::default()
                })
                .collect(),
            ..Topic::default()
        }
    }

    fn read(producers: Result<u32, &str>, tail: Result<u64, &str>) -> PartitionRead {
        PartitionRead {
            producers: producers
                .map(|n| ProducerStates {
                    producers: n,
                    transactional: n,
                })
                .map_err(str::to_owned),
            tail: tail
                .map(|n| Tail {
                    offsets: 10,
                    batches: 2,
                    transactional: n,
                })
                .map_err(str::to_owned),
        }
    }

    fn decide(reads: Vec<PartitionRead>) -> (Topic, Vec<String>) {
        let mut topics = vec![topic(reads.len() as i32)];
        let map = reads
            .into_iter()
            .enumerate()
            .map(|(i, r)| (("t".to_owned(), i as i32), r))
            .collect();
        let mut gaps = Vec::new();
        apply(&mut topics, &map, &mut |_, _, reason| gaps.push(reason));
        (topics.remove(0), gaps)
    }

    #[test]
    fn both_signals_read_and_nothing_found_is_false() {
        let (t, gaps) = decide(vec![read(Ok(0), Ok(0)), read(Ok(0), Ok(0))]);
        assert_eq!(t.transactional, Some(false));
        let e = t.transactional_evidence.unwrap();
        assert_eq!(
            (e.producer_state_partitions, e.tail_partitions, e.tail_batches),
            (2, 2, 4)
        );
        assert!(gaps.is_empty());
    }

    #[test]
    fn a_transactional_batch_is_true_even_when_the_rest_is_unknown() {
        let (t, gaps) = decide(vec![read(Err("x"), Ok(1)), read(Err("x"), Err("y"))]);
        assert_eq!(t.transactional, Some(true));
        assert!(gaps.is_empty());
    }

    #[test]
    fn a_partition_not_read_is_unknown_with_reasons() {
        let (t, gaps) = decide(vec![
            read(Ok(0), Ok(0)),
            read(Err("not authorized: TOPIC_AUTHORIZATION_FAILED (29)"), Ok(0)),
        ]);
        assert_eq!(t.transactional, None);
        assert_eq!(t.transactional_evidence.unwrap().producer_state_partitions, 1);
        assert_eq!(
            gaps,
            vec!["DescribeProducers: not authorized: TOPIC_AUTHORIZATION_FAILED (29) (partition 1)"]
        );
        // No read at all: no evidence.
        let (t, _) = decide(vec![read(Err("a"), Err("b"))]);
        assert_eq!(t.transactional_evidence, None);
    }

    #[test]
    fn partitions_without_leader_are_named() {
        let mut topics = vec![topic(12)];
        for p in &mut topics[0].partitions {
            p.leader = None;
        }
        let mut gaps = Vec::new();
        apply(&mut topics, &BTreeMap::new(), &mut |_, _, reason| {
            gaps.push(reason)
        });
        assert_eq!(topics[0].transactional, None);
        assert_eq!(
            gaps[0],
            "DescribeProducers: the partition has no leader (partitions 0, 1, 2, 3, 4, 5, 6, 7, 8, \
             9 and 2 more); tail read: the partition has no leader (partitions 0, 1, 2, 3, 4, 5, 6, \
             7, 8, 9 and 2 more)"
        );
    }
}
