//! The classified errors of admin calls: a cluster that cannot be reached or refuses the
//! credentials ends the command (exit 3); a missing permission for one kind of fact becomes a gap.

use rdkafka::bindings as rd;
use rdkafka::types::RDKafkaErrorCode;
use thiserror::Error;

use super::ffi::{err_name, err_text};

/// Why an admin call failed.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum AdminError {
    /// No broker answered within the timeout (resolution, connection, or transport failure).
    #[error("cannot reach the cluster: {0}")]
    Unreachable(String),
    /// The connection was refused at the TLS or SASL stage (bad certificate, bad password).
    #[error("authentication failed: {0}")]
    AuthenticationFailed(String),
    /// The principal may not read this kind of fact (a topic, group, cluster or ACL permission).
    #[error("not authorized: {0}")]
    NotAuthorized(String),
    /// The cluster does not offer this call (no authorizer for ACLs, an old protocol version).
    #[error("not supported by the cluster: {0}")]
    Unsupported(String),
    /// Anything else, with librdkafka's error name and message.
    #[error("{name}: {message}")]
    Other {
        /// The error code's name, e.g. `GROUP_ID_NOT_FOUND`.
        name: String,
        /// The human-readable message.
        message: String,
    },
}

impl AdminError {
    /// True for errors that end a command: the cluster cannot be used at all (exit code 3).
    pub fn is_fatal(&self) -> bool {
        matches!(
            self,
            AdminError::Unreachable(_) | AdminError::AuthenticationFailed(_)
        )
    }

    /// Classifies a librdkafka error code and message.
    pub fn from_code(code: rd::rd_kafka_resp_err_t, message: impl Into<String>) -> AdminError {
        let name = err_name(code);
        AdminError::classify(RDKafkaErrorCode::from(code), name, message.into())
    }

    /// Classifies a librdkafka error code with librdkafka's own description of it.
    pub fn from_code_described(code: rd::rd_kafka_resp_err_t) -> AdminError {
        AdminError::from_code(code, err_text(code))
    }

    /// Classifies an rdkafka error code (as the safe rdkafka API reports it) and message.
    pub fn from_error_code(code: RDKafkaErrorCode, message: impl Into<String>) -> AdminError {
        AdminError::classify(code, format!("{code:?}"), message.into())
    }

    pub(super) fn classify(code: RDKafkaErrorCode, name: String, message: String) -> AdminError {
        match code {
            RDKafkaErrorCode::BrokerTransportFailure
            | RDKafkaErrorCode::AllBrokersDown
            | RDKafkaErrorCode::Resolve
            | RDKafkaErrorCode::OperationTimedOut
            | RDKafkaErrorCode::RequestTimedOut => AdminError::Unreachable(message),
            RDKafkaErrorCode::Authentication
            | RDKafkaErrorCode::SaslAuthenticationFailed
            | RDKafkaErrorCode::SSL => AdminError::AuthenticationFailed(message),
            RDKafkaErrorCode::TopicAuthorizationFailed
            | RDKafkaErrorCode::GroupAuthorizationFailed
            | RDKafkaErrorCode::ClusterAuthorizationFailed
            | RDKafkaErrorCode::TransactionalIdAuthorizationFailed
            | RDKafkaErrorCode::DelegationTokenAuthorizationFailed => AdminError::NotAuthorized(message),
            RDKafkaErrorCode::SecurityDisabled
            | RDKafkaErrorCode::UnsupportedVersion
            | RDKafkaErrorCode::UnsupportedFeature => AdminError::Unsupported(message),
            _ => AdminError::Other { name, message },
        }
    }
}
