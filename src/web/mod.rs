//! The web edge shared by every page: health probes, request logging, and
//! the dashboard's frame (sessions, sign-in, guards, CSRF, security headers,
//! layout, error pages, static files, the route table).

pub mod account;
pub mod admin;
pub mod assets;
pub mod charts;
pub mod csrf;
pub mod errors;
pub mod format;
pub mod guard;
pub mod health;
pub mod layout;
pub mod listing;
pub mod login;
pub mod overview;
pub mod request_log;
pub mod routes;
pub mod security_headers;
pub mod session;
pub mod session_store;
pub mod tenant_switch;
pub mod throttle;
