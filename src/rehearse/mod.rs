//! `rehearse`: the local dress rehearsal of a migration in one command.
//!
//! From a plan it prepares a stand-in destination (a local or staging Apache Kafka) through the
//! Admin API ([`destination`]), writes `rehearsal-mm2.properties` from the generated
//! `mm2.properties` ([`mm2`]), runs MirrorMaker 2 on it when given a Kafka installation, gates
//! on the same inspection as `inspect --watch --until-ok`, and reports records, groups and
//! times ([`report`]). At the end it stops MirrorMaker 2 and deletes the topics it created
//! (unless `keep`), also when interrupted.
//!
//! `mm2.properties` is rendered from the plan by [`crate::generate::generate`] (the same bytes
//! `generate` writes), unless a file is given.

pub mod destination;
mod error;
mod gate;
pub mod mm2;
pub mod progress;
pub mod report;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::exit::Exit;
use crate::generate;
use crate::inspect::mm2_config::Mm2Config;
use crate::kafka::admin::{Admin, AdminError};
use crate::kafka::client::{ClientSettings, EnvFallback};
use crate::kafka::properties::Properties;
use crate::plan::Plan;

pub use error::RehearseError;

use destination::TopicSpec;
use gate::gate;
use mm2::{Launcher, Mm2Process, RewriteInput};
use report::{Report, Stage};

/// The name of the rewritten MirrorMaker 2 file in the output folder.
pub const PROPERTIES_FILE: &str = "rehearsal-mm2.properties";
/// The name of the report file in the output folder.
pub const REPORT_FILE: &str = "rehearsal-report.json";
/// The name of MirrorMaker 2's log in the output folder.
pub const MM2_LOG_FILE: &str = "rehearsal-mm2.log";

/// Everything a rehearsal needs, as the command line gives it.
#[derive(Clone, Debug)]
pub struct Options {
    /// The plan.json to rehearse.
    pub plan: PathBuf,
    /// The stand-in destination's bootstrap servers.
    pub destination: String,
    /// Java client properties for the destination.
    pub command_config: Option<PathBuf>,
    /// A Kafka distribution, or a folder with `libs/*.jar`, to run MirrorMaker 2 from.
    pub kafka_home: Option<PathBuf>,
    /// A generated mm2.properties to start from instead of rendering the plan's.
    pub mm2_properties: Option<PathBuf>,
    /// Properties set last in rehearsal-mm2.properties (shorter intervals, for instance).
    pub mm2_override: Option<PathBuf>,
    /// How long the gate may wait for every group to be synced.
    pub max_wait: Duration,
    /// Time between gate rounds.
    pub interval: Duration,
    /// Bound of each admin call.
    pub admin_timeout: Duration,
    /// Leave the created topics in place.
    pub keep: bool,
    /// Accept planned topics that already exist when they match the plan.
    pub reuse: bool,
    /// Output folder.
    pub out: PathBuf,
}

/// How a rehearsal ended once it reached its gate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every group is synced: the gate opened.
    Ok,
    /// The gate did not open within --max-wait, or cannot open by waiting, or MirrorMaker 2
    /// stopped.
    NotSynced,
    /// The last gate round could not read a cluster.
    Unreachable,
    /// Stopped by SIGINT or SIGTERM.
    Interrupted,
}

impl Outcome {
    /// The exit code of the outcome.
    pub fn exit(self) -> Exit {
        match self {
            Outcome::Ok => Exit::Ok,
            Outcome::NotSynced => Exit::Findings,
            Outcome::Unreachable => Exit::Cluster,
            Outcome::Interrupted => Exit::Interrupted,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::NotSynced => "not_synced",
            Outcome::Unreachable => "unreachable",
            Outcome::Interrupted => "interrupted",
        }
    }
}

/// What the run holds that must be undone at the end, whatever happens.
struct Cleanup {
    admin: Option<Admin>,
    created: Vec<String>,
    mm2: Option<Mm2Process>,
    keep: bool,
}

