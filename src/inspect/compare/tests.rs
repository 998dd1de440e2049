//! Tests of the decision table.

use super::*;
use crate::inspect::offset_syncs::{encode_key, encode_value};

fn store(syncs: &[(&str, i32, i64, i64)]) -> SyncStore {
    let mut s = SyncStore::default();
    for &(t, p, u, d) in syncs {
        s.add_record(
            Some(&encode_key(t, p)),
            Some(&encode_value(OffsetSync {
                upstream: u,
                downstream: d,
            })),
        );
    }
    s
}

/// Topic `t` with partitions 0 (10 records, synced up to (9,9)) and 1 (empty), identity policy.
fn facts(group_offsets: &[(i32, i64)], target: Result<TargetGroup, String>) -> PairFacts {
    let tp = |p: i32| ("t".to_owned(), p);
    PairFacts {
        name: "primary->backup".into(),
        source: "primary".into(),
        target: "backup".into(),
        policy: ReplicationPolicy::identity(),
        sync_group_offsets: true,
        source_topics: HashMap::from([(tp(0), Ok(Some((0, 10)))), (tp(1), Ok(Some((0, 0))))]),
        target_topics: HashMap::from([(tp(0), Ok(Some((0, 10)))), (tp(1), Ok(Some((0, 0))))]),
        syncs: Ok(store(&[("t", 0, 0, 0), ("t", 0, 5, 5), ("t", 0, 9, 9)])),
        groups: vec![GroupFacts {
            group: "g".into(),
            state: "Stable".into(),
            offsets: Ok(group_offsets.iter().map(|&(p, o)| (tp(p), o)).collect()),
            target,
        }],
        unlisted_groups: Vec::new(),
        listed_groups: BTreeSet::from(["g".to_owned()]),
        records_after_newest_sync: HashMap::new(),
    }
}

fn target(state: &str, offsets: &[(i32, i64)]) -> Result<TargetGroup, String> {
    Ok(TargetGroup {
        state: state.into(),
        offsets: offsets.iter().map(|&(p, o)| (("t".to_owned(), p), o)).collect(),
    })
}

fn verdicts(facts: &PairFacts) -> Vec<(bool, Option<&'static str>, String)> {
    compare_pair(facts)
        .into_iter()
        .map(|r| {
            (
                r.is_ok,
                r.blocking_component.map(Component::as_str),
                r.message.to_string(),
            )
        })
        .collect()
}

#[test]
fn synced_partition_is_a_with_lags() {
    let rows = compare_pair(&facts(&[(0, 10)], target("Empty", &[(0, 10)])));
    let r = &rows[0];
    assert_eq!(
        (r.is_ok, r.blocking_component, &*r.message),
        (true, None, SUCCESS)
    );
    assert_eq!(r.target_group_offset, Some(10));
    assert_eq!(r.target_group_lag, Some(0));
    assert_eq!(r.target_group_lag_to_source, Some(0));
    assert_eq!(r.source_group_lag, Some(0));
    assert_eq!(r.expected_target_offset, Some(10));
    assert!(r.source_has_data && r.source_group_valid && r.target_has_data);
}

#[test]
fn empty_partition_b1_and_c1() {
    let v = verdicts(&facts(&[(0, 10), (1, 0)], target("Empty", &[(0, 10)])));
    assert_eq!(v[1], (true, Some("SOURCE PARTITION"), EMPTY_OTHERS_SYNCED.into()));
    let v = verdicts(&facts(&[(0, 10), (1, 0)], target("Dead", &[])));
    assert_eq!(
        v[0],
        (false, Some("REPLICATION"), NOT_SYNCED_OTHERS_NOT_SYNCED.into())
    );
    assert_eq!(
        v[1],
        (true, Some("SOURCE PARTITION"), EMPTY_OTHERS_NOT_SYNCED.into())
    );
}

