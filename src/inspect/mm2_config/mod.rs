//! `mm2.properties` as MirrorMaker 2 reads it, reduced to what the inspector needs: the cluster
//! aliases and their connection settings, the enabled replication pairs, and per pair the
//! group and topic filters, the replication policy, where the offset-syncs topic lives, and
//! whether MM2 syncs group offsets at all.
//!
//! Precedence rules follow MM2:
//!
//! * connection settings (`bootstrap.servers`, `security.protocol`, `ssl.*`, `sasl.*`) of the
//!   admin clients: `<alias>.admin.k` > `<alias>.k` > `k` > `admin.k`; of the offset-syncs
//!   consumer: `<alias>.consumer.k` > `<alias>.k` > `k` > `consumer.k`;
//! * connector settings (filters, policy, checkpoint and sync switches): `<src>-><tgt>.k` > `k`.
//!
//! `${provider:[path:]key}` placeholders of the `env`, `file` and `directory` config providers
//! are resolved in every value. Settings that cannot be honoured (custom filter or policy
//! classes, unknown providers, look-around in a filter regex) are errors, never silently ignored.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::path::Path;

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::inspect::replication_policy::{PolicyKind, ReplicationPolicy};
use crate::kafka::client::{ClientConfigError, ClientSettings, EnvFallback};
use crate::kafka::properties::{Properties, PropertiesError};
use crate::snippet::{Snippet, shorten};

mod java_regex;
mod providers;

pub use java_regex::{java_regex_list, split_list};
use providers::resolve_providers;

/// Default of `groups.exclude`.
pub const DEFAULT_GROUPS_EXCLUDE: &str = "console-consumer-.*, connect-.*, __.*";
/// Default of `topics.exclude`.
pub const DEFAULT_TOPICS_EXCLUDE: &str = ".*[\\-\\.]internal, .*\\.replica, __.*";

/// An `mm2.properties` that cannot be used.
#[derive(Debug, Error, Diagnostic)]
pub enum Mm2ConfigError {
    /// The file cannot be read or parsed.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Properties(#[from] PropertiesError),
    /// `clusters` is missing or empty.
    #[error("{file}: the required key `clusters` is missing or empty")]
    #[diagnostic(
        code(inspect::config::clusters),
        help("list the cluster aliases, e.g. `clusters = source, target`")
    )]
    NoClusters {
        /// The file.
        file: String,
    },
    /// A value that is not allowed, pointing at its line when it comes from the file
    /// (`file` is then `name:line:column`).
    #[error("{file}: {key}={value}: {reason}")]
    #[diagnostic(code(inspect::config::value))]
    Invalid {
        /// The file.
        file: String,
        /// The key.
        key: String,
        /// The offending value, shortened to a few hundred characters.
        value: String,
        /// What is wrong and what is accepted.
        reason: String,
        /// The lines around the entry.
        #[source_code]
        src: Option<Snippet>,
        /// Where.
        #[label("here")]
        span: Option<SourceSpan>,
    },
    /// The connection settings of one cluster alias cannot be turned into client settings.
    #[error("{file}: cluster `{alias}`: {source}")]
    #[diagnostic(code(inspect::config::client))]
    Client {
        /// The file.
        file: String,
        /// The alias.
        alias: String,
        /// Why.
        #[diagnostic_source]
        source: ClientConfigError,
    },
}

/// Where MM2 keeps the offset-syncs topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncsLocation {
    /// On the source cluster (default).
    Source,
    /// On the target cluster.
    Target,
}

/// A Java-regex name filter: include list and exclude list, each fully matched.
#[derive(Clone, Debug)]
pub struct NameFilter {
    include: Option<regex::Regex>,
    exclude: Option<regex::Regex>,
}

impl NameFilter {
    /// True iff `name` fully matches the include list and does not fully match the exclude list.
    pub fn accepts(&self, name: &str) -> bool {
        self.include.as_ref().is_some_and(|r| r.is_match(name))
            && !self.exclude.as_ref().is_some_and(|r| r.is_match(name))
    }
}

