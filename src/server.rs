//! Start-up: connect, migrate, seed on first run, warn about settings that
//! will fail in production, then serve.

use std::path::PathBuf;
use std::sync::Arc;

use crate::app::{AppState, Application};
use crate::config::Config;
use crate::db::{self, ConnectionManager, DatabaseUrl, DbConnection, DbPool, DbSetupError};
use crate::jobs::handlers::Handlers;
use crate::jobs::worker::Worker;
use crate::mail::Mailer;
use crate::receptionist::in_flight::TurnsInFlight;
use crate::tenants::seed;

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

/// A connection to a database a server already uses, for tools that only
/// read it (`frontdesk call`): never creates a database or migrates one. A
/// missing SQLite file fails with [`NoDatabase`].
pub fn open_existing_database(config: &Config) -> anyhow::Result<DbConnection> {
    if let DatabaseUrl::Sqlite(path) = &config.database_url
        && !path.exists()
    {
        return Err(NoDatabase(path.clone()).into());
    }
    let mut conn = ConnectionManager::new(config.database_url.clone(), config.db_timeouts)
        .establish()
        .map_err(|reason| DbSetupError::Connect {
            url: config.database_url.redacted(),
            reason,
        })?;
    if db::has_pending_migrations(&mut conn)? {
        anyhow::bail!(
            "the database {} is older than this frontdesk: start the server (it migrates) \
             or run `frontdesk migrate` first",
            config.database_url
        );
    }
    Ok(conn)
}

/// The SQLite file `DATABASE_URL` names does not exist.
#[derive(Debug, thiserror::Error)]
#[error(
    "there is no database at {} (DATABASE_URL, from the working directory {}), and this \
     command does not create one. Run it in the directory the server runs in (with its .env), \
     set DATABASE_URL to the server's database, or pass --auth-token TOKEN (and --server URL) \
     to reach a running server without its database",
    .0.display(),
    std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default()
)]
pub struct NoDatabase(pub PathBuf);

/// What the first start on an empty database created.
enum FirstRun {
    /// The demo business and its accounts (passwords in the report).
    Demo(seed::SeedReport),
    /// Only the super admin; its initial password is in this file.
    SuperAdmin(PathBuf),
}

fn first_run(conn: &mut DbConnection, config: &Config) -> anyhow::Result<Option<FirstRun>> {
    Ok(match config.seeds_demo() {
        true => seed::seed_first_run(conn, &config.public_url)?.map(FirstRun::Demo),
        false => {
            seed::create_first_super_admin(conn, &config.public_url, &config.admin_password_file)?
                .map(FirstRun::SuperAdmin)
        }
    })
}

pub fn migrate_only(config: &Config) -> anyhow::Result<()> {
    open_database(config)?;
    println!("database {} is up to date", config.database_url);
    Ok(())
}

pub async fn serve(config: Config) -> anyhow::Result<()> {
    let db_config = config.clone();
    let pool = tokio::task::spawn_blocking(move || open_database(&db_config)).await??;
    let first_run = {
        let pool = pool.clone();
        let config = config.clone();
        tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
            let mut conn = pool.get()?;
            let first_run = first_run(&mut conn, &config)?;
            let warnings = crate::startup_warnings::check(&mut conn, &config)?;
            Ok((first_run, warnings))
        })
        .await??
    };
    let (first_run, warnings) = first_run;
    match first_run {
        Some(FirstRun::Demo(report)) => println!("{report}"),
        Some(FirstRun::SuperAdmin(password_file)) => tracing::info!(
            email = seed::SUPER_ADMIN_EMAIL,
            password_file = %password_file.display(),
            "first run: created the super admin; its initial password is in the password file \
             (readable by this user only): sign in, change it, then delete the file"
        ),
        None => {}
    }
    for warning in warnings {
        tracing::warn!("{warning}");
    }
    let config = Arc::new(config);
    let state = {
        let config = config.clone();
        tokio::task::spawn_blocking(move || AppState::new(config, pool)).await??
    };
    let pool = state.db.clone();
    let turns = state.turns_in_flight.clone();
    let app = Application::build(state)?;
    tracing::info!(address = %app.local_addr(), "frontdesk is listening");
    let worker = match config.worker.in_process {
        true => Some(start_background_worker(&config, pool, turns)?),
        false => None,
    };
    // actix handles SIGTERM/SIGINT: it stops accepting, lets in-flight
    // requests finish, then returns; the worker stops after it.
    let served = app.run().await;
    if let Some((stop, worker)) = worker {
        let _ = stop.send(true);
        let _ = tokio::task::spawn_blocking(move || worker.join()).await;
    }
    served?;
    tracing::info!("frontdesk stopped");
    Ok(())
}

