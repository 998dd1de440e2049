//! The planner: decides the migration from the inventory and the settings, and records why.
//!
//! Pure: data in, data out. It never talks to a cluster and never renders Terraform.

mod model;

pub use model::*;
