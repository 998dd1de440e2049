//! Apache Kafka clusters in KRaft mode — three brokers by default, each JVM acting as broker and
//! controller of a static quorum — each cluster in its own folder on free loopback ports,
//! formatted with the storage tool before the first start. A test can kill, stop and restart
//! single brokers. Besides the PLAINTEXT listener, a cluster can offer SASL_SSL (SCRAM-SHA-512,
//! SCRAM-SHA-256 and PLAIN, the same users for each) and an SSL listener that requires client
//! certificates (mTLS), and can enforce ACLs.

use std::fmt::Write as _;
use std::hash::{BuildHasher, RandomState};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rdkafka::ClientConfig;

use super::process::ManagedProcess;
use super::tls::TlsFiles;

/// How long a cluster may take to accept requests after its JVM starts.
pub const START_TIMEOUT: Duration = Duration::from_secs(120);

/// Heap of a broker JVM.
const BROKER_HEAP_MB: u32 = 384;

/// A listener of a test cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listener {
    /// No encryption, no authentication; always present (also used between broker parts).
    Plaintext,
    /// TLS with SASL authentication: SCRAM-SHA-512 in the client settings this module writes;
    /// the broker also accepts SCRAM-SHA-256 and PLAIN for the same users.
    SaslSsl,
    /// TLS that requires a client certificate signed by the cluster's CA.
    Mtls,
}

/// A SASL user created when the cluster is formatted (SCRAM-SHA-512 and SCRAM-SHA-256
/// credentials, and a PLAIN entry in the listener's JAAS configuration).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScramUser {
    /// User name.
    pub name: String,
    /// Password.
    pub password: String,
}

/// What a test cluster offers; build with [`ClusterOptions::new`] and the `with_*` methods.
#[derive(Clone, Debug, Default)]
pub struct ClusterOptions {
    /// Short name used for the folder, the log messages and the pid record.
    pub name: String,
    /// Number of brokers (each also a KRaft controller): three, as in production, unless a
    /// test says why it needs one ([`ClusterOptions::with_single_node`]).
    pub brokers: usize,
    /// Add a SASL_SSL listener (SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN).
    pub sasl_ssl: bool,
    /// Add an SSL listener requiring client certificates.
    pub mtls: bool,
    /// SCRAM users created at format time (a default one is added for SASL_SSL if empty).
    pub scram_users: Vec<ScramUser>,
    /// Extra broker properties, written last so they override the defaults.
    pub broker_properties: Vec<(String, String)>,
    /// The names in the TLS listeners' certificate; `None` for `localhost` and `127.0.0.1`,
    /// the addresses clients use.
    pub server_certificate_names: Option<String>,
    /// Tiered storage on: Kafka's `LocalTieredStorage` (from its published test jar) as the
    /// remote storage, a folder of the cluster's run folder shared by its brokers.
    pub tiered_storage: bool,
    /// Broker heap in MB; `None` for the test bed's default (384).
    pub heap_mb: Option<u32>,
}

impl ClusterOptions {
    /// A PLAINTEXT-only cluster of three brokers called `name`.
    pub fn new(name: &str) -> ClusterOptions {
        ClusterOptions {
            name: name.to_owned(),
            brokers: 3,
            ..ClusterOptions::default()
        }
    }

    /// One broker instead of three; `why` says what makes the broker count irrelevant to the
    /// test (it is printed, so a reader of the test output sees it too).
    pub fn with_single_node(mut self, why: &str) -> ClusterOptions {
        assert!(!why.trim().is_empty(), "say why the test needs only one broker");
        eprintln!("testbed: cluster {} has one broker: {why}", self.name);
        self.brokers = 1;
        self
    }

    /// A broker heap of `mb` (large partition counts and many groups need more than the default).
    pub fn with_heap_mb(mut self, mb: u32) -> ClusterOptions {
        self.heap_mb = Some(mb);
        self
    }

    /// Adds a SASL_SSL listener (SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN authentication).
    pub fn with_sasl_ssl(mut self) -> ClusterOptions {
        self.sasl_ssl = true;
        self
    }

    /// Adds an SSL listener that requires client certificates.
    pub fn with_mtls(mut self) -> ClusterOptions {
        self.mtls = true;
        self
    }

