//! Running an installation: the first start of a production installation
//! (only the super admin, its password in a private file, never in the
//! log), the quick start's demo, deleting a tenant with everything it owns
//! (`frontdesk tenant list|delete`), and `frontdesk call` never creating a
//! database. The real `frontdesk` binary runs against the test's database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::TestApp;
use common::calls::{CALLER, TENANT_NUMBER, TenantToml, place_call};
use diesel::prelude::*;
use frontdesk::ids::TenantId;
use frontdesk::schema::{
    audit_log, blocked_numbers, business_hours, call_turns, calls, departments, knowledge_entries,
    leads, llm_usage, mail_deliveries, phone_numbers, sessions, tenants, users,
};
use frontdesk::tenants::seed;
use frontdesk::users::Role;

/// The `frontdesk` binary in `dir` (no `.env`) with only these variables.
fn frontdesk(dir: &Path, vars: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_frontdesk"));
    command.current_dir(dir).env_clear().env("RUST_LOG", "info");
    for (name, value) in vars {
        command.env(name, value);
    }
    command
}

/// Runs `frontdesk ARGS` on the app's database with `stdin` typed in.
fn run_cli(app: &TestApp, args: &[&str], stdin: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let mut child = frontdesk(
        dir.path(),
        &[("DATABASE_URL", &app.config.database_url.redacted())],
    )
    .args(args)
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Starts `frontdesk serve ARGS` in `dir`, waits until it listens, stops it
/// with SIGTERM and returns everything it wrote (the log goes to stdout).
fn serve_once(dir: &Path, vars: &[(&str, &str)], args: &[&str]) -> String {
    let (out, err) = (dir.join("stdout.txt"), dir.join("stderr.txt"));
    let output =
        || std::fs::read_to_string(&out).unwrap() + &std::fs::read_to_string(&err).unwrap();
    let mut vars = vars.to_vec();
    vars.push(("FRONTDESK_BIND", "127.0.0.1:0"));
    let mut child = frontdesk(dir, &vars)
        .arg("serve")
        .args(args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    // actix says so once it handles SIGTERM.
    while !output().contains("starting service") {
        assert!(
            child.try_wait().unwrap().is_none(),
            "serve ended: {}",
            output()
        );
        assert!(Instant::now() < deadline, "serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    // SAFETY: kill only sends a signal to the child started above.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    assert!(child.wait().unwrap().success());
    output()
}

fn password_in(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(
        text.contains(&format!("email: {}", seed::SUPER_ADMIN_EMAIL)),
        "{text}"
    );
    text.lines()
        .find_map(|l| l.strip_prefix("password: "))
        .expect("the file holds the password")
        .to_owned()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

async fn count_rows(app: &TestApp) -> (i64, i64) {
    app.with_conn(|conn| {
        (
            tenants::table.count().get_result(conn).unwrap(),
            users::table.count().get_result(conn).unwrap(),
        )
    })
    .await
}

/// How many rows of each table belong to `tenant` (calls' turns through
/// its calls, sessions through its users, jobs through their payload).
async fn rows_of(app: &TestApp, tenant: TenantId) -> Vec<(&'static str, i64)> {
    app.with_conn(move |conn| {
        let call_ids: Vec<i64> = calls::table
            .filter(calls::tenant_id.eq(tenant))
            .select(calls::id)
            .load(conn)
            .unwrap();
        let user_ids: Vec<i64> = users::table
            .filter(users::tenant_id.eq(tenant))
            .select(users::id)
            .load(conn)
            .unwrap();
        let count = |n: Result<i64, diesel::result::Error>| n.unwrap();
        vec![
            (
                "tenants",
                count(
                    tenants::table
                        .filter(tenants::id.eq(tenant))
                        .count()
                        .get_result(conn),
                ),
            ),
            (
                "phone_numbers",
                count(
                    phone_numbers::table
                        .filter(phone_numbers::tenant_id.eq(tenant))
                        .count()
                        .get_result(conn),
                ),
            ),
            (
                "business_hours",
                count(
                    business_hours::table
                        .filter(business_hours::tenant_id.eq(tenant))
                        .count()
                        .get_result(conn),
                ),
            ),
            (
                "departments",
                count(
                    departments::table
                        .filter(departments::tenant_id.eq(tenant))
                        .count()
                        .get_result(conn),
                ),
            ),
            (
                "knowledge_entries",
                count(
                    knowledge_entries::table
                        .filter(knowledge_entries::tenant_id.eq(tenant))
                        .count()
                        .get_result(conn),
                ),
            ),
            (
                "blocked_numbers",
                count(
                    blocked_numbers::table
                        .filter(blocked_numbers::tenant_id.eq(tenant))
                        .count()
                        .get_result(conn),
                ),
            ),
            ("users", user_ids.len() as i64),
            (
                "sessions",
                count(
                    sessions::table
                        .filter(sessions::user_id.eq_any(&user_ids))
                        .count()
                        .get_result(conn),
                ),
            ),
            ("calls", call_ids.len() as i64),
            (
                "call_turns",
                count(
                    call_turns::table
                        .filter(call_turns::call_id.eq_any(&call_ids))
                        .count()
                        .get_result(conn),
                ),
            ),
            (
                "leads",
                count(
                    leads::table
                        .filter(leads::tenant_id.eq(tenant))
                        .count()
                        .get_result(conn),
                ),
            ),
            (
                "llm_usage",
                count(
                    llm_usage::table
                        .filter(llm_usage::tenant_id.eq(tenant))
                        .count()
                        .get_result(conn),
                ),
            ),
            (
                "mail_deliveries",
                count(
                    mail_deliveries::table
                        .filter(mail_deliveries::tenant_id.eq(tenant))
                        .count()
                        .get_result(conn),
                ),
            ),
            (
                "jobs",
                frontdesk::jobs::ids_for_tenant(conn, tenant).unwrap().len() as i64,
            ),
        ]
    })
    .await
}

/// The tables that held something, by name.
fn holding(rows: &[(&'static str, i64)]) -> Vec<&'static str> {
    rows.iter()
        .filter(|(_, n)| *n > 0)
        .map(|(table, _)| *table)
        .collect()
}

backend_tests! {
    async fn a_production_first_run_creates_only_the_super_admin_its_password_in_a_private_file(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("admin-password.txt");
        let target = file.clone();
        let created = app
            .with_conn(move |conn| seed::create_first_super_admin(conn, common::PUBLIC_URL, &target).unwrap())
            .await;
        assert_eq!(created.as_deref(), Some(file.as_path()));
        assert_eq!(mode(&file), 0o600);
        let password = password_in(&file);
        assert_eq!(count_rows(&app).await, (0, 1), "no tenant, one user");
        app.sign_in(seed::SUPER_ADMIN_EMAIL, &password).await;

        let target = file.clone();
        let again = app
            .with_conn(move |conn| seed::create_first_super_admin(conn, common::PUBLIC_URL, &target).unwrap())
            .await;
        assert_eq!(again, None, "a second start creates nothing");
        assert_eq!(password_in(&file), password, "and leaves the file alone");
        let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(files.len(), 1, "no half-written file left: {files:?}");
    }

    async fn serve_on_a_named_database_seeds_no_demo_and_logs_where_the_password_is_not_the_password(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let database = app.config.database_url.redacted();
        let output = serve_once(dir.path(), &[("DATABASE_URL", &database)], &[]);
        let file = dir.path().join(frontdesk::config::DEFAULT_ADMIN_PASSWORD_FILE);
        let password = password_in(&file);
        assert_eq!(mode(&file), 0o600);
        assert!(output.contains(&file.display().to_string()), "the log says where: {output}");
        assert!(!output.contains(&password), "the password stays out of the log: {output}");
        assert!(!output.contains("Bright Smile"), "{output}");
        assert_eq!(count_rows(&app).await, (0, 1), "only the super admin");
        app.sign_in(seed::SUPER_ADMIN_EMAIL, &password).await;

        let output = serve_once(dir.path(), &[("DATABASE_URL", &database)], &[]);
        assert!(!output.contains("first run"), "the second start creates nothing: {output}");
        assert_eq!(password_in(&file), password);
    }

    async fn deleting_a_tenant_deletes_all_its_data_and_nothing_of_another_after_typing_its_slug(app: TestApp) {
        let sunny = TenantToml::always_open().import(&app).await;
        let rooter = app.import_tenant("examples/rapid-rooter.toml").await;
        place_call(&app, TENANT_NUMBER, CALLER, &["I'd like to leave a message", "Jane Doe", "yes", "no", "a quote for a crown", "yes", "bye"]).await;
        place_call(&app, "+15005550007", CALLER, &["my sink is blocked", "bye"]).await;
        app.create_user("owner@sunny.example", "a long enough password", Role::TenantAdmin, Some(sunny)).await;
        app.sign_in("owner@sunny.example", "a long enough password").await;
        let sunny_before = rows_of(&app, sunny).await;
        let rooter_before = rows_of(&app, rooter).await;
        for table in ["phone_numbers", "knowledge_entries", "users", "sessions", "calls", "call_turns", "leads", "jobs"] {
            assert!(holding(&sunny_before).contains(&table), "the test gives sunny {table}: {sunny_before:?}");
        }
        assert!(holding(&rooter_before).contains(&"calls"), "{rooter_before:?}");

        let listed = run_cli(&app, &["tenant", "list"], "");
        let listed = String::from_utf8(listed.stdout).unwrap();
        assert!(listed.contains("sunny-dental") && listed.contains("rapid-rooter") && listed.contains(TENANT_NUMBER), "{listed}");

        let refused = run_cli(&app, &["tenant", "delete", "sunny-dental"], "rapid-rooter\n");
        assert!(!refused.status.success());
        assert!(String::from_utf8_lossy(&refused.stderr).contains("nothing was deleted"));
        assert_eq!(rows_of(&app, sunny).await, sunny_before, "a wrong slug deletes nothing");

        let deleted = run_cli(&app, &["tenant", "delete", "sunny-dental"], "sunny-dental\n");
        let said = String::from_utf8_lossy(&deleted.stdout);
        assert!(deleted.status.success(), "{said} {}", String::from_utf8_lossy(&deleted.stderr));
        assert!(said.contains("Type the slug to confirm") && said.contains("deleted tenant sunny-dental"), "{said}");
        assert_eq!(holding(&rows_of(&app, sunny).await), Vec::<&str>::new(), "nothing of sunny is left");
        assert_eq!(rows_of(&app, rooter).await, rooter_before, "rapid-rooter keeps everything");

        let (user, tenant, detail): (Option<i64>, Option<TenantId>, String) = app
            .with_conn(|conn| {
                audit_log::table
                    .filter(audit_log::action.eq("tenant.deleted"))
                    .select((audit_log::user_id, audit_log::tenant_id, audit_log::detail))
                    .first(conn)
                    .unwrap()
            })
            .await;
        assert_eq!((user, tenant), (None, None), "by the command line");
        assert!(detail.starts_with("sunny-dental") && detail.contains(TENANT_NUMBER) && detail.contains("1 lead(s)"), "{detail}");

        let unknown = run_cli(&app, &["tenant", "delete", "sunny-dental", "--yes"], "");
        assert!(!unknown.status.success());
        assert!(String::from_utf8_lossy(&unknown.stderr).contains("no tenant with slug `sunny-dental`"));
        let yes = run_cli(&app, &["tenant", "delete", "rapid-rooter", "--yes"], "");
        assert!(yes.status.success());
        assert_eq!(count_rows(&app).await.0, 0);
    }
}

/// The quick start: `cargo run --release` in a checkout (no DATABASE_URL,
/// so `./frontdesk.db`) seeds the demo and prints its passwords once.
#[test]
fn the_quick_starts_first_run_seeds_the_demo_and_prints_its_passwords() {
    let dir = tempfile::tempdir().unwrap();
    let output = serve_once(dir.path(), &[], &[]);
    assert!(
        output.contains("seeded a super admin and the demo tenant Bright Smile Dental"),
        "{output}"
    );
    assert!(output.contains("call --to +15005550006"), "{output}");
    assert!(dir.path().join("frontdesk.db").exists());
    assert!(
        !dir.path()
            .join(frontdesk::config::DEFAULT_ADMIN_PASSWORD_FILE)
            .exists()
    );

    let named = tempfile::tempdir().unwrap();
    let database = named.path().join("desk.db").display().to_string();
    let output = serve_once(named.path(), &[("DATABASE_URL", &database)], &["--demo"]);
    assert!(
        output.contains("Bright Smile Dental"),
        "--demo asks for it anywhere: {output}"
    );
    let refused = tempfile::tempdir().unwrap();
    let output = serve_once(refused.path(), &[("FRONTDESK_DEMO", "false")], &[]);
    assert!(
        !output.contains("Bright Smile"),
        "FRONTDESK_DEMO=false refuses it: {output}"
    );
}

/// `frontdesk call` away from the server's directory: no database is
/// created, and the message says how to reach the server.
#[test]
fn call_without_a_database_creates_none_and_says_how_to_reach_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let output = frontdesk(dir.path(), &[])
        .args(["call", "--to", TENANT_NUMBER, "--script", "/dev/null"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        said.contains("there is no database at frontdesk.db"),
        "{said}"
    );
    assert!(
        said.contains("--auth-token") && said.contains("--server"),
        "{said}"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing was created"
    );
}
