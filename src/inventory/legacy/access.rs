//! Access facts from the Kafka CLI tools' text: ACL bindings from `kafka-acls --list`, and
//! quotas and SCRAM credentials from `kafka-configs --describe --entity-type users` (or
//! `--entity-type clients`).
//!
//! ```text
//! Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=orders, patternType=LITERAL)`:
//!     (principal=User:alice, host=*, operation=READ, permissionType=ALLOW)
//!
//! Quota configs for user-principal 'bob' are producer_byte_rate=1048576.0
//! Quota configs for the default client-id are request_percentage=50.0
//! SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-512=iterations=4096
//! ```

use super::{LegacyError, format_error};
use crate::inventory::model::{Acl, ClientQuota, DEFAULT_ENTITY, ScramCredential, ScramUser};

/// `TRANSACTIONAL_ID` → `TransactionalId`, `READ` → `Read`: the admin client's names, as live
/// discovery records them.
fn camel(upper: &str) -> String {
    upper
        .split('_')
        .map(|part| {
            let lower = part.to_ascii_lowercase();
            let mut chars = lower.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The value of `key=` in a `k=v, k=v` list.
fn field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.split(", ")
        .find_map(|part| part.trim().strip_prefix(key)?.strip_prefix('='))
}

/// Parses `kafka-acls --list` text.
pub fn parse_acls(file: &str, text: &str) -> Result<Vec<Acl>, LegacyError> {
    let mut out = Vec::new();
    let mut resource: Option<(String, String, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("Current ACLs for resource `ResourcePattern(") {
            let inner = rest
                .strip_suffix(")`:")
                .ok_or_else(|| format_error(file, line_no, "a resource line must end with `)`:"))?;
            let kind = field(inner, "resourceType");
            let name = field(inner, "name");
            let pattern = field(inner, "patternType");
            match (kind, name, pattern) {
                (Some(k), Some(n), Some(p)) => resource = Some((camel(k), n.to_owned(), p.to_owned())),
                _ => {
                    return Err(format_error(
                        file,
                        line_no,
                        "a resource needs resourceType, name and patternType",
                    ));
                }
            }
            continue;
        }
        if let Some(inner) = trimmed
            .strip_prefix("(principal=")
            .and_then(|r| r.strip_suffix(')'))
        {
            let Some((resource_type, resource_name, pattern_type)) = &resource else {
                return Err(format_error(
                    file,
                    line_no,
                    "an ACL before any `Current ACLs for resource` line",
                ));
            };
            let inner = format!("principal={inner}");
            let (Some(principal), Some(host), Some(operation), Some(permission)) = (
                field(&inner, "principal"),
                field(&inner, "host"),
                field(&inner, "operation"),
                field(&inner, "permissionType"),
            ) else {
                return Err(format_error(
                    file,
                    line_no,
                    "an ACL needs principal, host, operation and permissionType",
                ));
            };
            out.push(Acl {
                resource_type: resource_type.clone(),
                resource_name: resource_name.clone(),
                pattern_type: pattern_type.clone(),
                principal: principal.to_owned(),
                host: host.to_owned(),
                operation: camel(operation),
                permission_type: camel(permission),
            });
            continue;
        }
        return Err(format_error(
            file,
            line_no,
            "not a line `kafka-acls --list` writes",
        ));
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The entity of a `Quota configs for …` line: `user-principal 'bob', client-id 'app'`,
/// `the default user-principal`, …
fn entity(text: &str) -> (Option<String>, Option<String>) {
    let mut user = None;
    let mut client = None;
    for part in text.split(", ") {
        let part = part.trim().trim_start_matches("the ");
        let (kind, name) = match part.strip_prefix("default ") {
            Some(kind) => (kind, DEFAULT_ENTITY.to_owned()),
            None => match part.split_once(' ') {
                Some((kind, name)) => (kind, name.trim_matches('\'').to_owned()),
                None => continue,
            },
        };
        match kind {
            "user-principal" => user = Some(name),
            "client-id" => client = Some(name),
            _ => {}
        }
    }
    (user, client)
}

/// Parses `kafka-configs --describe --entity-type users|clients` text: quotas and SCRAM users.
pub fn parse_configs(file: &str, text: &str) -> Result<(Vec<ClientQuota>, Vec<ScramUser>), LegacyError> {
    let mut quotas = Vec::new();
    let mut users: Vec<ScramUser> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let (kind, rest) = if let Some(rest) = trimmed.strip_prefix("Quota configs for ") {
            ("quota", rest)
        } else if let Some(rest) = trimmed.strip_prefix("SCRAM credential configs for ") {
            ("scram", rest)
        } else {
            return Err(format_error(
                file,
                line_no,
                "not a line `kafka-configs --describe` writes for users or clients",
            ));
        };
        let (who, values) = rest
            .split_once(" are ")
            .ok_or_else(|| format_error(file, line_no, "expected `… are key=value, …`"))?;
        let (user, client_id) = entity(who);
        if kind == "scram" {
            let Some(user) = user.filter(|u| u != DEFAULT_ENTITY) else {
                return Err(format_error(file, line_no, "SCRAM credentials of no user"));
            };
            let credentials = values
                .split(", ")
                .filter_map(|v| {
                    let (mechanism, iterations) = v.trim().split_once("=iterations=")?;
                    Some(ScramCredential {
                        mechanism: mechanism.to_owned(),
                        iterations: iterations.parse().ok(),
                    })
                })
                .collect();
            users.push(ScramUser { user, credentials });
            continue;
        }
        let mut quota = ClientQuota {
            user,
            client_id,
            ..ClientQuota::default()
        };
        for v in values.split(", ") {
            let Some((key, value)) = v.trim().split_once('=') else {
                continue;
            };
            let value: f64 = value
                .parse()
                .map_err(|_| format_error(file, line_no, format!("`{key}` is not a number")))?;
            match key {
                "producer_byte_rate" => quota.producer_byte_rate = Some(value),
                "consumer_byte_rate" => quota.consumer_byte_rate = Some(value),
                "request_percentage" => quota.request_percentage = Some(value),
                _ => {}
            }
        }
        quotas.push(quota);
    }
    users.sort();
    Ok((quotas, users))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acl_listing_is_read_with_the_admin_client_names() {
        let text = "Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=payments., patternType=PREFIXED)`: \n \t(principal=User:bob, host=*, operation=WRITE, permissionType=ALLOW)\n\t(principal=User:carol, host=10.0.0.1, operation=DESCRIBE_CONFIGS, permissionType=DENY) \n\nCurrent ACLs for resource `ResourcePattern(resourceType=TRANSACTIONAL_ID, name=tx, patternType=LITERAL)`:\n \t(principal=User:bob, host=*, operation=WRITE, permissionType=ALLOW)\n";
        let text = text.replace(")`: \n", ")`:\n");
        let acls = parse_acls("acls_source.txt", &text).unwrap();
        assert_eq!(acls.len(), 3);
        let carol = acls.iter().find(|a| a.principal == "User:carol").unwrap();
        assert_eq!(
            (
                carol.resource_type.as_str(),
                carol.pattern_type.as_str(),
                carol.operation.as_str(),
                carol.permission_type.as_str(),
                carol.host.as_str()
            ),
            ("Topic", "PREFIXED", "DescribeConfigs", "Deny", "10.0.0.1")
        );
        assert!(acls.iter().any(|a| a.resource_type == "TransactionalId"));
        assert!(parse_acls("acls_source.txt", "garbage").is_err());
    }

    #[test]
    fn quotas_and_scram_users_are_read() {
        let text = "Quota configs for user-principal 'bob' are producer_byte_rate=1048576.0, consumer_byte_rate=2048.0\n\
                    SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-512=iterations=4096, SCRAM-SHA-256=iterations=8192\n\
                    Quota configs for the default client-id are request_percentage=50.0\n\
                    Quota configs for user-principal 'bob', client-id 'app' are producer_byte_rate=10.0\n";
        let (quotas, users) = parse_configs("quotas_users_source.txt", text).unwrap();
        assert_eq!(quotas.len(), 3);
        assert_eq!(quotas[0].user.as_deref(), Some("bob"));
        assert_eq!(quotas[0].consumer_byte_rate, Some(2048.0));
        assert_eq!(quotas[1].client_id.as_deref(), Some(DEFAULT_ENTITY));
        assert_eq!(
            (quotas[2].user.as_deref(), quotas[2].client_id.as_deref()),
            (Some("bob"), Some("app"))
        );
        assert_eq!(users[0].user, "alice");
        assert_eq!(users[0].credentials[1].iterations, Some(8192));
    }
}
