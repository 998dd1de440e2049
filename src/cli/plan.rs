//! `diskless-migrator plan`: reads the inventory, the settings and the topic selection, writes
//! `plan.json` and prints a summary.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use diskless_migrator::exit::Exit;
use diskless_migrator::inventory::read_inventory;
use diskless_migrator::output::write_atomic_with;
use diskless_migrator::plan::{self, PlanError, Selection, Severity, TopicList, read_settings, summary};

/// Decide the migration: which topics become diskless or classic, their configs, and the
/// replication flows. Writes DIR/plan.json and prints a summary.
///
/// Topics come from a topic list (one name per line, `#` comments; the seed's
/// diskless_topics_names.txt) and/or --include patterns over the inventory, minus --exclude
/// patterns. Internal, MirrorMaker 2 and Kafka Connect topics are never migrated.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The inventory written by `discover`.
    #[arg(long, value_name = "FILE")]
    inventory: PathBuf,

    /// The settings file (HCL); see docs/settings.md and examples/migration.hcl.
    #[arg(long, value_name = "FILE")]
    settings: PathBuf,

    /// Topic list: one topic name per line; blank lines and `#` comments are ignored.
    #[arg(long, value_name = "FILE")]
    topics: Option<PathBuf>,

    /// Also select inventory topics whose whole name matches REGEX (repeatable).
    #[arg(long, value_name = "REGEX")]
    include: Vec<String>,

    /// Leave out topics whose whole name matches REGEX (repeatable; applies to the list too).
    #[arg(long, value_name = "REGEX")]
    exclude: Vec<String>,

    /// Directory to write plan.json into (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,

    /// How to print the summary on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Treat every warning as an error (exit 1, no plan.json).
    #[arg(long)]
    strict: bool,

    /// Also write DIR/suggested_topics.txt: the N topics diskless saves most on (latency_sensitive
    /// and classic topics left out), in the --topics format.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    suggest: Option<u32>,

    /// `off` leaves users, ACLs, quotas, source grants and client settings out of the plan, for
    /// teams that manage access elsewhere (like settings `access { enabled = false }`).
    #[arg(long, value_enum, value_name = "on|off", default_value_t = Switch::On)]
    access: Switch,
}

/// On or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Switch {
    /// On.
    On,
    /// Off.
    Off,
}

/// Summary format.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    /// A readable summary.
    Text,
    /// plan.json itself.
    Json,
    /// Markdown for a pull-request description.
    Markdown,
}

/// Runs `plan`.
pub fn run(args: PlanArgs) -> Exit {
    match execute(&args) {
        Ok(exit) => exit,
        Err((report, exit)) => {
            eprintln!("{report:?}");
            exit
        }
    }
}

type Failure = (miette::Report, Exit);

fn input(err: impl miette::Diagnostic + Send + Sync + 'static) -> Failure {
    (miette::Report::new(err), Exit::Usage)
}

fn execute(args: &PlanArgs) -> Result<Exit, Failure> {
    let (inventory, settings, list) = std::thread::scope(|scope| {
        // The inventory, by far the largest input, is read while the others are.
        let inventory = scope.spawn(|| read_inventory(&args.inventory));
        let settings = read_settings(&args.settings);
        let list = args.topics.as_deref().map(TopicList::read).transpose();
        let inventory = inventory
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (inventory, settings, list)
    });
    let inventory = inventory.map_err(input)?;
    let mut settings = settings.map_err(input)?;
    if args.access == Switch::Off {
        settings.access.turn_off("plan --access off");
    }
    let list = list.map_err(input)?;
    let selection = Selection::new(list, &args.include, &args.exclude).map_err(input)?;
    let mut plan = match plan::build(&inventory, &settings, &selection, args.strict) {
        Ok(plan) => plan,
        Err(PlanError::Findings { errors, diagnostics }) => {
            for d in &diagnostics {
                let level = if d.severity == Severity::Error {
                    "error"
                } else {
                    "warning"
                };
                eprintln!("{level}[{}]: {}", d.code, d.message);
            }
            let hint = if args.strict {
                " (--strict: warnings count as errors)"
            } else {
                ""
            };
            eprintln!("plan not written: {errors} error(s){hint}");
            return Ok(Exit::Findings);
        }
        Err(err) => {
            let exit = err.exit();
            return Err((miette::Report::new(err), exit));
        }
    };
    // The inventory can be large; the process ends soon, so it is not freed piece by piece.
    std::mem::forget(inventory);
    std::fs::create_dir_all(&args.out)
        .and_then(|()| {
            write_atomic_with(&args.out.join("plan.json"), |out| {
                plan::write_json(&mut plan, out)
            })
        })
        .map_err(|err| {
            (
                miette::miette!(
                    help = "check the directory given to --out",
                    "cannot write {}: {err}",
                    args.out.join("plan.json").display()
                ),
                Exit::Usage,
            )
        })?;
    if let Some(n) = args.suggest {
        let (text, shown) = plan::cost::suggested_topics(&plan, n as usize);
        let path = args.out.join("suggested_topics.txt");
        write_atomic_with(&path, |out| out.write_all(text.as_bytes())).map_err(|err| {
            (
                miette::miette!(
                    help = "check the directory given to --out",
                    "cannot write {}: {err}",
                    path.display()
                ),
                Exit::Usage,
            )
        })?;
        eprintln!(
            "wrote {} ({shown} of the {n} topic(s) asked for{})",
            path.display(),
            if (shown as u32) < n {
                "; no other topic is ranked"
            } else {
                ""
            }
        );
    }
    match args.format {
        Format::Json => print!("{}", plan::to_json(&plan)),
        Format::Text => print!("{}", summary::render(&plan, summary::Style::Text)),
        Format::Markdown => print!("{}", summary::render(&plan, summary::Style::Markdown)),
    }
    // Like the inventory: freeing hundreds of thousands of small allocations just before the
    // process exits only costs time.
    std::mem::forget(plan);
    Ok(Exit::Ok)
}
