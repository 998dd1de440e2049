//! The settings file (`migration.hcl`): what the user decides that the inventory cannot tell —
//! the Aiven project, service names and plans, how MirrorMaker 2 reaches the source, and the
//! flow policy.
//!
//! The file is read with hcl-rs into a [`hcl::Body`] and walked by hand against a fixed schema,
//! so an unknown key, a wrong type or a bad value is reported with the span of the key and a
//! "did you mean". Secrets never appear here: credentials are Terraform variables.
//! The schema is documented in `docs/settings.md`.

use std::ops::Range;

use hcl::{Body, Expression};
use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use super::model::{
    CostParameters, DestinationService, MirrorMakerService, Observability, ResolvedSettings, SaslMechanism,
    SecurityProtocol, SourceConnection, TerraformCloud,
};
use super::names::{self, is_alias, is_name, is_plan_name};

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
}

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

/// Parses settings text; `name` is used in diagnostics.
pub fn parse_settings(name: &str, text: &str) -> Result<Settings, SettingsError> {
    let mut p = Parser {
        name,
        text,
        cursor: 0,
    };
    let body: Body = match hcl::parse(text) {
        Ok(body) => body,
        Err(err) => {
            let offset = match &err {
                hcl::Error::Parse(parse) => parse.location().offset(),
                _ => 0,
            };
            let message = match &err {
                hcl::Error::Parse(parse) => parse.message().to_owned(),
                other => other.to_string(),
            };
            return Err(p.error(
                offset..offset,
                format!("{name} is not valid HCL: {message}"),
                "here",
                None,
            ));
        }
    };
    p.settings(&body)
}

const TOP: &[&str] = &[
    "project",
    "cloud",
    "service_prefix",
    "destination",
    "mirrormaker",
    "source",
    "flows",
    "observability",
    "terraform_cloud",
    "keep_classic",
    "latency_sensitive",
    "cost",
];
const DESTINATION: &[&str] = &[
    "service_name",
    "plan",
    "kafka_version",
    "cluster_alias",
    "tiered_storage",
];
const KEEP_CLASSIC: &[&str] = &["regex", "reason"];
/// Blocks that may appear more than once.
const REPEATABLE: &[&str] = &["keep_classic", "latency_sensitive"];
const COST: &[&str] = &[
    "prices_source",
    "currency",
    "cross_zone_per_gb",
    "object_storage_per_gb_month",
    "put_per_1000",
    "get_per_1000",
    "disk_per_gb_month",
    "disk_utilization",
    "zones",
    "brokers",
    "follower_fetching",
    "zone_aware_clients",
    "commit_interval_ms",
    "buffer_max_bytes",
];
const MIRRORMAKER: &[&str] = &["service_name", "plan", "cpus", "task_bytes_per_second"];
const SOURCE: &[&str] = &[
    "bootstrap_servers",
    "security_protocol",
    "sasl_mechanism",
    "ssl_endpoint_identification_algorithm",
];
const FLOWS: &[&str] = &[
    "max_flows",
    "max_bytes_per_second",
    "max_partitions",
    "expected_bytes_per_second",
];
const OBSERVABILITY: &[&str] = &[
    "enabled",
    "grafana_service_name",
    "grafana_plan",
    "thanos_service_name",
    "thanos_plan",
];
const TERRAFORM_CLOUD: &[&str] = &["organization", "destination_workspace", "migration_workspace"];
const SECRETS: &[&str] = &[
    "sasl_plain_username",
    "sasl_plain_password",
    "password",
    "username",
    "ssl_ca_cert",
    "ssl_client_cert",
    "ssl_client_key",
    "aiven_api_token",
    "token",
];
const BLOCKS: &[&str] = &[
    "destination",
    "mirrormaker",
    "source",
    "flows",
    "observability",
    "terraform_cloud",
    "keep_classic",
    "latency_sensitive",
    "cost",
];

/// One attribute or block of a body, with the span of its key.
enum Item<'b> {
    Attr(&'b Expression, Range<usize>),
    Block(&'b Body, Range<usize>),
}

/// The items of one body, checked against the allowed keys.
struct Items<'b> {
    block: &'static str,
    items: Vec<(String, Item<'b>)>,
    /// Span of the block's own name, for "missing key" errors.
    at: Range<usize>,
}

impl<'b> Items<'b> {
    fn get(&self, key: &str) -> Option<&Item<'b>> {
        self.items.iter().find(|(k, _)| k == key).map(|(_, i)| i)
    }

    /// Every item named `key`, in source order (for repeatable blocks).
    fn all(&self, key: &str) -> impl Iterator<Item = &Item<'b>> {
        self.items.iter().filter(move |(k, _)| k == key).map(|(_, i)| i)
    }
}

