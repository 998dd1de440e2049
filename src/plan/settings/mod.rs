//! The settings file (`migration.hcl`): what the user decides that the inventory cannot tell —
//! the Aiven project, service names and plans, how MirrorMaker 2 reaches the source, and the
//! flow policy.
//!
//! The file is read with hcl-rs into a [`hcl::Body`] and walked by hand against a fixed schema,
//! so an unknown key, a wrong type or a bad value is reported with the span of the key and a
//! "did you mean". Secrets never appear here: credentials are Terraform variables.
//! The schema is documented in `docs/settings.md`.

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use super::model::{
    CostParameters, DestinationService, MirrorMakerService, Observability, ResolvedSettings,
    SourceConnection, TerraformCloud,
};

/// Parsed, validated settings, before names are derived.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Aiven project.
    pub project: String,
    /// Aiven cloud, e.g. `google-europe-west1`.
    pub cloud: String,
    /// Prefix of derived service names (`<prefix>-kafka`, `<prefix>-mm2`, ...).
    pub service_prefix: String,
    /// The destination Kafka service.
    pub destination: DestinationSettings,
    /// The MirrorMaker 2 service and its sizing inputs.
    pub mirrormaker: MirrorMakerSettings,
    /// How MirrorMaker 2 reaches the source cluster (no secrets).
    pub source: SourceConnection,
    /// How topics are split into replication flows.
    pub flows: FlowPolicy,
    /// Grafana and Thanos, or `None` when observability is off.
    pub observability: Option<ObservabilitySettings>,
    /// Terraform Cloud, when configured.
    pub terraform_cloud: Option<TerraformCloudSettings>,
    /// Topics the user keeps classic whatever the inventory says, in file order.
    pub keep_classic: Vec<KeepClassic>,
    /// Topics whose producers cannot take diskless's added produce latency: never suggested
    /// for diskless by `plan --suggest`, in file order.
    pub latency_sensitive: Vec<LatencySensitive>,
    /// Prices and parameters of the cost model (`cost { … }`, defaults when absent).
    pub cost: CostParameters,
    /// Users, ACLs and quotas (`access { … }`, managed when absent).
    pub access: AccessSettings,
}

/// The `access` block: whether the plan carries users, ACLs and quotas over, and the decisions
/// about principals that cannot be carried over as they are.
#[derive(Clone, Debug, PartialEq)]
pub struct AccessSettings {
    /// Whether access is planned (default `true`; `plan --access off` turns it off too).
    pub enabled: bool,
    /// Why it is off, when it is (which switch).
    pub off_reason: Option<String>,
    /// The principal MirrorMaker 2 and `inspect` use on the source, e.g. `User:mm2`.
    pub source_principal: Option<String>,
    /// Source principal → destination user name, or [`PrincipalTarget::Skip`], in file order.
    pub principal_map: Vec<(String, PrincipalTarget)>,
}

impl Default for AccessSettings {
    fn default() -> Self {
        AccessSettings {
            enabled: true,
            off_reason: None,
            source_principal: None,
            principal_map: Vec::new(),
        }
    }
}

impl AccessSettings {
    /// Access left out, for the reason given (e.g. `plan --access off`).
    pub fn turn_off(&mut self, reason: &str) {
        self.enabled = false;
        self.off_reason = Some(reason.to_owned());
    }
}

/// What `principal_map` says of one source principal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrincipalTarget {
    /// Becomes this destination user.
    User(String),
    /// Is not carried over: its bindings and quotas are dropped.
    Skip,
}

/// One `latency_sensitive` block: topics whose whole name matches `regex` are never suggested
/// for diskless (their decision is not changed).
#[derive(Clone, Debug)]
pub struct LatencySensitive {
    /// The pattern as written in the settings file.
    pub pattern: String,
    /// The pattern anchored to match whole topic names.
    pub regex: regex::Regex,
    /// Why, as the user wrote it (e.g. a payment API waits for the acknowledgement).
    pub reason: String,
}

impl PartialEq for LatencySensitive {
    fn eq(&self, other: &Self) -> bool {
        self.pattern == other.pattern && self.reason == other.reason
    }
}

