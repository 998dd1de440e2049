//! `kafka-configs --describe --entity-type brokers --all`:
//!
//! ```text
//! All configs for broker 1 are:
//!   broker.rack=rack-a sensitive=false synonyms={STATIC_BROKER_CONFIG:broker.rack=rack-a}
//! ```
//!
//! The first synonym names the source of the value in effect.

use super::{LegacyError, format_error};
use crate::inventory::discover::config_source;
use crate::inventory::model::{Broker, ConfigEntry, ConfigSource};

/// Parses the file; brokers come out sorted by id.
pub fn parse(file: &str, text: &str) -> Result<Vec<Broker>, LegacyError> {
    let mut brokers: Vec<Broker> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if let Some(rest) = line
            .strip_prefix("All configs for broker ")
            .or_else(|| line.strip_prefix("Dynamic configs for broker "))
        {
            let id = rest
                .split_whitespace()
                .next()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| format_error(file, index + 1, "broker id expected"))?;
            brokers.push(Broker {
                id,
                configs: Some(Vec::new()),
                ..Broker::default()
            });
            continue;
        }
        let Some(entry) = line.strip_prefix("  ") else {
            continue;
        };
        let Some(broker) = brokers.last_mut() else {
            continue;
        };
        let Some(at) = entry.rfind(" sensitive=") else {
            return Err(format_error(
                file,
                index + 1,
                "expected `name=value sensitive=... synonyms={...}`",
            ));
        };
        let (pair, tail) = entry.split_at(at);
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let sensitive = tail.trim_start().starts_with("sensitive=true");
        let synonyms = tail
            .split_once("synonyms={")
            .map(|(_, s)| s.trim_end_matches('}'))
            .unwrap_or("");
        let source = synonyms
            .split_once(':')
            .map(|(s, _)| config_source(s))
            .unwrap_or(ConfigSource::Unknown);
        if name == "broker.rack" && !sensitive && value != "null" {
            broker.rack = Some(value.to_owned());
        }
        broker.configs.get_or_insert_with(Vec::new).push(ConfigEntry {
            name: name.to_owned(),
            value: (!(sensitive || value == "null" && synonyms.is_empty())).then(|| value.to_owned()),
            source,
            sensitive,
        });
    }
    for b in &mut brokers {
        if let Some(c) = &mut b.configs {
            c.sort_by(|x, y| x.name.cmp(&y.name));
        }
    }
    brokers.sort_by_key(|b| b.id);
    Ok(brokers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_sources_and_masking() {
        let text = "All configs for broker 1 are:\n  broker.rack=rack-a sensitive=false synonyms={STATIC_BROKER_CONFIG:broker.rack=rack-a}\n  ssl.key.password=null sensitive=true synonyms={}\n  log.retention.hours=168 sensitive=false synonyms={DEFAULT_CONFIG:log.retention.hours=168}\n  alter.config.policy.class.name=null sensitive=false synonyms={}\n";
        let b = parse("f", text).unwrap();
        assert_eq!(b[0].rack.as_deref(), Some("rack-a"));
        let c = b[0].configs.as_ref().unwrap();
        let get = |n: &str| c.iter().find(|e| e.name == n).unwrap();
        assert_eq!(get("ssl.key.password").value, None);
        assert!(get("ssl.key.password").sensitive);
        assert_eq!(get("log.retention.hours").source, ConfigSource::Default);
        assert_eq!(get("broker.rack").source, ConfigSource::StaticBroker);
        assert_eq!(get("alter.config.policy.class.name").value, None);
    }
}
