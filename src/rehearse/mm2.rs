//! MirrorMaker 2 for the rehearsal: `rehearsal-mm2.properties` (the generated `mm2.properties`
//! pointed at the stand-in destination) and the MirrorMaker 2 process that runs it.
//!
//! The rewrite is line-based: entries it replaces are taken out, the new ones are appended in
//! one block, and a header comment lists every key removed and every line added. Secrets are
//! never written: values of the destination's client properties that are secret become
//! `${file:<client properties file>:<key>}` placeholders (Kafka's `FileConfigProvider`),
//! placeholders stay as they are.

use std::fmt::Write as _;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::kafka::properties::Properties;

/// The replication-factor keys of MirrorMaker 2's own topics (and of the topics it creates).
pub const REPLICATION_FACTOR_KEYS: &[&str] = &[
    "replication.factor",
    "checkpoints.topic.replication.factor",
    "heartbeats.topic.replication.factor",
    "offset-syncs.topic.replication.factor",
    "offset.storage.replication.factor",
    "status.storage.replication.factor",
    "config.storage.replication.factor",
];

/// Client-property keys whose values are secret and never written into the file.
fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.contains("password")
        || key.contains("secret")
        || key == "sasl.jaas.config"
        || key == "ssl.keystore.key"
        || key.ends_with(".key")
}

/// Connection keys of the destination alias that the stand-in's settings replace.
fn is_connection_key(key: &str) -> bool {
    key == "bootstrap.servers"
        || key == "security.protocol"
        || key.starts_with("ssl.")
        || key.starts_with("sasl.")
}

/// `value` escaped for a Java properties value.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// What `rehearsal-mm2.properties` is made of.
pub struct RewriteInput<'a> {
    /// The generated `mm2.properties`, parsed.
    pub generated: &'a Properties,
    /// The destination's cluster alias in it (`settings.destination.cluster_alias`).
    pub target_alias: &'a str,
    /// The stand-in destination's bootstrap servers.
    pub bootstrap: &'a str,
    /// The destination's Java client properties (`--command-config`) and their file, if any.
    pub command_config: Option<(&'a Path, &'a Properties)>,
    /// Replication factor for MirrorMaker 2's own topics.
    pub replication_factor: usize,
    /// Extra properties to set last (`--mm2-override`), if any.
    pub overrides: Option<&'a Properties>,
}

/// A secret-looking key with a literal value in the overrides: refused, so no secret is
/// written into the rehearsal file.
#[derive(Debug, PartialEq, Eq)]
pub struct SecretInOverrides {
    /// The key.
    pub key: String,
    /// Its line.
    pub line: usize,
}

