//! Files only the service's own user may read: the SQLite database (with its
//! WAL and shared-memory files) and the outbox hold tenant tokens, password
//! hashes, transcripts and callers' details, and the shared hosts Frontdesk
//! runs on have other users. Files are created 0600 and folders 0700; ones
//! an older version left readable by others are tightened when opened.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

pub const FILE_MODE: u32 = 0o600;
pub const DIR_MODE: u32 = 0o700;

/// Creates `path` (0600) for writing; an existing file is truncated.
pub fn create(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(FILE_MODE)
        .open(path)
}

/// Writes `contents` to `path`, replacing any earlier file, readable by
/// this user only (an existing file with a wider mode is tightened first).
pub fn write(path: &Path, contents: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let mut file = create(path)?;
    tighten(path, FILE_MODE)?;
    file.write_all(contents)?;
    file.sync_all()
}

/// Creates `dir` and any missing parents (0700); an existing folder is left
/// as it is, except that group and others lose access.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(dir)?;
    tighten(dir, DIR_MODE)
}

/// Makes sure the SQLite database at `path` is private before SQLite opens
/// it: created 0600 when missing (SQLite gives its `-wal` and `-shm` files
/// the database file's mode), and the three files tightened to 0600 when
/// they exist with more.
pub fn prepare_sqlite(path: &Path) -> io::Result<()> {
    if path.as_os_str().is_empty() || path.to_string_lossy().starts_with(':') {
        return Ok(()); // ":memory:"
    }
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .open(path)
    {
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        // A missing folder and the like: SQLite reports it better.
        Err(_) => return Ok(()),
    }
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let file = Path::new(&name);
        if file.exists() {
            tighten(file, FILE_MODE)?;
        }
    }
    Ok(())
}

/// Removes group and other permissions beyond `mode`.
fn tighten(path: &Path, mode: u32) -> io::Result<()> {
    let current = fs::metadata(path)?.permissions().mode() & 0o777;
    if current & !mode != 0 {
        fs::set_permissions(path, fs::Permissions::from_mode(current & mode))?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn files_and_folders_are_private_whatever_the_umask() {
        let dir = tempfile::tempdir().unwrap();
        let outbox = dir.path().join("outbox/nested");
        create_dir(&outbox).unwrap();
        assert_eq!(mode(&outbox), 0o700);
        let file = outbox.join("a.eml");
        create(&file).unwrap();
        assert_eq!(mode(&file), 0o600);
    }

    #[test]
    fn a_readable_database_left_by_an_older_version_is_tightened() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("frontdesk.db");
        for name in ["frontdesk.db", "frontdesk.db-wal"] {
            let path = dir.path().join(name);
            fs::write(&path, b"").unwrap();
            fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        }
        prepare_sqlite(&db).unwrap();
        assert_eq!(mode(&db), 0o600);
        assert_eq!(mode(&dir.path().join("frontdesk.db-wal")), 0o600);
        let fresh = dir.path().join("new.db");
        prepare_sqlite(&fresh).unwrap();
        assert_eq!(mode(&fresh), 0o600);
    }
}
