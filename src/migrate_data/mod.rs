//! `frontdesk migrate-data --from URL --to URL`: copies a whole
//! installation to an empty database of either backend (SQLite to
//! PostgreSQL when a business outgrows its small server; back again, or a
//! local copy). Every table keeps its primary keys, so every reference,
//! link and job payload stays valid.
//!
//! The target is migrated, then everything is copied and checked in one
//! transaction on it: a failed or refused copy leaves it as empty as it was.
//! Dashboard sessions and the installation's settings (the session key
//! among them) are copied, so whoever was signed in stays signed in; the
//! recent failed sign-ins are not (see [`tables::SKIPPED`]).

mod rows;
pub mod tables;

use std::time::Instant;

use anyhow::{Context, bail};
use diesel::Connection;

use crate::audit::{self, Action, Change};
use crate::db::{self, ConnectionManager, DatabaseUrl, DbConnection, DbTimeouts};
use tables::{SKIPPED, TABLES};

/// Copies the installation at `from` into the empty database at `to`.
pub fn run(from: &str, to: &str, timeouts: DbTimeouts) -> anyhow::Result<()> {
    let from = DatabaseUrl::parse(from).map_err(|e| anyhow::anyhow!("--from: {e}"))?;
    let to = DatabaseUrl::parse(to).map_err(|e| anyhow::anyhow!("--to: {e}"))?;
    if from == to {
        bail!("--from and --to name the same database ({from}); nothing was copied");
    }
    println!("copying the installation at {from} into {to}");
    println!(
        "(the service must be stopped, web server and workers, or calls and jobs \
         arriving during the copy are lost)"
    );
    let mut source = open_source(&from, timeouts)?;
    let mut target = open_target(&to, timeouts)?;
    let started = Instant::now();
    let copied = db::write_transaction(&mut target, |target| {
        source.transaction(|source| copy_everything(source, target, &from))
    })?;
    println!(
        "copied {} tables, {} rows in {:.1} s",
        TABLES.len(),
        copied,
        started.elapsed().as_secs_f64()
    );
    for (table, why) in SKIPPED {
        println!("not copied: {table} ({why})");
    }
    println!("now point DATABASE_URL at {to} and start the service");
    Ok(())
}

/// The installation to copy from: it must exist (a missing SQLite file is
/// never created) and be migrated exactly as far as this binary migrates.
fn open_source(url: &DatabaseUrl, timeouts: DbTimeouts) -> anyhow::Result<DbConnection> {
    if let DatabaseUrl::Sqlite(path) = url
        && !path.is_file()
    {
        bail!(
            "there is no database at {} (--from): nothing was copied",
            path.display()
        );
    }
    let mut conn = connect(url, timeouts)?;
    let Some(gap) = db::migration_gap(&mut conn)? else {
        bail!("{url} (--from) holds no frontdesk installation: nothing was copied");
    };
    if !gap.missing.is_empty() {
        bail!(
            "{url} (--from) is older than this frontdesk ({} migration(s) missing): \
             run `frontdesk migrate` on it first (DATABASE_URL={url}); nothing was copied",
            gap.missing.len()
        );
    }
    if !gap.unknown.is_empty() {
        bail!(
            "{url} (--from) was migrated by a newer frontdesk (unknown migration(s) {}): \
             copy it with that version; nothing was copied",
            gap.unknown.join(", ")
        );
    }
    Ok(conn)
}

/// The database to copy into, migrated to this binary's schema.
fn open_target(url: &DatabaseUrl, timeouts: DbTimeouts) -> anyhow::Result<DbConnection> {
    let mut conn = connect(url, timeouts)?;
    if let Some(gap) = db::migration_gap(&mut conn)?
        && !gap.unknown.is_empty()
    {
        bail!(
            "{url} (--to) was migrated by a newer frontdesk (unknown migration(s) {}); \
             nothing was copied",
            gap.unknown.join(", ")
        );
    }
    let applied = db::run_migrations(&mut conn)?;
    println!("target: applied {applied} migration(s)");
    Ok(conn)
}

fn connect(url: &DatabaseUrl, timeouts: DbTimeouts) -> anyhow::Result<DbConnection> {
    ConnectionManager::new(url.clone(), timeouts)
        .establish()
        .map_err(|reason| db::DbSetupError::Connect {
            url: url.redacted(),
            reason,
        })
        .map_err(Into::into)
}

/// Copies, checks and records the copy; returns how many rows it copied.
/// Runs inside the target's transaction: any error undoes all of it.
fn copy_everything(
    source: &mut DbConnection,
    target: &mut DbConnection,
    from: &DatabaseUrl,
) -> anyhow::Result<u64> {
    refuse_unless_empty(target)?;
    let mut copied = 0;
    for table in &TABLES {
        let rows = table
            .copy(source, target)
            .with_context(|| format!("copying {}", table.name))?;
        println!("  {:<22}{rows:>10} rows", table.name);
        copied += rows;
    }
    if let DbConnection::Pg(pg) = target {
        tables::reset_sequences(pg).context("setting the id sequences past the copied ids")?;
    }
    verify_counts(source, target)?;
    println!("verified: every table holds as many rows on the target as on the source");
    audit::record(
        target,
        &Change::from_command_line(),
        Action::InstallationCopiedIn,
        &format!("from {from}: {} tables, {copied} rows", TABLES.len()),
    )?;
    Ok(copied)
}

/// An operator empties a target by hand (there is no override): copying
/// into a database that holds an installation would mix two of them.
fn refuse_unless_empty(target: &mut DbConnection) -> anyhow::Result<()> {
    let mut holding = Vec::new();
    for table in &TABLES {
        let rows = table.count(target)?;
        if rows > 0 {
            holding.push(format!("{}: {rows}", table.name));
        }
    }
    if !holding.is_empty() {
        bail!(
            "the target database is not empty ({}); migrate-data only copies into an \
             empty database (drop and recreate it, or choose another); nothing was copied",
            holding.join(", ")
        );
    }
    Ok(())
}

fn verify_counts(source: &mut DbConnection, target: &mut DbConnection) -> anyhow::Result<()> {
    for table in &TABLES {
        let (there, here) = (table.count(source)?, table.count(target)?);
        if there != here {
            bail!(
                "{} holds {there} rows on the source but {here} on the target; \
                 the copy was undone",
                table.name
            );
        }
    }
    Ok(())
}
