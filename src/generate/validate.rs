//! `plan.json` as untrusted input: everything the renderers rely on is checked before a single
//! file is rendered.
//!
//! `plan.json` is reviewed and sometimes edited in pull requests, so `generate` treats it like
//! any other input file. Every name and value that reaches a generated file must follow the
//! grammar of [`crate::plan::names`] (which the planner also applies), topic names follow
//! Kafka's rules, each flow's regexes are exactly the anchored regexes of its own topics (a
//! flow cannot copy a topic the plan did not put in it), and the exclude lists hold no
//! character that could start a new line in `mm2.properties`. The generated files still escape
//! what they write (HCL, Java properties, JSON); these checks make sure there is nothing
//! dangerous left to escape.

use std::collections::{BTreeMap, BTreeSet};

use super::GenerateError;
use crate::plan::access::{CLUSTER_RESOURCE, acl_key, binding_problem};
use crate::plan::config_translation;
use crate::plan::names::{self, has_control};
use crate::plan::selection::topic_name_problem;
use crate::plan::{
    AclResourceType, ConfigValue, Decision, PLAN_SCHEMA_VERSION, Plan, SecurityProtocol, Severity, flows,
};
use crate::snippet::shorten;

/// At most this many problems are listed; the count of the rest follows.
const LISTED_PROBLEMS: usize = 25;

/// Checks everything the renderers rely on.
pub(crate) fn validate(plan: &Plan) -> Result<(), GenerateError> {
    if plan.schema_version != PLAN_SCHEMA_VERSION {
        return Err(GenerateError::SchemaVersion {
            path: "the plan".into(),
            found: plan.schema_version.to_string(),
            expected: PLAN_SCHEMA_VERSION,
        });
    }
    let errors: Vec<_> = plan
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if let Some(first) = errors.first() {
        return Err(GenerateError::PlanHasErrors {
            count: errors.len(),
            first: format!("{}: {}", first.code, shorten(&first.message)),
        });
    }
    let mut problems = Problems::default();
    settings(plan, &mut problems);
    mirrormaker(plan, &mut problems);
    let flow_names = flows_and_topics(plan, &mut problems);
    topics(plan, &flow_names, &mut problems);
    access(plan, &mut problems);
    problems.into_result()
}

/// Problems found so far, of which only the first [`LISTED_PROBLEMS`] are kept.
#[derive(Default)]
struct Problems {
    listed: Vec<String>,
    total: usize,
}

impl Problems {
    fn push(&mut self, problem: String) {
        self.total += 1;
        if self.listed.len() < LISTED_PROBLEMS {
            self.listed.push(problem);
        }
    }

    fn into_result(mut self) -> Result<(), GenerateError> {
        if self.total == 0 {
            return Ok(());
        }
        if self.total > self.listed.len() {
            self.listed
                .push(format!("and {} more problem(s)", self.total - self.listed.len()));
        }
        Err(GenerateError::Invalid {
            problems: self.listed,
        })
    }
}

/// `value` for a message: shortened and quoted, control characters escaped.
fn quoted(value: &str) -> String {
    format!("{:?}", shorten(value))
}

