//! Access carried over, rehearsed on the test bed:
//!
//! 1. a SASL_SSL source with ACLs enforced (`StandardAuthorizer`, no access without an ACL) and
//!    SCRAM users: alice reads `orders` as group `billing`; bob writes `orders` and every
//!    `payments.` topic and has a produce quota; carol reads every `payments.` topic but is
//!    denied `payments.card`; dave reads `inventory`, which is not migrated; `mm2` is the fresh
//!    principal MirrorMaker 2 logs in with, and has no ACL yet;
//! 2. `discover` (as a super user) → `plan` → `generate` with the binary;
//! 3. the test applies the plan's `access` section to a local destination cluster with ACLs
//!    enforced, through Kafka's Admin API (`kafka-configs.sh` and `kafka-acls.sh`): this is the
//!    local stand-in for `terraform apply` of `destination/access.tf`, which needs an Aiven
//!    service;
//! 4. MirrorMaker 2 runs on the generated `mm2.properties` as `mm2` and copies nothing; the
//!    source operator runs the generated `source-grants.sh`, and the same MirrorMaker 2 then
//!    copies `orders` and syncs `billing`'s offsets;
//! 5. on the destination: alice consumes `orders` as `billing` from the synced offset, bob
//!    produces, carol is denied `payments.card`, dave has no ACL, bob's quota is there
//!    (DescribeClientQuotas through `kafka-configs.sh --describe`); and no file the tool wrote
//!    holds a password.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use diskless_migrator::inventory::Inventory;
use diskless_migrator::plan::{AclPatternType, AclPermission, AclResourceType, Plan};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use support::kafka::{ClusterOptions, KafkaCluster, Listener};
use support::mm2::{MirrorMaker, fast_properties};
use support::records::{commit, committed, create_topic, produce_to};

const ADMIN: (&str, &str) = ("admin", "admin-secret-3b7e");
const ALICE: (&str, &str) = ("alice", "alice-secret-91c2");
const BOB: (&str, &str) = ("bob", "bob-secret-5d40");
const CAROL: (&str, &str) = ("carol", "carol-secret-a8f1");
const DAVE: (&str, &str) = ("dave", "dave-secret-77e9");
const MM2: (&str, &str) = ("mm2", "mm2-secret-c3d5");
/// Passwords the destination users get: the test's stand-in for `kafka_user_passwords`.
const DESTINATION_PASSWORDS: [(&str, &str); 3] = [
    ("alice", "alice-destination-6e21"),
    ("bob", "bob-destination-0f93"),
    ("carol", "carol-destination-4b18"),
];
const BOB_RATE: u64 = 1_048_576;
const ORDERS_PARTITIONS: i32 = 3;
const ORDERS_PER_PARTITION: usize = 20;
/// Where alice's group stopped on the source, per partition.
const BILLING_AT: i64 = 7;

/// The binary, which must exit 0.
fn run_bin(args: &[&str]) -> Output {
    support::run_migrator(args, &[])
}

/// Kafka's ACL tool (`kafka-acls.sh`) on the test bed's jars.
fn acls(args: &[&str]) -> String {
    support::run_kafka_tool("org.apache.kafka.tools.AclCommand", args)
}

/// Kafka's config tool (`kafka-configs.sh`) on the test bed's jars.
fn configs(args: &[&str]) -> String {
    support::run_kafka_tool("org.apache.kafka.tools.ConfigCommand", args)
}

/// An rdkafka configuration for `user` on `cluster`'s SASL_SSL listener.
fn as_user(cluster: &KafkaCluster, user: &str, password: &str) -> ClientConfig {
    let mut config = cluster.client_config(Listener::SaslSsl);
    config.set("sasl.username", user).set("sasl.password", password);
    config
}

