//! The rules brain: turns one speech-recognised caller utterance into an
//! [`Interpretation`] with hand-written patterns, BM25 retrieval over the
//! tenant's knowledge base and detail extraction. Pure and deterministic (no
//! I/O, no clock, no randomness) and fast enough to run on every turn, also as
//! the fallback when the LLM brain is slow or fails.
//!
//! Order of precedence in [`interpret`]: an emergency always wins; then a
//! goodbye (except a leading "yes" when a yes/no was asked, and a plain "no",
//! which stays `No`); then what the receptionist was expecting; then the
//! general intents.

mod email;
mod extract;
mod intent;
mod knowledge;
mod language;
mod normalize;
mod phone;

#[cfg(test)]
mod tests;

use std::ops::Range;

use crate::conversation::interpretation::{
    Details, Expecting, GroundedAnswer, Intent, Interpretation,
};
use crate::conversation::profile::TenantProfile;
use crate::conversation::state::LeadField;

pub use email::{extract_email, is_valid_email};
pub use extract::{extract_name, extract_reason};
pub use knowledge::{KnowledgeEntry, KnowledgeIndex, question_key};
pub use phone::extract_phone;

use extract::Said;
use normalize::{Word, clean_text, find_phrase, words};

/// What the rules understood from one utterance.
///
/// `country_code` is the tenant's default calling code (1 for the US/Canada)
/// used to make spoken/local numbers E.164.
pub fn interpret(
    text: &str,
    expecting: Expecting,
    profile: &TenantProfile,
    index: &KnowledgeIndex,
    country_code: u16,
) -> Interpretation {
    let no_lead = Details::default();
    interpret_in_call(
        text,
        expecting,
        profile,
        index,
        country_code,
        &no_lead,
        None,
    )
}

/// Like [`interpret`], in a call: knowing the message details taken down so
/// far, so that a correction ("the last four are 0199", "Ann with no e")
/// changes them and an answer to another question does not replace the
/// name; and the knowledge entry `topic` answered last, so "how much is
/// that?" or "is that included?" is read against it.
pub fn interpret_in_call(
    text: &str,
    expecting: Expecting,
    profile: &TenantProfile,
    index: &KnowledgeIndex,
    country_code: u16,
    lead: &Details,
    topic: Option<i64>,
) -> Interpretation {
    let cleaned = clean_text(text);
    let words = words(&cleaned);
    let utterance = Utterance::new(&cleaned, &words, topic);
    let details = utterance.details(expecting, country_code, lead);
    let (intent, answer) = utterance.classify(expecting, &details, profile, index);
    let also = match (&intent, &answer) {
        (Intent::Question, Some(_)) => index.answers(&words, topic).into_iter().skip(1).collect(),
        _ => Vec::new(),
    };
    let details = Details {
        reason: utterance.reason(&intent, expecting, &details),
        ..details.found
    };
    let stems = utterance.stems.as_slice();
    let spoken = language::foreign_language(&words);
    let urgent = intent != Intent::Emergency
        && !stems.is_empty()
        && (intent::is_urgent(stems) || spoken == Some("es") && language::spanish_urgent(&words));
    let interpretation = Interpretation {
        department: department_in(&words, profile).map(|(index, _)| index),
        goodbye: intent::is_goodbye(stems),
        language: spoken.map(str::to_string),
        urgent,
        intent,
        details,
        answer,
        also,
        text: cleaned.clone(),
        llm: None,
    };
    tracing::debug!(
        intent = ?interpretation.intent,
        urgent = interpretation.urgent,
        department = ?interpretation.department,
        entry = ?interpretation.answer.as_ref().map(|a| a.entry_id),
        ?expecting,
        "rules brain"
    );
    interpretation
}

/// Department index a phrase refers to, by name or keyword ("billing",
/// "my invoice" -> Billing). A name match beats a keyword match; ties go to
/// the department listed first.
pub fn match_department(text: &str, profile: &TenantProfile) -> Option<usize> {
    let words = words(text);
    department_in(&words, profile).map(|(index, _)| index)
}

/// The detail a caller wants to change after a "no" at confirmation ("the
/// number", "my name is wrong", "change the email"): the first one named.
pub fn correction_field(text: &str) -> Option<LeadField> {
    let words = words(text);
    words.iter().find_map(|w| field_named(&w.stem))
}

fn field_named(stem: &str) -> Option<LeadField> {
    Some(match stem {
        "name" | "names" | "spelling" | "spelled" => LeadField::Name,
        "number" | "phone" | "cell" | "mobile" | "digit" => LeadField::Phone,
        "email" | "mail" | "address" => LeadField::Email,
        "reason" | "message" | "why" | "request" => LeadField::Reason,
        _ => return None,
    })
}

