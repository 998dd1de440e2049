//! The serde types of `inventory.json`. Field docs here are the format's documentation; the
//! JSON Schema in `docs/inventory.schema.json` is generated from them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The version of the `inventory.json` format this build writes and reads.
///
/// It changes only when a change would make an older reader misunderstand a file.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything known about one source cluster.
// `T` is the type of a topic: `Topic` everywhere but inside the reader, which first reads the
// topics as raw JSON text to parse them on all cores (see `read.rs`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Inventory")]
pub struct Inventory<T = Topic> {
    /// Format version; see [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// How these facts were obtained.
    pub provenance: Provenance,
    /// Cluster-wide facts.
    pub cluster: Cluster,
    /// Brokers, sorted by id.
    pub brokers: Vec<Broker>,
    /// Topics, internal ones included, sorted by name.
    pub topics: Vec<T>,
    /// Consumer groups, sorted by id.
    pub consumer_groups: Vec<ConsumerGroup>,
    /// ACL bindings, or `null` when they could not be listed (see `gaps`).
    pub acls: Option<Vec<Acl>>,
    /// Users with SCRAM credentials (names, mechanisms and iterations; nothing secret), sorted
    /// by user, or `null` when they were not read (see `gaps`).
    #[serde(default)]
    pub scram_users: Option<Vec<ScramUser>>,
    /// Client quotas (user, client id and default entities), sorted, or `null` when they were
    /// not read (see `gaps`).
    #[serde(default)]
    pub quotas: Option<Vec<ClientQuota>>,
    /// Facts that were looked for and could not be obtained, with the reason.
    #[serde(default)]
    pub gaps: Vec<Gap>,
}

impl<T> Inventory<T> {
    /// The same inventory with `topics` in place of its topics.
    pub fn with_topics<U>(self, topics: Vec<U>) -> Inventory<U> {
        Inventory {
            schema_version: self.schema_version,
            provenance: self.provenance,
            cluster: self.cluster,
            brokers: self.brokers,
            topics,
            consumer_groups: self.consumer_groups,
            acls: self.acls,
            scram_users: self.scram_users,
            quotas: self.quotas,
            gaps: self.gaps,
        }
    }
}

/// How the facts of an inventory were obtained.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Provenance {
    /// `live` (read from a running cluster) or `imported` (parsed from text files).
    pub method: Method,
    /// When collection started, RFC 3339 in UTC.
    pub collected_at: String,
    /// The tool and version that wrote the file, e.g. `diskless-migrator 0.1.0`.
    pub tool: String,
    /// Bootstrap servers used for a live discovery.
    pub bootstrap_servers: Option<String>,
    /// The files an imported inventory was built from, relative to the import directory.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub imported_files: Vec<String>,
    /// Length of the throughput sample in seconds, when one was taken.
    pub sample_seconds: Option<f64>,
}

/// Whether facts came from a live cluster or an import of text files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Read from a running cluster with the Kafka protocol.
    #[default]
    Live,
    /// Parsed from the text output of the Kafka CLI tools.
    Imported,
}

/// Cluster-wide facts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Cluster {
    /// The cluster id, when the protocol or the files told it.
    pub id: Option<String>,
    /// The Kafka version, when known (the protocol only tells it indirectly).
    pub kafka_version: Option<String>,
    /// The id of the active controller, when known.
    pub controller_id: Option<i32>,
}

/// One broker.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Broker {
    /// Broker (node) id.
    pub id: i32,
    /// Advertised host.
    pub host: Option<String>,
    /// Advertised port.
    pub port: Option<u16>,
    /// The rack (`broker.rack`), `null` when unset or unknown.
    pub rack: Option<String>,
    /// Broker configs, or `null` when they could not be read. Sensitive values are masked.
    pub configs: Option<Vec<ConfigEntry>>,
}

/// One configuration entry of a topic or broker.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConfigEntry {
    /// Config name, e.g. `retention.ms`.
    pub name: String,
    /// The value; `null` when sensitive (masked) or not returned.
    pub value: Option<String>,
    /// Where the value comes from.
    pub source: ConfigSource,
    /// True when the broker marks this entry as sensitive; its value is never stored.
    #[serde(default)]
    pub sensitive: bool,
}

/// The value of the config `name` among `configs`, when it is known.
pub(crate) fn config_value<'a>(configs: Option<&'a [ConfigEntry]>, name: &str) -> Option<&'a str> {
    configs?.iter().find(|c| c.name == name)?.value.as_deref()
}

/// Where a config value comes from, as Kafka reports it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConfigSource {
    /// Set on the topic (`DYNAMIC_TOPIC_CONFIG`).
    DynamicTopic,
    /// Set dynamically on this broker (`DYNAMIC_BROKER_CONFIG`).
    DynamicBroker,
    /// Set dynamically as the cluster-wide broker default (`DYNAMIC_DEFAULT_BROKER_CONFIG`).
    DynamicDefaultBroker,
    /// Set dynamically on a broker logger.
    DynamicBrokerLogger,
    /// From the broker's properties file (`STATIC_BROKER_CONFIG`).
    StaticBroker,
    /// Kafka's built-in default (`DEFAULT_CONFIG`).
    Default,
    /// Any other source, or one the input did not say.
    #[default]
    Unknown,
}

