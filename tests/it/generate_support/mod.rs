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
                    expected_bytes_per_second_per_flow: 50_000_000,
                    worker: Worker::default(),
                    topics_exclude: default_topics_exclude(),
                    config_properties_exclude: default_config_properties_exclude(),
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
