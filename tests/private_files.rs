//! The database and the outbox are private to the service's user (issue
//! 10): they hold tenant tokens, password hashes, transcripts and callers'
//! details, and shared hosts have other users. Checked on the real files
//! the product creates under the test's (usual, 022) umask.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use diesel::connection::SimpleConnection;
use frontdesk::db::{DatabaseUrl, DbTimeouts, connect_pool};
use frontdesk::mail::{LeadNotification, Mailer, lead_notification, message_id_for};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn the_sqlite_database_and_its_wal_and_shm_files_are_created_private() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("frontdesk.db");
    let url = DatabaseUrl::Sqlite(path.clone());
    let (pool, _) = connect_pool(&url, 2, DbTimeouts::default()).unwrap();
    let mut pooled = pool.get().unwrap();
    let conn: &mut frontdesk::db::DbConnection = &mut pooled;
    // A write, so the WAL and shared-memory files exist.
    let frontdesk::db::DbConnection::Sqlite(sqlite) = conn else {
        unreachable!()
    };
    sqlite
        .batch_execute("CREATE TABLE probe (x INTEGER); INSERT INTO probe VALUES (1);")
        .unwrap();
    for name in ["frontdesk.db", "frontdesk.db-wal", "frontdesk.db-shm"] {
        let file = dir.path().join(name);
        assert!(file.exists(), "{name} exists");
        assert_eq!(mode(&file), 0o600, "{name}");
    }
}

#[tokio::test]
async fn outbox_folders_and_messages_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("mail/outbox");
    let mailer = Mailer::outbox(&outbox, "Frontdesk <frontdesk@desk.example.com>").unwrap();
    let lead = LeadNotification {
        tenant_name: "Bright Smile Dental",
        country_code: 1,
        caller_name: Some("Jane Doe"),
        callback_number: Some("+15551234567"),
        caller_id: Some("+15551234567"),
        email: None,
        reason: Some("a cleaning"),
        complete: true,
        urgent: false,
        department: None,
        call_url: "https://desk.example.com/calls/42",
        called_at: "Tue 3 June 2025, 14:05",
        they_said: &["i'd like to book a cleaning"],
    };
    let email = lead_notification(
        vec!["owner@brightsmile.example".into()],
        &lead,
        message_id_for("lead-email:42", "frontdesk@desk.example.com"),
    )
    .unwrap();
    mailer.send(&email).await.unwrap();
    assert_eq!(mode(&outbox), 0o700);
    let written: Vec<_> = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(written.len(), 1);
    assert_eq!(mode(&written[0]), 0o600);
}
