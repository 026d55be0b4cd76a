//! A caller who speaks a language the receptionist does not converse in
//! (Spanish, as recognised by the brain): say so in their language, take
//! their name, number and reason in one go, and pass the message on.

use crate::conversation::interpretation::Interpretation;
use crate::conversation::speech;
use crate::conversation::state::{Asking, CallMemory, CallState, Decision, Outcome, TurnContext};

use super::reply::{ask, hang_up};
use super::transfer;

/// Tries at getting the message before keeping what was said.
const MAX_TRIES: u8 = 2;

/// The caller's language when it is not English: known from earlier in the
/// call, or noticed now.
pub(super) fn not_english(memory: &CallMemory, said: &Interpretation) -> Option<String> {
    memory
        .language
        .clone()
        .or_else(|| said.language.clone())
        .filter(|tag| tag != "en")
}

#[derive(Clone, Copy)]
pub(super) struct Phrases {
    offer: &'static str,
    ask_again: &'static str,
    thanks: &'static str,
    silence: &'static str,
    /// "One moment, I'll put you through to someone who speaks Spanish."
    putting_through: &'static str,
    /// The transfer was not answered: a message instead.
    no_one_picked_up: &'static str,
}

/// What is said in each supported language; anything else gets Spanish's
/// English fallback.
fn phrases(tag: &str) -> Option<Phrases> {
    match tag {
        "es" => Some(Phrases {
            offer: "Lo siento, solo puedo atenderle en inglés, pero con gusto tomo un mensaje y alguien le devolverá la llamada.",
            ask_again: "Por favor, diga su nombre, su número de teléfono y el motivo de su llamada.",
            thanks: "Gracias. Le pasaré su mensaje y alguien le devolverá la llamada lo antes posible. Adiós.",
            silence: "Disculpe, no le escuché.",
            putting_through: "Un momento, por favor. Le comunico con alguien que habla español.",
            no_one_picked_up: "Lo siento, nadie pudo contestar. Con gusto tomo un mensaje y alguien le devolverá la llamada.",
        }),
        _ => None,
    }
}

/// The phrases in the language of a caller who does not speak English,
/// while their message is still to be taken.
pub(super) fn still_to_take_in(memory: &CallMemory) -> Option<Phrases> {
    memory
        .language
        .as_deref()
        .and_then(phrases)
        .filter(|_| !memory.lead_saved)
}

/// A transfer was not answered for a caller who speaks another language:
/// the message is taken in that language.
pub(super) fn message_instead(memory: CallMemory, ctx: &TurnContext, phrases: Phrases) -> Decision {
    let waiting = CallState::LeadCapture {
        asking: Asking::Reason,
    };
    ask(
        waiting,
        memory,
        ctx,
        vec![phrases.no_one_picked_up.to_string()],
        phrases.ask_again.to_string(),
    )
}

/// What a silent turn says first, in the caller's language.
pub(super) fn silence_lead_in(memory: &CallMemory) -> Option<&'static str> {
    memory
        .language
        .as_deref()
        .and_then(phrases)
        .map(|p| p.silence)
}

pub(super) fn turn(
    mut memory: CallMemory,
    ctx: &TurnContext,
    said: &Interpretation,
    tag: &str,
) -> Decision {
    let Some(phrases) = phrases(tag) else {
        // A language without phrases: carry on in English.
        memory.language = None;
        let lead_in = vec![
            "Sorry, I can only help in English. I can take a message so someone can call you back."
                .to_string(),
        ];
        return super::capture::continue_capture(memory, ctx, lead_in);
    };
    let first = memory.language.is_none();
    memory.language = Some(tag.to_string());
    if first {
        keep_details(&mut memory, ctx, said, false);
        let staff_speak_it = ctx.profile.staff_languages.iter().any(|l| l == tag);
        if staff_speak_it && transfer::can_transfer(&memory, ctx, None) {
            let number = transfer::number_for(ctx, None).unwrap_or_default();
            let say = phrases.putting_through.to_string();
            return transfer::put_through_saying(memory, None, number, say);
        }
        let waiting = CallState::LeadCapture {
            asking: Asking::Reason,
        };
        return ask(
            waiting,
            memory,
            ctx,
            vec![phrases.offer.to_string()],
            phrases.ask_again.to_string(),
        );
    }
    let said_something = keep_details(&mut memory, ctx, said, true);
    if !said_something && memory.failed_attempts + 1 < MAX_TRIES {
        memory.failed_attempts += 1;
        let waiting = CallState::LeadCapture {
            asking: Asking::Reason,
        };
        return ask(
            waiting,
            memory,
            ctx,
            Vec::new(),
            phrases.ask_again.to_string(),
        );
    }
    if memory.lead.phone.is_none() {
        memory.lead.phone = ctx.caller_number.map(str::to_string);
    }
    memory.failed_attempts = 0;
    memory.lead_saved = true;
    let mut decision = hang_up(
        memory,
        vec![phrases.thanks.to_string()],
        Some(Outcome::LeadCaptured),
    );
    decision.save_lead = true;
    decision
}

