//! `frontdesk tenant import` and `frontdesk tenant export`.

use std::path::Path;

use anyhow::{Context, bail};

use super::file::TenantFile;
use super::store;
use crate::audit::Change;
use crate::config::Config;
use crate::server::open_database;

pub fn import(config: &Config, path: &Path) -> anyhow::Result<()> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {name}"))?;
    let spec = match TenantFile::parse_collecting_errors(&name, &text) {
        Ok(spec) => spec,
        Err(problems) => {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            bail!(
                "{} problem(s) in the tenant file:\n{}",
                lines.len(),
                lines.join("\n")
            );
        }
    };
    let pool = open_database(config)?;
    let mut conn = pool.get()?;
    let report = store::import_recorded(&mut conn, &spec, &name, &Change::from_command_line())?;
    let verb = if report.created { "created" } else { "updated" };
    println!(
        "{verb} tenant {} ({}), {} number(s)",
        spec.slug,
        spec.name,
        spec.numbers.len()
    );
    for (email, password) in &report.generated_passwords {
        println!("  new admin {email}  password: {password}  (shown only once)");
    }
    for email in &report.disabled_admins {
        println!("  admin {email} is no longer in the file: disabled, signed out everywhere");
    }
    Ok(())
}

pub fn export(config: &Config, slug: &str) -> anyhow::Result<()> {
    let pool = open_database(config)?;
    let mut conn = pool.get()?;
    match store::export(&mut conn, slug)? {
        Some(spec) => {
            print!("{}", spec.to_toml());
            Ok(())
        }
        None => bail!("no tenant with slug `{slug}`"),
    }
}
