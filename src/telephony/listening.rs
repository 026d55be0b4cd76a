//! How the receptionist speaks and listens on one turn: the voice and
//! language of its `<Say>`, and a `<Gather>` tuned to the answer the prompt
//! asked for. A caller cut off mid-sentence is the commonest complaint
//! about phone bots, so the pause that ends an answer is a whole number of
//! seconds chosen per answer (Twilio's `speechTimeout="auto"` ends it at the
//! first pause, and cannot be used with a `speechModel` anyway), and the
//! keypad always works alongside speech.

use super::twiml::{Gather, GatherInput, Say, SpeechTimeout};
use crate::conversation::interpretation::Expecting;
use crate::tenants::directory::TenantContext;
use crate::tenants::file::takes_google_class_tokens;

/// Seconds Twilio waits for the caller to start speaking (or to press the
/// next key) before the turn counts as silence.
pub const START_TIMEOUT_SECONDS: u32 = 6;

/// The key that ends a phone number typed on the keypad.
pub const END_OF_NUMBER_KEY: &str = "#";

/// A language the receptionist switches to for a caller who speaks it:
/// how it is spoken and heard.
struct OtherLanguage {
    /// BCP-47, for `<Say language>` and `<Gather language>`.
    locale: &'static str,
    voice: &'static str,
}

/// The caller's language (a tag such as "es", see `CallMemory::language`)
/// when the receptionist speaks it; `None` keeps the tenant's own.
fn other_language(tag: Option<&str>) -> Option<OtherLanguage> {
    match tag? {
        "es" => Some(OtherLanguage {
            locale: "es-US",
            voice: "Polly.Lupe-Neural",
        }),
        _ => None,
    }
}

/// Who speaks, and in which language, and in which language the answer is
/// heard: the tenant's voice, or the caller's language's.
pub struct Speaking<'a> {
    voice: &'a str,
    locale: &'a str,
    /// True when speaking the caller's language rather than the tenant's.
    switched: bool,
}

