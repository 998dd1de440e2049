//! Live collection: the facts of every pair, gathered from both clusters and the offset-syncs
//! topic with batched, concurrent calls.
//!
//! Per pair, three strands run at once: the offset-syncs topic is read, the source side (list
//! groups → committed offsets → partition offsets) runs, and as soon as the source's groups are
//! known the target side (describe groups + committed offsets → partition offsets) runs.
//! Committed offsets (both sides) and the target's group descriptions are read over connections
//! of our own, batched per group coordinator ([`crate::kafka::coordinated`], and for the target
//! the group reader `discover` uses, [`crate::kafka::groups`]: `FindCoordinator` v4, then
//! `DescribeGroups` v5 and `OffsetFetch` v8 for up to 1000 groups), and groups whose
//! coordinator is loading or moving are asked again until `--admin-timeout`; partition offsets are listed in one batched call per end (earliest,
//! latest). The wall time therefore grows with brokers and partitions, not with groups.
//!
//! Committed offsets are never read with librdkafka's `ListConsumerGroupOffsets`: an admin
//! client has no consumer-group handler, and librdkafka (2.12) calls it when a coordinator
//! answers `NOT_COORDINATOR`, which crashes the process.
//!
//! Failures of one group or one partition become error values in the facts (and error rows
//! later). Only a cluster that cannot be reached, refuses the credentials, or does not list all
//! its groups stops the run.
//!
//! Longer than most modules: it is the one place that orders the reads of both clusters and the
//! topics MirrorMaker 2 writes, concurrently; what each read means is decided in `compare`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

use miette::Diagnostic;
use rdkafka::Message;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{Offset, TopicPartitionList};
use thiserror::Error;

use crate::inspect::checkpoints;
use crate::inspect::compare::{GroupFacts, PairFacts, SyncsProblem, TargetGroup, TopicOffsets, Tp};
use crate::inspect::mm2_config::{Mm2Config, Pair};
use crate::inspect::offset_syncs::SyncStore;
use crate::kafka::admin::{
    Admin, AdminError, GroupListing, Node, OffsetResults, OffsetSpec, socket_timeout_ms,
};
use crate::kafka::client::ClientSettings;
use crate::kafka::coordinated::{self, Committed};
use crate::kafka::group_listing;
use crate::kafka::groups::{Absent, read_groups};
use crate::kafka::wire::{Pool, Security, WireError};

/// Settings of a collection run.
#[derive(Clone, Copy, Debug)]
pub struct CollectOptions {
    /// Bound of every admin call and of the offset-syncs read.
    pub admin_timeout: Duration,
    /// Bound of one request.
    pub request_timeout: Duration,
    /// Also inspect source groups that are not active.
    pub include_inactive: bool,
}

/// A cluster that cannot be used at all.
#[derive(Debug, Error, Diagnostic)]
#[error("cluster `{alias}`: {error}")]
#[diagnostic(
    code(inspect::cluster),
    help("check `{alias}.bootstrap.servers` and the security settings in the MM2 properties")
)]
pub struct ClusterError {
    /// The alias.
    pub alias: String,
    /// Why.
    pub error: AdminError,
}

/// Source group states the reference tool calls active.
fn is_active(state: &str) -> bool {
    crate::inspect::compare::is_active_state(state)
}

/// Connects to every cluster the pairs use (checking each answers) and collects every pair.
pub fn collect(config: &Mm2Config, options: CollectOptions) -> Result<Vec<PairFacts>, ClusterError> {
    let clusters = connect(config, options)?;
    let mut out = Vec::new();
    for pair in &config.pairs {
        out.push(collect_pair(config, pair, &clusters, options)?);
    }
    Ok(out)
}

/// One cluster: the librdkafka admin client, and what the connections of our own need.
struct Cluster {
    admin: Admin,
    /// The brokers, as the cluster described them at the start of this run.
    nodes: Vec<Node>,
    security: Security,
    /// Bound of connecting and of each request over the own connections.
    request_timeout: Duration,
}

