//! First run: an empty installation gets a demo tenant and a super admin, so
//! a newcomer can log in and make a test call at once.

use std::fmt;

use super::file::TenantFile;
use super::{Tenant, store};
use crate::db::{DbConnection, write_transaction};
use crate::users::{Role, User, password};

/// The demo tenant, compiled in so the binary seeds from any directory.
pub const DEMO_TENANT_FILE: &str = include_str!("../../examples/bright-smile.toml");
pub const SUPER_ADMIN_EMAIL: &str = "admin@frontdesk.local";

/// What was seeded, printed once at start-up (it holds the only copy of the
/// generated passwords).
pub struct SeedReport {
    pub public_url: String,
    pub super_admin_password: String,
    pub tenant_name: String,
    pub tenant_number: String,
    pub tenant_admins: Vec<(String, String)>,
}

impl SeedReport {
    /// Where the seeded users sign in.
    pub fn dashboard_url(&self) -> String {
        format!("{}/login", self.public_url)
    }
}

impl fmt::Display for SeedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Frontdesk first run: seeded a super admin and the demo tenant {}.",
            self.tenant_name
        )?;
        writeln!(f, "  Dashboard:    {}", self.dashboard_url())?;
        writeln!(
            f,
            "  Webhooks:     {}/twilio/voice (and the rest under /twilio/)",
            self.public_url
        )?;
        writeln!(
            f,
            "  Super admin:  {SUPER_ADMIN_EMAIL}  password: {}",
            self.super_admin_password
        )?;
        for (email, password) in &self.tenant_admins {
            writeln!(f, "  Tenant admin: {email}  password: {password}")?;
        }
        writeln!(
            f,
            "  Test call:    frontdesk call --to {}",
            self.tenant_number
        )?;
        writeln!(
            f,
            "                (from the source tree: cargo run --release -- call --to {})",
            self.tenant_number
        )?;
        write!(
            f,
            "These passwords are shown only this once; keep them somewhere safe."
        )
    }
}

/// Seeds when the database has neither tenants nor users; otherwise does
/// nothing and returns `None`.
pub fn seed_first_run(
    conn: &mut DbConnection,
    public_url: &str,
) -> anyhow::Result<Option<SeedReport>> {
    if Tenant::count(conn)? > 0 || User::count(conn)? > 0 {
        return Ok(None);
    }
    let spec = TenantFile::parse("examples/bright-smile.toml", DEMO_TENANT_FILE)?;
    let super_admin_password = password::generate();
    let super_admin_hash = password::hash(&super_admin_password)?;
    let report = write_transaction(conn, |conn| -> anyhow::Result<SeedReport> {
        // Another instance may have seeded while this one hashed.
        if User::count(conn)? > 0 {
            anyhow::bail!(AlreadySeeded);
        }
        User::create(
            conn,
            SUPER_ADMIN_EMAIL,
            &super_admin_hash,
            Role::SuperAdmin,
            None,
        )?;
        let imported = store::import(conn, &spec, "examples/bright-smile.toml")?;
        Ok(SeedReport {
            public_url: public_url.to_owned(),
            super_admin_password,
            tenant_name: spec.name.clone(),
            tenant_number: spec.numbers.first().cloned().unwrap_or_default(),
            tenant_admins: imported.generated_passwords,
        })
    });
    match report {
        Ok(report) => Ok(Some(report)),
        Err(err) if err.is::<AlreadySeeded>() => Ok(None),
        Err(err) => Err(err),
    }
}

#[derive(Debug, thiserror::Error)]
#[error("already seeded")]
struct AlreadySeeded;
