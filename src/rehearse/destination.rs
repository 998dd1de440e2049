//! The stand-in destination: a local or staging Apache Kafka prepared through the Admin API as
//! `destination/` would prepare the Aiven service. Every planned topic is created with its
//! partitions and configs (Kafka's names); `diskless.enable` is left out (Apache Kafka does not
//! know it) and the replication factor is the plan's, capped at the broker count.

use std::collections::BTreeMap;
use std::thread;
use std::time::{Duration, Instant};

use rdkafka::admin::{AdminOptions, NewTopic, TopicReplication};
use rdkafka::types::RDKafkaErrorCode;

use crate::kafka::admin::{Admin, AdminError, ConfigResource};
use crate::kafka::block_on;
use crate::plan::{ConfigValue, Decision, Plan};

/// Provider config keys the stand-in does not get: `diskless_enable` (Apache Kafka does not know
/// it) and the tiered-storage ones (a stand-in rarely has remote storage, and a topic asking
/// for it would be refused).
pub const LEFT_OUT: &[&str] = &[
    "diskless_enable",
    "remote_storage_enable",
    "local_retention_ms",
    "local_retention_bytes",
];

/// One topic as the rehearsal creates it on the stand-in destination.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicSpec {
    /// Topic name.
    pub name: String,
    /// Partition count, from the plan.
    pub partitions: i32,
    /// Replication factor: the plan's, capped at the destination's broker count.
    pub replication: i32,
    /// Topic configs under Kafka's names (`retention.ms`), sorted.
    pub configs: BTreeMap<String, String>,
    /// True when the plan makes it diskless (`diskless.enable` is left out here).
    pub diskless: bool,
    /// Planned configs left out ([`LEFT_OUT`], Kafka's names), sorted.
    pub left_out: Vec<String>,
}

/// The Kafka name of an `aiven_kafka_topic` config key: `retention_ms` is `retention.ms`.
/// Every key of the provider's topic config maps this way.
pub fn kafka_config_name(provider_key: &str) -> String {
    provider_key.replace('_', ".")
}

/// A config value as Kafka's Admin API takes it.
fn config_text(value: &ConfigValue) -> String {
    match value {
        ConfigValue::Bool(b) => b.to_string(),
        ConfigValue::Number(n) => n.to_string(),
        ConfigValue::String(s) => s.clone(),
    }
}

/// The topics a plan migrates (every topic not skipped), as the stand-in destination gets
/// them, sorted by name. `brokers` caps the replication factor.
pub fn planned_topics(plan: &Plan, brokers: usize) -> Vec<TopicSpec> {
    let cap = i32::try_from(brokers.max(1)).unwrap_or(i32::MAX);
    let mut topics: Vec<TopicSpec> = plan
        .topics
        .iter()
        .filter(|t| t.decision != Decision::Skip)
        .map(|t| TopicSpec {
            name: t.name.clone(),
            partitions: i32::try_from(t.partitions).unwrap_or(i32::MAX),
            replication: i32::try_from(t.replication.max(1)).unwrap_or(i32::MAX).min(cap),
            configs: t
                .config
                .iter()
                .filter(|(k, _)| !LEFT_OUT.contains(&k.as_str()))
                .map(|(k, v)| (kafka_config_name(k), config_text(v)))
                .collect(),
            diskless: t.decision == Decision::Diskless,
            left_out: LEFT_OUT
                .iter()
                .filter(|k| {
                    t.config.contains_key(**k)
                        || (**k == "diskless_enable" && t.decision == Decision::Diskless)
                })
                .map(|k| kafka_config_name(k))
                .collect(),
        })
        .collect();
    topics.sort_by(|a, b| a.name.cmp(&b.name));
    topics
}

/// Why an existing topic cannot be reused: the first difference found.
pub fn reuse_mismatch(
    spec: &TopicSpec,
    partitions: usize,
    configs: &BTreeMap<String, String>,
) -> Option<String> {
    if partitions != spec.partitions as usize {
        return Some(format!(
            "it has {partitions} partition(s), the plan has {}",
            spec.partitions
        ));
    }
    for (key, want) in &spec.configs {
        let have = configs.get(key).map(String::as_str);
        if have != Some(want.as_str()) {
            return Some(format!(
                "{key} is {}, the plan has {want}",
                have.unwrap_or("unset")
            ));
        }
    }
    None
}

/// What the destination holds of the planned topics.
#[derive(Clone, Debug, Default)]
pub struct Existing {
    /// Topic name → partition count, for the planned topics that exist.
    pub partitions: BTreeMap<String, usize>,
}

/// The number of brokers of the destination (at least one answered).
pub fn broker_count(admin: &Admin) -> Result<usize, AdminError> {
    Ok(admin.describe_cluster()?.nodes.len().max(1))
}

/// Which of `names` exist on the destination, with their partition counts.
pub fn existing(admin: &Admin, names: &[String]) -> Result<Existing, AdminError> {
    let described = admin.describe_topics(names)?;
    let mut out = Existing::default();
    for (name, result) in described {
        match result {
            Ok(d) => {
                out.partitions.insert(name, d.partitions.len());
            }
            Err(AdminError::Other { name: code, .. }) if code.contains("UNKNOWN_TOPIC") => {}
            Err(e) if e.is_fatal() => return Err(e),
            Err(_) => {}
        }
    }
    Ok(out)
}