impl Cluster {
    /// Committed offsets of `groups` over connections of our own, asked again while their
    /// coordinators load or move, for up to `patience`. A cluster that answers no
    /// `FindCoordinator` v4 at all (brokers before Kafka 3.0) gives every group an error;
    /// refused credentials end the run.
    fn committed(
        &self,
        groups: &[String],
        patience: Duration,
    ) -> Result<BTreeMap<String, Result<Committed, AdminError>>, AdminError> {
        if groups.is_empty() {
            return Ok(BTreeMap::new());
        }
        let mut pool = Pool::new(self.security.clone(), self.request_timeout);
        match coordinated::committed_offsets(&mut pool, &self.nodes, groups, patience) {
            Ok(answers) => Ok(answers),
            Err(e) if e.is_authentication() => Err(AdminError::AuthenticationFailed(e.to_string())),
            Err(e) => {
                let error = no_coordinator(&e);
                Ok(groups.iter().map(|g| (g.clone(), Err(error.clone()))).collect())
            }
        }
    }
}

/// The error of every group when no broker answered `FindCoordinator` v4.
fn no_coordinator(e: &WireError) -> AdminError {
    AdminError::Other {
        name: "NO_COORDINATOR".into(),
        message: format!(
            "no broker named the group coordinators ({e}); committed offsets are read with \
             FindCoordinator v4 and OffsetFetch v8, which brokers speak from Kafka 3.0 on"
        ),
    }
}

/// One admin client per alias, each checked with a DescribeCluster call (which also gives the
/// brokers for the own connections), concurrently.
fn connect(config: &Mm2Config, options: CollectOptions) -> Result<BTreeMap<String, Cluster>, ClusterError> {
    let results: Vec<(String, Result<Cluster, AdminError>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = config
            .admin
            .iter()
            .map(|(alias, settings)| {
                let alias = alias.clone();
                scope.spawn(move || {
                    let cluster = (|| {
                        let security = Security::from_settings(settings)
                            .map_err(|e| AdminError::AuthenticationFailed(e.to_string()))?;
                        let admin = Admin::with_request_timeout(
                            settings,
                            options.admin_timeout,
                            options.request_timeout,
                        )?;
                        let nodes = brokers(&admin)?;
                        Ok(Cluster {
                            admin,
                            nodes,
                            security,
                            request_timeout: options.request_timeout,
                        })
                    })();
                    (alias, cluster)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    (
                        String::new(),
                        Err(AdminError::Unreachable("the connecting thread failed".into())),
                    )
                })
            })
            .collect()
    });
    let mut clusters = BTreeMap::new();
    for (alias, result) in results {
        match result {
            Ok(cluster) => {
                clusters.insert(alias, cluster);
            }
            Err(error) => return Err(ClusterError { alias, error }),
        }
    }
    Ok(clusters)
}

/// The brokers of the cluster: `DescribeCluster`, or, when that call fails for a reason other
/// than the credentials (librdkafka may send it to a broker that has just died), the brokers of
/// a metadata answer from any broker.
fn brokers(admin: &Admin) -> Result<Vec<Node>, AdminError> {
    let error = match admin.describe_cluster() {
        Ok(description) => return Ok(description.nodes),
        Err(e @ AdminError::AuthenticationFailed(_)) => return Err(e),
        Err(e) => e,
    };
    let Ok(metadata) = admin.client().inner().fetch_metadata(None, admin.timeout()) else {
        return Err(error);
    };
    let mut nodes: Vec<Node> = metadata
        .brokers()
        .iter()
        .filter_map(|b| {
            Some(Node {
                id: b.id(),
                host: b.host().to_owned(),
                port: u16::try_from(b.port()).ok()?,
                rack: None,
            })
        })
        .collect();
    if nodes.is_empty() {
        return Err(error);
    }
    nodes.sort_by_key(|n| n.id);
    tracing::debug!("DescribeCluster failed ({error}); using the brokers of a metadata answer");
    Ok(nodes)
}