/// Reads `topic` (assigned, from the start) as a member of `group` until `want` records came
/// or an error did; returns the records' `(partition, offset)` or the error.
fn read(config: &ClientConfig, group: &str, topic: &str, start: Offset) -> Result<Vec<(i32, i64)>, String> {
    let consumer: BaseConsumer = config
        .clone()
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .set("auto.offset.reset", "earliest")
        .create()
        .map_err(|e| e.to_string())?;
    let mut tpl = TopicPartitionList::new();
    let partitions = consumer
        .fetch_metadata(Some(topic), Duration::from_secs(10))
        .map_err(|e| e.to_string())?
        .topics()
        .first()
        .map_or(0, |t| t.partitions().len() as i32);
    for p in 0..partitions {
        tpl.add_partition_offset(topic, p, start)
            .map_err(|e| e.to_string())?;
    }
    consumer.assign(&tpl).map_err(|e| e.to_string())?;
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut quiet_since = Instant::now();
    while Instant::now() < deadline && quiet_since.elapsed() < Duration::from_secs(4) {
        match consumer.poll(Duration::from_millis(300)) {
            Some(Ok(m)) => {
                seen.push((m.partition(), m.offset()));
                quiet_since = Instant::now();
            }
            Some(Err(e)) => return Err(e.to_string()),
            None => {}
        }
    }
    Ok(seen)
}

