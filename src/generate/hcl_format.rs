//! Turns an [`hcl::Body`] into text that real `terraform fmt` leaves unchanged.
//!
//! hcl-rs prints valid HCL, but `terraform fmt` differs from it in two ways this pass fixes:
//!
//! 1. **`=` alignment.** fmt pads keys so the `=` of consecutive single-line attributes (and
//!    object items) line up. A run of such lines ends at a blank line, a block header, a
//!    closing brace or bracket, or an attribute whose value spans several lines (which is itself
//!    not padded). Widths count Unicode code points.
//! 2. **Empty blocks** are `x {}`, where hcl-rs prints `x {  }`.
//!
//! It also ends the last element of a multi-line list with a comma (which fmt keeps), so that
//! appending an element adds one line instead of changing two.
//!
//! The third difference, strings that are only an interpolation (`"${var.x}"`), is avoided at
//! the source: generators build real expressions instead (see [`expr`]).
//!
//! Real Terraform is the oracle: the integration tests run `terraform fmt -check` on the output.

use std::borrow::Cow;

use hcl::Body;
use hcl::expr::Expression;

/// Formats `body` exactly as `terraform fmt` would, with `header` (comment lines, each
/// starting with `#`) and a blank line in front of it.
pub fn format_body(header: &str, body: &Body) -> String {
    let raw = hcl::format::to_string(body).expect("formatting an in-memory HCL body cannot fail");
    let mut out = String::with_capacity(raw.len() + raw.len() / 4 + header.len() + 1);
    if !header.is_empty() {
        out.push_str(header);
        if !header.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
    }
    align_into(&raw, &mut out);
    out
}

/// Formats `locals { <name> = { "<key>" = <value> ... } }` with one multi-line entry per key,
/// in the given order, exactly as [`format_body`] would, but in linear time: hcl-rs objects
/// are vector maps whose inserts scan every key, which is quadratic for 50,000 topics.
pub fn format_locals_map(header: &str, name: &str, entries: &[(&str, Expression)]) -> String {
    let mut raw = String::with_capacity(64 + entries.len() * 160);
    raw.push_str("locals {\n  ");
    raw.push_str(name);
    raw.push_str(" = {\n");
    for (key, value) in entries {
        let key = hcl::format::to_string(&Expression::String((*key).to_string())).expect("strings format");
        let value = hcl::format::to_string(value).expect("in-memory expressions format");
        raw.push_str("    ");
        raw.push_str(&key);
        raw.push_str(" = ");
        for (i, line) in value.lines().enumerate() {
            if i > 0 {
                raw.push_str("    ");
            }
            raw.push_str(line);
            raw.push('\n');
        }
    }
    raw.push_str("  }\n}\n");
    let mut out = String::with_capacity(raw.len() + raw.len() / 4 + header.len() + 1);
    if !header.is_empty() {
        out.push_str(header);
        out.push_str("\n\n");
    }
    align_into(&raw, &mut out);
    out
}

/// Parses a Terraform expression written as source text, e.g. `var.project` or
/// `length(local.topics)`. Only for expressions written in this crate, never for user input.
pub fn expr(source: &str) -> Expression {
    source
        .parse()
        .unwrap_or_else(|e| panic!("invalid built-in HCL expression {source:?}: {e}"))
}

/// Applies the alignment and empty-block rules to hcl-rs output, appending to `out`.
pub fn align_into(raw: &str, out: &mut String) {
    let lines = with_trailing_commas(raw);
    let lines: Vec<&str> = lines.iter().map(|l| l.as_ref()).collect();
    let mut i = 0;
    while i < lines.len() {
        let Some(first) = split_attribute(lines[i]) else {
            push_fixed(lines[i], out);
            i += 1;
            continue;
        };
        // Collect the run of consecutive single-line attributes starting here.
        let mut run = vec![first];
        let mut j = i + 1;
        while j < lines.len() {
            match split_attribute(lines[j]) {
                Some(attr) => run.push(attr),
                None => break,
            }
            j += 1;
        }
        let width = run.iter().map(|a| a.key.chars().count()).max().unwrap_or(0);
        for attr in &run {
            out.push_str(attr.indent);
            out.push_str(attr.key);
            for _ in attr.key.chars().count()..width {
                out.push(' ');
            }
            out.push_str(" = ");
            push_fixed(attr.rest, out);
        }
        i = j;
    }
}

