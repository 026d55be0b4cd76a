//! The tables `migrate-data` copies, in the order it copies them (a table
//! after every table it refers to), and how each one is read, written,
//! counted and compared. Adding a table to `src/schema.rs` without adding
//! it here (or to [`SKIPPED`]) fails the tests below.

use diesel::prelude::*;

use super::rows::*;
use crate::db::DbConnection;
use crate::schema::*;

/// Rows per `SELECT` from the source and per `INSERT` into the target: few
/// enough that a batch of the widest table stays far below both backends'
/// bind-parameter limits and a batch of transcripts in memory stays small.
pub const BATCH: i64 = 500;

/// One table and the operations the copy needs on it.
pub struct Table {
    pub name: &'static str,
    /// Whether its `id` comes from a sequence (PostgreSQL) that must be set
    /// past the copied ids.
    pub numbered: bool,
    copy: fn(&mut DbConnection, &mut DbConnection) -> QueryResult<u64>,
    count: fn(&mut DbConnection) -> QueryResult<i64>,
    dump: fn(&mut DbConnection) -> QueryResult<Vec<String>>,
}

impl Table {
    /// Copies every row from `source` to `target`, primary keys included,
    /// `BATCH` rows at a time in key order; returns how many.
    pub fn copy(&self, source: &mut DbConnection, target: &mut DbConnection) -> QueryResult<u64> {
        (self.copy)(source, target)
    }

    pub fn count(&self, conn: &mut DbConnection) -> QueryResult<i64> {
        (self.count)(conn)
    }

    /// Every row as one line of text, in key order (whole, so for tests and
    /// small installations): two installations hold the same data when their
    /// dumps are equal, whatever their backends.
    pub fn dump(&self, conn: &mut DbConnection) -> QueryResult<Vec<String>> {
        (self.dump)(conn)
    }
}

macro_rules! table {
    ($table:ident: $row:ident by $key:ident) => {
        table!(@build $table, $row, $key, false, std::convert::identity)
    };
    ($table:ident: $row:ident, arriving $arrive:path) => {
        table!(@build $table, $row, id, true, $arrive)
    };
    ($table:ident: $row:ident) => {
        table!(@build $table, $row, id, true, std::convert::identity)
    };
    (@build $table:ident, $row:ident, $key:ident, $numbered:expr, $arrive:path) => {
        Table {
            name: stringify!($table),
            numbered: $numbered,
            copy: |source, target| {
                let mut copied = 0;
                let mut after = None;
                loop {
                    let mut query = $table::table
                        .order($table::$key.asc())
                        .limit(BATCH)
                        .into_boxed();
                    if let Some(last) = after.take() {
                        query = query.filter($table::$key.gt(last));
                    }
                    let rows: Vec<$row> = query.load(source)?;
                    let Some(last) = rows.last() else {
                        return Ok(copied);
                    };
                    after = Some(last.$key.clone());
                    let rows: Vec<$row> = rows.into_iter().map($arrive).collect();
                    crate::on_backend!(&mut *target, |conn| diesel::insert_into($table::table)
                        .values(&rows)
                        .execute(conn))?;
                    copied += rows.len() as u64;
                }
            },
            count: |conn| $table::table.count().get_result(conn),
            dump: |conn| {
                let mut rows: Vec<$row> = $table::table.load(conn)?;
                // Sorted here, not by the database: PostgreSQL may order
                // text keys by its locale, SQLite by bytes.
                rows.sort_by(|a, b| a.$key.cmp(&b.$key));
                Ok(rows.iter().map(|row| format!("{row:?}")).collect())
            },
        }
    };
}

/// Every table copied, each after the tables it refers to.
pub const TABLES: [Table; 18] = [
    table!(settings: Setting by key),
    table!(tenants: Tenant),
    table!(phone_numbers: PhoneNumber),
    table!(business_hours: BusinessHours),
    table!(departments: Department),
    table!(knowledge_entries: KnowledgeEntry),
    table!(closures: Closure),
    table!(blocked_numbers: BlockedNumber),
    table!(users: User),
    table!(sessions: Session),
    table!(calls: Call),
    table!(call_turns: CallTurn),
    table!(leads: Lead),
    table!(llm_usage: LlmUsage),
    table!(unanswered_questions: UnansweredQuestion),
    table!(mail_deliveries: MailDelivery),
    table!(audit_log: AuditEntry),
    table!(jobs: Job, arriving Job::arriving),
];