impl<'a> Speaking<'a> {
    pub fn new(ctx: &'a TenantContext, language: Option<&str>) -> Speaking<'a> {
        match other_language(language) {
            Some(other) => Speaking {
                voice: other.voice,
                locale: other.locale,
                switched: true,
            },
            None => Speaking {
                voice: &ctx.voice,
                locale: &ctx.language,
                switched: false,
            },
        }
    }

    /// The sentences as one `<Say>`.
    pub fn say(&self, sentences: &[String]) -> Say {
        Say::new(sentences.join(" "))
            .voice(self.voice)
            .language(self.locale)
    }

    /// A `<Gather>` posting to `action` that listens for `expecting`, with
    /// `hints` (the state machine's, for that answer) first.
    pub fn gather(
        &self,
        action: String,
        expecting: Expecting,
        hints: &[String],
        ctx: &TenantContext,
    ) -> Gather {
        let gather = Gather::new(GatherInput::DtmfAndSpeech)
            .action(action)
            .language(self.locale)
            .speech_timeout(SpeechTimeout::Seconds(end_of_answer_seconds(expecting)))
            .speech_model(ctx.speech_model.as_str())
            .hints(self.hints(expecting, hints, ctx))
            .timeout(START_TIMEOUT_SECONDS);
        if expecting == Expecting::Phone {
            // The number may be typed: every digit until `#` (or a pause).
            gather.finish_on_key(END_OF_NUMBER_KEY)
        } else {
            // One key is all any other question takes (0 for a person), so
            // it is posted at once.
            gather.num_digits(1)
        }
    }

    /// Hints for `expecting`, most useful first, without repeats: Google's
    /// class token for the answer when the tenant's model takes them, the
    /// machine's words, then the tenant's vocabulary when the answer may be
    /// about the business. None in another language: they are English.
    fn hints(&self, expecting: Expecting, machine: &[String], ctx: &TenantContext) -> Vec<String> {
        if self.switched {
            return Vec::new();
        }
        let class_token = class_token(expecting)
            .filter(|_| takes_google_class_tokens(&ctx.speech_model) && self.locale == "en-US")
            .map(str::to_owned);
        let about_the_business = matches!(expecting, Expecting::Anything | Expecting::Reason);
        let vocabulary = ctx.hints.iter().filter(|_| about_the_business);
        let mut seen = std::collections::HashSet::new();
        class_token
            .iter()
            .chain(machine)
            .chain(vocabulary)
            .filter(|hint| seen.insert(hint.to_lowercase()))
            .cloned()
            .collect()
    }
}

/// Seconds of silence that end the caller's answer: short for a yes or no,
/// longer where people pause mid-answer (between the groups of a phone
/// number, while spelling an email, while explaining why they call).
pub fn end_of_answer_seconds(expecting: Expecting) -> u32 {
    match expecting {
        Expecting::YesNo | Expecting::Correction => 2,
        Expecting::Anything | Expecting::Name | Expecting::Phone => 3,
        Expecting::Email | Expecting::Reason => 4,
    }
}

/// Google STT V2's class for the answer, where one fits.
fn class_token(expecting: Expecting) -> Option<&'static str> {
    match expecting {
        Expecting::Phone => Some("$OOV_CLASS_DIGIT_SEQUENCE"),
        Expecting::Email => Some("$OOV_CLASS_ALPHANUMERIC_SEQUENCE"),
        Expecting::Anything
        | Expecting::Name
        | Expecting::Reason
        | Expecting::YesNo
        | Expecting::Correction => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    //! The TwiML a turn renders, parsed back, listens the way its question
    //! needs.

    use super::*;
    use crate::ai::rules::KnowledgeIndex;
    use crate::conversation::interpretation::Intent;
    use crate::conversation::machine::fixtures::{
        Call, name, open, phone, profile, said, said_with,
    };
    use crate::conversation::state::{Decision, TurnContext};
    use crate::ids::TenantId;
    use crate::receptionist::Answer;
    use crate::telephony::render;
    use crate::tenants::file::DEFAULT_SPEECH_MODEL;

    fn tenant(speech_model: &str) -> TenantContext {
        TenantContext {
            id: TenantId(1),
            slug: "acme".into(),
            config_version: 1,
            timezone: chrono_tz::America::New_York,
            language: "en-US".into(),
            voice: "Polly.Joanna-Neural".into(),
            speech_model: speech_model.into(),
            llm_model: None,
            profile: profile(),
            knowledge: KnowledgeIndex::build(Vec::new()),
            hints: vec!["Billing".into(), "Repairs".into(), "skylight".into()],
            allow_anonymous: true,
            max_concurrent_calls: 5,
            calls_per_hour_per_caller: 10,
            disabled: false,
            country_code: 1,
        }
    }

    /// The decisions of a call taking a message from a caller whose number
    /// is withheld, one per question, with what each question expects.
    fn questions() -> Vec<(Expecting, Decision)> {
        let profile = profile();
        let ctx = TurnContext {
            caller_number: None,
            ..open(&profile)
        };
        let mut call = Call::new(ctx);
        let steps = [
            crate::conversation::state::Event::CallStarted,
            said(Intent::LeaveMessage),
            said_with(Intent::Unclear, name("Jane Doe"), "jane doe"),
            said_with(Intent::Unclear, phone("+15035550142"), "five oh three"),
            said(Intent::Yes),
            said(Intent::No),
        ];
        let expected = [
            Expecting::Anything,
            Expecting::Name,
            Expecting::Phone,
            Expecting::YesNo,
            Expecting::Email,
            Expecting::Reason,
        ];
        steps
            .iter()
            .zip(expected)
            .map(|(event, expecting)| (expecting, call.send(event)))
            .collect()
    }

    /// The rendered `<Gather>`'s attributes, and its `<Say>`'s.
    struct Rendered {
        gather: Vec<(String, String)>,
        say: Vec<(String, String)>,
    }

    impl Rendered {
        fn of(decision: &Decision, ctx: &TenantContext) -> Rendered {
            let xml = render::answer(&Answer::deciding(decision, 4, None), ctx);
            let doc = roxmltree::Document::parse(&xml).unwrap();
            let verbs: Vec<_> = doc
                .root_element()
                .children()
                .filter(|n| n.is_element())
                .collect();
            assert_eq!(verbs.len(), 2, "{xml}");
            assert_eq!(verbs[0].tag_name().name(), "Gather", "{xml}");
            // Silence runs the next verb, which reports it on the same turn.
            assert_eq!(verbs[1].tag_name().name(), "Redirect", "{xml}");
            assert_eq!(verbs[1].text(), Some("gather?turn=4"));
            let say = verbs[0].first_element_child().unwrap();
            let attrs = |node: roxmltree::Node| {
                node.attributes()
                    .map(|a| (a.name().to_owned(), a.value().to_owned()))
                    .collect()
            };
            Rendered {
                gather: attrs(verbs[0]),
                say: attrs(say),
            }
        }

        fn gather(&self, name: &str) -> Option<&str> {
            find(&self.gather, name)
        }

        fn hints(&self) -> Vec<&str> {
            self.gather("hints")
                .map(|hints| hints.split(", ").collect())
                .unwrap_or_default()
        }
    }

    fn find<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
        attrs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    #[test]
    fn every_question_listens_to_speech_and_keys_with_the_tenant_model_and_a_whole_second_pause() {
        let ctx = tenant("googlev2_telephony");
        for (expecting, decision) in questions() {
            assert_eq!(decision.expecting, expecting, "{:?}", decision.reply);
            let rendered = Rendered::of(&decision, &ctx);
            assert_eq!(rendered.gather("input"), Some("dtmf speech"));
            assert_eq!(rendered.gather("speechModel"), Some("googlev2_telephony"));
            assert_eq!(rendered.gather("language"), Some("en-US"));
            assert_eq!(rendered.gather("timeout"), Some("6"));
            let pause: u32 = rendered
                .gather("speechTimeout")
                .unwrap()
                .parse()
                .expect("Twilio wants whole seconds once a model is set");
            assert!((1..=5).contains(&pause), "{expecting:?}: {pause}");
            assert_eq!(rendered.gather("actionOnEmptyResult"), None);
        }
    }

    #[test]
    fn a_reason_or_an_email_may_pause_longer_than_a_yes_or_no() {
        let ctx = tenant(DEFAULT_SPEECH_MODEL);
        let pause = |wanted: Expecting| -> u32 {
            let (_, decision) = questions()
                .into_iter()
                .find(|(expecting, _)| *expecting == wanted)
                .unwrap();
            let rendered = Rendered::of(&decision, &ctx);
            rendered.gather("speechTimeout").unwrap().parse().unwrap()
        };
        let yes_no = pause(Expecting::YesNo);
        assert!(pause(Expecting::Reason) > yes_no);
        assert!(pause(Expecting::Email) > yes_no);
        assert!(pause(Expecting::Anything) > yes_no);
        assert!(pause(Expecting::Phone) > yes_no);
    }

    #[test]
    fn a_phone_number_may_be_typed_up_to_the_pound_key_and_other_questions_take_one_key() {
        let ctx = tenant(DEFAULT_SPEECH_MODEL);
        for (expecting, decision) in questions() {
            let rendered = Rendered::of(&decision, &ctx);
            if expecting == Expecting::Phone {
                assert_eq!(rendered.gather("finishOnKey"), Some("#"));
                assert_eq!(rendered.gather("numDigits"), None);
            } else {
                assert_eq!(rendered.gather("numDigits"), Some("1"), "{expecting:?}");
                assert_eq!(rendered.gather("finishOnKey"), None);
            }
        }
    }

    #[test]
    fn hints_fit_the_answer_expected() {
        let ctx = tenant(DEFAULT_SPEECH_MODEL);
        let hints: Vec<(Expecting, Vec<String>)> = questions()
            .into_iter()
            .map(|(expecting, decision)| {
                let rendered = Rendered::of(&decision, &ctx);
                let hints = rendered.hints().into_iter().map(str::to_owned).collect();
                (expecting, hints)
            })
            .collect();
        let of = |wanted: Expecting| {
            hints
                .iter()
                .find(|(expecting, _)| *expecting == wanted)
                .map(|(_, hints)| hints.clone())
                .unwrap()
        };
        let has = |hints: &[String], word: &str| hints.iter().any(|h| h == word);
        // The business's words where the caller may talk about it.
        assert!(has(&of(Expecting::Anything), "skylight"));
        assert!(has(&of(Expecting::Anything), "Billing"));
        assert!(has(&of(Expecting::Reason), "skylight"));
        // Digits for a number, the words of an address for an email.
        let phone = of(Expecting::Phone);
        assert!(has(&phone, "five") && has(&phone, "oh"), "{phone:?}");
        assert!(!has(&phone, "skylight"));
        let email = of(Expecting::Email);
        assert!(has(&email, "at") && has(&email, "dot") && has(&email, "gmail dot com"));
        let yes_no = of(Expecting::YesNo);
        assert!(
            has(&yes_no, "yes") && !has(&yes_no, "Billing"),
            "{yes_no:?}"
        );
        // Class tokens only with a model that is Google's by name.
        assert!(
            hints
                .iter()
                .all(|(_, h)| h.iter().all(|h| !h.starts_with('$')))
        );
    }

    #[test]
    fn a_google_v2_model_also_listens_for_digit_and_alphanumeric_sequences() {
        let ctx = tenant("googlev2_telephony");
        for (expecting, decision) in questions() {
            let rendered = Rendered::of(&decision, &ctx);
            let hints = rendered.hints();
            let token = match expecting {
                Expecting::Phone => Some("$OOV_CLASS_DIGIT_SEQUENCE"),
                Expecting::Email => Some("$OOV_CLASS_ALPHANUMERIC_SEQUENCE"),
                _ => None,
            };
            assert_eq!(
                hints.first().copied().filter(|h| h.starts_with('$')),
                token,
                "{expecting:?}: {hints:?}"
            );
        }
    }

    #[test]
    fn a_caller_answered_in_spanish_hears_a_spanish_voice_and_is_heard_in_spanish() {
        let ctx = tenant(DEFAULT_SPEECH_MODEL);
        let profile = profile();
        let mut call = Call::greeted(open(&profile));
        let spanish = crate::conversation::interpretation::Interpretation {
            text: "hola necesito una cita para mi hijo".into(),
            language: Some("es".into()),
            ..Default::default()
        };
        let decision = call.send(&crate::conversation::state::Event::Speech(spanish));
        assert_eq!(decision.memory.language.as_deref(), Some("es"));
        let rendered = Rendered::of(&decision, &ctx);
        assert_eq!(find(&rendered.say, "voice"), Some("Polly.Lupe-Neural"));
        assert_eq!(find(&rendered.say, "language"), Some("es-US"));
        assert_eq!(rendered.gather("language"), Some("es-US"));
        assert_eq!(
            rendered.gather("hints"),
            None,
            "English hints would mislead"
        );
        // Its goodbye is in the same voice.
        let goodbye = call.send(&crate::conversation::state::Event::Speech(
            crate::conversation::interpretation::Interpretation {
                text: "me llamo ana ruiz mi número es cinco cero tres cinco cinco cinco cero uno cuatro dos".into(),
                language: Some("es".into()),
                ..Default::default()
            },
        ));
        let xml = render::answer(&Answer::deciding(&goodbye, 5, None), &ctx);
        assert!(
            xml.contains(r#"<Say voice="Polly.Lupe-Neural" language="es-US">"#),
            "{xml}"
        );
        assert!(xml.ends_with("<Hangup/></Response>"), "{xml}");
    }

    #[test]
    fn the_spanish_voice_is_one_twilio_accepts() {
        let spanish = other_language(Some("es")).unwrap();
        assert!(crate::tenants::file::TenantFile::parse(
            "t.toml",
            &format!(
                "slug = \"t1\"\nname = \"T\"\ntimezone = \"UTC\"\nlanguage = \"{}\"\nvoice = \"{}\"\nnumbers = [\"+15005550006\"]\n",
                spanish.locale, spanish.voice
            ),
        )
        .is_ok());
        assert!(other_language(None).is_none() && other_language(Some("en")).is_none());
    }
}
