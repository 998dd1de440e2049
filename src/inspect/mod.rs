//! `inspect`: checks that MirrorMaker 2 has synced consumer-group offsets from source to target
//! clusters, as Aiven's Java offset-sync inspector does, with its defects fixed.
//!
//! Data flow: [`mm2_config`] resolves `mm2.properties` into pairs and client settings;
//! `collect` gathers facts from both clusters and the offset-syncs topic (batched, concurrent);
//! [`compare`] applies the decision table to produce rows; [`report`] writes them.

pub mod compare;
pub mod mm2_config;
pub mod offset_syncs;
pub mod replication_policy;
pub mod report;
