//! `diskless-migrator generate`: reads plan.json, renders it, and writes the output folder (or,
//! with `--check`, reports whether the folder is up to date).

use std::path::PathBuf;

use clap::Args;
use diskless_migrator::exit::Exit;
use diskless_migrator::generate::{self, GenerateError};

/// Arguments of `diskless-migrator generate` (its help text is on the subcommand in `main.rs`).
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  diskless-migrator generate --plan out/plan.json --out out
  diskless-migrator generate --plan plan.json --out . --check

Exit codes:
  0  written, or (--check) the folder is up to date
  1  --check: the folder differs from what generate would write (files listed)
  2  the plan cannot be read or rendered, or the output folder cannot be written")]
pub struct GenerateArgs {
    /// The plan.json written by `diskless-migrator plan`.
    #[arg(long, value_name = "FILE")]
    pub plan: PathBuf,

    /// Output folder (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Write nothing; exit 1 and list the files that differ if the folder is stale.
    #[arg(long)]
    pub check: bool,
}

/// Runs the subcommand and returns its exit code.
pub fn run(args: &GenerateArgs) -> Exit {
    let shown = args.plan.display().to_string();
    let plan = match super::read_plan(&args.plan) {
        Ok(plan) => plan,
        Err(exit) => return exit,
    };
    let generated = match generate::generate(&plan) {
        Ok(g) => g,
        Err(e) => return report(e),
    };
    let out = args.out.display();
    if args.check {
        return match generate::check_tree(&generated.tree, &args.out) {
            Ok(diffs) if diffs.is_empty() => {
                println!(
                    "{out} is up to date with {shown} ({} files).",
                    generated.tree.len()
                );
                Exit::Ok
            }
            Ok(diffs) => {
                println!(
                    "{out} is not what `generate` would write from {shown}; {} file(s) differ:",
                    diffs.len()
                );
                for d in &diffs {
                    println!("  {:<10} {}", d.kind.as_str(), d.path);
                }
                println!(
                    "Run `diskless-migrator generate --plan {shown} --out {out}` and commit the result; \
                     hand edits belong in the plan or its settings."
                );
                Exit::Findings
            }
            Err(e) => {
                eprintln!("error: cannot read {out}: {e}");
                Exit::Usage
            }
        };
    }
    if let Err(e) = generated.tree.write_to(&args.out) {
        eprintln!("error: {e}");
        eprintln!("  help: choose an output folder you can write to (--out)");
        return Exit::Usage;
    }
    let s = generated.summary;
    println!(
        "Wrote {} files to {out}: {} diskless and {} classic topic(s), {} skipped, {} flow(s).",
        s.files, s.diskless_topics, s.classic_topics, s.skipped_topics, s.flows
    );
    println!("  Terraform: {0}/destination (apply first), {0}/migration", out);
    println!("  Next: read {out}/RUNBOOK.md");
    Exit::Ok
}

fn report(e: GenerateError) -> Exit {
    eprintln!("{:?}", miette::Report::new(e));
    Exit::Usage
}
