//! Progress of `inspect --watch`: after each round, rows OK out of all, the rows still held per
//! [`HoldCause`], and an estimate of when the gate opens from the rate rows turned OK so far.
//!
//! On a terminal it is a progress bar (`indicatif`) on standard error; in a pipe, one JSON
//! object per line on standard error, so a pipeline can follow it:
//!
//! ```text
//! {"round":3,"elapsed_seconds":21.4,"rows":400,"ok":388,"held":{"sync_pending":12},"eta_seconds":7}
//! ```
//!
//! A failed round is `{"round":4,"elapsed_seconds":…,"error":"…"}`. When the wait ends with
//! the gate shut, [`Progress::held_summary`] names the cause that held most rows and what to do.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::inspect::Inspection;
use crate::inspect::compare::HoldCause;

/// How progress is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A progress bar on standard error (a terminal).
    Bar,
    /// One JSON object per round on standard error.
    Json,
    /// Nothing.
    Off,
}

/// Rows held per cause.
pub type Held = BTreeMap<HoldCause, usize>;

/// Counts the rows of `inspection` that hold the gate, per cause.
pub fn held(inspection: &Inspection) -> Held {
    let mut held = Held::new();
    for row in &inspection.rows {
        if let Some(cause) = row.hold {
            *held.entry(cause).or_default() += 1;
        }
    }
    held
}

/// One round as a JSON line.
#[derive(Serialize)]
struct Line<'a> {
    round: u64,
    elapsed_seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    rows: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ok: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    held: Option<BTreeMap<&'static str, usize>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    eta_seconds: Option<Option<u64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

/// The progress of one watch.
pub struct Progress {
    mode: Mode,
    bar: Option<ProgressBar>,
    started: Instant,
    round: u64,
    /// OK rows and time of the first successful round: the base of the rate.
    first: Option<(Instant, usize)>,
    /// Rows held per cause in the latest successful round.
    last_held: Held,
}

impl Progress {
    /// Starts showing progress in `mode`.
    pub fn new(mode: Mode) -> Progress {
        let bar = (mode == Mode::Bar).then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {pos}/{len} rows OK  {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar
        });
        Progress {
            mode,
            bar,
            started: Instant::now(),
            round: 0,
            first: None,
            last_held: Held::new(),
        }
    }

    /// Shows a successful round.
    pub fn round(&mut self, inspection: &Inspection) {
        self.round += 1;
        let now = Instant::now();
        let rows = inspection.rows.len();
        let ok = inspection.rows.iter().filter(|r| r.is_ok).count();
        let held = held(inspection);
        let first = *self.first.get_or_insert((now, ok));
        let eta = eta(first, (now, ok), rows);
        match self.mode {
            Mode::Off => {}
            Mode::Json => self.json(&Line {
                round: self.round,
                elapsed_seconds: self.elapsed(),
                rows: Some(rows),
                ok: Some(ok),
                held: Some(held.iter().map(|(c, n)| (c.as_str(), *n)).collect()),
                eta_seconds: Some(eta.map(|d| d.as_secs())),
                error: None,
            }),
            Mode::Bar => {
                if let Some(bar) = &self.bar {
                    bar.set_length(rows as u64);
                    bar.set_position(ok as u64);
                    let causes: Vec<String> =
                        held.iter().map(|(c, n)| format!("{n} {}", c.as_str())).collect();
                    let eta = eta.map_or("open in: unknown".to_owned(), |d| {
                        format!("open in ~{}", crate::units::duration(d.as_secs()))
                    });
                    bar.set_message(if causes.is_empty() {
                        "all OK".to_owned()
                    } else {
                        format!("held: {}; {eta}", causes.join(", "))
                    });
                }
            }
        }
        self.last_held = held;
    }

    /// Shows a round that could not read the facts.
    pub fn failed_round(&mut self, error: &str) {
        self.round += 1;
        match self.mode {
            Mode::Off => {}
            Mode::Json => self.json(&Line {
                round: self.round,
                elapsed_seconds: self.elapsed(),
                rows: None,
                ok: None,
                held: None,
                eta_seconds: None,
                error: Some(error),
            }),
            Mode::Bar => {
                if let Some(bar) = &self.bar {
                    bar.set_message(format!(
                        "round failed: {}",
                        crate::inspect::report::one_line(error)
                    ));
                }
            }
        }
    }

    /// Ends the bar (the text around it is printed by the caller).
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.abandon();
        }
    }

    /// When the gate stayed shut: the rows held per cause in the last round, largest first,
    /// each with what to do. Empty when nothing was held.
    pub fn held_summary(&self) -> Vec<String> {
        let mut causes: Vec<(HoldCause, usize)> = self.last_held.iter().map(|(c, n)| (*c, *n)).collect();
        causes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        causes
            .into_iter()
            .map(|(cause, n)| format!("{n} row(s) held by {}: {}", cause.as_str(), cause.advice()))
            .collect()
    }

    fn elapsed(&self) -> f64 {
        (self.started.elapsed().as_millis() as f64 / 100.0).round() / 10.0
    }

    fn json(&self, line: &Line<'_>) {
        if let Ok(text) = serde_json::to_string(line) {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "{text}");
            let _ = err.flush();
        }
    }
}

/// Time until every row is OK at the rate rows turned OK between `first` and `now`; `None`
/// while no row has turned OK (no rate to go by).
fn eta(first: (Instant, usize), now: (Instant, usize), rows: usize) -> Option<Duration> {
    let gained = now.1.checked_sub(first.1).filter(|g| *g > 0)?;
    let seconds = now.0.duration_since(first.0).as_secs_f64();
    if seconds <= 0.0 {
        return None;
    }
    let left = rows.saturating_sub(now.1) as f64;
    Some(Duration::from_secs_f64(left * seconds / gained as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eta_from_the_observed_rate() {
        let t0 = Instant::now();
        let t1 = t0 + Duration::from_secs(10);
        assert_eq!(eta((t0, 0), (t1, 0), 100), None);
        assert_eq!(eta((t0, 10), (t1, 60), 100), Some(Duration::from_secs(8)));
        assert_eq!(eta((t0, 10), (t1, 100), 100), Some(Duration::ZERO));
    }
}
