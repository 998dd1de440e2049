//! Kafka client settings: the Java client properties the Kafka CLI tools and MirrorMaker 2
//! take (`security.protocol`, `sasl.jaas.config`, `ssl.truststore.*`, ...), translated into
//! librdkafka's configuration.
//!
//! Secrets (passwords, private keys) are kept in memory only and are never logged: `Debug`
//! of [`ClientSettings`] masks them.

use std::collections::BTreeMap;
use std::fmt;

use miette::Diagnostic;
use rdkafka::ClientConfig;
use thiserror::Error;

/// A client setting that cannot be honoured.
#[derive(Debug, Error, Diagnostic)]
pub enum ClientConfigError {
    /// A JKS key or trust store: librdkafka reads PEM and PKCS#12 only.
    #[error("{key} names a JKS store ({path}); JKS is not supported")]
    #[diagnostic(
        code(client::jks),
        help(
            "convert it to PKCS#12 and point {key} at the result:\n  keytool -importkeystore -srckeystore {path} -srcstoretype JKS -destkeystore {path}.p12 -deststoretype PKCS12\nthen set {type_key}=PKCS12"
        )
    )]
    Jks {
        /// The location key.
        key: String,
        /// The type key to change.
        type_key: String,
        /// The store path.
        path: String,
    },
    /// A value outside what Kafka allows.
    #[error("{key}={value} is not supported: {reason}")]
    #[diagnostic(code(client::unsupported))]
    Unsupported {
        /// The key.
        key: String,
        /// The value.
        value: String,
        /// Why, and what is supported.
        reason: String,
    },
    /// `sasl.jaas.config` without username or password.
    #[error(
        "sasl.jaas.config has no {missing}: expected `... LoginModule required username=\"...\" password=\"...\";`"
    )]
    #[diagnostic(code(client::jaas))]
    Jaas {
        /// `username` or `password`.
        missing: &'static str,
    },
    /// A PKCS#12 store that cannot be opened (not PKCS#12, wrong password, no certificate).
    #[error("{key}: {reason}")]
    #[diagnostic(
        code(client::store),
        help("check the path, the store type and the store password ({key} and its .password key)")
    )]
    Store {
        /// The location key.
        key: String,
        /// What is wrong, with the path (never the password).
        reason: String,
    },
    /// The bootstrap servers are missing.
    #[error("no bootstrap servers: give --bootstrap-server, bootstrap.servers or KAFKA_BOOTSTRAP_SERVER")]
    #[diagnostic(code(client::bootstrap))]
    NoBootstrap,
    /// The bootstrap servers are not a list of `host:port`.
    #[error("bootstrap.servers is not a list of host:port: {reason}")]
    #[diagnostic(
        code(client::bootstrap_syntax),
        help("write host:port pairs separated by commas, e.g. `kafka-1:9092,kafka-2:9092`")
    )]
    BadBootstrap {
        /// What is wrong.
        reason: String,
    },
}

/// Connection settings for one cluster, in librdkafka terms.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ClientSettings {
    entries: BTreeMap<String, String>,
}

/// librdkafka keys whose values are secret.
const SECRET_KEYS: &[&str] = &[
    "sasl.password",
    "ssl.key.password",
    "ssl.keystore.password",
    "ssl.key.pem",
    "ssl.certificate.pem",
];

impl fmt::Debug for ClientSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (key, value) in &self.entries {
            if SECRET_KEYS.contains(&key.as_str()) {
                map.entry(key, &"[redacted]");
            } else {
                map.entry(key, value);
            }
        }
        map.finish()
    }
}

/// The seed scripts' environment variables, used where the properties say nothing.
#[derive(Clone, Debug, Default)]
pub struct EnvFallback {
    /// `KAFKA_BOOTSTRAP_SERVER`.
    pub bootstrap_server: Option<String>,
    /// `CA_PATH`: CA certificate (PEM).
    pub ca_path: Option<String>,
    /// `CLIENT_CERT_PATH`: client certificate (PEM).
    pub client_cert_path: Option<String>,
    /// `CLIENT_KEY_PATH`: client private key (PEM).
    pub client_key_path: Option<String>,
    /// `KAFKA_USER`.
    pub user: Option<String>,
    /// `KAFKA_PASS`.
    pub password: Option<String>,
}

