//! `diskless-migrator discover`: reads a source cluster (or the seed's text files) into
//! `inventory.json`, plus the seed's text files for runbooks built on them.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use diskless_migrator::exit::Exit;
use diskless_migrator::inventory::discover::{DiscoverOptions, Progress, discover};
use diskless_migrator::inventory::{Inventory, legacy};
use diskless_migrator::kafka::admin::AdminError;
use diskless_migrator::kafka::client::{ClientConfigError, ClientSettings, EnvFallback};
use diskless_migrator::kafka::properties::Properties;
use diskless_migrator::output::write_atomic;
use miette::{Diagnostic, SourceSpan};

use diskless_migrator::snippet::Snippet;
use thiserror::Error;

/// Reads every fact about a source cluster into inventory.json.
///
/// Live: connects with the same client properties the Kafka CLI tools take
/// (`--command-config`), collects brokers, configs, topics, offsets, partition sizes, consumer
/// groups and ACLs, and writes DIR/inventory.json plus the seed's text files
/// (topics_list_source.txt, consumer_groups_source.txt, consumer_groups_state_source.txt,
/// kafka_broker_configs.txt, topics_offsets_source.json). Facts the principal may not read
/// are recorded as gaps with the reason.
///
/// Import: `--from-legacy DIR` builds inventory.json from the text files the seed's discovery
/// script wrote; facts the text does not carry are recorded as unknown.
///
/// Without flags, the seed's environment variables are used: KAFKA_BOOTSTRAP_SERVER, CA_PATH,
/// CLIENT_CERT_PATH, CLIENT_KEY_PATH, KAFKA_USER, KAFKA_PASS.
#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// Bootstrap servers, HOST:PORT[,HOST:PORT...].
    #[arg(long, value_name = "HOST:PORT[,...]")]
    bootstrap_server: Option<String>,

    /// Kafka client properties file, as the Kafka CLI tools take it.
    #[arg(long, value_name = "FILE")]
    command_config: Option<PathBuf>,

    /// Import the text files of the seed's discovery script from DIR instead of reading a cluster.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["bootstrap_server", "command_config", "sample"])]
    from_legacy: Option<PathBuf>,

    /// Output directory (created when missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,

    /// Measure throughput: read end offsets and sizes twice, SECONDS apart.
    #[arg(long, value_name = "SECONDS")]
    sample: Option<u64>,

    /// Bound of each request to the cluster, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    timeout: u64,
}

/// Why `discover` stopped.
#[derive(Debug, Error, Diagnostic)]
enum DiscoverError {
    #[error("cannot use the cluster at {bootstrap}")]
    #[diagnostic(code(discover::cluster), help("{help}"))]
    Cluster {
        bootstrap: String,
        #[source]
        source: AdminError,
        help: String,
    },
    #[error("output directory {path} is not writable: {source}")]
    #[diagnostic(
        code(discover::output),
        help("choose another --out directory or fix its permissions")
    )]
    Output { path: String, source: std::io::Error },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(ClientConfigError),
    #[error("{message}")]
    #[diagnostic(code(discover::config))]
    ConfigAt {
        message: String,
        #[help]
        help: Option<String>,
        #[source_code]
        src: Snippet,
        #[label("this setting")]
        span: SourceSpan,
    },
}

/// Runs the subcommand.
pub fn run(args: DiscoverArgs, quiet: bool) -> Exit {
    match execute(args, quiet) {
        Ok(()) => Exit::Ok,
        Err((exit, report)) => {
            eprintln!("{report:?}");
            exit
        }
    }
}

fn execute(args: DiscoverArgs, quiet: bool) -> Result<(), (Exit, miette::Report)> {
    let usage = |r: miette::Report| (Exit::Usage, r);
    prepare_out(&args.out).map_err(|e| usage(e.into()))?;

    let (inventory, secrets) = if let Some(dir) = &args.from_legacy {
        let inventory = legacy::import(dir).map_err(|e| usage(e.into()))?;
        (inventory, Vec::new())
    } else {
        let settings = settings(&args).map_err(usage)?;
        let options = DiscoverOptions {
            timeout: Duration::from_secs(args.timeout.max(1)),
            sample: args.sample.map(Duration::from_secs),
        };
        let mut progress = StderrProgress::new(!quiet && std::io::stderr().is_terminal());
        let result = discover(&settings, &options, &mut progress);
        progress.finish();
        let inventory = result.map_err(|source| {
            let bootstrap = settings.get("bootstrap.servers").unwrap_or_default().to_owned();
            let help = match &source {
                AdminError::AuthenticationFailed(message) if message.contains("certificate verify failed") => {
                    "the broker's TLS certificate was not accepted: check that ssl.truststore.* holds the CA \
                     that signed it and that it names the host in bootstrap.servers (host-name checks are on; \
                     ssl.endpoint.identification.algorithm= turns them off)"
                        .to_owned()
                }
                AdminError::AuthenticationFailed(_) => format!(
                    "the cluster refused the credentials (security.protocol={}, SASL mechanism {}); check sasl.jaas.config, the certificates and ssl.truststore.*",
                    settings.get("security.protocol").unwrap_or("plaintext").to_ascii_uppercase(),
                    settings.get("sasl.mechanisms").unwrap_or("none"),
                ),
                _ => format!(
                    "the cluster did not answer a request within {} s (--timeout); check --bootstrap-server \
                     and security.protocol, and that its brokers are up",
                    args.timeout
                ),
            };
            let exit = if source.is_fatal() { Exit::Cluster } else { Exit::Usage };
            (
                exit,
                DiscoverError::Cluster {
                    bootstrap,
                    source,
                    help,
                }
                .into(),
            )
        })?;
        let secrets = settings.secrets().into_iter().map(str::to_owned).collect();
        (inventory, secrets)
    };

    write_outputs(&args.out, &inventory, args.from_legacy.is_none(), &secrets).map_err(|e| usage(e.into()))
}

