//! The owned values admin calls return, copied out of librdkafka's results.

use std::collections::BTreeMap;

use super::error::AdminError;

/// A consumer group as `ListConsumerGroups` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupListing {
    /// Group id.
    pub id: String,
    /// State name as Kafka spells it: `Stable`, `Empty`, `PreparingRebalance`, ...
    pub state: String,
    /// Group type: `Classic`, `Consumer` (KIP-848) or `Unknown`.
    pub group_type: String,
    /// True for a simple group (offsets committed without group membership).
    pub is_simple: bool,
}

/// A broker as the cluster describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Broker id.
    pub id: i32,
    /// Advertised host.
    pub host: String,
    /// Advertised port.
    pub port: u16,
    /// `broker.rack`, when set.
    pub rack: Option<String>,
}

/// The result of `DescribeCluster`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterDescription {
    /// Cluster id.
    pub cluster_id: Option<String>,
    /// Active controller id, when reported.
    pub controller_id: Option<i32>,
    /// Brokers sorted by id.
    pub nodes: Vec<Node>,
}

/// One member of a described group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupMember {
    /// Member (consumer) id.
    pub member_id: String,
    /// Client id.
    pub client_id: String,
    /// Client host, as the coordinator saw it.
    pub host: String,
    /// Static membership id, when set.
    pub group_instance_id: Option<String>,
    /// Assigned partitions, sorted.
    pub assignment: Vec<(String, i32)>,
}

/// A described consumer group, or the error that kept it from being described.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupDescription {
    /// Group id.
    pub id: String,
    /// The description, or why there is none for this group.
    pub result: Result<GroupDetails, AdminError>,
}

/// The facts of a described consumer group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupDetails {
    /// State name (`Stable`, `Empty`, `Dead`, ...).
    pub state: String,
    /// Group type: `Classic`, `Consumer` or `Unknown`.
    pub group_type: String,
    /// True for a simple group (no membership protocol).
    pub is_simple: bool,
    /// The partition assignor (assignment strategy), empty when the group has no members.
    pub partition_assignor: String,
    /// The coordinator broker, when known.
    pub coordinator: Option<Node>,
    /// Members, sorted by member id.
    pub members: Vec<GroupMember>,
}

/// Committed offsets of one group, or the error that kept them from being read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupOffsets {
    /// Group id.
    pub id: String,
    /// `(topic, partition) → committed offset`; partitions without a committed offset are absent.
    pub result: Result<PartitionOffsets, AdminError>,
}

/// Committed offsets of one group: `(topic, partition) → offset`.
pub type PartitionOffsets = BTreeMap<(String, i32), i64>;

/// Per-partition results of [`Admin::list_offsets`]: an offset or the partition's error.
pub type OffsetResults = BTreeMap<(String, i32), Result<i64, AdminError>>;

/// Which end of a partition `list_offsets` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OffsetSpec {
    /// The log start offset.
    Earliest,
    /// The log end offset (high watermark).
    Latest,
}

/// One configuration entry as `DescribeConfigs` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigValue {
    /// Name.
    pub name: String,
    /// Value; `None` when sensitive or unset.
    pub value: Option<String>,
    /// Kafka's source name: `DYNAMIC_TOPIC_CONFIG`, `DEFAULT_CONFIG`, ...
    pub source: String,
    /// True when the broker marks the entry as sensitive (its value is never returned).
    pub sensitive: bool,
}

/// A resource whose configs `describe_configs` reads.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ConfigResource {
    /// A topic, by name.
    Topic(String),
    /// A broker, by id.
    Broker(i32),
}

/// A topic as `DescribeTopics` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicDescription {
    /// Name.
    pub name: String,
    /// Topic id as the Kafka tools print it (URL-safe base64 without padding).
    pub id: Option<String>,
    /// True for internal topics.
    pub internal: bool,
    /// Partitions sorted by number.
    pub partitions: Vec<PartitionDescription>,
}

/// One partition of a described topic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionDescription {
    /// Partition number.
    pub partition: i32,
    /// Leader id, when there is a leader.
    pub leader: Option<i32>,
    /// Replica ids in assignment order.
    pub replicas: Vec<i32>,
    /// In-sync replica ids.
    pub isr: Vec<i32>,
}
