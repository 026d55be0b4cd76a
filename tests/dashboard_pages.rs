//! The owner's pages over HTTP (issue 11): the overview, the call log, the
//! call page, the lead list with its status form and the CSV, for calls
//! placed through the real webhooks, on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "dashboard_pages/support.rs"]
mod support;

use chrono_tz::America::New_York;
use common::calls::{CALLER, RawCall, TENANT_NUMBER};
use common::smtp::SmtpServer;
use frontdesk::users::Role;
use frontdesk::web::routes::{Access, DASHBOARD, Method};
use reqwest::StatusCode;
use support::*;

const HOSTILE_WORDS: &str = "<script>alert(1)</script> \"><img src=x onerror=alert(2)> whitening";
const HOSTILE_NAME: &str = "=HYPERLINK(\"http://x\") <script>alert(3)</script>";
const HOSTILE_REASON: &str = "a crown, \"soon\"\"><img src=x onerror=alert(4)>";

fn today() -> String {
    frontdesk::calls::local_time::local_date(New_York, frontdesk::clock::now()).to_string()
}

backend_tests! {
    async fn a_new_business_is_told_how_to_get_its_first_call_then_sees_its_figures(app: TestApp) {
        sunny(&app).await;
        let mut owner = owner(&app).await;
        let empty = page(&mut owner, "/").await;
        assert!(empty.body.contains("<title>Overview · Sunny Dental · Frontdesk</title>"), "{}", empty.body);
        assert!(empty.body.contains("No calls yet"));
        assert!(empty.body.contains(&format!("frontdesk call --to {TENANT_NUMBER}")));
        assert!(empty.body.contains("https://frontdesk.example.test/twilio/voice"));
        assert!(empty.body.contains("All lead emails delivered"));

        let answered = call(&app, CALLER, WHITENING).await;
        let (left, _) = message_call(&app, TENANT_NUMBER, NEIGHBOUR).await;
        let full = page(&mut owner, "/").await;
        assert!(!full.body.contains("No calls yet"));
        for figure in ["calls-today\">2<", "calls-7-days\">2<", "calls-30-days\">2<", "leads-30-days\">1<", "answered-rate\">50%<"] {
            assert!(full.body.contains(figure), "{figure} in {}", full.body);
        }
        assert!(full.body.contains("<svg") && full.body.contains("chart calls-per-day") && full.body.contains("chart outcomes"));
        assert!(full.body.contains("Message taken: 1"), "the outcomes chart counts the message");
        assert!(full.body.contains(&format!("href=\"/calls/{answered}\"")) && full.body.contains(&format!("href=\"/calls/{left}\"")));
        assert!(full.body.contains("Jane Doe"), "the latest leads");
        assert!(full.body.contains("Busiest hours"));
    }

    async fn the_call_log_finds_calls_by_words_said_and_by_the_callers_number(app: TestApp) {
        sunny(&app).await;
        let whitening = call(&app, CALLER, WHITENING).await;
        let (crown, _) = message_call(&app, TENANT_NUMBER, NEIGHBOUR).await;
        let mut owner = owner(&app).await;
        let all = page(&mut owner, "/calls").await;
        assert!(all.body.contains("<title>Calls · Sunny Dental · Frontdesk</title>"));
        assert_eq!(call_links(&all.body, "calls"), [format!("/calls/{crown}"), format!("/calls/{whitening}")], "newest first");
        let by_words = page(&mut owner, "/calls?q=WHITENING").await;
        assert_eq!(call_links(&by_words.body, "calls"), [format!("/calls/{whitening}")]);
        let by_number = page(&mut owner, "/calls?q=%28555%29+111-2222").await;
        assert_eq!(call_links(&by_number.body, "calls"), [format!("/calls/{crown}")]);
        assert!(unescape(&by_number.body).contains("value=\"(555) 111-2222\""), "the search box keeps the search");
        let nothing = page(&mut owner, "/calls?q=zebra").await;
        assert!(nothing.body.contains("No calls match") && !nothing.body.contains("id=\"calls\""));
    }

    async fn the_call_log_filters_by_outcome_and_day_and_pages_with_the_filters_kept(app: TestApp) {
        sunny(&app).await;
        let answered = call(&app, NEIGHBOUR, WHITENING).await;
        for _ in 0..26 {
            let silent = RawCall::new(&app, TENANT_NUMBER, CALLER);
            silent.voice().await;
            silent.status("completed").await;
        }
        let mut owner = owner(&app).await;
        let only_answered = page(&mut owner, "/calls?outcome=answered").await;
        assert_eq!(call_links(&only_answered.body, "calls"), [format!("/calls/{answered}")]);
        assert!(only_answered.body.contains("<option value=\"answered\" selected>"));

        let first = page(&mut owner, &format!("/calls?q=765-4321&from={}&to={}", today(), today())).await;
        assert_eq!(call_links(&first.body, "calls").len(), 25);
        assert!(first.body.contains("26 calls found") && first.body.contains("Page 1 of 2"), "{}", first.body);
        assert_eq!(link(&first.body, "prev"), None);
        let next = link(&first.body, "next").unwrap();
        assert_eq!(next, format!("/calls?q=765-4321&from={0}&to={0}&page=2", today()));
        let second = page(&mut owner, &next).await;
        assert_eq!(call_links(&second.body, "calls").len(), 1);
        assert!(!call_links(&second.body, "calls").contains(&format!("/calls/{answered}")));
        assert_eq!(link(&second.body, "prev").unwrap(), format!("/calls?q=765-4321&from={0}&to={0}", today()));

        let tomorrow = (chrono::NaiveDate::parse_from_str(&today(), "%Y-%m-%d").unwrap() + chrono::Duration::days(1)).to_string();
        let later = page(&mut owner, &format!("/calls?from={tomorrow}")).await;
        assert!(later.body.contains("No calls match"));
        let noted = page(&mut owner, "/calls?from=yesterday&outcome=nonsense").await;
        assert!(noted.body.contains("is not a date") && noted.body.contains("is not an outcome"), "{}", noted.body);
        assert_eq!(call_links(&noted.body, "calls").len(), 25, "what cannot be read is ignored");
        let repeated = page(&mut owner, "/calls?q=a&q=b").await;
        assert!(repeated.body.contains("could not be read"));
    }

    async fn the_call_page_shows_the_conversation_the_message_and_the_path(app: TestApp) {
        sunny(&app).await;
        let (call_id, lead) = message_call(&app, TENANT_NUMBER, NEIGHBOUR).await;
        let mut owner = owner(&app).await;
        let detail = page(&mut owner, &format!("/calls/{call_id}")).await;
        let body = &detail.body;
        assert!(body.contains(&format!("<title>Call from {NEIGHBOUR} · Sunny Dental · Frontdesk</title>")));
        assert!(body.contains("id=\"transcript\""));
        assert!(body.contains("bubble caller") && body.contains("bubble receptionist"));
        assert!(body.contains("a quote for a crown"), "the caller's words");
        assert!(body.contains("answered in "), "timings per turn");
        assert!(body.contains("Jane Doe") && body.contains("href=\"tel:+15551112222\""));
        assert!(body.contains(&format!("action=\"/leads/{lead}/status\"")));
        assert!(body.contains(&format!("name=\"return_to\" value=\"/calls/{call_id}\"")));
        assert!(body.contains("Taking a message") && body.contains("Confirming the message"), "the path");
        assert!(body.contains("Message taken"));
    }

    async fn the_link_in_a_lead_email_opens_the_call_for_its_owner(app: TestApp) {
        sunny(&app).await;
        let smtp = SmtpServer::start().await;
        let (call_id, _) = message_call(&app, TENANT_NUMBER, NEIGHBOUR).await;
        let received = deliver(&app, &smtp, 2).await;
        let lead_email = received.iter().find(|m| m.data.contains("Message-ID: <lead-email.")).unwrap();
        let url = format!("{}/calls/{call_id}", common::PUBLIC_URL);
        let message = mail_parser::MessageParser::default().parse(lead_email.data.as_bytes()).unwrap();
        let text = message.body_text(0).unwrap();
        assert!(text.contains(&url), "{text}");
        let path = url.strip_prefix(common::PUBLIC_URL).unwrap();

        let signed_out = app.browser().get(path).await;
        assert_eq!(signed_out.location(), Some(format!("/login?next=%2Fcalls%2F{call_id}").as_str()));
        let mut owner = owner(&app).await;
        let opened = page(&mut owner, path).await;
        assert!(opened.body.contains("id=\"transcript\"") && opened.body.contains("Jane Doe"));
        assert!(page(&mut owner, "/").await.body.contains("All lead emails delivered"));
    }

    async fn a_lead_email_that_is_refused_is_shown_on_the_overview_with_what_to_do(app: TestApp) {
        let tenant = common::calls::TenantToml::always_open()
            .notify(&["gone@sunny.example", OWNER])
            .import(&app)
            .await;
        app.create_user(OWNER, PASSWORD, Role::TenantAdmin, Some(tenant)).await;
        let smtp = SmtpServer::start_with(common::smtp::SmtpReplies::default().reject_permanently("gone@sunny.example")).await;
        message_call(&app, TENANT_NUMBER, NEIGHBOUR).await;
        deliver(&app, &smtp, 2).await;
        let mut owner = owner(&app).await;
        let mut overview = page(&mut owner, "/").await;
        for _ in 0..50 {
            if overview.body.contains("Refused by the mail server") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            overview = page(&mut owner, "/").await;
        }
        assert!(overview.body.contains("Some emails did not get through"), "{}", overview.body);
        assert!(overview.body.contains("Refused by the mail server") && overview.body.contains("gone@sunny.example"));
        assert!(overview.body.contains("SMTP_URL") && overview.body.contains("frontdesk jobs retry"));
        assert!(!overview.body.contains("All lead emails delivered"));
    }

    async fn another_businesss_calls_and_leads_are_not_found(app: TestApp) {
        sunny(&app).await;
        harbor(&app).await;
        let (theirs, their_lead) = message_call(&app, TENANT_NUMBER, NEIGHBOUR).await;
        let (mine, _) = message_call(&app, OTHER_NUMBER, CALLER).await;
        let mut other = app.sign_in(OTHER_OWNER, PASSWORD).await;
        for path in [format!("/calls/{theirs}"), "/calls/abc".to_owned(), "/calls/99999999999999999999".to_owned(), "/calls/-1".to_owned()] {
            let answer = other.get(&path).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "GET {path}");
            assert!(answer.body.contains("Page not found"), "the styled 404 page for {path}");
        }
        let list = page(&mut other, "/calls").await;
        assert_eq!(call_links(&list.body, "calls"), [format!("/calls/{mine}")]);
        let changed = other.post_form(&format!("/leads/{their_lead}/status"), &[("status", "closed")]).await;
        assert_eq!(changed.status, StatusCode::NOT_FOUND);
        assert_eq!(lead_status(&app, their_lead).await, "new");
        let not_a_lead = other.post_form("/leads/x/status", &[("status", "closed")]).await;
        assert_eq!(not_a_lead.status, StatusCode::NOT_FOUND);
        rewrite_lead(&app, their_lead, "Theirs Only", "their secret").await;
        let csv = page(&mut other, "/leads.csv").await;
        assert!(!csv.body.contains("Theirs Only") && !csv.body.contains("their secret"), "{}", csv.body);
        assert_eq!(csv.body.matches("\r\n").count(), 2, "the header and their own lead: {}", csv.body);
        assert!(!page(&mut other, "/leads").await.body.contains("Theirs Only"));
    }

    async fn a_lead_status_change_needs_the_forms_token_and_persists(app: TestApp) {
        sunny(&app).await;
        let (_, lead) = message_call(&app, TENANT_NUMBER, NEIGHBOUR).await;
        let mut owner = owner(&app).await;
        let list = page(&mut owner, "/leads?status=new").await;
        assert!(list.body.contains("id=\"leads\"") && list.body.contains(&format!("action=\"/leads/{lead}/status\"")));
        assert!(unescape(&list.body).contains("name=\"return_to\" value=\"/leads?status=new\""));
        let path = format!("/leads/{lead}/status");
        let forged = owner.browser.post(&path, &[("status", "contacted"), ("return_to", "/leads")]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        let wrong = owner.browser.post(&path, &[("csrf_token", "guess"), ("status", "contacted")]).await;
        assert_eq!(wrong.status, StatusCode::FORBIDDEN);
        assert_eq!(lead_status(&app, lead).await, "new");

        let changed = owner.post_form(&path, &[("status", "contacted"), ("return_to", "/leads?status=new")]).await;
        assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
        assert_eq!(changed.location(), Some("/leads?status=new"));
        assert_eq!(lead_status(&app, lead).await, "contacted");
        let back = page(&mut owner, "/leads?status=new").await;
        assert!(back.body.contains("Lead marked contacted."));
        assert!(back.body.contains("No leads match"), "it is no longer new");
        let contacted = page(&mut owner, "/leads?status=contacted").await;
        assert!(contacted.body.contains("<option value=\"contacted\" selected>Contacted</option>"));
        assert!(!contacted.body.contains("Lead marked contacted."), "the message shows once");

        let elsewhere = owner.post_form(&path, &[("status", "closed"), ("return_to", "//evil.example/")]).await;
        assert_eq!(elsewhere.location(), Some("/leads"));
        let unknown = owner.post_form(&path, &[("status", "deleted")]).await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
        assert_eq!(lead_status(&app, lead).await, "closed");
    }

    async fn the_csv_download_quotes_and_neutralises_what_callers_said(app: TestApp) {
        sunny(&app).await;
        let (call_id, lead) = message_call(&app, TENANT_NUMBER, NEIGHBOUR).await;
        rewrite_lead(&app, lead, HOSTILE_NAME, HOSTILE_REASON).await;
        let mut owner = owner(&app).await;
        let list = page(&mut owner, "/leads?q=crown").await;
        assert!(unescape(&list.body).contains("id=\"download-csv\" class=\"button\" href=\"/leads.csv?q=crown\""), "{}", list.body);
        let csv = page(&mut owner, "/leads.csv?q=crown").await;
        assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
        assert_eq!(csv.header("content-disposition"), Some(format!("attachment; filename=\"leads-sunny-dental-{}.csv\"", today()).as_str()));
        assert!(csv.body.starts_with('\u{feff}'), "a byte-order mark for spreadsheets");
        let row = csv.body.lines().nth(1).unwrap();
        assert!(row.contains("\"'=HYPERLINK(\"\"http://x\"\") <script>alert(3)</script>\""), "{row}");
        assert!(row.contains("\"a crown, \"\"soon\"\"\"\"><img src=x onerror=alert(4)>\""), "{row}");
        assert!(row.contains(",'+15551112222,") && row.ends_with(&format!(",{call_id}")), "{row}");
        let none = page(&mut owner, "/leads.csv?q=zebra").await;
        assert_eq!(none.body.lines().count(), 1, "the header only");
    }

    async fn every_page_escapes_what_callers_said(app: TestApp) {
        sunny(&app).await;
        let spoken = call(&app, CALLER, &[HOSTILE_WORDS, "no thanks"]).await;
        let (_, lead) = message_call(&app, TENANT_NUMBER, NEIGHBOUR).await;
        rewrite_lead(&app, lead, HOSTILE_NAME, HOSTILE_REASON).await;
        let mut owner = owner(&app).await;
        let search = format!("/calls?q={}", urlencoding(HOSTILE_WORDS));
        for path in ["/".to_owned(), "/calls".to_owned(), search, format!("/calls/{spoken}"), "/leads".to_owned()] {
            let body = page(&mut owner, &path).await.body;
            for raw in ["<script>alert", "<img src=x", "\"><img"] {
                assert!(!body.contains(raw), "{path} shows {raw:?} unescaped");
            }
        }
        let detail = page(&mut owner, &format!("/calls/{spoken}")).await.body;
        assert!(unescape(&detail).contains("<script>alert(1)</script>"), "shown as text: {detail}");
        let leads = page(&mut owner, "/leads").await.body;
        assert!(unescape(&leads).contains(HOSTILE_NAME) && unescape(&leads).contains(HOSTILE_REASON), "{leads}");
    }

    async fn every_page_answers_get_and_head_for_a_tenant_admin_and_a_super_admin(app: TestApp) {
        sunny(&app).await;
        let other = harbor(&app).await;
        let (call_id, _) = message_call(&app, OTHER_NUMBER, NEIGHBOUR).await;
        let knowledge_id: i64 = app.with_conn(move |conn| {
            use diesel::prelude::*;
            use frontdesk::schema::knowledge_entries;
            knowledge_entries::table
                .filter(knowledge_entries::tenant_id.eq(other))
                .select(knowledge_entries::id)
                .first(conn)
                .unwrap()
        }).await;
        app.create_user("root@example.com", PASSWORD, Role::SuperAdmin, None).await;
        let mut admin = app.sign_in(OTHER_OWNER, PASSWORD).await;
        let mut root = app.sign_in("root@example.com", PASSWORD).await;
        let switched = root.post_form("/tenant/switch", &[("tenant_id", &other.0.to_string())]).await;
        assert_eq!(switched.status, StatusCode::SEE_OTHER);
        let pages: Vec<String> = DASHBOARD
            .iter()
            .filter(|r| r.method == Method::Get && r.access == Access::TenantAdmin)
            // A test call's page needs a test call's id: tests/dashboard_test_call.rs.
            .filter(|r| !r.path.starts_with("/test-call/"))
            .map(|r| {
                let id = if r.path.starts_with("/knowledge/") { knowledge_id } else { call_id };
                r.path.replace("{id}", &id.to_string())
            })
            .collect();
        assert!(pages.len() >= 5, "{pages:?}");
        for client in [&mut admin, &mut root] {
            for path in &pages {
                let answer = page(client, path).await;
                let policy = answer.header("content-security-policy").unwrap_or_default();
                assert!(policy.contains("object-src 'none'") && !policy.contains("unsafe-inline"), "{path}");
                assert_eq!(answer.header("x-content-type-options"), Some("nosniff"), "{path}");
                assert!(answer.header("referrer-policy").is_some(), "{path}");
                if path != "/leads.csv" {
                    assert!(answer.body.contains("Harbor") || answer.body.contains("Sunny Dental"), "{path}");
                }
                let head = client
                    .browser
                    .http
                    .head(format!("{}{path}", app.address))
                    .header("cookie", format!("{}={}", common::dashboard::COOKIE, client.browser.cookie.clone().unwrap()))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(head.status(), StatusCode::OK, "HEAD {path}");
            }
        }
    }
}

/// Percent-encodes a query value.
fn urlencoding(value: &str) -> String {
    serde_urlencoded::to_string([("v", value)]).unwrap()[2..].to_owned()
}
