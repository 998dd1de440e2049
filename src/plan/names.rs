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
    }
}
