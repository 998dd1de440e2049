//! Live discovery: reads every fact of [`Inventory`] from a running cluster.
//!
//! Requests are batched so their number grows with the number of brokers, not with topics or
//! groups: one `DescribeCluster`, one `Metadata` (topics), one `DescribeConfigs` for all topics
//! and one per broker (Kafka answers a broker's configs only to a request naming that broker
//! alone), all at once, and `ListGroups` per broker through librdkafka; over connections of our
//! own ([`crate::kafka::wire`]) `ListOffsets` per partition leader (twice: earliest and latest),
//! `DescribeLogDirs` per broker, one `DescribeAcls`, one `FindCoordinator` for all groups, and
//! per coordinator one `DescribeGroups`, `ConsumerGroupDescribe` and `OffsetFetch` (up to
//! [`crate::kafka::coordinated::BATCH`] groups each); per partition leader one
//! `DescribeProducers` and one `Fetch` of the newest batches (see [`transactions`]).
//!
//! A fact the principal may not read becomes a [`Gap`] with the cluster's reason; only an
//! unreachable cluster or refused credentials stop the run. Where the cluster enforces ACLs,
//! topics and groups the principal may not `Describe` are left out of Kafka's listings; a
//! `listing` gap says so.
//!
//! Longer than most modules: it is the sequence of reads and the gaps each refusal records; every
//! protocol detail lives in `kafka/`, every kind of fact with its own logic in a sibling module.

mod groups;
mod one_by_one;
mod sample;
mod transactions;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::inventory::model::*;
use crate::kafka::admin::{Admin, AdminError, ClusterDescription, ConfigResource, ConfigValue, Node};
use crate::kafka::client::ClientSettings;
use crate::kafka::wire::describe_acls;
use crate::kafka::wire::list_offsets::{self, End};
use crate::kafka::wire::log_dirs::{self, ReplicaSizes};
use crate::kafka::wire::{Pool, Security, WireError};

pub use sample::rfc3339_now;

/// What to collect and how long to wait.
#[derive(Clone, Debug)]
pub struct DiscoverOptions {
    /// Bound of each request.
    pub timeout: Duration,
    /// When set, end offsets and sizes are read twice this far apart and rates recorded.
    pub sample: Option<Duration>,
}

/// Progress reports: the step being started and how many steps there are.
pub trait Progress {
    /// A step starts.
    fn step(&mut self, index: usize, total: usize, what: &str);
}

impl Progress for () {
    fn step(&mut self, _: usize, _: usize, _: &str) {}
}

