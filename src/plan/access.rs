//! Access: which source principals become destination users, which ACL bindings and quotas
//! are carried over and why, the grants MirrorMaker 2 and `inspect` need on the source, and
//! each application's client settings.
//!
//! Decisions, in order:
//!
//! 1. **Principals.** `User:alice` becomes the user `alice`. Settings `access.principal_map`
//!    maps or skips a principal first. Principals that cannot become a user as they are —
//!    certificate DNs (`User:CN=…`), names that are not user names (OAuth subjects, Kerberos
//!    names), `User:*`, `User:ANONYMOUS`, other principal types — are listed as undecided and
//!    their bindings are not carried over until the settings decide.
//! 2. **Bindings.** A binding is carried over when its resource concerns what is migrated: a
//!    topic binding whose literal name is a migrated topic (or `*`) or whose prefix starts a
//!    migrated topic's name; a group binding whose group committed offsets on a migrated topic,
//!    or whose principal keeps access to migrated topics; a transactional id binding of a
//!    principal that keeps write access to migrated topics. It keeps its resource type, pattern
//!    type, operation, permission (a DENY stays a DENY) and host. Bindings only about topics
//!    left behind are dropped with the reason; cluster, delegation token and user bindings
//!    are reported for a decision (Aiven manages the destination cluster).
//! 3. **Quotas** of destination users, of every user (`default`) and of client ids become
//!    destination quotas.
//! 4. **Source grants**: Read, Describe and DescribeConfigs on every topic of the flows,
//!    Describe and Read on the groups that committed offsets on them (MirrorMaker 2
//!    checkpoints them), Describe on the cluster.
//! 5. **Clients**: per user with topic access, SASL settings and the zone hint its topics
//!    want: `diskless_az` in `client.id` for diskless topics, `client.rack` for classic ones.
//!
//! Matching is by binary search over the sorted migrated topics and groups, so 10,000 bindings
//! over 50,000 topics cost milliseconds.
//!
//! Longer than most modules: the five decisions above share the principal map and the
//! matchers of migrated topics and groups, so they are kept together, in the order listed.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::model::*;
use super::names;
use super::settings::{AccessSettings, PrincipalTarget};
use crate::inventory::{DEFAULT_ENTITY, Inventory, TopicSummary};

/// The cluster's resource name in ACL bindings.
pub const CLUSTER_RESOURCE: &str = "kafka-cluster";

/// What a source principal becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Resolution {
    /// A destination user (or `*` for `User:*` mapped as it is), with why.
    User(String, String),
    /// Skipped by the settings.
    Skip(String),
    /// Needs a decision in the settings, with why.
    Undecided(String),
}

/// The principals of one plan and what each becomes.
struct Principals<'a> {
    settings: &'a AccessSettings,
    /// SCRAM mechanisms per user, when they were read.
    scram: Option<HashMap<&'a str, Vec<SaslMechanism>>>,
    resolved: HashMap<String, Resolution>,
    used_map_entries: HashSet<String>,
}

impl<'a> Principals<'a> {
    fn resolve(&mut self, principal: &str) -> Resolution {
        if let Some(found) = self.resolved.get(principal) {
            return found.clone();
        }
        let decided = self.decide(principal);
        self.resolved.insert(principal.to_owned(), decided.clone());
        decided
    }