/// One enabled `source->target` replication flow and its connector settings.
#[derive(Clone, Debug)]
pub struct Pair {
    /// Source alias.
    pub source: String,
    /// Target alias.
    pub target: String,
    /// The `groups` / `groups.exclude` filter.
    pub groups: NameFilter,
    /// The `topics` / `topics.exclude` filter.
    pub topics: NameFilter,
    /// Naming of remote and internal topics.
    pub policy: ReplicationPolicy,
    /// Where the offset-syncs topic lives.
    pub syncs_location: SyncsLocation,
    /// `sync.group.offsets.enabled` (default false).
    pub sync_group_offsets: bool,
    /// `emit.offset-syncs.enabled` (default true).
    pub emit_offset_syncs: bool,
}

impl Pair {
    /// `source->target`, the CLUSTER PAIR column.
    pub fn name(&self) -> String {
        format!("{}->{}", self.source, self.target)
    }

    /// The offset-syncs topic name.
    pub fn offset_syncs_topic(&self) -> String {
        match self.syncs_location {
            SyncsLocation::Source => self.policy.offset_syncs_topic(&self.target),
            SyncsLocation::Target => self.policy.offset_syncs_topic(&self.source),
        }
    }

    /// The alias of the cluster holding the offset-syncs topic.
    pub fn offset_syncs_cluster(&self) -> &str {
        match self.syncs_location {
            SyncsLocation::Source => &self.source,
            SyncsLocation::Target => &self.target,
        }
    }
}

/// The resolved configuration.
#[derive(Clone, Debug)]
pub struct Mm2Config {
    /// Where it came from.
    pub file: String,
    /// Admin connection settings per alias.
    pub admin: BTreeMap<String, ClientSettings>,
    /// Offset-syncs consumer connection settings per alias hosting an offset-syncs topic.
    pub consumer: BTreeMap<String, ClientSettings>,
    /// Enabled pairs with checkpoints on, sorted by `src->tgt`.
    pub pairs: Vec<Pair>,
}

/// Values after config-provider resolution, with the entry positions for diagnostics.
struct Resolved<'p> {
    props: &'p Properties,
    values: BTreeMap<String, String>,
}

impl Resolved<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    /// `<src>-><tgt>.key` over `key`.
    fn connector(&self, pair: &str, key: &str) -> Option<(String, &str)> {
        let prefixed = format!("{pair}.{key}");
        match self.get(&prefixed) {
            Some(v) => Some((prefixed, v)),
            None => self.get(key).map(|v| (key.to_owned(), v)),
        }
    }

    fn invalid(&self, key: &str, value: &str, reason: impl Into<String>) -> Mm2ConfigError {
        invalid_entry(self.props, key, value, reason)
    }

    fn bool(&self, pair: &str, key: &str, default: bool) -> Result<bool, Mm2ConfigError> {
        match self.connector(pair, key) {
            None => Ok(default),
            Some((k, v)) => match v.trim().to_ascii_lowercase().as_str() {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(self.invalid(&k, v, "expected true or false")),
            },
        }
    }
}

impl Mm2Config {
    /// Reads and resolves an `mm2.properties` file.
    pub fn read(path: &Path) -> Result<Mm2Config, Mm2ConfigError> {
        Mm2Config::resolve(&Properties::read(path)?)
    }

