//! `/admin/tenants/{id}`: one business as the operator manages it: its
//! name, enabled or disabled, its phone numbers (assign, move from another
//! business after a confirmation naming the current owner, remove) and its
//! admins (list, invite with a one-time password shown once).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::OptionalExtension;
use serde::Deserialize;

use super::{Problems, Tab, done, no_store, page, render_with};
use crate::app::AppState;
use crate::audit::Change;
use crate::db::{self, DbConnection, DbError};
use crate::error::AppError;
use crate::ids::TenantId;
use crate::tenants::Tenant;
use crate::tenants::admin::numbers::{self, Assigned, CurrentOwner};
use crate::tenants::admin::{self, EditError, FieldError};
use crate::users::User;
use crate::users::invite::{Invitation, InviteError};
use crate::web::csrf::CsrfForm;
use crate::web::guard::SuperAdmin;
use crate::web::layout::Page;
use crate::web::login::NoFields;

/// What the page shows beside the tenant: forms shown again with what was
/// typed and their problems, a move to confirm, a new admin's password.
#[derive(Debug, Default)]
struct Forms {
    name: Option<String>,
    number: String,
    admin_email: String,
    problems: Problems,
    /// A number another business answers, waiting for the operator's "yes".
    move_to_confirm: Option<(String, CurrentOwner)>,
    /// (email, one-time password) of the admin just invited.
    invited: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "dashboard/admin_tenant.html")]
struct TenantPage {
    page: Page,
    tab: Tab,
    tenant: Tenant,
    numbers: Vec<String>,
    admins: Vec<User>,
    forms: Forms,
}

impl TenantPage {
    fn name_value(&self) -> &str {
        self.forms.name.as_deref().unwrap_or(&self.tenant.name)
    }
}

type Loaded = Option<(Tenant, Vec<String>, Vec<User>)>;

fn load(conn: &mut DbConnection, id: TenantId) -> Result<Loaded, DbError> {
    let Some(tenant) = Tenant::find(conn, id).optional()? else {
        return Ok(None);
    };
    let numbers = crate::tenants::numbers_of(conn, id)?;
    let admins = User::tenant_admins(conn, id)?;
    Ok(Some((tenant, numbers, admins)))
}

/// The page of tenant `id` with `forms`, or the 404 page.
async fn tenant_page(
    admin: &SuperAdmin,
    session: &Session,
    state: &AppState,
    id: TenantId,
    status: StatusCode,
    forms: Forms,
) -> Result<HttpResponse, AppError> {
    let loaded = db::run(&state.db, move |conn| load(conn, id)).await?;
    let Some((tenant, numbers, admins)) = loaded else {
        return Err(AppError::NotFound);
    };
    let title = tenant.name.clone();
    let page = TenantPage {
        page: page(admin, session, &title),
        tab: Tab::Tenants,
        tenant,
        numbers,
        admins,
        forms,
    };
    render_with(status, &page)
}

/// GET /admin/tenants/{id}.
pub async fn show(
    admin: SuperAdmin,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = TenantId(path.into_inner());
    tenant_page(
        &admin,
        &session,
        &state,
        id,
        StatusCode::OK,
        Forms::default(),
    )
    .await
}

fn tenant_url(id: TenantId) -> String {
    format!("/admin/tenants/{id}")
}