impl LatencySensitive {
    /// True when the whole of `topic` matches the pattern.
    pub fn matches(&self, topic: &str) -> bool {
        self.regex.is_match(topic)
    }
}

/// One `keep_classic` block: topics whose whole name matches `regex` are planned classic.
#[derive(Clone, Debug)]
pub struct KeepClassic {
    /// The pattern as written in the settings file.
    pub pattern: String,
    /// The pattern anchored to match whole topic names.
    pub regex: regex::Regex,
    /// Why, as the user wrote it (e.g. read by `read_committed` consumers).
    pub reason: String,
}

impl PartialEq for KeepClassic {
    fn eq(&self, other: &Self) -> bool {
        self.pattern == other.pattern && self.reason == other.reason
    }
}

impl KeepClassic {
    /// True when the whole of `topic` matches the pattern.
    pub fn matches(&self, topic: &str) -> bool {
        self.regex.is_match(topic)
    }
}

/// The `destination` block.
#[derive(Clone, Debug, PartialEq)]
pub struct DestinationSettings {
    /// Service name; derived from the prefix when `None`.
    pub service_name: Option<String>,
    /// Aiven plan, e.g. `business-8-inkless`.
    pub plan: String,
    /// Kafka version, at least `4.0`.
    pub kafka_version: String,
    /// MirrorMaker 2 cluster alias of the destination (default `destination`).
    pub cluster_alias: String,
    /// Whether the destination service has tiered storage (default `true`): classic topics
    /// keep the source's tiered-storage configs only when it has.
    pub tiered_storage: bool,
}

/// The `mirrormaker` block.
#[derive(Clone, Debug, PartialEq)]
pub struct MirrorMakerSettings {
    /// Service name; derived from the prefix when `None`.
    pub service_name: Option<String>,
    /// Aiven plan, e.g. `business-8`.
    pub plan: String,
    /// vCPUs of the plan, used to turn `tasks.max` into `tasks_max_per_cpu` (default 2).
    pub cpus: u32,
    /// Bytes per second one MirrorMaker 2 task is expected to copy (default 5 MiB/s).
    pub task_bytes_per_second: u64,
    /// The most partitions one source task should carry, so that the offset syncs of idle
    /// partitions drain in a few commits after producers stop (default
    /// [`DEFAULT_MAX_PARTITIONS_PER_TASK`]).
    pub max_partitions_per_task: u32,
    /// The most tasks per vCPU the plan sizes (default [`DEFAULT_MAX_TASKS_PER_CPU`]).
    pub max_tasks_per_cpu: u32,
    /// Kafka Connect's `offset.flush.interval.ms` of the MirrorMaker 2 worker, when the user
    /// sets it (self-run MirrorMaker 2); `None`: Kafka Connect's default is assumed.
    pub offset_flush_interval_ms: Option<u64>,
}

/// Default of `mirrormaker.max_partitions_per_task`: a task sends at most 10 offset syncs per
/// offset commit once its partitions are idle (measured, see `docs/plan.md`), so 50 partitions
/// drain in 5 commits, 5 minutes at Kafka Connect's default 60 s commit interval.
pub const DEFAULT_MAX_PARTITIONS_PER_TASK: u32 = 50;

/// Default of `mirrormaker.max_tasks_per_cpu`.
pub const DEFAULT_MAX_TASKS_PER_CPU: u32 = 16;

/// Default of `flows.max_gate_open_seconds`: a flow whose estimated gate-open delay after
/// producers stop is longer is a warning.
pub const DEFAULT_MAX_GATE_OPEN_SECONDS: u64 = 600;

/// The `flows` block: how topics are split into replication flows.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowPolicy {
    /// At most this many flows (default 4). Each flow needs its own external endpoint.
    pub max_flows: u32,
    /// Split so that no flow carries more measured bytes per second than this, when sampled.
    pub max_bytes_per_second: Option<u64>,
    /// Split so that no flow carries more partitions than this.
    pub max_partitions: Option<u32>,
    /// Copy throughput expected of one flow, for time estimates and task sizing (default 50 MiB/s).
    pub expected_bytes_per_second: u64,
    /// A flow whose estimated gate-open delay after producers stop is longer than this is a
    /// warning (default [`DEFAULT_MAX_GATE_OPEN_SECONDS`]).
    pub max_gate_open_seconds: u64,
}

