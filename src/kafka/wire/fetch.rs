//! `Fetch` v12 (flexible, topics by name; served by Kafka 2.7 and later, 4.x included) to read
//! the newest record batches of many partitions in one request, and a reader of record batch
//! headers: only the header of each batch is decoded (never the records, which may be
//! compressed), so a batch cut off by the byte limit still tells its flags.

use std::collections::BTreeMap;

use super::codec::{Malformed, Reader, Writer};
use super::connection::{Connection, WireError};

const API_KEY: i16 = 1;
const API_VERSION: i16 = 12;
const API: &str = "Fetch";

/// One partition to read from `offset` on, at most `max_bytes` of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchPartition {
    /// Topic name.
    pub topic: String,
    /// Partition number.
    pub partition: i32,
    /// First offset to read.
    pub offset: i64,
}

/// What the leader returned for one partition.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fetched {
    /// The high watermark.
    pub high_watermark: i64,
    /// The raw record batches (possibly ending in a cut-off batch).
    pub records: Vec<u8>,
}

/// `(topic, partition) → what was read, or Kafka error code`.
pub type FetchedPartitions = BTreeMap<(String, i32), Result<Fetched, i16>>;

/// Reads `partitions` (all led by the broker behind `connection`) in one request, uncommitted
/// records included (`READ_UNCOMMITTED`, so open transactions are seen), at most
/// `partition_max_bytes` per partition and `max_bytes` in all, without waiting for new records.
pub fn fetch(
    connection: &mut Connection,
    partitions: &[FetchPartition],
    partition_max_bytes: i32,
    max_bytes: i32,
) -> Result<FetchedPartitions, WireError> {
    let body = request(partitions, partition_max_bytes, max_bytes);
    connection.request_parsed(API, API_KEY, API_VERSION, true, &body, parse_response)
}

fn request(partitions: &[FetchPartition], partition_max_bytes: i32, max_bytes: i32) -> Vec<u8> {
    let mut by_topic: BTreeMap<&str, Vec<&FetchPartition>> = BTreeMap::new();
    for p in partitions {
        by_topic.entry(&p.topic).or_default().push(p);
    }
    let mut w = Writer::new();
    // replica id (a consumer), max wait 0 ms, min bytes 0, max bytes, READ_UNCOMMITTED,
    // no fetch session (id 0, epoch -1: a full fetch that opens none).
    w.i32(-1).i32(0).i32(0).i32(max_bytes).i8(0).i32(0).i32(-1);
    w.compact_array_len(Some(by_topic.len()));
    for (topic, list) in by_topic {
        w.compact_string(topic).compact_array_len(Some(list.len()));
        for p in list {
            // current leader epoch, offset, last fetched epoch, log start offset (followers only).
            w.i32(p.partition)
                .i32(-1)
                .i64(p.offset)
                .i32(-1)
                .i64(-1)
                .i32(partition_max_bytes);
            w.no_tags();
        }
        w.no_tags();
    }
    w.compact_array_len(Some(0)); // forgotten topics
    w.compact_string(""); // rack id
    w.no_tags();
    w.into_bytes()
}

/// Decodes a `Fetch` v12 body; `Ok(Err(code))` when the whole request was refused.
fn parse_response(body: &[u8]) -> Result<Result<FetchedPartitions, i16>, Malformed> {
    let mut r = Reader::new(body);
    let _throttle = r.i32()?;
    let error = r.i16()?;
    let _session = r.i32()?;
    if error != 0 {
        return Ok(Err(error));
    }
    let mut out = FetchedPartitions::new();
    for _ in 0..r.compact_array_len()? {
        let topic = r.compact_string()?;
        for _ in 0..r.compact_array_len()? {
            let partition = r.i32()?;
            let error = r.i16()?;
            let high_watermark = r.i64()?;
            let _last_stable = r.i64()?;
            let _log_start = r.i64()?;
            for _ in 0..r.compact_array_len()? {
                let _producer_id = r.i64()?;
                let _first_offset = r.i64()?;
                r.skip_tags()?;
            }
            let _preferred_replica = r.i32()?;
            let records = r.compact_bytes()?;
            r.skip_tags()?;
            out.insert(
                (topic.clone(), partition),
                if error == 0 {
                    Ok(Fetched {
                        high_watermark,
                        records: records.to_vec(),
                    })
                } else {
                    Err(error)
                },
            );
        }
        r.skip_tags()?;
    }
    r.skip_tags()?;
    Ok(Ok(out))
}

/// The header of one record batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchHeader {
    /// Offset of the first record.
    pub base_offset: i64,
    /// Offset of the last record.
    pub last_offset: i64,
    /// Written by a transactional producer (attributes bit 4).
    pub transactional: bool,
    /// A transaction marker, commit or abort (attributes bit 5).
    pub control: bool,
}

/// Bytes of a v2 batch header up to and including `lastOffsetDelta`: baseOffset i64,
/// batchLength i32, partitionLeaderEpoch i32, magic i8, crc u32, attributes i16,
/// lastOffsetDelta i32.
const V2_HEADER: usize = 27;
/// Where `magic` sits, in v2 batches and in the older message sets alike.
const MAGIC_AT: usize = 16;

