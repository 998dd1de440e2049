//! The rehearsal's gate: inspection rounds, each on its own thread so a signal or the deadline
//! ends the wait at once, until every row is OK, waiting cannot help, `--max-wait` passes,
//! MirrorMaker 2 stops or a signal arrives.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use crate::inspect::collect::{ClusterError, CollectOptions};
use crate::inspect::mm2_config::Mm2Config;
use crate::inspect::{self, Inspection, watch};

use super::*;

/// When the gate saw the copy caught up and when it decided, from the start of its first round.
/// The plan's gate-open estimate counts from the copy's catching up (producers stopped), so
/// the difference of the two is what a cutover window would have waited.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct GateTiming {
    /// The end of the first round that found every partition copied; `None` if none did.
    pub copy_caught_up: Option<Duration>,
    /// When the gate decided (opened, closed or gave up).
    pub decided: Duration,
}

/// The gate's verdict, its last inspection and its timing.
pub(super) struct GateResult {
    pub outcome: Outcome,
    pub last: Option<Inspection>,
    pub timing: GateTiming,
}

/// Runs inspection rounds until every row is OK, waiting cannot help, --max-wait passes,
/// MirrorMaker 2 stops or a signal arrives. Prints a progress line per round.
pub(super) fn gate(
    options: &Options,
    config: &Arc<Mm2Config>,
    ends: &progress::EndOffsets,
    interrupted: &AtomicBool,
    cleanup: &mut Cleanup,
    out: &mut dyn Write,
) -> GateResult {
    let started = Instant::now();
    // The end of the first round that found the copy caught up.
    let mut copy_caught_up = None;
    let deadline = started + options.max_wait;
    let mut previous: Option<Inspection> = None;
    let mut stuck_rounds = 0;
    let mut last_failed = false;
    let mut catch_up = progress::CatchUp::new(options.interval.max(Duration::from_secs(10)));
    let (outcome, last) = 'rounds: loop {
        let left = deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_secs(1));
        let round_options = CollectOptions {
            admin_timeout: options.admin_timeout.min(left),
            request_timeout: options.admin_timeout.min(left),
            include_inactive: true,
        };
        match run_round(config, round_options, deadline, interrupted) {
            Round::Interrupted => break 'rounds (Outcome::Interrupted, previous),
            Round::Late => {
                // The deadline passed inside a round: the verdict is the last round's.
                let _ = writeln!(
                    out,
                    "gate: --max-wait ({:?}) ran out during a round",
                    options.max_wait
                );
                let outcome = if last_failed || previous.is_none() {
                    Outcome::Unreachable
                } else {
                    Outcome::NotSynced
                };
                if let Some(inspection) = &previous {
                    print_not_ok(out, inspection);
                }
                break 'rounds (outcome, previous);
            }
            Round::Failed(e) => {
                let elapsed = started.elapsed().as_secs();
                last_failed = true;
                let _ = writeln!(out, "[+{elapsed}s] gate: round failed: {e}");
            }
            Round::Done(mut inspection) => {
                last_failed = false;
                if let Some(prev) = &previous {
                    inspection.carry_vanished(prev);
                }
                let not_ok = inspection.rows.iter().filter(|r| !r.is_ok).count();
                let groups = report::group_summary(&inspection.rows);
                let destination = cleanup
                    .admin
                    .as_ref()
                    .map(|a| ends.destination(a))
                    .unwrap_or_default();
                let (behind, examples) = catch_up.behind(&ends.source(), &destination);
                // The round's facts are as of its end: that is the time it reports.
                let now = started.elapsed();
                let elapsed = now.as_secs();
                if behind == 0 && copy_caught_up.is_none() {
                    copy_caught_up = Some(now);
                }
                let copy = if behind == 0 {
                    "copy caught up".to_owned()
                } else {
                    format!("copy: {behind} partition(s) behind, e.g. {}", examples.join(", "))
                };
                let _ = writeln!(
                    out,
                    "[+{elapsed}s] gate: {copy}; {} rows, {not_ok} not OK; {} of {} group(s) synced",
                    inspection.rows.len(),
                    groups.synced,
                    groups.inspected
                );
                if inspection.all_ok() && behind == 0 {
                    break 'rounds (Outcome::Ok, Some(inspection));
                }
                // Rows of groups older than every offset sync never change: once two rounds in
                // a row say only that, waiting cannot open the gate.
                let stuck = previous
                    .as_ref()
                    .filter(|_| behind == 0)
                    .and_then(|p| watch::stuck(&p.rows, &inspection.rows))
                    .map(|rows| rows.len());
                stuck_rounds = if stuck.is_some() { stuck_rounds + 1 } else { 0 };
                if let Some(rows) = stuck
                    && stuck_rounds >= 2
                {
                    let _ = writeln!(
                        out,
                        "gate: {rows} row(s) belong to stopped groups older than every offset sync MirrorMaker 2 \
                         holds; they are never translated, so waiting cannot open the gate"
                    );
                    print_not_ok(out, &inspection);
                    break 'rounds (Outcome::NotSynced, Some(inspection));
                }
                previous = Some(inspection);
            }
        }
        let _ = out.flush();
        if let Some(mm2) = cleanup.mm2.as_mut()
            && let Some(status) = mm2.exited()
        {
            let _ = writeln!(out, "MirrorMaker 2 stopped ({status}); see {}", mm2.log.display());
            break 'rounds (Outcome::NotSynced, previous);
        }
        if Instant::now() + options.interval > deadline {
            let _ = writeln!(out, "gate: --max-wait ({:?}) ran out", options.max_wait);
            if let Some(inspection) = &previous {
                print_not_ok(out, inspection);
            }
            let outcome = if last_failed {
                Outcome::Unreachable
            } else {
                Outcome::NotSynced
            };
            break 'rounds (outcome, previous);
        }
        let wake = Instant::now() + options.interval;
        while Instant::now() < wake {
            if interrupted.load(Ordering::SeqCst) {
                break 'rounds (Outcome::Interrupted, previous);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    GateResult {
        outcome,
        last,
        timing: GateTiming {
            copy_caught_up,
            decided: started.elapsed(),
        },
    }
}

