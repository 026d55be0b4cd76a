//! Liveness and readiness probes for process supervisors and load balancers.

use actix_web::{HttpResponse, get, web};

use crate::app::AppState;
use crate::db;

/// 200 while the process runs.
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// 200 only when the database answers, so a load balancer stops sending
/// calls to an instance that cannot record them.
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let answered = db::run(&state.db, |conn| Ok::<_, db::DbError>(db::ping(conn))).await;
    match answered {
        Ok(true) => HttpResponse::Ok().content_type("text/plain").body("ready"),
        Ok(false) | Err(_) => HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body("database unavailable"),
    }
}
