//! Which backend a `DATABASE_URL` names. Chosen here from the scheme, never by
//! trial connection: diesel's `MultiConnection::establish` falls back to
//! SQLite and would silently create a file named after a bad PostgreSQL URL.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Postgres => "postgres",
            Backend::Sqlite => "sqlite",
        }
    }
}

/// A parsed `DATABASE_URL`. `Debug`/`Display` hide any password.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Postgres(String),
    Sqlite(PathBuf),
}

pub const DEFAULT_SQLITE_FILE: &str = "frontdesk.db";

impl DatabaseUrl {
    /// `postgres://` / `postgresql://` → PostgreSQL; `sqlite://PATH`,
    /// `sqlite:PATH` or a plain path → SQLite. Anything else with a scheme is
    /// rejected so a typo never becomes a stray SQLite file.
    pub fn parse(raw: &str) -> Result<DatabaseUrl, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(DEFAULT_SQLITE_FILE)));
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(raw.to_owned()));
        }
        if let Some(path) = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err("sqlite URL has no file path (expected sqlite://PATH)".into());
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if let Some((scheme, _)) = raw.split_once("://") {
            return Err(format!(
                "unsupported database scheme `{scheme}://` (use postgres://, postgresql://, sqlite:// or a file path)"
            ));
        }
        if raw.contains('=') && raw.contains(' ') {
            return Err(
                "keyword/value connection strings are not supported; use a postgres:// URL".into(),
            );
        }
        Ok(DatabaseUrl::Sqlite(PathBuf::from(raw)))
    }

    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Postgres(_) => Backend::Postgres,
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// Whether this is `frontdesk.db` in the working directory, the
    /// database an empty environment gives (the quick start's).
    pub fn is_the_default_sqlite_file(&self) -> bool {
        match self {
            DatabaseUrl::Sqlite(path) => path
                .components()
                .filter(|c| *c != std::path::Component::CurDir)
                .eq(std::path::Path::new(DEFAULT_SQLITE_FILE).components()),
            DatabaseUrl::Postgres(_) => false,
        }
    }

    /// The URL with any password replaced by `***`, for logs and errors.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => redact_password(url),
        }
    }
}

fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_schemes_select_postgres() {
        for url in [
            "postgres://u@h/db",
            "postgresql://u:p@h:5432/db?sslmode=require",
        ] {
            assert_eq!(
                DatabaseUrl::parse(url).map(|u| u.backend()),
                Ok(Backend::Postgres),
                "{url}"
            );
        }
    }

    #[test]
    fn sqlite_urls_and_plain_paths_select_sqlite() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/fd.db"),
            Ok(DatabaseUrl::Sqlite("data/fd.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:fd.db"),
            Ok(DatabaseUrl::Sqlite("fd.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("/var/lib/frontdesk/fd.db"),
            Ok(DatabaseUrl::Sqlite("/var/lib/frontdesk/fd.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse(""),
            Ok(DatabaseUrl::Sqlite(DEFAULT_SQLITE_FILE.into()))
        );
    }

    #[test]
    fn unknown_schemes_and_keyword_strings_are_rejected_instead_of_becoming_files() {
        assert!(
            DatabaseUrl::parse("mysql://root@localhost/db")
                .unwrap_err()
                .contains("mysql://")
        );
        assert!(DatabaseUrl::parse("host=localhost dbname=x").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }

    #[test]
    fn passwords_never_appear_in_debug_or_display() {
        let url = DatabaseUrl::parse("postgres://fd:hunter2@db.example:5432/fd").unwrap();
        assert_eq!(format!("{url:?}"), "postgres://fd:***@db.example:5432/fd");
        assert!(!url.to_string().contains("hunter2"));
    }
}
