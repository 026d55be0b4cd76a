//! Answers and fixed replies as TwiML. Every text goes through the typed
//! builder, which escapes it. Action URLs are relative (`gather?turn=3`), so
//! Twilio resolves them against the URL it just requested: they stay right
//! when `FRONTDESK_PUBLIC_URL` has a path prefix.

use super::listening::Speaking;
use super::twiml::{Dial, Response, Say};
use crate::conversation::state::Reply;
use crate::receptionist::Answer;
use crate::tenants::directory::TenantContext;

pub fn gather_url(turn: i32) -> String {
    format!("gather?turn={turn}")
}

/// Where a filler's `<Redirect>` fetches the answer of turn `turn`.
pub fn continue_url(turn: i32) -> String {
    format!("continue?turn={turn}")
}

pub fn transfer_status_url(turn: i32) -> String {
    format!("transfer-status?turn={turn}")
}

/// Where the fallback's `<Dial>` reports (see `fallback`).
pub const FALLBACK_STATUS_URL: &str = "fallback-status";

/// In the tenant's own voice and language.
fn say(ctx: &TenantContext, sentences: &[String]) -> Say {
    Speaking::new(ctx, None).say(sentences)
}

/// Renders the turn service's answer in the tenant's voice and language (or
/// the caller's language, when the receptionist switched to it), listening
/// for the answer its question expects.
pub fn answer(answer: &Answer, ctx: &TenantContext) -> String {
    if let Answer::Hold {
        say,
        turn,
        language,
    } = answer
    {
        return hold(say, *turn, language.as_deref(), ctx);
    }
    let Answer::Reply {
        reply,
        hints,
        expecting,
        language,
        turn,
        caller_id,
    } = answer
    else {
        return reject();
    };
    let speaking = Speaking::new(ctx, language.as_deref());
    let mut response = Response::new();
    match reply {
        Reply::Ask { say: sentences } => {
            let gather = speaking.gather(gather_url(*turn), *expecting, hints, ctx);
            response.gather(gather.say(speaking.say(sentences)));
            // No input: Twilio runs the next verb, which reports the silence.
            response.redirect(gather_url(*turn));
        }
        Reply::Transfer {
            say: sentences,
            number,
        } => {
            response.say(speaking.say(sentences));
            let mut dial = Dial::number(number.as_str())
                .action(transfer_status_url(*turn))
                .timeout(ctx.profile.limits.transfer_timeout_seconds);
            if let Some(caller) = caller_id {
                dial = dial.caller_id(caller.as_str());
            }
            response.dial(dial);
        }
        Reply::Hangup { say: sentences } => {
            if !sentences.is_empty() {
                response.say(speaking.say(sentences));
            }
            response.hangup();
        }
    }
    response.into_xml()
}

/// A filler, then Twilio asks `continue` for the turn's real answer.
fn hold(say: &str, turn: i32, language: Option<&str>, ctx: &TenantContext) -> String {
    let speaking = Speaking::new(ctx, language);
    let mut response = Response::new();
    response.say(speaking.say(&[say.to_owned()]));
    response.redirect(continue_url(turn));
    response.into_xml()
}

/// The called number belongs to no tenant.
pub fn not_in_service() -> String {
    let mut response = Response::new();
    response
        .say(Say::new(
            "Sorry, the number you have called is not in service. Goodbye.",
        ))
        .hangup();
    response.into_xml()
}

/// Blocked, rate-limited or withheld callers: refused before answering, so
/// the call is not billed.
pub fn reject() -> String {
    let mut response = Response::new();
    response.reject(Some(super::twiml::RejectReason::Rejected));
    response.into_xml()
}

const APOLOGY: &str = "I'm sorry, I'm having trouble on my end right now.";
const CALL_BACK: &str = "Please call back in a little while. Goodbye.";

