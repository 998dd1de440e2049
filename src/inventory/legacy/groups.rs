//! `kafka-consumer-groups` output: `--list` (one id a line), `--describe --all-groups`
//! (offsets), `--describe --all-groups --state` and `--members`. Tables come in blocks, one per
//! group, each with its own header whose columns are padded to that block's widest cell; cells
//! may be blank. The tool's notes (`Consumer group 'x' has no active members.`,
//! `Error: Consumer group 'x' does not exist.`) may be interleaved.

use std::collections::BTreeMap;

use super::LegacyError;
use crate::inventory::model::{CommittedOffset, ConsumerGroup, Member, Topic, TopicPartition};

/// What one file says about groups.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Groups by id.
    pub groups: BTreeMap<String, ConsumerGroup>,
    /// `(topic, partition) → log end offset` as the offsets table printed it.
    pub log_end_offsets: BTreeMap<(String, i32), i64>,
    /// Groups the tool said do not exist, with its words.
    pub missing: Vec<(String, String)>,
}

impl Parsed {
    /// Merges these facts into `groups` (filling what is unknown there) and log end offsets
    /// into `topics`.
    pub fn merge_into(&self, groups: &mut BTreeMap<String, ConsumerGroup>, topics: &mut [Topic]) {
        for (id, g) in &self.groups {
            let target = groups.entry(id.clone()).or_insert_with(|| ConsumerGroup {
                id: id.clone(),
                ..ConsumerGroup::default()
            });
            if target.state.is_none() {
                target.state.clone_from(&g.state);
            }
            if target.assignment_strategy.is_none() {
                target.assignment_strategy.clone_from(&g.assignment_strategy);
            }
            if target.coordinator.is_none() {
                target.coordinator = g.coordinator;
            }
            if (target.members.is_none() || target.members.as_ref().is_some_and(Vec::is_empty))
                && g.members.is_some()
            {
                target.members.clone_from(&g.members);
            }
            if target.offsets.is_none() {
                target.offsets.clone_from(&g.offsets);
            }
        }
        for topic in topics {
            for p in &mut topic.partitions {
                if let Some(end) = self.log_end_offsets.get(&(topic.name.clone(), p.partition)) {
                    p.latest_offset = Some(*end);
                }
            }
        }
    }
}

/// Parses any of the group outputs.
pub fn parse(_file: &str, text: &str) -> Result<Parsed, LegacyError> {
    let mut parsed = Parsed::default();
    let mut header: Option<Vec<(String, usize)>> = None;
    let has_table = text.lines().any(|l| l.starts_with("GROUP ") || l == "GROUP");
    for line in text.lines() {
        if let Some(id) = note(line, "has no active members.") {
            let g = group(&mut parsed.groups, &id);
            if g.members.is_none() {
                g.members = Some(Vec::new());
            }
            continue;
        }
        if let Some(id) = note(line, "does not exist.") {
            parsed.missing.push((id, line.trim().to_owned()));
            continue;
        }
        if line.trim().is_empty() {
            header = None;
            continue;
        }
        if !has_table {
            // `--list`: one group id a line.
            let id = line.trim();
            if !id.contains(char::is_whitespace) {
                group(&mut parsed.groups, id);
            }
            continue;
        }
        if line.starts_with("GROUP") {
            header = Some(columns(line));
            continue;
        }
        let Some(cols) = &header else { continue };
        let row = cells(line, cols);
        let get = |name: &str| row.get(name).copied().flatten();
        let Some(id) = get("GROUP") else { continue };
        let g = group(&mut parsed.groups, id);
        if let Some(state) = get("STATE") {
            g.state = Some(state.to_owned());
        }
        if row.contains_key("ASSIGNMENT-STRATEGY") {
            g.assignment_strategy = get("ASSIGNMENT-STRATEGY").map(str::to_owned);
        }
        if let Some(coordinator) = get("COORDINATOR (ID)") {
            g.coordinator = coordinator
                .rsplit_once('(')
                .and_then(|(_, id)| id.trim_end_matches(')').trim().parse().ok());
        }
        if let Some(members) = get("#MEMBERS").and_then(|m| m.parse::<usize>().ok()) {
            if members == 0 {
                g.members = Some(Vec::new());
            }
        }
        let topic = get("TOPIC");
        let partition = get("PARTITION").and_then(|p| p.parse::<i32>().ok());
        if let (Some(topic), Some(partition)) = (topic, partition) {
            if let Some(offset) = get("CURRENT-OFFSET").and_then(|o| o.parse().ok()) {
                g.offsets.get_or_insert_with(Vec::new).push(CommittedOffset {
                    topic: topic.to_owned(),
                    partition,
                    offset,
                });
            } else if row.contains_key("CURRENT-OFFSET") {
                g.offsets.get_or_insert_with(Vec::new);
            }
            if let Some(end) = get("LOG-END-OFFSET").and_then(|o| o.parse().ok()) {
                parsed.log_end_offsets.insert((topic.to_owned(), partition), end);
            }
        }
        if let Some(member_id) = get("CONSUMER-ID") {
            let members = g.members.get_or_insert_with(Vec::new);
            let index = match members.iter().position(|m| m.member_id == member_id) {
                Some(i) => i,
                None => {
                    members.push(Member {
                        member_id: member_id.to_owned(),
                        client_id: get("CLIENT-ID").map(str::to_owned),
                        host: get("HOST").map(str::to_owned),
                        assignment: Vec::new(),
                    });
                    members.len() - 1
                }
            };
            if let (Some(topic), Some(partition)) = (topic, partition) {
                members[index].assignment.push(TopicPartition {
                    topic: topic.to_owned(),
                    partition,
                });
            }
        } else if row.contains_key("CONSUMER-ID") && g.members.is_none() {
            // Rows of a group whose partitions no member holds.
            g.members = Some(Vec::new());
        }
    }
    for g in parsed.groups.values_mut() {
        if let Some(o) = &mut g.offsets {
            o.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
        }
        if let Some(members) = &mut g.members {
            members.sort_by(|a, b| a.member_id.cmp(&b.member_id));
            for m in members {
                m.assignment.sort();
            }
        }
    }
    Ok(parsed)
}