impl Cleanup {
    /// Stops MirrorMaker 2 and deletes the created topics (unless `keep`). Returns whether
    /// topics were deleted, and the problems met.
    fn finish(&mut self, out: &mut dyn Write) -> bool {
        if let Some(mut mm2) = self.mm2.take() {
            let _ = writeln!(out, "Stopping MirrorMaker 2 (pid {}).", mm2.pid());
            mm2.stop(Duration::from_secs(20));
        }
        if self.keep || self.created.is_empty() {
            if self.keep && !self.created.is_empty() {
                let _ = writeln!(
                    out,
                    "Kept the {} topic(s) this run created (--keep).",
                    self.created.len()
                );
            }
            return false;
        }
        let Some(admin) = &self.admin else {
            return false;
        };
        let failures = destination::delete(admin, &self.created);
        let _ = writeln!(
            out,
            "Deleted {} of the {} topic(s) this run created.",
            self.created.len() - failures.len(),
            self.created.len()
        );
        for (name, why) in &failures {
            let _ = writeln!(out, "  not deleted: {name}: {why}");
        }
        failures.is_empty()
    }
}

/// Runs a rehearsal; `interrupted` is set by the signal handler. Progress goes to `out`.
/// Returns the report (also written to the output folder) or the error that stopped the run
/// before the gate; in both cases MirrorMaker 2 is stopped and the created topics are deleted
/// unless `keep`.
pub fn run(
    options: &Options,
    interrupted: &AtomicBool,
    out: &mut dyn Write,
) -> Result<Report, RehearseError> {
    let mut cleanup = Cleanup {
        admin: None,
        created: Vec::new(),
        mm2: None,
        keep: options.keep,
    };
    let mut stages = Vec::new();
    let result = run_stages(options, interrupted, out, &mut cleanup, &mut stages);
    let deleted = cleanup.finish(out);
    let (outcome, mut report) = result?;
    report.outcome = outcome.name().to_owned();
    report.exit_code = outcome.exit().code();
    report.stages = stages;
    report.created_topics = cleanup.created.clone();
    report.created_topics_deleted = deleted;
    let path = options.out.join(REPORT_FILE);
    crate::output::write_atomic(&path, report.json().as_bytes()).map_err(|source| RehearseError::Io {
        what: format!("writing {}", path.display()),
        source,
    })?;
    Ok(report)
}

fn read(path: &Path) -> Result<String, RehearseError> {
    std::fs::read_to_string(path).map_err(|source| RehearseError::Read {
        path: path.display().to_string(),
        source,
    })
}

/// Times one stage, printing its start.
fn timed<T>(
    stages: &mut Vec<Stage>,
    out: &mut dyn Write,
    name: &str,
    f: impl FnOnce(&mut dyn Write) -> T,
) -> T {
    let _ = writeln!(out, "== {name}");
    let started = Instant::now();
    let value = f(out);
    stages.push(Stage {
        name: name.to_owned(),
        seconds: (started.elapsed().as_secs_f64() * 10.0).round() / 10.0,
    });
    value
}

