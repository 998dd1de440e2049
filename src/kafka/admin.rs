//! Admin calls that rdkafka 0.39 does not wrap, made safe.
//!
//! librdkafka has the calls (`rd_kafka_ListConsumerGroups`, `rd_kafka_DescribeAcls`, ...), the
//! Rust crate does not. This module calls them through `rdkafka::bindings` on the native handle
//! of an [`AdminClient`] and copies every result into owned Rust values before the librdkafka
//! event is freed.
//!
//! **Safety rule.** librdkafka's `*_result_*` accessors `assert()` (abort the process) when
//! called on an event that carries a request-level error. Every call here checks
//! `rd_kafka_event_error` first, and every per-item error (a group, a topic, a partition)
//! before the item's fields are read. Nothing outside this module touches the raw API.
//!
//! Calls block the calling thread until the cluster answers or the timeout passes; call them
//! from `spawn_blocking` in async code. Each call creates its own result queue, so an [`Admin`]
//! can be shared between threads.
//!
//! Errors are classified ([`AdminError`]) so callers can decide: a cluster that cannot be
//! reached or refuses the credentials ends the command (exit 3), a missing permission for one
//! kind of fact becomes a recorded gap.

use std::collections::BTreeMap;
use std::ffi::{CStr, CString, c_char, c_void};
use std::ptr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rdkafka::ClientContext;
use rdkafka::admin::AdminClient;
use rdkafka::bindings as rd;
use rdkafka::config::{FromClientConfigAndContext, RDKafkaLogLevel};
use rdkafka::error::KafkaError;
use rdkafka::types::RDKafkaErrorCode;
use thiserror::Error;

use super::client::ClientSettings;

/// Why an admin call failed.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum AdminError {
    /// No broker answered within the timeout (resolution, connection, or transport failure).
    #[error("cannot reach the cluster: {0}")]
    Unreachable(String),
    /// The connection was refused at the TLS or SASL stage (bad certificate, bad password).
    #[error("authentication failed: {0}")]
    AuthenticationFailed(String),
    /// The principal may not read this kind of fact (a topic, group, cluster or ACL permission).
    #[error("not authorized: {0}")]
    NotAuthorized(String),
    /// The cluster does not offer this call (no authorizer for ACLs, an old protocol version).
    #[error("not supported by the cluster: {0}")]
    Unsupported(String),
    /// Anything else, with librdkafka's error name and message.
    #[error("{name}: {message}")]
    Other {
        /// The error code's name, e.g. `GROUP_ID_NOT_FOUND`.
        name: String,
        /// The human-readable message.
        message: String,
    },
}

impl AdminError {
    /// True for errors that end a command: the cluster cannot be used at all (exit code 3).
    pub fn is_fatal(&self) -> bool {
        matches!(
            self,
            AdminError::Unreachable(_) | AdminError::AuthenticationFailed(_)
        )
    }

    /// Classifies a librdkafka error code and message.
    pub fn from_code(code: rd::rd_kafka_resp_err_t, message: impl Into<String>) -> AdminError {
        // SAFETY: rd_kafka_err2name returns a static string for every code.
        let name = unsafe { cstr(rd::rd_kafka_err2name(code)) }.unwrap_or_default();
        AdminError::classify(RDKafkaErrorCode::from(code), name, message.into())
    }

    /// Classifies a librdkafka error code with librdkafka's own description of it.
    pub fn from_code_described(code: rd::rd_kafka_resp_err_t) -> AdminError {
        AdminError::from_code(code, err_text(code))
    }

    /// Classifies an rdkafka error code (as the safe rdkafka API reports it) and message.
    pub fn from_error_code(code: RDKafkaErrorCode, message: impl Into<String>) -> AdminError {
        AdminError::classify(code, format!("{code:?}"), message.into())
    }

    fn classify(code: RDKafkaErrorCode, name: String, message: String) -> AdminError {
        match code {
            RDKafkaErrorCode::BrokerTransportFailure
            | RDKafkaErrorCode::AllBrokersDown
            | RDKafkaErrorCode::Resolve
            | RDKafkaErrorCode::OperationTimedOut
            | RDKafkaErrorCode::RequestTimedOut => AdminError::Unreachable(message),
            RDKafkaErrorCode::Authentication
            | RDKafkaErrorCode::SaslAuthenticationFailed
            | RDKafkaErrorCode::SSL => AdminError::AuthenticationFailed(message),
            RDKafkaErrorCode::TopicAuthorizationFailed
            | RDKafkaErrorCode::GroupAuthorizationFailed
            | RDKafkaErrorCode::ClusterAuthorizationFailed
            | RDKafkaErrorCode::TransactionalIdAuthorizationFailed
            | RDKafkaErrorCode::DelegationTokenAuthorizationFailed => AdminError::NotAuthorized(message),
            RDKafkaErrorCode::SecurityDisabled
            | RDKafkaErrorCode::UnsupportedVersion
            | RDKafkaErrorCode::UnsupportedFeature => AdminError::Unsupported(message),
            _ => AdminError::Other { name, message },
        }
    }
}

/// A client context that remembers the last connection-level error librdkafka reported, so a
/// call that times out can say *why* (wrong password, refused connection, bad certificate).
#[derive(Clone, Debug, Default)]
pub struct AdminContext {
    last_error: Arc<Mutex<Option<AdminError>>>,
}

impl AdminContext {
    /// The most telling connection error seen so far: an authentication failure wins over a
    /// transport failure.
    pub fn last_error(&self) -> Option<AdminError> {
        self.last_error.lock().ok()?.clone()
    }

