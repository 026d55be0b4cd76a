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
use frontdesk::jobs::operator::{self, Retried};
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
    sleep: Option<Duration>,
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
        if let Some(sleep) = self.sleep {
            tokio::time::sleep(sleep).await;
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

/// A runner whose jobs take a while, counting how many run at once.
#[derive(Clone, Default)]
struct Counting {
    now: Arc<std::sync::atomic::AtomicUsize>,
    most: Arc<std::sync::atomic::AtomicUsize>,
    done: Arc<std::sync::atomic::AtomicUsize>,
}

impl JobRunner for Counting {
    async fn run(&self, _job: ClaimedJob) -> Result<(), JobError> {
        use std::sync::atomic::Ordering::SeqCst;
        let running = self.now.fetch_add(1, SeqCst) + 1;
        self.most.fetch_max(running, SeqCst);
        tokio::time::sleep(Duration::from_millis(50)).await;
        self.now.fetch_sub(1, SeqCst);
        self.done.fetch_add(1, SeqCst);
        Ok(())
    }
}

async fn enqueue_many(app: &TestApp, from: i64, count: i64) {
    app.with_conn(move |conn| {
        let now = frontdesk::clock::now();
        for n in from..from + count {
            enqueue(conn, &job(n), now).unwrap();
        }
    })
    .await;
}

backend_tests! {
    async fn while_turns_are_in_flight_the_in_process_worker_sends_only_lead_emails_a_few_at_once(app: TestApp) {
        use std::sync::atomic::Ordering::SeqCst;
        let turns = frontdesk::receptionist::in_flight::TurnsInFlight::default();
        let runner = Counting::default();
        let caller_waiting = turns.enter();
        enqueue_many(&app, 1, 40).await;
        app.with_conn(|conn| {
            let now = frontdesk::clock::now();
            for n in 1..=40 {
                let lead = JobKind::LeadNotification { tenant_id: TenantId(1), lead_id: frontdesk::ids::LeadId(n) };
                enqueue(conn, &lead, now).unwrap();
            }
        })
        .await;
        let (stop, stopped) = watch::channel(false);
        let worker = Worker::new(app.pool.clone(), runner.clone(), fast_worker(32)).yielding_to(turns.clone());
        let worker = tokio::spawn(worker.run(stopped, Duration::from_secs(1)));
        wait_until("the 40 lead emails", async || runner.done.load(SeqCst) == 40).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let most_while_busy = runner.most.swap(0, SeqCst);
        assert!((1..=8).contains(&most_while_busy), "{most_while_busy} at once while a caller waited");
        let statuses: Vec<(String, String)> = app
            .with_conn(|conn| jobs::table.select((jobs::kind, jobs::status)).load(conn).unwrap())
            .await;
        assert!(statuses.iter().all(|(kind, status)| (kind == "lead_notification") == (status == "done")), "{statuses:?}");

        drop(caller_waiting);
        wait_until("the 40 summaries", async || runner.done.load(SeqCst) == 80).await;
        let most_when_idle = runner.most.load(SeqCst);
        assert!(most_when_idle > 8, "only {most_when_idle} at once with no caller waiting");
        stop.send(true).unwrap();
        worker.await.unwrap();
    }

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

    async fn a_failing_lead_email_retries_for_five_days_then_dies_with_its_error(app: TestApp) {
        let (first_run, retry_delays, died_at) = app
            .with_conn(|conn| {
                let first_run = frontdesk::clock::now();
                let mut now = first_run;
                enqueue(conn, &JobKind::LeadNotification { tenant_id: TenantId(1), lead_id: frontdesk::ids::LeadId(1) }, now).unwrap();
                let base = Duration::from_secs(60);
                let mut delays = Vec::new();
                for n in 0.. {
                    let claimed = queue::claim(conn, &format!("w1#{n}"), 1, now).unwrap();
                    let job = claimed.first().expect("the job is claimable once due");
                    assert!(queue::claim(conn, &format!("w2#{n}"), 1, now).unwrap().is_empty(), "no one else can claim it");
                    match queue::fail(conn, job, "451 mail server busy", false, base, now).unwrap() {
                        Some(Failure::RetryAt(at)) => {
                            assert!(queue::claim(conn, "w1#early", 1, now).unwrap().is_empty(), "not before its time");
                            delays.push((at - now).num_seconds());
                            now = at;
                        }
                        Some(Failure::Dead) => break,
                        None => panic!("the claim holds the job"),
                    }
                }
                (first_run, delays, now)
            })
            .await;
        assert_eq!(died_at - first_run, chrono::Duration::days(5), "tried until the end of the window");
        assert!(retry_delays[0] < 90, "the first retry comes soon: {retry_delays:?}");
        assert!(retry_delays[..5].windows(2).all(|w| w[1] > w[0]), "backoff grows: {retry_delays:?}");
        assert!(retry_delays.iter().all(|&d| d <= 36 * 60), "capped at half an hour (with jitter)");
        let rows = job_rows(&app).await;
        let (status, attempts, error) = &rows["lead-email:1"];
        assert_eq!((status.as_str(), *attempts as usize), ("dead", retry_delays.len() + 1));
        assert_eq!(error.as_deref(), Some("451 mail server busy"), "a dead job is kept with its error");
    }

    async fn a_permanent_failure_is_dead_at_once(app: TestApp) {
        app.with_conn(|conn| {
            let now = frontdesk::clock::now();
            enqueue(conn, &job(3), now).unwrap();
            let claimed = queue::claim(conn, "w1", 1, now).unwrap();
            let failure = queue::fail(conn, &claimed[0], "550 no such mailbox", true, Duration::from_secs(60), now);
            assert_eq!(failure.unwrap(), Some(Failure::Dead));
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

    async fn a_stale_run_can_neither_renew_complete_nor_fail_the_new_run(app: TestApp) {
        app.with_conn(|conn| {
            let now = frontdesk::clock::now();
            enqueue(conn, &job(21), now).unwrap();
            let stale = queue::claim(conn, "w1#1", 1, now).unwrap().remove(0);
            let later = now + chrono::Duration::seconds(301);
            assert_eq!(queue::rescue_expired(conn, Duration::from_secs(300), later).unwrap(), 1);
            // The same worker claims it again: a new claim, a new token.
            let fresh = queue::claim(conn, "w1#2", 1, later).unwrap().remove(0);
            assert_eq!((fresh.id, fresh.attempts), (stale.id, 2));
            assert!(queue::renew(conn, &[stale.id], &stale.locked_by, later).unwrap().is_empty());
            assert!(!queue::complete(conn, stale.id, &stale.locked_by, later).unwrap());
            let failed = queue::fail(conn, &stale, "late failure", false, Duration::from_secs(60), later);
            assert_eq!(failed.unwrap(), None, "a stale failure is dropped");
            assert_eq!(queue::renew(conn, &[fresh.id], &fresh.locked_by, later).unwrap(), vec![fresh.id]);
            assert!(queue::complete(conn, fresh.id, &fresh.locked_by, later).unwrap());
        })
        .await;
        let (status, attempts, _) = job_rows(&app).await["summarize:21"].clone();
        assert_eq!((status.as_str(), attempts), ("done", 2));
    }

    async fn a_job_that_outlives_its_lease_keeps_it_and_runs_once(app: TestApp) {
        app.with_conn(|conn| enqueue(conn, &job(22), frontdesk::clock::now()).unwrap()).await;
        let runner = Scripted { sleep: Some(Duration::from_millis(2500)), ..Scripted::default() };
        let short_lease = WorkerSettings { lease: Duration::from_millis(600), ..fast_worker(2) };
        // Two workers, each rescuing expired leases every 600 ms.
        let workers: Vec<_> = (0..2)
            .map(|_| start(&app, runner.clone(), short_lease.clone(), Duration::from_secs(1)))
            .collect();
        wait_until("the job to be done", async || job_rows(&app).await["summarize:22"].0 == "done").await;
        for (stop, worker) in workers {
            stop.send(true).unwrap();
            worker.await.unwrap();
        }
        assert_eq!(runner.runs.lock().unwrap().len(), 1, "it ran once, though it ran four leases long");
        assert_eq!(job_rows(&app).await["summarize:22"].1, 1, "and was never rescued");
    }

    async fn a_batch_claim_never_hands_one_job_to_two_workers(app: TestApp) {
        let total = 400;
        app.with_conn(move |conn| {
            let now = frontdesk::clock::now();
            for n in 0..total {
                enqueue(conn, &job(n), now).unwrap();
            }
        })
        .await;
        let claimers = (0..3).map(|worker| {
            let pool = app.pool.clone();
            tokio::spawn(async move {
                let mut mine = Vec::new();
                for batch in 0.. {
                    let claim = format!("w{worker}#{batch}");
                    let claimed = frontdesk::db::run_write(&pool, move |conn| {
                        write_transaction(conn, |conn| queue::claim(conn, &claim, 7, frontdesk::clock::now()))
                            .map_err(frontdesk::db::DbError::from)
                    })
                    .await
                    .unwrap();
                    if claimed.is_empty() {
                        return mine;
                    }
                    assert!(claimed.len() <= 7);
                    mine.extend(claimed.into_iter().map(|job| job.id));
                }
                mine
            })
        });
        let mut claimed: Vec<JobId> = Vec::new();
        for claimer in claimers.collect::<Vec<_>>() {
            claimed.extend(claimer.await.unwrap());
        }
        let distinct: std::collections::HashSet<JobId> = claimed.iter().copied().collect();
        assert_eq!(claimed.len(), total as usize, "every job was claimed once");
        assert_eq!(distinct.len(), total as usize, "no job was claimed twice");
    }

    async fn a_failed_job_is_listed_with_its_error_and_an_operator_can_requeue_it(app: TestApp) {
        let (dead, failing) = app
            .with_conn(|conn| {
                let now = frontdesk::clock::now();
                enqueue(conn, &job(31), now).unwrap();
                enqueue(conn, &job(32), now).unwrap();
                enqueue(conn, &job(33), now).unwrap();
                let claimed = queue::claim(conn, "w#1", 3, now).unwrap();
                let base = Duration::from_secs(60);
                queue::fail(conn, &claimed[0], "the call is gone", true, base, now).unwrap();
                queue::fail(conn, &claimed[1], "LLM timed out", false, base, now).unwrap();
                assert!(queue::complete(conn, claimed[2].id, "w#1", now).unwrap());
                (claimed[0].id, claimed[1].id)
            })
            .await;
        let (counts, (failed, total)) = app
            .with_conn(|conn| (operator::counts(conn).unwrap(), operator::failed(conn, 10).unwrap()))
            .await;
        let count_of = |status: &str| counts.iter().find(|c| c.kind == "summarize_call" && c.status == status).map(|c| c.count);
        assert_eq!((count_of("dead"), count_of("queued"), count_of("done")), (Some(1), Some(1), Some(1)));
        assert_eq!(total, 2);
        assert_eq!((failed[0].id, failed[0].status.as_str()), (dead, "dead"), "dead jobs come first");
        assert_eq!(failed[0].last_error.as_deref(), Some("the call is gone"));
        assert_eq!((failed[1].id, failed[1].last_error.as_deref()), (failing, Some("LLM timed out")));

        let (retried, again, done, missing) = app
            .with_conn(move |conn| {
                let now = frontdesk::clock::now();
                let retried = operator::retry(conn, dead, now).unwrap();
                let again = queue::claim(conn, "w#2", 10, now).unwrap();
                let done: JobId = jobs::table.filter(jobs::status.eq("done")).select(jobs::id).first(conn).unwrap();
                (retried, again, operator::retry(conn, done, now).unwrap(), operator::retry(conn, JobId(999), now).unwrap())
            })
            .await;
        assert_eq!(retried, Retried::Requeued);
        assert_eq!(again.len(), 1, "only the requeued job is due now (the failing one waits its backoff)");
        assert_eq!((again[0].id, again[0].attempts), (dead, 2), "the attempt count is kept");
        assert!(again[0].give_up_at > frontdesk::clock::now() + chrono::Duration::hours(23), "a fresh window");
        assert_eq!(done, Retried::NotRetryable { status: "done".to_owned() });
        assert_eq!(missing, Retried::NotFound);
    }

    async fn retrying_every_dead_job_skips_one_whose_work_is_already_pending(app: TestApp) {
        let results = app
            .with_conn(|conn| {
                let now = frontdesk::clock::now();
                for n in [41, 42] {
                    enqueue(conn, &job(n), now).unwrap();
                }
                for job in queue::claim(conn, "w#1", 2, now).unwrap() {
                    queue::fail(conn, &job, "permanent", true, Duration::from_secs(60), now).unwrap();
                }
                // The same work was enqueued again since (a repeated callback).
                enqueue(conn, &job(42), now).unwrap();
                operator::retry_dead(conn, now).unwrap()
            })
            .await;
        let outcomes: Vec<Retried> = results.into_iter().map(|(_, retried)| retried).collect();
        assert_eq!(
            outcomes,
            vec![Retried::Requeued, Retried::Duplicate { key: "summarize:42".to_owned() }]
        );
        let rows = app
            .with_conn(|conn| jobs::table.filter(jobs::status.eq("dead")).count().get_result::<i64>(conn).unwrap())
            .await;
        assert_eq!(rows, 1, "the duplicate stays dead, to be seen");
    }

    async fn readiness_reports_how_long_the_oldest_due_job_has_waited(app: TestApp) {
        let body = app.get("/readyz").await.text().await.unwrap();
        assert!(body.contains("jobs_oldest_due_seconds 0"), "{body}");
        app.with_conn(|conn| {
            let now = frontdesk::clock::now();
            frontdesk::jobs::enqueue_at(conn, &job(51), now, now - chrono::Duration::seconds(300)).unwrap();
            frontdesk::jobs::enqueue_at(conn, &job(52), now, now + chrono::Duration::seconds(900)).unwrap();
        })
        .await;
        let response = app.get("/readyz").await;
        assert_eq!(response.status(), 200, "a backlog does not make an instance unready");
        let body = response.text().await.unwrap();
        let waited: i64 = body
            .lines()
            .find_map(|line| line.strip_prefix("jobs_oldest_due_seconds "))
            .unwrap()
            .parse()
            .unwrap();
        assert!((300..400).contains(&waited), "{body}");
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

    async fn the_daily_purge_forgets_dead_sessions_and_old_sign_in_attempts(app: TestApp) {
        use frontdesk::schema::{login_attempts, sessions};
        let now = frontdesk::clock::now();
        app.with_conn(move |conn| {
            for (key, last_seen, expires) in [
                ("idle", now - chrono::Duration::hours(1), now - chrono::Duration::minutes(30)),
                ("alive", now, now + chrono::Duration::minutes(30)),
            ] {
                diesel::insert_into(sessions::table)
                    .values((
                        sessions::key_hash.eq(key),
                        sessions::state.eq("{}"),
                        sessions::created_at.eq(last_seen),
                        sessions::last_seen_at.eq(last_seen),
                        sessions::expires_at.eq(expires),
                    ))
                    .execute(conn)
                    .unwrap();
            }
            for (email, at) in [("old@x.example", now - chrono::Duration::days(2)), ("new@x.example", now)] {
                diesel::insert_into(login_attempts::table)
                    .values((
                        login_attempts::email.eq(email),
                        login_attempts::ip.eq("192.0.2.1"),
                        login_attempts::succeeded.eq(false),
                        login_attempts::attempted_at.eq(at),
                    ))
                    .execute(conn)
                    .unwrap();
            }
            enqueue(conn, &JobKind::PurgeExpired, now).unwrap();
        })
        .await;
        let (stop, worker) = start(&app, handlers(&app, "smtp://127.0.0.1:1?tls=none"), fast_worker(1), Duration::from_secs(2));
        wait_until("the purge is done", async || {
            app.with_conn(|conn| {
                jobs::table
                    .filter(jobs::kind.eq("purge_expired"))
                    .filter(jobs::status.eq("done"))
                    .count()
                    .get_result::<i64>(conn)
                    .unwrap()
            })
            .await
                > 0
        })
        .await;
        stop.send(true).unwrap();
        worker.await.unwrap();
        let (keys, emails) = app
            .with_conn(|conn| {
                let keys: Vec<String> = sessions::table.select(sessions::key_hash).load(conn).unwrap();
                let emails: Vec<String> = login_attempts::table.select(login_attempts::email).load(conn).unwrap();
                (keys, emails)
            })
            .await;
        assert_eq!(keys, vec!["alive".to_owned()]);
        assert_eq!(emails, vec!["new@x.example".to_owned()]);
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
    Handlers::new(
        app.pool.clone(),
        Mailer::from_config(&config).unwrap(),
        app.config.clone(),
        std::sync::Arc::new(frontdesk::ai::RulesBrain),
    )
}
