//! Leads: the messages callers leave (name, callback number, email, reason).

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
) -> QueryResult<LeadId> {
    let now = crate::clock::now();
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

pub fn find_for_call(conn: &mut DbConnection, call_id: CallId) -> QueryResult<Option<LeadId>> {
    leads::table
        .filter(leads::call_id.eq(call_id))
        .select(leads::id)
        .first(conn)
        .optional()
}
