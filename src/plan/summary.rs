//! Renders a plan for people: a terminal summary, or Markdown for a pull-request description.
//!
//! Both show the counts per decision, a table of flows (topics, partitions, bytes, bytes per
//! second, estimated copy time), the topics that are not diskless with their reasons, and
//! every diagnostic. The output depends only on the plan, so it is as deterministic as
//! `plan.json`.

use std::fmt::Write;

use super::model::{Decision, Plan, PlanDiagnostic, Severity};
pub use crate::units::{bytes, duration, money, rate};

/// How to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Plain text for a terminal.
    Text,
    /// GitHub-flavoured Markdown.
    Markdown,
}

/// The access lines: what is carried over, what waits for a decision, or that access is left
/// out.
fn access_section(out: &mut String, plan: &Plan, md: bool) {
    let Some(access) = &plan.access else {
        return;
    };
    if md {
        let _ = writeln!(
            out,
            "### Access
"
        );
    } else {
        out.push('\n');
    }
    if !access.managed {
        let _ = writeln!(out, "Access: {}", access.reason);
        if md {
            out.push('\n');
        }
        return;
    }
    let decide = access.dropped_acls.iter().filter(|d| d.needs_decision).count();
    let _ = writeln!(
        out,
        "Access: {} user(s), {} ACL binding(s), {} quota(s) carried over; {} binding(s) dropped \
         ({decide} need a decision); {} principal(s) undecided; {} client settings file(s)",
        access.users.len(),
        access.acls.len(),
        access.quotas.len(),
        access.dropped_acls.len(),
        access.undecided_principals.len(),
        access.clients.len(),
    );
    for p in &access.undecided_principals {
        let _ = writeln!(
            out,
            "{}undecided {}: {}",
            if md { "- " } else { "  " },
            p.principal,
            p.reason
        );
    }
    if md {
        out.push('\n');
    }
}

