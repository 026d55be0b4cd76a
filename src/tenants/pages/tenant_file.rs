//! `/settings/file`: the tenant file. Download it (what `frontdesk tenant
//! export` prints, without secrets) and upload one to replace the settings
//! and knowledge: the same validation and store code as
//! `frontdesk tenant import`, all-or-nothing, problems listed with their
//! line numbers as the command line prints them.

use actix_session::Session;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{flash, store_error};
use crate::app::AppState;
use crate::audit::Change;
use crate::db;
use crate::error::AppError;
use crate::tenants::changes::{self, Saved};
use crate::web::csrf::CsrfForm;
use crate::web::guard::TenantAdmin;
use crate::web::layout::{Nav, Page, render};
use crate::web::login::see_other;
use crate::web::session;

/// The largest file accepted, in characters: dashboard forms are capped at
/// 64 KiB encoded, and a tenant file's own characters grow when encoded.
const MAX_FILE_CHARS: usize = 48 * 1024;

#[derive(Template)]
#[template(path = "dashboard/tenant_file.html")]
struct TenantFilePage {
    page: Page,
    file_name: String,
    /// The uploaded text, shown again after a refused upload.
    text: String,
    /// The problems of a refused upload, one line each (`file:line: field: message`).
    problems: Vec<String>,
    max_chars: usize,
}

#[derive(Deserialize)]
pub struct Upload {
    tenant_file: String,
}

/// GET /settings/file.
pub async fn show(
    admin: TenantAdmin,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let tenant_id = admin.tenant_id;
    let current = db::run(&state.db, move |conn| {
        changes::current(conn, tenant_id).map_err(store_error)
    })
    .await?;
    let page = Page::tenant(&admin, "Tenant file", Nav::Settings)
        .with_flash(session::take_flash(&session));
    render(&TenantFilePage {
        page,
        file_name: format!("{}.toml", current.slug),
        text: String::new(),
        problems: Vec::new(),
        max_chars: MAX_FILE_CHARS,
    })
}

/// GET /settings/file/download: the tenant file as an attachment.
pub async fn download(
    admin: TenantAdmin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let tenant_id = admin.tenant_id;
    let current = db::run(&state.db, move |conn| {
        changes::current(conn, tenant_id).map_err(store_error)
    })
    .await?;
    let disposition = format!("attachment; filename=\"{}.toml\"", current.slug);
    Ok(HttpResponse::Ok()
        .content_type("application/toml; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(current.without_secrets().to_toml()))
}

/// POST /settings/file: replaces the settings and knowledge with the
/// uploaded file, or changes nothing and lists every problem (422).
pub async fn upload(
    admin: TenantAdmin,
    session: Session,
    state: web::Data<AppState>,
    form: CsrfForm<Upload>,
) -> Result<HttpResponse, AppError> {
    let text = form.into_inner().tenant_file;
    let (tenant_id, by) = (admin.tenant_id, Change::by(admin.user.id));
    let outcome = if text.chars().count() > MAX_FILE_CHARS {
        Saved::Invalid(vec![format!(
            "The file is {} characters long; the limit is {MAX_FILE_CHARS}. \
             Ask the operator to import it with `frontdesk tenant import`.",
            text.chars().count()
        )])
    } else if text.trim().is_empty() {
        Saved::Invalid(vec!["Paste or choose a tenant file first.".to_owned()])
    } else {
        let uploaded = text.clone();
        let imported = db::run_write(&state.db, move |conn| {
            db::write_transaction(conn, |conn| {
                changes::import_uploaded_file(conn, tenant_id, &by, &uploaded)
            })
            .map_err(store_error)
        })
        .await?;
        match imported {
            Saved::Invalid(problems) => {
                Saved::Invalid(problems.iter().map(ToString::to_string).collect())
            }
            Saved::Changed(parts) => Saved::Changed(parts),
            Saved::Unchanged => Saved::Unchanged,
        }
    };
    match outcome {
        Saved::Changed(parts) => {
            tracing::info!(tenant = %tenant_id, %parts, "tenant file imported from the dashboard");
            flash(
                &session,
                &format!("Tenant file imported ({parts}). The next call uses it."),
            )?;
            Ok(see_other("/settings/file"))
        }
        Saved::Unchanged => {
            flash(
                &session,
                "The file is the same as the current settings: nothing changed.",
            )?;
            Ok(see_other("/settings/file"))
        }
        Saved::Invalid(problems) => {
            let tenant = admin.tenant_id;
            let current = db::run(&state.db, move |conn| {
                changes::current(conn, tenant).map_err(store_error)
            })
            .await?;
            let page = Page::tenant(&admin, "Tenant file", Nav::Settings);
            let mut res = render(&TenantFilePage {
                page,
                file_name: format!("{}.toml", current.slug),
                text,
                problems,
                max_chars: MAX_FILE_CHARS,
            })?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
    }
}