/// The `observability` block, when `enabled`.
#[derive(Clone, Debug, PartialEq)]
pub struct ObservabilitySettings {
    /// Grafana service name; derived when `None`.
    pub grafana_service_name: Option<String>,
    /// Grafana plan (default `startup-8`).
    pub grafana_plan: String,
    /// Thanos service name; derived when `None`.
    pub thanos_service_name: Option<String>,
    /// Thanos plan (default `startup-4`).
    pub thanos_plan: String,
}

/// The `terraform_cloud` block.
#[derive(Clone, Debug, PartialEq)]
pub struct TerraformCloudSettings {
    /// Organisation.
    pub organization: String,
    /// Workspace of `destination/`; default `<prefix>-destination`.
    pub destination_workspace: Option<String>,
    /// Workspace of `migration/`; default `<prefix>-migration`.
    pub migration_workspace: Option<String>,
}

impl Settings {
    /// Derives service names and defaults into what `plan.json` records.
    pub fn resolve(&self) -> ResolvedSettings {
        let prefix = &self.service_prefix;
        let derived = |given: &Option<String>, suffix: &str| {
            given.clone().unwrap_or_else(|| format!("{prefix}-{suffix}"))
        };
        ResolvedSettings {
            project: self.project.clone(),
            cloud: self.cloud.clone(),
            destination: DestinationService {
                service_name: derived(&self.destination.service_name, "kafka"),
                plan: self.destination.plan.clone(),
                kafka_version: self.destination.kafka_version.clone(),
                cluster_alias: self.destination.cluster_alias.clone(),
                tiered_storage: self.destination.tiered_storage,
            },
            mirrormaker: MirrorMakerService {
                service_name: derived(&self.mirrormaker.service_name, "mm2"),
                plan: self.mirrormaker.plan.clone(),
            },
            source: self.source.clone(),
            observability: self.observability.as_ref().map(|o| Observability {
                grafana_service_name: derived(&o.grafana_service_name, "grafana"),
                grafana_plan: o.grafana_plan.clone(),
                thanos_service_name: derived(&o.thanos_service_name, "thanos"),
                thanos_plan: o.thanos_plan.clone(),
            }),
            terraform_cloud: self.terraform_cloud.as_ref().map(|t| TerraformCloud {
                organization: t.organization.clone(),
                destination_workspace: derived(&t.destination_workspace, "destination"),
                migration_workspace: derived(&t.migration_workspace, "migration"),
            }),
        }
    }
}

/// A settings file that cannot be used, pointing at the offending text.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(settings::invalid))]
pub struct SettingsError {
    /// What is wrong.
    pub message: String,
    /// The lines around the offending text (bounded, see [`crate::snippet`]).
    #[source_code]
    pub src: crate::snippet::Snippet,
    /// Where.
    #[label("{label}")]
    pub span: SourceSpan,
    /// The label text at the span.
    pub label: String,
    /// What to do.
    #[help]
    pub help: Option<String>,
}

/// Reads and validates a settings file.
pub fn read_settings(path: &std::path::Path) -> Result<Settings, SettingsError> {
    let name = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => parse_settings(&name, &text),
        Err(err) => Err(SettingsError {
            message: format!("cannot read settings {name}: {err}"),
            src: crate::snippet::Snippet::empty(name),
            span: (0, 0).into(),
            label: String::new(),
            help: Some("check the path given to --settings".into()),
        }),
    }
}

impl Default for FlowPolicy {
    fn default() -> Self {
        FlowPolicy {
            max_flows: 4,
            max_bytes_per_second: None,
            max_partitions: None,
            expected_bytes_per_second: 50 * MIB,
            max_gate_open_seconds: DEFAULT_MAX_GATE_OPEN_SECONDS,
        }
    }
}

impl Default for ObservabilitySettings {
    fn default() -> Self {
        ObservabilitySettings {
            grafana_service_name: None,
            grafana_plan: "startup-8".into(),
            thanos_service_name: None,
            thanos_plan: "startup-4".into(),
        }
    }
}

/// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
pub(crate) fn did_you_mean<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

mod parser;
use parser::MIB;
#[cfg(test)]
mod tests;

pub use parser::parse_settings;