/// What a live caller hears when something inside failed or took too long:
/// an apology, then the tenant's main line when there is one, else a polite
/// goodbye. Never a 5xx, never silence. The `<Dial>` reports to
/// `fallback-status`, which needs no database, so the caller hears the
/// right thing whether or not staff answered.
pub fn fallback(ctx: Option<&TenantContext>) -> String {
    let mut response = Response::new();
    let Some(ctx) = ctx else {
        response
            .say(Say::new(format!("{APOLOGY} {CALL_BACK}")))
            .hangup();
        return response.into_xml();
    };
    match &ctx.profile.transfer_number {
        Some(number) if !number.trim().is_empty() => {
            let sentences = [
                APOLOGY.to_owned(),
                "Let me put you through to someone.".to_owned(),
            ];
            response.say(say(ctx, &sentences));
            response.dial(
                Dial::number(number.as_str())
                    .action(FALLBACK_STATUS_URL)
                    .timeout(ctx.profile.limits.transfer_timeout_seconds),
            );
        }
        _ => {
            response
                .say(say(ctx, &[APOLOGY.to_owned(), CALL_BACK.to_owned()]))
                .hangup();
        }
    }
    response.into_xml()
}

/// After the fallback's transfer: a bridged call simply ends; otherwise the
/// caller hears why, and goodbye.
pub fn after_fallback_dial(connected: bool) -> String {
    let mut response = Response::new();
    if !connected {
        response.say(Say::new(
            "Sorry, no one could take your call. Please try again later. Goodbye.",
        ));
    }
    response.hangup();
    response.into_xml()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    //! Whatever a decision holds (caller speech echoed back, knowledge text,
    //! markup, control characters, text past Twilio's limit), it renders to a
    //! TwiML document of one of the three shapes a call can take.

    use proptest::prelude::*;

    use super::*;
    use crate::ai::rules::{self, KnowledgeEntry, KnowledgeIndex};
    use crate::conversation::interpretation::Expecting;
    use crate::conversation::machine::step;
    use crate::conversation::profile::{Limits, TenantProfile};
    use crate::conversation::state::{
        CallMemory, CallState, Decision, DialOutcome, Event, TurnContext,
    };
    use crate::ids::TenantId;
    use crate::telephony::listening::{START_TIMEOUT_SECONDS, end_of_answer_seconds};
    use crate::telephony::twiml::{MAX_HINT_CHARS, MAX_HINTS, MAX_SAY_CHARS};

    const VOICE: &str = "Polly.Joanna-Neural";
    const LANGUAGE: &str = "en-US";
    use crate::conversation::machine::fixtures::{self, CALLER, MAIN_LINE};

    fn tenant(max_turns: u32, knowledge: Vec<KnowledgeEntry>) -> TenantContext {
        let knowledge = KnowledgeIndex::build(knowledge);
        let mut hints = vec!["Billing".to_owned(), "Repairs".to_owned()];
        hints.extend(knowledge.hint_keywords());
        TenantContext {
            id: TenantId(1),
            slug: "acme".into(),
            config_version: 1,
            timezone: chrono_tz::America::New_York,
            language: LANGUAGE.into(),
            voice: VOICE.into(),
            speech_model: crate::tenants::file::DEFAULT_SPEECH_MODEL.into(),
            llm_model: None,
            // The state machine's fixture tenant, with markup in its name.
            profile: TenantProfile {
                name: "Acme Roofing & <Sons>".into(),
                limits: Limits {
                    max_turns,
                    ..Limits::default()
                },
                ..fixtures::profile()
            },
            knowledge,
            hints,
            allow_anonymous: true,
            max_concurrent_calls: 5,
            calls_per_hour_per_caller: 10,
            disabled: false,
            country_code: 1,
        }
    }

    fn knowledge() -> Vec<KnowledgeEntry> {
        [
            (
                "Do you do free estimates?",
                "Yes, estimates are free within 20 miles.",
            ),
            (
                "Do you fix <flat> roofs & gutters?",
                "Yes: flat roofs, gutters & skylights.",
            ),
        ]
        .into_iter()
        .enumerate()
        .map(|(id, (question, answer))| KnowledgeEntry {
            id: id as i64 + 1,
            question: question.into(),
            answer: answer.into(),
            category: None,
            priority: 0,
            also_asked: Vec::new(),
        })
        .collect()
    }

    /// XML 1.0's `Char` production, written out again here so the test does
    /// not trust the writer's own filter.
    fn allowed_in_xml(c: char) -> bool {
        matches!(c, '\t' | '\n' | '\r')
            || ('\u{20}'..='\u{D7FF}').contains(&c)
            || ('\u{E000}'..='\u{FFFD}').contains(&c)
            || c >= '\u{10000}'
    }

    /// What Twilio should speak for `sentences`: joined, cut to the `<Say>`
    /// limit, without the characters XML cannot carry.
    fn spoken(sentences: &[String]) -> String {
        sentences
            .join(" ")
            .chars()
            .take(MAX_SAY_CHARS)
            .filter(|&c| allowed_in_xml(c))
            .collect()
    }

    /// The `hints` attribute Twilio should get, if any.
    fn hints_attribute(hints: impl Iterator<Item = String>) -> Option<String> {
        let cleaned: Vec<String> = hints
            .map(|hint| {
                hint.chars()
                    .map(|c| if c == ',' { ' ' } else { c })
                    .filter(|&c| allowed_in_xml(c))
                    .take(MAX_HINT_CHARS)
                    .collect::<String>()
                    .trim()
                    .to_owned()
            })
            .filter(|hint| !hint.is_empty())
            .take(MAX_HINTS)
            .collect();
        (!cleaned.is_empty()).then(|| cleaned.join(", "))
    }

    fn text_of(node: roxmltree::Node) -> String {
        node.children()
            .filter(|child| child.is_text())
            .filter_map(|child| child.text())
            .collect()
    }

    fn elements<'a, 'input>(node: roxmltree::Node<'a, 'input>) -> Vec<roxmltree::Node<'a, 'input>> {
        node.children().filter(|c| c.is_element()).collect()
    }

    fn attrs(node: roxmltree::Node) -> Vec<(String, String)> {
        node.attributes()
            .map(|a| (a.name().to_owned(), a.value().to_owned()))
            .collect()
    }

    fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// Checks `xml` is exactly the document `decision` should render to, and
    /// returns the text Twilio will speak.
    fn check_rendering(
        xml: &str,
        decision: &Decision,
        ctx: &TenantContext,
        next_turn: i32,
        caller_id: Option<&str>,
    ) -> Result<String, TestCaseError> {
        let doc = roxmltree::Document::parse(xml)
            .map_err(|e| TestCaseError::fail(format!("{e}: {xml}")))?;
        let root = doc.root_element();
        prop_assert_eq!(root.tag_name().name(), "Response");
        prop_assert!(root.attributes().next().is_none());
        prop_assert_eq!(text_of(root), "");
        let verbs = elements(root);
        let names: Vec<&str> = verbs.iter().map(|v| v.tag_name().name()).collect();
        let (voice, language) = match decision.memory.language.as_deref() {
            Some("es") => ("Polly.Lupe-Neural", "es-US"),
            _ => (VOICE, LANGUAGE),
        };
        let say_attrs = owned(&[("voice", voice), ("language", language)]);
        let check_say = |say: roxmltree::Node, sentences: &[String]| {
            prop_assert_eq!(say.tag_name().name(), "Say");
            prop_assert_eq!(attrs(say), say_attrs.clone());
            prop_assert!(elements(say).is_empty());
            prop_assert_eq!(text_of(say), spoken(sentences));
            Ok(text_of(say))
        };
        match &decision.reply {
            Reply::Ask { say } => {
                prop_assert_eq!(names, vec!["Gather", "Redirect"]);
                let action = gather_url(next_turn);
                let pause = end_of_answer_seconds(decision.expecting).to_string();
                let mut expected = owned(&[
                    ("input", "dtmf speech"),
                    ("action", &action),
                    ("language", language),
                    ("speechTimeout", &pause),
                    ("speechModel", "experimental_conversations"),
                ]);
                let about_the_business =
                    matches!(decision.expecting, Expecting::Anything | Expecting::Reason);
                let mut seen = std::collections::HashSet::new();
                let hints = decision
                    .hints
                    .iter()
                    .chain(ctx.hints.iter().filter(|_| about_the_business))
                    .filter(|_| language == LANGUAGE)
                    .filter(|hint| seen.insert(hint.to_lowercase()))
                    .cloned();
                if let Some(hints) = hints_attribute(hints) {
                    expected.push(("hints".into(), hints));
                }
                expected.push(("timeout".into(), START_TIMEOUT_SECONDS.to_string()));
                if decision.expecting == Expecting::Phone {
                    expected.push(("finishOnKey".into(), "#".into()));
                } else {
                    expected.push(("numDigits".into(), "1".into()));
                }
                prop_assert_eq!(attrs(verbs[0]), expected);
                prop_assert_eq!(text_of(verbs[0]), "");
                let prompts = elements(verbs[0]);
                prop_assert_eq!(prompts.len(), 1);
                prop_assert!(attrs(verbs[1]).is_empty());
                prop_assert!(elements(verbs[1]).is_empty());
                prop_assert_eq!(text_of(verbs[1]), format!("gather?turn={next_turn}"));
                check_say(prompts[0], say)
            }
            Reply::Transfer { say, number } => {
                prop_assert_eq!(names, vec!["Say", "Dial"]);
                let action = transfer_status_url(next_turn);
                let timeout = ctx.profile.limits.transfer_timeout_seconds.to_string();
                let mut expected = owned(&[("action", &action), ("timeout", &timeout)]);
                if let Some(caller) = caller_id {
                    let clean: String = caller.chars().filter(|&c| allowed_in_xml(c)).collect();
                    expected.push(("callerId".into(), clean));
                }
                prop_assert_eq!(attrs(verbs[1]), expected);
                prop_assert_eq!(text_of(verbs[1]), "");
                let numbers = elements(verbs[1]);
                prop_assert_eq!(numbers.len(), 1);
                prop_assert_eq!(numbers[0].tag_name().name(), "Number");
                prop_assert!(numbers[0].attributes().next().is_none());
                let clean: String = number.chars().filter(|&c| allowed_in_xml(c)).collect();
                prop_assert_eq!(text_of(numbers[0]), clean);
                check_say(verbs[0], say)
            }
            Reply::Hangup { say } if say.is_empty() => {
                prop_assert_eq!(names, vec!["Hangup"]);
                prop_assert!(elements(verbs[0]).is_empty() && text_of(verbs[0]).is_empty());
                Ok(String::new())
            }
            Reply::Hangup { say } => {
                prop_assert_eq!(names, vec!["Say", "Hangup"]);
                prop_assert!(elements(verbs[1]).is_empty() && text_of(verbs[1]).is_empty());
                check_say(verbs[0], say)
            }
        }
    }

    /// Text as hostile as a transcript or a knowledge answer can be.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => any::<String>(),
            4 => "[<>&\"';:/=\\]\\[!?\\-# a-zA-Z0-9\\x00-\\x1f\u{7f}\u{85}\u{FFFE}\u{FFFF}\u{D7FF}\u{E000}\u{10FFFF}]{0,60}",
            1 => ("[a-zé📞<&]{1,3}", 1_000usize..5_000).prop_map(|(unit, n)| unit.repeat(n)),
            1 => Just("]]><Hangup/><![CDATA[".to_owned()),
            1 => Just("</Say></Gather><Dial>+15550009999</Dial>".to_owned()),
        ]
    }

    fn sentences() -> impl Strategy<Value = Vec<String>> {
        proptest::collection::vec(text(), 0..6)
    }

    fn reply() -> impl Strategy<Value = Reply> {
        prop_oneof![
            sentences().prop_map(|say| Reply::Ask { say }),
            (sentences(), prop_oneof![Just(MAIN_LINE.to_owned()), text()])
                .prop_map(|(say, number)| Reply::Transfer { say, number }),
            sentences().prop_map(|say| Reply::Hangup { say }),
        ]
    }

    fn decision_of(
        reply: Reply,
        hints: Vec<String>,
        expecting: Expecting,
        language: Option<String>,
    ) -> Decision {
        Decision {
            state: CallState::Intent { offer: None },
            memory: CallMemory {
                language,
                ..CallMemory::default()
            },
            reply,
            outcome: None,
            save_lead: false,
            hints,
            expecting,
        }
    }

    fn expecting() -> impl Strategy<Value = Expecting> {
        prop_oneof![
            Just(Expecting::Anything),
            Just(Expecting::Name),
            Just(Expecting::Phone),
            Just(Expecting::Email),
            Just(Expecting::Reason),
            Just(Expecting::YesNo),
            Just(Expecting::Correction),
        ]
    }

    /// What the turn service answers for `decision`, rendered.
    fn render(decision: &Decision, ctx: &TenantContext, turn: i32, caller: Option<&str>) -> String {
        let answer = Answer::deciding(decision, turn, caller.map(str::to_owned));
        super::answer(&answer, ctx)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn every_decision_renders_to_exactly_one_allowed_twiml_shape(
            reply in reply(),
            hints in proptest::collection::vec(text(), 0..8),
            expecting in expecting(),
            language in proptest::option::of(prop_oneof![Just("es".to_owned()), Just("en".to_owned())]),
            next_turn in any::<i32>(),
            caller_id in proptest::option::of(prop_oneof![Just(CALLER.to_owned()), text()]),
        ) {
            let ctx = tenant(20, vec![]);
            let decision = decision_of(reply, hints, expecting, language);
            let xml = render(&decision, &ctx, next_turn, caller_id.as_deref());
            check_rendering(&xml, &decision, &ctx, next_turn, caller_id.as_deref())?;
        }

        #[test]
        fn any_call_through_the_rules_brain_renders_valid_twiml_and_hangs_up_within_max_turns(
            events in proptest::collection::vec(caller_event(), 0..40),
            open_each_turn in proptest::collection::vec(any::<bool>(), 1..8),
            caller_id in any::<bool>(),
            max_turns in 1u32..25,
        ) {
            let ctx = tenant(max_turns, knowledge());
            let caller = caller_id.then_some(CALLER);
            let turn_ctx = |turn: u32| TurnContext {
                profile: &ctx.profile,
                open_now: open_each_turn[turn as usize % open_each_turn.len()],
                local_time: Default::default(),
                caller_number: caller,
                turn,
                elapsed_seconds: turn * 10,
            };
            let mut decision = step(
                &CallState::Greeting,
                &CallMemory::default(),
                &Event::CallStarted,
                &turn_ctx(0),
            );
            let xml = render(&decision, &ctx, 0, caller);
            check_rendering(&xml, &decision, &ctx, 0, caller)?;
            let mut turn = 0;
            while !matches!(decision.reply, Reply::Hangup { .. }) {
                turn += 1;
                prop_assert!(turn <= max_turns, "no hangup after {} turns", max_turns);
                let event = match events.get(turn as usize - 1) {
                    Some(CallerEvent::Said(text)) => Event::Speech(rules::interpret(
                        text,
                        decision.state.expecting(),
                        &ctx.profile,
                        &ctx.knowledge,
                        ctx.country_code,
                    )),
                    Some(CallerEvent::DialEnded(outcome)) => Event::TransferEnded(*outcome),
                    Some(CallerEvent::Silent) | None => Event::Silence,
                };
                decision = step(&decision.state, &decision.memory, &event, &turn_ctx(turn));
                let next_turn = turn as i32;
                let xml = render(&decision, &ctx, next_turn, caller);
                let said = check_rendering(&xml, &decision, &ctx, next_turn, caller)?;
                prop_assert!(!said.trim().is_empty(), "silent turn: {xml}");
            }
            prop_assert_eq!(decision.state, CallState::Ended);
        }
    }

    #[derive(Debug, Clone)]
    enum CallerEvent {
        Said(String),
        Silent,
        DialEnded(DialOutcome),
    }

    /// What a caller can do: mostly speak (phrases the brain knows, details,
    /// or anything at all), sometimes stay silent; a transfer can end.
    fn caller_event() -> impl Strategy<Value = CallerEvent> {
        let phrase = prop_oneof![
            Just("I'd like to leave a message"),
            Just("can I talk to someone in billing"),
            Just("do you do free estimates"),
            Just("what are your hours"),
            Just("where are you located"),
            Just("yes"),
            Just("no"),
            Just("no that's all thanks bye"),
            Just("my name is jane doe"),
            Just("five five five one two three four five six seven"),
            Just("jane dot doe at example dot com"),
            Just("there's a leak in my roof"),
            Just("the number is wrong"),
            Just("help my house is on fire"),
        ]
        .prop_map(str::to_owned);
        prop_oneof![
            4 => phrase.prop_map(CallerEvent::Said),
            3 => text().prop_map(CallerEvent::Said),
            2 => Just(CallerEvent::Silent),
            1 => prop_oneof![
                Just(DialOutcome::Completed),
                Just(DialOutcome::Busy),
                Just(DialOutcome::NoAnswer),
                Just(DialOutcome::Failed),
                Just(DialOutcome::Canceled),
            ]
            .prop_map(CallerEvent::DialEnded),
        ]
    }

    #[test]
    fn two_long_knowledge_answers_with_markup_render_whole_with_the_next_question() {
        let long = |topic: &str| {
            format!(
                "Our {topic} <b>special</b> & \"deal\": {}\n\nCall us.",
                "we do it right & quick. ".repeat(75)
            )
        };
        let entries = vec![
            KnowledgeEntry {
                id: 1,
                question: "How much are gutters?".into(),
                answer: long("gutter"),
                category: None,
                priority: 0,
                also_asked: Vec::new(),
            },
            KnowledgeEntry {
                id: 2,
                question: "Do you fix skylights?".into(),
                answer: long("skylight"),
                category: None,
                priority: 0,
                also_asked: Vec::new(),
            },
        ];
        let ctx = tenant(20, entries);
        let turn_ctx = TurnContext {
            profile: &ctx.profile,
            open_now: true,
            local_time: Default::default(),
            caller_number: Some(CALLER),
            turn: 1,
            elapsed_seconds: 10,
        };
        let heard = rules::interpret(
            "how much are gutters and do you fix skylights",
            Default::default(),
            &ctx.profile,
            &ctx.knowledge,
            1,
        );
        assert_eq!(heard.also.len(), 1, "{heard:?}");
        let greeted = step(
            &CallState::Greeting,
            &CallMemory::default(),
            &Event::CallStarted,
            &turn_ctx,
        );
        let decision = step(
            &greeted.state,
            &greeted.memory,
            &Event::Speech(heard),
            &turn_ctx,
        );
        let xml = render(&decision, &ctx, 1, Some(CALLER));
        let document = roxmltree::Document::parse(&xml).unwrap();
        let said = text_of(
            document
                .descendants()
                .find(|n| n.has_tag_name("Say"))
                .unwrap(),
        );
        assert!(
            said.starts_with("Our gutter <b>special</b> & \"deal\""),
            "{said}"
        );
        assert!(
            !said.contains("skylight"),
            "the second answer would not fit"
        );
        assert!(
            said.ends_with("Is there anything else I can help with?"),
            "{said}"
        );
    }
}
