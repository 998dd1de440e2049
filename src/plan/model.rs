//! The serde types of `plan.json`: every decision of a migration, each with its reason.
//!
//! `generate` renders only what is here; it never looks at the inventory or decides anything.
//! Collections are sorted (topics by name, flows by name) so the same inputs give the same
//! bytes and adding a topic changes only that topic's entries.
//!
//! Longer than most modules: it is the whole `plan.json` contract, one type per section, each
//! field documented where it is declared (`docs/plan.schema.json` is generated from these).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The version of the `plan.json` format this build writes and reads.
pub const PLAN_SCHEMA_VERSION: u32 = 3;

/// A complete migration plan.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Plan {
    /// Format version; see [`PLAN_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The tool and version that wrote the plan, e.g. `diskless-migrator 0.1.0`.
    pub tool: String,
    /// Which inventory the plan was made from.
    pub inventory: InventoryRef,
    /// Names, plans and connections the generated Terraform uses.
    pub settings: ResolvedSettings,
    /// One entry per topic considered (selected or explicitly skipped), sorted by name.
    pub topics: Vec<TopicPlan>,
    /// Replication flows, sorted by name; every migrated topic is in exactly one.
    pub flows: Vec<Flow>,
    /// MirrorMaker 2 sizing.
    pub mirrormaker: MirrorMakerPlan,
    /// Warnings and errors found while planning, sorted by severity, code and subject.
    pub diagnostics: Vec<PlanDiagnostic>,
    /// The monthly cost model: its prices and parameters, assumptions and totals.
    pub cost: Option<PlanCost>,
    /// Users, ACLs, quotas, the grants replication needs on the source, and client settings
    /// (`null` when access is left out: `plan --access off` or `access { enabled = false }`).
    pub access: Option<AccessPlan>,
}

/// Identifies the inventory a plan was made from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct InventoryRef {
    /// Cluster id from the inventory, when known.
    pub cluster_id: Option<String>,
    /// When the inventory was collected (RFC 3339).
    pub collected_at: String,
}

/// Settings after defaults and derivations: everything `generate` needs to name and size
/// services. Never contains secrets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ResolvedSettings {
    /// Aiven project.
    pub project: String,
    /// Cloud region, e.g. `google-europe-west1`.
    pub cloud: String,
    /// The destination Kafka service.
    pub destination: DestinationService,
    /// The MirrorMaker 2 service.
    pub mirrormaker: MirrorMakerService,
    /// How MirrorMaker 2 reaches the source cluster (no secrets).
    pub source: SourceConnection,
    /// Grafana and Thanos, when observability is on.
    pub observability: Option<Observability>,
    /// Terraform Cloud workspaces, when configured.
    pub terraform_cloud: Option<TerraformCloud>,
}

/// The destination Aiven for Apache Kafka service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DestinationService {
    /// Service name.
    pub service_name: String,
    /// Aiven plan, e.g. `business-8-inkless`.
    pub plan: String,
    /// Kafka version (at least `4.0`).
    pub kafka_version: String,
    /// The cluster alias MirrorMaker 2 uses for the destination.
    pub cluster_alias: String,
    /// Whether the service has tiered storage; classic topics keep the source's tiered-storage
    /// configs only when it has.
    pub tiered_storage: bool,
}

impl Default for DestinationService {
    fn default() -> Self {
        DestinationService {
            service_name: String::new(),
            plan: String::new(),
            kafka_version: String::new(),
            cluster_alias: String::new(),
            tiered_storage: true,
        }
    }
}

/// The Aiven for Apache Kafka MirrorMaker 2 service.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MirrorMakerService {
    /// Service name.
    pub service_name: String,
    /// Aiven plan, e.g. `startup-4`.
    pub plan: String,
}

/// The source cluster as the external endpoints see it. Credentials are Terraform variables.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SourceConnection {
    /// Comma-separated `host:port` list.
    pub bootstrap_servers: String,
    /// `PLAINTEXT`, `SSL`, `SASL_PLAINTEXT` or `SASL_SSL`.
    pub security_protocol: SecurityProtocol,
    /// `PLAIN`, `SCRAM-SHA-256` or `SCRAM-SHA-512`, for SASL protocols.
    pub sasl_mechanism: Option<SaslMechanism>,
    /// `https` to verify the broker host name, `null` to not set it.
    pub ssl_endpoint_identification_algorithm: Option<String>,
}

