//! MirrorMaker 2's offset syncs: records of the offset-syncs topic that pair an upstream
//! (source) offset with the downstream (target) offset of the same record, and the translation
//! of a group offset that MM2's checkpoint task derives from them.
//!
//! Wire format (Kafka protocol primitives, big-endian): key = topic as int16 length + UTF-8
//! bytes, then partition as int32; value = upstream offset int64, then downstream offset int64.
//! The key names the **source** topic-partition.
//!
//! MM2 keeps a sparse history per partition (the newest sync always, older ones spaced out) and
//! forgets it when the upstream offset goes backwards. The inspector keeps the whole history
//! since the last rewind, which brackets every answer MM2's sparse history can give: see
//! [`History::translate`].

use std::collections::HashMap;

/// One decoded offset sync.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OffsetSync {
    /// Offset of the record on the source.
    pub upstream: i64,
    /// Offset of the same record on the target.
    pub downstream: i64,
}

/// Decodes a record key into (topic, partition).
pub fn decode_key(key: &[u8]) -> Result<(String, i32), String> {
    let (topic, rest) = decode_string(key, "topic")?;
    let partition = rest
        .get(..4)
        .map(|b| i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or("key has no partition")?;
    Ok((topic.to_owned(), partition))
}

/// Decodes a Kafka protocol string (int16 length, then UTF-8 bytes) at the start of `bytes`,
/// naming it `what` in errors; returns it and the bytes after it. MM2's offset-sync and
/// checkpoint keys are made of these.
pub(crate) fn decode_string<'a>(bytes: &'a [u8], what: &str) -> Result<(&'a str, &'a [u8]), String> {
    let len = bytes
        .get(..2)
        .map(|b| i16::from_be_bytes([b[0], b[1]]))
        .ok_or("key shorter than 2 bytes")?;
    let len = usize::try_from(len).map_err(|_| format!("negative {what} length {len}"))?;
    let text = bytes
        .get(2..2 + len)
        .ok_or_else(|| format!("key shorter than its {what} length"))?;
    let text = std::str::from_utf8(text).map_err(|_| format!("{what} is not UTF-8"))?;
    Ok((text, &bytes[2 + len..]))
}

/// Decodes a record value.
pub fn decode_value(value: &[u8]) -> Result<OffsetSync, String> {
    if value.len() < 16 {
        return Err(format!("value has {} bytes, expected 16", value.len()));
    }
    let int64 = |at: usize| i64::from_be_bytes(value[at..at + 8].try_into().unwrap_or_default());
    Ok(OffsetSync {
        upstream: int64(0),
        downstream: int64(8),
    })
}

/// Encodes a key (for tests and fixtures).
pub fn encode_key(topic: &str, partition: i32) -> Vec<u8> {
    let mut out = Vec::with_capacity(topic.len() + 6);
    out.extend_from_slice(&(topic.len() as i16).to_be_bytes());
    out.extend_from_slice(topic.as_bytes());
    out.extend_from_slice(&partition.to_be_bytes());
    out
}

/// Encodes a value (for tests and fixtures).
pub fn encode_value(sync: OffsetSync) -> Vec<u8> {
    let mut out = Vec::with_capacity(16);
    out.extend_from_slice(&sync.upstream.to_be_bytes());
    out.extend_from_slice(&sync.downstream.to_be_bytes());
    out
}

/// The syncs of one source partition since its last upstream rewind, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    syncs: Vec<OffsetSync>,
}

/// What MM2 would translate a group offset to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Translation {
    /// No sync for the partition: MM2 cannot translate.
    NoSync,
    /// Every sync is newer than the group offset: MM2 drops the checkpoint ("group too old").
    TooOld,
    /// MM2 translates to a value in `min..=max`. `max` uses the newest sync at or below the
    /// group offset (MM2's answer when its history holds that sync, always the case when the
    /// group offset is at or past the newest sync, where `min == max`); `min` uses the oldest
    /// sync, MM2's coarsest possible answer.
    Offset {
        /// Coarsest translation.
        min: i64,
        /// Exact translation.
        max: i64,
    },
}

fn translate_with(sync: OffsetSync, group: i64) -> i64 {
    sync.downstream + i64::from(group != sync.upstream)
}

impl History {
    /// Appends a sync read from the topic; an upstream rewind forgets the older ones.
    pub fn push(&mut self, sync: OffsetSync) {
        if self
            .syncs
            .last()
            .is_some_and(|last| sync.upstream < last.upstream)
        {
            self.syncs.clear();
        }
        self.syncs.push(sync);
    }

    /// The newest sync.
    pub fn latest(&self) -> Option<OffsetSync> {
        self.syncs.last().copied()
    }

    /// The oldest sync kept.
    pub fn oldest(&self) -> Option<OffsetSync> {
        self.syncs.first().copied()
    }

    /// Number of syncs kept.
    pub fn len(&self) -> usize {
        self.syncs.len()
    }

