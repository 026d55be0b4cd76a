//! Jobs name their tenant since the `tenant_in_job_payloads` migration; a
//! job still pending from before it must run after the upgrade, not die
//! with an unreadable payload.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestBackend, TestDatabase};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_migrations::MigrationHarness;
use frontdesk::db::{DbConnection, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};
use frontdesk::ids::{CallId, LeadId, TenantId};
use frontdesk::jobs::JobKind;

#[derive(QueryableByName)]
struct Payload {
    #[diesel(sql_type = Text)]
    payload: String,
}

/// Migrates to just before the payload migration, stores pending jobs in
/// the old format, migrates the rest and returns the payloads as parsed.
fn pending_jobs_after_upgrade(backend: TestBackend) -> Vec<JobKind> {
    let database = TestDatabase::create(backend);
    let url = database.url.clone();
    let mut conn = match backend {
        TestBackend::Sqlite => DbConnection::Sqlite(
            SqliteConnection::establish(url.trim_start_matches("sqlite://")).unwrap(),
        ),
        TestBackend::Postgres => DbConnection::Pg(PgConnection::establish(&url).unwrap()),
    };
    let before_payloads = |conn: &mut DbConnection| match conn {
        DbConnection::Sqlite(c) => {
            c.run_next_migration(SQLITE_MIGRATIONS).unwrap();
            c.run_next_migration(SQLITE_MIGRATIONS).unwrap();
        }
        DbConnection::Pg(c) => {
            c.run_next_migration(POSTGRES_MIGRATIONS).unwrap();
            c.run_next_migration(POSTGRES_MIGRATIONS).unwrap();
        }
    };
    before_payloads(&mut conn);
    conn.batch_execute(
        "INSERT INTO tenants (id, slug, name, timezone, language, voice, created_at, updated_at) \
         VALUES (7, 'sunny', 'Sunny', 'UTC', 'en-US', 'Polly.Joanna', '2026-01-01 00:00:00', '2026-01-01 00:00:00'); \
         INSERT INTO calls (id, tenant_id, call_sid, from_number, to_number, state, status, started_at, updated_at) \
         VALUES (3, 7, 'CA1', '+15550001111', '+15005550006', 'ended', 'completed', '2026-01-01 00:00:00', '2026-01-01 00:00:00'); \
         INSERT INTO leads (id, tenant_id, call_id, status, complete, created_at, updated_at) \
         VALUES (5, 7, 3, 'new', TRUE, '2026-01-01 00:00:00', '2026-01-01 00:00:00'); \
         INSERT INTO jobs (kind, payload, unique_key, status, priority, attempts, max_attempts, run_at, created_at) VALUES \
         ('summarize_call', '{\"kind\":\"summarize_call\",\"call_id\":3}', 'summarize:3', 'queued', 5, 0, 5, '2026-01-01 00:00:00', '2026-01-01 00:00:00'), \
         ('lead_notification', '{\"kind\":\"lead_notification\",\"lead_id\":5}', 'lead-email:5', 'queued', 10, 0, 10, '2026-01-01 00:00:00', '2026-01-01 00:00:00');",
    )
    .unwrap();
    frontdesk::db::run_migrations(&mut conn).unwrap();
    diesel::sql_query("SELECT payload FROM jobs ORDER BY id")
        .load::<Payload>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|row| serde_json::from_str(&row.payload).unwrap())
        .collect()
}

fn expected() -> Vec<JobKind> {
    vec![
        JobKind::SummarizeCall {
            tenant_id: TenantId(7),
            call_id: CallId(3),
        },
        JobKind::LeadNotification {
            tenant_id: TenantId(7),
            lead_id: LeadId(5),
        },
    ]
}

#[test]
fn a_job_pending_before_the_upgrade_names_its_tenant_after_it_on_sqlite() {
    assert_eq!(pending_jobs_after_upgrade(TestBackend::Sqlite), expected());
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "set FRONTDESK_TEST_POSTGRES_URL to run on PostgreSQL"
)]
fn a_job_pending_before_the_upgrade_names_its_tenant_after_it_on_postgres() {
    assert_eq!(
        pending_jobs_after_upgrade(TestBackend::Postgres),
        expected()
    );
}