/// Renders the summary of `plan`.
pub fn render(plan: &Plan, style: Style) -> String {
    let md = style == Style::Markdown;
    let mut out = String::new();
    let (diskless, classic, skip) = plan.counts();
    let migrated = diskless + classic;
    if md {
        let _ = writeln!(out, "## Migration plan\n");
        let _ = writeln!(
            out,
            "Project `{}`, destination `{}` (`{}`, Kafka {}), MirrorMaker 2 `{}` (`{}`).\n",
            plan.settings.project,
            plan.settings.destination.service_name,
            plan.settings.destination.plan,
            plan.settings.destination.kafka_version,
            plan.settings.mirrormaker.service_name,
            plan.settings.mirrormaker.plan,
        );
        let _ = writeln!(out, "| decision | topics |\n|---|---:|");
        let _ = writeln!(
            out,
            "| diskless | {diskless} |\n| classic | {classic} |\n| skip | {skip} |\n"
        );
    } else {
        let _ = writeln!(
            out,
            "Plan: {migrated} topic(s) to migrate: {diskless} diskless, {classic} classic; {skip} skipped"
        );
        let _ = writeln!(
            out,
            "Destination {} ({}, Kafka {}), MirrorMaker 2 {} ({})\n",
            plan.settings.destination.service_name,
            plan.settings.destination.plan,
            plan.settings.destination.kafka_version,
            plan.settings.mirrormaker.service_name,
            plan.settings.mirrormaker.plan,
        );
    }

    let sizing = &plan.mirrormaker;
    let heading = format!(
        "{} flow(s), balanced by {}; tasks.max {} per flow, tasks_max_per_cpu {} on {} CPU(s); copy estimates at {} per flow",
        plan.flows.len(),
        sizing.balanced_by,
        sizing.tasks_max,
        sizing.tasks_max_per_cpu,
        sizing.cpus,
        rate(sizing.expected_bytes_per_second_per_flow as f64),
    );
    let cutover = format!(
        "Cutover: after producers stop, each task sends its last offset syncs {} per offset commit (every {}), \
         then a checkpoint ({}) and a group offset sync ({}) open the gate",
        super::mirrormaker::SYNCS_PER_COMMIT,
        duration(sizing.offset_flush_interval_ms.value.div_ceil(1000)),
        duration(u64::from(sizing.worker.emit_checkpoints_interval_seconds)),
        duration(u64::from(sizing.worker.sync_group_offsets_interval_seconds)),
    );
    let header = [
        "flow",
        "source alias",
        "topics",
        "partitions",
        "size",
        "bytes/s",
        "copy time",
        "tasks",
        "partitions/task",
        "sync drain",
        "gate opens",
    ];
    let rows: Vec<[String; 11]> = plan
        .flows
        .iter()
        .map(|f| {
            [
                f.name.clone(),
                f.source_alias.clone(),
                f.topics.len().to_string(),
                f.partitions.to_string(),
                f.size_bytes.map_or("unknown".into(), bytes),
                f.bytes_per_second.map_or("not sampled".into(), rate),
                f.estimated_copy_seconds.map_or("unknown".into(), duration),
                f.tasks.to_string(),
                f.partitions_per_task.to_string(),
                duration(f.final_sync_drain_seconds),
                duration(f.gate_open_seconds),
            ]
        })
        .collect();
    if md {
        let _ = writeln!(out, "### Flows\n\n{heading}.\n");
        table_md(&mut out, &header, &rows);
        let _ = writeln!(out, "\n{cutover}.");
    } else {
        let _ = writeln!(out, "{heading}");
        table_text(&mut out, &header, &rows);
        let _ = writeln!(out, "{cutover}");
    }

    cost_section(&mut out, plan, md);
    access_section(&mut out, plan, md);

    let others: Vec<_> = plan
        .topics
        .iter()
        .filter(|t| t.decision != Decision::Diskless)
        .collect();
    if !others.is_empty() {
        let rows: Vec<[String; 3]> = others
            .iter()
            .map(|t| {
                let decision = if t.decision == Decision::Classic {
                    "classic"
                } else {
                    "skip"
                };
                [t.name.clone(), decision.into(), t.reason.clone()]
            })
            .collect();
        let header = ["topic", "decision", "reason"];
        if md {
            let _ = writeln!(out, "\n### Topics that are not diskless\n");
            table_md(&mut out, &header, &rows);
        } else {
            let _ = writeln!(out, "\nTopics that are not diskless:");
            table_text(&mut out, &header, &rows);
        }
    }

    let dropped: usize = plan.topics.iter().map(|t| t.dropped_configs.len()).sum();
    if dropped > 0 {
        let line = format!(
            "{dropped} source config(s) not carried over; see dropped_configs in plan.json for each reason"
        );
        let _ = writeln!(out, "\n{line}{}", if md { "." } else { "" });
    }

    if md {
        let _ = writeln!(out, "\n### Diagnostics\n");
        if plan.diagnostics.is_empty() {
            let _ = writeln!(out, "None.");
        }
    } else {
        let warnings = plan.diagnostics.len();
        let _ = writeln!(out, "\n{warnings} warning(s)");
    }
    // The diagnostics are sorted by severity and code: at most PER_CODE of each code are
    // shown, then how many more (plan.json has them all).
    let mut shown = 0;
    for (i, d) in plan.diagnostics.iter().enumerate() {
        let same = |o: &PlanDiagnostic| o.severity == d.severity && o.code == d.code;
        if i > 0 && same(&plan.diagnostics[i - 1]) {
            shown += 1;
        } else {
            shown = 1;
        }
        if shown <= PER_CODE {
            let _ = if md {
                writeln!(
                    out,
                    "- **{}** `{}`: {}",
                    severity(d.severity),
                    d.code,
                    escape_md(&d.message)
                )
            } else {
                writeln!(out, "  {}[{}]: {}", severity(d.severity), d.code, d.message)
            };
        }
        let last = plan.diagnostics.get(i + 1).is_none_or(|next| !same(next));
        if last && shown > PER_CODE {
            let more = shown - PER_CODE;
            let _ = if md {
                writeln!(
                    out,
                    "- … and {more} more `{}` {}(s); see `diagnostics` in plan.json",
                    d.code,
                    severity(d.severity)
                )
            } else {
                writeln!(
                    out,
                    "  … and {more} more {}[{}]; see diagnostics in plan.json",
                    severity(d.severity),
                    d.code
                )
            };
        }
    }
    out
}

/// Diagnostics of one code shown in a summary before the rest are counted.
pub const PER_CODE: usize = 5;

/// Topics shown in the summary's ranking by saving.
pub const TOP_SAVINGS: usize = 10;

