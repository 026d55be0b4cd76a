//! The web edge shared by every page: health probes, request logging.

pub mod charts;
pub mod health;
pub mod request_log;
