//! Java `.properties` files, parsed by Java's rules: `key=value`, `key: value` or
//! `key value`; `#` and `!` comments; a trailing odd backslash continues the line; `\t`,
//! `\n`, `\uXXXX` and other escapes. Kafka client configs and `mm2.properties` use this format.
//!
//! Every entry remembers the line it started on, so diagnostics can point at it.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::snippet::Snippet;

/// One `key = value` entry with the 1-based line and byte span where it starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Property {
    /// The unescaped key.
    pub key: String,
    /// The unescaped value.
    pub value: String,
    /// 1-based line number of the entry's first line.
    pub line: usize,
    /// Byte offset and length of the entry's logical line in the source text.
    pub span: (usize, usize),
}

/// A parsed properties file. Later duplicates win, as in Java.
#[derive(Clone, Debug)]
pub struct Properties {
    /// Where the text came from, for diagnostics.
    pub name: String,
    /// The original text, for diagnostics.
    pub text: String,
    entries: Vec<Property>,
    /// Index in `entries` of the last entry of each key, so look-ups take constant time.
    last: HashMap<String, usize>,
}

/// A properties file that could not be read or parsed.
#[derive(Debug, Error, Diagnostic)]
pub enum PropertiesError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    #[diagnostic(code(properties::io), help("check that the file exists and is readable"))]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A malformed escape sequence.
    #[error("{name}:{line}:{column}: {message}")]
    #[diagnostic(
        code(properties::syntax),
        help("Java properties files use \\uXXXX with four hex digits; write \\\\ for a literal backslash")
    )]
    Syntax {
        /// The file.
        name: String,
        /// 1-based line.
        line: usize,
        /// 1-based column (bytes) where the entry starts.
        column: usize,
        /// What is wrong.
        message: String,
        /// The lines around the entry.
        #[source_code]
        src: Snippet,
        /// Where.
        #[label("here")]
        span: SourceSpan,
    },
}

impl Properties {
    /// Reads and parses a properties file.
    pub fn read(path: &Path) -> Result<Properties, PropertiesError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| PropertiesError::Io {
            path: name.clone(),
            source,
        })?;
        Properties::parse(&name, &text)
    }

    /// Parses properties text; `name` is used in diagnostics.
    pub fn parse(name: &str, text: &str) -> Result<Properties, PropertiesError> {
        let mut entries = Vec::new();
        for logical in logical_lines(text) {
            let (key, value) = split_entry(&logical.text);
            let unescape_here = |raw: &str| {
                unescape(raw).map_err(|message| {
                    let (start, len) = logical.span;
                    let (src, span) = Snippet::around(name, text, start..start + len);
                    PropertiesError::Syntax {
                        name: name.to_owned(),
                        line: logical.line,
                        column: crate::snippet::line_column(text, start).1,
                        message,
                        src,
                        span,
                    }
                })
            };
            entries.push(Property {
                key: unescape_here(key)?,
                value: unescape_here(value)?,
                line: logical.line,
                span: logical.span,
            });
        }
        let last = entries
            .iter()
            .enumerate()
            .map(|(i, p)| (p.key.clone(), i))
            .collect();
        Ok(Properties {
            name: name.to_owned(),
            text: text.to_owned(),
            entries,
            last,
        })
    }

    /// The value of `key` (the last occurrence wins).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entry(key).map(|p| p.value.as_str())
    }

    /// The entry of `key` (the last occurrence wins), with its position.
    pub fn entry(&self, key: &str) -> Option<&Property> {
        self.last.get(key).map(|&i| &self.entries[i])
    }

    /// All entries in file order, duplicates included.
    pub fn entries(&self) -> &[Property] {
        &self.entries
    }

    /// Distinct keys with their effective values, in first-appearance order.
    pub fn effective(&self) -> Vec<(&str, &str)> {
        let mut seen = HashSet::new();
        self.entries
            .iter()
            .filter(|p| seen.insert(p.key.as_str()))
            .map(|p| (p.key.as_str(), self.get(&p.key).unwrap_or_default()))
            .collect()
    }

    /// A bounded miette source around `entry`, and the entry's span within it.
    pub fn snippet(&self, entry: &Property) -> (Snippet, SourceSpan) {
        let (start, len) = entry.span;
        Snippet::around(&self.name, &self.text, start..start + len)
    }
}

