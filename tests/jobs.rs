//! The job queue, the worker and the mail it sends, on both backends.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::TestApp;
use common::calls::{CALLER, TENANT_NUMBER, TenantToml, place_call};
use common::smtp::{SmtpReplies, SmtpServer, reserve_port};
use diesel::prelude::*;
use frontdesk::config::WorkerSettings;
use frontdesk::db::write_transaction;
use frontdesk::ids::{CallId, JobId, TenantId};
use frontdesk::jobs::handlers::{Handlers, JobError, JobRunner};
use frontdesk::jobs::queue::{self, ClaimedJob, Failure};
use frontdesk::jobs::worker::Worker;
use frontdesk::jobs::{JobKind, enqueue};
use frontdesk::mail::Mailer;
use frontdesk::schema::jobs;
use tokio::sync::watch;

fn job(n: i64) -> JobKind {
    JobKind::SummarizeCall {
        tenant_id: TenantId(1),
        call_id: CallId(n),
    }
}

/// (status, attempts, last_error) of every job, by unique key.
async fn job_rows(app: &TestApp) -> HashMap<String, (String, i32, Option<String>)> {
    app.with_conn(|conn| {
        jobs::table
            .select((
                jobs::unique_key,
                jobs::status,
                jobs::attempts,
                jobs::last_error,
            ))
            .load::<(Option<String>, String, i32, Option<String>)>(conn)
            .unwrap()
            .into_iter()
            .map(|(key, status, attempts, error)| {
                (key.unwrap_or_default(), (status, attempts, error))
            })
            .collect()
    })
    .await
}

fn fast_worker(concurrency: usize) -> WorkerSettings {
    WorkerSettings {
        concurrency,
        poll_interval: Duration::from_millis(20),
        lease: Duration::from_secs(60),
        retry_base: Duration::from_millis(50),
        in_process: true,
    }
}

/// A runner for queue tests: records each run, and fails or panics on demand.
#[derive(Clone, Default)]
struct Scripted {
    runs: Arc<Mutex<Vec<JobId>>>,
    panic_on: Option<i64>,
    hang: bool,
}

