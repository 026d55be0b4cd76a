//! Switching an entry on or off (POST /knowledge/{id}/active) and deleting
//! it after a confirmation page (GET, then POST /knowledge/{id}/delete).
//! An inactive entry stays in the list but no call answers from it.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{Tab, entry_id, internal, tabs};
use crate::app::AppState;
use crate::db::{self, DbError};
use crate::error::AppError;
use crate::knowledge::entries::{self, Editor, StoredEntry};
use crate::web::csrf::CsrfForm;
use crate::web::errors;
use crate::web::guard::TenantAdmin;
use crate::web::layout::{Nav, Page, render};
use crate::web::login::see_other;
use crate::web::session;

#[derive(Deserialize)]
pub struct ActiveChange {
    /// "1" to switch on, anything else to switch off.
    active: String,
}

fn editor(admin: &TenantAdmin) -> Editor {
    Editor {
        user: admin.user.id,
        tenant: admin.tenant_id,
    }
}

/// POST /knowledge/{id}/active.
pub async fn set_active(
    admin: TenantAdmin,
    session: Session,
    path: web::Path<String>,
    state: web::Data<AppState>,
    form: CsrfForm<ActiveChange>,
) -> Result<HttpResponse, AppError> {
    let Some(id) = entry_id(&path) else {
        return Ok(errors::not_found_page());
    };
    let active = form.into_inner().active == "1";
    let editor = editor(&admin);
    let changed = db::run_write(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            Ok::<_, DbError>(editor.set_active(conn, id, active)?)
        })
    })
    .await?;
    let Some(question) = changed else {
        return Ok(errors::not_found_page());
    };
    let message = if active {
        format!("\u{201c}{question}\u{201d} is active: calls answer from it.")
    } else {
        format!("\u{201c}{question}\u{201d} is inactive: calls no longer answer from it.")
    };
    session::set_flash(&session, &message).map_err(internal)?;
    Ok(see_other("/knowledge"))
}

#[derive(Template)]
#[template(path = "dashboard/knowledge_delete.html")]
struct DeletePage {
    page: Page,
    tabs: Vec<Tab>,
    entry: StoredEntry,
}

/// GET /knowledge/{id}/delete: are you sure?
pub async fn confirm_delete(
    admin: TenantAdmin,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let Some(id) = entry_id(&path) else {
        return Ok(errors::not_found_page());
    };
    let tenant = admin.tenant_id;
    let found = db::run(&state.db, move |conn| {
        Ok::<_, DbError>(entries::find(conn, tenant, id)?)
    })
    .await?;
    let Some(entry) = found else {
        return Ok(errors::not_found_page());
    };
    render(&DeletePage {
        page: Page::tenant(&admin, "Delete knowledge entry", Nav::Knowledge),
        tabs: tabs("/knowledge"),
        entry,
    })
}

/// The delete form carries nothing but its CSRF token.
#[derive(Deserialize)]
pub struct Confirmed {}

/// POST /knowledge/{id}/delete.
pub async fn delete(
    admin: TenantAdmin,
    session: Session,
    path: web::Path<String>,
    state: web::Data<AppState>,
    _form: CsrfForm<Confirmed>,
) -> Result<HttpResponse, AppError> {
    let Some(id) = entry_id(&path) else {
        return Ok(errors::not_found_page());
    };
    let editor = editor(&admin);
    let deleted = db::run_write(&state.db, move |conn| {
        db::write_transaction(conn, |conn| Ok::<_, DbError>(editor.delete(conn, id)?))
    })
    .await?;
    let Some(question) = deleted else {
        return Ok(errors::not_found_page());
    };
    session::set_flash(&session, &format!("Deleted \u{201c}{question}\u{201d}."))
        .map_err(internal)?;
    Ok(see_other("/knowledge"))
}
