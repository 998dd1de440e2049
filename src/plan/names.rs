//! The grammar of every name and value that `migration.hcl` and `plan.json` carry into the
//! generated files: Aiven project, service and plan names, MirrorMaker 2 cluster aliases and
//! bootstrap lists. (Security protocols and SASL mechanisms are enums in the plan model.)
//!
//! One place, so the settings reader (which points at the offending span) and `generate`
//! (which re-checks a `plan.json` that may have been edited by hand) apply the same rules. The
//! rules are deliberately narrower than what a generated file could escape: a value that passes
//! them cannot start a new line in `mm2.properties`, a command in a shell block of the runbook,
//! or a new string in HCL or JSON.

/// Lowercase letters, digits and dashes, starting with a letter, not ending with a dash, at
/// most `max` characters: Aiven project and service names.
pub fn is_name(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// An Aiven project name (at most 63 characters).
pub fn is_project_name(s: &str) -> bool {
    is_name(s, 63)
}

/// An Aiven service name (at most 63 characters).
pub fn is_service_name(s: &str) -> bool {
    is_name(s, 63)
}

/// The provider's plan pattern: `^[a-z][a-z0-9_-]*[a-z0-9]$`, 2–128 characters.
pub fn is_plan_name(s: &str) -> bool {
    s.len() >= 2
        && s.len() <= 128
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// An Aiven cloud name such as `google-europe-west1` or `aws-eu-central-1`: lowercase letters,
/// digits and dashes, at most 64 characters.
pub fn is_cloud_name(s: &str) -> bool {
    is_name(s, 64)
}

/// A MirrorMaker 2 cluster alias or flow name: 1–128 ASCII letters, digits, `.`, `_`, `-`.
pub fn is_alias(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// A Terraform Cloud organization or workspace name: 1–90 ASCII letters, digits, `_`, `-`.
pub fn is_terraform_cloud_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 90
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
}

/// A Kafka version such as `4.0` or `4.1.1`.
pub fn is_kafka_version(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
}

pub use crate::kafka::bootstrap::bootstrap_problem;

/// Whether `s` holds a character that could end a line or a value in some generated file:
/// any control character (newline, carriage return, tab, NUL, escape, …) or a Unicode line or
/// paragraph separator.
pub fn has_control(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
}

/// A destination user name (`aiven_kafka_user.username`): 1–64 ASCII letters, digits, `.`,
/// `_`, `-` and `@`, starting with a letter or digit. Safe in HCL, properties, JAAS and shell.
pub fn is_user_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
}

/// Characters no ACL principal, resource name or host may hold here: they could end a quoted
/// value or start an expansion in HCL, a shell command or a properties file.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '"' | '\''
                | '\\'
                | '`'
                | '$'
                | '%'
                | '{'
                | '}'
                | ';'
                | '|'
                | '&'
                | '<'
                | '>'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// A Kafka principal `Type:name` (e.g. `User:alice`, `User:CN=billing,OU=apps`): at most 256
/// characters, a type of ASCII letters, a non-empty name, no character that is unsafe in a
/// generated file.
pub fn is_principal(s: &str) -> bool {
    let Some((kind, name)) = s.split_once(':') else {
        return false;
    };
    s.len() <= 256
        && !kind.is_empty()
        && kind.chars().all(|c| c.is_ascii_alphabetic())
        && !name.is_empty()
        && !name.chars().any(is_unsafe)
}

/// An ACL resource name or prefix (a group, a transactional id, `*`): 1–256 characters, none
/// unsafe in a generated file.
pub fn is_acl_resource_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 256 && !s.chars().any(is_unsafe)
}

/// An ACL host: `*`, or an IP address or host name (ASCII letters, digits, `.`, `:`, `-`, `_`),
/// at most 256 characters.
pub fn is_acl_host(s: &str) -> bool {
    s == "*"
        || (!s.is_empty()
            && s.len() <= 256
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '_')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_project_name("acme-prod"));
        assert!(!is_project_name("acme prod"));
        assert!(!is_project_name("$(id)"));
        assert!(is_plan_name("business-8-inkless"));
        assert!(!is_plan_name("business-8\n"));
        assert!(is_alias("source.eu_1-a"));
        assert!(!is_alias("a,b"));
        assert!(is_kafka_version("4.1.1"));
        assert!(!is_kafka_version("4"));
        assert!(!is_kafka_version("4.x"));
        assert!(has_control("a\nb"));
        assert!(has_control("a\u{2028}b"));
        assert!(!has_control("a.b-c_d"));
        assert!(is_user_name("alice"));
        assert!(!is_user_name("CN=alice"));
        assert!(is_principal("User:CN=billing,OU=apps"));
        assert!(!is_principal("User:a\"b"));
        assert!(!is_principal("User:$(id)"));
        assert!(!is_principal("alice"));
        assert!(is_acl_host("*") && is_acl_host("10.0.0.1"));
        assert!(!is_acl_host("a b"));
        assert!(!is_acl_resource_name("x\ny"));
    }
}
