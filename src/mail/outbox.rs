//! The outbox folder: mail written as `.eml` files when there is no SMTP
//! server, for installations that read or forward them some other way.

use std::path::{Path, PathBuf};

use super::MailError;

/// Writes `message` as `<dir>/<timestamp>-<message id>.eml`, creating the
/// folder on the first write. It goes to a hidden temporary file first,
/// then is renamed, so a reader of the folder never sees half a message.
pub(super) async fn write(
    dir: &Path,
    message_id: &str,
    message: Vec<u8>,
) -> Result<PathBuf, MailError> {
    let failed = |e: &dyn std::fmt::Display| MailError::Transient(format!("outbox: {e}"));
    let name = format!(
        "{}-{}.eml",
        chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ"),
        file_safe(message_id.trim_matches(['<', '>']))
    );
    let dir = dir.to_owned();
    tokio::task::spawn_blocking(move || {
        crate::private_files::create_dir(&dir)?;
        let path = dir.join(&name);
        let temporary = dir.join(format!(".{name}.tmp"));
        {
            use std::io::Write;
            let mut file = crate::private_files::create(&temporary)?;
            file.write_all(&message)?;
            file.sync_all()?;
        }
        std::fs::rename(&temporary, &path)?;
        Ok(path)
    })
    .await
    .map_err(|e| failed(&e))?
    .map_err(|e: std::io::Error| failed(&e))
}

fn file_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.=@".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}
