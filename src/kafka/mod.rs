//! Talking to Kafka: client configuration from Kafka properties files, and admin calls.

pub mod admin;
pub mod client;
pub mod properties;
pub mod wire;
