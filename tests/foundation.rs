//! The base every capability stands on: health probes, migrations on both
//! backends, tenant files, first-run seeding.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::TestApp;
use common::calls::TenantToml;

use std::collections::BTreeSet;
use std::path::Path;

use diesel::prelude::*;
use frontdesk::schema::{knowledge_entries, phone_numbers, tenants, users};
use frontdesk::tenants::{directory, seed, store};

fn migration_names(backend: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.path().is_dir())
        .map(|entry| {
            for file in ["up.sql", "down.sql"] {
                assert!(
                    entry.path().join(file).is_file(),
                    "{backend}/{:?} lacks {file}",
                    entry.file_name()
                );
            }
            entry.file_name().to_string_lossy().into_owned()
        })
        .collect()
}

#[test]
fn both_migration_trees_have_the_same_migrations() {
    let sqlite = migration_names("sqlite");
    let postgres = migration_names("postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "migrations/sqlite and migrations/postgres must have the same directory names"
    );
}

/// Every variable the configuration reads is documented in `.env.example`
/// and in the README's configuration table.
#[test]
fn every_configuration_variable_is_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(root.join("src/config.rs")).unwrap();
    let env_example = std::fs::read_to_string(root.join(".env.example")).unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut variables: Vec<&str> = source
        .split("var(\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|name| name.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        .collect();
    variables.push("RUST_LOG");
    assert!(variables.len() >= 15, "found {variables:?}");
    for variable in variables {
        assert!(
            env_example.contains(variable),
            "{variable} is missing from .env.example"
        );
        assert!(
            readme.contains(&format!("| `{variable}` |")),
            "{variable} is missing from the README table"
        );
    }
}

#[tokio::test]
async fn sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout() {
    #[derive(QueryableByName)]
    struct Pragmas {
        #[diesel(sql_type = diesel::sql_types::Text)]
        journal_mode: String,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        foreign_keys: i32,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        timeout: i32,
    }
    let app = TestApp::spawn(common::TestBackend::Sqlite).await;
    let pragmas = app
        .with_conn(|conn| {
            diesel::sql_query(
                "SELECT (SELECT journal_mode FROM pragma_journal_mode) AS journal_mode, \
                 (SELECT foreign_keys FROM pragma_foreign_keys) AS foreign_keys, \
                 (SELECT timeout FROM pragma_busy_timeout) AS timeout",
            )
            .get_result::<Pragmas>(conn)
            .unwrap()
        })
        .await;
    assert_eq!(pragmas.journal_mode, "wal");
    assert_eq!(pragmas.foreign_keys, 1);
    assert!(
        pragmas.timeout >= 1000,
        "busy timeout {} ms",
        pragmas.timeout
    );
}