impl ConfigSource {
    /// True when the value was set by someone rather than being Kafka's default.
    pub fn is_explicit(self) -> bool {
        !matches!(self, ConfigSource::Default | ConfigSource::Unknown)
    }
}

/// One topic.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Topic {
    /// Topic name.
    pub name: String,
    /// Topic id (base64 UUID as the Kafka CLI tools print it), when known.
    pub id: Option<String>,
    /// True for Kafka's internal topics (`__consumer_offsets`, `__transaction_state`, ...).
    #[serde(default)]
    pub internal: bool,
    /// Partitions, sorted by number.
    pub partitions: Vec<Partition>,
    /// Topic configs, or `null` when they could not be read.
    pub configs: Option<Vec<ConfigEntry>>,
    /// Whether transactional producers write to this topic: `null` when unknown (a `gaps` entry
    /// says why).
    pub transactional: Option<bool>,
    /// What was read to decide `transactional`; `null` when nothing was read.
    #[serde(default)]
    pub transactional_evidence: Option<TransactionalEvidence>,
}

/// What discover read to tell whether transactional producers write to a topic: the brokers'
/// producer states (DescribeProducers) and the newest record batches of each partition.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TransactionalEvidence {
    /// Partitions whose producer state the leader reported.
    pub producer_state_partitions: u32,
    /// Producers in those states that are transactional (a coordinator epoch or an open
    /// transaction).
    pub transactional_producers: u32,
    /// Partitions whose newest record batches were read.
    pub tail_partitions: u32,
    /// Offsets the tail reads covered, over all partitions: how far back they looked.
    pub tail_offsets: u64,
    /// Record batches the tail reads returned.
    pub tail_batches: u64,
    /// Of those, transaction markers (control batches) or batches with the transactional flag.
    pub transactional_batches: u64,
}

impl Topic {
    /// The value of a topic config, when it is known.
    pub fn config(&self, name: &str) -> Option<&str> {
        config_value(self.configs.as_deref(), name)
    }

    /// The replication factor (replicas of the first partition), when known.
    pub fn replication_factor(&self) -> Option<usize> {
        self.partitions
            .first()
            .map(|p| p.replicas.len())
            .filter(|n| *n > 0)
    }

    /// Total size in bytes over all partitions, or `None` if any partition's size is unknown
    /// or the sizes add up past `u64::MAX` (never a wrapped total; `plan` refuses such an
    /// inventory when it reads it).
    pub fn size_bytes(&self) -> Option<u64> {
        self.partitions
            .iter()
            .try_fold(0u64, |total, p| total.checked_add(p.size_bytes?))
    }

    /// Total measured bytes per second, or `None` if any partition was not sampled.
    pub fn bytes_per_second(&self) -> Option<f64> {
        self.partitions
            .iter()
            .map(|p| p.throughput.as_ref().map(|t| t.bytes_per_second))
            .sum::<Option<f64>>()
    }

    /// Records currently held (latest minus earliest offset), or `None` if unknown or past
    /// `i64::MAX`.
    pub fn record_count(&self) -> Option<i64> {
        self.partitions.iter().try_fold(0i64, |total, p| {
            total.checked_add(p.latest_offset?.checked_sub(p.earliest_offset?)?)
        })
    }
}

/// One partition of a topic.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Partition {
    /// Partition number.
    pub partition: i32,
    /// Leader broker id; `null` when there is no leader or it is unknown.
    pub leader: Option<i32>,
    /// Replica broker ids, in assignment order.
    pub replicas: Vec<i32>,
    /// In-sync replica broker ids.
    pub isr: Vec<i32>,
    /// Log start offset.
    pub earliest_offset: Option<i64>,
    /// Log end offset (high watermark).
    pub latest_offset: Option<i64>,
    /// Size on disk in bytes of the leader's replica, when known.
    pub size_bytes: Option<u64>,
    /// Measured produce rate, when discovery sampled it (`--sample`).
    pub throughput: Option<Throughput>,
}

/// A produce rate measured from two snapshots of the log end offset (and size).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Throughput {
    /// Records appended per second.
    pub messages_per_second: f64,
    /// Bytes appended per second (from the size delta, or estimated from the record rate).
    pub bytes_per_second: f64,
}