fn settings(plan: &Plan, problems: &mut Problems) {
    let s = &plan.settings;
    let mut check = |what: &str, value: &str, ok: fn(&str) -> bool, rule: &str| {
        if !ok(value) {
            problems.push(format!("{what} {} is not {rule}", quoted(value)));
        }
    };
    check(
        "settings.project",
        &s.project,
        names::is_project_name,
        "an Aiven project name (lowercase letters, digits, '-')",
    );
    check(
        "settings.cloud",
        &s.cloud,
        names::is_cloud_name,
        "an Aiven cloud name (lowercase letters, digits, '-')",
    );
    let service = "an Aiven service name (lowercase letters, digits, '-')";
    let plan_rule = "an Aiven plan name";
    check(
        "settings.destination.service_name",
        &s.destination.service_name,
        names::is_service_name,
        service,
    );
    check(
        "settings.destination.plan",
        &s.destination.plan,
        names::is_plan_name,
        plan_rule,
    );
    check(
        "settings.mirrormaker.service_name",
        &s.mirrormaker.service_name,
        names::is_service_name,
        service,
    );
    check(
        "settings.mirrormaker.plan",
        &s.mirrormaker.plan,
        names::is_plan_name,
        plan_rule,
    );
    check(
        "settings.destination.cluster_alias",
        &s.destination.cluster_alias,
        names::is_alias,
        "a MirrorMaker 2 cluster alias (letters, digits, '.', '_', '-')",
    );
    if let Some(o) = &s.observability {
        check(
            "settings.observability.grafana_service_name",
            &o.grafana_service_name,
            names::is_service_name,
            service,
        );
        check(
            "settings.observability.thanos_service_name",
            &o.thanos_service_name,
            names::is_service_name,
            service,
        );
        check(
            "settings.observability.grafana_plan",
            &o.grafana_plan,
            names::is_plan_name,
            plan_rule,
        );
        check(
            "settings.observability.thanos_plan",
            &o.thanos_plan,
            names::is_plan_name,
            plan_rule,
        );
    }
    if let Some(t) = &s.terraform_cloud {
        let rule = "a Terraform Cloud name (letters, digits, '_', '-')";
        check(
            "settings.terraform_cloud.organization",
            &t.organization,
            names::is_terraform_cloud_name,
            rule,
        );
        check(
            "settings.terraform_cloud.destination_workspace",
            &t.destination_workspace,
            names::is_terraform_cloud_name,
            rule,
        );
        check(
            "settings.terraform_cloud.migration_workspace",
            &t.migration_workspace,
            names::is_terraform_cloud_name,
            rule,
        );
    }
    let version = &s.destination.kafka_version;
    let major = version.split('.').next().and_then(|m| m.parse::<u32>().ok());
    if !names::is_kafka_version(version) || !matches!(major, Some(m) if m >= 4) {
        problems.push(format!(
            "settings.destination.kafka_version {} is not 4.0 or newer (diskless topics need Kafka 4)",
            quoted(version)
        ));
    }
    let source = &s.source;
    if let Some(problem) = names::bootstrap_problem(&source.bootstrap_servers) {
        problems.push(format!(
            "settings.source.bootstrap_servers is not a list of host:port: {problem}"
        ));
    }
    if source.security_protocol.is_sasl() && source.sasl_mechanism.is_none() {
        problems.push("settings.source.sasl_mechanism is required with a SASL security protocol".into());
    }
    if let Some(a) = &source.ssl_endpoint_identification_algorithm
        && a != "https"
    {
        problems.push(format!(
            "settings.source.ssl_endpoint_identification_algorithm {} is not \"https\" (or null)",
            quoted(a)
        ));
    }
}

/// Task counts must be positive. The exclude lists go into `mm2.properties` joined by commas and into the MirrorMaker 2
/// module: each entry must be one regex on one line, and must not exclude a migrated topic.
fn mirrormaker(plan: &Plan, problems: &mut Problems) {
    let m = &plan.mirrormaker;
    for (what, value) in [
        ("mirrormaker.tasks_max", m.tasks_max),
        ("mirrormaker.tasks_max_per_cpu", m.tasks_max_per_cpu),
    ] {
        if value == 0 {
            problems.push(format!("{what} is 0; MirrorMaker 2 needs at least one task"));
        }
    }
    for (what, list) in [
        ("mirrormaker.topics_exclude", &m.topics_exclude),
        (
            "mirrormaker.config_properties_exclude",
            &m.config_properties_exclude,
        ),
    ] {
        for entry in list {
            if entry.is_empty() || has_control(entry) || entry.contains(',') {
                problems.push(format!(
                    "{what} entry {} is empty or holds a comma or a control character",
                    quoted(entry)
                ));
            } else if regex::Regex::new(&format!("^(?:{entry})$")).is_err() {
                problems.push(format!(
                    "{what} entry {} is not a regular expression",
                    quoted(entry)
                ));
            }
        }
    }
    // A migrated topic that the exclude list matches would never be copied.
    let anchored: Vec<String> = m
        .topics_exclude
        .iter()
        .map(|entry| format!("^(?:{entry})$"))
        .collect();
    if let Ok(set) = regex::RegexSet::new(&anchored) {
        for t in plan.topics.iter().filter(|t| t.decision != Decision::Skip) {
            if let Some(i) = set.matches(&t.name).iter().next() {
                problems.push(format!(
                    "migrated topic {} matches mirrormaker.topics_exclude entry {}, so MirrorMaker 2 would never copy it",
                    quoted(&t.name),
                    quoted(&m.topics_exclude[i])
                ));
            }
        }
    }
}

