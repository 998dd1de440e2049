//! One connection of our own to one broker: TCP, optionally TLS, optionally SASL (PLAIN,
//! SCRAM-SHA-256, SCRAM-SHA-512), then requests and answers one at a time.
//!
//! Every request sent is logged at debug level (`-v`) as `wire: sent <Api> v<version> to
//! <broker>`, so request counts can be measured.

use std::fmt;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use openssl::ssl::SslStream;
use thiserror::Error;

use super::codec::{self, Malformed, Reader, Writer};
use super::scram::Scram;
use super::tls::TlsConfig;
use crate::kafka::client::ClientSettings;

/// Why a request over the own connection failed.
#[derive(Debug, Error)]
pub enum WireError {
    /// The broker could not be reached or the connection broke.
    #[error("broker {broker}: {}", io_text(source))]
    Io {
        /// `host:port`.
        broker: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The TLS settings could not be used or the TLS handshake failed.
    #[error("TLS to broker {broker} failed: {message}")]
    Tls {
        /// `host:port`.
        broker: String,
        /// What failed.
        message: String,
    },
    /// The broker refused the credentials.
    #[error("SASL {mechanism} authentication to broker {broker} failed: {message}")]
    Authentication {
        /// `host:port`.
        broker: String,
        /// The SASL mechanism.
        mechanism: String,
        /// The broker's or the client's reason.
        message: String,
    },
    /// The broker answered a whole request with an error code.
    #[error("broker {broker} refused {api}: {}", error_name(*.code))]
    Refused {
        /// `host:port`.
        broker: String,
        /// The request's name.
        api: &'static str,
        /// Kafka error code.
        code: i16,
    },
    /// The answer could not be decoded.
    #[error("broker {broker}: malformed {api} response")]
    Malformed {
        /// `host:port`.
        broker: String,
        /// The request's name.
        api: &'static str,
    },
}

/// An I/O error as a person reads it: the end of a stream is the broker closing the connection.
fn io_text(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::UnexpectedEof => "the broker closed the connection".to_owned(),
        _ => error.to_string(),
    }
}

impl WireError {
    /// True when the connection itself is refused: credentials or certificates (exit code 3).
    pub fn is_authentication(&self) -> bool {
        matches!(self, WireError::Tls { .. } | WireError::Authentication { .. })
    }
}

