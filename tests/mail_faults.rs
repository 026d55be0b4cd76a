//! A caller's message against a mail server that misbehaves, delivered by
//! the real worker on both backends: each case ends with every deliverable
//! recipient holding exactly one copy (counted by Message-ID and
//! recipient) and no job dead that could have been delivered.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::TestApp;
use common::calls::{CALLER, TENANT_NUMBER, TenantToml, place_call};
use common::smtp::{Misbehave, SmtpReplies, SmtpServer, Stage, reserve_port};
use diesel::prelude::*;
use frontdesk::config::WorkerSettings;
use frontdesk::jobs::handlers::Handlers;
use frontdesk::jobs::worker::Worker;
use frontdesk::mail::Mailer;
use frontdesk::schema::{jobs, mail_deliveries};
use tokio::sync::watch;

const OWNER: &str = "owner@sunny.example";
const FRONT_DESK: &str = "frontdesk@sunny.example";
const LEAD_ID: &str = "<lead-email.1@localhost>";
/// The bound on each SMTP step in these tests.
const SMTP_TIMEOUT: Duration = Duration::from_secs(1);

/// A caller leaves a message for a business that wants it at both addresses.
async fn a_message_is_left(app: &TestApp, summaries: bool) {
    TenantToml::always_open()
        .notify(&[OWNER, FRONT_DESK])
        .setting(&format!("send_call_summaries = {summaries}"))
        .import(app)
        .await;
    place_call(
        app,
        TENANT_NUMBER,
        CALLER,
        &[
            "I'd like to leave a message",
            "Jane Doe",
            "yes",
            "no",
            "a quote for a crown",
            "yes",
            "bye",
        ],
    )
    .await;
}

/// The real worker with the product's handlers, mailing through `smtp_url`,
/// retrying within milliseconds.
struct RunningWorker {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningWorker {
    fn start(app: &TestApp, smtp_url: &str) -> RunningWorker {
        let timeout = SMTP_TIMEOUT.as_secs().to_string();
        let config = common::test_config(
            &app.config.database_url.redacted(),
            &[("SMTP_URL", smtp_url), ("SMTP_TIMEOUT_SECONDS", &timeout)],
        );
        let handlers = Handlers::new(
            app.pool.clone(),
            Mailer::from_config(&config).unwrap(),
            app.config.clone(),
            Arc::new(frontdesk::ai::RulesBrain),
        );
        let settings = WorkerSettings {
            concurrency: 2,
            poll_interval: Duration::from_millis(20),
            lease: Duration::from_secs(60),
            retry_base: Duration::from_millis(50),
            in_process: true,
        };
        let (stop, stopped) = watch::channel(false);
        let worker = Worker::new(app.pool.clone(), handlers, settings);
        let task = tokio::spawn(worker.run(stopped, Duration::from_secs(2)));
        RunningWorker { stop, task }
    }