/// How MirrorMaker 2 reaches the source cluster: Kafka's `security.protocol` values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum SecurityProtocol {
    /// No TLS, no authentication.
    #[default]
    #[serde(rename = "PLAINTEXT")]
    Plaintext,
    /// TLS, with a client certificate (mutual TLS).
    #[serde(rename = "SSL")]
    Ssl,
    /// SASL authentication without TLS.
    #[serde(rename = "SASL_PLAINTEXT")]
    SaslPlaintext,
    /// SASL authentication over TLS.
    #[serde(rename = "SASL_SSL")]
    SaslSsl,
}

impl SecurityProtocol {
    /// Every protocol, in Kafka's order.
    pub const ALL: [SecurityProtocol; 4] = [
        SecurityProtocol::Plaintext,
        SecurityProtocol::Ssl,
        SecurityProtocol::SaslPlaintext,
        SecurityProtocol::SaslSsl,
    ];

    /// Kafka's name, e.g. `SASL_SSL`.
    pub fn as_str(self) -> &'static str {
        match self {
            SecurityProtocol::Plaintext => "PLAINTEXT",
            SecurityProtocol::Ssl => "SSL",
            SecurityProtocol::SaslPlaintext => "SASL_PLAINTEXT",
            SecurityProtocol::SaslSsl => "SASL_SSL",
        }
    }

    /// The protocol Kafka calls `name`.
    pub fn parse(name: &str) -> Option<SecurityProtocol> {
        SecurityProtocol::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// Whether clients authenticate with SASL.
    pub fn is_sasl(self) -> bool {
        matches!(self, SecurityProtocol::SaslPlaintext | SecurityProtocol::SaslSsl)
    }

    /// Whether the connection uses TLS.
    pub fn is_tls(self) -> bool {
        matches!(self, SecurityProtocol::Ssl | SecurityProtocol::SaslSsl)
    }

    /// Whether clients authenticate with a TLS client certificate.
    pub fn uses_client_certificate(self) -> bool {
        self == SecurityProtocol::Ssl
    }
}

/// The SASL mechanisms the generated configurations support.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum SaslMechanism {
    /// User name and password sent as they are (only over TLS in practice).
    #[serde(rename = "PLAIN")]
    Plain,
    /// SCRAM with SHA-256.
    #[serde(rename = "SCRAM-SHA-256")]
    ScramSha256,
    /// SCRAM with SHA-512.
    #[serde(rename = "SCRAM-SHA-512")]
    ScramSha512,
}

impl SaslMechanism {
    /// Every mechanism.
    pub const ALL: [SaslMechanism; 3] = [
        SaslMechanism::Plain,
        SaslMechanism::ScramSha256,
        SaslMechanism::ScramSha512,
    ];

    /// Kafka's name, e.g. `SCRAM-SHA-512`.
    pub fn as_str(self) -> &'static str {
        match self {
            SaslMechanism::Plain => "PLAIN",
            SaslMechanism::ScramSha256 => "SCRAM-SHA-256",
            SaslMechanism::ScramSha512 => "SCRAM-SHA-512",
        }
    }

    /// The mechanism Kafka calls `name`.
    pub fn parse(name: &str) -> Option<SaslMechanism> {
        SaslMechanism::ALL.into_iter().find(|m| m.as_str() == name)
    }

    /// The Java login module a JAAS configuration names for this mechanism.
    pub fn login_module(self) -> &'static str {
        match self {
            SaslMechanism::Plain => "org.apache.kafka.common.security.plain.PlainLoginModule",
            SaslMechanism::ScramSha256 | SaslMechanism::ScramSha512 => {
                "org.apache.kafka.common.security.scram.ScramLoginModule"
            }
        }
    }
}

/// The observability services.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Observability {
    /// Grafana service name.
    pub grafana_service_name: String,
    /// Grafana plan.
    pub grafana_plan: String,
    /// Thanos service name.
    pub thanos_service_name: String,
    /// Thanos plan.
    pub thanos_plan: String,
}

/// Terraform Cloud organisation and workspaces for the two roots.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TerraformCloud {
    /// Organisation name.
    pub organization: String,
    /// Workspace of the long-lived `destination/` root.
    pub destination_workspace: String,
    /// Workspace of the ephemeral `migration/` root.
    pub migration_workspace: String,
}

