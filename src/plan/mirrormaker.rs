//! How MirrorMaker 2 runs: the per-flow replication choices (replication policy, where the
//! offset syncs live, what is copied besides records, heartbeats), each with its reason.
//!
//! It also sizes MirrorMaker 2's tasks from each flow's partitions and the service's CPUs, and
//! estimates each flow's cutover window ([`size`]); the numbers' sources are in `docs/plan.md`.
//!
//! `generate` renders these into `mm2.properties`, the `migration/` root and the
//! `mirrormaker-flow` module; it never picks a value itself.

use super::Settings;
use super::model::{Decided, Flow, OffsetSyncsTopicLocation, PlanDiagnostic, ReplicationPolicy, Worker};

/// The replication choices of every flow, with their reasons.
pub struct ReplicationChoices {
    /// See [`super::MirrorMakerPlan::replication_policy`].
    pub replication_policy: Decided<ReplicationPolicy>,
    /// See [`super::MirrorMakerPlan::offset_syncs_topic_location`].
    pub offset_syncs_topic_location: Decided<OffsetSyncsTopicLocation>,
    /// See [`super::MirrorMakerPlan::sync_topic_configs_enabled`].
    pub sync_topic_configs_enabled: Decided<bool>,
    /// See [`super::MirrorMakerPlan::sync_topic_acls_enabled`].
    pub sync_topic_acls_enabled: Decided<bool>,
    /// See [`super::MirrorMakerPlan::emit_heartbeats_enabled`].
    pub emit_heartbeats_enabled: Decided<bool>,
    /// See [`super::MirrorMakerPlan::emit_heartbeats_outside_flows`].
    pub emit_heartbeats_outside_flows: Decided<bool>,
}

/// The choices: they follow from what a migration to diskless topics is (the same topic
/// names, a source that is only read, destination topics created and reviewed in Terraform),
/// not from the inventory.
pub fn replication_choices() -> ReplicationChoices {
    ReplicationChoices {
        replication_policy: Decided::new(
            ReplicationPolicy::Identity,
            "identity: destination/ creates every topic under its source name and clients keep \
             their topic names; MirrorMaker 2's default policy would prefix them with the source alias",
        ),
        offset_syncs_topic_location: Decided::new(
            OffsetSyncsTopicLocation::Target,
            "target: MirrorMaker 2 then writes nothing into the source cluster, which the migration \
             only reads; inspect reads the offset syncs where mm2.properties says they are",
        ),
        sync_topic_configs_enabled: Decided::new(
            true,
            "true: later config changes on the source follow, except config_properties_exclude, \
             which keeps the diskless and replication settings the plan chose",
        ),
        sync_topic_acls_enabled: Decided::new(
            false,
            "false: MirrorMaker 2 would copy the source's topic ACLs onto the destination outside \
             Terraform; access on the destination is granted in reviewed configuration instead",
        ),
        emit_heartbeats_enabled: Decided::new(
            true,
            "true: each flow writes heartbeats into the destination, so a flow that copies no \
             record still shows that it runs",
        ),
        emit_heartbeats_outside_flows: Decided::new(
            false,
            "false: self-run MirrorMaker 2 runs a herder for every pair of clusters that emits \
             heartbeats; a heartbeats topic written into a source makes that flow's connector \
             reconfigure its tasks mid-copy, dropping the offset syncs they held (on Aiven: \
             emit_backward_heartbeats_enabled = false)",
        ),
    }
}

/// Kafka Connect's default `offset.flush.interval.ms`: how often the worker commits a task's
/// offsets (and so fires its delayed offset syncs).
pub const CONNECT_DEFAULT_OFFSET_FLUSH_INTERVAL_MS: u64 = 60_000;

/// Offset syncs one MirrorMaker 2 source task keeps in flight: once its partitions are idle,
/// each offset commit sends about this many.
pub const SYNCS_PER_COMMIT: u32 = 10;

