//! Access decisions over a crafted inventory: the bindings of the issue's example users, a
//! compacted (classic) topic, topics left behind, and principals that cannot map as they are.

use super::*;
use crate::inventory::{
    Acl, ClientQuota, CommittedOffset, ConsumerGroup, Inventory, ScramCredential, ScramUser,
};
use crate::plan::tests::topic;
use crate::plan::{Selection, parse_settings};

const SETTINGS: &str = r#"
project        = "acme"
cloud          = "google-europe-west1"
service_prefix = "mig"
destination {
  plan          = "business-8-inkless"
  kafka_version = "4.1"
}
mirrormaker {
  plan = "business-8"
}
source {
  bootstrap_servers = "k1:9092"
  security_protocol = "SASL_SSL"
  sasl_mechanism    = "SCRAM-SHA-512"
}
"#;

fn acl(principal: &str, kind: &str, pattern: &str, name: &str, op: &str, perm: &str) -> Acl {
    Acl {
        resource_type: kind.into(),
        resource_name: name.into(),
        pattern_type: pattern.into(),
        principal: principal.into(),
        host: "*".into(),
        operation: op.into(),
        permission_type: perm.into(),
    }
}

fn scram(user: &str) -> ScramUser {
    ScramUser {
        user: user.into(),
        credentials: vec![ScramCredential {
            mechanism: "SCRAM-SHA-512".into(),
            iterations: Some(4096),
        }],
    }
}

fn inventory() -> Inventory {
    let mut topics = vec![
        topic("orders", 3, 10, &[]),
        topic("payments.card", 2, 10, &[]),
        topic("payments.ledger", 2, 10, &[("cleanup.policy", "compact")]),
        topic("inventory", 1, 10, &[]),
    ];
    topics.sort_by(|a, b| a.name.cmp(&b.name));
    Inventory {
        schema_version: crate::inventory::SCHEMA_VERSION,
        topics,
        consumer_groups: vec![ConsumerGroup {
            id: "billing".into(),
            offsets: Some(vec![CommittedOffset {
                topic: "orders".into(),
                partition: 0,
                offset: 5,
            }]),
            ..ConsumerGroup::default()
        }],
        acls: Some(vec![
            acl("User:alice", "Topic", "LITERAL", "orders", "Read", "Allow"),
            acl("User:alice", "Group", "LITERAL", "billing", "Read", "Allow"),
            acl("User:bob", "Topic", "LITERAL", "orders", "Write", "Allow"),
            acl("User:bob", "Topic", "PREFIXED", "payments.", "Write", "Allow"),
            acl(
                "User:bob",
                "TransactionalId",
                "PREFIXED",
                "bob-",
                "Write",
                "Allow",
            ),
            acl("User:carol", "Topic", "PREFIXED", "payments.", "Read", "Allow"),
            acl("User:carol", "Topic", "LITERAL", "payments.card", "Read", "Deny"),
            acl("User:dave", "Topic", "LITERAL", "inventory", "Read", "Allow"),
            acl("User:dave", "Group", "LITERAL", "stock", "Read", "Allow"),
            acl(
                "User:dave",
                "TransactionalId",
                "LITERAL",
                "stock-tx",
                "Write",
                "Allow",
            ),
            acl(
                "User:bob",
                "Cluster",
                "LITERAL",
                "kafka-cluster",
                "IdempotentWrite",
                "Allow",
            ),
            acl(
                "User:CN=billing,OU=apps",
                "Topic",
                "LITERAL",
                "orders",
                "Read",
                "Allow",
            ),
            acl("User:*", "Topic", "LITERAL", "orders", "Describe", "Allow"),
            acl("User:ANONYMOUS", "Topic", "PREFIXED", "pay", "Read", "Allow"),
        ]),
        scram_users: Some(vec![scram("alice"), scram("bob"), scram("carol"), scram("dave")]),
        quotas: Some(vec![
            ClientQuota {
                user: Some("bob".into()),
                producer_byte_rate: Some(1048576.0),
                ..ClientQuota::default()
            },
            ClientQuota {
                user: Some("dave".into()),
                consumer_byte_rate: Some(1000.0),
                ..ClientQuota::default()
            },
            ClientQuota {
                client_id: Some("<default>".into()),
                request_percentage: Some(50.0),
                ..ClientQuota::default()
            },
        ]),
        ..Inventory::default()
    }
}

