//! The knowledge section (issue 12) over HTTP, on SQLite and PostgreSQL:
//! the owner adds, edits, switches off and deletes entries and the next call
//! placed through the webhooks hears the change; "try a question" answers as
//! a call would; questions callers asked that went unanswered are listed,
//! grouped, and drop off once an entry answers them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "dashboard_knowledge/support.rs"]
mod support;

use common::calls::WHITENING_ANSWER;
use reqwest::StatusCode;
use support::*;

const DELTA_ANSWER: &str = "Yes, we are in network with Delta Dental and file the claim for you.";

backend_tests! {
    async fn an_owner_adds_an_answer_and_the_next_call_hears_it(app: TestApp) {
        let tenant = sunny(&app).await;
        let (before, _) = call(&app, &["um so like do you guys take delta dental", "no thanks"]).await;
        assert!(!before.contains(DELTA_ANSWER), "{before}");
        let version = config_version(&app, tenant).await;
        let mut owner = owner(&app).await;
        let list = page(&mut owner, "/knowledge").await;
        assert!(list.body.contains("<title>Knowledge · Sunny Dental · Frontdesk</title>"), "{}", list.body);
        assert!(list.body.contains("Do you offer teeth whitening?") && list.body.contains("3 entries"));
        let form = page(&mut owner, "/knowledge/new").await;
        assert!(form.body.contains("name=\"also_asked\""));

        let saved = owner.post_form("/knowledge/new", &[
            ("question", "Do you take Delta Dental insurance?"),
            ("answer", DELTA_ANSWER),
            ("also_asked", "is delta dental accepted\ndelta dental"),
            ("category", "Insurance"),
            ("priority", "5"),
            ("active", "1"),
        ]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(saved.location(), Some("/knowledge"));
        let list = page(&mut owner, "/knowledge").await;
        assert!(unescape(&list.body).contains("Added \u{201c}Do you take Delta Dental insurance?\u{201d}"), "{}", list.body);
        assert!(list.body.contains("4 entries") && list.body.contains("Priority 5") && list.body.contains(">Insurance<"));
        assert!(list.body.contains("is delta dental accepted"));
        assert_eq!(config_version(&app, tenant).await, version + 1, "calls reload the configuration");
        assert_eq!(audit(&app, tenant).await.last().unwrap(), &("knowledge.created".to_owned(), "Do you take Delta Dental insurance?".to_owned()));

        let (after, _) = call(&app, &["um so like do you guys take delta dental", "no thanks"]).await;
        assert!(after.contains(DELTA_ANSWER), "the next call answers from the new entry: {after}");
    }

    async fn an_edited_answer_is_what_the_next_call_hears(app: TestApp) {
        let tenant = sunny(&app).await;
        let (first, _) = call(&app, &["yeah hi do you do teeth whitening", "no thanks"]).await;
        assert!(first.contains(WHITENING_ANSWER), "{first}");
        let id = entry_id(&app, "Do you offer teeth whitening?").await;
        let mut owner = owner(&app).await;
        let form = page(&mut owner, &format!("/knowledge/{id}")).await;
        assert!(form.body.contains(&format!("action=\"/knowledge/{id}\"")) && form.body.contains("450 dollars"));
        let with_phrasing = page(&mut owner, &format!("/knowledge/{id}?also_asked=how+much+to+whiten+my+teeth")).await;
        assert!(with_phrasing.body.contains("rows=\"4\">how much to whiten my teeth</textarea>"), "a caller's phrasing is added: {}", with_phrasing.body);
        let new_answer = "Yes. Whitening is 399 dollars this month, in one visit.";
        let saved = owner.post_form(&format!("/knowledge/{id}"), &[
            ("question", "Do you offer teeth whitening?"),
            ("answer", new_answer),
            ("also_asked", ""),
            ("category", ""),
            ("priority", ""),
            ("active", "1"),
        ]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let (second, _) = call(&app, &["yeah hi do you do teeth whitening", "no thanks"]).await;
        assert!(second.contains(new_answer) && !second.contains(WHITENING_ANSWER), "{second}");
        assert_eq!(audit(&app, tenant).await.last().unwrap().0, "knowledge.updated");
    }

    async fn an_inactive_entry_is_kept_but_not_answered_and_a_deleted_one_is_gone_after_a_confirmation(app: TestApp) {
        let tenant = sunny(&app).await;
        let id = entry_id(&app, "Do you offer teeth whitening?").await;
        let mut owner = owner(&app).await;
        let off = owner.post_form(&format!("/knowledge/{id}/active"), &[("active", "0")]).await;
        assert_eq!(off.status, StatusCode::SEE_OTHER);
        let list = page(&mut owner, "/knowledge").await;
        assert!(list.body.contains("badge inactive") && list.body.contains("calls no longer answer from it"), "{}", list.body);
        let (heard, _) = call(&app, &["do you do whitening", "no thanks"]).await;
        assert!(!heard.contains(WHITENING_ANSWER), "{heard}");

        let on = owner.post_form(&format!("/knowledge/{id}/active"), &[("active", "1")]).await;
        assert_eq!(on.status, StatusCode::SEE_OTHER);
        let (heard, _) = call(&app, &["do you do whitening", "no thanks"]).await;
        assert!(heard.contains(WHITENING_ANSWER), "{heard}");

        let confirm = page(&mut owner, &format!("/knowledge/{id}/delete")).await;
        assert!(confirm.body.contains("cannot be brought back") && confirm.body.contains("Delete this entry"));
        assert_eq!(entries(&app, tenant).await.len(), 3, "asking to delete deletes nothing");
        let deleted = owner.post_form(&format!("/knowledge/{id}/delete"), &[]).await;
        assert_eq!(deleted.status, StatusCode::SEE_OTHER);
        assert!(!entries(&app, tenant).await.iter().any(|(q, _, _)| q.contains("whitening")));
        let (heard, _) = call(&app, &["do you do whitening", "no thanks"]).await;
        assert!(!heard.contains(WHITENING_ANSWER), "{heard}");
        assert_eq!(owner.get(&format!("/knowledge/{id}")).await.status, StatusCode::NOT_FOUND);
        let actions: Vec<String> = audit(&app, tenant).await.into_iter().map(|(a, _)| a).collect();
        assert_eq!(actions[actions.len() - 3..], ["knowledge.updated", "knowledge.updated", "knowledge.deleted"]);
    }

    async fn the_list_is_searched_and_filtered_by_category(app: TestApp) {
        sunny(&app).await;
        let mut owner = owner(&app).await;
        for (question, category) in [("Do you take Cigna?", "Insurance"), ("Do you take Aetna?", "Insurance")] {
            let saved = owner.post_form("/knowledge/new", &[("question", question), ("answer", "Yes, we do."), ("category", category), ("active", "1")]).await;
            assert_eq!(saved.status, StatusCode::SEE_OTHER);
        }
        let insurance = page(&mut owner, "/knowledge?category=Insurance").await;
        assert!(insurance.body.contains("2 entries found") && insurance.body.contains("Cigna") && !insurance.body.contains("whitening"));
        let search = page(&mut owner, "/knowledge?q=GARAGE").await;
        assert!(search.body.contains("Where do I park my car?") && search.body.contains("1 entry found"), "{}", search.body);
        let nothing = page(&mut owner, "/knowledge?q=unicorns").await;
        assert!(nothing.body.contains("No entries match"));
    }

    async fn each_mistake_is_shown_next_to_its_field_with_what_was_typed(app: TestApp) {
        let tenant = sunny(&app).await;
        let mut owner = owner(&app).await;
        let version = config_version(&app, tenant).await;
        let answer = owner.post_form("/knowledge/new", &[
            ("question", "  "),
            ("answer", "Typed <answer> kept"),
            ("priority", "high"),
            ("active", "1"),
        ]).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(answer.body.contains("id=\"question-error\" class=\"field-error\">Must not be empty.</p>"), "{}", answer.body);
        assert!(unescape(&answer.body).contains("\"high\" is not a whole number"));
        assert!(answer.body.contains("Typed &#60;answer&#62; kept") || answer.body.contains("Typed &lt;answer&gt; kept"), "typed text kept, escaped");

        let long = "x".repeat(2_001);
        let too_long = owner.post_form("/knowledge/new", &[("question", "Q?"), ("answer", &long), ("priority", "5000")]).await;
        assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(too_long.body.contains("id=\"answer-error\" class=\"field-error\">Is 2001 characters long; the limit is 2000.</p>"), "{}", too_long.body);
        assert!(too_long.body.contains("id=\"priority-error\" class=\"field-error\">5000 is out of range; it must be between -1000 and 1000.</p>"));

        let phrasings: String = (0..21).map(|i| format!("way number {i}\n")).collect();
        let many = owner.post_form("/knowledge/new", &[("question", "Q?"), ("answer", "A."), ("also_asked", &phrasings)]).await;
        assert_eq!(many.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(many.body.contains("At most 20 phrasings per question."));

        let twice = owner.post_form("/knowledge/new", &[("question", "do you offer TEETH whitening?"), ("answer", "Yes.")]).await;
        assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(twice.body.contains("Another entry already has this question"));

        assert_eq!(entries(&app, tenant).await.len(), 3, "nothing saved");
        assert_eq!(config_version(&app, tenant).await, version);
        assert!(audit(&app, tenant).await.iter().all(|(a, _)| !a.starts_with("knowledge.")));
    }

    async fn a_form_without_its_token_another_tenants_admin_and_a_stranger_are_refused(app: TestApp) {
        let tenant = sunny(&app).await;
        harbor(&app).await;
        let id = entry_id(&app, "Do you offer teeth whitening?").await;
        let before = entries(&app, tenant).await;
        let mut owner = owner(&app).await;
        let forged = owner.browser.post(&format!("/knowledge/{id}/delete"), &[]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        let forged = owner.browser.post("/knowledge/new", &[("question", "Q?"), ("answer", "A.")]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);

        let mut other = app.sign_in(OTHER_OWNER, PASSWORD).await;
        for path in [format!("/knowledge/{id}"), format!("/knowledge/{id}/delete")] {
            let answer = other.get(&path).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "GET {path}");
            assert!(!answer.body.contains("450 dollars"));
        }
        let edit = other.post_form(&format!("/knowledge/{id}"), &[("question", "Hijacked?"), ("answer", "Yes."), ("active", "1")]).await;
        assert_eq!(edit.status, StatusCode::NOT_FOUND);
        let invalid = other.post_form(&format!("/knowledge/{id}"), &[("question", ""), ("answer", "")]).await;
        assert_eq!(invalid.status, StatusCode::NOT_FOUND, "not found, whatever the form holds");
        assert_eq!(other.post_form(&format!("/knowledge/{id}/active"), &[("active", "0")]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(other.post_form(&format!("/knowledge/{id}/delete"), &[]).await.status, StatusCode::NOT_FOUND);

        let mut stranger = app.browser();
        let away = stranger.get("/knowledge").await;
        assert_eq!(away.status, StatusCode::SEE_OTHER);
        assert!(away.location().unwrap().starts_with("/login"));
        let refused = stranger.post(&format!("/knowledge/{id}/delete"), &[]).await;
        assert!(matches!(refused.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN));
        assert_eq!(entries(&app, tenant).await, before, "nothing changed");
    }

    async fn trying_a_question_shows_the_answer_the_entries_and_their_scores_and_changes_nothing(app: TestApp) {
        let tenant = sunny(&app).await;
        let version = config_version(&app, tenant).await;
        let mut owner = owner(&app).await;
        let empty = page(&mut owner, "/knowledge/try").await;
        assert!(empty.body.contains("Ask as a caller would") && !empty.body.contains("id=\"trial\""));

        let tried = page(&mut owner, "/knowledge/try?q=um+so+like+do+you+guys+do+teeth+whitening").await;
        let body = unescape(&tried.body);
        assert!(body.contains(WHITENING_ANSWER), "{body}");
        assert!(body.contains("id=\"trial-matches\"") && body.contains("badge active\">Answers<"));
        let id = entry_id(&app, "Do you offer teeth whitening?").await;
        assert!(body.contains(&format!("Answered from: <a href=\"/knowledge/{id}\">Do you offer teeth whitening?</a> (score ")), "{body}");

        let (call_heard, _) = call(&app, &["um so like do you guys do teeth whitening", "no thanks"]).await;
        assert!(call_heard.contains(WHITENING_ANSWER), "the call says what the page said: {call_heard}");

        let nothing = page(&mut owner, "/knowledge/try?q=um+is+your+office+wheelchair+accessible").await;
        assert!(nothing.body.contains("id=\"trial-unanswered\""), "{}", nothing.body);
        assert!(nothing.body.contains("the receptionist would offer to take a message"));
        assert!(nothing.body.contains("/knowledge/new?question=um%20is%20your%20office%20wheelchair%20accessible") || nothing.body.contains("/knowledge/new?question=um+is+your+office+wheelchair+accessible"), "{}", nothing.body);

        assert_eq!(config_version(&app, tenant).await, version);
        assert!(audit(&app, tenant).await.iter().all(|(a, _)| !a.starts_with("knowledge.")));
    }

    async fn unanswered_questions_are_grouped_linked_to_their_calls_and_leave_once_answered(app: TestApp) {
        let tenant = sunny(&app).await;
        let (_, braces_1) = call(&app, &["um hi do you guys do braces", "no thanks"]).await;
        let (_, braces_2) = call(&app, &["yeah so do you do braces for adults", "no thanks bye"]).await;
        let (_, wheelchair) = call(&app, &["um is your office wheelchair accessible", "no thanks"]).await;
        let (_, answered) = call(&app, &["do you do teeth whitening", "no thanks"]).await;
        summarize_calls(&app).await;
        let rows = unanswered_rows(&app).await;
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert!(rows.iter().all(|(_, call, answered_weakly)| *call != answered && !answered_weakly), "{rows:?}");

        let mut owner = owner(&app).await;
        let list = page(&mut owner, "/knowledge/unanswered").await;
        let body = unescape(&list.body);
        assert!(body.contains("Asked 2 times") && body.contains("Asked 1 time<"), "{body}");
        let braces_at = body.find("braces").unwrap();
        let wheelchair_at = body.find("wheelchair").unwrap();
        assert!(braces_at < wheelchair_at, "the most asked first");
        for call in [braces_1, braces_2, wheelchair] {
            assert!(body.contains(&format!("href=\"/calls/{call}\"")), "links to call {call}");
        }
        assert!(!body.contains("whitening"), "an answered question is not listed");

        let add = body[braces_at..].split("href=\"").find(|s| s.starts_with("/knowledge/new?")).unwrap();
        let add = add[..add.find('"').unwrap()].to_owned();
        let form = page(&mut owner, &add).await;
        assert!(unescape(&form.body).contains("do you do braces for adults\"") || unescape(&form.body).contains("um hi do you guys do braces\""), "pre-filled: {}", form.body);

        let saved = owner.post_form("/knowledge/new", &[
            ("question", "Do you do braces?"),
            ("answer", "Yes, we offer clear aligners and braces for children and adults."),
            ("also_asked", "do you do braces for adults"),
            ("active", "1"),
        ]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let list = unescape(&page(&mut owner, "/knowledge/unanswered").await.body);
        assert!(!list.contains("braces") && list.contains("wheelchair"), "{list}");

        let mut other = { harbor(&app).await; app.sign_in(OTHER_OWNER, PASSWORD).await };
        let theirs = page(&mut other, "/knowledge/unanswered").await;
        assert!(!theirs.body.contains("wheelchair") && theirs.body.contains("Nothing unanswered"));

        let purged = app.with_conn(move |conn| {
            frontdesk::retention::purge_batch(conn, tenant, frontdesk::clock::now() + chrono::Duration::days(1)).unwrap()
        }).await;
        assert!(!purged.is_empty());
        assert_eq!(unanswered_rows(&app).await, Vec::new(), "deleted with their calls");
    }
}
