//! The call log: the tenant's calls, newest first, searched by the caller's
//! number or by words said on the call, filtered by the tenant's dates, by
//! outcome and by whether test calls are shown, 25 to a page.

use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use diesel::dsl::exists;
use diesel::prelude::*;
use diesel::sql_types::Text;
use serde::Deserialize;

use super::local_time::{day_start, days_range};
pub use super::outcome_filter::{OutcomeFilter, outcome_label};
use super::test_calls::TestCalls;
use crate::conversation::state::Outcome;
use crate::db::DbConnection;
use crate::ids::{CallId, TenantId};
use crate::schema::{call_turns, calls, leads};

pub const PAGE_SIZE: u32 = 25;
/// Words of a search that are looked for; more are ignored.
const MAX_WORDS: usize = 6;

type Db = <DbConnection as diesel::Connection>::Backend;

diesel::define_sql_function! {
    /// SQL `lower()`: case-insensitive matching that reads the same on both
    /// backends (SQLite's folds ASCII only, PostgreSQL's all of Unicode).
    fn lower(x: Text) -> Text;
}

/// A `LIKE` pattern matching `text` anywhere, with `%`, `_` and the escape
/// character itself escaped by `\` (pair it with `.escape('\\')`).
pub fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The call log's query string as it arrives (every value optional text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct CallQuery {
    pub q: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub outcome: Option<String>,
    pub test: Option<String>,
    pub page: Option<String>,
}

/// Which calls to list, parsed and valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallFilter {
    /// Digits of the caller's number, or words said on the call.
    pub q: Option<String>,
    /// First and last day shown, in the tenant's time zone, both included.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub outcome: Option<OutcomeFilter>,
    pub test_calls: TestCalls,
    /// 1-based; a page past the last shows the last.
    pub page: u32,
}

impl Default for CallFilter {
    fn default() -> CallFilter {
        CallFilter {
            q: None,
            from: None,
            to: None,
            outcome: None,
            test_calls: TestCalls::default(),
            page: 1,
        }
    }
}

impl CallFilter {
    /// The filter a query string asks for. A value that does not parse is
    /// ignored, with a note saying so for the page to show; dates given the
    /// wrong way round are swapped.
    pub fn from_query(query: &CallQuery) -> (CallFilter, Vec<String>) {
        let mut notes = Vec::new();
        let q = present(&query.q).map(|q| q.chars().take(100).collect());
        let mut date = |value: &Option<String>, which: &str| {
            let value = present(value)?;
            let parsed = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok();
            if parsed.is_none() {
                notes.push(format!(
                    "The {which} date \u{201c}{value}\u{201d} is not a date (YYYY-MM-DD), so it was ignored."
                ));
            }
            parsed
        };
        let mut from = date(&query.from, "start");
        let mut to = date(&query.to, "end");
        if let (Some(start), Some(end)) = (from, to)
            && start > end
        {
            (from, to) = (Some(end), Some(start));
            notes.push("The start date was after the end date, so they were swapped.".to_owned());
        }
        let outcome = present(&query.outcome).and_then(|value| {
            let parsed = OutcomeFilter::parse(value);
            if parsed.is_none() {
                notes.push(format!(
                    "\u{201c}{value}\u{201d} is not an outcome, so every outcome is shown."
                ));
            }
            parsed
        });
        let test_calls = present(&query.test).map_or(TestCalls::default(), |value| {
            TestCalls::parse(value).unwrap_or_else(|| {
                notes.push(format!(
                    "\u{201c}{value}\u{201d} is not a choice for test calls, so they are left out."
                ));
                TestCalls::default()
            })
        });
        let page = present(&query.page)
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1);
        let filter = CallFilter {
            q,
            from,
            to,
            outcome,
            test_calls,
            page,
        };
        (filter, notes)
    }
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// One line of the call log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRow {
    pub id: CallId,
    pub from_number: String,
    /// UTC.
    pub started_at: NaiveDateTime,
    /// Seconds, for an ended call.
    pub duration: Option<i64>,
    pub outcome: Option<Outcome>,
    pub has_lead: bool,
    /// The summary's first line, once the summary is written.
    pub summary: Option<String>,
    /// Placed from the dashboard's test call page.
    pub is_test: bool,
}

/// A page of the call log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallPage {
    pub rows: Vec<CallRow>,
    /// Calls matching the filter, on every page.
    pub total: i64,
    /// The page shown (the one asked for, clamped to those there are).
    pub page: u32,
    /// At least 1, even when nothing matches.
    pub pages: u32,
}

/// How many pages `total` rows fill, at least one.
pub fn page_count(total: i64, page_size: u32) -> u32 {
    let size = i64::from(page_size.max(1));
    u32::try_from((total + size - 1) / size)
        .unwrap_or(u32::MAX)
        .max(1)
}

type Row = (
    CallId,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<i32>,
    Option<Outcome>,
    Option<String>,
    bool,
);

/// The tenant's calls matching `filter`: two queries, a count and a page.
pub fn search(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    tz: Tz,
    filter: &CallFilter,
) -> QueryResult<CallPage> {
    let total: i64 = matching(tenant_id, tz, filter).count().get_result(conn)?;
    let pages = page_count(total, PAGE_SIZE);
    let page = filter.page.clamp(1, pages);
    let offset = i64::from(page - 1) * i64::from(PAGE_SIZE);
    let rows = matching(tenant_id, tz, filter)
        .order((calls::started_at.desc(), calls::id.desc()))
        .limit(i64::from(PAGE_SIZE))
        .offset(offset)
        .select(row_columns())
        .load::<Row>(conn)?;
    Ok(CallPage {
        rows: with_leads(conn, tenant_id, rows)?,
        total,
        page,
        pages,
    })
}

