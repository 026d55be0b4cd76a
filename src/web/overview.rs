//! GET /: the tenant's overview. For now it names the tenant and points to
//! its calls and leads; the figures and charts come with the overview page.

use actix_session::Session;
use actix_web::HttpResponse;
use askama::Template;

use super::guard::TenantAdmin;
use super::layout::{Nav, Page, render};
use super::session;
use crate::error::AppError;

#[derive(Template)]
#[template(path = "dashboard/overview.html")]
struct OverviewPage {
    page: Page,
}

pub async fn show(admin: TenantAdmin, session: Session) -> Result<HttpResponse, AppError> {
    let page =
        Page::tenant(&admin, "Overview", Nav::Overview).with_flash(session::take_flash(&session));
    render(&OverviewPage { page })
}
