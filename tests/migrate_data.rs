//! `frontdesk migrate-data`: an installation with real history (calls
//! through the webhooks, a lead, jobs done and queued, knowledge, users,
//! audit entries, closures, mail deliveries, unanswered questions) is copied
//! by the real binary to the other backend (SQLite to PostgreSQL in
//! `sqlite::`, PostgreSQL to SQLite in `postgres::`) and back, every row
//! identical; `serve` then runs on the copy as on the original. And what it
//! refuses: a target that holds data, a source that is not there or holds
//! no installation, a source older or newer than the binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::businesses::{OWNER, PASSWORD};
use common::calls::{CALLER, TENANT_NUMBER, TenantToml, place_call};
use common::dashboard::Browser;
use common::smtp::SmtpServer;
use common::{PUBLIC_URL, TEST_TWILIO_TOKEN, TestApp, TestBackend, TestDatabase};
use diesel::prelude::*;
use frontdesk::calls::usage::NewLlmUsage;
use frontdesk::db::{ConnectionManager, DatabaseUrl, DbConnection, DbTimeouts};
use frontdesk::ids::CallId;
use frontdesk::migrate_data::tables::TABLES;
use frontdesk::schema::{calls, jobs, tenants};
use frontdesk::simulator::{Call, CallerConfig, ScriptedLines};
use frontdesk::users::Role;
use reqwest::StatusCode;

const COPIED_IN: &str = "action: \"installation.copied_in\"";

/// The `frontdesk` binary in `dir` (no `.env`) with only these variables.
fn frontdesk(dir: &Path, vars: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_frontdesk"));
    command.current_dir(dir).env_clear().env("RUST_LOG", "warn");
    for (name, value) in vars {
        command.env(name, value);
    }
    command
}

/// Runs `frontdesk migrate-data --from FROM --to TO`.
fn migrate_data(from: &str, to: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    frontdesk(dir.path(), &[])
        .args(["migrate-data", "--from", from, "--to", to])
        .output()
        .unwrap()
}