/// The tenant's `count` most recent phone calls (test calls left out).
pub fn latest(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    count: i64,
) -> QueryResult<Vec<CallRow>> {
    let rows = calls::table
        .filter(calls::tenant_id.eq(tenant_id))
        .filter(calls::is_test.eq(false))
        .order((calls::started_at.desc(), calls::id.desc()))
        .limit(count)
        .select(row_columns())
        .load::<Row>(conn)?;
    with_leads(conn, tenant_id, rows)
}

/// The rows, each marked with whether a message was left on its call (one
/// query for the page).
fn with_leads(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    rows: Vec<Row>,
) -> QueryResult<Vec<CallRow>> {
    let ids: Vec<CallId> = rows.iter().map(|row| row.0).collect();
    let with_lead: Vec<Option<CallId>> = if ids.is_empty() {
        Vec::new()
    } else {
        leads::table
            .filter(leads::tenant_id.eq(tenant_id))
            .filter(leads::call_id.eq_any(&ids))
            .select(leads::call_id)
            .load(conn)?
    };
    Ok(rows
        .into_iter()
        .map(|row| {
            let has_lead = with_lead.contains(&Some(row.0));
            call_row(row, has_lead)
        })
        .collect())
}

#[allow(
    clippy::type_complexity,
    reason = "diesel's column tuple, named once here"
)]
fn row_columns() -> (
    calls::id,
    calls::from_number,
    calls::started_at,
    calls::ended_at,
    calls::duration_seconds,
    calls::outcome,
    calls::summary,
    calls::is_test,
) {
    (
        calls::id,
        calls::from_number,
        calls::started_at,
        calls::ended_at,
        calls::duration_seconds,
        calls::outcome,
        calls::summary,
        calls::is_test,
    )
}

fn call_row(row: Row, has_lead: bool) -> CallRow {
    let (id, from_number, started_at, ended_at, duration_seconds, outcome, summary, is_test) = row;
    CallRow {
        id,
        from_number,
        started_at,
        duration: duration_of(started_at, ended_at, duration_seconds),
        outcome,
        has_lead,
        summary: summary.as_deref().and_then(first_line),
        is_test,
    }
}

/// A call's length: Twilio's figure when it arrived, else the time from
/// the first request to the end the receptionist recorded.
pub fn duration_of(
    started_at: NaiveDateTime,
    ended_at: Option<NaiveDateTime>,
    duration_seconds: Option<i32>,
) -> Option<i64> {
    duration_seconds
        .map(i64::from)
        .or_else(|| ended_at.map(|end| (end - started_at).num_seconds().max(0)))
}

/// The first line of `text` with words, trimmed.
pub fn first_line(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_owned)
}

type Matching<'a> = diesel::dsl::IntoBoxed<'a, calls::table, Db>;

/// The tenant's calls matching `filter`, as a query to count or page.
fn matching<'a>(tenant_id: TenantId, tz: Tz, filter: &CallFilter) -> Matching<'a> {
    let mut query = calls::table
        .filter(calls::tenant_id.eq(tenant_id))
        .filter(calls::is_test.eq_any(filter.test_calls.is_test_values()))
        .into_boxed::<Db>();
    if let Some(from) = filter.from {
        query = query.filter(calls::started_at.ge(day_start(tz, from)));
    }
    if let Some(to) = filter.to {
        let (_, end) = days_range(tz, to, to);
        query = query.filter(calls::started_at.lt(end));
    }
    query = match filter.outcome {
        Some(OutcomeFilter::Is(outcome)) => query.filter(calls::outcome.eq(outcome.as_str())),
        Some(OutcomeFilter::InProgress) => query.filter(calls::outcome.is_null()),
        None => query,
    };
    if let Some(q) = &filter.q {
        query = query.filter(said_or_called_from(q));
    }
    query
}

type Condition = Box<dyn BoxableExpression<calls::table, Db, SqlType = diesel::sql_types::Bool>>;

/// Calls whose every word of `q` was said (by either side), or, when `q`
/// looks like a phone number, whose caller's number holds its digits.
fn said_or_called_from(q: &str) -> Condition {
    let said = q
        .split_whitespace()
        .take(MAX_WORDS)
        .map(|word| -> Condition {
            Box::new(exists(
                call_turns::table
                    .filter(call_turns::call_id.eq(calls::id))
                    .filter(
                        lower(call_turns::text)
                            .like(contains_pattern(word))
                            .escape('\\'),
                    ),
            ))
        })
        .reduce(|all, next| Box::new(all.and(next)));
    let digits: String = q.chars().filter(char::is_ascii_digit).collect();
    let phone_like = q
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let number: Option<Condition> = (phone_like && !digits.is_empty()).then(|| {
        Box::new(
            calls::from_number
                .like(contains_pattern(&digits))
                .escape('\\'),
        ) as Condition
    });
    match (number, said) {
        (Some(number), Some(said)) => Box::new(number.or(said)),
        (Some(only), None) | (None, Some(only)) => only,
        // Blank searches are dropped when the filter is parsed.
        (None, None) => Box::new(calls::id.eq(calls::id)),
    }
}
