//! The Kafka protocol spoken directly, for what librdkafka does not offer, hides or offers only
//! one group at a time: partition sizes (`DescribeLogDirs`), ACLs with their refusal
//! (`DescribeAcls`; librdkafka drops the error code) and batched group facts
//! (`FindCoordinator` v4, `DescribeGroups` v5, `ConsumerGroupDescribe` v0, `OffsetFetch` v8:
//! many groups per request, one request per coordinator), `ListOffsets`, whose answers
//! librdkafka merges in quadratic time, and transactional writes (`DescribeProducers`, and a
//! `Fetch` of the newest record batches read for their headers only), and access facts
//! (`DescribeUserScramCredentials`: user names, mechanisms and iterations;
//! `DescribeClientQuotas`).
//!
//! The wire format is small and stable, so it is written here by hand. Connections speak
//! PLAINTEXT, SSL, SASL_PLAINTEXT and SASL_SSL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) with the
//! same settings as the rest of the client.

pub mod codec;
pub mod connection;
pub mod coordinator;
pub mod describe_acls;
pub mod describe_client_quotas;
pub mod describe_groups;
pub mod describe_producers;
pub mod describe_user_scram_credentials;
pub mod fetch;
pub mod list_offsets;
pub mod log_dirs;
pub mod offset_fetch;
pub mod pool;
pub mod scram;
pub mod tls;

pub use connection::{Connection, Security, WireError};
pub use pool::Pool;
