//! MirrorMaker 2's checkpoints topic (`<source>.checkpoints.internal` on the target): one record
//! per consumer group, topic and partition whose offset MM2 translates. The inspector reads only
//! the keys, to learn which groups MM2 checkpoints: a checkpointed group that the source does
//! not list was deleted there, or is hidden from the inspecting user by ACLs, and is not
//! inspected.
//!
//! Key wire format (Kafka protocol primitives, big-endian): group as int16 length + UTF-8
//! bytes, topic the same, then partition as int32.

/// Decodes the group of a checkpoint record key.
pub fn decode_group(key: &[u8]) -> Result<String, String> {
    super::offset_syncs::decode_string(key, "group").map(|(group, _)| group.to_owned())
}

/// Encodes a checkpoint key (for tests and fixtures).
pub fn encode_key(group: &str, topic: &str, partition: i32) -> Vec<u8> {
    let mut out = Vec::with_capacity(group.len() + topic.len() + 8);
    for text in [group, topic] {
        out.extend_from_slice(&(text.len() as i16).to_be_bytes());
        out.extend_from_slice(text.as_bytes());
    }
    out.extend_from_slice(&partition.to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_round_trips_and_bad_keys_are_errors() {
        assert_eq!(
            decode_group(&encode_key("orders,eu", "orders", 3)).unwrap(),
            "orders,eu"
        );
        assert_eq!(decode_group(&encode_key("", "t", 0)).unwrap(), "");
        assert!(decode_group(&[0]).is_err());
        assert!(decode_group(&[0, 5, b'a']).is_err());
        assert!(decode_group(&[0xff, 0xff]).is_err());
        assert!(decode_group(&[0, 1, 0xff]).is_err());
    }
}