/// Reads the cluster behind `settings` into an inventory. Fails only when the cluster cannot be
/// used at all ([`AdminError::is_fatal`]); every other missing fact is a gap.
pub fn discover(
    settings: &ClientSettings,
    options: &DiscoverOptions,
    progress: &mut dyn Progress,
) -> Result<Inventory, AdminError> {
    let collected_at = rfc3339_now();
    let admin = Admin::new(settings, options.timeout)?;
    let security =
        Security::from_settings(settings).map_err(|e| AdminError::AuthenticationFailed(e.to_string()))?;
    let group_security = security.clone();
    let txn_security = security.clone();
    let mut pool = Pool::new(security, options.timeout);
    let total = if options.sample.is_some() { 9 } else { 8 };
    let mut gaps = Vec::new();
    let mut gap = |fact: &str, subject: Option<String>, reason: String| {
        tracing::warn!(
            "{fact}{} unknown: {reason}",
            subject.as_deref().map(|s| format!(" of {s}")).unwrap_or_default()
        );
        gaps.push(Gap {
            fact: fact.into(),
            subject,
            reason,
        });
    };

    progress.step(1, total, "describing the cluster");
    // DescribeCluster adds the cluster id, the controller and racks to the metadata's brokers.
    // When it fails but the metadata can be read (its broker went away), the metadata's brokers
    // are used; when nothing answers, its error ends the run.
    let described_cluster = admin.describe_cluster();
    if let Err(e @ AdminError::AuthenticationFailed(_)) = described_cluster {
        return Err(e);
    }
    let fetch = || {
        admin
            .client()
            .inner()
            .fetch_metadata(None, options.timeout)
            .map_err(|e| classify_kafka(&admin, e))
    };
    let metadata = match fetch() {
        Ok(metadata) => metadata,
        Err(_) if described_cluster.is_ok() => retried("read the metadata", fetch)?,
        Err(fetch_error) => return Err(described_cluster.err().unwrap_or(fetch_error)),
    };
    let cluster = match described_cluster {
        Ok(cluster) => cluster,
        Err(e) => {
            gap(
                "cluster",
                None,
                format!("{e}; the brokers are the metadata's (no cluster id, controller or racks)"),
            );
            let mut nodes: Vec<Node> = metadata
                .brokers()
                .iter()
                .map(|b| Node {
                    id: b.id(),
                    host: b.host().to_owned(),
                    port: u16::try_from(b.port()).unwrap_or_default(),
                    rack: None,
                })
                .collect();
            nodes.sort_by_key(|n| n.id);
            ClusterDescription {
                cluster_id: None,
                controller_id: None,
                nodes,
            }
        }
    };

    progress.step(2, total, "describing topics");
    let mut names: Vec<String> = metadata.topics().iter().map(|t| t.name().to_owned()).collect();
    names.sort();
    // DescribeTopics adds topic ids to what the metadata says; when it cannot be had (its broker
    // went away), the metadata's partitions are used and the ids are a gap.
    let described = match retried("describe the topics", || admin.describe_topics(&names)) {
        Ok(described) => Some(described),
        Err(e @ AdminError::AuthenticationFailed(_)) => return Err(e),
        Err(e) => {
            gap(
                "topic_ids",
                None,
                format!("{e}; the partitions are the metadata's"),
            );
            None
        }
    };
    let mut topics: Vec<Topic> = Vec::with_capacity(names.len());
    let topic = |name: &str, id: Option<String>, internal: bool, partitions: Vec<Partition>| Topic {
        name: name.to_owned(),
        id,
        internal: internal || name.starts_with("__"),
        partitions,
        configs: None,
        transactional: None,
        transactional_evidence: None,
    };
    match &described {
        Some(described) => {
            for name in &names {
                match described.get(name) {
                    Some(Ok(d)) => {
                        let partitions = d
                            .partitions
                            .iter()
                            .map(|p| Partition {
                                partition: p.partition,
                                leader: p.leader,
                                replicas: p.replicas.clone(),
                                isr: p.isr.clone(),
                                ..Partition::default()
                            })
                            .collect();
                        topics.push(topic(name, d.id.clone(), d.internal, partitions));
                    }
                    Some(Err(e)) => gap("topic", Some(name.clone()), e.to_string()),
                    None => gap("topic", Some(name.clone()), "not described by the cluster".into()),
                }
            }
        }
        None => {
            let mut listed: Vec<_> = metadata.topics().iter().collect();
            listed.sort_by(|a, b| a.name().cmp(b.name()));
            for t in listed {
                if let Some(e) = t.error() {
                    gap("topic", Some(t.name().to_owned()), format!("{e:?}"));
                    continue;
                }
                let mut partitions: Vec<Partition> = t
                    .partitions()
                    .iter()
                    .map(|p| Partition {
                        partition: p.id(),
                        leader: (p.leader() >= 0).then_some(p.leader()),
                        replicas: p.replicas().to_vec(),
                        isr: p.isr().to_vec(),
                        ..Partition::default()
                    })
                    .collect();
                partitions.sort_by_key(|p| p.partition);
                topics.push(topic(t.name(), None, false, partitions));
            }
        }
    }

    // From here on the requests are independent: configs and ACLs (librdkafka) and the groups
    // (librdkafka's ListGroups, then a connection pool of their own) run on two threads while
    // offsets and sizes are read on this one, so the brokers answer them at the same time.
    progress.step(3, total, "reading configs, offsets, sizes, groups and ACLs");
    let resources: Vec<ConfigResource> = topics
        .iter()
        .map(|t| ConfigResource::Topic(t.name.clone()))
        .collect();
    let mut by_leader: BTreeMap<i32, Vec<(String, i32)>> = BTreeMap::new();
    for t in &topics {
        for p in &t.partitions {
            match p.leader {
                Some(leader) => by_leader
                    .entry(leader)
                    .or_default()
                    .push((t.name.clone(), p.partition)),
                None => gap(
                    "offsets",
                    Some(format!("{}-{}", t.name, p.partition)),
                    "the partition has no leader".into(),
                ),
            }
        }
    }
    let (earliest, latest, sizes, acls, configs, groups_answer, txn) = std::thread::scope(|s| {
        let admin = &admin;
        let resources = &resources;
        let nodes = &cluster.nodes;
        let librdkafka = s.spawn(move || describe_configs(admin, resources, nodes));
        let groups_thread = s.spawn(move || {
            let mut own = Pool::new(group_security, options.timeout);
            let mut found: Vec<(String, Option<String>, String)> = Vec::new();
            let mut record = |fact: &str, subject: Option<String>, reason: String| {
                found.push((fact.to_owned(), subject, reason));
            };
            let result = groups::groups(admin, &mut own, nodes, &mut record);
            (result, found)
        });
        progress.step(4, total, "reading earliest and latest offsets");
        let earliest = offsets(&mut pool, &by_leader, nodes, End::Earliest, &mut gap);
        let latest = offsets(&mut pool, &by_leader, nodes, End::Latest, &mut gap);
        // Transactional writes, per leader on threads of their own: they need the offsets.
        let plan = tail_plan(&by_leader, earliest.as_ref().ok(), latest.as_ref().ok());
        let txn_security = &txn_security;
        let txn_thread = s.spawn(move || transactions::read(txn_security, options.timeout, nodes, plan));
        progress.step(
            5,
            total,
            "reading partition sizes (DescribeLogDirs), ACLs and transactional writes",
        );
        let sizes = partition_sizes(&mut pool, nodes, &mut gap);
        let acls = read_acls(&mut pool, nodes, &mut gap).and_then(|acls| {
            let scram = first_answer(&mut pool, nodes, "scram_users", &mut gap, scram_users)?;
            let quotas = first_answer(&mut pool, nodes, "quotas", &mut gap, client_quotas)?;
            Ok((acls, scram, quotas))
        });
        let txn = txn_thread.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        progress.step(6, total, "describing consumer groups");
        let groups_answer = groups_thread
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        progress.step(7, total, "reading configs");
        let configs = librdkafka.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        (earliest, latest, sizes, acls, configs, groups_answer, txn)
    });
    let (earliest, latest, sizes, (acls, scram_users, quotas), txn) =
        (earliest?, latest?, sizes?, acls?, txn?);
    transactions::apply(&mut topics, &txn, &mut gap);

    let (topic_configs, broker_configs) = configs;
    let mut configs = match topic_configs {
        Ok(c) => c,
        Err(e @ AdminError::AuthenticationFailed(_)) => return Err(e),
        // The cluster answered the requests before this one: a broker that went away is a gap,
        // not a cluster out of reach.
        Err(e) => {
            gap("topic_configs", None, e.to_string());
            BTreeMap::new()
        }
    };
    for (id, answer) in broker_configs {
        match answer {
            Ok(c) => configs.extend(c),
            // A broker that does not answer is a gap for that broker; the others answered.
            Err(e @ AdminError::AuthenticationFailed(_)) => return Err(e),
            Err(e) => {
                configs.insert(ConfigResource::Broker(id), Err(e));
            }
        }
    }
    for topic in &mut topics {
        match configs.remove(&ConfigResource::Topic(topic.name.clone())) {
            Some(Ok(values)) => topic.configs = Some(entries(values)),
            Some(Err(e)) => gap("topic_configs", Some(topic.name.clone()), e.to_string()),
            None => gap(
                "topic_configs",
                Some(topic.name.clone()),
                "not answered by the cluster".into(),
            ),
        }
    }
    let mut brokers: Vec<Broker> = cluster
        .nodes
        .iter()
        .map(|n| {
            let configs = match configs.remove(&ConfigResource::Broker(n.id)) {
                Some(Ok(values)) => Some(entries(values)),
                Some(Err(e)) => {
                    gap("broker_configs", Some(n.id.to_string()), e.to_string());
                    None
                }
                None => {
                    gap(
                        "broker_configs",
                        Some(n.id.to_string()),
                        "not answered by the broker".into(),
                    );
                    None
                }
            };
            Broker {
                id: n.id,
                host: Some(n.host.clone()),
                port: Some(n.port),
                rack: n.rack.clone(),
                configs,
            }
        })
        .collect();
    brokers.sort_by_key(|b| b.id);
    // A broker that holds replicas but is not among the live brokers (down, or fenced by the
    // controller) has no facts of its own here: name it.
    let replica_brokers: std::collections::BTreeSet<i32> = topics
        .iter()
        .flat_map(|t| t.partitions.iter().flat_map(|p| p.replicas.iter().copied()))
        .collect();
    for id in replica_brokers {
        if brokers.binary_search_by_key(&id, |b| b.id).is_err() {
            gap(
                "broker",
                Some(id.to_string()),
                "holds replicas but is not among the cluster's live brokers (down or fenced): its \
                 configs, sizes and the offsets of the partitions it leads are unknown"
                    .into(),
            );
        }
    }

    for topic in &mut topics {
        for p in &mut topic.partitions {
            let key = (topic.name.clone(), p.partition);
            p.earliest_offset = earliest.get(&key).copied();
            p.latest_offset = latest.get(&key).copied();
            p.size_bytes = p.leader.and_then(|leader| sizes.get(&leader)?.get(&key).copied());
        }
    }

    let (consumer_groups, group_gaps) = groups_answer;
    for (fact, subject, reason) in group_gaps {
        gap(&fact, subject, reason);
    }
    let consumer_groups = consumer_groups?;

    match &acls {
        AclAnswer::Read(_) | AclAnswer::Refused => gap(
            "listing",
            None,
            "the cluster enforces ACLs: topics and consumer groups this principal may not Describe \
             are not listed"
                .into(),
        ),
        AclAnswer::NoAuthorizer => {}
        AclAnswer::Unknown => gap(
            "listing",
            None,
            "whether the cluster enforces ACLs is unknown (DescribeAcls was not answered): topics \
             and consumer groups this principal may not Describe would not be listed"
                .into(),
        ),
    }
    let acls = match acls {
        AclAnswer::Read(list) => Some(list),
        AclAnswer::NoAuthorizer => Some(Vec::new()),
        AclAnswer::Refused | AclAnswer::Unknown => None,
    };

    let mut sample_seconds = None;
    if let Some(length) = options.sample {
        progress.step(
            8,
            total,
            &format!("sampling throughput for {} s", length.as_secs()),
        );
        let started = Instant::now();
        std::thread::sleep(length);
        // A failed second reading leaves the rates unknown: a `throughput` gap, not `offsets`.
        let mut sample_gap = |_fact: &str, subject: Option<String>, reason: String| {
            gap(
                "throughput",
                subject,
                format!("the second reading of the sample failed: {reason}"),
            );
        };
        let later = offsets(
            &mut pool,
            &by_leader,
            &cluster.nodes,
            End::Latest,
            &mut sample_gap,
        )?;
        let later_sizes = partition_sizes(&mut pool, &cluster.nodes, &mut sample_gap)?;
        let seconds = started.elapsed().as_secs_f64();
        sample_seconds = Some(seconds);
        sample::apply(&mut topics, &later, &later_sizes, seconds);
    }

    progress.step(total, total, "done");
    gaps.push(Gap {
        fact: "kafka_version".into(),
        subject: None,
        reason: "the Kafka protocol does not report the broker version".into(),
    });
    gaps.sort();
    gaps.dedup();
    Ok(Inventory {
        schema_version: SCHEMA_VERSION,
        provenance: Provenance {
            method: Method::Live,
            collected_at,
            tool: format!("diskless-migrator {}", env!("CARGO_PKG_VERSION")),
            bootstrap_servers: settings.get("bootstrap.servers").map(str::to_owned),
            imported_files: Vec::new(),
            sample_seconds,
        },
        cluster: Cluster {
            id: cluster.cluster_id,
            kafka_version: None,
            controller_id: cluster.controller_id,
        },
        brokers,
        topics,
        consumer_groups,
        acls,
        scram_users,
        quotas,
        gaps,
    })
}