/// Renders `rehearsal-mm2.properties`. Deterministic: the same inputs give the same bytes.
pub fn rehearsal_properties(input: &RewriteInput) -> Result<String, SecretInOverrides> {
    let alias_prefix = format!("{}.", input.target_alias);
    let mut added: Vec<(String, String)> = Vec::new();
    added.push((
        format!("{alias_prefix}bootstrap.servers"),
        input.bootstrap.to_owned(),
    ));
    let mut needs_file_provider = false;
    match input.command_config {
        Some((path, props)) => {
            let shown = path.display().to_string();
            let mut has_protocol = false;
            for (key, value) in props.effective() {
                if key == "bootstrap.servers" {
                    continue;
                }
                has_protocol |= key == "security.protocol";
                let value = if is_secret_key(key) && !value.contains("${") {
                    needs_file_provider = true;
                    format!("${{file:{shown}:{key}}}")
                } else {
                    value.to_owned()
                };
                added.push((format!("{alias_prefix}{key}"), value));
            }
            if !has_protocol {
                added.push((format!("{alias_prefix}security.protocol"), "PLAINTEXT".into()));
            }
        }
        None => added.push((format!("{alias_prefix}security.protocol"), "PLAINTEXT".into())),
    }
    if needs_file_provider {
        let mut providers: Vec<String> = input
            .generated
            .get("config.providers")
            .map(|v| {
                v.split(',')
                    .map(|p| p.trim().to_owned())
                    .filter(|p| !p.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if !providers.iter().any(|p| p == "file") {
            providers.push("file".into());
        }
        added.push(("config.providers".into(), providers.join(",")));
        added.push((
            "config.providers.file.class".into(),
            "org.apache.kafka.common.config.provider.FileConfigProvider".into(),
        ));
    }
    for key in REPLICATION_FACTOR_KEYS {
        added.push(((*key).to_owned(), input.replication_factor.to_string()));
    }
    if let Some(overrides) = input.overrides {
        for (key, value) in overrides.effective() {
            if is_secret_key(key) && !value.contains("${") {
                let line = overrides.entry(key).map_or(0, |e| e.line);
                return Err(SecretInOverrides {
                    key: key.to_owned(),
                    line,
                });
            }
            added.retain(|(k, _)| k != key);
            added.push((key.to_owned(), value.to_owned()));
        }
    }

    // Entries of the generated file that the added lines replace.
    let replaced = |key: &str| {
        key.strip_prefix(&alias_prefix).is_some_and(is_connection_key) || added.iter().any(|(k, _)| k == key)
    };
    let mut removed: Vec<&str> = Vec::new();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for entry in input.generated.entries() {
        if replaced(&entry.key) {
            if !removed.contains(&entry.key.as_str()) {
                removed.push(&entry.key);
            }
            spans.push(entry.span);
        }
    }
    let text = &input.generated.text;
    let mut body = String::with_capacity(text.len());
    let mut at = 0;
    for (start, len) in spans {
        body.push_str(&text[at..start]);
        at = start + len;
        // The line break of a removed entry goes with it.
        if text[at..].starts_with("\r\n") {
            at += 2;
        } else if text[at..].starts_with('\n') {
            at += 1;
        }
    }
    body.push_str(&text[at..]);
    if !body.ends_with('\n') && !body.is_empty() {
        body.push('\n');
    }

    let mut out = String::new();
    out.push_str(
        "# rehearsal-mm2.properties: written by `diskless-migrator rehearse` from the generated\n\
         # mm2.properties, for a rehearsal against a stand-in Apache Kafka destination. Do not\n\
         # use it for the real migration. Changes to the generated file:\n",
    );
    for key in &removed {
        let _ = writeln!(out, "#   removed: {key}");
    }
    for (key, value) in &added {
        let _ = writeln!(out, "#   added:   {key}={}", escape(value));
    }
    out.push_str("# Secrets are ${env:...} or ${file:...} placeholders; none is written here.\n\n");
    out.push_str(&body);
    out.push_str("\n# --- rehearsal: the stand-in destination (see the header)\n");
    for (key, value) in &added {
        let _ = writeln!(out, "{key}={}", escape(value));
    }
    Ok(out)
}

/// How MirrorMaker 2 is started from `--kafka-home`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Launcher {
    /// A Kafka distribution: `bin/connect-mirror-maker.sh FILE`.
    Distribution(PathBuf),
    /// A folder with only `libs/*.jar`: `java -cp 'DIR/libs/*' ...MirrorMaker FILE`.
    Libs(PathBuf),
}

impl Launcher {
    /// The launcher for `home`, or why it cannot run MirrorMaker 2.
    pub fn for_home(home: &Path) -> Result<Launcher, String> {
        let script = home.join("bin").join("connect-mirror-maker.sh");
        if script.is_file() {
            return Ok(Launcher::Distribution(script));
        }
        let libs = home.join("libs");
        let has_jars = std::fs::read_dir(&libs)
            .map(|entries| {
                entries
                    .flatten()
                    .any(|e| e.file_name().to_string_lossy().ends_with(".jar"))
            })
            .unwrap_or(false);
        if has_jars {
            return Ok(Launcher::Libs(libs));
        }
        Err(format!(
            "{} holds neither bin/connect-mirror-maker.sh nor libs/*.jar",
            home.display()
        ))
    }

    /// The command that runs MirrorMaker 2 on `properties`. With only jars, `log4j_config`
    /// (if given) configures its logging; a distribution's script uses its own.
    pub fn command(&self, properties: &Path, log4j_config: Option<&Path>) -> Command {
        match self {
            Launcher::Distribution(script) => {
                let mut cmd = Command::new(script);
                cmd.arg(properties);
                cmd
            }
            Launcher::Libs(libs) => {
                let java = match std::env::var_os("JAVA_HOME") {
                    Some(home) if !home.is_empty() => PathBuf::from(home).join("bin").join("java"),
                    _ => PathBuf::from("java"),
                };
                let mut cmd = Command::new(java);
                let heap = std::env::var("KAFKA_HEAP_OPTS").unwrap_or_else(|_| "-Xmx512m".to_owned());
                cmd.args(heap.split_whitespace());
                if let Some(config) = log4j_config {
                    cmd.arg(format!("-Dlog4j2.configurationFile={}", config.display()));
                }
                cmd.arg("-cp")
                    .arg(format!("{}/*", libs.display()))
                    .arg("org.apache.kafka.connect.mirror.MirrorMaker")
                    .arg(properties);
                cmd
            }
        }
    }

    /// The command as a shell line, for the log and for users who run it themselves.
    pub fn shell_line(&self, properties: &Path) -> String {
        match self {
            Launcher::Distribution(script) => format!("{} {}", script.display(), properties.display()),
            Launcher::Libs(libs) => format!(
                "java -cp '{}/*' org.apache.kafka.connect.mirror.MirrorMaker {}",
                libs.display(),
                properties.display()
            ),
        }
    }
}

/// log4j2 settings for MirrorMaker 2 run from jars: INFO and above to standard output.
const LOG4J_CONSOLE: &str = "\
status = warn
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = out
";

/// A running MirrorMaker 2 in its own process group, stopped (the whole group) when dropped.
pub struct Mm2Process {
    child: Child,
    /// Where its standard output and error go.
    pub log: PathBuf,
}

impl Mm2Process {
    /// Starts `launcher` on `properties` with its output in `log`, in a new process group (so
    /// a Ctrl-C at the terminal reaches `rehearse`, which stops it, and not MirrorMaker 2
    /// directly).
    pub fn start(launcher: &Launcher, properties: &Path, log: &Path) -> std::io::Result<Mm2Process> {
        let out = File::create(log)?;
        let err = out.try_clone()?;
        // With only jars there is no logging configuration: INFO and above to standard output,
        // which goes to the log.
        let log4j = log.with_extension("log4j2.properties");
        let log4j_config = match launcher {
            Launcher::Libs(_) => {
                crate::output::write_atomic(&log4j, LOG4J_CONSOLE.as_bytes())?;
                Some(log4j.as_path())
            }
            Launcher::Distribution(_) => None,
        };
        let mut cmd = launcher.command(properties, log4j_config);
        cmd.stdin(Stdio::null()).stdout(out).stderr(err);
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
        }
        let child = cmd.spawn()?;
        Ok(Mm2Process {
            child,
            log: log.to_path_buf(),
        })
    }

    /// Its process id (also its process group id).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The exit status if it has ended.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Stops the process group: SIGTERM, then SIGKILL after `grace`. Waits for the process.
    pub fn stop(&mut self, grace: Duration) {
        if self.exited().is_some() {
            return;
        }
        let group = self.child.id() as i32;
        signal_group(group, libc::SIGTERM);
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            if self.exited().is_some() {
                // Anything else left in its group goes too.
                signal_group(group, libc::SIGKILL);
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        signal_group(group, libc::SIGKILL);
        let _ = self.child.wait();
    }
}

impl Drop for Mm2Process {
    fn drop(&mut self) {
        self.stop(Duration::from_secs(10));
    }
}

/// Sends `signal` to process group `group`.
fn signal_group(group: i32, signal: i32) {
    if group > 1 {
        // SAFETY: kill(2) with a negative pid signals that process group; no memory is shared.
        unsafe {
            libc::kill(-group, signal);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GENERATED: &str = "\
# generated\n\
clusters=destination, source-01\n\
config.providers=env\n\
config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider\n\
tasks.max=4\n\
destination.bootstrap.servers=${env:DESTINATION_BOOTSTRAP_SERVERS}\n\
destination.security.protocol=SSL\n\
destination.ssl.keystore.key=${env:DESTINATION_ACCESS_KEY}\n\
source-01.bootstrap.servers=src:9093\n\
source-01.ssl.truststore.certificates=${env:SOURCE_SSL_CA_CERT}\n";

    fn render(command_config: Option<&str>, overrides: Option<&str>) -> Result<String, SecretInOverrides> {
        let generated = Properties::parse("mm2.properties", GENERATED).unwrap();
        let cc = command_config.map(|t| Properties::parse("client.properties", t).unwrap());
        let ov = overrides.map(|t| Properties::parse("overrides.properties", t).unwrap());
        rehearsal_properties(&RewriteInput {
            generated: &generated,
            target_alias: "destination",
            bootstrap: "localhost:9092",
            command_config: cc.as_ref().map(|p| (Path::new("/etc/client.properties"), p)),
            replication_factor: 1,
            overrides: ov.as_ref(),
        })
    }

    #[test]
    fn destination_lines_are_replaced_and_listed() {
        let text = render(None, None).unwrap();
        let props = Properties::parse("r", &text).unwrap();
        assert_eq!(props.get("destination.bootstrap.servers"), Some("localhost:9092"));
        assert_eq!(props.get("destination.security.protocol"), Some("PLAINTEXT"));
        assert_eq!(props.get("destination.ssl.keystore.key"), None);
        assert_eq!(props.get("source-01.bootstrap.servers"), Some("src:9093"));
        assert_eq!(props.get("offset.storage.replication.factor"), Some("1"));
        assert!(text.contains("#   removed: destination.ssl.keystore.key\n"));
        assert!(text.contains("#   added:   destination.security.protocol=PLAINTEXT\n"));
        assert_eq!(
            props
                .entries()
                .iter()
                .filter(|e| e.key == "destination.bootstrap.servers")
                .count(),
            1
        );
        assert_eq!(render(None, None).unwrap(), text, "deterministic");
    }

    #[test]
    fn secrets_become_file_placeholders() {
        let text = render(
            Some(
                "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n\
                 sasl.jaas.config=x required username=\"u\" password=\"hunter2\";\n",
            ),
            None,
        )
        .unwrap();
        assert!(!text.contains("hunter2"));
        let props = Properties::parse("r", &text).unwrap();
        assert_eq!(
            props.get("destination.sasl.jaas.config"),
            Some("${file:/etc/client.properties:sasl.jaas.config}")
        );
        assert_eq!(props.get("config.providers"), Some("env,file"));
        assert_eq!(props.get("destination.security.protocol"), Some("SASL_PLAINTEXT"));
    }

    #[test]
    fn kafka_home_is_a_distribution_or_a_folder_of_jars() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Launcher::for_home(dir.path()).is_err());
        std::fs::create_dir(dir.path().join("libs")).unwrap();
        std::fs::write(dir.path().join("libs/connect-mirror-4.1.0.jar"), "").unwrap();
        let libs = Launcher::for_home(dir.path()).unwrap();
        assert_eq!(libs, Launcher::Libs(dir.path().join("libs")));
        let line = libs.shell_line(Path::new("/r/rehearsal-mm2.properties"));
        assert!(line.starts_with("java -cp '") && line.ends_with("MirrorMaker /r/rehearsal-mm2.properties"));
        std::fs::create_dir(dir.path().join("bin")).unwrap();
        std::fs::write(dir.path().join("bin/connect-mirror-maker.sh"), "").unwrap();
        assert!(matches!(
            Launcher::for_home(dir.path()),
            Ok(Launcher::Distribution(_))
        ));
    }

    #[test]
    fn overrides_win_and_secrets_in_them_are_refused() {
        let text = render(None, Some("replication.factor=2\ntasks.max=1\n")).unwrap();
        let props = Properties::parse("r", &text).unwrap();
        assert_eq!(props.get("replication.factor"), Some("2"));
        assert_eq!(props.entries().iter().filter(|e| e.key == "tasks.max").count(), 1);
        let refused = render(None, Some("a=1\nssl.key.password=x\n")).unwrap_err();
        assert_eq!(refused.line, 2);
    }
}