/// The decision for one topic.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TopicPlan {
    /// Topic name (the same on the destination: replication uses the identity policy).
    pub name: String,
    /// What happens to the topic.
    pub decision: Decision,
    /// Why, in one sentence a reviewer can check.
    pub reason: String,
    /// Partition count, from the source.
    pub partitions: u32,
    /// Replication factor on the destination: 1 for diskless, 3 for classic; 0 when skipped.
    pub replication: u32,
    /// `aiven_kafka_topic` `config` keys (provider names, e.g. `retention_ms`), sorted.
    pub config: BTreeMap<String, ConfigValue>,
    /// Source configs that were not carried over, with the reason for each.
    pub dropped_configs: Vec<DroppedConfig>,
    /// Name of the flow that replicates the topic; `null` when skipped.
    pub flow: Option<String>,
    /// Bytes on the source, when known.
    pub size_bytes: Option<u64>,
    /// Measured bytes per second on the source, when sampled.
    pub bytes_per_second: Option<f64>,
    /// What the topic costs per month on the destination as classic and as diskless, and on
    /// the source today; `null` for skipped topics.
    pub cost: Option<TopicCost>,
}

/// What happens to a topic.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// A diskless topic: replication factor 1, `diskless_enable = true` at creation.
    #[default]
    Diskless,
    /// A classic topic on the destination: replication factor 3.
    Classic,
    /// Not migrated.
    Skip,
}

/// A topic config value as the Aiven provider wants it: integers as strings, ratios as
/// numbers, flags as booleans.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ConfigValue {
    /// A boolean flag, e.g. `diskless_enable`.
    Bool(bool),
    /// A number, e.g. `min_cleanable_dirty_ratio`.
    Number(f64),
    /// A string, including integers the provider takes as strings (`retention_ms`).
    String(String),
}

/// A source config that is not carried over.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DroppedConfig {
    /// Kafka config name, e.g. `min.insync.replicas`.
    pub name: String,
    /// Its value on the source.
    pub value: Option<String>,
    /// Why it is not carried over.
    pub reason: String,
}

/// One MirrorMaker 2 replication flow, with its own source alias and external endpoint.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Flow {
    /// Flow name, e.g. `flow-01`.
    pub name: String,
    /// Cluster alias of the source as seen by this flow (one external endpoint per alias).
    pub source_alias: String,
    /// Cluster alias of the destination.
    pub target_alias: String,
    /// Topics in the flow, sorted.
    pub topics: Vec<String>,
    /// Exact, anchored, escaped Java regexes matching exactly `topics`.
    pub topic_regexes: Vec<String>,
    /// Total partitions.
    pub partitions: u32,
    /// Total bytes on the source, when known for every topic.
    pub size_bytes: Option<u64>,
    /// Total measured bytes per second, when sampled for every topic.
    pub bytes_per_second: Option<f64>,
    /// Estimated seconds to copy the existing data at the expected throughput, when sizes are known.
    pub estimated_copy_seconds: Option<u64>,
    /// MirrorMaker 2 source tasks the flow runs: `min(mirrormaker.tasks_max, partitions)`
    /// (MirrorMaker 2 starts no more tasks than partitions and spreads them evenly).
    pub tasks: u32,
    /// Partitions of the flow's busiest task: `ceil(partitions / tasks)`.
    pub partitions_per_task: u32,
    /// Estimated seconds, after producers stop, until every partition's newest record has its
    /// offset sync: `ceil(partitions_per_task / 10)` offset commits of the worker (a task
    /// sends at most 10 syncs per commit once its partitions are idle).
    pub final_sync_drain_seconds: u64,
    /// Estimated seconds, after producers stop, until `inspect --until-ok` can open the gate:
    /// the drain, then one checkpoint interval and one group offset sync interval.
    pub gate_open_seconds: u64,
}