/// Every group of the cluster, listed until the listing settles
/// ([`group_listing::list_settled`]: every broker answered, every group coordinator served its
/// partitions throughout), for up to `patience`. A listing that does not settle is an error: a
/// gate must never pass on fewer groups.
fn list_all_groups(cluster: &Cluster, patience: Duration) -> Result<Vec<GroupListing>, AdminError> {
    let mut pool = Pool::new(cluster.security.clone(), cluster.request_timeout);
    let listing = group_listing::list_settled(&cluster.admin, &mut pool, &cluster.nodes, patience)?;
    match listing.unsettled {
        None => Ok(listing.groups),
        Some(why) => Err(AdminError::Unreachable(format!(
            "the list of consumer groups is incomplete: {why}"
        ))),
    }
}

fn fatal(alias: &str, error: AdminError) -> ClusterError {
    ClusterError {
        alias: alias.to_owned(),
        error,
    }
}

fn collect_pair(
    config: &Mm2Config,
    pair: &Pair,
    clusters: &BTreeMap<String, Cluster>,
    options: CollectOptions,
) -> Result<PairFacts, ClusterError> {
    let started = Instant::now();
    let source_cluster = &clusters[&pair.source];
    let target_cluster = &clusters[&pair.target];
    let (source, target) = (&source_cluster.admin, &target_cluster.admin);
    std::thread::scope(|scope| {
        let syncs = scope.spawn(|| {
            let cluster = pair.offset_syncs_cluster();
            let settings = &config.consumer[cluster];
            read_offset_syncs_within(
                settings,
                &pair.offset_syncs_topic(),
                cluster,
                options.admin_timeout,
                Some(options.request_timeout),
            )
        });

        let checkpointed = scope.spawn(|| {
            // The consumer settings when the target also holds the offset syncs, else the
            // admin client's: both reach the same cluster as the same user.
            let settings = config
                .consumer
                .get(&pair.target)
                .unwrap_or(&config.admin[&pair.target]);
            read_checkpointed_groups(
                settings,
                &pair.policy.checkpoints_topic(&pair.source),
                options.admin_timeout,
                options.request_timeout,
            )
        });

        // Source groups: list, filter, committed offsets.
        let listed =
            list_all_groups(source_cluster, options.admin_timeout).map_err(|e| fatal(&pair.source, e))?;
        let listed_ids: BTreeSet<String> = listed.iter().map(|g| g.id.clone()).collect();
        let kept: Vec<(String, String)> = listed
            .into_iter()
            .filter(|g| pair.groups.accepts(&g.id))
            .filter(|g| options.include_inactive || is_active(&g.state))
            .map(|g| (g.id, g.state))
            .collect();
        let ids: Vec<String> = kept.iter().map(|(id, _)| id.clone()).collect();
        tracing::debug!(
            "{}: {} groups selected on {}",
            pair.name(),
            ids.len(),
            pair.source
        );

        let target_ids = ids.clone();
        let target_side =
            scope.spawn(move || collect_target_groups(target_cluster, &target_ids, options.admin_timeout));
        let mut source_offsets = source_cluster
            .committed(&ids, options.admin_timeout)
            .map_err(|e| fatal(&pair.source, e))?;
        let mut group_offsets: Vec<Result<BTreeMap<Tp, i64>, String>> = Vec::with_capacity(ids.len());
        let mut source_tps: BTreeSet<Tp> = BTreeSet::new();
        for id in &ids {
            let answer = source_offsets
                .remove(id)
                .unwrap_or_else(|| Err(AdminError::Unreachable("no answer for this group".into())));
            group_offsets.push(match answer {
                Ok(offsets) => {
                    let filtered: BTreeMap<Tp, i64> = offsets
                        .into_iter()
                        .filter(|(topic, _, offset)| pair.topics.accepts(topic) && *offset >= 0)
                        .map(|(topic, partition, offset)| ((topic, partition), offset))
                        .collect();
                    source_tps.extend(filtered.keys().cloned());
                    Ok(filtered)
                }
                Err(e) => Err(e.to_string()),
            });
        }

        let target_tps: BTreeSet<Tp> = source_tps
            .iter()
            .map(|(t, p)| (pair.policy.checkpoint_topic(&pair.source, &pair.target, t), *p))
            .collect();
        let target_topics = scope
            .spawn(move || partition_offsets(target, &target_tps, false).map_err(|e| fatal(&pair.target, e)));
        let source_topics =
            partition_offsets(source, &source_tps, true).map_err(|e| fatal(&pair.source, e))?;
        let target_topics = target_topics.join().expect("target offsets thread")?;
        let mut target_groups = target_side
            .join()
            .expect("target groups thread")
            .map_err(|e| fatal(&pair.target, e))?;

        let groups: Vec<GroupFacts> = kept
            .into_iter()
            .zip(group_offsets)
            .map(|((group, state), offsets)| {
                let target = target_groups
                    .remove(&group)
                    .unwrap_or_else(|| Err("no answer for this group".into()));
                GroupFacts {
                    group,
                    state,
                    offsets,
                    target,
                }
            })
            .collect();
        let syncs = syncs.join().expect("offset-syncs thread");
        let records_after_newest_sync = match &syncs {
            Ok(store) => {
                let probes = probes_past_newest_sync(store, &groups, &source_topics);
                let settings = config
                    .consumer
                    .get(&pair.source)
                    .unwrap_or(&config.admin[&pair.source]);
                records_between(settings, &probes, options.admin_timeout, options.request_timeout)
            }
            Err(_) => HashMap::new(),
        };
        let unlisted_groups = match checkpointed.join().expect("checkpoints thread") {
            Ok(groups) => groups
                .into_iter()
                .filter(|g| pair.groups.accepts(g) && !listed_ids.contains(g))
                .collect(),
            Err(error) => {
                tracing::debug!("{}: checkpoints not read: {error}", pair.name());
                Vec::new()
            }
        };
        tracing::debug!("{}: collected in {:?}", pair.name(), started.elapsed());
        Ok(PairFacts {
            name: pair.name(),
            source: pair.source.clone(),
            target: pair.target.clone(),
            policy: pair.policy.clone(),
            sync_group_offsets: pair.sync_group_offsets,
            source_topics,
            target_topics,
            syncs,
            groups,
            unlisted_groups,
            listed_groups: listed_ids,
            records_after_newest_sync,
        })
    })
}

