//! Partition sizes from `DescribeLogDirs`, which librdkafka does not offer: one request per
//! broker, `DescribeLogDirs` v1 (non-flexible; v0 was removed in Kafka 4.0, v1 is served by
//! every broker from 1.1 on), asking for every log dir and every partition (`topics = null`).

use std::collections::BTreeMap;

use super::codec::{Malformed, Reader, Writer};
use super::connection::{Connection, WireError};

/// Size in bytes of every replica a broker holds: `(topic, partition) → bytes`, summed over its
/// log dirs; replicas being moved between dirs (`isFuture`) are left out.
pub type ReplicaSizes = BTreeMap<(String, i32), u64>;

const API_KEY: i16 = 35;
const API_VERSION: i16 = 1;
const API: &str = "DescribeLogDirs";

/// Reads the replica sizes of the broker behind `connection`. A missing `Describe` permission
/// on the cluster is [`WireError::Refused`] with code 31.
pub fn describe_log_dirs(connection: &mut Connection) -> Result<ReplicaSizes, WireError> {
    let answer = connection.request(API, API_KEY, API_VERSION, false, &request())?;
    match parse_response(&answer) {
        Ok(Ok(sizes)) => Ok(sizes),
        Ok(Err(code)) => Err(WireError::Refused {
            broker: connection.broker().to_owned(),
            api: API,
            code,
        }),
        Err(Malformed) => Err(connection.malformed(API)),
    }
}

/// The body: `topics = null` (all).
fn request() -> Vec<u8> {
    let mut w = Writer::new();
    w.array_len(None);
    w.into_bytes()
}

/// Decodes a `DescribeLogDirs` v1 body; `Ok(Err(code))` when the whole request was refused.
fn parse_response(body: &[u8]) -> Result<Result<ReplicaSizes, i16>, Malformed> {
    let mut r = Reader::new(body);
    let _throttle = r.i32()?;
    let mut sizes = ReplicaSizes::new();
    for _ in 0..r.array_len()? {
        let error = r.i16()?;
        let _dir = r.string()?;
        let topics = r.array_len()?;
        if error != 0 && topics == 0 {
            // A whole-request refusal is reported on every dir entry; an offline dir holds nothing.
            if error == 31 {
                return Ok(Err(error));
            }
            continue;
        }
        for _ in 0..topics {
            let topic = r.string()?;
            for _ in 0..r.array_len()? {
                let partition = r.i32()?;
                let size = r.i64()?;
                let _lag = r.i64()?;
                let future = r.bool()?;
                if !future {
                    *sizes.entry((topic.clone(), partition)).or_default() += u64::try_from(size).unwrap_or(0);
                }
            }
        }
    }
    Ok(Ok(sizes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(out: &mut Vec<u8>, s: &str) {
        out.extend_from_slice(&(s.len() as i16).to_be_bytes());
        out.extend_from_slice(s.as_bytes());
    }

    #[test]
    fn request_asks_for_all_topics() {
        assert_eq!(request(), (-1i32).to_be_bytes());
    }

    #[test]
    fn response_sums_dirs_and_skips_future_replicas() {
        let mut b = Vec::new();
        b.extend_from_slice(&0i32.to_be_bytes()); // throttle
        b.extend_from_slice(&2i32.to_be_bytes()); // two dirs
        for (future, size) in [(false, 100i64), (true, 999)] {
            b.extend_from_slice(&0i16.to_be_bytes());
            string(&mut b, "/data");
            b.extend_from_slice(&1i32.to_be_bytes());
            string(&mut b, "events-2024");
            b.extend_from_slice(&1i32.to_be_bytes());
            b.extend_from_slice(&3i32.to_be_bytes());
            b.extend_from_slice(&size.to_be_bytes());
            b.extend_from_slice(&0i64.to_be_bytes());
            b.push(u8::from(future));
        }
        let sizes = parse_response(&b).unwrap().unwrap();
        assert_eq!(sizes.get(&("events-2024".into(), 3)), Some(&100));
        assert_eq!(sizes.len(), 1);
    }

    #[test]
    fn cluster_authorization_failure_is_a_refusal() {
        let mut b = Vec::new();
        b.extend_from_slice(&0i32.to_be_bytes());
        b.extend_from_slice(&1i32.to_be_bytes());
        b.extend_from_slice(&31i16.to_be_bytes());
        string(&mut b, "");
        b.extend_from_slice(&0i32.to_be_bytes());
        assert_eq!(parse_response(&b), Ok(Err(31)));
    }
}
