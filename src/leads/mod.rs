//! Leads: the messages callers leave (name, callback number, email, reason).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::conversation::interpretation::Details;
use crate::db::DbConnection;
use crate::ids::{CallId, LeadId, TenantId};
use crate::schema::leads;

/// Creates or updates the call's lead (one per call). A confirmed lead is
/// complete; `complete` never goes back from true to false.
pub fn upsert_for_call(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    call_id: CallId,
    details: &Details,
    complete: bool,
    now: NaiveDateTime,
) -> QueryResult<LeadId> {
    let values = (
        leads::tenant_id.eq(tenant_id),
        leads::call_id.eq(Some(call_id)),
        leads::name.eq(&details.name),
        leads::phone.eq(&details.phone),
        leads::email.eq(&details.email),
        leads::reason.eq(&details.reason),
        leads::status.eq("new"),
        leads::complete.eq(complete),
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
            leads::complete.eq(leads::complete.or(complete.into_sql::<diesel::sql_types::Bool>())),
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

/// The message left on the tenant's call `call_id`, and whether the caller
/// confirmed it.
pub fn details_for_call(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    call_id: CallId,
) -> QueryResult<Option<(Details, bool)>> {
    let row = leads::table
        .filter(leads::call_id.eq(call_id))
        .filter(leads::tenant_id.eq(tenant_id))
        .select((
            leads::name,
            leads::phone,
            leads::email,
            leads::reason,
            leads::complete,
        ))
        .first::<(
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            bool,
        )>(conn)
        .optional()?;
    Ok(row.map(|(name, phone, email, reason, complete)| {
        (
            Details {
                name,
                phone,
                email,
                reason,
            },
            complete,
        )
    }))
}
