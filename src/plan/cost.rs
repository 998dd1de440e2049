//! The cost model: what each topic costs per month on the destination as a classic topic
//! (replication factor 3) and as a diskless topic, and on the source today. The formulas are
//! documented one by one in `docs/cost.md`; the prices and parameters come from the settings'
//! `cost { … }` block ([`CostParameters`], defaults in [`CostParameters::default`]).
//!
//! Cheap by design: the per-topic inputs (bytes retained, consumer groups, the classic and
//! source figures) are computed in the planner's per-topic pass ([`topic_cost`]); only
//! the diskless PUT and GET shares need the total produce rate of the diskless topics, which
//! [`finish`] adds in one pass over the planned topics (not the inventory), with the ranking.
//!
//! A figure is never guessed: a topic whose produce rate was not sampled, whose size is not
//! known, or whose consumers cannot be counted gets `null` figures and the reason.
//!
//! Longer than most modules: each formula of `docs/cost.md` sits beside the hand-computed unit
//! test that checks it.

use std::collections::HashMap;

use crate::inventory::{ConsumerGroup, TopicSummary};

use super::model::{CostBreakdown, CostParameters, CostTotals, Decision, PlanCost, TopicCost, TopicPlan};
use super::settings::LatencySensitive;

/// Seconds in a billing month of 730 hours.
pub const SECONDS_PER_MONTH: f64 = 730.0 * 3600.0;
/// Bytes in a billed GB (2^30).
pub const GB: f64 = 1_073_741_824.0;
/// Replication factor of a classic topic on the destination.
pub const CLASSIC_REPLICATION: u32 = super::eligibility::CLASSIC_REPLICATION;

impl Default for CostParameters {
    /// AWS us-east-1 list prices and Inkless's default produce settings; see `docs/cost.md`
    /// for the source of each figure.
    fn default() -> Self {
        CostParameters {
            prices_source: DEFAULT_PRICES_SOURCE.into(),
            currency: "USD".into(),
            cross_zone_per_gb: 0.02,
            object_storage_per_gb_month: 0.023,
            put_per_1000: 0.005,
            get_per_1000: 0.0004,
            disk_per_gb_month: 0.08,
            disk_utilization: 0.5,
            zones: 3,
            brokers: 3,
            follower_fetching: false,
            zone_aware_clients: false,
            commit_interval_ms: 250,
            buffer_max_bytes: 8 * 1024 * 1024,
        }
    }
}

/// Where the default prices come from.
pub const DEFAULT_PRICES_SOURCE: &str = "AWS us-east-1 (N. Virginia) list prices as of 2025-01: \
     inter-AZ data transfer $0.01/GB each direction, S3 Standard $0.023/GB-month (first 50 TB), \
     S3 PUT $0.005 and GET $0.0004 per 1,000 requests, EBS gp3 $0.08/GB-month";

/// Rounds an amount to 1/100 of a cent, so plan.json shows figures a person can check.
pub fn round(amount: f64) -> f64 {
    (amount * 10_000.0).round() / 10_000.0
}

/// GB-months of `bytes_per_second` sustained for a month.
fn gb_per_month(bytes_per_second: f64) -> f64 {
    bytes_per_second * SECONDS_PER_MONTH / GB
}

/// The share of a client's traffic that crosses zones when clients and brokers are spread
/// evenly: (zones − 1) ÷ zones.
fn cross_share(p: &CostParameters) -> f64 {
    let z = f64::from(p.zones.max(1));
    (z - 1.0) / z
}

/// What a topic's figures are computed from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Inputs {
    /// Bytes per second produced.
    pub bytes_in: f64,
    /// Consumer groups reading the topic (bytes out = bytes in × groups).
    pub groups: u32,
    /// Bytes retained (one copy).
    pub retained: f64,
    /// Of those, the bytes on broker disk (the rest is in object storage, tiered).
    pub local: f64,
}

