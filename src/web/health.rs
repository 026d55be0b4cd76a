//! Liveness and readiness probes for process supervisors and load balancers.

use std::time::Duration;

use actix_web::{HttpResponse, get, web};

use crate::app::AppState;
use crate::db;

/// 200 while the process runs.
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// A probe that waits longer than this is itself a failure.
const READY_WITHIN: Duration = Duration::from_secs(1);

/// 200 only when the database answers within a second, so a load balancer
/// stops sending calls to an instance that cannot record them (and the
/// probe never hangs on a database that does not answer).
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let ping = db::run(&state.db, |conn| Ok::<_, db::DbError>(db::ping(conn)));
    match tokio::time::timeout(READY_WITHIN, ping).await {
        Ok(Ok(true)) => HttpResponse::Ok().content_type("text/plain").body("ready"),
        Ok(Ok(false) | Err(_)) | Err(_) => HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body("database unavailable"),
    }
}
