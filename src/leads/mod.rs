//! Leads: the messages callers leave (name, callback number, email, reason),
//! whether they are urgent and which department they are for.

pub mod csv;
pub mod list;
pub mod pages;

use std::collections::HashMap;

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

/// The calls the leads `ids` were left on, each with the lead's tenant (the
/// caller checks it); a lead that is gone, or whose call was deleted, is
/// missing.
pub fn calls_of(
    conn: &mut DbConnection,
    ids: &[LeadId],
) -> QueryResult<HashMap<LeadId, (TenantId, CallId)>> {
    let rows: Vec<(LeadId, TenantId, Option<CallId>)> = leads::table
        .filter(leads::id.eq_any(ids))
        .select((leads::id, leads::tenant_id, leads::call_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(lead, tenant, call)| Some((lead, (tenant, call?))))
        .collect())
}

/// The messages left on the calls `ids`, each with its tenant (the caller
/// checks it).
pub fn for_calls(
    conn: &mut DbConnection,
    ids: &[CallId],
) -> QueryResult<HashMap<CallId, (TenantId, StoredLead)>> {
    type Row = (
        Option<CallId>,
        TenantId,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        bool,
        bool,
        Option<String>,
    );
    let rows: Vec<Row> = leads::table
        .filter(leads::call_id.eq_any(ids))
        .select((
            leads::call_id,
            leads::tenant_id,
            leads::name,
            leads::phone,
            leads::email,
            leads::reason,
            leads::complete,
            leads::urgent,
            leads::department,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(call, tenant, name, phone, email, reason, complete, urgent, department)| {
                let lead = StoredLead {
                    details: Details {
                        name,
                        phone,
                        email,
                        reason,
                    },
                    complete,
                    urgent,
                    department,
                };
                Some((call?, (tenant, lead)))
            },
        )
        .collect())
}