    /// Resolves parsed properties.
    pub fn resolve(props: &Properties) -> Result<Mm2Config, Mm2ConfigError> {
        let values = resolve_providers(props)?;
        let r = Resolved { props, values };
        let file = props.name.clone();

        let aliases: Vec<String> = r
            .get("clusters")
            .map(split_list)
            .unwrap_or_default()
            .into_iter()
            .map(str::to_owned)
            .collect();
        if aliases.is_empty() {
            return Err(Mm2ConfigError::NoClusters { file });
        }

        // Pairs come from the `<src>-><tgt>.enabled` keys, not from every pair of aliases,
        // so a long `clusters` list costs no more than its enabled pairs.
        let known: BTreeSet<&str> = aliases.iter().map(String::as_str).collect();
        let mut pairs = Vec::new();
        for (key, value) in &r.values {
            let Some(name) = key.strip_suffix(".enabled") else {
                continue;
            };
            let Some((source, target)) = name
                .match_indices("->")
                .map(|(i, _)| (&name[..i], &name[i + 2..]))
                .find(|(s, t)| s != t && known.contains(s) && known.contains(t))
            else {
                // `<src>-><tgt>.emit.checkpoints.enabled` and the like are settings of a flow,
                // not flows: the part after `->` is a known alias followed by a key.
                let flow_setting = name.match_indices("->").any(|(i, _)| {
                    known.contains(&name[..i])
                        && known.iter().any(|alias| {
                            name[i + 2..]
                                .strip_prefix(alias)
                                .is_some_and(|key| key.starts_with('.'))
                        })
                });
                if flow_setting {
                    continue;
                }
                // An enabled flow between aliases `clusters` does not list would be skipped by
                // MirrorMaker 2 and would check nothing here: an error, never a passing gate.
                if value.trim().eq_ignore_ascii_case("true") && name.contains("->") {
                    return Err(r.invalid(
                        key,
                        value,
                        format!(
                            "this flow's aliases are not both in `clusters` ({})",
                            shorten(&aliases.join(", "))
                        ),
                    ));
                }
                continue;
            };
            if !value.trim().eq_ignore_ascii_case("true") {
                continue;
            }
            if let Some(pair) = resolve_pair(&r, source, target)? {
                pairs.push(pair);
            }
        }
        pairs.sort_by_key(Pair::name);

        let linked: BTreeSet<&str> = pairs
            .iter()
            .flat_map(|p| [p.source.as_str(), p.target.as_str()])
            .collect();
        let hosting: BTreeSet<&str> = pairs.iter().map(Pair::offset_syncs_cluster).collect();
        let layers = ConnectionLayers::new(&r.values);
        let mut admin = BTreeMap::new();
        let mut consumer = BTreeMap::new();
        for alias in known {
            let client = |role: &str| {
                ClientSettings::from_java(
                    layers
                        .settings(&r.values, alias, role)
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str())),
                    &EnvFallback::default(),
                )
                .map_err(|source| Mm2ConfigError::Client {
                    file: file.clone(),
                    alias: alias.to_owned(),
                    source,
                })
            };
            if linked.contains(alias) {
                admin.insert(alias.to_owned(), client("admin")?);
            }
            if hosting.contains(alias) {
                consumer.insert(alias.to_owned(), client("consumer")?);
            }
        }
        Ok(Mm2Config {
            file,
            admin,
            consumer,
            pairs,
        })
    }
}

/// The pair's connector settings, or `None` when checkpoints are disabled for it.
fn resolve_pair(r: &Resolved, source: &str, target: &str) -> Result<Option<Pair>, Mm2ConfigError> {
    let name = format!("{source}->{target}");
    if !r.bool(&name, "emit.checkpoints.enabled", true)? {
        return Ok(None);
    }
    if let Some((k, v)) = r.connector(&name, "emit.checkpoints.interval.seconds") {
        let seconds: i64 = v
            .trim()
            .parse()
            .map_err(|_| r.invalid(&k, v, "expected a whole number of seconds"))?;
        if seconds < 0 {
            return Ok(None);
        }
    }

    for (key, default) in [
        (
            "group.filter.class",
            "org.apache.kafka.connect.mirror.DefaultGroupFilter",
        ),
        (
            "topic.filter.class",
            "org.apache.kafka.connect.mirror.DefaultTopicFilter",
        ),
    ] {
        if let Some((k, v)) = r.connector(&name, key)
            && v.trim() != default
        {
            return Err(r.invalid(
                &k,
                v,
                format!("custom filter classes cannot be run outside the JVM; only {default} is supported"),
            ));
        }
    }
    let groups = filter(
        r,
        &name,
        "groups",
        ".*",
        "groups.exclude",
        "groups.blacklist",
        DEFAULT_GROUPS_EXCLUDE,
    )?;
    let topics = filter(
        r,
        &name,
        "topics",
        ".*",
        "topics.exclude",
        "topics.blacklist",
        DEFAULT_TOPICS_EXCLUDE,
    )?;

    let kind = match r.connector(&name, "replication.policy.class") {
        None => PolicyKind::Default,
        Some((k, v)) => match v.trim().rsplit('.').next().unwrap_or_default() {
            "DefaultReplicationPolicy" => PolicyKind::Default,
            "IdentityReplicationPolicy" => PolicyKind::Identity,
            _ => {
                return Err(r.invalid(
                    &k,
                    v,
                    "only org.apache.kafka.connect.mirror.DefaultReplicationPolicy and \
                     IdentityReplicationPolicy are supported",
                ));
            }
        },
    };
    let separator = r
        .connector(&name, "replication.policy.separator")
        .map_or(".".to_owned(), |(_, v)| v.to_owned());
    let internal_separator = if r.bool(&name, "replication.policy.internal.topic.separator.enabled", true)? {
        separator.clone()
    } else {
        ".".to_owned()
    };
    let syncs_location = match r.connector(&name, "offset-syncs.topic.location") {
        None => SyncsLocation::Source,
        Some((k, v)) => match v.trim().to_ascii_lowercase().as_str() {
            "source" => SyncsLocation::Source,
            "target" => SyncsLocation::Target,
            _ => return Err(r.invalid(&k, v, "expected `source` or `target`")),
        },
    };
    Ok(Some(Pair {
        source: source.to_owned(),
        target: target.to_owned(),
        groups,
        topics,
        policy: ReplicationPolicy {
            kind,
            separator,
            internal_separator,
        },
        syncs_location,
        sync_group_offsets: r.bool(&name, "sync.group.offsets.enabled", false)?,
        emit_offset_syncs: r.bool(&name, "emit.offset-syncs.enabled", true)?,
    }))
}

