//! Test plans for the `generate` tests, built in Rust so the tests do not depend on the
//! planner: a small plan with every feature, and large synthetic ones.

#![allow(dead_code)]

use std::collections::BTreeMap;

use diskless_migrator::plan::*;

/// A builder of plans for tests.
pub struct PlanBuilder {
    plan: Plan,
}

impl PlanBuilder {
    /// Settings like a real migration: SASL_SSL source, observability, Terraform Cloud.
    pub fn new() -> PlanBuilder {
        let choices = mirrormaker::replication_choices();
        PlanBuilder {
            plan: Plan {
                schema_version: PLAN_SCHEMA_VERSION,
                tool: "diskless-migrator 0.1.0".into(),
                inventory: InventoryRef {
                    cluster_id: Some("lkc-test".into()),
                    collected_at: "2026-11-01T10:00:00Z".into(),
                },
                settings: ResolvedSettings {
                    project: "acme-streaming".into(),
                    cloud: "google-europe-west1".into(),
                    destination: DestinationService {
                        service_name: "acme-diskless".into(),
                        plan: "business-8-inkless".into(),
                        kafka_version: "4.1".into(),
                        cluster_alias: "destination".into(),
                        tiered_storage: true,
                    },
                    mirrormaker: MirrorMakerService {
                        service_name: "acme-migration-mm2".into(),
                        plan: "business-8".into(),
                    },
                    source: SourceConnection {
                        bootstrap_servers: "kafka-1.acme.internal:9093,kafka-2.acme.internal:9093".into(),
                        security_protocol: diskless_migrator::plan::SecurityProtocol::SaslSsl,
                        sasl_mechanism: Some(diskless_migrator::plan::SaslMechanism::ScramSha512),
                        ssl_endpoint_identification_algorithm: Some("https".into()),
                    },
                    observability: Some(Observability {
                        grafana_service_name: "acme-migration-grafana".into(),
                        grafana_plan: "startup-1".into(),
                        thanos_service_name: "acme-migration-thanos".into(),
                        thanos_plan: "startup-4".into(),
                    }),
                    terraform_cloud: Some(TerraformCloud {
                        organization: "acme".into(),
                        destination_workspace: "kafka-diskless-destination".into(),
                        migration_workspace: "kafka-diskless-migration".into(),
                    }),
                },
                topics: vec![],
                flows: vec![],
                mirrormaker: MirrorMakerPlan {
                    balanced_by: "partitions".into(),
                    tasks_max_per_cpu: 2,
                    tasks_max: 8,
                    cpus: 4,
                    max_partitions_per_task: 50,
                    max_tasks_per_cpu: 16,
                    tasks_reason: "flow-01 needs 8 task(s)".into(),
                    offset_flush_interval_ms: Decided::new(60_000, "Kafka Connect's default"),
                    max_gate_open_seconds: 600,
                    expected_bytes_per_second_per_flow: 50_000_000,
                    worker: Worker::default(),
                    topics_exclude: default_topics_exclude(),
                    config_properties_exclude: default_config_properties_exclude(),
                    replication_policy: choices.replication_policy,
                    offset_syncs_topic_location: choices.offset_syncs_topic_location,
                    sync_topic_configs_enabled: choices.sync_topic_configs_enabled,
                    sync_topic_acls_enabled: choices.sync_topic_acls_enabled,
                    emit_heartbeats_enabled: choices.emit_heartbeats_enabled,
                    emit_heartbeats_outside_flows: choices.emit_heartbeats_outside_flows,
                },
                diagnostics: vec![],
                cost: None,
                access: None,
            },
        }
    }

    /// Without observability or Terraform Cloud, with a PLAINTEXT source.
    pub fn minimal() -> PlanBuilder {
        let mut b = PlanBuilder::new();
        b.plan.settings.observability = None;
        b.plan.settings.terraform_cloud = None;
        b.plan.settings.source.security_protocol = diskless_migrator::plan::SecurityProtocol::Plaintext;
        b.plan.settings.source.sasl_mechanism = None;
        b.plan.settings.source.ssl_endpoint_identification_algorithm = None;
        b
    }