backend_tests! {
    async fn admins_no_longer_in_the_tenant_file_are_disabled_and_signed_out(app: TestApp) {
        let base = TenantToml::always_open().to_toml();
        let with = |emails: &[&str]| {
            let mut text = base.clone();
            for email in emails {
                text.push_str(&format!("\n[[admins]]\nemail = \"{email}\"\npassword = \"correct horse battery\"\n"));
            }
            frontdesk::tenants::file::TenantFile::parse("sunny.toml", &text).unwrap()
        };
        let (both, only_ann) = (with(&["ann@sunny.example", "bob@sunny.example"]), with(&["ann@sunny.example"]));
        let state = app
            .with_conn(move |conn| {
                let first = store::import(conn, &both, "sunny.toml").unwrap();
                assert!(first.disabled_admins.is_empty());
                let bob: i64 = users::table
                    .filter(users::email.eq("bob@sunny.example"))
                    .select(users::id)
                    .first(conn)
                    .unwrap();
                let now = frontdesk::clock::now();
                diesel::insert_into(frontdesk::schema::sessions::table)
                    .values((
                        frontdesk::schema::sessions::key_hash.eq("h"),
                        frontdesk::schema::sessions::user_id.eq(bob),
                        frontdesk::schema::sessions::state.eq("{}"),
                        frontdesk::schema::sessions::created_at.eq(now),
                        frontdesk::schema::sessions::last_seen_at.eq(now),
                        frontdesk::schema::sessions::expires_at.eq(now + chrono::Duration::hours(1)),
                    ))
                    .execute(conn)
                    .unwrap();
                let second = store::import(conn, &only_ann, "sunny.toml").unwrap();
                let disabled = |conn: &mut frontdesk::db::DbConnection, email: &str| -> bool {
                    users::table.filter(users::email.eq(email)).select(users::disabled).first(conn).unwrap()
                };
                let sessions: i64 = frontdesk::schema::sessions::table.count().get_result(conn).unwrap();
                let after_removal = (second.disabled_admins.clone(), disabled(conn, "bob@sunny.example"), disabled(conn, "ann@sunny.example"), sessions);
                let third = store::import(conn, &both, "sunny.toml").unwrap();
                (after_removal, third.disabled_admins, disabled(conn, "bob@sunny.example"))
            })
            .await;
        let ((disabled_list, bob_disabled, ann_disabled, sessions), third_list, bob_after) = state;
        assert_eq!(disabled_list, ["bob@sunny.example"]);
        assert!(bob_disabled && !ann_disabled);
        assert_eq!(sessions, 0, "bob's session ended");
        assert!(third_list.is_empty());
        assert!(!bob_after, "listed again, bob is enabled again");
    }

    async fn health_answers_and_readiness_reports_the_database(app: TestApp) {
        let health = app.get("/healthz").await;
        assert_eq!(health.status(), 200);
        assert!(health.headers().contains_key("x-request-id"));
        assert_eq!(app.get("/readyz").await.status(), 200);
    }

    async fn importing_a_tenant_file_twice_gives_one_tenant(app: TestApp) {
        let first = app.import_tenant("examples/bright-smile.toml").await;
        let second = app.import_tenant("examples/bright-smile.toml").await;
        assert_eq!(first, second);
        let (tenant_count, numbers, entries, admins, version) = app
            .with_conn(|conn| {
                (
                    tenants::table.count().get_result::<i64>(conn).unwrap(),
                    phone_numbers::table.count().get_result::<i64>(conn).unwrap(),
                    knowledge_entries::table.count().get_result::<i64>(conn).unwrap(),
                    users::table.count().get_result::<i64>(conn).unwrap(),
                    tenants::table.select(tenants::config_version).first::<i64>(conn).unwrap(),
                )
            })
            .await;
        assert_eq!(tenant_count, 1);
        assert_eq!(numbers, 1);
        assert!(entries >= 8, "the example has a real knowledge base, got {entries}");
        assert!(admins >= 1);
        assert_eq!(version, 2, "each import bumps the configuration version");
    }

    async fn an_exported_tenant_imports_back_to_the_same_tenant(app: TestApp) {
        app.import_tenant("examples/rapid-rooter.toml").await;
        let exported = app.with_conn(|conn| store::export(conn, "rapid-rooter").unwrap().unwrap()).await;
        let text = exported.to_toml();
        app.import_tenant_text("exported.toml", &text).await;
        let again = app.with_conn(|conn| store::export(conn, "rapid-rooter").unwrap().unwrap()).await;
        assert_eq!(exported, again);
        let original = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/rapid-rooter.toml")).unwrap();
        let original = frontdesk::tenants::file::TenantFile::parse("rapid-rooter.toml", &original).unwrap();
        assert_eq!(original.without_secrets(), again);
    }

    async fn the_tenants_llm_model_is_in_its_call_configuration_and_its_export(app: TestApp) {
        let tenant_id = TenantToml::always_open().setting(r#"llm_model = "gpt-4.1-mini""#).import(&app).await;
        let (in_context, exported) = app
            .with_conn(move |conn| {
                let context = directory::load_context(conn, tenant_id).unwrap();
                (context.llm_model, store::export(conn, "sunny-dental").unwrap().unwrap())
            })
            .await;
        assert_eq!(in_context.as_deref(), Some("gpt-4.1-mini"));
        assert_eq!(exported.llm_model.as_deref(), Some("gpt-4.1-mini"));
        app.import_tenant_text("exported.toml", &exported.to_toml()).await;
        let again = app.with_conn(|conn| store::export(conn, "sunny-dental").unwrap().unwrap()).await;
        assert_eq!(again, exported);

        // A file without the key goes back to the installation's model.
        TenantToml::always_open().import(&app).await;
        let in_context = app.with_conn(move |conn| directory::load_context(conn, tenant_id).unwrap().llm_model).await;
        assert_eq!(in_context, None);
    }

    async fn a_number_owned_by_another_tenant_is_rejected_naming_the_line(app: TestApp) {
        app.import_tenant("examples/bright-smile.toml").await;
        let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/rapid-rooter.toml"))
            .unwrap()
            .replace("+15005550007", "+15005550006");
        let line = text.lines().position(|l| l.contains("+15005550006")).unwrap() + 1;
        let spec = frontdesk::tenants::file::TenantFile::parse("rooter.toml", &text).unwrap();
        let err = app.with_conn(move |conn| store::import(conn, &spec, "rooter.toml").unwrap_err().to_string()).await;
        assert_eq!(err, format!("rooter.toml:{line}: numbers[0]: +15005550006 already belongs to tenant bright-smile"));
        let tenants = app.with_conn(|conn| tenants::table.count().get_result::<i64>(conn).unwrap()).await;
        assert_eq!(tenants, 1, "the failed import left nothing behind");
    }

    async fn the_first_run_seeds_once(app: TestApp) {
        let report = app.with_conn(|conn| seed::seed_first_run(conn, "http://x").unwrap()).await;
        let report = report.expect("an empty database is seeded");
        assert_eq!(report.tenant_number, "+15005550006");
        assert!(report.to_string().contains(seed::SUPER_ADMIN_EMAIL));
        let again = app.with_conn(|conn| seed::seed_first_run(conn, "http://x").unwrap()).await;
        assert!(again.is_none(), "a second start seeds nothing");
        let users = app.with_conn(|conn| users::table.count().get_result::<i64>(conn).unwrap()).await;
        assert_eq!(users as usize, 1 + report.tenant_admins.len());
    }
}
