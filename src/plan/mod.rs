//! The planner: decides the migration from the inventory and the settings, and records why.
//!
//! Pure: data in, data out. It never talks to a cluster and never renders Terraform.
//!
//! [`build`] runs the stages in order, each in its own module:
//!
//! 1. [`selection`]: which topics the user asked for (topic list, `--include`, `--exclude`);
//!    internal, MirrorMaker 2 and Connect topics are never migrated as data topics;
//! 2. [`eligibility`]: diskless or classic, with the reason (settings `keep_classic`, Kafka
//!    Streams internal topics found by [`streams`], compaction, transactions);
//! 3. [`config_translation`]: source configs into `aiven_kafka_topic` `config` keys, and the
//!    dropped ones with their reasons;
//! 4. [`flows`]: balanced replication flows, regexes and copy-time estimates; [`mirrormaker`]:
//!    task sizing, the cutover estimates (offset-sync drain, gate-open delay) and how
//!    MirrorMaker 2 replicates;
//! 5. [`cost`]: each topic's monthly cost as classic and as diskless (inputs in the per-topic
//!    pass, the diskless shares, savings and ranking in one pass over the planned topics);
//! 6. [`access`]: users, ACL bindings, quotas, the grants replication needs on the source and
//!    client settings (`--access off` leaves them out);
//! 7. diagnostics: warnings and errors, sorted; `--strict` turns warnings into errors.
//!
//! [`summary`] renders the result for people (text or Markdown); `plan.json` is the plan
//! serialized with [`to_json`].
//!
//! Longer than most modules: it is the pass that calls every decision in order; each decision
//! itself lives in a sibling module.

pub mod access;
pub mod config_translation;
pub mod cost;
pub mod eligibility;
pub mod flows;
mod json;
pub mod mirrormaker;
mod model;
pub mod names;
pub mod selection;
pub mod settings;
pub mod streams;
pub mod summary;

use std::collections::HashMap;

use miette::{Diagnostic, LabeledSpan};
use thiserror::Error;

use crate::exit::Exit;
use crate::inventory::{Inventory, SCHEMA_VERSION, TopicSummary};

pub use json::{to_json, write_json};
pub use model::*;
pub use selection::{Selection, SelectionError, TopicList};
pub use settings::{Settings, SettingsError, parse_settings, read_settings};

/// Why no plan was made.
#[derive(Debug, Error, Diagnostic)]
pub enum PlanError {
    /// The inventory was written by a newer version of the tool.
    #[error("the inventory has schema_version {found}, but this build reads up to {SCHEMA_VERSION}")]
    #[diagnostic(
        code(plan::inventory_version),
        help("upgrade diskless-migrator, or run `discover` again with this version")
    )]
    InventoryVersion {
        /// The version in the inventory.
        found: u32,
    },
    /// Neither a topic list nor an `--include` pattern was given.
    #[error("no topics selected: give a topic list (--topics) or --include patterns")]
    #[diagnostic(
        code(plan::no_selection),
        help("e.g. `--topics diskless_topics_names.txt` or `--include 'orders\\..*'`")
    )]
    NoSelection,
    /// The topic list names topics that the inventory does not have.
    #[error("{count} topic(s) in {path} are not in the inventory: {listed}")]
    #[diagnostic(
        code(plan::topic_not_in_inventory),
        help("fix the names, or run `discover` again if the topics were created since")
    )]
    MissingTopics {
        /// The topic list file.
        path: String,
        /// How many.
        count: usize,
        /// The names, in file order.
        names: Vec<String>,
        /// The first few names with their lines.
        listed: String,
        /// The lines around the first few.
        #[source_code]
        src: crate::snippet::Snippet,
        /// One label per missing name shown (the first few), with near matches.
        #[label(collection)]
        labels: Vec<LabeledSpan>,
    },
    /// Nothing is left to migrate.
    #[error("the selection is empty: {detail}")]
    #[diagnostic(
        code(plan::empty_selection),
        help("check --topics, --include and --exclude; a plan that migrates nothing is refused")
    )]
    EmptySelection {
        /// What was selected and why nothing is left.
        detail: String,
    },
    /// The plan has errors (or warnings under `--strict`).
    #[error("the plan has {errors} error(s)")]
    #[diagnostic(code(plan::findings))]
    Findings {
        /// How many errors.
        errors: usize,
        /// All diagnostics, errors first.
        diagnostics: Vec<PlanDiagnostic>,
    },
}