/// Splits `raw` into lines, adding a comma after the last element of each multi-line list.
fn with_trailing_commas(raw: &str) -> Vec<Cow<'_, str>> {
    let mut lines: Vec<Cow<'_, str>> = raw.split_inclusive('\n').map(Cow::Borrowed).collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    for i in 1..lines.len() {
        let closing = lines[i].trim();
        if closing != "]" && closing != "]," {
            continue;
        }
        let prev = lines[i - 1].trim_end();
        if prev.ends_with(',') || prev.ends_with('[') || indent(prev) <= indent(&lines[i]) {
            continue;
        }
        let fixed = format!("{prev},\n");
        lines[i - 1] = Cow::Owned(fixed);
    }
    lines
}

/// Appends one line, rewriting an empty block `x {  }` to `x {}`.
fn push_fixed(line: &str, out: &mut String) {
    let body = line.strip_suffix('\n').unwrap_or(line);
    if let Some(head) = body.strip_suffix("{  }").or_else(|| body.strip_suffix("{ }")) {
        out.push_str(head);
        out.push_str("{}");
        if line.ends_with('\n') {
            out.push('\n');
        }
    } else {
        out.push_str(line);
    }
}

/// A single-line `key = value` line, split for alignment.
struct AttributeLine<'a> {
    indent: &'a str,
    key: &'a str,
    /// The value and the line end.
    rest: &'a str,
}

/// Recognises a line holding a whole single-line attribute or object item.
fn split_attribute(line: &str) -> Option<AttributeLine<'_>> {
    let content = line.trim_start_matches(' ');
    let indent = &line[..line.len() - content.len()];
    let key_len = key_length(content)?;
    let key = &content[..key_len];
    let rest = content[key_len..].strip_prefix(" = ")?;
    let value = rest.trim_end();
    // A value that opens a multi-line construct ends the run and is not padded.
    if value.is_empty() || value.ends_with('{') || value.ends_with('[') || value.ends_with('(') {
        return None;
    }
    if value.starts_with("<<") {
        return None;
    }
    Some(AttributeLine { indent, key, rest })
}

/// Length in bytes of a leading identifier or quoted-string key.
fn key_length(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    match bytes.first()? {
        b'"' => {
            let mut escaped = false;
            for (i, &b) in bytes.iter().enumerate().skip(1) {
                match b {
                    _ if escaped => escaped = false,
                    b'\\' => escaped = true,
                    b'"' => return Some(i + 1),
                    b'\n' => return None,
                    _ => {}
                }
            }
            None
        }
        c if c.is_ascii_alphabetic() || *c == b'_' => Some(
            s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(s.len()),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn align(raw: &str) -> String {
        let mut out = String::new();
        align_into(raw, &mut out);
        out
    }

    #[test]
    fn aligns_runs_and_stops_at_multiline_values() {
        let raw = "a {\n  x = 1\n  long_name = 2\n  obj = {\n    k = 1\n    kk = 2\n  }\n  y = 3\n}\n";
        let want =
            "a {\n  x         = 1\n  long_name = 2\n  obj = {\n    k  = 1\n    kk = 2\n  }\n  y = 3\n}\n";
        assert_eq!(align(raw), want);
    }

    #[test]
    fn blank_lines_and_blocks_end_runs() {
        let raw = "a = 1\n\nbbb = 2\nc {  }\ndd = 3\n";
        assert_eq!(align(raw), "a = 1\n\nbbb = 2\nc {}\ndd = 3\n");
    }

    #[test]
    fn quoted_keys_count_code_points() {
        let raw = "m = {\n  \"é\" = 1\n  \"ab\" = 2\n}\n";
        assert_eq!(align(raw), "m = {\n  \"é\"  = 1\n  \"ab\" = 2\n}\n");
    }

    #[test]
    fn expressions_parse() {
        let e = expr("length(local.topics)");
        let body = Body::builder().add_attribute(("n", e)).build();
        assert_eq!(format_body("", &body), "n = length(local.topics)\n");
    }
}
