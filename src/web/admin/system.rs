//! `/admin/system`: the installation's health for its operator: the job
//! queue by kind and status, how long the oldest due job has waited, the
//! failing and dead jobs with their errors (and Retry buttons, the same
//! requeueing as `frontdesk jobs retry`), emails that did not get through,
//! the database, the LLM and the app's version. Read-only but for Retry.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;

use super::{Tab, done, page};
use crate::app::AppState;
use crate::audit::Change;
use crate::db::{self, DbError};
use crate::error::AppError;
use crate::ids::JobId;
use crate::jobs::operator::{self, FailedJob, KindCount, Retried};
use crate::system_health::{self, DatabaseInfo, FailedDelivery, LlmInfo};
use crate::tenants::admin::sentence;
use crate::web::csrf::CsrfForm;
use crate::web::format;
use crate::web::guard::SuperAdmin;
use crate::web::layout::{Page, render};
use crate::web::login::NoFields;

/// Failed jobs listed at most; the total is shown too.
const FAILED_JOBS_SHOWN: i64 = 50;

#[derive(Template)]
#[template(path = "dashboard/admin_system.html")]
struct SystemPage {
    page: Page,
    tab: Tab,
    counts: Vec<KindCount>,
    /// How long the oldest due job has waited, in words.
    oldest_due_waited: Option<String>,
    failed: Vec<FailedJob>,
    failed_total: i64,
    dead: usize,
    deliveries: Vec<FailedDelivery>,
    database: DatabaseInfo,
    llm: Option<LlmInfo>,
    version: &'static str,
    /// How long this instance has run, and since when (UTC).
    uptime: String,
    started_at: NaiveDateTime,
}

impl SystemPage {
    fn utc(&self, at: &NaiveDateTime) -> String {
        at.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

/// GET /admin/system.
pub async fn show(
    admin: SuperAdmin,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let now = crate::clock::now();
    let (counts, oldest_due, (failed, failed_total), deliveries, database) =
        db::run(&state.db, move |conn| {
            Ok::<_, DbError>((
                operator::counts(conn)?,
                operator::oldest_due(conn, now)?,
                operator::failed(conn, FAILED_JOBS_SHOWN)?,
                system_health::failed_deliveries(conn)?,
                system_health::database(conn)?,
            ))
        })
        .await?;
    let dead = counts
        .iter()
        .filter(|c| c.status == "dead")
        .map(|c| usize::try_from(c.count).unwrap_or(0))
        .sum();
    let oldest_due_waited =
        oldest_due.map(|due| format::duration((now - due).num_seconds().max(0)));
    render(&SystemPage {
        page: page(&admin, &session, "System health"),
        tab: Tab::System,
        counts,
        oldest_due_waited,
        failed,
        failed_total,
        dead,
        deliveries,
        database,
        llm: system_health::llm(&state.config),
        version: system_health::APP_VERSION,
        uptime: format::duration((now - state.started_at).num_seconds().max(0)),
        started_at: state.started_at,
    })
}

/// POST /admin/jobs/{id}/retry: requeues one job, as `frontdesk jobs retry ID`.
pub async fn retry(
    admin: SuperAdmin,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let id = JobId(path.into_inner());
    let by = Change::by(admin.user.id);
    let now = crate::clock::now();
    let retried = db::run_write(&state.db, move |conn| {
        Ok::<_, DbError>(operator::retry_recorded(conn, id, now, &by)?)
    })
    .await?;
    if retried == Retried::NotFound {
        return Err(AppError::NotFound);
    }
    done(&session, &sentence(&retried.explain(id)), "/admin/system")
}

/// POST /admin/jobs/retry-dead: requeues every dead job.
pub async fn retry_dead(
    admin: SuperAdmin,
    session: Session,
    state: web::Data<AppState>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let by = Change::by(admin.user.id);
    let now = crate::clock::now();
    let results = db::run_write(&state.db, move |conn| {
        Ok::<_, DbError>(operator::retry_dead_recorded(conn, now, &by)?)
    })
    .await?;
    let requeued = results
        .iter()
        .filter(|(_, r)| *r == Retried::Requeued)
        .count();
    let message = match results.len() {
        0 => "There were no dead jobs to retry.".to_owned(),
        all => format!("Requeued {requeued} of {all} dead job(s); they run now."),
    };
    done(&session, &message, "/admin/system")
}
