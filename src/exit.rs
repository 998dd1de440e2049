//! Process exit codes, shared by every subcommand and documented in `--help` and the README.

use std::process::ExitCode;

/// The documented exit codes of `diskless-migrator`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// 0: the command did what was asked and found nothing wrong.
    Ok,
    /// 1: the command ran, and reports findings (offsets not synced, a plan with errors, a
    /// stale generated folder).
    Findings,
    /// 2: bad usage or bad input (a malformed file, a missing flag, an unwritable directory).
    Usage,
    /// 3: a cluster could not be reached, or authentication failed.
    Cluster,
    /// 130: stopped by SIGINT or SIGTERM (`rehearse`, after stopping MirrorMaker 2 and deleting
    /// the topics it created unless `--keep`).
    Interrupted,
}

impl Exit {
    /// The numeric code the process exits with.
    pub fn code(self) -> u8 {
        match self {
            Exit::Ok => 0,
            Exit::Findings => 1,
            Exit::Usage => 2,
            Exit::Cluster => 3,
            Exit::Interrupted => 130,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit.code())
    }
}

/// The exit-code table as printed at the end of `--help`.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  ok
  1  findings: offsets not synced, plan has errors, generated folder is stale
  2  usage or input error: bad flag, malformed file, unwritable output
  3  a cluster cannot be reached, or authentication failed
  130  rehearse: interrupted (Ctrl-C, SIGTERM) after stopping MirrorMaker 2 and cleaning up";