/// Describes the groups on the target and reads their committed offsets, batched per
/// coordinator over connections of our own ([`crate::kafka::groups`], the reader `discover`
/// uses too). A group the target does not know is `Dead` with no offsets.
fn collect_target_groups(
    cluster: &Cluster,
    ids: &[String],
    patience: Duration,
) -> Result<HashMap<String, Result<TargetGroup, String>>, AdminError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut pool = Pool::new(cluster.security.clone(), cluster.request_timeout);
    let read = match read_groups(
        &mut pool,
        &cluster.nodes,
        ids,
        &BTreeSet::new(),
        Absent::IsAnAnswer,
        patience,
    ) {
        Ok(read) => read,
        Err(e) if e.is_authentication() => return Err(AdminError::AuthenticationFailed(e.to_string())),
        Err(e) => {
            let error = no_coordinator(&e);
            return Ok(ids
                .iter()
                .map(|id| (id.clone(), Err(format!("describe failed: {error}"))))
                .collect());
        }
    };
    Ok(read
        .groups
        .into_iter()
        .map(|(id, group)| {
            let value = match (group.description, group.committed) {
                (Ok(described), Ok(committed)) => Ok(TargetGroup {
                    state: described.state,
                    offsets: committed
                        .into_iter()
                        .filter(|(_, _, o)| *o >= 0)
                        .map(|(topic, partition, offset)| ((topic, partition), offset))
                        .collect(),
                }),
                (Err(e), _) => Err(format!("describe failed: {e}")),
                (_, Err(e)) => Err(format!("offset fetch failed: {e}")),
            };
            (id, value)
        })
        .collect())
}

