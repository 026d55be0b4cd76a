//! Storage: one connection type for both backends, an r2d2 pool of it, and the
//! embedded migrations of each backend.

mod url;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

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
    let DbConnection::Sqlite(inner) = conn else {
        return conn.transaction(f);
    };
    let nested = !matches!(
        AnsiTransactionManager::transaction_manager_status_mut(inner).transaction_depth(),
        Ok(None)
    );
    if nested {
        // Already inside (immediate) transaction: a savepoint is enough.
        return conn.transaction(f);
    }
    // diesel's own manager tracks the transaction, so nested `transaction`
    // calls inside `f` become savepoints as usual.
    AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
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

pub type ConnectionPool = r2d2::Pool<ConnectionManager>;
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

/// The connection pool, with one permit per connection: `run` waits for a
/// permit asynchronously before taking a blocking thread, so at most
/// pool-size threads touch the database and the rest of the waiting costs
/// no thread and no lock contention.
#[derive(Clone)]
pub struct DbPool {
    pool: ConnectionPool,
    permits: Arc<Semaphore>,
    /// SQLite allows one writer at a time; writers queue here, in order,
    /// instead of sleeping in SQLite's busy handler. `None` on PostgreSQL.
    writer: Option<Arc<Semaphore>>,
}

impl DbPool {
    pub fn new(pool: ConnectionPool, backend: Backend) -> DbPool {
        let permits = Arc::new(Semaphore::new(pool.max_size() as usize));
        let writer = (backend == Backend::Sqlite).then(|| Arc::new(Semaphore::new(1)));
        DbPool {
            pool,
            permits,
            writer,
        }
    }
}

impl std::ops::Deref for DbPool {
    type Target = ConnectionPool;

    fn deref(&self) -> &ConnectionPool {
        &self.pool
    }
}

/// An r2d2 manager that opens the backend chosen from the URL and reports the
/// real connection error.
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: DatabaseUrl,
}

/// `busy_timeout` first: every later statement, `journal_mode` included,
/// then waits for a lock another connection or process holds instead of
/// failing at once with "database is locked".
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

impl ConnectionManager {
    pub fn new(url: DatabaseUrl) -> Self {
        ConnectionManager { url }
    }

    pub fn establish(&self) -> Result<DbConnection, ConnectionError> {
        match &self.url {
            DatabaseUrl::Postgres(url) => PgConnection::establish(url).map(DbConnection::Pg),
            DatabaseUrl::Sqlite(path) => {
                let path = path.to_string_lossy();
                let mut conn = SqliteConnection::establish(&path)?;
                conn.batch_execute(SQLITE_PRAGMAS)
                    .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = ConnectionError;

    fn connect(&self) -> Result<DbConnection, ConnectionError> {
        self.establish()
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnectionError> {
        conn.batch_execute("SELECT 1")
            .map_err(ConnectionError::CouldntSetupConfiguration)
    }

    /// A connection handed back mid-transaction (a panic unwound past it)
    /// is discarded rather than reused with a half-done transaction.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        let depth = match conn {
            DbConnection::Pg(c) => {
                AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth()
            }
            DbConnection::Sqlite(c) => {
                AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth()
            }
        };
        !matches!(depth, Ok(None))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    // The driver's error is part of the message (not a `source`), so the
    // reason is printed once.
    #[error("cannot connect to {url}: {reason}")]
    Connect {
        url: String,
        reason: ConnectionError,
    },
    #[error("cannot create the database pool for {url}: {reason}")]
    Pool { url: String, reason: r2d2::Error },
    #[error("database migration failed: {0}")]
    Migration(String),
}

/// Opens one connection first so a bad URL fails with the driver's own
/// message (r2d2 would only report a timeout), then builds the pool.
pub fn connect_pool(url: &DatabaseUrl, max_size: u32) -> Result<DbPool, DbSetupError> {
    let manager = ConnectionManager::new(url.clone());
    manager
        .establish()
        .map_err(|reason| DbSetupError::Connect {
            url: url.redacted(),
            reason,
        })?;
    r2d2::Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(10))
        .test_on_check_out(false)
        .build(manager)
        .map(|pool| DbPool::new(pool, url.backend()))
        .map_err(|reason| DbSetupError::Pool {
            url: url.redacted(),
            reason,
        })
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
    #[error("database task failed: {0}")]
    Task(String),
}

/// Runs blocking diesel work on the blocking thread pool with a pooled
/// connection, so async request threads never wait on the database.
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
        Some(writer) => Some(
            writer
                .clone()
                .acquire_owned()
                .await
                .map_err(|_| DbError::Task("the database pool is closed".to_owned()))?,
        ),
        None => None,
    };
    run_with(pool, writing, f).await
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
    let permit = pool
        .permits
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| DbError::Task("the database pool is closed".to_owned()))?;
    let pool = pool.pool.clone();
    let task = tokio::task::spawn_blocking(move || {
        // Held until the work is done, even if the caller stopped waiting.
        let _permits = (permit, writing);
        let mut conn = pool.get().map_err(DbError::Pool)?;
        f(&mut conn)
    });
    match task.await {
        Ok(result) => result,
        Err(join_error) => Err(DbError::Task(join_error.to_string()).into()),
    }
}