/// The task sizing of MirrorMaker 2, for [`super::MirrorMakerPlan`].
pub struct Sizing {
    /// `tasks_max_per_cpu` of the service.
    pub tasks_max_per_cpu: u32,
    /// `tasks.max` of each flow: `tasks_max_per_cpu × cpus`.
    pub tasks_max: u32,
    /// Why.
    pub tasks_reason: String,
    /// The offset commit interval the estimates use, and where it comes from.
    pub offset_flush_interval_ms: Decided<u64>,
}

/// Sizes MirrorMaker 2's tasks and estimates each flow's cutover: the tasks it runs, the
/// partitions of its busiest task, the final offset-sync drain after producers stop and the
/// delay until the gate can open. `throughput_tasks[i]` is what flow `i` needs to copy at its
/// expected rate. A flow whose gate-open estimate exceeds `flows.max_gate_open_seconds` gets a
/// `flow-gate-open-slow` warning with the settings that would bring it under.
pub fn size(
    flows: &mut [Flow],
    throughput_tasks: &[u32],
    settings: &Settings,
    worker: &Worker,
    diagnostics: &mut Vec<PlanDiagnostic>,
) -> Sizing {
    let m = &settings.mirrormaker;
    let cpus = m.cpus.max(1);
    let per_task = m.max_partitions_per_task.max(1);
    let cap = m.max_tasks_per_cpu.max(1);
    // What each flow needs: enough tasks for its partitions and for its throughput, never more
    // tasks than partitions (MirrorMaker 2 would leave the others idle).
    let needs: Vec<u32> = flows
        .iter()
        .zip(throughput_tasks)
        .map(|(f, &rate)| {
            rate.max(f.partitions.div_ceil(per_task))
                .clamp(1, f.partitions.max(1))
        })
        .collect();
    let busiest = needs
        .iter()
        .enumerate()
        .max_by_key(|&(i, n)| (*n, std::cmp::Reverse(i)))
        .map(|(i, _)| i);
    let wanted = needs.iter().copied().max().unwrap_or(1);
    let per_cpu_wanted = wanted.div_ceil(cpus);
    let tasks_max_per_cpu = per_cpu_wanted.min(cap);
    let tasks_max = tasks_max_per_cpu * cpus;
    let mut reason = match busiest {
        Some(i) => format!(
            "{} needs {} task(s): {} partitions at most {per_task} per task \
             (mirrormaker.max_partitions_per_task){}",
            flows[i].name,
            needs[i],
            flows[i].partitions,
            if throughput_tasks[i] > flows[i].partitions.div_ceil(per_task) {
                format!(
                    ", {} for its expected copy rate (mirrormaker.task_bytes_per_second)",
                    throughput_tasks[i]
                )
            } else {
                String::new()
            }
        ),
        None => "no flow".into(),
    };
    reason.push_str(&format!(
        "; {cpus} CPU(s) (mirrormaker.cpus) give tasks_max_per_cpu {per_cpu_wanted}"
    ));
    if per_cpu_wanted > cap {
        reason.push_str(&format!(", capped at mirrormaker.max_tasks_per_cpu = {cap}"));
    }
    reason.push_str(&format!(
        "; Aiven runs tasks_max_per_cpu × CPUs = {tasks_max} task(s) per flow"
    ));

    let flush = match m.offset_flush_interval_ms {
        Some(ms) => Decided::new(
            ms,
            "settings mirrormaker.offset_flush_interval_ms; mm2.properties sets it for a self-run \
             MirrorMaker 2 (Aiven's service does not expose it)",
        ),
        None => Decided::new(
            CONNECT_DEFAULT_OFFSET_FLUSH_INTERVAL_MS,
            "Kafka Connect's default offset.flush.interval.ms, assumed: Aiven's MirrorMaker 2 \
             service does not expose it, so its value is not read",
        ),
    };
    let after_drain = u64::from(worker.emit_checkpoints_interval_seconds)
        + u64::from(worker.sync_group_offsets_interval_seconds);
    let threshold = settings.flows.max_gate_open_seconds;
    for flow in flows.iter_mut() {
        flow.tasks = tasks_max.min(flow.partitions).max(1);
        flow.partitions_per_task = flow.partitions.div_ceil(flow.tasks);
        flow.final_sync_drain_seconds = drain_seconds(flow.partitions_per_task, flush.value);
        flow.gate_open_seconds = flow.final_sync_drain_seconds + after_drain;
        if flow.gate_open_seconds > threshold {
            diagnostics.push(super::warning(
                "flow-gate-open-slow",
                Some(flow.name.clone()),
                slow_gate_message(
                    flow,
                    threshold,
                    after_drain,
                    flush.value,
                    settings,
                    tasks_max_per_cpu,
                ),
            ));
        }
    }
    Sizing {
        tasks_max_per_cpu,
        tasks_max,
        tasks_reason: reason,
        offset_flush_interval_ms: flush,
    }
}

