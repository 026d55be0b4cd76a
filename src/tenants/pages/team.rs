//! `/settings/team`: the tenant's admins, inviting one, and disabling or
//! enabling one.
//!
//! An invitation's one-time password is shown once, in the answer to the
//! POST that created it (`Cache-Control: no-store`): it is never put in
//! the session, a URL or the log, so it cannot be shown again or leak
//! through a redirect.

use actix_session::Session;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::flash;
use crate::app::AppState;
use crate::audit::Change;
use crate::db::{self, DbError};
use crate::error::AppError;
use crate::ids::UserId;
use crate::tenants::team::{self, Member, TeamError};
use crate::users::invite::{Invitation, InviteError};
use crate::web::csrf::CsrfForm;
use crate::web::errors;
use crate::web::format::short_time;
use crate::web::guard::TenantAdmin;
use crate::web::layout::{Nav, Page, render};
use crate::web::login::{NoFields, see_other};
use crate::web::session;

/// One row of the team list.
struct MemberRow {
    id: UserId,
    email: String,
    last_sign_in: String,
    disabled: bool,
    must_change_password: bool,
    is_you: bool,
}

#[derive(Template)]
#[template(path = "dashboard/team.html")]
struct TeamPage {
    page: Page,
    members: Vec<MemberRow>,
    /// The invitation form's email as typed, and its problem.
    email: String,
    email_error: Option<String>,
    /// The page-level problem of a refused disable.
    problem: Option<String>,
}

#[derive(Template)]
#[template(path = "dashboard/team_invited.html")]
struct InvitedPage {
    page: Page,
    email: String,
    one_time_password: String,
}

#[derive(Deserialize)]
pub struct InviteForm {
    email: String,
}

async fn team_page(
    admin: &TenantAdmin,
    state: &AppState,
    page: Page,
    email: String,
    email_error: Option<String>,
    problem: Option<String>,
) -> Result<TeamPage, AppError> {
    let tenant_id = admin.tenant_id;
    let members: Vec<Member> = db::run(&state.db, move |conn| {
        Ok::<_, DbError>(team::members(conn, tenant_id)?)
    })
    .await?;
    let members = members
        .into_iter()
        .map(|m| MemberRow {
            id: m.id,
            last_sign_in: m
                .last_login_at
                .map_or_else(|| "Never".to_owned(), |at| short_time(admin.timezone, at)),
            is_you: m.id == admin.user.id,
            email: m.email,
            disabled: m.disabled,
            must_change_password: m.must_change_password,
        })
        .collect();
    Ok(TeamPage {
        page,
        members,
        email,
        email_error,
        problem,
    })
}

/// GET /settings/team.
pub async fn show(
    admin: TenantAdmin,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let page =
        Page::tenant(&admin, "Team", Nav::Settings).with_flash(session::take_flash(&session));
    render(&team_page(&admin, &state, page, String::new(), None, None).await?)
}

/// POST /settings/team: invites an admin and shows their one-time
/// password, once.
pub async fn invite(
    admin: TenantAdmin,
    state: web::Data<AppState>,
    form: CsrfForm<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let typed = form.into_inner().email;
    let email = typed.clone();
    let prepared = web::block(move || Invitation::prepare(&email))
        .await
        .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    let created = match prepared {
        Ok(invitation) => {
            let (tenant_id, by) = (admin.tenant_id, Change::by(admin.user.id));
            db::run_write(&state.db, move |conn| {
                let created = db::write_transaction(conn, |conn| {
                    team::invite(conn, tenant_id, &by, &invitation)
                });
                Ok::<_, DbError>(created.map(|_| invitation))
            })
            .await?
        }
        Err(refused) => Err(refused),
    };
    match created {
        Ok(invitation) => {
            tracing::info!(tenant = %admin.tenant_id, "team member invited");
            let page = Page::tenant(&admin, "Team", Nav::Settings);
            let mut res = render(&InvitedPage {
                page,
                email: invitation.email.clone(),
                one_time_password: invitation.one_time_password.clone(),
            })?;
            res.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("no-store"),
            );
            Ok(res)
        }
        Err(refused @ (InviteError::InvalidEmail | InviteError::Taken)) => {
            let page = Page::tenant(&admin, "Team", Nav::Settings);
            let team = team_page(&admin, &state, page, typed, Some(refused.to_string()), None);
            let mut res = render(&team.await?)?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(InviteError::Database(error)) => Err(error.into()),
        Err(InviteError::Hash(reason)) => Err(AppError::Internal(anyhow::anyhow!(reason))),
    }
}

/// POST /settings/team/{id}/disable: the admin can no longer sign in and
/// their sessions end.
pub async fn disable(
    admin: TenantAdmin,
    session: Session,
    path: web::Path<String>,
    state: web::Data<AppState>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    set_enabled(admin, session, &path, state, false).await
}

/// POST /settings/team/{id}/enable.
pub async fn enable(
    admin: TenantAdmin,
    session: Session,
    path: web::Path<String>,
    state: web::Data<AppState>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    set_enabled(admin, session, &path, state, true).await
}

async fn set_enabled(
    admin: TenantAdmin,
    session: Session,
    id: &str,
    state: web::Data<AppState>,
    enabled: bool,
) -> Result<HttpResponse, AppError> {
    let Ok(member) = id.parse::<i64>().map(UserId) else {
        return Ok(errors::not_found_page());
    };
    let (tenant_id, by) = (admin.tenant_id, admin.user.id);
    let changed = db::run_write(&state.db, move |conn| {
        Ok::<_, DbError>(db::write_transaction(conn, |conn| {
            team::set_enabled(conn, tenant_id, by, member, enabled)
        }))
    })
    .await?;
    match changed {
        Ok(email) => {
            let done = if enabled {
                "enabled"
            } else {
                "disabled; their sessions ended"
            };
            flash(&session, &format!("{email} {done}."))?;
            Ok(see_other("/settings/team"))
        }
        Err(TeamError::NotFound) => Ok(errors::not_found_page()),
        Err(refused @ (TeamError::Yourself | TeamError::LastAdmin)) => {
            let page = Page::tenant(&admin, "Team", Nav::Settings);
            let team = team_page(
                &admin,
                &state,
                page,
                String::new(),
                None,
                Some(refused.to_string()),
            );
            let mut res = render(&team.await?)?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(TeamError::Database(error)) => Err(error.into()),
    }
}