fn run_stages(
    options: &Options,
    interrupted: &AtomicBool,
    out: &mut dyn Write,
    cleanup: &mut Cleanup,
    stages: &mut Vec<Stage>,
) -> Result<(Outcome, Report), RehearseError> {
    // --- inputs: everything is checked before the destination is touched.
    let shown = options.plan.display().to_string();
    let plan = generate::parse_plan(&shown, &read(&options.plan)?)?;
    // Rendering also checks the plan as untrusted input (names, values), as `generate` does,
    // before any of it reaches the destination.
    let rendered = generate::generate(&plan)?;
    let generated_text = match &options.mm2_properties {
        Some(path) => read(path)?,
        None => rendered
            .tree
            .get_str("mm2.properties")
            .unwrap_or_default()
            .to_owned(),
    };
    let generated_name = options
        .mm2_properties
        .as_ref()
        .map_or("mm2.properties (rendered from the plan)".to_owned(), |p| {
            p.display().to_string()
        });
    let generated = Properties::parse(&generated_name, &generated_text)?;
    let command_config = match &options.command_config {
        Some(path) => Some((absolute(path), Properties::read(path)?)),
        None => None,
    };
    let overrides = match &options.mm2_override {
        Some(path) => Some(Properties::read(path)?),
        None => None,
    };
    let launcher = match &options.kafka_home {
        Some(home) => Some(Launcher::for_home(home).map_err(RehearseError::KafkaHome)?),
        None => None,
    };
    let mut java = vec![("bootstrap.servers", options.destination.as_str())];
    if let Some((_, props)) = &command_config {
        java = props
            .effective()
            .into_iter()
            .filter(|(k, _)| *k != "bootstrap.servers")
            .chain(java)
            .collect();
    }
    let settings = ClientSettings::from_java(java, &EnvFallback::default()).map_err(|source| {
        RehearseError::ClientConfig {
            file: options
                .command_config
                .as_ref()
                .map_or("--destination".to_owned(), |p| p.display().to_string()),
            source,
        }
    })?;
    std::fs::create_dir_all(&options.out).map_err(|source| RehearseError::Io {
        what: format!("creating {}", options.out.display()),
        source,
    })?;
    let destination_error = |error: AdminError| RehearseError::Destination {
        bootstrap: options.destination.clone(),
        error,
    };

    // --- 1. the stand-in destination
    let (specs, brokers) = timed(stages, out, "prepare the destination", |out| {
        prepare_destination(options, &plan, &settings, cleanup, out)
    })
    .map_err(|e| match e {
        Prepared::Admin(error) => destination_error(error),
        Prepared::Refused(error) => error,
    })?;
    if interrupted.load(Ordering::SeqCst) {
        return Ok((Outcome::Interrupted, Report::default()));
    }

    // --- 2. rehearsal-mm2.properties
    let properties_path = options.out.join(PROPERTIES_FILE);
    let text = mm2::rehearsal_properties(&RewriteInput {
        generated: &generated,
        target_alias: &plan.settings.destination.cluster_alias,
        bootstrap: &options.destination,
        command_config: command_config.as_ref().map(|(p, props)| (p.as_path(), props)),
        replication_factor: brokers.min(3),
        overrides: overrides.as_ref(),
    })
    .map_err(|s| RehearseError::SecretOverride {
        file: options
            .mm2_override
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        line: s.line,
        key: s.key,
    })?;
    crate::output::write_atomic(&properties_path, text.as_bytes()).map_err(|source| RehearseError::Io {
        what: format!("writing {}", properties_path.display()),
        source,
    })?;
    let _ = writeln!(
        out,
        "Wrote {} (its header lists every changed line).",
        properties_path.display()
    );
    let config = Arc::new(Mm2Config::read(&properties_path)?);
    if config.pairs.is_empty() {
        return Err(RehearseError::NoFlow(properties_path.display().to_string()));
    }

    // --- 3. MirrorMaker 2
    let properties_abs = absolute(&properties_path);
    match &launcher {
        Some(launcher) => {
            let log = options.out.join(MM2_LOG_FILE);
            let process =
                Mm2Process::start(launcher, &properties_abs, &log).map_err(|source| RehearseError::Io {
                    what: format!("starting `{}`", launcher.shell_line(&properties_abs)),
                    source,
                })?;
            let _ = writeln!(
                out,
                "Started MirrorMaker 2 (pid {}, log {}): {}",
                process.pid(),
                log.display(),
                launcher.shell_line(&properties_abs)
            );
            cleanup.mm2 = Some(process);
        }
        None => {
            let _ = writeln!(
                out,
                "No --kafka-home: run MirrorMaker 2 yourself, with the variables of RUNBOOK.md exported:\n  \
                 $KAFKA_HOME/bin/connect-mirror-maker.sh {}\nThe gate waits for it.",
                properties_abs.display()
            );
        }
    }
    let _ = out.flush();

    // --- 4. the gate
    let ends = progress::EndOffsets::new(&plan, &config, &specs, options.admin_timeout);
    let gate::GateResult {
        outcome,
        last,
        timing,
    } = timed(stages, out, "MirrorMaker 2 and the gate", |out| {
        gate(options, &config, &ends, interrupted, cleanup, out)
    });

    // --- the report
    let plan_gate_open_seconds = plan.flows.iter().map(|f| f.gate_open_seconds).max().unwrap_or(0);
    let mut report = Report {
        schema_version: report::REPORT_SCHEMA_VERSION,
        gate: Some(report::GateWait::new(timing, plan_gate_open_seconds)),
        ..Report::default()
    };
    if let Some(inspection) = &last {
        report.groups = report::group_summary(&inspection.rows);
    }
    // An interrupted run ends at once: no more calls to the clusters.
    if outcome != Outcome::Interrupted {
        report.topics = timed(stages, out, "count records", |_| {
            let destination = cleanup
                .admin
                .as_ref()
                .map(|a| ends.destination(a))
                .unwrap_or_default();
            progress::topic_records(&specs, &ends.source(), &destination)
        });
    }
    Ok((outcome, report))
}

