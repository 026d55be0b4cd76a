//! Digits as a number to call: E.164 when they make a whole number for the
//! country, otherwise the bare digits.

use super::{MAX_DIGITS, MIN_DIGITS, NANP_DIGITS};

/// Countries whose national numbers keep their leading 0 after the country
/// code (Italy); elsewhere the 0 is a trunk prefix dropped in E.164.
const ZERO_KEPT: &[u16] = &[39];

/// E.164 when the digits make a whole number, otherwise the bare digits
/// (which the conversation asks again for); `None` below [`MIN_DIGITS`] or
/// above [`MAX_DIGITS`].
pub(super) fn format_phone(digits: &str, plus: bool, country_code: u16) -> Option<String> {
    let n = digits.len();
    if !(MIN_DIGITS..=MAX_DIGITS).contains(&n) {
        return None;
    }
    let nanp = |national: &str| national.len() == NANP_DIGITS && !national.starts_with(['0', '1']);
    let whole = if plus {
        // Every calling code starting with 1 is the North American plan.
        match digits.strip_prefix('1') {
            Some(national) => nanp(national).then(|| format!("+{digits}")),
            None => (n >= 8).then(|| format!("+{digits}")),
        }
    } else if country_code == 1 {
        if nanp(digits) {
            Some(format!("+1{digits}"))
        } else {
            digits
                .strip_prefix('1')
                .filter(|national| nanp(national))
                .map(|_| format!("+{digits}"))
        }
    } else {
        international(digits, country_code)
    };
    Some(whole.unwrap_or_else(|| digits.to_string()))
}

/// A number outside North America said with its country code or with the
/// national trunk prefix 0 ("020 7946 0958" in the UK).
fn international(digits: &str, country_code: u16) -> Option<String> {
    if country_code == 0 {
        return None;
    }
    let code = country_code.to_string();
    if digits.starts_with(&code) && digits.len() >= code.len() + 8 {
        return Some(format!("+{digits}"));
    }
    let national = digits.strip_prefix('0')?;
    if !(8..=11).contains(&national.len()) {
        return None;
    }
    if ZERO_KEPT.contains(&country_code) {
        Some(format!("+{code}{digits}"))
    } else {
        Some(format!("+{code}{national}"))
    }
}
