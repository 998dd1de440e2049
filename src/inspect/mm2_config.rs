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
use std::path::{Path, PathBuf};

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::inspect::replication_policy::{PolicyKind, ReplicationPolicy};
use crate::kafka::client::{ClientConfigError, ClientSettings, EnvFallback};
use crate::kafka::properties::{Properties, PropertiesError};
use crate::snippet::{Snippet, shorten};

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

/// Splits a Kafka LIST value: comma-separated, items trimmed, empty items dropped.
pub fn split_list(value: &str) -> Vec<&str> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Compiles a comma-separated list of Java regexes into one fully-anchored alternation.
/// `None` for an empty list (matches nothing).
pub fn java_regex_list(value: &str) -> Result<Option<regex::Regex>, String> {
    let items = split_list(value);
    if items.is_empty() {
        return Ok(None);
    }
    for item in &items {
        for construct in ["(?=", "(?!", "(?<=", "(?<!", "(?>"] {
            if item.contains(construct) {
                let item = shorten(item);
                return Err(format!(
                    "`{item}` uses `{construct}`: look-around and atomic groups are not supported; \
                     rewrite it without them, or list the names explicitly"
                ));
            }
        }
        if item.contains("\\Q") {
            let item = shorten(item);
            return Err(format!(
                "`{item}` uses \\Q...\\E quoting; escape the characters instead"
            ));
        }
    }
    let joined = items.join("|");
    regex::Regex::new(&format!(r"\A(?:{joined})\z"))
        .map(Some)
        .map_err(|e| {
            let detail = e.to_string();
            if detail.contains("backreference") {
                "backreferences are not supported".to_owned()
            } else {
                format!("not a supported regular expression: {}", shorten(&detail))
            }
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

/// Resolves `${provider:[path:]key}` placeholders in every value except the provider
/// definitions themselves.
fn resolve_providers(props: &Properties) -> Result<BTreeMap<String, String>, Mm2ConfigError> {
    let raw: BTreeMap<String, String> = props
        .effective()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let declared: Vec<&str> = raw
        .get("config.providers")
        .map(|v| split_list(v))
        .unwrap_or_default();
    let mut providers = BTreeMap::new();
    for name in declared {
        let key = format!("config.providers.{name}.class");
        let class = raw.get(&key).map(|s| s.trim()).unwrap_or_default();
        let kind = match class.rsplit('.').next().unwrap_or_default() {
            "EnvVarConfigProvider" => ProviderKind::Env,
            "FileConfigProvider" => ProviderKind::File,
            "DirectoryConfigProvider" => ProviderKind::Directory,
            _ => {
                return Err(invalid_entry(
                    props,
                    &key,
                    class,
                    "only the env (EnvVarConfigProvider), file (FileConfigProvider) and directory \
                     (DirectoryConfigProvider) config providers are supported",
                ));
            }
        };
        let param = |p: &str| format!("config.providers.{name}.param.{p}");
        let allowed_paths = match raw.get(&param("allowed.paths")) {
            Some(list) if kind != ProviderKind::Env => {
                let mut paths = Vec::new();
                for entry in split_list(list) {
                    let path = Path::new(entry);
                    if !path.is_absolute() {
                        return Err(invalid_entry(
                            props,
                            &param("allowed.paths"),
                            list,
                            format!("allowed.paths entry {:?} is not an absolute path", shorten(entry)),
                        ));
                    }
                    paths.push(normalize(path));
                }
                Some(paths)
            }
            _ => None,
        };
        let allowlist = match raw.get(&param("allowlist.pattern")) {
            Some(pattern) if kind == ProviderKind::Env => {
                Some(regex::Regex::new(&format!("^(?:{pattern})$")).map_err(|_| {
                    invalid_entry(
                        props,
                        &param("allowlist.pattern"),
                        pattern,
                        "is not a regular expression this tool can apply",
                    )
                })?)
            }
            _ => None,
        };
        providers.insert(
            name.to_owned(),
            Provider {
                kind,
                allowed_paths,
                allowlist,
            },
        );
    }
    let mut out = BTreeMap::new();
    for (key, value) in &raw {
        let resolved = if key.starts_with("config.providers") || providers.is_empty() {
            value.clone()
        } else {
            substitute(value, &providers).map_err(|reason| invalid_entry(props, key, value, reason))?
        };
        out.insert(key.clone(), resolved);
    }
    Ok(out)
}

fn invalid_entry(props: &Properties, key: &str, value: &str, reason: impl Into<String>) -> Mm2ConfigError {
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

/// The kind of a declared config provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ProviderKind {
    Env,
    File,
    Directory,
}

/// A declared config provider with the limits its parameters set, as Kafka applies them:
/// `allowed.paths` for `file` and `directory` (a path outside every listed one, after `.` and
/// `..` are resolved, is refused), `allowlist.pattern` for `env`.
#[derive(Debug)]
struct Provider {
    kind: ProviderKind,
    allowed_paths: Option<Vec<PathBuf>>,
    allowlist: Option<regex::Regex>,
}

/// `path` with `.` and `..` resolved by their names alone (no file system access), as Java's
/// `Path.normalize` does.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Replaces every `${name:[path:]key}` whose provider is declared; others stay as they are.
fn substitute(value: &str, providers: &BTreeMap<String, Provider>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        let Some(len) = rest[start..].find('}') else { break };
        let inner = &rest[start + 2..start + len];
        out.push_str(&rest[..start]);
        let mut parts = inner.splitn(3, ':');
        let (name, first, second) = (parts.next(), parts.next(), parts.next());
        let (path, key) = match (first, second) {
            (Some(p), Some(k)) => (p, k),
            (Some(k), None) => ("", k),
            _ => ("", ""),
        };
        match name.and_then(|n| providers.get(n)) {
            Some(provider) => out.push_str(&lookup(provider, path, key, inner)?),
            None => out.push_str(&rest[start..start + len + 1]),
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The value `provider` gives for `path` and `key`. Error messages name the placeholder, the
/// path and the key, never a value read (which may be a secret).
fn lookup(provider: &Provider, path: &str, key: &str, placeholder: &str) -> Result<String, String> {
    let (shown, shown_key, shown_path) = (shorten(placeholder), shorten(key), shorten(path));
    if let Some(allowed) = &provider.allowed_paths {
        let normalized = normalize(Path::new(path));
        if !allowed.iter().any(|a| normalized.starts_with(a)) {
            return Err(format!(
                "${{{shown}}}: {shown_path} is outside the provider's allowed.paths"
            ));
        }
    }
    match provider.kind {
        ProviderKind::Env => {
            if provider.allowlist.as_ref().is_some_and(|re| !re.is_match(key)) {
                return Err(format!(
                    "${{{shown}}}: environment variable {shown_key} is not matched by the provider's \
                     allowlist.pattern"
                ));
            }
            std::env::var(key)
                .map_err(|_| format!("${{{shown}}}: environment variable {shown_key} is not set"))
        }
        ProviderKind::File => {
            let props = Properties::read(Path::new(path)).map_err(|e| match e {
                PropertiesError::Io { source, .. } => {
                    format!("${{{shown}}}: cannot read {shown_path}: {source}")
                }
                PropertiesError::Syntax { line, .. } => format!(
                    "${{{shown}}}: {shown_path} line {line} is not valid in a properties file \
                     (its text is not shown: it may hold a secret)"
                ),
            })?;
            props
                .get(key)
                .map(str::to_owned)
                .ok_or_else(|| format!("${{{shown}}}: {shown_path} has no key {shown_key}"))
        }
        ProviderKind::Directory => {
            // The key names one file directly in the directory, as Kafka lists them.
            let plain = !key.is_empty() && key != "." && key != ".." && !key.contains(['/', '\\']);
            if !plain {
                return Err(format!(
                    "${{{shown}}}: {shown_key} is not the name of a file directly in {shown_path}"
                ));
            }
            std::fs::read_to_string(Path::new(path).join(key)).map_err(|e| {
                format!(
                    "${{{shown}}}: cannot read {shown_key} in {shown_path}: {}",
                    e.kind()
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Result<Mm2Config, Mm2ConfigError> {
        Mm2Config::resolve(&Properties::parse("mm2.properties", text).unwrap())
    }

    const BASE: &str =
        "clusters = primary, backup\nprimary.bootstrap.servers=p:9092\nbackup.bootstrap.servers=b:9092\n";

    #[test]
    fn clusters_is_required() {
        let err = config("a.bootstrap.servers=x\n").unwrap_err();
        assert!(err.to_string().contains("`clusters`"), "{err}");
        assert!(matches!(
            config("clusters= , \n"),
            Err(Mm2ConfigError::NoClusters { .. })
        ));
    }

    #[test]
    fn only_pairs_enabled_with_true_are_inspected() {
        let c = config(&format!(
            "{BASE}primary->backup.enabled=True\nbackup->primary.enabled=false\n"
        ))
        .unwrap();
        let names: Vec<_> = c.pairs.iter().map(Pair::name).collect();
        assert_eq!(names, ["primary->backup"]);
        assert!(config(BASE).unwrap().pairs.is_empty());
        let off = config(&format!(
            "{BASE}primary->backup.enabled=true\nprimary->backup.emit.checkpoints.enabled=false\n"
        ))
        .unwrap();
        assert!(off.pairs.is_empty());
    }

    #[test]
    fn defaults_of_a_pair() {
        let c = config(&format!("{BASE}primary->backup.enabled=true\n")).unwrap();
        let p = &c.pairs[0];
        assert_eq!(p.policy, ReplicationPolicy::default_policy());
        assert_eq!(p.offset_syncs_topic(), "mm2-offset-syncs.backup.internal");
        assert_eq!(p.offset_syncs_cluster(), "primary");
        assert!(!p.sync_group_offsets);
        assert!(p.groups.accepts("orders-app"));
        for excluded in ["console-consumer-1", "connect-x", "__x"] {
            assert!(!p.groups.accepts(excluded), "{excluded}");
        }
        for excluded in ["a.internal", "a-internal", "x.replica", "__consumer_offsets"] {
            assert!(!p.topics.accepts(excluded), "{excluded}");
        }
    }

    #[test]
    fn pair_prefix_wins_and_filters_fully_match() {
        let c = config(&format!(
            "{BASE}primary->backup.enabled=true\ngroups=nothing\nprimary->backup.groups=app-.*, other\n\
             primary->backup.topics.blacklist=secret\nprimary->backup.topics.exclude=hidden.*\n\
             replication.policy.class=org.apache.kafka.connect.mirror.IdentityReplicationPolicy\n\
             primary->backup.offset-syncs.topic.location=target\nsync.group.offsets.enabled=TRUE\n"
        ))
        .unwrap();
        let p = &c.pairs[0];
        assert!(p.groups.accepts("app-1") && p.groups.accepts("other"));
        assert!(!p.groups.accepts("xapp-1") && !p.groups.accepts("other2") && !p.groups.accepts("nothing"));
        // topics.exclude wins over the deprecated blacklist
        assert!(p.topics.accepts("secret") && !p.topics.accepts("hidden-1"));
        assert_eq!(p.policy.kind, PolicyKind::Identity);
        assert_eq!(p.offset_syncs_topic(), "mm2-offset-syncs.primary.internal");
        assert_eq!(p.offset_syncs_cluster(), "backup");
        assert!(p.sync_group_offsets);
    }

    #[test]
    fn empty_include_selects_nothing() {
        let c = config(&format!("{BASE}primary->backup.enabled=true\ntopics=\n")).unwrap();
        assert!(!c.pairs[0].topics.accepts("a"));
    }

    #[test]
    fn unsupported_settings_are_errors() {
        for (extra, needle) in [
            ("group.filter.class=com.example.MyFilter", "custom filter classes"),
            ("replication.policy.class=com.example.Policy", "only org.apache"),
            ("groups=(?!x).*", "look-around"),
            ("topics=(a)\\\\1", "backreferences"),
            ("offset-syncs.topic.location=elsewhere", "`source` or `target`"),
            (
                "config.providers=vault\nconfig.providers.vault.class=com.V",
                "config providers",
            ),
        ] {
            let err = config(&format!("{BASE}primary->backup.enabled=true\n{extra}\n")).unwrap_err();
            assert!(err.to_string().contains(needle), "{extra}: {err}");
        }
    }

    #[test]
    fn client_precedence() {
        let c = config(
            "clusters=a,b\na->b.enabled=true\nadmin.bootstrap.servers=lowest:1\nbootstrap.servers=top:1\n\
             a.bootstrap.servers=alias:1\na.admin.bootstrap.servers=alias-admin:1\nb.admin.client.id=x\n\
             a.consumer.bootstrap.servers=alias-consumer:1\n",
        )
        .unwrap();
        assert_eq!(c.admin["a"].get("bootstrap.servers"), Some("alias-admin:1"));
        assert_eq!(c.admin["b"].get("bootstrap.servers"), Some("top:1"));
        assert_eq!(c.consumer["a"].get("bootstrap.servers"), Some("alias-consumer:1"));
        let low = config(
            "clusters=a,b\na->b.enabled=true\nadmin.bootstrap.servers=lowest:1\na.bootstrap.servers=x:1\n",
        )
        .unwrap();
        assert_eq!(low.admin["b"].get("bootstrap.servers"), Some("lowest:1"));
    }

    #[test]
    fn config_providers_env_file_directory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("creds.properties"), "user=alice\n").unwrap();
        std::fs::write(dir.path().join("pw"), "s3cret").unwrap();
        // SAFETY: tests in this module do not read this variable concurrently.
        unsafe { std::env::set_var("INSPECT_TEST_BOOTSTRAP", "from-env:9092") };
        let d = dir.path().display();
        let c = config(&format!(
            "clusters=a,b\na->b.enabled=true\nconfig.providers=env,file,directory\n\
             config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider\n\
             config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider\n\
             config.providers.directory.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider\n\
             bootstrap.servers=${{env:INSPECT_TEST_BOOTSTRAP}}\na.security.protocol=SASL_PLAINTEXT\n\
             a.sasl.mechanism=PLAIN\na.sasl.jaas.config=PlainLoginModule required \
             username=\"${{file:{d}/creds.properties:user}}\" password=\"${{directory:{d}:pw}}\";\n"
        ))
        .unwrap();
        assert_eq!(c.admin["b"].get("bootstrap.servers"), Some("from-env:9092"));
        assert_eq!(c.admin["a"].get("sasl.username"), Some("alice"));
        assert_eq!(c.admin["a"].get("sasl.password"), Some("s3cret"));
        let err = config(
            "clusters=a,b\na->b.enabled=true\nconfig.providers=env\n\
             config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider\n\
             bootstrap.servers=${env:INSPECT_TEST_SURELY_UNSET}\n",
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("INSPECT_TEST_SURELY_UNSET is not set"),
            "{err}"
        );
    }

    /// Kafka's `allowed.paths` and `allowlist.pattern` limits hold here too; `..` cannot leave
    /// an allowed folder; no error message shows a value read from a file.
    #[test]
    fn config_providers_honour_their_limits_and_never_echo_values() {
        let dir = tempfile::tempdir().unwrap();
        let allowed = dir.path().join("allowed");
        std::fs::create_dir_all(&allowed).unwrap();
        std::fs::write(allowed.join("creds.properties"), "user=alice\n").unwrap();
        std::fs::write(dir.path().join("secret.properties"), "user=mallory\n").unwrap();
        std::fs::write(dir.path().join("pw"), "outside-secret").unwrap();
        std::fs::write(allowed.join("broken.properties"), "user=tops3cret\\uZZZZ\n").unwrap();
        let (a, d) = (allowed.display(), dir.path().display());
        let with = |value: &str| {
            config(&format!(
                "clusters=a,b\na->b.enabled=true\nconfig.providers=file,directory,env\n\
                 config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider\n\
                 config.providers.file.param.allowed.paths={a}\n\
                 config.providers.directory.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider\n\
                 config.providers.directory.param.allowed.paths={a}\n\
                 config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider\n\
                 config.providers.env.param.allowlist.pattern=KAFKA_.*\n\
                 b.bootstrap.servers=b:9092\na.bootstrap.servers={value}\n"
            ))
        };
        let ok = with(&format!("${{file:{a}/creds.properties:user}}:9092")).unwrap();
        assert_eq!(ok.admin["a"].get("bootstrap.servers"), Some("alice:9092"));
        for (value, expected) in [
            (
                format!("${{file:{d}/secret.properties:user}}"),
                "outside the provider's allowed.paths",
            ),
            (
                format!("${{file:{a}/../secret.properties:user}}"),
                "outside the provider's allowed.paths",
            ),
            (
                format!("${{directory:{a}/..:pw}}"),
                "outside the provider's allowed.paths",
            ),
            (
                format!("${{directory:{a}:../../pw}}"),
                "is not the name of a file directly in",
            ),
            (
                "${env:HOME}".to_string(),
                "not matched by the provider's allowlist.pattern",
            ),
            (
                format!("${{file:{a}/broken.properties:user}}"),
                "its text is not shown",
            ),
        ] {
            let err = with(&value).unwrap_err();
            let text = format!("{err:?} {err}");
            assert!(text.contains(expected), "{value}: {text}");
            for secret in ["mallory", "outside-secret", "tops3cret"] {
                assert!(!text.contains(secret), "{value}: {secret} echoed in {text}");
            }
        }
    }
}