/// Words that do not count against "billing please" being a transfer request.
#[rustfmt::skip]
const DEPARTMENT_FILLER: &[&str] = &[
    "please", "the", "department", "dept", "team", "can", "i", "get", "have", "to", "with", "a", "an", "my",
    "id", "like", "want", "need", "for", "ok", "okay", "yes", "yeah", "hi", "hello", "hey", "office", "so",
    "is", "it", "its", "um", "uh", "just", "go", "through", "could", "you", "me",
];
/// Words of a department name that do not identify it on their own.
const GENERIC_DEPARTMENT_WORDS: &[&str] = &[
    "department",
    "dept",
    "team",
    "office",
    "the",
    "and",
    "of",
    "desk",
    "services",
    "service",
];

/// Groups of words callers use for what one kind of department handles, so
/// "I'd like to make an appointment" finds "Scheduling" and "a question
/// about my statement" finds "Accounts".
#[rustfmt::skip]
const DEPARTMENT_CONCEPTS: &[&[&str]] = &[
    &["appointment", "appt", "book", "booking", "schedule", "scheduling", "reschedule", "reservation",
      "consultation", "consult", "checkup", "availability", "slot", "front", "reception", "intake",
      "cleaning", "exam", "visit", "squeeze", "fit", "seen", "looked", "started", "reschedule",
      "cancel", "move", "come", "dentist", "doctor", "vet", "patient", "client", "push", "coming", "instead"],
    &["bill", "billing", "invoice", "payment", "pay", "paid", "charge", "charged", "balance", "statement",
      "refund", "receipt", "owe", "insurance", "claim", "finance", "financing",
      "collection", "collections", "copay", "deductible"],
    &["job", "hiring", "hire", "career", "apply", "application", "position", "resume", "employment",
      "recruiting", "recruitment", "hr", "apprentice", "apprenticeship", "opening"],
    &["grooming", "groom", "groomer", "bath", "nail", "trim", "haircut", "cut", "color", "colour", "style",
      "stylist", "blowout", "highlight", "perm", "extension", "dye", "dyed", "root", "touch", "balayage",
      "keratin", "bang", "fringe"],
    &["wedding", "married", "marry", "bride", "bridal", "bridesmaid", "prom", "ceremony",
      "engagement", "quinceanera"],
    &["pharmacy", "prescription", "refill", "medication", "med", "pill"],
    &["record", "chart", "xray", "paperwork", "form", "document"],
    &["sale", "sales", "quote", "estimate", "pricing", "buy", "purchase", "install", "installation",
      "replacement", "remodel", "price", "redoing", "renovation"],
    &["service", "repair", "technician", "fix", "broken", "maintenance", "tune"],
    &["boarding", "board", "kennel", "daycare"],
    &["intake", "consultation", "case", "lawyer", "attorney", "legal", "represent", "representation",
      "estate", "probate", "inheritance", "divorce", "custody", "injury", "accident", "sue",
      "lawsuit", "passed", "died", "arrested", "dui", "ovi"],
];

/// The concept groups `stems` touch.
fn concepts<'a>(stems: impl Iterator<Item = &'a str>) -> u32 {
    let mut found = 0u32;
    for stem in stems {
        for (i, group) in DEPARTMENT_CONCEPTS.iter().enumerate() {
            if group.contains(&stem) {
                found |= 1 << i;
            }
        }
    }
    found
}