impl JobRunner for Scripted {
    async fn run(&self, job: ClaimedJob) -> Result<(), JobError> {
        self.runs.lock().unwrap().push(job.id);
        let JobKind::SummarizeCall { call_id, .. } = job.job().unwrap() else {
            return Ok(());
        };
        if self.panic_on == Some(call_id.0) {
            panic!("job {} exploded", call_id.0);
        }
        if self.hang {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
        Ok(())
    }
}

fn start<R: JobRunner>(
    app: &TestApp,
    runner: R,
    settings: WorkerSettings,
    grace: Duration,
) -> (watch::Sender<bool>, tokio::task::JoinHandle<()>) {
    let (stop, stopped) = watch::channel(false);
    let worker = Worker::new(app.pool.clone(), runner, settings);
    (stop, tokio::spawn(worker.run(stopped, grace)))
}

async fn wait_until(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !done().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

backend_tests! {
    async fn a_job_enqueued_in_a_rolled_back_transaction_does_not_exist(app: TestApp) {
        app.with_conn(|conn| {
            let rolled_back: Result<(), diesel::result::Error> = write_transaction(conn, |conn| {
                enqueue(conn, &job(1), frontdesk::clock::now())?;
                Err(diesel::result::Error::RollbackTransaction)
            });
            assert!(rolled_back.is_err());
        })
        .await;
        assert!(job_rows(&app).await.is_empty());
    }

    async fn a_second_enqueue_with_the_same_key_while_pending_is_a_no_op(app: TestApp) {
        let (first, second) = app
            .with_conn(|conn| {
                let now = frontdesk::clock::now();
                (enqueue(conn, &job(7), now).unwrap(), enqueue(conn, &job(7), now).unwrap())
            })
            .await;
        assert!(first && !second);
        assert_eq!(job_rows(&app).await.len(), 1);
        // Once it is done, the same key may be enqueued again.
        let again = app
            .with_conn(|conn| {
                let now = frontdesk::clock::now();
                let claimed = queue::claim(conn, "w1", 10, now).unwrap();
                assert!(queue::complete(conn, claimed[0].id, "w1", now).unwrap());
                enqueue(conn, &job(7), now).unwrap()
            })
            .await;
        assert!(again);
    }

    async fn a_failing_job_backs_off_longer_each_time_and_dies_after_its_last_attempt(app: TestApp) {
        let retry_delays = app
            .with_conn(|conn| {
                let mut now = frontdesk::clock::now();
                enqueue(conn, &JobKind::LeadNotification { tenant_id: TenantId(1), lead_id: frontdesk::ids::LeadId(1) }, now).unwrap();
                let base = Duration::from_secs(60);
                let mut delays = Vec::new();
                loop {
                    let claimed = queue::claim(conn, "w1", 1, now).unwrap();
                    let job = claimed.first().expect("the job is claimable once due");
                    assert!(queue::claim(conn, "w2", 1, now).unwrap().is_empty(), "no one else can claim it");
                    match queue::fail(conn, job, "w1", "smtp down", false, base, now).unwrap() {
                        Failure::RetryAt(at) => {
                            assert!(queue::claim(conn, "w1", 1, now).unwrap().is_empty(), "not before its time");
                            delays.push((at - now).num_seconds());
                            now = at;
                        }
                        Failure::Dead => break,
                    }
                }
                delays
            })
            .await;
        assert_eq!(retry_delays.len(), 9, "lead emails get 10 attempts");
        assert!(retry_delays.windows(2).all(|w| w[1] > w[0]), "backoff grows: {retry_delays:?}");
        let rows = job_rows(&app).await;
        let (status, attempts, error) = &rows["lead-email:1"];
        assert_eq!((status.as_str(), *attempts), ("dead", 10));
        assert_eq!(error.as_deref(), Some("smtp down"), "a dead job is kept with its error");
    }

    async fn a_permanent_failure_is_dead_at_once(app: TestApp) {
        app.with_conn(|conn| {
            let now = frontdesk::clock::now();
            enqueue(conn, &job(3), now).unwrap();
            let claimed = queue::claim(conn, "w1", 1, now).unwrap();
            let failure = queue::fail(conn, &claimed[0], "w1", "550 no such mailbox", true, Duration::from_secs(60), now);
            assert_eq!(failure.unwrap(), Failure::Dead);
        })
        .await;
        assert_eq!(job_rows(&app).await["summarize:3"].0, "dead");
    }

    async fn a_job_whose_worker_died_mid_run_runs_again_and_the_attempt_counts(app: TestApp) {
        app.with_conn(|conn| {
            let now = frontdesk::clock::now();
            enqueue(conn, &job(5), now).unwrap();
            let first = queue::claim(conn, "dead-worker", 1, now).unwrap();
            assert_eq!(first[0].attempts, 1);
            let lease = Duration::from_secs(300);
            assert_eq!(queue::rescue_expired(conn, lease, now).unwrap(), 0, "the lease is still valid");
            let later = now + chrono::Duration::seconds(301);
            assert_eq!(queue::rescue_expired(conn, lease, later).unwrap(), 1);
            let second = queue::claim(conn, "live-worker", 1, later).unwrap();
            assert_eq!((second[0].id, second[0].attempts), (first[0].id, 2));
            // The dead worker's late completion must not settle the new run.
            assert!(!queue::complete(conn, first[0].id, "dead-worker", later).unwrap());
            assert!(queue::complete(conn, first[0].id, "live-worker", later).unwrap());
        })
        .await;
        assert_eq!(job_rows(&app).await["summarize:5"], ("done".to_owned(), 2, None));
    }

    async fn a_panicking_job_counts_as_a_failed_attempt(app: TestApp) {
        app.with_conn(|conn| enqueue(conn, &job(9), frontdesk::clock::now()).unwrap()).await;
        let runner = Scripted { panic_on: Some(9), ..Scripted::default() };
        let settings = WorkerSettings { retry_base: Duration::from_secs(3600), ..fast_worker(1) };
        let (stop, worker) = start(&app, runner.clone(), settings, Duration::from_secs(1));
        wait_until("the failure to be recorded", async || {
            job_rows(&app).await["summarize:9"].2.is_some()
        })
        .await;
        stop.send(true).unwrap();
        worker.await.unwrap();
        let (status, attempts, error) = job_rows(&app).await["summarize:9"].clone();
        assert_eq!((status.as_str(), attempts), ("queued", 1));
        assert!(error.unwrap().contains("job panicked: job 9 exploded"));
    }

    async fn a_stopping_worker_hands_unfinished_jobs_back(app: TestApp) {
        app.with_conn(|conn| enqueue(conn, &job(11), frontdesk::clock::now()).unwrap()).await;
        let runner = Scripted { hang: true, ..Scripted::default() };
        let (stop, worker) = start(&app, runner.clone(), fast_worker(1), Duration::from_millis(100));
        wait_until("the job to start", async || !runner.runs.lock().unwrap().is_empty()).await;
        stop.send(true).unwrap();
        worker.await.unwrap();
        let (status, _, _) = job_rows(&app).await["summarize:11"].clone();
        assert_eq!(status, "queued", "claimable again by the next worker");
    }

    async fn several_workers_run_every_job_exactly_once(app: TestApp) {
        let total = 300;
        app.with_conn(move |conn| {
            let now = frontdesk::clock::now();
            for n in 0..total {
                enqueue(conn, &job(n), now).unwrap();
            }
        })
        .await;
        let runner = Scripted::default();
        let workers: Vec<_> = (0..4).map(|_| start(&app, runner.clone(), fast_worker(4), Duration::from_secs(1))).collect();
        wait_until("every job to finish", async || {
            let rows = job_rows(&app).await;
            rows.iter().filter(|(key, _)| key.starts_with("summarize:")).all(|(_, (status, _, _))| status == "done")
        })
        .await;
        for (stop, worker) in workers {
            stop.send(true).unwrap();
            worker.await.unwrap();
        }
        let runs = runner.runs.lock().unwrap().clone();
        let mut counts: HashMap<JobId, usize> = HashMap::new();
        for id in runs {
            *counts.entry(id).or_default() += 1;
        }
        assert_eq!(counts.len(), total as usize);
        assert!(counts.values().all(|&n| n == 1), "a job ran twice");
    }

    async fn a_captured_lead_is_emailed_once_when_the_call_ends(app: TestApp) {
        let smtp = SmtpServer::start().await;
        TenantToml::always_open().import(&app).await;
        let call = place_call(
            &app,
            TENANT_NUMBER,
            CALLER,
            &["I'd like to leave a message", "Jane Doe", "yes", "no", "a quote for a crown", "yes", "bye"],
        )
        .await;
        let (stop, worker) = start(&app, handlers(&app, &smtp.url()), fast_worker(2), Duration::from_secs(2));
        let received = smtp.wait_for(2).await;
        // Twilio repeats the final status: nothing more is sent.
        let mut raw = common::calls::RawCall::new(&app, TENANT_NUMBER, CALLER);
        raw.sid = call.call_sid.clone();
        assert_eq!(raw.status("completed").await.0, 204);
        tokio::time::sleep(Duration::from_millis(300)).await;
        stop.send(true).unwrap();
        worker.await.unwrap();
        assert_eq!(smtp.received().len(), 2, "one lead email and one summary, no duplicates");
        let lead_mail = received.iter().find(|m| m.data.contains("Message-ID: <lead-email.")).expect("lead email");
        assert!(lead_mail.data.contains("Jane Doe"), "{}", lead_mail.data);
        assert!(lead_mail.data.contains("(555) 765-4321"), "{}", lead_mail.data);
        assert!(lead_mail.recipients.iter().any(|r| r.contains('@')));
        let summary_mail = received.iter().find(|m| m.data.contains("Message-ID: <summary-email.")).expect("summary email");
        assert!(summary_mail.data.contains("Subject: [Sunny Dental] Call summary"), "{}", summary_mail.data);
    }

    async fn a_lead_email_waits_for_the_mail_server_and_arrives_once(app: TestApp) {
        let port = reserve_port();
        let url = format!("smtp://127.0.0.1:{port}?tls=none");
        TenantToml::always_open().setting("send_call_summaries = false").import(&app).await;
        place_call(
            &app,
            TENANT_NUMBER,
            CALLER,
            &["I'd like to leave a message", "Jane Doe", "yes", "no", "a quote for a crown", "yes", "bye"],
        )
        .await;
        let (stop, worker) = start(&app, handlers(&app, &url), fast_worker(2), Duration::from_secs(2));
        wait_until("a failed delivery attempt", async || {
            job_rows(&app).await.get("lead-email:1").is_some_and(|(_, attempts, error)| *attempts >= 1 && error.is_some())
        })
        .await;
        let smtp = SmtpServer::start_on(port, SmtpReplies::default()).await;
        let received = smtp.wait_for(1).await;
        wait_until("the job to be done", async || job_rows(&app).await["lead-email:1"].0 == "done").await;
        stop.send(true).unwrap();
        worker.await.unwrap();
        assert_eq!(smtp.received().len(), 1);
        assert!(received[0].data.contains("Jane Doe"));
    }

    async fn the_purge_deletes_only_what_is_past_each_tenants_retention(app: TestApp) {
        TenantToml::always_open().setting("retention_days = 30").import(&app).await;
        let old = place_call(
            &app,
            TENANT_NUMBER,
            CALLER,
            &["I'd like to leave a message", "Jane Doe", "yes", "no", "a quote for a crown", "yes", "bye"],
        )
        .await;
        let recent = place_call(&app, TENANT_NUMBER, "+15550001111", &["do you take walk-ins", "bye"]).await;
        let (old_sid, recent_sid) = (old.call_sid.clone(), recent.call_sid.clone());
        let counts = app
            .with_conn(move |conn| {
                use frontdesk::schema::{call_turns, calls, leads};
                let long_ago = frontdesk::clock::now() - chrono::Duration::days(31);
                diesel::update(calls::table.filter(calls::call_sid.eq(&old_sid)))
                    .set((calls::started_at.eq(long_ago), calls::summary.eq("old summary")))
                    .execute(conn)
                    .unwrap();
                diesel::update(leads::table).set(leads::created_at.eq(long_ago)).execute(conn).unwrap();
                // Many more old calls than one batch deletes.
                let (tenant_id, to): (i64, String) = calls::table
                    .filter(calls::call_sid.eq(&old_sid))
                    .select((calls::tenant_id, calls::to_number))
                    .first(conn)
                    .unwrap();
                for n in 0..(2 * frontdesk::retention::BATCH + 50) {
                    diesel::insert_into(calls::table)
                        .values((
                            calls::tenant_id.eq(tenant_id),
                            calls::call_sid.eq(format!("CAold{n:030}")),
                            calls::from_number.eq(CALLER),
                            calls::to_number.eq(&to),
                            calls::state.eq("ended"),
                            calls::status.eq("completed"),
                            calls::memory.eq("{}"),
                            calls::turn_count.eq(2),
                            calls::started_at.eq(long_ago),
                            calls::ended_at.eq(Some(long_ago)),
                            calls::updated_at.eq(long_ago),
                        ))
                        .execute(conn)
                        .unwrap();
                }
                let purged = frontdesk::retention::purge(conn, frontdesk::clock::now()).unwrap();
                let turns_of = |conn: &mut frontdesk::db::DbConnection, sid: &str| -> i64 {
                    call_turns::table
                        .inner_join(calls::table)
                        .filter(calls::call_sid.eq(sid))
                        .count()
                        .get_result(conn)
                        .unwrap()
                };
                let recent_turns = turns_of(conn, &recent_sid);
                let turns_left: i64 = call_turns::table.count().get_result(conn).unwrap();
                let leads_left: i64 = leads::table.count().get_result(conn).unwrap();
                let calls_left: Vec<String> = calls::table.select(calls::call_sid).load(conn).unwrap();
                (purged, recent_turns, turns_left, leads_left, calls_left)
            })
            .await;
        let (purged, recent_turns, turns_left, leads_left, calls_left) = counts;
        assert_eq!(purged.calls as i64, 2 * frontdesk::retention::BATCH + 51);
        assert_eq!(purged.leads, 1);
        assert_eq!(calls_left, vec![recent.call_sid], "the old call is deleted, with its caller's number");
        assert!(recent_turns > 0 && turns_left == recent_turns, "only the recent transcript stays");
        assert_eq!(leads_left, 0);
    }

    async fn the_last_week_is_kept_whatever_the_retention(app: TestApp) {
        TenantToml::always_open().setting("retention_days = 1").import(&app).await;
        let call = place_call(&app, TENANT_NUMBER, CALLER, &["do you take walk-ins", "bye"]).await;
        let sid = call.call_sid.clone();
        let (purged, calls_left) = app
            .with_conn(move |conn| {
                use frontdesk::schema::calls;
                // Three days old: past the retention, inside the week a
                // message email may still be retried.
                diesel::update(calls::table.filter(calls::call_sid.eq(&sid)))
                    .set(calls::started_at.eq(frontdesk::clock::now() - chrono::Duration::days(3)))
                    .execute(conn)
                    .unwrap();
                let purged = frontdesk::retention::purge(conn, frontdesk::clock::now()).unwrap();
                (purged, calls::table.count().get_result::<i64>(conn).unwrap())
            })
            .await;
        assert_eq!(purged.calls, 0);
        assert_eq!(calls_left, 1);
    }

    async fn a_tenant_without_retention_keeps_everything(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        place_call(&app, TENANT_NUMBER, CALLER, &["do you take walk-ins", "bye"]).await;
        let (purged, turns) = app
            .with_conn(|conn| {
                use frontdesk::schema::{call_turns, calls};
                diesel::update(calls::table)
                    .set(calls::started_at.eq(frontdesk::clock::now() - chrono::Duration::days(3650)))
                    .execute(conn)
                    .unwrap();
                let purged = frontdesk::retention::purge(conn, frontdesk::clock::now()).unwrap();
                (purged, call_turns::table.count().get_result::<i64>(conn).unwrap())
            })
            .await;
        assert_eq!((purged.calls, purged.leads), (0, 0));
        assert!(turns > 0);
    }
}

fn handlers(app: &TestApp, smtp_url: &str) -> Handlers {
    let config = common::test_config(
        &app.config.database_url.redacted(),
        &[("SMTP_URL", smtp_url)],
    );
    Handlers {
        pool: app.pool.clone(),
        brain: std::sync::Arc::new(frontdesk::ai::RulesBrain),
        mailer: Mailer::from_config(&config).unwrap(),
        config: app.config.clone(),
    }
}