#[test]
fn b2_when_another_partition_is_synced() {
    let mut f = facts(&[(0, 10), (1, 0)], target("Empty", &[(1, 0)]));
    f.source_topics.insert(("t".into(), 1), Ok(Some((0, 3))));
    f.syncs = Ok(store(&[("t", 0, 9, 9), ("t", 1, 2, 2)]));
    let v = verdicts(&f);
    assert_eq!(
        v[0],
        (false, Some("REPLICATION"), NOT_SYNCED_OTHERS_SYNCED.into())
    );
}

#[test]
fn too_old_inside_the_log_is_not_ok() {
    // MM2 returns -1 for an offset below its oldest sync: no checkpoint, no target offset,
    // and a consumer on the target starts at auto.offset.reset.
    let mut f = facts(&[(0, 3)], target("Dead", &[]));
    f.syncs = Ok(store(&[("t", 0, 5, 5), ("t", 0, 9, 9)]));
    assert_eq!(
        verdicts(&f)[0],
        (false, Some("SOURCE GROUP"), TOO_OLD_FOR_MM2.into())
    );
}

#[test]
fn too_old_behind_the_log_start_keeps_the_reference_outcome() {
    // The group is below the source log start: the source consumer resets as well.
    let mut f = facts(&[(0, 3)], target("Dead", &[]));
    f.source_topics.insert(("t".into(), 0), Ok(Some((4, 10))));
    f.syncs = Ok(store(&[("t", 0, 5, 5), ("t", 0, 9, 9)]));
    let rows = compare_pair(&f);
    assert_eq!(
        (rows[0].is_ok, rows[0].blocking_component, &*rows[0].message),
        (true, Some(Component::SourceGroup), TOO_OLD_OTHERS_NOT_SYNCED)
    );
    assert!(!rows[0].source_group_valid);
}

#[test]
fn too_old_with_a_target_offset_is_checked_against_the_oldest_sync() {
    // Oldest sync (5, 5), group at 3: the next record is at target offset 3..=5.
    let mut f = facts(&[(0, 3)], target("Empty", &[(0, 3)]));
    f.syncs = Ok(store(&[("t", 0, 5, 5), ("t", 0, 9, 9)]));
    assert_eq!(verdicts(&f)[0], (true, None, SUCCESS.into()));
    f.groups[0].target = target("Empty", &[(0, 7)]);
    assert_eq!(
        verdicts(&f)[0],
        (false, Some("TARGET GROUP"), msg_too_old_target(3, 5))
    );
}

#[test]
fn group_past_the_newest_sync_is_not_ok_until_synced() {
    // MM2's newest sync is (5, 5); the group consumed records 6..9, MM2 translates 10 to 6.
    let mut f = facts(&[(0, 10)], target("Empty", &[(0, 6)]));
    f.syncs = Ok(store(&[("t", 0, 0, 0), ("t", 0, 5, 5)]));
    let rows = compare_pair(&f);
    assert_eq!(rows[0].expected_target_offset, Some(6));
    assert_eq!(
        (rows[0].is_ok, rows[0].blocking_component, &*rows[0].message),
        (false, Some(Component::Replication), SYNCS_BEHIND_GROUP)
    );
    // One past the newest sync: exact.
    let mut f = facts(&[(0, 6)], target("Empty", &[(0, 6)]));
    f.syncs = Ok(store(&[("t", 0, 0, 0), ("t", 0, 5, 5)]));
    assert_eq!(verdicts(&f)[0], (true, None, SUCCESS.into()));
    // Past the source log end (topic recreated smaller): no record lies past the sync.
    let mut f = facts(&[(0, 20)], target("Empty", &[(0, 5)]));
    f.source_topics.insert(("t".into(), 0), Ok(Some((0, 5))));
    f.syncs = Ok(store(&[("t", 0, 0, 0), ("t", 0, 4, 4)]));
    let rows = compare_pair(&f);
    assert_eq!((rows[0].is_ok, &*rows[0].message), (true, SUCCESS));
    assert!(!rows[0].source_group_valid);
    // Past the newest sync by transaction markers only: nothing is re-read.
    let mut f = facts(&[(0, 10)], target("Empty", &[(0, 6)]));
    f.syncs = Ok(store(&[("t", 0, 0, 0), ("t", 0, 5, 5)]));
    let tp = ("t".to_owned(), 0);
    f.records_after_newest_sync.insert(tp.clone(), false);
    assert_eq!(verdicts(&f)[0], (true, None, SUCCESS.into()));
    // Records there, found or assumed: not OK.
    f.records_after_newest_sync.insert(tp.clone(), true);
    assert!(!verdicts(&f)[0].0);
    f.records_after_newest_sync.remove(&tp);
    assert!(!verdicts(&f)[0].0);
}

