//! The tenant's leads as a CSV file for a spreadsheet, written a chunk at a
//! time so a long history never sits in memory at once.
//!
//! RFC 4180 (CRLF line ends; a field holding a comma, quote, CR or LF is
//! quoted, its quotes doubled), UTF-8 with a byte-order mark so Excel reads
//! the accents right, times in the tenant's zone. A cell a spreadsheet would
//! run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) is
//! prefixed with `'`: callers' words and numbers are data, never formulas.
//! Hand-written rather than the `csv` crate: this is all of it, and no new
//! dependency is needed for it.

use std::borrow::Cow;

use chrono_tz::Tz;
use diesel::prelude::*;

use super::list::{LeadFilter, LeadRow, matching};
use crate::calls::local_time;
use crate::db::DbConnection;
use crate::ids::{LeadId, TenantId};
use crate::schema::leads;

/// Leads read per chunk.
pub const CHUNK_ROWS: i64 = 500;

const BOM: &str = "\u{feff}";

/// An export in progress: each `next_chunk` reads the next leads (newest
/// first) after the last one written.
#[derive(Debug, Clone)]
pub struct LeadCsv {
    tenant_id: TenantId,
    tz: Tz,
    filter: LeadFilter,
    next: Next,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    Header,
    After(Option<LeadId>),
    Done,
}

impl LeadCsv {
    /// The tenant's leads matching `filter` (its page is ignored: all of them).
    pub fn new(tenant_id: TenantId, tz: Tz, filter: LeadFilter) -> LeadCsv {
        LeadCsv {
            tenant_id,
            tz,
            filter,
            next: Next::Header,
        }
    }

    /// The next piece of the file: first the byte-order mark, the header
    /// row and the first leads, then up to `CHUNK_ROWS` leads at a time;
    /// `None` once everything is written. One query per call.
    pub fn next_chunk(&mut self, conn: &mut DbConnection) -> QueryResult<Option<String>> {
        let (mut text, after) = match self.next {
            Next::Done => return Ok(None),
            Next::Header => (format!("{BOM}{}", header(self.tz)), None),
            Next::After(after) => (String::new(), after),
        };
        let mut query = matching(self.tenant_id, &self.filter);
        if let Some(last) = after {
            query = query.filter(leads::id.lt(last));
        }
        let rows: Vec<LeadRow> = query
            .order(leads::id.desc())
            .limit(CHUNK_ROWS)
            .select(LeadRow::as_select())
            .load(conn)?;
        for lead in &rows {
            text.push_str(&row(lead, self.tz));
        }
        self.next = match rows.last() {
            Some(last) if rows.len() as i64 == CHUNK_ROWS => Next::After(Some(last.id)),
            _ => Next::Done,
        };
        if text.is_empty() {
            return Ok(None);
        }
        Ok(Some(text))
    }

    /// The whole file at once, for small exports and tests.
    pub fn into_string(mut self, conn: &mut DbConnection) -> QueryResult<String> {
        let mut all = String::new();
        while let Some(chunk) = self.next_chunk(conn)? {
            all.push_str(&chunk);
        }
        Ok(all)
    }
}

/// The header row, naming the zone the times are in.
pub fn header(tz: Tz) -> String {
    let received = format!("Received ({})", tz.name());
    line(&[
        &received,
        "Status",
        "Urgent",
        "Confirmed",
        "Name",
        "Phone",
        "Email",
        "Reason",
        "Department",
        "Call",
    ])
}

/// One lead's row.
pub fn row(lead: &LeadRow, tz: Tz) -> String {
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    line(&[
        &local_time::format(tz, lead.created_at, "%Y-%m-%d %H:%M"),
        lead.status.as_str(),
        yes_no(lead.urgent),
        yes_no(lead.complete),
        &text(&lead.name),
        &text(&lead.phone),
        &text(&lead.email),
        &text(&lead.reason),
        &text(&lead.department),
        &lead.call_id.map(|id| id.to_string()).unwrap_or_default(),
    ])
}

fn line(fields: &[&str]) -> String {
    let mut line = fields
        .iter()
        .map(|f| field(f))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// One cell: neutralised if a spreadsheet would read it as a formula, then
/// quoted if it must be.
pub fn field(value: &str) -> Cow<'_, str> {
    let formula = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let value: Cow<str> = if formula {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    };
    if value.contains([',', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", value.replace('"', "\"\"")))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_written_as_it_is() {
        assert_eq!(field("Jane Doe"), "Jane Doe");
        assert_eq!(field(""), "");
        assert_eq!(field("Zoë's café"), "Zoë's café");
    }

    #[test]
    fn commas_quotes_and_line_breaks_are_quoted_with_quotes_doubled() {
        assert_eq!(field("Smith, Jane"), "\"Smith, Jane\"");
        assert_eq!(field("the \"big\" leak"), "\"the \"\"big\"\" leak\"");
        assert_eq!(field("line one\nline two"), "\"line one\nline two\"");
        assert_eq!(field("a\r\nb"), "\"a\r\nb\"");
    }

    #[test]
    fn a_cell_a_spreadsheet_would_run_as_a_formula_is_prefixed() {
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("+15551234567"), "'+15551234567");
        assert_eq!(field("-1"), "'-1");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("\tcmd"), "'\tcmd");
        assert_eq!(field("\rcmd"), "\"'\rcmd\"");
        assert_eq!(field("a=b"), "a=b");
    }

    #[test]
    fn a_line_ends_with_crlf() {
        assert_eq!(line(&["a", "b,c"]), "a,\"b,c\"\r\n");
    }
}
