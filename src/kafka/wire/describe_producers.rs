//! `DescribeProducers` v0 (flexible; Kafka 2.8 and later): the producer states a partition leader
//! keeps, for many partitions in one request. A transactional producer's state carries the
//! epoch of its transaction coordinator, or the start offset of its open transaction.

use std::collections::BTreeMap;

use super::codec::{Malformed, Reader, Writer};
use super::connection::{Connection, WireError};

const API_KEY: i16 = 61;
const API_VERSION: i16 = 0;
const API: &str = "DescribeProducers";

/// What a leader reported for one partition.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProducerStates {
    /// Active producers the leader keeps a state for.
    pub producers: u32,
    /// Of those, transactional ones: a coordinator epoch ≥ 0 or an open transaction.
    pub transactional: u32,
}

/// `(topic, partition) → states or Kafka error code`.
pub type PartitionProducers = BTreeMap<(String, i32), Result<ProducerStates, i16>>;

/// Asks the leader behind `connection` for the producer states of `partitions` (all led by it),
/// in one request.
pub fn describe_producers(
    connection: &mut Connection,
    partitions: &[(String, i32)],
) -> Result<PartitionProducers, WireError> {
    let answer = connection.request(API, API_KEY, API_VERSION, true, &request(partitions))?;
    parse_response(&answer).map_err(|Malformed| connection.malformed(API))
}

fn request(partitions: &[(String, i32)]) -> Vec<u8> {
    let mut by_topic: BTreeMap<&str, Vec<i32>> = BTreeMap::new();
    for (topic, partition) in partitions {
        by_topic.entry(topic).or_default().push(*partition);
    }
    let mut w = Writer::new();
    w.compact_array_len(Some(by_topic.len()));
    for (topic, numbers) in by_topic {
        w.compact_string(topic).compact_array_len(Some(numbers.len()));
        for p in numbers {
            w.i32(p);
        }
        w.no_tags();
    }
    w.no_tags();
    w.into_bytes()
}

fn parse_response(body: &[u8]) -> Result<PartitionProducers, Malformed> {
    let mut r = Reader::new(body);
    let _throttle = r.i32()?;
    let mut out = PartitionProducers::new();
    for _ in 0..r.compact_array_len()? {
        let topic = r.compact_string()?;
        for _ in 0..r.compact_array_len()? {
            let partition = r.i32()?;
            let error = r.i16()?;
            let _message = r.compact_nullable_string()?;
            let mut states = ProducerStates::default();
            for _ in 0..r.compact_array_len()? {
                let _producer_id = r.i64()?;
                let _epoch = r.i32()?;
                let _last_sequence = r.i32()?;
                let _last_timestamp = r.i64()?;
                let coordinator_epoch = r.i32()?;
                let txn_start_offset = r.i64()?;
                r.skip_tags()?;
                states.producers += 1;
                if coordinator_epoch >= 0 || txn_start_offset >= 0 {
                    states.transactional += 1;
                }
            }
            r.skip_tags()?;
            out.insert(
                (topic.clone(), partition),
                if error == 0 { Ok(states) } else { Err(error) },
            );
        }
        r.skip_tags()?;
    }
    r.skip_tags()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_groups_partitions_by_topic() {
        let bytes = request(&[("b".into(), 0), ("a".into(), 2), ("a".into(), 1)]);
        let mut expected = Writer::new();
        expected.compact_array_len(Some(2));
        expected
            .compact_string("a")
            .compact_array_len(Some(2))
            .i32(2)
            .i32(1)
            .no_tags();
        expected
            .compact_string("b")
            .compact_array_len(Some(1))
            .i32(0)
            .no_tags();
        expected.no_tags();
        assert_eq!(bytes, expected.into_bytes());
    }

    #[test]
    fn transactional_states_are_counted_and_errors_kept() {
        let mut w = Writer::new();
        w.i32(0).compact_array_len(Some(1)).compact_string("orders");
        w.compact_array_len(Some(2));
        // Partition 0: an idempotent producer, a committed transactional one, an open one.
        w.i32(0).i16(0).compact_array_len(None).compact_array_len(Some(3));
        w.i64(1).i32(0).i32(9).i64(5).i32(-1).i64(-1).no_tags();
        w.i64(2).i32(0).i32(9).i64(5).i32(0).i64(-1).no_tags();
        w.i64(3).i32(0).i32(9).i64(5).i32(-1).i64(40).no_tags();
        w.no_tags();
        // Partition 1: not authorized.
        w.i32(1)
            .i16(29)
            .compact_array_len(None)
            .compact_array_len(Some(0))
            .no_tags();
        w.no_tags().no_tags();
        let parsed = parse_response(&w.into_bytes()).unwrap();
        assert_eq!(
            parsed[&("orders".into(), 0)],
            Ok(ProducerStates {
                producers: 3,
                transactional: 2
            })
        );
        assert_eq!(parsed[&("orders".into(), 1)], Err(29));
    }

    #[test]
    fn truncated_answer_is_malformed() {
        let mut w = Writer::new();
        w.i32(0)
            .compact_array_len(Some(1))
            .compact_string("orders")
            .compact_array_len(Some(1));
        w.i32(0).i16(0);
        assert_eq!(parse_response(&w.into_bytes()), Err(Malformed));
    }
}
