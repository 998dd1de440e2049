//! `diskless-migrator inspect`: arguments and driver. The flags are those of Aiven's Java
//! offset-sync inspector, plus `--format` and `--watch`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use diskless_migrator::exit::Exit;
use diskless_migrator::inspect::collect::{ClusterError, CollectOptions};
use diskless_migrator::inspect::mm2_config::Mm2Config;
use diskless_migrator::inspect::progress::{self, Progress};
use diskless_migrator::inspect::report::{self, Format};
use diskless_migrator::inspect::{self, Inspection, parse_duration, watch};

/// Checks that MirrorMaker 2 has synced consumer-group offsets to the target cluster(s).
///
/// Reads the MM2 properties, inspects every enabled `source->target` pair with checkpoints on,
/// and prints one row per (group, partition): the 21-column CSV of Aiven's offset-sync
/// inspector (RFC 4180 quoted), or JSON, or a table. By default only rows that are not OK are
/// printed. Exit code 0 means every row is OK, 1 that some are not, 2 that the configuration is
/// wrong (no enabled flow, a flow between aliases not in `clusters`, a malformed address), 3
/// that a cluster could not be read (with --watch: the first round, or with --max-wait the
/// last round before it ran out).
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The MirrorMaker 2 properties file (mm2.properties).
    #[arg(long, value_name = "FILE")]
    mm2_config: PathBuf,

    /// Write the report here instead of standard output (created or replaced). With --watch, a
    /// round that fails replaces it with the failure, so it never looks current.
    #[arg(long, value_name = "FILE")]
    output_path: Option<PathBuf>,

    /// Report format.
    #[arg(long, value_enum, default_value_t = FormatArg::Csv)]
    format: FormatArg,

    /// Bound of every admin call, ISO-8601 (Java's default.api.timeout.ms).
    #[arg(long, value_name = "DURATION", default_value = "PT1M", value_parser = duration)]
    admin_timeout: Duration,

    /// Bound of one request, ISO-8601 (Java's request.timeout.ms); at most --admin-timeout.
    #[arg(long, value_name = "DURATION", default_value = "PT30S", value_parser = duration)]
    request_timeout: Duration,

    /// Also inspect source groups that are not active (Empty, Dead, ...).
    #[arg(long)]
    include_inactive_groups: bool,

    /// Also print rows that are OK.
    #[arg(long)]
    include_ok_groups: bool,

    /// After the report, print row counts per state to standard output.
    #[arg(long)]
    emit_summary: bool,

    /// Re-inspect every INTERVAL (ISO-8601 or 10s, 1m) and print what changed.
    #[arg(long, value_name = "INTERVAL", value_parser = duration)]
    watch: Option<Duration>,

    /// With --watch: exit 0 as soon as every row is OK (the cutover gate).
    #[arg(long, requires = "watch")]
    until_ok: bool,

    /// With --watch: stop after this long; exit 1 if rows are still not OK, 3 if the last round
    /// failed. Rounds that cannot reach a cluster (the first one too) are retried until then,
    /// and no round's calls outlast it.
    #[arg(long, value_name = "DURATION", requires = "watch", value_parser = duration)]
    max_wait: Option<Duration>,

    /// With --watch: progress after each round on standard error (rows OK, rows held per
    /// cause, estimated time to open). `auto`: a bar on a terminal, JSON lines otherwise.
    #[arg(long, value_enum, default_value_t = ProgressArg::Auto, requires = "watch")]
    progress: ProgressArg,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ProgressArg {
    /// A bar when standard error is a terminal, else JSON lines.
    Auto,
    /// A progress bar.
    Bar,
    /// One JSON object per round.
    Json,
    /// No progress.
    Off,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum FormatArg {
    /// The 21-column CSV of the Java tool, RFC 4180 quoted.
    Csv,
    /// JSON: {"rows": [...], "summary": [...]}.
    Json,
    /// An aligned table of the main columns.
    Table,
}

fn duration(text: &str) -> Result<Duration, String> {
    let d = parse_duration(text)?;
    if d.as_millis() > i32::MAX as u128 {
        return Err(format!("`{text}` is longer than {} ms", i32::MAX));
    }
    Ok(d)
}

/// Runs the command and returns the exit code.
pub fn run(args: InspectArgs) -> Exit {
    if args.admin_timeout < args.request_timeout {
        eprintln!(
            "error: --admin-timeout ({:?}) is shorter than --request-timeout ({:?}); the admin timeout bounds \
             whole calls, which may retry requests, so it must be at least the request timeout",
            args.admin_timeout, args.request_timeout
        );
        return Exit::Usage;
    }
    let config = match Mm2Config::read(&args.mm2_config) {
        Ok(config) => Arc::new(config),
        Err(e) => {
            eprintln!("{:?}", miette::Report::new(e));
            return Exit::Usage;
        }
    };
    if config.pairs.is_empty() {
        // Nothing to check is never a passing gate.
        eprintln!(
            "error: {}: no flow is enabled with `<source>-><target>.enabled = true` and checkpoints on, \
             so there is nothing to inspect; enable the flows MirrorMaker 2 runs",
            config.file
        );
        return Exit::Usage;
    }
    let options = CollectOptions {
        admin_timeout: args.admin_timeout,
        request_timeout: args.request_timeout,
        include_inactive: args.include_inactive_groups,
    };
    let format = match args.format {
        FormatArg::Csv => Format::Csv,
        FormatArg::Json => Format::Json,
        FormatArg::Table => Format::Table,
    };

    let started = Instant::now();
    let mut previous: Option<Inspection> = None;
    let mut progress = Progress::new(match (args.watch, args.progress) {
        (None, _) | (_, ProgressArg::Off) => progress::Mode::Off,
        (_, ProgressArg::Bar) => progress::Mode::Bar,
        (_, ProgressArg::Json) => progress::Mode::Json,
        (_, ProgressArg::Auto) if std::io::stderr().is_terminal() => progress::Mode::Bar,
        (_, ProgressArg::Auto) => progress::Mode::Json,
    });
    loop {
        // With --max-wait, no round may outlast it: its calls are bounded by the time left.
        let round = match args.max_wait {
            Some(max) => {
                let left = max.saturating_sub(started.elapsed()).max(Duration::from_secs(1));
                CollectOptions {
                    admin_timeout: options.admin_timeout.min(left),
                    request_timeout: options.request_timeout.min(left),
                    ..options
                }
            }
            None => options,
        };
        let Some(result) = run_round(&config, round, args.max_wait.map(|max| started + max)) else {
            // --max-wait ran out inside a round: its calls are abandoned and the process exits.
            progress.finish();
            // A round that was merely slow leaves the last complete inspection standing: its
            // report stays, and so does its verdict.
            if let Some(last) = &previous {
                eprintln!("--max-wait ran out during a round; the last complete round stands");
                print_held(&progress, args.max_wait.unwrap_or_default());
                return if last.all_ok() { Exit::Ok } else { Exit::Findings };
            }
            let message = "--max-wait ran out while a round was still reading the clusters";
            eprintln!("error: {message}");
            if let Some(path) = &args.output_path
                && let Err(e) = write_failure(path, format, started.elapsed(), message)
            {
                eprintln!("error: cannot write the report: {e}");
            }
            return Exit::Cluster;
        };
        let mut inspection = match result {
            Ok(i) => i,
            // Without --max-wait, a first round that cannot read a cluster ends the watch: it
            // is more likely a wrong address than a cluster about to come back. With it, every
            // round is retried until the time is up.
            Err(e) if args.watch.is_none() || (previous.is_none() && args.max_wait.is_none()) => {
                eprintln!("{:?}", miette::Report::new(e));
                return Exit::Cluster;
            }
            Err(e) => {
                // A round that could not read the facts reports the failure, never the last
                // report as if it were current, and never opens the gate.
                let interval = args.watch.unwrap_or_default();
                progress.failed_round(&e.to_string());
                eprintln!("error: {e}");
                let line = format!(
                    "[+{}s] inspection failed, the last report is out of date: {}\n",
                    started.elapsed().as_secs(),
                    report::one_line(&e.to_string())
                );
                // The report file first: whoever reads the line finds the file already says so.
                let written = match &args.output_path {
                    Some(path) => write_failure(path, format, started.elapsed(), &e.to_string()),
                    None => Ok(()),
                }
                .and_then(|_| {
                    let mut out = std::io::stdout().lock();
                    out.write_all(line.as_bytes())
                        .and_then(|_| out.flush())
                        .map_err(|e| e.to_string())
                });
                if let Err(e) = written {
                    eprintln!("error: cannot write the report: {e}");
                    return Exit::Usage;
                }
                if let Some(max) = args.max_wait
                    && started.elapsed() + interval > max
                {
                    std::thread::sleep(max.saturating_sub(started.elapsed()));
                    progress.finish();
                    return Exit::Cluster;
                }
                std::thread::sleep(interval);
                continue;
            }
        };
        if let Some(prev) = &previous {
            inspection.carry_vanished(prev);
        }
        if previous
            .as_ref()
            .is_none_or(|p| p.warnings != inspection.warnings)
        {
            for warning in &inspection.warnings {
                eprintln!("warning: {warning}");
            }
        }
        let emitted = inspection.emitted(args.include_ok_groups);
        let written = match &previous {
            None => write_report(&args, format, &emitted),
            Some(prev) => {
                let lines = watch::changes(&prev.emitted(args.include_ok_groups), &emitted);
                let not_ok = inspection.rows.iter().filter(|r| !r.is_ok).count();
                let mut out = std::io::stdout().lock();
                let mut text = format!(
                    "[+{}s] {} rows, {not_ok} not OK, {} changed\n",
                    started.elapsed().as_secs(),
                    inspection.rows.len(),
                    lines.len()
                );
                for line in lines {
                    text.push_str(&line);
                    text.push('\n');
                }
                let file = match &args.output_path {
                    Some(_) => write_report(&args, format, &emitted),
                    None => Ok(()),
                };
                out.write_all(text.as_bytes())
                    .and_then(|_| out.flush())
                    .map_err(|e| e.to_string())
                    .and(file)
            }
        };
        if let Err(e) = written {
            eprintln!("error: cannot write the report: {e}");
            return Exit::Usage;
        }
        let exit = if inspection.all_ok() {
            Exit::Ok
        } else {
            Exit::Findings
        };
        let Some(interval) = args.watch else {
            return exit;
        };
        progress.round(&inspection);
        if args.until_ok && exit == Exit::Ok {
            progress.finish();
            return Exit::Ok;
        }
        if args.until_ok
            && let Some(prev) = &previous
            && let Some(rows) = watch::stuck(&prev.rows, &inspection.rows)
        {
            eprintln!(
                "the gate cannot open by waiting: {} row(s) belong to stopped groups older than every offset sync \
                 MirrorMaker 2 holds, which it never translates (their consumers would start at auto.offset.reset); \
                 restart those groups on the source, or accept where they start:",
                rows.len()
            );
            progress.finish();
            for row in rows {
                let partition = row.partition.map_or("-".to_owned(), |p| p.to_string());
                eprintln!(
                    "  {} {} {}-{}",
                    report::one_line(&row.cluster_pair),
                    report::one_line(&row.group),
                    report::one_line(&row.topic),
                    partition
                );
            }
            return Exit::Findings;
        }
        if let Some(max) = args.max_wait
            && started.elapsed() + interval > max
        {
            std::thread::sleep(max.saturating_sub(started.elapsed()));
            progress.finish();
            print_held(&progress, max);
            return exit;
        }
        previous = Some(inspection);
        std::thread::sleep(interval);
    }
}

/// When the gate stayed shut for `max_wait`: what held it and what to do, on standard error.
fn print_held(progress: &Progress, max_wait: Duration) {
    let held = progress.held_summary();
    if !held.is_empty() {
        eprintln!(
            "the gate stayed shut for --max-wait ({}); what held it:",
            diskless_migrator::units::duration(max_wait.as_secs())
        );
        for line in held {
            eprintln!("  {line}");
        }
    }
}

/// Runs one inspection round; `None` when `deadline` passes first. The round runs on its own
/// thread so a cluster that never answers cannot hold the command past its deadline.
fn run_round(
    config: &Arc<Mm2Config>,
    options: CollectOptions,
    deadline: Option<Instant>,
) -> Option<Result<Inspection, ClusterError>> {
    let Some(deadline) = deadline else {
        return Some(inspect::inspect(config, options));
    };
    let (send, receive) = std::sync::mpsc::channel();
    let shared = Arc::clone(config);
    std::thread::spawn(move || {
        let _ = send.send(inspect::inspect(&shared, options));
    });
    receive
        .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        .ok()
}

/// Replaces the report file after a failed `--watch` round with the failure, so no reader takes
/// the previous report for the current state: a JSON object `{"error", "failed_after_seconds"}`
/// for `--format json`, else text lines starting with `inspection failed`. Neither parses as a
/// report.
fn write_failure(
    path: &std::path::Path,
    format: Format,
    elapsed: Duration,
    error: &str,
) -> Result<(), String> {
    let body = match format {
        Format::Json => {
            let mut text = serde_json::json!({
                "error": error,
                "failed_after_seconds": elapsed.as_secs(),
            })
            .to_string();
            text.push('\n');
            text
        }
        Format::Csv | Format::Table => format!(
            "inspection failed after {} s, the previous report is out of date: {}\n",
            elapsed.as_secs(),
            report::one_line(error)
        ),
    };
    diskless_migrator::output::write_atomic(path, body.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes the report (and the summary) where the flags say, streamed: the report is never
/// held in memory whole.
fn write_report(args: &InspectArgs, format: Format, rows: &[&inspect::compare::Row]) -> Result<(), String> {
    let summary = args.emit_summary.then(|| report::summarize(rows));
    let write = |out: &mut dyn Write| match format {
        Format::Csv => report::write_csv(rows, out),
        Format::Json => report::write_json(rows, summary.as_deref(), out),
        Format::Table => report::write_table(rows, out),
    };
    let stdout = std::io::stdout();
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    match &args.output_path {
        Some(path) => diskless_migrator::output::write_atomic_with(path, |out| write(out))
            .map_err(|e| format!("{}: {e}", path.display()))?,
        None => write(&mut stdout).map_err(|e| e.to_string())?,
    }
    if let Some(lines) = &summary
        && format != Format::Json
    {
        report::write_summary(lines, &mut stdout).map_err(|e| e.to_string())?;
    }
    stdout.flush().map_err(|e| e.to_string())
}