impl EnvFallback {
    /// Reads the seed's variables from the process environment.
    pub fn from_env() -> EnvFallback {
        let var = |name| std::env::var(name).ok().filter(|v| !v.is_empty());
        EnvFallback {
            bootstrap_server: var("KAFKA_BOOTSTRAP_SERVER"),
            ca_path: var("CA_PATH"),
            client_cert_path: var("CLIENT_CERT_PATH"),
            client_key_path: var("CLIENT_KEY_PATH"),
            user: var("KAFKA_USER"),
            password: var("KAFKA_PASS"),
        }
    }
}

impl ClientSettings {
    /// Translates Java client properties (`key`, `value` pairs; later pairs win) into librdkafka
    /// settings. Keys that do not concern the connection are ignored.
    pub fn from_java<'a>(
        properties: impl IntoIterator<Item = (&'a str, &'a str)>,
        fallback: &EnvFallback,
    ) -> Result<ClientSettings, ClientConfigError> {
        let java: BTreeMap<&str, &str> = properties.into_iter().collect();
        let get = |key: &str| java.get(key).copied().map(str::trim).filter(|v| !v.is_empty());
        let mut out = BTreeMap::new();
        let mut set = |key: &str, value: &str| {
            out.insert(key.to_owned(), value.to_owned());
        };

        let bootstrap = get("bootstrap.servers")
            .map(str::to_owned)
            .or_else(|| fallback.bootstrap_server.clone());
        if let Some(reason) = bootstrap.as_deref().and_then(super::bootstrap::bootstrap_problem) {
            return Err(ClientConfigError::BadBootstrap { reason });
        }
        set(
            "bootstrap.servers",
            &bootstrap.ok_or(ClientConfigError::NoBootstrap)?,
        );

        let has_user = fallback.user.is_some() && fallback.password.is_some();
        let has_cert = fallback.ca_path.is_some() || fallback.client_cert_path.is_some();
        let protocol = match get("security.protocol") {
            Some(p) => p.to_ascii_uppercase(),
            None if has_user => "SASL_SSL".to_owned(),
            None if has_cert => "SSL".to_owned(),
            None => "PLAINTEXT".to_owned(),
        };
        if !["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"].contains(&protocol.as_str()) {
            return Err(ClientConfigError::Unsupported {
                key: "security.protocol".into(),
                value: protocol,
                reason: "use PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL".into(),
            });
        }
        set("security.protocol", &protocol.to_ascii_lowercase());

        if protocol.starts_with("SASL") {
            let mechanism =
                get("sasl.mechanism").unwrap_or(if has_user { "SCRAM-SHA-512" } else { "GSSAPI" });
            if !["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"].contains(&mechanism) {
                return Err(ClientConfigError::Unsupported {
                    key: "sasl.mechanism".into(),
                    value: mechanism.into(),
                    reason: "use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512".into(),
                });
            }
            set("sasl.mechanisms", mechanism);
            let (user, password) = match get("sasl.jaas.config") {
                Some(jaas) => parse_jaas(jaas)?,
                None => match (&fallback.user, &fallback.password) {
                    (Some(u), Some(p)) => (u.clone(), p.clone()),
                    (None, _) => return Err(ClientConfigError::Jaas { missing: "username" }),
                    (_, None) => return Err(ClientConfigError::Jaas { missing: "password" }),
                },
            };
            set("sasl.username", &user);
            set("sasl.password", &password);
        }

        if protocol.ends_with("SSL") {
            translate_ssl(
                &get,
                java.get("ssl.endpoint.identification.algorithm").copied(),
                fallback,
                &mut set,
            )?;
        }
        Ok(ClientSettings { entries: out })
    }

    /// The librdkafka configuration, ready for more settings (timeouts, group id).
    pub fn client_config(&self) -> ClientConfig {
        let mut config = ClientConfig::new();
        for (key, value) in &self.entries {
            config.set(key, value);
        }
        config
    }

    /// The librdkafka value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries.get(key).map(String::as_str)
    }

    /// Every secret value, so callers and tests can make sure none is written anywhere.
    pub fn secrets(&self) -> Vec<&str> {
        SECRET_KEYS.iter().filter_map(|k| self.get(k)).collect()
    }
}

