//! GET /knowledge: the tenant's entries, searched and filtered by
//! category, each with its state and the ways to change it.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{Tab, tabs};
use crate::app::AppState;
use crate::db::{self, DbError};
use crate::error::AppError;
use crate::knowledge::entries::{self, EntryFilter, StoredEntry};
use crate::web::format;
use crate::web::guard::TenantAdmin;
use crate::web::layout::{Nav, Page, render};
use crate::web::listing::read_query;
use crate::web::session;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    category: Option<String>,
}

/// An entry as the list shows it.
pub struct EntryRow {
    pub id: i64,
    pub question: String,
    pub answer: String,
    pub category: Option<String>,
    pub priority: i32,
    pub active: bool,
    pub also_asked: Vec<String>,
    pub updated: String,
}

/// A category in the filter, the chosen one selected.
pub struct CategoryChoice {
    pub name: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "dashboard/knowledge.html")]
struct KnowledgePage {
    page: Page,
    tabs: Vec<Tab>,
    q: String,
    categories: Vec<CategoryChoice>,
    filtered: bool,
    entries: Vec<EntryRow>,
    notes: Vec<String>,
}

/// GET /knowledge.
pub async fn index(
    admin: TenantAdmin,
    session: Session,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (query, unreadable) = read_query::<ListQuery>(req.query_string());
    let present = |v: Option<String>| v.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let filter = EntryFilter {
        q: present(query.q),
        category: present(query.category),
    };
    let tenant = admin.tenant_id;
    let (found, categories) = {
        let filter = filter.clone();
        db::run(&state.db, move |conn| {
            Ok::<_, DbError>((
                entries::list(conn, tenant, &filter)?,
                entries::categories(conn, tenant)?,
            ))
        })
        .await?
    };
    let tz = admin.timezone;
    let rows = found
        .into_iter()
        .map(|entry: StoredEntry| EntryRow {
            id: entry.id.0,
            question: entry.question,
            answer: entry.answer,
            category: entry.category,
            priority: entry.priority,
            active: entry.active,
            also_asked: entry.also_asked.0,
            updated: format::short_time(tz, entry.updated_at),
        })
        .collect();
    let title = format!("Knowledge · {}", admin.tenant_name);
    render(&KnowledgePage {
        page: Page::tenant(&admin, &title, Nav::Knowledge)
            .with_flash(session::take_flash(&session)),
        tabs: tabs("/knowledge"),
        q: filter.q.clone().unwrap_or_default(),
        categories: categories
            .into_iter()
            .map(|name| CategoryChoice {
                selected: filter.category.as_deref() == Some(name.as_str()),
                name,
            })
            .collect(),
        filtered: filter != EntryFilter::default(),
        entries: rows,
        notes: unreadable.into_iter().collect(),
    })
}
