//! The super admin's pages (the operator of the installation), under
//! `/admin`: Tenants (create, rename, disable, numbers, admins), System
//! health (the job queue, failed emails, database, LLM) and the Audit log.
//! Every handler takes `SuperAdmin`, so a tenant admin gets the 404 page;
//! the work itself is in the domain modules (`tenants::admin`,
//! `jobs::operator`, `system_health`, `audit`).

pub mod audit;
pub mod system;
pub mod tenant;
pub mod tenants;

use actix_session::Session;
use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use askama::Template;

use super::guard::SuperAdmin;
use super::layout::{Nav, Page, render};
use super::login::see_other;
use super::session;
use crate::error::AppError;
use crate::tenants::admin::FieldError;

/// The admin section's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Tenants,
    System,
    Audit,
}

impl Tab {
    /// Used by `admin_tabs.html` to mark the current tab.
    pub fn is(&self, key: &str) -> bool {
        let own = match self {
            Tab::Tenants => "tenants",
            Tab::System => "system",
            Tab::Audit => "audit",
        };
        own == key
    }
}

/// The frame of an admin page, with the flash message of the last POST.
fn page(admin: &SuperAdmin, session: &Session, title: &str) -> Page {
    Page::signed_in(&admin.user, &admin.csrf_token, title, Nav::Admin)
        .with_flash(session::take_flash(session))
}

/// Renders `template` with `status` (422 for a form shown again).
fn render_with<T: Template>(status: StatusCode, template: &T) -> Result<HttpResponse, AppError> {
    let mut response = render(template)?;
    *response.status_mut() = status;
    Ok(response)
}

/// A flash message, then a 303 to `location`.
fn done(session: &Session, message: &str, location: &str) -> Result<HttpResponse, AppError> {
    session::set_flash(session, message).map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    Ok(see_other(location))
}

/// A page showing a one-time password is kept by no cache.
fn no_store(mut response: HttpResponse) -> HttpResponse {
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

/// GET /admin: the first tab.
pub async fn index(_admin: SuperAdmin) -> HttpResponse {
    see_other("/admin/tenants")
}

/// A form's problems, for the template to show next to each field.
#[derive(Debug, Clone, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    /// The message for `field`, if it has one.
    pub fn of(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }

    /// Problems not tied to a field the form shows.
    pub fn general(&self, shown: &[&str]) -> Vec<&str> {
        self.0
            .iter()
            .filter(|e| !shown.contains(&e.field))
            .map(|e| e.message.as_str())
            .collect()
    }
}
