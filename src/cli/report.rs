//! `diskless-migrator report`: renders plan.json (and optionally an inspect JSON report) into
//! one self-contained HTML file for approvers.

use std::path::PathBuf;

use clap::Args;
use diskless_migrator::exit::Exit;
use diskless_migrator::generate::report;
use diskless_migrator::output::write_atomic_with;

/// Arguments of `diskless-migrator report`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  diskless-migrator report --plan out/plan.json --out out/report.html
  diskless-migrator inspect ... --format json > inspect.json
  diskless-migrator report --plan out/plan.json --inspect inspect.json --out report.html

Exit codes:
  0  written
  2  the plan or the inspect report cannot be read, or the file cannot be written")]
pub struct ReportArgs {
    /// The plan.json written by `diskless-migrator plan`.
    #[arg(long, value_name = "FILE")]
    pub plan: PathBuf,

    /// An `inspect --format json` report: adds the cutover state of each consumer group.
    #[arg(long, value_name = "FILE")]
    pub inspect: Option<PathBuf>,

    /// The HTML file to write (replaced atomically).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// Runs the subcommand and returns its exit code.
pub fn run(args: &ReportArgs) -> Exit {
    let plan = match super::read_plan(&args.plan) {
        Ok(plan) => plan,
        Err(exit) => return exit,
    };
    let inspect = match &args.inspect {
        None => None,
        Some(path) => {
            let parsed = std::fs::read_to_string(path)
                .map_err(|e| e.to_string())
                .and_then(|text| report::parse_inspect(&text));
            match parsed {
                Ok(r) => Some(r),
                Err(message) => {
                    eprintln!(
                        "{:?}",
                        miette::miette!(
                            help = "pass the JSON written by `diskless-migrator inspect --format json`",
                            "{} is not an inspect JSON report: {message}",
                            path.display()
                        )
                    );
                    return Exit::Usage;
                }
            }
        }
    };
    let html = report::render(&plan, inspect.as_ref());
    if let Err(e) = write_atomic_with(&args.out, |out| out.write_all(html.as_bytes())) {
        eprintln!("error: cannot write {}: {e}", args.out.display());
        eprintln!("  help: choose a file in a folder you can write to (--out)");
        return Exit::Usage;
    }
    println!(
        "Wrote {} ({} bytes): {} topic(s), {} flow(s){}.",
        args.out.display(),
        html.len(),
        plan.topics.len(),
        plan.flows.len(),
        inspect.map_or(String::new(), |r| format!(", {} inspect row(s)", r.rows.len()))
    );
    Exit::Ok
}