#[test]
fn unreadable_target_partition_is_its_own_error() {
    let mut f = facts(&[(0, 10)], target("Empty", &[]));
    f.target_topics
        .insert(("t".into(), 0), Err("Broker: Topic authorization failed".into()));
    assert_eq!(
        verdicts(&f)[0],
        (
            false,
            Some("TARGET PARTITION"),
            msg_target_partition_error("Broker: Topic authorization failed")
        )
    );
}

#[test]
fn behind_ahead_and_active_target() {
    let v = verdicts(&facts(&[(0, 10)], target("Empty", &[(0, 7)])));
    assert_eq!(v[0], (false, Some("REPLICATION"), msg_behind(10)));
    let v = verdicts(&facts(&[(0, 7)], target("Empty", &[(0, 10)])));
    assert_eq!(v[0], (false, Some("TARGET GROUP"), msg_ahead(6)));
    // Between MM2's coarsest and exact translation: fine.
    let v = verdicts(&facts(&[(0, 7)], target("Empty", &[(0, 1)])));
    assert_eq!(v[0].2, SUCCESS);
    let v = verdicts(&facts(&[(0, 10)], target("Stable", &[(0, 10)])));
    assert_eq!(v[0], (false, Some("TARGET GROUP"), msg_target_active("Stable")));
}

#[test]
fn sync_disabled_is_the_reason() {
    let mut f = facts(&[(0, 10)], target("Dead", &[]));
    f.sync_group_offsets = false;
    assert_eq!(
        verdicts(&f)[0],
        (false, Some("MM2 CONFIG"), msg_sync_disabled("primary->backup"))
    );
}

#[test]
fn missing_syncs_topic_and_target_topic_are_named() {
    let mut f = facts(&[(0, 10), (1, 0)], target("Empty", &[(0, 10)]));
    let problem = SyncsProblem::Missing {
        topic: "mm2-offset-syncs.backup.internal".into(),
        cluster: "primary".into(),
    };
    f.syncs = Err(problem.clone());
    let rows = compare_pair(&f);
    assert_eq!(&*rows[0].message, msg_syncs_problem(&problem));
    assert!(!rows[0].is_ok);
    assert_eq!(rows[0].target_group_lag_to_source, None);
    assert_eq!(&*rows[1].message, EMPTY_OTHERS_SYNCED);

    let mut f = facts(&[(0, 10)], target("Dead", &[]));
    f.target_topics.clear();
    assert_eq!(verdicts(&f)[0].2, msg_target_topic_missing("t"));
}

#[test]
fn errors_mark_rows_without_aborting() {
    let mut f = facts(&[(0, 10)], Err("timed out".into()));
    f.groups.push(GroupFacts {
        group: "h".into(),
        state: "Stable".into(),
        offsets: Err("not authorized".into()),
        target: target("Dead", &[]),
    });
    let rows = compare_pair(&f);
    assert_eq!(rows.len(), 2);
    assert_eq!(&*rows[0].message, msg_target_group_error("timed out"));
    assert_eq!(&*rows[0].target_group_state, "Unknown");
    assert_eq!((&*rows[1].topic, rows[1].partition), ("-", None));
    assert_eq!(&*rows[1].message, msg_source_group_error("not authorized"));
}

