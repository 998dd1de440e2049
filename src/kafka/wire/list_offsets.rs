//! `ListOffsets` v7: the earliest or latest offsets of many partitions, sent to their leader.
//!
//! librdkafka batches this request too, but merges the answers with a linear search per
//! partition (quadratic: seconds of CPU at 10,000 partitions), so it is spoken here.

use std::collections::BTreeMap;

use super::codec::{Malformed, Reader, Writer};
use super::connection::{Connection, WireError};

const API_KEY: i16 = 2;
const API_VERSION: i16 = 7;
const API: &str = "ListOffsets";

/// Which end of the partitions to ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// The log start offset (timestamp -2).
    Earliest,
    /// The high watermark (timestamp -1, read uncommitted).
    Latest,
}

/// `(topic, partition) → offset or Kafka error code`.
pub type PartitionOffsets = BTreeMap<(String, i32), Result<i64, i16>>;

/// Asks the leader behind `connection` for one end of `partitions` (all led by it), in one
/// request.
pub fn list_offsets(
    connection: &mut Connection,
    partitions: &[(String, i32)],
    end: End,
) -> Result<PartitionOffsets, WireError> {
    let answer = connection.request(API, API_KEY, API_VERSION, true, &request(partitions, end))?;
    parse_response(&answer).map_err(|Malformed| connection.malformed(API))
}

fn request(partitions: &[(String, i32)], end: End) -> Vec<u8> {
    let timestamp: i64 = match end {
        End::Earliest => -2,
        End::Latest => -1,
    };
    let mut by_topic: BTreeMap<&str, Vec<i32>> = BTreeMap::new();
    for (topic, partition) in partitions {
        by_topic.entry(topic).or_default().push(*partition);
    }
    let mut w = Writer::new();
    w.i32(-1).i8(0); // replica id: a client; isolation: read uncommitted
    w.compact_array_len(Some(by_topic.len()));
    for (topic, numbers) in by_topic {
        w.compact_string(topic).compact_array_len(Some(numbers.len()));
        for p in numbers {
            w.i32(p).i32(-1).i64(timestamp).no_tags();
        }
        w.no_tags();
    }
    w.no_tags();
    w.into_bytes()
}

fn parse_response(body: &[u8]) -> Result<PartitionOffsets, Malformed> {
    let mut r = Reader::new(body);
    let _throttle = r.i32()?;
    let mut out = PartitionOffsets::new();
    for _ in 0..r.compact_array_len()? {
        let topic = r.compact_string()?;
        for _ in 0..r.compact_array_len()? {
            let partition = r.i32()?;
            let error = r.i16()?;
            let _timestamp = r.i64()?;
            let offset = r.i64()?;
            let _epoch = r.i32()?;
            r.skip_tags()?;
            out.insert(
                (topic.clone(), partition),
                if error == 0 { Ok(offset) } else { Err(error) },
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
        let bytes = request(&[("a".into(), 1), ("a".into(), 0)], End::Earliest);
        let mut expected = Writer::new();
        expected
            .i32(-1)
            .i8(0)
            .compact_array_len(Some(1))
            .compact_string("a");
        expected.compact_array_len(Some(2));
        expected.i32(1).i32(-1).i64(-2).no_tags();
        expected.i32(0).i32(-1).i64(-2).no_tags();
        expected.no_tags().no_tags();
        assert_eq!(bytes, expected.into_bytes());
    }

    #[test]
    fn response_round_trip() {
        let mut w = Writer::new();
        w.i32(0).compact_array_len(Some(1)).compact_string("orders");
        w.compact_array_len(Some(2));
        w.i32(0).i16(0).i64(-1).i64(42).i32(0).no_tags();
        w.i32(1).i16(6).i64(-1).i64(-1).i32(-1).no_tags();
        w.no_tags().no_tags();
        let parsed = parse_response(&w.into_bytes()).unwrap();
        assert_eq!(parsed[&("orders".into(), 0)], Ok(42));
        assert_eq!(parsed[&("orders".into(), 1)], Err(6));
    }
}
