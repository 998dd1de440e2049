//! Subcommand drivers of the binary: each turns its parsed arguments into library calls,
//! prints results and maps errors to exit codes. One file per subcommand.

pub mod discover;
pub mod generate;
pub mod inspect;
pub mod plan;
pub mod rehearse;
pub mod report;
