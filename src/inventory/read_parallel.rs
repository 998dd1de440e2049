//! Parsing a large inventory on all cores.
//!
//! Topics are the bulk of an inventory. To parse them in parallel, their boundaries must be
//! known, which takes one pass over the document (the outline: every topic kept as raw JSON
//! text). While the outline is read, a second thread already parses topics from the front of
//! the list; when the outline is done, the topics it has not reached are split over all cores.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::model::Inventory;

/// Parses an inventory, its topics on all cores. Positions in its errors are relative to one
/// topic; the caller parses again in one piece for a diagnostic.
pub(super) fn parse_on_all_cores<T: DeserializeOwned + Send>(
    bytes: &[u8],
) -> Result<Inventory<T>, serde_json::Error> {
    let outline_done = AtomicBool::new(false);
    let (outline, front) = std::thread::scope(|scope| {
        let front = scope.spawn(|| parse_front::<T>(bytes, &outline_done));
        let outline = serde_json::from_slice::<Inventory<&RawValue>>(bytes);
        outline_done.store(true, Ordering::Relaxed);
        let front = front
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (outline, front)
    });
    let outline = outline?;
    let mut topics = front?;
    if topics.len() > outline.topics.len() {
        // Cannot happen for one document read twice; refuse rather than guess.
        return Err(serde::de::Error::custom("the topics were read twice differently"));
    }
    let rest = &outline.topics[topics.len()..];
    let parts = crate::parallel::chunks_on_all_cores(rest, |raw| {
        raw.iter()
            .map(|topic| serde_json::from_str::<T>(topic.get()))
            .collect::<Result<Vec<_>, _>>()
    });
    topics.reserve(rest.len());
    for part in parts {
        topics.extend(part?);
    }
    Ok(outline.with_topics(topics))
}

/// Parses topics from the front of the `topics` list until `stop` is set or the list ends, and
/// returns them.
///
/// The reader leaves the document once it has what it came for, which the JSON reader reports
/// as an error; that error is expected and dropped. Any error before is returned.
fn parse_front<T: DeserializeOwned>(bytes: &[u8], stop: &AtomicBool) -> Result<Vec<T>, serde_json::Error> {
    let mut topics = Vec::new();
    let mut list_ended = false;
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let read = FrontOfTopics {
        topics: &mut topics,
        list_ended: &mut list_ended,
        stop,
    }
    .deserialize(&mut reader);
    match read {
        Err(err) if !list_ended && !stop.load(Ordering::Relaxed) => Err(err),
        _ => Ok(topics),
    }
}

/// Finds the top-level `topics` list and parses its elements into `topics` until `stop`.
struct FrontOfTopics<'a, T> {
    topics: &'a mut Vec<T>,
    list_ended: &'a mut bool,
    stop: &'a AtomicBool,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for FrontOfTopics<'_, T> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for FrontOfTopics<'_, T> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an inventory")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "topics" {
                return map.next_value_seed(TopicList {
                    topics: self.topics,
                    list_ended: self.list_ended,
                    stop: self.stop,
                });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// The elements of the `topics` list, parsed until `stop`; `list_ended` tells all were.
struct TopicList<'a, T> {
    topics: &'a mut Vec<T>,
    list_ended: &'a mut bool,
    stop: &'a AtomicBool,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for TopicList<'_, T> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for TopicList<'_, T> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of topics")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while !self.stop.load(Ordering::Relaxed) {
            match seq.next_element::<T>()? {
                Some(topic) => self.topics.push(topic),
                None => {
                    *self.list_ended = true;
                    break;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Topic, TopicSummary};
    use std::path::Path;

    fn example() -> Vec<u8> {
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/inventory.json")).unwrap()
    }

    #[test]
    fn topics_parsed_on_all_cores_equal_one_pass() {
        let bytes = example();
        let one_pass: Inventory = serde_json::from_slice(&bytes).unwrap();
        assert!(
            one_pass.topics.len() > 2,
            "the example has topics for every thread"
        );
        assert_eq!(parse_on_all_cores::<Topic>(&bytes).unwrap(), one_pass);
        let summaries: Inventory<TopicSummary> = parse_on_all_cores(&bytes).unwrap();
        assert_eq!(summaries, one_pass.summarized());
    }

    #[test]
    fn the_front_reader_stops_where_told_and_reads_all_when_not() {
        let bytes = example();
        let one_pass: Inventory = serde_json::from_slice(&bytes).unwrap();
        let all = parse_front::<Topic>(&bytes, &AtomicBool::new(false)).unwrap();
        assert_eq!(all, one_pass.topics);
        let none = parse_front::<Topic>(&bytes, &AtomicBool::new(true)).unwrap();
        assert!(none.is_empty());
    }

    #[test]
    fn an_error_before_the_stop_is_reported() {
        let text = String::from_utf8(example()).unwrap();
        let at = text.find("\"leader\": ").expect("a leader");
        let broken = format!("{}\"leader\": \"one\", \"x\": {}", &text[..at], &text[at + 10..]);
        assert!(parse_front::<Topic>(broken.as_bytes(), &AtomicBool::new(false)).is_err());
        assert!(parse_on_all_cores::<TopicSummary>(broken.as_bytes()).is_err());
    }
}