/// One consumer group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConsumerGroup {
    /// Group id.
    pub id: String,
    /// Group state as Kafka reports it (`Stable`, `Empty`, `Dead`, ...), when known.
    pub state: Option<String>,
    /// Protocol type (`consumer`, `connect`, ...), when known.
    pub protocol_type: Option<String>,
    /// Assignment strategy (`range`, `cooperative-sticky`, ...), when known.
    pub assignment_strategy: Option<String>,
    /// Coordinator broker id, when known.
    pub coordinator: Option<i32>,
    /// Members, or `null` when unknown.
    pub members: Option<Vec<Member>>,
    /// Committed offsets sorted by topic and partition, or `null` when they could not be read.
    pub offsets: Option<Vec<CommittedOffset>>,
    /// The Kafka Streams application id, when the group is a Streams application's (a classic
    /// `consumer` group whose members use Streams' assignor, `stream`); `null` when it is not or
    /// that was not read. An empty group reports no assignor, so it is `null` even when a
    /// Streams application committed its offsets. KIP-1071 `streams` groups are not recognized
    /// yet.
    #[serde(default)]
    pub streams_application_id: Option<String>,
}

/// One member of a consumer group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Member {
    /// Member id.
    pub member_id: String,
    /// Client id.
    pub client_id: Option<String>,
    /// Client host.
    pub host: Option<String>,
    /// Assigned partitions, sorted.
    pub assignment: Vec<TopicPartition>,
}

impl Member {
    /// A member as a cluster describes it: ids, host and `(topic, partition)` assignment.
    pub fn described(
        member_id: String,
        client_id: String,
        host: String,
        assignment: Vec<(String, i32)>,
    ) -> Member {
        Member {
            member_id,
            client_id: Some(client_id),
            host: Some(host),
            assignment: assignment
                .into_iter()
                .map(|(topic, partition)| TopicPartition { topic, partition })
                .collect(),
        }
    }
}

/// A topic and partition.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct TopicPartition {
    /// Topic name.
    pub topic: String,
    /// Partition number.
    pub partition: i32,
}

/// An offset a group committed for one partition.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CommittedOffset {
    /// Topic name.
    pub topic: String,
    /// Partition number.
    pub partition: i32,
    /// Committed offset (the next record the group reads).
    pub offset: i64,
}

/// One ACL binding.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct Acl {
    /// Resource type: `Topic`, `Group`, `Cluster`, `TransactionalId`, `DelegationToken`, `User`.
    pub resource_type: String,
    /// Resource name or prefix.
    pub resource_name: String,
    /// `LITERAL` or `PREFIXED`.
    pub pattern_type: String,
    /// Principal, e.g. `User:alice`.
    pub principal: String,
    /// Host, `*` for any.
    pub host: String,
    /// Operation, e.g. `Read`.
    pub operation: String,
    /// `Allow` or `Deny`.
    pub permission_type: String,
}

/// A user with SCRAM credentials on the source: the user name and, per mechanism, the
/// iteration count. Salts and keys are never read (the protocol does not return them).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct ScramUser {
    /// User name, e.g. `alice` (the principal `User:alice`).
    pub user: String,
    /// One entry per mechanism the user has a credential for, sorted.
    pub credentials: Vec<ScramCredential>,
}

/// One SCRAM credential of a user: its mechanism and iteration count.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct ScramCredential {
    /// `SCRAM-SHA-256` or `SCRAM-SHA-512`.
    pub mechanism: String,
    /// Iterations of the salted password, when known (`null` in imported inventories).
    pub iterations: Option<i32>,
}

/// One client quota: the entity it applies to and its limits.
///
/// An entity part is absent when the quota does not depend on it; the value `<default>` (as
/// `kafka-configs.sh` prints it) is the default for every user or client id.
#[derive(Clone, Debug, Default, PartialEq, PartialOrd, Serialize, Deserialize, JsonSchema)]
pub struct ClientQuota {
    /// The user name (without `User:`), `<default>`, or absent.
    pub user: Option<String>,
    /// The client id, `<default>`, or absent.
    pub client_id: Option<String>,
    /// `producer_byte_rate`: bytes per second per broker, when set.
    pub producer_byte_rate: Option<f64>,
    /// `consumer_byte_rate`: bytes per second per broker, when set.
    pub consumer_byte_rate: Option<f64>,
    /// `request_percentage`: share of request handler and network thread time, when set.
    pub request_percentage: Option<f64>,
}

/// The name `kafka-configs.sh` and this inventory use for a default quota entity.
pub const DEFAULT_ENTITY: &str = "<default>";

/// A fact that was looked for and could not be obtained.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct Gap {
    /// Which kind of fact: `acls`, `broker_configs`, `topic`, `topic_configs`, `log_dirs`,
    /// `offsets`, `consumer_groups` (the listing itself may be incomplete), `consumer_group`,
    /// `group_offsets`, `cluster_id`, `kafka_version`, `throughput`, `listing` (the cluster
    /// enforces ACLs, so topics and groups the principal may not describe are not listed),
    /// `transactional` (whether transactional producers write to a topic), `scram_users`,
    /// `quotas`.
    pub fact: String,
    /// What it is about (a topic, group or broker), when it is not the whole cluster.
    pub subject: Option<String>,
    /// Why it is missing, as the cluster or the input said.
    pub reason: String,
}
