//! Job queue throughput: jobs per second through enqueue → claim → run (a
//! no-op, or `--job-ms` of waiting, as a mail send waits on its server) →
//! done, with the real `Worker`, on SQLite and PostgreSQL.
//!
//!     cargo run --release --example jobbench -- \
//!         --postgres postgres://postgres@127.0.0.1:5432/postgres
//!     cargo run --release --example jobbench -- --job-ms 20 --concurrency 32
//!
//! Each worker gets its own connection pool, as a separate `frontdesk worker`
//! process would. Workers run while the jobs are enqueued one statement at a
//! time (as calls end), so "end-to-end" is from the first enqueue until every
//! job is `done`. PostgreSQL runs use a scratch database, `frontdesk_jobbench`,
//! dropped afterwards.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use clap::Parser;
use diesel::prelude::*;
use frontdesk::config::{Config, WorkerSettings};
use frontdesk::db::DbPool;
use frontdesk::ids::{CallId, TenantId};
use frontdesk::jobs::handlers::{JobError, JobRunner};
use frontdesk::jobs::queue::ClaimedJob;
use frontdesk::jobs::worker::Worker;
use frontdesk::jobs::{JobKind, enqueue};
use frontdesk::schema::jobs;
use tokio::sync::watch;

const SCRATCH_DATABASE: &str = "frontdesk_jobbench";

#[derive(Parser)]
struct Args {
    /// A PostgreSQL URL with the right to create databases.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    postgres: String,
    /// Skip the PostgreSQL runs.
    #[arg(long)]
    sqlite_only: bool,
    /// Jobs per run.
    #[arg(long, default_value_t = 5_000)]
    jobs: i64,
    /// Worker counts to run, each on the two backends.
    #[arg(long, value_delimiter = ',', default_value = "1,4")]
    workers: Vec<usize>,
    /// Jobs one worker runs at once.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// How often an idle worker polls, in milliseconds.
    #[arg(long, default_value_t = 5)]
    poll_ms: u64,
    /// Connections in each worker's pool.
    #[arg(long, default_value_t = 8)]
    pool_size: u32,
    /// How long each job waits (an I/O-bound job such as a mail send);
    /// 0 runs a no-op.
    #[arg(long, default_value_t = 0)]
    job_ms: u64,
    /// Enqueue every job before starting the workers, to time the two
    /// halves apart ("end-to-end" is then the workers' drain alone).
    #[arg(long)]
    prefill: bool,
}

/// Runs nothing but a wait: the benchmark measures the queue, not the jobs.
struct Waits(Duration);

impl JobRunner for Waits {
    async fn run(&self, _job: ClaimedJob) -> Result<(), JobError> {
        if !self.0.is_zero() {
            tokio::time::sleep(self.0).await;
        }
        Ok(())
    }
}

struct Run {
    backend: &'static str,
    workers: usize,
    jobs: i64,
    enqueue: Duration,
    total: Duration,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .init();
    let args = Args::parse();
    let settings = WorkerSettings {
        concurrency: args.concurrency,
        poll_interval: Duration::from_millis(args.poll_ms),
        lease: Duration::from_secs(300),
        retry_base: Duration::from_secs(60),
        in_process: false,
    };
    println!(
        "{} jobs per run, each {}; each worker: concurrency {}, poll {} ms, pool of {} connections{}",
        args.jobs,
        if args.job_ms == 0 {
            "a no-op".to_owned()
        } else {
            format!("waiting {} ms", args.job_ms)
        },
        args.concurrency,
        args.poll_ms,
        args.pool_size,
        if args.prefill {
            "; enqueued before the workers start (end-to-end = drain)"
        } else {
            ""
        }
    );
    let mut runs = Vec::new();
    for &workers in &args.workers {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}", dir.path().join("jobbench.db").display());
        runs.push(run("sqlite", &url, workers, &args, &settings).await?);
    }
    if !args.sqlite_only {
        for &workers in &args.workers {
            let url = recreate_scratch_database(&args.postgres)?;
            let result = run("postgres", &url, workers, &args, &settings).await;
            drop_scratch_database(&args.postgres)?;
            runs.push(result?);
        }
    }
    println!();
    println!(
        "{:<9} {:>7} {:>6} {:>14} {:>18}",
        "backend", "workers", "jobs", "enqueue jobs/s", "end-to-end jobs/s"
    );
    for r in &runs {
        println!(
            "{:<9} {:>7} {:>6} {:>14.0} {:>18.0}",
            r.backend,
            r.workers,
            r.jobs,
            r.jobs as f64 / r.enqueue.as_secs_f64(),
            r.jobs as f64 / r.total.as_secs_f64(),
        );
    }
    Ok(())
}

