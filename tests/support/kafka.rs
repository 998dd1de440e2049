//! Single-node Apache Kafka clusters in KRaft mode (one JVM acting as broker and controller),
//! each in its own folder on free loopback ports, formatted with the storage tool before the
//! first start. Besides the PLAINTEXT listener, a cluster can offer SASL_SSL (SCRAM-SHA-512,
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
}

impl ClusterOptions {
    /// A PLAINTEXT-only cluster called `name`.
    pub fn new(name: &str) -> ClusterOptions {
        ClusterOptions {
            name: name.to_owned(),
            ..ClusterOptions::default()
        }
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

    /// Sets a broker property (overrides the test bed's defaults).
    pub fn with_broker_property(mut self, key: &str, value: &str) -> ClusterOptions {
        self.broker_properties.push((key.to_owned(), value.to_owned()));
        self
    }
}

/// A running single-node KRaft cluster; stopped when dropped.
pub struct KafkaCluster {
    name: String,
    // Declared before `dir` so the process stops before its folder is removed.
    process: ManagedProcess,
    dir: tempfile::TempDir,
    plaintext: String,
    sasl_ssl: Option<String>,
    mtls: Option<String>,
    tls: Option<TlsFiles>,
    scram_users: Vec<ScramUser>,
    startup: Duration,
}

impl KafkaCluster {
    /// Formats and starts a cluster, and waits until its PLAINTEXT listener answers metadata
    /// requests. Panics (printing the broker log) if it does not within [`START_TIMEOUT`].
    pub fn start(options: ClusterOptions) -> KafkaCluster {
        let started = Instant::now();
        let mut options = options;
        if options.sasl_ssl && options.scram_users.is_empty() {
            options = options.with_scram_user("migrator", "migrator-secret");
        }
        let dir = super::run_dir(&format!("kafka-{}-", options.name));
        let ports = super::free_ports(4);
        let addr = |port: u16| format!("127.0.0.1:{port}");
        let plaintext = addr(ports[0]);
        let controller = addr(ports[1]);
        let sasl_ssl = options.sasl_ssl.then(|| addr(ports[2]));
        let mtls = options.mtls.then(|| addr(ports[3]));
        let server_names = options
            .server_certificate_names
            .as_deref()
            .unwrap_or("DNS:localhost,IP:127.0.0.1");
        let tls = (options.sasl_ssl || options.mtls).then(|| TlsFiles::generate(dir.path(), server_names));

        let properties = dir.path().join("server.properties");
        let text = server_properties(
            dir.path(),
            &plaintext,
            &controller,
            sasl_ssl.as_deref(),
            mtls.as_deref(),
            tls.as_ref(),
            &options,
        );
        std::fs::write(&properties, text).expect("write server.properties");
        let server_log = dir.path().join("server.log");
        let log4j = dir.path().join("log4j2.properties");
        std::fs::write(&log4j, super::log4j_file_config(&server_log, "INFO")).expect("write log4j2 config");

        format_storage(dir.path(), &properties, &log4j, &options.scram_users);

        let mut cmd = super::java_command(&super::kafka_libs(), BROKER_HEAP_MB, &log4j);
        cmd.arg("kafka.Kafka").arg(&properties).current_dir(dir.path());
        let process = ManagedProcess::spawn(
            &format!("kafka-{}", options.name),
            cmd,
            dir.path(),
            vec![server_log],
        );
        let mut cluster = KafkaCluster {
            name: options.name,
            process,
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
        loop {
            self.process.assert_running();
            if super::records::probe(&self.client_config(Listener::Plaintext), Duration::from_secs(2)).is_ok()
            {
                return;
            }
            if Instant::now() >= deadline {
                self.process.print_log_tails();
                panic!(
                    "cluster {} did not accept requests within {START_TIMEOUT:?}",
                    self.name
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The name given in the options.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Bootstrap address of the PLAINTEXT listener (`127.0.0.1:<port>`).
    pub fn bootstrap(&self) -> &str {
        &self.plaintext
    }

    /// Bootstrap address of `listener`, if the cluster has it.
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

    /// The broker's main log file.
    pub fn log_file(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }

    /// Process id of the broker JVM.
    pub fn pid(&self) -> u32 {
        self.process.pid()
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

/// The broker's `server.properties`.
fn server_properties(
    dir: &Path,
    plaintext: &str,
    controller: &str,
    sasl_ssl: Option<&str>,
    mtls: Option<&str>,
    tls: Option<&TlsFiles>,
    options: &ClusterOptions,
) -> String {
    let mut listeners = vec![format!("PLAINTEXT://{plaintext}")];
    if let Some(a) = sasl_ssl {
        listeners.push(format!("SASL_SSL://{a}"));
    }
    if let Some(a) = mtls {
        listeners.push(format!("MTLS://{a}"));
    }
    let advertised = listeners.join(",");
    let mut p = String::new();
    let mut set = |k: &str, v: &str| writeln!(p, "{k}={v}").unwrap();
    set("process.roles", "broker,controller");
    set("node.id", "1");
    set("controller.quorum.bootstrap.servers", controller);
    set("controller.listener.names", "CONTROLLER");
    set("listeners", &format!("{advertised},CONTROLLER://{controller}"));
    set("advertised.listeners", &advertised);
    set(
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL,MTLS:SSL",
    );
    set("inter.broker.listener.name", "PLAINTEXT");
    set("log.dirs", &dir.join("data").display().to_string());
    // A small, quick single node.
    set("num.network.threads", "2");
    set("num.io.threads", "2");
    set("background.threads", "2");
    set("num.partitions", "1");
    set("group.initial.rebalance.delay.ms", "0");
    set("offsets.topic.replication.factor", "1");
    set("offsets.topic.num.partitions", "1");
    set("transaction.state.log.replication.factor", "1");
    set("transaction.state.log.min.isr", "1");
    set("transaction.state.log.num.partitions", "1");
    set("share.coordinator.state.topic.replication.factor", "1");
    set("share.coordinator.state.topic.min.isr", "1");
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
    for (k, v) in &options.broker_properties {
        set(k, v);
    }
    p
}

/// Formats the log folder for a new cluster (a random cluster id, a standalone controller
/// quorum) and creates the SCRAM users.
fn format_storage(dir: &Path, properties: &Path, log4j: &Path, users: &[ScramUser]) {
    let mut cmd = super::java_command(&super::kafka_libs(), 256, log4j);
    cmd.arg("kafka.tools.StorageTool")
        .arg("format")
        // `=` keeps an id that starts with `-` from reading as an option.
        .arg(format!("--cluster-id={}", random_cluster_id()))
        .arg("--config")
        .arg(properties)
        .arg("--standalone")
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
        // Keep the folder (configuration, data, logs) of a failed test for a closer look.
        if std::thread::panicking() || super::keep_run_dirs() {
            self.dir.disable_cleanup(true);
            eprintln!("testbed: kept the run folder {}", self.dir.path().display());
        }
    }
}