    async fn stop(self) {
        self.stop.send(true).unwrap();
        self.task.await.unwrap();
    }
}

/// (status, attempts, last_error) of the job with `key`.
async fn job(app: &TestApp, key: &str) -> Option<(String, i32, Option<String>)> {
    let key = key.to_owned();
    app.with_conn(move |conn| {
        jobs::table
            .filter(jobs::unique_key.eq(key))
            .select((jobs::status, jobs::attempts, jobs::last_error))
            .first(conn)
            .optional()
            .unwrap()
    })
    .await
}

/// Waits (up to 12 s) until the job with `key` is done or dead; returns its row.
async fn settled(app: &TestApp, key: &str) -> (String, i32, Option<String>) {
    let deadline = Instant::now() + Duration::from_secs(12);
    loop {
        if let Some(row) = job(app, key)
            .await
            .filter(|(s, _, _)| s == "done" || s == "dead")
        {
            return row;
        }
        assert!(
            Instant::now() < deadline,
            "{key} never settled: {:?}",
            job(app, key).await
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// (status, attempts, last_error) of each recipient's delivery for `key`.
async fn deliveries(app: &TestApp, key: &str) -> HashMap<String, (String, i32, Option<String>)> {
    let key = key.to_owned();
    app.with_conn(move |conn| {
        mail_deliveries::table
            .filter(mail_deliveries::job_key.eq(key))
            .select((
                mail_deliveries::recipient,
                mail_deliveries::status,
                mail_deliveries::attempts,
                mail_deliveries::last_error,
            ))
            .load::<(String, String, i32, Option<String>)>(conn)
            .unwrap()
            .into_iter()
            .map(|(recipient, status, attempts, error)| (recipient, (status, attempts, error)))
            .collect()
    })
    .await
}

/// Exactly one copy of the lead email for each of `recipients`, and nothing else.
fn exactly_one_lead_email_each(smtp: &SmtpServer, recipients: &[&str]) {
    let expected: HashMap<(String, String), usize> = recipients
        .iter()
        .map(|r| ((LEAD_ID.to_owned(), (*r).to_owned()), 1))
        .collect();
    assert_eq!(smtp.copies(), expected);
}

backend_tests! {
    async fn a_recipient_refused_with_550_does_not_stop_the_others(app: TestApp) {
        let smtp = SmtpServer::start_with(SmtpReplies::default().reject_permanently(FRONT_DESK)).await;
        a_message_is_left(&app, true).await;
        let worker = RunningWorker::start(&app, &smtp.url());

        let lead = settled(&app, "lead-email:1").await;
        let summary = settled(&app, "summary-email:1").await;
        worker.stop().await;

        assert_eq!((lead.0.as_str(), lead.1), ("done", 1), "{lead:?}");
        assert_eq!((summary.0.as_str(), summary.1), ("done", 1), "{summary:?}");
        let copies = smtp.copies();
        assert_eq!(copies.len(), 2, "the lead email and the summary, to the owner only: {copies:?}");
        assert!(copies.iter().all(|((_, to), n)| to == OWNER && *n == 1), "{copies:?}");
        let rows = deliveries(&app, "lead-email:1").await;
        assert_eq!((rows[OWNER].0.as_str(), rows[OWNER].1), ("sent", 1));
        let (status, attempts, error) = &rows[FRONT_DESK];
        assert_eq!((status.as_str(), *attempts), ("rejected", 1));
        let error = error.as_deref().unwrap();
        assert!(error.contains("RCPT TO: permanent error (550)"), "{error}");
        assert!(!error.contains("frontdesk@"), "addresses are masked: {error}");
    }

    async fn a_refused_login_is_retried_until_the_password_works(app: TestApp) {
        let replies = SmtpReplies::default().at_first(
            2,
            Stage::Auth,
            Misbehave::Reply("535 5.7.8 Authentication credentials invalid"),
        );
        let smtp = SmtpServer::start_with(replies).await;
        a_message_is_left(&app, false).await;
        let worker = RunningWorker::start(&app, &smtp.url_with_login());

        let (status, attempts, _) = settled(&app, "lead-email:1").await;
        worker.stop().await;

        assert_eq!((status.as_str(), attempts), ("done", 3));
        exactly_one_lead_email_each(&smtp, &[OWNER, FRONT_DESK]);
        let rows = deliveries(&app, "lead-email:1").await;
        let (status, attempts, error) = &rows[OWNER];
        assert_eq!((status.as_str(), *attempts), ("sent", 3));
        assert!(error.as_deref().unwrap().contains("refused the login"), "{error:?}");
        assert!(error.as_deref().unwrap().contains("535"), "{error:?}");
    }

    async fn a_server_that_is_closing_with_421_is_retried_until_it_accepts(app: TestApp) {
        let replies = SmtpReplies::default().at_first(
            2,
            Stage::Greeting,
            Misbehave::Reply("421 4.3.2 Service not available, closing channel"),
        );
        let smtp = SmtpServer::start_with(replies).await;
        a_message_is_left(&app, false).await;
        let worker = RunningWorker::start(&app, &smtp.url());

        let (status, attempts, _) = settled(&app, "lead-email:1").await;
        worker.stop().await;

        assert_eq!((status.as_str(), attempts), ("done", 3));
        exactly_one_lead_email_each(&smtp, &[OWNER, FRONT_DESK]);
        assert_eq!(smtp.sessions(), 3);
    }

    async fn a_451_or_a_policy_5xx_to_mail_from_is_retried_not_blamed_on_the_recipients(app: TestApp) {
        let replies = SmtpReplies::default()
            .at_first(1, Stage::MailFrom, Misbehave::Reply("451 4.3.0 Temporary failure, try again"))
            .at_first(2, Stage::MailFrom, Misbehave::Reply("554 5.7.1 Sender not allowed to relay"));
        let smtp = SmtpServer::start_with(replies).await;
        a_message_is_left(&app, false).await;
        let worker = RunningWorker::start(&app, &smtp.url());

        let (status, attempts, _) = settled(&app, "lead-email:1").await;
        worker.stop().await;

        assert_eq!((status.as_str(), attempts), ("done", 3));
        exactly_one_lead_email_each(&smtp, &[OWNER, FRONT_DESK]);
        let rows = deliveries(&app, "lead-email:1").await;
        let (_, attempts, error) = &rows[FRONT_DESK];
        assert_eq!(*attempts, 3);
        assert!(error.as_deref().unwrap().starts_with("MAIL FROM: permanent error (554)"), "{error:?}");
    }

    async fn a_server_that_never_answers_the_end_of_data_is_abandoned_in_time_and_retried(app: TestApp) {
        let smtp = SmtpServer::start_with(SmtpReplies::default().at_first(1, Stage::EndOfData, Misbehave::Hang)).await;
        a_message_is_left(&app, false).await;
        let worker = RunningWorker::start(&app, &smtp.url());

        let (status, attempts, _) = settled(&app, "lead-email:1").await;
        worker.stop().await;

        assert_eq!((status.as_str(), attempts), ("done", 2), "abandoned once, then delivered");
        let waits = smtp.abandoned_after();
        assert_eq!(waits.len(), 1, "{waits:?}");
        assert!(
            waits[0] >= SMTP_TIMEOUT / 2 && waits[0] < SMTP_TIMEOUT + Duration::from_millis(1500),
            "the hung send was dropped after {:?}",
            waits[0]
        );
        exactly_one_lead_email_each(&smtp, &[OWNER, FRONT_DESK]);
        let rows = deliveries(&app, "lead-email:1").await;
        let (_, attempts, error) = &rows[OWNER];
        assert_eq!(*attempts, 2);
        assert!(error.as_deref().unwrap().contains("no answer from the SMTP server within 1 s"), "{error:?}");
        let (_, attempts, error) = &rows[FRONT_DESK];
        assert_eq!(*attempts, 2, "not tried on the dropped connection, then sent");
        assert!(error.as_deref().unwrap().starts_with("not tried"), "{error:?}");
    }

    async fn mail_waits_for_a_server_that_is_down_and_arrives_once_when_it_is_back(app: TestApp) {
        let port = reserve_port();
        a_message_is_left(&app, false).await;
        let worker = RunningWorker::start(&app, &format!("smtp://127.0.0.1:{port}?tls=none"));
        let deadline = Instant::now() + Duration::from_secs(5);
        while job(&app, "lead-email:1").await.is_none_or(|(_, attempts, _)| attempts < 2) {
            assert!(Instant::now() < deadline, "no failed attempts");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let (_, _, error) = job(&app, "lead-email:1").await.unwrap();
        assert!(error.as_deref().unwrap().contains("cannot connect to the SMTP server"), "{error:?}");

        let smtp = SmtpServer::start_on(port, SmtpReplies::default()).await;
        let (status, _, _) = settled(&app, "lead-email:1").await;
        worker.stop().await;

        assert_eq!(status, "done");
        exactly_one_lead_email_each(&smtp, &[OWNER, FRONT_DESK]);
    }

    async fn a_recipient_deferred_with_452_is_retried_alone_until_the_server_takes_it(app: TestApp) {
        let smtp = SmtpServer::start_with(SmtpReplies::default().defer_at_first(2, FRONT_DESK)).await;
        a_message_is_left(&app, false).await;
        let worker = RunningWorker::start(&app, &smtp.url());

        let (status, attempts, _) = settled(&app, "lead-email:1").await;
        worker.stop().await;

        assert_eq!((status.as_str(), attempts), ("done", 3));
        exactly_one_lead_email_each(&smtp, &[OWNER, FRONT_DESK]);
        let rows = deliveries(&app, "lead-email:1").await;
        assert_eq!((rows[OWNER].0.as_str(), rows[OWNER].1), ("sent", 1), "sent once, never again");
        let (status, attempts, error) = &rows[FRONT_DESK];
        assert_eq!((status.as_str(), *attempts), ("sent", 3));
        assert!(error.as_deref().unwrap().contains("(452)"), "{error:?}");
    }

    async fn a_server_without_the_required_tls_keeps_the_mail_until_the_setting_is_fixed(app: TestApp) {
        let smtp = SmtpServer::start().await;
        a_message_is_left(&app, false).await;
        let worker = RunningWorker::start(&app, &format!("smtp://127.0.0.1:{}?tls=required", smtp.port));
        let deadline = Instant::now() + Duration::from_secs(5);
        while job(&app, "lead-email:1").await.is_none_or(|(_, attempts, _)| attempts < 2) {
            assert!(Instant::now() < deadline, "no failed attempts");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        worker.stop().await;
        let (status, _, error) = job(&app, "lead-email:1").await.unwrap();
        assert_ne!(status, "dead", "a TLS failure is the installation's, not the recipient's");
        assert!(error.as_deref().unwrap().to_lowercase().contains("tls"), "{error:?}");
        assert!(smtp.received().is_empty(), "nothing is sent in clear when TLS is required");

        let worker = RunningWorker::start(&app, &smtp.url());
        let (status, _, _) = settled(&app, "lead-email:1").await;
        worker.stop().await;
        assert_eq!(status, "done");
        exactly_one_lead_email_each(&smtp, &[OWNER, FRONT_DESK]);
    }

    async fn a_message_every_recipient_refuses_is_dead_with_the_servers_reply(app: TestApp) {
        let replies = SmtpReplies::default().at_first(
            usize::MAX,
            Stage::EndOfData,
            Misbehave::Reply("554 5.7.1 Message rejected as spam"),
        );
        let smtp = SmtpServer::start_with(replies).await;
        a_message_is_left(&app, false).await;
        let worker = RunningWorker::start(&app, &smtp.url());

        let (status, attempts, error) = settled(&app, "lead-email:1").await;
        worker.stop().await;

        assert_eq!((status.as_str(), attempts), ("dead", 1));
        let error = error.unwrap();
        assert!(error.contains("every recipient was refused"), "{error}");
        assert!(error.contains("end of data: permanent error (554)"), "{error}");
        assert!(smtp.copies().is_empty());
    }
}
