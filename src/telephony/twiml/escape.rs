//! Escaping text for XML: the security boundary described in the module notes.

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Context {
    Text,
    Attribute,
}

/// Characters XML 1.0 allows (`Char` production). Rust strings cannot hold surrogates.
pub(super) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes markup characters and drops characters XML 1.0 forbids. Whitespace that a parser
/// would normalise (`\r` anywhere; tab and newline in attributes) becomes a character
/// reference so it reaches Twilio unchanged.
pub(super) fn escape_into(out: &mut String, value: &str, context: Context) {
    out.reserve(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\n' if context == Context::Attribute => out.push_str("&#10;"),
            '\t' if context == Context::Attribute => out.push_str("&#9;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}
