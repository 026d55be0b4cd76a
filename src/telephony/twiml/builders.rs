//! Builder methods for the verbs that take options.

use super::escape::is_xml_char;
use super::{
    Dial, Gather, GatherInput, MAX_DIAL_NUMBERS, MAX_HINT_CHARS, MAX_HINTS, MAX_SAY_CHARS, Method,
    Pause, Play, Prompt, Record, Say, SpeechTimeout,
};

impl Say {
    /// Text longer than [`MAX_SAY_CHARS`] is cut at a character boundary.
    pub fn new(text: impl Into<String>) -> Self {
        let mut text = text.into();
        if let Some((cut, _)) = text.char_indices().nth(MAX_SAY_CHARS) {
            text.truncate(cut);
        }
        Self {
            text,
            voice: None,
            language: None,
        }
    }

    pub fn voice(mut self, voice: impl Into<String>) -> Self {
        self.voice = Some(voice.into());
        self
    }

    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

impl Gather {
    /// A speech `<Gather>` posting its result to `action`.
    pub fn speech(action: impl Into<String>) -> Self {
        Self::new(GatherInput::Speech).action(action)
    }

    /// A `<Gather>` with no action: Twilio posts the result to the current document's URL.
    pub fn new(input: GatherInput) -> Self {
        Self {
            input,
            action: None,
            method: None,
            language: None,
            speech_timeout: None,
            speech_model: None,
            hints: Vec::new(),
            timeout_secs: None,
            num_digits: None,
            finish_on_key: None,
            action_on_empty_result: None,
            prompts: Vec::new(),
        }
    }

    pub fn action(mut self, url: impl Into<String>) -> Self {
        self.action = Some(url.into());
        self
    }

    pub fn method(mut self, method: Method) -> Self {
        self.method = Some(method);
        self
    }

    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    pub fn speech_timeout(mut self, timeout: SpeechTimeout) -> Self {
        self.speech_timeout = Some(timeout);
        self
    }

    pub fn speech_model(mut self, model: impl Into<String>) -> Self {
        self.speech_model = Some(model.into());
        self
    }

    /// Phrases that bias speech recognition. Twilio reads the attribute as a comma list, so a
    /// comma inside a hint becomes a space; each hint is cut to [`MAX_HINT_CHARS`] and hints past
    /// [`MAX_HINTS`] are dropped, as Twilio would reject them.
    pub fn hints<I, S>(mut self, hints: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for hint in hints {
            if self.hints.len() >= MAX_HINTS {
                break;
            }
            let cleaned: String = hint
                .as_ref()
                .chars()
                .map(|c| if c == ',' { ' ' } else { c })
                .filter(|&c| is_xml_char(c))
                .take(MAX_HINT_CHARS)
                .collect();
            let trimmed = cleaned.trim();
            if !trimmed.is_empty() {
                self.hints.push(trimmed.to_owned());
            }
        }
        self
    }

    pub fn timeout(mut self, secs: u32) -> Self {
        self.timeout_secs = Some(secs);
        self
    }

    /// Keys pressed before the digits are posted without waiting for more.
    pub fn num_digits(mut self, digits: u32) -> Self {
        self.num_digits = Some(digits);
        self
    }

    /// The key that ends keypad input (Twilio's default is `#`; `""` means none).
    pub fn finish_on_key(mut self, key: impl Into<String>) -> Self {
        self.finish_on_key = Some(key.into());
        self
    }

    pub fn action_on_empty_result(mut self, enabled: bool) -> Self {
        self.action_on_empty_result = Some(enabled);
        self
    }

    pub fn say(mut self, say: Say) -> Self {
        self.prompts.push(Prompt::Say(say));
        self
    }

    pub fn pause(mut self, length_secs: u32) -> Self {
        self.prompts.push(Prompt::Pause(Pause { length_secs }));
        self
    }

    pub fn play(mut self, url: impl Into<String>) -> Self {
        self.prompts.push(Prompt::Play(Play { url: url.into() }));
        self
    }
}

impl Dial {
    pub fn number(number: impl Into<String>) -> Self {
        Self::default().add_number(number)
    }

    /// Rings every number at once; numbers past [`MAX_DIAL_NUMBERS`] are ignored, as Twilio would.
    pub fn add_number(mut self, number: impl Into<String>) -> Self {
        if self.numbers.len() < MAX_DIAL_NUMBERS {
            self.numbers.push(number.into());
        }
        self
    }

    pub fn action(mut self, url: impl Into<String>) -> Self {
        self.action = Some(url.into());
        self
    }

    pub fn method(mut self, method: Method) -> Self {
        self.method = Some(method);
        self
    }

    pub fn timeout(mut self, secs: u32) -> Self {
        self.timeout_secs = Some(secs);
        self
    }

    /// Without it, Twilio shows the original caller's number, which is usually what a forward wants.
    pub fn caller_id(mut self, number: impl Into<String>) -> Self {
        self.caller_id = Some(number.into());
        self
    }
}

impl Record {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn action(mut self, url: impl Into<String>) -> Self {
        self.action = Some(url.into());
        self
    }

    pub fn max_length(mut self, secs: u32) -> Self {
        self.max_length_secs = Some(secs);
        self
    }

    pub fn play_beep(mut self, beep: bool) -> Self {
        self.play_beep = Some(beep);
        self
    }

    pub fn timeout(mut self, secs: u32) -> Self {
        self.timeout_secs = Some(secs);
        self
    }

    pub fn trim_silence(mut self, trim: bool) -> Self {
        self.trim_silence = Some(trim);
        self
    }
}
