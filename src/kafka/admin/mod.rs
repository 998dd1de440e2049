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
use std::ffi::{CString, c_char, c_void};
use std::ptr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rdkafka::ClientContext;
use rdkafka::admin::AdminClient;
use rdkafka::bindings as rd;
use rdkafka::config::{FromClientConfigAndContext, RDKafkaLogLevel};
use rdkafka::error::KafkaError;

use super::client::ClientSettings;

mod error;
mod ffi;
mod types;

pub use error::AdminError;
use ffi::*;
pub use types::*;

/// How many requests of one kind may wait for an answer at once when librdkafka takes only one
/// item per request (committed offsets: one group per request).
const MAX_IN_FLIGHT: usize = 256;

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