#[test]
fn default_policy_looks_up_the_prefixed_target_topic() {
    let mut f = facts(&[(0, 10)], Ok(TargetGroup::default()));
    f.policy = ReplicationPolicy::default_policy();
    f.target_topics = HashMap::from([(("primary.t".to_owned(), 0), Ok(Some((0, 10))))]);
    f.groups[0].target = Ok(TargetGroup {
        state: "Empty".into(),
        offsets: HashMap::from([(("primary.t".to_owned(), 0), 10)]),
    });
    let rows = compare_pair(&f);
    assert_eq!(&*rows[0].message, SUCCESS);
    assert_eq!(rows[0].target_topic.as_deref(), Some("primary.t"));
    assert_eq!(rows[0].target_topic_latest_offset, Some(10));
}

#[test]
fn sort_order_case_insensitive_then_exact() {
    let mut f = facts(&[(0, 10)], target("Empty", &[(0, 10)]));
    let base = f.groups[0].clone();
    f.groups = ["b", "B", "a"]
        .iter()
        .map(|g| GroupFacts {
            group: (*g).into(),
            ..base.clone()
        })
        .collect();
    let mut rows = compare_pair(&f);
    sort_rows(&mut rows);
    let groups: Vec<_> = rows.iter().map(|r| &*r.group).collect();
    assert_eq!(groups, ["a", "B", "b"]);
}

#[test]
fn every_verdict_has_its_hold_cause_and_one_component() {
    use HoldCause::*;
    let problem = SyncsProblem::Missing {
        topic: "t".into(),
        cluster: "c".into(),
    };
    let cases: Vec<(Verdict, Option<HoldCause>)> = vec![
        (Verdict::Synced, None),
        (Verdict::EmptyPartition { others_synced: true }, None),
        (Verdict::TooOldBehindLogStart { others_synced: false }, None),
        (Verdict::NotSynced { others_synced: true }, Some(SyncPending)),
        (Verdict::NotSynced { others_synced: false }, Some(SyncPending)),
        (Verdict::NoSyncForPartition, Some(SyncPending)),
        (Verdict::Behind { expected: 5 }, Some(SyncPending)),
        (Verdict::TargetTopicMissing("t".into()), Some(SyncPending)),
        (Verdict::PastNewestSync, Some(PastNewestSync)),
        (
            Verdict::TargetGroupActive("Stable".into()),
            Some(TargetGroupActive),
        ),
        (Verdict::SyncsProblem(problem), Some(Error)),
        (Verdict::SourcePartitionUnreadable("x".into()), Some(Error)),
        (Verdict::TargetPartitionUnreadable("x".into()), Some(Error)),
        (Verdict::SourceGroupUnreadable("x".into()), Some(Error)),
        (Verdict::TargetGroupUnreadable("x".into()), Some(Error)),
        (Verdict::NoLongerListed, Some(Error)),
        (Verdict::TooOldForMm2, Some(NeedsAction)),
        (Verdict::TooOldTargetOutside { lo: 1, hi: 2 }, Some(NeedsAction)),
        (Verdict::SyncDisabled, Some(NeedsAction)),
        (Verdict::Ahead { expected: 5 }, Some(NeedsAction)),
    ];
    let mut messages = std::collections::BTreeSet::new();
    for (verdict, cause) in cases {
        assert_eq!(verdict.hold_cause(), cause, "{verdict:?}");
        assert_eq!(verdict.is_ok(), cause.is_none(), "{verdict:?}");
        // Only outcome A has no blocking component.
        assert_eq!(
            verdict.component().is_none(),
            verdict == Verdict::Synced,
            "{verdict:?}"
        );
        assert!(
            messages.insert(verdict.message("a->b")),
            "{verdict:?} repeats a message"
        );
    }
}