/// How MirrorMaker 2 is sized and run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MirrorMakerPlan {
    /// What the flows were balanced by: `bytes_per_second`, `size_bytes` or `partitions`.
    pub balanced_by: String,
    /// `tasks_max_per_cpu` for the MirrorMaker 2 service user config.
    pub tasks_max_per_cpu: u32,
    /// `tasks.max` of each flow: `tasks_max_per_cpu × cpus`, as Aiven's service sets it.
    pub tasks_max: u32,
    /// vCPUs of the MirrorMaker 2 service plan (settings `mirrormaker.cpus`).
    pub cpus: u32,
    /// The most partitions a task should carry (settings `mirrormaker.max_partitions_per_task`).
    pub max_partitions_per_task: u32,
    /// The most tasks per vCPU the sizing uses (settings `mirrormaker.max_tasks_per_cpu`).
    pub max_tasks_per_cpu: u32,
    /// Why `tasks_max` is what it is: what each flow needed and what capped it.
    pub tasks_reason: String,
    /// The worker's offset commit interval (`offset.flush.interval.ms`) the drain estimates
    /// use, and where it comes from; `mm2.properties` sets it for self-run MirrorMaker 2.
    pub offset_flush_interval_ms: Decided<u64>,
    /// A flow whose `gate_open_seconds` is longer is a warning (settings
    /// `flows.max_gate_open_seconds`).
    pub max_gate_open_seconds: u64,
    /// Expected copy throughput per flow in bytes per second, used for time estimates.
    pub expected_bytes_per_second_per_flow: u64,
    /// MirrorMaker 2's periodic jobs.
    pub worker: Worker,
    /// Topic names MirrorMaker 2 never replicates (Java regexes): internal and connector topics
    /// stay on the source ([`default_topics_exclude`]).
    pub topics_exclude: Vec<String>,
    /// Topic configs MirrorMaker 2 must not copy onto destination topics (Java regexes, no
    /// commas; [`default_config_properties_exclude`]).
    pub config_properties_exclude: Vec<String>,
    /// How topic names map from the source to the destination.
    pub replication_policy: Decided<ReplicationPolicy>,
    /// Which cluster holds MirrorMaker 2's offset-syncs topic.
    pub offset_syncs_topic_location: Decided<OffsetSyncsTopicLocation>,
    /// Whether MirrorMaker 2 copies topic configs (minus `config_properties_exclude`).
    pub sync_topic_configs_enabled: Decided<bool>,
    /// Whether MirrorMaker 2 copies the source's topic ACLs onto the destination.
    pub sync_topic_acls_enabled: Decided<bool>,
    /// Whether each flow emits heartbeats (into the destination).
    pub emit_heartbeats_enabled: Decided<bool>,
    /// Whether cluster pairs that are not flows emit heartbeats too (self-run MirrorMaker 2
    /// runs a herder for every pair; Aiven's `emit_backward_heartbeats_enabled`).
    pub emit_heartbeats_outside_flows: Decided<bool>,
}

/// A decision and why it was taken.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Decided<T> {
    /// What was decided.
    pub value: T,
    /// Why, naming what it rests on.
    pub reason: String,
}

impl<T> Decided<T> {
    /// `value`, because of `reason`.
    pub fn new(value: T, reason: &str) -> Decided<T> {
        Decided {
            value,
            reason: reason.to_owned(),
        }
    }
}

/// MirrorMaker 2's replication policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReplicationPolicy {
    /// `IdentityReplicationPolicy`: a topic keeps its name on the destination.
    #[default]
    Identity,
}

impl ReplicationPolicy {
    /// The Java class MirrorMaker 2 loads (`replication.policy.class`).
    pub fn class_name(self) -> &'static str {
        match self {
            ReplicationPolicy::Identity => "org.apache.kafka.connect.mirror.IdentityReplicationPolicy",
        }
    }
}

/// Where MirrorMaker 2 keeps its offset-syncs topic (`offset-syncs.topic.location`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OffsetSyncsTopicLocation {
    /// On the source cluster (MirrorMaker 2's default).
    Source,
    /// On the target (destination) cluster.
    #[default]
    Target,
}

impl OffsetSyncsTopicLocation {
    /// MirrorMaker 2's and the Aiven provider's value: `source` or `target`.
    pub fn as_str(self) -> &'static str {
        match self {
            OffsetSyncsTopicLocation::Source => "source",
            OffsetSyncsTopicLocation::Target => "target",
        }
    }
}

/// MirrorMaker 2's periodic jobs: every one switched on, with these intervals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Worker {
    /// How often checkpoints (translated group offsets) are emitted.
    pub emit_checkpoints_interval_seconds: u32,
    /// How often translated offsets are written to the destination's consumer groups.
    pub sync_group_offsets_interval_seconds: u32,
    /// How often new consumer groups are looked for.
    pub refresh_groups_interval_seconds: u32,
    /// How often new topics are looked for.
    pub refresh_topics_interval_seconds: u32,
    /// `offset.lag.max`: how far a replica may run ahead of its last offset sync; 1 writes a
    /// sync for every record, so translated offsets are exact.
    pub offset_lag_max: u32,
}

impl Default for Worker {
    /// The seed's tested values: fast offset syncing for a cutover, slow rediscovery.
    fn default() -> Self {
        Worker {
            emit_checkpoints_interval_seconds: 10,
            sync_group_offsets_interval_seconds: 10,
            refresh_groups_interval_seconds: 180,
            refresh_topics_interval_seconds: 60,
            offset_lag_max: 1,
        }
    }
}

/// The seed's `topics.blacklist`: internal, replica and connector topics.
pub fn default_topics_exclude() -> Vec<String> {
    [r".*[\-\.]internal", r".*\.replica", r"__.*", r"connect.*"]
        .map(String::from)
        .to_vec()
}

