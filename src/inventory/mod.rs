//! The inventory: every fact discovery knows about a source cluster, in one versioned,
//! documented JSON format (`inventory.json`).
//!
//! The inventory holds facts only, never decisions. A fact that could not be obtained is
//! explicit: an `Option` that is `null`, and for facts that were looked for and refused (a
//! missing permission, an unsupported request) an entry in [`Inventory::gaps`] that says why.
//! Nothing is invented: a field that the source did not carry stays `null`.
//!
//! Collections are sorted (topics by name, partitions by number, groups by id) so the same
//! cluster gives the same bytes, and a diff of two inventories reads as a diff of facts.

pub mod discover;
pub mod legacy;
mod model;
pub(crate) mod read;
mod read_parallel;
mod topic_summary;

pub use model::*;
pub use read::{InventoryError, read_inventory};
pub use topic_summary::{PartitionTotals, TopicSummary};