/// Flows: unique valid names and aliases, and topics and regexes that are exactly the migrated
/// topics assigned to each. Returns the flow names.
fn flows_and_topics<'p>(plan: &'p Plan, problems: &mut Problems) -> BTreeSet<&'p str> {
    let destination_alias = &plan.settings.destination.cluster_alias;
    let mut assigned: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for t in plan.topics.iter().filter(|t| t.decision != Decision::Skip) {
        if let Some(flow) = &t.flow {
            assigned.entry(flow.as_str()).or_default().push(t.name.as_str());
        }
    }
    let mut flow_names = BTreeSet::new();
    let mut aliases = BTreeSet::new();
    for f in &plan.flows {
        let name = quoted(&f.name);
        if !names::is_alias(&f.name) {
            problems.push(format!(
                "flow {name}: the name is not letters, digits, '.', '_', '-'"
            ));
        }
        if !flow_names.insert(f.name.as_str()) {
            problems.push(format!("flow {name} appears twice"));
        }
        if !names::is_alias(&f.source_alias) {
            problems.push(format!(
                "flow {name}: source alias {} is not a valid alias",
                quoted(&f.source_alias)
            ));
        }
        if !aliases.insert(f.source_alias.as_str()) || &f.source_alias == destination_alias {
            problems.push(format!(
                "flow {name}: source alias {} is not unique",
                quoted(&f.source_alias)
            ));
        }
        if &f.target_alias != destination_alias {
            problems.push(format!(
                "flow {name}: target alias {} is not the destination's alias {}",
                quoted(&f.target_alias),
                quoted(destination_alias)
            ));
        }
        if f.topics.is_empty() {
            problems.push(format!("flow {name} has no topics"));
        }
        let mut listed: Vec<&str> = f.topics.iter().map(String::as_str).collect();
        listed.sort_unstable();
        let mut expected = assigned.get(f.name.as_str()).cloned().unwrap_or_default();
        expected.sort_unstable();
        if listed != expected {
            problems.push(format!(
                "flow {name}: its topics ({}) are not the {} migrated topic(s) whose flow it is",
                listed.len(),
                expected.len()
            ));
        }
        if f.topic_regexes.len() != f.topics.len()
            || f.topics
                .iter()
                .zip(&f.topic_regexes)
                .any(|(topic, regex)| flows::literal_of_regex(regex).as_ref() != Some(topic))
        {
            let odd = f
                .topics
                .iter()
                .zip(&f.topic_regexes)
                .find(|(topic, regex)| flows::literal_of_regex(regex).as_ref() != Some(*topic))
                .map(|(_, regex)| format!(", e.g. {}", quoted(regex)))
                .unwrap_or_default();
            problems.push(format!(
                "flow {name}: its topic regexes are not exactly one anchored literal regex per topic \
                 (`^name$`, in the order of its topics){odd}; a flow copies only the topics the plan puts in it"
            ));
        }
        let partitions: u64 = plan
            .topics
            .iter()
            .filter(|t| t.decision != Decision::Skip && t.flow.as_deref() == Some(f.name.as_str()))
            .map(|t| u64::from(t.partitions))
            .sum();
        if u64::from(f.partitions) != partitions.min(u64::from(u32::MAX)) {
            problems.push(format!(
                "flow {name}: partitions {} is not the sum of its topics' partitions ({partitions})",
                f.partitions
            ));
        }
    }
    flow_names
}

