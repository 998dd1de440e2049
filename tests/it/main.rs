//! The integration tests: one test binary (one link on a slow machine instead of one per file),
//! with a module per area. `support` is the test bed (real Kafka clusters and MirrorMaker 2),
//! `generate_support` and `terraform_support` serve the generate and Terraform tests.
//!
//! Run one area with a filter on its module: `cargo test --test it discover_faults::`.

mod generate_support;
mod support;
mod terraform_support;

mod access;
mod cli_snapshots;
mod cutover_bench;
mod discover;
mod discover_bad_input;
mod discover_faults;
mod discover_transactions;
mod e2e_migration;
mod generate;
mod generate_cli;
mod generate_dump;
mod generate_schema;
mod generate_terraform;
mod inspect_bench;
mod inspect_cli;
mod inspect_faults;
mod inspect_mm2;
mod plan_cli;
mod rehearse_cli;
mod report;
mod report_browser;
mod schemas;
mod testbed_cost;
mod testbed_kafka;
mod testbed_terraform;
