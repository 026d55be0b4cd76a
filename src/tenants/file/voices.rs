//! Twilio's `<Say>` voices. A voice Twilio does not know fails every
//! `<Say>` of every call (the caller hears an application error), so a typo
//! in a tenant file is refused at import, not discovered on the phone.

/// Amazon Polly's voice names, as Twilio accepts them (`Polly.<Name>`,
/// optionally `-Neural` or `-Generative`).
const POLLY_VOICES: &[&str] = &[
    "Aditi",
    "Adriano",
    "Amy",
    "Andres",
    "Aria",
    "Arlet",
    "Arthur",
    "Astrid",
    "Ayanda",
    "Bianca",
    "Brian",
    "Burak",
    "Camila",
    "Carla",
    "Carmen",
    "Celine",
    "Chantal",
    "Conchita",
    "Cristiano",
    "Daniel",
    "Danielle",
    "Dora",
    "Elin",
    "Emma",
    "Enrique",
    "Ewa",
    "Filiz",
    "Gabrielle",
    "Geraint",
    "Giorgio",
    "Gregory",
    "Gwyneth",
    "Hala",
    "Hannah",
    "Hans",
    "Hiujin",
    "Ida",
    "Ines",
    "Isabelle",
    "Ivy",
    "Jacek",
    "Jan",
    "Jasmine",
    "Jitka",
    "Joanna",
    "Joey",
    "Justin",
    "Kajal",
    "Karl",
    "Kazuha",
    "Kendra",
    "Kevin",
    "Kimberly",
    "Laura",
    "Lea",
    "Liam",
    "Lisa",
    "Liv",
    "Lotte",
    "Lucia",
    "Lupe",
    "Mads",
    "Maja",
    "Marlene",
    "Mathieu",
    "Matthew",
    "Maxim",
    "Mia",
    "Miguel",
    "Mizuki",
    "Naja",
    "Niamh",
    "Nicole",
    "Ola",
    "Olivia",
    "Pedro",
    "Penelope",
    "Raveena",
    "Remi",
    "Ricardo",
    "Ruben",
    "Russell",
    "Ruth",
    "Salli",
    "Seoyeon",
    "Sergio",
    "Sofie",
    "Stephen",
    "Suvi",
    "Takumi",
    "Tatyana",
    "Thiago",
    "Tomoko",
    "Vicki",
    "Vitoria",
    "Zayd",
    "Zeina",
    "Zhiyu",
];

/// Google voice models, as in `Google.en-US-Neural2-F` or
/// `Google.en-US-Chirp3-HD-Aoede`.
const GOOGLE_MODELS: &[&str] = &[
    "Standard",
    "Wavenet",
    "Neural2",
    "News",
    "Studio",
    "Polyglot",
    "Journey",
    "Chirp-HD",
    "Chirp3-HD",
];

/// The voices the settings page offers, by the language they speak: Amazon
/// Polly's neural voices (`Polly.<Name>-Neural`), which sound the most
/// natural on the phone. A tenant file may name any voice Twilio accepts.
const NEURAL_VOICES_BY_LANGUAGE: &[(&str, &[&str])] = &[
    (
        "en-US",
        &[
            "Joanna", "Matthew", "Ruth", "Stephen", "Danielle", "Gregory", "Kendra", "Kimberly",
            "Salli", "Joey", "Ivy", "Kevin", "Justin",
        ],
    ),
    ("en-GB", &["Amy", "Emma", "Brian", "Arthur"]),
    ("en-AU", &["Olivia"]),
    ("en-IN", &["Kajal"]),
    ("en-IE", &["Niamh"]),
    ("en-NZ", &["Aria"]),
    ("en-ZA", &["Ayanda"]),
    ("es-US", &["Lupe", "Pedro"]),
    ("es-ES", &["Lucia", "Sergio"]),
    ("es-MX", &["Mia", "Andres"]),
    ("fr-FR", &["Lea", "Remi"]),
    ("fr-CA", &["Gabrielle", "Liam"]),
    ("de-DE", &["Vicki", "Daniel"]),
    ("it-IT", &["Bianca", "Adriano"]),
    ("pt-BR", &["Camila", "Vitoria", "Thiago"]),
    ("pt-PT", &["Ines"]),
    ("nl-NL", &["Laura"]),
];

/// The voices to choose from, grouped by language tag (`en-US`), each as
/// Twilio spells it (`Polly.Joanna-Neural`).
pub fn voice_choices() -> impl Iterator<Item = (&'static str, Vec<String>)> {
    NEURAL_VOICES_BY_LANGUAGE.iter().map(|(language, names)| {
        let voices = names
            .iter()
            .map(|name| format!("Polly.{name}-Neural"))
            .collect();
        (*language, voices)
    })
}

/// Whether Twilio's `<Say>` accepts `voice`.
pub fn is_twilio_voice(voice: &str) -> bool {
    if matches!(voice, "man" | "woman" | "alice") {
        return true;
    }
    if let Some(name) = voice.strip_prefix("Polly.") {
        let name = name
            .strip_suffix("-Neural")
            .or_else(|| name.strip_suffix("-Generative"))
            .unwrap_or(name);
        return POLLY_VOICES.contains(&name);
    }
    if let Some(rest) = voice.strip_prefix("Google.") {
        return is_google_voice(rest);
    }
    false
}

/// `<ll>-<CC>-<model>-<variant>`: a locale, a known model, and a variant
/// (a letter, a number or a name).
fn is_google_voice(rest: &str) -> bool {
    let (Some(locale), Some(voice)) = (rest.get(..5), rest.get(6..)) else {
        return false;
    };
    let locale_ok = super::rules::is_language_tag(locale) && rest.as_bytes().get(5) == Some(&b'-');
    let model_ok = GOOGLE_MODELS.iter().any(|model| {
        voice
            .strip_prefix(model)
            .and_then(|v| v.strip_prefix('-'))
            .is_some_and(|variant| {
                !variant.is_empty() && variant.chars().all(|c| c.is_ascii_alphanumeric())
            })
    });
    locale_ok && model_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voices_twilio_documents_are_accepted() {
        for voice in [
            "man",
            "woman",
            "Polly.Joanna",
            "Polly.Joanna-Neural",
            "Polly.Amy-Neural",
            "Polly.Ruth-Generative",
            "Google.en-US-Neural2-F",
            "Google.en-GB-Standard-A",
            "Google.en-US-Chirp3-HD-Aoede",
            "Google.de-DE-Wavenet-B",
        ] {
            assert!(is_twilio_voice(voice), "{voice}");
        }
    }

    #[test]
    fn every_offered_voice_is_one_twilio_accepts() {
        for (language, voices) in voice_choices() {
            assert!(super::super::rules::is_language_tag(language), "{language}");
            for voice in voices {
                assert!(is_twilio_voice(&voice), "{voice}");
            }
        }
    }

    #[test]
    fn typos_and_made_up_voices_are_refused() {
        for voice in [
            "",
            "Joanna",
            "Polly.Joana-Neural",
            "polly.Joanna",
            "Polly.Joanna-neural",
            "Polly.",
            "Google.en-US",
            "Google.en-US-Neural3-F",
            "Google.english-Standard-A",
            "Google.en-US-Standard-",
            "Alice",
        ] {
            assert!(!is_twilio_voice(voice), "{voice}");
        }
    }
}
