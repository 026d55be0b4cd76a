//! Adding a tenant admin from the dashboard (the team page, or the super
//! admin's tenant page): the new admin gets a generated one-time password,
//! shown once to whoever invited them.
//!
//! Hashing is slow on purpose, so it happens in [`Invitation::prepare`],
//! outside any transaction and off the async threads (`web::block`);
//! [`Invitation::create`] then inserts the user and the audit entry in the
//! caller's transaction.

use diesel::prelude::*;

use super::{Role, User, normalize_email, password};
use crate::audit::{self, Action, Change};
use crate::db::DbConnection;
use crate::ids::{TenantId, UserId};

/// Why an invitation was refused, in words for the form.
#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error("Enter an email address like name@example.com.")]
    InvalidEmail,
    #[error("There is already a user with this email address.")]
    Taken,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error("cannot hash the password: {0}")]
    Hash(String),
}

/// A new admin's email and one-time password, hashed and ready to insert.
pub struct Invitation {
    pub email: String,
    /// Shown once to the person who invited them; never stored.
    pub one_time_password: String,
    password_hash: String,
}

impl std::fmt::Debug for Invitation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Invitation")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

impl Invitation {
    /// Checks the address and makes and hashes a password (slow: call it in
    /// `web::block`).
    pub fn prepare(email: &str) -> Result<Invitation, InviteError> {
        let email = normalize_email(email);
        if !crate::tenants::file::is_email(&email) {
            return Err(InviteError::InvalidEmail);
        }
        let one_time_password = password::generate();
        let password_hash =
            password::hash(&one_time_password).map_err(|e| InviteError::Hash(e.to_string()))?;
        Ok(Invitation {
            email,
            one_time_password,
            password_hash,
        })
    }

    /// Inserts the tenant admin and its audit entry. Run it inside the
    /// caller's write transaction.
    pub fn create(
        &self,
        conn: &mut DbConnection,
        tenant: TenantId,
        by: &Change,
    ) -> Result<UserId, InviteError> {
        if User::find_by_email(conn, &self.email)?.is_some() {
            return Err(InviteError::Taken);
        }
        let id = User::create(
            conn,
            &self.email,
            &self.password_hash,
            Role::TenantAdmin,
            Some(tenant),
        )?;
        audit::record(
            conn,
            &by.in_tenant(tenant),
            Action::TeamMemberInvited,
            &self.email,
        )?;
        Ok(id)
    }
}

/// Whether `email` is already someone's sign-in (any role, any tenant).
pub fn is_taken(conn: &mut DbConnection, email: &str) -> QueryResult<bool> {
    Ok(User::find_by_email(conn, email)?.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_refuses_what_is_not_an_email_and_hashes_the_password() {
        assert!(matches!(
            Invitation::prepare("not an address"),
            Err(InviteError::InvalidEmail)
        ));
        let invitation = Invitation::prepare("  New.Admin@Example.com ").unwrap();
        assert_eq!(invitation.email, "new.admin@example.com");
        assert!(password::verify(
            &invitation.one_time_password,
            &invitation.password_hash
        ));
        assert!(!format!("{invitation:?}").contains(&invitation.one_time_password));
    }
}
