//! Callers declining to leave an email address, in any phrasing.

use super::super::normalize::has_any;

/// "I'd rather not", "I don't have one", "skip that", "no email": the
/// caller declines to give an address.
pub(crate) fn declines(stems: &[&str]) -> bool {
    has_any(
        stems,
        &[
            &["rather", "not"],
            &["prefer", "not"],
            &["dont", "have", "one"],
            &["dont", "have", "an"],
            &["dont", "have", "email"],
            &["do", "not", "have"],
            &["dont", "use"],
            &["dont", "really", "use"],
            &["dont", "do", "email"],
            &["no", "email"],
            &["skip"],
            &["pass"],
            &["not", "necessary"],
            &["no", "need"],
            &["dont", "need"],
            &["dont", "bother"],
            &["not", "really"],
            &["nah"],
            &["nope"],
            &["no", "thank"],
            &["no", "thanks"],
            &["thats", "ok"],
            &["thats", "okay"],
            &["its", "ok"],
            &["its", "okay"],
            &["im", "good"],
            &["im", "ok"],
            &["im", "okay"],
            &["leave", "it", "out"],
            &["leave", "that", "out"],
            &["forget", "it"],
            &["forget", "the", "email"],
            &["not", "comfortable"],
            &["dont", "want"],
            &["none"],
            &["just", "call"],
            &["phone", "is", "fine"],
            &["number", "is", "fine"],
            &["phone", "is", "enough"],
            &["not", "today"],
            &["no", "i", "dont"],
        ],
    )
}