/// Runs an edit; a form problem re-shows the page (422) with `forms`.
async fn edit<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&mut DbConnection) -> Result<T, EditError> + Send + 'static,
) -> Result<Result<T, Vec<FieldError>>, AppError> {
    let result = db::run_write(&state.db, move |conn| Ok::<_, DbError>(work(conn))).await?;
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(EditError::Invalid(problems)) => Ok(Err(problems)),
        Err(EditError::NotFound) => Err(AppError::NotFound),
        Err(EditError::Database(error)) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub struct Rename {
    name: String,
}

/// POST /admin/tenants/{id}/name.
pub async fn rename(
    admin: SuperAdmin,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: CsrfForm<Rename>,
) -> Result<HttpResponse, AppError> {
    let id = TenantId(path.into_inner());
    let name = form.into_inner().name;
    let by = admin.user.id;
    let typed = name.clone();
    match edit(&state, move |conn| admin::rename(conn, id, &name, by)).await? {
        Ok(()) => done(&session, "The business was renamed.", &tenant_url(id)),
        Err(problems) => {
            let forms = Forms {
                name: Some(typed),
                problems: Problems(problems),
                ..Forms::default()
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            tenant_page(&admin, &session, &state, id, status, forms).await
        }
    }
}

/// POST /admin/tenants/{id}/disable: its numbers stop taking calls.
pub async fn disable(
    admin: SuperAdmin,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    set_disabled(admin, session, state, path.into_inner(), true).await
}

/// POST /admin/tenants/{id}/enable.
pub async fn enable(
    admin: SuperAdmin,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    set_disabled(admin, session, state, path.into_inner(), false).await
}

async fn set_disabled(
    admin: SuperAdmin,
    session: Session,
    state: web::Data<AppState>,
    id: i64,
    disabled: bool,
) -> Result<HttpResponse, AppError> {
    let id = TenantId(id);
    let by = admin.user.id;
    // Nothing in these forms can be wrong: only the tenant can be missing.
    let _ = edit(&state, move |conn| {
        admin::set_disabled(conn, id, disabled, by)
    })
    .await?;
    let message = match disabled {
        true => "The business is disabled: its numbers tell callers it cannot take calls.",
        false => "The business is enabled: its numbers take calls again.",
    };
    done(&session, message, &tenant_url(id))
}

#[derive(Deserialize)]
pub struct AssignNumber {
    number: String,
    /// Set by the confirmation form: move the number from its owner.
    #[serde(default)]
    confirm_move: Option<String>,
}

/// POST /admin/tenants/{id}/numbers: assigns a number, or asks to confirm
/// moving it when another business answers it.
pub async fn assign_number(
    admin: SuperAdmin,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: CsrfForm<AssignNumber>,
) -> Result<HttpResponse, AppError> {
    let id = TenantId(path.into_inner());
    let form = form.into_inner();
    let number = form.number.trim().to_owned();
    let confirmed = form.confirm_move.as_deref() == Some("yes");
    let by = admin.user.id;
    let wanted = number.clone();
    let assigned = edit(&state, move |conn| {
        numbers::assign(conn, id, &wanted, confirmed, by)
    })
    .await?;
    let (status, forms) = match assigned {
        Ok(Assigned::Added) => {
            return done(
                &session,
                &format!("{number} was assigned."),
                &tenant_url(id),
            );
        }
        Ok(Assigned::Moved { from }) => {
            let message = format!("{number} was moved here from {from}.");
            return done(&session, &message, &tenant_url(id));
        }
        Ok(Assigned::NeedsConfirmation(owner)) => (
            StatusCode::OK,
            Forms {
                number: number.clone(),
                move_to_confirm: Some((number, owner)),
                ..Forms::default()
            },
        ),
        Err(problems) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Forms {
                number,
                problems: Problems(problems),
                ..Forms::default()
            },
        ),
    };
    tenant_page(&admin, &session, &state, id, status, forms).await
}

#[derive(Deserialize)]
pub struct RemoveNumber {
    number: String,
}

/// POST /admin/tenants/{id}/numbers/remove.
pub async fn remove_number(
    admin: SuperAdmin,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: CsrfForm<RemoveNumber>,
) -> Result<HttpResponse, AppError> {
    let id = TenantId(path.into_inner());
    let number = form.into_inner().number;
    let by = admin.user.id;
    let removing = number.clone();
    match edit(&state, move |conn| numbers::remove(conn, id, &removing, by)).await? {
        Ok(()) => done(&session, &format!("{number} was removed."), &tenant_url(id)),
        Err(problems) => {
            let forms = Forms {
                problems: Problems(problems),
                ..Forms::default()
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            tenant_page(&admin, &session, &state, id, status, forms).await
        }
    }
}

#[derive(Deserialize)]
pub struct InviteAdmin {
    email: String,
}

/// POST /admin/tenants/{id}/admins: adds an admin with a one-time password,
/// shown on the answer to this form only.
pub async fn invite_admin(
    admin: SuperAdmin,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: CsrfForm<InviteAdmin>,
) -> Result<HttpResponse, AppError> {
    let id = TenantId(path.into_inner());
    let email = form.into_inner().email;
    let typed = email.clone();
    let invitation = web::block(move || Invitation::prepare(&email))
        .await
        .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    let by = Change::by(admin.user.id);
    let invited = match invitation {
        Ok(invitation) => {
            db::run_write(&state.db, move |conn| {
                let invited = db::write_transaction(conn, |conn| {
                    if Tenant::find(conn, id).optional()?.is_none() {
                        return Ok(None);
                    }
                    invitation.create(conn, id, &by).map(Some)
                });
                Ok::<_, DbError>(invited.map(|found| found.map(|_| invitation)))
            })
            .await?
        }
        Err(error) => Err(error),
    };
    let (status, forms) = match invited {
        Ok(None) => return Err(AppError::NotFound),
        Ok(Some(invitation)) => (
            StatusCode::OK,
            Forms {
                invited: Some((invitation.email, invitation.one_time_password)),
                ..Forms::default()
            },
        ),
        Err(error @ (InviteError::InvalidEmail | InviteError::Taken)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Forms {
                admin_email: typed,
                problems: Problems(vec![FieldError::new("admin_email", error.to_string())]),
                ..Forms::default()
            },
        ),
        Err(InviteError::Database(error)) => return Err(error.into()),
        Err(error @ InviteError::Hash(_)) => {
            return Err(AppError::Internal(anyhow::Error::new(error)));
        }
    };
    tenant_page(&admin, &session, &state, id, status, forms)
        .await
        .map(no_store)
}
