//! Checking a `bootstrap.servers` list before any connection is tried, so a typo is a clear
//! input error at once instead of a connection timeout.

use crate::snippet::shorten;

/// Why `list` is not a comma-separated list of `host:port`, or `None` when it is. Hosts are
/// DNS names, IPv4 addresses or bracketed IPv6 addresses; ports are 1–65535. Spaces around an
/// entry are allowed, as Kafka clients allow them.
pub fn bootstrap_problem(list: &str) -> Option<String> {
    if list.trim().is_empty() {
        return Some("it is empty".into());
    }
    for entry in list.split(',') {
        let entry = entry.trim();
        let Some((host, port)) = entry.rsplit_once(':') else {
            return Some(format!("{:?} has no `:port`", shorten(entry)));
        };
        let host_ok = if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        } else {
            !host.is_empty()
                && host.len() <= 253
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        };
        if !host_ok {
            return Some(format!("{:?} is not a host name or address", shorten(host)));
        }
        if !matches!(port.parse::<u16>(), Ok(p) if p > 0) || !port.bytes().all(|b| b.is_ascii_digit()) {
            return Some(format!("{:?} is not a port (1-65535)", shorten(port)));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bootstrap_lists() {
        assert_eq!(bootstrap_problem("k1:9092, k2:9093"), None);
        assert_eq!(bootstrap_problem("[::1]:9092,10.0.0.1:9092"), None);
        assert!(bootstrap_problem("").is_some());
        assert!(bootstrap_problem("k1").is_some());
        assert!(bootstrap_problem("k1:0").is_some());
        assert!(bootstrap_problem("k1:99999").is_some());
        assert!(bootstrap_problem("k1:+9092").is_some());
        assert!(bootstrap_problem("$(reboot):9092").is_some());
        assert!(bootstrap_problem("k1:9092\nx=y:1").is_some());
    }
}