/// A `kafka-acls.sh` for `source-grants.sh`: the ACL tool on the test bed's jars.
fn acl_tool_script(dir: &Path) -> PathBuf {
    let path = dir.join("kafka-acls.sh");
    let java = match std::env::var_os("JAVA_HOME") {
        Some(home) if !home.is_empty() => PathBuf::from(home).join("bin").join("java"),
        _ => PathBuf::from("java"),
    };
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\nexec '{}' -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '{}/*' \
             org.apache.kafka.tools.AclCommand \"$@\"\n",
            java.display(),
            support::kafka_libs().display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn settings_hcl(bootstrap: &str) -> String {
    format!(
        r#"project        = "access-testbed"
cloud          = "google-europe-west1"
service_prefix = "access"

destination {{
  plan          = "business-8-inkless"
  kafka_version = "4.1"
}}

mirrormaker {{
  plan = "business-8"
}}

source {{
  bootstrap_servers = "{bootstrap}"
  security_protocol = "SASL_SSL"
  sasl_mechanism    = "SCRAM-SHA-512"
}}

observability {{
  enabled = false
}}

access {{
  source_principal = "User:mm2"
}}
"#
    )
}

/// Applies the plan's users, ACL bindings and quotas to `destination` through the Admin API
/// (the local stand-in for `terraform apply` of `destination/access.tf`).
fn apply_access(plan: &Plan, destination: &KafkaCluster) {
    let access = plan.access.as_ref().expect("an access section");
    let bootstrap = destination.bootstrap();
    for user in &access.users {
        let password = DESTINATION_PASSWORDS
            .iter()
            .find(|(u, _)| *u == user.username)
            .unwrap_or_else(|| panic!("no test password for planned user {}", user.username))
            .1;
        let mechanism = user.sasl_mechanism.expect("SCRAM users keep SCRAM").as_str();
        configs(&[
            "--bootstrap-server",
            bootstrap,
            "--alter",
            "--add-config",
            &format!("{mechanism}=[password={password}]"),
            "--entity-type",
            "users",
            "--entity-name",
            &user.username,
        ]);
    }
    for acl in &access.acls {
        let b = &acl.binding;
        let (principal_flag, host_flag) = match b.permission_type {
            AclPermission::Allow => ("--allow-principal", "--allow-host"),
            AclPermission::Deny => ("--deny-principal", "--deny-host"),
        };
        let resource_flag = match b.resource_type {
            AclResourceType::Topic => "--topic",
            AclResourceType::Group => "--group",
            AclResourceType::TransactionalId => "--transactional-id",
            other => panic!("the test's plan has no {other:?} binding"),
        };
        let pattern = match b.pattern_type {
            AclPatternType::Literal => "literal",
            AclPatternType::Prefixed => "prefixed",
        };
        acls(&[
            "--bootstrap-server",
            bootstrap,
            "--add",
            principal_flag,
            &b.principal,
            host_flag,
            &b.host,
            "--operation",
            b.operation.as_str(),
            "--resource-pattern-type",
            pattern,
            resource_flag,
            &b.resource_name,
        ]);
    }
    for q in &access.quotas {
        let mut values = Vec::new();
        if let Some(v) = q.producer_byte_rate {
            values.push(format!("producer_byte_rate={v}"));
        }
        if let Some(v) = q.consumer_byte_rate {
            values.push(format!("consumer_byte_rate={v}"));
        }
        if let Some(v) = q.request_percentage {
            values.push(format!("request_percentage={v}"));
        }
        let user = q.user.as_deref().expect("the test's quotas are per user");
        configs(&[
            "--bootstrap-server",
            bootstrap,
            "--alter",
            "--add-config",
            &values.join(","),
            "--entity-type",
            "users",
            "--entity-name",
            user,
        ]);
    }
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn users_acls_quotas_and_source_grants_let_clients_cut_over() {
    let started = Instant::now();
    let acl_options = |o: ClusterOptions| {
        o.with_sasl_ssl()
            .with_acls()
            .with_broker_property("allow.everyone.if.no.acl.found", "false")
            .with_broker_property("super.users", "User:ANONYMOUS;User:admin")
    };
    let mut source_options = acl_options(ClusterOptions::new("access-source"));
    for (user, password) in [ADMIN, ALICE, BOB, CAROL, DAVE, MM2] {
        source_options = source_options.with_scram_user(user, password);
    }
    let destination_options = acl_options(ClusterOptions::new("access-destination"))
        .with_scram_user(ADMIN.0, ADMIN.1)
        .with_single_node("the destination stands in for the Aiven service: what its ACLs allow does not depend on its broker count");
    let clusters = KafkaCluster::start_many(vec![source_options, destination_options]);
    let (source, destination) = (&clusters[0], &clusters[1]);
    eprintln!(
        "access: clusters up after {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let work = support::run_dir("access-");
    let work = work.path();

    // --- the source: topics, records, ACLs, a quota, alice's group
    let src = source.client_config(Listener::Plaintext);
    let sb = source.bootstrap();
    create_topic(&src, "orders", ORDERS_PARTITIONS, &[]);
    create_topic(&src, "payments.card", 1, &[]);
    create_topic(&src, "inventory", 1, &[]);
    for p in 0..ORDERS_PARTITIONS {
        produce_to(&src, "orders", p, ORDERS_PER_PARTITION);
    }
    produce_to(&src, "payments.card", 0, 5);
    let principal = |u: &str| format!("User:{u}");
    acls(&[
        "--bootstrap-server",
        sb,
        "--add",
        "--allow-principal",
        &principal(ALICE.0),
        "--operation",
        "Read",
        "--topic",
        "orders",
        "--group",
        "billing",
    ]);
    acls(&[
        "--bootstrap-server",
        sb,
        "--add",
        "--allow-principal",
        &principal(BOB.0),
        "--operation",
        "Write",
        "--operation",
        "Describe",
        "--topic",
        "orders",
    ]);
    acls(&[
        "--bootstrap-server",
        sb,
        "--add",
        "--allow-principal",
        &principal(BOB.0),
        "--operation",
        "Write",
        "--operation",
        "Describe",
        "--resource-pattern-type",
        "prefixed",
        "--topic",
        "payments.",
    ]);
    acls(&[
        "--bootstrap-server",
        sb,
        "--add",
        "--allow-principal",
        &principal(CAROL.0),
        "--operation",
        "Read",
        "--resource-pattern-type",
        "prefixed",
        "--topic",
        "payments.",
        "--group",
        "carol-",
    ]);
    acls(&[
        "--bootstrap-server",
        sb,
        "--add",
        "--deny-principal",
        &principal(CAROL.0),
        "--operation",
        "Read",
        "--topic",
        "payments.card",
    ]);
    acls(&[
        "--bootstrap-server",
        sb,
        "--add",
        "--allow-principal",
        &principal(DAVE.0),
        "--operation",
        "Read",
        "--topic",
        "inventory",
        "--group",
        "stock",
    ]);
    configs(&[
        "--bootstrap-server",
        sb,
        "--alter",
        "--add-config",
        &format!("producer_byte_rate={BOB_RATE}"),
        "--entity-type",
        "users",
        "--entity-name",
        BOB.0,
    ]);
    // alice's group stops part way through on the source (her own credentials: the ACLs hold).
    let alice_src = as_user(source, ALICE.0, ALICE.1);
    let offsets: Vec<(i32, i64)> = (0..ORDERS_PARTITIONS).map(|p| (p, BILLING_AT)).collect();
    commit(&alice_src, "billing", "orders", &offsets);
    eprintln!(
        "access: source seeded after {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // --- discover, plan, generate (discover as the super user admin)
    let sasl = source.address(Listener::SaslSsl).unwrap().to_owned();
    let command_config = work.join("admin.properties");
    std::fs::write(&command_config, source.java_client_properties(Listener::SaslSsl)).unwrap();
    let inventory_dir = work.join("inventory");
    run_bin(&[
        "discover",
        "--bootstrap-server",
        &sasl,
        "--command-config",
        command_config.to_str().unwrap(),
        "--out",
        inventory_dir.to_str().unwrap(),
        "--quiet",
    ]);
    let inventory_path = inventory_dir.join("inventory.json");
    let inventory: Inventory =
        serde_json::from_str(&std::fs::read_to_string(&inventory_path).unwrap()).unwrap();
    let scram: Vec<&str> = inventory
        .scram_users
        .as_ref()
        .expect("SCRAM users read")
        .iter()
        .map(|u| u.user.as_str())
        .collect();
    assert!(
        ["alice", "bob", "carol", "dave", "mm2"]
            .iter()
            .all(|u| scram.contains(u)),
        "{scram:?}"
    );
    let bob_quota = inventory
        .quotas
        .as_ref()
        .expect("quotas read")
        .iter()
        .find(|q| q.user.as_deref() == Some("bob"))
        .expect("bob's quota discovered");
    assert_eq!(bob_quota.producer_byte_rate, Some(BOB_RATE as f64));

    // A principal without Describe and DescribeConfigs on the cluster: each refused read is a
    // gap, and its fact null.
    let alice_config = work.join("alice.properties");
    std::fs::write(
        &alice_config,
        source
            .java_client_properties(Listener::SaslSsl)
            .replace(
                &format!("username=\"{}\"", ADMIN.0),
                &format!("username=\"{}\"", ALICE.0),
            )
            .replace(
                &format!("password=\"{}\"", ADMIN.1),
                &format!("password=\"{}\"", ALICE.1),
            ),
    )
    .unwrap();
    let refused_dir = work.join("refused");
    run_bin(&[
        "discover",
        "--bootstrap-server",
        &sasl,
        "--command-config",
        alice_config.to_str().unwrap(),
        "--out",
        refused_dir.to_str().unwrap(),
        "--quiet",
    ]);
    let refused: Inventory =
        serde_json::from_str(&std::fs::read_to_string(refused_dir.join("inventory.json")).unwrap()).unwrap();
    assert!(refused.acls.is_none() && refused.scram_users.is_none() && refused.quotas.is_none());
    for fact in ["acls", "scram_users", "quotas"] {
        let gap = refused
            .gaps
            .iter()
            .find(|g| g.fact == fact)
            .unwrap_or_else(|| panic!("no {fact} gap: {:?}", refused.gaps));
        assert!(
            gap.reason.to_lowercase().contains("authoriz") || gap.reason.contains("31"),
            "{fact}: {}",
            gap.reason
        );
    }

    // The same facts from the CLI tools' text (`discover --from-legacy`) agree with the live ones.
    let legacy = work.join("legacy");
    std::fs::create_dir_all(&legacy).unwrap();
    std::fs::write(
        legacy.join("acls_source.txt"),
        acls(&["--bootstrap-server", sb, "--list"]),
    )
    .unwrap();
    std::fs::write(
        legacy.join("quotas_users_source.txt"),
        configs(&["--bootstrap-server", sb, "--describe", "--entity-type", "users"]),
    )
    .unwrap();
    let imported_dir = work.join("imported");
    run_bin(&[
        "discover",
        "--from-legacy",
        legacy.to_str().unwrap(),
        "--out",
        imported_dir.to_str().unwrap(),
        "--quiet",
    ]);
    let imported: Inventory =
        serde_json::from_str(&std::fs::read_to_string(imported_dir.join("inventory.json")).unwrap()).unwrap();
    assert_eq!(
        imported.acls, inventory.acls,
        "kafka-acls --list reads as DescribeAcls does"
    );
    assert_eq!(
        imported.quotas, inventory.quotas,
        "kafka-configs --describe reads as DescribeClientQuotas does"
    );
    let names =
        |i: &Inventory| -> Vec<String> { i.scram_users.iter().flatten().map(|u| u.user.clone()).collect() };
    assert_eq!(names(&imported), names(&inventory));

    let topics = work.join("topics.txt");
    std::fs::write(&topics, "orders\npayments.card\n").unwrap();
    let settings = work.join("migration.hcl");
    std::fs::write(&settings, settings_hcl(&sasl)).unwrap();
    let plan_dir = work.join("plan");
    let summary = run_bin(&[
        "plan",
        "--inventory",
        inventory_path.to_str().unwrap(),
        "--settings",
        settings.to_str().unwrap(),
        "--topics",
        topics.to_str().unwrap(),
        "--out",
        plan_dir.to_str().unwrap(),
    ]);
    let summary = String::from_utf8_lossy(&summary.stdout).into_owned();
    assert!(summary.contains("Access: 3 user(s)"), "{summary}");
    let plan_path = plan_dir.join("plan.json");
    let plan: Plan = serde_json::from_str(&std::fs::read_to_string(&plan_path).unwrap()).unwrap();
    let access = plan.access.as_ref().unwrap();
    let users: Vec<&str> = access.users.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(
        users,
        ["alice", "bob", "carol"],
        "dave's topics stay behind, so dave does not move"
    );
    assert!(
        access
            .dropped_acls
            .iter()
            .filter(|d| d.binding.principal == "User:dave")
            .all(|d| !d.needs_decision)
    );
    let out = work.join("generated");
    run_bin(&[
        "generate",
        "--plan",
        plan_path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    eprintln!(
        "access: discover, plan, generate done after {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // --- the destination's access, from the plan (the stand-in for terraform apply)
    apply_access(&plan, destination);
    eprintln!(
        "access: destination access applied after {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // --- MirrorMaker 2 as the fresh principal mm2: it can read nothing yet
    let dst = destination.client_config(Listener::Plaintext);
    let mm2_src = as_user(source, MM2.0, MM2.1);
    let before = read(&mm2_src, "probe", "orders", Offset::Beginning);
    assert!(
        matches!(&before, Err(e) if e.contains("authoriz") || e.contains("Authoriz")),
        "mm2 must not read orders before the grants: {before:?}"
    );
    let generated = std::fs::read_to_string(out.join("mm2.properties")).unwrap();
    let mut aliases = vec![plan.settings.destination.cluster_alias.as_str()];
    aliases.extend(plan.flows.iter().map(|f| f.source_alias.as_str()));
    let mut properties = format!(
        "{generated}\n# --- appended by the access test: the local destination is PLAINTEXT\n{}.security.protocol=PLAINTEXT\n",
        aliases[0]
    );
    properties.push_str(&fast_properties(1, &aliases));
    properties.push_str("sync.group.offsets.interval.seconds = 1\noffset.flush.interval.ms = 1000\n");
    for alias in &aliases {
        properties.push_str(&format!("{alias}.offset.flush.interval.ms = 1000\n"));
    }
    for f in &plan.flows {
        properties.push_str(&format!(
            "{}->{}.sync.group.offsets.interval.seconds = 1\n",
            f.source_alias, f.target_alias
        ));
    }
    let ca = std::fs::read_to_string(&source.tls().unwrap().ca_cert).unwrap();
    let env: Vec<(String, String)> = [
        (
            "DESTINATION_BOOTSTRAP_SERVERS",
            destination.bootstrap().to_owned(),
        ),
        ("DESTINATION_ACCESS_CERT", String::new()),
        ("DESTINATION_ACCESS_KEY", String::new()),
        ("DESTINATION_CA_CERT", String::new()),
        ("SOURCE_SASL_USERNAME", MM2.0.to_owned()),
        ("SOURCE_SASL_PASSWORD", MM2.1.to_owned()),
        ("SOURCE_SSL_CA_CERT", ca),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let mut mm2 = MirrorMaker::start_with_env(&properties, &env);
    std::thread::sleep(Duration::from_secs(10));
    mm2.assert_running();
    assert_eq!(
        support::records::record_count(&dst, "orders").unwrap_or(0),
        0,
        "MirrorMaker 2 copied orders without the source grants"
    );

    // --- source-grants.sh, as the source operator runs it
    let script = out.join("source-grants.sh");
    let kafka_acls = acl_tool_script(work);
    let dry = Command::new("sh")
        .arg(&script)
        .arg("--dry-run")
        .env("KAFKA_ACLS", &kafka_acls)
        .output()
        .unwrap();
    let dry_text = String::from_utf8_lossy(&dry.stdout);
    assert!(dry.status.success(), "{dry:?}");
    assert!(
        dry_text.contains("'--topic' 'orders'") && dry_text.contains("'User:mm2'"),
        "{dry_text}"
    );
    let run = Command::new("sh")
        .arg(&script)
        .args(["--bootstrap-server", sb])
        .env("KAFKA_ACLS", &kafka_acls)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "source-grants.sh failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    eprintln!(
        "access: source grants applied after {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // --- the same MirrorMaker 2 now copies orders and syncs billing
    let total = i64::from(ORDERS_PARTITIONS) * ORDERS_PER_PARTITION as i64;
    support::wait_until(
        Duration::from_secs(120),
        "orders copied to the destination",
        || support::records::record_count(&dst, "orders") == Some(total),
    );
    let mut synced = Vec::new();
    support::wait_until(
        Duration::from_secs(90),
        "billing's offsets synced to the destination",
        || {
            synced = committed(&dst, "billing", "orders", ORDERS_PARTITIONS);
            synced.iter().all(Option::is_some)
        },
    );
    // MirrorMaker 2 translates a stopped group's offset to its newest offset sync at or
    // before it: the group may re-read a few records (at least once), never skip one.
    eprintln!("access: billing synced at {synced:?} (source: {BILLING_AT} per partition)");
    assert!(
        synced.iter().all(|o| o.is_some_and(|o| o <= BILLING_AT)),
        "{synced:?}"
    );
    mm2.stop();
    eprintln!(
        "access: copied and synced after {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // --- the clients on the destination
    let password = |u: &str| DESTINATION_PASSWORDS.iter().find(|(n, _)| *n == u).unwrap().1;
    let alice = as_user(destination, ALICE.0, password(ALICE.0));
    let records = read(&alice, "billing", "orders", Offset::Stored).expect("alice reads orders as billing");
    let expected: i64 = synced
        .iter()
        .map(|o| ORDERS_PER_PARTITION as i64 - o.unwrap())
        .sum();
    assert_eq!(
        records.len() as i64,
        expected,
        "alice reads from the synced offsets to the end"
    );
    for p in 0..ORDERS_PARTITIONS {
        let first = records.iter().filter(|(q, _)| *q == p).map(|(_, o)| *o).min();
        assert_eq!(
            first, synced[p as usize],
            "alice resumes partition {p} at the synced offset"
        );
    }

    let bob = as_user(destination, BOB.0, password(BOB.0));
    let producer: BaseProducer = bob.create().unwrap();
    producer
        .send(BaseRecord::<(), _>::to("orders").partition(0).payload("from bob"))
        .unwrap();
    producer
        .flush(Duration::from_secs(30))
        .expect("bob produces to orders on the destination");

    let carol = as_user(destination, CAROL.0, password(CAROL.0));
    let denied = read(&carol, "carol-reader", "payments.card", Offset::Beginning);
    assert!(
        matches!(&denied, Err(e) if e.to_lowercase().contains("authoriz")),
        "carol must be denied payments.card: {denied:?}"
    );

    let dave_acls = acls(&[
        "--bootstrap-server",
        destination.bootstrap(),
        "--list",
        "--principal",
        "User:dave",
    ]);
    assert!(
        !dave_acls.contains("principal=User:dave"),
        "dave has ACLs on the destination:\n{dave_acls}"
    );

    let quota = configs(&[
        "--bootstrap-server",
        destination.bootstrap(),
        "--describe",
        "--entity-type",
        "users",
        "--entity-name",
        BOB.0,
    ]);
    assert!(
        quota.contains(&format!("producer_byte_rate={BOB_RATE}")),
        "bob's quota is not in effect:\n{quota}"
    );

    // --- no password in anything the tool wrote or printed
    let mut written = files(&out);
    written.push(inventory_path.clone());
    written.push(plan_path.clone());
    let passwords: Vec<&str> = [ADMIN, ALICE, BOB, CAROL, DAVE, MM2]
        .iter()
        .map(|(_, p)| *p)
        .chain(DESTINATION_PASSWORDS.iter().map(|(_, p)| *p))
        .collect();
    for file in &written {
        let text = String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned();
        for password in &passwords {
            assert!(!text.contains(password), "{} holds a password", file.display());
        }
    }
    assert!(!passwords.iter().any(|p| summary.contains(p)));
    eprintln!("access: done in {:.1} s", started.elapsed().as_secs_f64());
}