fn topics(plan: &Plan, flow_names: &BTreeSet<&str>, problems: &mut Problems) {
    let mut seen = BTreeSet::new();
    for t in &plan.topics {
        let name = quoted(&t.name);
        if let Some(problem) = topic_name_problem(&t.name) {
            problems.push(format!("topic {name} is not a Kafka topic name: {problem}"));
            continue;
        }
        if !seen.insert(t.name.as_str()) {
            problems.push(format!("topic {name} appears twice"));
        }
        if t.decision == Decision::Skip {
            continue;
        }
        match &t.flow {
            Some(flow) if flow_names.contains(flow.as_str()) => {}
            Some(flow) => problems.push(format!(
                "topic {name}: flow {} is not in the plan's flows",
                quoted(flow)
            )),
            None => problems.push(format!("topic {name} is migrated but has no flow")),
        }
        if t.partitions == 0 {
            problems.push(format!("topic {name} has 0 partitions"));
        }
        let diskless_flag = t.config.get("diskless_enable");
        match t.decision {
            Decision::Diskless => {
                if t.replication != 1 {
                    problems.push(format!(
                        "diskless topic {name} has replication {} (must be 1)",
                        t.replication
                    ));
                }
                if matches!(diskless_flag, Some(v) if *v != ConfigValue::Bool(true)) {
                    problems.push(format!(
                        "diskless topic {name} has diskless_enable other than true"
                    ));
                }
                if t.config.get("remote_storage_enable") == Some(&ConfigValue::Bool(true)) {
                    problems.push(format!("diskless topic {name} also enables remote storage"));
                }
            }
            Decision::Classic => {
                if t.replication == 0 {
                    problems.push(format!("classic topic {name} has replication 0"));
                }
                if diskless_flag == Some(&ConfigValue::Bool(true)) {
                    problems.push(format!("classic topic {name} has diskless_enable = true"));
                }
            }
            Decision::Skip => {}
        }
        for (key, value) in &t.config {
            if let ConfigValue::String(s) = value
                && has_control(s)
            {
                problems.push(format!(
                    "topic {name}: config {} holds a control character",
                    quoted(key)
                ));
            } else if let Some(problem) = config_problem(key, value) {
                problems.push(format!("topic {name}: {problem}"));
            }
        }
    }
}

/// Checks one topic config entry against the provider's keys and value types (the plan's one
/// table of them, [`crate::plan::config_translation::RULES`]).
fn config_problem(key: &str, value: &ConfigValue) -> Option<String> {
    let Some(kind) = config_translation::provider_kind(key) else {
        return Some(format!(
            "config key {:?} is not an aiven_kafka_topic config key",
            shorten(key)
        ));
    };
    (!config_translation::fits(kind, value)).then(|| {
        format!(
            "config {key} = {} has the wrong type or value for the Aiven provider",
            shorten(&format!("{value:?}"))
        )
    })
}

