//! The audit log: who changed what, and when.
//!
//! Every change an owner or the operator makes through the dashboard or the
//! command line (settings, knowledge, team, numbers, job retries, tenants)
//! writes one row with [`record`], in the same transaction as the change, so
//! a change without its entry (or an entry without its change) cannot
//! happen. The super admin reads it per tenant on the audit page.
//!
//! ```ignore
//! db::write_transaction(conn, |conn| {
//!     knowledge::update(conn, tenant, id, &entry)?;
//!     audit::record(conn, &Change::by(user).in_tenant(tenant), Action::KnowledgeUpdated, &entry.question)
//! })
//! ```

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::ids::{TenantId, UserId};
use crate::schema::{audit_log, users};

/// What was changed. Stored as its `as_str` name; new actions are added
/// here, never spelled at the call site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SettingsUpdated,
    TenantFileImported,
    KnowledgeCreated,
    KnowledgeUpdated,
    KnowledgeDeleted,
    TeamMemberInvited,
    TeamMemberDisabled,
    TeamMemberEnabled,
    TenantCreated,
    TenantUpdated,
    TenantDisabled,
    TenantEnabled,
    TenantDeleted,
    NumberAssigned,
    NumberMoved,
    NumberRemoved,
    JobRetried,
    PasswordChanged,
    /// `frontdesk migrate-data` filled this database from another one.
    InstallationCopiedIn,
}

impl Action {
    pub const ALL: [Action; 19] = [
        Action::SettingsUpdated,
        Action::TenantFileImported,
        Action::KnowledgeCreated,
        Action::KnowledgeUpdated,
        Action::KnowledgeDeleted,
        Action::TeamMemberInvited,
        Action::TeamMemberDisabled,
        Action::TeamMemberEnabled,
        Action::TenantCreated,
        Action::TenantUpdated,
        Action::TenantDisabled,
        Action::TenantEnabled,
        Action::TenantDeleted,
        Action::NumberAssigned,
        Action::NumberMoved,
        Action::NumberRemoved,
        Action::JobRetried,
        Action::PasswordChanged,
        Action::InstallationCopiedIn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::SettingsUpdated => "settings.updated",
            Action::TenantFileImported => "tenant_file.imported",
            Action::KnowledgeCreated => "knowledge.created",
            Action::KnowledgeUpdated => "knowledge.updated",
            Action::KnowledgeDeleted => "knowledge.deleted",
            Action::TeamMemberInvited => "team.invited",
            Action::TeamMemberDisabled => "team.disabled",
            Action::TeamMemberEnabled => "team.enabled",
            Action::TenantCreated => "tenant.created",
            Action::TenantUpdated => "tenant.updated",
            Action::TenantDisabled => "tenant.disabled",
            Action::TenantEnabled => "tenant.enabled",
            Action::TenantDeleted => "tenant.deleted",
            Action::NumberAssigned => "number.assigned",
            Action::NumberMoved => "number.moved",
            Action::NumberRemoved => "number.removed",
            Action::JobRetried => "job.retried",
            Action::PasswordChanged => "account.password_changed",
            Action::InstallationCopiedIn => "installation.copied_in",
        }
    }

    pub fn parse(text: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == text)
    }

    /// How the audit page says it: "Knowledge entry changed".
    pub fn describe(self) -> &'static str {
        match self {
            Action::SettingsUpdated => "Receptionist settings changed",
            Action::TenantFileImported => "Tenant file imported",
            Action::KnowledgeCreated => "Knowledge entry added",
            Action::KnowledgeUpdated => "Knowledge entry changed",
            Action::KnowledgeDeleted => "Knowledge entry deleted",
            Action::TeamMemberInvited => "Team member invited",
            Action::TeamMemberDisabled => "Team member disabled",
            Action::TeamMemberEnabled => "Team member enabled",
            Action::TenantCreated => "Business created",
            Action::TenantUpdated => "Business changed",
            Action::TenantDisabled => "Business disabled",
            Action::TenantEnabled => "Business enabled",
            Action::TenantDeleted => "Business deleted",
            Action::NumberAssigned => "Phone number assigned",
            Action::NumberMoved => "Phone number moved",
            Action::NumberRemoved => "Phone number removed",
            Action::JobRetried => "Job retried",
            Action::PasswordChanged => "Password changed",
            Action::InstallationCopiedIn => "Installation copied in from another database",
        }
    }
}

