//! Hostile text in every place it can reach TwiML: the tenant's knowledge
//! answers, greeting and department names, and the caller's own words. Every
//! answer must stay well-formed TwiML with exactly the verbs the turn meant.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::calls::*;

/// Markup, entities, CDATA ends, quotes and characters XML 1.0 forbids.
const HOSTILE: &str = "Yes & no < maybe > \"quoted\" 'single' ]]> </Say><Hangup/><Redirect>https://evil.example/x</Redirect> <![CDATA[x]]> &amp; \u{0}nul \u{1b}[31mesc \u{7}bell done";

/// The same without control characters, which a tenant file refuses (the
/// TwiML builder's own tests cover them in spoken text).
fn hostile_answer() -> String {
    HOSTILE
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

/// The elements of an answer that asks something and listens.
const LISTENS: [&str; 4] = ["Response", "Gather", "Gather/Say", "Redirect"];

/// Every shape of answer a turn may give.
const SHAPES: [&[&str]; 4] = [
    &LISTENS,
    &["Response", "Say", "Dial", "Dial/Number"],
    &["Response", "Say", "Hangup"],
    &["Response", "Hangup"],
];

fn assert_listens(xml: &str) {
    assert_eq!(element_paths(xml), LISTENS, "{xml}");
}

fn assert_no_forbidden_characters(text: &str) {
    assert!(
        !text
            .chars()
            .any(|c| matches!(c, '\u{0}' | '\u{1b}' | '\u{7}')),
        "{text:?}"
    );
}

/// A tenant whose only knowledge entry answers with hostile text.
fn hostile_tenant() -> TenantToml {
    TenantToml {
        knowledge: Vec::new(),
        ..TenantToml::always_open()
    }
    .knowledge("Do you offer teeth whitening?", &hostile_answer())
}

/// A tiny deterministic generator (xorshift64*), so the random test replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const PHRASES: &[&str] = &[
    "Do you offer teeth whitening?",
    "Where do I park my car?",
    "When are you open?",
    "Where are you?",
    "Can I talk to billing please?",
    "I need to talk to appointments",
    "I'd like to leave a message",
    "my name is Jane Doe",
    "Jane Doe",
    "yes",
    "no",
    "no thanks",
    "bye",
    "the name",
    "my number is 555 987 6543",
    "jane at example dot com",
    "a quote for a crown",
    "it's an emergency",
    "what?",
    "",
    "</Say><Hangup/>",
    "<![CDATA[ ]]> & <>",
    "\"quotes\" and 'apostrophes'",
    "\u{0}\u{1b}\u{7}",
];

const WORDS: &[&str] = &[
    "the",
    "tooth",
    "bill",
    "pain",
    "tomorrow",
    "cleaning",
    "please",
    "number",
    "email",
    "dot",
    "at",
    "five",
    "oh",
    "seven",
    "insurance",
    "whitening",
    "sales",
    "<b>",
    "&amp;",
    "]]>",
    "é",
    "📞",
    "\"",
    "'",
];

fn random_utterance(rng: &mut Rng) -> String {
    match rng.below(5) {
        0 | 1 => rng.pick(PHRASES).to_owned(),
        2 => (0..1 + rng.below(12))
            .map(|_| rng.pick(WORDS))
            .collect::<Vec<_>>()
            .join(" "),
        3 => format!(
            "call me at {} {} {}",
            100 + rng.below(900),
            100 + rng.below(900),
            1000 + rng.below(9000)
        ),
        _ => format!(
            "my email is {}{}@example{}.com",
            rng.pick(&["jo", "a.b", "x_y", "<z>"]),
            rng.below(100),
            rng.below(10)
        ),
    }
}

/// The URL in an attribute or text of the first element named `tag`.
fn url_of(xml: &str, tag: &str) -> Option<String> {
    let document = parse_twiml(xml);
    let node = document.descendants().find(|n| n.has_tag_name(tag))?;
    node.attribute("action")
        .map(str::to_owned)
        .or_else(|| node.text().map(|t| t.trim().to_owned()))
}

