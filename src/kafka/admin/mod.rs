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
use std::ffi::CString;
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
        send_list_consumer_groups(&call);
        read_list_consumer_groups(&call.wait_one()?)
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
        send_describe_consumer_groups(&call, &c_strings(ids)?);
        let mut by_id = read_describe_consumer_groups(&call.wait_one()?)?;
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
                // The tag is the group's index plus one (a null opaque means no tag).
                send_list_consumer_group_offsets(&call, name, index + 1);
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
                by_id.extend(read_list_consumer_group_offsets(&event)?);
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
        let list = TopicPartitionList::new(partitions)?;
        send_list_offsets(&call, &list, spec);
        read_list_offsets(&call.wait_one()?)
    }

    /// Cluster id, controller and brokers (with racks).
    pub fn describe_cluster(&self) -> Result<ClusterDescription, AdminError> {
        let call = Call::new(self, rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DESCRIBECLUSTER)?;
        send_describe_cluster(&call);
        read_describe_cluster(&call.wait_one()?)
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
        send_describe_topics(&call, &c_strings(names)?);
        read_describe_topics(&call.wait_one()?)
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
        send_describe_configs(&call, resources, &names);
        read_describe_configs(&call.wait_one()?)
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
