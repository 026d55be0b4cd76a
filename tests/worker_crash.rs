//! A worker process killed with SIGKILL in the middle of sending a lead
//! email: nothing in the process survives, so only what the queue holds can
//! bring the email through. The real `frontdesk worker` binary runs against
//! the test's database and a real SMTP listener that swallows the first
//! message's final "." without answering, so the kill lands while the
//! worker waits for the verdict; a second worker started afterwards must
//! deliver the email, with the same Message-ID, to every recipient.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::TestApp;
use common::calls::{CALLER, TENANT_NUMBER, TenantToml, place_call};
use common::smtp::{Misbehave, SmtpReplies, SmtpServer, Stage};
use diesel::prelude::*;
use frontdesk::schema::jobs;

const OWNER: &str = "owner@sunny.example";
const FRONT_DESK: &str = "frontdesk@sunny.example";
const LEAD_KEY: &str = "lead-email:1";
/// Short, so the second worker rescues the dead worker's job quickly.
const LEASE_SECONDS: &str = "2";

/// The `frontdesk worker` binary on the app's database, mailing through
/// `smtp_url`, in a directory of its own (no `.env`, its own outbox),
/// logging to `NAME.log` there.
fn start_worker_process(app: &TestApp, smtp_url: &str, dir: &std::path::Path, name: &str) -> Child {
    let log = std::fs::File::create(dir.join(format!("{name}.log"))).unwrap();
    Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("worker")
        .current_dir(dir)
        .env_clear()
        .env("DATABASE_URL", app.config.database_url.redacted())
        .env("SMTP_URL", smtp_url)
        // Longer than the test: the send must still be waiting when killed.
        .env("SMTP_TIMEOUT_SECONDS", "120")
        .env("FRONTDESK_JOB_LEASE_SECONDS", LEASE_SECONDS)
        .env("FRONTDESK_WORKER_POLL_MS", "20")
        .env("FRONTDESK_JOB_RETRY_BASE_MS", "50")
        .env("FRONTDESK_PUBLIC_URL", common::PUBLIC_URL)
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("the frontdesk binary starts")
}

async fn lead_job(app: &TestApp) -> (String, i32, Option<String>) {
    app.with_conn(|conn| {
        jobs::table
            .filter(jobs::unique_key.eq(LEAD_KEY))
            .select((jobs::status, jobs::attempts, jobs::last_error))
            .first(conn)
            .unwrap()
    })
    .await
}

async fn wait_until(what: &str, within: Duration, mut done: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !done().await {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

backend_tests! {
    async fn a_worker_killed_mid_send_leaves_the_email_to_the_next_worker_with_the_same_message_id(app: TestApp) {
        let smtp = SmtpServer::start_with(
            SmtpReplies::default().at_first(1, Stage::EndOfData, Misbehave::Hang),
        )
        .await;
        TenantToml::always_open()
            .notify(&[OWNER, FRONT_DESK])
            .setting("send_call_summaries = false")
            .import(&app)
            .await;
        place_call(
            &app,
            TENANT_NUMBER,
            CALLER,
            &["I'd like to leave a message", "Jane Doe", "yes", "no", "a quote for a crown", "yes", "bye"],
        )
        .await;
        let dir = tempfile::tempdir().unwrap();

        let mut first = start_worker_process(&app, &smtp.url(), dir.path(), "first");
        wait_until("the first worker has sent the whole message", Duration::from_secs(30), async || {
            !smtp.unanswered().is_empty()
        })
        .await;
        first.kill().unwrap(); // SIGKILL: no shutdown, no release of the job
        first.wait().unwrap();
        let in_flight = smtp.unanswered().remove(0);
        let (status, attempts, _) = lead_job(&app).await;
        assert_eq!((status.as_str(), attempts), ("running", 1), "the killed worker still holds the job");
        assert!(smtp.received().is_empty());

        let mut second = start_worker_process(&app, &smtp.url(), dir.path(), "second");
        wait_until("the email is delivered to both recipients", Duration::from_secs(30), async || {
            smtp.received().iter().map(|mail| mail.recipients.len()).sum::<usize>() >= 2
        })
        .await;
        wait_until("the job is done", Duration::from_secs(10), async || {
            lead_job(&app).await.0 == "done"
        })
        .await;
        second.kill().unwrap();
        second.wait().unwrap();

        let (_, attempts, _) = lead_job(&app).await;
        assert_eq!(attempts, 2, "the killed attempt counts, then one more");
        let copies = smtp.copies();
        let id = in_flight.message_id();
        assert!(id.starts_with("<lead-email."), "{id}");
        assert_eq!(
            copies,
            [OWNER, FRONT_DESK].iter().map(|to| ((id.clone(), (*to).to_owned()), 1)).collect(),
            "each recipient got the interrupted email once more, under the same Message-ID"
        );
        assert_eq!(in_flight.recipients.len(), 1, "each recipient is its own delivery");
    }
}