/// Earliest and latest offsets of the partitions, in two batched calls. A partition whose
/// topic is not in the cluster's metadata is `Ok(None)` on the target and an error on the
/// source (a source topic deleted after the group committed to it).
fn partition_offsets(
    admin: &Admin,
    tps: &BTreeSet<Tp>,
    is_source: bool,
) -> Result<HashMap<Tp, TopicOffsets>, AdminError> {
    let mut out = HashMap::with_capacity(tps.len());
    if tps.is_empty() {
        return Ok(out);
    }
    let topics: BTreeSet<&str> = tps.iter().map(|(t, _)| t.as_str()).collect();
    let metadata = admin
        .client()
        .inner()
        .fetch_metadata(None, admin.timeout())
        .map_err(|e| AdminError::Unreachable(format!("metadata: {e}")))?;
    let mut existing: HashMap<&str, i32> = HashMap::new();
    for t in metadata.topics() {
        if t.error().is_none() && topics.contains(t.name()) {
            existing.insert(
                topics.get(t.name()).copied().unwrap_or_default(),
                t.partitions().len() as i32,
            );
        }
    }
    let (present, missing): (Vec<Tp>, Vec<Tp>) = tps
        .iter()
        .cloned()
        .partition(|(t, p)| existing.get(t.as_str()).is_some_and(|n| p < n));
    // The full metadata leaves out topics the principal may not describe: ask for those by
    // name, once per topic, to tell "not authorized" from "does not exist".
    let mut hidden: HashMap<String, Option<String>> = HashMap::new();
    for tp in missing {
        let reason = hidden
            .entry(tp.0.clone())
            .or_insert_with(|| topic_error(admin, &tp.0))
            .clone();
        let value = match reason {
            Some(error) => Err(error),
            None if is_source => Err(format!(
                "the source topic partition {}-{} does not exist",
                tp.0, tp.1
            )),
            None => Ok(None),
        };
        out.insert(tp, value);
    }
    let (earliest, latest) = std::thread::scope(|scope| {
        let earliest = scope.spawn(|| admin.list_offsets(&present, OffsetSpec::Earliest));
        let latest = admin.list_offsets(&present, OffsetSpec::Latest);
        (earliest.join().expect("list offsets thread"), latest)
    });
    // After the cluster answered, a failed call (a partition leader down or moving) is an
    // error of each partition asked about, not of the cluster; refused credentials still end
    // the run.
    let per_partition = |answer: Result<OffsetResults, AdminError>| match answer {
        Err(e @ AdminError::AuthenticationFailed(_)) => Err(e),
        Err(e) => Ok(present.iter().map(|tp| (tp.clone(), Err(e.clone()))).collect()),
        ok => ok,
    };
    let (earliest, latest) = (per_partition(earliest)?, per_partition(latest)?);
    for tp in present {
        let value = match (earliest.get(&tp), latest.get(&tp)) {
            (Some(Ok(e)), Some(Ok(l))) => Ok(Some((*e, *l))),
            (Some(Err(err)), _) | (_, Some(Err(err))) => Err(err.to_string()),
            _ => Err("no offsets returned".to_owned()),
        };
        out.insert(tp, value);
    }
    Ok(out)
}

/// The error the cluster gives for `topic` when asked by name, unless it is "unknown topic"
/// (`None`: the topic does not exist). The admin client never auto-creates topics.
fn topic_error(admin: &Admin, topic: &str) -> Option<String> {
    let metadata = admin
        .client()
        .inner()
        .fetch_metadata(Some(topic), admin.timeout())
        .ok()?;
    let found = metadata.topics().iter().find(|t| t.name() == topic)?;
    let code = found.error()?;
    match RDKafkaErrorCode::from(code) {
        RDKafkaErrorCode::UnknownTopicOrPartition => None,
        _ => Some(AdminError::from_code_described(code).to_string()),
    }
}

/// Reads partition 0 of the offset-syncs topic from its start to the end offset seen at the
/// start, within `timeout`. Never creates the topic.
pub fn read_offset_syncs(
    settings: &ClientSettings,
    topic: &str,
    cluster: &str,
    timeout: Duration,
) -> Result<SyncStore, SyncsProblem> {
    read_offset_syncs_within(settings, topic, cluster, timeout, None)
}

