//! `/admin/audit`: who changed what and when, newest first, for the whole
//! installation, its installation-wide changes only, or one business.
//! Times are in UTC, or in the business's own zone when one is chosen (the
//! page says which).

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono_tz::Tz;
use diesel::prelude::*;
use serde::Deserialize;

use super::{Tab, page};
use crate::app::AppState;
use crate::audit::{self, Entry, Scope};
use crate::db::{self, DbError};
use crate::error::AppError;
use crate::ids::TenantId;
use crate::schema::tenants;
use crate::web::format;
use crate::web::guard::SuperAdmin;
use crate::web::layout::{Page, render};
use crate::web::listing::{Pagination, read_query};

/// Entries on one page.
const PER_PAGE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    /// `all` (or absent), `installation`, or a tenant id.
    tenant: Option<String>,
    page: Option<u32>,
}

/// One `<option>` of the tenant filter.
pub struct TenantOption {
    value: String,
    label: String,
    selected: bool,
}

/// An entry as the page shows it.
pub struct Row {
    at: String,
    tenant: String,
    by: String,
    what: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "dashboard/admin_audit.html")]
struct AuditPage {
    page: Page,
    tab: Tab,
    options: Vec<TenantOption>,
    /// "UTC" or the chosen business's zone.
    zone: String,
    rows: Vec<Row>,
    pagination: Pagination,
    note: Option<String>,
}

/// The scope a filter value names (`None`: an unknown tenant).
fn scope_of(filter: &str, known: &[(TenantId, String, String)]) -> Option<Scope> {
    match filter {
        "" | "all" => Some(Scope::All),
        "installation" => Some(Scope::Installation),
        id => {
            let id = id.parse().ok().map(TenantId)?;
            known
                .iter()
                .any(|(t, _, _)| *t == id)
                .then_some(Scope::Tenant(id))
        }
    }
}

/// GET /admin/audit.
pub async fn list(
    admin: SuperAdmin,
    session: Session,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let (query, mut note) = read_query::<AuditQuery>(req.query_string());
    let filter = query.tenant.unwrap_or_default();
    let wanted_page = query.page.unwrap_or(1).max(1);
    let loaded = {
        let filter = filter.clone();
        db::run(&state.db, move |conn| {
            let known: Vec<(TenantId, String, String)> = tenants::table
                .select((tenants::id, tenants::name, tenants::timezone))
                .order((tenants::name, tenants::id))
                .load(conn)?;
            let scope = scope_of(&filter, &known);
            let total = audit::count(conn, scope.unwrap_or(Scope::All))?;
            let pages = u32::try_from((total + PER_PAGE - 1) / PER_PAGE).unwrap_or(u32::MAX);
            let page = wanted_page.min(pages.max(1));
            let offset = i64::from(page - 1) * PER_PAGE;
            let entries = audit::list(conn, scope.unwrap_or(Scope::All), PER_PAGE, offset)?;
            Ok::<_, DbError>((known, scope, total, pages, page, entries))
        })
        .await?
    };
    let (known, scope, total, pages, page_number, entries) = loaded;
    if scope.is_none() {
        note = Some("That business does not exist, so every entry is shown.".to_owned());
    }
    let scope = scope.unwrap_or(Scope::All);
    let zone: Tz = match scope {
        Scope::Tenant(id) => known
            .iter()
            .find(|(t, _, _)| *t == id)
            .and_then(|(_, _, zone)| zone.parse().ok())
            .unwrap_or(Tz::UTC),
        Scope::All | Scope::Installation => Tz::UTC,
    };
    let filter_value = match scope {
        Scope::All => "all".to_owned(),
        Scope::Installation => "installation".to_owned(),
        Scope::Tenant(id) => id.to_string(),
    };
    let rows = entries
        .into_iter()
        .map(|entry| row(entry, &known, zone))
        .collect();
    let mut options = vec![
        option("all", "Everything", &filter_value),
        option("installation", "Installation-wide only", &filter_value),
    ];
    options.extend(
        known
            .iter()
            .map(|(id, name, _)| option(&id.to_string(), name, &filter_value)),
    );
    let filters = [("tenant", filter_value.clone())];
    render(&AuditPage {
        page: page(&admin, &session, "Audit log"),
        tab: Tab::Audit,
        options,
        zone: zone.name().to_owned(),
        rows,
        pagination: Pagination::new("/admin/audit", &filters, page_number, pages, total),
        note,
    })
}

fn option(value: &str, label: &str, selected: &str) -> TenantOption {
    TenantOption {
        value: value.to_owned(),
        label: label.to_owned(),
        selected: value == selected,
    }
}

fn row(entry: Entry, known: &[(TenantId, String, String)], zone: Tz) -> Row {
    let tenant = match entry.tenant {
        None => "Installation".to_owned(),
        Some(id) => known.iter().find(|(t, _, _)| *t == id).map_or_else(
            || format!("Business #{id} (deleted)"),
            |(_, n, _)| n.clone(),
        ),
    };
    Row {
        at: format::short_time(zone, entry.at),
        tenant,
        by: entry.by.unwrap_or_else(|| "command line".to_owned()),
        what: entry
            .action
            .map_or_else(|| entry.action_name.clone(), |a| a.describe().to_owned()),
        detail: entry.detail,
    }
}