type GapFn<'a> = dyn FnMut(&str, Option<String>, String) + 'a;

/// Attempts at each of the first requests (cluster, metadata, topics) before the run stops.
const FIRST_REQUEST_ATTEMPTS: usize = 3;

/// Runs `call` again (after 500 ms, up to [`FIRST_REQUEST_ATTEMPTS`] in all) while it fails for
/// another reason than refused credentials: librdkafka may send it to a broker in the bootstrap
/// list that has just gone away, and the next attempt goes to another.
fn retried<T>(what: &str, mut call: impl FnMut() -> Result<T, AdminError>) -> Result<T, AdminError> {
    let mut attempt = 1;
    loop {
        match call() {
            Err(e)
                if attempt < FIRST_REQUEST_ATTEMPTS && !matches!(e, AdminError::AuthenticationFailed(_)) =>
            {
                tracing::info!("trying again to {what}: {e}");
                attempt += 1;
                std::thread::sleep(Duration::from_millis(500));
            }
            answer => return answer,
        }
    }
}

fn classify_kafka(admin: &Admin, error: rdkafka::error::KafkaError) -> AdminError {
    let fallback = || AdminError::Unreachable(error.to_string());
    match error.rdkafka_error_code() {
        Some(code) => match admin.client().inner().context().last_error() {
            Some(e) => e,
            None => AdminError::from_error_code(code, error.to_string()),
        },
        None => fallback(),
    }
}

