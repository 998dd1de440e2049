//! `FindCoordinator` v4 (KIP-699): the coordinators of many groups in one request.

use super::codec::{Malformed, Reader, Writer};
use super::connection::{Connection, WireError};

const API_KEY: i16 = 10;
const API_VERSION: i16 = 4;
const API: &str = "FindCoordinator";

/// The coordinator of one group, or the error code that kept it from being found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coordinator {
    /// Group id.
    pub group: String,
    /// Kafka error code (0: found).
    pub error: i16,
    /// Coordinator broker id.
    pub node_id: i32,
    /// Coordinator host.
    pub host: String,
    /// Coordinator port.
    pub port: u16,
}

/// Finds the coordinators of `groups` with one request.
pub fn find_group_coordinators(
    connection: &mut Connection,
    groups: &[String],
) -> Result<Vec<Coordinator>, WireError> {
    let answer = connection.request(API, API_KEY, API_VERSION, true, &request(groups))?;
    parse_response(&answer).map_err(|Malformed| connection.malformed(API))
}

fn request(groups: &[String]) -> Vec<u8> {
    let mut w = Writer::new();
    w.i8(0); // key type: group
    w.compact_array_len(Some(groups.len()));
    for g in groups {
        w.compact_string(g);
    }
    w.no_tags();
    w.into_bytes()
}

fn parse_response(body: &[u8]) -> Result<Vec<Coordinator>, Malformed> {
    let mut r = Reader::new(body);
    let _throttle = r.i32()?;
    let mut out = Vec::new();
    for _ in 0..r.compact_array_len()? {
        let group = r.compact_string()?;
        let node_id = r.i32()?;
        let host = r.compact_string()?;
        let port = r.i32()?;
        let error = r.i16()?;
        let _message = r.compact_nullable_string()?;
        r.skip_tags()?;
        out.push(Coordinator {
            group,
            error,
            node_id,
            host,
            port: u16::try_from(port).unwrap_or(0),
        });
    }
    r.skip_tags()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lists_group_keys() {
        assert_eq!(
            request(&["a".into(), "bc".into()]),
            vec![0, 3, 2, b'a', 3, b'b', b'c', 0]
        );
    }

    #[test]
    fn response_round_trip() {
        let mut w = Writer::new();
        w.i32(0).compact_array_len(Some(2));
        w.compact_string("g1")
            .i32(3)
            .compact_string("k3")
            .i32(9092)
            .i16(0);
        w.compact_array_len(None).no_tags();
        w.compact_string("g2").i32(-1).compact_string("").i32(-1).i16(15);
        w.compact_string("not available").no_tags();
        w.no_tags();
        let parsed = parse_response(&w.into_bytes()).unwrap();
        assert_eq!(
            parsed[0],
            Coordinator {
                group: "g1".into(),
                error: 0,
                node_id: 3,
                host: "k3".into(),
                port: 9092
            }
        );
        assert_eq!(parsed[1].error, 15);
    }
}