/// Kafka's name of an error code, with the number (`NOT_COORDINATOR (16)`).
pub fn error_name(code: i16) -> String {
    const NAMES: [&str; 121] = [
        "NONE",
        "OFFSET_OUT_OF_RANGE",
        "CORRUPT_MESSAGE",
        "UNKNOWN_TOPIC_OR_PARTITION",
        "INVALID_FETCH_SIZE",
        "LEADER_NOT_AVAILABLE",
        "NOT_LEADER_OR_FOLLOWER",
        "REQUEST_TIMED_OUT",
        "BROKER_NOT_AVAILABLE",
        "REPLICA_NOT_AVAILABLE",
        "MESSAGE_TOO_LARGE",
        "STALE_CONTROLLER_EPOCH",
        "OFFSET_METADATA_TOO_LARGE",
        "NETWORK_EXCEPTION",
        "COORDINATOR_LOAD_IN_PROGRESS",
        "COORDINATOR_NOT_AVAILABLE",
        "NOT_COORDINATOR",
        "INVALID_TOPIC_EXCEPTION",
        "RECORD_LIST_TOO_LARGE",
        "NOT_ENOUGH_REPLICAS",
        "NOT_ENOUGH_REPLICAS_AFTER_APPEND",
        "INVALID_REQUIRED_ACKS",
        "ILLEGAL_GENERATION",
        "INCONSISTENT_GROUP_PROTOCOL",
        "INVALID_GROUP_ID",
        "UNKNOWN_MEMBER_ID",
        "INVALID_SESSION_TIMEOUT",
        "REBALANCE_IN_PROGRESS",
        "INVALID_COMMIT_OFFSET_SIZE",
        "TOPIC_AUTHORIZATION_FAILED",
        "GROUP_AUTHORIZATION_FAILED",
        "CLUSTER_AUTHORIZATION_FAILED",
        "INVALID_TIMESTAMP",
        "UNSUPPORTED_SASL_MECHANISM",
        "ILLEGAL_SASL_STATE",
        "UNSUPPORTED_VERSION",
        "TOPIC_ALREADY_EXISTS",
        "INVALID_PARTITIONS",
        "INVALID_REPLICATION_FACTOR",
        "INVALID_REPLICA_ASSIGNMENT",
        "INVALID_CONFIG",
        "NOT_CONTROLLER",
        "INVALID_REQUEST",
        "UNSUPPORTED_FOR_MESSAGE_FORMAT",
        "POLICY_VIOLATION",
        "OUT_OF_ORDER_SEQUENCE_NUMBER",
        "DUPLICATE_SEQUENCE_NUMBER",
        "INVALID_PRODUCER_EPOCH",
        "INVALID_TXN_STATE",
        "INVALID_PRODUCER_ID_MAPPING",
        "INVALID_TRANSACTION_TIMEOUT",
        "CONCURRENT_TRANSACTIONS",
        "TRANSACTION_COORDINATOR_FENCED",
        "TRANSACTIONAL_ID_AUTHORIZATION_FAILED",
        "SECURITY_DISABLED",
        "OPERATION_NOT_ATTEMPTED",
        "KAFKA_STORAGE_ERROR",
        "LOG_DIR_NOT_FOUND",
        "SASL_AUTHENTICATION_FAILED",
        "UNKNOWN_PRODUCER_ID",
        "REASSIGNMENT_IN_PROGRESS",
        "DELEGATION_TOKEN_AUTH_DISABLED",
        "DELEGATION_TOKEN_NOT_FOUND",
        "DELEGATION_TOKEN_OWNER_MISMATCH",
        "DELEGATION_TOKEN_REQUEST_NOT_ALLOWED",
        "DELEGATION_TOKEN_AUTHORIZATION_FAILED",
        "DELEGATION_TOKEN_EXPIRED",
        "INVALID_PRINCIPAL_TYPE",
        "NON_EMPTY_GROUP",
        "GROUP_ID_NOT_FOUND",
        "FETCH_SESSION_ID_NOT_FOUND",
        "INVALID_FETCH_SESSION_EPOCH",
        "LISTENER_NOT_FOUND",
        "TOPIC_DELETION_DISABLED",
        "FENCED_LEADER_EPOCH",
        "UNKNOWN_LEADER_EPOCH",
        "UNSUPPORTED_COMPRESSION_TYPE",
        "STALE_BROKER_EPOCH",
        "OFFSET_NOT_AVAILABLE",
        "MEMBER_ID_REQUIRED",
        "PREFERRED_LEADER_NOT_AVAILABLE",
        "GROUP_MAX_SIZE_REACHED",
        "FENCED_INSTANCE_ID",
        "ELIGIBLE_LEADERS_NOT_AVAILABLE",
        "ELECTION_NOT_NEEDED",
        "NO_REASSIGNMENT_IN_PROGRESS",
        "GROUP_SUBSCRIBED_TO_TOPIC",
        "INVALID_RECORD",
        "UNSTABLE_OFFSET_COMMIT",
        "THROTTLING_QUOTA_EXCEEDED",
        "PRODUCER_FENCED",
        "RESOURCE_NOT_FOUND",
        "DUPLICATE_RESOURCE",
        "UNACCEPTABLE_CREDENTIAL",
        "INCONSISTENT_VOTER_SET",
        "INVALID_UPDATE_VERSION",
        "FEATURE_UPDATE_FAILED",
        "PRINCIPAL_DESERIALIZATION_FAILURE",
        "SNAPSHOT_NOT_FOUND",
        "POSITION_OUT_OF_RANGE",
        "UNKNOWN_TOPIC_ID",
        "DUPLICATE_BROKER_REGISTRATION",
        "BROKER_ID_NOT_REGISTERED",
        "INCONSISTENT_TOPIC_ID",
        "INCONSISTENT_CLUSTER_ID",
        "TRANSACTIONAL_ID_NOT_FOUND",
        "FETCH_SESSION_TOPIC_ID_ERROR",
        "INELIGIBLE_REPLICA",
        "NEW_LEADER_ELECTED",
        "OFFSET_MOVED_TO_TIERED_STORAGE",
        "FENCED_MEMBER_EPOCH",
        "UNRELEASED_INSTANCE_ID",
        "UNSUPPORTED_ASSIGNOR",
        "STALE_MEMBER_EPOCH",
        "MISMATCHED_ENDPOINT_TYPE",
        "UNSUPPORTED_ENDPOINT_TYPE",
        "UNKNOWN_CONTROLLER_ID",
        "UNKNOWN_SUBSCRIPTION_ID",
        "TELEMETRY_TOO_LARGE",
        "INVALID_REGISTRATION",
        "TRANSACTION_ABORTABLE",
    ];
    let name = match code {
        -1 => "UNKNOWN_SERVER_ERROR",
        _ => usize::try_from(code)
            .ok()
            .and_then(|i| NAMES.get(i))
            .copied()
            .unwrap_or("UNKNOWN_ERROR_CODE"),
    };
    format!("{name} ({code})")
}