/// The crafted inventory planned with `extra` settings (also used by the hostile-input tests).
pub(crate) fn plan_with(extra: &str) -> Plan {
    let settings = parse_settings("migration.hcl", &format!("{SETTINGS}\n{extra}")).unwrap();
    let selection = Selection::new(None, &["orders|payments\\..*".to_owned()], &[]).unwrap();
    crate::plan::build(&inventory().summarized(), &settings, &selection, false).unwrap()
}

fn keys(access: &AccessPlan) -> Vec<&str> {
    access.acls.iter().map(|a| a.key.as_str()).collect()
}

#[test]
fn bindings_about_migrated_topics_carry_over_with_their_pattern_and_permission() {
    let plan = plan_with("");
    let access = plan.access.as_ref().unwrap();
    assert!(access.managed);
    assert_eq!(
        keys(access),
        [
            "User:alice|Group|LITERAL|billing|Read|ALLOW|*",
            "User:alice|Topic|LITERAL|orders|Read|ALLOW|*",
            "User:bob|Topic|LITERAL|orders|Write|ALLOW|*",
            "User:bob|Topic|PREFIXED|payments.|Write|ALLOW|*",
            "User:bob|TransactionalId|PREFIXED|bob-|Write|ALLOW|*",
            "User:carol|Topic|LITERAL|payments.card|Read|DENY|*",
            "User:carol|Topic|PREFIXED|payments.|Read|ALLOW|*",
        ]
    );
    let deny = access
        .acls
        .iter()
        .find(|a| a.binding.permission_type == AclPermission::Deny)
        .unwrap();
    assert!(deny.reason.contains("DENY kept"), "{}", deny.reason);
    let prefixed = access
        .acls
        .iter()
        .find(|a| a.key.starts_with("User:bob|Topic|PREFIXED"))
        .unwrap();
    assert!(
        prefixed.reason.contains("2, e.g. `payments.card`"),
        "{}",
        prefixed.reason
    );
}

#[test]
fn bindings_only_about_topics_left_behind_are_dropped_with_the_reason() {
    let plan = plan_with("");
    let access = plan.access.as_ref().unwrap();
    let dave: Vec<&DroppedAcl> = access
        .dropped_acls
        .iter()
        .filter(|d| d.binding.principal == "User:dave")
        .collect();
    assert_eq!(dave.len(), 3);
    assert!(dave.iter().all(|d| !d.needs_decision));
    assert!(
        dave.iter()
            .any(|d| d.reason.contains("matches no migrated topic"))
    );
    assert!(!access.users.iter().any(|u| u.username == "dave"));
    // dave's quota goes with him.
    assert!(
        access
            .dropped_quotas
            .iter()
            .any(|q| q.user.as_deref() == Some("dave"))
    );
}

#[test]
fn principals_that_cannot_map_wait_for_a_decision() {
    let plan = plan_with("");
    let access = plan.access.as_ref().unwrap();
    let undecided: Vec<&str> = access
        .undecided_principals
        .iter()
        .map(|p| p.principal.as_str())
        .collect();
    assert_eq!(undecided, ["User:*", "User:ANONYMOUS", "User:CN=billing,OU=apps"]);
    assert!(
        access.undecided_principals[2]
            .reason
            .contains("distinguished name")
    );
    let codes: Vec<&str> = plan
        .diagnostics
        .iter()
        .filter(|d| d.code == "access-principal-undecided")
        .filter_map(|d| d.subject.as_deref())
        .collect();
    assert_eq!(codes.len(), 3);
    // The cluster binding is reported, not carried over.
    let cluster = access
        .dropped_acls
        .iter()
        .find(|d| d.binding.resource_type == AclResourceType::Cluster)
        .unwrap();
    assert!(cluster.needs_decision);
    assert!(
        plan.diagnostics
            .iter()
            .any(|d| d.code == "access-cluster-bindings")
    );
}