/// Starts the in-process job worker; send `true` to stop it.
fn start_worker(
    config: &Arc<Config>,
    pool: DbPool,
    yield_to: Option<TurnsInFlight>,
) -> anyhow::Result<(
    tokio::sync::watch::Sender<bool>,
    tokio::task::JoinHandle<()>,
)> {
    let mailer = Mailer::from_config(config)?;
    let handlers = Handlers::new(
        pool.clone(),
        mailer,
        config.clone(),
        crate::ai::configured(config)?,
    );
    let mut worker = Worker::new(pool, handlers, config.worker.clone());
    if let Some(turns) = yield_to {
        worker = worker.yielding_to(turns);
    }
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let grace = config.shutdown_grace;
    Ok((stop, tokio::spawn(worker.run(stopped, grace))))
}

/// How much less CPU priority the in-process worker's threads get than the
/// web server's (a nice value, 0-19).
const BACKGROUND_NICENESS: libc::c_int = 10;

/// Starts the in-process job worker on threads of its own at a lower CPU
/// priority: on a small box live calls and the jobs they leave behind share
/// the cores, and a caller waiting for an answer must come first; emails
/// catch up as soon as the calls leave CPU time over. (The database server
/// does not know the difference; it serves both alike.) It has as many
/// threads as there are cores, so once the calls leave the CPU the jobs can
/// use all of it: after a burst the queue drains at full speed.
fn start_background_worker(
    config: &Arc<Config>,
    pool: DbPool,
    turns: TurnsInFlight,
) -> anyhow::Result<(
    tokio::sync::watch::Sender<bool>,
    std::thread::JoinHandle<()>,
)> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(
            std::thread::available_parallelism()
                .map(std::num::NonZeroUsize::get)
                .unwrap_or(1),
        )
        .thread_name("frontdesk-jobs")
        .on_thread_start(lower_this_threads_priority)
        .enable_all()
        .build()?;
    let config = config.clone();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("frontdesk-jobs".to_owned())
        .spawn(move || {
            lower_this_threads_priority();
            runtime.block_on(async move {
                match start_worker(&config, pool, Some(turns)) {
                    Ok((stop, worker)) => {
                        let _ = ready_tx.send(Ok(stop));
                        let _ = worker.await;
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                    }
                }
            });
        })?;
    let stop = ready_rx
        .recv()
        .map_err(|_| anyhow::anyhow!("the job worker's thread ended before it started"))??;
    Ok((stop, thread))
}

/// Raises the calling thread's nice value (on Linux, a thread's own).
pub fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its arguments; `who` 0 is this thread.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, BACKGROUND_NICENESS);
    }
}

/// `frontdesk worker`: only the job worker, until SIGTERM or Ctrl-C.
pub async fn work(config: Config) -> anyhow::Result<()> {
    let config = Arc::new(config);
    let db_config = config.clone();
    let pool = tokio::task::spawn_blocking(move || open_database(&db_config)).await??;
    let (stop, worker) = start_worker(&config, pool, None)?;
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

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn this_threads_niceness() -> libc::c_int {
        // SAFETY: getpriority only reads its arguments.
        unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }
    }

    #[test]
    fn the_background_threads_priority_is_lowered_and_no_other_threads() {
        let before = this_threads_niceness();
        let background = std::thread::spawn(|| {
            lower_this_threads_priority();
            this_threads_niceness()
        })
        .join()
        .unwrap_or_default();
        assert!(background >= BACKGROUND_NICENESS, "niceness {background}");
        assert_eq!(
            this_threads_niceness(),
            before,
            "the caller's own thread keeps its priority"
        );
    }
}