/// The access section: every user name, principal, resource name, host and client id follows
/// the grammar of [`names`], keys are the ones the planner derives, and clients and quotas
/// name planned users only.
fn access(plan: &Plan, problems: &mut Problems) {
    let Some(access) = &plan.access else {
        return;
    };
    if !access.managed {
        if !(access.users.is_empty()
            && access.acls.is_empty()
            && access.quotas.is_empty()
            && access.clients.is_empty()
            && access.source_grants.grants.is_empty())
        {
            problems.push("access is not managed but lists users, ACLs, quotas, grants or clients".into());
        }
        return;
    }
    let mut users = BTreeSet::new();
    for u in &access.users {
        if !names::is_user_name(&u.username) {
            problems.push(format!(
                "access user {} is not a user name (1-64 letters, digits, '.', '_', '-', '@')",
                quoted(&u.username)
            ));
        }
        if !users.insert(u.username.as_str()) {
            problems.push(format!("access user {} appears twice", quoted(&u.username)));
        }
    }
    let mut keys = BTreeSet::new();
    for a in &access.acls {
        let b = &a.binding;
        if let Some(problem) = binding_problem(b) {
            problems.push(format!("access ACL {}: {problem}", quoted(&a.key)));
            continue;
        }
        if a.key != acl_key(b) {
            problems.push(format!(
                "access ACL {} does not have the key of its binding",
                quoted(&a.key)
            ));
        }
        if !keys.insert(a.key.as_str()) {
            problems.push(format!("access ACL {} appears twice", quoted(&a.key)));
        }
        let user = b.principal.strip_prefix("User:");
        if !matches!(user, Some(u) if u == "*" || users.contains(u)) {
            problems.push(format!(
                "access ACL {}: principal {} is not a planned user",
                quoted(&a.key),
                quoted(&b.principal)
            ));
        }
        if b.resource_type == AclResourceType::Topic
            && b.resource_name != "*"
            && let Some(problem) = topic_name_problem(&b.resource_name)
                .filter(|_| b.pattern_type == crate::plan::AclPatternType::Literal)
        {
            problems.push(format!("access ACL {}: {problem}", quoted(&a.key)));
        }
    }
    let mut quota_keys = BTreeSet::new();
    for q in &access.quotas {
        let ok_user = q
            .user
            .as_deref()
            .is_none_or(|u| u == "default" || users.contains(u));
        let ok_client = q.client_id.as_deref().is_none_or(names::is_acl_resource_name);
        if !ok_user || !ok_client || (q.user.is_none() && q.client_id.is_none()) {
            problems.push(format!(
                "access quota {}: its user is not a planned user or `default`, or its client id \
                 is not a name the generated files can carry",
                quoted(&q.key)
            ));
        }
        if !quota_keys.insert(q.key.as_str()) || q.key.chars().any(|c| c.is_control() || c == '"') {
            problems.push(format!(
                "access quota {} appears twice or holds a quote",
                quoted(&q.key)
            ));
        }
        if q.request_percentage.is_some_and(|p| !p.is_finite() || p < 0.0) {
            problems.push(format!(
                "access quota {}: request_percentage is not a number of at least 0",
                quoted(&q.key)
            ));
        }
    }
    let grants = &access.source_grants;
    if let Some(p) = &grants.principal
        && !names::is_principal(p)
    {
        problems.push(format!(
            "access.source_grants.principal {} is not a principal the generated script can carry",
            quoted(p)
        ));
    }
    for g in &grants.grants {
        for name in &g.resource_names {
            let bad = match g.resource_type {
                AclResourceType::Topic => topic_name_problem(name).is_some(),
                AclResourceType::Cluster => name != CLUSTER_RESOURCE,
                _ => !names::is_acl_resource_name(name),
            };
            if bad {
                problems.push(format!(
                    "access.source_grants: {} {} is not a name the generated script can carry",
                    g.resource_type.as_str(),
                    quoted(name)
                ));
            }
        }
        if has_control(&g.reason) {
            problems.push("access.source_grants: a reason holds a control character".into());
        }
    }
    for c in &access.clients {
        if !users.contains(c.username.as_str()) {
            problems.push(format!(
                "access client {} is not a planned user",
                quoted(&c.username)
            ));
        }
        let ok = match c.security_protocol {
            SecurityProtocol::SaslSsl => c.sasl_mechanism.is_some(),
            SecurityProtocol::Ssl => c.sasl_mechanism.is_none(),
            _ => false,
        };
        if !ok {
            problems.push(format!(
                "access client {}: security protocol must be SASL_SSL with a mechanism or SSL without",
                quoted(&c.username)
            ));
        }
        if has_control(&c.reason) {
            problems.push(format!(
                "access client {}: its reason holds a control character",
                quoted(&c.username)
            ));
        }
    }
}