fn config(url: &str, pool_size: u32) -> Config {
    let vars = HashMap::from([
        ("DATABASE_URL", url.to_owned()),
        ("FRONTDESK_DB_POOL_SIZE", pool_size.to_string()),
    ]);
    Config::from_vars(|name| vars.get(name).cloned()).expect("benchmark configuration")
}

async fn run(
    backend: &'static str,
    url: &str,
    workers: usize,
    args: &Args,
    settings: &WorkerSettings,
) -> anyhow::Result<Run> {
    let config = config(url, args.pool_size);
    let producer = open(&config).await?;
    let (stop, stopped) = watch::channel(false);
    let mut pools = Vec::new();
    for _ in 0..workers {
        pools.push(open(&config).await?);
    }
    let mut running = Vec::new();
    let mut start_workers = || {
        for pool in pools.drain(..) {
            let worker = Worker::new(
                pool,
                Waits(Duration::from_millis(args.job_ms)),
                settings.clone(),
            );
            running.push(tokio::spawn(
                worker.run(stopped.clone(), Duration::from_secs(5)),
            ));
        }
    };
    if !args.prefill {
        start_workers();
    }

    let count = args.jobs;
    let mut started = Instant::now();
    let enqueueing = {
        let producer = producer.clone();
        tokio::task::spawn_blocking(move || -> anyhow::Result<Duration> {
            let mut conn = producer.get()?;
            for i in 0..count {
                let job = JobKind::SummarizeCall {
                    tenant_id: TenantId(1),
                    call_id: CallId(i),
                };
                anyhow::ensure!(
                    enqueue(&mut conn, &job, frontdesk::clock::now())?,
                    "job {i} was not enqueued"
                );
            }
            Ok(started.elapsed())
        })
    };
    let enqueue_time = enqueueing.await??;
    if args.prefill {
        start_workers();
        started = Instant::now();
    }
    let total = loop {
        let pool = producer.clone();
        let done = tokio::task::spawn_blocking(move || -> anyhow::Result<i64> {
            Ok(jobs::table
                .filter(jobs::status.eq("done"))
                .filter(jobs::kind.eq("summarize_call"))
                .count()
                .get_result(&mut pool.get()?.conn)?)
        })
        .await??;
        if done >= count {
            break started.elapsed();
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(600),
            "{backend}: only {done} of {count} jobs done after 10 minutes"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    stop.send(true)?;
    for worker in running {
        worker.await?;
    }
    eprintln!(
        "{backend}, {workers} worker(s): enqueued in {:.2} s, all done in {:.2} s",
        enqueue_time.as_secs_f64(),
        total.as_secs_f64()
    );
    Ok(Run {
        backend,
        workers,
        jobs: count,
        enqueue: enqueue_time,
        total,
    })
}

async fn open(config: &Config) -> anyhow::Result<DbPool> {
    let config = config.clone();
    tokio::task::spawn_blocking(move || frontdesk::server::open_database(&config)).await?
}

fn recreate_scratch_database(admin_url: &str) -> anyhow::Result<String> {
    drop_scratch_database(admin_url)?;
    let mut admin = PgConnection::establish(admin_url)?;
    diesel::sql_query(format!("CREATE DATABASE {SCRATCH_DATABASE}")).execute(&mut admin)?;
    Ok(replace_database(admin_url, SCRATCH_DATABASE))
}

fn drop_scratch_database(admin_url: &str) -> anyhow::Result<()> {
    let mut admin = PgConnection::establish(admin_url)?;
    diesel::sql_query(format!(
        "DROP DATABASE IF EXISTS {SCRATCH_DATABASE} WITH (FORCE)"
    ))
    .execute(&mut admin)?;
    Ok(())
}

/// `postgres://user@host:port/db?x` with the database name replaced.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}
