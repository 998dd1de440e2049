//! Talking to Kafka: client configuration from Kafka properties files, admin calls through
//! librdkafka, the requests spoken directly over connections of our own ([`wire`]), and the
//! batched, retried requests to group coordinators built on them ([`coordinated`]), the check
//! that each group coordinator serves its partitions ([`coordinator_probe`]), the listing of
//! every group that uses it ([`group_listing`]), and the one reader of consumer groups on top
//! ([`groups`]).

pub mod admin;
pub mod block_on;
pub mod bootstrap;
pub mod client;
pub mod coordinated;
pub mod coordinator_probe;
pub mod group_listing;
pub mod groups;
pub mod key_store;
pub mod properties;
pub mod wire;

pub use block_on::block_on;