    fn decide(&mut self, principal: &str) -> Resolution {
        if let Some((_, target)) = self.settings.principal_map.iter().find(|(k, _)| k == principal) {
            self.used_map_entries.insert(principal.to_owned());
            return match target {
                PrincipalTarget::User(user) => Resolution::User(
                    user.clone(),
                    format!("settings access.principal_map maps {principal} to `{user}`"),
                ),
                PrincipalTarget::Skip => {
                    Resolution::Skip(format!("settings access.principal_map skips {principal}"))
                }
            };
        }
        let hint = format!(
            "map it to a user name or `skip` it in settings `access {{ principal_map = {{ \"{principal}\" = \"…\" }} }}`"
        );
        let Some(("User", name)) = principal.split_once(':') else {
            return Resolution::Undecided(format!(
                "{principal} is not a `User:` principal, so it is no destination user as it is; {hint}"
            ));
        };
        if name == "*" {
            return Resolution::Undecided(format!(
                "User:* grants every user; on the destination it would grant every user of the \
                 service, MirrorMaker 2's included; map it to `*` to keep it as it is, or {hint}"
            ));
        }
        if name == "ANONYMOUS" {
            return Resolution::Undecided(format!(
                "User:ANONYMOUS is unauthenticated clients; the destination authenticates every \
                 client; {hint}"
            ));
        }
        if name.contains('=') {
            return Resolution::Undecided(format!(
                "{principal} is a certificate's distinguished name, which is no destination user \
                 name; {hint}"
            ));
        }
        if !names::is_user_name(name) {
            return Resolution::Undecided(format!(
                "`{name}` is not a destination user name (1-64 letters, digits, `.`, `_`, `-`, `@`; \
                 an OAuth subject or Kerberos name?); {hint}"
            ));
        }
        let how = match &self.scram {
            Some(users) if users.contains_key(name) => "it has SCRAM credentials on the source",
            Some(_) => "it has no SCRAM credential on the source (another mechanism authenticates it)",
            None => "SCRAM credentials were not read",
        };
        Resolution::User(
            name.to_owned(),
            format!("{principal} becomes the user `{name}` ({how})"),
        )
    }
}

/// The migrated topics sorted by name, with prefix sums of diskless and classic topics so a
/// prefix's counts take two binary searches.
struct Migrated<'p> {
    names: Vec<&'p str>,
    /// `diskless[i]`: diskless topics among `names[..i]`.
    diskless: Vec<u32>,
}

