//! `/admin/tenants`: every business with its numbers and last 30 days, and
//! creating one with its first admin (whose one-time password is shown
//! once, on the answer to the form).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{Problems, Tab, no_store, page, render_with};
use crate::app::AppState;
use crate::db::{self, DbError};
use crate::error::AppError;
use crate::ids::TenantId;
use crate::tenants::admin::{self, CreateError, FieldError, ProfileFields, TenantSummary};
use crate::users::invite::{Invitation, InviteError};
use crate::web::csrf::CsrfForm;
use crate::web::guard::SuperAdmin;
use crate::web::layout::{Page, render};

#[derive(Template)]
#[template(path = "dashboard/admin_tenants.html")]
struct TenantsPage {
    page: Page,
    tab: Tab,
    tenants: Vec<TenantSummary>,
    days: i64,
}

/// GET /admin/tenants.
pub async fn list(
    admin: SuperAdmin,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let since = crate::clock::now() - chrono::Duration::days(admin::RECENT_DAYS);
    let tenants = db::run(&state.db, move |conn| {
        Ok::<_, DbError>(admin::list(conn, since)?)
    })
    .await?;
    render(&TenantsPage {
        page: page(&admin, &session, "Tenants"),
        tab: Tab::Tenants,
        tenants,
        days: admin::RECENT_DAYS,
    })
}

/// The new-business form, as typed.
#[derive(Debug, Clone, Deserialize)]
pub struct NewTenant {
    slug: String,
    name: String,
    timezone: String,
    language: String,
    voice: String,
    number: String,
    admin_email: String,
}

impl Default for NewTenant {
    /// What the empty form suggests: the tenant file's usual values.
    fn default() -> Self {
        NewTenant {
            slug: String::new(),
            name: String::new(),
            timezone: "America/New_York".to_owned(),
            language: "en-US".to_owned(),
            voice: "Polly.Joanna-Neural".to_owned(),
            number: String::new(),
            admin_email: String::new(),
        }
    }
}

impl NewTenant {
    fn profile(&self) -> ProfileFields {
        ProfileFields {
            slug: self.slug.clone(),
            name: self.name.clone(),
            timezone: self.timezone.clone(),
            language: self.language.clone(),
            voice: self.voice.clone(),
            numbers: vec![self.number.clone()],
        }
    }
}

#[derive(Template)]
#[template(path = "dashboard/admin_tenant_new.html")]
struct NewTenantPage {
    page: Page,
    tab: Tab,
    form: NewTenant,
    problems: Problems,
}

#[derive(Template)]
#[template(path = "dashboard/admin_tenant_created.html")]
struct CreatedPage {
    page: Page,
    tab: Tab,
    tenant: TenantId,
    name: String,
    admin_email: String,
    one_time_password: String,
}

impl NewTenantPage {
    /// The time zones the form suggests.
    fn zones(&self) -> impl Iterator<Item = &'static str> {
        chrono_tz::TZ_VARIANTS.iter().map(|zone| zone.name())
    }
}

fn new_tenant_page(
    admin: &SuperAdmin,
    session: &Session,
    form: NewTenant,
    problems: Vec<FieldError>,
) -> Result<HttpResponse, AppError> {
    let status = match problems.is_empty() {
        true => StatusCode::OK,
        false => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let page = NewTenantPage {
        page: page(admin, session, "New business"),
        tab: Tab::Tenants,
        form,
        problems: Problems(problems),
    };
    render_with(status, &page)
}

/// GET /admin/tenants/new.
pub async fn new(admin: SuperAdmin, session: Session) -> Result<HttpResponse, AppError> {
    new_tenant_page(&admin, &session, NewTenant::default(), Vec::new())
}

/// POST /admin/tenants: creates the business and its first admin, and
/// shows the admin's one-time password (once: it is never stored).
pub async fn create(
    admin: SuperAdmin,
    session: Session,
    state: web::Data<AppState>,
    form: CsrfForm<NewTenant>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let spec = form.profile().check();
    let email = form.admin_email.clone();
    // Hashing is slow: off the async threads, before any transaction.
    let invitation = web::block(move || Invitation::prepare(&email))
        .await
        .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    let (spec, invitation) = match (spec, invitation) {
        (Ok(spec), Ok(invitation)) => (spec, invitation),
        (spec, invitation) => {
            let mut problems = spec.err().unwrap_or_default();
            match invitation {
                Err(error @ InviteError::InvalidEmail) => {
                    problems.push(FieldError::new("admin_email", error.to_string()))
                }
                Err(error) => return Err(AppError::Internal(anyhow::Error::new(error))),
                Ok(_) => {}
            }
            return new_tenant_page(&admin, &session, form, problems);
        }
    };
    let by = admin.user.id;
    let name = spec.name.clone();
    let created = db::run_write(&state.db, move |conn| {
        let created = admin::create(conn, &spec, &invitation, by).map(|id| (id, invitation));
        Ok::<_, DbError>(created)
    })
    .await?;
    let (tenant, invitation) = match created {
        Ok(created) => created,
        Err(CreateError::Invalid(problems)) => {
            return new_tenant_page(&admin, &session, form, problems);
        }
        Err(CreateError::Database(error)) => return Err(error.into()),
        Err(CreateError::Other(error)) => return Err(AppError::Internal(error)),
    };
    tracing::info!(%tenant, "business created from the dashboard");
    let page = CreatedPage {
        page: page(&admin, &session, "Business created"),
        tab: Tab::Tenants,
        tenant,
        name,
        admin_email: invitation.email,
        one_time_password: invitation.one_time_password,
    };
    render(&page).map(no_store)
}
