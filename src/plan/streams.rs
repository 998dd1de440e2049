//! Kafka Streams internal topics: `<application.id>-<name>-changelog` and
//! `<application.id>-<name>-repartition`.
//!
//! Streams writes these topics itself (transactionally under exactly-once), and a changelog
//! restores a state store, so they stay classic. The application ids come from the inventory's
//! consumer groups: a group whose `streams_application_id` is known confirms the application.
//! A group whose protocol was not read (no assignment strategy, e.g. an `Empty` group) and
//! whose id matches the name is a possible Streams application: its topics stay classic too,
//! and the reason says that the protocol was not read.

use std::collections::HashMap;

use crate::inventory::ConsumerGroup;

/// Which internal topic of a Streams application a topic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InternalKind {
    /// `-changelog`: the backup of a state store.
    Changelog,
    /// `-repartition`: records re-keyed between sub-topologies.
    Repartition,
}

/// A topic whose name is that of a Streams application's internal topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamsMatch<'a> {
    /// The application id (the group id) the name starts with.
    pub application_id: &'a str,
    /// Changelog or repartition.
    pub kind: InternalKind,
    /// True when the inventory says the group is a Streams application's; false when only the
    /// group id matches and the group's protocol was not read.
    pub confirmed: bool,
}

/// The application ids of the inventory's groups that are, or may be, Streams applications.
#[derive(Debug, Default)]
pub struct StreamsApps<'a> {
    /// Application id → confirmed.
    ids: HashMap<&'a str, bool>,
}

impl<'a> StreamsApps<'a> {
    /// Collects confirmed application ids (`streams_application_id`) and the ids of groups whose
    /// protocol was not read. A group read as something else (an assignment strategy, or a
    /// protocol type other than `consumer` or `streams`) is not a candidate.
    pub fn of(groups: &'a [ConsumerGroup]) -> StreamsApps<'a> {
        let mut ids: HashMap<&'a str, bool> = HashMap::new();
        for g in groups {
            if let Some(app) = g.streams_application_id.as_deref().filter(|a| !a.is_empty()) {
                ids.insert(app, true);
            }
        }
        for g in groups {
            let protocol_unread = g.assignment_strategy.as_deref().is_none_or(str::is_empty)
                && g.protocol_type
                    .as_deref()
                    .is_none_or(|p| p.is_empty() || p == "consumer" || p == "streams");
            if g.streams_application_id.is_none() && protocol_unread && !g.id.is_empty() {
                ids.entry(g.id.as_str()).or_insert(false);
            }
        }
        StreamsApps { ids }
    }

    /// The application whose internal topic `topic` is named like, if any: a confirmed
    /// application before an unconfirmed one, then the longest application id.
    pub fn internal_topic(&self, topic: &str) -> Option<StreamsMatch<'a>> {
        if self.ids.is_empty() {
            return None;
        }
        let (stem, kind) = if let Some(stem) = topic.strip_suffix("-changelog") {
            (stem, InternalKind::Changelog)
        } else if let Some(stem) = topic.strip_suffix("-repartition") {
            (stem, InternalKind::Repartition)
        } else {
            return None;
        };
        // `<id>-<name>`: every `-` of the stem that leaves a non-empty id and name.
        stem.match_indices('-')
            .filter(|(i, _)| *i > 0 && *i + 1 < stem.len())
            .filter_map(|(i, _)| {
                let (&id, &confirmed) = self.ids.get_key_value(&stem[..i])?;
                Some(StreamsMatch {
                    application_id: id,
                    kind,
                    confirmed,
                })
            })
            .max_by_key(|m| (m.confirmed, m.application_id.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(id: &str, app: Option<&str>, protocol: Option<&str>, strategy: Option<&str>) -> ConsumerGroup {
        ConsumerGroup {
            id: id.into(),
            protocol_type: protocol.map(Into::into),
            assignment_strategy: strategy.map(Into::into),
            streams_application_id: app.map(Into::into),
            ..ConsumerGroup::default()
        }
    }

    #[test]
    fn internal_topics_of_known_and_possible_applications() {
        let groups = [
            group(
                "orders-enricher",
                Some("orders-enricher"),
                Some("consumer"),
                Some("stream"),
            ),
            group("billing", None, Some("consumer"), None),
            group("billing-app", None, None, None),
            group("reports", None, Some("consumer"), Some("range")),
            group("sink", None, Some("connect"), None),
        ];
        let apps = StreamsApps::of(&groups);
        let m = apps
            .internal_topic("orders-enricher-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition")
            .unwrap();
        assert_eq!(
            (m.application_id, m.kind, m.confirmed),
            ("orders-enricher", InternalKind::Repartition, true)
        );
        let m = apps.internal_topic("orders-enricher-totals-changelog").unwrap();
        assert_eq!((m.kind, m.confirmed), (InternalKind::Changelog, true));
        // Unconfirmed: the longest matching id.
        let m = apps.internal_topic("billing-app-store-changelog").unwrap();
        assert_eq!((m.application_id, m.confirmed), ("billing-app", false));
        let m = apps.internal_topic("billing-store-changelog").unwrap();
        assert_eq!((m.application_id, m.confirmed), ("billing", false));
        // Not internal topics: no name between id and suffix, other suffixes, groups read as
        // plain consumers or Connect.
        for name in [
            "orders-enricher-changelog",
            "orders-enricher-totals",
            "orders-enricher-totals-changelog.v2",
            "reports-daily-changelog",
            "sink-x-repartition",
            "-changelog",
            "orders-changelog",
        ] {
            assert_eq!(apps.internal_topic(name), None, "{name}");
        }
        assert_eq!(StreamsApps::of(&[]).internal_topic("a-b-changelog"), None);
    }
}