/// Who made a change and in which tenant. `user` is `None` for the command
/// line (the operator at the server's shell); `tenant` is `None` for
/// installation-wide changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub user: Option<UserId>,
    pub tenant: Option<TenantId>,
}

impl Change {
    pub fn by(user: UserId) -> Change {
        Change {
            user: Some(user),
            tenant: None,
        }
    }

    /// A change made at the server's shell (`frontdesk ...`).
    pub fn from_command_line() -> Change {
        Change {
            user: None,
            tenant: None,
        }
    }

    pub fn in_tenant(self, tenant: TenantId) -> Change {
        Change {
            tenant: Some(tenant),
            ..self
        }
    }
}

/// The longest detail kept; a detail is a short human description
/// ("Opening hours", "+15550001111 → Acme Dental"), never a whole document.
pub const MAX_DETAIL_CHARS: usize = 500;

/// Writes one entry. Call it inside the transaction that makes the change.
pub fn record(
    conn: &mut DbConnection,
    change: &Change,
    action: Action,
    detail: &str,
) -> QueryResult<()> {
    record_at(conn, change, action, detail, crate::clock::now())
}

pub fn record_at(
    conn: &mut DbConnection,
    change: &Change,
    action: Action,
    detail: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    let detail: String = detail.chars().take(MAX_DETAIL_CHARS).collect();
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::tenant_id.eq(change.tenant),
            audit_log::user_id.eq(change.user),
            audit_log::action.eq(action.as_str()),
            audit_log::detail.eq(detail),
            audit_log::created_at.eq(at),
        ))
        .execute(conn)
        .map(drop)
}

/// One entry as the audit page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub tenant: Option<TenantId>,
    /// The user's email; `None` for the command line or a deleted user.
    pub by: Option<String>,
    /// `None` for an action this version does not know (written by a newer
    /// one); the page shows the stored name then.
    pub action: Option<Action>,
    pub action_name: String,
    pub detail: String,
    pub at: NaiveDateTime,
}

/// A row as read: id, tenant, the user's email, action, detail, time.
type StoredEntry = (
    i64,
    Option<TenantId>,
    Option<String>,
    String,
    String,
    NaiveDateTime,
);

/// Which entries to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every entry of the installation.
    All,
    /// One tenant's entries.
    Tenant(TenantId),
    /// Installation-wide entries (no tenant).
    Installation,
}

/// How many entries `scope` holds (for paging the audit page).
pub fn count(conn: &mut DbConnection, scope: Scope) -> QueryResult<i64> {
    let query = audit_log::table.into_boxed();
    let query = match scope {
        Scope::All => query,
        Scope::Tenant(tenant) => query.filter(audit_log::tenant_id.eq(tenant)),
        Scope::Installation => query.filter(audit_log::tenant_id.is_null()),
    };
    query.count().get_result(conn)
}

/// The newest entries first, `limit` of them after skipping `offset`.
pub fn list(
    conn: &mut DbConnection,
    scope: Scope,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<Entry>> {
    let mut query = audit_log::table
        .left_join(users::table)
        .select((
            audit_log::id,
            audit_log::tenant_id,
            users::email.nullable(),
            audit_log::action,
            audit_log::detail,
            audit_log::created_at,
        ))
        .order((audit_log::created_at.desc(), audit_log::id.desc()))
        .limit(limit)
        .offset(offset)
        .into_boxed();
    query = match scope {
        Scope::All => query,
        Scope::Tenant(tenant) => query.filter(audit_log::tenant_id.eq(tenant)),
        Scope::Installation => query.filter(audit_log::tenant_id.is_null()),
    };
    let rows: Vec<StoredEntry> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, tenant, by, action_name, detail, at)| Entry {
            id,
            tenant,
            by,
            action: Action::parse(&action_name),
            action_name,
            detail,
            at,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_one_distinct_name_that_parses_back() {
        for (i, a) in Action::ALL.iter().enumerate() {
            assert_eq!(Action::parse(a.as_str()), Some(*a));
            for b in &Action::ALL[i + 1..] {
                assert_ne!(a.as_str(), b.as_str());
            }
        }
        assert_eq!(Action::parse("no.such"), None);
    }
}