/// A logical line: physical lines joined by continuations, leading whitespace of
/// continuation lines removed.
struct LogicalLine {
    text: String,
    line: usize,
    span: (usize, usize),
}

fn logical_lines(text: &str) -> Vec<LogicalLine> {
    let mut out = Vec::new();
    let mut current: Option<LogicalLine> = None;
    let mut offset = 0;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let continues = line.chars().rev().take_while(|c| *c == '\\').count() % 2 == 1;
        let body = if continues { &line[..line.len() - 1] } else { line };
        match current.as_mut() {
            Some(logical) => {
                logical
                    .text
                    .push_str(body.trim_start_matches([' ', '\t', '\x0c']));
                logical.span.1 = start + line.len() - logical.span.0;
            }
            None => {
                let trimmed = body.trim_start_matches([' ', '\t', '\x0c']);
                if trimmed.is_empty() && !continues || trimmed.starts_with(['#', '!']) {
                    continue;
                }
                current = Some(LogicalLine {
                    text: trimmed.to_owned(),
                    line: index + 1,
                    span: (start, line.len()),
                });
            }
        }
        if !continues && let Some(done) = current.take() {
            out.push(done);
        }
    }
    out.extend(current);
    out
}

/// Splits a logical line into raw key and raw value at the first unescaped `=`, `:` or
/// whitespace, skipping the separator and surrounding whitespace.
fn split_entry(line: &str) -> (&str, &str) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'=' | b':' | b' ' | b'\t' | b'\x0c' => break,
            _ => i += 1,
        }
    }
    let key_end = i.min(bytes.len());
    let mut rest = line[key_end..].trim_start_matches([' ', '\t', '\x0c']);
    if let Some(stripped) = rest.strip_prefix(['=', ':']) {
        rest = stripped.trim_start_matches([' ', '\t', '\x0c']);
    }
    (&line[..key_end], rest)
}

fn unescape(raw: &str) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('f') => out.push('\x0c'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                let code = u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == 4)
                    .ok_or_else(|| format!("malformed \\u escape `\\u{hex}`"))?;
                out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Properties {
        Properties::parse("test.properties", text).unwrap()
    }

    #[test]
    fn separators_comments_and_whitespace() {
        let p = parse("# comment\n! other\n  a=1\nb : 2\nc 3\nd\te = x\nempty=\nonly\n");
        assert_eq!(p.get("a"), Some("1"));
        assert_eq!(p.get("b"), Some("2"));
        assert_eq!(p.get("c"), Some("3"));
        assert_eq!(p.get("d"), Some("e = x"));
        assert_eq!(p.get("empty"), Some(""));
        assert_eq!(p.get("only"), Some(""));
        assert_eq!(p.entry("c").unwrap().line, 5);
    }

    #[test]
    fn continuations_and_escapes() {
        let p = parse(
            "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\\n    username=\"u\" \\\n    password=\"p\";\nkey\\ with\\=sep=v\\\\\nuni=\\u00e9t\\u00E9\nx=a\\\\\ny=b\n",
        );
        assert_eq!(
            p.get("sasl.jaas.config"),
            Some(
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";"
            )
        );
        assert_eq!(p.get("key with=sep"), Some("v\\"));
        assert_eq!(p.get("uni"), Some("été"));
        assert_eq!(p.get("x"), Some("a\\"));
        assert_eq!(p.get("y"), Some("b"));
    }

    #[test]
    fn last_duplicate_wins_and_crlf() {
        let p = parse("a=1\r\na=2\r\n");
        assert_eq!(p.get("a"), Some("2"));
        assert_eq!(p.effective(), vec![("a", "2")]);
    }

    #[test]
    fn malformed_unicode_escape_names_the_line() {
        let err = Properties::parse("c.properties", "a=1\nb=\\u12\n").unwrap_err();
        assert!(err.to_string().starts_with("c.properties:2:"), "{err}");
    }
}
