//! `--watch`: what changed between two inspections, keyed by (pair, group, topic, partition).

use std::collections::BTreeMap;

use crate::inspect::compare::Row;

type Key = (String, String, String, Option<i32>);

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
    format!("{} {} {}-{}", k.0, k.1, k.2, partition)
}

fn state(row: &Row) -> String {
    format!(
        "{} (source {}, target {}): {}",
        if row.is_ok { "OK" } else { "NOT OK" },
        row.source_group_offset.map_or("-".into(), |o| o.to_string()),
        row.target_group_offset.map_or("-".into(), |o| o.to_string()),
        row.message
    )
}

/// One line per row that appeared, disappeared, or changed verdict, message or offsets.
pub fn changes(before: &[Row], after: &[Row]) -> Vec<String> {
    let old: BTreeMap<Key, &Row> = before.iter().map(|r| (key(r), r)).collect();
    let new: BTreeMap<Key, &Row> = after.iter().map(|r| (key(r), r)).collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspect::compare::Component;

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
            blocking_component: (!ok).then_some(Component::Replication),
            message: if ok { "fine" } else { "bad" }.into(),
            target_topic: None,
            expected_target_offset: Some(10),
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
}