/// The seed's list, plus every config that would undo a diskless topic's settings (diskless
/// and remote storage flags, local retention, compaction, replica counts).
pub fn default_config_properties_exclude() -> Vec<String> {
    [
        r"cleanup\.policy",
        r"diskless\..*",
        r"follower\.replication\.throttled\.replicas",
        r"inkless\..*",
        r"leader\.replication\.throttled\.replicas",
        r"local\.retention\.bytes",
        r"local\.retention\.ms",
        r"message\.timestamp\.difference\.max\.ms",
        r"message\.timestamp\.type",
        r"min\.insync\.replicas",
        r"remote\.log\..*",
        r"remote\.storage\.enable",
        r"unclean\.leader\.election\.enable",
    ]
    .map(String::from)
    .to_vec()
}

/// A warning or error found while planning.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct PlanDiagnostic {
    /// `error` or `warning`.
    pub severity: Severity,
    /// Stable code, e.g. `topic-not-in-inventory`.
    pub code: String,
    /// The topic, flow or setting concerned.
    pub subject: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

/// Severity of a plan diagnostic.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Stops the plan (exit 1).
    Error,
    /// Reported; an error under `--strict`.
    #[default]
    Warning,
}

/// The prices and parameters of the cost model: settings `cost { … }` after defaults. Amounts
/// are in the currency of the prices; a GB is 2^30 bytes (as cloud bills count it) and a month
/// is 730 hours.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CostParameters {
    /// Where the prices come from, e.g. a cloud region's list prices and their date.
    pub prices_source: String,
    /// Currency of every amount, e.g. `USD`.
    pub currency: String,
    /// Price of one GB crossing availability zones, both directions counted (sender's out plus
    /// receiver's in).
    pub cross_zone_per_gb: f64,
    /// Object storage price per GB-month.
    pub object_storage_per_gb_month: f64,
    /// Object storage price per 1,000 PUT requests.
    pub put_per_1000: f64,
    /// Object storage price per 1,000 GET requests.
    pub get_per_1000: f64,
    /// Broker disk price per provisioned GB-month.
    pub disk_per_gb_month: f64,
    /// Target disk utilisation of classic brokers (0 < u ≤ 1): disk provisioned = data ÷ u.
    pub disk_utilization: f64,
    /// Availability zones the clusters and their clients are spread over.
    pub zones: u32,
    /// Brokers of the destination (each uploads its own objects).
    pub brokers: u32,
    /// Whether consumers of classic topics fetch from a replica in their own zone (KIP-392).
    pub follower_fetching: bool,
    /// Whether clients of diskless topics send their zone (`diskless_az=<zone>` in `client.id`)
    /// so they are served by a broker in their zone.
    pub zone_aware_clients: bool,
    /// Inkless `inkless.produce.commit.interval.ms`: a broker uploads an object at least this
    /// often while it receives data.
    pub commit_interval_ms: u64,
    /// Inkless `inkless.produce.buffer.max.bytes`: a broker uploads an object when this much
    /// has been produced, if earlier.
    pub buffer_max_bytes: u64,
}

/// Monthly cost of one topic, component by component, in [`CostParameters::currency`]. A
/// component that is zero for this kind of topic (e.g. disk for a diskless topic) is left out
/// of `plan.json` and reads as 0.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CostBreakdown {
    /// Sum of the components below.
    pub total: f64,
    /// Producers to the broker they write to, across zones.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub produce_cross_zone: f64,
    /// Leader to followers, across zones (classic only).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub replication_cross_zone: f64,
    /// Brokers to consumers, across zones.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub consume_cross_zone: f64,
    /// Provisioned broker disk for the local copies (classic only).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub disk: f64,
    /// Object storage: a diskless topic's data, or a tiered classic topic's remote part.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub object_storage: f64,
    /// Object storage PUT requests (diskless only).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub put_requests: f64,
    /// Object storage GET requests (diskless only).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub get_requests: f64,
}

fn is_zero(value: &f64) -> bool {
    *value == 0.0
}

impl CostBreakdown {
    /// The cross-zone traffic components together.
    pub fn cross_zone(&self) -> f64 {
        self.produce_cross_zone + self.replication_cross_zone + self.consume_cross_zone
    }
}