/// Most partitions in one `ListOffsets` request.
const OFFSETS_BATCH: usize = 25_000;

/// One end of every partition, asked of each leader (one request per leader and
/// [`OFFSETS_BATCH`] partitions). Refused credentials end the run; any other failure is a gap.
fn offsets(
    pool: &mut Pool,
    by_leader: &BTreeMap<i32, Vec<(String, i32)>>,
    nodes: &[crate::kafka::admin::Node],
    end: End,
    gap: &mut GapFn<'_>,
) -> Result<BTreeMap<(String, i32), i64>, AdminError> {
    let mut out = BTreeMap::new();
    for (leader, partitions) in by_leader {
        let Some(node) = nodes.iter().find(|n| n.id == *leader) else {
            gap(
                "offsets",
                Some(format!("broker {leader}")),
                "the leader is not a known broker".into(),
            );
            continue;
        };
        for chunk in partitions.chunks(OFFSETS_BATCH) {
            let answer = pool
                .get(&node.host, node.port)
                .and_then(|c| list_offsets::list_offsets(c, chunk, end));
            match answer {
                Ok(results) => {
                    for (key, value) in results {
                        match value {
                            Ok(offset) => {
                                out.insert(key, offset);
                            }
                            Err(code) => gap(
                                "offsets",
                                Some(format!("{}-{}", key.0, key.1)),
                                code_error(code).to_string(),
                            ),
                        }
                    }
                }
                Err(e) if e.is_authentication() => {
                    return Err(AdminError::AuthenticationFailed(e.to_string()));
                }
                Err(e) => {
                    pool.forget(&node.host, node.port);
                    gap("offsets", Some(format!("broker {leader}")), e.to_string());
                }
            }
        }
    }
    Ok(out)
}