    fn record(&self, error: AdminError) {
        if let Ok(mut last) = self.last_error.lock() {
            let keep = matches!(*last, Some(AdminError::AuthenticationFailed(_)))
                && !matches!(error, AdminError::AuthenticationFailed(_));
            if !keep {
                *last = Some(error);
            }
        }
    }
}

impl ClientContext for AdminContext {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, message: &str) {
        match level {
            RDKafkaLogLevel::Emerg | RDKafkaLogLevel::Alert | RDKafkaLogLevel::Critical => {
                tracing::warn!("librdkafka {fac}: {message}")
            }
            _ => tracing::debug!("librdkafka {fac}: {message}"),
        }
    }

    fn error(&self, error: KafkaError, reason: &str) {
        tracing::debug!("librdkafka error: {error}: {reason}");
        let code = error.rdkafka_error_code();
        let classified = match code {
            Some(code) => AdminError::classify(code, format!("{code:?}"), reason.to_owned()),
            None => return,
        };
        // librdkafka reports SSL handshake failures and SASL failures with these codes.
        if matches!(
            classified,
            AdminError::AuthenticationFailed(_) | AdminError::Unreachable(_)
        ) {
            self.record(classified);
        }
    }
}

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

/// How many requests of one kind may wait for an answer at once when librdkafka takes only one
/// item per request (committed offsets: one group per request).
const MAX_IN_FLIGHT: usize = 256;

/// An admin connection to one cluster with the calls discovery and inspection need.
pub struct Admin {
    client: AdminClient<AdminContext>,
    timeout: Duration,
}

impl Admin {
    /// Connects (lazily: the first call connects) with the given settings. `timeout` bounds
    /// each call.
    pub fn new(settings: &ClientSettings, timeout: Duration) -> Result<Admin, AdminError> {
        Admin::build(settings, timeout, None)
    }

    /// As [`Admin::new`], with `request_timeout` bounding each request on the wire (Java's
    /// `request.timeout.ms`, librdkafka's `socket.timeout.ms`); `timeout` still bounds each call
    /// (Java's `default.api.timeout.ms`).
    pub fn with_request_timeout(
        settings: &ClientSettings,
        timeout: Duration,
        request_timeout: Duration,
    ) -> Result<Admin, AdminError> {
        Admin::build(settings, timeout, Some(request_timeout))
    }

    fn build(
        settings: &ClientSettings,
        timeout: Duration,
        request_timeout: Option<Duration>,
    ) -> Result<Admin, AdminError> {
        let mut config = settings.client_config();
        config.set(
            "socket.connection.setup.timeout.ms",
            timeout.as_millis().to_string(),
        );
        // Metadata requests by topic name must never create the topic.
        config.set("allow.auto.create.topics", "false");
        if let Some(request_timeout) = request_timeout {
            config.set("socket.timeout.ms", socket_timeout_ms(request_timeout));
        }
        // For measurements: `DISKLESS_MIGRATOR_RDKAFKA_DEBUG=protocol` logs every request
        // librdkafka sends (at debug level, `-v`).
        if let Ok(debug) = std::env::var("DISKLESS_MIGRATOR_RDKAFKA_DEBUG") {
            config.set("debug", debug).set_log_level(RDKafkaLogLevel::Debug);
        }
        let client = AdminClient::from_config_and_context(&config, AdminContext::default()).map_err(|e| {
            AdminError::Other {
                name: "CONFIG".into(),
                message: e.to_string(),
            }
        })?;
        Ok(Admin { client, timeout })
    }

    /// The wrapped rdkafka client, for the calls rdkafka wraps itself (metadata, topics).
    pub fn client(&self) -> &AdminClient<AdminContext> {
        &self.client
    }

    /// The timeout of each call.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Lists every consumer group on every broker, sorted by id. A broker that fails to answer
    /// makes the whole call fail: a partial list would silently miss groups.
    pub fn list_consumer_groups(&self) -> Result<Vec<GroupListing>, AdminError> {
        let (listed, errors) = self.list_consumer_groups_partial()?;
        match errors.into_iter().next() {
            Some(error) => Err(error),
            None => Ok(listed),
        }
    }

    /// Lists the consumer groups of every broker that answers, sorted by id, with the errors of
    /// those that did not (a broker down, a coordinator loading): a caller that keeps a partial
    /// list must say it is partial.
    pub fn list_consumer_groups_partial(&self) -> Result<(Vec<GroupListing>, Vec<AdminError>), AdminError> {
        let call = Call::new(
            self,
            rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS,
        )?;
        // SAFETY: handle, options and queue are valid for the duration of the call.
        unsafe { rd::rd_kafka_ListConsumerGroups(call.rk, call.options, call.queue) };
        let event = call.wait_one()?;
        // SAFETY: the event has no request-level error (checked by `wait_one`).
        unsafe {
            let result = rd::rd_kafka_event_ListConsumerGroups_result(event.0);
            if result.is_null() {
                return Err(unexpected("ListConsumerGroups"));
            }
            let mut n = 0;
            let errors = rd::rd_kafka_ListConsumerGroups_result_errors(result, &mut n);
            let errors: Vec<AdminError> = slice(errors, n).iter().map(|&e| error_of(e)).collect();
            let valid = rd::rd_kafka_ListConsumerGroups_result_valid(result, &mut n);
            let mut out: Vec<GroupListing> = slice(valid, n)
                .iter()
                .map(|&g| GroupListing {
                    id: cstr(rd::rd_kafka_ConsumerGroupListing_group_id(g)).unwrap_or_default(),
                    state: state_name(rd::rd_kafka_ConsumerGroupListing_state(g)),
                    group_type: type_name(rd::rd_kafka_ConsumerGroupListing_type(g)),
                    is_simple: rd::rd_kafka_ConsumerGroupListing_is_simple_consumer_group(g) != 0,
                })
                .collect();
            out.sort_by(|a, b| a.id.cmp(&b.id));
            out.dedup_by(|a, b| a.id == b.id);
            Ok((out, errors))
        }
    }

