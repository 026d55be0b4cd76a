//! What a call costs must not grow with the calls stored (issue 7). Every
//! statement a call, its jobs and the purge run is recorded, then planned by SQLite: none
//! may scan a table that grows with history, and none may find a tenant's
//! active calls by reading all of its recent ones.
//!
//! SQLite only: on an almost empty database PostgreSQL rightly plans
//! sequential scans, so its plans say nothing about a large one. This test
//! has a file of its own because the recorder sees every connection of the
//! process.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Mutex;
use std::time::Duration;

use common::calls::{CALLER, TENANT_NUMBER, TenantToml, place_call};
use common::{TestApp, TestBackend};
use diesel::connection::{Instrumentation, InstrumentationEvent, set_default_instrumentation};
use diesel::prelude::*;
use diesel::sql_types::Text;
use frontdesk::config::WorkerSettings;
use frontdesk::db::DatabaseUrl;
use frontdesk::jobs::handlers::Handlers;
use frontdesk::jobs::worker::Worker;
use frontdesk::mail::Mailer;
use frontdesk::schema::jobs;
use tokio::sync::watch;

/// Tables whose rows accumulate with every call.
const GROWING: &[&str] = &["calls", "call_turns", "leads", "jobs", "audit_log"];

static STATEMENTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn record_statements() -> Option<Box<dyn Instrumentation>> {
    Some(Box::new(|event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            STATEMENTS.lock().unwrap().push(query.to_string());
        }
    }))
}

#[derive(QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = Text)]
    detail: String,
}

/// The statement without diesel's `-- binds: [...]` suffix, if it is one
/// the planner can explain.
fn plannable(recorded: &str) -> Option<String> {
    let sql = recorded.split(" -- binds: ").next()?.trim();
    let first = sql.split_whitespace().next()?.to_ascii_uppercase();
    ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"]
        .contains(&first.as_str())
        .then(|| sql.to_owned())
}

/// Why a plan line reads rows in proportion to history, if it does.
fn unbounded(detail: &str, partial_indexes: &[String]) -> Option<&'static str> {
    let index = detail
        .split_once("INDEX ")
        .and_then(|(_, rest)| rest.split_whitespace().next());
    let partial = index.is_some_and(|name| partial_indexes.iter().any(|p| p == name));
    let table = detail.split_whitespace().nth(1).unwrap_or_default();
    if detail.starts_with("SCAN ") && GROWING.contains(&table) && !partial {
        return Some("scans a table that grows with every call");
    }
    if table == "calls" && detail.contains("(tenant_id=? AND started_at>?)") && !partial {
        return Some("reads every recent call of the tenant, ended or not");
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_statement_of_a_call_or_its_jobs_reads_rows_in_proportion_to_history() {
    set_default_instrumentation(record_statements).unwrap();
    let app = TestApp::spawn(TestBackend::Sqlite).await;
    TenantToml::always_open()
        .setting("retention_days = 30")
        .import(&app)
        .await;
    let message = [
        "I'd like to leave a message",
        "Jane Doe",
        "yes",
        "no",
        "a quote for a crown",
        "yes",
        "bye",
    ];
    place_call(&app, TENANT_NUMBER, CALLER, &message).await;
    place_call(
        &app,
        TENANT_NUMBER,
        "+15550001111",
        &["do you take walk-ins", "bye"],
    )
    .await;
    let transfer = [
        "can I talk to someone in billing",
        "[dial no-answer]",
        "bye",
    ];
    place_call(&app, TENANT_NUMBER, "+15550002222", &transfer).await;

    let outbox = tempfile::tempdir().unwrap();
    let handlers = Handlers::new(
        app.pool.clone(),
        Mailer::outbox(outbox.path(), "frontdesk@example.test").unwrap(),
        app.config.clone(),
        std::sync::Arc::new(frontdesk::ai::RulesBrain),
    );
    let settings = WorkerSettings {
        concurrency: 2,
        poll_interval: Duration::from_millis(20),
        lease: Duration::from_secs(60),
        retry_base: Duration::from_millis(50),
        in_process: true,
    };
    let (stop, stopped) = watch::channel(false);
    let worker = tokio::spawn(
        Worker::new(app.pool.clone(), handlers, settings).run(stopped, Duration::from_secs(1)),
    );
    // The test's own connection, not recorded: its statements are not the product's.
    let DatabaseUrl::Sqlite(path) = &app.config.database_url else {
        unreachable!("a SQLite test database")
    };
    let mut own = SqliteConnection::establish(&path.to_string_lossy()).unwrap();
    own.set_instrumentation(|_: InstrumentationEvent<'_>| {});
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let pending: i64 = jobs::table
            .filter(jobs::status.ne("done"))
            .filter(jobs::kind.ne("purge_expired"))
            .count()
            .get_result(&mut own)
            .unwrap();
        if pending == 0 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the jobs did not finish"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A probe asks for the oldest due job's age on every poll of the load balancer.
    assert_eq!(app.get("/readyz").await.status(), 200);
    stop.send(true).unwrap();
    worker.await.unwrap();
    app.with_conn(|conn| frontdesk::retention::purge(conn, frontdesk::clock::now()).unwrap())
        .await;

    let mut statements: Vec<String> = STATEMENTS
        .lock()
        .unwrap()
        .iter()
        .filter_map(|s| plannable(s))
        .collect();
    statements.sort();
    statements.dedup();
    let partial_indexes: Vec<String> = diesel::sql_query(
        "SELECT name AS detail FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'",
    )
    .load::<PlanLine>(&mut own)
    .unwrap()
    .into_iter()
    .map(|row| row.detail)
    .collect();
    let mut violations = Vec::new();
    for sql in &statements {
        let plan = diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load::<PlanLine>(&mut own)
            .unwrap_or_else(|e| panic!("cannot plan {sql}: {e}"));
        for line in plan {
            if let Some(why) = unbounded(&line.detail, &partial_indexes) {
                violations.push(format!("{why}: {}\n    in {sql}", line.detail));
            }
        }
    }
    let planned = statements.len();
    assert!(planned > 20, "only {planned} statements were recorded");
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}