/// What one topic costs per month, with the inputs the figures come from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TopicCost {
    /// Consumer groups with committed offsets on the topic, when every group's offsets were read.
    pub consumer_groups: Option<u32>,
    /// Bytes per second consumers read: bytes in × consumer groups.
    pub bytes_out_per_second: Option<f64>,
    /// Bytes the topic retains (one copy).
    pub retained_bytes: Option<f64>,
    /// Of those, the bytes a classic destination topic keeps on broker disk, when that is
    /// less than `retained_bytes` (a topic tiered on the source, and a destination with tiered
    /// storage); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_bytes: Option<f64>,
    /// The topic as a classic topic (replication factor 3) on the destination.
    pub classic: Option<CostBreakdown>,
    /// The topic as a diskless topic on the destination.
    pub diskless: Option<CostBreakdown>,
    /// Why `classic` and `diskless` are unknown, when they are (absent when they are known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown: Option<String>,
    /// `classic.total − diskless.total`: what diskless saves each month (negative: costs more).
    pub saving: Option<f64>,
    /// The topic's monthly total on the source today, with its replication factor and tiering
    /// (the classic formula; only the total is kept).
    pub source_total: Option<f64>,
    /// Why `source_total` is unknown when `classic` is known (the source's replication factor
    /// was not read); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_unknown: Option<String>,
    /// Place in the ranking by saving (1 = largest saving) among topics planned diskless whose
    /// saving is known and that are not latency-sensitive; absent for the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<u32>,
    /// Why a topic whose saving is known is not ranked (planned classic, latency-sensitive);
    /// absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_ranked: Option<String>,
}

/// The cost model of a plan: parameters, assumptions in words, and totals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PlanCost {
    /// The prices and parameters used.
    pub parameters: CostParameters,
    /// What the figures assume, one sentence each.
    pub assumptions: Vec<String>,
    /// Bytes per second produced to the topics planned diskless whose rate is known: what the
    /// object uploads are sized by.
    pub diskless_bytes_per_second: f64,
    /// Objects the destination uploads per second for those topics.
    pub objects_per_second: f64,
    /// Totals over the migrated topics whose cost is known.
    pub totals: CostTotals,
    /// What to do about unknown costs, when some are unknown.
    pub hint: Option<String>,
}

/// Monthly totals over the migrated topics whose cost is known.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CostTotals {
    /// Migrated topics whose cost is known.
    pub topics_known: u32,
    /// Migrated topics whose cost is unknown.
    pub topics_unknown: u32,
    /// Every known topic as classic on the destination.
    pub all_classic: f64,
    /// Every known topic as planned (diskless or classic).
    pub as_planned: f64,
    /// `all_classic − as_planned`.
    pub saving: f64,
    /// The same topics on the source today, when the source cost of every one is known.
    pub source: Option<f64>,
}

/// What clients need to cut over: destination users, ACLs and quotas, the grants MirrorMaker 2
/// and `inspect` need on the source, and each application's client settings. Every entry
/// carries the reason it is there; every list is sorted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AccessPlan {
    /// Whether the plan manages access; `false` when it was left out (`plan --access off` or
    /// settings `access { enabled = false }`), and then every list is empty.
    pub managed: bool,
    /// Why access is or is not managed, and what it was planned from.
    pub reason: String,
    /// Whether the destination must enable SASL authentication (`kafka_authentication_methods`):
    /// some destination user authenticates with SASL.
    pub destination_sasl: bool,
    /// Destination users, sorted by name.
    pub users: Vec<UserPlan>,
    /// Source principals with bindings or quotas that are not carried over until the settings
    /// decide (`access { principal_map = { … } }`), sorted.
    pub undecided_principals: Vec<PrincipalNote>,
    /// Source principals the settings map to `skip`, sorted.
    pub skipped_principals: Vec<PrincipalNote>,
    /// Destination ACL bindings, sorted by key.
    pub acls: Vec<AclPlan>,
    /// Source bindings not carried over, each with why and whether someone must decide.
    pub dropped_acls: Vec<DroppedAcl>,
    /// Destination quotas, sorted by key.
    pub quotas: Vec<QuotaPlan>,
    /// Source quotas not carried over, with why.
    pub dropped_quotas: Vec<DroppedQuota>,
    /// What MirrorMaker 2's and `inspect`'s principals need on the source.
    pub source_grants: SourceGrants,
    /// Client settings per application user (users with at least one topic binding), sorted.
    pub clients: Vec<ClientPlan>,
}

/// One destination user.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UserPlan {
    /// User name on the destination (`aiven_kafka_user.username`); the principal is
    /// `User:<username>`.
    pub username: String,
    /// The source principals it stands for, sorted.
    pub source_principals: Vec<String>,
    /// The SASL mechanism its clients use on the destination: the strongest SCRAM mechanism it
    /// has on the source, `null` when no SCRAM credential was read for it.
    pub sasl_mechanism: Option<SaslMechanism>,
    /// Why this user exists, naming what was read.
    pub reason: String,
}

