//! diskless-migrator: moves Apache Kafka topics onto Aiven for Apache Kafka diskless topics.
//!
//! The crate is laid out like a compiler (see `ARCHITECTURE.md`):
//!
//! * front ends turn a source cluster (or the text files of older discovery scripts) into one
//!   intermediate form, the [`inventory`];
//! * the middle decides everything about the migration (`plan`);
//! * back ends only render those decisions ([`generate`]);
//! * `inspect` validates consumer-group offsets on live clusters before cutover;
//! * [`rehearse`] runs the migration against a stand-in destination, end to end.
//!
//! Nothing below `main.rs` knows about the command line.

// Diagnostics carry their source text for miette, which makes error values large; they are
// returned once per command, so boxing them buys nothing.
#![allow(clippy::result_large_err)]
// The library never prints: every line a user sees goes out through the binary's `cli/`
// drivers (results on stdout, diagnostics on stderr), or through `tracing`.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod exit;
pub mod generate;
pub mod inspect;
pub mod inventory;
pub mod kafka;
pub mod output;
pub mod parallel;
pub mod plan;
pub mod rehearse;
pub mod snippet;
pub mod units;

#[cfg(test)]
mod hostile_input_tests;