/// How to connect to the brokers of one cluster: security protocol, TLS, SASL credentials.
#[derive(Clone)]
pub struct Security {
    tls: Option<Arc<TlsConfig>>,
    sasl: Option<(String, String, String)>,
}

impl fmt::Debug for Security {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Security")
            .field("tls", &self.tls.is_some())
            .field("sasl_mechanism", &self.sasl.as_ref().map(|s| &s.0))
            .finish()
    }
}

impl Security {
    /// From librdkafka-style settings (see [`ClientSettings`]).
    pub fn from_settings(settings: &ClientSettings) -> Result<Security, WireError> {
        let protocol = settings.get("security.protocol").unwrap_or("plaintext");
        let tls = if protocol.ends_with("ssl") {
            Some(Arc::new(TlsConfig::from_settings(settings).map_err(|e| {
                WireError::Tls {
                    broker: settings.get("bootstrap.servers").unwrap_or_default().to_owned(),
                    message: e.0,
                }
            })?))
        } else {
            None
        };
        let sasl = if protocol.starts_with("sasl") {
            Some((
                settings.get("sasl.mechanisms").unwrap_or("PLAIN").to_owned(),
                settings.get("sasl.username").unwrap_or_default().to_owned(),
                settings.get("sasl.password").unwrap_or_default().to_owned(),
            ))
        } else {
            None
        };
        Ok(Security { tls, sasl })
    }
}

enum Stream {
    Plain(TcpStream),
    Tls(Box<SslStream<TcpStream>>),
}

impl Stream {
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self {
            Stream::Plain(s) => s.write_all(bytes),
            Stream::Tls(s) => s.write_all(bytes),
        }
    }
    fn read_exact(&mut self, bytes: &mut [u8]) -> std::io::Result<()> {
        match self {
            Stream::Plain(s) => s.read_exact(bytes),
            Stream::Tls(s) => s.read_exact(bytes),
        }
    }
}

/// An authenticated connection to one broker.
pub struct Connection {
    broker: String,
    stream: Stream,
    correlation_id: i32,
}

const SASL_HANDSHAKE: i16 = 17;
const SASL_AUTHENTICATE: i16 = 36;

impl Connection {
    /// Connects to `host:port`, runs the TLS handshake and SASL authentication when the cluster
    /// asks for them.
    pub fn open(
        host: &str,
        port: u16,
        security: &Security,
        timeout: Duration,
    ) -> Result<Connection, WireError> {
        let broker = format!("{host}:{port}");
        let io = |source| WireError::Io {
            broker: broker.clone(),
            source,
        };
        let addr = (host, port)
            .to_socket_addrs()
            .map_err(io)?
            .next()
            .ok_or_else(|| io(std::io::Error::other("no address")))?;
        let tcp = TcpStream::connect_timeout(&addr, timeout).map_err(io)?;
        tcp.set_read_timeout(Some(timeout)).map_err(io)?;
        tcp.set_write_timeout(Some(timeout)).map_err(io)?;
        tcp.set_nodelay(true).map_err(io)?;
        let stream = match &security.tls {
            None => Stream::Plain(tcp),
            Some(tls) => {
                let (connector, verify_hostname) = tls.connector();
                let tls_error = |message: String| WireError::Tls {
                    broker: broker.clone(),
                    message,
                };
                let mut config = connector.configure().map_err(|e| tls_error(e.to_string()))?;
                config.set_verify_hostname(verify_hostname);
                config.set_use_server_name_indication(host.parse::<std::net::IpAddr>().is_err());
                let stream = config.connect(host, tcp).map_err(|e| tls_error(e.to_string()))?;
                Stream::Tls(Box::new(stream))
            }
        };
        let mut connection = Connection {
            broker,
            stream,
            correlation_id: 0,
        };
        if let Some((mechanism, user, password)) = &security.sasl {
            connection.authenticate(mechanism, user, password)?;
        }
        Ok(connection)
    }

    /// `host:port` of the broker.
    pub fn broker(&self) -> &str {
        &self.broker
    }

