//! Throughput from two snapshots, and the collection timestamp.

use std::collections::BTreeMap;

use crate::inventory::model::{Throughput, Topic};
use crate::kafka::wire::log_dirs::ReplicaSizes;

/// Records the produce rate of every partition: the first snapshot is what `topics` already
/// holds (latest offset, size), the second is `later` (log end offsets) and `later_sizes`
/// (replica sizes per broker), taken `seconds` after.
///
/// Bytes per second come from the size delta of the leader's replica when both sizes are known
/// and the log did not shrink (retention); otherwise they are estimated from the record rate and
/// the partition's average record size.
pub fn apply(
    topics: &mut [Topic],
    later: &BTreeMap<(String, i32), i64>,
    later_sizes: &BTreeMap<i32, ReplicaSizes>,
    seconds: f64,
) {
    if seconds <= 0.0 {
        return;
    }
    for topic in topics {
        for p in &mut topic.partitions {
            let key = (topic.name.clone(), p.partition);
            let (Some(before), Some(&after)) = (p.latest_offset, later.get(&key)) else {
                continue;
            };
            let records = (after - before).max(0) as f64;
            let size_after = p.leader.and_then(|l| later_sizes.get(&l)?.get(&key).copied());
            let bytes = match (p.size_bytes, size_after) {
                (Some(b), Some(a)) if a >= b => (a - b) as f64,
                _ => {
                    let held = p.earliest_offset.map(|e| before - e).unwrap_or(0);
                    match p.size_bytes {
                        Some(size) if held > 0 => records * size as f64 / held as f64,
                        _ => 0.0,
                    }
                }
            };
            p.throughput = Some(Throughput {
                messages_per_second: records / seconds,
                bytes_per_second: bytes / seconds,
            });
        }
    }
}

/// The current time as RFC 3339 in UTC, to the second.
pub fn rfc3339_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    rfc3339(secs)
}

fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::model::Partition;

    #[test]
    fn timestamps() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_795_000_000), "2026-11-18T11:06:40Z");
    }

    #[test]
    fn rates_from_offsets_and_sizes() {
        let mut topics = vec![Topic {
            name: "t".into(),
            partitions: vec![Partition {
                partition: 0,
                leader: Some(1),
                earliest_offset: Some(0),
                latest_offset: Some(100),
                size_bytes: Some(10_000),
                ..Partition::default()
            }],
            ..Topic::default()
        }];
        let later = BTreeMap::from([(("t".to_string(), 0), 150)]);
        let sizes = BTreeMap::from([(1, ReplicaSizes::from([(("t".to_string(), 0), 15_000)]))]);
        apply(&mut topics, &later, &sizes, 10.0);
        let t = topics[0].partitions[0].throughput.clone().unwrap();
        assert_eq!(t.messages_per_second, 5.0);
        assert_eq!(t.bytes_per_second, 500.0);
        // Without a second size the average record size is used.
        topics[0].partitions[0].throughput = None;
        apply(&mut topics, &later, &BTreeMap::new(), 10.0);
        assert_eq!(
            topics[0].partitions[0]
                .throughput
                .as_ref()
                .unwrap()
                .bytes_per_second,
            500.0
        );
    }
}