    /// Describes the given groups (state, assignor, coordinator, members with assignments).
    /// Per-group failures are returned in [`GroupDescription::result`]; results follow the order
    /// of `ids`.
    pub fn describe_consumer_groups(&self, ids: &[String]) -> Result<Vec<GroupDescription>, AdminError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let call = Call::new(
            self,
            rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS,
        )?;
        let names = c_strings(ids)?;
        let mut ptrs: Vec<*const c_char> = names.iter().map(|c| c.as_ptr()).collect();
        // SAFETY: `ptrs` points into `names`, alive until the call returns (librdkafka copies).
        unsafe {
            rd::rd_kafka_DescribeConsumerGroups(
                call.rk,
                ptrs.as_mut_ptr(),
                ptrs.len(),
                call.options,
                call.queue,
            )
        };
        let event = call.wait_one()?;
        let mut by_id = BTreeMap::new();
        // SAFETY: no request-level error; each group's error is checked before its fields.
        unsafe {
            let result = rd::rd_kafka_event_DescribeConsumerGroups_result(event.0);
            if result.is_null() {
                return Err(unexpected("DescribeConsumerGroups"));
            }
            let mut n = 0;
            let groups = rd::rd_kafka_DescribeConsumerGroups_result_groups(result, &mut n);
            for &g in slice(groups, n) {
                let id = cstr(rd::rd_kafka_ConsumerGroupDescription_group_id(g)).unwrap_or_default();
                let error = rd::rd_kafka_ConsumerGroupDescription_error(g);
                let result = if !error.is_null() && rd::rd_kafka_error_code(error) as i32 != 0 {
                    Err(error_of(error))
                } else {
                    Ok(group_details(g))
                };
                by_id.insert(id, result);
            }
        }
        Ok(ids
            .iter()
            .map(|id| GroupDescription {
                id: id.clone(),
                result: by_id
                    .remove(id)
                    .unwrap_or_else(|| Err(unexpected("DescribeConsumerGroups (group missing)"))),
            })
            .collect())
    }

    /// Reads the committed offsets of each group (all partitions it committed to). librdkafka
    /// takes one group per request, so the requests are sent concurrently (up to
    /// [`MAX_IN_FLIGHT`] at a time). Per-group failures are returned in the result; results
    /// follow the order of `ids`.
    pub fn list_consumer_group_offsets(&self, ids: &[String]) -> Result<Vec<GroupOffsets>, AdminError> {
        let mut by_id: BTreeMap<String, Result<PartitionOffsets, AdminError>> = BTreeMap::new();
        for chunk in ids.chunks(MAX_IN_FLIGHT) {
            let call = Call::new(
                self,
                rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS,
            )?;
            let names = c_strings(chunk)?;
            for (index, name) in names.iter().enumerate() {
                // SAFETY: the request object is created, handed over, and destroyed here;
                // librdkafka copies what it needs, the options (and their opaque, the group's
                // index plus one) included. A null partition list means "all".
                unsafe {
                    rd::rd_kafka_AdminOptions_set_opaque(call.options, (index + 1) as *mut c_void);
                    let mut request = rd::rd_kafka_ListConsumerGroupOffsets_new(name.as_ptr(), ptr::null());
                    rd::rd_kafka_ListConsumerGroupOffsets(call.rk, &mut request, 1, call.options, call.queue);
                    rd::rd_kafka_ListConsumerGroupOffsets_destroy(request);
                }
            }
            for (tag, event) in call.wait_many_tagged(chunk.len()) {
                // A request-level error of one group (its coordinator lookup was refused, for
                // example by an ACL) is that group's result; only a cluster that cannot be used
                // ends the call.
                let event = match (event, tag.and_then(|t| chunk.get(t.checked_sub(1)?))) {
                    (Ok(event), _) => event,
                    (Err(error), Some(id)) if !error.is_fatal() => {
                        by_id.insert(id.clone(), Err(error));
                        continue;
                    }
                    (Err(error), _) => return Err(error),
                };
                // SAFETY: no request-level error; each group's and partition's error is checked.
                unsafe {
                    let result = rd::rd_kafka_event_ListConsumerGroupOffsets_result(event.0);
                    if result.is_null() {
                        return Err(unexpected("ListConsumerGroupOffsets"));
                    }
                    let mut n = 0;
                    let groups = rd::rd_kafka_ListConsumerGroupOffsets_result_groups(result, &mut n);
                    for &g in slice(groups, n) {
                        let id = cstr(rd::rd_kafka_group_result_name(g)).unwrap_or_default();
                        let error = rd::rd_kafka_group_result_error(g);
                        let offsets = if !error.is_null() && rd::rd_kafka_error_code(error) as i32 != 0 {
                            Err(error_of(error))
                        } else {
                            partition_offsets(rd::rd_kafka_group_result_partitions(g))
                        };
                        by_id.insert(id, offsets);
                    }
                }
            }
        }
        Ok(ids
            .iter()
            .map(|id| GroupOffsets {
                id: id.clone(),
                result: by_id
                    .remove(id)
                    .unwrap_or_else(|| Err(unexpected("ListConsumerGroupOffsets (group missing)"))),
            })
            .collect())
    }

    /// Earliest or latest offsets of many partitions in one call (librdkafka sends one request
    /// per partition leader). Each partition gets its own result: an offset or an error.
    pub fn list_offsets(
        &self,
        partitions: &[(String, i32)],
        spec: OffsetSpec,
    ) -> Result<OffsetResults, AdminError> {
        if partitions.is_empty() {
            return Ok(BTreeMap::new());
        }
        let call = Call::new(self, rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_LISTOFFSETS)?;
        let spec = match spec {
            OffsetSpec::Earliest => rd::rd_kafka_OffsetSpec_t::RD_KAFKA_OFFSET_SPEC_EARLIEST,
            OffsetSpec::Latest => rd::rd_kafka_OffsetSpec_t::RD_KAFKA_OFFSET_SPEC_LATEST,
        } as i64;
        let list = TopicPartitionList::new(partitions)?;
        for i in 0..list.len() {
            // SAFETY: `i` is within the list, which we own.
            unsafe { (*(*list.0).elems.add(i)).offset = spec };
        }
        // SAFETY: the list stays alive until after the call returns (librdkafka copies it).
        unsafe { rd::rd_kafka_ListOffsets(call.rk, list.0, call.options, call.queue) };
        let event = call.wait_one()?;
        let mut out = BTreeMap::new();
        // SAFETY: no request-level error; each partition's error is checked before its offset.
        unsafe {
            let result = rd::rd_kafka_event_ListOffsets_result(event.0);
            if result.is_null() {
                return Err(unexpected("ListOffsets"));
            }
            let mut n = 0;
            let infos = rd::rd_kafka_ListOffsets_result_infos(result, &mut n);
            for &info in slice(infos, n) {
                let tp = rd::rd_kafka_ListOffsetsResultInfo_topic_partition(info);
                if tp.is_null() {
                    continue;
                }
                let topic = cstr((*tp).topic).unwrap_or_default();
                let value = if (*tp).err as i32 != 0 {
                    Err(AdminError::from_code((*tp).err, err_text((*tp).err)))
                } else {
                    Ok((*tp).offset)
                };
                out.insert((topic, (*tp).partition), value);
            }
        }
        Ok(out)
    }

    /// Cluster id, controller and brokers (with racks).
    pub fn describe_cluster(&self) -> Result<ClusterDescription, AdminError> {
        let call = Call::new(self, rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DESCRIBECLUSTER)?;
        // SAFETY: valid handle, options and queue.
        unsafe { rd::rd_kafka_DescribeCluster(call.rk, call.options, call.queue) };
        let event = call.wait_one()?;
        // SAFETY: no request-level error.
        unsafe {
            let result = rd::rd_kafka_event_DescribeCluster_result(event.0);
            if result.is_null() {
                return Err(unexpected("DescribeCluster"));
            }
            let mut n = 0;
            let nodes = rd::rd_kafka_DescribeCluster_result_nodes(result, &mut n);
            let mut nodes: Vec<Node> = slice(nodes, n).iter().map(|&node| node_of(node)).collect();
            nodes.sort_by_key(|n| n.id);
            let controller = rd::rd_kafka_DescribeCluster_result_controller(result);
            Ok(ClusterDescription {
                cluster_id: cstr(rd::rd_kafka_DescribeCluster_result_cluster_id(result)),
                controller_id: (!controller.is_null()).then(|| rd::rd_kafka_Node_id(controller)),
                nodes,
            })
        }
    }

    /// Describes topics (id, internal flag, partitions with leader, replicas, ISR) in one call.
    /// Per-topic failures are returned per name.
    pub fn describe_topics(
        &self,
        names: &[String],
    ) -> Result<BTreeMap<String, Result<TopicDescription, AdminError>>, AdminError> {
        if names.is_empty() {
            return Ok(BTreeMap::new());
        }
        let call = Call::new(self, rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DESCRIBETOPICS)?;
        let c_names = c_strings(names)?;
        let mut ptrs: Vec<*const c_char> = c_names.iter().map(|c| c.as_ptr()).collect();
        // SAFETY: the collection copies the names; destroyed after the call.
        unsafe {
            let collection = rd::rd_kafka_TopicCollection_of_topic_names(ptrs.as_mut_ptr(), ptrs.len());
            rd::rd_kafka_DescribeTopics(call.rk, collection, call.options, call.queue);
            rd::rd_kafka_TopicCollection_destroy(collection);
        }
        let event = call.wait_one()?;
        let mut out = BTreeMap::new();
        // SAFETY: no request-level error; each topic's error is checked before its fields.
        unsafe {
            let result = rd::rd_kafka_event_DescribeTopics_result(event.0);
            if result.is_null() {
                return Err(unexpected("DescribeTopics"));
            }
            let mut n = 0;
            let topics = rd::rd_kafka_DescribeTopics_result_topics(result, &mut n);
            for &t in slice(topics, n) {
                let name = cstr(rd::rd_kafka_TopicDescription_name(t)).unwrap_or_default();
                let error = rd::rd_kafka_TopicDescription_error(t);
                let value = if !error.is_null() && rd::rd_kafka_error_code(error) as i32 != 0 {
                    Err(error_of(error))
                } else {
                    Ok(topic_description(t, name.clone()))
                };
                out.insert(name, value);
            }
        }
        Ok(out)
    }

    /// Reads the configs of topics and brokers in one call. Per-resource failures are returned
    /// per resource. Sensitive values are never returned by Kafka; they come back as `None`.
    pub fn describe_configs(
        &self,
        resources: &[ConfigResource],
    ) -> Result<BTreeMap<ConfigResource, Result<Vec<ConfigValue>, AdminError>>, AdminError> {
        if resources.is_empty() {
            return Ok(BTreeMap::new());
        }
        let call = Call::new(self, rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS)?;
        let names: Vec<CString> = resources
            .iter()
            .map(|r| match r {
                ConfigResource::Topic(t) => CString::new(t.as_str()),
                ConfigResource::Broker(id) => CString::new(id.to_string()),
            })
            .collect::<Result<_, _>>()
            .map_err(|_| invalid_name())?;
        // SAFETY: the resources are created, handed over, and destroyed here (librdkafka copies).
        unsafe {
            let mut raw: Vec<*mut rd::rd_kafka_ConfigResource_t> = resources
                .iter()
                .zip(&names)
                .map(|(r, name)| {
                    let kind = match r {
                        ConfigResource::Topic(_) => rd::rd_kafka_ResourceType_t::RD_KAFKA_RESOURCE_TOPIC,
                        ConfigResource::Broker(_) => rd::rd_kafka_ResourceType_t::RD_KAFKA_RESOURCE_BROKER,
                    };
                    rd::rd_kafka_ConfigResource_new(kind, name.as_ptr())
                })
                .collect();
            rd::rd_kafka_DescribeConfigs(call.rk, raw.as_mut_ptr(), raw.len(), call.options, call.queue);
            rd::rd_kafka_ConfigResource_destroy_array(raw.as_mut_ptr(), raw.len());
        }
        let event = call.wait_one()?;
        let mut out = BTreeMap::new();
        // SAFETY: no request-level error; each resource's error is checked before its entries.
        unsafe {
            let result = rd::rd_kafka_event_DescribeConfigs_result(event.0);
            if result.is_null() {
                return Err(unexpected("DescribeConfigs"));
            }
            let mut n = 0;
            let items = rd::rd_kafka_DescribeConfigs_result_resources(result, &mut n);
            for &r in slice(items, n) {
                let name = cstr(rd::rd_kafka_ConfigResource_name(r)).unwrap_or_default();
                let key = match rd::rd_kafka_ConfigResource_type(r) {
                    rd::rd_kafka_ResourceType_t::RD_KAFKA_RESOURCE_BROKER => match name.parse() {
                        Ok(id) => ConfigResource::Broker(id),
                        Err(_) => continue,
                    },
                    _ => ConfigResource::Topic(name),
                };
                let code = rd::rd_kafka_ConfigResource_error(r);
                let value = if code as i32 != 0 {
                    let message =
                        cstr(rd::rd_kafka_ConfigResource_error_string(r)).unwrap_or_else(|| err_text(code));
                    Err(AdminError::from_code(code, message))
                } else {
                    let mut m = 0;
                    let entries = rd::rd_kafka_ConfigResource_configs(r, &mut m);
                    let mut values: Vec<ConfigValue> =
                        slice(entries, m).iter().map(|&e| config_value(e)).collect();
                    values.sort_by(|a, b| a.name.cmp(&b.name));
                    Ok(values)
                };
                out.insert(key, value);
            }
        }
        Ok(out)
    }

    /// Explains a call that got no answer: the last connection error librdkafka reported
    /// (authentication failures first), or a plain timeout.
    fn timed_out(&self, what: &str) -> AdminError {
        let context = self.client.inner().context();
        match context.last_error() {
            Some(error) => error,
            None => AdminError::Unreachable(format!(
                "{what}: no answer within {} s",
                self.timeout.as_secs_f64()
            )),
        }
    }
}