/// The department named in `words`, with the word range that named it: by
/// its name, else one of its keywords, else what it handles (see
/// [`DEPARTMENT_CONCEPTS`]) when only one department handles that.
fn department_in(words: &[Word<'_>], profile: &TenantProfile) -> Option<(usize, Range<usize>)> {
    // "Whoever's in charge" asks for the manager, not about a charge.
    let in_charge = words
        .windows(2)
        .any(|w| w[0].key == "in" && w[1].key == "charge");
    let managed: Vec<Word<'_>>;
    let words = if in_charge {
        managed = words
            .iter()
            .enumerate()
            .map(
                |(i, w)| match i.checked_sub(1).map(|p| words[p].key.as_str()) {
                    Some("in") if w.key == "charge" => Word {
                        raw: "manager",
                        key: "manager".to_string(),
                        stem: "manager".to_string(),
                        ..w.clone()
                    },
                    _ => w.clone(),
                },
            )
            .collect();
        managed.as_slice()
    } else {
        words
    };
    let stems: Vec<&str> = words.iter().map(|w| w.stem.as_str()).collect();
    let urgent = !stems.is_empty() && intent::is_urgent_situation(&stems);
    // Urgent work is weighed over every keyword and name word said ("a levy
    // and I can't make payroll": the levy), other calls go by the first
    // distinctive name word.
    let urgent_first = || {
        urgent
            .then(|| department_by_keywords(words, profile, true))
            .flatten()
    };
    named_department(words, profile, false)
        .or_else(urgent_first)
        .or_else(|| department_by_keywords(words, profile, urgent))
        .or_else(|| department_by_word(words, profile))
        .or_else(|| named_department(words, profile, true))
        .or_else(|| {
            urgent
                .then(|| urgent_work_department(profile))
                .flatten()
                .map(|d| (d, 0..0))
        })
        .or_else(|| department_by_meaning(words, profile))
}

/// A keyword's or a caller's words as matched against each other: terms
/// (synonyms folded, plural/-ing/-ed removed), a derived word brought to its
/// root ("garnishment" -> "garnish", "auditor" -> "audit", "levied" ->
/// "levy") and a possessive to "my" ("do our taxes" meets "do my taxes").
fn match_terms(words: &[Word<'_>]) -> Vec<String> {
    words
        .iter()
        .map(|w| match_root(&restore_e(&w.key, normalize::term(&w.key))))
        .collect()
}

/// "Tuned" and "tuning" lose the "e" of "tune" with their ending; a
/// short word put back ("tun" -> "tune"), but not "fixed" or "tapped".
fn restore_e(key: &str, term: String) -> String {
    let ended = key.ends_with("ed") || key.ends_with("ing");
    let bytes = key.as_bytes();
    let doubled = term.len() == 3 && bytes.get(3) == bytes.get(2);
    if ended
        && term.len() == 3
        && !doubled
        && !term.ends_with(['x', 'w', 'y', 'e'])
        && key.starts_with(term.as_str())
    {
        format!("{term}e")
    } else {
        term
    }
}

/// The caller's words as matched against keywords: a deadline close at
/// hand ("by tomorrow") also says "deadline".
fn said_terms(words: &[Word<'_>]) -> Vec<String> {
    let mut said = match_terms(words);
    let stems: Vec<&str> = words.iter().map(|w| w.stem.as_str()).collect();
    if intent::states_deadline(&stems) {
        said.push(match_root(&normalize::term("deadline")));
    }
    said
}

fn match_root(term: &str) -> String {
    if matches!(term, "our" | "his" | "her" | "their" | "your" | "my") {
        return "my".to_string();
    }
    let mut s = term.to_string();
    if s.len() >= 10 && s.ends_with("ment") {
        s.truncate(s.len() - 4);
    } else if (s.len() >= 7 && s.ends_with("or")) || (s.len() >= 6 && s.ends_with("ur")) {
        s.truncate(s.len() - 2);
    }
    if s.len() >= 4 && s.ends_with('i') {
        s.pop();
        s.push('y');
    }
    s
}

/// Words of a keyword that add nothing to how much it says.
const KEYWORD_GLUE: &[&str] = &[
    "my", "the", "a", "an", "of", "to", "on", "in", "for", "it", "is",
];

/// Where `phrase` occurs in `said`, allowing one extra word inside a
/// phrase of three words or more ("froze my business bank account").
fn loose_phrase(said: &[String], phrase: &[String]) -> Option<Range<usize>> {
    if phrase.is_empty() {
        return None;
    }
    let gaps = usize::from(phrase.len() >= 3);
    (0..said.len()).find_map(|start| {
        if said[start] != phrase[0] {
            return None;
        }
        let mut at = start + 1;
        let mut skipped = 0;
        for word in &phrase[1..] {
            while at < said.len() && said[at] != *word && skipped < gaps {
                at += 1;
                skipped += 1;
            }
            if at >= said.len() || said[at] != *word {
                return None;
            }
            at += 1;
        }
        Some(start..at)
    })
}

/// Words too common to find a keyword by when said apart from the rest.
#[rustfmt::skip]
const SCATTER_WEAK: &[&str] = &[
    "out", "off", "down", "over", "back", "not", "wont", "cant", "dont", "new", "get", "got", "and", "with",
    "from", "your", "this", "that", "all", "any", "some", "one", "two",
];

/// Where a keyword was said and what it counts: said as written, for each
/// of its words; its words all said but apart or in another order ("an
/// appointment to do our taxes" for "tax appointment"), as one word.
fn keyword_hit(said: &[String], phrase: &[String]) -> Option<(Range<usize>, f32)> {
    if let Some(range) = loose_phrase(said, phrase) {
        return Some((range, keyword_weight(phrase)));
    }
    let content: Vec<&String> = phrase
        .iter()
        .filter(|w| !KEYWORD_GLUE.contains(&w.as_str()))
        .collect();
    // "AC is out" is not said by "check out my AC": short words and
    // particles say too little apart.
    let meaningful = |w: &&String| w.len() >= 3 && !SCATTER_WEAK.contains(&w.as_str());
    if !(2..=3).contains(&content.len()) || !content.iter().all(meaningful) {
        return None;
    }
    let positions: Option<Vec<usize>> = content
        .iter()
        .map(|w| said.iter().position(|s| s == *w))
        .collect();
    let at = positions?.into_iter().min()?;
    Some((at..at + 1, 1.0))
}

/// A keyword said whole counts for each of its words.
fn keyword_weight(phrase: &[String]) -> f32 {
    phrase
        .iter()
        .filter(|w| !KEYWORD_GLUE.contains(&w.as_str()))
        .count()
        .max(1) as f32
}

/// The department whose keywords the caller said most of: a phrase of
/// several words counts for each of them, so "revenue officer" beats
/// "payroll", and in a call about urgent work the department whose own
/// keywords describe urgent work gets the benefit of the doubt (a levy
/// and payroll: the levy). Ties go to the department listed first.
fn department_by_keywords(
    words: &[Word<'_>],
    profile: &TenantProfile,
    urgent: bool,
) -> Option<(usize, Range<usize>)> {
    let said = said_terms(words);
    let urgent_work = urgent.then(|| urgent_work_department(profile)).flatten();
    // Called urgent, or due soon, without urgent work described: the
    // urgent-work department is favoured only when its keywords were said.
    let stems: Vec<&str> = words.iter().map(|w| w.stem.as_str()).collect();
    let urgent_call = !stems.is_empty() && intent::is_urgent(&stems);
    let profile_work = urgent_work_department(profile);
    let mut best: Option<(f32, usize, Range<usize>)> = None;
    for (index, department) in profile.departments.iter().enumerate() {
        let mut score = 0.0f32;
        let mut first: Option<Range<usize>> = None;
        let mut counted: Vec<Vec<String>> = Vec::new();
        for keyword in department.keywords.iter().chain(&name_words(department)) {
            let phrase = match_terms(&normalize::words(keyword));
            if counted.contains(&phrase) {
                continue;
            }
            let Some((range, weight)) = keyword_hit(&said, &phrase) else {
                continue;
            };
            counted.push(phrase.clone());
            score += weight;
            if first.as_ref().is_none_or(|f| range.start < f.start) {
                first = Some(range);
            }
        }
        let Some(range) = first else {
            continue;
        };
        // What else the caller said about what the department handles
        // ("the wedding" and "the ceremony" for Bridal) breaks a tie.
        score += 0.1 * related_words(words, department) as f32;
        if urgent_work == Some(index) {
            score += 1.5;
        } else if urgent_call && profile_work == Some(index) {
            score += 0.5;
        }
        if best.as_ref().is_none_or(|(top, _, _)| score > *top) {
            best = Some((score, index, range));
        }
    }
    let (_, index, range) = best?;
    // An urgent situation no keyword of the urgent-work department names
    // still goes there when nothing else outweighs it.
    if let Some(work) = urgent_work
        && work != index
        && best_score_of(&said, profile, index) < 1.5
    {
        return Some((work, 0..0));
    }
    Some((index, range))
}

fn best_score_of(said: &[String], profile: &TenantProfile, index: usize) -> f32 {
    let department = &profile.departments[index];
    let mut counted: Vec<Vec<String>> = Vec::new();
    department
        .keywords
        .iter()
        .chain(&name_words(department))
        .filter_map(|keyword| {
            let phrase = match_terms(&normalize::words(keyword));
            if counted.contains(&phrase) {
                return None;
            }
            counted.push(phrase.clone());
            keyword_hit(said, &phrase).map(|(_, weight)| weight)
        })
        .sum()
}

/// The concept groups a department's name and keywords touch.
fn handled_concepts(department: &crate::conversation::profile::Department) -> u32 {
    let name = normalize::words(&department.name);
    let keywords: Vec<Word<'_>> = department
        .keywords
        .iter()
        .flat_map(|k| normalize::words(k))
        .collect();
    concepts(name.iter().chain(keywords.iter()).map(|w| w.stem.as_str()))
}

/// How many words the caller said belong to what the department handles
/// (see [`DEPARTMENT_CONCEPTS`]).
fn related_words(
    words: &[Word<'_>],
    department: &crate::conversation::profile::Department,
) -> usize {
    let handles = handled_concepts(department);
    words
        .iter()
        .filter(|w| concepts(std::iter::once(w.stem.as_str())) & handles != 0)
        .count()
}

/// The distinctive words of a department's name ("payroll" of "Bookkeeping
/// & Payroll"), which count as keywords of their own.
fn name_words(department: &crate::conversation::profile::Department) -> Vec<String> {
    normalize::words(&department.name)
        .iter()
        .filter(|w| w.stem.len() >= 4 && !NOT_DISTINCTIVE.contains(&w.stem.as_str()))
        .map(|w| w.key.clone())
        .collect()
}

/// The department that takes the business's urgent work: its emergency
/// line, else the one department whose keywords describe urgent work
/// ("broke down", "stranded"; "levy", "garnishment").
fn urgent_work_department(profile: &TenantProfile) -> Option<usize> {
    if let Some(line) = profile.urgent_department() {
        return Some(line);
    }
    let describes_urgent = |department: &crate::conversation::profile::Department| {
        department.keywords.iter().any(|keyword| {
            let words = normalize::words(keyword);
            let stems: Vec<&str> = words.iter().map(|w| w.stem.as_str()).collect();
            !stems.is_empty() && intent::is_urgent_situation(&stems)
        })
    };
    let found: Vec<usize> = profile
        .departments
        .iter()
        .enumerate()
        .filter(|(_, d)| describes_urgent(d))
        .map(|(i, _)| i)
        .collect();
    match found.as_slice() {
        [only] => Some(*only),
        _ => None,
    }
}

/// Words of department names too common to pick one out alone.
#[rustfmt::skip]
const NOT_DISTINCTIVE: &[&str] = &[
    "after", "hour", "hours", "front", "desk", "office", "line", "general", "main", "new", "customer",
    "client", "care", "center", "centre", "room", "and", "the", "of", "for", "to", "a", "our", "your", "help",
    "on", "call", "support", "salon", "clinic", "hospital", "studio", "shop", "store", "law", "group", "dental",
    "event", "events", "patient", "patients", "services", "service", "department", "team",
];

/// One distinctive word of a department's name ("the manager" for "Salon
/// Manager"), when it names only that department.
fn department_by_word(
    words: &[Word<'_>],
    profile: &TenantProfile,
) -> Option<(usize, Range<usize>)> {
    let mut found: Option<(usize, Range<usize>)> = None;
    for (index, department) in profile.departments.iter().enumerate() {
        let distinctive: Vec<String> = normalize::words(&department.name)
            .iter()
            .map(|w| w.stem.clone())
            .filter(|s| s.len() >= 4 && !NOT_DISTINCTIVE.contains(&s.as_str()))
            .collect();
        let at = words.iter().position(|w| distinctive.contains(&w.stem));
        if let Some(at) = at {
            if found.is_some() {
                return None;
            }
            found = Some((index, at..at + 1));
        }
    }
    found
}

fn department_by_meaning(
    words: &[Word<'_>],
    profile: &TenantProfile,
) -> Option<(usize, Range<usize>)> {
    let said = concepts(words.iter().map(|w| w.stem.as_str()));
    if said == 0 {
        return None;
    }
    let matching: Vec<usize> = profile
        .departments
        .iter()
        .enumerate()
        .filter(|(_, d)| handled_concepts(d) & said != 0)
        .map(|(i, _)| i)
        .collect();
    let [only] = matching.as_slice() else {
        return None;
    };
    let at = words
        .iter()
        .position(|w| concepts(std::iter::once(w.stem.as_str())) & said != 0)
        .unwrap_or(0);
    Some((*only, at..at + 1))
}

/// The first department whose whole name (or, with `by_keyword`, one of
/// whose keywords) the caller said.
fn named_department(
    words: &[Word<'_>],
    profile: &TenantProfile,
    by_keyword: bool,
) -> Option<(usize, Range<usize>)> {
    let stems: Vec<String> = words.iter().map(|w| normalize::term(&w.key)).collect();
    let stems: Vec<&str> = stems.iter().map(String::as_str).collect();
    let terms_of = |text: &str| -> Vec<String> {
        normalize::words(text)
            .iter()
            .filter(|w| by_keyword || !GENERIC_DEPARTMENT_WORDS.contains(&w.key.as_str()))
            .map(|w| normalize::term(&w.key))
            .collect()
    };
    profile
        .departments
        .iter()
        .enumerate()
        .find_map(|(index, department)| {
            let found = if by_keyword {
                department
                    .keywords
                    .iter()
                    .find_map(|keyword| phrase_range(&stems, &terms_of(keyword)))
            } else {
                phrase_range(&stems, &terms_of(&department.name))
            };
            found.map(|range| (index, range))
        })
}

fn phrase_range(stems: &[&str], phrase: &[String]) -> Option<Range<usize>> {
    if phrase.is_empty() {
        return None;
    }
    let phrase: Vec<&str> = phrase.iter().map(String::as_str).collect();
    find_phrase(stems, &phrase).map(|at| at..at + phrase.len())
}

/// One utterance, tokenised once and read by every rule.
struct Utterance<'t, 'w> {
    text: &'t str,
    words: &'w [Word<'t>],
    stems: Vec<&'w str>,
    /// The knowledge entry answered last in the call.
    topic: Option<i64>,
}

/// Details found, with the words they used (so a name or reason does not
/// swallow a phone number).
struct Found {
    found: Details,
    taken: Vec<Range<usize>>,
}

impl<'t, 'w> Utterance<'t, 'w> {
    fn new(text: &'t str, words: &'w [Word<'t>], topic: Option<i64>) -> Self {
        let stems = words.iter().map(|w| w.stem.as_str()).collect();
        Utterance {
            text,
            words,
            stems,
            topic,
        }
    }

    fn details(&self, expecting: Expecting, country_code: u16, lead: &Details) -> Found {
        let mut found = Details::default();
        let mut taken = Vec::new();
        // Part of the number on file can be corrected while it is discussed.
        let phone_on_file = match expecting {
            Expecting::Phone | Expecting::YesNo | Expecting::Correction => lead.phone.as_deref(),
            _ => None,
        };
        let listening = phone::Listening {
            asked: expecting == Expecting::Phone,
            previous: phone_on_file,
        };
        if let Some((phone, range)) =
            phone::find_phone(self.text, self.words, country_code, listening)
        {
            found.phone = Some(phone);
            taken.push(range);
        }
        if let Some((email, bytes)) = email::find_email(self.text, expecting == Expecting::Email) {
            found.email = Some(email);
            let first = self
                .words
                .iter()
                .position(|w| w.span.end > bytes.start)
                .unwrap_or(self.words.len());
            let end = self
                .words
                .iter()
                .position(|w| w.span.start >= bytes.end)
                .unwrap_or(self.words.len());
            taken.push(first..end.max(first));
        }
        // "The name is spelled ...", at the read-back or after "what should
        // I change?": a name is listened for as when it was asked.
        // So is "no, it's Andersen with an e" when Anderson is on file: a
        // word like the name's, said differently.
        let correcting_name = matches!(expecting, Expecting::Correction | Expecting::YesNo)
            && (self.names_field(LeadField::Name) || self.resembles_name(lead.name.as_deref()));
        // "It's Tessa Grant" after declining the name: with no name on file,
        // a name introduced is taken whatever was asked.
        let listening = extract::Listening {
            bare: expecting == Expecting::Name || correcting_name,
            weak_cues: matches!(expecting, Expecting::Anything | Expecting::Name)
                || correcting_name
                || lead.name.is_none(),
            previous: lead.name.as_deref(),
        };
        if let Some((name, range)) = extract::find_name(self.text, self.words, listening, &taken) {
            tracing::debug!(?expecting, "rules brain heard a name");
            found.name = Some(name);
            taken.push(range);
        }
        Found { found, taken }
    }

    /// True when a word said is like a word of `name` but not the same
    /// ("andersen" for Anderson, "jon" for John).
    fn resembles_name(&self, name: Option<&str>) -> bool {
        const SHORTEST: usize = 3;
        let Some(name) = name else {
            return false;
        };
        name.split(' ')
            .filter(|part| part.len() >= SHORTEST)
            .any(|part| {
                self.words.iter().any(|w| {
                    w.key.len() >= SHORTEST
                        && !part.eq_ignore_ascii_case(&w.key)
                        && extract::similar(part, &w.key)
                })
            })
    }

    fn names_field(&self, field: LeadField) -> bool {
        self.stems.iter().any(|s| field_named(s) == Some(field))
    }

    /// In a correction ("the name should be Jon"), where the new value starts.
    fn after_field_word(&self) -> usize {
        let Some(at) = self.stems.iter().position(|s| field_named(s).is_some()) else {
            return 0;
        };
        let mut start = at + 1;
        while self.stems.get(start).is_some_and(|s| {
            matches!(
                *s,
                "is" | "should"
                    | "be"
                    | "to"
                    | "its"
                    | "it"
                    | "actually"
                    | "spelled"
                    | "wrong"
                    | "the"
                    | "change"
                    | "please"
                    | "was"
                    | "not"
                    | "right"
                    | "incorrect"
            )
        }) {
            start += 1;
        }
        if start >= self.words.len() { 0 } else { start }
    }

    fn classify(
        &self,
        expecting: Expecting,
        details: &Found,
        profile: &TenantProfile,
        index: &KnowledgeIndex,
    ) -> (Intent, Option<GroundedAnswer>) {
        let stems = self.stems.as_slice();
        if stems.is_empty() {
            return (Intent::Unclear, None);
        }
        if intent::is_life_threat(stems) {
            return (Intent::Emergency, None);
        }
        if let Some(talk) = intent::small_talk(stems, self.text) {
            return (Intent::SmallTalk(talk), None);
        }
        let goodbye = intent::is_goodbye(stems);
        // "Yeah, the number I'm calling from is fine": about the number, not
        // a question about the business's.
        let refused = matches!(intent::leading_yes_no(stems), Some((Intent::No, _)));
        if expecting == Expecting::YesNo && phone::means_this_number(stems) && !refused {
            return (Intent::Yes, None);
        }
        if expecting == Expecting::YesNo
            && let Some((yes_or_no, used)) = intent::leading_yes_no(stems)
        {
            return self.answer_to_yes_no(yes_or_no, used, goodbye, profile, index);
        }
        let found = &details.found;
        let wanted = match expecting {
            Expecting::Name => found.name.is_some(),
            Expecting::Phone => found.phone.is_some(),
            Expecting::Email => found.email.is_some(),
            _ => false,
        };
        // Asked for a detail, the caller who gives it ("info at acme dot
        // com, that's all one word") or only acknowledges the question
        // ("oh perfect, thank you") is not saying goodbye.
        let asked_for_detail = matches!(
            expecting,
            Expecting::Name | Expecting::Phone | Expecting::Email
        );
        if goodbye && !(asked_for_detail && (wanted || intent::is_thanks_only(stems))) {
            return (Intent::Goodbye, None);
        }
        match expecting {
            Expecting::Name | Expecting::Phone | Expecting::Email => {
                if let Some(person) = self.transfer_request(profile, false) {
                    return (person, None);
                }
                if wanted {
                    return (Intent::LeaveMessage, None);
                }
                // "Wait, how long until somebody calls me back?": answered,
                // and the detail asked for again.
                const FEWEST_QUESTION_WORDS: usize = 4;
                if stems.len() >= FEWEST_QUESTION_WORDS
                    && let Some(found) = index.confident_answer(self.words, self.topic)
                {
                    return (Intent::Question, Some(found));
                }
                // "Why do you need my name?", "how long until somebody calls
                // me back?": asked back, not a refusal.
                if expecting == Expecting::Name && intent::is_interrogative(stems, self.text) {
                    return (Intent::Question, None);
                }
                // "I'd rather not say", "this is ridiculous": the message goes
                // on without a name.
                if expecting == Expecting::Name && extract::declines_name(stems) {
                    return (Intent::LeaveMessage, None);
                }
                // "I'd rather not", "skip that": no email.
                if expecting == Expecting::Email && email::declines(stems) {
                    return (Intent::No, None);
                }
                // "This number", "the one I'm calling from": the caller ID.
                if expecting == Expecting::Phone && phone::means_this_number(stems) {
                    return (Intent::Yes, None);
                }
                // "No, I don't have one": declining to give the detail.
                if let Some((yes_or_no, _)) = intent::leading_yes_no(stems) {
                    return (yes_or_no, None);
                }
            }
            Expecting::Reason => {
                if let Some(person) = self.transfer_request(profile, false) {
                    return (person, None);
                }
                if let Some(yes_or_no) = intent::bare_yes_no(stems) {
                    return (yes_or_no, None);
                }
                return (Intent::LeaveMessage, None);
            }
            Expecting::Correction => return (self.correction(found), None),
            Expecting::YesNo | Expecting::Anything => {}
        }
        self.general(profile, index)
    }

    /// A yes/no question was asked and the caller started with one. A bare
    /// answer ("yes please", "no thank you") is that answer; "okay thanks
    /// bye" is a goodbye; "yeah, what time do you close?" or "no, I'd rather
    /// leave a message" is the new question or request, not the answer.
    fn answer_to_yes_no(
        &self,
        yes_or_no: Intent,
        used: usize,
        goodbye: bool,
        profile: &TenantProfile,
        index: &KnowledgeIndex,
    ) -> (Intent, Option<GroundedAnswer>) {
        let stems = self.stems.as_slice();
        let weak_yes = stems[..used].iter().all(|s| {
            matches!(
                *s,
                "ok" | "okay"
                    | "alright"
                    | "right"
                    | "so"
                    | "well"
                    | "oh"
                    | "perfect"
                    | "great"
                    | "cool"
                    | "awesome"
            )
        });
        if goodbye && (yes_or_no == Intent::No || weak_yes) {
            return (Intent::Goodbye, None);
        }
        if intent::bare_yes_no(stems).is_some() || goodbye {
            return (yes_or_no, None);
        }
        let rest = &stems[used..];
        if rest.len() < 2 {
            return (yes_or_no, None);
        }
        match self.general(profile, index) {
            (
                intent @ (Intent::Hours(_)
                | Intent::Location
                | Intent::Contact
                | Intent::TalkToPerson { .. }
                | Intent::LeaveMessage),
                answer,
            ) => (intent, answer),
            (Intent::Question, Some(answer)) => (Intent::Question, Some(answer)),
            (Intent::Question, None) if intent::asks_wh_question(rest) => (Intent::Question, None),
            _ => (yes_or_no, None),
        }
    }

    /// After "what should I change?": naming a field or giving a new value is
    /// `No` (the read-back was wrong, here is what), "nothing"/"it's fine" is
    /// `Yes`, anything else `Unclear`.
    fn correction(&self, found: &Details) -> Intent {
        let stems = self.stems.as_slice();
        if self.stems.iter().any(|s| field_named(s).is_some()) || !found.is_empty() {
            return Intent::No;
        }
        let fine = normalize::has_any(
            stems,
            &[
                &["nothing"],
                &["never", "mind"],
                &["nevermind"],
                &["its", "fine"],
                &["all", "good"],
                &["its", "all", "correct"],
                &["its", "all", "right"],
                &["looks", "good"],
            ],
        );
        match intent::leading_yes_no(stems) {
            _ if fine => Intent::Yes,
            Some((yes_or_no, _)) => yes_or_no,
            None => Intent::Unclear,
        }
    }

    /// "Talk to someone", "put me through to billing", and (when `loose`)
    /// a bare department name ("billing please").
    fn transfer_request(&self, profile: &TenantProfile, loose: bool) -> Option<Intent> {
        let stems = self.stems.as_slice();
        let department = department_in(self.words, profile);
        if intent::wants_person(stems, department.is_some()) {
            // "Speak to the manager about my appointment": who comes right
            // after the asking names the department, not what it is about.
            let asked_for = stems
                .iter()
                .position(|s| matches!(*s, "talk" | "speak" | "transfer" | "connect" | "reach"))
                .and_then(|at| {
                    let end = self.words.len().min(at + 5);
                    department_in(&self.words[at + 1..end], profile)
                });
            return Some(Intent::TalkToPerson {
                department: asked_for.or(department).map(|(d, _)| d),
            });
        }
        let (index, range) = department?;
        let only_department = stems
            .iter()
            .enumerate()
            .all(|(i, s)| range.contains(&i) || DEPARTMENT_FILLER.contains(s));
        (loose && only_department).then_some(Intent::TalkToPerson {
            department: Some(index),
        })
    }

    fn general(
        &self,
        profile: &TenantProfile,
        index: &KnowledgeIndex,
    ) -> (Intent, Option<GroundedAnswer>) {
        let stems = self.stems.as_slice();
        if intent::wants_message(stems) {
            return (Intent::LeaveMessage, None);
        }
        if let Some(person) = self.transfer_request(profile, true) {
            return (person, None);
        }
        let department = || department_in(self.words, profile).map(|(d, _)| d);
        // "Do you do same-day appointments?", "can I come in and get a
        // document notarized, and how much is it?": a question the knowledge
        // base answers comes before the request around it.
        let asks = intent::asks_about_the_business(stems);
        // "Are y'all open tomorrow? I wanted to come in for lunch": the
        // hours first; the caller can still ask to book after them.
        let asks_hours_first =
            intent::asks_hours(stems) && intent::is_interrogative(stems, self.text);
        if intent::request_start(stems).is_some()
            && !intent::asks_wh_question(stems)
            && !asks_hours_first
        {
            if asks && let Some(found) = index.confident_answer(self.words, self.topic) {
                return (Intent::Question, Some(found));
            }
            return (
                Intent::Request {
                    department: department(),
                },
                None,
            );
        }
        let answer = || index.confident_answer(self.words, self.topic);
        if intent::asks_hours(stems) {
            return (Intent::Hours(intent::hours_asked(stems)), answer());
        }
        if intent::asks_contact(stems) {
            return (Intent::Contact, answer());
        }
        if intent::asks_location(stems) {
            return (Intent::Location, answer());
        }
        let interrogative = intent::is_interrogative(stems, self.text);
        // "My basement is flooding": the business's urgent work, to be put
        // through or taken down, even when a question rides along.
        if intent::is_urgent(stems) && !(interrogative && intent::asks_wh_question(stems)) {
            return (
                Intent::Request {
                    department: department(),
                },
                answer(),
            );
        }
        if let Some(found) = answer() {
            return (Intent::Question, Some(found));
        }
        // "I have a question about my bill": no answer on file, but billing
        // can take it. "Do you install water softeners?" is still a question.
        // "Are you hiring?" with no answer on file goes to the department
        // that takes messages only and whose name or keywords the caller
        // used (Careers): only a message can answer it.
        let said_department = named_department(self.words, profile, false)
            .or_else(|| department_by_word(self.words, profile))
            .or_else(|| named_department(self.words, profile, true))
            .is_some_and(|(d, _)| {
                profile.departments[d]
                    .phone
                    .as_deref()
                    .is_none_or(|p| p.trim().is_empty())
            });
        if interrogative
            && !said_department
            && (intent::asks_wh_question(stems) || asks || department().is_none())
        {
            return (Intent::Question, None);
        }
        if intent::states_need(stems) || department().is_some() {
            return (
                Intent::Request {
                    department: department(),
                },
                None,
            );
        }
        (intent::bare_yes_no(stems).unwrap_or(Intent::Unclear), None)
    }

    /// After a leading "yes", whether the rest adds to the message: not a
    /// question, a request for a person, hours or an emergency.
    fn adds_to_a_yes(&self, intent: &Intent) -> bool {
        let Some((Intent::Yes, used)) = intent::leading_yes_no(&self.stems) else {
            return false;
        };
        let rest = &self.stems[used..];
        let adds = matches!(
            intent,
            Intent::Yes
                | Intent::LeaveMessage
                | Intent::Request { .. }
                | Intent::Question
                | Intent::Unclear
        );
        adds && !intent::is_interrogative(rest, self.text)
    }

    /// The reason is kept for message requests (and whenever it was asked for).
    fn reason(&self, intent: &Intent, expecting: Expecting, details: &Found) -> Option<String> {
        match expecting {
            Expecting::Reason if *intent == Intent::LeaveMessage => {
                extract::find_reason(self.text, self.words, Said::Answer, &details.taken)
            }
            Expecting::Correction | Expecting::YesNo if self.names_field(LeadField::Reason) => {
                let start = self.after_field_word();
                (start > 0)
                    .then(|| {
                        extract::find_reason(self.text, &self.words[start..], Said::Answer, &[])
                    })
                    .flatten()
            }
            // While another detail was asked for, only "... and I'm calling
            // about my bill"; "why do you need that?" says nothing of why.
            Expecting::Name | Expecting::Phone | Expecting::Email => {
                extract::find_reason(self.text, self.words, Said::Aside, &details.taken)
            }
            // "Yes, and also tell her it's urgent": added to the message;
            // "yes, and do you take insurance?" is a question, not a detail.
            Expecting::YesNo if self.adds_to_a_yes(intent) => {
                extract::addition(self.text, self.words, &details.taken)
            }
            _ if matches!(intent, Intent::LeaveMessage | Intent::Request { .. }) => {
                extract::find_reason(self.text, self.words, Said::Request, &details.taken)
            }
            _ => None,
        }
    }
}
