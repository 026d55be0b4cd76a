//! A tenant's phone numbers, as the operator changes them: assign a number,
//! move one from another tenant (only once the operator has seen who has it
//! now), remove one. A number belongs to one tenant at a time; every
//! instance routes calls to its new owner within `directory::NUMBER_TTL`,
//! and both tenants' call configurations are reloaded (config version).

use diesel::prelude::*;

use super::{EditError, FieldError, ProfileFields, bump_config_version, check_field, find};
use crate::audit::{self, Action, Change};
use crate::db::{DbConnection, write_transaction};
use crate::ids::{TenantId, UserId};
use crate::schema::{phone_numbers, tenants};

/// The tenant that answers a number now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentOwner {
    pub id: TenantId,
    pub name: String,
    /// The number is the owner's only one: moving it leaves the owner
    /// without a line.
    pub only_number: bool,
}

/// What [`assign`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assigned {
    Added,
    /// Moved from this tenant.
    Moved {
        from: String,
    },
    /// The operator has to confirm the move first; nothing changed.
    NeedsConfirmation(CurrentOwner),
}

/// Who answers `number` now, if anyone.
pub fn owner_of(conn: &mut DbConnection, number: &str) -> QueryResult<Option<CurrentOwner>> {
    let Some((id, name)) = phone_numbers::table
        .inner_join(tenants::table)
        .filter(phone_numbers::number.eq(number))
        .select((tenants::id, tenants::name))
        .first::<(TenantId, String)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    Ok(Some(CurrentOwner {
        id,
        name,
        only_number: numbers_count(conn, id)? == 1,
    }))
}

fn numbers_count(conn: &mut DbConnection, tenant: TenantId) -> QueryResult<i64> {
    phone_numbers::table
        .filter(phone_numbers::tenant_id.eq(tenant))
        .count()
        .get_result(conn)
}

/// Gives `number` to the tenant, checked by the tenant file's rules. A
/// number another tenant answers is moved only with `confirmed_move`;
/// without it the answer names the owner for the operator to confirm.
pub fn assign(
    conn: &mut DbConnection,
    id: TenantId,
    number: &str,
    confirmed_move: bool,
    by: UserId,
) -> Result<Assigned, EditError> {
    let number = number.trim();
    write_transaction(conn, |conn| {
        let tenant = find(conn, id)?;
        let mut fields = ProfileFields::of(conn, &tenant)?;
        if fields.numbers.iter().any(|n| n == number) {
            return Err(EditError::Invalid(vec![FieldError::new(
                "number",
                format!("{} already answers {number}.", tenant.name),
            )]));
        }
        fields.numbers.push(number.to_owned());
        check_field(&fields, "number")?;
        let change = Change::by(by).in_tenant(id);
        let owner = owner_of(conn, number)?;
        let assigned = match owner {
            Some(owner) if !confirmed_move => return Ok(Assigned::NeedsConfirmation(owner)),
            Some(owner) => {
                diesel::update(phone_numbers::table.filter(phone_numbers::number.eq(number)))
                    .set(phone_numbers::tenant_id.eq(id))
                    .execute(conn)?;
                bump_config_version(conn, owner.id)?;
                let detail = format!("{number}: {} → {}", owner.name, tenant.name);
                audit::record(conn, &change, Action::NumberMoved, &detail)?;
                let from = Change::by(by).in_tenant(owner.id);
                audit::record(conn, &from, Action::NumberMoved, &detail)?;
                Assigned::Moved { from: owner.name }
            }
            None => {
                diesel::insert_into(phone_numbers::table)
                    .values((
                        phone_numbers::tenant_id.eq(id),
                        phone_numbers::number.eq(number),
                        phone_numbers::created_at.eq(crate::clock::now()),
                    ))
                    .execute(conn)?;
                audit::record(conn, &change, Action::NumberAssigned, number)?;
                Assigned::Added
            }
        };
        bump_config_version(conn, id)?;
        Ok(assigned)
    })
}

/// Takes `number` away from the tenant; its calls then reach no one. A
/// tenant keeps at least one number (as in its file): disable it instead.
pub fn remove(
    conn: &mut DbConnection,
    id: TenantId,
    number: &str,
    by: UserId,
) -> Result<(), EditError> {
    write_transaction(conn, |conn| {
        let tenant = find(conn, id)?;
        let numbers = crate::tenants::numbers_of(conn, id)?;
        if !numbers.iter().any(|n| n == number) {
            return Err(EditError::NotFound);
        }
        if numbers.len() == 1 {
            return Err(EditError::Invalid(vec![FieldError::new(
                "number",
                format!(
                    "{number} is the only number of {}. A business needs at least one number: \
                     assign another first, or disable the business.",
                    tenant.name
                ),
            )]));
        }
        diesel::delete(
            phone_numbers::table
                .filter(phone_numbers::tenant_id.eq(id))
                .filter(phone_numbers::number.eq(number)),
        )
        .execute(conn)?;
        bump_config_version(conn, id)?;
        audit::record(
            conn,
            &Change::by(by).in_tenant(id),
            Action::NumberRemoved,
            number,
        )?;
        Ok(())
    })
}