/// A request timeout as librdkafka's `socket.timeout.ms` accepts it (10 ms to 300 s).
pub fn socket_timeout_ms(request_timeout: Duration) -> String {
    request_timeout.as_millis().clamp(10, 300_000).to_string()
}

/// One raw admin request in flight: the native handle, its options and its result queue.
struct Call<'a> {
    admin: &'a Admin,
    rk: *mut rd::rd_kafka_t,
    options: *mut rd::rd_kafka_AdminOptions_t,
    queue: *mut rd::rd_kafka_queue_t,
}

impl<'a> Call<'a> {
    fn new(admin: &'a Admin, op: rd::rd_kafka_admin_op_t) -> Result<Call<'a>, AdminError> {
        let rk = admin.client.inner().native_ptr();
        // SAFETY: `rk` is a live handle owned by `admin`, which outlives the call.
        unsafe {
            let options = rd::rd_kafka_AdminOptions_new(rk, op);
            let queue = rd::rd_kafka_queue_new(rk);
            let call = Call {
                admin,
                rk,
                options,
                queue,
            };
            let mut errstr = [0 as c_char; 512];
            let ms = i32::try_from(admin.timeout.as_millis()).unwrap_or(i32::MAX);
            let code =
                rd::rd_kafka_AdminOptions_set_request_timeout(options, ms, errstr.as_mut_ptr(), errstr.len());
            if code as i32 != 0 {
                return Err(AdminError::from_code(
                    code,
                    cstr(errstr.as_ptr()).unwrap_or_default(),
                ));
            }
            Ok(call)
        }
    }

    /// Hands the error and log events waiting on the client's main queue to [`AdminContext`].
    fn drain_main_queue(&self) {
        let context = self.admin.client.inner().context();
        // SAFETY: the main queue reference is released below; each event is destroyed after its
        // fields were copied; only event-type-specific accessors for that type are called.
        unsafe {
            let main = rd::rd_kafka_queue_get_main(self.rk);
            if main.is_null() {
                return;
            }
            loop {
                let event = rd::rd_kafka_queue_poll(main, 0);
                if event.is_null() {
                    break;
                }
                match rd::rd_kafka_event_type(event) {
                    rd::RD_KAFKA_EVENT_ERROR => {
                        let code = rd::rd_kafka_event_error(event);
                        let reason = cstr(rd::rd_kafka_event_error_string(event)).unwrap_or_default();
                        context.error(KafkaError::Global(code.into()), &reason);
                    }
                    rd::RD_KAFKA_EVENT_LOG => {
                        let (mut fac, mut text, mut level) = (ptr::null(), ptr::null(), 0);
                        if rd::rd_kafka_event_log(event, &mut fac, &mut text, &mut level) == 0 {
                            tracing::debug!(
                                "librdkafka {}: {}",
                                cstr(fac).unwrap_or_default(),
                                cstr(text).unwrap_or_default()
                            );
                        }
                    }
                    _ => {}
                }
                rd::rd_kafka_event_destroy(event);
            }
            rd::rd_kafka_queue_destroy(main);
        }
    }

    /// Waits for the single answer of this call.
    fn wait_one(self) -> Result<Event, AdminError> {
        self.wait_many(1)
            .into_iter()
            .next()
            .unwrap_or_else(|| Err(unexpected("no event")))
    }

    /// Waits for `n` answers on this call's queue. A request-level error is returned in place
    /// of its event, so no result accessor is ever called on an errored event.
    fn wait_many(&self, n: usize) -> Vec<Result<Event, AdminError>> {
        self.wait_many_tagged(n).into_iter().map(|(_, r)| r).collect()
    }

    /// As [`Call::wait_many`], with each answer's opaque (set with
    /// `rd_kafka_AdminOptions_set_opaque` before its request was sent) as a number; `None` for
    /// answers that never came, or without an opaque.
    fn wait_many_tagged(&self, n: usize) -> Vec<(Option<usize>, Result<Event, AdminError>)> {
        let deadline = std::time::Instant::now() + self.admin.timeout + Duration::from_secs(5);
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let slice = left.min(Duration::from_millis(100));
            // SAFETY: the queue is valid; a returned event is owned by the `Event` guard.
            let raw = unsafe {
                rd::rd_kafka_queue_poll(self.queue, i32::try_from(slice.as_millis()).unwrap_or(i32::MAX))
            };
            if raw.is_null() {
                // Read the client's error events (nobody else polls an admin client's main
                // queue), so a refused login ends the wait instead of the timeout.
                self.drain_main_queue();
                let refused = matches!(
                    self.admin.client.inner().context().last_error(),
                    Some(AdminError::AuthenticationFailed(_))
                );
                if refused || left.is_zero() {
                    let error = self.admin.timed_out("admin request");
                    out.resize_with(n, || (None, Err(error.clone())));
                    break;
                }
                continue;
            }
            let event = Event(raw);
            // SAFETY: the event is valid; opaque, error and error string are read-only accessors.
            let tag = Some(unsafe { rd::rd_kafka_event_opaque(event.0) } as usize).filter(|&t| t != 0);
            let code = unsafe { rd::rd_kafka_event_error(event.0) };
            if code as i32 == 0 {
                out.push((tag, Ok(event)));
                continue;
            }
            let message = unsafe { cstr(rd::rd_kafka_event_error_string(event.0)) }.unwrap_or_default();
            let error = AdminError::from_code(code, message);
            // A timeout caused by a refused login says so.
            let error = match error {
                AdminError::Unreachable(_) => {
                    self.drain_main_queue();
                    self.admin.client.inner().context().last_error().unwrap_or(error)
                }
                other => other,
            };
            out.push((tag, Err(error)));
        }
        self.drain_main_queue();
        out
    }
}