fn said(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

/// The backend a test copies to: the other one (SQLite when PostgreSQL is
/// not configured, so `sqlite::` still copies between two files).
fn other(backend: TestBackend) -> TestBackend {
    match backend {
        TestBackend::Sqlite if cfg!(postgres_tests) => TestBackend::Postgres,
        TestBackend::Sqlite | TestBackend::Postgres => TestBackend::Sqlite,
    }
}

fn connect(url: &str) -> DbConnection {
    ConnectionManager::new(DatabaseUrl::parse(url).unwrap(), DbTimeouts::default())
        .establish()
        .unwrap()
}

/// Every table's rows as text, in key order, by table.
fn dump(url: &str) -> Vec<(&'static str, Vec<String>)> {
    let mut conn = connect(url);
    TABLES
        .iter()
        .map(|table| (table.name, table.dump(&mut conn).unwrap()))
        .collect()
}

/// A dump without the entries `migrate-data` writes on the copies and
/// without the job `running` names (it arrives queued, checked apart).
fn comparable(
    dump: Vec<(&'static str, Vec<String>)>,
    running: i64,
) -> Vec<(&'static str, Vec<String>)> {
    let running = format!("Job {{ id: {running},");
    dump.into_iter()
        .map(|(table, rows)| {
            let rows = rows
                .into_iter()
                .filter(|row| !row.contains(COPIED_IN) && !row.starts_with(&running))
                .collect();
            (table, rows)
        })
        .collect()
}

/// Gives the installation a history through the real app: a business with
/// closures and unicode knowledge, its owner signed in who adds an entry
/// (audit), a call leaving a message (a lead), a call with a question
/// nobody answered; the worker runs those calls' jobs (summaries,
/// unanswered questions, mail deliveries); then one more call, with the
/// LLM usage the OpenAI brain would record for it, whose jobs
/// stay queued, one of them as if its worker died while running it.
/// Returns that job's id and the last call's id.
async fn make_history(app: &TestApp) -> (i64, i64) {
    let toml = TenantToml::always_open()
        .protection("blocked_numbers = [\"+15550000666\"]")
        .knowledge(
            "Parlez-vous français ? Ça coûte combien ?",
            "Oui ! 🦷 Le détartrage coûte 80 €.",
        )
        .to_toml()
        + "\n[[closures]]\ndate = \"2031-12-24\"\nuntil = \"2031-12-26\"\nname = \"Noël ❄\"\n";
    let tenant = app.import_tenant_text("sunny-dental.toml", &toml).await;
    app.create_user(OWNER, PASSWORD, Role::TenantAdmin, Some(tenant))
        .await;
    let mut owner = app.sign_in(OWNER, PASSWORD).await;
    let saved = owner
        .post_form(
            "/knowledge/new",
            &[
                ("question", "Do you take Delta Dental? «Ja»"),
                ("answer", "Yes, in network."),
                ("also_asked", "delta dental"),
                ("category", "Insurance"),
                ("priority", "5"),
                ("active", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    place_call(
        app,
        TENANT_NUMBER,
        CALLER,
        &[
            "I'd like to leave a message",
            "Jane Doe",
            "yes",
            "no",
            "a quote for a crown",
            "yes",
            "bye",
        ],
    )
    .await;
    place_call(
        app,
        TENANT_NUMBER,
        CALLER,
        &["um hi do you guys do braces", "no thanks"],
    )
    .await;
    run_every_job(app).await;
    let last = place_call(
        app,
        TENANT_NUMBER,
        "+15550001234",
        &["do you see children", "no thanks"],
    )
    .await;
    let sid = last.call_sid.clone();
    app.with_conn(move |conn| {
        let call: i64 = calls::table
            .filter(calls::call_sid.eq(&sid))
            .select(calls::id)
            .first(conn)
            .unwrap();
        let usage = NewLlmUsage {
            tenant_id: tenant,
            call_id: Some(CallId(call)),
            turn_seq: Some(1),
            purpose: "turn",
            model: "gpt-4o-mini",
            prompt_tokens: 812,
            completion_tokens: 37,
            latency_ms: 640,
            outcome: "answered",
        };
        frontdesk::calls::usage::record(conn, &usage, frontdesk::clock::now()).unwrap();
        let running: i64 = jobs::table
            .filter(jobs::status.eq("queued"))
            .filter(jobs::kind.eq("summarize_call"))
            .select(jobs::id)
            .first(conn)
            .unwrap();
        let then = frontdesk::clock::now() - chrono::Duration::seconds(5);
        diesel::update(jobs::table.find(running))
            .set((
                jobs::status.eq("running"),
                jobs::run_at.eq(then),
                jobs::locked_at.eq(then),
                jobs::locked_by.eq("gone-worker:1"),
                jobs::attempts.eq(1),
            ))
            .execute(conn)
            .unwrap();
        (running, call)
    })
    .await
}

/// Runs the product's worker, mailing to a local SMTP server, until no job
/// is due (the daily purge stays queued for tomorrow).
async fn run_every_job(app: &TestApp) {
    let smtp = SmtpServer::start().await;
    let (stop, worker) = common::worker::start(app, &smtp);
    let deadline = Instant::now() + Duration::from_secs(15);
    while pending_jobs(app).await > 0 {
        if Instant::now() > deadline {
            let left: Vec<(String, String, chrono::NaiveDateTime, Option<String>)> = app
                .with_conn(|conn| {
                    jobs::table
                        .select((jobs::kind, jobs::status, jobs::run_at, jobs::last_error))
                        .load(conn)
                        .unwrap()
                })
                .await;
            panic!("the jobs did not finish: {left:#?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.send(true).unwrap();
    worker.await.unwrap();
    assert!(
        !smtp.wait_for(1).await.is_empty(),
        "the jobs mailed someone"
    );
}

async fn pending_jobs(app: &TestApp) -> i64 {
    app.with_conn(|conn| {
        jobs::table
            .filter(
                jobs::status.eq("running").or(jobs::status
                    .eq("queued")
                    .and(jobs::run_at.le(frontdesk::clock::now()))),
            )
            .count()
            .get_result(conn)
            .unwrap()
    })
    .await
}

/// `frontdesk serve` on a database, until dropped.
struct Served {
    child: Child,
    address: String,
    _dir: tempfile::TempDir,
}

impl Served {
    fn start(database_url: &str) -> Served {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log.txt");
        let child = frontdesk(
            dir.path(),
            &[
                ("DATABASE_URL", database_url),
                ("FRONTDESK_BIND", "127.0.0.1:0"),
                ("FRONTDESK_PUBLIC_URL", PUBLIC_URL),
                ("TWILIO_AUTH_TOKEN", TEST_TWILIO_TOKEN),
                ("RUST_LOG", "info"),
            ],
        )
        .arg("serve")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
        // Owned by `Served` at once, so a failed start still stops it.
        let mut served = Served {
            child,
            address: String::new(),
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let text = without_colours(&std::fs::read_to_string(&log).unwrap());
            if let Some(at) = text.find("address=") {
                let rest = &text[at + "address=".len()..];
                let address = rest.split_whitespace().next().unwrap();
                served.address = format!("http://{address}");
                return served;
            }
            assert!(Instant::now() < deadline, "serve did not start: {text}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn browser(&self) -> Browser {
        Browser {
            http: frontdesk::http::client_builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            address: self.address.clone(),
            cookie: None,
            origin: Some(self.address.clone()),
        }
    }

    async fn place_call(&self, from: &str, lines: &[&str]) -> String {
        let config = CallerConfig {
            public_url: PUBLIC_URL.to_owned(),
            ..CallerConfig::new(self.address.clone(), TEST_TWILIO_TOKEN, from, TENANT_NUMBER)
        };
        let mut script = ScriptedLines::new(lines.iter().copied()).unwrap();
        Call::run(&config, &mut script).await.unwrap().call_sid
    }
}

/// The log's text without the ANSI colour codes tracing adds.
fn without_colours(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            c => plain.push(c),
        }
    }
    plain
}

impl Drop for Served {
    fn drop(&mut self) {
        // SAFETY: kill only sends a signal to the child this test started.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let _ = self.child.wait();
    }
}

backend_tests! {
    async fn an_installation_copied_to_the_other_backend_and_back_is_row_for_row_the_same_and_serves_there(app: TestApp) {
        let (running, last_call) = make_history(&app).await;
        let source_url = app.config.database_url.redacted();
        let before = dump(&source_url);
        for (table, rows) in &before {
            assert!(!rows.is_empty(), "the history gives the source {table}");
        }

        let target = TestDatabase::create(other(app.backend));
        let copied = migrate_data(&source_url, &target.url);
        let output = said(&copied);
        assert!(copied.status.success(), "{output}");
        assert!(output.contains("the service must be stopped"), "{output}");
        assert!(output.contains(&format!("copied {} tables, ", TABLES.len())), "{output}");
        assert!(output.contains("verified: every table holds as many rows"), "{output}");
        let calls_line = output.lines().find(|l| l.trim_start().starts_with("calls ")).unwrap();
        assert!(calls_line.trim_end().ends_with("3 rows"), "{calls_line}");

        let copy = dump(&target.url);
        assert_eq!(comparable(copy.clone(), running), comparable(before.clone(), running), "every row arrives as it was");
        let audit = &copy.iter().find(|(name, _)| *name == "audit_log").unwrap().1;
        assert!(audit.last().unwrap().contains(COPIED_IN) && audit.last().unwrap().contains(&source_url), "{audit:?}");
        let job = copy.iter().find(|(name, _)| *name == "jobs").unwrap().1.iter().find(|row| row.starts_with(&format!("Job {{ id: {running},"))).unwrap().clone();
        assert!(job.contains("status: \"queued\"") && job.contains("locked_at: None, locked_by: None"), "a running job arrives queued, its lease gone: {job}");

        let back = TestDatabase::create(app.backend);
        let round_trip = migrate_data(&target.url, &back.url);
        assert!(round_trip.status.success(), "{}", said(&round_trip));
        assert_eq!(comparable(dump(&back.url), running), comparable(before, running), "and back again");

        let served = Served::start(&target.url);
        let mut owner = served.browser();
        let signed_in = owner.try_sign_in(OWNER, PASSWORD).await;
        assert_eq!(signed_in.status, StatusCode::SEE_OTHER, "the old password works: {}", signed_in.body);
        let listed = owner.get("/calls").await;
        assert_eq!(listed.status, StatusCode::OK);
        assert!(listed.body.contains(&format!("/calls/{last_call}")), "{}", listed.body);

        let sid = served.place_call("+15550009999", &["where do I park", "no thanks"]).await;
        let mut conn = connect(&target.url);
        let new_call: i64 = calls::table.filter(calls::call_sid.eq(&sid)).select(calls::id).first(&mut conn).unwrap();
        assert_eq!(new_call, last_call + 1, "the ids go on after the copied ones");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let status: String = jobs::table.find(running).select(jobs::status).first(&mut conn).unwrap();
            if status == "done" {
                break;
            }
            assert!(Instant::now() < deadline, "the job queued on the source never ran on the copy: {status}");
            std::thread::sleep(Duration::from_millis(100));
        }
        let tenants_there: i64 = tenants::table.count().get_result(&mut conn).unwrap();
        assert_eq!(tenants_there, 1, "serve seeded nothing on the copy");
    }

    async fn migrate_data_refuses_a_target_holding_data_and_a_source_missing_empty_or_of_another_version_writing_nothing(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let target_url = app.config.database_url.redacted();
        let before = dump(&target_url);
        let source = TestDatabase::create(other(app.backend));
        let dir = tempfile::tempdir().unwrap();
        let migrated = frontdesk(dir.path(), &[("DATABASE_URL", &source.url)]).arg("migrate").output().unwrap();
        assert!(migrated.status.success(), "{}", said(&migrated));

        let refused = migrate_data(&source.url, &target_url);
        assert_eq!(refused.status.code(), Some(1), "{}", said(&refused));
        let output = said(&refused);
        assert!(output.contains("the target database is not empty (") && output.contains("tenants: 1") && output.contains("nothing was copied"), "{output}");
        assert_eq!(dump(&target_url), before, "the target is left as it was");

        let missing = dir.path().join("no-such.db");
        let refused = migrate_data(&missing.display().to_string(), &target_url);
        assert_eq!(refused.status.code(), Some(1));
        assert!(said(&refused).contains(&format!("there is no database at {}", missing.display())), "{}", said(&refused));
        assert!(!missing.exists(), "no file is created for the source");

        let empty = dir.path().join("empty.db");
        std::fs::write(&empty, b"").unwrap();
        let refused = migrate_data(&format!("sqlite://{}", empty.display()), &target_url);
        assert_eq!(refused.status.code(), Some(1));
        assert!(said(&refused).contains("holds no frontdesk installation"), "{}", said(&refused));

        let mut source_conn = connect(&source.url);
        diesel::sql_query("INSERT INTO __diesel_schema_migrations (version) VALUES ('99991231000000')").execute(&mut source_conn).unwrap();
        let refused = migrate_data(&source.url, &target_url);
        assert_eq!(refused.status.code(), Some(1));
        assert!(said(&refused).contains("was migrated by a newer frontdesk (unknown migration(s) 99991231000000)"), "{}", said(&refused));
        diesel::sql_query("DELETE FROM __diesel_schema_migrations WHERE version = '99991231000000' \
                           OR version = (SELECT MAX(version) FROM __diesel_schema_migrations WHERE version < '9999')")
            .execute(&mut source_conn)
            .unwrap();
        let refused = migrate_data(&source.url, &target_url);
        assert_eq!(refused.status.code(), Some(1));
        assert!(said(&refused).contains("is older than this frontdesk (1 migration(s) missing): run `frontdesk migrate` on it first"), "{}", said(&refused));
        assert_eq!(dump(&target_url), before, "the target is left as it was");
    }
}
