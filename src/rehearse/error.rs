//! Why a rehearsal stopped before its gate could decide, as diagnostics with exit codes.

use miette::Diagnostic;
use thiserror::Error;

use crate::exit::Exit;
use crate::generate::GenerateError;
use crate::inspect::mm2_config::Mm2ConfigError;
use crate::kafka::admin::AdminError;
use crate::kafka::client::ClientConfigError;
use crate::kafka::properties::PropertiesError;

/// Why a rehearsal stopped before its gate could decide. Each maps to an exit code
/// ([`RehearseError::exit`]).
#[derive(Debug, Error, Diagnostic)]
pub enum RehearseError {
    /// The plan cannot be read or rendered.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Plan(#[from] GenerateError),
    /// A file cannot be read.
    #[error("cannot read {path}: {source}")]
    #[diagnostic(code(rehearse::read), help("check the path and that the file is readable"))]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A properties file is malformed.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Properties(#[from] PropertiesError),
    /// The destination's client properties cannot be used.
    #[error("{file}: {source}")]
    #[diagnostic(
        code(rehearse::command_config),
        help("fix the destination's client properties (--command-config)")
    )]
    ClientConfig {
        /// The file, or `--destination`.
        file: String,
        /// Why.
        #[source]
        source: ClientConfigError,
    },
    /// The destination cannot be reached, refuses the credentials, or refuses a request.
    #[error("destination {bootstrap}: {error}")]
    #[diagnostic(
        code(rehearse::destination),
        help(
            "check --destination and --command-config; the stand-in must be an Apache Kafka you may create topics on"
        )
    )]
    Destination {
        /// The bootstrap servers.
        bootstrap: String,
        /// Why.
        error: AdminError,
    },
    /// A planned topic already exists on the destination.
    #[error("the destination already holds planned topic `{topic}` ({partitions} partition(s)){more}")]
    #[diagnostic(
        code(rehearse::topic_exists),
        help(
            "rehearse on a destination without the planned topics, delete them there, or give --reuse to use \
             topics whose partitions and configs match the plan"
        )
    )]
    TopicExists {
        /// The first such topic, by name.
        topic: String,
        /// Its partition count.
        partitions: usize,
        /// How many more there are, as text.
        more: String,
    },
    /// A planned topic exists but differs from the plan (with `--reuse`).
    #[error("cannot reuse topic `{topic}` on the destination: {reason}")]
    #[diagnostic(
        code(rehearse::reuse_mismatch),
        help("delete the topic on the destination, or rehearse on another one")
    )]
    ReuseMismatch {
        /// The topic.
        topic: String,
        /// The first difference.
        reason: String,
    },
    /// `--kafka-home` cannot run MirrorMaker 2.
    #[error("--kafka-home: {0}")]
    #[diagnostic(
        code(rehearse::kafka_home),
        help(
            "point --kafka-home at a Kafka distribution (bin/connect-mirror-maker.sh) or a folder with libs/*.jar"
        )
    )]
    KafkaHome(String),
    /// A secret in the overrides file.
    #[error("{file}:{line}: `{key}` looks secret and has a literal value")]
    #[diagnostic(
        code(rehearse::secret_override),
        help(
            "write it as a placeholder (${{env:NAME}} or ${{file:PATH:KEY}}) so no secret is written into the rehearsal file"
        )
    )]
    SecretOverride {
        /// The overrides file.
        file: String,
        /// The line.
        line: usize,
        /// The key.
        key: String,
    },
    /// The rewritten properties are not a configuration the gate can inspect.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Mm2Config(#[from] Mm2ConfigError),
    /// No flow to gate on.
    #[error("{0}: no flow is enabled with checkpoints on, so there is nothing to rehearse")]
    #[diagnostic(
        code(rehearse::no_flow),
        help("run `diskless-migrator generate` on a plan with flows")
    )]
    NoFlow(String),
    /// An output file cannot be written, or MirrorMaker 2 cannot be started.
    #[error("{what}: {source}")]
    #[diagnostic(code(rehearse::io), help("choose an output folder you can write to (--out)"))]
    Io {
        /// What was being done.
        what: String,
        /// Why.
        source: std::io::Error,
    },
}

impl RehearseError {
    /// The documented exit code: 3 for a destination that cannot be reached or refuses the
    /// credentials, 2 for everything else (bad input).
    pub fn exit(&self) -> Exit {
        match self {
            RehearseError::Destination { error, .. } if error.is_fatal() => Exit::Cluster,
            _ => Exit::Usage,
        }
    }
}
