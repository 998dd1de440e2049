//! One output row (the 21 columns plus two of this tool's), its blocking component, and the
//! output order.

use std::sync::Arc;

use serde::Serialize;

use super::HoldCause;

/// A text cell of a row, shared between the rows that hold the same text (a group's name, its
/// pair, a state, a message): at 10,000 groups a copy per row would dominate the memory.
pub type Text = Arc<str>;

/// The BLOCKING COMPONENT column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Component {
    /// `SOURCE PARTITION`
    #[serde(rename = "SOURCE PARTITION")]
    SourcePartition,
    /// `REPLICATION`
    #[serde(rename = "REPLICATION")]
    Replication,
    /// `SOURCE GROUP`
    #[serde(rename = "SOURCE GROUP")]
    SourceGroup,
    /// `TARGET GROUP` (not in the reference tool)
    #[serde(rename = "TARGET GROUP")]
    TargetGroup,
    /// `MM2 CONFIG` (not in the reference tool)
    #[serde(rename = "MM2 CONFIG")]
    Mm2Config,
    /// `TARGET PARTITION` (not in the reference tool)
    #[serde(rename = "TARGET PARTITION")]
    TargetPartition,
}

impl Component {
    /// The column text.
    pub fn as_str(self) -> &'static str {
        match self {
            Component::SourcePartition => "SOURCE PARTITION",
            Component::Replication => "REPLICATION",
            Component::SourceGroup => "SOURCE GROUP",
            Component::TargetGroup => "TARGET GROUP",
            Component::Mm2Config => "MM2 CONFIG",
            Component::TargetPartition => "TARGET PARTITION",
        }
    }
}

/// One output row: the 21 columns, plus the target topic and MM2's expected target offset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    /// CLUSTER PAIR
    pub cluster_pair: Text,
    /// TOPIC (source name; `-` for a group-level error)
    pub topic: Text,
    /// PARTITION
    pub partition: Option<i32>,
    /// GROUP
    pub group: Text,
    /// SOURCE TOPIC EARLIEST OFFSET
    pub source_topic_earliest_offset: Option<i64>,
    /// SOURCE TOPIC LATEST OFFSET
    pub source_topic_latest_offset: Option<i64>,
    /// SOURCE GROUP STATE
    pub source_group_state: Text,
    /// SOURCE GROUP OFFSET
    pub source_group_offset: Option<i64>,
    /// SOURCE GROUP LAG
    pub source_group_lag: Option<i64>,
    /// TARGET TOPIC EARLIEST OFFSET
    pub target_topic_earliest_offset: Option<i64>,
    /// TARGET TOPIC LATEST OFFSET
    pub target_topic_latest_offset: Option<i64>,
    /// TARGET GROUP STATE
    pub target_group_state: Text,
    /// TARGET GROUP OFFSET
    pub target_group_offset: Option<i64>,
    /// TARGET GROUP LAG
    pub target_group_lag: Option<i64>,
    /// TARGET GROUP LAG TO SOURCE
    pub target_group_lag_to_source: Option<i64>,
    /// SOURCE HAS DATA
    pub source_has_data: bool,
    /// SOURCE GROUP VALID
    pub source_group_valid: bool,
    /// TARGET HAS DATA
    pub target_has_data: bool,
    /// IS OK
    pub is_ok: bool,
    /// BLOCKING COMPONENT
    pub blocking_component: Option<Component>,
    /// MESSAGE
    pub message: Text,
    /// The target topic name the replication policy gives (JSON only).
    pub target_topic: Option<Text>,
    /// MM2's translation of the source group offset, when known (JSON only).
    pub expected_target_offset: Option<i64>,
    /// Why the row holds the cutover gate (`None` when OK); read from its verdict, shown by
    /// progress and summaries, not a column.
    #[serde(skip)]
    pub hold: Option<HoldCause>,
}

impl Row {
    /// The sort key: pair, group (case-insensitive, then exact), topic (likewise), partition.
    pub fn sort_key(&self) -> (&str, String, &str, String, &str, Option<i32>) {
        (
            &self.cluster_pair,
            self.group.to_lowercase(),
            &self.group,
            self.topic.to_lowercase(),
            &self.topic,
            self.partition,
        )
    }
}

/// Sorts rows into the documented order.
pub fn sort_rows(rows: &mut [Row]) {
    // (pair, group, topic, partition) is unique per row, so an unstable sort gives the same
    // order as a stable one, without its buffer of half the rows.
    rows.sort_unstable_by(compare_rows);
}

/// The output order of [`Row::sort_key`], compared without building the keys: case-insensitive
/// group and topic names, then exact ones, then the partition.
fn compare_rows(a: &Row, b: &Row) -> std::cmp::Ordering {
    let folded = |s: &str| s.chars().flat_map(char::to_lowercase).collect::<Vec<char>>();
    let insensitive = |x: &str, y: &str| {
        if x.is_ascii() && y.is_ascii() {
            x.bytes()
                .map(|c| c.to_ascii_lowercase())
                .cmp(y.bytes().map(|c| c.to_ascii_lowercase()))
        } else {
            folded(x).cmp(&folded(y))
        }
    };
    a.cluster_pair
        .cmp(&b.cluster_pair)
        .then_with(|| insensitive(&a.group, &b.group))
        .then_with(|| a.group.cmp(&b.group))
        .then_with(|| insensitive(&a.topic, &b.topic))
        .then_with(|| a.topic.cmp(&b.topic))
        .then_with(|| a.partition.cmp(&b.partition))
}
