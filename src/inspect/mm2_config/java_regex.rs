//! Kafka LIST values and the Java regexes MirrorMaker 2 filters take, compiled with the Rust
//! `regex` crate: what it cannot honour (look-around, atomic groups, `\\Q…\\E`,
//! backreferences) is an error naming the construct, never a silently different filter.

use crate::snippet::shorten;

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