/// The monthly cost of a classic topic with replication factor `rf`.
///
/// Producers reach the leader across zones for (zones−1)/zones of the bytes in; each follower
/// in another zone receives the bytes in once (min(rf−1, zones−1) of them: replicas are
/// placed rack-aware); consumers fetch (zones−1)/zones of the bytes out across zones unless
/// they fetch from followers; the disk holds rf local copies at the target utilisation, and a
/// tiered topic's remote part is one copy in object storage.
pub fn classic(p: &CostParameters, rf: u32, i: &Inputs) -> CostBreakdown {
    let traffic = gb_per_month(i.bytes_in) * p.cross_zone_per_gb;
    let followers = rf.saturating_sub(1).min(p.zones.saturating_sub(1));
    let consume = if p.follower_fetching {
        0.0
    } else {
        traffic * f64::from(i.groups) * cross_share(p)
    };
    let utilization = if p.disk_utilization > 0.0 {
        p.disk_utilization
    } else {
        1.0
    };
    let local = i.local.min(i.retained);
    finish_breakdown(CostBreakdown {
        produce_cross_zone: traffic * cross_share(p),
        replication_cross_zone: traffic * f64::from(followers),
        consume_cross_zone: consume,
        disk: f64::from(rf) * local / utilization / GB * p.disk_per_gb_month,
        object_storage: (i.retained - local).max(0.0) / GB * p.object_storage_per_gb_month,
        ..CostBreakdown::default()
    })
}

/// Objects the destination's brokers upload per second for `bytes_in` bytes per second of
/// diskless produce traffic spread evenly over them: each broker uploads when its buffer is
/// full or the commit interval has passed, whichever comes first.
pub fn objects_per_second(p: &CostParameters, bytes_in: f64) -> f64 {
    if bytes_in <= 0.0 {
        return 0.0;
    }
    let brokers = f64::from(p.brokers.max(1));
    let by_time = 1000.0 / p.commit_interval_ms.max(1) as f64;
    let by_size = bytes_in / brokers / p.buffer_max_bytes.max(1) as f64;
    brokers * by_time.max(by_size)
}

/// The monthly cost of a diskless topic whose objects are shared with other topics:
/// `objects` uploaded per second in all, of which the topic's share is `share` (its bytes in
/// over all diskless bytes in).
///
/// No replication and no disk; one copy in object storage; a PUT per object (shared by bytes);
/// each object read once per zone when the topic has consumers (GETs shared the same way);
/// clients that send their zone are served in their zone, other clients cross zones as they
/// do for a classic topic.
pub fn diskless(p: &CostParameters, i: &Inputs, objects: f64, share: f64) -> CostBreakdown {
    let traffic = gb_per_month(i.bytes_in) * p.cross_zone_per_gb;
    let (produce, consume) = if p.zone_aware_clients {
        (0.0, 0.0)
    } else {
        let consume = if p.follower_fetching {
            0.0
        } else {
            traffic * f64::from(i.groups) * cross_share(p)
        };
        (traffic * cross_share(p), consume)
    };
    let puts = objects * share * SECONDS_PER_MONTH;
    let gets = if i.groups > 0 {
        puts * f64::from(p.zones.max(1))
    } else {
        0.0
    };
    finish_breakdown(CostBreakdown {
        produce_cross_zone: produce,
        consume_cross_zone: consume,
        object_storage: i.retained / GB * p.object_storage_per_gb_month,
        put_requests: puts / 1000.0 * p.put_per_1000,
        get_requests: gets / 1000.0 * p.get_per_1000,
        ..CostBreakdown::default()
    })
}

/// Rounds every component and sets the total to their sum.
fn finish_breakdown(mut b: CostBreakdown) -> CostBreakdown {
    for c in [
        &mut b.produce_cross_zone,
        &mut b.replication_cross_zone,
        &mut b.consume_cross_zone,
        &mut b.disk,
        &mut b.object_storage,
        &mut b.put_requests,
        &mut b.get_requests,
    ] {
        *c = round(*c);
    }
    b.total = round(
        b.produce_cross_zone
            + b.replication_cross_zone
            + b.consume_cross_zone
            + b.disk
            + b.object_storage
            + b.put_requests
            + b.get_requests,
    );
    b
}

/// Consumer groups per topic: groups with a committed offset on it. When a group's offsets
/// were not read, no topic's count is known.
#[derive(Debug, Default)]
pub struct GroupCounts<'a> {
    by_topic: HashMap<&'a str, u32>,
    unknown: Option<String>,
}

