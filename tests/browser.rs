//! A real browser (issues 11 and 12): Debian's headless Chromium, driven
//! over WebDriver, does what an owner does on a morning: signs in, finds the
//! call that came in through the webhooks, reads its transcript, marks the
//! lead contacted and downloads the leads as CSV; and teaches the
//! receptionist something new (a knowledge entry, checked in "try a
//! question"), then tries it with a typed test call that asks that question
//! and leaves a message, and finds the message on the leads page and the
//! lead email at a local SMTP server. The knowledge and test call pages are
//! photographed at desktop and phone widths (`/tmp/shots/`).
//!
//! It runs on SQLite only: the browser adds what no HTTP client checks
//! (forms, redirects and cookies as Chromium handles them, the markup a
//! person clicks through), none of which depends on the database, and every
//! request it makes is already tested on both backends (tests/dashboard_*.rs).
//!
//! It needs `chromedriver` and Chromium (`apt-get install chromium
//! chromium-driver`; `.ci/run` installs them) and fails without them, so CI
//! cannot skip it silently; `FRONTDESK_SKIP_BROWSER_TESTS=1` skips it on a
//! machine without a browser.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::browser::{BrowserWindow, Chromedriver, app_at_its_own_address};
use common::calls::{TENANT_NUMBER, TenantToml, WHITENING_ANSWER, place_call};
use common::smtp::SmtpServer;
use common::worker::deliver;
use frontdesk::users::Role;

const EMAIL: &str = "owner@sunny.example";
const PASSWORD: &str = "correct horse battery";
const CALLER: &str = "+15557654321";
const CALLER_NAME: &str = "Wanda Whitfield";
const REASON: &str = "a quote for a crown";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_signs_in_reads_a_call_marks_its_lead_contacted_and_downloads_the_csv() {
    let Some(driver) = Chromedriver::start().await else {
        return;
    };
    let app = app_at_its_own_address().await;
    let tenant = TenantToml::always_open().import(&app).await;
    app.create_user(EMAIL, PASSWORD, Role::TenantAdmin, Some(tenant))
        .await;
    let call = place_call(
        &app,
        TENANT_NUMBER,
        CALLER,
        &[
            "I'd like to leave a message",
            CALLER_NAME,
            "yes",
            "no",
            REASON,
            "yes",
            "bye",
        ],
    )
    .await;
    let call_id = common::calls::the_call(&app, &call.call_sid).await.id;
    let lead_id = common::calls::the_lead(&app, call_id).await.id;

    let window = driver.open(&app).await;
    window
        .drive(move |w| async move {
            sign_in(&w).await;
            read_the_call(&w, call_id).await;
            mark_the_lead_contacted(&w, lead_id).await;
            download_the_csv(&w).await;
        })
        .await;
}

/// The overview sends a signed-out owner to the sign-in form and back.
async fn sign_in(w: &BrowserWindow) {
    w.visit("/").await;
    w.wait_for_path("/login").await;
    w.type_into("input[name=email]", EMAIL).await;
    w.type_into("input[name=password]", PASSWORD).await;
    w.click("form[action='/login'] button[type=submit]").await;
    w.wait_for_path("/").await;
    assert_eq!(w.text("header .user-email").await, EMAIL, "signed in");
    assert_eq!(w.text("header .tenant-name").await, "Sunny Dental");
}

async fn read_the_call(w: &BrowserWindow, call_id: i64) {
    w.click("nav a[href='/calls']").await;
    w.wait_for_path("/calls").await;
    let calls = w.text("table#calls").await;
    assert!(
        calls.contains(CALLER) || calls.contains("765-4321"),
        "the call is listed: {calls}"
    );
    w.click(&format!("table#calls a[href='/calls/{call_id}']"))
        .await;
    w.wait_for_path(&format!("/calls/{call_id}")).await;
    let transcript = w.text("#transcript").await;
    assert!(
        transcript.contains(REASON),
        "the caller's words: {transcript}"
    );
    assert!(transcript.contains(CALLER_NAME), "{transcript}");
}