impl PlanError {
    /// The exit code for this error: 1 for plan findings, 2 for bad input.
    pub fn exit(&self) -> Exit {
        match self {
            PlanError::Findings { .. } => Exit::Findings,
            _ => Exit::Usage,
        }
    }
}

/// Plans the migration of the selected topics.
///
/// Returns the plan (which may carry warnings), or an error for bad input or when the plan
/// has errors. With `strict`, every warning is an error.
pub fn build(
    inventory: &Inventory<TopicSummary>,
    settings: &Settings,
    selection: &Selection,
    strict: bool,
) -> Result<Plan, PlanError> {
    if inventory.schema_version > SCHEMA_VERSION {
        return Err(PlanError::InventoryVersion {
            found: inventory.schema_version,
        });
    }
    let mut diagnostics = Vec::new();
    let candidates = select(inventory, selection, &mut diagnostics)?;
    warn_keep_classic_matches_nothing(inventory, settings, &mut diagnostics);
    let known = Known {
        config_gaps: Gaps::of(inventory, "topic_configs"),
        transactional_gaps: Gaps::of(inventory, "transactional"),
        streams: streams::StreamsApps::of(&inventory.consumer_groups),
        groups: cost::GroupCounts::of(&inventory.consumer_groups),
        settings,
    };

    // Each topic's plan depends on that topic (and what `known` says of it) only.
    let parts = crate::parallel::chunks_on_all_cores(&candidates, |part| {
        let mut diagnostics = Vec::new();
        let plans: Vec<TopicPlan> = part
            .iter()
            .map(|(topic, listed)| plan_topic(topic, *listed, &known, &mut diagnostics))
            .collect();
        (plans, diagnostics)
    });
    let mut topics: Vec<TopicPlan> = Vec::with_capacity(candidates.len());
    for (plans, found) in parts {
        topics.extend(plans);
        diagnostics.extend(found);
    }
    let migrated = topics.iter().filter(|t| t.decision != Decision::Skip).count();
    if migrated == 0 {
        let skipped = topics.len();
        return Err(PlanError::EmptySelection {
            detail: if skipped == 0 {
                "no topic matched (after --exclude)".into()
            } else {
                format!("all {skipped} selected topic(s) are internal, MirrorMaker 2 or Connect topics")
            },
        });
    }

    if !settings.destination.plan.contains("inkless") {
        diagnostics.push(warning(
            "destination-plan",
            Some(settings.destination.plan.clone()),
            "the destination plan name does not contain `inkless`; diskless topics need an \
             Inkless plan (e.g. business-8-inkless) or BYOC"
                .into(),
        ));
    }

    let (flows, mirrormaker) = plan_flows(&mut topics, settings, &mut diagnostics);
    let cost = cost::finish(&mut topics, &settings.cost, &settings.latency_sensitive);
    warn_excluded_by_mirrormaker(&topics, &mirrormaker.topics_exclude, &mut diagnostics);
    let access = access::plan(inventory, &topics, &flows, &settings.access, &mut diagnostics);

    if strict {
        for d in &mut diagnostics {
            d.severity = Severity::Error;
        }
    }
    diagnostics.sort();
    diagnostics.dedup();
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 0 {
        return Err(PlanError::Findings { errors, diagnostics });
    }
    Ok(Plan {
        schema_version: PLAN_SCHEMA_VERSION,
        tool: concat!("diskless-migrator ", env!("CARGO_PKG_VERSION")).into(),
        inventory: InventoryRef {
            cluster_id: inventory.cluster.id.clone(),
            collected_at: inventory.provenance.collected_at.clone(),
        },
        settings: settings.resolve(),
        topics,
        flows,
        mirrormaker,
        diagnostics,
        cost: Some(cost),
        access: Some(access),
    })
}

