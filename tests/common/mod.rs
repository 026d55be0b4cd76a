//! The test harness: the real application on a random port with a fresh
//! database per test, on SQLite and (with `FRONTDESK_TEST_POSTGRES_URL`) on
//! PostgreSQL.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod browser;
pub mod businesses;
pub mod calls;
pub mod dashboard;
pub mod openai;
pub mod proxy;
pub mod worker;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use diesel::prelude::*;
use frontdesk::app::{AppState, Application};
use frontdesk::config::Config;
use frontdesk::db::{DbConnection, DbPool};

pub const TEST_TWILIO_TOKEN: &str = "test-twilio-auth-token";
/// What the app believes Twilio calls it at; never the bind address, so a
/// test fails if any URL is built from the socket instead of the config.
pub const PUBLIC_URL: &str = "https://frontdesk.example.test";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestBackend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test and is removed afterwards.
pub struct TestDatabase {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    pub fn create(backend: TestBackend) -> TestDatabase {
        match backend {
            TestBackend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!(
                    "sqlite://{}",
                    dir.path().join("frontdesk-test.db").display()
                );
                TestDatabase {
                    url,
                    _dir: Some(dir),
                    postgres: None,
                }
            }
            TestBackend::Postgres => {
                let admin_url = std::env::var("FRONTDESK_TEST_POSTGRES_URL")
                    .expect("FRONTDESK_TEST_POSTGRES_URL must be set for PostgreSQL tests");
                let name = format!(
                    "frontdesk_test_{}",
                    frontdesk::settings::random_token(16).to_lowercase()
                );
                let mut admin = PgConnection::establish(&admin_url).unwrap_or_else(|e| {
                    panic!("PostgreSQL at FRONTDESK_TEST_POSTGRES_URL is unreachable: {e}")
                });
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .unwrap();
                let url = replace_database(&admin_url, &name);
                TestDatabase {
                    url,
                    _dir: None,
                    postgres: Some((admin_url, name)),
                }
            }
        }
    }
}

impl TestDatabase {
    /// Removes a PostgreSQL test database while the app still uses it, as
    /// when the database server goes away.
    pub fn drop_now(&self) {
        if let Some((admin_url, name)) = &self.postgres {
            let mut admin = PgConnection::establish(admin_url).unwrap();
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin)
                .unwrap();
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.postgres
            && let Ok(mut admin) = PgConnection::establish(admin_url)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin);
        }
    }
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

pub fn test_config(database_url: &str, extra: &[(&str, &str)]) -> Config {
    let mut vars: HashMap<String, String> = HashMap::from([
        ("DATABASE_URL".to_owned(), database_url.to_owned()),
        ("FRONTDESK_BIND".to_owned(), "127.0.0.1:0".to_owned()),
        ("FRONTDESK_PUBLIC_URL".to_owned(), PUBLIC_URL.to_owned()),
        ("TWILIO_AUTH_TOKEN".to_owned(), TEST_TWILIO_TOKEN.to_owned()),
        ("FRONTDESK_DB_POOL_SIZE".to_owned(), "4".to_owned()),
        (
            "FRONTDESK_SHUTDOWN_GRACE_SECONDS".to_owned(),
            "1".to_owned(),
        ),
    ]);
    for (k, v) in extra {
        vars.insert((*k).to_owned(), (*v).to_owned());
    }
    Config::from_vars(|name| vars.get(name).cloned()).expect("test config is valid")
}

/// The running application and what a test needs to talk to it.
pub struct TestApp {
    pub backend: TestBackend,
    /// `http://127.0.0.1:PORT`, where requests actually go.
    pub address: String,
    pub config: Arc<Config>,
    pub pool: DbPool,
    pub http: reqwest::Client,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    // Dropped last: the server must stop before its database goes. `None`
    // for a second instance sharing another app's database.
    database: Option<TestDatabase>,
}

impl TestApp {
    pub async fn spawn(backend: TestBackend) -> TestApp {
        TestApp::spawn_with(backend, &[]).await
    }

    pub async fn spawn_with(backend: TestBackend, extra: &[(&str, &str)]) -> TestApp {
        TestApp::spawn_reaching_the_database_at(backend, |url| url.to_owned(), extra).await
    }