backend_tests! {
    async fn a_knowledge_answer_full_of_markup_is_spoken_as_text_inside_the_gather(app: TestApp) {
        hostile_tenant().import(&app).await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);
        call.voice().await;

        let (status, xml) = call.gather(0, Some("Do you offer teeth whitening?")).await;

        assert_eq!(status, 200);
        assert_listens(&xml);
        let said = spoken(&xml);
        assert!(said.contains("Yes & no < maybe > \"quoted\" 'single' ]]> </Say><Hangup/><Redirect>"), "{said}");
        assert!(said.contains("&amp;"), "an entity in the answer is said as written: {said}");
        assert_no_forbidden_characters(&said);
        assert_eq!(url_of(&xml, "Redirect").as_deref(), Some("gather?turn=1"));
        let row = the_call(&app, &call.sid).await;
        let turns = turns(&app, row.id).await;
        assert!(turns[2].text.contains("</Say><Hangup/>"), "the transcript keeps the text: {:?}", turns[2]);
    }

    async fn a_greeting_and_department_names_full_of_markup_stay_text(app: TestApp) {
        let department = "Sales \"&\" <Service>";
        hostile_tenant()
            .setting(&format!("greeting = {}", toml::Value::String("Welcome </Say><Hangup/> & \"hi\" ]]>".into())))
            .department(department, "+15551230003")
            .import(&app)
            .await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);

        let (_, greeting) = call.voice().await;

        assert_listens(&greeting);
        assert!(spoken(&greeting).starts_with("Welcome </Say><Hangup/> & \"hi\" ]]>"), "{greeting}");
        let document = parse_twiml(&greeting);
        let hints = document.descendants().find(|n| n.has_tag_name("Gather")).unwrap().attribute("hints").unwrap_or_default().to_owned();
        assert!(hints.contains(department), "hints: {hints}");

        let (_, transfer) = call.gather(0, Some("Can I talk to sales please?")).await;
        assert_eq!(element_paths(&transfer), ["Response", "Say", "Dial", "Dial/Number"], "{transfer}");
        assert!(spoken(&transfer).contains(department), "{transfer}");
    }

    async fn caller_words_full_of_markup_read_back_as_text(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);
        call.voice().await;
        let lines = ["I'd like to leave a message", "Jane Doe", "yes", "no", HOSTILE];

        let mut last = String::new();
        for (turn, line) in lines.iter().enumerate() {
            let (status, xml) = call.gather(turn as i32, Some(line)).await;
            assert_eq!(status, 200);
            assert_listens(&xml);
            last = xml;
        }

        // The caller's words are read back as words: symbols are dropped (and
        // the leading "yes", a filler before a reason).
        let read_back = spoken(&last);
        assert!(read_back.contains("you're calling about no maybe quoted single Say Hangup Redirect"), "{read_back}");
        assert!(read_back.ends_with("Is that all correct?"), "{read_back}");
        assert_no_forbidden_characters(&read_back);
        let (_, saved) = call.gather(5, Some("yes")).await;
        assert_listens(&saved);
        let lead = the_lead(&app, the_call(&app, &call.sid).await.id).await;
        let reason = lead.reason.clone().unwrap_or_default();
        assert!(reason.starts_with("no maybe quoted"), "{lead:?}");
        assert!(!reason.contains(['<', '>', '&', '\u{0}']), "{lead:?}");
        assert!(lead.complete);
    }

    async fn very_long_and_control_character_speech_gets_well_formed_twiml(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);
        call.voice().await;
        let long = "blah <b>&amp;</b> ".repeat(560);
        assert!(long.len() >= 10_000);
        let lines = [
            long.as_str(),
            "\u{0}\u{1}\u{1b}\u{7}\u{8}\u{b}\u{c}\u{7f}",
            "I'd like to leave a message",
            "Jane Doe",
            "yes",
            "no",
            long.as_str(),
        ];

        for (turn, line) in lines.iter().enumerate() {
            let (status, xml) = call.gather(turn as i32, Some(line)).await;
            assert_eq!(status, 200, "turn {turn}");
            assert_listens(&xml);
            assert_no_forbidden_characters(&spoken(&xml));
        }
        assert_eq!(the_call(&app, &call.sid).await.turn_count, lines.len() as i32);
    }

    async fn two_hundred_random_utterances_always_get_twiml_and_never_a_5xx(app: TestApp) {
        hostile_tenant().import(&app).await;
        let mut rng = Rng(0x5EED_F00D_CAFE_0001);
        let mut utterances = 0;
        let mut calls = 0;
        while utterances < 200 {
            calls += 1;
            let from = if rng.below(8) == 0 { "anonymous".to_owned() } else { format!("+1555{:07}", calls) };
            let call = RawCall::new(&app, TENANT_NUMBER, &from);
            let (status, mut xml) = call.voice().await;
            assert_eq!(status, 200);
            loop {
                let verbs = verbs(&xml);
                if verbs.iter().any(|v| v == "Hangup" || v == "Reject") || utterances >= 200 {
                    break;
                }
                let (status, next) = if verbs.iter().any(|v| v == "Dial") {
                    let action = url_of(&xml, "Dial").unwrap();
                    let dial_status = rng.pick(&["completed", "busy", "no-answer", "failed", "canceled"]);
                    let fields = call.fields("in-progress", &[("DialCallStatus", dial_status)]);
                    call.post(&action, fields).await
                } else if rng.below(6) == 0 {
                    // Silence: Twilio follows the Redirect.
                    let redirect = url_of(&xml, "Redirect").unwrap();
                    call.post(&redirect, call.fields("in-progress", &[])).await
                } else {
                    utterances += 1;
                    let said = random_utterance(&mut rng);
                    let action = url_of(&xml, "Gather").unwrap();
                    let fields = call.fields("in-progress", &[("SpeechResult", &said), ("Confidence", "0.8")]);
                    call.post(&action, fields).await
                };
                assert_eq!(status, 200, "call {calls}: {next}");
                let paths = element_paths(&next);
                assert!(SHAPES.iter().any(|shape| paths == *shape), "call {calls}: unexpected TwiML {next}");
                assert_no_forbidden_characters(&spoken(&next));
                xml = next;
            }
            let (status, _) = call.status("completed").await;
            assert_eq!(status, 204);
        }
        assert!(calls > 5, "the utterances spread over several calls ({calls})");
    }

    async fn a_tenant_file_with_a_nul_character_is_refused_by_validation_naming_the_field(app: TestApp) {
        let text = TenantToml {
            knowledge: Vec::new(),
            ..TenantToml::always_open()
        }
        .knowledge("Do you offer teeth whitening?", "Yes\u{0} we do.")
        .to_toml();

        let parsed = frontdesk::tenants::file::TenantFile::parse("nul.toml", &text);

        let message = match parsed {
            Ok(spec) => {
                // What happens today: accepted, then the import fails on
                // PostgreSQL with a raw database error.
                let imported = app
                    .with_conn(move |conn| frontdesk::tenants::store::import(conn, &spec, "nul.toml").map(|_| ()).map_err(|e| e.to_string()))
                    .await;
                panic!("the file was accepted; import: {imported:?}");
            }
            Err(err) => err.to_string(),
        };
        assert!(message.contains("knowledge[0].answer"), "{message}");
    }
}
