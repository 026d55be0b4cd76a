//! The lead list: the tenant's messages, urgent first then newest, filtered
//! by status and searched by name, number, email or reason, 25 to a page;
//! and the status an owner moves a lead through (new, contacted, closed).

use chrono::NaiveDateTime;
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::prelude::*;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use serde::Deserialize;

use crate::calls::columns::stored_by_name;
use crate::calls::search::{PAGE_SIZE, contains_pattern, lower, page_count};
use crate::db::DbConnection;
use crate::ids::{CallId, LeadId, TenantId};
use crate::schema::leads;

type Db = <DbConnection as diesel::Connection>::Backend;

/// Where a lead is in the owner's follow-up. Stored by name in
/// `leads.status`; every lead written so far is `new`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LeadStatus {
    New,
    Contacted,
    Closed,
}

impl LeadStatus {
    pub const ALL: [LeadStatus; 3] = [LeadStatus::New, LeadStatus::Contacted, LeadStatus::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            LeadStatus::New => "new",
            LeadStatus::Contacted => "contacted",
            LeadStatus::Closed => "closed",
        }
    }

    pub fn parse(value: &str) -> Option<LeadStatus> {
        LeadStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == value.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            LeadStatus::New => "New",
            LeadStatus::Contacted => "Contacted",
            LeadStatus::Closed => "Closed",
        }
    }
}

stored_by_name!(LeadStatus, "lead status");

/// A lead as the dashboard shows it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = leads)]
pub struct LeadRow {
    pub id: LeadId,
    /// The call it was left on; `None` once that call is deleted.
    pub call_id: Option<CallId>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub reason: Option<String>,
    pub status: LeadStatus,
    /// The caller confirmed the message (false: they hung up before).
    pub complete: bool,
    pub urgent: bool,
    pub department: Option<String>,
    /// UTC.
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The lead list's query string as it arrives.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct LeadQuery {
    pub status: Option<String>,
    pub q: Option<String>,
    /// Present (any value but empty, `0`, `false` or `off`) for urgent leads only.
    pub urgent: Option<String>,
    pub page: Option<String>,
}

/// Which leads to list, parsed and valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadFilter {
    pub status: Option<LeadStatus>,
    /// Words in the name, email or reason, or digits of the number.
    pub q: Option<String>,
    pub urgent_only: bool,
    /// 1-based; a page past the last shows the last.
    pub page: u32,
}

impl Default for LeadFilter {
    fn default() -> LeadFilter {
        LeadFilter {
            status: None,
            q: None,
            urgent_only: false,
            page: 1,
        }
    }
}

impl LeadFilter {
    /// The filter a query string asks for; a status that does not parse is
    /// ignored with a note for the page to show.
    pub fn from_query(query: &LeadQuery) -> (LeadFilter, Vec<String>) {
        let mut notes = Vec::new();
        let present = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let status = present(&query.status).and_then(|value| {
            let parsed = LeadStatus::parse(&value);
            if parsed.is_none() {
                notes.push(format!(
                    "\u{201c}{value}\u{201d} is not a lead status, so every status is shown."
                ));
            }
            parsed
        });
        let urgent_only = present(&query.urgent)
            .is_some_and(|v| !matches!(v.to_ascii_lowercase().as_str(), "0" | "false" | "off"));
        let page = present(&query.page)
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1);
        let q = present(&query.q).map(|q| q.chars().take(100).collect());
        let filter = LeadFilter {
            status,
            q,
            urgent_only,
            page,
        };
        (filter, notes)
    }
}

/// A page of the lead list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadPage {
    pub rows: Vec<LeadRow>,
    pub total: i64,
    pub page: u32,
    pub pages: u32,
}

/// The tenant's leads matching `filter`, urgent first then newest: a count
/// and a page.
pub fn list(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    filter: &LeadFilter,
) -> QueryResult<LeadPage> {
    let total: i64 = matching(tenant_id, filter).count().get_result(conn)?;
    let pages = page_count(total, PAGE_SIZE);
    let page = filter.page.clamp(1, pages);
    let rows = matching(tenant_id, filter)
        .order((
            leads::urgent.desc(),
            leads::created_at.desc(),
            leads::id.desc(),
        ))
        .limit(i64::from(PAGE_SIZE))
        .offset(i64::from(page - 1) * i64::from(PAGE_SIZE))
        .select(LeadRow::as_select())
        .load(conn)?;
    Ok(LeadPage {
        rows,
        total,
        page,
        pages,
    })
}

/// The tenant's `count` newest leads.
pub fn latest(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    count: i64,
) -> QueryResult<Vec<LeadRow>> {
    leads::table
        .filter(leads::tenant_id.eq(tenant_id))
        .order((leads::created_at.desc(), leads::id.desc()))
        .limit(count)
        .select(LeadRow::as_select())
        .load(conn)
}

/// The tenant's lead left on call `call_id`.
pub fn for_call(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    call_id: CallId,
) -> QueryResult<Option<LeadRow>> {
    leads::table
        .filter(leads::tenant_id.eq(tenant_id))
        .filter(leads::call_id.eq(call_id))
        .select(LeadRow::as_select())
        .first(conn)
        .optional()
}

/// Moves the tenant's lead `lead_id` to `status`; false, changing nothing,
/// when the tenant has no such lead.
pub fn set_status(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    lead_id: LeadId,
    status: LeadStatus,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        leads::table
            .filter(leads::id.eq(lead_id))
            .filter(leads::tenant_id.eq(tenant_id)),
    )
    .set((leads::status.eq(status.as_str()), leads::updated_at.eq(now)))
    .execute(conn)
    .map(|n| n == 1)
}

type Matching<'a> = diesel::dsl::IntoBoxed<'a, leads::table, Db>;

/// The tenant's leads matching `filter`, as a query to count, page or
/// export.
pub(super) fn matching<'a>(tenant_id: TenantId, filter: &LeadFilter) -> Matching<'a> {
    let mut query = leads::table
        .filter(leads::tenant_id.eq(tenant_id))
        .into_boxed::<Db>();
    if let Some(status) = filter.status {
        query = query.filter(leads::status.eq(status.as_str()));
    }
    if filter.urgent_only {
        query = query.filter(leads::urgent.eq(true));
    }
    if let Some(q) = &filter.q {
        for word in q.split_whitespace().take(6) {
            let pattern = contains_pattern(word);
            let digits: String = word.chars().filter(char::is_ascii_digit).collect();
            let in_text = lower(leads::name.assume_not_null())
                .like(pattern.clone())
                .escape('\\')
                .or(lower(leads::email.assume_not_null())
                    .like(pattern.clone())
                    .escape('\\'))
                .or(lower(leads::reason.assume_not_null())
                    .like(pattern.clone())
                    .escape('\\'))
                .or(lower(leads::department.assume_not_null())
                    .like(pattern)
                    .escape('\\'));
            query = if digits.is_empty() {
                query.filter(in_text)
            } else {
                let number = leads::phone
                    .assume_not_null()
                    .like(contains_pattern(&digits))
                    .escape('\\');
                query.filter(in_text.or(number))
            };
        }
    }
    query
}
