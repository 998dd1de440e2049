//! Report writers: the reference tool's 21-column CSV (RFC 4180 quoted), JSON with the same
//! fields, a terminal table, and the `--emit-summary` lines.

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::inspect::compare::{HEADER, Row};

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// 21-column CSV.
    Csv,
    /// JSON object with `rows` (and `summary` when asked).
    Json,
    /// Aligned text table of the main columns.
    Table,
}

/// `text` on one line of a terminal: a backslash becomes `\\`, newline, carriage return and tab
/// become `\n`, `\r`, `\t`, and any other control character or line separator becomes
/// `\u{…}`. A group id or topic with a newline therefore never splits a table row or a
/// `--watch` line, and the escaping can be read back without ambiguity.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

/// The 21 CSV fields of a row.
pub fn csv_fields(row: &Row) -> [String; 21] {
    [
        row.cluster_pair.to_string(),
        row.topic.to_string(),
        opt(row.partition),
        row.group.to_string(),
        opt(row.source_topic_earliest_offset),
        opt(row.source_topic_latest_offset),
        row.source_group_state.to_string(),
        opt(row.source_group_offset),
        opt(row.source_group_lag),
        opt(row.target_topic_earliest_offset),
        opt(row.target_topic_latest_offset),
        row.target_group_state.to_string(),
        opt(row.target_group_offset),
        opt(row.target_group_lag),
        opt(row.target_group_lag_to_source),
        row.source_has_data.to_string(),
        row.source_group_valid.to_string(),
        row.target_has_data.to_string(),
        row.is_ok.to_string(),
        row.blocking_component.map_or("-", |c| c.as_str()).to_owned(),
        row.message.to_string(),
    ]
}

/// Writes the header and the rows as RFC 4180 CSV (fields quoted only when needed; `\n` ends
/// each record).
pub fn write_csv<R: Borrow<Row>>(rows: &[R], out: impl Write) -> io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(out);
    w.write_record(HEADER)?;
    for row in rows {
        w.write_record(csv_fields(row.borrow()))?;
    }
    w.flush()
}

/// One summary key with its count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SummaryLine {
    /// Number of rows with this key.
    pub count: usize,
    /// SOURCE HAS DATA
    pub source_has_data: bool,
    /// SOURCE GROUP STATE
    pub source_group_state: String,
    /// TARGET HAS DATA
    pub target_has_data: bool,
    /// TARGET GROUP STATE
    pub target_group_state: String,
    /// IS OK
    pub is_ok: bool,
    /// BLOCKING COMPONENT (`null` in the text form when absent)
    pub blocking_component: Option<String>,
    /// MESSAGE
    pub message: String,
}

impl SummaryLine {
    /// The reference tool's text form.
    pub fn text(&self) -> String {
        format!(
            "{} partitions in state: Source has data: {}, Source group: {}, Target has data: {}, Target group: {}, \
             ok: {}, Blocking component: {}, Message: {}",
            self.count,
            self.source_has_data,
            self.source_group_state,
            self.target_has_data,
            self.target_group_state,
            self.is_ok,
            self.blocking_component.as_deref().unwrap_or("null"),
            self.message
        )
    }
}

/// Groups rows over all pairs by (source has data, source state, target has data, target
/// state, ok, component, message); sorted by count descending, then by key.
pub fn summarize<R: Borrow<Row>>(rows: &[R]) -> Vec<SummaryLine> {
    type Key<'a> = (bool, &'a str, bool, &'a str, bool, Option<&'a str>, &'a str);
    let mut counts: BTreeMap<Key, usize> = BTreeMap::new();
    for r in rows {
        let r = r.borrow();
        let key = (
            r.source_has_data,
            &*r.source_group_state,
            r.target_has_data,
            &*r.target_group_state,
            r.is_ok,
            r.blocking_component.map(|c| c.as_str()),
            &*r.message,
        );
        *counts.entry(key).or_default() += 1;
    }
    let mut lines: Vec<_> = counts
        .into_iter()
        .map(|((sd, ss, td, ts, ok, c, m), count)| SummaryLine {
            count,
            source_has_data: sd,
            source_group_state: ss.into(),
            target_has_data: td,
            target_group_state: ts.into(),
            is_ok: ok,
            blocking_component: c.map(str::to_owned),
            message: m.into(),
        })
        .collect();
    lines.sort_by_key(|l| std::cmp::Reverse(l.count));
    lines
}

