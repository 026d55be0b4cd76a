//! From byte offsets in the text to what a person fixing the file needs: a line and a field.

use super::TenantFileError;

/// 1-based line holding byte `offset`.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Turn a TOML syntax or type error into a file/line/field error.
///
/// The toml crate gives a span and a message but not the key path, so the field is
/// recovered from the text: the key on the error line (or the nearest one above it, for a
/// value spread over several lines) under the nearest table header, with `[[...]]` headers
/// counted to give the array index, e.g. `departments[1].name`.
pub(super) fn syntax_error(file: &str, text: &str, error: &toml::de::Error) -> TenantFileError {
    let message = error.message().trim().to_string();
    let named_key = quoted_after(&message, "unknown field `")
        .or_else(|| quoted_after(&message, "missing field `"));
    let (line, field) = match error.span() {
        // serde reports a key missing from the top-level table at offset 0.
        Some(span) if span.is_empty() && span.start == 0 && named_key.is_some() => {
            (None, named_key.unwrap_or_default())
        }
        Some(span) => {
            let line = line_of(text, span.start);
            let (table, key_on_line) = locate(text, line);
            let key = named_key.or(key_on_line);
            (Some(line), join_path(&table, key.as_deref()))
        }
        None => (None, named_key.unwrap_or_default()),
    };
    TenantFileError {
        file: file.to_string(),
        line,
        field,
        message,
    }
}

fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    let rest = message.split_once(prefix)?.1;
    Some(rest.split_once('`')?.0.to_string())
}

fn join_path(table: &str, key: Option<&str>) -> String {
    match (table.is_empty(), key) {
        (_, None) => table.to_string(),
        (true, Some(key)) => key.to_string(),
        (false, Some(key)) => format!("{table}.{key}"),
    }
}

/// The table path and the key that own 1-based `line`.
fn locate(text: &str, line: usize) -> (String, Option<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut key = None;
    for index in (0..line.min(lines.len())).rev() {
        let trimmed = lines[index].trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if trimmed.starts_with('[') {
            return (table_path(&lines[..=index]), key);
        }
        if key.is_none() {
            key = key_of(trimmed);
        }
    }
    (String::new(), key)
}

/// Path of the header on the last of `lines`: `limits`, or `departments[2]` for the third
/// `[[departments]]`.
fn table_path(lines: &[&str]) -> String {
    let header = lines.last().map(|l| l.trim()).unwrap_or_default();
    match array_table_name(header) {
        Some(name) => {
            let count = lines
                .iter()
                .filter(|l| array_table_name(l.trim()) == Some(name))
                .count();
            format!("{name}[{}]", count.saturating_sub(1))
        }
        None => header
            .trim_start_matches('[')
            .split(']')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

fn array_table_name(header: &str) -> Option<&str> {
    Some(header.strip_prefix("[[")?.split_once("]]")?.0.trim())
}

fn key_of(line: &str) -> Option<String> {
    let key = line.split_once('=')?.0.trim();
    let looks_like_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.\"' ".contains(c));
    looks_like_key.then(|| key.replace(['"', '\''], ""))
}
