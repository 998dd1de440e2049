//! Partition sizes from `DescribeLogDirs`, which librdkafka does not offer: one request per
//! broker, `DescribeLogDirs` v3 (flexible; served by every broker from 3.0 on), asking for every
//! log dir and every partition (`topics = null`). v3 is the first version with a top-level error
//! code: earlier versions answer a principal without `Describe` on the cluster with an empty list,
//! which would read as "this broker holds nothing".

use std::collections::BTreeMap;

use super::codec::{Malformed, Reader, Writer};
use super::connection::{Connection, WireError};

/// Size in bytes of every replica a broker holds: `(topic, partition) → bytes`, summed over its
/// log dirs; replicas being moved between dirs (`isFuture`) are left out.
pub type ReplicaSizes = BTreeMap<(String, i32), u64>;

const API_KEY: i16 = 35;
const API_VERSION: i16 = 3;
const API: &str = "DescribeLogDirs";

/// Reads the replica sizes of the broker behind `connection`. A missing `Describe` permission
/// on the cluster is [`WireError::Refused`] with code 31.
pub fn describe_log_dirs(connection: &mut Connection) -> Result<ReplicaSizes, WireError> {
    connection.request_parsed(API, API_KEY, API_VERSION, true, &request(), parse_response)
}

/// The body: `topics = null` (all).
fn request() -> Vec<u8> {
    let mut w = Writer::new();
    w.compact_array_len(None).no_tags();
    w.into_bytes()
}

/// Decodes a `DescribeLogDirs` v3 body; `Ok(Err(code))` when the whole request was refused.
fn parse_response(body: &[u8]) -> Result<Result<ReplicaSizes, i16>, Malformed> {
    let mut r = Reader::new(body);
    let _throttle = r.i32()?;
    let error = r.i16()?;
    if error != 0 {
        return Ok(Err(error));
    }
    let mut sizes = ReplicaSizes::new();
    for _ in 0..r.compact_array_len()? {
        // A dir with an error (offline) holds nothing readable; its entry is still well-formed.
        let _error = r.i16()?;
        let _dir = r.compact_string()?;
        for _ in 0..r.compact_array_len()? {
            let topic = r.compact_string()?;
            for _ in 0..r.compact_array_len()? {
                let partition = r.i32()?;
                let size = r.i64()?;
                let _lag = r.i64()?;
                let future = r.bool()?;
                r.skip_tags()?;
                if !future {
                    *sizes.entry((topic.clone(), partition)).or_default() += u64::try_from(size).unwrap_or(0);
                }
            }
            r.skip_tags()?;
        }
        r.skip_tags()?;
    }
    r.skip_tags()?;
    Ok(Ok(sizes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(out: &mut Vec<u8>, s: &str) {
        out.push(s.len() as u8 + 1);
        out.extend_from_slice(s.as_bytes());
    }

    #[test]
    fn request_asks_for_all_topics() {
        assert_eq!(request(), vec![0, 0]);
    }

    #[test]
    fn response_sums_dirs_and_skips_future_replicas() {
        let mut b = Vec::new();
        b.extend_from_slice(&0i32.to_be_bytes()); // throttle
        b.extend_from_slice(&0i16.to_be_bytes()); // error
        b.push(3); // two dirs
        for (future, size) in [(false, 100i64), (true, 999)] {
            b.extend_from_slice(&0i16.to_be_bytes());
            string(&mut b, "/data");
            b.push(2); // one topic
            string(&mut b, "events-2024");
            b.push(2); // one partition
            b.extend_from_slice(&3i32.to_be_bytes());
            b.extend_from_slice(&size.to_be_bytes());
            b.extend_from_slice(&0i64.to_be_bytes());
            b.push(u8::from(future));
            b.push(0); // partition tags
            b.push(0); // topic tags
            b.push(0); // dir tags
        }
        b.push(0); // top-level tags
        let sizes = parse_response(&b).unwrap().unwrap();
        assert_eq!(sizes.get(&("events-2024".into(), 3)), Some(&100));
        assert_eq!(sizes.len(), 1);
    }

    #[test]
    fn cluster_authorization_failure_is_a_refusal() {
        let mut b = Vec::new();
        b.extend_from_slice(&0i32.to_be_bytes());
        b.extend_from_slice(&31i16.to_be_bytes());
        b.push(1); // no dirs
        b.push(0);
        assert_eq!(parse_response(&b), Ok(Err(31)));
    }
}
