//! Frontdesk: a self-hosted AI phone receptionist. See DESIGN.md in the
//! repository for the turn loop and the state machine.

pub mod ai;
pub mod app;
pub mod audit;
pub mod calls;
pub mod cli;
pub mod clock;
pub mod config;
pub mod conversation;
pub mod db;
pub mod error;
pub mod http;
pub mod ids;
pub mod jobs;
pub mod knowledge;
pub mod leads;
pub mod mail;
pub mod migrate_data;
pub mod private_files;
pub mod receptionist;
pub mod retention;
pub mod schema;
pub mod server;
pub mod settings;
pub mod simulator;
pub mod startup_warnings;
pub mod system_health;
pub mod telemetry;
pub mod telephony;
pub mod tenants;
pub mod test_call;
pub mod users;
pub mod web;
