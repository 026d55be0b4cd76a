//! Storage: one connection type for both backends, an r2d2 pool of it, and the
//! embedded migrations of each backend.

mod pool;
mod url;
mod watchdog;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub use pool::{
    ConnectionManager, ConnectionPool, DbPool, DbSetupError, DbTimeouts, Pooled, PooledConnection,
    connect_pool,
};
pub use url::{Backend, DEFAULT_SQLITE_FILE, DatabaseUrl};

pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// A connection to whichever backend `DATABASE_URL` names.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

impl DbConnection {
    pub fn backend(&self) -> Backend {
        match self {
            DbConnection::Pg(_) => Backend::Postgres,
            DbConnection::Sqlite(_) => Backend::Sqlite,
        }
    }
}

/// Runs the same diesel code on the inner connection of either backend, for
/// the few statements `MultiConnection` cannot express (upserts, `FOR UPDATE
/// SKIP LOCKED`, SQLite's `BEGIN IMMEDIATE`). The body is compiled once per
/// backend, so it must be valid diesel for both.
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Pg($c) => $body,
            $crate::db::DbConnection::Sqlite($c) => $body,
        }
    };
}

/// Runs `f` in a write transaction. On SQLite this is `BEGIN IMMEDIATE`, so a
/// transaction that reads before it writes waits for the write lock (busy
/// timeout) instead of failing with `SQLITE_BUSY` when another writer wins.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    match conn {
        DbConnection::Sqlite(_) => begun_with(conn, "BEGIN IMMEDIATE", f),
        DbConnection::Pg(_) => conn.transaction(f),
    }
}

/// `write_transaction` that runs one `key`'s transactions one at a time:
/// on PostgreSQL it takes the transaction-scoped advisory lock on `key`
/// with the `BEGIN` (one round trip); on SQLite every write transaction
/// already is one at a time.
pub fn serialized_transaction<T, E, F>(conn: &mut DbConnection, key: i64, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    match conn {
        DbConnection::Sqlite(_) => begun_with(conn, "BEGIN IMMEDIATE", f),
        // An integer, formatted: nothing a caller controls reaches the SQL.
        DbConnection::Pg(_) => begun_with(
            conn,
            &format!("BEGIN; SELECT pg_advisory_xact_lock({key})"),
            f,
        ),
    }
}

/// Runs `f` in a transaction opened with `begin` (a savepoint when one is
/// open already). diesel's own manager tracks it, so nested `transaction`
/// calls inside `f` become savepoints as usual.
fn begun_with<T, E, F>(conn: &mut DbConnection, begin: &str, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let depth = match conn {
        DbConnection::Sqlite(inner) => {
            AnsiTransactionManager::transaction_manager_status_mut(inner).transaction_depth()
        }
        DbConnection::Pg(inner) => {
            AnsiTransactionManager::transaction_manager_status_mut(inner).transaction_depth()
        }
    };
    if !matches!(depth, Ok(None)) {
        return conn.transaction(f);
    }
    match conn {
        DbConnection::Sqlite(inner) => AnsiTransactionManager::begin_transaction_sql(inner, begin)?,
        DbConnection::Pg(inner) => AnsiTransactionManager::begin_transaction_sql(inner, begin)?,
    }
    type Manager = <DbConnection as Connection>::TransactionManager;
    match f(conn) {
        Ok(value) => {
            Manager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(err) => {
            Manager::rollback_transaction(conn)?;
            Err(err)
        }
    }
}

/// Applies every pending migration of the connection's backend.
pub fn run_migrations(conn: &mut DbConnection) -> Result<usize, DbSetupError> {
    let applied = match conn {
        DbConnection::Pg(c) => c
            .run_pending_migrations(POSTGRES_MIGRATIONS)
            .map(|v| v.len()),
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
    };
    applied.map_err(|e| DbSetupError::Migration(e.to_string()))
}

/// Whether migrations this binary knows are missing from the database.
pub fn has_pending_migrations(conn: &mut DbConnection) -> Result<bool, DbSetupError> {
    let pending = match conn {
        DbConnection::Pg(c) => c.has_pending_migration(POSTGRES_MIGRATIONS),
        DbConnection::Sqlite(c) => c.has_pending_migration(SQLITE_MIGRATIONS),
    };
    pending.map_err(|e| DbSetupError::Migration(e.to_string()))
}

/// How a database's applied migrations differ from the ones this binary
/// carries, by version.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrationGap {
    /// Known to this binary, not applied: the database is older.
    pub missing: Vec<String>,
    /// Applied, unknown to this binary: a newer frontdesk migrated it.
    pub unknown: Vec<String>,
}