/// As [`read_offset_syncs`], with `request_timeout` bounding each request.
pub fn read_offset_syncs_within(
    settings: &ClientSettings,
    topic: &str,
    cluster: &str,
    timeout: Duration,
    request_timeout: Option<Duration>,
) -> Result<SyncStore, SyncsProblem> {
    let mut store = SyncStore::default();
    let read = read_partition_zero(settings, topic, timeout, request_timeout, |key, value| {
        store.add_record(key, value)
    });
    match read {
        Ok(true) => {}
        Ok(false) => {
            return Err(SyncsProblem::Missing {
                topic: topic.to_owned(),
                cluster: cluster.to_owned(),
            });
        }
        Err(error) => {
            return Err(SyncsProblem::Unreadable {
                topic: topic.to_owned(),
                cluster: cluster.to_owned(),
                error,
            });
        }
    }
    if store.undecodable > 0 {
        tracing::warn!(
            "{topic} on {cluster}: {} records could not be decoded",
            store.undecodable
        );
    }
    Ok(store)
}

/// The source partitions where a group consumed past MM2's newest offset sync, each with the
/// range to look for records in: from the record after the newest sync to the furthest any
/// group consumed (within the log end).
fn probes_past_newest_sync(
    syncs: &SyncStore,
    groups: &[GroupFacts],
    source_topics: &HashMap<Tp, TopicOffsets>,
) -> BTreeMap<Tp, (i64, i64)> {
    let mut probes: BTreeMap<Tp, (i64, i64)> = BTreeMap::new();
    for offsets in groups.iter().filter_map(|g| g.offsets.as_ref().ok()) {
        for (tp, &group) in offsets {
            let Some(newest) = syncs.history(&tp.0, tp.1).and_then(|h| h.latest()) else {
                continue;
            };
            let log_end = match source_topics.get(tp) {
                Some(Ok(Some((_, latest)))) => *latest,
                _ => continue,
            };
            let consumed_end = group.min(log_end);
            if consumed_end > newest.upstream + 1 {
                let range = probes
                    .entry(tp.clone())
                    .or_insert((newest.upstream + 1, consumed_end));
                range.1 = range.1.max(consumed_end);
            }
        }
    }
    probes
}

/// For each source partition and range `from..until`, whether a record lies in it, as MM2's
/// consumer sees records (uncommitted ones included, transaction markers never). `false` only
/// when the consumer provably got to `until` without one; a partition it could not settle
/// within the time is left out (the caller then assumes a record).
fn records_between(
    settings: &ClientSettings,
    probes: &BTreeMap<Tp, (i64, i64)>,
    timeout: Duration,
    request_timeout: Duration,
) -> HashMap<Tp, bool> {
    let mut found = HashMap::with_capacity(probes.len());
    if probes.is_empty() {
        return found;
    }
    let mut cfg = reader_config(settings);
    cfg.set("enable.partition.eof", "true")
        .set("isolation.level", "read_uncommitted")
        .set("fetch.max.bytes", "1048576")
        .set("max.partition.fetch.bytes", "65536")
        .set("queued.max.messages.kbytes", "4096")
        .set("socket.timeout.ms", socket_timeout_ms(request_timeout));
    let Ok(consumer) = cfg.create::<BaseConsumer>() else {
        return found;
    };
    let mut tpl = TopicPartitionList::new();
    for ((topic, partition), (from, _)) in probes {
        if tpl
            .add_partition_offset(topic, *partition, Offset::Offset(*from))
            .is_err()
        {
            return found;
        }
    }
    if consumer.assign(&tpl).is_err() {
        return found;
    }
    let deadline = Instant::now() + timeout;
    while found.len() < probes.len() && Instant::now() < deadline {
        match consumer.poll(Duration::from_millis(100)) {
            Some(Ok(message)) => {
                let tp = (message.topic().to_owned(), message.partition());
                if let Some((_, until)) = probes.get(&tp) {
                    found.entry(tp).or_insert(message.offset() < *until);
                }
            }
            // The end of a partition (or a quiet moment): partitions whose position reached
            // `until` with no record delivered hold only transaction markers there.
            Some(Err(rdkafka::error::KafkaError::PartitionEOF(_))) | None => {
                let Ok(positions) = consumer.position() else {
                    continue;
                };
                for element in positions.elements() {
                    let tp = (element.topic().to_owned(), element.partition());
                    if let (Some((_, until)), Offset::Offset(position)) = (probes.get(&tp), element.offset())
                        && position >= *until
                    {
                        found.entry(tp).or_insert(false);
                    }
                }
            }
            Some(Err(error)) => {
                tracing::debug!("looking for records after the newest offset syncs: {error}");
                break;
            }
        }
    }
    found
}

