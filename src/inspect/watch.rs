//! `--watch`: what changed between two inspections, keyed by (pair, group, topic, partition).

use std::borrow::Borrow;
use std::collections::BTreeMap;

use crate::inspect::Inspection;
use crate::inspect::compare::{NO_LONGER_LISTED, Row, TOO_OLD_FOR_MM2, Text, Verdict};
use crate::inspect::report::one_line;

type Key = (Text, Text, Text, Option<i32>);

fn key(row: &Row) -> Key {
    (
        row.cluster_pair.clone(),
        row.group.clone(),
        row.topic.clone(),
        row.partition,
    )
}

fn label(k: &Key) -> String {
    let partition = k.3.map_or("-".to_owned(), |p| p.to_string());
    format!(
        "{} {} {}-{}",
        one_line(&k.0),
        one_line(&k.1),
        one_line(&k.2),
        partition
    )
}

fn state(row: &Row) -> String {
    format!(
        "{} (source {}, target {}): {}",
        if row.is_ok { "OK" } else { "NOT OK" },
        row.source_group_offset.map_or("-".into(), |o| o.to_string()),
        row.target_group_offset.map_or("-".into(), |o| o.to_string()),
        one_line(&row.message)
    )
}

/// One line per row that appeared, disappeared, or changed verdict, message or offsets (text
/// escaped with [`one_line`], so each change is exactly one line).
pub fn changes<R: Borrow<Row>>(before: &[R], after: &[R]) -> Vec<String> {
    let old: BTreeMap<Key, &Row> = before.iter().map(|r| (key(r.borrow()), r.borrow())).collect();
    let new: BTreeMap<Key, &Row> = after.iter().map(|r| (key(r.borrow()), r.borrow())).collect();
    let mut out = Vec::new();
    for (k, row) in &new {
        match old.get(k) {
            None => out.push(format!("+ {}: {}", label(k), state(row))),
            Some(prev) if state(prev) != state(row) => {
                out.push(format!("~ {}: {} -> {}", label(k), state(prev), state(row)))
            }
            Some(_) => {}
        }
    }
    for k in old.keys().filter(|k| !new.contains_key(*k)) {
        out.push(format!("- {}", label(k)));
    }
    out
}

/// The not-OK rows when none of them can become OK by waiting: each is a stopped group
/// (`Empty`) older than every offset sync MirrorMaker 2 holds, which MM2 never translates, and
/// the previous inspection said exactly the same. `None` while any not-OK row may still change.
pub fn stuck<'a>(before: &[Row], after: &'a [Row]) -> Option<Vec<&'a Row>> {
    let not_ok: Vec<&Row> = after.iter().filter(|r| !r.is_ok).collect();
    let old: BTreeMap<Key, &Row> = before.iter().map(|r| (key(r), r)).collect();
    let waiting_cannot_help = |row: &&Row| {
        *row.message == *TOO_OLD_FOR_MM2
            && &*row.source_group_state == "Empty"
            && old.get(&key(row)).is_some_and(|prev| state(prev) == state(row))
    };
    (!not_ok.is_empty() && not_ok.iter().all(waiting_cannot_help)).then_some(not_ok)
}