impl<'p> Migrated<'p> {
    fn of(topics: &'p [TopicPlan]) -> Migrated<'p> {
        let mut list: Vec<(&str, bool)> = topics
            .iter()
            .filter(|t| t.decision != Decision::Skip)
            .map(|t| (t.name.as_str(), t.decision == Decision::Diskless))
            .collect();
        list.sort_unstable();
        let mut diskless = Vec::with_capacity(list.len() + 1);
        diskless.push(0);
        let mut n = 0;
        for (_, d) in &list {
            n += u32::from(*d);
            diskless.push(n);
        }
        Migrated {
            names: list.into_iter().map(|(name, _)| name).collect(),
            diskless,
        }
    }

    /// The range of `names` a pattern matches.
    fn range(&self, pattern: AclPatternType, name: &str) -> std::ops::Range<usize> {
        matching(&self.names, pattern, name)
    }

    /// (diskless, classic) topics in `range`.
    fn counts(&self, range: &std::ops::Range<usize>) -> (u32, u32) {
        let d = self.diskless[range.end] - self.diskless[range.start];
        (d, range.len() as u32 - d)
    }
}

/// The range of sorted `names` that `name` matches as a literal (`*`: all) or prefix.
fn matching(names: &[&str], pattern: AclPatternType, name: &str) -> std::ops::Range<usize> {
    if pattern == AclPatternType::Literal && name == "*" {
        return 0..names.len();
    }
    let start = names.partition_point(|n| *n < name);
    let end = match pattern {
        AclPatternType::Literal => start + usize::from(names.get(start) == Some(&name)),
        AclPatternType::Prefixed => start + names[start..].partition_point(|n| n.starts_with(name)),
    };
    start..end
}

/// `names[range]` for a reason: the count and the first name.
fn example(names: &[&str], range: &std::ops::Range<usize>) -> String {
    match range.len() {
        0 => "none".into(),
        1 => format!("`{}`", names[range.start]),
        n => format!("{n}, e.g. `{}`", names[range.start]),
    }
}

/// A source binding as typed values, or why it cannot be read as one.
fn typed(acl: &crate::inventory::Acl) -> Result<AclBinding, String> {
    let resource_type = AclResourceType::parse(&acl.resource_type)
        .ok_or_else(|| format!("resource type `{}` is not one Kafka ACLs name", acl.resource_type))?;
    let pattern_type = AclPatternType::parse(&acl.pattern_type)
        .ok_or_else(|| format!("pattern type `{}` is not LITERAL or PREFIXED", acl.pattern_type))?;
    let operation = AclOperation::parse(&acl.operation)
        .ok_or_else(|| format!("operation `{}` is not one the destination takes", acl.operation))?;
    let permission_type = AclPermission::parse(&acl.permission_type)
        .ok_or_else(|| format!("permission `{}` is not Allow or Deny", acl.permission_type))?;
    Ok(AclBinding {
        principal: acl.principal.clone(),
        resource_type,
        pattern_type,
        resource_name: acl.resource_name.clone(),
        operation,
        permission_type,
        host: acl.host.clone(),
    })
}

/// The stable `for_each` key of a destination binding.
pub fn acl_key(b: &AclBinding) -> String {
    format!(
        "{}|{}|{}|{}|{}|{}|{}",
        b.principal,
        b.resource_type.as_str(),
        b.pattern_type.as_str(),
        b.resource_name,
        b.operation.as_str(),
        b.permission_type.as_str(),
        b.host
    )
}

/// Whether a destination binding can be carried into the generated files: its principal,
/// resource name and host follow the grammar of [`names`].
pub fn binding_problem(b: &AclBinding) -> Option<String> {
    if !names::is_principal(&b.principal) {
        return Some("its principal holds characters the generated files cannot carry".into());
    }
    if !names::is_acl_resource_name(&b.resource_name) {
        return Some("its resource name holds characters the generated files cannot carry".into());
    }
    if !names::is_acl_host(&b.host) {
        return Some("its host is not `*`, an IP address or a host name".into());
    }
    None
}

/// What one source binding concerns: `Some(reason)` when it concerns what is migrated, with
/// the diskless and classic topics it reaches.
struct Concern {
    reason: String,
    diskless: u32,
    classic: u32,
}

/// Plans access; adds its warnings to `diagnostics`.
pub fn plan(
    inventory: &Inventory<TopicSummary>,
    topics: &[TopicPlan],
    flows: &[Flow],
    settings: &AccessSettings,
    diagnostics: &mut Vec<PlanDiagnostic>,
) -> AccessPlan {
    if !settings.enabled {
        let why = settings.off_reason.as_deref().unwrap_or("access is off");
        return AccessPlan {
            managed: false,
            reason: format!(
                "left out ({why}): no users, ACLs, quotas, source grants or client settings are \
                 generated; manage them elsewhere"
            ),
            ..AccessPlan::default()
        };
    }
    let gap = |fact: &str| {
        inventory
            .gaps
            .iter()
            .find(|g| g.fact == fact && g.subject.is_none())
            .map_or("not read".to_owned(), |g| g.reason.clone())
    };
    let migrated = Migrated::of(topics);
    // Groups that committed offsets on migrated topics, sorted.
    let migrated_set: HashSet<&str> = migrated.names.iter().copied().collect();
    let mut groups: Vec<&str> = inventory
        .consumer_groups
        .iter()
        .filter(|g| {
            g.offsets
                .as_ref()
                .is_some_and(|o| o.iter().any(|c| migrated_set.contains(c.topic.as_str())))
        })
        .map(|g| g.id.as_str())
        .collect();
    groups.sort_unstable();
    groups.dedup();

    let scram = inventory.scram_users.as_ref().map(|users| {
        users
            .iter()
            .map(|u| {
                let mut m: Vec<SaslMechanism> = u
                    .credentials
                    .iter()
                    .filter_map(|c| SaslMechanism::parse(&c.mechanism))
                    .collect();
                m.sort_by_key(|m| std::cmp::Reverse(m.as_str()));
                (u.user.as_str(), m)
            })
            .collect::<HashMap<_, _>>()
    });
    let mut principals = Principals {
        settings,
        scram,
        resolved: HashMap::new(),
        used_map_entries: HashSet::new(),
    };

    let mut acls: BTreeMap<String, AclPlan> = BTreeMap::new();
    let mut dropped: Vec<DroppedAcl> = Vec::new();
    let mut undecided: BTreeMap<String, (u32, String)> = BTreeMap::new();
    let mut skipped: BTreeMap<String, (u32, String)> = BTreeMap::new();
    // Per destination user: source principals, reasons, and topics reached.
    let mut users: BTreeMap<String, (BTreeSet<String>, String)> = BTreeMap::new();
    let mut reach: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    // Source principals that keep (write) access to migrated topics.
    let mut topic_access: HashSet<String> = HashSet::new();
    let mut write_access: HashSet<String> = HashSet::new();

    let source_acls: &[crate::inventory::Acl] = inventory.acls.as_deref().unwrap_or(&[]);
    let mut bindings: Vec<(AclBinding, Option<String>)> = Vec::with_capacity(source_acls.len());
    for acl in source_acls {
        match typed(acl) {
            Ok(b) => bindings.push((b, None)),
            Err(why) => bindings.push((
                AclBinding {
                    principal: acl.principal.clone(),
                    resource_name: acl.resource_name.clone(),
                    host: acl.host.clone(),
                    ..AclBinding::default()
                },
                Some(why),
            )),
        }
    }
    // Topic bindings first: group and transactional id bindings depend on which principals
    // keep topic access.
    let order = |b: &AclBinding| u8::from(b.resource_type != AclResourceType::Topic);
    bindings.sort_by_key(|(b, _)| order(b));

    let mut cluster_bindings = 0u32;
    for (binding, unreadable) in bindings {
        if let Some(why) = unreadable {
            dropped.push(DroppedAcl {
                binding,
                reason: format!("not carried over: {why}"),
                needs_decision: true,
            });
            continue;
        }
        let concern = match binding.resource_type {
            AclResourceType::Topic => {
                let range = migrated.range(binding.pattern_type, &binding.resource_name);
                let (diskless, classic) = migrated.counts(&range);
                if range.is_empty() {
                    Err(format!(
                        "{} `{}` matches no migrated topic; it concerns only topics left behind",
                        describe_pattern(binding.pattern_type),
                        binding.resource_name
                    ))
                } else {
                    Ok(Concern {
                        reason: format!(
                            "{} `{}` matches migrated topic(s): {}",
                            describe_pattern(binding.pattern_type),
                            binding.resource_name,
                            example(&migrated.names, &range)
                        ),
                        diskless,
                        classic,
                    })
                }
            }
            AclResourceType::Group => {
                let range = matching(&groups, binding.pattern_type, &binding.resource_name);
                if !range.is_empty() {
                    Ok(Concern {
                        reason: format!(
                            "{} `{}` matches group(s) that committed offsets on migrated topics: {}",
                            describe_pattern(binding.pattern_type),
                            binding.resource_name,
                            example(&groups, &range)
                        ),
                        diskless: 0,
                        classic: 0,
                    })
                } else if topic_access.contains(&binding.principal) {
                    Ok(Concern {
                        reason: format!(
                            "group {} `{}` of {}, which keeps access to migrated topics (no group \
                             it matches committed offsets on them that discover read)",
                            describe_pattern(binding.pattern_type).trim_start_matches("literal "),
                            binding.resource_name,
                            binding.principal
                        ),
                        diskless: 0,
                        classic: 0,
                    })
                } else {
                    Err(format!(
                        "group `{}` committed no offsets on migrated topics and {} has no access \
                         to them",
                        binding.resource_name, binding.principal
                    ))
                }
            }
            AclResourceType::TransactionalId => {
                if write_access.contains(&binding.principal) {
                    Ok(Concern {
                        reason: format!(
                            "transactional id `{}` of {}, which keeps write access to migrated topics",
                            binding.resource_name, binding.principal
                        ),
                        diskless: 0,
                        classic: 0,
                    })
                } else {
                    Err(format!(
                        "transactional id `{}`: {} has no write access to migrated topics",
                        binding.resource_name, binding.principal
                    ))
                }
            }
            other => {
                cluster_bindings += 1;
                dropped.push(DroppedAcl {
                    reason: format!(
                        "a {} binding: Aiven manages the destination cluster; decide whether the \
                         application needs it there and grant it by hand",
                        other.as_str()
                    ),
                    binding,
                    needs_decision: true,
                });
                continue;
            }
        };
        let concern = match concern {
            Ok(c) => c,
            Err(why) => {
                dropped.push(DroppedAcl {
                    binding,
                    reason: format!("not carried over: {why}"),
                    needs_decision: false,
                });
                continue;
            }
        };
        match principals.resolve(&binding.principal) {
            Resolution::User(user, why) => {
                let principal = format!("User:{user}");
                let dest = AclBinding {
                    principal,
                    ..binding.clone()
                };
                if let Some(problem) = binding_problem(&dest) {
                    dropped.push(DroppedAcl {
                        binding,
                        reason: format!("not carried over: {problem}"),
                        needs_decision: true,
                    });
                    continue;
                }
                if binding.resource_type == AclResourceType::Topic
                    && binding.permission_type == AclPermission::Allow
                {
                    topic_access.insert(binding.principal.clone());
                    if matches!(binding.operation, AclOperation::Write | AclOperation::All) {
                        write_access.insert(binding.principal.clone());
                    }
                    if user != "*" {
                        let r = reach.entry(user.clone()).or_default();
                        r.0 += concern.diskless;
                        r.1 += concern.classic;
                    }
                }
                if user != "*" {
                    let entry = users
                        .entry(user.clone())
                        .or_insert_with(|| (BTreeSet::new(), why));
                    entry.0.insert(binding.principal.clone());
                }
                let key = acl_key(&dest);
                let permission = if binding.permission_type == AclPermission::Deny {
                    " (DENY kept)"
                } else {
                    ""
                };
                acls.entry(key.clone()).or_insert(AclPlan {
                    key,
                    binding: dest,
                    source_principal: binding.principal.clone(),
                    reason: format!("{}{permission}", concern.reason),
                });
            }
            Resolution::Skip(why) => {
                let e = skipped
                    .entry(binding.principal.clone())
                    .or_insert((0, why.clone()));
                e.0 += 1;
                dropped.push(DroppedAcl {
                    binding,
                    reason: format!("not carried over: {why}"),
                    needs_decision: false,
                });
            }
            Resolution::Undecided(why) => {
                let e = undecided
                    .entry(binding.principal.clone())
                    .or_insert((0, why.clone()));
                e.0 += 1;
                dropped.push(DroppedAcl {
                    binding,
                    reason: format!("waits for a decision: {why}"),
                    needs_decision: true,
                });
            }
        }
    }
    dropped.sort_by(|a, b| a.binding.cmp(&b.binding));

    let (quotas, dropped_quotas) = plan_quotas(inventory, &users, &mut principals);

    let mut user_plans: Vec<UserPlan> = Vec::with_capacity(users.len());
    for (username, (sources, why)) in users {
        let scram = principals.scram.as_ref().and_then(|s| {
            sources
                .iter()
                .filter_map(|p| p.strip_prefix("User:"))
                .filter_map(|n| s.get(n))
                .flat_map(|m| m.iter().copied())
                .max_by_key(|m| m.as_str())
        });
        let certificate = sources.iter().any(|p| p.contains('='));
        let (mechanism, how) = match scram {
            Some(m) => (Some(m), format!("; clients use {}, as on the source", m.as_str())),
            None if certificate => (
                None,
                "; it was a certificate identity: its clients use the user's Aiven certificate".into(),
            ),
            None => (
                Some(SaslMechanism::ScramSha512),
                "; no SCRAM credential was read for it: clients use SCRAM-SHA-512".into(),
            ),
        };
        user_plans.push(UserPlan {
            username,
            source_principals: sources.into_iter().collect(),
            sasl_mechanism: mechanism,
            reason: format!("{why}{how}"),
        });
    }
    let clients: Vec<ClientPlan> = user_plans
        .iter()
        .filter_map(|u| {
            let (diskless, classic) = *reach.get(&u.username)?;
            Some(ClientPlan {
                username: u.username.clone(),
                security_protocol: if u.sasl_mechanism.is_some() {
                    SecurityProtocol::SaslSsl
                } else {
                    SecurityProtocol::Ssl
                },
                sasl_mechanism: u.sasl_mechanism,
                diskless_az: diskless > 0,
                client_rack: classic > 0,
                reason: format!(
                    "its topic bindings match diskless topics {diskless} time(s) and classic \
                     topics {classic} time(s)"
                ),
            })
        })
        .collect();
    let destination_sasl = user_plans.iter().any(|u| u.sasl_mechanism.is_some());

    // Warnings.
    if inventory.acls.is_none() {
        diagnostics.push(warning(
            "access-acls-unknown",
            None,
            format!(
                "the inventory has no ACL bindings ({}); no ACL is carried over; run `discover` \
                 with a principal allowed to describe the cluster's ACLs",
                gap("acls")
            ),
        ));
    }
    for (principal, (count, why)) in &undecided {
        diagnostics.push(warning(
            "access-principal-undecided",
            Some(principal.clone()),
            format!("{count} binding(s) of {principal} on migrated resources are not carried over: {why}"),
        ));
    }
    if cluster_bindings > 0 {
        diagnostics.push(warning(
            "access-cluster-bindings",
            None,
            format!(
                "{cluster_bindings} cluster, delegation token or user binding(s) are not carried \
                 over (Aiven manages the destination cluster); see access.dropped_acls entries that \
                 need a decision"
            ),
        ));
    }
    for (principal, _) in &settings.principal_map {
        if !principals.used_map_entries.contains(principal) {
            diagnostics.push(warning(
                "access-principal-map-unused",
                Some(principal.clone()),
                format!(
                    "settings access.principal_map names {principal}, which has no binding or quota \
                     on migrated resources"
                ),
            ));
        }
    }

    let note = |m: BTreeMap<String, (u32, String)>| -> Vec<PrincipalNote> {
        m.into_iter()
            .map(|(principal, (bindings, reason))| PrincipalNote {
                principal,
                bindings,
                reason,
            })
            .collect()
    };
    let acl_count = acls.len();
    let count = |n: Option<usize>| n.map_or("no (not read)".to_owned(), |n| n.to_string());
    let read = format!(
        "planned from {} ACL binding(s), {} SCRAM user(s) and {} quota(s) of the inventory",
        count(inventory.acls.as_ref().map(Vec::len)),
        count(inventory.scram_users.as_ref().map(Vec::len)),
        count(inventory.quotas.as_ref().map(Vec::len)),
    );
    AccessPlan {
        managed: true,
        reason: format!(
            "{read}: {} user(s), {acl_count} binding(s) and {} quota(s) carried over",
            user_plans.len(),
            quotas.len()
        ),
        destination_sasl,
        users: user_plans,
        undecided_principals: note(undecided),
        skipped_principals: note(skipped),
        acls: acls.into_values().collect(),
        dropped_acls: dropped,
        quotas,
        dropped_quotas,
        source_grants: source_grants(flows, &groups, settings),
        clients,
    }
}

fn describe_pattern(p: AclPatternType) -> &'static str {
    match p {
        AclPatternType::Literal => "literal",
        AclPatternType::Prefixed => "prefix",
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

/// Source quotas → destination quotas: those of destination users, of every user and of
/// client ids.
fn plan_quotas(
    inventory: &Inventory<TopicSummary>,
    users: &BTreeMap<String, (BTreeSet<String>, String)>,
    principals: &mut Principals<'_>,
) -> (Vec<QuotaPlan>, Vec<DroppedQuota>) {
    let mut kept: BTreeMap<String, QuotaPlan> = BTreeMap::new();
    let mut dropped = Vec::new();
    for q in inventory.quotas.as_deref().unwrap_or(&[]) {
        let drop = |reason: String| DroppedQuota {
            user: q.user.clone(),
            client_id: q.client_id.clone(),
            reason,
        };
        let user = match q.user.as_deref() {
            None => Ok(None),
            Some(DEFAULT_ENTITY) => Ok(Some("default".to_owned())),
            Some(name) => match principals.resolve(&format!("User:{name}")) {
                Resolution::User(user, _) if users.contains_key(&user) => Ok(Some(user)),
                Resolution::User(user, _) => Err(format!(
                    "the user `{user}` has no access to migrated topics, so it is not created"
                )),
                Resolution::Skip(why) | Resolution::Undecided(why) => Err(why),
            },
        };
        let client_id = match q.client_id.as_deref() {
            None => Ok(None),
            Some(DEFAULT_ENTITY) => Ok(Some("default".to_owned())),
            Some(id) if names::is_acl_resource_name(id) && id != "default" => Ok(Some(id.to_owned())),
            Some(_) => Err("its client id holds characters the generated files cannot carry".to_owned()),
        };
        let (user, client_id) = match (user, client_id) {
            (Ok(u), Ok(c)) => (u, c),
            (Err(why), _) | (_, Err(why)) => {
                dropped.push(drop(format!("not carried over: {why}")));
                continue;
            }
        };
        if q.producer_byte_rate.is_none() && q.consumer_byte_rate.is_none() && q.request_percentage.is_none()
        {
            dropped.push(drop(
                "not carried over: it sets no limit the destination takes".into(),
            ));
            continue;
        }
        let key = format!(
            "{}/{}",
            user.as_deref().unwrap_or(""),
            client_id.as_deref().unwrap_or("")
        );
        let entity = match (&q.user, &q.client_id) {
            (Some(u), Some(c)) => format!("user {u} and client id {c}"),
            (Some(u), None) => format!("user {u}"),
            (None, Some(c)) => format!("client id {c}"),
            (None, None) => "no entity".into(),
        };
        let rate = |v: Option<f64>| v.filter(|v| v.is_finite() && *v >= 0.0).map(|v| v.round() as u64);
        kept.entry(key.clone()).or_insert(QuotaPlan {
            key,
            user,
            client_id,
            producer_byte_rate: rate(q.producer_byte_rate),
            consumer_byte_rate: rate(q.consumer_byte_rate),
            request_percentage: q.request_percentage.filter(|v| v.is_finite() && *v >= 0.0),
            reason: format!("the source's quota of {entity}"),
        });
    }
    (kept.into_values().collect(), dropped)
}

/// What MirrorMaker 2 and `inspect` need on the source, from the flows.
fn source_grants(flows: &[Flow], groups: &[&str], settings: &AccessSettings) -> SourceGrants {
    let mut topics: Vec<String> = flows.iter().flat_map(|f| f.topics.iter().cloned()).collect();
    topics.sort_unstable();
    topics.dedup();
    let mut grants = vec![SourceGrant {
        resource_type: AclResourceType::Topic,
        resource_names: topics,
        operations: vec![
            AclOperation::Read,
            AclOperation::Describe,
            AclOperation::DescribeConfigs,
        ],
        reason: "MirrorMaker 2 reads the flows' topics and their configs; inspect lists their offsets".into(),
    }];
    let groups: Vec<String> = groups
        .iter()
        .filter(|g| names::is_acl_resource_name(g))
        .map(|g| (*g).to_owned())
        .collect();
    if !groups.is_empty() {
        grants.push(SourceGrant {
            resource_type: AclResourceType::Group,
            resource_names: groups,
            operations: vec![AclOperation::Read, AclOperation::Describe],
            reason: "MirrorMaker 2 checkpoints these groups (they committed offsets on migrated \
                     topics) and inspect reads their offsets"
                .into(),
        });
    }
    grants.push(SourceGrant {
        resource_type: AclResourceType::Cluster,
        resource_names: vec![CLUSTER_RESOURCE.into()],
        operations: vec![AclOperation::Describe],
        reason: "MirrorMaker 2 and inspect list the cluster's consumer groups".into(),
    });
    SourceGrants {
        principal: settings.source_principal.clone(),
        grants,
    }
}

#[cfg(test)]
pub(crate) mod tests;
