//! Number words as callers say them in phone numbers and email addresses:
//! "five oh three", "twenty one", "double five", "nineteen eighty five".

/// The digit a spoken digit word names; "oh" and "o" are zero, as callers
/// say in phone numbers.
fn digit_word(key: &str) -> Option<char> {
    Some(match key {
        "zero" | "oh" | "o" => '0',
        "one" => '1',
        "two" => '2',
        "three" => '3',
        "four" => '4',
        "five" => '5',
        "six" => '6',
        "seven" => '7',
        "eight" => '8',
        "nine" => '9',
        _ => return None,
    })
}

fn teen_word(key: &str) -> Option<&'static str> {
    Some(match key {
        "ten" => "10",
        "eleven" => "11",
        "twelve" => "12",
        "thirteen" => "13",
        "fourteen" => "14",
        "fifteen" => "15",
        "sixteen" => "16",
        "seventeen" => "17",
        "eighteen" => "18",
        "nineteen" => "19",
        _ => return None,
    })
}

fn tens_word(key: &str) -> Option<char> {
    Some(match key {
        "twenty" => '2',
        "thirty" => '3',
        "forty" => '4',
        "fifty" => '5',
        "sixty" => '6',
        "seventy" => '7',
        "eighty" => '8',
        "ninety" => '9',
        _ => return None,
    })
}

/// True for any word [`number_unit`] reads.
pub(crate) fn is_number_word(key: &str) -> bool {
    digit_word(key).is_some()
        || teen_word(key).is_some()
        || tens_word(key).is_some()
        || matches!(key, "double" | "triple" | "hundred" | "thousand")
}

/// One spoken number unit at the start of `keys`, the way callers read
/// digits out: a digit ("five"), a teen ("nineteen"), a tens word with its
/// unit ("twenty one" -> "21", "twenty" -> "20") or a repeat ("double five"
/// -> "55", "triple oh" -> "000"). Returns the digits and the keys used.
/// "Hundred" and "thousand" multiply what came before, so they are read by
/// [`spoken_digits`], not here.
pub(crate) fn number_unit(keys: &[&str]) -> Option<(String, usize)> {
    let (&key, rest) = keys.split_first()?;
    if let Some(d) = digit_word(key) {
        return Some((d.to_string(), 1));
    }
    if let Some(teen) = teen_word(key) {
        return Some((teen.to_string(), 1));
    }
    if let Some(tens) = tens_word(key) {
        return Some(match rest.first().and_then(|n| digit_word(n)) {
            Some(unit) if unit != '0' => (format!("{tens}{unit}"), 2),
            _ => (format!("{tens}0"), 1),
        });
    }
    let times = match key {
        "double" => 2,
        "triple" => 3,
        _ => return None,
    };
    let next = rest.first()?;
    let digit = digit_word(next).or_else(|| single_numeral(next))?;
    Some((std::iter::repeat_n(digit, times).collect(), 2))
}

fn single_numeral(key: &str) -> Option<char> {
    let mut chars = key.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_digit() => Some(c),
        _ => None,
    }
}

/// The digits said by the run of number words at the start of `keys`
/// ("twenty one" -> "21", "nineteen eighty five" -> "1985", "two thousand"
/// -> "2000", "oh seven" -> "07"), with the number of keys used.
pub(crate) fn spoken_digits(keys: &[&str]) -> Option<(String, usize)> {
    let mut digits = String::new();
    let mut used = 0;
    while used < keys.len() {
        let key = keys[used];
        if !digits.is_empty() && matches!(key, "hundred" | "thousand") {
            digits.push_str(if key == "hundred" { "00" } else { "000" });
            used += 1;
            continue;
        }
        let Some((unit, n)) = number_unit(&keys[used..]) else {
            break;
        };
        digits.push_str(&unit);
        used += n;
    }
    (!digits.is_empty()).then_some((digits, used))
}
