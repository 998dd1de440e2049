//! `DescribeClientQuotas` v0 (non-flexible; Kafka 2.6 and later): every client quota of the
//! cluster (user, client id and default entities) with its values. Needs `DescribeConfigs` on
//! the cluster.

use super::codec::{Malformed, Reader, Writer};
use super::connection::{Connection, WireError};

const API_KEY: i16 = 48;
const API_VERSION: i16 = 0;
const API: &str = "DescribeClientQuotas";

/// One quota entry: its entity and its values.
#[derive(Clone, Debug, PartialEq, PartialOrd)]
pub struct QuotaEntry {
    /// `(entity type, name)`: `user`, `client-id` or `ip`; the name is `None` for the default.
    pub entity: Vec<(String, Option<String>)>,
    /// `(key, value)`, e.g. `("producer_byte_rate", 1048576.0)`.
    pub values: Vec<(String, f64)>,
}

/// Reads every client quota. A refusal is [`WireError::Refused`].
pub fn describe_client_quotas(connection: &mut Connection) -> Result<Vec<QuotaEntry>, WireError> {
    connection.request_parsed(API, API_KEY, API_VERSION, false, &request(), parse_response)
}

/// The body: no component filter and `strict` false, which matches every entity.
fn request() -> Vec<u8> {
    let mut w = Writer::new();
    w.array_len(Some(0)).bool(false);
    w.into_bytes()
}

fn parse_response(body: &[u8]) -> Result<Result<Vec<QuotaEntry>, i16>, Malformed> {
    let mut r = Reader::new(body);
    let _throttle = r.i32()?;
    let error = r.i16()?;
    let _message = r.nullable_string()?;
    if error != 0 {
        return Ok(Err(error));
    }
    // A nullable array: -1 (null) reads as no entries.
    let count = r.i32()?;
    let mut out = Vec::new();
    for _ in 0..count.max(0) {
        let mut entity = Vec::new();
        for _ in 0..r.array_len()? {
            let kind = r.string()?;
            let name = r.nullable_string()?;
            entity.push((kind, name));
        }
        let mut values = Vec::new();
        for _ in 0..r.array_len()? {
            let key = r.string()?;
            let value = f64::from_bits(r.i64()? as u64);
            values.push((key, value));
        }
        out.push(QuotaEntry { entity, values });
    }
    Ok(Ok(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(out: &mut Vec<u8>, s: &str) {
        out.extend_from_slice(&(s.len() as i16).to_be_bytes());
        out.extend_from_slice(s.as_bytes());
    }

    #[test]
    fn the_request_matches_every_entity() {
        assert_eq!(request(), vec![0, 0, 0, 0, 0]);
    }

    #[test]
    fn entities_and_values_are_read() {
        let mut b = Vec::new();
        b.extend_from_slice(&0i32.to_be_bytes());
        b.extend_from_slice(&0i16.to_be_bytes());
        b.extend_from_slice(&(-1i16).to_be_bytes());
        b.extend_from_slice(&1i32.to_be_bytes()); // one entry
        b.extend_from_slice(&2i32.to_be_bytes()); // two entity parts
        string(&mut b, "user");
        string(&mut b, "bob");
        string(&mut b, "client-id");
        b.extend_from_slice(&(-1i16).to_be_bytes()); // default
        b.extend_from_slice(&1i32.to_be_bytes());
        string(&mut b, "producer_byte_rate");
        b.extend_from_slice(&1048576f64.to_bits().to_be_bytes());
        let entries = parse_response(&b).unwrap().unwrap();
        assert_eq!(
            entries,
            vec![QuotaEntry {
                entity: vec![("user".into(), Some("bob".into())), ("client-id".into(), None)],
                values: vec![("producer_byte_rate".into(), 1048576.0)],
            }]
        );
    }
}
