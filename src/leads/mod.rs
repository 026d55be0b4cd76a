//! Leads: the messages callers leave (name, callback number, email, reason),
//! whether they are urgent and which department they are for.

pub mod csv;
pub mod list;
pub mod pages;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Bool;

use crate::conversation::interpretation::Details;
use crate::conversation::state::CallMemory;
use crate::db::DbConnection;
use crate::ids::{CallId, LeadId, TenantId};
use crate::schema::leads;

/// A lead as the notification and the summary read it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredLead {
    pub details: Details,
    /// The caller confirmed the message (false: they hung up before).
    pub complete: bool,
    /// The caller's problem is the business's own urgent work.
    pub urgent: bool,
    /// The department the caller asked for or was routed to.
    pub department: Option<String>,
}

/// Creates or updates the call's lead (one per call) from the call's
/// memory: its details, urgency and department. A confirmed lead is
/// complete; `complete` and `urgent` never go back from true to false.
pub fn upsert_for_call(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    call_id: CallId,
    memory: &CallMemory,
    complete: bool,
    now: NaiveDateTime,
) -> QueryResult<LeadId> {
    let details = &memory.lead;
    let department = memory
        .department
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    let values = (
        leads::tenant_id.eq(tenant_id),
        leads::call_id.eq(Some(call_id)),
        leads::name.eq(&details.name),
        leads::phone.eq(&details.phone),
        leads::email.eq(&details.email),
        leads::reason.eq(&details.reason),
        leads::status.eq("new"),
        leads::complete.eq(complete),
        leads::urgent.eq(memory.urgent),
        leads::department.eq(department),
        leads::created_at.eq(now),
        leads::updated_at.eq(now),
    );
    crate::on_backend!(conn, |c| diesel::insert_into(leads::table)
        .values(&values)
        .on_conflict(leads::call_id)
        .do_update()
        .set((
            leads::name.eq(&details.name),
            leads::phone.eq(&details.phone),
            leads::email.eq(&details.email),
            leads::reason.eq(&details.reason),
            leads::complete.eq(leads::complete.or(complete.into_sql::<Bool>())),
            leads::urgent.eq(leads::urgent.or(memory.urgent.into_sql::<Bool>())),
            leads::department.eq(department),
            leads::updated_at.eq(now),
        ))
        .returning(leads::id)
        .get_result(c))
}

/// The tenant's lead left on call `call_id`.
pub fn find_for_call(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    call_id: CallId,
) -> QueryResult<Option<LeadId>> {
    leads::table
        .filter(leads::call_id.eq(call_id))
        .filter(leads::tenant_id.eq(tenant_id))
        .select(leads::id)
        .first(conn)
        .optional()
}

/// The call the tenant's lead `lead_id` was left on; `None` when the lead is
/// gone or its call was deleted.
pub fn call_of(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    lead_id: LeadId,
) -> QueryResult<Option<CallId>> {
    Ok(leads::table
        .filter(leads::id.eq(lead_id))
        .filter(leads::tenant_id.eq(tenant_id))
        .select(leads::call_id)
        .first::<Option<CallId>>(conn)
        .optional()?
        .flatten())
}

/// The message left on the tenant's call `call_id`.
pub fn for_call(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    call_id: CallId,
) -> QueryResult<Option<StoredLead>> {
    type Row = (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        bool,
        bool,
        Option<String>,
    );
    let row = leads::table
        .filter(leads::call_id.eq(call_id))
        .filter(leads::tenant_id.eq(tenant_id))
        .select((
            leads::name,
            leads::phone,
            leads::email,
            leads::reason,
            leads::complete,
            leads::urgent,
            leads::department,
        ))
        .first::<Row>(conn)
        .optional()?;
    Ok(row.map(
        |(name, phone, email, reason, complete, urgent, department)| StoredLead {
            details: Details {
                name,
                phone,
                email,
                reason,
            },
            complete,
            urgent,
            department,
        },
    ))
}