impl Drop for Call<'_> {
    fn drop(&mut self) {
        // SAFETY: both were created in `Call::new` and are destroyed once.
        unsafe {
            rd::rd_kafka_AdminOptions_destroy(self.options);
            rd::rd_kafka_queue_destroy(self.queue);
        }
    }
}

/// An owned librdkafka event, destroyed on drop.
struct Event(*mut rd::rd_kafka_event_t);

impl Drop for Event {
    fn drop(&mut self) {
        // SAFETY: owned, destroyed once.
        unsafe { rd::rd_kafka_event_destroy(self.0) };
    }
}

/// An owned topic-partition list, destroyed on drop.
struct TopicPartitionList(*mut rd::rd_kafka_topic_partition_list_t);

impl TopicPartitionList {
    fn new(partitions: &[(String, i32)]) -> Result<TopicPartitionList, AdminError> {
        let size = i32::try_from(partitions.len()).map_err(|_| invalid_name())?;
        // SAFETY: creating and filling a list we own.
        let list = TopicPartitionList(unsafe { rd::rd_kafka_topic_partition_list_new(size) });
        for (topic, partition) in partitions {
            let topic = CString::new(topic.as_str()).map_err(|_| invalid_name())?;
            // SAFETY: librdkafka copies the topic name.
            unsafe { rd::rd_kafka_topic_partition_list_add(list.0, topic.as_ptr(), *partition) };
        }
        Ok(list)
    }

