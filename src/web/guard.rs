//! Who is asking: extractors a handler takes as arguments, so it cannot
//! forget to check (`CurrentUser`, `TenantAdmin`, `SuperAdmin`).
//!
//! Every one reads the user from the database on each request, so a user
//! disabled or deleted a moment ago is signed out at once. A visitor who is
//! not signed in is sent to the sign-in page (GET) or refused (401); a
//! signed-in user on a page that is not for them gets the 404 page, so the
//! page's existence is not revealed.
//!
//! A user who must choose a new password (an admin invited with a one-time
//! password) is sent to `/account` from every page that needs a tenant
//! admin or a super admin until they have.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::http::{Method, StatusCode, header};
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use diesel::prelude::*;

use super::{errors, session};
use crate::app::AppState;
use crate::db::{self, DbConnection, DbError};
use crate::ids::{TenantId, UserId};
use crate::schema::{tenants, users};
use crate::users::Role;

/// Any signed-in, enabled user.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: UserId,
    pub email: String,
    pub role: Role,
    /// Signed in with a one-time password: every other page waits until
    /// they choose their own on `/account`.
    pub must_change_password: bool,
}

/// A tenant admin, or a super admin looking at a tenant: the tenant always
/// comes from the session, never from the request.
#[derive(Debug, Clone)]
pub struct TenantAdmin {
    pub user: CurrentUser,
    pub tenant_id: TenantId,
    pub tenant_name: String,
    pub timezone: chrono_tz::Tz,
    pub csrf_token: String,
    /// Every tenant, for a super admin's tenant switcher; empty for a tenant
    /// admin (read in the same database trip as the rest).
    pub switchable_tenants: Vec<TenantChoice>,
}

/// A super admin.
#[derive(Debug, Clone)]
pub struct SuperAdmin {
    pub user: CurrentUser,
    pub csrf_token: String,
}

/// One entry of the tenant switcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantChoice {
    pub id: TenantId,
    pub name: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Rejection {
    /// `next` is where to come back to after signing in (GET only).
    #[error("not signed in")]
    NotSignedIn { next: Option<String> },
    #[error("not found")]
    NotAllowed,
    #[error("must choose a new password first")]
    MustChangePassword,
    #[error("database unavailable")]
    Database(#[from] DbError),
    #[error("session error")]
    Session,
}

impl ResponseError for Rejection {
    fn status_code(&self) -> StatusCode {
        match self {
            Rejection::NotSignedIn { next: Some(_) } => StatusCode::SEE_OTHER,
            Rejection::NotSignedIn { next: None } => StatusCode::UNAUTHORIZED,
            Rejection::NotAllowed => StatusCode::NOT_FOUND,
            Rejection::MustChangePassword => StatusCode::SEE_OTHER,
            Rejection::Database(_) => StatusCode::SERVICE_UNAVAILABLE,
            Rejection::Session => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Rejection::NotSignedIn { next: Some(next) } => HttpResponse::SeeOther()
                .insert_header((header::LOCATION, login_url(next)))
                .finish(),
            Rejection::NotSignedIn { next: None } => errors::page(
                StatusCode::UNAUTHORIZED,
                "Signed out",
                "Your session has ended. Sign in again to continue.",
            ),
            Rejection::NotAllowed => errors::not_found_page(),
            Rejection::MustChangePassword => HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/account"))
                .finish(),
            Rejection::Database(err) => {
                tracing::warn!(error = %err, "cannot check who is signed in");
                errors::unavailable_page()
            }
            Rejection::Session => errors::server_error_page(),
        }
    }
}

/// `/login?next=<path>`, the path percent-encoded.
pub fn login_url(next: &str) -> String {
    if next == "/" {
        return "/login".to_owned();
    }
    let query = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
    format!("/login?{query}")
}

fn state(req: &HttpRequest) -> Result<web::Data<AppState>, Rejection> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or(Rejection::Session)
}

fn not_signed_in(req: &HttpRequest) -> Rejection {
    let next = (req.method() == Method::GET || req.method() == Method::HEAD).then(|| {
        let uri = req.uri();
        uri.path_and_query()
            .map_or_else(|| uri.path().to_owned(), |pq| pq.as_str().to_owned())
    });
    Rejection::NotSignedIn { next }
}

