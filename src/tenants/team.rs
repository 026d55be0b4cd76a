//! A tenant's team: the admins who can sign in to its dashboard. Inviting
//! one (with a one-time password they must replace at their first
//! sign-in), and disabling or enabling one. A business is never left
//! without an enabled admin, and nobody disables themself.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::{self, Action, Change};
use crate::db::DbConnection;
use crate::ids::{TenantId, UserId};
use crate::schema::users;
use crate::users::invite::{Invitation, InviteError};
use crate::users::{Role, User};

/// One admin of the tenant, as the team page lists them.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct Member {
    pub id: UserId,
    pub email: String,
    pub disabled: bool,
    pub last_login_at: Option<NaiveDateTime>,
    /// Invited, and has not yet chosen their own password.
    pub must_change_password: bool,
}

/// Why a team change was refused, in words for the page.
#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    /// Not an admin of this tenant: answered as a missing page.
    #[error("no such team member")]
    NotFound,
    #[error("You cannot disable yourself. Ask another admin to do it.")]
    Yourself,
    #[error("This is the business's last enabled admin. Invite or enable another admin first.")]
    LastAdmin,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// The tenant's admins, in the order they were added.
pub fn members(conn: &mut DbConnection, tenant_id: TenantId) -> QueryResult<Vec<Member>> {
    users::table
        .filter(users::tenant_id.eq(tenant_id))
        .filter(users::role.eq(Role::TenantAdmin.as_str()))
        .order(users::id)
        .select(Member::as_select())
        .load(conn)
}

/// Adds the invited admin (and the audit entry), who must choose their
/// own password when they first sign in. Run it in a write transaction.
pub fn invite(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    by: &Change,
    invitation: &Invitation,
) -> Result<UserId, InviteError> {
    let id = invitation.create(conn, tenant_id, by)?;
    diesel::update(users::table.find(id))
        .set(users::must_change_password.eq(true))
        .execute(conn)?;
    Ok(id)
}

/// Disables (ending their sessions) or enables the tenant's admin
/// `member`, with the audit entry; their email on success. Run it in a
/// write transaction.
pub fn set_enabled(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    by: UserId,
    member: UserId,
    enabled: bool,
) -> Result<String, TeamError> {
    let team = members(conn, tenant_id)?;
    let Some(target) = team.iter().find(|m| m.id == member) else {
        return Err(TeamError::NotFound);
    };
    if !enabled {
        if member == by {
            return Err(TeamError::Yourself);
        }
        if !team.iter().any(|m| m.id != member && !m.disabled) {
            return Err(TeamError::LastAdmin);
        }
    }
    User::set_disabled(conn, member, !enabled)?;
    let action = if enabled {
        Action::TeamMemberEnabled
    } else {
        Action::TeamMemberDisabled
    };
    audit::record(
        conn,
        &Change::by(by).in_tenant(tenant_id),
        action,
        &target.email,
    )?;
    Ok(target.email.clone())
}