/// The non-default configs of `topic` (Kafka names), for comparing with the plan.
pub fn topic_configs(admin: &Admin, topic: &str) -> Result<BTreeMap<String, String>, AdminError> {
    let resource = ConfigResource::Topic(topic.to_owned());
    let mut described = admin.describe_configs(std::slice::from_ref(&resource))?;
    let values = described.remove(&resource).unwrap_or_else(|| Ok(Vec::new()))?;
    Ok(values
        .into_iter()
        .filter_map(|c| c.value.map(|v| (c.name, v)))
        .collect())
}

/// Creates `topics` in one request and waits until the destination describes each of them.
/// Returns the names created, in order; a topic that fails stops the run with its error
/// (the ones created before it are in the error's list, so they can be deleted).
pub fn create(admin: &Admin, topics: &[TopicSpec]) -> Result<Vec<String>, (Vec<String>, AdminError)> {
    if topics.is_empty() {
        return Ok(Vec::new());
    }
    let configs: Vec<Vec<(&str, &str)>> = topics
        .iter()
        .map(|t| t.configs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect())
        .collect();
    let new: Vec<NewTopic> = topics
        .iter()
        .zip(&configs)
        .map(|(t, c)| {
            let mut topic = NewTopic::new(&t.name, t.partitions, TopicReplication::Fixed(t.replication));
            for (k, v) in c {
                topic = topic.set(k, v);
            }
            topic
        })
        .collect();
    let options = AdminOptions::new()
        .request_timeout(Some(admin.timeout()))
        .operation_timeout(Some(admin.timeout()));
    let results = match block_on(admin.client().create_topics(&new, &options)) {
        Ok(results) => results,
        Err(e) => {
            let code = e.rdkafka_error_code().unwrap_or(RDKafkaErrorCode::Fail);
            return Err((Vec::new(), AdminError::from_error_code(code, e.to_string())));
        }
    };
    let mut created = Vec::new();
    let mut failure = None;
    for result in results {
        match result {
            Ok(name) => created.push(name),
            Err((name, code)) if failure.is_none() => {
                failure = Some(AdminError::from_error_code(
                    code,
                    format!("creating topic {name}: {code}"),
                ));
            }
            Err(_) => {}
        }
    }
    if let Some(error) = failure {
        return Err((created, error));
    }
    // Creation is asynchronous on the brokers: wait until each topic is described.
    let deadline = Instant::now() + admin.timeout();
    loop {
        let seen = existing(admin, &created).map_err(|e| (created.clone(), e))?;
        if seen.partitions.len() == created.len() {
            return Ok(created);
        }
        if Instant::now() >= deadline {
            let missing: Vec<&String> = created
                .iter()
                .filter(|n| !seen.partitions.contains_key(*n))
                .collect();
            return Err((
                created.clone(),
                AdminError::Unreachable(format!("topics not visible after creation: {missing:?}")),
            ));
        }
        thread::sleep(Duration::from_millis(200));
    }
}

/// Deletes `names` (the topics this rehearsal created). Returns the names that could not be
/// deleted, with why.
pub fn delete(admin: &Admin, names: &[String]) -> Vec<(String, String)> {
    if names.is_empty() {
        return Vec::new();
    }
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let options = AdminOptions::new()
        .request_timeout(Some(admin.timeout()))
        .operation_timeout(Some(admin.timeout()));
    match block_on(admin.client().delete_topics(&refs, &options)) {
        Ok(results) => results
            .into_iter()
            .filter_map(|r| r.err())
            .map(|(name, code)| (name, code.to_string()))
            .collect(),
        Err(e) => names.iter().map(|n| (n.clone(), e.to_string())).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::TopicPlan;

    fn plan() -> Plan {
        let mut config = BTreeMap::new();
        config.insert("retention_ms".to_owned(), ConfigValue::String("1000".into()));
        config.insert("diskless_enable".to_owned(), ConfigValue::Bool(true));
        config.insert("min_cleanable_dirty_ratio".to_owned(), ConfigValue::Number(0.5));
        Plan {
            topics: vec![
                TopicPlan {
                    name: "b".into(),
                    decision: Decision::Classic,
                    partitions: 2,
                    replication: 3,
                    config,
                    ..TopicPlan::default()
                },
                TopicPlan {
                    name: "a".into(),
                    decision: Decision::Skip,
                    ..TopicPlan::default()
                },
            ],
            ..Plan::default()
        }
    }

    #[test]
    fn planned_topics_use_kafka_names_and_cap_replication() {
        let topics = planned_topics(&plan(), 1);
        assert_eq!(topics.len(), 1, "skipped topics are left out");
        let t = &topics[0];
        assert_eq!((t.name.as_str(), t.partitions, t.replication), ("b", 2, 1));
        assert_eq!(t.configs.get("retention.ms").map(String::as_str), Some("1000"));
        assert_eq!(
            t.configs.get("min.cleanable.dirty.ratio").map(String::as_str),
            Some("0.5")
        );
        assert!(!t.configs.contains_key("diskless.enable"));
        assert_eq!(t.left_out, vec!["diskless.enable".to_owned()]);
        assert_eq!(planned_topics(&plan(), 5)[0].replication, 3);
    }

    #[test]
    fn reuse_needs_same_partitions_and_configs() {
        let t = &planned_topics(&plan(), 1)[0];
        let mut configs: BTreeMap<String, String> = t.configs.clone();
        assert_eq!(reuse_mismatch(t, 2, &configs), None);
        assert!(reuse_mismatch(t, 3, &configs).unwrap().contains("3 partition(s)"));
        configs.insert("retention.ms".into(), "5".into());
        assert!(
            reuse_mismatch(t, 2, &configs)
                .unwrap()
                .contains("retention.ms is 5")
        );
    }
}