/// The enabled user a session names, or `None` (deleted, disabled).
fn load_user(
    conn: &mut DbConnection,
    id: UserId,
) -> QueryResult<Option<(CurrentUser, Option<TenantId>)>> {
    let row: Option<(String, String, Option<TenantId>, bool, bool)> = users::table
        .find(id)
        .select((
            users::email,
            users::role,
            users::tenant_id,
            users::disabled,
            users::must_change_password,
        ))
        .first(conn)
        .optional()?;
    Ok(
        row.and_then(|(email, role, tenant_id, disabled, must_change_password)| {
            let role = Role::parse(&role)?;
            let user = CurrentUser {
                id,
                email,
                role,
                must_change_password,
            };
            (!disabled).then_some((user, tenant_id))
        }),
    )
}

/// The signed-in user, with their tenant; a session whose user is gone or
/// disabled is ended.
async fn current(req: &HttpRequest) -> Result<(CurrentUser, Option<TenantId>, Session), Rejection> {
    let session = req.get_session();
    let Some(id) = session::user_id(&session) else {
        return Err(not_signed_in(req));
    };
    let state = state(req)?;
    let user = db::run(&state.db, move |conn| {
        Ok::<_, DbError>(load_user(conn, id)?)
    })
    .await?;
    match user {
        Some((user, tenant)) => Ok((user, tenant, session)),
        None => {
            session.purge();
            Err(not_signed_in(req))
        }
    }
}

impl FromRequest for CurrentUser {
    type Error = Rejection;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { current(&req).await.map(|(user, _, _)| user) })
    }
}

impl FromRequest for SuperAdmin {
    type Error = Rejection;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let (user, _, session) = current(&req).await?;
            if user.role != Role::SuperAdmin {
                return Err(Rejection::NotAllowed);
            }
            if user.must_change_password {
                return Err(Rejection::MustChangePassword);
            }
            let csrf_token = session::csrf_token(&session).map_err(|_| Rejection::Session)?;
            Ok(SuperAdmin { user, csrf_token })
        })
    }
}

/// The tenant a page is about, and (for a super admin) the switcher list.
fn tenant_of(
    conn: &mut DbConnection,
    role: Role,
    own: Option<TenantId>,
    chosen: Option<TenantId>,
) -> QueryResult<Option<(TenantChoice, String, Vec<TenantChoice>)>> {
    let all = |conn: &mut DbConnection| -> QueryResult<Vec<TenantChoice>> {
        let rows: Vec<(TenantId, String)> = tenants::table
            .select((tenants::id, tenants::name))
            .order((tenants::name, tenants::id))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|(id, name)| TenantChoice { id, name })
            .collect())
    };
    let (wanted, switcher) = match role {
        Role::TenantAdmin => (own, Vec::new()),
        Role::SuperAdmin => {
            let every = all(conn)?;
            let first = every.iter().map(|t| t.id).min();
            let wanted = chosen
                .filter(|c| every.iter().any(|t| t.id == *c))
                .or(first);
            (wanted, every)
        }
    };
    let Some(wanted) = wanted else {
        return Ok(None);
    };
    let row: Option<(String, String)> = tenants::table
        .find(wanted)
        .select((tenants::name, tenants::timezone))
        .first(conn)
        .optional()?;
    Ok(row.map(|(name, timezone)| (TenantChoice { id: wanted, name }, timezone, switcher)))
}

impl FromRequest for TenantAdmin {
    type Error = Rejection;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let session = req.get_session();
            let Some(id) = session::user_id(&session) else {
                return Err(not_signed_in(&req));
            };
            let chosen = session::chosen_tenant(&session);
            let state = state(&req)?;
            // One database trip for the user and their tenant.
            let found = db::run(&state.db, move |conn| {
                let Some((user, own)) = load_user(conn, id)? else {
                    return Ok::<_, DbError>(None);
                };
                let tenant = tenant_of(conn, user.role, own, chosen)?;
                Ok(Some((user, tenant)))
            })
            .await?;
            let Some((user, tenant)) = found else {
                session.purge();
                return Err(not_signed_in(&req));
            };
            if user.must_change_password {
                return Err(Rejection::MustChangePassword);
            }
            let Some((tenant, timezone, switchable_tenants)) = tenant else {
                return Err(Rejection::NotAllowed);
            };
            let timezone = timezone.parse().unwrap_or_else(|_| {
                tracing::warn!(tenant = %tenant.id, "tenant has an unknown time zone; showing UTC");
                chrono_tz::UTC
            });
            let csrf_token = session::csrf_token(&session).map_err(|_| Rejection::Session)?;
            Ok(TenantAdmin {
                user,
                tenant_id: tenant.id,
                tenant_name: tenant.name,
                timezone,
                csrf_token,
                switchable_tenants,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_login_url_carries_the_page_to_come_back_to() {
        assert_eq!(login_url("/"), "/login");
        assert_eq!(
            login_url("/calls?page=2"),
            "/login?next=%2Fcalls%3Fpage%3D2"
        );
    }
}