/// Seconds until a task holding `partitions_per_task` idle partitions has sent the offset sync
/// of each: `ceil(partitions_per_task / 10)` commits of `flush_ms`.
pub fn drain_seconds(partitions_per_task: u32, flush_ms: u64) -> u64 {
    let commits = u64::from(partitions_per_task.div_ceil(SYNCS_PER_COMMIT));
    (commits * flush_ms).div_ceil(1000)
}

/// The warning for a flow over the gate-open threshold, with what would bring it under.
fn slow_gate_message(
    flow: &Flow,
    threshold: u64,
    after_drain: u64,
    flush_ms: u64,
    settings: &Settings,
    tasks_max_per_cpu: u32,
) -> String {
    let m = &settings.mirrormaker;
    let cpus = m.cpus.max(1);
    let head = format!(
        "{} is expected to open the cutover gate {} after producers stop (offset-sync drain {}: \
         {} partitions per task, {} sent per task per {} commit; then {} of checkpoint and group \
         offset sync intervals), more than flows.max_gate_open_seconds = {threshold}",
        flow.name,
        crate::units::duration(flow.gate_open_seconds),
        crate::units::duration(flow.final_sync_drain_seconds),
        flow.partitions_per_task,
        SYNCS_PER_COMMIT,
        crate::units::duration(flush_ms.div_ceil(1000)),
        crate::units::duration(after_drain),
    );
    let budget_ms = threshold.saturating_sub(after_drain) * 1000;
    let commits = budget_ms / flush_ms.max(1);
    if commits == 0 {
        return format!(
            "{head}; the threshold is shorter than MirrorMaker 2's own intervals plus one commit: \
             raise flows.max_gate_open_seconds"
        );
    }
    let per_task = u32::try_from(commits * u64::from(SYNCS_PER_COMMIT)).unwrap_or(u32::MAX);
    let tasks = flow.partitions.div_ceil(per_task);
    let tasks_max = tasks_max_per_cpu * cpus;
    let mut fixes = vec![format!(
        "more flows (flows.max_partitions = {} and enough flows.max_flows)",
        u64::from(tasks_max) * u64::from(per_task)
    )];
    if tasks.div_ceil(cpus) > m.max_tasks_per_cpu {
        fixes.push(format!(
            "a larger MirrorMaker 2 plan ({} CPUs at mirrormaker.max_tasks_per_cpu = {})",
            tasks.div_ceil(m.max_tasks_per_cpu.max(1)),
            m.max_tasks_per_cpu
        ));
        fixes.push(format!(
            "more tasks per CPU (mirrormaker.max_tasks_per_cpu = {})",
            tasks.div_ceil(cpus)
        ));
    }
    if m.max_partitions_per_task > per_task {
        fixes.push(format!(
            "fewer partitions per task (mirrormaker.max_partitions_per_task = {per_task})"
        ));
    }
    format!(
        "{head}; {} task(s) of at most {per_task} partitions would do it: {}",
        tasks,
        fixes.join(", or ")
    )
}
