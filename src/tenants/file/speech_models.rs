//! Twilio's `<Gather speechModel>` values. Like a voice, a model Twilio does
//! not know spoils every turn of every call, so a typo is refused at import.

/// What a tenant listens with unless its file says otherwise: Twilio picks
/// the best provider for the language and fails over between providers
/// during an outage, which naming one provider's model gives up.
pub const DEFAULT_SPEECH_MODEL: &str = "experimental_conversations";

/// The models Twilio's `<Gather>` documents.
const SPEECH_MODELS: &[&str] = &[
    "default",
    "numbers_and_commands",
    "phone_call",
    "experimental_conversations",
    "experimental_utterances",
    "googlev2_long",
    "googlev2_short",
    "googlev2_telephony",
    "googlev2_telephony_short",
    "deepgram_nova-2",
    "deepgram_nova-3",
];

pub fn is_speech_model(model: &str) -> bool {
    SPEECH_MODELS.contains(&model)
}

/// Whether hints may hold Google's class tokens (`$OOV_CLASS_DIGIT_SEQUENCE`):
/// only when the model is named as Google STT V2's. With any other model
/// Twilio may pick a provider that does not know them (warning 13330).
pub fn takes_google_class_tokens(model: &str) -> bool {
    model.starts_with("googlev2_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_models_are_accepted_and_typos_refused() {
        assert!(is_speech_model(DEFAULT_SPEECH_MODEL));
        assert!(is_speech_model("googlev2_telephony"));
        assert!(is_speech_model("deepgram_nova-3"));
        for typo in [
            "",
            "auto",
            "googlev2-telephony",
            "Phone_call",
            "deepgram_nova",
        ] {
            assert!(!is_speech_model(typo), "{typo}");
        }
    }

    #[test]
    fn class_tokens_are_only_for_a_named_google_v2_model() {
        assert!(takes_google_class_tokens("googlev2_telephony"));
        assert!(!takes_google_class_tokens(DEFAULT_SPEECH_MODEL));
        assert!(!takes_google_class_tokens("deepgram_nova-2"));
    }
}
