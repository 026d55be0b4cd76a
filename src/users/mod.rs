//! Dashboard users: super admins (the installation) and tenant admins (one
//! business each).

pub mod cli;
pub mod invite;
pub mod password;

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::ids::{TenantId, UserId};
use crate::schema::{sessions, users};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    SuperAdmin,
    TenantAdmin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::SuperAdmin => "super_admin",
            Role::TenantAdmin => "tenant_admin",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        match value {
            "super_admin" => Some(Role::SuperAdmin),
            "tenant_admin" => Some(Role::TenantAdmin),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub role: String,
    pub tenant_id: Option<TenantId>,
    pub disabled: bool,
}

impl User {
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.role)
    }

    pub fn find_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<User>> {
        users::table
            .filter(users::email.eq(normalize_email(email)))
            .select(User::as_select())
            .first(conn)
            .optional()
    }

    pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
        users::table.count().get_result(conn)
    }

    /// Inserts a user; `password_hash` comes from `password::hash`.
    pub fn create(
        conn: &mut DbConnection,
        email: &str,
        password_hash: &str,
        role: Role,
        tenant_id: Option<TenantId>,
    ) -> QueryResult<UserId> {
        diesel::insert_into(users::table)
            .values((
                users::email.eq(normalize_email(email)),
                users::password_hash.eq(password_hash),
                users::role.eq(role.as_str()),
                users::tenant_id.eq(tenant_id),
                users::disabled.eq(false),
                users::created_at.eq(crate::clock::now()),
            ))
            .returning(users::id)
            .get_result(conn)
    }

    /// Sets whether the user may sign in; disabling ends their sessions
    /// everywhere.
    pub fn set_disabled(conn: &mut DbConnection, id: UserId, disabled: bool) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set(users::disabled.eq(disabled))
            .execute(conn)?;
        if disabled {
            diesel::delete(sessions::table.filter(sessions::user_id.eq(id))).execute(conn)?;
        }
        Ok(())
    }

    /// The tenant's admins, enabled or not.
    pub fn tenant_admins(conn: &mut DbConnection, tenant_id: TenantId) -> QueryResult<Vec<User>> {
        users::table
            .filter(users::tenant_id.eq(tenant_id))
            .filter(users::role.eq(Role::TenantAdmin.as_str()))
            .select(User::as_select())
            .order(users::id)
            .load(conn)
    }

    /// The user with this email and their password hash, for signing in.
    pub fn find_with_password_hash(
        conn: &mut DbConnection,
        email: &str,
    ) -> QueryResult<Option<(User, String)>> {
        users::table
            .filter(users::email.eq(normalize_email(email)))
            .select((User::as_select(), users::password_hash))
            .first(conn)
            .optional()
    }

    pub fn password_hash_of(conn: &mut DbConnection, id: UserId) -> QueryResult<Option<String>> {
        users::table
            .find(id)
            .select(users::password_hash)
            .first(conn)
            .optional()
    }

    pub fn record_login(
        conn: &mut DbConnection,
        id: UserId,
        at: chrono::NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set(users::last_login_at.eq(at))
            .execute(conn)
            .map(drop)
    }

    pub fn set_password_hash(
        conn: &mut DbConnection,
        id: UserId,
        password_hash: &str,
    ) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set(users::password_hash.eq(password_hash))
            .execute(conn)
            .map(drop)
    }
}

/// Emails are stored lower-case and trimmed so look-ups ignore case.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}
