//! `inspect`: checks that MirrorMaker 2 has synced consumer-group offsets from source to target
//! clusters, as Aiven's Java offset-sync inspector does, with its defects fixed.
//!
//! Data flow: [`mm2_config`] resolves `mm2.properties` into pairs and client settings;
//! [`collect`] gathers facts from both clusters and the offset-syncs topic (batched,
//! concurrent); [`compare`] applies the decision table to produce rows; [`report`] writes them;
//! [`watch`] compares successive runs.

pub mod checkpoints;
pub mod collect;
pub mod compare;
pub mod mm2_config;
pub mod offset_syncs;
pub mod progress;
pub mod replication_policy;
pub mod report;
pub mod watch;

use std::collections::BTreeSet;
use std::time::Duration;

use crate::inspect::collect::{ClusterError, CollectOptions};
use crate::inspect::compare::Row;
use crate::inspect::mm2_config::Mm2Config;

/// The result of one inspection: every row of every pair, sorted.
#[derive(Clone, Debug, Default)]
pub struct Inspection {
    /// All rows, OK or not, in output order.
    pub rows: Vec<Row>,
    /// Facts the rows cannot show, one sentence each, for standard error.
    pub warnings: Vec<String>,
    /// Every (pair, group) the pairs' source clusters listed, whatever the group's state.
    pub listed: BTreeSet<(String, String)>,
}

impl Inspection {
    /// True if every row is OK (also when there are no rows).
    pub fn all_ok(&self) -> bool {
        self.rows.iter().all(|r| r.is_ok)
    }

    /// Keeps the groups that `previous` inspected and the source no longer lists: their rows
    /// come back as not OK ([`watch::vanished`]). A group deleted or hidden by an ACL change
    /// mid-watch thus holds the gate instead of dropping out of it.
    pub fn carry_vanished(&mut self, previous: &Inspection) {
        let vanished = watch::vanished(previous, self);
        if !vanished.is_empty() {
            self.rows.extend(vanished);
            compare::sort_rows(&mut self.rows);
        }
    }

    /// The rows to print: all of them with `include_ok`, else only those not OK (borrowed:
    /// at 10,000 groups a copy of every row would double the memory).
    pub fn emitted(&self, include_ok: bool) -> Vec<&Row> {
        self.rows.iter().filter(|r| include_ok || !r.is_ok).collect()
    }
}

/// Collects and compares every pair of the configuration.
pub fn inspect(config: &Mm2Config, options: CollectOptions) -> Result<Inspection, ClusterError> {
    let facts = collect::collect(config, options)?;
    let warnings = facts.iter().filter_map(unlisted_groups_warning).collect();
    let listed = facts
        .iter()
        .flat_map(|pair| pair.listed_groups.iter().map(|g| (pair.name.clone(), g.clone())))
        .collect();
    // One allocation for every row; each group's facts are dropped as soon as its rows exist.
    let mut rows: Vec<Row> = Vec::with_capacity(facts.iter().map(compare::row_count).sum());
    for pair in facts {
        compare::compare_pair_into(pair, &mut rows);
    }
    compare::sort_rows(&mut rows);
    Ok(Inspection {
        rows,
        warnings,
        listed,
    })
}

/// The warning for groups MM2 checkpoints that the source does not list, if there are any.
fn unlisted_groups_warning(pair: &compare::PairFacts) -> Option<String> {
    let groups = &pair.unlisted_groups;
    (!groups.is_empty()).then(|| {
        format!(
            "{}: MirrorMaker 2 has checkpoints for {} group(s) that cluster `{}` does not list, so \
             they were not inspected (deleted there, or this user lacks DESCRIBE on them): {}",
            pair.name,
            groups.len(),
            pair.source,
            groups.join(", ")
        )
    })
}

/// Parses an ISO-8601 duration as Java's `Duration.parse` accepts it (`PT1M`, `PT30S`,
/// `PT0.5S`, `P1DT2H`, case-insensitive, optional sign), or a short form (`500ms`, `30s`,
/// `2m`, `1h`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let err = || format!("`{text}` is not a duration: use ISO-8601 (PT30S, PT1M, PT1H30M) or 30s, 2m, 500ms");
    let upper = t.to_ascii_uppercase();
    if let Some(rest) = upper.strip_prefix('P').or_else(|| upper.strip_prefix("+P")) {
        let (days, time) = match rest.split_once('T') {
            Some((d, t)) => (d, Some(t)),
            None => (rest, None),
        };
        let mut ms: f64 = 0.0;
        let mut any = false;
        if !days.is_empty() {
            let n = days.strip_suffix('D').ok_or_else(err)?;
            ms += n.parse::<f64>().map_err(|_| err())? * 86_400_000.0;
            any = true;
        }
        if let Some(time) = time {
            let mut number = String::new();
            for c in time.chars() {
                let unit = match c {
                    'H' => 3_600_000.0,
                    'M' => 60_000.0,
                    'S' => 1_000.0,
                    c if c.is_ascii_digit() || c == '.' || c == ',' => {
                        number.push(if c == ',' { '.' } else { c });
                        continue;
                    }
                    _ => return Err(err()),
                };
                ms += number.parse::<f64>().map_err(|_| err())? * unit;
                number.clear();
                any = true;
            }
            if !number.is_empty() {
                return Err(err());
            }
        }
        if !any || ms < 0.0 {
            return Err(err());
        }
        return Ok(Duration::from_millis(ms.round() as u64));
    }
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .ok_or_else(err)?;
    let (n, unit) = t.split_at(split);
    let n: f64 = n.parse().map_err(|_| err())?;
    let factor = match unit.trim() {
        "ms" => 1.0,
        "s" => 1_000.0,
        "m" | "min" => 60_000.0,
        "h" => 3_600_000.0,
        _ => return Err(err()),
    };
    Ok(Duration::from_millis((n * factor).round() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("PT1M").unwrap(), Duration::from_secs(60));
        assert_eq!(parse_duration("pt30s").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_duration("PT0.5S").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("P1DT1H").unwrap(), Duration::from_secs(90_000));
        assert_eq!(parse_duration("PT1H30M").unwrap(), Duration::from_secs(5_400));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        for bad in ["", "PT", "P", "1M", "PT5X", "PT5", "abc", "5 parsecs"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
