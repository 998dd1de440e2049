//! `plan.json` text: pretty JSON with a final newline, the same bytes for the same plan.
//!
//! At 50,000 topics the text is tens of megabytes, most of it the topics; those are rendered on
//! all cores and spliced into the rest of the document, byte for byte what one pretty
//! `serde_json` pass would write.

use std::io::{self, Write};

use super::model::{Plan, TopicPlan};

/// Serializes a plan as `plan.json` text.
pub fn to_json(plan: &Plan) -> String {
    let mut text = serde_json::to_string_pretty(plan).expect("a plan always serializes");
    text.push('\n');
    text
}

/// Writes a plan as `plan.json` text to `out`; the same bytes as [`to_json`].
///
/// The plan's topics are lent out while the rest of the document is rendered, and put back
/// before it returns.
pub fn write_json(plan: &mut Plan, out: &mut dyn Write) -> io::Result<()> {
    let topics = std::mem::take(&mut plan.topics);
    let outline = serde_json::to_vec_pretty(&*plan);
    plan.topics = topics;
    let outline = outline?;
    // A top-level key is indented by two spaces: the only `"topics": []` at that depth.
    const EMPTY_TOPICS: &[u8] = b"\n  \"topics\": [],\n";
    let at = outline
        .windows(EMPTY_TOPICS.len())
        .position(|w| w == EMPTY_TOPICS)
        .expect("a plan has a top-level topics key");
    let chunks = crate::parallel::chunks_on_all_cores(&plan.topics, render_topics);
    out.write_all(&outline[..at])?;
    out.write_all(b"\n  \"topics\": [")?;
    let mut first = true;
    for chunk in chunks.iter().filter(|c| !c.is_empty()) {
        if !first {
            out.write_all(b",")?;
        }
        out.write_all(chunk)?;
        first = false;
    }
    out.write_all(if first { b"],\n" } else { b"\n  ],\n" })?;
    out.write_all(&outline[at + EMPTY_TOPICS.len()..])?;
    out.write_all(b"\n")
}

/// Topics as they appear inside the top-level `topics` array: each on a new line, indented by
/// four spaces, separated by commas.
fn render_topics(topics: &[TopicPlan]) -> Vec<u8> {
    let mut text = Vec::with_capacity(topics.len() * 700);
    let mut one = Vec::with_capacity(4096);
    for (i, topic) in topics.iter().enumerate() {
        one.clear();
        serde_json::to_writer_pretty(&mut one, topic).expect("writing to memory cannot fail");
        if i > 0 {
            text.push(b',');
        }
        // JSON strings never hold a raw newline, so every newline is a line break of the layout.
        for line in one.split(|&b| b == b'\n') {
            text.extend_from_slice(b"\n    ");
            text.extend_from_slice(line);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(plan: &mut Plan) -> String {
        let mut out = Vec::new();
        write_json(plan, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn spliced_topics_are_byte_for_byte_one_pass() {
        let mut plan = crate::plan::tests::crafted_plan();
        assert!(plan.topics.len() > 3, "topics for every core");
        assert!(plan.topics.iter().any(|t| !t.dropped_configs.is_empty()));
        let expected = to_json(&plan);
        assert_eq!(written(&mut plan), expected);
        assert_eq!(to_json(&plan), expected, "the topics are put back");
        plan.topics.truncate(1);
        assert_eq!(written(&mut plan), to_json(&plan));
        plan.topics.clear();
        assert_eq!(written(&mut plan), to_json(&plan));
    }
}
