//! The walker of `migration.hcl` over hcl-edit's syntax tree (each key's span as the parser saw
//! it): the schema of keys per block, the parser that checks each value and points at its key,
//! and the redaction of secrets in its snippets.
//!
//! Longer than most modules: it is the whole schema of `migration.hcl`, block by block, each
//! value checked where it is read so that its diagnostic points at it.

use std::ops::Range;

use hcl::Expression;
use hcl::edit::Span;
use hcl::edit::structure::{Body, Structure};

use super::*;
use crate::plan::model::{CostParameters, SaslMechanism, SecurityProtocol, SourceConnection};
use crate::plan::names::{self, is_alias, is_name, is_plan_name};

/// Parses settings text; `name` is used in diagnostics.
pub fn parse_settings(name: &str, text: &str) -> Result<Settings, SettingsError> {
    let mut p = Parser { name, text };
    let body: Body = match hcl::edit::parser::parse_body(text) {
        Ok(body) => body,
        Err(err) => {
            let offset = err.location().offset();
            let message = err.message().to_owned();
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
    "access",
];
const ACCESS: &[&str] = &["enabled", "source_principal", "principal_map"];
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
const MIRRORMAKER: &[&str] = &[
    "service_name",
    "plan",
    "cpus",
    "task_bytes_per_second",
    "max_partitions_per_task",
    "max_tasks_per_cpu",
    "offset_flush_interval_ms",
];
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
    "max_gate_open_seconds",
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
    "access",
];

/// One attribute or block of a body, with the span of its key (from the syntax tree).
enum Item<'b> {
    Attr(Expression, Range<usize>),
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
                Structure::Attribute(attr) => {
                    let span = attr.key.span().unwrap_or_default();
                    let value = Expression::from(attr.value.clone());
                    (attr.key.as_str().to_owned(), Item::Attr(value, span))
                }
                Structure::Block(b) => {
                    let span = b.ident.span().unwrap_or_default();
                    let name = b.ident.as_str();
                    if !b.labels.is_empty() {
                        return Err(self.error(
                            span,
                            format!("block `{name}` takes no labels"),
                            "labelled block",
                            Some(format!("write `{name} {{ ... }}`")),
                        ));
                    }
                    (name.to_owned(), Item::Block(&b.body, span))
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
            Some(Item::Block(body, span)) => self.items(body, key, allowed, span.clone()).map(Some),
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
            max_partitions_per_task: self
                .opt_u32(&m, "max_partitions_per_task")?
                .unwrap_or(DEFAULT_MAX_PARTITIONS_PER_TASK),
            max_tasks_per_cpu: self
                .opt_u32(&m, "max_tasks_per_cpu")?
                .unwrap_or(DEFAULT_MAX_TASKS_PER_CPU),
            offset_flush_interval_ms: self.opt_u64(&m, "offset_flush_interval_ms")?.map(|(v, _)| v),
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
                max_gate_open_seconds: self
                    .opt_u64(&f, "max_gate_open_seconds")?
                    .map_or(DEFAULT_MAX_GATE_OPEN_SECONDS, |(v, _)| v),
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
        let access = match self.block(&top, "access", ACCESS)? {
            Some(a) => self.access(&a)?,
            None => AccessSettings::default(),
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
            access,
        })
    }

    /// The `access` block: `enabled`, `source_principal` and `principal_map`.
    fn access(&mut self, a: &Items<'_>) -> Result<AccessSettings, SettingsError> {
        let mut access = AccessSettings::default();
        if self.opt_bool(a, "enabled")? == Some(false) {
            access.turn_off("settings access { enabled = false }");
        }
        if let Some(v) = self.opt_string(a, "source_principal")? {
            access.source_principal = Some(self.checked(
                v,
                names::is_principal,
                "is not a Kafka principal the generated files can carry",
                "write `Type:name`, e.g. `source_principal = \"User:mm2\"`",
            )?);
        }
        if let Some(item) = a.get("principal_map") {
            let (entries, map_span) = match item {
                Item::Attr(Expression::Object(entries), span) => (entries, span.clone()),
                Item::Attr(_, span) | Item::Block(_, span) => {
                    return Err(self.error(
                        span.clone(),
                        "`principal_map` must be a map of source principal to user name or \"skip\"".into(),
                        "not a map",
                        Some(PRINCIPAL_MAP_HELP.into()),
                    ));
                }
            };
            for (key, value) in entries.iter() {
                let key_text = match key {
                    hcl::ObjectKey::Identifier(i) => i.as_str().to_owned(),
                    hcl::ObjectKey::Expression(Expression::String(s)) => s.clone(),
                    _ => String::new(),
                };
                let key_span = self.span_of(&key_text, map_span.end);
                if !names::is_principal(&key_text) {
                    return Err(self.error(
                        key_span,
                        format!("`{key_text}` in `principal_map` is not a Kafka principal"),
                        "not a principal",
                        Some(PRINCIPAL_MAP_HELP.into()),
                    ));
                }
                let Expression::String(target) = value else {
                    return Err(self.error(
                        key_span,
                        format!("the value for `{key_text}` in `principal_map` must be a string"),
                        "not a string",
                        Some(PRINCIPAL_MAP_HELP.into()),
                    ));
                };
                let target = if target == "skip" {
                    PrincipalTarget::Skip
                } else if names::is_user_name(target) || (target == "*" && key_text == "User:*") {
                    PrincipalTarget::User(target.clone())
                } else {
                    return Err(self.error(
                        key_span,
                        format!("`{target}` (for `{key_text}`) is not a destination user name"),
                        "invalid user name",
                        Some(PRINCIPAL_MAP_HELP.into()),
                    ));
                };
                if access.principal_map.iter().any(|(k, _)| *k == key_text) {
                    return Err(self.error(
                        key_span,
                        format!("`{key_text}` is mapped twice in `principal_map`"),
                        "repeated",
                        None,
                    ));
                }
                access.principal_map.push((key_text, target));
            }
        }
        Ok(access)
    }

    /// The span of the quoted text `"<key>"` (or the bare key) at or after `from`, for
    /// diagnostics about map keys; the map's own span when it is not found.
    fn span_of(&self, key: &str, from: usize) -> Range<usize> {
        let quoted = format!("\"{key}\"");
        for needle in [quoted.as_str(), key] {
            if let Some(found) = self.text.get(from..).and_then(|t| t.find(needle)) {
                let start = from + found;
                return start..start + needle.len();
            }
        }
        from..from
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

const PRINCIPAL_MAP_HELP: &str = "write e.g. `principal_map = { \"User:CN=billing,OU=apps\" = \"billing\", \"User:ANONYMOUS\" = \"skip\" }`: \
     a user name is 1-64 letters, digits, `.`, `_`, `-`, `@`; `skip` drops the principal's bindings";

pub(super) const MIB: u64 = 1024 * 1024;
const ALIAS_HELP: &str = "use ASCII letters, digits, `.`, `_` and `-` (at most 128)";

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