/// Why the destination could not be prepared.
enum Prepared {
    /// An admin call failed.
    Admin(AdminError),
    /// The destination holds something the rehearsal must not touch.
    Refused(RehearseError),
}

impl From<AdminError> for Prepared {
    fn from(e: AdminError) -> Prepared {
        Prepared::Admin(e)
    }
}

/// Connects to the destination, checks the planned topics and creates the missing ones.
fn prepare_destination(
    options: &Options,
    plan: &Plan,
    settings: &ClientSettings,
    cleanup: &mut Cleanup,
    out: &mut dyn Write,
) -> Result<(Vec<TopicSpec>, usize), Prepared> {
    let admin = Admin::with_request_timeout(settings, options.admin_timeout, options.admin_timeout)?;
    let brokers = destination::broker_count(&admin)?;
    let specs = destination::planned_topics(plan, brokers);
    let names: Vec<String> = specs.iter().map(|s| s.name.clone()).collect();
    let existing = destination::existing(&admin, &names)?;
    if let Some((topic, partitions)) = existing.partitions.iter().next()
        && !options.reuse
    {
        let others = existing.partitions.len() - 1;
        return Err(Prepared::Refused(RehearseError::TopicExists {
            topic: topic.clone(),
            partitions: *partitions,
            more: if others == 0 {
                String::new()
            } else {
                format!(", and {others} more planned topic(s)")
            },
        }));
    }
    for spec in specs.iter().filter(|s| existing.partitions.contains_key(&s.name)) {
        let configs = destination::topic_configs(&admin, &spec.name)?;
        if let Some(reason) = destination::reuse_mismatch(spec, existing.partitions[&spec.name], &configs) {
            return Err(Prepared::Refused(RehearseError::ReuseMismatch {
                topic: spec.name.clone(),
                reason,
            }));
        }
    }
    let missing: Vec<TopicSpec> = specs
        .iter()
        .filter(|s| !existing.partitions.contains_key(&s.name))
        .cloned()
        .collect();
    let diskless = missing.iter().filter(|s| s.diskless).count();
    let mut left_out: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for key in missing.iter().flat_map(|s| &s.left_out) {
        *left_out.entry(key.as_str()).or_insert(0) += 1;
    }
    let result = destination::create(&admin, &missing);
    let created = match result {
        Ok(created) => created,
        Err((created, error)) => {
            cleanup.created = created;
            cleanup.admin = Some(admin);
            return Err(Prepared::Admin(error));
        }
    };
    let _ = writeln!(
        out,
        "Destination: {brokers} broker(s); created {} topic(s), reused {}. Apache Kafka has no diskless \
         storage: {diskless} diskless topic(s) were created without diskless.enable, replication factor at \
         most {brokers}.",
        created.len(),
        existing.partitions.len()
    );
    for (key, count) in left_out {
        let _ = writeln!(
            out,
            "  left out: {key} on {count} topic(s) (not a stand-in's setting)"
        );
    }
    cleanup.created = created;
    cleanup.admin = Some(admin);
    Ok((specs, brokers))
}

/// `path` made absolute (against the current directory), for lines MirrorMaker 2 reads from
/// another working directory.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