/// Compares the database's applied migrations with this binary's without
/// writing anything (diesel's own harness would first create its table).
/// `Ok(None)` when the database has no migrations table at all: it holds
/// no frontdesk installation.
pub fn migration_gap(conn: &mut DbConnection) -> Result<Option<MigrationGap>, DbSetupError> {
    #[derive(QueryableByName)]
    struct Applied {
        #[diesel(sql_type = diesel::sql_types::Text)]
        version: String,
    }
    #[derive(QueryableByName)]
    struct Exists {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        present: bool,
    }
    let question = match conn {
        DbConnection::Pg(_) => {
            "SELECT to_regclass('__diesel_schema_migrations') IS NOT NULL AS present"
        }
        DbConnection::Sqlite(_) => {
            "SELECT EXISTS (SELECT 1 FROM sqlite_master \
             WHERE type = 'table' AND name = '__diesel_schema_migrations') AS present"
        }
    };
    let unreadable = |e: diesel::result::Error| DbSetupError::Migration(e.to_string());
    let table: Exists = diesel::sql_query(question)
        .get_result(conn)
        .map_err(unreadable)?;
    if !table.present {
        return Ok(None);
    }
    let applied = diesel::sql_query("SELECT version FROM __diesel_schema_migrations")
        .load::<Applied>(conn)
        .map_err(unreadable)?;
    let applied: Vec<String> = applied.into_iter().map(|a| a.version).collect();
    let known = match conn {
        DbConnection::Pg(_) => embedded_versions::<diesel::pg::Pg>(&POSTGRES_MIGRATIONS),
        DbConnection::Sqlite(_) => embedded_versions::<diesel::sqlite::Sqlite>(&SQLITE_MIGRATIONS),
    }?;
    Ok(Some(MigrationGap {
        missing: known
            .iter()
            .filter(|v| !applied.contains(v))
            .cloned()
            .collect(),
        unknown: applied
            .iter()
            .filter(|v| !known.contains(v))
            .cloned()
            .collect(),
    }))
}

fn embedded_versions<DB: diesel::backend::Backend>(
    migrations: &EmbeddedMigrations,
) -> Result<Vec<String>, DbSetupError> {
    use diesel::migration::MigrationSource;
    let migrations = MigrationSource::<DB>::migrations(migrations)
        .map_err(|e| DbSetupError::Migration(e.to_string()))?;
    Ok(migrations
        .iter()
        .map(|m| m.name().version().to_string())
        .collect())
}

/// True when the database answers a trivial query (for `/readyz`).
pub fn ping(conn: &mut DbConnection) -> bool {
    conn.batch_execute("SELECT 1").is_ok()
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("no database connection available: {0}")]
    Pool(#[from] r2d2::Error),
    /// Every connection stayed busy for the whole wait.
    #[error("the database is busy: no connection became free in time")]
    Busy,
    /// The work did not finish before its deadline (its connection was cut).
    #[error("the database did not answer in time")]
    Timeout,
    #[error("database task failed: {0}")]
    Task(String),
}

/// Runs blocking diesel work on the blocking thread pool with a pooled
/// connection, so async request threads never wait on the database. Every
/// wait is bounded (see `DbTimeouts`): a sick database fails the work in
/// seconds instead of hanging the request.
pub async fn run<T, E, F>(pool: &DbPool, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<DbError> + Send + 'static,
{
    run_with(pool, None, f).await
}

/// `run` for work that writes: on SQLite it first waits its turn as the one
/// writer.
pub async fn run_write<T, E, F>(pool: &DbPool, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<DbError> + Send + 'static,
{
    let writing = match &pool.writer {
        Some(writer) => Some(acquire(writer, pool.timeouts.wait).await?),
        None => None,
    };
    run_with(pool, writing, f).await
}

async fn acquire(
    semaphore: &std::sync::Arc<tokio::sync::Semaphore>,
    wait: std::time::Duration,
) -> Result<tokio::sync::OwnedSemaphorePermit, DbError> {
    match tokio::time::timeout(wait, semaphore.clone().acquire_owned()).await {
        Ok(Ok(permit)) => Ok(permit),
        Ok(Err(_)) => Err(DbError::Task("the database pool is closed".to_owned())),
        Err(_) => Err(DbError::Busy),
    }
}

async fn run_with<T, E, F>(
    pool: &DbPool,
    writing: Option<tokio::sync::OwnedSemaphorePermit>,
    f: F,
) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<DbError> + Send + 'static,
{
    let permit = acquire(&pool.permits, pool.timeouts.wait).await?;
    let watch = watchdog::Watch::new();
    let task = {
        let (pool, watch) = (pool.clone(), watch.clone());
        tokio::task::spawn_blocking(move || {
            // Held until the work is done, even if the caller stopped waiting.
            let _permits = (permit, writing);
            let mut conn = pool.checkout().map_err(DbError::Pool)?;
            if !watch.arm(conn.socket) {
                return Err(DbError::Timeout.into());
            }
            let result = f(&mut conn.conn);
            if !watch.disarm() {
                conn.broken = true;
            } else if result.is_err() && !conn.check() {
                // The connection died under the work (a restarted server, a
                // terminated backend): the others may have died with it.
                pool.suspect_all();
            }
            result
        })
    };
    match tokio::time::timeout(pool.timeouts.operation, task).await {
        Ok(Ok(result)) => result,
        Ok(Err(join_error)) => Err(DbError::Task(join_error.to_string()).into()),
        Err(_) => {
            watch.expire();
            Err(DbError::Timeout.into())
        }
    }
}
