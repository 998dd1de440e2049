//! Which topics the user asks to migrate: a topic list file (the seed's
//! `diskless_topics_names.txt`) and/or `--include` / `--exclude` regexes over the inventory.
//!
//! This module only reads and checks the user's input (names, duplicates, regexes). Matching
//! against the inventory happens in [`super::build`], which reports names missing from the
//! inventory with near matches.

use std::ops::Range;

use miette::{Diagnostic, LabeledSpan};

use crate::snippet::{Snippet, labelled, listing};
use regex::Regex;
use thiserror::Error;

/// Kafka's limit on topic name length.
pub const MAX_TOPIC_NAME_LEN: usize = 249;

/// What the user selected.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// The topic list file, when given.
    pub list: Option<TopicList>,
    /// Inventory topics matching any of these are selected (whole-name match).
    pub include: Vec<Regex>,
    /// Topics matching any of these are not selected, whatever selected them.
    pub exclude: Vec<Regex>,
}

/// A topic list file: one name per line; blank lines and `#` comments are ignored.
#[derive(Clone, Debug)]
pub struct TopicList {
    /// File name, for diagnostics.
    pub name: String,
    /// The file's text.
    pub text: String,
    /// The names in file order, each with its byte span in `text`.
    pub entries: Vec<(String, Range<usize>)>,
}

/// A topic selection that cannot be used.
#[derive(Debug, Error, Diagnostic)]
pub enum SelectionError {
    /// The topic list could not be read.
    #[error("cannot read topic list {path}: {source}")]
    #[diagnostic(code(selection::io), help("check the path given to --topics"))]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Lines of the topic list are not valid topic names.
    #[error("{path} has {count} invalid topic name(s): {listed}")]
    #[diagnostic(
        code(selection::invalid_name),
        help(
            "Kafka topic names are 1 to 249 characters of ASCII letters, digits, `.`, `_` and `-`, and not `.` or `..`"
        )
    )]
    InvalidNames {
        /// The file.
        path: String,
        /// How many.
        count: usize,
        /// The first few, with their lines.
        listed: String,
        /// The lines around the first few.
        #[source_code]
        src: Snippet,
        /// One label per invalid name shown.
        #[label(collection)]
        labels: Vec<LabeledSpan>,
    },
    /// A name appears more than once in the topic list.
    #[error("{path} lists {count} topic(s) more than once: {listed}")]
    #[diagnostic(code(selection::duplicate), help("remove the repeated lines"))]
    Duplicates {
        /// The file.
        path: String,
        /// How many repeated names.
        count: usize,
        /// The first few repeats, with their lines.
        listed: String,
        /// The lines around the first few.
        #[source_code]
        src: Snippet,
        /// One label per repetition shown.
        #[label(collection)]
        labels: Vec<LabeledSpan>,
    },
    /// An `--include` or `--exclude` pattern is not a valid regex.
    #[error("invalid {flag} regex `{pattern}`: {message}")]
    #[diagnostic(
        code(selection::regex),
        help("patterns use Rust regex syntax and must match the whole topic name")
    )]
    Regex {
        /// `--include` or `--exclude`.
        flag: &'static str,
        /// The pattern.
        pattern: String,
        /// What the regex parser said.
        message: String,
    },
}