/// The partitions each leader is asked about for transactional writes, with their log start and
/// end offsets when both were read.
fn tail_plan(
    by_leader: &BTreeMap<i32, Vec<(String, i32)>>,
    earliest: Option<&BTreeMap<(String, i32), i64>>,
    latest: Option<&BTreeMap<(String, i32), i64>>,
) -> BTreeMap<i32, Vec<transactions::Planned>> {
    by_leader
        .iter()
        .map(|(leader, partitions)| {
            let planned = partitions
                .iter()
                .map(|key| transactions::Planned {
                    key: key.clone(),
                    offsets: earliest
                        .and_then(|e| e.get(key).copied())
                        .zip(latest.and_then(|l| l.get(key).copied())),
                })
                .collect();
            (*leader, planned)
        })
        .collect()
}

/// A per-item Kafka error code, classified like the errors librdkafka reports.
fn code_error(code: i16) -> AdminError {
    crate::kafka::coordinated::code_error(code)
}

/// Replica sizes per broker: `broker id → (topic, partition) → bytes`. Refused credentials end
/// the run; any other failure is a gap for that broker.
fn partition_sizes(
    pool: &mut Pool,
    nodes: &[crate::kafka::admin::Node],
    gap: &mut GapFn<'_>,
) -> Result<BTreeMap<i32, ReplicaSizes>, AdminError> {
    let mut out = BTreeMap::new();
    for node in nodes {
        match pool
            .get(&node.host, node.port)
            .and_then(log_dirs::describe_log_dirs)
        {
            Ok(sizes) => {
                out.insert(node.id, sizes);
            }
            Err(e) if e.is_authentication() => return Err(AdminError::AuthenticationFailed(e.to_string())),
            Err(e) => {
                pool.forget(&node.host, node.port);
                gap("log_dirs", Some(format!("broker {}", node.id)), e.to_string());
            }
        }
    }
    Ok(out)
}

