//! The entry form: GET/POST /knowledge/new (optionally pre-filled from an
//! unanswered question) and GET/POST /knowledge/{id}. A mistake shows the
//! form again as typed, each message next to its field (422); a save bumps
//! the tenant's configuration so the next call answers from it.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{Tab, entry_id, internal, tabs};
use crate::app::AppState;
use crate::db::{self, DbError};
use crate::error::AppError;
use crate::ids::KnowledgeId;
use crate::knowledge::entries::{self, Editor};
use crate::knowledge::form::{EntryForm, FormErrors};
use crate::tenants::file::KnowledgeEntry;
use crate::web::csrf::CsrfForm;
use crate::web::errors;
use crate::web::guard::TenantAdmin;
use crate::web::layout::{Nav, Page, render};
use crate::web::listing::read_query;
use crate::web::login::see_other;
use crate::web::session;

#[derive(Template)]
#[template(path = "dashboard/knowledge_form.html")]
struct FormPage {
    page: Page,
    tabs: Vec<Tab>,
    /// `None` for a new entry.
    id: Option<i64>,
    action: String,
    form: EntryForm,
    errors: FormErrors,
    categories: Vec<String>,
}

async fn form_page(
    admin: &TenantAdmin,
    session: &Session,
    state: &AppState,
    status: StatusCode,
    id: Option<KnowledgeId>,
    form: EntryForm,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let tenant = admin.tenant_id;
    let categories = db::run(&state.db, move |conn| {
        Ok::<_, DbError>(entries::categories(conn, tenant)?)
    })
    .await?;
    let title = match id {
        Some(_) => "Edit knowledge entry",
        None => "New knowledge entry",
    };
    let mut response = render(&FormPage {
        page: Page::tenant(admin, title, Nav::Knowledge).with_flash(session::take_flash(session)),
        tabs: tabs("/knowledge"),
        id: id.map(|id| id.0),
        action: match id {
            Some(id) => format!("/knowledge/{id}"),
            None => "/knowledge/new".to_owned(),
        },
        form,
        errors,
        categories,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// `?question=` or `?also_asked=`: a caller's phrasing to start from.
#[derive(Debug, Default, Deserialize)]
pub struct Prefill {
    question: Option<String>,
    also_asked: Option<String>,
}

/// GET /knowledge/new.
pub async fn new(
    admin: TenantAdmin,
    session: Session,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (prefill, _) = read_query::<Prefill>(req.query_string());
    let form = EntryForm::prefilled(prefill.question.as_deref(), prefill.also_asked.as_deref());
    form_page(
        &admin,
        &session,
        &state,
        StatusCode::OK,
        None,
        form,
        FormErrors::default(),
    )
    .await
}

/// GET /knowledge/{id}, optionally with `?also_asked=` (a caller's
/// phrasing from the unanswered list) added to the entry's phrasings.
pub async fn edit(
    admin: TenantAdmin,
    session: Session,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let Some(id) = entry_id(&path) else {
        return Ok(errors::not_found_page());
    };
    let tenant = admin.tenant_id;
    let stored = db::run(&state.db, move |conn| {
        Ok::<_, DbError>(entries::find(conn, tenant, id)?)
    })
    .await?;
    let Some(stored) = stored else {
        return Ok(errors::not_found_page());
    };
    let (prefill, _) = read_query::<Prefill>(req.query_string());
    let mut form = EntryForm::from_stored(&stored);
    if let Some(phrasing) = prefill
        .also_asked
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        form.add_phrasing(phrasing);
    }
    form_page(
        &admin,
        &session,
        &state,
        StatusCode::OK,
        Some(id),
        form,
        FormErrors::default(),
    )
    .await
}

/// What saving came to.
enum Saved {
    Done,
    /// Another entry already asks this question.
    QuestionTaken,
    /// Not this tenant's entry.
    Missing,
}

/// Saves `entry` as a new entry or over entry `id`, in one transaction
/// with its audit entry and the configuration bump.
async fn save(
    state: &AppState,
    admin: &TenantAdmin,
    id: Option<KnowledgeId>,
    entry: KnowledgeEntry,
) -> Result<Saved, AppError> {
    let editor = Editor {
        user: admin.user.id,
        tenant: admin.tenant_id,
    };
    Ok(db::run_write(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            if entries::question_taken(conn, editor.tenant, &entry.question, id)? {
                return Ok(Saved::QuestionTaken);
            }
            Ok::<_, DbError>(match id {
                None => {
                    editor.create(conn, &entry)?;
                    Saved::Done
                }
                Some(id) if editor.update(conn, id, &entry)? => Saved::Done,
                Some(_) => Saved::Missing,
            })
        })
    })
    .await?)
}

async fn submit(
    admin: TenantAdmin,
    session: Session,
    state: web::Data<AppState>,
    id: Option<KnowledgeId>,
    form: EntryForm,
) -> Result<HttpResponse, AppError> {
    let entry = match form.check() {
        Ok(entry) => entry,
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return form_page(&admin, &session, &state, status, id, form, errors).await;
        }
    };
    let question = entry.question.clone();
    match save(&state, &admin, id, entry).await? {
        Saved::Done => {}
        Saved::Missing => return Ok(errors::not_found_page()),
        Saved::QuestionTaken => {
            let errors = FormErrors {
                question: Some(
                    "Another entry already has this question; edit that one, or add this \
                     wording to its other phrasings."
                        .to_owned(),
                ),
                ..FormErrors::default()
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return form_page(&admin, &session, &state, status, id, form, errors).await;
        }
    }
    tracing::info!(tenant = %admin.tenant_id, entry = ?id.map(|id| id.0), "knowledge entry saved");
    let message = match id {
        Some(_) => format!("Saved \u{201c}{question}\u{201d}. Calls answer from it now."),
        None => format!("Added \u{201c}{question}\u{201d}. Calls answer from it now."),
    };
    session::set_flash(&session, &message).map_err(internal)?;
    Ok(see_other("/knowledge"))
}

/// POST /knowledge/new.
pub async fn create(
    admin: TenantAdmin,
    session: Session,
    state: web::Data<AppState>,
    form: CsrfForm<EntryForm>,
) -> Result<HttpResponse, AppError> {
    submit(admin, session, state, None, form.into_inner()).await
}

/// POST /knowledge/{id}.
pub async fn update(
    admin: TenantAdmin,
    session: Session,
    path: web::Path<String>,
    state: web::Data<AppState>,
    form: CsrfForm<EntryForm>,
) -> Result<HttpResponse, AppError> {
    let Some(id) = entry_id(&path) else {
        return Ok(errors::not_found_page());
    };
    // Another tenant's entry is not found, whatever the form holds.
    let tenant = admin.tenant_id;
    let exists = db::run(&state.db, move |conn| {
        Ok::<_, DbError>(entries::find(conn, tenant, id)?.is_some())
    })
    .await?;
    if !exists {
        return Ok(errors::not_found_page());
    }
    submit(admin, session, state, Some(id), form.into_inner()).await
}
