//! The connection pool: an r2d2 manager that opens the backend chosen from
//! the URL, with every wait bounded and broken connections thrown away.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use tokio::sync::Semaphore;

use super::watchdog::{self, Socket};
use super::{Backend, DatabaseUrl, DbConnection};

/// How long database work may wait, and run, before it is given up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DbTimeouts {
    /// Waiting for a pool slot, for a pooled connection and for a new
    /// connection to open.
    pub wait: Duration,
    /// One statement on the server (PostgreSQL `statement_timeout`, and the
    /// idle-in-transaction limit).
    pub statement: Duration,
    /// One piece of work as a whole, after which its connection is cut
    /// (see `watchdog`).
    pub operation: Duration,
}

impl DbTimeouts {
    /// Everything derived from the one configured wait.
    pub fn from_wait(wait: Duration) -> DbTimeouts {
        DbTimeouts {
            wait,
            statement: wait * 2,
            operation: wait * 4,
        }
    }
}

impl Default for DbTimeouts {
    fn default() -> Self {
        DbTimeouts::from_wait(Duration::from_secs(3))
    }
}

/// A pooled connection and what the pool knows about it.
pub struct Pooled {
    pub conn: DbConnection,
    /// Its socket, so the watchdog can cut it (PostgreSQL on Linux).
    pub socket: Option<Socket>,
    /// The pool's suspicion epoch when this connection last answered.
    pub verified_epoch: u64,
    /// Known unusable: the pool drops it instead of handing it out again.
    pub broken: bool,
}

impl std::ops::Deref for Pooled {
    type Target = DbConnection;

    fn deref(&self) -> &DbConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.conn
    }
}

impl Pooled {
    /// Whether the connection still answers; marks it broken when not.
    pub fn check(&mut self) -> bool {
        let alive = self.conn.batch_execute("SELECT 1").is_ok();
        self.broken |= !alive;
        alive
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
    pub(super) pool: ConnectionPool,
    pub(super) permits: Arc<Semaphore>,
    /// SQLite allows one writer at a time; writers queue here, in order,
    /// instead of sleeping in SQLite's busy handler. `None` on PostgreSQL.
    pub(super) writer: Option<Arc<Semaphore>>,
    pub(super) timeouts: DbTimeouts,
    /// Raised when a connection is found dead: every connection older than
    /// the current epoch is checked once before its next use, so a database
    /// restart costs one failed request, not one per pooled connection.
    pub(super) suspicion: Arc<AtomicU64>,
    /// The most connections the server accepts from all its clients
    /// (PostgreSQL's `max_connections`); `None` on SQLite.
    pub(super) server_connections: Option<i64>,
}

impl DbPool {
    /// How many pieces of database work, from every instance, can be in
    /// flight at once: one per server connection at most. `None` on SQLite,
    /// where writes are one at a time.
    pub fn concurrent_work_bound(&self) -> Option<i64> {
        self.server_connections
    }

    pub fn timeouts(&self) -> DbTimeouts {
        self.timeouts
    }

    /// Takes a connection that is not known to be dead, checking it first
    /// when a connection was found dead since it last answered.
    pub(super) fn checkout(&self) -> Result<PooledConnection, r2d2::Error> {
        let attempts = self.pool.max_size() + 1;
        let mut last = None;
        for _ in 0..attempts {
            let mut conn = self.pool.get()?;
            let epoch = self.suspicion.load(Ordering::SeqCst);
            if conn.verified_epoch >= epoch {
                return Ok(conn);
            }
            if conn.check() {
                conn.verified_epoch = epoch;
                return Ok(conn);
            }
            // Dropped here; the manager discards it.
            last = Some(conn);
        }
        drop(last);
        self.pool.get()
    }