fn translate_ssl<'g>(
    get: &impl Fn(&str) -> Option<&'g str>,
    raw_algorithm: Option<&str>,
    fallback: &EnvFallback,
    set: &mut impl FnMut(&str, &str),
) -> Result<(), ClientConfigError> {
    let store_type = |key: &str| get(key).unwrap_or("JKS").to_ascii_uppercase();
    let jks = |key: &str, type_key: &str, path: &str| ClientConfigError::Jks {
        key: key.into(),
        type_key: type_key.into(),
        path: path.into(),
    };

    if let Some(pem) = get("ssl.truststore.certificates") {
        set("ssl.ca.pem", pem);
    } else if let Some(path) = get("ssl.truststore.location") {
        match store_type("ssl.truststore.type").as_str() {
            "PEM" => set("ssl.ca.location", path),
            "PKCS12" => {
                // librdkafka reads CA certificates as PEM only: converted in memory.
                let password = get("ssl.truststore.password").unwrap_or("");
                let pem = crate::kafka::key_store::pkcs12_certificates_pem(path, password).map_err(|e| {
                    ClientConfigError::Store {
                        key: "ssl.truststore.location".into(),
                        reason: e.0,
                    }
                })?;
                set("ssl.ca.pem", &pem);
            }
            _ => return Err(jks("ssl.truststore.location", "ssl.truststore.type", path)),
        }
    } else if let Some(path) = &fallback.ca_path {
        set("ssl.ca.location", path);
    }

    if let (Some(chain), Some(key)) = (get("ssl.keystore.certificate.chain"), get("ssl.keystore.key")) {
        set("ssl.certificate.pem", chain);
        set("ssl.key.pem", key);
    } else if let Some(path) = get("ssl.keystore.location") {
        match store_type("ssl.keystore.type").as_str() {
            "PKCS12" => {
                // librdkafka and the own connection both open PKCS#12 key stores themselves;
                // opened once here so a wrong path or password is reported before any call.
                let password = get("ssl.keystore.password").unwrap_or("");
                crate::kafka::key_store::read_pkcs12(path, password).map_err(|e| {
                    ClientConfigError::Store {
                        key: "ssl.keystore.location".into(),
                        reason: e.0,
                    }
                })?;
                set("ssl.keystore.location", path);
                set("ssl.keystore.password", password);
            }
            "PEM" => {
                set("ssl.certificate.location", path);
                set("ssl.key.location", path);
            }
            _ => return Err(jks("ssl.keystore.location", "ssl.keystore.type", path)),
        }
    } else if let (Some(cert), Some(key)) = (&fallback.client_cert_path, &fallback.client_key_path) {
        set("ssl.certificate.location", cert);
        set("ssl.key.location", key);
    }
    if let Some(password) = get("ssl.key.password") {
        set("ssl.key.password", password);
    }

    // Java verifies host names unless the value is explicitly empty; so does this.
    let algorithm = match raw_algorithm.map(str::trim) {
        None => "https",
        Some(v) if v.eq_ignore_ascii_case("https") => "https",
        Some(_) => "none",
    };
    set("ssl.endpoint.identification.algorithm", algorithm);
    Ok(())
}

