//! Child processes of the test bed. Each one runs in its own process group, is recorded as
//! `$DM_TESTBED_DIR/pids/<pid>` while it may be alive, and is stopped (SIGTERM to the group,
//! SIGKILL after a grace period) when its handle is dropped, also while a test panics. When
//! dropped during a panic, the handle first prints the tail of its log files.

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How long a process gets to exit after SIGTERM before it is killed.
pub const STOP_GRACE: Duration = Duration::from_secs(10);

/// Lines of each log file printed when a test fails.
const TAIL_LINES: usize = 80;

/// A running child process owned by a test.
pub struct ManagedProcess {
    name: String,
    child: Child,
    pid_file: PathBuf,
    logs: Vec<PathBuf>,
    exit: Option<ExitStatus>,
}

impl ManagedProcess {
    /// Starts `cmd` in its own process group, with standard output and error going to
    /// `<log_dir>/<name>.out`; `logs` are the other log files worth printing on failure.
    pub fn spawn(name: &str, mut cmd: Command, log_dir: &Path, logs: Vec<PathBuf>) -> ManagedProcess {
        let out_path = log_dir.join(format!("{name}.out"));
        let out = File::create(&out_path).expect("create the process output file");
        let err = out.try_clone().expect("clone the process output file");
        cmd.stdin(Stdio::null()).stdout(out).stderr(err).process_group(0);
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name} ({cmd:?}): {e}"));
        let pids = super::pids_dir();
        std::fs::create_dir_all(&pids).expect("create the pids folder");
        let pid_file = pids.join(child.id().to_string());
        std::fs::write(&pid_file, format!("{name} {}\n", log_dir.display())).expect("write the pid file");
        let mut all_logs = logs;
        all_logs.push(out_path);
        ManagedProcess {
            name: name.to_owned(),
            child,
            pid_file,
            logs: all_logs,
            exit: None,
        }
    }

    /// The operating system's process id (also the process group id).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The exit status if the process has ended, without waiting.
    pub fn exit_status(&mut self) -> Option<ExitStatus> {
        if self.exit.is_none() {
            self.exit = self.child.try_wait().expect("query the child process");
        }
        self.exit
    }

    /// Panics, printing the log tails, if the process has already ended.
    pub fn assert_running(&mut self) {
        if let Some(status) = self.exit_status() {
            self.print_log_tails();
            panic!(
                "{} exited unexpectedly ({status}); its logs are above. Their first errors:\n{}",
                self.name,
                self.first_errors(5)
            );
        }
    }

    /// The first `count` lines of its logs that report an error, for a panic message that
    /// names the cause even where only the end of a test's output is shown.
    fn first_errors(&self, count: usize) -> String {
        let lines: Vec<String> = self
            .logs
            .iter()
            .filter_map(|log| std::fs::read_to_string(log).ok())
            .flat_map(|text| {
                text.lines()
                    .filter(|line| {
                        line.contains(" ERROR ") || line.contains("FATAL") || line.contains("Exception")
                    })
                    .map(|line| line.chars().take(400).collect::<String>())
                    .collect::<Vec<_>>()
            })
            .take(count)
            .collect();
        if lines.is_empty() {
            "(none)".to_owned()
        } else {
            lines.join("\n")
        }
    }

    /// Prints the last lines of each log file to standard error.
    pub fn print_log_tails(&self) {
        for log in &self.logs {
            eprintln!(
                "----- {} : last {TAIL_LINES} lines of {} -----",
                self.name,
                log.display()
            );
            eprintln!("{}", super::tail(log, TAIL_LINES));
        }
        eprintln!("----- end of {} logs -----", self.name);
    }

    /// Kills the process group at once (SIGKILL), as a crash or power loss would, and waits
    /// for the process. Idempotent.
    pub fn kill(&mut self) {
        if self.exit_status().is_none() {
            signal_group(self.pid(), libc::SIGKILL);
            self.exit = Some(self.child.wait().expect("wait for the killed process"));
        }
        let _ = std::fs::remove_file(&self.pid_file);
    }

    /// Stops the process group: SIGTERM, then SIGKILL after [`STOP_GRACE`]. Idempotent.
    pub fn stop(&mut self) {
        if self.exit_status().is_none() {
            signal_group(self.pid(), libc::SIGTERM);
            let deadline = Instant::now() + STOP_GRACE;
            while self.exit_status().is_none() && Instant::now() < deadline {
                thread::sleep(Duration::from_millis(50));
            }
            if self.exit_status().is_none() {
                eprintln!(
                    "testbed: {} (pid {}) ignored SIGTERM, killing it",
                    self.name,
                    self.pid()
                );
                signal_group(self.pid(), libc::SIGKILL);
                self.exit = Some(self.child.wait().expect("wait for the killed process"));
            }
        }
        let _ = std::fs::remove_file(&self.pid_file);
    }
}

impl Drop for ManagedProcess {
    fn drop(&mut self) {
        if thread::panicking() {
            self.print_log_tails();
        }
        self.stop();
    }
}

/// Sends `signal` to the process group led by `pid` (never to anything found by name).
fn signal_group(pid: u32, signal: libc::c_int) {
    let pgid = libc::pid_t::try_from(pid).expect("pid fits pid_t");
    // SAFETY: kill(2) has no memory-safety preconditions; a negative pid names a group.
    unsafe {
        libc::kill(-pgid, signal);
    }
}