    /// Every pooled connection is suspect from now on.
    pub(super) fn suspect_all(&self) {
        self.suspicion.fetch_add(1, Ordering::SeqCst);
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
    timeouts: DbTimeouts,
    suspicion: Arc<AtomicU64>,
}

/// `busy_timeout` first: every later statement, `journal_mode` included,
/// then waits for a lock another connection or process holds instead of
/// failing at once with "database is locked".
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

impl ConnectionManager {
    pub fn new(url: DatabaseUrl, timeouts: DbTimeouts) -> Self {
        ConnectionManager {
            url,
            timeouts,
            suspicion: Arc::default(),
        }
    }

    /// A plain connection, without the pool's statement limits (migrations
    /// and command-line tools may legitimately run long statements).
    pub fn establish(&self) -> Result<DbConnection, ConnectionError> {
        match &self.url {
            DatabaseUrl::Postgres(url) => {
                PgConnection::establish(&postgres_url(url, self.timeouts)).map(DbConnection::Pg)
            }
            DatabaseUrl::Sqlite(path) => {
                crate::private_files::prepare_sqlite(path).map_err(|e| {
                    ConnectionError::BadConnection(format!(
                        "cannot make {} private: {e}",
                        path.display()
                    ))
                })?;
                let path = path.to_string_lossy();
                let mut conn = SqliteConnection::establish(&path)?;
                conn.batch_execute(SQLITE_PRAGMAS)
                    .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn open_pooled(&self) -> Result<Pooled, ConnectionError> {
        let (mut conn, socket) = match &self.url {
            DatabaseUrl::Postgres(url) => {
                watchdog::socket_opened_by(postgres_port(url), || self.establish())?
            }
            DatabaseUrl::Sqlite(_) => (self.establish()?, None),
        };
        if let DbConnection::Pg(pg) = &mut conn {
            let statement_ms = self.timeouts.statement.as_millis();
            pg.batch_execute(&format!(
                "SET statement_timeout = {statement_ms}; \
                 SET idle_in_transaction_session_timeout = {statement_ms};"
            ))
            .map_err(ConnectionError::CouldntSetupConfiguration)?;
        }
        Ok(Pooled {
            conn,
            socket,
            verified_epoch: self.suspicion.load(Ordering::SeqCst),
            broken: false,
        })
    }
}

/// The URL with libpq's own limits added where the operator set none: a
/// connect timeout, and TCP keepalives and a user timeout so a dead peer is
/// noticed in seconds rather than the kernel's two hours.
fn postgres_url(url: &str, timeouts: DbTimeouts) -> String {
    let connect_seconds = timeouts.wait.as_secs().max(1);
    let user_timeout_ms = timeouts.operation.as_millis();
    let defaults = [
        ("connect_timeout", connect_seconds.to_string()),
        ("keepalives", "1".to_owned()),
        ("keepalives_idle", "10".to_owned()),
        ("keepalives_interval", "5".to_owned()),
        ("keepalives_count", "3".to_owned()),
        ("tcp_user_timeout", user_timeout_ms.to_string()),
    ];
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let given: Vec<&str> = query
        .split('&')
        .filter_map(|pair| pair.split('=').next())
        .collect();
    let mut url = url.to_owned();
    for (key, value) in defaults {
        if !given.contains(&key) {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&format!("{key}={value}"));
        }
    }
    url
}

/// The server port of a `postgres://` URL (5432 when none is given); `None`
/// for a Unix socket host or several hosts.
fn postgres_port(url: &str) -> Option<u16> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host_port.is_empty() || host_port.contains(',') || host_port.starts_with('%') {
        return None;
    }
    match host_port.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || host.starts_with('[') => {
            port.parse().ok().or(Some(5432))
        }
        _ => Some(5432),
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = Pooled;
    type Error = ConnectionError;

    fn connect(&self) -> Result<Pooled, ConnectionError> {
        self.open_pooled()
    }

    fn is_valid(&self, conn: &mut Pooled) -> Result<(), ConnectionError> {
        conn.conn
            .batch_execute("SELECT 1")
            .map_err(ConnectionError::CouldntSetupConfiguration)
    }

    /// A connection found dead, cut by the watchdog, or handed back
    /// mid-transaction (a panic unwound past it) is discarded rather than
    /// reused.
    fn has_broken(&self, conn: &mut Pooled) -> bool {
        let depth = match &mut conn.conn {
            DbConnection::Pg(c) => {
                AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth()
            }
            DbConnection::Sqlite(c) => {
                AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth()
            }
        };
        conn.broken || !matches!(depth, Ok(None))
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
    #[error("database migration failed: {0}")]
    Migration(String),
}

/// Opens one connection first so a bad URL fails with the driver's own
/// message (r2d2 would only report a timeout), migrates on it, then builds
/// the pool.
pub fn connect_pool(
    url: &DatabaseUrl,
    max_size: u32,
    timeouts: DbTimeouts,
) -> Result<(DbPool, usize), DbSetupError> {
    let manager = ConnectionManager::new(url.clone(), timeouts);
    let mut first = manager
        .establish()
        .map_err(|reason| DbSetupError::Connect {
            url: url.redacted(),
            reason,
        })?;
    let applied = super::run_migrations(&mut first)?;
    let server_connections = match &mut first {
        DbConnection::Pg(pg) => {
            Some(max_connections(pg).map_err(|reason| DbSetupError::Connect {
                url: url.redacted(),
                reason: ConnectionError::CouldntSetupConfiguration(reason),
            })?)
        }
        DbConnection::Sqlite(_) => None,
    };
    drop(first);
    let suspicion = manager.suspicion.clone();
    // Work waits `wait` for a slot, and holds one before it asks the pool,
    // so a checkout only waits long while connections cannot be opened; the
    // operation deadline bounds that. Unchecked: the first connection above
    // already proved the URL, and the rest open in the background.
    let pool = r2d2::Pool::builder()
        .max_size(max_size)
        .connection_timeout(timeouts.operation)
        .test_on_check_out(false)
        .build_unchecked(manager);
    let permits = Arc::new(Semaphore::new(pool.max_size() as usize));
    let writer = (url.backend() == Backend::Sqlite).then(|| Arc::new(Semaphore::new(1)));
    let pool = DbPool {
        pool,
        permits,
        writer,
        timeouts,
        suspicion,
        server_connections,
    };
    Ok((pool, applied))
}

fn max_connections(pg: &mut PgConnection) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Setting {
        #[diesel(sql_type = diesel::sql_types::Text)]
        setting: String,
    }
    let row: Setting =
        diesel::sql_query("SELECT setting FROM pg_settings WHERE name = 'max_connections'")
            .get_result(pg)?;
    row.setting
        .parse()
        .map_err(|e: std::num::ParseIntError| diesel::result::Error::DeserializationError(e.into()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn libpq_limits_are_added_unless_the_operator_set_them() {
        let timeouts = DbTimeouts::from_wait(Duration::from_secs(3));
        let url = postgres_url("postgres://u@db:5433/fd", timeouts);
        assert!(url.starts_with("postgres://u@db:5433/fd?connect_timeout=3&keepalives=1"));
        assert!(url.contains("&tcp_user_timeout=12000"));
        let url = postgres_url(
            "postgres://u@db/fd?sslmode=require&connect_timeout=9",
            timeouts,
        );
        assert!(url.contains("sslmode=require&connect_timeout=9&keepalives=1"));
        assert_eq!(url.matches("connect_timeout").count(), 1);
    }

    #[test]
    fn the_server_port_is_read_from_the_url() {
        assert_eq!(
            postgres_port("postgres://u:p@db.example:6543/fd"),
            Some(6543)
        );
        assert_eq!(postgres_port("postgres://u@127.0.0.1/fd?x=1"), Some(5432));
        assert_eq!(postgres_port("postgresql://[::1]:7000/fd"), Some(7000));
        assert_eq!(
            postgres_port("postgres://%2Fvar%2Frun%2Fpostgresql/fd"),
            None
        );
        assert_eq!(postgres_port("postgres://h1:1,h2:2/fd"), None);
    }
}
