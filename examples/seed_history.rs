//! Fills a migrated database with a tenant's history (ended calls, their
//! transcripts, leads and done jobs) in a few bulk statements, so the load
//! test can measure turns on a database that has been in use for months.
//!
//!     cargo run --release --example seed_history -- --calls 100000 --tenant loadgen
//!
//! `DATABASE_URL` names the database, as for `frontdesk`. The SQL is in
//! benches/seed/{sqlite,postgres}.sql. See benches/history.sh.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use clap::Parser;
use diesel::connection::SimpleConnection;
use frontdesk::db::{ConnectionManager, DatabaseUrl, DbConnection, DbTimeouts};

#[derive(Parser)]
struct Args {
    /// The database to fill.
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
    /// How many ended calls to store.
    #[arg(long, default_value_t = 100_000)]
    calls: u32,
    /// The slug of the tenant (already imported) whose history this is.
    #[arg(long, default_value = "loadgen")]
    tenant: String,
}

const SQLITE: &str = include_str!("../benches/seed/sqlite.sql");
const POSTGRES: &str = include_str!("../benches/seed/postgres.sql");

fn main() {
    let args = Args::parse();
    assert!(
        args.tenant
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-'),
        "a tenant slug is letters, digits and dashes"
    );
    let url = DatabaseUrl::parse(&args.database_url).unwrap();
    // Bulk statements take longer than any request may.
    let generous = Duration::from_secs(600);
    let timeouts = DbTimeouts {
        wait: generous,
        statement: generous,
        operation: generous,
    };
    let mut conn = ConnectionManager::new(url, timeouts).establish().unwrap();
    let sql = match conn {
        DbConnection::Sqlite(_) => SQLITE,
        DbConnection::Pg(_) => POSTGRES,
    }
    .replace(":calls", &args.calls.to_string())
    .replace(":tenant", &args.tenant);
    let started = Instant::now();
    conn.batch_execute(&sql).unwrap();
    println!(
        "seeded {} calls of {} in {:.1}s",
        args.calls,
        args.tenant,
        started.elapsed().as_secs_f64()
    );
}
