//! GET /calls: the call log, searched by the caller's number or words said,
//! filtered by the tenant's dates, by outcome and by whether test calls are
//! shown (left out unless asked), a page at a time.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::CallLine;
use crate::app::AppState;
use crate::calls::search::{CallFilter, CallQuery, OutcomeFilter, search};
use crate::calls::test_calls::TestCalls;
use crate::db::{self, DbError};
use crate::error::AppError;
use crate::web::guard::TenantAdmin;
use crate::web::layout::{Nav, Page, render};
use crate::web::listing::{Choice, Pagination, read_query};
use crate::web::session;

#[derive(Template)]
#[template(path = "dashboard/calls.html")]
struct CallsPage {
    page: Page,
    /// The filter as the form shows it again.
    q: String,
    from: String,
    to: String,
    outcomes: Vec<Choice>,
    test_calls: Vec<Choice>,
    /// Why part of the query was ignored.
    notes: Vec<String>,
    filtered: bool,
    calls: Vec<CallLine>,
    pagination: Pagination,
}

/// The filter's values as a query string keeps them (valid ones only).
fn filter_params(filter: &CallFilter) -> Vec<(&'static str, String)> {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    vec![
        ("q", filter.q.clone().unwrap_or_default()),
        ("from", date(filter.from)),
        ("to", date(filter.to)),
        (
            "outcome",
            filter
                .outcome
                .map(|o| o.as_str().to_owned())
                .unwrap_or_default(),
        ),
        ("test", filter.test_calls.as_str().to_owned()),
    ]
}

/// GET /calls.
pub async fn index(
    admin: TenantAdmin,
    session: Session,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (query, unreadable) = read_query::<CallQuery>(req.query_string());
    let (filter, mut notes) = CallFilter::from_query(&query);
    notes.extend(unreadable);
    let (tenant, tz) = (admin.tenant_id, admin.timezone);
    let found = {
        let filter = filter.clone();
        db::run(&state.db, move |conn| {
            Ok::<_, DbError>(search(conn, tenant, tz, &filter)?)
        })
        .await?
    };
    let params = filter_params(&filter);
    let value_of = |name: &str| {
        params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let title = format!("Calls · {}", admin.tenant_name);
    render(&CallsPage {
        page: Page::tenant(&admin, &title, Nav::Calls).with_flash(session::take_flash(&session)),
        q: value_of("q"),
        from: value_of("from"),
        to: value_of("to"),
        outcomes: OutcomeFilter::ALL
            .iter()
            .map(|o| Choice {
                value: o.as_str(),
                label: o.label(),
                selected: filter.outcome == Some(*o),
            })
            .collect(),
        test_calls: TestCalls::ALL
            .iter()
            .map(|t| Choice {
                value: t.as_str(),
                label: t.label(),
                selected: filter.test_calls == *t,
            })
            .collect(),
        notes,
        filtered: params.iter().any(|(_, v)| !v.is_empty()),
        calls: found
            .rows
            .iter()
            .map(|row| CallLine::new(row, tz))
            .collect(),
        pagination: Pagination::new("/calls", &params, found.page, found.pages, found.total),
    })
}
