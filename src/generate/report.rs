//! `report.html`: the plan for approvers in one self-contained file — flows as SVG bar charts,
//! every decision with its reason (searchable), the cost ranking with its assumptions, and,
//! given an `inspect --format json` report, the cutover state of each consumer group.
//!
//! Rendering only: every figure comes from `plan.json` (costs included) or the inspect report;
//! nothing is computed here but sums and counts for display. The file has inline CSS and SVG
//! and one small inline script (the search box); it loads nothing (a Content-Security-Policy
//! forbids any fetch) and contains no URL. Every text from the inputs is HTML-escaped, so a
//! topic named `<script>` is shown as text. The same inputs give the same bytes.
//!
//! Large plans stay usable: the long tables show their first [`ROW_LIMIT`] rows (planned
//! topics with the most to review first: skipped and classic ones, then diskless by name) and
//! say how many more there are; the counts and totals cover everything.
//!
//! Longer than most modules: one self-contained page, its styles, its script and every table,
//! kept in one file so that the page is reviewed as a whole.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Deserialize;

use crate::plan::summary::{bytes, duration, money, rate};
use crate::plan::{CostBreakdown, Decision, Plan, Severity, TopicPlan};

/// Rows shown at most in each long table (topics, ranking, inspect rows).
pub const ROW_LIMIT: usize = 1000;

/// Bars shown at most in the chart of savings.
pub const CHART_LIMIT: usize = 20;

/// One row of an `inspect --format json` report: the fields the report shows.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct InspectRow {
    /// MirrorMaker 2 cluster pair (`source->target`).
    #[serde(default)]
    pub cluster_pair: String,
    /// Consumer group.
    pub group: String,
    /// Source topic (`-` for a group-level row).
    pub topic: String,
    /// Partition, when the row is about one.
    #[serde(default)]
    pub partition: Option<i32>,
    /// Whether the partition can cut over.
    pub is_ok: bool,
    /// What blocks it, when something does.
    #[serde(default)]
    pub blocking_component: Option<String>,
    /// The verdict in words.
    #[serde(default)]
    pub message: String,
}

/// An `inspect --format json` report: `{"rows": [...]}` (a `summary` is ignored).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct InspectReport {
    /// Every row.
    pub rows: Vec<InspectRow>,
}