async fn mark_the_lead_contacted(w: &BrowserWindow, lead_id: i64) {
    w.click("nav a[href='/leads']").await;
    w.wait_for_path("/leads").await;
    let row = format!("table#leads form[action='/leads/{lead_id}/status']");
    let status = w.element(&format!("{row} select[name=status]")).await;
    assert_eq!(status.prop("value").await.unwrap().as_deref(), Some("new"));
    status.select_by_value("contacted").await.unwrap();
    w.click(&format!("{row} button")).await;
    w.wait_for_path("/leads").await;
    w.client.refresh().await.unwrap();
    let status = w.element(&format!("{row} select[name=status]")).await;
    assert_eq!(
        status.prop("value").await.unwrap().as_deref(),
        Some("contacted"),
        "the lead stays contacted after a reload"
    );
}

async fn download_the_csv(w: &BrowserWindow) {
    let link = w.element("a#download-csv").await;
    let href = link.attr("href").await.unwrap().unwrap_or_default();
    assert!(href.starts_with("/leads.csv"), "the download link: {href}");
    let csv = w.fetch_text(&href).await;
    let row = csv
        .lines()
        .find(|line| line.contains(CALLER_NAME))
        .unwrap_or_else(|| panic!("the lead is in the CSV: {csv}"));
    assert!(row.contains("contacted"), "its status: {row}");
}

const TEST_CALLER_NAME: &str = "Tessa Tryout";
const TEST_REASON: &str = "moving my cleaning to Friday";
const PARKING_QUESTION: &str = "Do you validate parking?";
const PARKING_ANSWER: &str = "Yes, bring your parking ticket to the front desk and we validate it.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_teaches_the_receptionist_an_answer_tries_it_in_a_test_call_and_gets_the_message_left()
 {
    let Some(driver) = Chromedriver::start().await else {
        return;
    };
    let app = app_at_its_own_address().await;
    let smtp = SmtpServer::start().await;
    let tenant = TenantToml::always_open().import(&app).await;
    app.create_user(EMAIL, PASSWORD, Role::TenantAdmin, Some(tenant))
        .await;
    let window = driver.open(&app).await;
    window
        .drive(move |w| async move {
            sign_in(&w).await;
            add_the_parking_answer(&w).await;
            try_the_parking_question(&w).await;
            w.click("nav a[href='/test-call']").await;
            w.wait_for_path("/test-call").await;
            screenshot(&w, "test-call-start").await;
            w.click("form.start-form button[type=submit]").await;
            wait_until(&w, "the test call's page", |location| {
                location.starts_with("/test-call/")
            })
            .await;
            let greeting = w.text("#transcript .bubble.receptionist").await;
            assert!(
                greeting.contains("Sunny Dental"),
                "the greeting: {greeting}"
            );

            say(&w, "um hi do you guys validate parking").await;
            let transcript = w.text("#transcript").await;
            assert!(transcript.contains(PARKING_ANSWER), "{transcript}");
            say(&w, "Do you offer teeth whitening?").await;
            let transcript = w.text("#transcript").await;
            assert!(transcript.contains(WHITENING_ANSWER), "{transcript}");
            for line in [
                "I'd like to leave a message",
                TEST_CALLER_NAME,
                "yes",
                "no",
                TEST_REASON,
            ] {
                say(&w, line).await;
            }
            screenshot(&w, "test-call-confirming").await;
            say(&w, "yes").await;
            say(&w, "bye").await;
            let over = w.text("#call-over").await;
            assert!(over.contains("The call is over."), "{over}");
            assert!(w.text("#test-call-lead").await.contains(TEST_CALLER_NAME));
            screenshot(&w, "test-call-over").await;

            w.click("nav a[href='/leads']").await;
            w.wait_for_path("/leads").await;
            let leads = w.text("table#leads").await;
            assert!(
                leads.contains(TEST_CALLER_NAME) && leads.contains(TEST_REASON),
                "the message is a lead: {leads}"
            );
        })
        .await;

    // The jobs the test call left behind send the real lead email.
    deliver(&app, &smtp, 2).await; // the lead email and the call summary
    let lead_email = smtp
        .received()
        .into_iter()
        .find(|m| m.data.contains("Message-ID: <lead-email."))
        .expect("the lead email");
    assert_eq!(lead_email.recipients, ["owner@sunny.example"]);
    let text = mail_parser::MessageParser::default()
        .parse(lead_email.data.as_bytes())
        .and_then(|m| m.body_text(0).map(|t| t.into_owned()))
        .unwrap_or_default();
    assert!(
        text.contains(TEST_CALLER_NAME) && text.contains(TEST_REASON),
        "{text}"
    );
}

