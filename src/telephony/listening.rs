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
