//! What the operator's System health page (`/admin/system`) reads about the
//! installation, besides the job queue (`jobs::operator`): the database and
//! its server version, whether an LLM is configured (model and host, never
//! the key), the app's version, and the emails that did not get through.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::config::Config;
use crate::db::{Backend, DbConnection};
use crate::ids::TenantId;
use crate::mail::deliveries::DeliveryStatus;
use crate::schema::{mail_deliveries, tenants};

/// The version this binary was built as.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The database the installation runs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseInfo {
    /// "SQLite" or "PostgreSQL".
    pub backend: &'static str,
    /// As the server reports it (`sqlite_version()`, `version()`).
    pub version: String,
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Text)]
    version: String,
}

pub fn database(conn: &mut DbConnection) -> QueryResult<DatabaseInfo> {
    let (backend, query) = match conn.backend() {
        Backend::Sqlite => ("SQLite", "SELECT sqlite_version() AS version"),
        Backend::Postgres => ("PostgreSQL", "SELECT version() AS version"),
    };
    let version = diesel::sql_query(query)
        .get_result::<Version>(conn)?
        .version;
    Ok(DatabaseInfo { backend, version })
}

/// The LLM the receptionist uses, as far as it is safe to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LlmInfo {
    pub model: String,
    /// The host of `OPENAI_BASE_URL`, or OpenAI's when it is not set.
    pub host: String,
}

/// `None`: no LLM, the rules brain answers alone.
pub fn llm(config: &Config) -> Option<LlmInfo> {
    let llm = config.llm.as_ref()?;
    let host = match &llm.base_url {
        Some(url) => url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| "(unreadable URL)".to_owned()),
        None => "api.openai.com".to_owned(),
    };
    Some(LlmInfo {
        model: llm.model.clone(),
        host,
    })
}

/// Failed deliveries listed at most.
pub const MAX_FAILED_DELIVERIES: i64 = 20;

/// One recipient an email did not reach (yet, or ever).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedDelivery {
    pub tenant: TenantId,
    pub tenant_name: String,
    /// `lead-email:42`, `summary-email:7`.
    pub job_key: String,
    pub recipient: String,
    /// Still being retried (`false`: refused for good).
    pub retrying: bool,
    pub attempts: i32,
    pub last_error: Option<String>,
    /// UTC, the last attempt.
    pub at: NaiveDateTime,
}

/// A delivery as read: tenant, its name, job key, recipient, status,
/// attempts, last error, time.
type DeliveryRow = (
    TenantId,
    String,
    String,
    String,
    DeliveryStatus,
    i32,
    Option<String>,
    NaiveDateTime,
);

/// Deliveries not sent, across tenants, newest first.
pub fn failed_deliveries(conn: &mut DbConnection) -> QueryResult<Vec<FailedDelivery>> {
    let rows: Vec<DeliveryRow> = mail_deliveries::table
        .inner_join(tenants::table.on(tenants::id.eq(mail_deliveries::tenant_id)))
        .filter(mail_deliveries::status.ne(DeliveryStatus::Sent.as_str()))
        .order((
            mail_deliveries::updated_at.desc(),
            mail_deliveries::id.desc(),
        ))
        .limit(MAX_FAILED_DELIVERIES)
        .select((
            mail_deliveries::tenant_id,
            tenants::name,
            mail_deliveries::job_key,
            mail_deliveries::recipient,
            mail_deliveries::status,
            mail_deliveries::attempts,
            mail_deliveries::last_error,
            mail_deliveries::updated_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(tenant, tenant_name, job_key, recipient, status, attempts, last_error, at)| {
                FailedDelivery {
                    tenant,
                    tenant_name,
                    job_key,
                    recipient,
                    retrying: status == DeliveryStatus::Pending,
                    attempts,
                    last_error,
                    at,
                }
            },
        )
        .collect())
}
