//! The operator's pages over HTTP (issue 12): tenants (create, rename,
//! disable, numbers, admins), system health with its job retries, and the
//! audit log, on SQLite and on PostgreSQL. Calls go through the real
//! webhooks, so "the next call uses it" is what is checked.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "dashboard_admin/support.rs"]
mod support;

use common::calls::{CALLER, RawCall, TENANT_NUMBER, place_call, spoken, verbs};
use frontdesk::audit::{self, Action, Change};
use frontdesk::mail::RecipientOutcome;
use frontdesk::mail::deliveries;
use reqwest::StatusCode;
use support::*;

const NEW_NUMBER: &str = "+15005550077";

/// The new-business form, filled in well.
fn bright_smile() -> Vec<(&'static str, &'static str)> {
    vec![
        ("name", "Bright Smile <Dental> & \"Co\""),
        ("slug", "bright-smile"),
        ("timezone", "America/Chicago"),
        ("language", "en-US"),
        ("voice", "Polly.Joanna-Neural"),
        ("number", NEW_NUMBER),
        ("admin_email", "Admin@Bright.example"),
    ]
}

fn with(
    form: &[(&'static str, &'static str)],
    field: &str,
    value: &'static str,
) -> Vec<(&'static str, &'static str)> {
    form.iter()
        .map(|&(k, v)| if k == field { (k, value) } else { (k, v) })
        .collect()
}