/// A source principal that is not carried over as a user, with its bindings counted.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct PrincipalNote {
    /// The source principal, e.g. `User:CN=billing,OU=apps`.
    pub principal: String,
    /// Bindings of the principal that concern what is migrated.
    pub bindings: u32,
    /// Why, and what to write in the settings.
    pub reason: String,
}

/// Kafka's ACL resource types, as the Aiven provider names them.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum AclResourceType {
    /// A topic.
    #[default]
    Topic,
    /// A consumer group.
    Group,
    /// The cluster.
    Cluster,
    /// A transactional id.
    TransactionalId,
    /// A delegation token.
    DelegationToken,
    /// A user (for delegation tokens).
    User,
}

impl AclResourceType {
    /// Every resource type.
    pub const ALL: [AclResourceType; 6] = [
        AclResourceType::Topic,
        AclResourceType::Group,
        AclResourceType::Cluster,
        AclResourceType::TransactionalId,
        AclResourceType::DelegationToken,
        AclResourceType::User,
    ];

    /// The name Kafka's admin client and the provider use, e.g. `TransactionalId`.
    pub fn as_str(self) -> &'static str {
        match self {
            AclResourceType::Topic => "Topic",
            AclResourceType::Group => "Group",
            AclResourceType::Cluster => "Cluster",
            AclResourceType::TransactionalId => "TransactionalId",
            AclResourceType::DelegationToken => "DelegationToken",
            AclResourceType::User => "User",
        }
    }

    /// The type named `name` (case-insensitive, as the CLI tools print it).
    pub fn parse(name: &str) -> Option<AclResourceType> {
        AclResourceType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(name))
    }
}

/// How a binding's resource name matches resources.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum AclPatternType {
    /// The name itself (`*` matches every resource of the type).
    #[default]
    #[serde(rename = "LITERAL")]
    Literal,
    /// Every resource whose name starts with the name.
    #[serde(rename = "PREFIXED")]
    Prefixed,
}

impl AclPatternType {
    /// Kafka's name, e.g. `PREFIXED`.
    pub fn as_str(self) -> &'static str {
        match self {
            AclPatternType::Literal => "LITERAL",
            AclPatternType::Prefixed => "PREFIXED",
        }
    }

    /// The pattern type named `name` (case-insensitive).
    pub fn parse(name: &str) -> Option<AclPatternType> {
        [AclPatternType::Literal, AclPatternType::Prefixed]
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(name))
    }
}

/// Kafka's ACL operations, as the Aiven provider names them.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum AclOperation {
    /// Every operation.
    All,
    /// Read.
    #[default]
    Read,
    /// Write.
    Write,
    /// Create.
    Create,
    /// Delete.
    Delete,
    /// Alter.
    Alter,
    /// Describe.
    Describe,
    /// Cluster actions (broker to broker).
    ClusterAction,
    /// Describe configs.
    DescribeConfigs,
    /// Alter configs.
    AlterConfigs,
    /// Idempotent writes.
    IdempotentWrite,
    /// Create delegation tokens.
    CreateTokens,
    /// Describe delegation tokens.
    DescribeTokens,
}

impl AclOperation {
    /// Every operation.
    pub const ALL: [AclOperation; 13] = [
        AclOperation::All,
        AclOperation::Read,
        AclOperation::Write,
        AclOperation::Create,
        AclOperation::Delete,
        AclOperation::Alter,
        AclOperation::Describe,
        AclOperation::ClusterAction,
        AclOperation::DescribeConfigs,
        AclOperation::AlterConfigs,
        AclOperation::IdempotentWrite,
        AclOperation::CreateTokens,
        AclOperation::DescribeTokens,
    ];

    /// Kafka's name, e.g. `DescribeConfigs`.
    pub fn as_str(self) -> &'static str {
        match self {
            AclOperation::All => "All",
            AclOperation::Read => "Read",
            AclOperation::Write => "Write",
            AclOperation::Create => "Create",
            AclOperation::Delete => "Delete",
            AclOperation::Alter => "Alter",
            AclOperation::Describe => "Describe",
            AclOperation::ClusterAction => "ClusterAction",
            AclOperation::DescribeConfigs => "DescribeConfigs",
            AclOperation::AlterConfigs => "AlterConfigs",
            AclOperation::IdempotentWrite => "IdempotentWrite",
            AclOperation::CreateTokens => "CreateTokens",
            AclOperation::DescribeTokens => "DescribeTokens",
        }
    }

    /// The operation named `name` (case-insensitive, `_` ignored: `DESCRIBE_CONFIGS` too).
    pub fn parse(name: &str) -> Option<AclOperation> {
        let name: String = name.chars().filter(|c| *c != '_').collect();
        AclOperation::ALL
            .into_iter()
            .find(|o| o.as_str().eq_ignore_ascii_case(&name))
    }
}

