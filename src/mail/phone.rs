//! Phone numbers as the business reads them in its email: one format for
//! every number in both emails, the national one for numbers of the tenant's
//! own country ("(503) 555-0142" in North America) and the international one
//! for the rest, with the E.164 form for `tel:` links.

/// `number` written for a business in the country with calling code
/// `home_country`. E.164 numbers of the North American plan read
/// `(503) 555-0142` at home and `+1 503-555-0142` abroad; other E.164
/// numbers keep their country code apart (`+44 2079460000`, as their own
/// grouping varies by country); ten bare digits at home in North America
/// read as a national number; anything else is returned as given.
pub fn display(number: &str, home_country: u16) -> String {
    let number = number.trim();
    let Some(e164) = e164(number, home_country) else {
        return number.to_owned();
    };
    let digits = &e164[1..];
    if let Some(national) = digits.strip_prefix('1').filter(|n| n.len() == 10) {
        let (area, exchange, line) = (&national[..3], &national[3..6], &national[6..]);
        return if home_country == 1 {
            format!("({area}) {exchange}-{line}")
        } else {
            format!("+1 {area}-{exchange}-{line}")
        };
    }
    let code_len = country_code_length(digits);
    format!("+{} {}", &digits[..code_len], &digits[code_len..])
}

/// The number as a `tel:` link dials it (E.164), when it is one.
pub fn dial(number: &str, home_country: u16) -> Option<String> {
    e164(number.trim(), home_country)
}

/// `number` in E.164: as given when it already is, or ten bare digits (or
/// eleven with the leading 1) of a North American home country.
fn e164(number: &str, home_country: u16) -> Option<String> {
    if let Some(digits) = number.strip_prefix('+') {
        let valid = (8..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0');
        return valid.then(|| number.to_owned());
    }
    if home_country != 1 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match number.len() {
        10 => Some(format!("+1{number}")),
        11 if number.starts_with('1') => Some(format!("+{number}")),
        _ => None,
    }
}

/// How many of an E.164 number's leading digits are its country code
/// (ITU-T E.164 assignments: 1 and 7 have one digit, the two-digit codes
/// below, every other code three).
fn country_code_length(digits: &str) -> usize {
    const TWO_DIGIT: [&str; 44] = [
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
        "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
        "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
    ];
    if digits.starts_with('1') || digits.starts_with('7') {
        1
    } else if TWO_DIGIT.iter().any(|code| digits.starts_with(code)) {
        2
    } else {
        3
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn north_american_numbers_read_the_national_way_at_home() {
        assert_eq!(display("+15035550142", 1), "(503) 555-0142");
        assert_eq!(display(" +15035550142 ", 1), "(503) 555-0142");
        assert_eq!(display("5035550142", 1), "(503) 555-0142");
        assert_eq!(display("15035550142", 1), "(503) 555-0142");
    }

    #[test]
    fn numbers_from_abroad_keep_their_country_code() {
        assert_eq!(display("+15035550142", 44), "+1 503-555-0142");
        assert_eq!(display("+442079460000", 1), "+44 2079460000");
        assert_eq!(display("+353861234567", 1), "+353 861234567");
        assert_eq!(display("+79161234567", 1), "+7 9161234567");
    }

    #[test]
    fn what_is_not_a_number_is_left_as_given() {
        for text in [
            "withheld",
            "anonymous",
            "+266696687x",
            "5550142",
            "",
            "+0123456789",
        ] {
            assert_eq!(display(text, 1), text.trim());
        }
        assert_eq!(display("5035550142", 44), "5035550142");
    }

    #[test]
    fn a_tel_link_dials_the_e164_number() {
        assert_eq!(dial("+15035550142", 1).as_deref(), Some("+15035550142"));
        assert_eq!(dial("5035550142", 1).as_deref(), Some("+15035550142"));
        assert_eq!(dial("+442079460000", 1).as_deref(), Some("+442079460000"));
        assert_eq!(dial("555 0142", 1), None);
        assert_eq!(dial("anonymous", 1), None);
    }
}
