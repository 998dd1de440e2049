//! `OffsetFetch` v8 (KIP-709): the committed offsets of many groups in one request, every
//! partition each group committed to (`topics = null`), `require_stable = false`.

use super::codec::{Malformed, Reader, Writer};
use super::connection::{Connection, WireError};

const API_KEY: i16 = 9;
const API_VERSION: i16 = 8;
const API: &str = "OffsetFetch";

/// The committed offsets of one group.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupCommitted {
    /// Group id.
    pub group: String,
    /// The group's error code (0: read).
    pub error: i16,
    /// `(topic, partition, committed offset, partition error code)`; offset -1 means none.
    pub partitions: Vec<(String, i32, i64, i16)>,
}

/// Reads the committed offsets of `groups` (all coordinated by the connection's broker).
pub fn fetch_offsets(
    connection: &mut Connection,
    groups: &[String],
) -> Result<Vec<GroupCommitted>, WireError> {
    let answer = connection.request(API, API_KEY, API_VERSION, true, &request(groups))?;
    parse_response(&answer).map_err(|Malformed| connection.malformed(API))
}

fn request(groups: &[String]) -> Vec<u8> {
    let mut w = Writer::new();
    w.compact_array_len(Some(groups.len()));
    for g in groups {
        w.compact_string(g).compact_array_len(None).no_tags();
    }
    w.bool(false).no_tags();
    w.into_bytes()
}

fn parse_response(body: &[u8]) -> Result<Vec<GroupCommitted>, Malformed> {
    let mut r = Reader::new(body);
    let _throttle = r.i32()?;
    let mut out = Vec::new();
    for _ in 0..r.compact_array_len()? {
        let mut group = GroupCommitted {
            group: r.compact_string()?,
            ..GroupCommitted::default()
        };
        for _ in 0..r.compact_array_len()? {
            let topic = r.compact_string()?;
            for _ in 0..r.compact_array_len()? {
                let partition = r.i32()?;
                let offset = r.i64()?;
                let _leader_epoch = r.i32()?;
                let _metadata = r.compact_nullable_string()?;
                let error = r.i16()?;
                r.skip_tags()?;
                group.partitions.push((topic.clone(), partition, offset, error));
            }
            r.skip_tags()?;
        }
        group.error = r.i16()?;
        r.skip_tags()?;
        out.push(group);
    }
    r.skip_tags()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_asks_for_all_topics_of_each_group() {
        assert_eq!(request(&["g".into()]), vec![2, 2, b'g', 0, 0, 0, 0]);
    }

    #[test]
    fn response_round_trip() {
        let mut w = Writer::new();
        w.i32(0).compact_array_len(Some(2));
        // g1: orders-0 at 5, orders-1 nothing committed.
        w.compact_string("g1").compact_array_len(Some(1));
        w.compact_string("orders").compact_array_len(Some(2));
        w.i32(0).i64(5).i32(-1).compact_string("").i16(0).no_tags();
        w.i32(1).i64(-1).i32(-1).compact_array_len(None).i16(0).no_tags();
        w.no_tags(); // topic
        w.i16(0).no_tags();
        // g2: not authorized.
        w.compact_string("g2")
            .compact_array_len(Some(0))
            .i16(30)
            .no_tags();
        w.no_tags();
        let parsed = parse_response(&w.into_bytes()).unwrap();
        assert_eq!(
            parsed[0].partitions,
            vec![("orders".into(), 0, 5, 0), ("orders".into(), 1, -1, 0)]
        );
        assert_eq!((parsed[1].group.as_str(), parsed[1].error), ("g2", 30));
    }
}