/// Parses an inspect JSON report; `Err` has the parser's message.
pub fn parse_inspect(text: &str) -> Result<InspectReport, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// `text` safe inside HTML text and double- or single-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "\
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header{background:#1d2430;color:#fff;padding:18px 28px}header h1{margin:0 0 4px;font-size:20px}
header p{margin:0;color:#c9d1dc}header code{background:#34405a;color:#fff}main{padding:8px 28px 40px;max-width:1200px}
section{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:14px 18px;margin:16px 0}
h2{font-size:17px;margin:0 0 10px}h3{font-size:14px;margin:14px 0 6px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceff3;vertical-align:top}
th{background:#f0f2f5;position:sticky;top:0}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.cards{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid #dde2e8;border-radius:6px;padding:8px 12px;min-width:140px}
.card b{display:block;font-size:18px}.muted{color:#5b6675}.note{color:#5b6675;font-style:italic}
.diskless{color:#0b6e4f}.classic{color:#8a5a00}.skip{color:#6b7280}.ok{color:#0b6e4f}.blocked{color:#b42318}
svg{display:block;margin:4px 0 12px}svg text{font:12px system-ui,sans-serif;fill:#1d2430}
rect.bar{fill:#3a6ea5}rect.bar.saving{fill:#0b6e4f}rect.bar.unknown{fill:#c5ccd6}
input[type=search]{width:100%;max-width:420px;padding:6px 8px;margin:0 0 8px;border:1px solid #b9c2cd;border-radius:4px}
tr[hidden]{display:none}.nowrap{white-space:nowrap}ul{margin:4px 0 8px 18px;padding:0}code{background:#f0f2f5;padding:0 3px;border-radius:3px}
";

/// The search box: hides the rows of a table (`data-search` = its id) that do not contain the
/// text typed.
const SCRIPT: &str = "\
(function () {
  var boxes = document.querySelectorAll('input[data-search]');
  for (var i = 0; i < boxes.length; i++) {
    boxes[i].addEventListener('input', function (event) {
      var box = event.target;
      var wanted = box.value.toLowerCase();
      var rows = document.querySelectorAll('#' + box.getAttribute('data-search') + ' tbody tr');
      for (var j = 0; j < rows.length; j++) {
        rows[j].hidden = wanted !== '' && rows[j].textContent.toLowerCase().indexOf(wanted) < 0;
      }
    });
  }
})();
";

/// Renders the report of `plan` (and of `inspect`, when given). The order of topics and flows
/// in the plan does not matter: both are shown sorted by name.
pub fn render(plan: &Plan, inspect: Option<&InspectReport>) -> String {
    let sorted;
    let plan = if plan.topics.is_sorted_by(|a, b| a.name <= b.name)
        && plan.flows.is_sorted_by(|a, b| a.name <= b.name)
    {
        plan
    } else {
        let mut p = plan.clone();
        p.topics.sort_by(|a, b| a.name.cmp(&b.name));
        p.flows.sort_by(|a, b| a.name.cmp(&b.name));
        sorted = p;
        &sorted
    };
    let mut out = String::with_capacity(64 * 1024);
    let s = &plan.settings;
    let title = format!("Migration plan: {} → {}", s.project, s.destination.service_name);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<!-- Generated by `diskless-migrator generate` (or `report`) from plan.json. Do not edit by hand. -->\n\
         <html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        escape(&title)
    );
    let (diskless, classic, skip) = plan.counts();
    let _ = write!(
        out,
        "<header><h1>{}</h1><p>Destination <code>{}</code> ({}, Kafka {}) in {}; MirrorMaker 2 <code>{}</code> ({}). \
         Inventory of cluster {} collected at {}; plan by {}.</p></header>\n<main>\n",
        escape(&title),
        escape(&s.destination.service_name),
        escape(&s.destination.plan),
        escape(&s.destination.kafka_version),
        escape(&s.cloud),
        escape(&s.mirrormaker.service_name),
        escape(&s.mirrormaker.plan),
        escape(plan.inventory.cluster_id.as_deref().unwrap_or("(id unknown)")),
        escape(&plan.inventory.collected_at),
        escape(&plan.tool),
    );
    let errors = plan
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let _ = write!(
        out,
        "<section id=\"overview\"><h2>Overview</h2><div class=\"cards\">\
         <div class=\"card\"><b class=\"diskless\">{}</b>diskless topics</div>\
         <div class=\"card\"><b class=\"classic\">{}</b>classic topics</div>\
         <div class=\"card\"><b class=\"skip\">{}</b>skipped</div>\
         <div class=\"card\"><b>{}</b>flows</div>\
         <div class=\"card\"><b>{}</b>warnings, {errors} errors</div>",
        int(diskless),
        int(classic),
        int(skip),
        int(plan.flows.len()),
        int(plan.diagnostics.len() - errors),
    );
    if let Some(cost) = &plan.cost {
        let _ = write!(
            out,
            "<div class=\"card\"><b class=\"diskless\">{}</b>{} a month saved as planned</div>",
            money(cost.totals.saving),
            escape(&cost.parameters.currency)
        );
    }
    out.push_str("</div></section>\n");

    flows_section(&mut out, plan);
    cost_section(&mut out, plan);
    decisions_section(&mut out, plan);
    if let Some(inspect) = inspect {
        inspect_section(&mut out, inspect);
    }
    access_section(&mut out, plan);
    diagnostics_section(&mut out, plan);
    let _ = write!(out, "</main>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

/// A horizontal bar chart, one bar per item (a zero-width, grey bar when the value is
/// unknown), with the value written after each bar.
fn bar_chart(out: &mut String, id: &str, class: &str, items: &[(String, Option<f64>, String)]) {
    const LABEL: usize = 210;
    const WIDTH: usize = 440;
    const ROW: usize = 22;
    let max = items.iter().filter_map(|(_, v, _)| *v).fold(0.0f64, f64::max);
    let height = items.len() * ROW + 4;
    let _ = write!(
        out,
        "<svg id=\"{id}\" class=\"chart\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\" role=\"img\">",
        LABEL + WIDTH + 140,
        LABEL + WIDTH + 140
    );
    for (i, (label, value, text)) in items.iter().enumerate() {
        let y = i * ROW + 2;
        let width = match value {
            Some(v) if max > 0.0 && *v > 0.0 => ((v / max) * WIDTH as f64).round().max(1.0) as usize,
            _ => 0,
        };
        let unknown = if value.is_none() { " unknown" } else { "" };
        let shown: String = label.chars().take(30).collect();
        let shown = if shown.len() < label.len() {
            format!("{shown}…")
        } else {
            shown
        };
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect class=\"bar {class}{unknown}\" data-label=\"{}\" x=\"{LABEL}\" y=\"{y}\" width=\"{width}\" height=\"{}\"><title>{}: {}</title></rect>\
             <text x=\"{}\" y=\"{}\">{}</text>",
            LABEL - 8,
            y + 15,
            escape(&shown),
            escape(label),
            ROW - 6,
            escape(label),
            escape(text),
            LABEL + width + 6,
            y + 15,
            escape(text),
        );
    }
    out.push_str("</svg>\n");
}

fn flows_section(out: &mut String, plan: &Plan) {
    let m = &plan.mirrormaker;
    let _ = writeln!(
        out,
        "<section id=\"flows\"><h2>Replication flows</h2><p class=\"muted\">{} flow(s), balanced by {}; \
         tasks.max {} per flow; copy estimates at {} per flow.</p>",
        plan.flows.len(),
        escape(&m.balanced_by),
        m.tasks_max,
        escape(&rate(m.expected_bytes_per_second_per_flow as f64)),
    );
    let chart = |out: &mut String,
                 title: &str,
                 id: &str,
                 value: &dyn Fn(&crate::plan::Flow) -> (Option<f64>, String)| {
        let _ = writeln!(out, "<h3>{title}</h3>");
        let items: Vec<(String, Option<f64>, String)> = plan
            .flows
            .iter()
            .map(|f| {
                let (v, text) = value(f);
                (f.name.clone(), v, text)
            })
            .collect();
        bar_chart(out, id, "flow", &items);
    };
    chart(out, "Bytes on the source", "chart-flow-bytes", &|f| {
        (
            f.size_bytes.map(|b| b as f64),
            f.size_bytes.map_or("unknown".into(), bytes),
        )
    });
    chart(out, "Partitions", "chart-flow-partitions", &|f| {
        (Some(f64::from(f.partitions)), int(f.partitions as usize))
    });
    chart(out, "Produce rate on the source", "chart-flow-rate", &|f| {
        (
            f.bytes_per_second,
            f.bytes_per_second.map_or("not sampled".into(), rate),
        )
    });
    chart(out, "Estimated copy time", "chart-flow-copy", &|f| {
        (
            f.estimated_copy_seconds.map(|s| s as f64),
            f.estimated_copy_seconds.map_or("unknown".into(), duration),
        )
    });
    out.push_str(
        "<table id=\"flow-table\"><thead><tr><th>flow</th><th>source alias</th><th class=\"n\">topics</th>\
         <th class=\"n\">partitions</th><th class=\"n\">size</th><th class=\"n\">rate</th><th class=\"n\">copy time</th></tr></thead><tbody>\n",
    );
    for f in &plan.flows {
        let _ = writeln!(
            out,
            "<tr class=\"flow\"><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&f.name),
            escape(&f.source_alias),
            int(f.topics.len()),
            int(f.partitions as usize),
            escape(&f.size_bytes.map_or("unknown".into(), bytes)),
            escape(&f.bytes_per_second.map_or("not sampled".into(), rate)),
            escape(&f.estimated_copy_seconds.map_or("unknown".into(), duration)),
        );
    }
    out.push_str("</tbody></table></section>\n");
}

fn total(b: &Option<CostBreakdown>) -> String {
    b.as_ref().map_or("unknown".into(), |b| money(b.total))
}

fn cost_section(out: &mut String, plan: &Plan) {
    out.push_str("<section id=\"cost\"><h2>Monthly cost and savings</h2>\n");
    let Some(cost) = &plan.cost else {
        out.push_str("<p class=\"note\">This plan has no cost figures (written before the cost model): run <code>plan</code> again.</p></section>\n");
        return;
    };
    let c = escape(&cost.parameters.currency);
    let t = &cost.totals;
    let _ = writeln!(
        out,
        "<div class=\"cards\"><div class=\"card\"><b>{}</b>{c} a month, every topic classic (RF 3)</div>\
         <div class=\"card\"><b>{}</b>{c} a month as planned</div>\
         <div class=\"card\"><b class=\"diskless\">{}</b>{c} a month saved</div>\
         <div class=\"card\"><b>{}</b>{c} a month on the source today</div>\
         <div class=\"card\"><b>{} / {}</b>topics with known / unknown cost</div></div>",
        money(t.all_classic),
        money(t.as_planned),
        money(t.saving),
        t.source.map_or("unknown".into(), money),
        int(t.topics_known as usize),
        int(t.topics_unknown as usize),
    );
    if let Some(hint) = &cost.hint {
        let _ = writeln!(out, "<p class=\"note\">{}.</p>", escape(hint));
    }
    out.push_str("<h3>Assumptions</h3><ul>");
    for a in &cost.assumptions {
        let _ = write!(out, "<li>{}</li>", escape(a));
    }
    out.push_str("</ul>\n");
    let mut ranked: Vec<(u32, &TopicPlan)> = plan
        .topics
        .iter()
        .filter_map(|tp| Some((tp.cost.as_ref()?.rank?, tp)))
        .collect();
    ranked.sort_by_key(|(rank, _)| *rank);
    let _ = writeln!(out, "<h3>Largest savings</h3>");
    let items: Vec<(String, Option<f64>, String)> = ranked
        .iter()
        .take(CHART_LIMIT)
        .map(|(_, tp)| {
            let saving = tp.cost.as_ref().and_then(|c| c.saving);
            (
                tp.name.clone(),
                saving.map(|s| s.max(0.0)),
                saving.map_or("unknown".into(), |s| {
                    format!("{} {}", money(s), cost.parameters.currency)
                }),
            )
        })
        .collect();
    if items.is_empty() {
        out.push_str("<p class=\"note\">No topic is ranked (none planned diskless with a known cost).</p>\n");
    } else {
        bar_chart(out, "chart-savings", "saving", &items);
    }
    let _ = writeln!(
        out,
        "<h3>Ranking by saving</h3><input type=\"search\" placeholder=\"Filter the ranking\" data-search=\"ranking\" aria-label=\"Filter the ranking\">\
         <table id=\"ranking\"><thead><tr><th class=\"n\">rank</th><th>topic</th><th class=\"n\">classic</th><th class=\"n\">diskless</th>\
         <th class=\"n\">saving</th><th class=\"n\">cross-zone (classic → diskless)</th><th class=\"n\">storage (classic → diskless)</th><th class=\"n\">requests</th></tr></thead><tbody>"
    );
    for (rank, tp) in ranked.iter().take(ROW_LIMIT) {
        let Some(tc) = &tp.cost else { continue };
        let (cx, dx) = (tc.classic.as_ref(), tc.diskless.as_ref());
        let pair = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => format!("{} → {}", money(a), money(b)),
            _ => "unknown".into(),
        };
        let _ = writeln!(
            out,
            "<tr class=\"ranked\"><td class=\"n\">{rank}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&tp.name),
            total(&tc.classic),
            total(&tc.diskless),
            tc.saving.map_or("unknown".into(), money),
            pair(
                cx.map(CostBreakdown::cross_zone),
                dx.map(CostBreakdown::cross_zone)
            ),
            pair(
                cx.map(|b| b.disk + b.object_storage),
                dx.map(|b| b.disk + b.object_storage)
            ),
            dx.map_or("unknown".into(), |b| money(b.put_requests + b.get_requests)),
        );
    }
    out.push_str("</tbody></table>\n");
    more_note(out, ranked.len(), "ranked topics", "cost.rank");
    out.push_str("</section>\n");
}

/// The note under a table cut at [`ROW_LIMIT`] rows.
fn more_note(out: &mut String, count: usize, what: &str, field: &str) {
    if count > ROW_LIMIT {
        let _ = writeln!(
            out,
            "<p class=\"note\">Showing the first {} of {} {what}; plan.json has all of them ({field}).</p>",
            int(ROW_LIMIT),
            int(count)
        );
    }
}

/// A count with thousands separators, e.g. `50,000`.
fn int(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn decision_name(d: Decision) -> &'static str {
    match d {
        Decision::Diskless => "diskless",
        Decision::Classic => "classic",
        Decision::Skip => "skip",
    }
}

fn decisions_section(out: &mut String, plan: &Plan) {
    out.push_str("<section id=\"decisions\"><h2>Decisions</h2>\n");
    // Reasons by how many topics share them: the overview of a large plan. The per-topic
    // details of a reason (e.g. evidence counts) make many distinct reasons; the first
    // clause groups them.
    let mut reasons: BTreeMap<(Decision, &str), usize> = BTreeMap::new();
    for t in &plan.topics {
        let head = t.reason.split(';').next().unwrap_or("");
        *reasons.entry((t.decision, head)).or_default() += 1;
    }
    let mut grouped: Vec<_> = reasons.into_iter().collect();
    grouped.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out.push_str(
        "<h3>Reasons</h3><table id=\"reasons\"><thead><tr><th>decision</th><th>reason (first clause)</th><th class=\"n\">topics</th></tr></thead><tbody>\n",
    );
    for ((d, reason), count) in grouped.iter().take(50) {
        let _ = writeln!(
            out,
            "<tr><td class=\"{0}\">{0}</td><td>{1}</td><td class=\"n\">{count}</td></tr>",
            decision_name(*d),
            escape(reason)
        );
    }
    out.push_str("</tbody></table>\n");
    if grouped.len() > 50 {
        let _ = writeln!(
            out,
            "<p class=\"note\">Showing the 50 most common of {} reasons.</p>",
            grouped.len()
        );
    }
    // Topics that need review first: skipped and classic, then diskless; by name within each.
    let mut order: Vec<&TopicPlan> = plan.topics.iter().collect();
    order.sort_by_key(|t| match t.decision {
        Decision::Skip => 0,
        Decision::Classic => 1,
        Decision::Diskless => 2,
    });
    let _ = writeln!(
        out,
        "<h3>Every topic</h3><input type=\"search\" placeholder=\"Filter topics by name, decision, reason or flow\" data-search=\"topics\" aria-label=\"Filter topics\">\
         <table id=\"topics\"><thead><tr><th>topic</th><th>decision</th><th>reason</th><th class=\"n\">partitions</th>\
         <th class=\"n\">size</th><th class=\"n\">rate</th><th>flow</th><th class=\"n\">saving</th></tr></thead><tbody>"
    );
    for t in order.iter().take(ROW_LIMIT) {
        let d = decision_name(t.decision);
        let saving = match &t.cost {
            Some(c) => c.saving.map_or_else(
                || format!("unknown: {}", c.unknown.as_deref().unwrap_or("")),
                money,
            ),
            None => "—".into(),
        };
        let _ = writeln!(
            out,
            "<tr class=\"topic\"><td>{}</td><td class=\"{d}\">{d}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"nowrap\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&t.name),
            escape(&t.reason),
            int(t.partitions as usize),
            escape(&t.size_bytes.map_or("unknown".into(), bytes)),
            escape(&t.bytes_per_second.map_or("not sampled".into(), rate)),
            escape(t.flow.as_deref().unwrap_or("—")),
            escape(&saving),
        );
    }
    out.push_str("</tbody></table>\n");
    more_note(out, plan.topics.len(), "topics", "topics");
    out.push_str("</section>\n");
}

fn inspect_section(out: &mut String, inspect: &InspectReport) {
    /// Per group: rows, rows that can cut over, and what blocks the others.
    #[derive(Default)]
    struct Group<'a> {
        rows: usize,
        ok: usize,
        blocking: BTreeMap<&'a str, usize>,
        first_message: Option<&'a str>,
    }
    let mut groups: BTreeMap<(&str, &str), Group<'_>> = BTreeMap::new();
    for r in &inspect.rows {
        let g = groups
            .entry((r.cluster_pair.as_str(), r.group.as_str()))
            .or_default();
        g.rows += 1;
        if r.is_ok {
            g.ok += 1;
        } else {
            *g.blocking
                .entry(r.blocking_component.as_deref().unwrap_or("unknown"))
                .or_default() += 1;
            g.first_message.get_or_insert(r.message.as_str());
        }
    }
    let ready = groups.values().filter(|g| g.ok == g.rows).count();
    let _ = writeln!(
        out,
        "<section id=\"cutover\"><h2>Cutover state per consumer group</h2><p class=\"muted\">From the inspect report: \
         {ready} of {} group(s) can cut over ({} partition row(s)).</p>\
         <input type=\"search\" placeholder=\"Filter groups\" data-search=\"groups\" aria-label=\"Filter groups\">\
         <table id=\"groups\"><thead><tr><th>cluster pair</th><th>group</th><th>state</th><th class=\"n\">partitions ok</th>\
         <th>blocking</th><th>first blocking message</th></tr></thead><tbody>",
        groups.len(),
        inspect.rows.len(),
    );
    for ((pair, group), g) in groups.iter().take(ROW_LIMIT) {
        let (class, state) = if g.ok == g.rows {
            ("ok", "ready")
        } else {
            ("blocked", "blocked")
        };
        let blocking: Vec<String> = g.blocking.iter().map(|(c, n)| format!("{c} ({n})")).collect();
        let _ = writeln!(
            out,
            "<tr class=\"group\"><td>{}</td><td>{}</td><td class=\"{class}\">{state}</td><td class=\"n\">{} / {}</td><td>{}</td><td>{}</td></tr>",
            escape(pair),
            escape(group),
            g.ok,
            g.rows,
            escape(&blocking.join(", ")),
            escape(g.first_message.unwrap_or("")),
        );
    }
    out.push_str("</tbody></table>\n");
    more_note(out, groups.len(), "groups", "the inspect report's rows");
    out.push_str("</section>\n");
}

/// Users, ACL bindings and quotas carried over, and what waits for a decision; nothing for a
/// plan without an access section.
fn access_section(out: &mut String, plan: &Plan) {
    let Some(access) = &plan.access else {
        return;
    };
    let _ = writeln!(
        out,
        "<section id=\"access\"><h2>Access</h2><p class=\"muted\">{}</p>",
        escape(&access.reason)
    );
    if !access.managed {
        out.push_str("</section>\n");
        return;
    }
    if !access.undecided_principals.is_empty() {
        out.push_str("<h3>Principals waiting for a decision</h3><ul>");
        for p in access.undecided_principals.iter().take(ROW_LIMIT) {
            let _ = write!(
                out,
                "<li><code>{}</code> ({} binding(s)): {}</li>",
                escape(&p.principal),
                p.bindings,
                escape(&p.reason)
            );
        }
        out.push_str("</ul>\n");
        more_note(
            out,
            access.undecided_principals.len(),
            "principals",
            "access.undecided_principals",
        );
    }
    let decide: Vec<_> = access.dropped_acls.iter().filter(|d| d.needs_decision).collect();
    if !decide.is_empty() {
        let _ = writeln!(
            out,
            "<p>{} binding(s) are not carried over until someone decides (cluster bindings, \
             undecided principals): <code>access.dropped_acls</code> in plan.json.</p>",
            int(decide.len())
        );
    }
    out.push_str(
        "<h3>Users</h3><table id=\"access-users\"><thead><tr><th>user</th><th>source principals</th>\
         <th>mechanism</th><th>reason</th></tr></thead><tbody>\n",
    );
    for u in access.users.iter().take(ROW_LIMIT) {
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&u.username),
            escape(&u.source_principals.join(", ")),
            u.sasl_mechanism.map_or("certificate", |m| m.as_str()),
            escape(&u.reason)
        );
    }
    out.push_str("</tbody></table>\n");
    more_note(out, access.users.len(), "users", "access.users");
    out.push_str(
        "<h3>ACL bindings</h3><table id=\"access-acls\"><thead><tr><th>principal</th><th>resource</th>\
         <th>operation</th><th>permission</th><th>host</th><th>reason</th></tr></thead><tbody>\n",
    );
    for a in access.acls.iter().take(ROW_LIMIT) {
        let b = &a.binding;
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{} {} <code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&b.principal),
            b.resource_type.as_str(),
            b.pattern_type.as_str(),
            escape(&b.resource_name),
            b.operation.as_str(),
            b.permission_type.as_str(),
            escape(&b.host),
            escape(&a.reason)
        );
    }
    out.push_str("</tbody></table>\n");
    more_note(out, access.acls.len(), "bindings", "access.acls");
    let _ = writeln!(
        out,
        "<p>{} quota(s) carried over, {} dropped; source grants for MirrorMaker 2 on {} resource(s) \
         (<code>source-grants.sh</code>); client settings for {} user(s) (<code>clients/</code>).</p></section>",
        int(access.quotas.len()),
        int(access.dropped_quotas.len()),
        int(access
            .source_grants
            .grants
            .iter()
            .map(|g| g.resource_names.len())
            .sum()),
        int(access.clients.len())
    );
}