    /// Adds a SASL user.
    pub fn with_scram_user(mut self, name: &str, password: &str) -> ClusterOptions {
        self.scram_users.push(ScramUser {
            name: name.to_owned(),
            password: password.to_owned(),
        });
        self
    }

    /// Turns on KRaft's `StandardAuthorizer`. Clients of the PLAINTEXT listener (and the
    /// controller), whose principal is `User:ANONYMOUS`, are super users, so setup, tools and
    /// MirrorMaker 2 can do anything; other principals (the SCRAM users of the SASL_SSL
    /// listener) may use every resource that has no ACL, so a test restricts them by adding
    /// DENY ACLs with [`KafkaCluster::deny`].
    pub fn with_acls(self) -> ClusterOptions {
        self.with_broker_property(
            "authorizer.class.name",
            "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        )
        .with_broker_property("super.users", "User:ANONYMOUS")
        .with_broker_property("allow.everyone.if.no.acl.found", "true")
    }

    /// Gives the TLS listeners a certificate for `names` (`subjectAltName` entries such as
    /// `DNS:broker.invalid`) instead of the addresses clients connect to, so host-name
    /// verification fails unless a client turns it off.
    pub fn with_server_certificate_for(mut self, names: &str) -> ClusterOptions {
        self.server_certificate_names = Some(names.to_owned());
        self
    }

    /// Tiered storage on the brokers (see [`ClusterOptions::tiered_storage`]): topics may set
    /// `remote.storage.enable=true`.
    pub fn with_tiered_storage(mut self) -> ClusterOptions {
        self.tiered_storage = true;
        self
    }

    /// Sets a broker property (overrides the test bed's defaults).
    pub fn with_broker_property(mut self, key: &str, value: &str) -> ClusterOptions {
        self.broker_properties.push((key.to_owned(), value.to_owned()));
        self
    }
}

/// One broker of a test cluster (a JVM acting as broker and controller), with what it takes
/// to start it again after a test stopped it.
struct BrokerNode {
    id: u32,
    /// `None` while a test has the broker stopped.
    process: Option<ManagedProcess>,
    properties: PathBuf,
    log4j: PathBuf,
    log: PathBuf,
    /// The Kafka jars the broker runs on (see [`broker_libs`]).
    libs: PathBuf,
    /// Heap in MB.
    heap_mb: u32,
    plaintext: String,
    sasl_ssl: Option<String>,
    mtls: Option<String>,
}

impl BrokerNode {
    fn spawn(&mut self, cluster: &str, dir: &Path) {
        let mut cmd = super::java_command(&self.libs, self.heap_mb, &self.log4j);
        cmd.arg("kafka.Kafka").arg(&self.properties).current_dir(dir);
        self.process = Some(ManagedProcess::spawn(
            &format!("kafka-{cluster}-{}", self.id),
            cmd,
            dir,
            vec![self.log.clone()],
        ));
    }
}

/// A running KRaft cluster of one or more brokers (three unless a test says why not); stopped
/// when dropped.
pub struct KafkaCluster {
    name: String,
    // Declared before `dir` so the processes stop before their folder is removed.
    nodes: Vec<BrokerNode>,
    dir: tempfile::TempDir,
    plaintext: String,
    sasl_ssl: Option<String>,
    mtls: Option<String>,
    tls: Option<TlsFiles>,
    scram_users: Vec<ScramUser>,
    startup: Duration,
}

impl KafkaCluster {
    /// Formats and starts a cluster, and waits until every broker is registered and answers
    /// metadata requests. Panics (printing the broker logs) if they do not within
    /// [`START_TIMEOUT`].
    pub fn start(options: ClusterOptions) -> KafkaCluster {
        let started = Instant::now();
        let mut options = options;
        if options.sasl_ssl && options.scram_users.is_empty() {
            options = options.with_scram_user("migrator", "migrator-secret");
        }
        assert!(options.brokers >= 1, "a cluster needs at least one broker");
        let dir = super::run_dir(&format!("kafka-{}-", options.name));
        let addr = |port: u16| format!("127.0.0.1:{port}");
        let server_names = options
            .server_certificate_names
            .as_deref()
            .unwrap_or("DNS:localhost,IP:127.0.0.1");
        let tls = (options.sasl_ssl || options.mtls).then(|| TlsFiles::generate(dir.path(), server_names));
        let ports: Vec<Vec<u16>> = (0..options.brokers).map(|_| super::free_ports(4)).collect();
        let voters = ports
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{}@{}", i + 1, addr(p[1])))
            .collect::<Vec<_>>()
            .join(",");
        let cluster_id = random_cluster_id();
        let mut nodes = Vec::new();
        for (index, node_ports) in ports.iter().enumerate() {
            let id = u32::try_from(index + 1).expect("few brokers");
            let listeners = NodeListeners {
                plaintext: addr(node_ports[0]),
                controller: addr(node_ports[1]),
                sasl_ssl: options.sasl_ssl.then(|| addr(node_ports[2])),
                mtls: options.mtls.then(|| addr(node_ports[3])),
            };
            let properties = dir.path().join(format!("server-{id}.properties"));
            let text = server_properties(dir.path(), id, &listeners, &voters, tls.as_ref(), &options);
            std::fs::write(&properties, text).expect("write server.properties");
            let log = dir.path().join(format!("server-{id}.log"));
            let log4j = dir.path().join(format!("log4j2-{id}.properties"));
            std::fs::write(&log4j, super::log4j_file_config(&log, "INFO")).expect("write log4j2 config");
            nodes.push(BrokerNode {
                id,
                process: None,
                properties,
                log4j,
                log,
                libs: broker_libs(&options),
                heap_mb: options.heap_mb.unwrap_or(BROKER_HEAP_MB),
                plaintext: listeners.plaintext,
                sasl_ssl: listeners.sasl_ssl,
                mtls: listeners.mtls,
            });
        }
        // Formatting runs a JVM, the costliest part of a start after the brokers themselves: the
        // first broker's storage is formatted, the others' are copies of it with their own
        // identity (what the storage tool writes is the same for every broker but for
        // `meta.properties`).
        format_storage(dir.path(), &nodes[0], &options.scram_users, &cluster_id);
        for node in &nodes[1..] {
            copy_formatted_storage(dir.path(), node.id);
        }
        for node in &mut nodes {
            node.spawn(&options.name, dir.path());
        }
        let join = |f: fn(&BrokerNode) -> Option<&String>| -> Option<String> {
            nodes
                .iter()
                .map(|n| f(n).cloned())
                .collect::<Option<Vec<_>>>()
                .map(|v| v.join(","))
        };
        let plaintext = join(|n| Some(&n.plaintext)).expect("every broker has PLAINTEXT");
        let sasl_ssl = join(|n| n.sasl_ssl.as_ref());
        let mtls = join(|n| n.mtls.as_ref());
        let mut cluster = KafkaCluster {
            name: options.name,
            nodes,
            dir,
            plaintext,
            sasl_ssl,
            mtls,
            tls,
            scram_users: options.scram_users,
            startup: Duration::ZERO,
        };
        cluster.wait_ready(started + START_TIMEOUT);
        cluster.startup = started.elapsed();
        cluster
    }

