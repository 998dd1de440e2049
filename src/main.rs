//! The `diskless-migrator` command line: argument definitions, logging setup, dispatch and
//! exit codes. Every stage lives in the library; this file only wires it to the terminal.

#![allow(clippy::result_large_err)]

use std::process::ExitCode;

mod cli;

use clap::{ArgAction, Parser, Subcommand, ValueEnum};
use diskless_migrator::exit::{EXIT_CODES_HELP, Exit};

/// Moves Apache Kafka topics onto Aiven for Apache Kafka diskless topics.
///
/// The pipeline: `discover` reads a source cluster into inventory.json, `plan` decides the
/// migration, `generate` renders Terraform, mm2.properties, dashboards and a runbook, and
/// `inspect` proves consumer groups can cut over; `report` draws a plan for approvers.
/// `inspect` proves consumer groups can cut over; `rehearse` runs it all against a stand-in
/// Apache Kafka first.
#[derive(Debug, Parser)]
#[command(name = "diskless-migrator", version, after_help = EXIT_CODES_HELP, arg_required_else_help = true)]
struct Cli {
    /// More log output on stderr (-v: debug, -vv: trace).
    #[arg(short, long, global = true, action = ArgAction::Count)]
    verbose: u8,

    /// Only errors on stderr; no progress display.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,

    /// When to use colours in diagnostics and logs.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    color: Color,

    #[command(subcommand)]
    command: Option<Command>,
}

/// When to colour output.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Color {
    /// Colour when stderr is a terminal.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read a source cluster (or the seed's text files) into inventory.json.
    Discover(cli::discover::DiscoverArgs),
    Plan(cli::plan::PlanArgs),
    /// Render a plan into Terraform roots, mm2.properties, dashboards and a runbook.
    ///
    /// Writes, under --out: destination/ (the long-lived diskless Kafka service and its
    /// topics), migration/ (MirrorMaker 2, endpoints, replication flows, observability),
    /// dashboards/, mm2.properties and RUNBOOK.md. Files are staged and renamed into place;
    /// Terraform state and other files you add are left alone. The same plan always gives the
    /// same bytes.
    ///
    /// With --check nothing is written: the command lists the files that differ from what it
    /// would write and exits 1 if there are any (for CI on pull requests).
    Generate(cli::generate::GenerateArgs),
    /// Check that MirrorMaker 2 has synced consumer-group offsets (the cutover gate).
    Inspect(cli::inspect::InspectArgs),
    /// Render plan.json (and an inspect JSON report) into one self-contained HTML file.
    ///
    /// The report draws the flows as bar charts, lists every decision with its reason
    /// (searchable), ranks topics by what diskless saves with the cost assumptions, and, with
    /// --inspect, shows whether each consumer group can cut over. `generate` writes the same
    /// report (without inspect results) as report.html.
    Report(cli::report::ReportArgs),
    /// Rehearse the migration against a stand-in Apache Kafka: topics, MirrorMaker 2, gate.
    ///
    /// Creates every planned topic on the stand-in destination through the Admin API (Kafka's
    /// config names, no diskless.enable, replication factor capped at the broker count), writes
    /// rehearsal-mm2.properties from the generated mm2.properties (destination address and
    /// security from --command-config; every changed line listed in its header), runs
    /// MirrorMaker 2 when --kafka-home is given, and gates like `inspect --watch --until-ok`
    /// until every group is synced or --max-wait passes. Ends with a report (standard output
    /// and rehearsal-report.json), stops MirrorMaker 2 and deletes the topics it created unless
    /// --keep; on Ctrl-C too.
    Rehearse(cli::rehearse::RehearseArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_diagnostics(&cli);
    let Some(command) = cli.command else {
        return Exit::Usage.into();
    };
    match command {
        Command::Discover(args) => cli::discover::run(args, cli.quiet).into(),
        Command::Plan(args) => cli::plan::run(args).into(),
        Command::Generate(args) => cli::generate::run(&args).into(),
        Command::Inspect(args) => cli::inspect::run(args).into(),
        Command::Report(args) => cli::report::run(&args).into(),
        Command::Rehearse(args) => cli::rehearse::run(args).into(),
    }
}

/// Sets up miette's report handler and the tracing subscriber according to the global flags.
fn init_diagnostics(cli: &Cli) {
    use std::io::IsTerminal;
    let colored = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(
            miette::MietteHandlerOpts::new()
                .color(colored)
                .unicode(colored)
                .build(),
        )
    }));
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "debug",
        (false, _) => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("DISKLESS_MIGRATOR_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("diskless_migrator={level}")));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(colored)
        .with_target(false)
        .without_time()
        .init();
}