/// Rows for the groups that had rows in `previous` and that `current`'s source clusters no
/// longer list at all (not merely filtered out by state): the previous rows, marked not OK with
/// [`NO_LONGER_LISTED`]. Their offsets are the last ones read, which the message makes clear.
pub fn vanished(previous: &Inspection, current: &Inspection) -> Vec<Row> {
    let present: std::collections::BTreeSet<(&str, &str)> = current
        .rows
        .iter()
        .map(|r| (&*r.cluster_pair, &*r.group))
        .collect();
    previous
        .rows
        .iter()
        .filter(|r| {
            let id = (&*r.cluster_pair, &*r.group);
            !present.contains(&id)
                && !current
                    .listed
                    .contains(&(r.cluster_pair.to_string(), r.group.to_string()))
        })
        .map(|r| Row {
            is_ok: Verdict::NoLongerListed.is_ok(),
            blocking_component: Verdict::NoLongerListed.component(),
            source_group_state: "Unlisted".into(),
            message: NO_LONGER_LISTED.into(),
            hold: Verdict::NoLongerListed.hold_cause(),
            ..r.clone()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(partition: i32, ok: bool, target: Option<i64>) -> Row {
        Row {
            cluster_pair: "a->b".into(),
            topic: "t".into(),
            partition: Some(partition),
            group: "g".into(),
            source_topic_earliest_offset: Some(0),
            source_topic_latest_offset: Some(10),
            source_group_state: "Stable".into(),
            source_group_offset: Some(10),
            source_group_lag: Some(0),
            target_topic_earliest_offset: Some(0),
            target_topic_latest_offset: Some(10),
            target_group_state: "Empty".into(),
            target_group_offset: target,
            target_group_lag: None,
            target_group_lag_to_source: None,
            source_has_data: true,
            source_group_valid: true,
            target_has_data: true,
            is_ok: ok,
            blocking_component: (!ok).then_some(crate::inspect::compare::Component::Replication),
            message: if ok { "fine" } else { "bad" }.into(),
            target_topic: None,
            expected_target_offset: Some(10),
            hold: (!ok).then_some(crate::inspect::compare::HoldCause::SyncPending),
        }
    }

    #[test]
    fn reports_added_changed_removed() {
        let before = [row(0, false, None), row(1, true, Some(10))];
        let after = [row(0, true, Some(10)), row(2, false, None)];
        assert_eq!(
            changes(&before, &after),
            [
                "~ a->b g t-0: NOT OK (source 10, target -): bad -> OK (source 10, target 10): fine",
                "+ a->b g t-2: NOT OK (source 10, target -): bad",
                "- a->b g t-1",
            ]
        );
        assert!(changes(&after, &after).is_empty());
    }

    #[test]
    fn a_newline_in_a_group_id_stays_on_its_line() {
        let mut r = row(0, false, None);
        r.group = "g\nx".into();
        let lines = changes(&[], &[r]);
        assert_eq!(lines, ["+ a->b g\\nx t-0: NOT OK (source 10, target -): bad"]);
    }

    #[test]
    fn stuck_only_when_every_not_ok_row_is_a_stopped_group_mm2_never_translates() {
        let too_old = |mut r: Row| {
            r.message = TOO_OLD_FOR_MM2.into();
            r.source_group_state = "Empty".into();
            r
        };
        let now = [too_old(row(0, false, None)), row(1, true, Some(10))];
        assert_eq!(stuck(&now, &now).map(|rows| rows.len()), Some(1));
        // Not seen the same way before: wait one more round.
        assert!(stuck(&[], &now).is_none());
        // A row that may still sync keeps the gate waiting.
        let mixed = [too_old(row(0, false, None)), row(1, false, None)];
        assert!(stuck(&mixed, &mixed).is_none());
        // A running group may still commit past the syncs.
        let mut running = now.clone();
        running[0].source_group_state = "Stable".into();
        assert!(stuck(&running, &running).is_none());
        // All OK is not stuck.
        let ok = [row(1, true, Some(10))];
        assert!(stuck(&ok, &ok).is_none());
    }

    #[test]
    fn a_group_the_source_stops_listing_stays_not_ok() {
        let pair_group = ("a->b".to_owned(), "g".to_owned());
        let previous = Inspection {
            rows: vec![row(0, true, Some(10)), row(1, true, Some(10))],
            listed: [pair_group.clone()].into(),
            ..Inspection::default()
        };
        // Listed but filtered out (e.g. no longer active without --include-inactive-groups).
        let filtered = Inspection {
            listed: [pair_group].into(),
            ..Inspection::default()
        };
        assert!(vanished(&previous, &filtered).is_empty());
        // Not listed at all any more.
        let mut current = Inspection::default();
        current.carry_vanished(&previous);
        assert_eq!(current.rows.len(), 2);
        assert!(
            current
                .rows
                .iter()
                .all(|r| !r.is_ok && &*r.message == NO_LONGER_LISTED)
        );
        assert!(!current.all_ok());
        // And it carries on to the next round.
        let mut next = Inspection::default();
        next.carry_vanished(&current);
        assert_eq!(next.rows.len(), 2);
    }
}