/// Warns about `keep_classic` settings that match no topic of the inventory (a typo would
/// otherwise silently leave a topic diskless).
fn warn_keep_classic_matches_nothing(
    inventory: &Inventory<TopicSummary>,
    settings: &Settings,
    diagnostics: &mut Vec<PlanDiagnostic>,
) {
    for keep in &settings.keep_classic {
        if !inventory.topics.iter().any(|t| keep.matches(&t.name)) {
            diagnostics.push(warning(
                "keep-classic-matches-nothing",
                Some(keep.pattern.clone()),
                format!(
                    "settings keep_classic `{}` matches no topic of the inventory",
                    keep.pattern
                ),
            ));
        }
    }
}

/// Warns about migrated topics MirrorMaker 2's `topics.exclude` list matches: they are created
/// on the destination, but their data is not copied.
fn warn_excluded_by_mirrormaker(
    topics: &[TopicPlan],
    topics_exclude: &[String],
    diagnostics: &mut Vec<PlanDiagnostic>,
) {
    let pattern = format!("^(?:{})$", topics_exclude.join("|"));
    let Ok(excluded) = regex::Regex::new(&pattern) else {
        return;
    };
    for t in topics.iter().filter(|t| t.decision != Decision::Skip) {
        if excluded.is_match(&t.name) {
            diagnostics.push(warning(
                "excluded-by-mirrormaker",
                Some(t.name.clone()),
                format!(
                    "{} matches MirrorMaker 2's topics.exclude ({}); it is created on the \
                     destination but its data is not replicated",
                    t.name,
                    topics_exclude.join(", ")
                ),
            ));
        }
    }
}

impl Plan {
    /// Number of topics with each decision: (diskless, classic, skip).
    pub fn counts(&self) -> (usize, usize, usize) {
        self.topics
            .iter()
            .fold((0, 0, 0), |(d, c, s), t| match t.decision {
                Decision::Diskless => (d + 1, c, s),
                Decision::Classic => (d, c + 1, s),
                Decision::Skip => (d, c, s + 1),
            })
    }
}

fn warning(code: &str, subject: Option<String>, message: String) -> PlanDiagnostic {
    PlanDiagnostic {
        severity: Severity::Warning,
        code: code.into(),
        subject,
        message,
    }
}

fn error(code: &str, subject: Option<String>, message: String) -> PlanDiagnostic {
    PlanDiagnostic {
        severity: Severity::Error,
        ..warning(code, subject, message)
    }
}

/// The selected inventory topics, sorted by name, each with whether the topic list named it.
fn select<'i>(
    inventory: &'i Inventory<TopicSummary>,
    selection: &Selection,
    diagnostics: &mut Vec<PlanDiagnostic>,
) -> Result<Vec<(&'i TopicSummary, bool)>, PlanError> {
    if selection.list.is_none() && selection.include.is_empty() {
        return Err(PlanError::NoSelection);
    }
    // Topics by name. The inventory keeps them sorted, so this is usually a check; of topics
    // sharing a name, the first is used.
    let mut by_name: Vec<&TopicSummary> = inventory.topics.iter().collect();
    if !by_name.is_sorted_by(|a, b| a.name < b.name) {
        by_name.sort_by(|a, b| a.name.cmp(&b.name));
        by_name.dedup_by(|later, earlier| later.name == earlier.name);
    }
    // Per topic of `by_name`: selected, and whether by the topic list.
    let mut chosen: Vec<Option<bool>> = vec![None; by_name.len()];
    if let Some(list) = &selection.list {
        // Hashed rather than searched: a binary search reads names all over the inventory.
        let index: HashMap<&str, usize> = by_name
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.as_str(), i))
            .collect();
        let mut missing = Vec::new();
        for (name, span) in &list.entries {
            match index.get(name.as_str()) {
                Some(&i) => chosen[i] = Some(true),
                None => missing.push((name, span)),
            }
        }
        if !missing.is_empty() {
            // Near matches cost a pass over the inventory each: only for the names shown.
            let items: Vec<_> = missing
                .iter()
                .take(crate::snippet::LISTED)
                .map(|(name, span)| {
                    let near = near_matches(name, inventory);
                    let text = if near.is_empty() {
                        "not in the inventory".to_owned()
                    } else {
                        format!("not in the inventory; did you mean {}?", near.join(" or "))
                    };
                    ((*span).clone(), text)
                })
                .collect();
            let (src, labels) = crate::snippet::labelled(&list.name, &list.text, &items);
            // Lazy: only the names listed have their line counted.
            let listed = crate::snippet::listing(missing.iter().map(|(name, span)| {
                (
                    name.as_str(),
                    crate::snippet::line_column(&list.text, span.start).0,
                )
            }));
            return Err(PlanError::MissingTopics {
                path: list.name.clone(),
                count: missing.len(),
                names: missing.iter().map(|(n, _)| (*n).clone()).collect(),
                listed,
                src,
                labels,
            });
        }
    }
    if !selection.include.is_empty() {
        let mut matched = vec![false; selection.include.len()];
        for (topic, selected) in by_name.iter().zip(&mut chosen) {
            let mut any = false;
            for (i, re) in selection.include.iter().enumerate() {
                if re.is_match(&topic.name) {
                    matched[i] = true;
                    any = true;
                }
            }
            if any {
                selected.get_or_insert(false);
            }
        }
        for (re, hit) in selection.include.iter().zip(matched) {
            if !hit {
                let pattern = re.as_str();
                let pattern = &pattern[4..pattern.len() - 2];
                diagnostics.push(warning(
                    "include-matches-nothing",
                    Some(pattern.to_owned()),
                    format!("--include `{pattern}` matches no topic of the inventory"),
                ));
            }
        }
    }
    Ok(by_name
        .into_iter()
        .zip(chosen)
        .filter_map(|(topic, listed)| Some((topic, listed?)))
        .filter(|(topic, _)| !selection.excluded(&topic.name))
        .collect())
}

