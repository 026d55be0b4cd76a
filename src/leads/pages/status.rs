//! POST /leads/{id}/status: the owner moves a lead to new, contacted or
//! closed from the lead list or the call page, then goes back to that page
//! with a message saying what changed.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::app::AppState;
use crate::db::{self, DbError};
use crate::error::AppError;
use crate::ids::LeadId;
use crate::leads::list::{LeadStatus, set_status};
use crate::web::csrf::CsrfForm;
use crate::web::errors;
use crate::web::guard::TenantAdmin;
use crate::web::login::{safe_next, see_other};
use crate::web::session;

#[derive(Deserialize)]
pub struct StatusChange {
    status: String,
    /// The page the form was on (a path on this site).
    return_to: Option<String>,
}

/// Where to go back to: a path on this site that fits in a header as it
/// is, else the lead list.
pub fn back_to(return_to: Option<&str>) -> &str {
    match return_to {
        Some(path) if path.bytes().all(|b| b.is_ascii_graphic()) => match safe_next(Some(path)) {
            "/" if path != "/" => "/leads",
            safe => safe,
        },
        _ => "/leads",
    }
}

/// The flash message after a change: "Lead marked contacted."
pub fn changed_message(status: LeadStatus) -> String {
    format!("Lead marked {}.", status.as_str())
}

/// POST /leads/{id}/status.
pub async fn change(
    admin: TenantAdmin,
    session: Session,
    path: web::Path<String>,
    state: web::Data<AppState>,
    form: CsrfForm<StatusChange>,
) -> Result<HttpResponse, AppError> {
    let Ok(id) = path.parse::<i64>().map(LeadId) else {
        return Ok(errors::not_found_page());
    };
    let change = form.into_inner();
    let Some(status) = LeadStatus::parse(&change.status) else {
        return Ok(errors::page(
            StatusCode::BAD_REQUEST,
            "Unknown status",
            "A lead is new, contacted or closed. Go back, reload the page and try again.",
        ));
    };
    let tenant = admin.tenant_id;
    let changed = db::run_write(&state.db, move |conn| {
        Ok::<_, DbError>(set_status(conn, tenant, id, status, crate::clock::now())?)
    })
    .await?;
    if !changed {
        return Ok(errors::not_found_page());
    }
    tracing::info!(tenant = %tenant, lead = %id, status = status.as_str(), "lead status changed");
    session::set_flash(&session, &changed_message(status))
        .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    Ok(see_other(back_to(change.return_to.as_deref())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_change_goes_back_only_to_a_page_of_this_site() {
        assert_eq!(
            back_to(Some("/leads?status=new&page=2")),
            "/leads?status=new&page=2"
        );
        assert_eq!(back_to(Some("/calls/7")), "/calls/7");
        assert_eq!(back_to(Some("/")), "/");
        for foreign in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "/caf\u{e9}",
            "/a b",
            "",
        ] {
            assert_eq!(back_to(Some(foreign)), "/leads", "{foreign:?}");
        }
        assert_eq!(back_to(None), "/leads");
    }

    #[test]
    fn the_message_says_what_the_lead_became() {
        assert_eq!(
            changed_message(LeadStatus::Contacted),
            "Lead marked contacted."
        );
    }
}