    /// Starts several independent clusters concurrently, in the order given.
    pub fn start_many(options: Vec<ClusterOptions>) -> Vec<KafkaCluster> {
        std::thread::scope(|scope| {
            let handles: Vec<_> = options
                .into_iter()
                .map(|o| scope.spawn(move || KafkaCluster::start(o)))
                .collect();
            let results: Vec<_> = handles.into_iter().map(|h| h.join()).collect();
            // Started clusters are dropped (stopped) if another failed to start.
            let mut clusters = Vec::new();
            for result in results {
                match result {
                    Ok(cluster) => clusters.push(cluster),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            clusters
        })
    }

    fn wait_ready(&mut self, deadline: Instant) {
        let expected = self.nodes.len();
        loop {
            for node in &mut self.nodes {
                if let Some(process) = &mut node.process {
                    process.assert_running();
                }
            }
            let probe =
                super::records::probe(&self.client_config(Listener::Plaintext), Duration::from_secs(2));
            if probe.as_ref().is_ok_and(|&brokers| brokers >= expected) {
                return;
            }
            if Instant::now() >= deadline {
                self.print_log_tails();
                panic!(
                    "cluster {} did not have {expected} brokers answering within {START_TIMEOUT:?} (last probe: {probe:?})",
                    self.name
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn print_log_tails(&self) {
        for process in self.nodes.iter().filter_map(|n| n.process.as_ref()) {
            process.print_log_tails();
        }
    }

    /// Broker ids (node ids), `1..=brokers()`.
    pub fn broker_ids(&self) -> Vec<u32> {
        self.nodes.iter().map(|n| n.id).collect()
    }

    fn node_mut(&mut self, id: u32) -> &mut BrokerNode {
        let name = self.name.clone();
        self.nodes
            .iter_mut()
            .find(|n| n.id == id)
            .unwrap_or_else(|| panic!("cluster {name} has no broker {id}"))
    }

    /// Kills broker `id` at once (SIGKILL, as a crash would), without waiting for anything.
    pub fn kill_broker(&mut self, id: u32) {
        if let Some(mut process) = self.node_mut(id).process.take() {
            process.kill();
        }
    }

    /// Stops broker `id` gracefully (SIGTERM: it hands its leaderships over first).
    pub fn stop_broker(&mut self, id: u32) {
        if let Some(mut process) = self.node_mut(id).process.take() {
            process.stop();
        }
    }

    /// Starts broker `id` again after [`KafkaCluster::kill_broker`] or
    /// [`KafkaCluster::stop_broker`], and waits until every broker is registered again.
    pub fn restart_broker(&mut self, id: u32) {
        self.spawn_broker(id);
        self.wait_ready(Instant::now() + START_TIMEOUT);
    }

    /// Starts broker `id`'s JVM again after [`KafkaCluster::kill_broker`] or
    /// [`KafkaCluster::stop_broker`], without waiting for it (the broker stays unreachable while
    /// it starts; [`KafkaCluster::restart_broker`] waits).
    pub fn spawn_broker(&mut self, id: u32) {
        let name = self.name.clone();
        let dir = self.dir.path().to_owned();
        let node = self.node_mut(id);
        if node.process.is_none() {
            node.spawn(&name, &dir);
        }
    }

    /// The name given in the options.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Bootstrap addresses of the PLAINTEXT listeners, one per broker (`127.0.0.1:<port>,…`).
    pub fn bootstrap(&self) -> &str {
        &self.plaintext
    }

    /// Bootstrap addresses of `listener` (every broker's, comma-separated), if the cluster has it.
    pub fn address(&self, listener: Listener) -> Option<&str> {
        match listener {
            Listener::Plaintext => Some(&self.plaintext),
            Listener::SaslSsl => self.sasl_ssl.as_deref(),
            Listener::Mtls => self.mtls.as_deref(),
        }
    }

    /// The CA certificate and client certificate files, if the cluster has TLS listeners.
    pub fn tls(&self) -> Option<&TlsFiles> {
        self.tls.as_ref()
    }

    /// The SCRAM users created at format time.
    pub fn scram_users(&self) -> &[ScramUser] {
        &self.scram_users
    }

    /// Folder of the cluster: `server.properties`, `data/`, `server.log`, `tls/`.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Process ids of the running broker JVMs.
    pub fn pids(&self) -> Vec<u32> {
        self.nodes
            .iter()
            .filter_map(|n| n.process.as_ref())
            .map(ManagedProcess::pid)
            .collect()
    }

    /// Bootstrap address of broker `id`'s `listener` alone.
    pub fn broker_address(&self, id: u32, listener: Listener) -> Option<&str> {
        let node = self.nodes.iter().find(|n| n.id == id)?;
        match listener {
            Listener::Plaintext => Some(&node.plaintext),
            Listener::SaslSsl => node.sasl_ssl.as_deref(),
            Listener::Mtls => node.mtls.as_deref(),
        }
    }

    /// Time from [`KafkaCluster::start`] until the cluster answered metadata requests.
    pub fn startup_time(&self) -> Duration {
        self.startup
    }

    /// An rdkafka client configuration for `listener` (the first SCRAM user for SASL_SSL, the
    /// client certificate for mTLS). Panics if the cluster has no such listener.
    pub fn client_config(&self, listener: Listener) -> ClientConfig {
        let address = self
            .address(listener)
            .unwrap_or_else(|| panic!("cluster {} has no {listener:?} listener", self.name));
        let mut config = ClientConfig::new();
        config.set("bootstrap.servers", address);
        match listener {
            Listener::Plaintext => {}
            Listener::SaslSsl => {
                let user = &self.scram_users[0];
                config
                    .set("security.protocol", "SASL_SSL")
                    .set("sasl.mechanisms", "SCRAM-SHA-512")
                    .set("sasl.username", &user.name)
                    .set("sasl.password", &user.password)
                    .set(
                        "ssl.ca.location",
                        path_str(&self.tls().expect("tls files").ca_cert),
                    );
            }
            Listener::Mtls => {
                let tls = self.tls().expect("tls files");
                config
                    .set("security.protocol", "SSL")
                    .set("ssl.ca.location", path_str(&tls.ca_cert))
                    .set("ssl.certificate.location", path_str(&tls.client_cert))
                    .set("ssl.key.location", path_str(&tls.client_key));
            }
        }
        config
    }

    /// Denies `operation` (for example `Describe`) to `User:<user>` on each resource, given as
    /// the `kafka-acls.sh` options that name it (`--topic`, `t`, `--group`, `g`, ...), in one
    /// run of the ACL tool. Needs [`ClusterOptions::with_acls`].
    pub fn deny(&self, user: &str, operation: &str, resources: &[&str]) {
        let principal = format!("User:{user}");
        let mut args = vec![
            "--bootstrap-server",
            self.bootstrap(),
            "--add",
            "--deny-principal",
            &principal,
            "--operation",
            operation,
        ];
        args.extend_from_slice(resources);
        super::run_kafka_tool("org.apache.kafka.tools.AclCommand", &args);
    }

    /// Allows `operation` to `User:<user>` on each resource, named as for [`KafkaCluster::deny`].
    /// An ACL on a resource ends `allow.everyone.if.no.acl.found` for it, so a test that denies
    /// one operation allows the ones the user keeps.
    pub fn allow(&self, user: &str, operation: &str, resources: &[&str]) {
        let principal = format!("User:{user}");
        let mut args = vec![
            "--bootstrap-server",
            self.bootstrap(),
            "--add",
            "--allow-principal",
            &principal,
            "--operation",
            operation,
        ];
        args.extend_from_slice(resources);
        super::run_kafka_tool("org.apache.kafka.tools.AclCommand", &args);
    }

    /// Kafka (Java) client properties for `listener`, as a `client.properties` text, for CLI
    /// tools and MirrorMaker 2.
    pub fn java_client_properties(&self, listener: Listener) -> String {
        let mut text = String::new();
        let address = self.address(listener).expect("listener exists");
        writeln!(text, "bootstrap.servers={address}").unwrap();
        match listener {
            Listener::Plaintext => {}
            Listener::SaslSsl => {
                let user = &self.scram_users[0];
                let tls = self.tls().expect("tls files");
                writeln!(text, "security.protocol=SASL_SSL").unwrap();
                writeln!(text, "sasl.mechanism=SCRAM-SHA-512").unwrap();
                writeln!(
                    text,
                    "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \
                     username=\"{}\" password=\"{}\";",
                    user.name, user.password
                )
                .unwrap();
                writeln!(text, "ssl.truststore.type=PEM").unwrap();
                writeln!(text, "ssl.truststore.location={}", tls.ca_cert.display()).unwrap();
            }
            Listener::Mtls => {
                let tls = self.tls().expect("tls files");
                let keystore = self.dir.path().join("tls").join("client-keystore.pem");
                if !keystore.exists() {
                    let pem = [
                        std::fs::read_to_string(&tls.client_key).expect("read client key"),
                        std::fs::read_to_string(&tls.client_cert).expect("read client certificate"),
                    ]
                    .concat();
                    std::fs::write(&keystore, pem).expect("write the client key store");
                }
                writeln!(text, "security.protocol=SSL").unwrap();
                writeln!(text, "ssl.truststore.type=PEM").unwrap();
                writeln!(text, "ssl.truststore.location={}", tls.ca_cert.display()).unwrap();
                writeln!(text, "ssl.keystore.type=PEM").unwrap();
                writeln!(text, "ssl.keystore.location={}", keystore.display()).unwrap();
            }
        }
        text
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("test bed paths are UTF-8")
}

/// The addresses of one broker's listeners.
struct NodeListeners {
    plaintext: String,
    controller: String,
    sasl_ssl: Option<String>,
    mtls: Option<String>,
}

/// The `server.properties` of broker `id`: broker and controller in one JVM, a static quorum of
/// every broker (`voters`), replication factors of the cluster's size (at most 3, with
/// `min.insync.replicas` 2 from three brokers on, as production clusters run).
fn server_properties(
    dir: &Path,
    id: u32,
    node: &NodeListeners,
    voters: &str,
    tls: Option<&TlsFiles>,
    options: &ClusterOptions,
) -> String {
    let mut listeners = vec![format!("PLAINTEXT://{}", node.plaintext)];
    if let Some(a) = &node.sasl_ssl {
        listeners.push(format!("SASL_SSL://{a}"));
    }
    if let Some(a) = &node.mtls {
        listeners.push(format!("MTLS://{a}"));
    }
    let advertised = listeners.join(",");
    let replication = options.brokers.min(3).to_string();
    let min_isr = options.brokers.min(2).to_string();
    let internal_partitions = if options.brokers > 1 { "3" } else { "1" };
    let mut p = String::new();
    let mut set = |k: &str, v: &str| writeln!(p, "{k}={v}").unwrap();
    set("process.roles", "broker,controller");
    set("node.id", &id.to_string());
    set("controller.quorum.voters", voters);
    set("controller.listener.names", "CONTROLLER");
    set(
        "listeners",
        &format!("{advertised},CONTROLLER://{}", node.controller),
    );
    set("advertised.listeners", &advertised);
    set(
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL,MTLS:SSL",
    );
    set("inter.broker.listener.name", "PLAINTEXT");
    set("log.dirs", &dir.join(format!("data-{id}")).display().to_string());
    set(
        "metadata.log.dir",
        &dir.join(format!("metadata-{id}")).display().to_string(),
    );
    // Small, quick brokers.
    set("num.network.threads", "2");
    set("num.io.threads", "2");
    set("background.threads", "2");
    set("num.partitions", "1");
    set("default.replication.factor", &replication);
    set("min.insync.replicas", &min_isr);
    set("group.initial.rebalance.delay.ms", "0");
    // The controller writes a no-op record to the metadata log when it has been idle this long
    // (500 ms by default), and every broker fetches and applies it: half of an idle cluster's
    // CPU. Leadership and configuration changes are written at once whatever this says.
    set("metadata.max.idle.interval.ms", "5000");
    set("offsets.topic.replication.factor", &replication);
    // Several partitions, so group coordinators are spread over the brokers.
    set("offsets.topic.num.partitions", internal_partitions);
    set("transaction.state.log.replication.factor", &replication);
    set("transaction.state.log.min.isr", &min_isr);
    set("transaction.state.log.num.partitions", "1");
    set("share.coordinator.state.topic.replication.factor", &replication);
    set("share.coordinator.state.topic.min.isr", &min_isr);
    set("share.coordinator.state.topic.num.partitions", "1");
    set("auto.create.topics.enable", "true");
    if let Some(tls) = tls {
        for listener in ["sasl_ssl", "mtls"] {
            let prefix = format!("listener.name.{listener}.");
            set(&format!("{prefix}ssl.keystore.type"), "PEM");
            set(
                &format!("{prefix}ssl.keystore.location"),
                path_str(&tls.server_keystore),
            );
            set(&format!("{prefix}ssl.truststore.type"), "PEM");
            set(
                &format!("{prefix}ssl.truststore.location"),
                path_str(&tls.ca_cert),
            );
        }
        set("listener.name.mtls.ssl.client.auth", "required");
        set(
            "listener.name.sasl_ssl.sasl.enabled.mechanisms",
            "SCRAM-SHA-512,SCRAM-SHA-256,PLAIN",
        );
        for scram in ["scram-sha-512", "scram-sha-256"] {
            set(
                &format!("listener.name.sasl_ssl.{scram}.sasl.jaas.config"),
                "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            );
        }
        let plain_users: String = options
            .scram_users
            .iter()
            .map(|u| format!(" user_{}=\"{}\"", u.name, u.password))
            .collect();
        set(
            "listener.name.sasl_ssl.plain.sasl.jaas.config",
            &format!("org.apache.kafka.common.security.plain.PlainLoginModule required{plain_users};"),
        );
    }
    if options.tiered_storage {
        set("remote.log.storage.system.enable", "true");
        set(
            "remote.log.storage.manager.class.name",
            "org.apache.kafka.server.log.remote.storage.LocalTieredStorage",
        );
        // LocalTieredStorage's folder ("remote" storage every broker shares, as a bucket is).
        set(
            "rsm.config.dir",
            &dir.join("remote-storage").display().to_string(),
        );
        set("remote.log.metadata.manager.listener.name", "PLAINTEXT");
        set(
            "rlmm.config.remote.log.metadata.topic.replication.factor",
            &replication,
        );
        set("rlmm.config.remote.log.metadata.topic.num.partitions", "1");
        set("remote.log.manager.task.interval.ms", "1000");
    }
    for (k, v) in &options.broker_properties {
        set(k, v);
    }
    p
}

/// The Kafka jars a cluster's brokers run on: the test bed's Kafka, or, for tiered storage, the
/// older Kafka of MirrorMaker 2's class path (`mirror.version` in `tests/testbed/pom.xml`):
/// `LocalTieredStorage` ships only in a test jar the registry serves up to that version, and it
/// does not load on newer clients. Such a source cluster is an older Kafka than the
/// destination, as a real migration's source often is.
fn broker_libs(options: &ClusterOptions) -> PathBuf {
    if options.tiered_storage {
        super::mirror_maker_libs()
    } else {
        super::kafka_libs()
    }
}

/// Formats one broker's log folders for a new cluster (`cluster_id`, the static quorum of its
/// properties) and creates the SCRAM users.
fn format_storage(dir: &Path, node: &BrokerNode, users: &[ScramUser], cluster_id: &str) {
    let (properties, log4j) = (&node.properties, &node.log4j);
    let mut cmd = super::java_command(&node.libs, 256, log4j);
    cmd.arg("kafka.tools.StorageTool")
        .arg("format")
        // `=` keeps an id that starts with `-` from reading as an option.
        .arg(format!("--cluster-id={cluster_id}"))
        .arg("--config")
        .arg(properties)
        .current_dir(dir);
    for user in users {
        for mechanism in ["SCRAM-SHA-512", "SCRAM-SHA-256"] {
            cmd.arg("--add-scram").arg(format!(
                "{mechanism}=[name={},password={}]",
                user.name, user.password
            ));
        }
    }
    let output = cmd.output().expect("run the Kafka storage tool");
    assert!(
        output.status.success(),
        "formatting the cluster storage in {} failed ({}):\n{}\n{}",
        dir.display(),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Copies broker 1's freshly formatted log and metadata folders for broker `id`, with
/// `node.id` set to `id` and a new `directory.id` in each `meta.properties`.
fn copy_formatted_storage(dir: &Path, id: u32) {
    for kind in ["data", "metadata"] {
        let from = dir.join(format!("{kind}-1"));
        let to = dir.join(format!("{kind}-{id}"));
        copy_tree(&from, &to);
        let meta = to.join("meta.properties");
        let text = std::fs::read_to_string(&meta).expect("formatted storage has meta.properties");
        let rewritten: String = text
            .lines()
            .map(|line| match line.split_once('=') {
                Some(("node.id", _)) => format!("node.id={id}\n"),
                Some(("directory.id", _)) => format!("directory.id={}\n", random_cluster_id()),
                _ => format!("{line}\n"),
            })
            .collect();
        std::fs::write(&meta, rewritten).expect("write meta.properties");
    }
}

/// Copies a folder tree (files and folders only).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a storage folder");
    for entry in std::fs::read_dir(from).expect("read a formatted storage folder") {
        let entry = entry.expect("read a formatted storage entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy formatted storage");
        }
    }
}

/// A random 16-byte cluster id in Kafka's URL-safe base64 form (22 characters).
fn random_cluster_id() -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let state = RandomState::new();
    let bits = (u128::from(state.hash_one(1u8)) << 64) | u128::from(state.hash_one(2u8));
    let mut id = String::new();
    for chunk in bits.to_be_bytes().chunks(3) {
        let n = chunk.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            id.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    id
}

impl Drop for KafkaCluster {
    fn drop(&mut self) {
        // A finished test's brokers are thrown away: killed all at once. Stopped one by one, the
        // last ones wait for a quorum that already left (seconds each, per cluster).
        // (A failed test's broker logs are printed as their processes drop, after this.)
        for node in &mut self.nodes {
            if let Some(process) = node.process.as_mut() {
                process.kill();
            }
        }
        // Keep the folder (configuration, data, logs) of a failed test for a closer look.
        if std::thread::panicking() || super::keep_run_dirs() {
            self.dir.disable_cleanup(true);
            eprintln!("testbed: kept the run folder {}", self.dir.path().display());
        }
    }
}