/// Keeps the name, number and words of an utterance in the message; true
/// when it said more than a word or two.
fn keep_details(
    memory: &mut CallMemory,
    ctx: &TurnContext,
    said: &Interpretation,
    as_reason: bool,
) -> bool {
    let text = speech::caller_text(&said.text);
    if let Some(phone) = spoken_number(&text, ctx).or_else(|| said.details.phone.clone()) {
        memory.lead.phone = Some(phone);
        memory.phone_confirmed = true;
    }
    if let Some(name) = spanish_name(&text) {
        memory.lead.name = Some(name);
    }
    let substantial = text.split_whitespace().count() >= 3;
    if as_reason || substantial {
        let earlier = memory.lead.reason.take();
        let line = format!("(said in Spanish) {text}");
        memory.lead.reason = Some(match earlier {
            Some(earlier) if !earlier.is_empty() => format!("{earlier} / {text}"),
            _ => line,
        });
    }
    substantial || memory.lead.phone.is_some() && as_reason
}

/// "Me llamo Ana Ruiz", "mi nombre es Ana", "soy Ana Ruiz".
fn spanish_name(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let start = ["me llamo ", "mi nombre es ", "soy ", "habla "]
        .iter()
        .find_map(|lead| lower.find(lead).map(|at| at + lead.len()))?;
    const STOPS: &[&str] = &[
        "y",
        "mi",
        "el",
        "la",
        "de",
        "número",
        "numero",
        "teléfono",
        "telefono",
        "es",
        "por",
        "para",
        "quiero",
        "necesito",
        "llamo",
        "con",
    ];
    let name: Vec<String> = text[start..]
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .filter(|w| !w.is_empty())
        .take_while(|w| {
            !STOPS.contains(&w.to_lowercase().as_str()) && w.chars().all(char::is_alphabetic)
        })
        .take(3)
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| {
                    c.to_uppercase()
                        .chain(chars.flat_map(char::to_lowercase))
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    (!name.is_empty()).then(|| name.join(" "))
}

/// A number said in Spanish words or digits ("cinco cinco cinco, uno dos
/// tres cuatro..."), as E.164 when it is a full North American number.
fn spoken_number(text: &str, ctx: &TurnContext) -> Option<String> {
    let mut digits = String::new();
    for word in text
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let digit = match word {
            "cero" => "0",
            "uno" | "una" => "1",
            "dos" => "2",
            "tres" => "3",
            "cuatro" => "4",
            "cinco" => "5",
            "seis" => "6",
            "siete" => "7",
            "ocho" => "8",
            "nueve" => "9",
            w if w.chars().all(|c| c.is_ascii_digit()) => w,
            _ => continue,
        };
        digits.push_str(digit);
    }
    let north_american = ctx.caller_number.is_none_or(|n| n.starts_with("+1"));
    match digits.len() {
        10 if north_american => Some(format!("+1{digits}")),
        11 if north_american && digits.starts_with('1') => Some(format!("+{digits}")),
        8..=15 if !north_american => Some(digits),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conversation::machine::fixtures::{open, profile};

    #[test]
    fn names_and_numbers_said_in_spanish() {
        assert_eq!(
            spanish_name("hola me llamo ana ruiz y mi número es"),
            Some("Ana Ruiz".to_string())
        );
        assert_eq!(spanish_name("necesito una cita"), None);
        let p = profile();
        let ctx = open(&p);
        assert_eq!(
            spoken_number(
                "es cinco cero tres cinco cinco cinco cero uno cuatro dos",
                &ctx
            ),
            Some("+15035550142".to_string())
        );
        assert_eq!(
            spoken_number("mi número es 503 555 0142", &ctx),
            Some("+15035550142".to_string())
        );
        assert_eq!(spoken_number("dos perros", &ctx), None);
    }
}
