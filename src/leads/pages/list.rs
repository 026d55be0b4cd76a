//! GET /leads: the messages callers left, urgent first then newest,
//! filtered by status, searched, a page at a time, each with its status
//! form; the CSV link downloads the same filter's leads.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::LeadView;
use crate::app::AppState;
use crate::db::{self, DbError};
use crate::error::AppError;
use crate::leads::list::{LeadFilter, LeadQuery, LeadStatus, list};
use crate::web::guard::TenantAdmin;
use crate::web::layout::{Nav, Page, render};
use crate::web::listing::{Choice, Pagination, list_url, read_query};
use crate::web::session;

#[derive(Template)]
#[template(path = "dashboard/leads.html")]
struct LeadsPage {
    page: Page,
    q: String,
    statuses: Vec<Choice>,
    urgent_only: bool,
    notes: Vec<String>,
    filtered: bool,
    leads: Vec<LeadView>,
    pagination: Pagination,
    /// This page's address, where a status change comes back to.
    return_to: String,
    /// `/leads.csv` with this list's filters.
    csv_href: String,
}

/// The filter's values as a query string keeps them (valid ones only).
pub fn filter_params(filter: &LeadFilter) -> Vec<(&'static str, String)> {
    vec![
        (
            "status",
            filter
                .status
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
        ),
        ("q", filter.q.clone().unwrap_or_default()),
        (
            "urgent",
            if filter.urgent_only { "1" } else { "" }.to_owned(),
        ),
    ]
}

/// GET /leads.
pub async fn index(
    admin: TenantAdmin,
    session: Session,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (query, unreadable) = read_query::<LeadQuery>(req.query_string());
    let (filter, mut notes) = LeadFilter::from_query(&query);
    notes.extend(unreadable);
    let tenant = admin.tenant_id;
    let found = {
        let filter = filter.clone();
        db::run(&state.db, move |conn| {
            Ok::<_, DbError>(list(conn, tenant, &filter)?)
        })
        .await?
    };
    let params = filter_params(&filter);
    let title = format!("Leads · {}", admin.tenant_name);
    render(&LeadsPage {
        page: Page::tenant(&admin, &title, Nav::Leads).with_flash(session::take_flash(&session)),
        q: filter.q.clone().unwrap_or_default(),
        statuses: LeadStatus::ALL
            .into_iter()
            .map(|s| Choice {
                value: s.as_str(),
                label: s.label(),
                selected: filter.status == Some(s),
            })
            .collect(),
        urgent_only: filter.urgent_only,
        notes,
        filtered: params.iter().any(|(_, v)| !v.is_empty()),
        leads: found
            .rows
            .iter()
            .map(|lead| LeadView::new(lead, admin.timezone))
            .collect(),
        pagination: Pagination::new("/leads", &params, found.page, found.pages, found.total),
        return_to: list_url("/leads", &params, found.page),
        csv_href: list_url("/leads.csv", &params, 1),
    })
}