/// What `DescribeAcls` told.
enum AclAnswer {
    /// The bindings (the cluster has an authorizer).
    Read(Vec<Acl>),
    /// The cluster has no authorizer: there are no ACLs, and every listing is complete.
    NoAuthorizer,
    /// The principal may not describe the cluster's ACLs (so an authorizer is on); a gap.
    Refused,
    /// No broker answered; a gap.
    Unknown,
}

/// Every ACL binding, asked of the first broker that answers over the own connection (it reads
/// the response's error code, which librdkafka drops). Refused credentials end the run; a
/// refusal or no answer is a gap.
fn read_acls(
    pool: &mut Pool,
    nodes: &[crate::kafka::admin::Node],
    gap: &mut GapFn<'_>,
) -> Result<AclAnswer, AdminError> {
    let mut last = None;
    for node in nodes {
        match pool
            .get(&node.host, node.port)
            .and_then(describe_acls::describe_acls)
        {
            Ok(list) => {
                return Ok(AclAnswer::Read(
                    list.into_iter()
                        .map(|a| Acl {
                            resource_type: a.resource_type,
                            resource_name: a.resource_name,
                            pattern_type: a.pattern_type,
                            principal: a.principal,
                            host: a.host,
                            operation: a.operation,
                            permission_type: a.permission_type,
                        })
                        .collect(),
                ));
            }
            Err(WireError::Refused { code, .. }) if code == describe_acls::SECURITY_DISABLED => {
                return Ok(AclAnswer::NoAuthorizer);
            }
            Err(e @ WireError::Refused { .. }) => {
                gap("acls", None, e.to_string());
                return Ok(AclAnswer::Refused);
            }
            Err(e) if e.is_authentication() => return Err(AdminError::AuthenticationFailed(e.to_string())),
            Err(e) => {
                pool.forget(&node.host, node.port);
                last = Some(e);
            }
        }
    }
    let reason = last.map_or_else(|| "the cluster reported no brokers".to_owned(), |e| e.to_string());
    gap("acls", None, reason);
    Ok(AclAnswer::Unknown)
}

/// The answer of the first broker that answers `call` over the own connection. Refused
/// credentials end the run; a refusal or no answer is a gap of `fact` and `None`.
fn first_answer<T>(
    pool: &mut Pool,
    nodes: &[crate::kafka::admin::Node],
    fact: &str,
    gap: &mut GapFn<'_>,
    call: fn(&mut crate::kafka::wire::Connection) -> Result<T, WireError>,
) -> Result<Option<T>, AdminError> {
    let mut last = None;
    for node in nodes {
        match pool.get(&node.host, node.port).and_then(call) {
            Ok(answer) => return Ok(Some(answer)),
            Err(e @ WireError::Refused { .. }) => {
                gap(fact, None, e.to_string());
                return Ok(None);
            }
            Err(e) if e.is_authentication() => return Err(AdminError::AuthenticationFailed(e.to_string())),
            Err(e) => {
                pool.forget(&node.host, node.port);
                last = Some(e);
            }
        }
    }
    let reason = last.map_or_else(|| "the cluster reported no brokers".to_owned(), |e| e.to_string());
    gap(fact, None, reason);
    Ok(None)
}

/// Every user's SCRAM credentials (names, mechanisms, iterations), sorted by user.
fn scram_users(connection: &mut crate::kafka::wire::Connection) -> Result<Vec<ScramUser>, WireError> {
    use crate::kafka::wire::describe_user_scram_credentials as scram;
    Ok(scram::describe_user_scram_credentials(connection)?
        .into_iter()
        .map(|u| ScramUser {
            user: u.user,
            credentials: u
                .credentials
                .into_iter()
                .map(|(mechanism, iterations)| ScramCredential {
                    mechanism,
                    iterations: Some(iterations),
                })
                .collect(),
        })
        .collect())
}