/// The groups MirrorMaker 2 has checkpoints for in `topic` (a checkpoints topic); empty when
/// the topic does not exist.
fn read_checkpointed_groups(
    settings: &ClientSettings,
    topic: &str,
    timeout: Duration,
    request_timeout: Duration,
) -> Result<BTreeSet<String>, String> {
    let mut groups = BTreeSet::new();
    read_partition_zero(settings, topic, timeout, Some(request_timeout), |key, _| {
        if let Some(Ok(group)) = key.map(checkpoints::decode_group) {
            groups.insert(group);
        }
    })?;
    Ok(groups)
}

/// Reads partition 0 of `topic` from its start to the end offset seen at the start, within
/// `timeout`, handing each record's key and value to `on_record`. `Ok(false)` when the topic
/// does not exist; it is never created.
fn read_partition_zero(
    settings: &ClientSettings,
    topic: &str,
    timeout: Duration,
    request_timeout: Option<Duration>,
    mut on_record: impl FnMut(Option<&[u8]>, Option<&[u8]>),
) -> Result<bool, String> {
    let mut cfg = reader_config(settings);
    cfg.set("auto.offset.reset", "earliest")
        .set("fetch.max.bytes", "16777216");
    if let Some(request_timeout) = request_timeout {
        cfg.set("socket.timeout.ms", socket_timeout_ms(request_timeout));
    }
    let consumer: BaseConsumer = cfg.create().map_err(|e| e.to_string())?;
    let metadata = consumer
        .fetch_metadata(Some(topic), timeout)
        .map_err(|e| format!("metadata: {e}"))?;
    let exists = metadata
        .topics()
        .iter()
        .any(|t| t.name() == topic && t.error().is_none() && !t.partitions().is_empty());
    if !exists {
        return Ok(false);
    }
    let (low, high) = consumer
        .fetch_watermarks(topic, 0, timeout)
        .map_err(|e| format!("watermarks: {e}"))?;
    if high <= low {
        return Ok(true);
    }
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition_offset(topic, 0, Offset::Offset(low))
        .map_err(|e| e.to_string())?;
    consumer.assign(&tpl).map_err(|e| e.to_string())?;
    let deadline = Instant::now() + timeout;
    let mut next = low;
    while next < high {
        if Instant::now() >= deadline {
            return Err(format!(
                "read up to offset {next} of {high} within {} s",
                timeout.as_secs()
            ));
        }
        match consumer.poll(Duration::from_millis(200)) {
            Some(Ok(message)) => {
                next = message.offset() + 1;
                on_record(message.key(), message.payload());
            }
            Some(Err(e)) => return Err(e.to_string()),
            None => {}
        }
    }
    Ok(true)
}

/// A consumer that reads assigned partitions and never commits, joins a group or creates a
/// topic.
fn reader_config(settings: &ClientSettings) -> rdkafka::ClientConfig {
    let mut cfg = settings.client_config();
    cfg.set("group.id", "diskless-migrator-inspect")
        .set("enable.auto.commit", "false")
        .set("enable.auto.offset.store", "false")
        .set("allow.auto.create.topics", "false");
    cfg
}