    /// Sends one request and returns the response body (after the response header).
    /// `flexible` selects header v2/v1 (else v1/v0).
    pub fn request(
        &mut self,
        api: &'static str,
        api_key: i16,
        api_version: i16,
        flexible: bool,
        body: &[u8],
    ) -> Result<Vec<u8>, WireError> {
        self.correlation_id = self.correlation_id.wrapping_add(1);
        let id = self.correlation_id;
        tracing::debug!("wire: sent {api} v{api_version} to {}", self.broker);
        let io = |source| WireError::Io {
            broker: self.broker.clone(),
            source,
        };
        self.stream
            .write_all(&codec::frame(api_key, api_version, id, flexible, body))
            .map_err(io)?;
        let mut len = [0u8; 4];
        self.stream.read_exact(&mut len).map_err(io)?;
        let len = usize::try_from(i32::from_be_bytes(len)).map_err(|_| self.malformed(api))?;
        let mut frame = vec![0u8; len];
        self.stream.read_exact(&mut frame).map_err(io)?;
        let header_len = {
            let r = codec::response_body(&frame, id, flexible).map_err(|_| self.malformed(api))?;
            len - r.remaining()
        };
        frame.drain(..header_len);
        Ok(frame)
    }

    /// Sends one request whose answer carries one top-level error code, and decodes it with
    /// `parse` (the value, or the code): a code is [`WireError::Refused`], an answer that does
    /// not decode [`WireError::Malformed`].
    pub fn request_parsed<T>(
        &mut self,
        api: &'static str,
        api_key: i16,
        api_version: i16,
        flexible: bool,
        body: &[u8],
        parse: impl FnOnce(&[u8]) -> Result<Result<T, i16>, Malformed>,
    ) -> Result<T, WireError> {
        let answer = self.request(api, api_key, api_version, flexible, body)?;
        match parse(&answer) {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(code)) => Err(WireError::Refused {
                broker: self.broker.clone(),
                api,
                code,
            }),
            Err(Malformed) => Err(self.malformed(api)),
        }
    }

    /// The error for an answer that does not decode.
    pub fn malformed(&self, api: &'static str) -> WireError {
        WireError::Malformed {
            broker: self.broker.clone(),
            api,
        }
    }

    fn authenticate(&mut self, mechanism: &str, user: &str, password: &str) -> Result<(), WireError> {
        let auth_error = |broker: &str, message: String| WireError::Authentication {
            broker: broker.to_owned(),
            mechanism: mechanism.to_owned(),
            message,
        };
        let mut body = Writer::new();
        body.string(mechanism);
        let answer = self.request("SaslHandshake", SASL_HANDSHAKE, 1, false, &body.into_bytes())?;
        let mut r = Reader::new(&answer);
        let code = r.i16().map_err(|_| self.malformed("SaslHandshake"))?;
        if code != 0 {
            let mut offered = Vec::new();
            for _ in 0..r.array_len().unwrap_or(0) {
                offered.extend(r.string().ok());
            }
            return Err(auth_error(
                &self.broker,
                format!("the broker offers {} ({})", offered.join(", "), error_name(code)),
            ));
        }
        if mechanism == "PLAIN" {
            let mut token = Vec::with_capacity(user.len() + password.len() + 2);
            token.push(0);
            token.extend_from_slice(user.as_bytes());
            token.push(0);
            token.extend_from_slice(password.as_bytes());
            self.sasl_authenticate(mechanism, &token)?;
            return Ok(());
        }
        let mut scram = Scram::new(mechanism, user, password).map_err(|e| auth_error(&self.broker, e.0))?;
        let server_first = self.sasl_authenticate(mechanism, &scram.client_first())?;
        let client_final = scram
            .client_final(&server_first)
            .map_err(|e| auth_error(&self.broker, e.0))?;
        let server_final = self.sasl_authenticate(mechanism, &client_final)?;
        scram
            .verify_server_final(&server_final)
            .map_err(|e| auth_error(&self.broker, e.0))
    }

    /// One `SaslAuthenticate` v2 round trip; returns the server's bytes.
    fn sasl_authenticate(&mut self, mechanism: &str, token: &[u8]) -> Result<Vec<u8>, WireError> {
        let mut body = Writer::new();
        body.compact_bytes(token).no_tags();
        let answer = self.request("SaslAuthenticate", SASL_AUTHENTICATE, 2, true, &body.into_bytes())?;
        let parsed = (|| -> Result<(i16, Option<String>, Vec<u8>), Malformed> {
            let mut r = Reader::new(&answer);
            let code = r.i16()?;
            let message = r.compact_nullable_string()?;
            let bytes = r.compact_bytes()?.to_vec();
            Ok((code, message, bytes))
        })()
        .map_err(|_| self.malformed("SaslAuthenticate"))?;
        match parsed {
            (0, _, bytes) => Ok(bytes),
            (code, message, _) => Err(WireError::Authentication {
                broker: self.broker.clone(),
                mechanism: mechanism.to_owned(),
                message: message.unwrap_or_else(|| error_name(code)),
            }),
        }
    }
}
