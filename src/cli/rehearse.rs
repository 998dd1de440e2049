//! `diskless-migrator rehearse`: arguments, signal handling and the exit code of a rehearsal
//! (the work is in `diskless_migrator::rehearse`).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use clap::Args;
use diskless_migrator::exit::Exit;
use diskless_migrator::inspect::parse_duration;
use diskless_migrator::rehearse::{self, Options};

/// Arguments of `diskless-migrator rehearse` (its help text is on the subcommand in `main.rs`).
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  diskless-migrator rehearse --plan out/plan.json --destination localhost:9092 --kafka-home ~/kafka
  diskless-migrator rehearse --plan out/plan.json --destination staging-1:9093 \\
    --command-config staging.properties --max-wait PT30M --keep

Exit codes:
  0    the copy caught up and every consumer group is synced (the gate opened)
  1    the gate did not open: --max-wait ran out, rows that waiting cannot change, or
       MirrorMaker 2 stopped
  2    bad input: plan (also of another schema version), properties, --kafka-home; or the
       destination already holds a planned topic (without --reuse, or not matching the plan)
  3    the destination (or, in the last gate round, a cluster) cannot be reached, or refuses
       the credentials
  130  interrupted (Ctrl-C, SIGTERM): MirrorMaker 2 stopped, created topics deleted unless --keep")]
pub struct RehearseArgs {
    /// The plan.json written by `diskless-migrator plan`.
    #[arg(long, value_name = "FILE")]
    pub plan: PathBuf,

    /// Bootstrap servers of the stand-in destination (a local or staging Apache Kafka).
    #[arg(long, value_name = "BOOTSTRAP")]
    pub destination: String,

    /// Java client properties for the destination (security settings; secrets in it are
    /// referenced from rehearsal-mm2.properties, never copied).
    #[arg(long, value_name = "FILE")]
    pub command_config: Option<PathBuf>,

    /// A Kafka distribution (bin/connect-mirror-maker.sh) or a folder with libs/*.jar to run
    /// MirrorMaker 2 from. Without it, the command to run is printed and the gate waits.
    #[arg(long, value_name = "DIR")]
    pub kafka_home: Option<PathBuf>,

    /// Start from this generated mm2.properties instead of rendering it from the plan.
    #[arg(long, value_name = "FILE")]
    pub mm2_properties: Option<PathBuf>,

    /// Properties set last in rehearsal-mm2.properties, e.g. shorter MirrorMaker 2 intervals
    /// for a quick rehearsal (listed in its header; literal secrets refused).
    #[arg(long, value_name = "FILE")]
    pub mm2_override: Option<PathBuf>,

    /// How long the gate waits for every group to be synced (ISO-8601 or 30s, 10m).
    #[arg(long, value_name = "DURATION", default_value = "PT30M", value_parser = duration)]
    pub max_wait: Duration,

    /// Time between gate rounds.
    #[arg(long, value_name = "INTERVAL", default_value = "10s", value_parser = duration)]
    pub interval: Duration,

    /// Bound of each admin call (an unreachable destination fails after this).
    #[arg(long, value_name = "DURATION", default_value = "PT30S", value_parser = duration)]
    pub admin_timeout: Duration,

    /// Leave the topics this run created on the destination.
    #[arg(long)]
    pub keep: bool,

    /// Use planned topics that already exist on the destination when their partitions and
    /// configs match the plan (they are never deleted).
    #[arg(long)]
    pub reuse: bool,

    /// Output folder for rehearsal-mm2.properties, MirrorMaker 2's log and the report
    /// (default: `rehearsal` next to the plan).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

fn duration(text: &str) -> Result<Duration, String> {
    let d = parse_duration(text)?;
    if d.is_zero() {
        return Err(format!("`{text}` is zero"));
    }
    Ok(d)
}

/// Runs the subcommand and returns its exit code.
pub fn run(args: RehearseArgs) -> Exit {
    let interrupted = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // The first signal asks for a clean stop; a second one while it runs ends the process
        // at once (exit 130), leaving MirrorMaker 2 and the topics as they are.
        let registered =
            signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&interrupted))
                .and_then(|_| signal_hook::flag::register(signal, Arc::clone(&interrupted)));
        if let Err(e) = registered {
            eprintln!("error: cannot handle signal {signal}: {e}");
            return Exit::Usage;
        }
    }
    let out = args.out.clone().unwrap_or_else(|| {
        args.plan
            .parent()
            .map_or_else(|| PathBuf::from("rehearsal"), |dir| dir.join("rehearsal"))
    });
    let options = Options {
        plan: args.plan,
        destination: args.destination,
        command_config: args.command_config,
        kafka_home: args.kafka_home,
        mm2_properties: args.mm2_properties,
        mm2_override: args.mm2_override,
        max_wait: args.max_wait,
        interval: args.interval,
        admin_timeout: args.admin_timeout,
        keep: args.keep,
        reuse: args.reuse,
        out,
    };
    let mut stdout = std::io::stdout();
    match rehearse::run(&options, &interrupted, &mut stdout) {
        Ok(report) => {
            print!("{}", report.text());
            println!("Report: {}", options.out.join(rehearse::REPORT_FILE).display());
            match report.exit_code {
                0 => Exit::Ok,
                1 => Exit::Findings,
                3 => Exit::Cluster,
                130 => Exit::Interrupted,
                _ => Exit::Usage,
            }
        }
        Err(e) => {
            let exit = e.exit();
            eprintln!("{:?}", miette::Report::new(e));
            exit
        }
    }
}