fn group<'a>(groups: &'a mut BTreeMap<String, ConsumerGroup>, id: &str) -> &'a mut ConsumerGroup {
    groups.entry(id.to_owned()).or_insert_with(|| ConsumerGroup {
        id: id.to_owned(),
        ..ConsumerGroup::default()
    })
}

/// `Consumer group 'x' <tail>` (optionally after `Error: ` or `Warning: `) → `x`.
fn note(line: &str, tail: &str) -> Option<String> {
    let line = line.trim();
    let at = line.find("Consumer group '")?;
    let rest = line[at + "Consumer group '".len()..]
        .strip_suffix(tail)?
        .trim_end();
    Some(rest.strip_suffix('\'')?.to_owned())
}

/// Column names and their start positions (in characters); `COORDINATOR (ID)` is one column.
fn columns(header: &str) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    let chars: Vec<char> = header.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i] != ' ' {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        match out.last_mut() {
            Some((last, _)) if word == "(ID)" => {
                last.push_str(" (ID)");
            }
            _ => out.push((word, start)),
        }
    }
    out
}

/// The cells of a row by column name; blank and `-` cells are `None`.
fn cells<'a>(line: &'a str, cols: &[(String, usize)]) -> BTreeMap<String, Option<&'a str>> {
    let offsets: Vec<usize> = line.char_indices().map(|(b, _)| b).chain([line.len()]).collect();
    let byte = |char_index: usize| offsets[char_index.min(offsets.len() - 1)];
    let mut out = BTreeMap::new();
    for (i, (name, start)) in cols.iter().enumerate() {
        let end = cols.get(i + 1).map(|(_, s)| byte(*s)).unwrap_or(line.len());
        let cell = line.get(byte(*start)..end).unwrap_or("").trim();
        out.insert(name.clone(), Some(cell).filter(|c| !c.is_empty() && *c != "-"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFSETS: &str = "\nConsumer group 'g-idle' has no active members.\n\nGROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID\ng-idle          payments        1          0               148             148             -               -               -\ng-idle          payments        2          120             152             32              -               -               -\n\nGROUP                  TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID                                   HOST            CLIENT-ID\ng-live-with-long-name  events-2024     0          50              50              0               console-consumer-1a2b-4c5d-8e9f-000000000001  /127.0.0.1      console-consumer\ng-live-with-long-name  events-2024     1          -               7               -               console-consumer-1a2b-4c5d-8e9f-000000000001  /127.0.0.1      \nError: Consumer group 'gone' does not exist.\n";

    const STATE: &str = "\nGROUP           COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE                #MEMBERS\ng-idle          127.0.0.1:39412  (1)                           Empty                0\n\nGROUP                  COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE                #MEMBERS\ng-live-with-long-name  127.0.0.1:39412  (1)      range                Stable               1\n";

    #[test]
    fn offsets_blocks_with_blank_cells() {
        let p = parse("f", OFFSETS).unwrap();
        let idle = &p.groups["g-idle"];
        assert_eq!(idle.members, Some(vec![]));
        let o = idle.offsets.as_ref().unwrap();
        assert_eq!((o[1].partition, o[1].offset), (2, 120));
        let live = &p.groups["g-live-with-long-name"];
        assert_eq!(
            live.offsets.as_ref().unwrap().len(),
            1,
            "`-` is no committed offset"
        );
        let m = &live.members.as_ref().unwrap()[0];
        assert_eq!(m.client_id.as_deref(), Some("console-consumer"));
        assert_eq!(m.assignment.len(), 2);
        assert_eq!(p.log_end_offsets[&("events-2024".to_string(), 1)], 7);
        assert_eq!(p.missing[0].0, "gone");
    }

    #[test]
    fn state_blocks() {
        let p = parse("f", STATE).unwrap();
        let idle = &p.groups["g-idle"];
        assert_eq!(idle.state.as_deref(), Some("Empty"));
        assert_eq!(idle.assignment_strategy, None);
        assert_eq!(idle.coordinator, Some(1));
        let live = &p.groups["g-live-with-long-name"];
        assert_eq!(live.assignment_strategy.as_deref(), Some("range"));
        assert_eq!(live.state.as_deref(), Some("Stable"));
    }

    #[test]
    fn list_output() {
        let p = parse("f", "a\nb-1\n").unwrap();
        assert_eq!(p.groups.keys().collect::<Vec<_>>(), ["a", "b-1"]);
    }
}