/// Creates the output directory and proves it writable before any work is done.
fn prepare_out(out: &Path) -> Result<(), DiscoverError> {
    let fail = |source| DiscoverError::Output {
        path: out.display().to_string(),
        source,
    };
    std::fs::create_dir_all(out).map_err(fail)?;
    let probe = out.join(format!(".discover-probe-{}", std::process::id()));
    std::fs::write(&probe, b"").map_err(fail)?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

fn settings(args: &DiscoverArgs) -> Result<ClientSettings, miette::Report> {
    let properties = match &args.command_config {
        Some(path) => Some(Properties::read(path)?),
        None => None,
    };
    let mut pairs: Vec<(&str, &str)> = properties.as_ref().map(|p| p.effective()).unwrap_or_default();
    if let Some(bootstrap) = &args.bootstrap_server {
        pairs.push(("bootstrap.servers", bootstrap));
    }
    ClientSettings::from_java(pairs, &EnvFallback::from_env()).map_err(|error| {
        let key = match &error {
            ClientConfigError::Jks { key, .. }
            | ClientConfigError::Unsupported { key, .. }
            | ClientConfigError::Store { key, .. } => Some(key.as_str()),
            ClientConfigError::Jaas { .. } => Some("sasl.jaas.config"),
            ClientConfigError::BadBootstrap { .. } => Some("bootstrap.servers"),
            _ => None,
        };
        match (
            properties.as_ref(),
            key.and_then(|k| properties.as_ref()?.entry(k)),
        ) {
            (Some(p), Some(entry)) => {
                let (start, len) = entry.span;
                let (src, span) = Snippet::around(&p.name, &redacted_text(p), start..start + len);
                DiscoverError::ConfigAt {
                    message: format!(
                        "{}:{}: {}",
                        p.name,
                        entry.line,
                        diskless_migrator::snippet::shorten(&error.to_string())
                    ),
                    help: miette::Diagnostic::help(&error).map(|h| h.to_string()),
                    src,
                    span,
                }
                .into()
            }
            _ => DiscoverError::Config(error).into(),
        }
    })
}

/// The properties text for a diagnostic, with the values of secret keys masked (same length,
/// so spans stay valid): a diagnostic shows the lines around the one it points at.
fn redacted_text(properties: &Properties) -> String {
    let mut bytes = properties.text.clone().into_bytes();
    for entry in properties.entries() {
        let key = entry.key.to_ascii_lowercase();
        let secret = key.contains("password")
            || key.contains("jaas")
            || key.ends_with(".key")
            || key.contains("secret");
        if !secret {
            continue;
        }
        let (start, len) = entry.span;
        let end = (start + len).min(bytes.len());
        let Some(sep) = bytes[start..end].iter().position(|b| *b == b'=' || *b == b':') else {
            continue;
        };
        for b in &mut bytes[start + sep + 1..end] {
            if !matches!(*b, b'\n' | b'\r' | b' ' | b'\t') {
                *b = b'*';
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Writes the seed's text files (live runs) and then inventory.json, each atomically:
/// inventory.json appears only when everything else was written.
fn write_outputs(
    out: &Path,
    inventory: &Inventory,
    legacy_files: bool,
    secrets: &[String],
) -> Result<(), DiscoverError> {
    let fail = |source| DiscoverError::Output {
        path: out.display().to_string(),
        source,
    };
    // The JSON and the old scripts' text files are rendered, masked and written (each with its
    // own fsync) on threads of their own: a large inventory's files take a while each.
    let mask = |name: &str, mut text: String| {
        // Defence in depth: the collected facts never hold a credential, but a broker could
        // echo one (a non-sensitive config that happens to carry it). Such text is masked.
        for secret in secrets.iter().filter(|s| s.len() >= 6) {
            if text.contains(secret.as_str()) {
                tracing::warn!("{name}: a credential from the client properties was masked");
                text = text.replace(secret.as_str(), "[redacted]");
            }
        }
        text
    };
    let write = |name: &str, text: String| write_atomic(&out.join(name), mask(name, text).as_bytes());
    std::thread::scope(|s| {
        let json = s.spawn(|| {
            let text = serde_json::to_string_pretty(inventory).map_err(std::io::Error::other)? + "\n";
            write("inventory.json", text)
        });
        let legacy: Vec<_> = if legacy_files {
            legacy::render(inventory)
                .into_iter()
                .map(|(name, text)| s.spawn(move || write(&name, text)))
                .collect()
        } else {
            Vec::new()
        };
        let mut result = json.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        for handle in legacy {
            let written = handle.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            result = result.and(written);
        }
        result
    })
    .map_err(fail)?;
    for gap in &inventory.gaps {
        tracing::debug!("gap: {} {:?}: {}", gap.fact, gap.subject, gap.reason);
    }
    Ok(())
}

/// A one-line progress display on stderr.
struct StderrProgress {
    enabled: bool,
    drawn: bool,
}

impl StderrProgress {
    fn new(enabled: bool) -> StderrProgress {
        StderrProgress {
            enabled,
            drawn: false,
        }
    }

    fn finish(&mut self) {
        if self.drawn {
            eprint!("\r\x1b[2K");
            let _ = std::io::stderr().flush();
        }
    }
}

impl Progress for StderrProgress {
    fn step(&mut self, index: usize, total: usize, what: &str) {
        if self.enabled {
            eprint!("\r\x1b[2K[{index}/{total}] {what}…");
            let _ = std::io::stderr().flush();
            self.drawn = true;
        }
    }
}