/// The headers of the record batches in `records`, in order. A batch cut off by the byte limit
/// counts when its header is whole; reading stops at the first header that is not. Message sets
/// of the formats before v2 (magic 0 and 1) have no transactions: they count as plain batches.
pub fn batch_headers(records: &[u8]) -> Vec<BatchHeader> {
    let mut out = Vec::new();
    let mut rest = records;
    while let Some(magic) = rest.get(MAGIC_AT).copied() {
        let mut r = Reader::new(rest);
        let (Ok(base_offset), Ok(length)) = (r.i64(), r.i32()) else {
            break;
        };
        let Ok(length) = usize::try_from(length) else {
            break;
        };
        if magic >= 2 {
            if rest.len() < V2_HEADER {
                break;
            }
            let attributes = i16::from_be_bytes([rest[21], rest[22]]);
            let delta = i32::from_be_bytes([rest[23], rest[24], rest[25], rest[26]]);
            out.push(BatchHeader {
                base_offset,
                last_offset: base_offset.saturating_add(i64::from(delta.max(0))),
                transactional: attributes & 0x10 != 0,
                control: attributes & 0x20 != 0,
            });
        } else {
            // offset, size, crc, magic, attributes (no transactional or control flag).
            out.push(BatchHeader {
                base_offset,
                last_offset: base_offset,
                transactional: false,
                control: false,
            });
        }
        match 12usize.checked_add(length) {
            Some(end) if end <= rest.len() => rest = &rest[end..],
            _ => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A v2 batch of `records` records (bodies are filler) with `attributes`.
    fn batch(base: i64, records: i32, attributes: i16, body: usize) -> Vec<u8> {
        let mut w = Writer::new();
        let length = (V2_HEADER - 12 + 8 + 8 + 8 + 2 + 4 + 4 + body) as i32;
        w.i64(base)
            .i32(length)
            .i32(0)
            .i8(2)
            .i32(0)
            .i16(attributes)
            .i32(records - 1);
        w.i64(0).i64(0).i64(1).i16(0).i32(0).i32(records);
        let mut bytes = w.into_bytes();
        bytes.extend(std::iter::repeat_n(0u8, body));
        assert_eq!(bytes.len(), 12 + length as usize);
        bytes
    }

    #[test]
    fn flags_are_read_from_each_header() {
        let mut records = batch(0, 3, 0, 10);
        records.extend(batch(3, 2, 0x10 | 0x02, 7)); // transactional, compressed (lz4)
        records.extend(batch(5, 1, 0x10 | 0x20, 0)); // commit marker
        let headers = batch_headers(&records);
        assert_eq!(
            headers,
            vec![
                BatchHeader {
                    base_offset: 0,
                    last_offset: 2,
                    transactional: false,
                    control: false
                },
                BatchHeader {
                    base_offset: 3,
                    last_offset: 4,
                    transactional: true,
                    control: false
                },
                BatchHeader {
                    base_offset: 5,
                    last_offset: 5,
                    transactional: true,
                    control: true
                },
            ]
        );
    }

    #[test]
    fn a_cut_off_last_batch_counts_when_its_header_is_whole() {
        let mut records = batch(0, 3, 0, 10);
        let last = batch(3, 4, 0x10, 100);
        records.extend_from_slice(&last[..40]);
        let headers = batch_headers(&records);
        assert_eq!(headers.len(), 2);
        assert!(headers[1].transactional);
        assert_eq!(headers[1].last_offset, 6);
        // Less than a whole header: not counted, and no panic on any cut.
        let whole = batch(0, 3, 0x20, 10);
        for cut in 0..whole.len() {
            let n = batch_headers(&whole[..cut]).len();
            assert_eq!(n, usize::from(cut >= V2_HEADER), "cut at {cut}");
        }
        assert!(batch_headers(&[]).is_empty());
    }

    #[test]
    fn negative_length_and_old_formats() {
        let mut bad = batch(0, 1, 0, 0);
        bad[8..12].copy_from_slice(&(-5i32).to_be_bytes());
        assert!(batch_headers(&bad).is_empty());
        // Magic 1 message: offset, size, crc, magic, attributes, timestamp, key, value.
        let mut w = Writer::new();
        w.i64(7)
            .i32(4 + 1 + 1 + 8 + 4 + 4)
            .i32(0)
            .i8(1)
            .i8(0)
            .i64(0)
            .i32(-1)
            .i32(-1);
        let headers = batch_headers(&w.into_bytes());
        assert_eq!(headers.len(), 1);
        assert!(!headers[0].transactional && !headers[0].control);
    }

    #[test]
    fn response_round_trip() {
        let mut w = Writer::new();
        w.i32(0)
            .i16(0)
            .i32(0)
            .compact_array_len(Some(1))
            .compact_string("orders");
        w.compact_array_len(Some(2));
        w.i32(0)
            .i16(0)
            .i64(12)
            .i64(12)
            .i64(0)
            .compact_array_len(None)
            .i32(-1);
        w.compact_bytes(&[1, 2, 3]).no_tags();
        w.i32(1)
            .i16(29)
            .i64(-1)
            .i64(-1)
            .i64(-1)
            .compact_array_len(None)
            .i32(-1);
        w.compact_bytes(&[]).no_tags();
        w.no_tags().no_tags();
        let parsed = parse_response(&w.into_bytes()).unwrap().unwrap();
        assert_eq!(
            parsed[&("orders".into(), 0)],
            Ok(Fetched {
                high_watermark: 12,
                records: vec![1, 2, 3]
            })
        );
        assert_eq!(parsed[&("orders".into(), 1)], Err(29));
        let mut w = Writer::new();
        w.i32(0).i16(35).i32(0).compact_array_len(Some(0)).no_tags();
        assert_eq!(parse_response(&w.into_bytes()), Ok(Err(35)));
    }
}