    /// An app that reaches its (fresh) database at the URL `reach` makes of
    /// the real one (e.g. through a proxy).
    pub async fn spawn_reaching_the_database_at(
        backend: TestBackend,
        reach: impl Fn(&str) -> String,
        extra: &[(&str, &str)],
    ) -> TestApp {
        let database = TestDatabase::create(backend);
        let config = Arc::new(test_config(&reach(&database.url), extra));
        TestApp::start(
            backend,
            config,
            Some(database),
            frontdesk::http::client_builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        )
        .await
    }

    async fn start(
        backend: TestBackend,
        config: Arc<Config>,
        database: Option<TestDatabase>,
        http: reqwest::Client,
    ) -> TestApp {
        let state = {
            let config = config.clone();
            tokio::task::spawn_blocking(move || {
                let pool = frontdesk::server::open_database(&config).expect("database opens");
                AppState::new(config, pool).expect("state builds")
            })
            .await
            .unwrap()
        };
        let pool = state.db.clone();
        let app = Application::build(state).expect("app binds");
        let address = format!("http://127.0.0.1:{}", app.port());
        TestApp {
            backend,
            address,
            config,
            pool,
            http,
            server: tokio::spawn(app.run()),
            database,
        }
    }

    /// A second instance of the app on the same database, sharing no memory
    /// with this one (as behind a load balancer).
    /// Takes the database away from under the running app (PostgreSQL only).
    pub fn lose_the_database(&self) {
        self.database
            .as_ref()
            .expect("the first instance owns the database")
            .drop_now();
    }

    /// Ends every server connection to the app's database, as a database
    /// restart or an administrator does (PostgreSQL only).
    pub fn terminate_database_connections(&self) -> usize {
        let (admin_url, name) = self
            .database
            .as_ref()
            .and_then(|d| d.postgres.clone())
            .expect("a PostgreSQL database of this instance");
        let mut admin = PgConnection::establish(&admin_url).unwrap();
        #[derive(QueryableByName)]
        struct Terminated {
            #[diesel(sql_type = diesel::sql_types::Bool)]
            pg_terminate_backend: bool,
        }
        diesel::sql_query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = $1 AND pid <> pg_backend_pid()",
        )
        .bind::<diesel::sql_types::Text, _>(&name)
        .load::<Terminated>(&mut admin)
        .unwrap()
        .into_iter()
        .filter(|t| t.pg_terminate_backend)
        .count()
    }

    pub async fn another_instance(&self) -> TestApp {
        TestApp::start(self.backend, self.config.clone(), None, self.http.clone()).await
    }

    /// Imports a tenant file (path relative to the repository) as the CLI would.
    pub async fn import_tenant(&self, relative_path: &str) -> frontdesk::ids::TenantId {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative_path);
        let text = std::fs::read_to_string(&path).unwrap();
        self.import_tenant_text(relative_path, &text).await
    }

    pub async fn import_tenant_text(&self, name: &str, text: &str) -> frontdesk::ids::TenantId {
        let spec = frontdesk::tenants::file::TenantFile::parse(name, text).unwrap();
        let name = name.to_owned();
        self.with_conn(move |conn| {
            frontdesk::tenants::store::import(conn, &spec, &name)
                .unwrap()
                .tenant_id
        })
        .await
    }

    /// Runs blocking database code against the app's database.
    pub async fn with_conn<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> T + Send + 'static,
    ) -> T {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || f(&mut pool.get().unwrap()))
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .unwrap()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Declares each test twice: `sqlite::NAME` and `postgres::NAME`. The
/// PostgreSQL copies are ignored, with the reason shown, when
/// `FRONTDESK_TEST_POSTGRES_URL` was not set at build time.
#[macro_export]
macro_rules! backend_tests {
    ($(async fn $name:ident($app:ident: TestApp) $body:block)*) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let $app = $crate::common::TestApp::spawn($crate::common::TestBackend::Sqlite).await;
                    $body
                }
            )*
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(not(postgres_tests), ignore = "set FRONTDESK_TEST_POSTGRES_URL to run on PostgreSQL")]
                async fn $name() {
                    let $app = $crate::common::TestApp::spawn($crate::common::TestBackend::Postgres).await;
                    $body
                }
            )*
        }
    };
}

pub mod smtp;