fn diagnostics_section(out: &mut String, plan: &Plan) {
    let _ = writeln!(out, "<section id=\"diagnostics\"><h2>Diagnostics</h2>");
    if plan.diagnostics.is_empty() {
        out.push_str("<p>None.</p></section>\n");
        return;
    }
    let mut by_code: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for d in &plan.diagnostics {
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        by_code
            .entry((severity, d.code.as_str()))
            .or_default()
            .push(d.message.as_str());
    }
    for messages in by_code.values_mut() {
        messages.sort_unstable();
    }
    out.push_str("<ul>");
    for ((severity, code), messages) in &by_code {
        let _ = write!(
            out,
            "<li><b>{severity}</b> <code>{}</code> ({}):<ul>",
            escape(code),
            messages.len()
        );
        for m in messages.iter().take(crate::plan::summary::PER_CODE) {
            let _ = write!(out, "<li>{}</li>", escape(m));
        }
        if messages.len() > crate::plan::summary::PER_CODE {
            let _ = write!(
                out,
                "<li class=\"note\">… and {} more; see diagnostics in plan.json</li>",
                messages.len() - crate::plan::summary::PER_CODE
            );
        }
        out.push_str("</ul></li>");
    }
    out.push_str("</ul></section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    #[test]
    fn hostile_names_render_as_text_and_no_url_is_fetched() {
        let mut plan = crate::plan::tests::crafted_plan();
        plan.topics[1].name = "<script>alert(1)</script>".into();
        plan.topics[1].reason = "\"><img src=x onerror=alert(1)>".into();
        let inspect = InspectReport {
            rows: vec![InspectRow {
                cluster_pair: "a->b".into(),
                group: "<b>g</b>".into(),
                topic: "t".into(),
                partition: Some(0),
                is_ok: false,
                blocking_component: Some("REPLICATION".into()),
                message: "<i>".into(),
            }],
        };
        let html = render(&plan, Some(&inspect));
        assert!(!html.contains("<script>alert"), "a topic name opened a script");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<img"));
        assert!(!html.contains("<b>g</b>"));
        assert_eq!(html.matches("<script>").count(), 1, "only the search script");
        assert!(!html.contains("http://") && !html.contains("https://"));
        for fetching in [" src=\"", " href=\"", "url(", "<link", "<iframe", "@import"] {
            assert!(!html.contains(fetching), "{fetching}");
        }
        assert_eq!(render(&plan, Some(&inspect)), html, "deterministic");
    }

    /// What `inspect --format json` writes is what the report reads.
    #[test]
    fn reads_the_inspect_json_writer() {
        use crate::inspect::compare::{Component, Row};
        let row = Row {
            cluster_pair: "source-01->destination".into(),
            topic: "orders".into(),
            partition: Some(2),
            group: "billing".into(),
            source_topic_earliest_offset: Some(0),
            source_topic_latest_offset: Some(9),
            source_group_state: "Stable".into(),
            source_group_offset: Some(9),
            source_group_lag: Some(0),
            target_topic_earliest_offset: None,
            target_topic_latest_offset: None,
            target_group_state: "Empty".into(),
            target_group_offset: None,
            target_group_lag: None,
            target_group_lag_to_source: None,
            source_has_data: true,
            source_group_valid: true,
            target_has_data: false,
            is_ok: false,
            blocking_component: Some(Component::Replication),
            message: "behind".into(),
            target_topic: Some("orders".into()),
            expected_target_offset: None,
            hold: Some(crate::inspect::compare::HoldCause::SyncPending),
        };
        let mut json = Vec::new();
        let summary = crate::inspect::report::summarize(std::slice::from_ref(&row));
        crate::inspect::report::write_json(&[row], Some(&summary), &mut json).unwrap();
        let parsed = parse_inspect(std::str::from_utf8(&json).unwrap()).unwrap();
        assert_eq!(
            parsed.rows,
            [InspectRow {
                cluster_pair: "source-01->destination".into(),
                group: "billing".into(),
                topic: "orders".into(),
                partition: Some(2),
                is_ok: false,
                blocking_component: Some("REPLICATION".into()),
                message: "behind".into(),
            }]
        );
    }

    #[test]
    fn large_tables_are_cut_with_a_note() {
        let mut plan = crate::plan::tests::crafted_plan();
        let template = plan.topics[2].clone();
        plan.topics = (0..ROW_LIMIT + 5)
            .map(|i| TopicPlan {
                name: format!("t{i:05}"),
                ..template.clone()
            })
            .collect();
        let html = render(&plan, None);
        assert_eq!(html.matches("<tr class=\"topic\">").count(), ROW_LIMIT);
        assert!(html.contains("Showing the first 1,000 of 1,005 topics"));
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(50_000), "50,000");
    }
}
