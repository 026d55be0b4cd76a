//! The page frame: every dashboard template has a `page: Page` field and
//! `{% extends "dashboard/base.html" %}`, which draws the header, the
//! navigation, the sign-out form, the tenant switcher (super admins), the
//! flash message and the footer around the template's `content` block.
//!
//! ```ignore
//! #[derive(askama::Template)]
//! #[template(path = "dashboard/calls.html")]
//! struct CallsPage { page: Page, calls: Vec<CallRow> }
//!
//! async fn list(admin: TenantAdmin) -> Result<HttpResponse, AppError> {
//!     let page = Page::tenant(&admin, "Calls", Nav::Calls);
//!     render(&CallsPage { page, calls })
//! }
//! ```

use actix_web::HttpResponse;
use askama::Template;

use super::assets::{SCRIPT, STYLESHEET};
use super::guard::{CurrentUser, TenantAdmin, TenantChoice};
use crate::error::AppError;
use crate::ids::TenantId;
use crate::users::Role;

/// The navigation item a page belongs to (highlighted in the menu).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Overview,
    Calls,
    Leads,
    /// The knowledge base, "try a question" and unanswered questions.
    Knowledge,
    /// Talking to the receptionist in the browser.
    TestCall,
    /// Receptionist settings, team, tenant file.
    Settings,
    /// Super admin pages: tenants, system health, audit log.
    Admin,
    Account,
    /// Pages outside the menu (sign-in, errors, super admin pages).
    Other,
}

impl Nav {
    /// Used by the template to mark the current item.
    pub fn key(self) -> &'static str {
        match self {
            Nav::Overview => "overview",
            Nav::Calls => "calls",
            Nav::Leads => "leads",
            Nav::Knowledge => "knowledge",
            Nav::TestCall => "test-call",
            Nav::Settings => "settings",
            Nav::Admin => "admin",
            Nav::Account => "account",
            Nav::Other => "",
        }
    }
}

/// What the frame needs to know about the request.
#[derive(Debug, Clone)]
pub struct Page {
    /// Shown as `<title>{title} · Frontdesk</title>` and in the header.
    pub title: String,
    pub active: Nav,
    /// `None` on pages for signed-out visitors (no menu then).
    pub user_email: Option<String>,
    pub tenant_name: Option<String>,
    /// Super admins only: every tenant, to switch between.
    pub tenant_switcher: Vec<TenantChoice>,
    pub current_tenant: Option<TenantId>,
    /// For the sign-out and tenant switch forms.
    pub csrf_token: String,
    /// A one-time message (e.g. after a redirect: see `session::take_flash`).
    pub flash: Option<String>,
    /// Shows the Admin menu item (super admins only).
    pub super_admin: bool,
}

impl Page {
    /// A tenant-scoped page.
    pub fn tenant(admin: &TenantAdmin, title: &str, active: Nav) -> Page {
        Page {
            title: title.to_owned(),
            active,
            user_email: Some(admin.user.email.clone()),
            tenant_name: Some(admin.tenant_name.clone()),
            tenant_switcher: admin.switchable_tenants.clone(),
            current_tenant: Some(admin.tenant_id),
            csrf_token: admin.csrf_token.clone(),
            flash: None,
            super_admin: admin.user.role == Role::SuperAdmin,
        }
    }

    /// A signed-in page with no tenant (the account page, super admin pages).
    pub fn signed_in(user: &CurrentUser, csrf_token: &str, title: &str, active: Nav) -> Page {
        Page {
            title: title.to_owned(),
            active,
            user_email: Some(user.email.clone()),
            tenant_name: None,
            tenant_switcher: Vec::new(),
            current_tenant: None,
            csrf_token: csrf_token.to_owned(),
            flash: None,
            super_admin: user.role == Role::SuperAdmin,
        }
    }

    /// A page for anyone (sign-in, errors): no menu.
    pub fn public(title: &str) -> Page {
        Page {
            title: title.to_owned(),
            active: Nav::Other,
            user_email: None,
            tenant_name: None,
            tenant_switcher: Vec::new(),
            current_tenant: None,
            csrf_token: String::new(),
            flash: None,
            super_admin: false,
        }
    }

    pub fn with_flash(mut self, flash: Option<String>) -> Page {
        self.flash = flash;
        self
    }

    pub fn is_active(&self, key: &str) -> bool {
        self.active.key() == key
    }

    pub fn is_current_tenant(&self, id: &TenantId) -> bool {
        self.current_tenant == Some(*id)
    }

    pub fn stylesheet_url(&self) -> String {
        STYLESHEET.url()
    }

    pub fn script_url(&self) -> String {
        SCRIPT.url()
    }
}

/// Renders a page template as a 200 HTML response.
pub fn render<T: Template>(template: &T) -> Result<HttpResponse, AppError> {
    let html = template
        .render()
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("rendering a page")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}
