//! Start-up: connect, migrate, seed on first run, then serve.

use std::sync::Arc;

use crate::app::{AppState, Application};
use crate::config::Config;
use crate::db::{self, DbPool};
use crate::jobs::handlers::Handlers;
use crate::jobs::worker::Worker;
use crate::mail::Mailer;

/// Connects and migrates; a URL that cannot connect fails here with the
/// driver's reason.
pub fn open_database(config: &Config) -> anyhow::Result<DbPool> {
    let (pool, applied) = db::connect_pool(
        &config.database_url,
        config.db_pool_size,
        config.db_timeouts,
    )?;
    if applied > 0 {
        tracing::info!(
            applied,
            backend = config.database_url.backend().name(),
            "applied database migrations"
        );
    }
    Ok(pool)
}

pub fn migrate_only(config: &Config) -> anyhow::Result<()> {
    open_database(config)?;
    println!("database {} is up to date", config.database_url);
    Ok(())
}

pub async fn serve(config: Config) -> anyhow::Result<()> {
    let db_config = config.clone();
    let pool = tokio::task::spawn_blocking(move || open_database(&db_config)).await??;
    let seeded = {
        let pool = pool.clone();
        let public_url = config.public_url.clone();
        tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
            let mut conn = pool.get()?;
            crate::tenants::seed::seed_first_run(&mut conn, &public_url)
        })
        .await??
    };
    if let Some(report) = seeded {
        println!("{report}");
    }
    let config = Arc::new(config);
    let state = {
        let config = config.clone();
        tokio::task::spawn_blocking(move || AppState::new(config, pool)).await??
    };
    let pool = state.db.clone();
    let app = Application::build(state)?;
    tracing::info!(address = %app.local_addr(), "frontdesk is listening");
    let worker = match config.worker.in_process {
        true => Some(start_worker(&config, pool)?),
        false => None,
    };
    // actix handles SIGTERM/SIGINT: it stops accepting, lets in-flight
    // requests finish, then returns; the worker stops after it.
    let served = app.run().await;
    if let Some((stop, worker)) = worker {
        let _ = stop.send(true);
        let _ = worker.await;
    }
    served?;
    tracing::info!("frontdesk stopped");
    Ok(())
}

/// Starts the in-process job worker; send `true` to stop it.
fn start_worker(
    config: &Arc<Config>,
    pool: DbPool,
) -> anyhow::Result<(
    tokio::sync::watch::Sender<bool>,
    tokio::task::JoinHandle<()>,
)> {
    let mailer = Mailer::from_config(config)?;
    let handlers = Handlers {
        pool: pool.clone(),
        brain: crate::ai::configured(config)?,
        mailer,
        config: config.clone(),
    };
    let worker = Worker::new(pool, handlers, config.worker.clone());
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let grace = config.shutdown_grace;
    Ok((stop, tokio::spawn(worker.run(stopped, grace))))
}

/// `frontdesk worker`: only the job worker, until SIGTERM or Ctrl-C.
pub async fn work(config: Config) -> anyhow::Result<()> {
    let config = Arc::new(config);
    let db_config = config.clone();
    let pool = tokio::task::spawn_blocking(move || open_database(&db_config)).await??;
    let (stop, worker) = start_worker(&config, pool)?;
    shutdown_signal().await;
    let _ = stop.send(true);
    worker.await?;
    Ok(())
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