struct Parser<'a> {
    name: &'a str,
    text: &'a str,
    /// Byte offset the next key is searched from: the body is walked in source order.
    cursor: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, span: Range<usize>, message: String, label: &str, help: Option<String>) -> SettingsError {
        let redacted = redact_secrets(self.text);
        let (src, span) = crate::snippet::Snippet::around(self.name, &redacted, span);
        let shorten = |s: &str| crate::snippet::shorten(s).into_owned();
        SettingsError {
            message: shorten(&message),
            src,
            span,
            label: shorten(label),
            help: help.as_deref().map(shorten),
        }
    }

    /// Finds `key` at the start of a line at or after the cursor and moves the cursor past it.
    fn locate(&mut self, key: &str) -> Range<usize> {
        let bytes = self.text.as_bytes();
        let mut from = self.cursor;
        while let Some(found) = self.text[from..].find(key) {
            let start = from + found;
            let end = start + key.len();
            let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
            let only_space_before = self.text[line_start..start].chars().all(char::is_whitespace);
            let boundary = bytes
                .get(end)
                .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-'));
            if only_space_before && boundary {
                self.cursor = end;
                return start..end;
            }
            from = end;
        }
        self.cursor..self.cursor
    }

    /// Collects a body's items in source order, refusing unknown and repeated keys.
    fn items<'b>(
        &mut self,
        body: &'b Body,
        block: &'static str,
        allowed: &[&str],
        at: Range<usize>,
    ) -> Result<Items<'b>, SettingsError> {
        let mut items: Vec<(String, Item<'b>)> = Vec::new();
        for structure in body.iter() {
            let (key, item) = match structure {
                hcl::Structure::Attribute(attr) => {
                    let span = self.locate(attr.key());
                    (attr.key().to_owned(), Item::Attr(attr.expr(), span))
                }
                hcl::Structure::Block(b) => {
                    let span = self.locate(b.identifier());
                    if !b.labels().is_empty() {
                        return Err(self.error(
                            span,
                            format!("block `{}` takes no labels", b.identifier()),
                            "labelled block",
                            Some(format!("write `{} {{ ... }}`", b.identifier())),
                        ));
                    }
                    (b.identifier().to_owned(), Item::Block(b.body(), span))
                }
            };
            let span = match &item {
                Item::Attr(_, s) | Item::Block(_, s) => s.clone(),
            };
            let place = if block.is_empty() {
                "at the top level".to_owned()
            } else {
                format!("in `{block}`")
            };
            if SECRETS.contains(&key.as_str()) {
                return Err(self.error(
                    span,
                    format!("`{key}` is a secret and does not belong in the settings file"),
                    "secret",
                    Some(
                        "credentials are Terraform variables: set them with TF_VAR_* or a .tfvars \
                         file that is not committed"
                            .into(),
                    ),
                ));
            }
            if !allowed.contains(&key.as_str()) {
                let help = match did_you_mean(&key, allowed) {
                    Some(near) => format!("did you mean `{near}`? Allowed {place}: {}", allowed.join(", ")),
                    None => format!("allowed {place}: {}", allowed.join(", ")),
                };
                return Err(self.error(
                    span,
                    format!("unknown key `{key}` {place}"),
                    "unknown key",
                    Some(help),
                ));
            }
            let is_block = matches!(item, Item::Block(..));
            if is_block != BLOCKS.contains(&key.as_str()) {
                let help = if is_block {
                    format!("write `{key} = ...`")
                } else {
                    format!("write `{key} {{ ... }}`")
                };
                let what = if is_block { "an attribute" } else { "a block" };
                return Err(self.error(span, format!("`{key}` must be {what}"), "wrong kind", Some(help)));
            }
            if items.iter().any(|(k, _)| *k == key) && !REPEATABLE.contains(&key.as_str()) {
                return Err(self.error(span, format!("`{key}` is set twice {place}"), "repeated", None));
            }
            items.push((key, item));
        }
        Ok(Items { block, items, at })
    }

    fn missing(&self, items: &Items<'_>, key: &str) -> SettingsError {
        let place = if items.block.is_empty() {
            "at the top level".to_owned()
        } else {
            format!("in `{}`", items.block)
        };
        self.error(
            items.at.clone(),
            format!("`{key}` is required {place}"),
            "missing key",
            Some(format!("add `{key} = ...`; see docs/settings.md")),
        )
    }

    fn opt_string(
        &self,
        items: &Items<'_>,
        key: &str,
    ) -> Result<Option<(String, Range<usize>)>, SettingsError> {
        match items.get(key) {
            None => Ok(None),
            Some(Item::Attr(Expression::String(s), span)) => Ok(Some((s.clone(), span.clone()))),
            Some(Item::Attr(_, span) | Item::Block(_, span)) => Err(self.error(
                span.clone(),
                format!("`{key}` must be a string"),
                "not a string",
                Some(format!("quote the value: `{key} = \"...\"`")),
            )),
        }
    }

    fn string(&self, items: &Items<'_>, key: &str) -> Result<(String, Range<usize>), SettingsError> {
        self.opt_string(items, key)?
            .ok_or_else(|| self.missing(items, key))
    }

    fn opt_u64(&self, items: &Items<'_>, key: &str) -> Result<Option<(u64, Range<usize>)>, SettingsError> {
        match items.get(key) {
            None => Ok(None),
            Some(Item::Attr(Expression::Number(n), span)) if n.as_u64().is_some_and(|v| v > 0) => {
                Ok(Some((n.as_u64().unwrap_or_default(), span.clone())))
            }
            Some(Item::Attr(_, span) | Item::Block(_, span)) => Err(self.error(
                span.clone(),
                format!("`{key}` must be a positive whole number"),
                "not a positive integer",
                None,
            )),
        }
    }

    fn opt_u32(&self, items: &Items<'_>, key: &str) -> Result<Option<u32>, SettingsError> {
        match self.opt_u64(items, key)? {
            None => Ok(None),
            Some((v, span)) => u32::try_from(v)
                .map(Some)
                .map_err(|_| self.error(span, format!("`{key}` is too large"), "too large", None)),
        }
    }

    /// A non-negative number (a price, a share), at most `max` when given.
    fn opt_f64(&self, items: &Items<'_>, key: &str, max: Option<f64>) -> Result<Option<f64>, SettingsError> {
        match items.get(key) {
            None => Ok(None),
            Some(Item::Attr(Expression::Number(n), span)) => match n.as_f64() {
                Some(v) if v.is_finite() && v >= 0.0 && max.is_none_or(|m| v <= m) => Ok(Some(v)),
                _ => Err(self.error(
                    span.clone(),
                    match max {
                        Some(m) => format!("`{key}` must be a number from 0 to {m}"),
                        None => format!("`{key}` must be a number of at least 0"),
                    },
                    "out of range",
                    Some(format!("e.g. `{key} = {}`", cost_example(key))),
                )),
            },
            Some(Item::Attr(_, span) | Item::Block(_, span)) => Err(self.error(
                span.clone(),
                format!("`{key}` must be a number"),
                "not a number",
                Some(format!(
                    "write a number without quotes, e.g. `{key} = {}`",
                    cost_example(key)
                )),
            )),
        }
    }

    fn opt_bool(&self, items: &Items<'_>, key: &str) -> Result<Option<bool>, SettingsError> {
        match items.get(key) {
            None => Ok(None),
            Some(Item::Attr(Expression::Bool(b), _)) => Ok(Some(*b)),
            Some(Item::Attr(_, span) | Item::Block(_, span)) => Err(self.error(
                span.clone(),
                format!("`{key}` must be `true` or `false`"),
                "not a boolean",
                None,
            )),
        }
    }

    /// Enters a block: collects its items against `allowed`.
    fn block<'b>(
        &mut self,
        parent: &Items<'b>,
        key: &'static str,
        allowed: &[&str],
    ) -> Result<Option<Items<'b>>, SettingsError> {
        match parent.get(key) {
            Some(Item::Block(body, span)) => {
                let (body, span) = (*body, span.clone());
                // Keys of the block come after its name.
                self.cursor = span.end;
                self.items(body, key, allowed, span).map(Some)
            }
            _ => Ok(None),
        }
    }

    fn required_block<'b>(
        &mut self,
        parent: &Items<'b>,
        key: &'static str,
        allowed: &[&str],
    ) -> Result<Items<'b>, SettingsError> {
        match self.block(parent, key, allowed)? {
            Some(items) => Ok(items),
            None => Err(self.error(
                parent.at.clone(),
                format!("block `{key}` is required"),
                "missing block",
                Some(format!("add `{key} {{ ... }}`; see docs/settings.md")),
            )),
        }
    }

    fn checked(
        &self,
        (value, span): (String, Range<usize>),
        ok: impl Fn(&str) -> bool,
        message: &str,
        help: &str,
    ) -> Result<String, SettingsError> {
        if ok(&value) {
            Ok(value)
        } else {
            Err(self.error(
                span,
                format!("`{value}` {message}"),
                "invalid value",
                Some(help.to_owned()),
            ))
        }
    }

    fn settings(&mut self, body: &Body) -> Result<Settings, SettingsError> {
        // Blocks are located relative to the cursor, so the top level is collected first
        // (cursor reaches the end), then each block rewinds to its own name.
        let top = self.items(body, "", TOP, 0..0)?;
        let project = self.checked(
            self.string(&top, "project")?,
            |s| is_name(s, 63),
            "is not a valid Aiven project name",
            "use lowercase letters, digits and dashes, starting with a letter",
        )?;
        let cloud = self.checked(
            self.string(&top, "cloud")?,
            names::is_cloud_name,
            "is not an Aiven cloud name",
            "write the cloud as Aiven names it, e.g. `google-europe-west1` or `aws-eu-central-1`",
        )?;
        let (prefix, prefix_span) = self.string(&top, "service_prefix")?;
        let prefix = prefix.trim_end_matches('-').to_owned();
        if !is_name(&prefix, 40) {
            return Err(self.error(
                prefix_span,
                format!("`{prefix}` cannot start Aiven service names"),
                "invalid prefix",
                Some("use at most 40 lowercase letters, digits and dashes, starting with a letter".into()),
            ));
        }
        let service_name =
            |p: &Self, v: Option<(String, Range<usize>)>| -> Result<Option<String>, SettingsError> {
                v.map(|v| {
                    p.checked(
                        v,
                        |s| is_name(s, 63),
                        "is not a valid Aiven service name",
                        "use at most 63 lowercase letters, digits and dashes, starting with a letter",
                    )
                })
                .transpose()
            };
        let plan_name = |p: &Self, v: (String, Range<usize>)| {
            p.checked(
                v,
                is_plan_name,
                "is not a valid Aiven plan name",
                "plans look like `business-8` or `business-8-inkless`",
            )
        };

        let d = self.required_block(&top, "destination", DESTINATION)?;
        let (version, version_span) = self.string(&d, "kafka_version")?;
        match parse_version(&version) {
            Some((major, _)) if major >= 4 => {}
            Some(_) => {
                return Err(self.error(
                    version_span,
                    format!("diskless topics need Kafka 4.0 or newer, not {version}"),
                    "too old",
                    Some("set `kafka_version = \"4.0\"` or newer".into()),
                ));
            }
            None => {
                return Err(self.error(
                    version_span,
                    format!("`{version}` is not a Kafka version"),
                    "invalid value",
                    Some("write major.minor, e.g. `kafka_version = \"4.1\"`".into()),
                ));
            }
        }
        let destination = DestinationSettings {
            service_name: service_name(self, self.opt_string(&d, "service_name")?)?,
            plan: plan_name(self, self.string(&d, "plan")?)?,
            kafka_version: version,
            cluster_alias: match self.opt_string(&d, "cluster_alias")? {
                Some(v) => self.checked(v, is_alias, "is not a valid cluster alias", ALIAS_HELP)?,
                None => "destination".into(),
            },
            tiered_storage: self.opt_bool(&d, "tiered_storage")?.unwrap_or(true),
        };

        let m = self.required_block(&top, "mirrormaker", MIRRORMAKER)?;
        let mirrormaker = MirrorMakerSettings {
            service_name: service_name(self, self.opt_string(&m, "service_name")?)?,
            plan: plan_name(self, self.string(&m, "plan")?)?,
            cpus: self.opt_u32(&m, "cpus")?.unwrap_or(2),
            task_bytes_per_second: self
                .opt_u64(&m, "task_bytes_per_second")?
                .map_or(5 * MIB, |(v, _)| v),
        };

        let s = self.required_block(&top, "source", SOURCE)?;
        let (bootstrap, bootstrap_span) = self.string(&s, "bootstrap_servers")?;
        if let Some(problem) = names::bootstrap_problem(&bootstrap) {
            return Err(self.error(
                bootstrap_span,
                format!("`bootstrap_servers` is not a list of host:port: {problem}"),
                "invalid value",
                Some(
                    "write `bootstrap_servers = \"kafka-1.example.com:9093,kafka-2.example.com:9093\"`"
                        .into(),
                ),
            ));
        }
        let protocol = self.checked(
            self.string(&s, "security_protocol")?,
            |v| SecurityProtocol::parse(v).is_some(),
            "is not a security protocol",
            "use PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL",
        )?;
        let mechanism = self.opt_string(&s, "sasl_mechanism")?;
        let sasl = SecurityProtocol::parse(&protocol).is_some_and(SecurityProtocol::is_sasl);
        let sasl_mechanism = match mechanism {
            Some((m, span)) if !sasl => {
                return Err(self.error(
                    span,
                    format!("`sasl_mechanism = \"{m}\"` needs a SASL security protocol, not {protocol}"),
                    "not used",
                    Some("remove it, or use SASL_SSL".into()),
                ));
            }
            Some(v) => SaslMechanism::parse(&self.checked(
                v,
                |v| SaslMechanism::parse(v).is_some(),
                "is not a SASL mechanism Aiven supports",
                "use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512",
            )?),
            None if sasl => return Err(self.missing(&s, "sasl_mechanism")),
            None => None,
        };
        let ssl_endpoint_identification_algorithm =
            match self.opt_string(&s, "ssl_endpoint_identification_algorithm")? {
                Some((v, _)) if v.is_empty() => None,
                Some(v) => Some(self.checked(
                    v,
                    |v| v == "https",
                    "is not supported",
                    "use \"https\" to verify host names, or \"\" to not",
                )?),
                None => None,
            };
        let source = SourceConnection {
            bootstrap_servers: bootstrap,
            security_protocol: SecurityProtocol::parse(&protocol).unwrap_or_default(),
            sasl_mechanism,
            ssl_endpoint_identification_algorithm,
        };

        let flows = match self.block(&top, "flows", FLOWS)? {
            Some(f) => FlowPolicy {
                max_flows: self.opt_u32(&f, "max_flows")?.unwrap_or(4),
                max_bytes_per_second: self.opt_u64(&f, "max_bytes_per_second")?.map(|(v, _)| v),
                max_partitions: self.opt_u32(&f, "max_partitions")?,
                expected_bytes_per_second: self
                    .opt_u64(&f, "expected_bytes_per_second")?
                    .map_or(50 * MIB, |(v, _)| v),
            },
            None => FlowPolicy::default(),
        };

        let observability = match self.block(&top, "observability", OBSERVABILITY)? {
            Some(o) if self.opt_bool(&o, "enabled")?.unwrap_or(true) => Some(ObservabilitySettings {
                grafana_service_name: service_name(self, self.opt_string(&o, "grafana_service_name")?)?,
                grafana_plan: match self.opt_string(&o, "grafana_plan")? {
                    Some(v) => plan_name(self, v)?,
                    None => "startup-8".into(),
                },
                thanos_service_name: service_name(self, self.opt_string(&o, "thanos_service_name")?)?,
                thanos_plan: match self.opt_string(&o, "thanos_plan")? {
                    Some(v) => plan_name(self, v)?,
                    None => "startup-4".into(),
                },
            }),
            Some(_) => None,
            None => Some(ObservabilitySettings::default()),
        };

        let terraform_cloud = match self.block(&top, "terraform_cloud", TERRAFORM_CLOUD)? {
            Some(t) => {
                let tfc_name = |p: &Self, v: (String, Range<usize>)| {
                    p.checked(
                        v,
                        names::is_terraform_cloud_name,
                        "is not a Terraform Cloud name",
                        "use letters, digits, `_` and `-` (at most 90)",
                    )
                };
                Some(TerraformCloudSettings {
                    organization: tfc_name(self, self.string(&t, "organization")?)?,
                    destination_workspace: self
                        .opt_string(&t, "destination_workspace")?
                        .map(|v| tfc_name(self, v))
                        .transpose()?,
                    migration_workspace: self
                        .opt_string(&t, "migration_workspace")?
                        .map(|v| tfc_name(self, v))
                        .transpose()?,
                })
            }
            None => None,
        };

        let keep_classic = self
            .patterns(&top, "keep_classic")?
            .into_iter()
            .map(|(pattern, regex, reason)| KeepClassic {
                pattern,
                regex,
                reason,
            })
            .collect();
        let latency_sensitive = self
            .patterns(&top, "latency_sensitive")?
            .into_iter()
            .map(|(pattern, regex, reason)| LatencySensitive {
                pattern,
                regex,
                reason,
            })
            .collect();
        let cost = match self.block(&top, "cost", COST)? {
            Some(c) => self.cost(&c)?,
            None => CostParameters::default(),
        };

        Ok(Settings {
            project,
            cloud,
            service_prefix: prefix,
            destination,
            mirrormaker,
            source,
            flows,
            observability,
            terraform_cloud,
            keep_classic,
            latency_sensitive,
            cost,
        })
    }

    /// The `cost` block: every key optional, defaults from [`CostParameters::default`].
    fn cost(&mut self, c: &Items<'_>) -> Result<CostParameters, SettingsError> {
        let d = CostParameters::default();
        let text = |p: &Self, key: &str, default: String| -> Result<String, SettingsError> {
            match p.opt_string(c, key)? {
                Some((v, span)) if v.trim().is_empty() => Err(p.error(
                    span,
                    format!("`{key}` in `cost` is empty"),
                    "empty",
                    Some(format!("remove it to use the default, {default:?}")),
                )),
                Some((v, _)) => Ok(v),
                None => Ok(default),
            }
        };
        let utilization = match self.opt_f64(c, "disk_utilization", Some(1.0))? {
            Some(v) if v <= 0.0 => {
                let span = match c.get("disk_utilization") {
                    Some(Item::Attr(_, span) | Item::Block(_, span)) => span.clone(),
                    None => c.at.clone(),
                };
                return Err(self.error(
                    span,
                    "`disk_utilization` must be above 0".into(),
                    "zero",
                    Some(
                        "the share of provisioned disk that data fills, e.g. `disk_utilization = 0.5`".into(),
                    ),
                ));
            }
            Some(v) => v,
            None => d.disk_utilization,
        };
        Ok(CostParameters {
            prices_source: text(self, "prices_source", d.prices_source.clone())?,
            currency: text(self, "currency", d.currency.clone())?,
            cross_zone_per_gb: self
                .opt_f64(c, "cross_zone_per_gb", None)?
                .unwrap_or(d.cross_zone_per_gb),
            object_storage_per_gb_month: self
                .opt_f64(c, "object_storage_per_gb_month", None)?
                .unwrap_or(d.object_storage_per_gb_month),
            put_per_1000: self.opt_f64(c, "put_per_1000", None)?.unwrap_or(d.put_per_1000),
            get_per_1000: self.opt_f64(c, "get_per_1000", None)?.unwrap_or(d.get_per_1000),
            disk_per_gb_month: self
                .opt_f64(c, "disk_per_gb_month", None)?
                .unwrap_or(d.disk_per_gb_month),
            disk_utilization: utilization,
            zones: self.opt_u32(c, "zones")?.unwrap_or(d.zones),
            brokers: self.opt_u32(c, "brokers")?.unwrap_or(d.brokers),
            follower_fetching: self
                .opt_bool(c, "follower_fetching")?
                .unwrap_or(d.follower_fetching),
            zone_aware_clients: self
                .opt_bool(c, "zone_aware_clients")?
                .unwrap_or(d.zone_aware_clients),
            commit_interval_ms: self
                .opt_u64(c, "commit_interval_ms")?
                .map_or(d.commit_interval_ms, |(v, _)| v),
            buffer_max_bytes: self
                .opt_u64(c, "buffer_max_bytes")?
                .map_or(d.buffer_max_bytes, |(v, _)| v),
        })
    }

    /// The `keep_classic` or `latency_sensitive` blocks, in file order: each needs a valid
    /// `regex` and a `reason`. Returns the pattern, the anchored regex and the trimmed reason.
    fn patterns(
        &mut self,
        top: &Items<'_>,
        block: &'static str,
    ) -> Result<Vec<(String, regex::Regex, String)>, SettingsError> {
        let mut out = Vec::new();
        for item in top.all(block) {
            let Item::Block(body, span) = item else {
                continue;
            };
            // Keys of the block come after its name.
            self.cursor = span.end;
            let k = self.items(body, block, KEEP_CLASSIC, span.clone())?;
            let (pattern, pattern_span) = self.string(&k, "regex")?;
            // Checked alone first, so an error shows the pattern as written.
            let regex = match regex::Regex::new(&pattern)
                .and_then(|_| regex::Regex::new(&format!("^(?:{pattern})$")))
            {
                Ok(regex) if !pattern.is_empty() => regex,
                Ok(_) => {
                    return Err(self.error(
                        pattern_span,
                        format!("`regex` in `{block}` is empty"),
                        "empty regex",
                        Some(
                            "write a regex matching whole topic names, e.g. `regex = \"payments\\\\..*\"`"
                                .into(),
                        ),
                    ));
                }
                Err(err) => {
                    return Err(self.error(
                        pattern_span,
                        format!("`{pattern}` in `{block}` is not a valid regex"),
                        "invalid regex",
                        Some(format!(
                            "{err}\n(Rust regex syntax; the pattern must match the whole topic name)"
                        )),
                    ));
                }
            };
            let (reason, reason_span) = self.string(&k, "reason")?;
            if reason.trim().is_empty() {
                return Err(self.error(
                    reason_span,
                    format!("`reason` in `{block}` is empty"),
                    "empty reason",
                    Some(if block == "keep_classic" {
                        "say why these topics stay classic, e.g. `reason = \"read by read_committed consumers\"`".into()
                    } else {
                        "say why, e.g. `reason = \"the checkout API waits for the acknowledgement\"`".into()
                    }),
                ));
            }
            out.push((pattern, regex, reason.trim().to_owned()));
        }
        Ok(out)
    }
}