impl TopicList {
    /// Reads a topic list file.
    pub fn read(path: &std::path::Path) -> Result<TopicList, SelectionError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| SelectionError::Io {
            path: name.clone(),
            source,
        })?;
        TopicList::parse(&name, text)
    }

    /// Parses a topic list: trims each line, drops blank lines and `#` comments (whole-line or
    /// trailing), and checks every name and that none repeats.
    pub fn parse(name: &str, text: String) -> Result<TopicList, SelectionError> {
        let mut entries = Vec::new();
        // 1-based line of each entry, for messages.
        let mut lines = Vec::new();
        let mut offset = 0;
        for (index, line) in text.split_inclusive('\n').enumerate() {
            let content = line.split('#').next().unwrap_or_default();
            let trimmed = content.trim();
            if !trimmed.is_empty() {
                let start = offset + (content.len() - content.trim_start().len());
                entries.push((trimmed.to_owned(), start..start + trimmed.len()));
                lines.push(index + 1);
            }
            offset += line.len();
        }
        let invalid: Vec<(usize, String)> = entries
            .iter()
            .enumerate()
            .filter_map(|(i, (topic, _))| topic_name_problem(topic).map(|problem| (i, problem)))
            .collect();
        if !invalid.is_empty() {
            let items: Vec<_> = invalid
                .iter()
                .take(crate::snippet::LISTED)
                .map(|(i, problem)| (entries[*i].1.clone(), problem.clone()))
                .collect();
            let (src, labels) = labelled(name, &text, &items);
            return Err(SelectionError::InvalidNames {
                path: name.to_owned(),
                count: invalid.len(),
                listed: listing(invalid.iter().map(|(i, _)| (entries[*i].0.as_str(), lines[*i]))),
                src,
                labels,
            });
        }
        let mut seen = std::collections::HashMap::new();
        let mut duplicates = Vec::new();
        for (i, (topic, _)) in entries.iter().enumerate() {
            if let Some(first) = seen.insert(topic.as_str(), i) {
                seen.insert(topic.as_str(), first);
                duplicates.push((i, first));
            }
        }
        if !duplicates.is_empty() {
            let items: Vec<_> = duplicates
                .iter()
                .take(crate::snippet::LISTED)
                .map(|(i, first)| {
                    (
                        entries[*i].1.clone(),
                        format!("already listed on line {}", lines[*first]),
                    )
                })
                .collect();
            let (src, labels) = labelled(name, &text, &items);
            return Err(SelectionError::Duplicates {
                path: name.to_owned(),
                count: duplicates.len(),
                listed: listing(
                    duplicates
                        .iter()
                        .map(|(i, _)| (entries[*i].0.as_str(), lines[*i])),
                ),
                src,
                labels,
            });
        }
        Ok(TopicList {
            name: name.to_owned(),
            text,
            entries,
        })
    }
}

impl Selection {
    /// Builds a selection from a topic list and the raw `--include` / `--exclude` patterns.
    /// Patterns are anchored: they must match the whole topic name.
    pub fn new(
        list: Option<TopicList>,
        include: &[String],
        exclude: &[String],
    ) -> Result<Selection, SelectionError> {
        let compile = |flag: &'static str, pattern: &String| {
            Regex::new(&format!("^(?:{pattern})$")).map_err(|err| SelectionError::Regex {
                flag,
                pattern: pattern.clone(),
                message: err.to_string(),
            })
        };
        Ok(Selection {
            list,
            include: include
                .iter()
                .map(|p| compile("--include", p))
                .collect::<Result<_, _>>()?,
            exclude: exclude
                .iter()
                .map(|p| compile("--exclude", p))
                .collect::<Result<_, _>>()?,
        })
    }

    /// A selection of exactly these names (for tests and programmatic use).
    pub fn of_names<S: AsRef<str>>(names: &[S]) -> Selection {
        let mut text = String::new();
        let mut entries = Vec::new();
        for name in names {
            let start = text.len();
            text.push_str(name.as_ref());
            entries.push((name.as_ref().to_owned(), start..text.len()));
            text.push('\n');
        }
        Selection {
            list: Some(TopicList {
                name: "topics".into(),
                text,
                entries,
            }),
            include: Vec::new(),
            exclude: Vec::new(),
        }
    }

    /// True when `name` matches an `--include` pattern.
    pub fn included(&self, name: &str) -> bool {
        self.include.iter().any(|r| r.is_match(name))
    }

    /// True when `name` matches an `--exclude` pattern.
    pub fn excluded(&self, name: &str) -> bool {
        self.exclude.iter().any(|r| r.is_match(name))
    }
}