/// The cost totals, the top topics by saving and the hint about unknown costs.
fn cost_section(out: &mut String, plan: &Plan, md: bool) {
    let Some(cost) = &plan.cost else {
        return;
    };
    let t = &cost.totals;
    let currency = &cost.parameters.currency;
    let source = t.source.map_or_else(|| "unknown".to_owned(), money);
    let line = format!(
        "every topic classic (RF 3) {}, as planned {}, saving {}; the source today {}; {} topic(s) \
         priced, {} unknown",
        money(t.all_classic),
        money(t.as_planned),
        money(t.saving),
        source,
        t.topics_known,
        t.topics_unknown,
    );
    let mut ranked: Vec<_> = plan
        .topics
        .iter()
        .filter_map(|tp| {
            let c = tp.cost.as_ref()?;
            Some((c.rank?, tp, c))
        })
        .collect();
    ranked.sort_by_key(|(rank, ..)| *rank);
    let count = ranked.len();
    let rows: Vec<[String; 5]> = ranked
        .iter()
        .take(TOP_SAVINGS)
        .map(|(rank, tp, c)| {
            let total = |b: &Option<super::model::CostBreakdown>| {
                b.as_ref().map_or("unknown".into(), |b| money(b.total))
            };
            [
                rank.to_string(),
                tp.name.clone(),
                total(&c.classic),
                total(&c.diskless),
                c.saving.map_or("unknown".into(), money),
            ]
        })
        .collect();
    let header = ["rank", "topic", "classic", "diskless", "saving"];
    let more = count.saturating_sub(TOP_SAVINGS);
    if md {
        let _ = writeln!(
            out,
            "\n### Monthly cost ({currency})\n\nEvery figure a month: {line}.\n"
        );
        let _ = writeln!(out, "Prices: {}.\n", cost.parameters.prices_source);
        if !rows.is_empty() {
            table_md(out, &header, &rows);
        }
        if more > 0 {
            let _ = writeln!(
                out,
                "\n… and {more} more ranked topic(s); see `cost.rank` in plan.json."
            );
        }
        if let Some(hint) = &cost.hint {
            let _ = writeln!(out, "\n{}.", escape_md(hint));
        }
    } else {
        let _ = writeln!(out, "\nMonthly cost ({currency}): {line}");
        let _ = writeln!(out, "Prices: {}", cost.parameters.prices_source);
        if !rows.is_empty() {
            let _ = writeln!(out, "Diskless topics by monthly saving ({currency}):");
            table_text(out, &header, &rows);
        }
        if more > 0 {
            let _ = writeln!(
                out,
                "  … and {more} more ranked topic(s); see cost.rank in plan.json"
            );
        }
        if let Some(hint) = &cost.hint {
            let _ = writeln!(out, "Hint: {hint}");
        }
    }
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn escape_md(s: &str) -> String {
    s.replace('|', "\\|")
}

fn table_text<const N: usize>(out: &mut String, header: &[&str; N], rows: &[[String; N]]) {
    let mut widths: [usize; N] = header.map(str::len);
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |out: &mut String, cells: Vec<&str>| {
        let mut text = String::from(" ");
        for (i, cell) in cells.iter().enumerate() {
            // Text columns (the first two and the last one of the topic table) align left.
            let pad = widths[i] - cell.chars().count();
            let numeric = cell.chars().next().is_some_and(|c| c.is_ascii_digit()) && i > 0 && N > 3;
            text.push(' ');
            if numeric {
                text.push_str(&" ".repeat(pad));
                text.push_str(cell);
            } else {
                text.push_str(cell);
                text.push_str(&" ".repeat(pad));
            }
            text.push(' ');
        }
        let _ = writeln!(out, "{}", text.trim_end());
    };
    line(out, header.to_vec());
    for row in rows {
        line(out, row.iter().map(String::as_str).collect());
    }
}

fn table_md<const N: usize>(out: &mut String, header: &[&str; N], rows: &[[String; N]]) {
    let _ = writeln!(out, "| {} |", header.join(" | "));
    // Right-align columns whose cells all start with a digit (counts, sizes, durations).
    let numeric = |i: usize| {
        !rows.is_empty()
            && rows
                .iter()
                .all(|r| r[i].starts_with(|c: char| c.is_ascii_digit()))
    };
    let rule: String = (0..N)
        .map(|i| if numeric(i) { "---:|" } else { "---|" })
        .collect();
    let _ = writeln!(out, "|{rule}");
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| escape_md(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_diagnostics_of_one_code_are_counted() {
        let mut plan = crate::plan::tests::crafted_plan();
        let diagnostic = |code: &str, i: usize| PlanDiagnostic {
            severity: Severity::Warning,
            code: code.into(),
            subject: Some(format!("t{i:02}")),
            message: format!("{code} t{i:02}"),
        };
        plan.diagnostics = (0..8)
            .map(|i| diagnostic("transactional-unknown", i))
            .chain([diagnostic("z-other", 0)])
            .collect();
        let text = render(&plan, Style::Text);
        assert!(text.contains("9 warning(s)"), "{text}");
        assert!(text.contains("transactional-unknown t04\n  … and 3 more warning[transactional-unknown]; see diagnostics in plan.json\n  warning[z-other]: z-other t00"), "{text}");
        assert!(!text.contains("t05"), "{text}");
        let md = render(&plan, Style::Markdown);
        assert!(md.contains("- … and 3 more `transactional-unknown` warning(s); see `diagnostics` in plan.json\n- **warning** `z-other`"), "{md}");
    }
}