backend_tests! {
    async fn the_operator_creates_a_business_whose_number_answers_and_whose_admin_can_sign_in(app: TestApp) {
        let mut operator = operator(&app).await;
        let form = page(&mut operator, "/admin/tenants/new").await;
        assert!(form.body.contains("<title>New business · Frontdesk</title>"));
        assert!(form.body.contains("aria-current=\"page\">Tenants</a>"), "the Tenants tab is current");
        let created = operator.post_form("/admin/tenants", &bright_smile()).await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        assert_eq!(created.header("cache-control"), Some("no-store"));
        assert!(created.body.contains("Bright Smile &#60;Dental&#62; &#38; &#34;Co&#34; was created"), "escaped: {}", created.body);
        let password = one_time_password(&created.body);
        assert!(password.len() >= 12);
        let tenant = tenant_by_slug(&app, "bright-smile").await.expect("the business exists");
        assert_eq!(numbers_of(&app, tenant).await, [NEW_NUMBER]);

        let mut admin = app.sign_in("admin@bright.example", &password).await;
        let overview = page(&mut admin, "/").await;
        assert!(overview.body.contains("Bright Smile"), "the new admin sees their business");
        let call = RawCall::new(&app, NEW_NUMBER, CALLER);
        let (status, twiml) = call.voice().await;
        assert_eq!(status, 200);
        assert!(verbs(&twiml).contains(&"Gather".to_owned()), "the receptionist answers: {twiml}");

        let list = page(&mut operator, "/admin/tenants").await;
        assert!(list.body.contains(&format!("href=\"/admin/tenants/{tenant}\"")));
        assert!(list.body.contains(NEW_NUMBER));
        let rows = audit_rows(&app).await;
        let actions: Vec<&str> = rows.iter().map(|r| r.2.as_str()).collect();
        assert_eq!(actions, ["tenant.created", "number.assigned", "team.invited"]);
        assert!(rows.iter().all(|r| r.0 == Some(tenant.0) && r.1.is_some()), "{rows:?}");
        assert_eq!(rows[2].3, "admin@bright.example");
    }

    async fn the_new_business_form_shows_each_problem_next_to_its_field_and_keeps_what_was_typed(app: TestApp) {
        harbor(&app).await;
        let mut operator = operator(&app).await;
        let users = user_count(&app).await;
        let cases: [(&str, &'static str, &str); 8] = [
            ("slug", "Bright Smile", "is not a valid slug"),
            ("name", "   ", "Must not be empty."),
            ("timezone", "Mars/Olympus", "Unknown time zone"),
            ("language", "english", "is not a language tag"),
            ("voice", "Robot", "a Twilio voice"),
            ("number", "555-1234", "E.164 phone number"),
            ("number", HARBOR_NUMBER, "already belongs to tenant harbor-dental"),
            ("admin_email", "not an address", "Enter an email address like name@example.com."),
        ];
        for (field, value, message) in cases {
            let answer = post_invalid(&mut operator, "/admin/tenants", &with(&bright_smile(), field, value)).await;
            let shown = field_error(&answer.body, field).unwrap_or_else(|| panic!("no error for {field}: {}", answer.body));
            assert!(shown.contains(message) || shown.to_lowercase().contains(&message.to_lowercase()), "{field}: {shown}");
            assert!(answer.body.contains("value=\"bright-smile\"") || field == "slug", "what was typed is kept");
        }
        let taken_slug = post_invalid(&mut operator, "/admin/tenants", &with(&bright_smile(), "slug", "harbor-dental")).await;
        assert!(field_error(&taken_slug.body, "slug").unwrap().contains("already uses this slug"));
        let taken_email = post_invalid(&mut operator, "/admin/tenants", &with(&bright_smile(), "admin_email", HARBOR_OWNER)).await;
        assert!(field_error(&taken_email.body, "admin_email").unwrap().contains("already a user"));
        assert_eq!(tenant_by_slug(&app, "bright-smile").await, None, "nothing was created");
        assert_eq!(user_count(&app).await, users);
        assert_eq!(audit_actions(&app).await, Vec::<String>::new());

        post_without_token(&mut operator, "/admin/tenants", &bright_smile()).await;
        let mut tenant_admin = app.sign_in(HARBOR_OWNER, PASSWORD).await;
        assert_eq!(tenant_admin.post_form("/admin/tenants", &bright_smile()).await.status, StatusCode::NOT_FOUND);
        assert_eq!(tenant_admin.get("/admin/tenants/new").await.status, StatusCode::NOT_FOUND);
        let signed_out = app.browser().get("/admin/tenants").await;
        assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
        assert_eq!(signed_out.location(), Some("/login?next=%2Fadmin%2Ftenants"));
        assert_eq!(tenant_by_slug(&app, "bright-smile").await, None);
    }

    async fn the_tenant_list_counts_each_businesss_calls_and_leads_of_the_last_30_days(app: TestApp) {
        let sunny = sunny(&app).await;
        let harbor = harbor(&app).await;
        place_call(&app, TENANT_NUMBER, CALLER, &["Do you offer teeth whitening?", "no thanks"]).await;
        place_call(&app, TENANT_NUMBER, "+15551112222", &["I'd like to leave a message", "Jane Doe", "yes", "no", "a crown", "yes", "bye"]).await;
        let mut operator = operator(&app).await;
        let list = page(&mut operator, "/admin/tenants").await;
        let row = |id: frontdesk::ids::TenantId| {
            let at = list.body.find(&format!("href=\"/admin/tenants/{id}\"")).unwrap();
            list.body[at..].split("</tr>").next().unwrap().to_owned()
        };
        let (sunny_row, harbor_row) = (row(sunny), row(harbor));
        assert!(sunny_row.contains("data-label=\"Calls\" class=\"num\">2<"), "{sunny_row}");
        assert!(sunny_row.contains("data-label=\"Leads\" class=\"num\">1<"), "{sunny_row}");
        assert!(harbor_row.contains("data-label=\"Calls\" class=\"num\">0<"), "{harbor_row}");
        assert!(harbor_row.contains(HARBOR_NUMBER) && harbor_row.contains(HARBOR_SECOND));
        assert!(sunny_row.contains("Enabled"));
        let admin = operator.get("/admin").await;
        assert_eq!((admin.status, admin.location()), (StatusCode::SEE_OTHER, Some("/admin/tenants")), "/admin opens the tenants tab");
    }

    async fn a_disabled_business_tells_its_callers_it_cannot_take_calls_on_every_instance(app: TestApp) {
        let sunny = sunny(&app).await;
        let other = app.another_instance().await;
        // The other instance has the business's configuration cached.
        let (_, before) = RawCall::new(&other, TENANT_NUMBER, CALLER).voice().await;
        assert!(verbs(&before).contains(&"Gather".to_owned()));
        let mut operator = operator(&app).await;
        let path = format!("/admin/tenants/{sunny}");
        post_without_token(&mut operator, &format!("{path}/disable"), &[]).await;
        let mut owner = owner(&app).await;
        assert_eq!(owner.post_form(&format!("{path}/disable"), &[]).await.status, StatusCode::NOT_FOUND);
        assert!(!tenant_state(&app, sunny).await.1, "refused requests change nothing");

        let shown = post_ok(&mut operator, &format!("{path}/disable"), &[], &path).await;
        assert!(shown.body.contains("The business is disabled"), "the flash: {}", shown.body);
        assert!(shown.body.contains("Enable the business"));
        let leads = lead_count(&app).await;
        let (status, twiml) = RawCall::new(&other, TENANT_NUMBER, "+15553334444").voice().await;
        assert_eq!(status, 200);
        assert_eq!(verbs(&twiml), ["Say", "Hangup"], "{twiml}");
        let said = spoken(&twiml);
        assert!(said.contains("Sunny Dental cannot take calls right now"), "{said}");
        let message = place_call(&app, TENANT_NUMBER, CALLER, &["I'd like to leave a message", "Jane Doe"]).await;
        assert!(common::calls::heard(&message).contains("cannot take calls"));
        assert_eq!(lead_count(&app).await, leads, "no message is taken");

        post_ok(&mut operator, &format!("{path}/enable"), &[], &path).await;
        let (_, after) = RawCall::new(&other, TENANT_NUMBER, CALLER).voice().await;
        assert!(verbs(&after).contains(&"Gather".to_owned()), "answered again: {after}");
        let actions = audit_actions(&app).await;
        assert_eq!(actions, ["tenant.disabled", "tenant.enabled"]);
    }

    async fn renaming_a_business_is_heard_on_the_next_call(app: TestApp) {
        let sunny = sunny(&app).await;
        let mut operator = operator(&app).await;
        let path = format!("/admin/tenants/{sunny}");
        let empty = post_invalid(&mut operator, &format!("{path}/name"), &[("name", "  ")]).await;
        assert_eq!(field_error(&empty.body, "name"), Some("Must not be empty."));
        let long = "x".repeat(201);
        let too_long = post_invalid(&mut operator, &format!("{path}/name"), &[("name", &long)]).await;
        assert!(field_error(&too_long.body, "name").unwrap().contains("the limit is 200"));
        assert!(too_long.body.contains(&long), "what was typed is kept");
        post_without_token(&mut operator, &format!("{path}/name"), &[("name", "Evil")]).await;
        let mut owner = owner(&app).await;
        assert_eq!(owner.post_form(&format!("{path}/name"), &[("name", "Evil")]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(tenant_state(&app, sunny).await.0, "Sunny Dental");

        let shown = page(&mut operator, &path).await;
        assert!(shown.body.contains(&format!("name=\"tenant_id\" value=\"{sunny}\"")), "a way into the business's own dashboard");
        let (_, first) = RawCall::new(&app, TENANT_NUMBER, CALLER).voice().await;
        assert!(spoken(&first).contains("Sunny Dental"), "{first}");
        let shown = post_ok(&mut operator, &format!("{path}/name"), &[("name", " Sunny Family Dental ")], &path).await;
        assert!(shown.body.contains("The business was renamed."));
        assert_eq!(tenant_state(&app, sunny).await.0, "Sunny Family Dental");
        let (_, next) = RawCall::new(&app, TENANT_NUMBER, "+15552223333").voice().await;
        assert!(spoken(&next).contains("Sunny Family Dental"), "{next}");
        let rows = audit_rows(&app).await;
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].2.as_str(), rows[0].3.as_str()), ("tenant.updated", "Name: Sunny Dental → Sunny Family Dental"));
        assert_eq!(operator.get("/admin/tenants/999999").await.status, StatusCode::NOT_FOUND);
        assert_eq!(operator.post_form("/admin/tenants/999999/name", &[("name", "X")]).await.status, StatusCode::NOT_FOUND);
    }

    async fn a_number_moves_between_businesses_only_after_the_operator_sees_who_has_it(app: TestApp) {
        let sunny = sunny(&app).await;
        let harbor = harbor(&app).await;
        let mut operator = operator(&app).await;
        let path = format!("/admin/tenants/{sunny}");
        let numbers = format!("{path}/numbers");
        let bad = post_invalid(&mut operator, &numbers, &[("number", "0044 20 7946")]).await;
        assert!(field_error(&bad.body, "number").unwrap().contains("E.164 phone number"), "{}", bad.body);
        let again = post_invalid(&mut operator, &numbers, &[("number", TENANT_NUMBER)]).await;
        assert!(field_error(&again.body, "number").unwrap().contains("already answers"));
        post_without_token(&mut operator, &numbers, &[("number", NEW_NUMBER)]).await;

        let added = post_ok(&mut operator, &numbers, &[("number", NEW_NUMBER)], &path).await;
        assert!(added.body.contains(&format!("{NEW_NUMBER} was assigned.")));
        let (_, twiml) = RawCall::new(&app, NEW_NUMBER, CALLER).voice().await;
        assert!(spoken(&twiml).contains("Sunny Dental"), "the new number answers for Sunny: {twiml}");

        let asked = operator.post_form(&numbers, &[("number", HARBOR_NUMBER)]).await;
        assert_eq!(asked.status, StatusCode::OK);
        assert!(asked.body.contains("is answered by <strong>Harbor Dental</strong>"), "{}", asked.body);
        assert!(asked.body.contains("name=\"confirm_move\" value=\"yes\""));
        assert_eq!(numbers_of(&app, harbor).await, [HARBOR_NUMBER, HARBOR_SECOND], "nothing moved yet");
        let moved = post_ok(&mut operator, &numbers, &[("number", HARBOR_NUMBER), ("confirm_move", "yes")], &path).await;
        assert!(moved.body.contains("was moved here from Harbor Dental"));
        assert_eq!(numbers_of(&app, harbor).await, [HARBOR_SECOND]);
        assert_eq!(numbers_of(&app, sunny).await, [TENANT_NUMBER, HARBOR_NUMBER, NEW_NUMBER], "the moved number keeps its row");
        let (_, moved_call) = RawCall::new(&app, HARBOR_NUMBER, CALLER).voice().await;
        assert!(spoken(&moved_call).contains("Sunny Dental"), "{moved_call}");

        let last = operator.post_form(&numbers, &[("number", HARBOR_SECOND)]).await;
        assert!(last.body.contains("leaves Harbor Dental with no number"), "the warning names the loss: {}", last.body);
        let only = post_invalid(&mut operator, &format!("/admin/tenants/{harbor}/numbers/remove"), &[("number", HARBOR_SECOND)]).await;
        assert!(field_error(&only.body, "number").unwrap().contains("only number"));
        let not_theirs = operator.post_form(&format!("/admin/tenants/{harbor}/numbers/remove"), &[("number", TENANT_NUMBER)]).await;
        assert_eq!(not_theirs.status, StatusCode::NOT_FOUND);
        let removed = post_ok(&mut operator, &format!("{numbers}/remove"), &[("number", NEW_NUMBER)], &path).await;
        assert!(removed.body.contains(&format!("{NEW_NUMBER} was removed.")));
        assert_eq!(numbers_of(&app, sunny).await, [TENANT_NUMBER, HARBOR_NUMBER]);

        let mut owner = owner(&app).await;
        assert_eq!(owner.post_form(&format!("/admin/tenants/{harbor}/numbers"), &[("number", HARBOR_SECOND), ("confirm_move", "yes")]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(numbers_of(&app, harbor).await, [HARBOR_SECOND]);
        let rows = audit_rows(&app).await;
        let entries: Vec<(Option<i64>, &str)> = rows.iter().map(|r| (r.0, r.2.as_str())).collect();
        assert_eq!(entries, [
            (Some(sunny.0), "number.assigned"),
            (Some(sunny.0), "number.moved"),
            (Some(harbor.0), "number.moved"),
            (Some(sunny.0), "number.removed"),
        ]);
        assert_eq!(rows[1].3, format!("{HARBOR_NUMBER}: Harbor Dental → Sunny Dental"));
    }

    async fn the_operator_invites_an_admin_who_signs_in_with_the_password_shown_once(app: TestApp) {
        let sunny = sunny(&app).await;
        harbor(&app).await;
        let mut operator = operator(&app).await;
        let path = format!("/admin/tenants/{sunny}");
        let shown = page(&mut operator, &path).await;
        assert!(shown.body.contains(OWNER) && shown.body.contains("Enabled"));
        assert!(!shown.body.contains(HARBOR_OWNER), "only this business's admins");
        let admins = format!("{path}/admins");
        let bad = post_invalid(&mut operator, &admins, &[("email", "nobody")]).await;
        assert_eq!(field_error(&bad.body, "admin_email"), Some("Enter an email address like name@example.com."));
        assert!(bad.body.contains("value=\"nobody\""));
        let taken = post_invalid(&mut operator, &admins, &[("email", HARBOR_OWNER)]).await;
        assert_eq!(field_error(&taken.body, "admin_email"), Some("There is already a user with this email address."));
        post_without_token(&mut operator, &admins, &[("email", "second@sunny.example")]).await;
        let mut owner = owner(&app).await;
        assert_eq!(owner.post_form(&admins, &[("email", "second@sunny.example")]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(audit_actions(&app).await, Vec::<String>::new());

        let invited = operator.post_form(&admins, &[("email", "second@sunny.example")]).await;
        assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
        assert_eq!(invited.header("cache-control"), Some("no-store"));
        let password = one_time_password(&invited.body);
        let again = page(&mut operator, &path).await;
        assert!(!again.body.contains(&password), "shown once");
        assert!(again.body.contains("second@sunny.example"));
        let mut second = app.sign_in("second@sunny.example", &password).await;
        assert!(page(&mut second, "/").await.body.contains("Sunny Dental"));
        let rows = audit_rows(&app).await;
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].0, rows[0].2.as_str(), rows[0].3.as_str()), (Some(sunny.0), "team.invited", "second@sunny.example"));
    }

    async fn system_health_shows_failed_jobs_and_retrying_one_requeues_it(app: TestApp) {
        let first = dead_job(&app, 1, "SMTP said <550> no such user").await;
        let second = dead_job(&app, 2, "the call is gone").await;
        let sunny = sunny(&app).await;
        app.with_conn(move |conn| {
            let refused = RecipientOutcome::Rejected("550 5.1.1 mailbox unknown".to_owned());
            deliveries::record(conn, sunny, "lead-email:7", "front@sunny.example", &refused, frontdesk::clock::now()).unwrap();
        }).await;
        let mut operator = operator(&app).await;
        let health = page(&mut operator, "/admin/system").await;
        assert!(health.body.contains("aria-current=\"page\">System health</a>"));
        assert!(health.body.contains("SMTP said &#60;550&#62; no such user"), "errors shown, escaped");
        assert!(health.body.contains(&format!("id=\"job-{first}\"")));
        assert!(health.body.contains("Retry all dead (2)"));
        let backend = match app.backend { common::TestBackend::Sqlite => "SQLite", common::TestBackend::Postgres => "PostgreSQL" };
        assert!(health.body.contains(&format!("id=\"database-backend\">{backend}<")));
        let version = health.body.split("id=\"database-version\">").nth(1).unwrap();
        assert!(version.starts_with(|c: char| c.is_ascii_alphanumeric()), "the server's version: {version}");
        assert!(health.body.contains("id=\"llm\">Not configured<"));
        assert!(health.body.contains(&format!("id=\"app-version\">{}<", env!("CARGO_PKG_VERSION"))));
        assert!(health.body.contains("Times are in UTC"));
        assert!(health.body.contains("This instance is up"));
        let emails = health.body.split("id=\"failed-emails\"").nth(1).unwrap();
        for shown in ["Sunny Dental", "lead-email:7", "front@sunny.example", "Refused", "550 5.1.1 mailbox unknown"] {
            assert!(emails.contains(shown), "{shown} in {emails}");
        }

        let retry = format!("/admin/jobs/{first}/retry");
        post_without_token(&mut operator, &retry, &[]).await;
        let mut owner = owner(&app).await;
        assert_eq!(owner.post_form(&retry, &[]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(owner.get("/admin/system").await.status, StatusCode::NOT_FOUND);
        assert_eq!(job_status(&app, first).await, "dead");

        let after = post_ok(&mut operator, &retry, &[], "/admin/system").await;
        assert!(after.body.contains(&format!("Job {first}: requeued")), "{}", after.body);
        assert_eq!(job_status(&app, first).await, "queued");
        assert_eq!(operator.post_form("/admin/jobs/999999/retry", &[]).await.status, StatusCode::NOT_FOUND);
        let all = post_ok(&mut operator, "/admin/jobs/retry-dead", &[], "/admin/system").await;
        assert!(all.body.contains("Requeued 1 of 1 dead job(s)"), "{}", all.body);
        assert_eq!(job_status(&app, second).await, "queued");
        let rows = audit_rows(&app).await;
        let entries: Vec<(Option<i64>, &str, &str)> = rows.iter().map(|r| (r.0, r.2.as_str(), r.3.as_str())).collect();
        assert_eq!(entries, [
            (None, "job.retried", format!("summarize_call #{first}").as_str()),
            (None, "job.retried", format!("summarize_call #{second}").as_str()),
        ]);
    }

    async fn system_health_names_the_llm_by_model_and_host_never_its_key(app: TestApp) {
        let app = common::TestApp::spawn_with(app.backend, &[
            ("OPENAI_API_KEY", "sk-secret-key-that-must-not-show"),
            ("OPENAI_BASE_URL", "http://llm.internal.example:8080/v1"),
            ("OPENAI_MODEL", "tiny-model"),
        ]).await;
        let mut operator = operator(&app).await;
        let health = page(&mut operator, "/admin/system").await;
        assert!(health.body.contains("id=\"llm\">Configured<"));
        assert!(health.body.contains("tiny-model at llm.internal.example"));
        assert!(!health.body.contains("sk-secret"));
    }

    async fn the_audit_log_shows_who_changed_what_for_everything_or_one_business(app: TestApp) {
        let sunny = sunny(&app).await;
        let harbor = harbor(&app).await;
        let mut operator = operator(&app).await;
        post_ok(&mut operator, &format!("/admin/tenants/{sunny}/name"), &[("name", "Sunny <b>Dental</b>")], &format!("/admin/tenants/{sunny}")).await;
        post_ok(&mut operator, &format!("/admin/tenants/{harbor}/disable"), &[], &format!("/admin/tenants/{harbor}")).await;
        let job = dead_job(&app, 3, "boom").await;
        let config = app.config.clone();
        tokio::task::spawn_blocking(move || frontdesk::jobs::cli::retry(&config, Some(job), false)).await.unwrap().unwrap();

        let all = page(&mut operator, "/admin/audit").await;
        assert!(all.body.contains("aria-current=\"page\">Audit log</a>"));
        assert!(all.body.contains("times in UTC"));
        assert!(all.body.contains("Business changed") && all.body.contains("Business disabled") && all.body.contains("Job retried"));
        assert!(all.body.contains("Sunny &#60;b&#62;Dental&#60;/b&#62;"), "details are escaped");
        assert!(all.body.contains(OPERATOR) && all.body.contains("command line"));
        assert!(all.body.contains("3 entries"));

        let one = page(&mut operator, &format!("/admin/audit?tenant={harbor}")).await;
        assert!(one.body.contains("Business disabled") && !one.body.contains("Business changed"));
        assert!(one.body.contains("times in Europe/London"), "a business's entries in its own zone");
        assert!(one.body.contains(&format!("<option value=\"{harbor}\" selected>Harbor Dental</option>")));
        let installation = page(&mut operator, "/admin/audit?tenant=installation").await;
        assert!(installation.body.contains("Job retried") && !installation.body.contains("Business disabled"));
        let unknown = page(&mut operator, "/admin/audit?tenant=424242").await;
        assert!(unknown.body.contains("That business does not exist"));

        app.with_conn(move |conn| {
            for n in 0..60 {
                audit::record(conn, &Change::from_command_line().in_tenant(sunny), Action::SettingsUpdated, &format!("change {n}")).unwrap();
            }
        }).await;
        let first_page = page(&mut operator, &format!("/admin/audit?tenant={sunny}")).await;
        assert!(first_page.body.contains("change 59") && !first_page.body.contains("change 9<"), "newest first, 50 a page");
        assert!(first_page.body.contains(&format!("href=\"/admin/audit?tenant={sunny}&#38;page=2\"")), "{}", first_page.body);
        let second_page = page(&mut operator, &format!("/admin/audit?tenant={sunny}&page=2")).await;
        assert!(second_page.body.contains("change 0<") && !second_page.body.contains("change 59"));
        let mut owner = owner(&app).await;
        assert_eq!(owner.get("/admin/audit").await.status, StatusCode::NOT_FOUND);
    }

    async fn importing_a_tenant_file_at_the_command_line_is_recorded(app: TestApp) {
        let dir = std::env::temp_dir().join(format!("frontdesk-admin-{}", frontdesk::simulator::random_call_sid()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("sunny.toml");
        std::fs::write(&path, common::calls::TenantToml::always_open().to_toml()).unwrap();
        let config = app.config.clone();
        let file = path.clone();
        tokio::task::spawn_blocking(move || {
            frontdesk::tenants::cli::import(&config, &file).unwrap();
            frontdesk::tenants::cli::import(&config, &file).unwrap();
        }).await.unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let rows = audit_rows(&app).await;
        let entries: Vec<(Option<i64>, &str)> = rows.iter().map(|r| (r.1, r.2.as_str())).collect();
        assert_eq!(entries, [(None, "tenant.created"), (None, "tenant_file.imported")]);
        assert!(rows.iter().all(|r| r.0.is_some()));
    }
}
