//! Config providers in `mm2.properties`: `${env:NAME}`, `${file:path:key}` and
//! `${directory:path:file}`, resolved as Kafka resolves them, with the limits their parameters
//! set (`allowed.paths`, `allowlist.pattern`). Errors name the placeholder, the path and the
//! key, never a value read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Mm2ConfigError, invalid_entry, split_list};
use crate::kafka::properties::{Properties, PropertiesError};
use crate::snippet::shorten;

/// Resolves `${provider:[path:]key}` placeholders in every value except the provider
/// definitions themselves.
pub(super) fn resolve_providers(props: &Properties) -> Result<BTreeMap<String, String>, Mm2ConfigError> {
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