/// Extracts `username` and `password` from a PlainLoginModule or ScramLoginModule line.
pub fn parse_jaas(jaas: &str) -> Result<(String, String), ClientConfigError> {
    let option = |name: &'static str| -> Result<String, ClientConfigError> {
        let mut rest = jaas;
        while let Some(at) = rest.find(name) {
            let before_ok = at == 0 || rest[..at].ends_with(|c: char| c.is_whitespace());
            let after = rest[at + name.len()..].trim_start();
            if before_ok && let Some(value) = after.strip_prefix('=') {
                let value = value.trim_start();
                if let Some(quoted) = value.strip_prefix('"') {
                    let mut out = String::new();
                    let mut chars = quoted.chars();
                    while let Some(c) = chars.next() {
                        match c {
                            '\\' => out.extend(chars.next()),
                            '"' => return Ok(out),
                            c => out.push(c),
                        }
                    }
                } else {
                    let end = value
                        .find(|c: char| c.is_whitespace() || c == ';')
                        .unwrap_or(value.len());
                    return Ok(value[..end].to_owned());
                }
            }
            rest = &rest[at + name.len()..];
        }
        Err(ClientConfigError::Jaas { missing: name })
    };
    Ok((option("username")?, option("password")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Result<ClientSettings, ClientConfigError> {
        ClientSettings::from_java(pairs.iter().copied(), &EnvFallback::default())
    }

    #[test]
    fn scram_over_ssl_with_pem_truststore() {
        let s = settings(&[
            ("bootstrap.servers", "k1:9093,k2:9093"),
            ("security.protocol", "SASL_SSL"),
            ("sasl.mechanism", "SCRAM-SHA-512"),
            (
                "sasl.jaas.config",
                r#"org.apache.kafka.common.security.scram.ScramLoginModule required username="migrator" password="s3cr\"et";"#,
            ),
            ("ssl.truststore.type", "PEM"),
            ("ssl.truststore.location", "/etc/kafka/ca.pem"),
        ])
        .unwrap();
        assert_eq!(s.get("security.protocol"), Some("sasl_ssl"));
        assert_eq!(s.get("sasl.mechanisms"), Some("SCRAM-SHA-512"));
        assert_eq!(s.get("sasl.username"), Some("migrator"));
        assert_eq!(s.get("sasl.password"), Some("s3cr\"et"));
        assert_eq!(s.get("ssl.ca.location"), Some("/etc/kafka/ca.pem"));
        assert_eq!(s.get("ssl.endpoint.identification.algorithm"), Some("https"));
        assert!(!format!("{s:?}").contains("s3cr"), "Debug must mask secrets");
    }

    #[test]
    fn unreadable_pkcs12_store_is_named_without_its_password() {
        let err = settings(&[
            ("bootstrap.servers", "k:9093"),
            ("security.protocol", "SSL"),
            ("ssl.truststore.type", "PKCS12"),
            ("ssl.truststore.location", "missing-truststore.p12"),
            ("ssl.truststore.password", "pw-secret"),
        ])
        .unwrap_err();
        assert!(matches!(err, ClientConfigError::Store { .. }), "{err}");
        assert!(err.to_string().contains("missing-truststore.p12"), "{err}");
        assert!(!err.to_string().contains("pw-secret"), "{err}");
    }

    #[test]
    fn empty_identification_algorithm_disables_host_check() {
        let s = settings(&[
            ("bootstrap.servers", "k:9093"),
            ("security.protocol", "SSL"),
            ("ssl.endpoint.identification.algorithm", ""),
        ])
        .unwrap();
        assert_eq!(s.get("ssl.endpoint.identification.algorithm"), Some("none"));
    }

    #[test]
    fn jks_store_gets_conversion_hint() {
        let err = settings(&[
            ("bootstrap.servers", "k:9093"),
            ("security.protocol", "SSL"),
            ("ssl.truststore.location", "/etc/kafka/truststore.jks"),
        ])
        .unwrap_err();
        assert!(matches!(err, ClientConfigError::Jks { .. }));
        let help = miette::Diagnostic::help(&err).unwrap().to_string();
        assert!(help.contains("keytool -importkeystore"), "{help}");
    }

    #[test]
    fn seed_environment_variables_are_fallbacks() {
        let fallback = EnvFallback {
            bootstrap_server: Some("k:9094".into()),
            ca_path: Some("ca.pem".into()),
            user: Some("avnadmin".into()),
            password: Some("pw".into()),
            ..EnvFallback::default()
        };
        let s = ClientSettings::from_java([], &fallback).unwrap();
        assert_eq!(s.get("bootstrap.servers"), Some("k:9094"));
        assert_eq!(s.get("security.protocol"), Some("sasl_ssl"));
        assert_eq!(s.get("sasl.username"), Some("avnadmin"));
        assert_eq!(s.get("ssl.ca.location"), Some("ca.pem"));
    }

    #[test]
    fn plain_login_module_unquoted() {
        assert_eq!(
            parse_jaas(
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=u password=p;"
            )
            .unwrap(),
            ("u".into(), "p".into())
        );
    }
}