    fn len(&self) -> usize {
        // SAFETY: the list is valid.
        usize::try_from(unsafe { (*self.0).cnt }).unwrap_or(0)
    }
}

impl Drop for TopicPartitionList {
    fn drop(&mut self) {
        // SAFETY: owned, destroyed once.
        unsafe { rd::rd_kafka_topic_partition_list_destroy(self.0) };
    }
}

/// Copies a C string; `None` for a null pointer.
///
/// # Safety
/// `p` is null or points to a NUL-terminated string.
unsafe fn cstr(p: *const c_char) -> Option<String> {
    if p.is_null() {
        None
    } else {
        // SAFETY: per the function contract.
        Some(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
    }
}

/// A slice over a C array; empty for a null pointer.
///
/// # Safety
/// `p` is null or points to `n` valid elements that outlive the slice.
unsafe fn slice<'a, T>(p: *mut T, n: usize) -> &'a [T] {
    if p.is_null() || n == 0 {
        &[]
    } else {
        // SAFETY: per the function contract.
        unsafe { std::slice::from_raw_parts(p, n) }
    }
}

fn err_text(code: rd::rd_kafka_resp_err_t) -> String {
    // SAFETY: rd_kafka_err2str returns a static string for every code.
    unsafe { cstr(rd::rd_kafka_err2str(code)) }.unwrap_or_default()
}

/// # Safety
/// `error` is a valid, non-null `rd_kafka_error_t`.
unsafe fn error_of(error: *const rd::rd_kafka_error_t) -> AdminError {
    // SAFETY: per the function contract.
    unsafe {
        AdminError::from_code(
            rd::rd_kafka_error_code(error),
            cstr(rd::rd_kafka_error_string(error)).unwrap_or_default(),
        )
    }
}

fn unexpected(what: &str) -> AdminError {
    AdminError::Other {
        name: "UNEXPECTED".into(),
        message: format!("{what}: librdkafka returned no result"),
    }
}

fn invalid_name() -> AdminError {
    AdminError::Other {
        name: "INVALID_ARG".into(),
        message: "a name contains a NUL byte or there are too many items".into(),
    }
}

fn c_strings(names: &[String]) -> Result<Vec<CString>, AdminError> {
    names
        .iter()
        .map(|n| CString::new(n.as_str()).map_err(|_| invalid_name()))
        .collect()
}

fn state_name(state: rd::rd_kafka_consumer_group_state_t) -> String {
    // SAFETY: static string for every state.
    unsafe { cstr(rd::rd_kafka_consumer_group_state_name(state)) }.unwrap_or_default()
}

fn type_name(kind: rd::rd_kafka_consumer_group_type_t) -> String {
    // SAFETY: static string for every type.
    unsafe { cstr(rd::rd_kafka_consumer_group_type_name(kind)) }.unwrap_or_default()
}

/// # Safety
/// `node` is a valid, non-null node.
unsafe fn node_of(node: *const rd::rd_kafka_Node_t) -> Node {
    // SAFETY: per the function contract.
    unsafe {
        Node {
            id: rd::rd_kafka_Node_id(node),
            host: cstr(rd::rd_kafka_Node_host(node)).unwrap_or_default(),
            port: rd::rd_kafka_Node_port(node),
            rack: cstr(rd::rd_kafka_Node_rack(node)).filter(|r| !r.is_empty()),
        }
    }
}

/// # Safety
/// `g` is a valid group description without error.
unsafe fn group_details(g: *const rd::rd_kafka_ConsumerGroupDescription_t) -> GroupDetails {
    // SAFETY: per the function contract; members and assignments are checked for null.
    unsafe {
        let coordinator = rd::rd_kafka_ConsumerGroupDescription_coordinator(g);
        let mut members: Vec<GroupMember> = (0..rd::rd_kafka_ConsumerGroupDescription_member_count(g))
            .filter_map(|i| {
                let m = rd::rd_kafka_ConsumerGroupDescription_member(g, i);
                if m.is_null() {
                    return None;
                }
                let mut assignment = Vec::new();
                let a = rd::rd_kafka_MemberDescription_assignment(m);
                if !a.is_null() {
                    let list = rd::rd_kafka_MemberAssignment_partitions(a);
                    if !list.is_null() {
                        let n = usize::try_from((*list).cnt).unwrap_or(0);
                        for tp in slice((*list).elems, n) {
                            assignment.push((cstr(tp.topic).unwrap_or_default(), tp.partition));
                        }
                    }
                }
                assignment.sort();
                Some(GroupMember {
                    member_id: cstr(rd::rd_kafka_MemberDescription_consumer_id(m)).unwrap_or_default(),
                    client_id: cstr(rd::rd_kafka_MemberDescription_client_id(m)).unwrap_or_default(),
                    host: cstr(rd::rd_kafka_MemberDescription_host(m)).unwrap_or_default(),
                    group_instance_id: cstr(rd::rd_kafka_MemberDescription_group_instance_id(m))
                        .filter(|s| !s.is_empty()),
                    assignment,
                })
            })
            .collect();
        members.sort_by(|a, b| a.member_id.cmp(&b.member_id));
        GroupDetails {
            state: state_name(rd::rd_kafka_ConsumerGroupDescription_state(g)),
            group_type: type_name(rd::rd_kafka_ConsumerGroupDescription_type(g)),
            is_simple: rd::rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(g) != 0,
            partition_assignor: cstr(rd::rd_kafka_ConsumerGroupDescription_partition_assignor(g))
                .unwrap_or_default(),
            coordinator: (!coordinator.is_null()).then(|| node_of(coordinator)),
            members,
        }
    }
}

/// # Safety
/// `list` is null or a valid partition list.
unsafe fn partition_offsets(
    list: *const rd::rd_kafka_topic_partition_list_t,
) -> Result<PartitionOffsets, AdminError> {
    let mut out = BTreeMap::new();
    if list.is_null() {
        return Ok(out);
    }
    // SAFETY: per the function contract.
    unsafe {
        let n = usize::try_from((*list).cnt).unwrap_or(0);
        for tp in slice((*list).elems, n) {
            if tp.err as i32 != 0 {
                return Err(AdminError::from_code(tp.err, err_text(tp.err)));
            }
            // -1001 (RD_KAFKA_OFFSET_INVALID): nothing committed for this partition.
            if tp.offset >= 0 {
                out.insert((cstr(tp.topic).unwrap_or_default(), tp.partition), tp.offset);
            }
        }
    }
    Ok(out)
}

/// # Safety
/// `t` is a valid topic description without error.
unsafe fn topic_description(t: *const rd::rd_kafka_TopicDescription_t, name: String) -> TopicDescription {
    // SAFETY: per the function contract; nodes are checked for null.
    unsafe {
        let ids = |nodes: *mut *const rd::rd_kafka_Node_t, n: usize| -> Vec<i32> {
            slice(nodes, n)
                .iter()
                .filter(|p| !p.is_null())
                .map(|&p| rd::rd_kafka_Node_id(p))
                .collect()
        };
        let mut n = 0;
        let parts = rd::rd_kafka_TopicDescription_partitions(t, &mut n);
        let mut partitions: Vec<PartitionDescription> = slice(parts, n)
            .iter()
            .map(|&p| {
                let leader = rd::rd_kafka_TopicPartitionInfo_leader(p);
                let (mut r, mut i) = (0, 0);
                let replicas = rd::rd_kafka_TopicPartitionInfo_replicas(p, &mut r);
                let isr = rd::rd_kafka_TopicPartitionInfo_isr(p, &mut i);
                PartitionDescription {
                    partition: rd::rd_kafka_TopicPartitionInfo_partition(p),
                    leader: (!leader.is_null())
                        .then(|| rd::rd_kafka_Node_id(leader))
                        .filter(|id| *id >= 0),
                    replicas: ids(replicas, r),
                    isr: ids(isr, i),
                }
            })
            .collect();
        partitions.sort_by_key(|p| p.partition);
        let uuid = rd::rd_kafka_TopicDescription_topic_id(t);
        let id = (!uuid.is_null())
            .then(|| {
                kafka_uuid(
                    rd::rd_kafka_Uuid_most_significant_bits(uuid),
                    rd::rd_kafka_Uuid_least_significant_bits(uuid),
                )
            })
            .filter(|id| id != "AAAAAAAAAAAAAAAAAAAAAA");
        TopicDescription {
            name,
            id,
            internal: rd::rd_kafka_TopicDescription_is_internal(t) != 0,
            partitions,
        }
    }
}

/// # Safety
/// `e` is a valid config entry.
unsafe fn config_value(e: *const rd::rd_kafka_ConfigEntry_t) -> ConfigValue {
    // SAFETY: per the function contract.
    unsafe {
        let sensitive = rd::rd_kafka_ConfigEntry_is_sensitive(e) != 0;
        ConfigValue {
            name: cstr(rd::rd_kafka_ConfigEntry_name(e)).unwrap_or_default(),
            value: if sensitive {
                None
            } else {
                cstr(rd::rd_kafka_ConfigEntry_value(e))
            },
            source: cstr(rd::rd_kafka_ConfigSource_name(rd::rd_kafka_ConfigEntry_source(e)))
                .unwrap_or_default(),
            sensitive,
        }
    }
}

/// A topic id the way Kafka prints it: the 16 bytes in URL-safe base64 without padding.
pub fn kafka_uuid(most: i64, least: i64) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&most.to_be_bytes());
    bytes[8..].copy_from_slice(&least.to_be_bytes());
    let mut out = String::with_capacity(22);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_ids_print_like_kafka() {
        assert_eq!(kafka_uuid(0, 0), "AAAAAAAAAAAAAAAAAAAAAA");
        // Kafka prints Uuid(-1, -1) as 22 '_' characters.
        assert_eq!(kafka_uuid(-1, -1), "_____________________w");
    }

    #[test]
    fn errors_are_classified() {
        use rd::rd_kafka_resp_err_t as E;
        assert!(AdminError::from_code(E::RD_KAFKA_RESP_ERR__TRANSPORT, "x").is_fatal());
        assert!(AdminError::from_code(E::RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED, "x").is_fatal());
        assert_eq!(
            AdminError::from_code(E::RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED, "no"),
            AdminError::NotAuthorized("no".into())
        );
        assert!(matches!(
            AdminError::from_code(E::RD_KAFKA_RESP_ERR_SECURITY_DISABLED, "x"),
            AdminError::Unsupported(_)
        ));
        assert!(matches!(
            AdminError::from_code(E::RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND, "x"),
            AdminError::Other { name, .. } if name == "GROUP_ID_NOT_FOUND"
        ));
    }
}