/// Creates a knowledge entry through its form and sees it listed.
async fn add_the_parking_answer(w: &BrowserWindow) {
    w.click("nav a[href='/knowledge']").await;
    w.wait_for_path("/knowledge").await;
    w.click("a#new-entry").await;
    w.wait_for_path("/knowledge/new").await;
    w.type_into("#question", PARKING_QUESTION).await;
    w.type_into("#answer", PARKING_ANSWER).await;
    w.type_into("#also_asked", "can I get my parking validated")
        .await;
    screenshot(w, "knowledge-new").await;
    w.click("#knowledge-form button[type=submit]").await;
    w.wait_for_path("/knowledge").await;
    let entries = w.text("#knowledge-entries").await;
    assert!(entries.contains(PARKING_QUESTION), "{entries}");
    screenshot(w, "knowledge-list").await;
}

/// Asks the new question the way a caller would, in "try a question".
async fn try_the_parking_question(w: &BrowserWindow) {
    w.visit("/knowledge/try").await;
    w.type_into("#q", "um so do you guys validate parking")
        .await;
    w.click("form[action='/knowledge/try'] button[type=submit]")
        .await;
    wait_until(w, "the trial", |location| location.contains("q=")).await;
    let reply = w.text("#trial-reply").await;
    assert!(reply.contains(PARKING_ANSWER), "the reply: {reply}");
    let matched = w.text("#trial").await;
    assert!(matched.contains(PARKING_QUESTION), "{matched}");
    screenshot(w, "knowledge-try").await;
}

/// Types `line` as the caller and waits for the receptionist's answer
/// (the page sends it without reloading).
async fn say(w: &BrowserWindow, line: &str) {
    let answers = receptionist_lines(w).await;
    w.type_into("#say-text", line).await;
    w.click("#send-button").await;
    let started = std::time::Instant::now();
    while receptionist_lines(w).await <= answers {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "no answer to {line:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn receptionist_lines(w: &BrowserWindow) -> usize {
    w.client
        .find_all(fantoccini::Locator::Css("#transcript .bubble.receptionist"))
        .await
        .map_or(0, |lines| lines.len())
}

async fn wait_until(w: &BrowserWindow, what: &str, ready: impl Fn(&str) -> bool) {
    let started = std::time::Instant::now();
    loop {
        let location = w.location().await;
        if ready(&location) {
            return;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "waiting for {what}, still on {location}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Photographs the page at desktop and phone widths into /tmp/shots/, to
/// look at; the window is left at desktop width.
async fn screenshot(w: &BrowserWindow, name: &str) {
    std::fs::create_dir_all("/tmp/shots").unwrap();
    for (width, height) in [(1280, 900), (390, 844)] {
        w.client.set_window_size(width, height).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        let png = w.client.screenshot().await.unwrap();
        std::fs::write(format!("/tmp/shots/{name}-{width}.png"), png).unwrap();
    }
    w.client.set_window_size(1280, 900).await.unwrap();
}