/// Whether a binding allows or denies.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum AclPermission {
    /// Allows the operation.
    #[default]
    #[serde(rename = "ALLOW")]
    Allow,
    /// Denies it (a deny wins over every allow).
    #[serde(rename = "DENY")]
    Deny,
}

impl AclPermission {
    /// The provider's name: `ALLOW` or `DENY`.
    pub fn as_str(self) -> &'static str {
        match self {
            AclPermission::Allow => "ALLOW",
            AclPermission::Deny => "DENY",
        }
    }

    /// The permission named `name` (case-insensitive: `Allow` as the inventory has it).
    pub fn parse(name: &str) -> Option<AclPermission> {
        [AclPermission::Allow, AclPermission::Deny]
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(name))
    }
}

/// One ACL binding with typed enums.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
pub struct AclBinding {
    /// Principal, e.g. `User:alice`.
    pub principal: String,
    /// Resource type.
    pub resource_type: AclResourceType,
    /// Pattern type.
    pub pattern_type: AclPatternType,
    /// Resource name or prefix (`kafka-cluster` for the cluster).
    pub resource_name: String,
    /// Operation.
    pub operation: AclOperation,
    /// Allow or deny.
    pub permission_type: AclPermission,
    /// Host, `*` for any.
    pub host: String,
}

/// One destination ACL binding.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AclPlan {
    /// Stable `for_each` key: the binding's fields joined by `|`.
    pub key: String,
    /// The binding on the destination (the principal is the destination user's).
    pub binding: AclBinding,
    /// The source principal it comes from.
    pub source_principal: String,
    /// Why it is carried over: which migrated topics, groups or ids it concerns.
    pub reason: String,
}

/// A source binding that is not carried over.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DroppedAcl {
    /// The binding as the source has it.
    pub binding: AclBinding,
    /// Why it is not carried over.
    pub reason: String,
    /// Whether someone must decide (a cluster binding, an undecided principal); `false` when
    /// it only concerns what is left behind.
    pub needs_decision: bool,
}

/// One destination quota (`aiven_kafka_quota`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuotaPlan {
    /// Stable `for_each` key: `<user>/<client_id>`, empty for an absent part.
    pub key: String,
    /// Destination user, `default` for every user, `null` when not per user.
    pub user: Option<String>,
    /// Client id, `default` for every client id, `null` when not per client id.
    pub client_id: Option<String>,
    /// Bytes per second per broker producers may send.
    pub producer_byte_rate: Option<u64>,
    /// Bytes per second per broker consumers may fetch.
    pub consumer_byte_rate: Option<u64>,
    /// Share of request handler and network thread time.
    pub request_percentage: Option<f64>,
    /// Why, naming the source quota.
    pub reason: String,
}

/// A source quota that is not carried over.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DroppedQuota {
    /// The source user, when per user.
    pub user: Option<String>,
    /// The source client id, when per client id.
    pub client_id: Option<String>,
    /// Why.
    pub reason: String,
}

/// The grants MirrorMaker 2's and `inspect`'s principals need on the source, computed from the
/// flows (`source-grants.sh` applies them).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SourceGrants {
    /// The principal MirrorMaker 2 and `inspect` use on the source (settings
    /// `access.source_principal`); `null` when not given: `source-grants.sh` then needs
    /// `--principal`.
    pub principal: Option<String>,
    /// The grants, sorted by resource and operation.
    pub grants: Vec<SourceGrant>,
}

/// One group of grants on the source: operations on resources, and who needs them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SourceGrant {
    /// Resource type.
    pub resource_type: AclResourceType,
    /// Literal resource names (`kafka-cluster` for the cluster), sorted.
    pub resource_names: Vec<String>,
    /// Operations allowed on each, sorted.
    pub operations: Vec<AclOperation>,
    /// Why, and who needs it (MirrorMaker 2, `inspect`).
    pub reason: String,
}

/// Client settings of one application user on the destination.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ClientPlan {
    /// The destination user.
    pub username: String,
    /// `SASL_SSL` with the user's SASL mechanism, or `SSL` (certificate) when it has none.
    pub security_protocol: SecurityProtocol,
    /// The SASL mechanism, for `SASL_SSL`.
    pub sasl_mechanism: Option<SaslMechanism>,
    /// Whether it uses diskless topics: its `client.id` carries `diskless_az=<zone>`.
    pub diskless_az: bool,
    /// Whether it uses classic topics: it sets `client.rack` (follower fetching).
    pub client_rack: bool,
    /// Why, naming the topics its bindings reach.
    pub reason: String,
}