/// Up to three inventory topic names close to `name`, best first.
fn near_matches(name: &str, inventory: &Inventory<TopicSummary>) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = inventory
        .topics
        .iter()
        .map(|t| (strsim::jaro_winkler(name, &t.name), t.name.as_str()))
        .filter(|(score, _)| *score >= 0.85)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, n)| format!("`{n}`"))
        .collect()
}

/// The inventory's reasons why one kind of fact is missing: per topic, and for all topics.
struct Gaps<'a> {
    by_topic: HashMap<&'a str, &'a str>,
    all: Option<&'a str>,
}

impl<'a> Gaps<'a> {
    /// The gaps of `fact` (e.g. `topic_configs`, `transactional`).
    fn of(inventory: &'a Inventory<TopicSummary>, fact: &str) -> Gaps<'a> {
        let mut gaps = Gaps {
            by_topic: HashMap::new(),
            all: None,
        };
        for gap in inventory.gaps.iter().filter(|g| g.fact == fact) {
            match &gap.subject {
                Some(topic) => {
                    gaps.by_topic.insert(topic.as_str(), gap.reason.as_str());
                }
                None => gaps.all = Some(gap.reason.as_str()),
            }
        }
        gaps
    }

    fn of_topic(&self, name: &str) -> Option<&'a str> {
        self.by_topic.get(name).copied().or(self.all)
    }
}

/// What topics are planned against, besides the topics themselves.
struct Known<'a> {
    config_gaps: Gaps<'a>,
    transactional_gaps: Gaps<'a>,
    streams: streams::StreamsApps<'a>,
    groups: cost::GroupCounts<'a>,
    settings: &'a Settings,
}

