//! Every `unsafe` line of the admin calls: the raw request (`Call`), its result event, topic
//! partition lists, and the readers that copy librdkafka's results into owned values. See the
//! safety rule in the parent module's documentation.
//!
//! Longer than most modules on purpose: every `unsafe` line of the admin client is here, so
//! that it is reviewed in one place, and the calls in `mod.rs` are safe code only.

use std::collections::BTreeMap;
use std::ffi::{CStr, CString, c_char};
use std::ptr;
use std::time::Duration;

use rdkafka::ClientContext;
use rdkafka::error::KafkaError;

use rdkafka::bindings as rd;

use super::error::AdminError;
use super::types::*;
use super::{Admin, kafka_uuid};

/// One raw admin request in flight: the native handle, its options and its result queue.
pub(super) struct Call<'a> {
    pub(super) admin: &'a Admin,
    pub(super) rk: *mut rd::rd_kafka_t,
    pub(super) options: *mut rd::rd_kafka_AdminOptions_t,
    pub(super) queue: *mut rd::rd_kafka_queue_t,
}

impl<'a> Call<'a> {
    pub(super) fn new(admin: &'a Admin, op: rd::rd_kafka_admin_op_t) -> Result<Call<'a>, AdminError> {
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
    pub(super) fn drain_main_queue(&self) {
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
    pub(super) fn wait_one(self) -> Result<Event, AdminError> {
        self.wait_many(1)
            .into_iter()
            .next()
            .unwrap_or_else(|| Err(unexpected("no event")))
    }

    /// Waits for `n` answers on this call's queue. A request-level error is returned in place
    /// of its event, so no result accessor is ever called on an errored event.
    pub(super) fn wait_many(&self, n: usize) -> Vec<Result<Event, AdminError>> {
        self.wait_many_tagged(n).into_iter().map(|(_, r)| r).collect()
    }

    /// As [`Call::wait_many`], with each answer's opaque (set with
    /// `rd_kafka_AdminOptions_set_opaque` before its request was sent) as a number; `None` for
    /// answers that never came, or without an opaque.
    pub(super) fn wait_many_tagged(&self, n: usize) -> Vec<(Option<usize>, Result<Event, AdminError>)> {
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
pub(super) struct Event(pub(super) *mut rd::rd_kafka_event_t);

impl Drop for Event {
    fn drop(&mut self) {
        // SAFETY: owned, destroyed once.
        unsafe { rd::rd_kafka_event_destroy(self.0) };
    }
}

/// An owned topic-partition list, destroyed on drop.
pub(super) struct TopicPartitionList(pub(super) *mut rd::rd_kafka_topic_partition_list_t);

impl TopicPartitionList {
    pub(super) fn new(partitions: &[(String, i32)]) -> Result<TopicPartitionList, AdminError> {
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

    pub(super) fn len(&self) -> usize {
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

/// librdkafka's name of an error code (`GROUP_AUTHORIZATION_FAILED`, ...).
pub(super) fn err_name(code: rd::rd_kafka_resp_err_t) -> String {
    // SAFETY: rd_kafka_err2name returns a static string for every code.
    unsafe { cstr(rd::rd_kafka_err2name(code)) }.unwrap_or_default()
}

/// Copies a C string; `None` for a null pointer.
///
/// # Safety
/// `p` is null or points to a NUL-terminated string.
pub(super) unsafe fn cstr(p: *const c_char) -> Option<String> {
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
pub(super) unsafe fn slice<'a, T>(p: *mut T, n: usize) -> &'a [T] {
    if p.is_null() || n == 0 {
        &[]
    } else {
        // SAFETY: per the function contract.
        unsafe { std::slice::from_raw_parts(p, n) }
    }
}

pub(super) fn err_text(code: rd::rd_kafka_resp_err_t) -> String {
    // SAFETY: rd_kafka_err2str returns a static string for every code.
    unsafe { cstr(rd::rd_kafka_err2str(code)) }.unwrap_or_default()
}

/// # Safety
/// `error` is a valid, non-null `rd_kafka_error_t`.
pub(super) unsafe fn error_of(error: *const rd::rd_kafka_error_t) -> AdminError {
    // SAFETY: per the function contract.
    unsafe {
        AdminError::from_code(
            rd::rd_kafka_error_code(error),
            cstr(rd::rd_kafka_error_string(error)).unwrap_or_default(),
        )
    }
}

pub(super) fn unexpected(what: &str) -> AdminError {
    AdminError::Other {
        name: "UNEXPECTED".into(),
        message: format!("{what}: librdkafka returned no result"),
    }
}

pub(super) fn invalid_name() -> AdminError {
    AdminError::Other {
        name: "INVALID_ARG".into(),
        message: "a name contains a NUL byte or there are too many items".into(),
    }
}

pub(super) fn c_strings(names: &[String]) -> Result<Vec<CString>, AdminError> {
    names
        .iter()
        .map(|n| CString::new(n.as_str()).map_err(|_| invalid_name()))
        .collect()
}

pub(super) fn state_name(state: rd::rd_kafka_consumer_group_state_t) -> String {
    // SAFETY: static string for every state.
    unsafe { cstr(rd::rd_kafka_consumer_group_state_name(state)) }.unwrap_or_default()
}

pub(super) fn type_name(kind: rd::rd_kafka_consumer_group_type_t) -> String {
    // SAFETY: static string for every type.
    unsafe { cstr(rd::rd_kafka_consumer_group_type_name(kind)) }.unwrap_or_default()
}

/// # Safety
/// `node` is a valid, non-null node.
pub(super) unsafe fn node_of(node: *const rd::rd_kafka_Node_t) -> Node {
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
pub(super) unsafe fn group_details(g: *const rd::rd_kafka_ConsumerGroupDescription_t) -> GroupDetails {
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
pub(super) unsafe fn partition_offsets(
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
pub(super) unsafe fn topic_description(
    t: *const rd::rd_kafka_TopicDescription_t,
    name: String,
) -> TopicDescription {
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
pub(super) unsafe fn config_value(e: *const rd::rd_kafka_ConfigEntry_t) -> ConfigValue {
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

// The calls: what each sends, and how its answer is copied out. Each `send_*` hands one request
// to librdkafka; each `read_*` reads an event `Call::wait_one` (or `wait_many_tagged`) returned,
// which carries no request-level error.

/// Sends `ListConsumerGroups` to every broker.
pub(super) fn send_list_consumer_groups(call: &Call<'_>) {
    // SAFETY: handle, options and queue are valid for the duration of the call.
    unsafe { rd::rd_kafka_ListConsumerGroups(call.rk, call.options, call.queue) };
}

/// The groups listed, sorted by id, and the errors of the brokers that did not list theirs.
pub(super) fn read_list_consumer_groups(
    event: &Event,
) -> Result<(Vec<GroupListing>, Vec<AdminError>), AdminError> {
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

/// Sends `DescribeConsumerGroups` for `names`.
pub(super) fn send_describe_consumer_groups(call: &Call<'_>, names: &[CString]) {
    let mut ptrs: Vec<*const c_char> = names.iter().map(|c| c.as_ptr()).collect();
    // SAFETY: `ptrs` points into `names`, alive until the call returns (librdkafka copies).
    unsafe {
        rd::rd_kafka_DescribeConsumerGroups(call.rk, ptrs.as_mut_ptr(), ptrs.len(), call.options, call.queue)
    };
}

/// Each described group's details or error, by id.
pub(super) fn read_describe_consumer_groups(
    event: &Event,
) -> Result<BTreeMap<String, Result<GroupDetails, AdminError>>, AdminError> {
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
    Ok(by_id)
}

/// Sends `ListConsumerGroupOffsets` for one group (all its partitions), tagged with `tag`.
pub(super) fn send_list_consumer_group_offsets(call: &Call<'_>, name: &CStr, tag: usize) {
    // SAFETY: the request object is created, handed over, and destroyed here; librdkafka copies
    // what it needs, the options (and their opaque, the tag) included. A null partition list
    // means "all".
    unsafe {
        rd::rd_kafka_AdminOptions_set_opaque(call.options, tag as *mut std::ffi::c_void);
        let mut request = rd::rd_kafka_ListConsumerGroupOffsets_new(name.as_ptr(), ptr::null());
        rd::rd_kafka_ListConsumerGroupOffsets(call.rk, &mut request, 1, call.options, call.queue);
        rd::rd_kafka_ListConsumerGroupOffsets_destroy(request);
    }
}

/// Each answered group's committed offsets or error.
pub(super) fn read_list_consumer_group_offsets(
    event: &Event,
) -> Result<BTreeMap<String, Result<PartitionOffsets, AdminError>>, AdminError> {
    let mut out = BTreeMap::new();
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
            out.insert(id, offsets);
        }
    }
    Ok(out)
}

/// Sends `ListOffsets` for every partition of `list`, each asking for `spec`.
pub(super) fn send_list_offsets(call: &Call<'_>, list: &TopicPartitionList, spec: OffsetSpec) {
    let spec = match spec {
        OffsetSpec::Earliest => rd::rd_kafka_OffsetSpec_t::RD_KAFKA_OFFSET_SPEC_EARLIEST,
        OffsetSpec::Latest => rd::rd_kafka_OffsetSpec_t::RD_KAFKA_OFFSET_SPEC_LATEST,
    } as i64;
    for i in 0..list.len() {
        // SAFETY: `i` is within the list, which we own.
        unsafe { (*(*list.0).elems.add(i)).offset = spec };
    }
    // SAFETY: the list stays alive until after the call returns (librdkafka copies it).
    unsafe { rd::rd_kafka_ListOffsets(call.rk, list.0, call.options, call.queue) };
}

/// Each partition's offset or error.
pub(super) fn read_list_offsets(event: &Event) -> Result<OffsetResults, AdminError> {
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

/// Sends `DescribeCluster`.
pub(super) fn send_describe_cluster(call: &Call<'_>) {
    // SAFETY: valid handle, options and queue.
    unsafe { rd::rd_kafka_DescribeCluster(call.rk, call.options, call.queue) };
}

/// The cluster id, controller and brokers.
pub(super) fn read_describe_cluster(event: &Event) -> Result<ClusterDescription, AdminError> {
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

/// Sends `DescribeTopics` for `names`.
pub(super) fn send_describe_topics(call: &Call<'_>, names: &[CString]) {
    let mut ptrs: Vec<*const c_char> = names.iter().map(|c| c.as_ptr()).collect();
    // SAFETY: the collection copies the names; destroyed after the call.
    unsafe {
        let collection = rd::rd_kafka_TopicCollection_of_topic_names(ptrs.as_mut_ptr(), ptrs.len());
        rd::rd_kafka_DescribeTopics(call.rk, collection, call.options, call.queue);
        rd::rd_kafka_TopicCollection_destroy(collection);
    }
}

/// Each described topic or its error, by name.
pub(super) fn read_describe_topics(
    event: &Event,
) -> Result<BTreeMap<String, Result<TopicDescription, AdminError>>, AdminError> {
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

/// Sends `DescribeConfigs` for `resources`, whose names are `names` (same order).
pub(super) fn send_describe_configs(call: &Call<'_>, resources: &[ConfigResource], names: &[CString]) {
    // SAFETY: the resources are created, handed over, and destroyed here (librdkafka copies).
    unsafe {
        let mut raw: Vec<*mut rd::rd_kafka_ConfigResource_t> = resources
            .iter()
            .zip(names)
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
}

/// Each resource's config values (sorted by name) or error.
pub(super) fn read_describe_configs(
    event: &Event,
) -> Result<BTreeMap<ConfigResource, Result<Vec<ConfigValue>, AdminError>>, AdminError> {
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