/// Tables deliberately left behind, and why.
pub const SKIPPED: [(&str, &str); 1] = [(
    "login_attempts",
    "recent failed sign-ins, kept only to slow down password guessing",
)];

/// Sets every PostgreSQL identity sequence past the largest copied id, so
/// the target's next row gets a new id instead of colliding with a copied
/// one. (SQLite's AUTOINCREMENT counters follow inserted ids by themselves.)
pub fn reset_sequences(conn: &mut diesel::PgConnection) -> QueryResult<()> {
    for table in TABLES.iter().filter(|t| t.numbered) {
        // The names are this module's constants, never input.
        diesel::sql_query(format!(
            "SELECT setval(pg_get_serial_sequence('{0}', 'id'), \
             COALESCE((SELECT MAX(id) FROM {0}), 0) + 1, false)",
            table.name
        ))
        .execute(conn)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &str = include_str!("../schema.rs");

    /// The table names `src/schema.rs` declares, in its order.
    fn declared_tables() -> Vec<&'static str> {
        let mut lines = SCHEMA.lines();
        let mut names = Vec::new();
        while let Some(line) = lines.next() {
            if line.trim() == "diesel::table! {"
                && let Some(name) = lines.next().and_then(|l| l.split_whitespace().next())
            {
                names.push(name);
            }
        }
        names
    }

    /// (child, parent) for every `joinable!` in `src/schema.rs`.
    fn references() -> Vec<(&'static str, &'static str)> {
        SCHEMA
            .lines()
            .filter_map(|l| l.strip_prefix("diesel::joinable!("))
            .filter_map(|rest| {
                let (child, rest) = rest.split_once(" -> ")?;
                Some((child, rest.split_whitespace().next()?))
            })
            .collect()
    }

    #[test]
    fn every_table_of_the_schema_is_either_copied_or_skipped_with_a_reason() {
        let declared = declared_tables();
        assert!(declared.len() > 10, "the schema parses: {declared:?}");
        let mut covered: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
        covered.extend(SKIPPED.iter().map(|(name, _)| *name));
        for name in &declared {
            assert!(
                covered.contains(name),
                "`{name}` is in src/schema.rs but migrate-data neither copies nor skips it: \
                 add a row type in src/migrate_data/rows.rs and a line to TABLES"
            );
        }
        for name in &covered {
            assert!(declared.contains(name), "`{name}` is not in the schema");
        }
        assert_eq!(covered.len(), declared.len(), "no table listed twice");
    }

    #[test]
    fn every_table_is_copied_after_the_tables_it_refers_to() {
        let position = |name: &str| TABLES.iter().position(|t| t.name == name);
        for (child, parent) in references() {
            if let (Some(child_at), Some(parent_at)) = (position(child), position(parent)) {
                assert!(
                    parent_at < child_at,
                    "{parent} must be copied before {child}"
                );
            }
        }
        assert!(references().len() > 10, "the schema's references parse");
    }

    #[test]
    fn a_job_that_was_running_arrives_queued_without_its_lease_and_others_arrive_unchanged() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .and_then(|d| d.and_hms_opt(9, 30, 0))
            .unwrap_or_default();
        let job = |status: &str| Job {
            id: 7,
            kind: "summarize_call".to_owned(),
            payload: "{}".to_owned(),
            unique_key: None,
            status: status.to_owned(),
            priority: 0,
            attempts: 1,
            max_attempts: 5,
            run_at: at,
            locked_at: Some(at),
            locked_by: Some("worker-1:abc".to_owned()),
            last_error: None,
            created_at: at,
            finished_at: None,
            give_up_at: at,
        };
        let arrived = job("running").arriving();
        assert_eq!(arrived.status, "queued");
        assert_eq!((arrived.locked_at, arrived.locked_by), (None, None));
        assert_eq!((arrived.attempts, arrived.run_at), (1, at));
        for status in ["queued", "done", "dead"] {
            assert_eq!(
                format!("{:?}", job(status).arriving()),
                format!("{:?}", job(status))
            );
        }
    }
}