/// Every user and client id quota, sorted; quotas of other entities (`ip`) are left out.
fn client_quotas(connection: &mut crate::kafka::wire::Connection) -> Result<Vec<ClientQuota>, WireError> {
    use crate::kafka::wire::describe_client_quotas as quotas;
    let mut out: Vec<ClientQuota> = Vec::new();
    'entries: for entry in quotas::describe_client_quotas(connection)? {
        let mut quota = ClientQuota::default();
        for (kind, name) in entry.entity {
            let name = name.unwrap_or_else(|| DEFAULT_ENTITY.to_owned());
            match kind.as_str() {
                "user" => quota.user = Some(name),
                "client-id" => quota.client_id = Some(name),
                _ => continue 'entries,
            }
        }
        for (key, value) in entry.values {
            match key.as_str() {
                "producer_byte_rate" => quota.producer_byte_rate = Some(value),
                "consumer_byte_rate" => quota.consumer_byte_rate = Some(value),
                "request_percentage" => quota.request_percentage = Some(value),
                _ => {}
            }
        }
        out.push(quota);
    }
    out.sort_by(|a, b| (&a.user, &a.client_id).cmp(&(&b.user, &b.client_id)));
    Ok(out)
}

/// Answers of the topic configs (one request) and of each broker's configs (one request per
/// broker: Kafka refuses a request naming several brokers), all asked at once.
type ConfigAnswers = (
    Result<BTreeMap<ConfigResource, Result<Vec<ConfigValue>, AdminError>>, AdminError>,
    Vec<(
        i32,
        Result<BTreeMap<ConfigResource, Result<Vec<ConfigValue>, AdminError>>, AdminError>,
    )>,
);

/// Reads the configs of `topics` in one request and of every broker in one request each,
/// concurrently.
/// Attempts at reading every topic's configs before they are a gap.
const TOPIC_CONFIG_ATTEMPTS: usize = 3;

fn describe_configs(
    admin: &Admin,
    topics: &[ConfigResource],
    nodes: &[crate::kafka::admin::Node],
) -> ConfigAnswers {
    std::thread::scope(|s| {
        let brokers: Vec<_> = nodes
            .iter()
            .map(|n| {
                (
                    n.id,
                    s.spawn(move || admin.describe_configs(&[ConfigResource::Broker(n.id)])),
                )
            })
            .collect();
        // librdkafka sends the request to any broker; one that has just gone away fails it, and
        // the next attempt goes to another.
        let mut topics_answer = admin.describe_configs(topics);
        for _ in 0..TOPIC_CONFIG_ATTEMPTS - 1 {
            match &topics_answer {
                Err(e) if !matches!(e, AdminError::AuthenticationFailed(_)) => {
                    tracing::info!("reading topic configs again: {e}");
                    std::thread::sleep(Duration::from_millis(500));
                    topics_answer = admin.describe_configs(topics);
                }
                _ => break,
            }
        }
        let topics = topics_answer;
        let brokers = brokers
            .into_iter()
            .map(|(id, h)| (id, h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))))
            .collect();
        (topics, brokers)
    })
}

fn entries(values: Vec<ConfigValue>) -> Vec<ConfigEntry> {
    values
        .into_iter()
        .map(|v| ConfigEntry {
            name: v.name,
            value: if v.sensitive { None } else { v.value },
            source: config_source(&v.source),
            sensitive: v.sensitive,
        })
        .collect()
}

/// Kafka's config source names (as librdkafka and `kafka-configs` print them) in the model.
pub fn config_source(name: &str) -> ConfigSource {
    match name {
        "DYNAMIC_TOPIC_CONFIG" => ConfigSource::DynamicTopic,
        "DYNAMIC_BROKER_CONFIG" => ConfigSource::DynamicBroker,
        "DYNAMIC_DEFAULT_BROKER_CONFIG" => ConfigSource::DynamicDefaultBroker,
        "DYNAMIC_BROKER_LOGGER_CONFIG" => ConfigSource::DynamicBrokerLogger,
        "STATIC_BROKER_CONFIG" => ConfigSource::StaticBroker,
        "DEFAULT_CONFIG" => ConfigSource::Default,
        _ => ConfigSource::Unknown,
    }
}
