//! Liveness and readiness probes for process supervisors and load balancers.

use std::time::Duration;

use actix_web::{HttpResponse, get, web};

use crate::app::AppState;
use crate::db;
use crate::jobs::operator;

/// 200 while the process runs.
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// A probe that waits longer than this is itself a failure.
const READY_WITHIN: Duration = Duration::from_secs(1);

/// 200 only when the database answers within a second, so a load balancer
/// stops sending calls to an instance that cannot record them (and the
/// probe never hangs on a database that does not answer). The body also
/// says how long the oldest due job has waited (a queue that does not
/// drain means emails are late), without making readiness depend on it:
/// a backlog is for an operator to see, not a reason to refuse calls.
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let probe = db::run(&state.db, |conn| {
        if !db::ping(conn) {
            return Ok::<_, db::DbError>(None);
        }
        let now = crate::clock::now();
        let waited = operator::oldest_due(conn, now)
            .ok()
            .map(|oldest| oldest.map_or(0, |at| (now - at).num_seconds().max(0)));
        Ok(Some(waited))
    });
    match tokio::time::timeout(READY_WITHIN, probe).await {
        Ok(Ok(Some(waited))) => {
            let waited = waited.map_or_else(|| "unknown".to_owned(), |s| s.to_string());
            HttpResponse::Ok()
                .content_type("text/plain")
                .body(format!("ready\njobs_oldest_due_seconds {waited}\n"))
        }
        Ok(Ok(None) | Err(_)) | Err(_) => HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body("database unavailable"),
    }
}