    /// Adds a topic to `flow` (created if new). `decision` Skip ignores the flow.
    pub fn topic(mut self, name: &str, decision: Decision, partitions: u32, flow: &str) -> PlanBuilder {
        let mut config = BTreeMap::new();
        config.insert(
            "retention_ms".to_string(),
            ConfigValue::String("604800000".into()),
        );
        if decision == Decision::Diskless {
            config.insert("diskless_enable".to_string(), ConfigValue::Bool(true));
        }
        if decision == Decision::Classic {
            config.insert(
                "cleanup_policy".to_string(),
                ConfigValue::String("compact".into()),
            );
            config.insert("min_cleanable_dirty_ratio".to_string(), ConfigValue::Number(0.5));
        }
        let replication = match decision {
            Decision::Diskless => 1,
            Decision::Classic => 3,
            Decision::Skip => 0,
        };
        let migrated = decision != Decision::Skip;
        self.plan.topics.push(TopicPlan {
            name: name.into(),
            decision,
            reason: "test".into(),
            partitions,
            replication,
            config,
            dropped_configs: vec![],
            flow: migrated.then(|| flow.to_string()),
            size_bytes: Some(1_000_000),
            bytes_per_second: None,
            cost: None,
        });
        if migrated {
            let n = self.plan.flows.len() + 1;
            if !self.plan.flows.iter().any(|f| f.name == flow) {
                self.plan.flows.push(Flow {
                    name: flow.into(),
                    source_alias: format!("source-{n:02}"),
                    target_alias: "destination".into(),
                    ..Flow::default()
                });
            }
            let f = self.plan.flows.iter_mut().find(|f| f.name == flow).unwrap();
            f.topics.push(name.into());
            f.topics.sort();
            f.topic_regexes = f
                .topics
                .iter()
                .map(|t| format!("^{}$", t.replace('.', "\\.").replace('-', "\\-")))
                .collect();
            f.partitions += partitions;
            f.size_bytes = Some(f.size_bytes.unwrap_or(0) + 1_000_000);
            f.estimated_copy_seconds = Some(3725);
            // tasks_max 8, a 60 s offset commit, 10 s checkpoints and group offset sync.
            f.tasks = f.partitions.clamp(1, 8);
            f.partitions_per_task = f.partitions.div_ceil(f.tasks);
            f.final_sync_drain_seconds = u64::from(f.partitions_per_task.div_ceil(10)) * 60;
            f.gate_open_seconds = f.final_sync_drain_seconds + 20;
        }
        self
    }

    /// Mutates the plan directly.
    pub fn with(mut self, f: impl FnOnce(&mut Plan)) -> PlanBuilder {
        f(&mut self.plan);
        self
    }

    /// The finished plan, with topics and flows sorted as the planner writes them.
    pub fn build(mut self) -> Plan {
        self.plan.topics.sort_by(|a, b| a.name.cmp(&b.name));
        self.plan.flows.sort_by(|a, b| a.name.cmp(&b.name));
        self.plan
    }
}

/// The small plan the snapshots show: diskless, classic and skipped topics in two flows.
pub fn small_plan() -> Plan {
    PlanBuilder::new()
        .topic("logging-topic", Decision::Diskless, 6, "flow-01")
        .topic("metrics.topic", Decision::Diskless, 12, "flow-02")
        .topic("orders", Decision::Classic, 3, "flow-01")
        .topic("product-topic", Decision::Diskless, 3, "flow-02")
        .topic("legacy-txn", Decision::Skip, 3, "")
        .build()
}

/// `topics` diskless topics spread round-robin over `flows` flows.
pub fn large_plan(topics: usize, flows: usize) -> Plan {
    let mut b = PlanBuilder::new();
    for i in 0..topics {
        let decision = if i % 10 == 9 {
            Decision::Classic
        } else {
            Decision::Diskless
        };
        b = b.topic(
            &format!("app.events-{i:06}"),
            decision,
            1 + (i % 12) as u32,
            &format!("flow-{:02}", i % flows + 1),
        );
    }
    b.build()
}

/// A binding for [`access_plan`].
fn binding(
    principal: &str,
    resource_type: AclResourceType,
    pattern_type: AclPatternType,
    name: &str,
    operation: AclOperation,
    permission_type: AclPermission,
) -> AclPlan {
    let binding = AclBinding {
        principal: principal.into(),
        resource_type,
        pattern_type,
        resource_name: name.into(),
        operation,
        permission_type,
        host: "*".into(),
    };
    AclPlan {
        key: diskless_migrator::plan::access::acl_key(&binding),
        binding,
        source_principal: principal.into(),
        reason: "test".into(),
    }
}

