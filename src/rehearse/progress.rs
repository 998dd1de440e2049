//! Copy progress: the end offsets of every planned partition on the source and on the stand-in
//! destination, and when the copy has caught up. The rehearsal's gate needs it on top of the
//! group rows: with no consumer group (or before MirrorMaker 2 has started) the rows alone are
//! vacuously OK.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::inspect::mm2_config::Mm2Config;
use crate::kafka::admin::{Admin, OffsetSpec};
use crate::plan::Plan;

use super::destination::TopicSpec;
use super::report::TopicRecords;

/// A partition: topic and number.
pub type Partition = (String, i32);

/// End offsets of partitions (those that could be read).
pub type Ends = BTreeMap<Partition, i64>;

/// Reads end offsets on the sources (one admin per flow's source alias) and the destination.
pub struct EndOffsets {
    sources: Vec<(Admin, Vec<Partition>)>,
    all: Vec<Partition>,
}

impl EndOffsets {
    /// Admin connections for the planned topics' sources, from the MirrorMaker 2 settings.
    /// A source that cannot be connected to is left out (its topics show no source offsets).
    pub fn new(plan: &Plan, config: &Mm2Config, specs: &[TopicSpec], timeout: Duration) -> EndOffsets {
        let partitions = |spec: &TopicSpec| {
            (0..spec.partitions)
                .map(|p| (spec.name.clone(), p))
                .collect::<Vec<_>>()
        };
        let mut sources = Vec::new();
        for flow in &plan.flows {
            let Some(settings) = config.admin.get(&flow.source_alias) else {
                continue;
            };
            let Ok(admin) = Admin::new(settings, timeout) else {
                continue;
            };
            let list: Vec<Partition> = specs
                .iter()
                .filter(|s| {
                    plan.topics
                        .iter()
                        .any(|t| t.name == s.name && t.flow.as_deref() == Some(flow.name.as_str()))
                })
                .flat_map(partitions)
                .collect();
            sources.push((admin, list));
        }
        EndOffsets {
            sources,
            all: specs.iter().flat_map(partitions).collect(),
        }
    }

    /// End offsets on the sources.
    pub fn source(&self) -> Ends {
        let mut out = Ends::new();
        for (admin, list) in &self.sources {
            out.extend(read(admin, list));
        }
        out
    }

    /// End offsets on the destination.
    pub fn destination(&self, admin: &Admin) -> Ends {
        read(admin, &self.all)
    }
}

fn read(admin: &Admin, list: &[Partition]) -> Ends {
    match admin.list_offsets(list, OffsetSpec::Latest) {
        Ok(results) => results
            .into_iter()
            .filter_map(|(tp, r)| r.ok().map(|o| (tp, o)))
            .collect(),
        Err(_) => Ends::new(),
    }
}

/// Tracks whether the copy has caught up. A partition has when the destination's end offset
/// reaches the source's, or when it holds records and has not moved for `settle`: the rest of
/// the source's offsets are then transaction markers, which MirrorMaker 2 does not copy.
pub struct CatchUp {
    settle: Duration,
    last: BTreeMap<Partition, (i64, Instant)>,
}

impl CatchUp {
    /// A tracker that trusts a partition that stood still for `settle`.
    pub fn new(settle: Duration) -> CatchUp {
        CatchUp {
            settle,
            last: BTreeMap::new(),
        }
    }

    /// Records one observation; returns the partitions still behind (at most a few, sorted),
    /// and how many there are.
    pub fn behind(&mut self, source: &Ends, destination: &Ends) -> (usize, Vec<String>) {
        let now = Instant::now();
        let mut behind = Vec::new();
        for (tp, &src) in source {
            let dst = destination.get(tp).copied();
            let entry = dst.map(|d| {
                let e = self.last.entry(tp.clone()).or_insert((d, now));
                if e.0 != d {
                    *e = (d, now);
                }
                *e
            });
            let caught_up = match (dst, entry) {
                (Some(d), _) if d >= src => true,
                (Some(d), Some((_, since))) => d > 0 && now.duration_since(since) >= self.settle,
                _ => false,
            };
            if !caught_up {
                behind.push(format!("{}-{} ({} of {src})", tp.0, tp.1, dst.unwrap_or(0)));
            }
        }
        let count = behind.len();
        behind.truncate(3);
        (count, behind)
    }
}

/// Records per topic: the sums of the partitions' end offsets on both sides.
pub fn topic_records(specs: &[TopicSpec], source: &Ends, destination: &Ends) -> Vec<TopicRecords> {
    let sum = |ends: &Ends, spec: &TopicSpec| -> Option<i64> {
        (0..spec.partitions)
            .map(|p| ends.get(&(spec.name.clone(), p)).copied())
            .sum()
    };
    specs
        .iter()
        .map(|s| TopicRecords {
            name: s.name.clone(),
            source_end_offsets: sum(source, s),
            destination_end_offsets: sum(destination, s),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ends(items: &[(&str, i32, i64)]) -> Ends {
        items
            .iter()
            .map(|(t, p, o)| (((*t).to_owned(), *p), *o))
            .collect()
    }

    #[test]
    fn caught_up_when_equal_or_settled() {
        let mut c = CatchUp::new(Duration::ZERO);
        let source = ends(&[("a", 0, 10), ("a", 1, 5), ("b", 0, 3)]);
        let (n, _) = c.behind(&source, &ends(&[("a", 0, 10), ("a", 1, 0)]));
        assert_eq!(n, 2, "a-1 is empty, b-0 is missing");
        let (n, _) = c.behind(&source, &ends(&[("a", 0, 10), ("a", 1, 4), ("b", 0, 3)]));
        assert_eq!(n, 0, "a-1 settled one short: a transaction marker");
        let mut slow = CatchUp::new(Duration::from_secs(3600));
        let (n, list) = slow.behind(&source, &ends(&[("a", 0, 10), ("a", 1, 4), ("b", 0, 3)]));
        assert_eq!((n, list), (1, vec!["a-1 (4 of 5)".to_owned()]));
    }

    #[test]
    fn records_are_summed_per_topic() {
        let spec = TopicSpec {
            name: "a".into(),
            partitions: 2,
            replication: 1,
            configs: BTreeMap::new(),
            diskless: true,
            left_out: vec![],
        };
        let r = topic_records(&[spec], &ends(&[("a", 0, 1), ("a", 1, 2)]), &ends(&[("a", 0, 1)]));
        assert_eq!(r[0].source_end_offsets, Some(3));
        assert_eq!(r[0].destination_end_offsets, None);
    }
}