/// The decision, configs and measures of one selected topic.
fn plan_topic(
    topic: &TopicSummary,
    listed: bool,
    known: &Known<'_>,
    diagnostics: &mut Vec<PlanDiagnostic>,
) -> TopicPlan {
    let partitions = topic.partitions.count;
    let base = TopicPlan {
        name: topic.name.clone(),
        partitions,
        size_bytes: topic.partitions.size_bytes,
        bytes_per_second: topic.partitions.bytes_per_second,
        ..TopicPlan::default()
    };
    if let Some(reason) = selection::reserved_reason(&topic.name, topic.internal) {
        if listed {
            diagnostics.push(warning(
                "reserved-topic-selected",
                Some(topic.name.clone()),
                format!(
                    "the topic list names {}, {reason}; it is not migrated",
                    topic.name
                ),
            ));
        }
        return TopicPlan {
            decision: Decision::Skip,
            reason: format!("not migrated: {reason}"),
            ..base
        };
    }
    if partitions == 0 {
        diagnostics.push(error(
            "partitions-unknown",
            Some(topic.name.clone()),
            format!(
                "the inventory has no partitions for {}; run `discover` again so the partition count comes from the source",
                topic.name
            ),
        ));
    }
    let context = eligibility::Context {
        configs_gap: known.config_gaps.of_topic(&topic.name),
        transactional_gap: known.transactional_gaps.of_topic(&topic.name),
        keep_classic: known
            .settings
            .keep_classic
            .iter()
            .find(|k| k.matches(&topic.name)),
        streams: known.streams.internal_topic(&topic.name),
    };
    let verdict = eligibility::decide(topic, &context);
    if let Some(found) = verdict.warning {
        diagnostics.push(warning(found.code, Some(topic.name.clone()), found.message));
    }
    let translation =
        config_translation::translate(topic, verdict.decision, known.settings.destination.tiered_storage);
    TopicPlan {
        decision: verdict.decision,
        reason: verdict.reason,
        replication: match verdict.decision {
            Decision::Diskless => eligibility::DISKLESS_REPLICATION,
            _ => eligibility::CLASSIC_REPLICATION,
        },
        config: translation.config,
        dropped_configs: translation.dropped,
        cost: Some(cost::topic_cost(
            topic,
            &known.groups,
            &known.settings.cost,
            known.settings.destination.tiered_storage,
        )),
        ..base
    }
}