/// The small plan with an access section: SCRAM users and a certificate user, allow and deny,
/// literal and prefixed bindings, a group, a transactional id, quotas, source grants, clients.
pub fn access_plan() -> Plan {
    use AclOperation::*;
    use AclPatternType::*;
    use AclPermission::*;
    use AclResourceType::*;
    let mut plan = small_plan();
    let user = |name: &str, mechanism: Option<SaslMechanism>| UserPlan {
        username: name.into(),
        source_principals: vec![format!("User:{name}")],
        sasl_mechanism: mechanism,
        reason: "test".into(),
    };
    let mut acls = vec![
        binding("User:alice", Topic, Literal, "orders", Read, Allow),
        binding("User:alice", Group, Literal, "billing", Read, Allow),
        binding("User:bob", Topic, Prefixed, "metrics.", Write, Allow),
        binding("User:bob", TransactionalId, Prefixed, "bob-", Write, Allow),
        binding("User:billing-app", Topic, Literal, "logging-topic", Read, Allow),
        binding("User:bob", Topic, Literal, "orders", Read, Deny),
    ];
    acls.sort_by(|a, b| a.key.cmp(&b.key));
    plan.access = Some(AccessPlan {
        managed: true,
        reason: "test".into(),
        destination_sasl: true,
        users: vec![
            user("alice", Some(SaslMechanism::ScramSha512)),
            user("billing-app", None),
            user("bob", Some(SaslMechanism::ScramSha256)),
        ],
        undecided_principals: vec![],
        skipped_principals: vec![],
        acls,
        dropped_acls: vec![],
        quotas: vec![
            QuotaPlan {
                key: "/default".into(),
                user: None,
                client_id: Some("default".into()),
                request_percentage: Some(50.0),
                reason: "test".into(),
                ..QuotaPlan::default()
            },
            QuotaPlan {
                key: "bob/".into(),
                user: Some("bob".into()),
                producer_byte_rate: Some(1_048_576),
                consumer_byte_rate: Some(2_097_152),
                reason: "test".into(),
                ..QuotaPlan::default()
            },
        ],
        dropped_quotas: vec![],
        source_grants: SourceGrants {
            principal: Some("User:mm2".into()),
            grants: vec![
                SourceGrant {
                    resource_type: Topic,
                    resource_names: vec![
                        "logging-topic".into(),
                        "metrics.topic".into(),
                        "orders".into(),
                        "product-topic".into(),
                    ],
                    operations: vec![Read, Describe, DescribeConfigs],
                    reason: "MirrorMaker 2 reads the flows' topics".into(),
                },
                SourceGrant {
                    resource_type: Group,
                    resource_names: vec!["billing".into()],
                    operations: vec![Read, Describe],
                    reason: "MirrorMaker 2 checkpoints these groups".into(),
                },
                SourceGrant {
                    resource_type: Cluster,
                    resource_names: vec!["kafka-cluster".into()],
                    operations: vec![Describe],
                    reason: "MirrorMaker 2 lists the groups".into(),
                },
            ],
        },
        clients: vec![
            ClientPlan {
                username: "alice".into(),
                security_protocol: SecurityProtocol::SaslSsl,
                sasl_mechanism: Some(SaslMechanism::ScramSha512),
                diskless_az: false,
                client_rack: true,
                reason: "its topic bindings match classic topics".into(),
            },
            ClientPlan {
                username: "billing-app".into(),
                security_protocol: SecurityProtocol::Ssl,
                sasl_mechanism: None,
                diskless_az: true,
                client_rack: false,
                reason: "its topic bindings match diskless topics".into(),
            },
            ClientPlan {
                username: "bob".into(),
                security_protocol: SecurityProtocol::SaslSsl,
                sasl_mechanism: Some(SaslMechanism::ScramSha256),
                diskless_az: true,
                client_rack: true,
                reason: "its topic bindings match diskless and classic topics".into(),
            },
        ],
    });
    plan
}
