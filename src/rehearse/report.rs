//! The rehearsal report: records per topic on both sides, groups synced, time per stage, and
//! how the rehearsal ended. Printed as text and written as `rehearsal-report.json`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::inspect::compare::Row;

/// The version of the `rehearsal-report.json` format.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// The whole report.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// Format version; see [`REPORT_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// `ok` (the gate opened), `not_synced` (it did not within --max-wait), `interrupted`,
    /// or `failed`.
    pub outcome: String,
    /// The exit code of the run.
    pub exit_code: u8,
    /// Records per migrated topic, sorted by name.
    pub topics: Vec<TopicRecords>,
    /// Consumer groups as the last gate round saw them.
    pub groups: GroupSummary,
    /// When the gate saw the copy caught up and decided, next to the plan's estimate; `null`
    /// when the run ended before its gate.
    pub gate: Option<GateWait>,
    /// Wall time of each stage, in order.
    pub stages: Vec<Stage>,
    /// Topics this run created on the destination.
    pub created_topics: Vec<String>,
    /// Whether they were deleted at the end (false with --keep).
    pub created_topics_deleted: bool,
}

/// End offsets of one topic on both sides (the sum over its partitions). They can differ by
/// transaction markers, which MirrorMaker 2 does not copy.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TopicRecords {
    /// Topic name.
    pub name: String,
    /// Sum of the source's end offsets; `None` when they could not be read.
    pub source_end_offsets: Option<i64>,
    /// Sum of the destination's end offsets; `None` when they could not be read.
    pub destination_end_offsets: Option<i64>,
}

/// Groups the gate inspected.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct GroupSummary {
    /// Groups with rows.
    pub inspected: usize,
    /// Groups whose every row is OK.
    pub synced: usize,
    /// Groups with a row not OK, sorted.
    pub not_synced: Vec<String>,
}

/// How long the gate waited, next to what the plan predicted. The plan's estimate counts from
/// the moment producers stopped and the copy caught up, so `after_copy_seconds` is the figure
/// to hold against it: the cutover window a real run would have had.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GateWait {
    /// Seconds from the gate's first round until a round found every partition copied; `null`
    /// if none did.
    pub copy_caught_up_seconds: Option<f64>,
    /// Seconds from the gate's first round until it decided.
    pub decided_seconds: f64,
    /// Seconds from the copy's catching up until the gate decided; `null` if the copy never
    /// caught up.
    pub after_copy_seconds: Option<f64>,
    /// The plan's estimate of that wait: the largest `gate_open_seconds` of its flows.
    pub plan_gate_open_seconds: u64,
}

impl GateWait {
    /// The wait of a gate with `timing`, against the plan's estimate `plan_gate_open_seconds`.
    pub fn new(timing: super::gate::GateTiming, plan_gate_open_seconds: u64) -> GateWait {
        let tenths = |d: std::time::Duration| (d.as_secs_f64() * 10.0).round() / 10.0;
        GateWait {
            copy_caught_up_seconds: timing.copy_caught_up.map(tenths),
            decided_seconds: tenths(timing.decided),
            after_copy_seconds: timing
                .copy_caught_up
                .map(|at| tenths(timing.decided.saturating_sub(at))),
            plan_gate_open_seconds,
        }
    }
}

/// One stage and its wall time.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Stage {
    /// Stage name.
    pub name: String,
    /// Seconds, to a tenth.
    pub seconds: f64,
}

/// Summarizes the gate's last rows by group.
pub fn group_summary(rows: &[Row]) -> GroupSummary {
    summarize_groups(rows.iter().map(|r| (&*r.group, r.is_ok)))
}

/// Summarizes `(group, row is OK)` pairs by group.
fn summarize_groups<'a>(rows: impl IntoIterator<Item = (&'a str, bool)>) -> GroupSummary {
    let mut groups: BTreeMap<&str, bool> = BTreeMap::new();
    for (group, is_ok) in rows {
        let ok = groups.entry(group).or_insert(true);
        *ok &= is_ok;
    }
    let not_synced: BTreeSet<String> = groups
        .iter()
        .filter(|(_, ok)| !**ok)
        .map(|(g, _)| (*g).to_owned())
        .collect();
    GroupSummary {
        inspected: groups.len(),
        synced: groups.len() - not_synced.len(),
        not_synced: not_synced.into_iter().collect(),
    }
}

impl Report {
    /// The report as text for standard output.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Rehearsal report: {} (exit {})",
            self.outcome, self.exit_code
        );
        let _ = writeln!(out, "  {:<50} {:>14} {:>14}", "topic", "source", "destination");
        let shown = |v: Option<i64>| v.map_or("-".to_owned(), |v| v.to_string());
        for t in &self.topics {
            let _ = writeln!(
                out,
                "  {:<50} {:>14} {:>14}",
                t.name,
                shown(t.source_end_offsets),
                shown(t.destination_end_offsets)
            );
        }
        let _ = writeln!(
            out,
            "  groups: {} of {} synced",
            self.groups.synced, self.groups.inspected
        );
        for g in &self.groups.not_synced {
            let _ = writeln!(out, "    not synced: {g}");
        }
        if let Some(gate) = &self.gate {
            let _ = match gate.after_copy_seconds {
                Some(after) => writeln!(
                    out,
                    "  gate: decided {after:.1} s after the copy caught up; the plan expects the gate to open \
                     {} s after producers stop",
                    gate.plan_gate_open_seconds
                ),
                None => writeln!(
                    out,
                    "  gate: the copy never caught up ({:.1} s of rounds); the plan expects the gate to open \
                     {} s after producers stop",
                    gate.decided_seconds, gate.plan_gate_open_seconds
                ),
            };
        }
        for s in &self.stages {
            let _ = writeln!(out, "  stage {:<40} {:>8.1} s", s.name, s.seconds);
        }
        let kept = if self.created_topics_deleted {
            "deleted"
        } else {
            "kept"
        };
        let _ = writeln!(
            out,
            "  topics created by this run: {} ({kept})",
            self.created_topics.len()
        );
        out
    }

    /// The report as pretty JSON with a final line break.
    pub fn json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_synced_when_every_row_is_ok() {
        let summary = summarize_groups([("a", true), ("b", true), ("b", false)]);
        assert_eq!(summary.inspected, 2);
        assert_eq!(summary.synced, 1);
        assert_eq!(summary.not_synced, vec!["b".to_owned()]);
    }
}