/// Writes the summary lines.
pub fn write_summary(lines: &[SummaryLine], mut out: impl Write) -> io::Result<()> {
    for line in lines {
        writeln!(out, "{}", line.text())?;
    }
    Ok(())
}

/// Writes `{"rows": [...]}` (and `"summary"` when given) as pretty JSON.
pub fn write_json<R: Borrow<Row> + Serialize>(
    rows: &[R],
    summary: Option<&[SummaryLine]>,
    mut out: impl Write,
) -> io::Result<()> {
    #[derive(Serialize)]
    struct Doc<'a, R> {
        rows: &'a [R],
        #[serde(skip_serializing_if = "Option::is_none")]
        summary: Option<&'a [SummaryLine]>,
    }
    serde_json::to_writer_pretty(&mut out, &Doc { rows, summary })?;
    writeln!(out)
}

/// Writes an aligned table of the columns a person reads first, one line per row (text cells
/// escaped with [`one_line`]).
pub fn write_table<R: Borrow<Row>>(rows: &[R], mut out: impl Write) -> io::Result<()> {
    let header = [
        "PAIR",
        "GROUP",
        "TOPIC",
        "PART",
        "SRC OFFSET",
        "SRC LAG",
        "TGT OFFSET",
        "EXPECTED",
        "TGT STATE",
        "OK",
        "BLOCKING",
        "MESSAGE",
    ];
    let cells: Vec<[String; 12]> = rows
        .iter()
        .map(|r| {
            let r = r.borrow();
            [
                one_line(&r.cluster_pair),
                one_line(&r.group),
                one_line(&r.topic),
                opt(r.partition),
                opt(r.source_group_offset),
                opt(r.source_group_lag),
                opt(r.target_group_offset),
                opt(r.expected_target_offset),
                one_line(&r.target_group_state),
                r.is_ok.to_string(),
                r.blocking_component.map_or("-", |c| c.as_str()).to_owned(),
                one_line(&r.message),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |fields: Vec<&str>| {
        let last = fields.len() - 1;
        let mut s = String::new();
        for (i, f) in fields.into_iter().enumerate() {
            if i == last {
                s.push_str(f);
            } else {
                s.push_str(&format!("{f:<w$}  ", w = widths[i]));
            }
        }
        s
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for row in &cells {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    if rows.is_empty() {
        writeln!(out, "(no rows)")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspect::compare::*;

    /// The header and the fixed messages, copied from the reference tool's output interface.
    #[test]
    fn header_and_messages_match_the_reference_tool() {
        assert_eq!(
            HEADER.join(","),
            "CLUSTER PAIR,TOPIC,PARTITION,GROUP,SOURCE TOPIC EARLIEST OFFSET,SOURCE TOPIC LATEST OFFSET,\
             SOURCE GROUP STATE,SOURCE GROUP OFFSET,SOURCE GROUP LAG,TARGET TOPIC EARLIEST OFFSET,\
             TARGET TOPIC LATEST OFFSET,TARGET GROUP STATE,TARGET GROUP OFFSET,TARGET GROUP LAG,\
             TARGET GROUP LAG TO SOURCE,SOURCE HAS DATA,SOURCE GROUP VALID,TARGET HAS DATA,IS OK,\
             BLOCKING COMPONENT,MESSAGE"
        );
        assert_eq!(SUCCESS, "Successfully synced, operating normally");
        assert_eq!(
            EMPTY_OTHERS_SYNCED,
            "Intentionally not synced because source partition is empty. Other partitions in this group are synced."
        );
        assert_eq!(
            NOT_SYNCED_OTHERS_SYNCED,
            "Erroneously not synced. Source partition has data, and other partitions for this group are synced."
        );
        assert_eq!(
            TOO_OLD_OTHERS_SYNCED,
            "Intentionally not synced because source group is too old. Other partitions in this group are synced."
        );
        assert_eq!(
            EMPTY_OTHERS_NOT_SYNCED,
            "Intentionally not synced because source partition is empty. Other partitions in this group are not \
             synced."
        );
        assert_eq!(
            NOT_SYNCED_OTHERS_NOT_SYNCED,
            "Erroneously not synced. Source partition has data, and other partitions for this group are not synced."
        );
        assert_eq!(
            TOO_OLD_OTHERS_NOT_SYNCED,
            "Intentionally not synced because source group is too old. Other partitions in this group are not \
             synced."
        );
        for c in ["SOURCE PARTITION", "REPLICATION", "SOURCE GROUP"] {
            assert!(
                [
                    Component::SourcePartition,
                    Component::Replication,
                    Component::SourceGroup
                ]
                .iter()
                .any(|x| x.as_str() == c)
            );
        }
    }

    fn row(group: &str, message: &str, ok: bool) -> Row {
        Row {
            cluster_pair: "a->b".into(),
            topic: "t".into(),
            partition: Some(0),
            group: group.into(),
            source_topic_earliest_offset: Some(0),
            source_topic_latest_offset: Some(10),
            source_group_state: "Stable".into(),
            source_group_offset: Some(10),
            source_group_lag: Some(0),
            target_topic_earliest_offset: None,
            target_topic_latest_offset: None,
            target_group_state: "Dead".into(),
            target_group_offset: None,
            target_group_lag: None,
            target_group_lag_to_source: None,
            source_has_data: true,
            source_group_valid: true,
            target_has_data: false,
            is_ok: ok,
            blocking_component: (!ok).then_some(Component::Replication),
            message: message.into(),
            target_topic: Some("t".into()),
            expected_target_offset: Some(10),
            hold: (!ok).then_some(crate::inspect::compare::HoldCause::SyncPending),
        }
    }

    #[test]
    fn csv_is_rfc4180_quoted() {
        let mut out = Vec::new();
        write_csv(
            &[row("we,ird\"id", NOT_SYNCED_OTHERS_NOT_SYNCED, false)],
            &mut out,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        let line = text.lines().nth(1).unwrap();
        assert_eq!(
            line,
            "a->b,t,0,\"we,ird\"\"id\",0,10,Stable,10,0,-,-,Dead,-,-,-,true,true,false,false,REPLICATION,\
             \"Erroneously not synced. Source partition has data, and other partitions for this group are not synced.\""
        );
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(reader.headers().unwrap().len(), 21);
        assert!(reader.records().all(|r| r.unwrap().len() == 21));
    }

    #[test]
    fn control_characters_never_split_a_table_row() {
        let rows = [
            row("evil\nOK-looking\tgroup\r\u{7}\\n", "line one\nline two", false),
            row("plain", SUCCESS, true),
        ];
        let mut out = Vec::new();
        write_table(&rows, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(
            lines[1].contains("evil\\nOK-looking\\tgroup\\r\\u{7}\\\\n "),
            "{text}"
        );
        assert!(lines[1].ends_with("line one\\nline two"), "{text}");
        assert!(lines[2].contains("plain "), "{text}");
        assert_eq!(one_line("a\u{2028}b\u{85}c"), "a\\u{2028}b\\u{85}c");
    }

    #[test]
    fn header_is_written_without_rows() {
        let mut out = Vec::new();
        write_csv::<Row>(&[], &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), format!("{}\n", HEADER.join(",")));
    }

    #[test]
    fn summary_lines_sorted_with_null_component() {
        let rows = [
            row("a", SUCCESS, true),
            row("b", "x", false),
            row("c", "x", false),
        ];
        let lines: Vec<_> = summarize(&rows).iter().map(SummaryLine::text).collect();
        assert_eq!(
            lines,
            [
                "2 partitions in state: Source has data: true, Source group: Stable, Target has data: false, \
                 Target group: Dead, ok: false, Blocking component: REPLICATION, Message: x",
                "1 partitions in state: Source has data: true, Source group: Stable, Target has data: false, \
                 Target group: Dead, ok: true, Blocking component: null, Message: Successfully synced, operating \
                 normally",
            ]
        );
    }

    #[test]
    fn json_has_the_same_fields() {
        let mut out = Vec::new();
        write_json(&[row("a", SUCCESS, true)], None, &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let r = &v["rows"][0];
        assert_eq!(r["cluster_pair"], "a->b");
        assert_eq!(r["target_group_offset"], serde_json::Value::Null);
        assert_eq!(r["blocking_component"], serde_json::Value::Null);
        assert_eq!(r.as_object().unwrap().len(), 23);
    }
}