/// Splits the migrated topics into flows, records each topic's flow, and sizes MirrorMaker 2
/// (tasks and cutover estimates in [`mirrormaker::size`]).
fn plan_flows(
    topics: &mut [TopicPlan],
    settings: &Settings,
    diagnostics: &mut Vec<PlanDiagnostic>,
) -> (Vec<Flow>, MirrorMakerPlan) {
    let policy = &settings.flows;
    let migrated: Vec<usize> = (0..topics.len())
        .filter(|&i| topics[i].decision != Decision::Skip)
        .collect();
    let loads: Vec<flows::Load<'_>> = migrated
        .iter()
        .map(|&i| flows::Load {
            name: &topics[i].name,
            partitions: topics[i].partitions,
            size_bytes: topics[i].size_bytes,
            bytes_per_second: topics[i].bytes_per_second,
        })
        .collect();
    let by = flows::balance_by(&loads);
    let (count, wanted) = flows::flow_count(
        &loads,
        policy.max_flows,
        policy.max_bytes_per_second,
        policy.max_partitions,
    );
    if wanted > count && count == policy.max_flows as usize {
        diagnostics.push(warning(
            "flow-limit",
            None,
            format!(
                "the per-flow limits need {wanted} flows, but max_flows is {}; flows will exceed the limits",
                policy.max_flows
            ),
        ));
    }
    // LPT balances one measure; when that leaves a flow over a per-flow limit, use one more
    // flow, up to max_flows.
    let cap = (policy.max_flows.max(1) as usize).min(loads.len().max(1));
    let mut count = count;
    let mut bins = flows::assign(&loads, by, count);
    while count < cap && bins.iter().any(|bin| over_limit(bin, &loads, policy)) {
        count += 1;
        bins = flows::assign(&loads, by, count);
    }
    drop(loads);

    let expected = policy.expected_bytes_per_second;
    let task_bps = settings.mirrormaker.task_bytes_per_second;
    let mut result = Vec::with_capacity(bins.len());
    let mut throughput_tasks = Vec::with_capacity(bins.len());
    for (f, bin) in bins.iter().enumerate() {
        let name = flows::numbered("flow", f, bins.len());
        let mut members: Vec<usize> = bin.iter().map(|&j| migrated[j]).collect();
        members.sort_unstable();
        let mut flow = Flow {
            name: name.clone(),
            source_alias: flows::numbered("source", f, bins.len()),
            target_alias: settings.destination.cluster_alias.clone(),
            size_bytes: Some(0),
            bytes_per_second: Some(0.0),
            ..Flow::default()
        };
        for &i in &members {
            let t = &mut topics[i];
            t.flow = Some(name.clone());
            flow.topics.push(t.name.clone());
            flow.topic_regexes.push(flows::topic_regex(&t.name));
            flow.partitions = flow.partitions.saturating_add(t.partitions);
            // Past u64::MAX (topics are checked on reading, a flow's sum is not): null, with a
            // warning below, never a wrapped number.
            let sum = flow.size_bytes.zip(t.size_bytes).map(|(a, b)| a.checked_add(b));
            if sum == Some(None) {
                diagnostics.push(warning(
                    "flow-size-overflow",
                    Some(name.clone()),
                    format!(
                        "the sizes of the topics of {name} add up to more than {} bytes; its size is \
                         left unknown (null); check the inventory's size_bytes",
                        u64::MAX
                    ),
                ));
            }
            flow.size_bytes = sum.flatten();
            flow.bytes_per_second = flow.bytes_per_second.zip(t.bytes_per_second).map(|(a, b)| a + b);
        }
        let live = flow.bytes_per_second.unwrap_or(0.0);
        flow.estimated_copy_seconds = flow.size_bytes.and_then(|size| {
            let net = expected as f64 - live;
            (net > 0.0).then(|| (size as f64 / net).ceil() as u64)
        });
        if live >= expected as f64 {
            diagnostics.push(warning(
                "flow-cannot-catch-up",
                Some(name.clone()),
                format!(
                    "{name} receives {} but is expected to copy {}; raise flows.expected_bytes_per_second \
                     (and the MirrorMaker 2 plan) or lower flows.max_bytes_per_second",
                    summary::rate(live),
                    summary::rate(expected as f64)
                ),
            ));
        }
        if let Some(limit) = policy.max_partitions.filter(|l| flow.partitions > *l) {
            diagnostics.push(warning(
                "flow-over-limit",
                Some(name.clone()),
                format!(
                    "{name} has {} partitions, more than flows.max_partitions = {limit}",
                    flow.partitions
                ),
            ));
        }
        if let Some(limit) = policy.max_bytes_per_second.filter(|l| live > *l as f64) {
            diagnostics.push(warning(
                "flow-over-limit",
                Some(name.clone()),
                format!(
                    "{name} receives {}, more than flows.max_bytes_per_second = {}",
                    summary::rate(live),
                    summary::rate(limit as f64)
                ),
            ));
        }
        let target = (expected as f64).max(live);
        throughput_tasks.push((target / task_bps as f64).ceil() as u32);
        result.push(flow);
    }
    let worker = Worker::default();
    let tasks = mirrormaker::size(&mut result, &throughput_tasks, settings, &worker, diagnostics);
    let choices = mirrormaker::replication_choices();
    let sizing = MirrorMakerPlan {
        balanced_by: by.as_str().into(),
        tasks_max_per_cpu: tasks.tasks_max_per_cpu,
        tasks_max: tasks.tasks_max,
        cpus: settings.mirrormaker.cpus.max(1),
        max_partitions_per_task: settings.mirrormaker.max_partitions_per_task,
        max_tasks_per_cpu: settings.mirrormaker.max_tasks_per_cpu,
        tasks_reason: tasks.tasks_reason,
        offset_flush_interval_ms: tasks.offset_flush_interval_ms,
        max_gate_open_seconds: settings.flows.max_gate_open_seconds,
        expected_bytes_per_second_per_flow: expected,
        worker,
        topics_exclude: default_topics_exclude(),
        config_properties_exclude: default_config_properties_exclude(),
        replication_policy: choices.replication_policy,
        offset_syncs_topic_location: choices.offset_syncs_topic_location,
        sync_topic_configs_enabled: choices.sync_topic_configs_enabled,
        sync_topic_acls_enabled: choices.sync_topic_acls_enabled,
        emit_heartbeats_enabled: choices.emit_heartbeats_enabled,
        emit_heartbeats_outside_flows: choices.emit_heartbeats_outside_flows,
    };
    (result, sizing)
}

/// True when the topics of `bin` exceed a per-flow limit of the policy.
fn over_limit(bin: &[usize], loads: &[flows::Load<'_>], policy: &settings::FlowPolicy) -> bool {
    let partitions: u64 = bin.iter().map(|&i| u64::from(loads[i].partitions)).sum();
    let rate: f64 = bin.iter().filter_map(|&i| loads[i].bytes_per_second).sum();
    policy.max_partitions.is_some_and(|l| partitions > u64::from(l))
        || policy.max_bytes_per_second.is_some_and(|l| rate > l as f64)
}

#[cfg(test)]
pub(crate) mod tests;