impl<'a> GroupCounts<'a> {
    /// Counts, for each topic, the groups with offsets on it.
    pub fn of(groups: &'a [ConsumerGroup]) -> GroupCounts<'a> {
        let mut counts = GroupCounts::default();
        let mut unread = Vec::new();
        for g in groups {
            let Some(offsets) = &g.offsets else {
                unread.push(g.id.as_str());
                continue;
            };
            let mut last: Option<&str> = None;
            let mut topics: Vec<&str> = offsets.iter().map(|o| o.topic.as_str()).collect();
            topics.sort_unstable();
            for t in topics {
                if last != Some(t) {
                    *counts.by_topic.entry(t).or_default() += 1;
                    last = Some(t);
                }
            }
        }
        if let Some(first) = unread.first() {
            let more = match unread.len() - 1 {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            counts.unknown = Some(format!(
                "the committed offsets of consumer group `{first}`{more} were not read, so the \
                 consumers of each topic (bytes out) are unknown; run `discover` again with access \
                 to the groups (Describe on GROUP)"
            ));
        }
        counts
    }

    /// The groups reading `topic`, or why that is unknown.
    pub fn of_topic(&self, topic: &str) -> Result<u32, &str> {
        match &self.unknown {
            Some(reason) => Err(reason),
            None => Ok(self.by_topic.get(topic).copied().unwrap_or(0)),
        }
    }
}

/// A topic's retained bytes and, for a topic tiered on the source, the part kept on local disk.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Storage {
    /// Bytes retained (one copy).
    pub retained: f64,
    /// The local part when the source topic uses tiered storage.
    pub tiered_local: Option<f64>,
}

/// A config value as a whole number, when present and valid.
fn config_i64(topic: &TopicSummary, name: &str) -> Option<i64> {
    topic.config(name).and_then(|v| v.trim().parse().ok())
}

/// What the topic retains. A topic not tiered on the source keeps everything on the brokers,
/// so its size there is what it retains. A tiered topic's size on the brokers is only its
/// local part, so what it retains is estimated from its retention: bytes in × retention.ms,
/// at most retention.bytes per partition; the local part likewise from the local retention.
pub fn storage(topic: &TopicSummary, bytes_in: f64) -> Result<Storage, String> {
    let tiered = topic.config("remote.storage.enable") == Some("true");
    if !tiered {
        return match topic.partitions.size_bytes {
            Some(size) => Ok(Storage {
                retained: size as f64,
                tiered_local: None,
            }),
            None => Err("the size of the topic on the source is unknown (size_bytes)".into()),
        };
    }
    if topic.configs.is_none() {
        return Err("the topic's configs are unknown, so its retention is unknown".into());
    }
    let partitions = f64::from(topic.partitions.count);
    let cap = |bytes: Option<i64>, ms: Option<i64>| -> Option<f64> {
        let by_bytes = bytes.filter(|b| *b >= 0).map(|b| b as f64 * partitions);
        let by_time = ms.filter(|m| *m >= 0).map(|m| bytes_in * m as f64 / 1000.0);
        match (by_bytes, by_time) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    };
    let Some(retained) = cap(
        config_i64(topic, "retention.bytes"),
        config_i64(topic, "retention.ms"),
    ) else {
        return Err(
            "the topic uses tiered storage with unlimited retention: its remote part is not in the \
             inventory, so what it retains is unknown"
                .into(),
        );
    };
    // Never less than what the brokers hold now.
    let retained = retained.max(topic.partitions.size_bytes.unwrap_or(0) as f64);
    let local = cap(
        config_i64(topic, "local.retention.bytes"),
        config_i64(topic, "local.retention.ms"),
    )
    .map_or(retained, |l| l.min(retained));
    Ok(Storage {
        retained,
        tiered_local: Some(local),
    })
}

/// A topic's cost record from the per-topic pass: its inputs and its classic and source
/// figures ([`finish`] adds the rest).
pub fn topic_cost(
    topic: &TopicSummary,
    groups: &GroupCounts<'_>,
    p: &CostParameters,
    destination_tiered: bool,
) -> TopicCost {
    let mut cost = TopicCost::default();
    let counted = groups.of_topic(&topic.name);
    cost.consumer_groups = counted.ok();
    let bytes_in = topic.partitions.bytes_per_second;
    cost.bytes_out_per_second = bytes_in.zip(cost.consumer_groups).map(|(b, g)| b * f64::from(g));
    let storage = match bytes_in {
        Some(b) => storage(topic, b),
        // A tiered topic's retention needs the rate; an untiered one only its size.
        None => storage(topic, 0.0).and_then(|s| match s.tiered_local {
            None => Ok(s),
            Some(_) => Err(String::new()),
        }),
    };
    if let Ok(s) = &storage {
        cost.retained_bytes = Some(s.retained);
        cost.local_bytes = s
            .tiered_local
            .filter(|local| destination_tiered && *local < s.retained);
    }
    let unknown = if bytes_in.is_none() {
        Some(NOT_SAMPLED.to_owned())
    } else if let Err(reason) = counted {
        Some(reason.to_owned())
    } else {
        storage.as_ref().err().cloned()
    };
    match (unknown, bytes_in, cost.consumer_groups, storage) {
        (None, Some(bytes_in), Some(groups), Ok(s)) => {
            let dest = Inputs {
                bytes_in,
                groups,
                retained: s.retained,
                local: cost.local_bytes.unwrap_or(s.retained),
            };
            cost.classic = Some(classic(p, CLASSIC_REPLICATION, &dest));
            match topic.partitions.replication_factor {
                Some(rf) => {
                    let here = Inputs {
                        local: s.tiered_local.unwrap_or(s.retained),
                        ..dest
                    };
                    cost.source_total = Some(classic(p, rf, &here).total);
                }
                None => {
                    cost.source_unknown = Some(
                        "the source's replication factor is unknown (partitions list no replicas, \
                             or different numbers of them)"
                            .into(),
                    );
                }
            }
        }
        (reason, ..) => {
            cost.unknown = Some(reason.unwrap_or_else(|| "inputs unknown".into()));
        }
    }
    cost
}

/// The reason of a topic whose produce rate was not sampled.
pub const NOT_SAMPLED: &str = "the produce rate was not sampled (bytes_per_second unknown); run \
     `discover --sample SECONDS` to measure it";

/// Adds the diskless figures, savings, ranks and the plan's totals, in one pass over the
/// planned topics (sorted by name, so the result does not depend on the order of work).
pub fn finish(topics: &mut [TopicPlan], p: &CostParameters, latency: &[LatencySensitive]) -> PlanCost {
    let known = |t: &TopicPlan| t.cost.as_ref().is_some_and(|c| c.classic.is_some());
    let diskless_in: f64 = topics
        .iter()
        .filter(|t| t.decision == Decision::Diskless && known(t))
        .filter_map(|t| t.bytes_per_second)
        .sum();
    let objects = objects_per_second(p, diskless_in);
    let mut totals = CostTotals::default();
    let mut source_total = Some(0.0);
    let mut ranked: Vec<(f64, usize)> = Vec::new();
    for (index, t) in topics.iter_mut().enumerate() {
        let Some(cost) = t.cost.as_mut() else {
            continue;
        };
        let (Some(bytes_in), Some(groups), Some(retained), Some(classic_cost)) = (
            t.bytes_per_second,
            cost.consumer_groups,
            cost.retained_bytes,
            cost.classic.clone(),
        ) else {
            totals.topics_unknown += 1;
            continue;
        };
        let inputs = Inputs {
            bytes_in,
            groups,
            retained,
            local: retained,
        };
        // A topic planned classic is priced as if it joined the diskless ones.
        let (all_in, all_objects) = if t.decision == Decision::Diskless {
            (diskless_in, objects)
        } else {
            let all_in = diskless_in + bytes_in;
            (all_in, objects_per_second(p, all_in))
        };
        let share = if all_in > 0.0 { bytes_in / all_in } else { 0.0 };
        let diskless_cost = diskless(p, &inputs, all_objects, share);
        cost.saving = Some(round(classic_cost.total - diskless_cost.total));
        totals.topics_known += 1;
        totals.all_classic += classic_cost.total;
        totals.as_planned += if t.decision == Decision::Diskless {
            diskless_cost.total
        } else {
            classic_cost.total
        };
        source_total = source_total.zip(cost.source_total).map(|(s, c)| s + c);
        cost.diskless = Some(diskless_cost);
        if t.decision != Decision::Diskless {
            cost.not_ranked = Some("planned classic".into());
        } else if let Some(l) = latency.iter().find(|l| l.matches(&t.name)) {
            cost.not_ranked = Some(format!(
                "latency-sensitive (settings latency_sensitive `{}`: {})",
                l.pattern, l.reason
            ));
        } else {
            ranked.push((cost.saving.unwrap_or(0.0), index));
        }
    }
    // Largest saving first; topics are sorted by name, so equal savings keep name order.
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (rank, (_, index)) in ranked.into_iter().enumerate() {
        if let Some(c) = topics[index].cost.as_mut() {
            c.rank = Some(u32::try_from(rank + 1).unwrap_or(u32::MAX));
        }
    }
    totals.all_classic = round(totals.all_classic);
    totals.as_planned = round(totals.as_planned);
    totals.saving = round(totals.all_classic - totals.as_planned);
    totals.source = source_total.filter(|_| totals.topics_known > 0).map(round);
    let not_sampled = topics
        .iter()
        .filter(|t| t.cost.as_ref().and_then(|c| c.unknown.as_deref()) == Some(NOT_SAMPLED))
        .count();
    let hint = match (totals.topics_unknown, not_sampled) {
        (0, _) => None,
        (n, 0) => Some(format!(
            "the cost of {n} topic(s) is unknown; each topic's cost.unknown in plan.json says why"
        )),
        (n, s) => Some(format!(
            "the cost of {n} topic(s) is unknown, {s} of them because their produce rate was not \
             sampled: run `discover --sample SECONDS` and plan again"
        )),
    };
    PlanCost {
        assumptions: assumptions(p),
        parameters: p.clone(),
        diskless_bytes_per_second: diskless_in,
        objects_per_second: objects,
        totals,
        hint,
    }
}

/// `suggested_topics.txt` for `plan --suggest N`: the first `n` ranked topics (diskless, saving
/// known, not latency-sensitive; `keep_classic` topics are classic so never ranked), largest
/// saving first, in the topic-list format `plan --topics` reads (`#` comments).
pub fn suggested_topics(plan: &super::model::Plan, n: usize) -> (String, usize) {
    let mut ranked: Vec<(u32, &str, f64)> = plan
        .topics
        .iter()
        .filter_map(|t| {
            let c = t.cost.as_ref()?;
            Some((c.rank?, t.name.as_str(), c.saving?))
        })
        .collect();
    ranked.sort_by_key(|(rank, ..)| *rank);
    let currency = plan
        .cost
        .as_ref()
        .map_or("USD", |c| c.parameters.currency.as_str());
    let shown = ranked.len().min(n);
    let mut out = format!(
        "# {shown} topic(s) suggested for diskless, largest monthly saving first (plan.json cost.rank).\n\
         # Left out: topics planned classic (keep_classic and the other rules), latency_sensitive\n\
         # topics of the settings, and topics whose cost is unknown.\n"
    );
    for (_, name, saving) in ranked.into_iter().take(n) {
        out.push_str(&format!(
            "{name} # saves {} {currency}/month\n",
            super::summary::money(saving)
        ));
    }
    (out, shown)
}

/// The assumptions of the figures, in words, for the summary and the report.
pub fn assumptions(p: &CostParameters) -> Vec<String> {
    let c = &p.currency;
    vec![
        format!("Prices: {}.", p.prices_source),
        format!(
            "Cross-zone traffic costs {c} {} per GB (both directions counted); a GB is 2^30 bytes \
             and a month 730 hours.",
            p.cross_zone_per_gb
        ),
        format!(
            "{} zones: (zones−1)/zones of client traffic crosses zones, and a classic topic's 2 \
             followers are in other zones.",
            p.zones
        ),
        format!(
            "Bytes in are the source's sampled produce rate; bytes out are bytes in × the consumer \
             groups with committed offsets on the topic."
        ),
        format!(
            "Classic topics: replication factor 3, broker disk {c} {} per GB-month provisioned at \
             {}% utilisation; follower fetching {}.",
            p.disk_per_gb_month,
            p.disk_utilization * 100.0,
            if p.follower_fetching { "on" } else { "off" }
        ),
        format!(
            "Diskless topics: object storage {c} {} per GB-month, PUT {c} {} and GET {c} {} per \
             1,000; {} brokers each upload an object every {} ms or {} ({} bytes), whichever \
             comes first, shared over topics by bytes in; each object is read once per zone.",
            p.object_storage_per_gb_month,
            p.put_per_1000,
            p.get_per_1000,
            p.brokers,
            p.commit_interval_ms,
            super::summary::bytes(p.buffer_max_bytes),
            p.buffer_max_bytes
        ),
        if p.zone_aware_clients {
            "Diskless clients send their zone (diskless_az in client.id): no cross-zone client traffic."
                .to_owned()
        } else {
            "Diskless clients do not send their zone: their cross-zone traffic is that of a classic topic."
                .to_owned()
        },
        "Retained bytes are the topic's size on the source; for a topic tiered on the source, bytes \
         in × retention (its remote part is not in the inventory)."
            .to_owned(),
        "The source today: the classic formulas with the source's replication factor and tiering, \
         at these prices and zones."
            .to_owned(),
        "Diskless produce acknowledgements typically take a few hundred milliseconds (objects are \
         closed every commit interval, then uploaded and committed; Inkless performance guide): \
         latency_sensitive topics of the settings are not ranked."
            .to_owned(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p() -> CostParameters {
        CostParameters::default()
    }

    const MIB: f64 = 1024.0 * 1024.0;

    /// 1.5 MiB/s for a month is 1.5 × 2,628,000 ÷ 1,024 = 3,849.609375 GB.
    #[test]
    fn classic_by_hand() {
        let i = Inputs {
            bytes_in: 1.5 * MIB,
            groups: 1,
            retained: 12.0 * GB,
            local: 12.0 * GB,
        };
        let c = classic(&p(), 3, &i);
        // 3,849.609375 GB × 2/3 × 0.02
        assert_eq!(c.produce_cross_zone, 51.3281);
        // 3,849.609375 GB × 2 followers × 0.02
        assert_eq!(c.replication_cross_zone, 153.9844);
        // one group: as produce
        assert_eq!(c.consume_cross_zone, 51.3281);
        // 3 copies × 12 GB ÷ 0.5 × 0.08
        assert_eq!(c.disk, 5.76);
        assert_eq!(c.object_storage, 0.0);
        assert_eq!(c.total, 262.4006);
        let fetching = CostParameters {
            follower_fetching: true,
            ..p()
        };
        assert_eq!(classic(&fetching, 3, &i).consume_cross_zone, 0.0);
    }

    #[test]
    fn diskless_by_hand() {
        let i = Inputs {
            bytes_in: 1.5 * MIB,
            groups: 2,
            retained: 12.0 * GB,
            local: 12.0 * GB,
        };
        // 3 MiB/s over 3 brokers stays under 8 MiB per 250 ms: 3 × 4 = 12 objects/s.
        let objects = objects_per_second(&p(), 3.0 * MIB);
        assert_eq!(objects, 12.0);
        let d = diskless(&p(), &i, objects, 0.5);
        assert_eq!(d.produce_cross_zone, 51.3281);
        assert_eq!(d.replication_cross_zone, 0.0);
        // two groups: twice the produce share
        assert_eq!(d.consume_cross_zone, 102.6563);
        assert_eq!(d.disk, 0.0);
        // 12 GB × 0.023
        assert_eq!(d.object_storage, 0.276);
        // 6 objects/s × 2,628,000 s = 15,768,000 PUTs × 0.005 / 1,000
        assert_eq!(d.put_requests, 78.84);
        // read once in each of 3 zones: 47,304,000 GETs × 0.0004 / 1,000
        assert_eq!(d.get_requests, 18.9216);
        assert_eq!(d.total, 252.022);
        let aware = CostParameters {
            zone_aware_clients: true,
            ..p()
        };
        assert_eq!(diskless(&aware, &i, objects, 0.5).cross_zone(), 0.0);
        // Past 8 MiB per broker per 250 ms, the buffer size sets the pace: 960 MiB/s over
        // 3 brokers is 40 objects per broker per second.
        assert_eq!(objects_per_second(&p(), 960.0 * MIB), 120.0);
    }

    fn summary(configs: &[(&str, &str)], size: Option<u64>, rate: Option<f64>) -> TopicSummary {
        TopicSummary {
            name: "t".into(),
            partitions: crate::inventory::PartitionTotals {
                count: 4,
                size_bytes: size,
                bytes_per_second: rate,
                replication_factor: Some(3),
            },
            configs: Some(
                configs
                    .iter()
                    .map(|(n, v)| crate::inventory::ConfigEntry {
                        name: (*n).into(),
                        value: Some((*v).into()),
                        source: crate::inventory::ConfigSource::DynamicTopic,
                        sensitive: false,
                    })
                    .collect(),
            ),
            ..TopicSummary::default()
        }
    }

    #[test]
    fn tiered_by_hand() {
        // 1 MiB/s kept 10 days, of which 1 day locally.
        let t = summary(
            &[
                ("remote.storage.enable", "true"),
                ("retention.ms", "864000000"),
                ("local.retention.ms", "86400000"),
            ],
            Some(50 * GB as u64),
            Some(MIB),
        );
        let s = storage(&t, MIB).unwrap();
        // 1 MiB × 864,000 s = 843.75 GB retained, 84.375 GB local
        assert_eq!(s.retained / GB, 843.75);
        assert_eq!(s.tiered_local.unwrap() / GB, 84.375);
        let cost = topic_cost(&t, &GroupCounts::default(), &p(), true);
        let c = cost.classic.unwrap();
        // 3 × 84.375 ÷ 0.5 × 0.08 on disk, (843.75 − 84.375) × 0.023 in object storage
        assert_eq!(c.disk, 40.5);
        assert_eq!(c.object_storage, 17.4656);
        // Without tiered storage on the destination, everything is on disk: 3 × 843.75 ÷ 0.5 × 0.08.
        let flat = topic_cost(&t, &GroupCounts::default(), &p(), false);
        assert_eq!(flat.classic.unwrap().disk, 405.0);
        assert_eq!(flat.local_bytes, None, "everything is local");
        assert_eq!(cost.local_bytes, Some(84.375 * GB));
        // Unlimited retention: the remote part is unknown.
        let unlimited = summary(
            &[("remote.storage.enable", "true"), ("retention.ms", "-1")],
            Some(1),
            Some(MIB),
        );
        assert!(
            storage(&unlimited, MIB)
                .unwrap_err()
                .contains("unlimited retention")
        );
    }

    #[test]
    fn unknown_rate_is_unknown_not_zero() {
        let t = summary(&[], Some(1000), None);
        let cost = topic_cost(&t, &GroupCounts::default(), &p(), true);
        assert_eq!(cost.classic, None);
        assert_eq!(cost.source_total, None);
        assert_eq!(cost.unknown.as_deref(), Some(NOT_SAMPLED));
        assert!(NOT_SAMPLED.contains("discover --sample"));
        assert_eq!(cost.retained_bytes, Some(1000.0));
        let mut plans = vec![TopicPlan {
            name: "t".into(),
            cost: Some(cost),
            ..TopicPlan::default()
        }];
        let total = finish(&mut plans, &p(), &[]);
        assert_eq!(total.totals.topics_unknown, 1);
        assert_eq!(plans[0].cost.as_ref().unwrap().diskless, None);
        assert!(total.hint.unwrap().contains("discover --sample"));
    }

    #[test]
    fn unread_group_offsets_make_consumers_unknown() {
        let groups = vec![
            ConsumerGroup {
                id: "a".into(),
                offsets: Some(vec![]),
                ..ConsumerGroup::default()
            },
            ConsumerGroup {
                id: "b".into(),
                offsets: None,
                ..ConsumerGroup::default()
            },
        ];
        let counts = GroupCounts::of(&groups);
        assert!(counts.of_topic("t").unwrap_err().contains("`b`"));
        let cost = topic_cost(&summary(&[], Some(1), Some(1.0)), &counts, &p(), true);
        assert_eq!(cost.classic, None);
        assert!(cost.unknown.unwrap().contains("consumer group `b`"));
    }

    proptest! {
        /// Whatever the traffic, prices and switches, a diskless topic never pays more for
        /// cross-zone traffic than the same topic as classic.
        #[test]
        fn diskless_never_crosses_zones_more_than_classic(
            bytes_in in 0.0f64..1e10,
            groups in 0u32..50,
            retained in 0.0f64..1e15,
            zones in 1u32..6,
            price in 0.0f64..1.0,
            follower_fetching: bool,
            zone_aware_clients: bool,
            share in 0.0f64..=1.0,
        ) {
            let p = CostParameters {
                zones,
                cross_zone_per_gb: price,
                follower_fetching,
                zone_aware_clients,
                ..CostParameters::default()
            };
            let i = Inputs { bytes_in, groups, retained, local: retained };
            let c = classic(&p, 3, &i);
            let d = diskless(&p, &i, objects_per_second(&p, bytes_in), share);
            // Each component is rounded to 1/10,000; the sums compare within that.
            prop_assert!(d.cross_zone() <= c.cross_zone() + 1e-4 * 3.0, "{d:?} vs {c:?}");
        }
    }
}
