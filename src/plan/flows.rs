//! Splitting migrated topics into MirrorMaker 2 replication flows, and sizing them.
//!
//! Aiven allows one replication flow per pair of cluster aliases, so each flow gets its own
//! source alias (and external endpoint). Topics are balanced over the flows with a
//! deterministic greedy LPT: heaviest topic first (ties by name) into the least-loaded flow
//! (ties by lowest flow number). The weight is the measured bytes per second when every topic
//! was sampled, else the size in bytes when every size is known, else the partition count.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// What flows are balanced by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BalanceBy {
    /// Measured bytes per second.
    BytesPerSecond,
    /// Size on the source in bytes.
    SizeBytes,
    /// Partition count.
    Partitions,
}

impl BalanceBy {
    /// The name recorded in `plan.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            BalanceBy::BytesPerSecond => "bytes_per_second",
            BalanceBy::SizeBytes => "size_bytes",
            BalanceBy::Partitions => "partitions",
        }
    }
}

/// A topic to place in a flow.
#[derive(Clone, Debug, PartialEq)]
pub struct Load<'a> {
    /// Topic name.
    pub name: &'a str,
    /// Partition count.
    pub partitions: u32,
    /// Size in bytes, when known.
    pub size_bytes: Option<u64>,
    /// Measured bytes per second, when sampled.
    pub bytes_per_second: Option<f64>,
}

/// Picks the best measure every topic has.
pub fn balance_by(loads: &[Load<'_>]) -> BalanceBy {
    if !loads.is_empty() && loads.iter().all(|l| l.bytes_per_second.is_some()) {
        BalanceBy::BytesPerSecond
    } else if !loads.is_empty() && loads.iter().all(|l| l.size_bytes.is_some()) {
        BalanceBy::SizeBytes
    } else {
        BalanceBy::Partitions
    }
}

/// The integer weight of a topic under `by` (bytes per second rounded up).
pub fn weight(load: &Load<'_>, by: BalanceBy) -> u64 {
    match by {
        BalanceBy::BytesPerSecond => load.bytes_per_second.unwrap_or(0.0).max(0.0).ceil() as u64,
        BalanceBy::SizeBytes => load.size_bytes.unwrap_or(0),
        BalanceBy::Partitions => u64::from(load.partitions),
    }
}

/// Assigns each load to one of `flows` bins with greedy LPT. Returns, per bin, the indices
/// into `loads`, in placement order. Deterministic for the same input.
pub fn assign(loads: &[Load<'_>], by: BalanceBy, flows: usize) -> Vec<Vec<usize>> {
    let flows = flows.max(1);
    let mut order: Vec<(u64, usize)> = loads
        .iter()
        .enumerate()
        .map(|(i, l)| (weight(l, by), i))
        .collect();
    order.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| loads[a.1].name.cmp(loads[b.1].name)));
    let mut bins = vec![Vec::new(); flows];
    // Min-heap on (load, partitions as a tie-break that spreads zero-weight topics, flow number).
    let mut heap: BinaryHeap<Reverse<(u64, u64, usize)>> = (0..flows).map(|f| Reverse((0, 0, f))).collect();
    for (w, i) in order {
        let Some(Reverse((load, parts, f))) = heap.pop() else {
            break;
        };
        bins[f].push(i);
        // Saturating: only the order of the loads matters here.
        heap.push(Reverse((
            load.saturating_add(w),
            parts.saturating_add(u64::from(loads[i].partitions)),
            f,
        )));
    }
    bins
}