const MIB: u64 = 1024 * 1024;
const ALIAS_HELP: &str = "use ASCII letters, digits, `.`, `_` and `-` (at most 128)";

impl Default for FlowPolicy {
    fn default() -> Self {
        FlowPolicy {
            max_flows: 4,
            max_bytes_per_second: None,
            max_partitions: None,
            expected_bytes_per_second: 50 * MIB,
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

/// `text` with the value of every secret key (`password = "…"`) overwritten by `*`, byte for
/// byte, so a diagnostic's snippet never shows a secret and every offset stays valid.
fn redact_secrets(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let key_len = trimmed
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(trimmed.len());
        if SECRETS.contains(&&trimmed[..key_len])
            && let Some(eq) = line.find('=')
        {
            let end = line.trim_end_matches(['\n', '\r']).len();
            for b in &mut bytes[start + eq + 1..start + end] {
                if !b.is_ascii_whitespace() {
                    *b = b'*';
                }
            }
        }
        start += line.len();
    }
    // Only ASCII bytes were replaced, and whole characters at that: still UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

/// A plausible value of a `cost` key, for help texts.
fn cost_example(key: &str) -> &'static str {
    match key {
        "disk_utilization" => "0.5",
        "cross_zone_per_gb" => "0.02",
        "object_storage_per_gb_month" => "0.023",
        "put_per_1000" => "0.005",
        "get_per_1000" => "0.0004",
        "disk_per_gb_month" => "0.08",
        _ => "1",
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

/// `major.minor` (a patch part is allowed) as numbers.
fn parse_version(v: &str) -> Option<(u32, u32)> {
    let mut parts = v.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    if parts.clone().count() > 1 || parts.any(|p| p.parse::<u32>().is_err()) {
        return None;
    }
    Some((major, minor))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
project        = "acme"
cloud          = "google-europe-west1"
service_prefix = "migration-"

destination {
  plan          = "business-8-inkless"
  kafka_version = "4.0"
}

mirrormaker {
  plan = "business-4"
}

source {
  bootstrap_servers = "k1:9092,k2:9092"
  security_protocol = "PLAINTEXT"
}
"#;

    fn err(text: &str) -> SettingsError {
        parse_settings("migration.hcl", text).unwrap_err()
    }

    fn spanned(_text: &str, e: &SettingsError) -> String {
        let text = e.src.text();
        text[e.span.offset()..e.span.offset() + e.span.len()].to_owned()
    }

    pub(crate) fn render(e: &SettingsError) -> String {
        let mut out = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .render_report(&mut out, e)
            .unwrap();
        out
    }

    #[test]
    fn minimal_settings_get_defaults_and_derived_names() {
        let s = parse_settings("m.hcl", MINIMAL).unwrap();
        assert_eq!(s.service_prefix, "migration");
        assert_eq!(s.flows, FlowPolicy::default());
        let r = s.resolve();
        assert_eq!(r.destination.service_name, "migration-kafka");
        assert_eq!(r.destination.cluster_alias, "destination");
        assert_eq!(r.mirrormaker.service_name, "migration-mm2");
        let o = r.observability.unwrap();
        assert_eq!(
            (o.grafana_service_name.as_str(), o.thanos_service_name.as_str()),
            ("migration-grafana", "migration-thanos")
        );
        assert!(r.terraform_cloud.is_none());
    }

    #[test]
    fn example_settings_parse() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/migration.hcl");
        let s = read_settings(&path).unwrap();
        assert_eq!(s.source.sasl_mechanism, Some(SaslMechanism::ScramSha512));
        assert_eq!(s.flows.max_flows, 3);
    }

    #[test]
    fn unknown_key_has_span_and_suggestion() {
        let text = MINIMAL.replace("  plan = \"business-4\"", "  plan = \"business-4\"\n  cpu = 4");
        let e = err(&text);
        assert_eq!(e.message, "unknown key `cpu` in `mirrormaker`");
        assert_eq!(spanned(&text, &e), "cpu");
        assert!(e.help.as_deref().unwrap().starts_with("did you mean `cpus`?"));
        insta::assert_snapshot!("unknown_key", render(&e));
    }

    #[test]
    fn unknown_top_level_block() {
        let text = format!("{MINIMAL}\nobservabilty {{\n  enabled = false\n}}\n");
        let e = err(&text);
        assert_eq!(spanned(&text, &e), "observabilty");
        assert!(e.help.unwrap().contains("did you mean `observability`"));
    }

    #[test]
    fn old_kafka_version_is_refused() {
        let text = MINIMAL.replace("\"4.0\"", "\"3.9\"");
        let e = err(&text);
        assert!(e.message.contains("Kafka 4.0 or newer"), "{}", e.message);
        assert_eq!(spanned(&text, &e), "kafka_version");
        assert!(
            err(&MINIMAL.replace("\"4.0\"", "\"four\""))
                .message
                .contains("not a Kafka version")
        );
        assert!(
            err(&MINIMAL.replace("\"4.0\"", "4.0"))
                .message
                .contains("must be a string")
        );
    }

    #[test]
    fn secrets_are_refused() {
        let text = MINIMAL.replace("PLAINTEXT\"", "PLAINTEXT\"\n  sasl_plain_password = \"hunter2\"");
        let e = err(&text);
        assert!(e.message.contains("is a secret"));
        assert!(!render(&e).contains("hunter2"), "{}", render(&e));
        assert!(e.help.unwrap().contains("TF_VAR_"));
    }

    #[test]
    fn missing_and_invalid_values() {
        let e = err(&MINIMAL.replace("project        = \"acme\"", ""));
        assert_eq!(e.message, "`project` is required at the top level");
        let e = err(&MINIMAL.replace("\"PLAINTEXT\"", "\"SASL_SSL\""));
        assert_eq!(e.message, "`sasl_mechanism` is required in `source`");
        let e = err(&MINIMAL.replace("k1:9092,k2:9092", "k1"));
        assert!(e.message.contains("host:port"));
        let e = err(&MINIMAL.replace("business-4", "Business 4"));
        assert!(e.message.contains("not a valid Aiven plan name"));
        let e = err(&format!("{MINIMAL}\nflows {{\n  max_flows = 0\n}}\n"));
        assert!(e.message.contains("positive whole number"));
        let e = err(&format!("{MINIMAL}\nproject = \"again\"\n"));
        assert!(e.message.contains("redefined attribute"), "{}", e.message);
    }

    #[test]
    fn syntax_error_points_at_the_line() {
        let text = "project = \"acme\"\ncloud = \n";
        let e = err(text);
        assert!(
            e.message.starts_with("migration.hcl is not valid HCL"),
            "{}",
            e.message
        );
        let line = text[..e.span.offset()].matches('\n').count() + 1;
        assert!(line >= 2, "line {line}");
    }

    #[test]
    fn keep_classic_blocks_in_file_order() {
        let text = format!(
            "{MINIMAL}\nkeep_classic {{\n  regex  = \"payments\\\\..*\"\n  reason = \"read by read_committed consumers\"\n}}\n\
             keep_classic {{\n  regex  = \"ledger\"\n  reason = \" audited \"\n}}\n"
        );
        let s = parse_settings("m.hcl", &text).unwrap();
        let patterns: Vec<_> = s.keep_classic.iter().map(|k| k.pattern.as_str()).collect();
        assert_eq!(patterns, ["payments\\..*", "ledger"]);
        assert_eq!(s.keep_classic[0].reason, "read by read_committed consumers");
        assert_eq!(s.keep_classic[1].reason, "audited");
        assert!(s.keep_classic[0].matches("payments.v2"));
        assert!(!s.keep_classic[0].matches("paymentsXv2"));
        assert!(!s.keep_classic[1].matches("ledger.events"), "whole names only");
        assert!(parse_settings("m.hcl", MINIMAL).unwrap().keep_classic.is_empty());
    }

    #[test]
    fn bad_keep_classic_points_at_the_key() {
        let text = format!(
            "{MINIMAL}\nkeep_classic {{\n  regex  = \"ok\"\n  reason = \"fine\"\n}}\n\
             keep_classic {{\n  regex  = \"payments.(v2\"\n  reason = \"read_committed\"\n}}\n"
        );
        let e = err(&text);
        assert_eq!(e.message, "`payments.(v2` in `keep_classic` is not a valid regex");
        assert_eq!(spanned(&text, &e), "regex");
        let (line, _) = e.src.position(e.span).unwrap();
        assert_eq!(line, text.lines().position(|l| l.contains("(v2")).unwrap() + 1);
        assert!(
            e.help.as_deref().unwrap().contains("unclosed group"),
            "{:?}",
            e.help
        );
        insta::assert_snapshot!("invalid_keep_classic_regex", render(&e));

        let e = err(&format!("{MINIMAL}\nkeep_classic {{\n  regex = \"x\"\n}}\n"));
        assert_eq!(e.message, "`reason` is required in `keep_classic`");
        let e = err(&format!(
            "{MINIMAL}\nkeep_classic {{\n  regex = \"x\"\n  reason = \"  \"\n}}\n"
        ));
        assert_eq!(e.message, "`reason` in `keep_classic` is empty");
        let e = err(&format!(
            "{MINIMAL}\nkeep_classic {{\n  regex = \"\"\n  reason = \"r\"\n}}\n"
        ));
        assert_eq!(e.message, "`regex` in `keep_classic` is empty");
        let e = err(&format!(
            "{MINIMAL}\nkeep_classic {{\n  regexp = \"x\"\n  reason = \"r\"\n}}\n"
        ));
        assert!(e.help.unwrap().starts_with("did you mean `regex`?"));
        let e = err(&format!(
            "{MINIMAL}\nkeep_classic = [{{ regex = \"x\", reason = \"r\" }}]\n"
        ));
        assert_eq!(e.message, "`keep_classic` must be a block");
    }

    #[test]
    fn cost_block_defaults_and_errors() {
        let s = parse_settings("m.hcl", MINIMAL).unwrap();
        assert_eq!(s.cost, CostParameters::default());
        assert!(s.latency_sensitive.is_empty());
        let text = format!(
            "{MINIMAL}\ncost {{\n  prices_source = \"ours\"\n  cross_zone_per_gb = 0.01\n  zones = 2\n  \
             zone_aware_clients = true\n  disk_utilization = 0.8\n}}\n\
             latency_sensitive {{\n  regex = \"checkout\\\\..*\"\n  reason = \"the API waits\"\n}}\n"
        );
        let s = parse_settings("m.hcl", &text).unwrap();
        assert_eq!(s.cost.prices_source, "ours");
        assert_eq!(s.cost.cross_zone_per_gb, 0.01);
        assert_eq!(s.cost.zones, 2);
        assert!(s.cost.zone_aware_clients);
        assert_eq!(s.cost.disk_utilization, 0.8);
        assert_eq!(s.cost.put_per_1000, CostParameters::default().put_per_1000);
        assert!(s.latency_sensitive[0].matches("checkout.orders"));
        assert_eq!(s.latency_sensitive[0].reason, "the API waits");

        for (body, message) in [
            (
                "put_per_1000 = -1",
                "`put_per_1000` must be a number of at least 0",
            ),
            ("put_per_1000 = \"cheap\"", "`put_per_1000` must be a number"),
            ("disk_utilization = 0", "`disk_utilization` must be above 0"),
            (
                "disk_utilization = 2",
                "`disk_utilization` must be a number from 0 to 1",
            ),
            ("zones = 0", "`zones` must be a positive whole number"),
            ("prices_source = \" \"", "`prices_source` in `cost` is empty"),
        ] {
            let text = format!("{MINIMAL}\ncost {{\n  {body}\n}}\n");
            let e = err(&text);
            assert_eq!(e.message, message, "{body}");
            let key = body.split(' ').next().unwrap();
            assert_eq!(spanned(&text, &e), key, "{body}");
        }
        let e = err(&format!("{MINIMAL}\ncost {{\n  zone = 3\n}}\n"));
        assert!(e.help.unwrap().starts_with("did you mean `zones`?"));
        let e = err(&format!(
            "{MINIMAL}\nlatency_sensitive {{\n  regex = \"(\"\n  reason = \"r\"\n}}\n"
        ));
        assert_eq!(e.message, "`(` in `latency_sensitive` is not a valid regex");
    }

    #[test]
    fn destination_tiered_storage_defaults_to_true() {
        assert!(
            parse_settings("m.hcl", MINIMAL)
                .unwrap()
                .destination
                .tiered_storage
        );
        let text = MINIMAL.replace(
            "  kafka_version = \"4.0\"",
            "  kafka_version = \"4.0\"\n  tiered_storage = false",
        );
        assert!(!parse_settings("m.hcl", &text).unwrap().destination.tiered_storage);
        let e = err(&MINIMAL.replace(
            "  kafka_version = \"4.0\"",
            "  kafka_version = \"4.0\"\n  tiered_storage = \"no\"",
        ));
        assert_eq!(e.message, "`tiered_storage` must be `true` or `false`");
    }

    #[test]
    fn observability_off_and_terraform_cloud() {
        let text = format!(
            "{MINIMAL}\nobservability {{\n  enabled = false\n}}\nterraform_cloud {{\n  organization = \"acme\"\n}}\n"
        );
        let r = parse_settings("m.hcl", &text).unwrap().resolve();
        assert!(r.observability.is_none());
        let t = r.terraform_cloud.unwrap();
        assert_eq!(t.destination_workspace, "migration-destination");
        assert_eq!(t.migration_workspace, "migration-migration");
    }
}