#[test]
fn the_principal_map_maps_and_skips() {
    let plan = plan_with(
        r#"access {
  source_principal = "User:mm2"
  principal_map = {
    "User:CN=billing,OU=apps" = "billing"
    "User:ANONYMOUS"          = "skip"
    "User:*"                  = "*"
    "User:nobody"             = "skip"
  }
}"#,
    );
    let access = plan.access.as_ref().unwrap();
    assert!(access.undecided_principals.is_empty());
    assert_eq!(access.skipped_principals[0].principal, "User:ANONYMOUS");
    assert!(keys(access).contains(&"User:billing|Topic|LITERAL|orders|Read|ALLOW|*"));
    assert!(keys(access).contains(&"User:*|Topic|LITERAL|orders|Describe|ALLOW|*"));
    let billing = access.users.iter().find(|u| u.username == "billing").unwrap();
    assert_eq!(
        billing.sasl_mechanism, None,
        "a certificate identity keeps certificates"
    );
    assert!(
        plan.diagnostics
            .iter()
            .any(|d| d.code == "access-principal-map-unused" && d.subject.as_deref() == Some("User:nobody"))
    );
    assert_eq!(access.source_grants.principal.as_deref(), Some("User:mm2"));
}

#[test]
fn quotas_clients_and_source_grants() {
    let plan = plan_with("");
    let access = plan.access.as_ref().unwrap();
    let quota_keys: Vec<&str> = access.quotas.iter().map(|q| q.key.as_str()).collect();
    assert_eq!(quota_keys, ["/default", "bob/"]);
    assert_eq!(access.quotas[1].producer_byte_rate, Some(1048576));
    assert!(access.destination_sasl);
    let bob = access.clients.iter().find(|c| c.username == "bob").unwrap();
    // orders and payments.card are diskless; payments.ledger (compacted) is classic.
    assert!(bob.diskless_az && bob.client_rack);
    assert_eq!(bob.sasl_mechanism, Some(SaslMechanism::ScramSha512));
    let alice = access.clients.iter().find(|c| c.username == "alice").unwrap();
    assert!(alice.diskless_az && !alice.client_rack);
    let grants = &access.source_grants.grants;
    assert_eq!(
        grants[0].resource_names,
        ["orders", "payments.card", "payments.ledger"]
    );
    assert_eq!(grants[1].resource_names, ["billing"]);
    assert_eq!(grants[2].resource_type, AclResourceType::Cluster);
}

#[test]
fn access_off_leaves_everything_out_and_says_so() {
    let plan = plan_with("access {\n  enabled = false\n}");
    let access = plan.access.as_ref().unwrap();
    assert!(!access.managed);
    assert!(access.acls.is_empty() && access.users.is_empty());
    assert!(access.reason.contains("enabled = false"), "{}", access.reason);
    assert!(!plan.diagnostics.iter().any(|d| d.code.starts_with("access-")));
}

#[test]
fn matching_is_exact_for_literals_and_prefixes() {
    let names = ["a", "ab", "abc", "b"];
    assert_eq!(matching(&names, AclPatternType::Literal, "ab"), 1..2);
    assert_eq!(matching(&names, AclPatternType::Literal, "abd"), 3..3);
    assert_eq!(matching(&names, AclPatternType::Prefixed, "ab"), 1..3);
    assert_eq!(matching(&names, AclPatternType::Prefixed, "c"), 4..4);
    assert_eq!(matching(&names, AclPatternType::Literal, "*"), 0..4);
    // A prefixed `*` is the literal prefix `*`, not a wildcard.
    assert!(matching(&names, AclPatternType::Prefixed, "*").is_empty());
}