/// How many flows to use: enough to respect the per-flow limits, at most `max_flows` and at
/// most one per topic. Also returns how many the limits asked for.
pub fn flow_count(
    loads: &[Load<'_>],
    max_flows: u32,
    max_bytes_per_second: Option<u64>,
    max_partitions: Option<u32>,
) -> (usize, usize) {
    let mut wanted = 1usize;
    if let Some(limit) = max_bytes_per_second {
        let total: f64 = loads.iter().filter_map(|l| l.bytes_per_second).sum();
        wanted = wanted.max((total / limit as f64).ceil() as usize);
    }
    if let Some(limit) = max_partitions {
        let total: u64 = loads.iter().map(|l| u64::from(l.partitions)).sum();
        wanted = wanted.max(total.div_ceil(u64::from(limit)) as usize);
    }
    let count = wanted.min(max_flows.max(1) as usize).min(loads.len().max(1));
    (count, wanted)
}

/// The topic name an exact, anchored regex such as [`topic_regex`] writes matches, or `None`
/// when `regex` is anything else (a wildcard, a class, an alternation…). Letters, digits, `_`
/// and `-` stand for themselves; any other character must be escaped with a backslash.
pub fn literal_of_regex(regex: &str) -> Option<String> {
    let body = regex.strip_prefix('^')?.strip_suffix('$')?;
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e) if !e.is_ascii_alphanumeric() && e.is_ascii_graphic() => out.push(e),
                _ => return None,
            },
            c if c.is_ascii_alphanumeric() || c == '_' || c == '-' => out.push(c),
            _ => return None,
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The exact, anchored Java regex matching only `topic`.
///
/// Topic names are ASCII letters, digits, `.`, `_` and `-`; only `.` is a metacharacter among
/// them. Other characters are escaped too, defensively. Never contains a comma.
pub fn topic_regex(topic: &str) -> String {
    let mut out = String::with_capacity(topic.len() + 4);
    out.push('^');
    for c in topic.chars() {
        if !(c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('$');
    out
}

/// Zero-padded names: `flow-01`, `source-01`, … (at least two digits, more for > 99 flows).
pub fn numbered(prefix: &str, index: usize, count: usize) -> String {
    let width = count.to_string().len().max(2);
    format!("{prefix}-{:0width$}", index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loads(names: &[String], weights: &[u64]) -> Vec<Load<'static>> {
        names
            .iter()
            .zip(weights)
            .map(|(n, w)| Load {
                name: Box::leak(n.clone().into_boxed_str()),
                partitions: 1,
                size_bytes: Some(*w),
                bytes_per_second: None,
            })
            .collect()
    }

    #[test]
    fn lpt_is_deterministic_and_places_each_topic_once() {
        let names: Vec<String> = (0..50).map(|i| format!("t{i:02}")).collect();
        let weights: Vec<u64> = (0..50).map(|i| (i * 7919 % 101) as u64).collect();
        let l = loads(&names, &weights);
        let a = assign(&l, BalanceBy::SizeBytes, 4);
        assert_eq!(a, assign(&l, BalanceBy::SizeBytes, 4));
        let mut all: Vec<usize> = a.concat();
        all.sort_unstable();
        assert_eq!(all, (0..50).collect::<Vec<_>>());
    }

    #[test]
    fn lpt_ties_go_by_name_then_lowest_flow() {
        let names: Vec<String> = ["b", "a", "c", "d"].iter().map(|s| s.to_string()).collect();
        let l = loads(&names, &[5, 5, 5, 5]);
        let a = assign(&l, BalanceBy::SizeBytes, 2);
        // Order: a, b, c, d; a → flow 0, b → flow 1, c → flow 0, d → flow 1.
        assert_eq!(a, vec![vec![1, 2], vec![0, 3]]);
    }

    #[test]
    fn skewed_thousand_topics_are_balanced() {
        // Zipf-like sizes: a few huge topics, a long tail.
        let names: Vec<String> = (0..1000).map(|i| format!("topic-{i:04}")).collect();
        let weights: Vec<u64> = (0..1000u64)
            .map(|i| 10_000_000_000 / (i + 1) + (i * 2_654_435_761 % 1_000_003))
            .collect();
        let l = loads(&names, &weights);
        for flows in [2usize, 3, 4, 8, 16] {
            let bins = assign(&l, BalanceBy::SizeBytes, flows);
            let sums: Vec<u64> = bins.iter().map(|b| b.iter().map(|&i| weights[i]).sum()).collect();
            let mean = sums.iter().sum::<u64>() as f64 / flows as f64;
            let largest_topic = *weights.iter().max().unwrap() as f64;
            let bound = (1.25 * mean).max(largest_topic);
            let max = *sums.iter().max().unwrap() as f64;
            assert!(
                max <= bound,
                "{flows} flows: max {max} > bound {bound} ({sums:?})"
            );
        }
    }

    #[test]
    fn flow_count_respects_limits() {
        let names: Vec<String> = (0..10).map(|i| format!("t{i}")).collect();
        let mut l = loads(&names, &[1; 10]);
        for x in &mut l {
            x.partitions = 10;
        }
        assert_eq!(flow_count(&l, 8, None, Some(25)), (4, 4));
        assert_eq!(flow_count(&l, 2, None, Some(25)), (2, 4));
        assert_eq!(flow_count(&l, 8, None, None), (1, 1));
        assert_eq!(flow_count(&l[..1], 8, None, Some(1)), (1, 10));
    }

    #[test]
    fn regexes_are_exact() {
        assert_eq!(topic_regex("payments.v2_events"), r"^payments\.v2_events$");
        assert_eq!(topic_regex("search.index-requests"), r"^search\.index-requests$");
        assert!(!topic_regex("a.b").contains(','));
        for topic in ["payments.v2_events", "a-b", "x"] {
            assert_eq!(literal_of_regex(&topic_regex(topic)).as_deref(), Some(topic));
        }
        assert_eq!(literal_of_regex(r"^a\-b\.c$").as_deref(), Some("a-b.c"));
        for not_exact in [".*", "^a.b$", "^a$|^b$", "a", "^a", r"^a\d$", "^$", r"^a\$"] {
            assert_eq!(literal_of_regex(not_exact), None, "{not_exact}");
        }
        assert_eq!(numbered("flow", 0, 3), "flow-01");
        assert_eq!(numbered("source", 99, 120), "source-100");
        assert_eq!(numbered("source", 0, 120), "source-001");
    }
}
