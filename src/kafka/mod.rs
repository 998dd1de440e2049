//! Talking to Kafka: client configuration from Kafka properties files, admin calls through
//! librdkafka, and the requests spoken directly over connections of our own ([`wire`]).

pub mod admin;
pub mod client;
pub mod properties;
pub mod wire;
