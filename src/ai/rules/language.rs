//! Noticing a caller who speaks another language. The receptionist
//! converses in English only, but a Spanish speaker must still be offered a
//! call back in Spanish and have their message taken.

use super::normalize::Word;

/// Words that are Spanish and not also common English (or speech
/// recognition's English spellings of English words).
#[rustfmt::skip]
const SPANISH: &[&str] = &[
    "hola", "buenos", "buenas", "dias", "días", "tardes", "noches", "necesito", "quiero", "quisiera",
    "hablar", "habla", "hablo", "hablan", "español", "espanol", "favor", "gracias", "cita", "nombre",
    "llamo", "llamar", "llame", "llamada", "número", "numero", "teléfono", "telefono", "tengo", "tiene",
    "perro", "perrito", "gato", "gatito", "dolor", "muela", "diente", "dientes", "agua", "ayuda", "alguien",
    "señor", "señora", "senora", "senor", "puede", "puedo", "usted", "ustedes", "los", "las", "del",
    "con", "para", "mañana", "manana", "hoy", "mensaje", "dejar", "quién", "quien", "dónde", "donde",
    "cuándo", "cuando", "cuánto", "cuanto", "cuesta", "mi", "mis", "es", "está", "esta", "estoy",
    "soy", "muy", "bien", "pero", "porque", "también", "tambien", "ahora", "aquí", "aqui", "sí", "inglés",
    "ingles", "entiendo", "emergencia", "urgente", "abogado", "veterinario", "dentista", "plomero",
    "tubería", "tuberia", "baño", "cocina", "casa", "corte", "pelo", "una", "unos", "unas", "el", "la",
    "que", "qué", "por", "como", "cómo", "estan", "están", "hace", "hacer", "favor", "disculpe", "oiga",
    "bueno", "sobre", "trabajo", "abierto", "cerrado", "horario", "precio",
];
/// Spanish words that are also ordinary English or names ("me", "no",
/// "a", "con", "es"...): counted only beside clearly Spanish ones.
const AMBIGUOUS: &[&str] = &[
    "mi", "es", "el", "la", "con", "como", "esta", "casa", "una", "para", "que", "por", "los",
    "las", "del", "hoy", "bien", "pero", "soy", "muy", "hace",
];

/// Spanish words that say something cannot wait: an emergency, an arrest,
/// a poisoning, pain, blood, a flood.
#[rustfmt::skip]
const SPANISH_URGENT: &[&str] = &[
    "emergencia", "urgente", "urgencia", "cárcel", "carcel", "arrestaron", "arrestado", "arrestada",
    "detenido", "detenida", "veneno", "envenenado", "envenenada", "sangre", "sangrando", "dolor", "duele",
    "accidente", "atropellado", "atropellada", "convulsiones", "inundación", "inundacion", "inundando",
    "fuga", "reventó", "revento", "chocolate", "hinchado", "hinchada", "ayuda", "rápido", "rapido",
    "ahorita", "inmediatamente", "corte", "mañana",
];

/// A Spanish-speaking caller's words say it is urgent.
pub(crate) fn spanish_urgent(words: &[Word<'_>]) -> bool {
    words
        .iter()
        .any(|w| SPANISH_URGENT.contains(&w.raw.to_lowercase().as_str()))
}

/// The language tag when the words are clearly not English.
pub(crate) fn foreign_language(words: &[Word<'_>]) -> Option<&'static str> {
    if words.is_empty() {
        return None;
    }
    let spanish: Vec<&str> = words
        .iter()
        .map(|w| w.raw)
        .filter(|raw| {
            let lower = raw.to_lowercase();
            SPANISH.contains(&lower.as_str())
        })
        .collect();
    let clear = spanish
        .iter()
        .filter(|w| !AMBIGUOUS.contains(&w.to_lowercase().as_str()))
        .count();
    let share = spanish.len() * 100 / words.len();
    let spanish_speaker = (clear >= 2 && share >= 40)
        || (clear >= 1 && share >= 60)
        || words.iter().any(|w| {
            matches!(
                w.raw.to_lowercase().as_str(),
                "español" | "espanol" | "habla" | "hablo"
            )
        }) && clear >= 1;
    spanish_speaker.then_some("es")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::rules::normalize::words;

    fn lang(text: &str) -> Option<&'static str> {
        foreign_language(&words(text))
    }

    #[test]
    fn spanish_callers_are_noticed() {
        for text in [
            "hola buenos días necesito una cita",
            "habla español",
            "no hablo inglés",
            "sí quiero dejar un mensaje por favor",
            "mi perro está muy enfermo",
            "hola",
            "Hola, ¿hablan español?",
            "necesito hablar con alguien sobre mi caso",
        ] {
            assert_eq!(lang(text), Some("es"), "{text}");
        }
    }

    #[test]
    fn english_with_spanish_names_is_english() {
        for text in [
            "hi my name is maria de la cruz",
            "yes no that's fine",
            "my address is 12 calle del sol",
            "i'm calling for jose about my bill",
            "no",
            "the number is 5 5 5 1 2 1 2",
            "es",
            "la quinta inn",
        ] {
            assert_eq!(lang(text), None, "{text}");
        }
    }
}