    /// True if no sync is kept.
    pub fn is_empty(&self) -> bool {
        self.syncs.is_empty()
    }

    /// MM2's translation of `group` (the source group's committed offset).
    pub fn translate(&self, group: i64) -> Translation {
        let Some(oldest) = self.syncs.first().copied() else {
            return Translation::NoSync;
        };
        if oldest.upstream > group {
            return Translation::TooOld;
        }
        // Upstream offsets are non-decreasing within a history.
        let at = self.syncs.partition_point(|s| s.upstream <= group);
        let exact = translate_with(self.syncs[at - 1], group);
        let newest = self.syncs[self.syncs.len() - 1];
        let min = if group >= newest.upstream {
            exact
        } else {
            translate_with(oldest, group)
        };
        Translation::Offset { min, max: exact }
    }

    /// The sync the lag-to-source column uses: the newest one whose upstream offset is at or
    /// below the source log end, else the newest.
    pub fn for_log_end(&self, log_end: i64) -> Option<OffsetSync> {
        let at = self.syncs.partition_point(|s| s.upstream <= log_end);
        if at == 0 {
            self.latest()
        } else {
            Some(self.syncs[at - 1])
        }
    }
}

/// Everything read from one offset-syncs topic, keyed by source topic-partition.
#[derive(Clone, Debug, Default)]
pub struct SyncStore {
    partitions: HashMap<(String, i32), History>,
    /// Records that could not be decoded (skipped, counted for the log).
    pub undecodable: usize,
}

impl SyncStore {
    /// Adds one record of the topic, in log order.
    pub fn add_record(&mut self, key: Option<&[u8]>, value: Option<&[u8]>) {
        let decoded = key
            .ok_or_else(|| "no key".to_owned())
            .and_then(decode_key)
            .and_then(|k| Ok((k, decode_value(value.ok_or("no value")?)?)));
        match decoded {
            Ok((key, sync)) => self.partitions.entry(key).or_default().push(sync),
            Err(_) => self.undecodable += 1,
        }
    }

    /// The history of a source partition.
    pub fn history(&self, topic: &str, partition: i32) -> Option<&History> {
        self.partitions.get(&(topic.to_owned(), partition))
    }

    /// Number of partitions with syncs.
    pub fn len(&self) -> usize {
        self.partitions.len()
    }

    /// True if no sync was read.
    pub fn is_empty(&self) -> bool {
        self.partitions.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(upstream: i64, downstream: i64) -> OffsetSync {
        OffsetSync { upstream, downstream }
    }

    #[test]
    fn wire_format_round_trip_and_known_bytes() {
        let key = encode_key("t", 3);
        assert_eq!(key, [0, 1, b't', 0, 0, 0, 3]);
        assert_eq!(decode_key(&key).unwrap(), ("t".to_owned(), 3));
        let value = encode_value(s(9, 7));
        assert_eq!(value[7], 9);
        assert_eq!(value[15], 7);
        assert_eq!(decode_value(&value).unwrap(), s(9, 7));
        assert!(decode_key(&[0, 5, b'a']).is_err());
        assert!(decode_value(&[0; 8]).is_err());
    }

    #[test]
    fn translation_follows_mm2() {
        let mut h = History::default();
        assert_eq!(h.translate(5), Translation::NoSync);
        for (u, d) in [(10, 100), (20, 110), (30, 120)] {
            h.push(s(u, d));
        }
        assert_eq!(h.translate(5), Translation::TooOld);
        // At a sync: exact downstream; past it: downstream + 1.
        assert_eq!(h.translate(30), Translation::Offset { min: 120, max: 120 });
        assert_eq!(h.translate(45), Translation::Offset { min: 121, max: 121 });
        // Below the newest sync MM2's sparse history may answer with an older sync.
        assert_eq!(h.translate(25), Translation::Offset { min: 101, max: 111 });
        assert_eq!(h.translate(10), Translation::Offset { min: 100, max: 100 });
    }

    #[test]
    fn upstream_rewind_forgets_history() {
        let mut h = History::default();
        h.push(s(50, 50));
        h.push(s(5, 60));
        assert_eq!(h.len(), 1);
        assert_eq!(h.translate(7), Translation::Offset { min: 61, max: 61 });
    }

    #[test]
    fn store_groups_by_source_partition_and_skips_garbage() {
        let mut store = SyncStore::default();
        store.add_record(Some(&encode_key("a", 0)), Some(&encode_value(s(0, 0))));
        store.add_record(Some(&encode_key("a", 0)), Some(&encode_value(s(9, 9))));
        store.add_record(Some(b"x"), Some(&[1]));
        store.add_record(None, None);
        assert_eq!(store.undecodable, 2);
        assert_eq!(store.history("a", 0).unwrap().latest(), Some(s(9, 9)));
        assert_eq!(store.history("a", 0).unwrap().for_log_end(5), Some(s(0, 0)));
        assert!(store.history("a", 1).is_none());
    }
}
