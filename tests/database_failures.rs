//! A sick database degrades calls; it never hangs them, and service comes
//! back by itself. These run on PostgreSQL, with the real failures: a network
//! path that swallows packets (a TCP proxy gone dark) and connections the
//! server terminated (as a restart or an administrator does).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::calls::*;
use common::proxy::BlackholeProxy;
use common::{TestApp, TestBackend};

const APOLOGY: &str = "having trouble on my end";

/// An app that reaches its PostgreSQL database through a proxy that can go
/// dark.
async fn behind_a_proxy(config: &[(&str, &str)]) -> (BlackholeProxy, TestApp) {
    let upstream = url::Url::parse(&admin_url()).unwrap();
    let server = format!(
        "{}:{}",
        upstream.host_str().unwrap(),
        upstream.port().unwrap_or(5432)
    );
    let proxy = BlackholeProxy::start(server.clone()).await;
    let through = format!("127.0.0.1:{}", proxy.port);
    let app = TestApp::spawn_reaching_the_database_at(
        TestBackend::Postgres,
        |url| {
            let reached = url.replacen(&server, &through, 1);
            assert_ne!(reached, url, "the test database URL names {server}");
            reached
        },
        config,
    )
    .await;
    (proxy, app)
}

/// One at a time: connections are opened one at a time per process (see
/// `db::watchdog`), so a test whose database is unreachable would slow the
/// others' connections down.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn admin_url() -> String {
    std::env::var("FRONTDESK_TEST_POSTGRES_URL").expect("FRONTDESK_TEST_POSTGRES_URL")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "set FRONTDESK_TEST_POSTGRES_URL to run on PostgreSQL"
)]
async fn callers_get_an_answer_in_seconds_while_the_database_is_unreachable_and_service_returns_with_it()
 {
    let _alone = ONE_AT_A_TIME.lock().await;
    let (proxy, app) = behind_a_proxy(&[
        ("FRONTDESK_DB_TIMEOUT_MS", "500"),
        ("FRONTDESK_WEBHOOK_BUDGET_MS", "3000"),
    ])
    .await;
    TenantToml::always_open().import(&app).await;
    let ongoing = RawCall::new(&app, TENANT_NUMBER, CALLER);
    let (_, xml) = ongoing.voice().await;
    assert_eq!(verbs(&xml), ["Gather", "Redirect"]);

    proxy.go_dark();
    let started = Instant::now();
    let newcomers: Vec<RawCall> = (0..8)
        .map(|i| RawCall::new(&app, TENANT_NUMBER, &format!("+1555000{i:04}")))
        .collect();
    let gathers = (0..4).map(|_| ongoing.gather(0, Some("what are your hours")));
    let (first_answers, turn_answers) = tokio::join!(
        futures_util::future::join_all(newcomers.iter().map(|c| c.voice())),
        futures_util::future::join_all(gathers),
    );
    let waited = started.elapsed();

    for (status, xml) in first_answers.iter().chain(&turn_answers) {
        assert_eq!(*status, 200, "{xml}");
        assert!(
            spoken(xml).contains(APOLOGY),
            "the caller hears the apology: {xml}"
        );
    }
    assert!(
        waited < Duration::from_secs(8),
        "12 webhooks took {waited:?}; Twilio gives up at 15 s"
    );
    let probe = Instant::now();
    assert_eq!(app.get("/readyz").await.status(), 503);
    assert!(
        probe.elapsed() < Duration::from_millis(1500),
        "/readyz took {:?}",
        probe.elapsed()
    );
    assert_eq!(app.get("/healthz").await.status(), 200);

    proxy.come_back();
    let back = Instant::now();
    let answered = loop {
        let call = RawCall::new(&app, TENANT_NUMBER, "+15559990000");
        let (_, xml) = call.voice().await;
        if verbs(&xml) == ["Gather", "Redirect"] {
            break back.elapsed();
        }
        assert!(
            back.elapsed() < Duration::from_secs(15),
            "service did not come back: {xml}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert!(
        answered < Duration::from_secs(10),
        "service came back after {answered:?}"
    );
    assert_eq!(app.get("/readyz").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "set FRONTDESK_TEST_POSTGRES_URL to run on PostgreSQL"
)]
async fn after_the_database_ends_every_connection_at_most_one_caller_notices() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let app = TestApp::spawn(TestBackend::Postgres).await;
    TenantToml::always_open().import(&app).await;
    // Fill the pool with connections that have served calls.
    let warm: Vec<RawCall> = (0..4)
        .map(|i| RawCall::new(&app, TENANT_NUMBER, &format!("+1555100{i:04}")))
        .collect();
    futures_util::future::join_all(warm.iter().map(|c| c.voice())).await;

    let terminated = app.terminate_database_connections();
    assert!(terminated >= 1, "the app's connections were terminated");

    let mut apologies = 0;
    for i in 0..10 {
        let call = place_call(
            &app,
            TENANT_NUMBER,
            &format!("+1555200{i:04}"),
            &["what are your hours", "bye"],
        )
        .await;
        if heard(&call).contains(APOLOGY) {
            apologies += 1;
        }
    }
    assert!(
        apologies <= 1,
        "{apologies} of 10 callers heard the apology"
    );
    assert_eq!(app.get("/readyz").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "set FRONTDESK_TEST_POSTGRES_URL to run on PostgreSQL"
)]
async fn forged_requests_cost_no_database_work() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let (proxy, app) = behind_a_proxy(&[("FRONTDESK_DB_TIMEOUT_MS", "500")]).await;
    TenantToml::always_open().import(&app).await;
    // One real call and one call to a number nobody owns: both numbers are
    // now known to this instance.
    RawCall::new(&app, TENANT_NUMBER, CALLER).voice().await;
    RawCall::new(&app, UNKNOWN_NUMBER, CALLER).voice().await;

    // With the database unreachable, any request that cost a query would
    // wait for it and get the apology instead of its answer.
    proxy.go_dark();
    let started = Instant::now();
    for i in 0..40 {
        let to = if i % 2 == 0 {
            TENANT_NUMBER
        } else {
            UNKNOWN_NUMBER
        };
        let fields = owned(&[
            ("CallSid", "CAforged"),
            ("From", CALLER),
            ("To", to),
            ("CallStatus", "ringing"),
        ]);
        let response = post_with_signature(
            &app,
            "/twilio/voice",
            &fields,
            Some("Zm9yZ2VkIHNpZ25hdHVyZQ=="),
        )
        .await;
        assert_eq!(response.status(), 403, "forged request {i} to {to}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "40 forged requests took {:?}",
        started.elapsed()
    );
}