/// Why `name` is not a legal Kafka topic name, or `None` when it is.
pub fn topic_name_problem(name: &str) -> Option<String> {
    if name.len() > MAX_TOPIC_NAME_LEN {
        return Some(format!(
            "{} characters; the limit is {MAX_TOPIC_NAME_LEN}",
            name.len()
        ));
    }
    if name == "." || name == ".." {
        return Some("`.` and `..` are not topic names".into());
    }
    let bad: String = name
        .chars()
        .filter(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .collect();
    if !bad.is_empty() {
        let mut shown: Vec<char> = bad.chars().collect();
        shown.sort_unstable();
        shown.dedup();
        let shown: Vec<String> = shown.iter().map(|c| format!("{c:?}")).collect();
        return Some(format!("illegal character(s) {}", shown.join(" ")));
    }
    None
}

/// Why a topic is never migrated as a data topic, or `None` for an ordinary topic.
///
/// Kafka's internal topics, MirrorMaker 2's own topics and Kafka Connect's default topics
/// are recreated by the tools that own them on the destination.
pub fn reserved_reason(name: &str, internal: bool) -> Option<&'static str> {
    if internal || name.starts_with("__") {
        return Some("a Kafka internal topic; the destination has its own");
    }
    if name == "heartbeats" || name.ends_with(".heartbeats") {
        return Some("a MirrorMaker 2 heartbeats topic; MirrorMaker 2 writes its own on the destination");
    }
    if name.starts_with("mm2-offset-syncs.") || name.ends_with(".checkpoints.internal") {
        return Some("a MirrorMaker 2 internal topic (offset syncs or checkpoints)");
    }
    if name.starts_with("mm2-configs.") || name.starts_with("mm2-offsets.") || name.starts_with("mm2-status.")
    {
        return Some("a MirrorMaker 2 Connect topic (configs, offsets or status)");
    }
    if matches!(name, "connect-configs" | "connect-offsets" | "connect-status")
        || name.starts_with("connect-cluster-")
    {
        return Some("a Kafka Connect internal topic (configs, offsets or status)");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_comments_blank_lines_and_spans() {
        let text = "# diskless topics\n\n  orders.events  \nclickstream.raw # hot\n".to_string();
        let list = TopicList::parse("t.txt", text.clone()).unwrap();
        let names: Vec<_> = list.entries.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["orders.events", "clickstream.raw"]);
        assert_eq!(&text[list.entries[0].1.clone()], "orders.events");
    }

    #[test]
    fn invalid_names_are_all_reported() {
        let long = "a".repeat(250);
        let text = format!("ok\n{long}\nbad name\nsl/ash\n..\n");
        match TopicList::parse("t.txt", text).unwrap_err() {
            SelectionError::InvalidNames { count, labels, .. } => {
                assert_eq!(count, 4);
                assert!(labels[0].label().unwrap().contains("250 characters"));
                assert!(labels[1].label().unwrap().contains("' '"));
                assert!(labels[2].label().unwrap().contains("'/'"));
            }
            other => panic!("{other:?}"),
        }
        assert!(topic_name_problem(&"a".repeat(249)).is_none());
    }

    #[test]
    fn duplicates_point_at_the_repeat() {
        let text = "a\nb\na\na\n".to_string();
        match TopicList::parse("t.txt", text).unwrap_err() {
            SelectionError::Duplicates {
                count,
                labels,
                src,
                listed,
                ..
            } => {
                assert_eq!(count, 2);
                assert_eq!(src.position(*labels[0].inner()), Some((3, 1)));
                assert_eq!(listed, "`a` (line 3), `a` (line 4)");
                assert_eq!(labels[0].label(), Some("already listed on line 1"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn regexes_are_anchored_and_checked() {
        let s = Selection::new(None, &["orders\\..*".into()], &["orders\\.dlq".into()]).unwrap();
        assert!(s.included("orders.events"));
        assert!(!s.included("legacy.orders.events"));
        assert!(s.excluded("orders.dlq"));
        assert!(matches!(
            Selection::new(None, &["(".into()], &[]).unwrap_err(),
            SelectionError::Regex {
                flag: "--include",
                ..
            }
        ));
    }

    #[test]
    fn reserved_topics() {
        for name in [
            "__consumer_offsets",
            "heartbeats",
            "mm2-offset-syncs.source.internal",
            "source.checkpoints.internal",
            "connect-offsets",
            "mm2-status.source.internal",
        ] {
            assert!(reserved_reason(name, false).is_some(), "{name}");
        }
        assert!(reserved_reason("orders.events", false).is_none());
        assert!(reserved_reason("orders.events", true).is_some());
    }
}
