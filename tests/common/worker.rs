//! The product's job worker, run inside a test against the app's database
//! (the test apps run without their in-process worker, so a test decides
//! when jobs run).

use std::sync::Arc;
use std::time::Duration;

use frontdesk::config::WorkerSettings;
use frontdesk::jobs::handlers::Handlers;
use frontdesk::jobs::worker::Worker;
use frontdesk::mail::Mailer;

use super::TestApp;
use super::smtp::{ReceivedMail, SmtpServer};

/// Settings for a worker that picks jobs up at once and retries nothing
/// within a test's lifetime.
pub fn prompt_settings() -> WorkerSettings {
    WorkerSettings {
        concurrency: 2,
        poll_interval: Duration::from_millis(20),
        lease: Duration::from_secs(60),
        retry_base: Duration::from_secs(3600),
        in_process: true,
    }
}

/// Starts the worker, mailing through `smtp`; send `true` to stop it.
pub fn start(
    app: &TestApp,
    smtp: &SmtpServer,
) -> (
    tokio::sync::watch::Sender<bool>,
    tokio::task::JoinHandle<()>,
) {
    let config = super::test_config(
        &app.config.database_url.redacted(),
        &[("SMTP_URL", &smtp.url())],
    );
    let handlers = Handlers::new(
        app.pool.clone(),
        Mailer::from_config(&config).unwrap(),
        app.config.clone(),
        Arc::new(frontdesk::ai::RulesBrain),
    );
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = Worker::new(app.pool.clone(), handlers, prompt_settings());
    (
        stop,
        tokio::spawn(worker.run(stopped, Duration::from_secs(2))),
    )
}

/// Runs the worker, mailing through `smtp`, until `count` messages have
/// arrived there (at most 5 s), and returns them.
pub async fn deliver(app: &TestApp, smtp: &SmtpServer, count: usize) -> Vec<ReceivedMail> {
    let (stop, worker) = start(app, smtp);
    let received = smtp.wait_for(count).await;
    stop.send(true).unwrap();
    worker.await.unwrap();
    received
}