fn filter(
    r: &Resolved,
    pair: &str,
    include_key: &str,
    include_default: &str,
    exclude_key: &str,
    legacy_exclude_key: &str,
    exclude_default: &str,
) -> Result<NameFilter, Mm2ConfigError> {
    let (ik, iv) = r
        .connector(pair, include_key)
        .unwrap_or((include_key.to_owned(), include_default));
    let (ek, ev) = r
        .connector(pair, exclude_key)
        .or_else(|| r.connector(pair, legacy_exclude_key))
        .unwrap_or((exclude_key.to_owned(), exclude_default));
    Ok(NameFilter {
        include: java_regex_list(iv).map_err(|reason| r.invalid(&ik, iv, reason))?,
        exclude: java_regex_list(ev).map_err(|reason| r.invalid(&ek, ev, reason))?,
    })
}

/// The Java client keys that reach the admin client and the offset-syncs consumer.
fn is_connection_key(key: &str) -> bool {
    key == "bootstrap.servers"
        || key == "security.protocol"
        || key.starts_with("ssl.")
        || key.starts_with("sasl.")
}

/// The connection keys without an alias prefix, found once so that each alias only looks up
/// its own prefixed keys.
struct ConnectionLayers {
    /// `k` for every connection key `k`.
    global: BTreeMap<String, String>,
}

impl ConnectionLayers {
    fn new(values: &BTreeMap<String, String>) -> ConnectionLayers {
        ConnectionLayers {
            global: values
                .iter()
                .filter(|(k, _)| is_connection_key(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    /// Connection settings of `alias` for `role` (`admin` or `consumer`), MM2's precedence:
    /// `<alias>.<role>.k` > `<alias>.k` > `k` > `<role>.k`.
    fn settings(
        &self,
        values: &BTreeMap<String, String>,
        alias: &str,
        role: &str,
    ) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        prefixed(values, &format!("{role}."), &mut out);
        out.extend(self.global.iter().map(|(k, v)| (k.clone(), v.clone())));
        prefixed(values, &format!("{alias}."), &mut out);
        prefixed(values, &format!("{alias}.{role}."), &mut out);
        out
    }
}

/// Puts the connection keys under `prefix` into `out`, prefix removed; reads only the keys
/// that start with it.
fn prefixed(values: &BTreeMap<String, String>, prefix: &str, out: &mut BTreeMap<String, String>) {
    for (key, value) in values.range::<str, _>((Bound::Included(prefix), Bound::Unbounded)) {
        let Some(k) = key.strip_prefix(prefix) else { break };
        if is_connection_key(k) {
            out.insert(k.to_owned(), value.clone());
        }
    }
}

pub(crate) fn invalid_entry(
    props: &Properties,
    key: &str,
    value: &str,
    reason: impl Into<String>,
) -> Mm2ConfigError {
    let entry = props.entry(key);
    let (src, span) = entry.map(|e| props.snippet(e)).unzip();
    let file = match entry {
        Some(e) => {
            let column = crate::snippet::line_column(&props.text, e.span.0).1;
            format!("{}:{}:{column}", props.name, e.line)
        }
        None => props.name.clone(),
    };
    Mm2ConfigError::Invalid {
        file,
        key: shorten(key).into_owned(),
        value: shorten(value).into_owned(),
        reason: reason.into(),
        src,
        span,
    }
}

#[cfg(test)]
mod tests;