/// Prints the rows that keep the gate shut (at most 20), so the reason is on screen.
fn print_not_ok(out: &mut dyn Write, inspection: &Inspection) {
    let rows: Vec<_> = inspection.rows.iter().filter(|r| !r.is_ok).collect();
    let _ = writeln!(out, "gate: {} row(s) not OK:", rows.len());
    for row in rows.iter().take(20) {
        let partition = row.partition.map_or("-".to_owned(), |p| p.to_string());
        let _ = writeln!(
            out,
            "  {} {} {}-{} ({}): {}",
            inspect::report::one_line(&row.cluster_pair),
            inspect::report::one_line(&row.group),
            inspect::report::one_line(&row.topic),
            partition,
            inspect::report::one_line(&row.source_group_state),
            inspect::report::one_line(&row.message)
        );
    }
    if rows.len() > 20 {
        let _ = writeln!(out, "  ... and {} more (see `inspect`)", rows.len() - 20);
    }
}

/// The result of one gate round.
enum Round {
    Done(Inspection),
    Failed(ClusterError),
    /// --max-wait passed while the round was still reading.
    Late,
    Interrupted,
}

/// Runs one inspection on its own thread, so a signal or the deadline ends the wait at once.
fn run_round(
    config: &Arc<Mm2Config>,
    options: CollectOptions,
    deadline: Instant,
    interrupted: &AtomicBool,
) -> Round {
    let (send, receive) = mpsc::channel();
    let shared = Arc::clone(config);
    std::thread::spawn(move || {
        let _ = send.send(inspect::inspect(&shared, options));
    });
    loop {
        if interrupted.load(Ordering::SeqCst) {
            return Round::Interrupted;
        }
        if Instant::now() >= deadline {
            return Round::Late;
        }
        match receive.recv_timeout(Duration::from_millis(100)) {
            Ok(Ok(inspection)) => return Round::Done(inspection),
            Ok(Err(e)) => return Round::Failed(e),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return Round::Late,
        }
    }
}
